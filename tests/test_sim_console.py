"""The console line over TCP (pyserial socket://) and over its pty."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest
import serial
from helpers.loop_thread import LoopThread, read_until

from simulators.console import ConsoleLine, TokenBucket
from simulators.families.cisco_ios.device import Device


@pytest.fixture()
def line() -> Iterator[tuple[Device, ConsoleLine, LoopThread]]:
    lt = LoopThread()
    dev = Device("S1", 1, 5, "WS-C2960X-24PS-L")
    con = ConsoleLine(dev, baud=115200)
    lt.run(con.start())
    yield dev, con, lt
    lt.run(con.stop())
    lt.close()


def _login(port: serial.SerialBase) -> None:
    rd = lambda: port.read(port.in_waiting or 1)  # noqa: E731
    port.write(b"\r")
    read_until(rd, rb"Username: ")
    port.write(b"cisco\r")
    read_until(rd, rb"Password: ")
    port.write(b"cisco\r")
    read_until(rd, rb"Switch>$")


def _logged_in_over_tcp(con: ConsoleLine) -> tuple[serial.SerialBase, Callable[[], bytes]]:
    """A client on the line's TCP port (as through a console server), logged in at `Switch>`."""
    port = serial.serial_for_url(f"socket://127.0.0.1:{con.port}", timeout=0.2)
    _login(port)
    return port, lambda: port.read(port.in_waiting or 1)


def test_tcp_login_and_show_version(line: tuple[Device, ConsoleLine, LoopThread]) -> None:
    dev, con, _ = line
    # pyserial's socket:// open discards what arrived before it returned (the connect banner):
    # RETURN brings the login, as on a console someone attached to late.
    port, rd = _logged_in_over_tcp(con)
    port.write(b"show version\r")
    out = read_until(rd, rb"Configuration register is \S+\r\n\r\nSwitch>$")
    assert f"Processor board ID {dev.serial}".encode() in out
    assert b"cisco\r" not in out  # passwords are not echoed
    port.write(b"enable\r")
    read_until(rd, rb"Password: ")
    port.write(b"wrong\r")
    read_until(rd, rb"% Access denied")
    port.close()


def test_pty_reaches_the_same_session(line: tuple[Device, ConsoleLine, LoopThread]) -> None:
    dev, con, _ = line
    assert con.pty_path and con.pty_path.startswith("/dev/pts/")
    port = serial.Serial(con.pty_path, timeout=0.2)
    _login(port)
    port.write(b"sh inv\r")
    out = read_until(lambda: port.read(port.in_waiting or 1), rb"Switch>$")
    assert f"SN: {dev.serial}".encode() in out
    port.close()


def test_console_shows_boot_after_reload(line: tuple[Device, ConsoleLine, LoopThread]) -> None:
    dev, con, _ = line
    port, rd = _logged_in_over_tcp(con)
    port.write(b"enable\r")
    read_until(rd, rb"Password: ")
    port.write(b"cisco\r")
    read_until(rd, rb"Switch#$")
    port.write(b"reload\r")
    read_until(rd, rb"\[confirm\]")
    port.write(b"\r")
    out = read_until(rd, rb"Press RETURN to get started!", timeout=10)
    assert b"Loading \"flash:/" in out and dev.generation == 1
    port.close()


def test_token_bucket_paces_9600_baud() -> None:
    import asyncio

    async def send(total: int) -> float:
        bucket = TokenBucket(960.0, 48)
        t0 = time.monotonic()
        left = total
        while left:
            left -= await bucket.take(left)
        return time.monotonic() - t0

    elapsed = asyncio.run(send(960))
    assert 0.8 < elapsed < 1.3  # ~960 bytes/s, minus the initial burst
