"""A simulated unit's console line (ser2net-style TCP, no pty) and a typed dialogue on it, read until each
expected prompt with a deadline."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import serial

from helpers.loop_thread import LoopThread, read_until
from simulators.console import ConsoleLine


@contextmanager
def console_port(loop: LoopThread, dev: Any, baud: int = 115200) -> Iterator[tuple[serial.Serial, ConsoleLine]]:
    """The unit's console line served on loopback and a serial port open on it, for the block."""
    line = ConsoleLine(dev, baud=baud, with_pty=False)
    loop.run(line.start())
    port = serial.serial_for_url(f"socket://127.0.0.1:{line.port}", timeout=0.2)
    try:
        yield port, line
    finally:
        port.close()
        loop.run(line.stop())


def converse(port: serial.Serial, steps: Sequence[tuple[bytes, bytes]], timeout: float = 10.0) -> bytes:
    """Type each step's bytes (none: just wait) and read until its pattern; what the last step read."""
    out = b""
    for typed, pattern in steps:
        if typed:
            port.write(typed)
        out = read_until(port.read_all, pattern, timeout=timeout)
    return out


def console_login(port: serial.Serial, login: bytes, user: str, password: str, shell: bytes,
                  password_prompt: bytes = rb"Password: $") -> bytes:
    """Wake the console with Enter, answer the `login` prompt and the password prompt, read until the `shell`
    prompt; what that last read brought."""
    return converse(port, [(b"\r", login), (f"{user}\r".encode(), password_prompt), (f"{password}\r".encode(), shell)])


def console_reload(port: serial.Serial, command: bytes, confirm: bytes, answer: bytes, back_at: bytes,
                   timeout: float = 60.0) -> bytes:
    """Ask for a reload at the console, answer its `confirm` prompt, and read the whole boot until `back_at`
    (the login prompt); what the boot printed."""
    return converse(port, [(command, confirm), (answer, back_at)], timeout=timeout)


def cold_boot(loop: LoopThread, port: serial.Serial, line: ConsoleLine, *boot_prompts: bytes) -> bytes:
    """Power the unit off and on (a cold boot, where a boot loader offers its menu) and read past each of
    `boot_prompts` in turn; what the last read brought."""
    loop.call(line.power_off)
    loop.call(line.power_on)
    return converse(port, [(b"", prompt) for prompt in boot_prompts])
