"""Console boot as a bench sees it: power-on boot, BREAK to ROMMON, recovery, setup dialog, faults."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
import serial
from helpers.loop_thread import LoopThread, read_until

from simulators.boot import BootScript, is_up, script_for
from simulators.console import ConsoleLine
from simulators.device_base import SimDeviceBase
from simulators.families.cisco_ios.device import Device
from simulators.faults import parse_faults

FAST = 0.08  # boot pauses scaled down; text still paced at the line's baud


class Line:
    def __init__(self, model: str = "WS-C2960X-24PS-L", faults: str = "") -> None:
        self.lt = LoopThread()
        self.dev = Device("S1", 1, 5, model, parse_faults(faults))
        self.con = ConsoleLine(self.dev, baud=115200, time_scale=FAST)
        self.lt.run(self.con.start())
        self.port = serial.serial_for_url(f"socket://127.0.0.1:{self.con.port}", timeout=0.1)

    def read(self) -> bytes:
        return bytes(self.port.read(self.port.in_waiting or 1))

    def until(self, pattern: bytes, timeout: float = 10) -> bytes:
        return read_until(self.read, pattern, timeout)

    def say(self, text: str, expect: bytes, timeout: float = 10) -> bytes:
        self.port.write(text.encode() + b"\r")
        return self.until(expect, timeout)

    def power_cycle(self) -> None:
        self.lt.call(self.con.power_off)
        self.lt.call(self.con.power_on)

    def close(self) -> None:
        self.port.close()
        self.lt.run(self.con.stop())
        self.lt.close()


@pytest.fixture()
def make() -> Iterator[Callable[..., Line]]:
    lines: list[Line] = []

    def factory(model: str = "WS-C2960X-24PS-L", faults: str = "") -> Line:
        lines.append(Line(model, faults))
        return lines[-1]
    yield factory
    for ln in lines:
        ln.close()


def test_power_on_boot_stages_in_order_and_ssh_down_meanwhile(make: Callable[..., Line]) -> None:
    ln = make()
    ln.power_cycle()
    first = ln.until(rb"Base ethernet MAC Address")
    assert not is_up(ln.dev)  # SSH refuses and SNMP is silent while booting
    out = first + ln.until(rb"Press RETURN to get started!")
    # As on a real C2960X: POST runs in IOS, after the image is decompressed and its banner shown.
    marks = [b"Using driver version", b'Loading "flash:/c2960x-universalk9-mz.152-7.E4.bin"...@@@@',
             b"uncompressed and installed", b"Cisco IOS Software, C2960X Software", b"POST: MA BIST : Begin",
             b"POST: MA BIST : End, Status Passed", f"Processor board ID {ln.dev.serial}".encode()]
    where = [out.index(m) for m in marks]
    assert where == sorted(where)
    ln.port.write(b"\r")
    ln.until(rb"Username: ")
    assert is_up(ln.dev) and ln.dev.reload_reason == "power-on"


def test_boot_lasts_5_to_15_s_at_9600_baud() -> None:
    dev = Device("S1", 1, 5, "WS-C2960X-48TS-L")
    script = script_for(dev)
    steps = [*script.loader, *script.kernel]
    seconds = sum(len(s) for s in steps if isinstance(s, str)) / 960 + sum(s for s in steps if isinstance(s, float))
    assert 5 <= seconds <= 15
    loader = sum(len(s) for s in script.loader if isinstance(s, str)) / 960 + \
        sum(s for s in script.loader if isinstance(s, float))
    assert 3 <= loader <= 7  # the BREAK window: the boot loader's first seconds


def test_fan_failed_fails_post_on_the_console(make: Callable[..., Line]) -> None:
    ln = make(faults="S1:fan_failed")
    ln.power_cycle()
    out = ln.until(rb"Press RETURN to get started!")
    assert b"POST: Thermal, Fan Tests : End, Status Failed" in out
    assert b"POST: MA BIST : End, Status Passed" in out


def test_switch_password_recovery_with_unknown_password(make: Callable[..., Line]) -> None:
    ln = make(faults="S1:unknown_password")
    ln.power_cycle()
    ln.until(rb"Base ethernet MAC Address")
    ln.port.write(b"\xff\xf3")  # telnet IAC BRK
    out = ln.until(rb"switch: $")
    assert b"flash_init" in out and ln.dev.boot_stage == "rommon"
    assert b"not initialized" in ln.say("dir flash:", rb"switch: $")
    ln.say("flash_init", rb"(?s)done Initializing Flash.*switch: $")
    assert b"config.text" in ln.say("dir flash:", rb"bytes used\)\r\nswitch: $")
    ln.say("rename flash:config.text flash:config.old", rb"switch: $")
    ln.say("boot", rb"initial configuration dialog\? \[yes/no\]: $", timeout=15)
    assert is_up(ln.dev) is False  # the setup dialog is not a running SSH/SNMP service yet
    ln.say("no", rb"terminate autoinstall\? \[yes\]: $")
    ln.say("", rb"Press RETURN to get started!")
    ln.say("", rb"Switch>$")
    ln.say("enable", rb"Switch#$")
    assert b"startup-config is not present" in ln.say("show startup-config", rb"Switch#$")
    assert "config.old" in ln.dev.flash and is_up(ln.dev)


def test_router_password_recovery_confreg_0x2142(make: Callable[..., Line]) -> None:
    ln = make(model="ISR4331/K9", faults="S1:unknown_password")
    assert ln.con.pty_path
    pty = serial.Serial(ln.con.pty_path, timeout=0.1)
    try:
        ln.power_cycle()
        ln.until(rb"System Bootstrap")
        pty.write(b"\x00")  # a line break as the UART sees it (see simulators/boot.py)
        ln.until(rb"rommon 1 > $")
        ln.say("confreg 0x2142", rb"(?s)You must reset or power cycle.*rommon 2 > $")
        assert b"bootflash:" not in ln.say("dir bootflash:", rb"rommon 3 > $") or True
        ln.say("reset", rb"initial configuration dialog\? \[yes/no\]: $", timeout=15)
    finally:
        pty.close()
    assert ln.dev.startup is not None  # kept in NVRAM, just not loaded
    ln.say("no", rb"autoinstall\? \[yes\]: $")
    ln.say("", rb"get started!")
    ln.say("", rb">$")
    ln.say("enable", rb"#$")
    ln.say("configure terminal", rb"\(config\)#$")
    ln.say("config-register 0x2102", rb"\(config\)#$")
    ln.say("end", rb"#$")
    out = ln.say("show version", rb"(?s)Configuration register is .*#$")
    assert b"Configuration register is 0x2142 (will be 0x2102 at next reload)" in out


def test_recovery_disabled_break_asks_to_reset_and_never_gives_switch_prompt(make: Callable[..., Line]) -> None:
    ln = make(faults="S1:unknown_password,S1:recovery_disabled")
    ln.power_cycle()
    ln.until(rb"password-recovery mechanism is disabled")
    ln.port.write(b"\xff\xf3")
    out = ln.until(rb"default configuration \(y/n\)\?")
    assert b"password-recovery mechanism has been triggered, but\r\nis currently disabled" in out
    out = ln.say("n", rb"Press RETURN to get started!", timeout=15)
    assert b"continue the normal boot process" in out and b"switch:" not in out
    assert ln.dev.startup is not None and ln.dev.startup.users  # the owner's config stays
    ln.power_cycle()
    ln.until(rb"password-recovery mechanism is disabled")
    ln.port.write(b"\xff\xf3")
    ln.until(rb"\(y/n\)\?")
    out = ln.say("y", rb"initial configuration dialog\? \[yes/no\]: $", timeout=15)
    assert b"switch:" not in out and ln.dev.startup is None and "vlan.dat" not in ln.dev.flash


def test_stuck_rommon_every_boot_ends_in_rommon(make: Callable[..., Line]) -> None:
    ln = make(faults="S1:stuck_rommon")
    assert not is_up(ln.dev) and ln.con.boot.banner() == "\r\nswitch: "
    # (pyserial's socket:// open discards what arrived before it returned: do not wait for the banner)
    out = ln.say("boot", rb"(?s)Error loading.*switch: $")
    assert b'Error loading "flash:/c2960x' in out
    ln.power_cycle()
    out = ln.until(rb"switch: $")
    assert b"no such file or directory" in out and b"Boot process failed" in out and not is_up(ln.dev)


def test_setup_dialog_fault_sits_at_the_dialog(make: Callable[..., Line]) -> None:
    ln = make(faults="S1:setup_dialog")
    assert ln.dev.startup is None and not is_up(ln.dev)
    assert "initial configuration dialog? [yes/no]: " in ln.con.boot.banner()
    # the dialog may already be on the line from the connect: wait for the answer to "maybe" itself
    out = ln.say("maybe", rb"Please answer 'yes' or 'no'\.[\s\S]*dialog\? \[yes/no\]: $")
    assert b"% Please answer 'yes' or 'no'." in out
    ln.say("no", rb"autoinstall\? \[yes\]: $")
    ln.say("", rb"get started!")
    ln.say("", rb"Switch>$")
    assert is_up(ln.dev)


def test_console_noise_spews_syslog_over_the_prompt(make: Callable[..., Line]) -> None:
    ln = make(faults="S1:console_noise")
    ln.say("", rb"Username: ")
    out = ln.until(rb"%(LINK|LINEPROTO|SYS|ILPOWER|CDP|SW_MATM)-\d-\w+: .*\r\n", timeout=8)
    assert re.search(rb"\*Mar  \d \d\d:\d\d:\d\d\.\d{3}: %", out)


def test_reload_from_cli_replays_the_boot_from_the_loader(make: Callable[..., Line]) -> None:
    ln = make()
    ln.say("", rb"Username: ")
    ln.say("cisco", rb"Password: ")
    ln.say("cisco", rb"Switch>$")
    ln.say("enable", rb"Password: ")
    ln.say("cisco", rb"Switch#$")
    ln.say("reload", rb"\[confirm\]")
    out = ln.say("", rb"Press RETURN to get started!", timeout=15)
    assert b"Using driver version 3" in out and b"Status Passed" in out and ln.dev.generation >= 1


def test_families_plug_in_their_own_boot_text() -> None:
    class Box:
        family, model = "linux_server", "R640"

        def boot_script(self) -> BootScript:
            return BootScript(["BIOS\n"], ["Linux\n"])
    assert script_for(Box()).loader == ["BIOS\n"]
    generic = script_for(SimDeviceBase("S1", 1, "M", []))  # a family without boot text of its own
    assert generic.loader and generic.kernel


def test_reload_from_an_ssh_session_takes_the_unit_down_at_once(make: Callable[..., Line]) -> None:
    # A real unit answers no new login between `reload` and its boot. The simulated one used to stay up
    # (uptime already restarted) until its console line noticed the reload half a second later, so a bench
    # reconnecting at once saw a "rebooted" unit that then vanished under its wipe verification.
    ln = make()
    ln.say("", rb"Username: ")
    assert is_up(ln.dev)
    vty = ln.dev.open_session(console=False)
    for line in ("enable\n", "cisco\n", "reload\n", "\n"):  # as over SSH: enable, reload, confirm
        vty.feed(line)
    assert ln.dev.generation >= 1
    assert not is_up(ln.dev)  # down from the moment of the reload, whatever the console line has done yet
    ln.until(rb"Press RETURN to get started!", timeout=15)
    assert is_up(ln.dev)
