"""erasure: every data disk of the server sanitized per NIST SP 800-88 Rev. 1, verified by reading back.

Per disk, the strongest method the drive offers: NVMe Sanitize (crypto erase, then block erase) or
Format with Secure Erase; ATA Sanitize (block erase, crypto scramble) or ATA Security Erase Unit
(enhanced, then normal); SCSI SANITIZE (crypto, block erase, overwrite; sg_sanitize) or FORMAT UNIT
(sg_format, a Clear); else an overwrite with zeros (`dd`). Drive-internal
erases are Purge; an overwrite is Clear. Afterwards the bench reads the disk back with `cmp` against
zeros, in full or at sampled positions (recorded). A Host Protected Area is removed first (`hdparm -N`)
or reported; a frozen ATA drive, a RAID controller hiding the disks and the live image's own medium are
reported and never counted as erased. One erasure record per disk is the evidence.

Params: `verify` (sample | full, default sample), `samples` (default 64), `sample_bytes` (default 1 MiB),
`remove_hpa` (default true), `overwrite_mib_s` (slowest expected write speed, for timeouts; default 50).
"""

from __future__ import annotations

import asyncio
import base64
import json
import re
import secrets
import shlex
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.drivers.parsing import sanitize
from bench.model import Outcome, TestResult, utc_now
from bench.tests_hw.base import ChannelMissing, TestContext, result
from bench.tests_hw.server.shell import not_run, now

NAME = "erasure"
MIB = 2**20
ERASE_PASSWORD = "bench-erase"  # a throwaway ATA password: set, used by the erase, cleared by it
# Mount points of live images' boot media: the disk under them is the bench's own, never erased.
LIVE_MEDIA = ("/run/live/medium", "/lib/live/mount/medium", "/run/archiso/bootmnt", "/cdrom", "/run/initramfs/live")
RAID_MODEL = re.compile(r"PERC|LOGICAL VOLUME|MegaRAID|MR\d{4}|Virtual Disk|ServeRAID|Smart Array|RAID", re.I)
RAID_PCI = re.compile(r"RAID bus controller: (.*)")
FROZEN_TODO = ("the BIOS froze its ATA security: suspend and resume the host (echo mem > /sys/power/state) "
               "or hot-unplug and replug the drive, then retest; the disk is NOT erased")
RAID_TODO = ("a RAID controller hides the physical disks ({ctrl}): set it to HBA/JBOD/pass-through mode and "
             "retest; the logical volume is not a disk and is NOT counted as erased")


@dataclass
class Disk:
    name: str
    size: int
    model: str
    serial: str
    tran: str
    rota: bool


@dataclass
class Record:
    """One disk's erasure record: what an ITAD's erasure certificate carries."""

    device: str
    model: str
    serial: str
    capacity_bytes: int
    started: str = field(default_factory=utc_now)
    ended: str = ""
    method: str = ""
    nist_category: str = ""  # Purge | Clear | "" (nothing done)
    command: str = ""
    verification: dict[str, Any] = field(default_factory=dict)
    hidden_area: dict[str, Any] = field(default_factory=dict)
    result: str = "NOT_ERASED"  # PASS | FAIL | NOT_ERASED
    reason: str = ""
    operator: str = "bench"
    disposition: str = ""  # what becomes of this disk: reuse | destroy | hold
    disposition_reason: str = ""

    def done(self, outcome: str, reason: str) -> Record:
        self.result, self.reason, self.ended = outcome, reason, utc_now()
        self.disposition, self.disposition_reason = disposition(self)
        return self


def disposition(rec: Record) -> tuple[str, str]:
    """A disposition per component: a verified disk may be reused; one that failed its erasure or its
    read-back cannot be sanitized, so NIST SP 800-88 leaves Destroy; one not erased yet waits."""
    if rec.result == "PASS":
        return "reuse", f"{rec.nist_category or 'erased'} and verified by reading back"
    if rec.result == "FAIL":
        return "destroy", (f"{rec.reason[:200]}: sanitization could not be verified, so the disk is destroyed "
                           "(NIST SP 800-88 Destroy: shred, disintegrate or pulverize), not reused")
    return "hold", f"not erased yet: {rec.reason[:200]}; erase and verify before reuse, else destroy"


class Unit:
    """The shell on the unit, as root (through `sudo -n` when the login is not root)."""

    def __init__(self, ctx: TestContext, sudo: bool) -> None:
        self.ctx, self.sudo = ctx, sudo

    async def run(self, command: str, timeout: float = 120.0) -> tuple[int | None, str]:
        """(exit status, output); the status is None when it did not come back."""
        assert self.ctx.cli is not None
        text = sanitize(await self.ctx.cli.send(f"{'sudo -n ' if self.sudo else ''}{command}; echo rc $?",
                                                timeout=timeout))  # device output: never raw into evidence
        m = re.search(r"^rc (\d+)\s*$", text, re.M)
        body = text[:m.start()] if m else text
        return (int(m.group(1)) if m else None), body.strip("\r\n")


def parse_lsblk(text: str) -> tuple[list[Disk], list[dict[str, str]]]:
    """Whole disks, and the ones left alone with why (mounted: the live image's boot medium)."""
    try:
        doc = json.loads(text[text.find("{"):])
    except ValueError:
        return [], []
    disks, excluded = [], []

    def mounts(dev: dict[str, Any]) -> list[str]:
        own = [m for m in (dev.get("mountpoints") or [dev.get("mountpoint")]) if m]
        return own + [m for c in dev.get("children") or [] if isinstance(c, dict) for m in mounts(c)]

    devs = doc.get("blockdevices") if isinstance(doc, dict) else None
    for dev in devs if isinstance(devs, list) else []:
        if not isinstance(dev, dict) or dev.get("type") != "disk":
            continue
        name = str(dev.get("name", ""))
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,32}", name) or name.startswith(("loop", "ram", "zram", "md", "dm-")):
            continue
        used = mounts(dev)
        if used:
            why = "the live image's boot medium" if any(m in LIVE_MEDIA for m in used) else "mounted"
            excluded.append({"device": f"/dev/{name}", "reason": f"{why} ({', '.join(map(str, used))[:120]}): "
                             "never erased while the bench runs from it"})
            continue
        size = dev.get("size")
        disks.append(Disk(name, int(size) if str(size).isdigit() else 0, str(dev.get("model") or "").strip()[:80],
                          str(dev.get("serial") or "").strip()[:40], str(dev.get("tran") or ""),
                          bool(dev.get("rota")) and str(dev.get("rota")) not in ("0", "False")))
    return disks, excluded


def mounted_sources(proc_mounts: str) -> set[str]:
    """Kernel names of the block devices that back a mount (sda for /dev/sda1, nvme0n1 for nvme0n1p2)."""
    out = set()
    for line in proc_mounts.splitlines():
        src = line.split(" ", 1)[0]
        m = re.fullmatch(r"/dev/((?:nvme\d+n\d+)|(?:[a-z]+?))(?:p?\d+)?", src)
        if m and not src.startswith(("/dev/loop", "/dev/sr")):
            out.add(m.group(1))
    return out


def ata_security(text: str) -> dict[str, Any]:
    """`hdparm -I`: security state and the erase/sanitize features the drive offers."""
    sec = text.split("Security:", 1)[1] if "Security:" in text else ""
    line = {ln.strip().replace("\t", " ") for ln in sec.splitlines()}
    minutes = re.findall(r"(\d+)min for (ENHANCED )?SECURITY ERASE UNIT", sec)
    return {
        "ata": "ATA device" in text,
        "security": "supported" in line,
        "frozen": "frozen" in line,
        "locked": "locked" in line,
        "enhanced": "supported: enhanced erase" in line,
        "sanitize_block": "BLOCK_ERASE_EXT command" in text,
        "sanitize_crypto": "CRYPTO_SCRAMBLE_EXT command" in text,
        "erase_minutes": max([int(m[0]) for m in minutes] or [120]),
    }


def hpa(text: str) -> tuple[int, int] | None:
    """(visible, native) sectors from `hdparm -N`."""
    m = re.search(r"max sectors\s*=\s*(\d+)/(\d+)", text)
    return (int(m.group(1)), int(m.group(2))) if m else None


def sample_positions(size: int, count: int, length: int) -> list[int]:
    """The first and last blocks and random ones between (fresh each run, aligned to 4 KiB), sorted."""
    if size <= length:
        return [0]
    last = (size - length) // 4096 * 4096
    picks = {0, last} | {secrets.randbelow(last // 4096 + 1) * 4096 for _ in range(max(0, count - 2))}
    return sorted(picks)


def reader_command(dev: str, ranges: list[tuple[int, int]]) -> str:
    """The direct-I/O zero reader (zero_reader.py, shipped as its source) for `ranges` of `dev`."""
    spans = " ".join(f"{start}:{length}" for start, length in ranges)
    code = f'exec(__import__("base64").b64decode("{READER}"))'
    # The system's interpreter before any other on PATH (a pyenv/asdf shim costs a quarter second a call);
    # -I -S: the standard library only, which starts fast.
    return f'"$(command -v /usr/bin/python3 || command -v python3)" -I -S -c {shlex.quote(code)} {dev} {spans}'


READER = base64.b64encode((Path(__file__).parent / "zero_reader.py").read_bytes()).decode()
_READER_LINE = re.compile(r"^(?:zeros (\d+) (direct|buffered)|differs at (\d+)|unreadable at (\d+): (.*))\s*$", re.M)


async def read_zeros(unit: Unit, dev: str, ranges: list[tuple[int, int]], timeout: float) -> dict[str, Any] | None:
    """Check `ranges` with the zero reader on the unit; None when it cannot run there (no python3)."""
    status, out = await unit.run(reader_command(dev, ranges), timeout=timeout)
    m = _READER_LINE.search(out)
    if m is None or status not in (0, 1, 2):
        return None
    if m.group(1):
        return {"result": "PASS", "detail": "", "reader": f"zero_reader ({m.group(2)} I/O)"}
    if m.group(3):
        return {"result": "FAIL", "detail": f"at byte {m.group(3)}: not zeros", "reader": "zero_reader"}
    return {"result": "FAIL", "detail": f"at byte {m.group(4)}: unreadable ({m.group(5)[:120]})",
            "reader": "zero_reader"}


async def verify_zeros(unit: Unit, dev: str, size: int, mode: str, count: int, length: int,
                       timeout: float) -> dict[str, Any]:
    """Read back against zeros: every byte (full) or the sampled ranges; with the direct-I/O zero reader
    when the unit has python3, else with `cmp` against /dev/zero."""
    t0 = time.monotonic()
    positions = [0] if mode == "full" else sample_positions(size, count, length)
    ranges = [(0, size)] if mode == "full" else [(p, min(length, size - p)) for p in positions]
    found = await read_zeros(unit, dev, ranges, timeout)
    if found is None:
        found = await _cmp_zeros(unit, dev, size, mode, positions, length, timeout)
    out: dict[str, Any] = {"mode": mode, "pattern": "zeros", **found}
    if mode == "sample":
        out |= {"positions": positions, "sample_bytes": length}
    return out | {"bytes_read": sum(n for _p, n in ranges), "seconds": round(time.monotonic() - t0, 2)}


async def _cmp_zeros(unit: Unit, dev: str, size: int, mode: str, positions: list[int], length: int,
                     timeout: float) -> dict[str, Any]:
    if mode == "full":
        status, out = await unit.run(f"cmp -n {size} {dev} /dev/zero", timeout=timeout)
        ok = status == 0
        return {"result": "PASS" if ok else "FAIL", "detail": "" if ok else (out.strip()[:200] or f"cmp exit {status}"),
                "reader": "cmp"}
    bad: list[str] = []
    for i in range(0, len(positions), 32):  # a few commands per round trip
        chunk = positions[i:i + 32]
        line = "; ".join(f"cmp -n {min(length, size - p)} -i {p}:0 {dev} /dev/zero; echo at {p} $?" for p in chunk)
        assert unit.ctx.cli is not None
        text = await unit.ctx.cli.send(" ; ".join(
            (f"sudo -n {c}" if unit.sudo and c.startswith("cmp") else c) for c in line.split("; ")), timeout=timeout)
        codes = dict(re.findall(r"^at (\d+) (\d+)\s*$", text, re.M))
        for p in chunk:
            if codes.get(str(p)) != "0":
                bad.append(f"at byte {p}: {'not zeros' if codes.get(str(p)) == '1' else 'unreadable'}")
    return {"result": "FAIL" if bad else "PASS", "detail": "; ".join(bad[:5]), "reader": "cmp"}


async def poll(unit: Unit, command: str, done: re.Pattern[str], failed: re.Pattern[str],
               deadline_s: float) -> tuple[bool, str]:
    """Ask a drive's progress until it says done or failed, or the deadline passes."""
    end = time.monotonic() + deadline_s
    wait = 0.5
    text = ""
    while time.monotonic() < end:
        _status, text = await unit.run(command, timeout=60)
        if failed.search(text):
            return False, text
        if done.search(text):
            return True, text
        await asyncio.sleep(wait)  # the drive works in the background; its status is the thing to wait on
        wait = min(wait * 2, 30.0)
    return False, f"no completion within {deadline_s:.0f}s: {text.strip()[-160:]}"


async def erase_ata(unit: Unit, disk: Disk, rec: Record, p: dict[str, Any]) -> str | None:
    """Run the drive's own erase; "" when done, None when it offers none (overwrite next), else why it failed.
    Sets rec.method/nist_category/command. A frozen drive is reported in rec and returns "frozen"."""
    dev = f"/dev/{disk.name}"
    _s, ident = await unit.run(f"hdparm -I {dev}")
    sec = ata_security(ident)
    if not sec["ata"]:
        return None
    if sec["frozen"]:
        return "frozen"
    if sec["sanitize_block"] or sec["sanitize_crypto"]:
        action = "block-erase" if sec["sanitize_block"] else "crypto-scramble"
        rec.method = f"ATA SANITIZE {action.replace('-', ' ').upper()}"
        rec.nist_category, rec.command = "Purge", f"hdparm --yes-i-know-what-i-am-doing --sanitize-{action} {dev}"
        return await started_and_polled(unit, rec, f"hdparm --sanitize-status {dev}",
                                        re.compile(r"Completed Without Error"), re.compile(r"fail", re.I),
                                        sec["erase_minutes"] * 120 + 600)
    if sec["security"] and not sec["locked"]:
        enhanced = sec["enhanced"]
        rec.method = f"ATA SECURITY ERASE UNIT ({'enhanced' if enhanced else 'normal'})"
        # NIST 800-88 Table A-8: Security Erase is Purge for ATA hard disks; for SSDs only the enhanced one.
        rec.nist_category = "Purge" if enhanced or disk.rota else "Clear"
        flag = "--security-erase-enhanced" if enhanced else "--security-erase"
        rec.command = f"hdparm --user-master u {flag} {ERASE_PASSWORD} {dev}"
        status, out = await unit.run(f"hdparm --user-master u --security-set-pass {ERASE_PASSWORD} {dev}")
        if status != 0:
            return f"setting the ATA password failed: {out.strip().splitlines()[-1][:160] if out.strip() else status}"
        status, out = await unit.run(rec.command, timeout=sec["erase_minutes"] * 120 + 600)
        if status != 0:
            return f"{rec.method} failed: {out.strip().splitlines()[-1][:160] if out.strip() else status}"
        return ""
    return None


async def started_and_polled(unit: Unit, rec: Record, status_command: str, done: re.Pattern[str],
                             failed: re.Pattern[str], limit_s: float) -> str:
    """Start `rec.command` (a sanitize the drive runs on its own) and poll `status_command` until it says done
    or failed, or `limit_s` passes: "" when it completed, else why not (the drive's last words)."""
    status, out = await unit.run(rec.command, timeout=120)
    if status != 0:
        return f"{rec.method} refused: {_last_line(out) or status}"
    ok, text = await poll(unit, status_command, done, failed, limit_s)
    return "" if ok else f"{rec.method} did not complete: {_last_line(text)}"


def _last_line(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[-1][:160] if lines else ""


async def erase_nvme(unit: Unit, disk: Disk, rec: Record) -> str | None:
    ctrl = "/dev/" + re.sub(r"n\d+$", "", disk.name)
    status, out = await unit.run(f"nvme id-ctrl {ctrl} -o json")
    try:
        doc = json.loads(out[out.find("{"):out.rfind("}") + 1]) if status == 0 else {}
    except ValueError:
        doc = {}
    sanicap, fna, oacs = (int(doc.get(k) or 0) for k in ("sanicap", "fna", "oacs"))
    if sanicap & 0b011:
        crypto = bool(sanicap & 1)
        rec.method = f"NVMe SANITIZE {'CRYPTO ERASE' if crypto else 'BLOCK ERASE'}"
        rec.nist_category, rec.command = "Purge", f"nvme sanitize {ctrl} --sanact={4 if crypto else 2}"
        return await started_and_polled(unit, rec, f"nvme sanitize-log {ctrl} -o json",
                                        re.compile(r'"sstat"\s*:\s*(257|1|260|4)\b'),
                                        re.compile(r'"sstat"\s*:\s*(3|259)\b'), 6 * 3600)
    if oacs & 0b10:
        crypto = bool(fna & 0b100)
        rec.method = f"NVMe FORMAT with secure erase ({'cryptographic' if crypto else 'user data'} erase)"
        rec.nist_category, rec.command = "Purge", f"nvme format /dev/{disk.name} --ses={2 if crypto else 1}"
        status, out = await unit.run(rec.command, timeout=6 * 3600)
        return "" if status == 0 else f"{rec.method} failed: {out.strip()[:160] or status}"
    return None


# SCSI SANITIZE service actions (SBC-3), strongest first: NIST SP 800-88 Table A-6 makes each a Purge.
SCSI_SANITIZE = ((3, "crypto", "CRYPTOGRAPHIC ERASE"), (2, "block", "BLOCK ERASE"),
                 (1, "overwrite --zero", "OVERWRITE"))
_RSOC_SUPPORTED = re.compile(r"^\s*Command (is )?supported", re.M)


async def erase_scsi(unit: Unit, disk: Disk, rec: Record) -> str | None:
    """SCSI SANITIZE (the drive's strongest service action, asked with REPORT SUPPORTED OPERATION CODES),
    else FORMAT UNIT (a Clear, trusted only through the read-back); None when the drive offers neither."""
    dev = f"/dev/{disk.name}"
    for action, flag, name in SCSI_SANITIZE:
        status, out = await unit.run(f"sg_opcodes --opcode=0x48,{action} {dev}")
        if status != 0 or not _RSOC_SUPPORTED.search(out):
            continue
        rec.method, rec.nist_category = f"SCSI SANITIZE {name}", "Purge"
        rec.command = f"sg_sanitize --quick --wait --{flag} {dev}"
        status, out = await unit.run(rec.command, timeout=12 * 3600)
        if status == 0:
            return ""
        return f"{rec.method} failed: {out.strip().splitlines()[-1][:160] if out.strip() else status}"
    status, out = await unit.run(f"sg_format {dev}")
    if status != 0:
        return None
    rec.method, rec.nist_category = "SCSI FORMAT UNIT", "Clear"
    rec.command = f"sg_format --format --quick {dev}"
    status, out = await unit.run(rec.command, timeout=12 * 3600)
    if status == 0:
        return ""
    if re.search(r"Illegal request|Invalid (opcode|field)", out):
        rec.method = rec.nist_category = rec.command = ""
        return None
    return f"{rec.method} failed: {out.strip().splitlines()[-1][:160] if out.strip() else status}"


async def overwrite(unit: Unit, disk: Disk, size: int, rec: Record, mib_s: float) -> str:
    dev = f"/dev/{disk.name}"
    rec.method, rec.nist_category = "overwrite, one pass of zeros", "Clear"
    rec.command = f"dd if=/dev/zero of={dev} bs=4M count={size} iflag=count_bytes oflag=direct conv=fsync status=none"
    status, out = await unit.run(rec.command, timeout=size / (mib_s * MIB) + 600)
    return "" if status == 0 else f"overwrite failed: {out.strip().splitlines()[-1][:160] if out.strip() else status}"


async def remove_hpa(unit: Unit, dev: str, rec: Record, remove: bool) -> int | None:
    """Finds a Host Protected Area and removes it (permanently) when allowed; returns the visible size
    in bytes afterwards, or None when hdparm -N cannot tell."""
    _s, text = await unit.run(f"hdparm -N {dev}")
    found = hpa(text)
    if found is None:
        return None
    visible, native = found
    if visible >= native:
        rec.hidden_area = {"hpa": False}
        return visible * 512
    rec.hidden_area = {"hpa": True, "visible_sectors": visible, "native_sectors": native,
                       "hidden_bytes": (native - visible) * 512, "removed": False}
    if remove:
        status, _out = await unit.run(f"hdparm -N p{native} --yes-i-know-what-i-am-doing {dev}")
        after = hpa((await unit.run(f"hdparm -N {dev}"))[1])
        if status == 0 and after and after[0] >= after[1]:
            rec.hidden_area["removed"] = True
            return after[0] * 512
    return visible * 512


async def erase_disk(unit: Unit, disk: Disk, p: dict[str, Any]) -> Record:
    dev = f"/dev/{disk.name}"
    rec = Record(dev, disk.model, disk.serial, disk.size)
    status, out = await unit.run(f"blockdev --getsize64 {dev}")
    if status != 0 or not out.strip().isdigit():
        return rec.done("FAIL", f"{dev} cannot be opened: {out.strip()[:160]}")
    size = int(out.strip())
    why: str | None = None
    if disk.name.startswith("nvme"):
        why = await erase_nvme(unit, disk, rec)
    elif disk.tran in ("sas", "fc", "iscsi") or disk.tran == "" and not disk.name.startswith("sd"):
        why = await erase_scsi(unit, disk, rec)
    else:
        visible = await remove_hpa(unit, dev, rec, bool(p.get("remove_hpa", True)))
        size = visible if visible is not None else size
        if rec.hidden_area.get("hpa"):
            # The drive's own erase and the read-back now cover the whole disk (or the HPA stays reported).
            rec.capacity_bytes = size
        why = await erase_ata(unit, disk, rec, p)
        if why == "frozen":
            return rec.done("NOT_ERASED", f"{dev} is frozen: {FROZEN_TODO}")
        if why is None and disk.tran in ("sas",):
            why = await erase_scsi(unit, disk, rec)
    if why is None:
        why = await overwrite(unit, disk, size, rec, float(p.get("overwrite_mib_s", 50)))
    if why:
        return rec.done("FAIL", f"{dev} failed during erasure: {why}; the disk is for destruction")
    mode = "full" if str(p.get("verify", "sample")) == "full" else "sample"
    count, length = int(p.get("samples", 64)), int(p.get("sample_bytes", MIB))
    timeout = size / (float(p.get("overwrite_mib_s", 50)) * MIB) + 600
    rec.verification = await verify_zeros(unit, dev, size, mode, count, length, timeout)
    if rec.verification["result"] != "PASS" and "CRYPTO" in rec.method.upper():
        # A crypto erase may leave unreadable ciphertext rather than zeros: overwrite so the read-back proves it.
        first = rec.method
        why = await overwrite(unit, disk, size, rec, float(p.get("overwrite_mib_s", 50)))
        rec.method, rec.nist_category = f"{first}, then one pass of zeros for verification", "Purge"
        if why:
            return rec.done("FAIL", f"{dev} failed during erasure: {why}; the disk is for destruction")
        rec.verification = await verify_zeros(unit, dev, size, mode, count, length, timeout)
    if rec.verification["result"] != "PASS":
        return rec.done("FAIL", f"{dev} verification failed after {rec.method}: {rec.verification['detail']}; "
                        "the disk is for destruction")
    if rec.hidden_area.get("hpa") and not rec.hidden_area.get("removed"):
        return rec.done("NOT_ERASED", f"{dev}: a Host Protected Area hides {rec.hidden_area['hidden_bytes']} bytes "
                        "that could not be removed (hdparm -N); they are not verified")
    return rec.done("PASS", f"{dev}: {rec.method} ({rec.nist_category}), verified ({mode})")


def bench_host(never: str) -> str:
    return ("this unit is the bench host itself (local: true, or the same machine-id over SSH): the bench "
            f"never {never} of the machine it runs on")


async def _is_the_bench_host(ctx: TestContext) -> bool:
    """The unit answers with this machine's own /etc/machine-id: a slot pointed at the bench host by mistake."""
    try:
        here = Path("/etc/machine-id").read_text().strip()
    except OSError:
        return False
    if not here:
        return False
    assert ctx.cli is not None
    there = await ctx.cli.send("cat /etc/machine-id", timeout=30)
    return here in there.split()


async def on_the_unit(ctx: TestContext, name: str, never: str,
                      body: Callable[[Unit, str], Awaitable[TestResult]]) -> TestResult:
    """The opening and the ending the destructive server checks share: never the bench host itself (`never`
    says what the check would do to it), a shell as root or through sudo, a lost session ERROR, never PASS."""
    started = now()
    if ctx.cli is None:
        return not_run(name, started, "no shell channel (SSH or local) to this unit")
    if getattr(ctx.cli, "kind", "") == "local":
        return not_run(name, started, bench_host(never))
    try:
        if await _is_the_bench_host(ctx):
            return not_run(name, started, bench_host(never))
        uid = (await ctx.cli.send("id -u", timeout=30)).strip()
        return await body(Unit(ctx, sudo=uid != "0"), started)
    except ChannelMissing as exc:
        return not_run(name, started, str(exc))
    except Exception as exc:  # noqa: BLE001 - a lost session mid-way is ERROR, never PASS
        return result(name, Outcome.ERROR, f"{type(exc).__name__}: {exc}"[:300], started)


async def run(ctx: TestContext) -> TestResult:
    return await on_the_unit(ctx, NAME, "erases the disks", lambda unit, started: _erase_all(ctx, unit, started))


async def _erase_all(ctx: TestContext, unit: Unit, started: str) -> TestResult:
    _s, listing = await unit.run("lsblk -J -b -o NAME,SIZE,TYPE,MODEL,SERIAL,TRAN,ROTA,MOUNTPOINTS")
    _s, proc_mounts = await unit.run("cat /proc/mounts")
    _s, pci = await unit.run("lspci")
    disks, excluded = parse_lsblk(listing)
    busy = mounted_sources(proc_mounts)
    for d in [d for d in disks if d.name in busy]:
        disks.remove(d)
        excluded.append({"device": f"/dev/{d.name}", "reason": "holds a mounted filesystem (/proc/mounts): "
                         "the live image's own or in use; never erased while the bench runs from it"})
    raid = [d for d in disks if RAID_MODEL.search(d.model)]
    ctrl = "; ".join(m.group(1) for m in RAID_PCI.finditer(pci))[:120]
    records: list[Record] = []
    for d in raid:
        disks.remove(d)
        records.append(Record(f"/dev/{d.name}", d.model, d.serial, d.size).done(
            "NOT_ERASED", f"/dev/{d.name} ({d.model}) is a RAID logical volume: "
            + RAID_TODO.format(ctrl=ctrl or "controller in RAID mode")))
    if not disks and not records:
        return not_run(NAME, started, "no disk to erase (lsblk lists none besides excluded ones)",
                       excluded=excluded)
    for d in disks:
        records.append(await erase_disk(unit, d, ctx.params))
    evidence: dict[str, Any] = {
        "records": [vars(r) for r in records], "excluded": excluded, "standard": "NIST SP 800-88 Rev. 1",
        "verified": all(r.result == "PASS" for r in records), "raid_controller": ctrl,
    }
    failed = [r for r in records if r.result == "FAIL"]
    left = [r for r in records if r.result == "NOT_ERASED"]
    if failed:
        return result(NAME, Outcome.FAIL, "; ".join(f"{r.model} serial {r.serial}: {r.reason}" for r in failed)[:600],
                      started, **evidence)
    if left:
        return result(NAME, Outcome.WARN, "not sanitized: " + "; ".join(r.reason for r in left)[:600], started,
                      **evidence)
    cats = sorted({r.nist_category for r in records})
    return result(NAME, Outcome.PASS, f"{len(records)} disks erased and verified ({'/'.join(cats)}): "
                  + ", ".join(r.device for r in records), started, **evidence)
