"""A unit stuck in ROMMON gets the library's image back over its console, then boots it.

Two ways, as the boot loader allows:
- `tftpdnld` (ISR routers, whose ROMMON drives the management port): the ROMMON variables IP_ADDRESS,
  IP_SUBNET_MASK, DEFAULT_GATEWAY, TFTP_SERVER and TFTP_FILE, then `tftpdnld`; the unit pulls the file from the
  bench's own TFTP server (bench/images/tftp.py). A real ROMMON asks port 69 (`serve: ADDRESS:69`); on another
  port (simulated benches) the bench also sets TFTP_PORT, which only the simulator reads.
- XMODEM over the console itself (every loader; the only way on a Catalyst's `switch:`): `copy xmodem:
  flash:FILE` on a Catalyst, `xmodem -c -x -s<speed> FILE` on an ISR; CRC-16 XMODEM-1K (bench/images/xmodem.py)
  at the highest speed the loader allows: a Catalyst's `set BAUD`, an ISR's `-s` for the download alone; the
  bench's side of the line follows (pyserial's baudrate: a local UART or RFC 2217 to the console server), and
  both go back to the speed they had before the unit boots.
Then `boot flash:FILE` (a Catalyst also keeps it as its BOOT variable). Blocking: runs in the pool on the line
`LazyChannel.take_line` hands over; every command and answer is evidence.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any

from bench.drivers.console.expect import Expect, Transcript
from bench.drivers.console.transport import ConsoleError, LineSettings, open_line
from bench.images import xmodem
from bench.images.library import ImageEntry

SWITCH_PROMPT = re.compile(r"(?m)^switch:\s*$")
ROUTER_PROMPT = re.compile(r"rommon \d+ >\s*$")
CONSOLE = "xmodem:"  # the image step's source when the image goes over the console line
FASTEST = 115200  # what Catalyst and ISR boot loaders accept at most
_BOOTED = re.compile(r"Cisco IOS Software|Restricted Rights Legend")
_BOOT_FAILED = re.compile(r"Error loading \"[^\"]*\"|boot: cannot load \"[^\"]*\"")


@dataclass
class RommonRecovery:
    method: str = ""  # "tftpdnld" or "xmodem"
    loader: str = ""  # "switch" (Catalyst boot loader) or "rommon" (ISR)
    baud: int = 0  # the speed the image crossed the console at (xmodem)
    baud_before: int = 0
    bytes: int = 0
    seconds: float = 0.0
    retransmits: int = 0
    booted: bool = False
    failure: str = ""
    steps: list[dict[str, str]] = field(default_factory=list)

    def evidence(self) -> dict[str, Any]:
        out: dict[str, Any] = {"method": self.method, "loader": self.loader, "bytes": self.bytes,
                               "seconds": round(self.seconds, 3), "booted": self.booted}
        if self.method == "xmodem":
            out.update(baud=self.baud, baud_before=self.baud_before, retransmits=self.retransmits)
        return out


@dataclass(frozen=True)
class TftpPlan:
    """What tftpdnld needs: the unit's own address on the management network and the bench's TFTP server."""

    ip_address: str
    subnet_mask: str
    gateway: str
    server: str
    port: int = 69


class _Loader:
    def __init__(self, x: Expect, report: RommonRecovery, prompt: re.Pattern[str]) -> None:
        self.x, self.report, self.prompt = x, report, prompt

    def run(self, command: str, expect: re.Pattern[str] | None = None, timeout: float = 30.0) -> str:
        self.x.drain()
        self.x.write(command + "\r")
        m = self.x.expect([expect or self.prompt], timeout=timeout)
        if m is None:
            self.report.steps.append({"command": command, "output": f"(nothing within {timeout:g} s)"})
            raise ConsoleError(f"ROMMON: no answer to {command!r} within {timeout:g} s")
        self.report.steps.append({"command": command, "output": m.before[-2000:]})
        return m.before


def recover(url: str, settings: LineSettings, transcript: Transcript, entry: ImageEntry, *, method: str = "",
            tftp: TftpPlan | None = None, fastest: int = FASTEST, boot_timeout: float = 600.0) -> RommonRecovery:
    """Put `entry`'s file on the unit at the ROMMON prompt and boot it. `method`: "tftpdnld", "xmodem" or ""
    (tftpdnld when the loader has it and `tftp` says where, else xmodem)."""
    report = RommonRecovery()
    port = open_line(url, settings)
    x = Expect(port, transcript)
    try:
        x.write("\r")
        m = x.expect([SWITCH_PROMPT, ROUTER_PROMPT], timeout=20)
        if m is None:
            report.failure = "no ROMMON prompt on the console (switch: or rommon N >)"
            return report
        router = m.index == 1
        report.loader = "rommon" if router else "switch"
        loader = _Loader(x, report, ROUTER_PROMPT if router else SWITCH_PROMPT)
        report.method = method or ("tftpdnld" if router and tftp is not None else "xmodem")
        if report.method == "tftpdnld" and not router:
            report.failure = "this boot loader (switch:) has no tftpdnld; use xmodem"
            return report
        if report.method == "tftpdnld" and tftp is None:
            report.failure = "tftpdnld needs the unit's address on the management network (rommon_ip in the params)"
            return report
        t0 = time.monotonic()
        if report.method == "tftpdnld":
            assert tftp is not None
            ok = _tftpdnld(loader, entry, tftp)
        elif router:
            ok = _xmodem_router(loader, port, entry, fastest)
        else:
            ok = _xmodem_switch(loader, port, entry, fastest)
        report.seconds = time.monotonic() - t0
        if not ok:
            return report
        report.bytes = entry.size
        if not router:
            loader.run(f"set BOOT flash:{entry.name}")
        out = loader.run(f"boot flash:{entry.name}", re.compile(f"{_BOOTED.pattern}|{_BOOT_FAILED.pattern}"),
                         timeout=boot_timeout)
        failed = _BOOT_FAILED.search(out)
        if failed:
            report.failure = f"the unit does not boot the image put back from ROMMON: {failed.group(0)}"
            return report
        report.booted = True
        return report
    except (ConsoleError, xmodem.XmodemError) as exc:
        report.failure = report.failure or f"ROMMON recovery by {report.method or 'console'}: {exc}"
        return report
    finally:
        try:
            port.close()
        except Exception:  # noqa: BLE001 - the line is given back either way
            pass


def _tftpdnld(loader: _Loader, entry: ImageEntry, plan: TftpPlan) -> bool:
    variables = {"IP_ADDRESS": plan.ip_address, "IP_SUBNET_MASK": plan.subnet_mask,
                 "DEFAULT_GATEWAY": plan.gateway, "TFTP_SERVER": plan.server, "TFTP_FILE": entry.name}
    if plan.port != 69:
        variables["TFTP_PORT"] = str(plan.port)
    for name, value in variables.items():
        loader.run(f"{name}={value}")
    loader.run("tftpdnld", re.compile(r"y/n:?\s*\[n\]:\s*$"))
    # A few MB/s on a management port; never less than five minutes.
    out = loader.run("y", timeout=max(300.0, entry.size / 500_000))
    if "File reception completed" not in out:
        line = next((ln.strip() for ln in out.splitlines() if "fail" in ln.lower() or "error" in ln.lower()),
                    out.strip()[-160:])
        loader.report.failure = f"tftpdnld of {entry.name} from {plan.server} failed: {line}"
        return False
    return True


def _send(loader: _Loader, port: Any, entry: ImageEntry) -> bool:
    """The file over the line once the receiver is waiting; what Expect read past the match is its first 'C'."""
    with open(entry.file, "rb") as fh:
        data = fh.read()
    initial = loader.x.drain().encode("latin-1", "ignore")
    escape = type(port).__module__.endswith("protocol_socket")  # a telnet-mode TCP port takes 0xFF as IAC
    sent = xmodem.send(port, data, escape_iac=escape, initial=initial)
    loader.report.retransmits = sent.retransmits
    loader.x.transcript.add("tx", f"(xmodem: {sent.bytes_sent} bytes in {sent.blocks} blocks at "
                                  f"{loader.report.baud} baud, {sent.retransmits} resent)\n")
    return True


def _set_baud(loader: _Loader, port: Any, baud: int) -> None:
    """`set BAUD`: the loader answers at the new speed at once, so the bench's side follows before reading."""
    loader.x.drain()
    loader.x.write(f"set BAUD {baud}\r")
    port.baudrate = baud
    out = loader.run("")
    loader.report.steps[-1] = {"command": f"set BAUD {baud}", "output": out[-2000:]}


def _xmodem_switch(loader: _Loader, port: Any, entry: ImageEntry, fastest: int) -> bool:
    before = int(port.baudrate)
    loader.report.baud_before = loader.report.baud = before
    loader.run("flash_init", timeout=120)
    if fastest > before:
        _set_baud(loader, port, fastest)
        loader.report.baud = fastest
    try:
        loader.run(f"copy xmodem: flash:{entry.name}", re.compile(r"Begin the Xmodem[^\n]*transfer now\.\.\."))
        _send(loader, port, entry)
        m = loader.x.expect([loader.prompt], timeout=120)
        out = m.before if m is not None else ""
        loader.report.steps.append({"command": "(xmodem transfer)", "output": out[-2000:]})
        if "successfully copied" not in out:
            loader.report.failure = f"copy xmodem: flash:{entry.name} failed: {out.strip()[-160:]}"
            return False
        return True
    finally:
        if loader.report.baud != before:
            _set_baud(loader, port, before)


def _xmodem_router(loader: _Loader, port: Any, entry: ImageEntry, fastest: int) -> bool:
    before = int(port.baudrate)
    loader.report.baud_before = loader.report.baud = before
    speed = max(before, fastest)
    out = loader.run(f"xmodem -c -x -s{speed} {entry.name}", re.compile(r"Ready to receive file \S+ \.\.\."))
    if "Download will be performed at" in out:
        port.baudrate = speed
        loader.report.baud = speed
    try:
        _send(loader, port, entry)
        m = loader.x.expect([re.compile(r"Download Complete!|Download failed")], timeout=60)
        done = m is not None and "Complete" in m.match.group(0)
        if speed != before:
            back = loader.x.expect([re.compile(r"Returning console speed to \d+")], timeout=30)
            port.baudrate = before
            if back is None:
                raise ConsoleError("the loader did not say it returned to its console speed")
        loader.run("")
        if not done:
            loader.report.failure = f"xmodem of {entry.name} failed on the unit"
        return done
    finally:
        port.baudrate = before


# ---------------------------------------------------------------- IOS: the image over the console, no network
_ENABLED = re.compile(r"(?m)^[\w.\-/]{1,64}#\s*$")


@dataclass
class ConsoleCopy:
    bytes: int = 0
    seconds: float = 0.0
    retransmits: int = 0
    baud: int = 0
    failure: str = ""
    steps: list[dict[str, str]] = field(default_factory=list)


def ios_copy_xmodem(url: str, settings: LineSettings, transcript: Transcript, fs: str,
                    entry: ImageEntry, fastest: int = FASTEST) -> ConsoleCopy:
    """`copy xmodem: FS:FILE` at the enabled prompt of a booted unit, the file sent by XMODEM-1K; the unit's
    answer is kept. The console runs at `fastest` for the copy (`line con 0` / `speed`, not saved) and at its
    own speed again after it."""
    report = ConsoleCopy(baud=settings.baudrate)
    port = open_line(url, settings)
    x = Expect(port, transcript)
    holder = RommonRecovery()  # the _Loader's step list
    loader = _Loader(x, holder, _ENABLED)
    try:
        x.write("\r")
        if x.expect([_ENABLED], timeout=20) is None:
            report.failure = "no enabled prompt on the console for copy xmodem:"
            return report
        if fastest > settings.baudrate:
            _ios_speed(loader, port, fastest)
            report.baud = fastest
        loader.run(f"copy xmodem: {fs}{entry.name}", re.compile(r"Destination filename \[[^\]]*\]\?\s*$"))
        loader.run("", re.compile(r"\[confirm\]\s*$"))
        loader.run("", re.compile(r"Ready to receive file\.*"))
        t0 = time.monotonic()
        holder.baud = report.baud
        _send(loader, port, entry)
        report.retransmits = holder.retransmits
        m = x.expect([_ENABLED], timeout=120)
        out = m.before if m is not None else ""
        holder.steps.append({"command": "(xmodem transfer)", "output": out[-2000:]})
        report.seconds = time.monotonic() - t0
        if "[OK" not in out:
            line = next((ln.strip() for ln in out.splitlines() if "%Error" in ln), out.strip()[-160:])
            report.failure = f"copy xmodem: to {fs} failed: {line}"
            return report
        report.bytes = entry.size
        return report
    except (ConsoleError, xmodem.XmodemError) as exc:
        report.failure = f"copy over the console to {fs}: {exc}"
        return report
    finally:
        if report.baud != settings.baudrate:
            try:
                _ios_speed(loader, port, settings.baudrate)
            except ConsoleError as exc:
                report.failure = report.failure or f"the console speed could not be put back: {exc}"
        report.steps = holder.steps
        try:
            port.close()
        except Exception:  # noqa: BLE001 - the line is given back either way
            pass


_CONFIG = re.compile(r"\(config[\w\-]*\)#\s*$")


def _ios_speed(loader: _Loader, port: Any, baud: int) -> None:
    """`speed` on `line con 0`: IOS answers at the new speed at once, so the bench's side follows first."""
    loader.run("configure terminal", _CONFIG)
    loader.run("line con 0", _CONFIG)
    loader.x.drain()
    loader.x.write(f"speed {baud}\r")
    port.baudrate = baud
    out = loader.run("", _CONFIG)
    loader.report.steps[-1] = {"command": f"speed {baud}", "output": out[-2000:]}
    loader.run("end", _ENABLED)
