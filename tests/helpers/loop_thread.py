"""Helpers for the simulator tests: a background event loop and read-until-pattern with a deadline."""

from __future__ import annotations

import asyncio
import re
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, TypeVar

import pytest

T = TypeVar("T")


class LoopThread:
    """An asyncio loop in a daemon thread, so blocking clients (netmiko, pyserial) can talk to it."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coro: Awaitable[T], timeout: float = 30) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)  # type: ignore[arg-type]

    def call(self, fn: Callable[[], Any]) -> None:
        self.loop.call_soon_threadsafe(fn)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


def read_until(read: Callable[[], bytes], pattern: bytes, timeout: float = 10.0) -> bytes:
    """Accumulate reads until `pattern` (regex) matches; fail with what was read at the deadline."""
    buf = b""
    deadline = time.monotonic() + timeout
    rx = re.compile(pattern)
    while time.monotonic() < deadline:
        buf += read()
        if rx.search(buf):
            return buf
    raise AssertionError(f"pattern {pattern!r} not seen within {timeout}s; got {buf[-500:]!r}")


@pytest.fixture(scope="module")
def loop() -> Iterator[LoopThread]:
    """One background loop per test module (tests/conftest.py offers it to every module)."""
    lt = LoopThread()
    yield lt
    lt.close()
