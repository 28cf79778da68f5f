"""A unit that offers no SSH: told once, when the slot starts, instead of once per command.

A Catalyst wiped by `write erase` and a reload has no user, no hostname, no domain and no host key,
so it has no SSH; a unit whose management address is not set does not answer at all. Retrying the
connection in every test costs a connect timeout per command and says nothing new. The engine
(bench.engine._Wiring) opens SSH once before the first test: when that fails for want of SSH (not
for a refused credential, which the channel already remembers), the slot's console carries the CLI
when it has one, else every CLI test fails at once with the cause found here.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import Executor

from bench.drivers.adapter import LazyChannel
from bench.drivers.ssh import AuthFailed, SshError, SshSession


def ssh_unavailable(e: BaseException) -> str | None:
    """The short cause when `e` means the unit offers no SSH session (refused, unreachable, cut before a
    prompt); None when SSH is there and merely refused the credentials (or `e` is not an SSH error)."""
    if isinstance(e, AuthFailed) or not isinstance(e, SshError):
        return None
    # "host:port: connection refused (the library's own words)": the words before the library's are the cause
    text = " ".join(str(e).split()).split(" (", 1)[0]
    return text[:160] or type(e).__name__


def channel_note(cause: str, console: bool) -> str:
    """What every result of the slot carries in its evidence (`channel`)."""
    if console:
        return f"SSH not available ({cause}); tested over the console"
    return f"SSH not available ({cause}) and the slot has no console: CLI tests could not run"


class _NoSsh:
    """The session of a unit known to offer no SSH: every open fails at once, with that cause."""

    capabilities = SshSession.capabilities

    def __init__(self, cause: str, platform: str) -> None:
        self.cause = cause
        self.platform = platform

    def _fail(self) -> SshError:
        return SshError(f"SSH not available: {self.cause}")

    def open(self) -> object:
        raise self._fail()

    def send(self, command: str, timeout: float = 30.0) -> str:
        raise self._fail()

    def send_expect(self, text: str, expect: str, timeout: float = 30.0) -> str:
        raise self._fail()

    def close(self) -> None:
        pass


def no_ssh_channel(cause: str, platform: str, executor: Executor, gate: asyncio.Semaphore) -> LazyChannel:
    """A CLI channel whose every call fails at once naming `cause` (no connection is attempted)."""
    return LazyChannel("ssh", lambda: _NoSsh(cause, platform), platform, executor, gate, SshSession.capabilities)
