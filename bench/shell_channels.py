"""Channels to Linux units: a POSIX shell over SSH (bench.drivers.shell) or this very host
(`local://`, bench.drivers.local). Beyond what every CLI channel does (`send`), they `stream` a
long command line by line, which is how the server burn-in reads the agent while it runs.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Executor
from typing import Protocol

from bench.config import SlotConfig
from bench.drivers.local import LocalShell
from bench.drivers.shell import ShellSession
from bench.drivers.ssh import Credential
from bench.sessions import CHANNEL_ERRORS, BlockingSession, LazyChannel

__all__ = ["ShellChannel", "local_channel", "shell_ssh_channel"]


class StreamingSession(BlockingSession, Protocol):
    def stream(self, command: str, on_line: Callable[[str], None], timeout: float) -> int: ...


class ShellChannel(LazyChannel):
    """A LazyChannel whose session can also stream a command's output as it comes."""

    exit_status: int | None = None

    async def stream(self, command: str, timeout: float) -> AsyncIterator[str]:
        """Lines of `command` as they arrive; `exit_status` holds its $? once the iteration ends.
        Channel errors propagate (the session is thrown away, as after a failed `send`)."""
        async with self._lock:
            if self._session is None:
                self._session = await self._open()
            session: StreamingSession = self._session  # type: ignore[assignment]
            loop = asyncio.get_running_loop()
            lines: asyncio.Queue[str] = asyncio.Queue()

            def hand_over(line: str) -> None:  # called from the worker thread
                loop.call_soon_threadsafe(lines.put_nowait, line)

            self.exit_status = None
            work = loop.run_in_executor(self._executor, session.stream, command, hand_over, timeout)
            try:
                while True:
                    getter = asyncio.ensure_future(lines.get())
                    done, _ = await asyncio.wait({getter, work}, return_when=asyncio.FIRST_COMPLETED)
                    if getter in done:
                        yield getter.result()
                        continue
                    getter.cancel()
                    # The worker's lines were queued before its result: hand over what is left.
                    while not lines.empty():
                        yield lines.get_nowait()
                    self.exit_status = work.result()
                    return
            except CHANNEL_ERRORS:
                self._discard(session)
                raise
            except (asyncio.CancelledError, GeneratorExit):
                # Abandoned mid-stream (watchdog, consumer stopped): the command may still run there.
                self._discard(session)
                raise


def shell_ssh_channel(slot: SlotConfig, executor: Executor, gate: asyncio.Semaphore,
                      connect_timeout: float) -> ShellChannel:
    ssh = slot.ssh
    assert ssh is not None
    creds = [Credential(c.name, c.username, c.password, c.enable) for c in slot.credentials]

    def factory() -> BlockingSession:
        return ShellSession(ssh.host, ssh.port, creds, timeout=connect_timeout)

    return ShellChannel("ssh", factory, "linux", executor, gate)


def local_channel(executor: Executor, gate: asyncio.Semaphore) -> ShellChannel:
    return ShellChannel("local", LocalShell, "linux", executor, gate)
