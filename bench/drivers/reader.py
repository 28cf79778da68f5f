"""Reading a paramiko-like channel (recv with a timeout, b"" at the end) until a pattern, with a deadline:
the one read loop of the identification probes (shell's `what_answers`) and of telnet's login."""

from __future__ import annotations

import re
import time
from typing import Any

_CHUNK = 65536


def read_for(chan: Any, timeout: float, done: re.Pattern[str], after_echo: bool = False) -> str:
    """What the channel sends until `done` matches (past the echoed first line when `after_echo`), the peer
    closes, or `timeout` seconds pass. The channel's own timeout must be short: it is the poll interval."""
    got, deadline = "", time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            data = chan.recv(_CHUNK)
        except TimeoutError:
            continue
        if not data:
            break
        got += data.decode("utf-8", errors="replace")
        tail = (got.split("\n", 1)[1] if "\n" in got else "") if after_echo else got
        if done.search(tail):
            break
    return got


class ClosedFlagTransport:
    """paramiko's Transport as far as netmiko and the drivers ask it (is the connection up?), for a channel
    that keeps a `closed` flag of its own (legacy SSH, telnet)."""

    def __init__(self, channel: Any) -> None:
        self._channel = channel

    def is_active(self) -> bool:
        return not self._channel.closed
