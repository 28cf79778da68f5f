"""What a device's console shows from power-on to a prompt: boot loader, POST, image load, ROMMON, setup.

The console line (simulators/console.py) owns the transport and the baud-rate pacing; this module owns
the behaviour. `BootController` is one per console line and drives `dev.boot_stage`:
off -> loader -> (rommon | recovery) -> booting -> (setup | up). SSH and SNMP serve only when the
stage is "up" (`is_up`).

Families plug in their own boot text with an optional device method `boot_script() -> BootScript`;
without it a short generic boot is shown. ROMMON, the password-recovery prompt and the setup dialog
are Cisco behaviour and only offered to the Cisco families.

BREAK: a real console server turns a line break into a BREAK the boot loader sees. On the TCP line
a telnet IAC BRK or an RFC 2217 SET-CONTROL break-on is a BREAK. On the pty it cannot be: the Linux
pty driver has no line to hold low, so tcsendbreak() on a pty is silently dropped (verified on this
kernel), and ser2net forwarding an RFC 2217 break ends in exactly that call. A UART receiving a line
break reads it as a NUL byte with a framing error, and a client that lowers its baud rate and sends
NUL produces the same on a real line; so a NUL byte received during the break window counts as a
BREAK here. Outside the window a NUL is ignored, as IOS does.
"""

from __future__ import annotations

import asyncio
import copy
import random
import time
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from simulators.faults import FaultSpec
from simulators.line import Reply, crlf

Step = str | float  # text to print, or a pause in (unscaled) seconds
_CISCO = ("cisco_ios_switch", "cisco_iosxe_switch", "cisco_ios_router")
_EPOCH_1993 = 730_944_000
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass
class BootScript:
    """`loader` runs inside the BREAK window; `kernel` after it (image load to the banner)."""

    loader: list[Step] = field(default_factory=list)
    kernel: list[Step] = field(default_factory=list)


class BootTarget(Protocol):
    """What the boot player reads and drives on every device; simulators/device_base.py declares all of it."""

    family: str
    model: str
    serial: str
    generation: int  # bumped on reload/power-off; sessions of an older generation are cut
    faults: list[FaultSpec]
    first_contact: float | None
    boot_stage: str  # off | loader | rommon | recovery | booting | setup | up (driven by BootController)
    boot_generation: int | None  # the generation the console line last booted; None: never driven
    logs: list[Any]  # entries with `.text` (and `.at`, uptime s) the console prints as they come; [] prints none

    def uptime(self) -> float: ...

    def boot_script(self) -> BootScript | None: ...

    def open_session(self, console: bool) -> Any: ...


@runtime_checkable
class Reloads(Protocol):
    """A device whose RAM state (running config, logs, uptime) resets when the line powers it on."""

    def reload(self, reason: str) -> None: ...


class CiscoBootTarget(BootTarget, Protocol):
    """What the Cisco boot loader, ROMMON and setup dialog read on top (simulators/families/cisco_ios/device.py)."""

    spec: Any  # ModelSpec: pid, image_file, rommon
    base_mac: str
    reload_reason: str
    running: Any  # Config
    startup: Any  # Config | None
    flash: dict[str, Any]  # name -> FlashFile
    post_failures: set[str]
    config_register: str
    next_config_register: str | None
    ports: list[Any]

    def clock(self) -> float: ...

    def log(self, text: str) -> None: ...


def is_up(dev: BootTarget) -> bool:
    """True when the device's OS is up and serving SSH/SNMP (devices without a stage are up). A device
    reloaded from its CLI is down from that moment, before its console line has started the boot: a real
    unit never answers a new login between `reload` and its boot."""
    if dev.boot_stage != "up":
        return False
    return dev.boot_generation in (None, dev.generation)


def has_fault(dev: BootTarget, name: str) -> bool:
    for f in dev.faults:
        if f.name != name:
            continue
        if f.offset is None:
            return True
        first = dev.first_contact
        if first is not None and time.monotonic() - first >= f.offset:
            return True
    return False


def is_cisco(dev: BootTarget) -> bool:
    return dev.family in _CISCO


def is_router(dev: BootTarget) -> bool:
    return dev.family == "cisco_ios_router"


def recovery_enabled(dev: CiscoBootTarget) -> bool:
    return bool(dev.running.password_recovery and (dev.startup is None or dev.startup.password_recovery))


def log_stamp(dev: BootTarget, at: float | None = None) -> str:
    """IOS `service timestamps log datetime msec` stamp of the device clock (never set: 1993).

    Any family's log can reach the console; a family without a device clock gets a stand-in 1993 one."""
    clock = getattr(dev, "clock", None)
    epoch = clock() if callable(clock) else _EPOCH_1993 + time.monotonic() % 86_400
    if at is not None:
        epoch += at - dev.uptime()
    t = time.gmtime(epoch)
    ms = int((epoch % 1) * 1000)
    return f"*{_MONTHS[t.tm_mon - 1]} {t.tm_mday:>2} {t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d}.{ms:03d}"


# ---------------------------------------------------------------- boot scripts
def _image(dev: CiscoBootTarget) -> str:
    return str(dev.spec.image_file)


def _image_present(dev: CiscoBootTarget, recovered: str = "") -> bool:
    """The image the unit boots is in flash. Under `stuck_rommon` the flash lost the image the unit shipped
    with (the moment the fault is on); an image put back from ROMMON (`recovered`) boots."""
    if has_fault(dev, "stuck_rommon") and _image(dev) != recovered:
        dev.flash.pop(_image(dev), None)
        return False
    return _image(dev) in dev.flash


def _rom() -> Any:
    """The Catalyst/ISR boot loader's downloads (tftpdnld, XMODEM), with the family's image model."""
    from simulators.families.cisco_ios import images

    return images


def ios_script(dev: CiscoBootTarget, *, flash_ready: bool = False) -> BootScript:
    """Catalyst (C2960X/C3750E boot loader) or ISR router (System Bootstrap) power-on boot."""
    s = dev.spec
    image = _image(dev)
    if is_router(dev):
        rom = s.rommon or "15.0(1r)M16"
        loader: list[Step] = [
            "\n", f"System Bootstrap, Version {rom}, RELEASE SOFTWARE\n",
            "Copyright (c) 1994-2018 by cisco Systems, Inc.\n\n", 0.6,
            "Current image running: Boot ROM1\n\nLast reset cause: LocalSoft\n",
            f"{s.pid} platform with 8388608 Kbytes of main memory\n\n", 1.5,
        ]
        kernel: list[Step] = [f"boot: attempting to boot from [bootflash:{image}]\n",
                              f"boot: reading file {image}\n"]
        kernel += ["#" * 10, 0.25] * 6 + [" [OK]\n\n"]
    else:
        loader = [
            "\n", "Using driver version 3 for media type 1\n",
            f"Base ethernet MAC Address: {dev.base_mac.lower()}\n",
            "Xmodem file system is available.\n",
            f"The password-recovery mechanism is {'enabled' if recovery_enabled(dev) else 'disabled'}.\n", 0.5,
        ]
        if not flash_ready:
            files = len(dev.flash)
            loader += ["Initializing Flash...\n", 1.2, f"flashfs[0]: {files} files, 1 directories\n",
                       "flashfs[0]: 0 orphaned files, 0 orphaned directories\n",
                       "flashfs[0]: Total bytes: 122185728\n", 1.0,
                       "flashfs[0]: flashfs fsck took 10 seconds.\n", "...done Initializing Flash.\n"]
        loader += ["done.\n", f'Loading "flash:/{image}"...', 0.4]
        kernel = [*(["@" * 16, 0.2] * 8), "\n\n",
                  f'File "flash:/{image}" uncompressed and installed, entry point: 0x3000\n', "executing...\n\n",
                  0.8]
    kernel += [
        "              Restricted Rights Legend\n\n",
        "Use, duplication, or disclosure by the Government is\nsubject to restrictions as set forth in subparagraph\n"
        "(c) of the Commercial Computer Software - Restricted\nRights clause at FAR sec. 52.227-19 and subparagraph\n"
        "(c) (1) (ii) of the Rights in Technical Data and Computer\nSoftware clause at DFARS sec. 252.227-7013.\n\n",
        "           cisco Systems, Inc.\n           170 West Tasman Drive\n"
        "           San Jose, California 95134-1706\n\n\n\n",
        f"Cisco IOS Software, {s.platform} Software ({s.software_image}), Version {s.version}, "
        "RELEASE SOFTWARE (fc2)\n",
        "Technical Support: http://www.cisco.com/techsupport\n",
        f"Copyright (c) 1986-20{s.compiled[11:13]} by Cisco Systems, Inc.\n",
        f"Compiled {s.compiled}\n", "Image text-base: 0x00003000, data-base: 0x02800000\n\n", 0.6,
    ]
    if not is_router(dev):
        kernel += _post_lines(dev) + ["Waiting for Port download...Complete\n\n", 0.4]
    kernel += [
        "This product contains cryptographic features and is subject to United\n"
        "States and local country laws governing import, export, transfer and\n"
        "use. Delivery of Cisco cryptographic products does not imply\n"
        "third-party authority to import, export, distribute or use encryption.\n\n",
        f"cisco {s.pid} {s.memory}.\n", f"Processor board ID {dev.serial}\n",
        f"Last reset from {'power-on' if dev.reload_reason == 'power-on' else 'warm-reset'}\n",
        f"The password-recovery mechanism is {'enabled' if recovery_enabled(dev) else 'disabled'}.\n\n",
        "512K bytes of flash-simulated non-volatile configuration memory.\n",
        f"Base ethernet MAC Address       : {dev.base_mac}\n", f"Model number                    : {s.pid}\n",
        f"System serial number            : {dev.serial}\n\n", 0.5,
    ]
    return BootScript(loader, kernel)


def _post_lines(dev: CiscoBootTarget) -> list[Step]:
    tests = ("MA BIST", "TCAM BIST", "Thermal, Fan Tests", "PortASIC Stack Port Loopback Tests",
             "PortASIC Port Loopback Tests", "EMAC Loopback Tests")
    failed = dev.post_failures
    out: list[Step] = []
    for t in tests:
        out += [f"POST: {t} : Begin\n", 0.15, f"POST: {t} : End, Status {'Failed' if t in failed else 'Passed'}\n\n"]
    return out


def generic_script(dev: BootTarget) -> BootScript:
    return BootScript(["\nBooting...\n", 1.0], [f"Starting {dev.model}...\n", 1.5, "\n"])


def script_for(dev: Any, *, flash_ready: bool = False) -> BootScript:
    own = dev.boot_script()
    if own is not None:
        return own  # type: ignore[no-any-return]
    if is_cisco(dev):
        return ios_script(dev, flash_ready=flash_ready)
    return generic_script(dev)


_SETUP = ("\n\n         --- System Configuration Dialog ---\n\n"
          "Would you like to enter the initial configuration dialog? [yes/no]: ")
_SETUP_BASIC = ("\nAt any point you may enter a question mark '?' for help.\n"
                "Use ctrl-c to abort configuration dialog at any prompt.\n"
                "Default settings are in square brackets '[]'.\n\n"
                "Basic management setup configures only enough connectivity\n"
                "for management of the system, extended setup will ask you\n"
                "to configure each interface on the system\n\n"
                "Would you like to enter basic management setup? [yes/no]: ")
_SWITCH_INTERRUPTED = ("\nThe system has been interrupted prior to initializing the\n"
                       "flash filesystem.  The following commands will initialize\n"
                       "the flash filesystem, and finish loading the operating\n"
                       "system software:\n\n    flash_init\n    boot\n\n")
_SWITCH_NO_RECOVERY = ("\nThe password-recovery mechanism has been triggered, but\n"
                       "is currently disabled.  Access to the boot loader prompt\n"
                       "through the password-recovery mechanism is disallowed at\n"
                       "this point.  However, if you agree to let the system be\n"
                       "reset back to the default system configuration, access\n"
                       "to the boot loader prompt can still be allowed.\n\n"
                       "Would you like to reset the system back to the default configuration (y/n)?")
_ROUTER_NO_RECOVERY = ("\nPASSWORD RECOVERY FUNCTIONALITY IS DISABLED\n"
                       "Do you want to reset the router to the factory default\n"
                       "configuration and proceed [y/n] ? ")
_NOISE = ("%LINEPROTO-5-UPDOWN: Line protocol on Interface {port}, changed state to {state}",
          "%LINK-3-UPDOWN: Interface {port}, changed state to {state}",
          "%SYS-5-CONFIG_I: Configured from console by vty0 (10.20.0.{n})",
          "%ILPOWER-5-POWER_GRANTED: Interface {port}: Power granted",
          "%CDP-4-NATIVE_VLAN_MISMATCH: Native VLAN mismatch discovered on {port} (1), with SW-{n} Gi0/1 (10).",
          "%SW_MATM-4-MACFLAP_NOTIF: Host 0011.22{n:02x}.3344 in vlan 1 is flapping between port {port} and Gi1/0/1")


class BootController:
    """The console's view of one device: power, boot, ROMMON, setup dialog, then the family's CLI session.

    `send(text)` queues text on the line and returns an awaitable done when it has gone out at the
    line's baud; `time_scale` multiplies the pauses of the boot (1.0 = the real-ish compressed boot).
    """

    def __init__(self, dev: Any, send: Callable[[str], Awaitable[None]], time_scale: float = 1.0,
                 set_baud: Callable[[int], None] | None = None, baud: int = 9600) -> None:
        self.dev = dev
        self.send = send
        self.time_scale = time_scale
        self.baud = baud  # the loader's BAUD: the line's speed (set_baud changes the line's pacing)
        self.set_line_baud = set_baud or (lambda _baud: None)
        self.rommon_vars: dict[str, str] = {}  # a router's ROMMON variables (IP_ADDRESS=..., TFTP_SERVER=...)
        self.recovered = ""  # the image put on flash from ROMMON and booted
        self.inbox: asyncio.Queue[bytes] | None = None  # the line's bytes while an XMODEM receive runs
        self.busy = False  # a ROMMON command still running (a download): no prompt, typing ignored
        self.session: Any = None
        self.rommon_count = 1
        self._flash_ready = False
        self._ask: Callable[[str], None] | None = None
        self._buf = ""
        self._task: asyncio.Task[None] | None = None
        self._break = asyncio.Event()
        self._listeners: list[Callable[[bool], None]] = []
        self._generation = dev.generation
        self._last_log: Any = None
        self._noise_rng = random.Random(f"{dev.serial}:noise")
        self._next_noise = 0.0
        if is_cisco(dev) and has_fault(dev, "setup_dialog"):
            self._erase_config()
        self._mark_logs_seen()
        if is_cisco(dev) and has_fault(dev, "stuck_rommon"):
            dev.flash.pop(_image(dev), None)
            self._set_stage("rommon")
        elif is_cisco(dev) and dev.startup is None:
            self._set_stage("setup")
            self._ask = self._setup_answer
        else:
            self._new_session()
            self._set_stage("up")

    # ---------- stage and listeners
    @property
    def _generation(self) -> int:
        return int(self.dev.boot_generation)

    @_generation.setter
    def _generation(self, value: int) -> None:
        # Kept on the device: is_up() compares it with the device's own generation (see there).
        self.dev.boot_generation = value

    @property
    def stage(self) -> str:
        return str(self.dev.boot_stage)

    def on_up_change(self, fn: Callable[[bool], None]) -> None:
        self._listeners.append(fn)

    def _set_stage(self, stage: str) -> None:
        was = is_up(self.dev)
        self.dev.boot_stage = stage
        if is_up(self.dev) != was:
            for fn in self._listeners:
                fn(is_up(self.dev))

    def _new_session(self) -> None:
        self.session = self.dev.open_session(console=True)
        self.session.line_boots = True  # the line shows reload output itself (ios_cli honours this)
        self.session.console_line = self  # `copy xmodem:` receives on this line (cisco_ios/images.py)
        self._generation = self.dev.generation

    def banner(self) -> str:
        st = self.stage
        if st == "up" and self.session is not None:
            return str(self.session.banner())
        if st == "rommon":
            return "\r\n" + self.prompt
        if st == "setup":
            return crlf("\nWould you like to enter the initial configuration dialog? [yes/no]: ")
        return ""

    @property
    def prompt(self) -> str:
        return f"rommon {self.rommon_count} > " if is_router(self.dev) else "switch: "

    def _write(self, text: str) -> None:
        if text:
            asyncio.ensure_future(self.send(crlf(text)))

    # ---------- power
    def power_off(self) -> None:
        self._cancel()
        self.session = None
        self._ask = None
        self.inbox, self.busy = None, False
        self.dev.generation += 1  # SSH sessions of the powered-off device are cut
        self._generation = self.dev.generation
        self._set_stage("off")

    def power_on(self) -> None:
        if self.stage != "off":
            return
        self._start_boot(cold=True)

    def _start_boot(self, cold: bool, reason: str = "power-on") -> None:
        self._cancel()
        if cold and isinstance(self.dev, Reloads):
            self.dev.reload(reason)
        self.session = None
        self._ask = None
        self._flash_ready = False
        self.inbox, self.busy = None, False
        self.set_line_baud(self.baud)  # a boot starts at the loader's BAUD, whatever IOS's `speed` was
        self._break.clear()
        self._generation = self.dev.generation
        self._set_stage("loader")
        self._task = asyncio.get_running_loop().create_task(self._boot())

    def _cancel(self) -> None:
        if self._task is not None and not self._task.done() and self._task is not asyncio.current_task():
            self._task.cancel()
        self._task = None

    def stop(self) -> None:
        self._cancel()

    # ---------- the boot itself
    async def _play(self, steps: list[Step], interruptible: bool) -> bool:
        """Emit steps paced by the line; True if a BREAK arrived (only looked at when interruptible)."""
        for step in steps:
            if interruptible and self._break.is_set():
                return True
            if isinstance(step, str):
                await self.send(crlf(step))
            elif interruptible:
                try:
                    await asyncio.wait_for(self._break.wait(), step * self.time_scale)
                    return True
                except TimeoutError:
                    pass
            else:
                await asyncio.sleep(step * self.time_scale)
        return interruptible and self._break.is_set()

    async def _boot(self, from_loader: bool = True) -> None:
        dev = self.dev
        script = script_for(dev, flash_ready=self._flash_ready)
        if from_loader:
            self._set_stage("loader")
            broke = await self._play(script.loader, interruptible=is_cisco(dev))
            if broke:
                if not recovery_enabled(dev):
                    self._set_stage("recovery")
                    self._ask = self._recovery_answer
                    await self.send(crlf(_ROUTER_NO_RECOVERY if is_router(dev) else _SWITCH_NO_RECOVERY))
                    return
                self._set_stage("rommon")
                await self.send(crlf("\nmonitor: command \"boot\" aborted due to user interrupt\n"
                                     if is_router(dev) else _SWITCH_INTERRUPTED) + self.prompt)
                return
        if is_cisco(dev) and not _image_present(dev, self.recovered):
            await self._boot_failed(loading_shown=from_loader and not is_router(dev))
            return
        self._set_stage("booting")
        if is_cisco(dev) and not from_loader:  # booted from ROMMON: RAM comes from what NVRAM holds now
            dev.running = copy.deepcopy(dev.startup) if dev.startup is not None else type(dev.running)()
        await self._play(script.kernel, interruptible=False)
        nxt = dev.next_config_register if is_cisco(dev) else None
        if nxt:
            dev.config_register, dev.next_config_register = nxt, None
        if _ignores_startup(dev):
            dev.running = type(dev.running)()  # 0x2142: the startup configuration stays but is not loaded
        if is_cisco(dev) and (dev.startup is None or _ignores_startup(dev)):
            self._set_stage("setup")
            self._ask = self._setup_answer
            await self.send(crlf(_SETUP))
            return
        await self._come_up()

    async def _come_up(self, text: str = "") -> None:
        self._new_session()
        self._set_stage("up")
        await self.send(crlf(text) + self.session.banner())
        self._print_new_logs()

    async def _boot_failed(self, loading_shown: bool) -> None:
        image = _image(self.dev)
        self._set_stage("rommon")
        if is_router(self.dev):
            text = (f"boot: attempting to boot from [bootflash:{image}]\n"
                    f'boot: cannot open "bootflash:{image}"\nboot: cannot load "bootflash:{image}"\n\n')
        else:
            loading = "" if loading_shown else f'Loading "flash:/{image}"...'
            text = (f"{loading}flash:/{image}: no such file or directory\n\n"
                    f'Error loading "flash:/{image}"\n\n'
                    "Interrupt within 5 seconds to abort boot process.\nBoot process failed...\n\n"
                    "The system is unable to boot automatically.  The BOOT\n"
                    "environment variable needs to be set to a bootable\nimage.\n\n")
        await self.send(crlf(text) + self.prompt)

    def break_received(self) -> None:
        if self.stage == "loader":
            self._break.set()

    # ---------- input
    def feed(self, data: str) -> tuple[str, float]:
        """Input from the line (BREAKs already taken out); returns (text to print, delay)."""
        if self.inbox is not None:  # an XMODEM receive owns the line: every byte is the transfer's
            self.inbox.put_nowait(data.encode("latin-1"))
            return "", 0.0
        if self.busy:
            return "", 0.0
        st = self.stage
        if st == "up" and self.session is not None:
            reply = self.session.feed(data)
            if self.dev.generation != self._generation:  # the CLI reloaded the device
                text = reply.text
                loop = asyncio.get_running_loop()
                loop.call_soon(lambda: self._start_boot(cold=False))
                return text, reply.delay
            if reply.follow is not None:  # a copy pulling an image: its answer and prompt come when it ends
                asyncio.ensure_future(self._follow(reply.follow))
            return reply.text, reply.delay
        if st not in ("rommon", "setup", "recovery"):
            return "", 0.0  # typing into a booting or dark console does nothing
        out: list[str] = []
        for ch in data.replace("\x00", ""):
            if ch in "\r\n":
                if ch == "\n" and out and out[-1] == "\r\n":
                    continue
                line, self._buf = self._buf, ""
                out.append("\r\n")
                out.append(crlf(self._line(line)))
            elif ch in "\x7f\x08":
                if self._buf:
                    self._buf = self._buf[:-1]
                    out.append("\b \b")
            elif ch >= " ":
                self._buf += ch
                out.append(ch)
        return "".join(out), 0.0

    def _line(self, line: str) -> str:
        if self._ask is not None:
            handler = self._ask
            self._ask = None
            handler(line.strip())
            return ""
        if self.stage == "rommon":
            return self._rommon(line.strip())
        return ""

    async def _follow(self, pending: Awaitable[Reply]) -> None:
        reply = await pending
        while True:
            await self.send(reply.text)  # already CR LF (the line session's own text)
            if reply.follow is None:
                return
            reply = await reply.follow

    def _later(self, coro_fn: Callable[[], Awaitable[None]]) -> None:
        self._cancel()
        self._task = asyncio.get_running_loop().create_task(coro_fn())  # type: ignore[arg-type]

    # ---------- setup dialog and the recovery prompt
    def _setup_answer(self, ans: str) -> None:
        a = ans.lower()
        if a in ("y", "ye", "yes"):
            self._ask = self._setup_basic
            self._write(_SETUP_BASIC)
        elif a in ("n", "no"):
            self._ask = self._autoinstall_answer
            self._write("\nWould you like to terminate autoinstall? [yes]: ")
        else:
            self._ask = self._setup_answer
            self._write("% Please answer 'yes' or 'no'.\nWould you like to enter the initial configuration "
                        "dialog? [yes/no]: ")

    def _setup_basic(self, _ans: str) -> None:
        self._later(lambda: self._come_up("\nConfiguration aborted, no changes made.\n\n"
                                          "Press RETURN to get started!\n\n"))

    def _autoinstall_answer(self, _ans: str) -> None:
        self._later(lambda: self._come_up("\n\n"))

    def _recovery_answer(self, ans: str) -> None:
        if ans.lower() in ("y", "yes"):
            self._erase_config(vlan=True)
            text = ("\nProceeding to reset system to default configuration...\n\n" if not is_router(self.dev)
                    else "\nResetting the router to the factory default configuration...\n\n")
        elif ans.lower() in ("n", "no"):
            text = ("\nThe system has been instructed to continue the normal boot process.\n\n"
                    if not is_router(self.dev) else "\n")
        else:
            self._ask = self._recovery_answer
            self._write("\n" + (_ROUTER_NO_RECOVERY if is_router(self.dev) else _SWITCH_NO_RECOVERY))
            return

        async def go() -> None:
            await self.send(crlf(text))
            await self._boot(from_loader=False)
        self._later(go)

    def _erase_config(self, vlan: bool = False) -> None:
        dev = self.dev
        dev.startup = None
        dev.running = type(dev.running)()
        for name in ("config.text", "private-config.text", *(("vlan.dat",) if vlan else ())):
            dev.flash.pop(name, None)

    # ---------- ROMMON
    def _rommon(self, line: str) -> str:
        if is_router(self.dev):
            out = self._router_rommon(line)
            if line and self.stage == "rommon":
                self.rommon_count += 1
        else:
            out = self._switch_rommon(line)
        return out + (self.prompt if self.stage == "rommon" and self._ask is None and not self.busy else "")

    def _boot_cmd(self, path: str = "") -> str:
        if path:  # `boot flash:NAME`: that file, when it holds an image of this unit's family
            failed = str(_rom().choose_image(self, path))
            if failed:
                return failed
        self._set_stage("booting")  # no prompt until the boot ends (or fails back to ROMMON)
        self._later(lambda: self._boot(from_loader=False))
        if is_router(self.dev):
            return ""
        return "" if not _image_present(self.dev, self.recovered) else f'Loading "flash:/{_image(self.dev)}"...'

    def _reset(self) -> None:
        self._set_stage("booting")
        self._later(self._reset_now)

    async def _reset_now(self) -> None:
        await self.send(crlf("\nSystem resetting...\n" if not is_router(self.dev) else "\n"))
        self._start_boot(cold=True, reason="Reload Command")

    def _switch_rommon(self, line: str) -> str:
        words = line.split()
        dev = self.dev
        if not words:
            return ""
        cmd, args = words[0], words[1:]
        if cmd == "flash_init":
            self._flash_ready = True
            return (f"Initializing Flash...\nflashfs[0]: {len(dev.flash)} files, 1 directories\n"
                    "flashfs[0]: 0 orphaned files, 0 orphaned directories\nflashfs[0]: Total bytes: 122185728\n"
                    "flashfs[0]: flashfs fsck took 10 seconds.\n...done Initializing Flash.\n")
        if cmd == "dir":
            if not self._flash_ready:
                return "unable to stat flash:/: flash filesystem not initialized\n"
            rows = [f"{i:<4} {'drwx' if f.is_dir else '-rwx'}  {f.size:<9} <date>               {name}"
                    for i, (name, f) in enumerate(dev.flash.items(), 2)]
            used = sum(f.size for f in dev.flash.values())
            return "Directory of flash:/\n\n" + "\n".join(rows) + f"\n\n{122185728 - used} bytes available " \
                                                                  f"({used} bytes used)\n"
        if cmd == "rename" and len(args) == 2:
            if not self._flash_ready:
                return "unable to rename: flash filesystem not initialized\n"
            src, dst = (a.split(":", 1)[-1].lstrip("/") for a in args)
            if src not in dev.flash:
                return f"unable to rename {args[0]} to {args[1]}: no such file or directory\n"
            f = dev.flash.pop(src)
            dev.flash[dst] = f
            if src == "config.text":  # the startup config travels with its file
                f.config, dev.startup = dev.startup, None
            elif dst == "config.text" and f.config is not None:
                dev.startup = f.config
            return ""
        if cmd == "boot":
            return self._boot_cmd(args[0] if args else "")
        if cmd == "set" and len(args) >= 2:
            return str(_rom().set_variable(self, args[0], " ".join(args[1:])))
        if cmd == "set":
            boot = self.rommon_vars.get("BOOT", f"flash:/{_image(dev)}")
            return (f"BAUD={self.baud}\nBOOT={boot}\nMAC_ADDR={dev.base_mac}\nMODEL_NUM={dev.spec.pid}\n"
                    f"SYSTEM_SERIAL_NUM={dev.serial}\nSWITCH_NUMBER=1\nTERMLEN=24\n")
        if cmd == "copy" and len(args) == 2 and args[0].lower() == "xmodem:":
            if not self._flash_ready:
                return "unable to copy: flash filesystem not initialized\n"
            return str(_rom().xmodem_switch(self, args[1]))
        if cmd == "reset":
            self._ask = lambda a: self._reset() if a.lower().startswith("y") else self._write(self.prompt)
            return "Are you sure you want to reset the system (y/n)? "
        return f"unknown cmd: {cmd}\n"

    def _router_rommon(self, line: str) -> str:
        words = line.split()
        dev = self.dev
        if not words:
            return ""
        cmd, args = words[0], words[1:]
        if cmd == "confreg" and args:
            dev.config_register = args[0].lower()
            dev.next_config_register = None
            return "\nYou must reset or power cycle for new config to take effect\n"
        if cmd == "confreg":
            self._ask = lambda a: self._write("\n" + self.prompt)
            return ("\n\n        Configuration Summary\n"
                    f"  (Virtual Configuration Register: {dev.config_register})\nenabled are:\n"
                    "load rom after netboot fails\nconsole baud: 9600\n"
                    "boot: image specified by the boot system commands\n      or default to: cisco2-C2900\n\n"
                    "do you wish to change the configuration? y/n  [n]:  ")
        if cmd == "dir" and args:
            dev_name = args[0].rstrip(":")
            files = [(n, f) for n, f in dev.flash.items() if not f.is_dir]
            rows = [f"{f.size:>11} bytes (0x{f.size:x})   0x{zlib.crc32(n.encode()):08x}    {n}"
                    for n, f in files]
            return "         File size           Checksum   File name\n" + "\n".join(rows) + "\n" \
                if dev_name in ("flash", "bootflash") else f"device {args[0]} not found\n"
        if cmd == "reset":
            self._reset()
            return ""
        if cmd == "boot":
            return self._boot_cmd(args[0] if args else "")
        if cmd == "set":
            own = "".join(f"{k}={v}\n" for k, v in self.rommon_vars.items())
            return f"PS1=rommon ! > \nBOOT=bootflash:{_image(dev)},1;\nRET_2_RTS=\n{own}"
        if "=" in cmd and not args:
            name, _, value = line.partition("=")
            return str(_rom().set_variable(self, name.strip(), value.strip()))
        if cmd == "tftpdnld":
            return str(_rom().tftpdnld(self, args))
        if cmd == "xmodem":
            return str(_rom().xmodem_router(self, args))
        return f"monitor: command \"{cmd}\" not found\n"

    # ---------- syslog on the console
    def _mark_logs_seen(self) -> None:
        logs = self.dev.logs
        self._last_log = logs[-1] if logs else None

    def _print_new_logs(self) -> None:
        logs = self.dev.logs
        if not logs or self.stage != "up":
            self._mark_logs_seen()
            return
        new = []
        for entry in reversed(logs):
            if entry is self._last_log:
                break
            new.append(entry)
        self._last_log = logs[-1]
        for e in reversed(new):
            # Families keep their own log entries: IOS and ProCurve stamp uptime (`at`), Junos wall time (`wall`).
            self._write(f"\n{log_stamp(self.dev, getattr(e, 'at', None))}: {e.text}\n")

    def poll(self) -> None:
        """Called about twice a second: reloads from elsewhere (SSH), logging console, console_noise."""
        dev = self.dev
        if dev.generation != self._generation and self.stage == "up":
            self._start_boot(cold=False)
            return
        if self.stage != "up":
            return
        now = time.monotonic()
        if is_cisco(dev) and has_fault(dev, "console_noise") and now >= self._next_noise:
            rng = self._noise_rng
            self._next_noise = now + rng.uniform(0.5, 3.0)
            ports = dev.ports
            port = rng.choice(ports).name if ports else "GigabitEthernet1/0/1"
            msg = rng.choice(_NOISE).format(port=port, state=rng.choice(("up", "down")), n=rng.randint(2, 250))
            dev.log(msg)
        self._print_new_logs()


def _ignores_startup(dev: Any) -> bool:
    return is_router(dev) and str(dev.config_register).lower() == "0x2142"

