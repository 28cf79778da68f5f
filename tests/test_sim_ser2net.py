"""Real ser2net in front of a device's console pty, driven over RFC 2217 as a bench's terminal server is."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import serial
from helpers.loop_thread import LoopThread, read_until

from simulators.console import ConsoleLine
from simulators.families.cisco_ios.device import Device
from simulators.faults import parse_faults
from simulators.pdu import IMMEDIATE_REBOOT, Pdu

pytestmark = pytest.mark.skipif(shutil.which("ser2net") is None, reason="ser2net is not installed "
                                "(Debian package ser2net)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture()
def bench(tmp_path: Path) -> Iterator[tuple[Device, ConsoleLine, Pdu, LoopThread, int]]:
    lt = LoopThread()
    dev = Device("S1", 1, 7, "WS-C2960X-24TS-L", parse_faults("S1:unknown_password"))
    con = ConsoleLine(dev, baud=115200, time_scale=0.15)
    lt.run(con.start())
    pdu = Pdu([con], ["S1"], reboot_off=0.3)
    lt.run(pdu.start())
    port = _free_port()
    conf = tmp_path / "ser2net.yaml"
    conf.write_text(f"connection: &c\n  accepter: telnet(rfc2217),tcp,127.0.0.1,{port}\n"
                    f"  connector: serialdev,{con.pty_path},9600n81,local\n")
    proc = subprocess.Popen(["ser2net", "-n", "-d", "-c", str(conf), "-P", str(tmp_path / "ser2net.pid")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.05)
    yield dev, con, pdu, lt, port
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(5)
    lt.run(pdu.stop())
    lt.run(con.stop())
    lt.close()


def _open(port: int) -> serial.SerialBase:
    return serial.serial_for_url(f"rfc2217://127.0.0.1:{port}?ign_set_control&timeout=5", baudrate=9600,
                                 timeout=0.1)


def test_power_cycle_through_ser2net_shows_boot_then_prompt(bench: tuple[Device, ConsoleLine, Pdu, LoopThread,
                                                                           int]) -> None:
    dev, con, pdu, lt, port = bench
    s = _open(port)
    rd = lambda: bytes(s.read(s.in_waiting or 1))  # noqa: E731
    lt.call(lambda: pdu.switch(1, IMMEDIATE_REBOOT))
    out = read_until(rd, rb"Press RETURN to get started!", timeout=20)
    assert b"Using driver version 3" in out and b"POST: MA BIST : End, Status Passed" in out
    s.write(b"\r")
    read_until(rd, rb"Username: ")
    s.close()


def test_break_through_ser2net_reaches_rommon(bench: tuple[Device, ConsoleLine, Pdu, LoopThread, int]) -> None:
    dev, con, pdu, lt, port = bench
    s = _open(port)
    rd = lambda: bytes(s.read(s.in_waiting or 1))  # noqa: E731
    lt.call(lambda: pdu.switch(1, IMMEDIATE_REBOOT))
    read_until(rd, rb"Base ethernet MAC Address", timeout=10)
    s.baudrate = 1200  # NUL at a lower speed: the receiver sees a line break
    s.write(b"\x00")
    s.baudrate = 9600
    read_until(rd, rb"switch: $", timeout=10)
    assert dev.boot_stage == "rommon"
    s.close()


def test_stale_backlog_is_bounded_and_return_gets_a_prompt(bench: tuple[Device, ConsoleLine, Pdu, LoopThread,
                                                                          int]) -> None:
    dev, con, pdu, lt, port = bench
    lt.call(lambda: pdu.switch(1, IMMEDIATE_REBOOT))  # boots with nobody connected
    deadline = time.monotonic() + 20
    while dev.boot_stage != "up" and time.monotonic() < deadline:
        time.sleep(0.1)
    s = _open(port)
    rd = lambda: bytes(s.read(s.in_waiting or 1))  # noqa: E731
    out = b""
    for _ in range(4):  # as a technician does: press RETURN until the line answers
        s.write(b"\r")
        try:
            out += read_until(rd, rb"Username: ", timeout=2)
            break
        except AssertionError as e:
            out += str(e).encode()[:0]
    assert b"Username: " in out or b"Username: " in read_until(rd, rb"Username: ", timeout=2)
    assert len(out) < 4096 and b"Using driver version" not in out  # not the whole boot replayed
    s.close()
