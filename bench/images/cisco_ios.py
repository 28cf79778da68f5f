"""The image step on Cisco IOS and IOS-XE (Catalyst switches and stacks, ISR routers).

In order, each step's command and answer kept as evidence:
1. `show version`: the release the unit runs, its running image and its stack members. On the target
   already: done, nothing copied.
2. `show boot`: the boot variable as found, to put back should anything fail.
3. per member file system (`flash:`, or `flash1:` .. `flashN:` on a stack): `dir`, and when the image does
   not fit, `delete /force` of files the bench can name as old images (an image file name that is neither
   the running image, nor the boot variable's, nor the target); nothing else is ever deleted. Still no room:
   FAIL, flash full.
4. `copy http://BENCH/FILE FS:FILE`: the unit pulls the file from the bench's image server.
5. `verify /md5` (and `/sha512` where the unit has it) on every member, compared with the digests the bench
   computed from the library's file (which matched the vendor's). A mismatch: FAIL naming both digests;
   the bad copy is deleted and the boot variable was never touched.
6. `boot system [switch all] FS:FILE` (+ `write memory` when `show boot` does not show it yet), `reload`,
   then `show version` until the unit answers again (backing off, up to the platform's reboot timeout).
   PASS only when every member runs the target release; otherwise FAIL, and the boot variable as found is
   put back when the unit can still be reached.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import time
from dataclasses import dataclass, field
from typing import Any

from bench.drivers.parsing import sanitize
from bench.images.library import ImageEntry
from bench.platforms.cisco_ios.collector import DATA
from bench.platforms.cli import send_classified
from bench.tests_hw.base import TestContext

_PROMPT = r"(?:^|\n)[\w.\-/:()]{1,64}#\s*$"
_CONFIG_PROMPT = r"\(config[\w\-]*\)#\s*$"
_VERSION = re.compile(r"(?m)^.*Software.*?,\s*Version\s+([^\s,]+)")
_IMAGE = re.compile(r'System image file is "([^"]+)"')
_MEMBER_ROW = re.compile(r"(?m)^\*?\s+(\d+)\s+\d+\s+\S+\s+(\S+)\s+\S+")
_FREE = re.compile(r"\((\d+) bytes free\)")
_DIR_ROW = re.compile(r"(?m)^\s*\d+\s+([-d][-rwx]{3})\s+(\d+)\s+.*?\s(\S+)\s*$")
_BOOT = re.compile(r"(?m)^\s*BOOT (?:path-list\s*:|variable\s*=)\s*([^;\s]*)")
_DIGEST = re.compile(r"=\s*([0-9a-fA-F]{32,128})\s*$", re.MULTILINE)
_NO_ROUTE = re.compile(r"Connection refused|[Tt]imed out|No route|unreachable")
_CONNECTED = re.compile(r"(?m)^(\S+)\s.*?\bconnected\b")
SETTLE_S = 180.0  # a switch's links after a boot: STP listening and learning take 30 s, PoE and optics more
# What an image file is called, Cisco-wide: c2960x-universalk9-mz.152-7.E4.bin, cat9k_iosxe.17.09.05.SPA.bin,
# isr4300-universalk9.16.09.04.SPA.bin, c3750e-universalk9-tar.150-2.SE11.tar. Nothing else is an old image.
_IMAGE_NAME = re.compile(r"^[a-z0-9_]+[-_.][a-z0-9_.\-]*\d[a-z0-9_.\-]*\.(?:bin|tar|pkg)$", re.IGNORECASE)


@dataclass
class Install:
    """What the procedure did and found; the check turns it into the result."""

    version_before: str = ""
    version_after: str = ""
    copied: bool = False
    failure: str = ""  # the unit's problem (FAIL): hash mismatch, flash full, not back, wrong release
    lost: str = ""  # the bench's problem (ERROR): a session lost before anything was decided
    steps: list[dict[str, str]] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    digests: dict[str, dict[str, str]] = field(default_factory=dict)  # file system -> algorithm -> unit's digest
    boot_before: str = ""
    boot_restored: bool | None = None
    members: list[str] = field(default_factory=list)
    links_before: list[str] = field(default_factory=list)  # interfaces connected before the reload
    links_missing: list[str] = field(default_factory=list)  # ... not connected again when the step ended
    console_copies: list[dict[str, Any]] = field(default_factory=list)  # per file system sent by XMODEM
    console_copy_reason: str = ""  # why the image went over the console
    padded: list[str] = field(default_factory=list)  # files that match only with XMODEM's padding kept


class _Unit:
    """The unit's CLI for this procedure: every command and answer recorded."""

    def __init__(self, ctx: TestContext, report: Install) -> None:
        self.ctx, self.report = ctx, report

    def _step(self, command: str, output: str) -> None:
        self.report.steps.append({"command": command, "output": sanitize(output)[-2000:]})

    async def show(self, command: str, timeout: float = 60.0) -> str | None:
        shown = await send_classified(self.ctx.cli, DATA, command, timeout)
        self._step(command, shown.text or shown.error or shown.rejected)
        if shown.error:
            self.report.lost = self.report.lost or shown.error
            return None
        return None if shown.rejected else shown.text

    async def dialog(self, steps: list[tuple[str, str]], timeout: float = 60.0) -> str | None:
        """Lines with the pattern each waits for; the last answer, or None when one failed."""
        send_expect = getattr(self.ctx.cli, "send_expect", None)
        if send_expect is None:
            self.report.lost = "the CLI channel cannot answer the unit's questions (needs send_expect)"
            return None
        out = ""
        for text, expect in steps:
            try:
                out = await send_expect(text, expect, timeout=timeout)
            except Exception as exc:
                self._step(text or "<Enter>", f"({type(exc).__name__}: {exc})")
                self.report.lost = self.report.lost or f"{text or '<Enter>'!r}: {type(exc).__name__}: {exc}"[:300]
                return None
            out = sanitize(out)  # the unit's words reach summaries and terminals: never raw
            self._step(text or "<Enter>", out)
            refusal = DATA.refusal(out)
            if refusal:
                self.report.failure = f"{text!r} refused by the unit: {refusal}"
                return None
        return out


def same_release(a: str, b: str) -> bool:
    """17.09.05 and 17.9.5 are one release (IOS-XE prints both in one `show version`); 15.2(7)E10 is exact."""
    def key(v: str) -> list[str]:
        return [str(int(t)) if t.isdigit() else t.upper() for t in re.split(r"[.()]", v.strip()) if t]
    return bool(a) and key(a) == key(b)


def _members(version_text: str) -> list[tuple[int, str]]:
    """(member number, release) per row of the switch table; [] on a router or a single unit without one."""
    return [(int(n), v) for n, v in _MEMBER_ROW.findall(version_text)]


def _file_systems(members: list[tuple[int, str]]) -> list[str]:
    return [f"flash{n}:" for n, _ in members] if len(members) > 1 else ["flash:"]


def _dir_files(text: str) -> dict[str, int]:
    return {name: int(size) for perm, size, name in _DIR_ROW.findall(text) if not perm.startswith("d")}


def _base(path: str) -> str:
    return path.rsplit(":", 1)[-1].strip("/").rsplit("/", 1)[-1]


async def install(ctx: TestContext, entry: ImageEntry, url: str, verify_present: bool = False) -> Install:
    """`verify_present`: on the target already, verify the image file by its hash all the same (a unit whose
    image was just put back from ROMMON)."""
    report = Install()
    unit = _Unit(ctx, report)
    version = await unit.show("show version")
    if version is None:
        report.lost = report.lost or "'show version' refused"
        return report
    m = _VERSION.search(version)
    report.version_before = m.group(1) if m else ""
    members = _members(version)
    report.members = [f"{n}: {v}" for n, v in members]
    on_target = same_release(report.version_before, entry.version) and all(
        same_release(v, entry.version) for _, v in members)
    if on_target:
        report.version_after = report.version_before
        if verify_present:
            for fs in _file_systems(members):
                if not await _verify(unit, fs, entry, over_xmodem=True):
                    break
        return report
    image = _IMAGE.search(version)
    running = _base(image.group(1)) if image else ""
    boot = _BOOT.search(await unit.show("show boot") or "")
    report.boot_before = boot.group(1) if boot else ""
    systems = _file_systems(members)
    keep = {running, _base(report.boot_before), entry.name} - {""}

    for fs in systems:  # room first, on every member, before anything is copied
        if not await _make_room(unit, fs, entry, keep):
            return report
    for fs in systems:
        if not await _copy(unit, fs, entry, url):
            return report
    report.copied = True
    for fs in systems:
        if not await _verify(unit, fs, entry, over_xmodem=bool(report.console_copies)):
            for other in systems:  # the bad copy goes; the boot variable was never touched
                await unit.show(f"delete /force {other}{entry.name}")
            return report
    status = await unit.show("show interfaces status")  # a router has none: nothing to wait for
    report.links_before = _CONNECTED.findall(status or "")
    if not await _set_boot(unit, entry, len(systems) > 1):
        await _restore_boot(unit, report)
        return report
    await _reload_and_read(unit, entry, report)
    return report


async def _make_room(unit: _Unit, fs: str, entry: ImageEntry, keep: set[str]) -> bool:
    listing = await unit.show(f"dir {fs}")
    free = _FREE.search(listing or "")
    if listing is None or free is None:
        unit.report.lost = unit.report.lost or f"'dir {fs}' gave no free space"
        return False
    files = _dir_files(listing)
    room = int(free.group(1)) + files.get(entry.name, 0)
    old = sorted((f for f in files if f not in keep and _IMAGE_NAME.match(f)), key=lambda f: -files[f])
    for name in old:
        if room >= entry.size:
            break
        if await unit.show(f"delete /force {fs}{name}") is None:
            return False
        unit.report.deleted.append(f"{fs}{name}")
        room += files[name]
    if room < entry.size:
        others = ", ".join(sorted(set(files) - set(old))[:6])
        unit.report.failure = (f"flash full on {fs}: {entry.name} needs {entry.size} bytes, {room} free after deleting "
                               f"{len(unit.report.deleted)} old image(s); the other files ({others}) are not the "
                               "bench's to delete")
        return False
    return True


async def _copy(unit: _Unit, fs: str, entry: ImageEntry, url: str) -> bool:
    if url == "xmodem:":  # bench.images.rommon.CONSOLE
        return await _copy_console(unit, fs, entry)
    # Long enough for a slow unit's flash: 1 MB/s at the worst, never less than two minutes.
    timeout = max(120.0, entry.size / 1_000_000)
    out = await unit.dialog([(f"copy {url} {fs}{entry.name}", r"Destination filename \[[^\]]*\]\?\s*$"),
                             ("", rf"\[confirm\]\s*$|{_PROMPT}")], timeout=timeout)
    if out is not None and "[confirm]" in out:
        out = await unit.dialog([("", _PROMPT)], timeout=timeout)
    if out is None:
        return False
    if "%Error" in out or "[OK" not in out:
        line = next((ln.strip() for ln in out.splitlines() if "%Error" in ln), out.strip()[-160:])
        if _NO_ROUTE.search(line) and _console_line(unit.ctx) is not None:
            # No route from the unit to the bench's server: the image goes over the console instead.
            unit.report.console_copy_reason = f"the network copy could not connect ({line})"
            return await _copy_console(unit, fs, entry)
        unit.report.failure = f"copy to {fs} failed: {line}"
        return False
    return True


def _console_line(ctx: TestContext) -> Any | None:
    """The unit's console as a line a procedure can take over (bench.drivers.adapter.take_line), or None."""
    for channel in (ctx.cli, ctx.console):
        if getattr(channel, "kind", "") == "console" and getattr(channel, "line", None) is not None:
            return channel
    return None


async def _copy_console(unit: _Unit, fs: str, entry: ImageEntry) -> bool:
    from bench.images import rommon

    channel = _console_line(unit.ctx)
    if channel is None:
        unit.report.failure = "the image was to go over the console, and this slot has no console line"
        return False

    def work(line: Any) -> Any:
        return rommon.ios_copy_xmodem(line.url, line.settings, line.transcript, fs, entry)

    try:
        await channel.ensure_open()  # logged in and enabled: the line is then left at the enabled prompt
    except Exception as exc:  # noqa: BLE001 - any channel trouble is this copy's failure, said as it is
        unit.report.failure = f"the console could not be opened for the copy: {type(exc).__name__}: {exc}"[:300]
        return False

    done = await channel.take_line(work)
    unit.report.steps.extend(done.steps)
    unit.report.console_copies.append({"file_system": fs, "bytes": done.bytes, "seconds": round(done.seconds, 3),
                                       "baud": done.baud, "retransmits": done.retransmits})
    unit.ctx.cache.clear()
    if done.failure:
        unit.report.failure = done.failure
        return False
    return True


def _padded_digest(entry: ImageEntry, algo: str) -> str:
    """The digest of the library's file followed by XMODEM's SUB padding, as a receiver that keeps it stores it."""
    from bench.images.xmodem import SUB, padding

    h = hashlib.new(algo)
    with open(entry.file, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    h.update(bytes((SUB,)) * padding(entry.size))
    return h.hexdigest()


async def _verify(unit: _Unit, fs: str, entry: ImageEntry, over_xmodem: bool = False) -> bool:
    checked = 0
    for algo in ("md5", "sha512"):
        out = await unit.show(f"verify /{algo} {fs}{entry.name}", timeout=max(120.0, entry.size / 2_000_000))
        if out is None:
            if unit.report.lost:
                return False
            continue  # an older IOS without /sha512: md5 stands alone
        found = _DIGEST.search(out)
        if found is None:
            continue
        got, want = found.group(1).lower(), entry.computed[algo]
        unit.report.digests.setdefault(fs, {})[algo] = got
        if got != want and over_xmodem and got == _padded_digest(entry, algo):
            # A receiver that keeps the last block's SUB padding stores the file and up to 1023 bytes of it.
            unit.report.padded.append(f"{fs}{entry.name}")
            want = got
        if got != want:
            unit.report.failure = (f"hash mismatch on {fs}{entry.name}: the unit computed {algo} {got}, the library's "
                                   f"file has {want}; the copy is corrupt, the boot variable was left as it was")
            return False
        checked += 1
    if not checked:
        unit.report.failure = f"the unit printed no digest for {fs}{entry.name}: the copy cannot be verified"
        return False
    return True


async def _set_boot(unit: _Unit, entry: ImageEntry, stack: bool) -> bool:
    line = f"boot system switch all flash:{entry.name}" if stack else f"boot system flash:{entry.name}"
    steps = [("configure terminal", _CONFIG_PROMPT), ("no boot system", _CONFIG_PROMPT), (line, _CONFIG_PROMPT),
             ("end", _PROMPT)]
    if await unit.dialog(steps) is None:
        return False
    shown = await unit.show("show boot")
    if shown is not None and entry.name not in shown:
        # IOS-XE keeps `boot system` in the configuration: saved, it becomes the boot variable.
        await unit.dialog([("write memory", _PROMPT)])
        shown = await unit.show("show boot")
    if shown is None or entry.name not in shown:
        unit.report.failure = unit.report.failure or f"the boot variable does not name {entry.name} after `{line}`"
        return False
    return True


async def _restore_boot(unit: _Unit, report: Install) -> None:
    steps = [("configure terminal", _CONFIG_PROMPT), ("no boot system", _CONFIG_PROMPT)]
    if report.boot_before:
        steps.append((f"boot system {report.boot_before}", _CONFIG_PROMPT))
    report.boot_restored = await unit.dialog([*steps, ("end", _PROMPT)]) is not None


async def _reload_and_read(unit: _Unit, entry: ImageEntry, report: Install) -> None:
    ctx = unit.ctx
    confirmed = False
    try:
        send_expect: Any = ctx.cli.send_expect  # type: ignore[union-attr]
        out = await send_expect("reload", r"\[yes/no\]:?\s*$|\[confirm\]\s*$", timeout=60)
        unit._step("reload", out)
        if "yes/no" in out:  # the configuration is the unit's as found: never saved by the image step
            out = await send_expect("no", r"\[confirm\]\s*$", timeout=60)
            unit._step("no", out)
        confirmed = True
        out = await send_expect("", r"\n", timeout=30)
        unit._step("<Enter>", out)
    except Exception as exc:
        if not confirmed:
            report.lost = f"reload: {type(exc).__name__}: {exc}"[:300]
            return
        unit._step("<Enter>", f"(session closed: the unit is reloading: {type(exc).__name__})")
    ctx.cache.clear()  # everything read before the reload is stale
    close = getattr(ctx.cli, "close", None)
    if close is not None:
        try:
            await close()  # the next command reopens the session once the unit is back
        except Exception as exc:
            unit._step("(close)", f"{type(exc).__name__}: {exc}")
    timing = DATA.reboot_timing(ctx.params)
    deadline, pause = time.monotonic() + timing.timeout_s, 1.0
    back: str | None = None
    tries, last = 0, ""
    while time.monotonic() < deadline:
        tries += 1
        shown = await send_classified(ctx.cli, DATA, "show version", 60)
        if shown.ok and _VERSION.search(shown.text):
            back = shown.text
            break
        last = shown.problem  # refused or not answering while it boots: expected, tried again
        await asyncio.sleep(min(pause, max(0.0, deadline - time.monotonic())))
        pause = min(pause * 2, timing.poll_s)  # the unit is booting: back off, do not hammer it
    unit._step(f"show version (after the reload, try {tries})", back or last)
    if back is None:
        report.failure = (f"the unit did not come back within {timing.timeout_s:.0f} s of the reload onto "
                          f"{entry.name}")
        return
    found = _VERSION.search(back)
    report.version_after = found.group(1) if found else ""
    behind = [f"member {n} runs {v}" for n, v in _members(back) if not same_release(v, entry.version)]
    report.members = [f"{n}: {v}" for n, v in _members(back)]
    if not same_release(report.version_after, entry.version) or behind:
        why = "; ".join(behind) or f"it runs {report.version_after or 'an unknown release'}"
        report.failure = f"after the reload the unit is not on {entry.version}: {why}"
        await _restore_boot(unit, report)
        return
    await _settle(unit, report, float(ctx.params.get("settle_timeout", SETTLE_S)), timing.poll_s)


async def _settle(unit: _Unit, report: Install, timeout: float, longest_pause: float) -> None:
    """Hand the unit on as it was found: wait until the links that were up before the reload are up again,
    so the checks after this one (ports, burn-in) judge a settled unit, not one still booting. Links that do
    not come back are noted, not judged: the ports check judges them."""
    if not report.links_before:
        return
    deadline, pause = time.monotonic() + timeout, 1.0
    missing = list(report.links_before)
    while True:
        shown = await send_classified(unit.ctx.cli, DATA, "show interfaces status", 60)
        if shown.ok:
            up = set(_CONNECTED.findall(shown.text))
            missing = [p for p in report.links_before if p not in up]
        if not missing or time.monotonic() >= deadline:
            break
        await asyncio.sleep(min(pause, max(0.0, deadline - time.monotonic())))
        pause = min(pause * 2, longest_pause)
    unit._step("show interfaces status (after the reload)", shown.text or shown.problem)
    report.links_missing = missing
