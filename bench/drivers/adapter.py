"""The one async adapter: a blocking session (bench.drivers.channel.Session) as the channel a check sees.

Drivers block (netmiko, paramiko, pyserial, child processes), so every call runs in the slot's bounded
thread pool. The session opens on first use; one that breaks (dropped, or abandoned by a watchdog) is
thrown away and reopened on the next call; a refusal that reopening cannot help (`AccessDenied`: no
credential set worked, a console stuck short of enable) is remembered, so a locked-out unit is not
hammered and every later call reports the same cause. A unit stuck in ROMMON is `UnitNotBooted`
(the checks' NOT_RUN). What a channel can do beyond `send` is in `capabilities`, declared by its session
kind: `dialog` (send_expect, read_until) and `stream`.

The factories take plain values (address, credentials, timeouts), never the bench file.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable, Iterable
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any, TypeVar

from bench.drivers.channel import DIALOG, STREAM, Capability, Credential, Session
from bench.drivers.console.expect import Transcript
from bench.drivers.console.machine import ConsoleProfile, ConsoleStuck
from bench.drivers.console.recovery import RecoveryPlan
from bench.drivers.console.session import ConsoleOptions, ConsoleSession
from bench.drivers.console.transport import LineSettings
from bench.drivers.local import LocalShell
from bench.drivers.shell import ShellSession
from bench.drivers.ssh import SshSession
from bench.drivers.telnet import TelnetSession
from bench.errors import AccessDenied, ChannelError, ChannelMissing, UnitNotBooted

__all__ = ["LazyChannel", "console_cli_channel", "local_shell_channel", "ssh_cli_channel", "ssh_shell_channel"]

T = TypeVar("T")


@dataclass(frozen=True)
class ConsoleLineAccess:
    """What opening a console line takes (bench.drivers.console.transport.open_line), and its transcript."""

    url: str
    settings: LineSettings
    transcript: Transcript


class LazyChannel:
    """The channel a check sees: opens on first use, reopens after a lost session, streams when it can."""

    exit_status: int | None = None  # the last streamed command's $?

    def __init__(self, kind: str, factory: Callable[[], Session], platform: str, executor: Executor | None,
                 gate: asyncio.Semaphore, capabilities: Iterable[Capability] = ()) -> None:
        self.kind = kind  # "ssh", "telnet", "console", "local" or "scripted"
        self.platform = platform
        self.capabilities: frozenset[Capability] = frozenset(capabilities)
        self._factory = factory
        self._executor = executor  # None: the loop's default pool (tests, `bench probe`)
        self._gate = gate  # handshakes at once (SSH) or sessions per console server line
        self._session: Session | None = None
        self._permanent: Exception | None = None
        self._lock = asyncio.Lock()
        self.opened: object = None  # what open() returned: credential set name, console walk report
        self.line: ConsoleLineAccess | None = None  # a console channel's line, for procedures below the CLI
        self.bytes_transferred = 0  # over sessions already closed (consoles count every byte)

    def __repr__(self) -> str:
        return f"LazyChannel({self.kind}, {self.platform}, {'open' if self._session is not None else 'closed'})"

    # ---- opening ---------------------------------------------------------------------------------
    def _raise_permanent(self) -> None:
        e = self._permanent
        if isinstance(e, ConsoleStuck) and e.state == "rommon":
            # Not the bench failing: the unit never boots its OS, so CLI tests cannot apply.
            raise UnitNotBooted(f"no CLI: {e}") from e
        raise e  # type: ignore[misc]

    async def _open(self) -> Session:
        if self._permanent is not None:
            self._raise_permanent()
        session = self._factory()
        async with self._gate:
            try:
                self.opened = await asyncio.get_running_loop().run_in_executor(self._executor, session.open)
            except AccessDenied as e:
                self._permanent = e
                _close_in_background(session)
                self._raise_permanent()
            except ChannelError:
                _close_in_background(session)
                raise
        return session

    async def _current(self) -> Session:
        """The open session (opened now if need be); the caller holds the lock."""
        if self._session is None:
            self._session = await self._open()
        return self._session

    async def ensure_open(self) -> object:
        """Open now (a console walk from power-on can take minutes; it must not eat a test's watchdog)."""
        async with self._lock:
            await self._current()
        return self.opened

    # ---- calls -----------------------------------------------------------------------------------
    async def _call(self, work: Callable[[Session], T]) -> T:
        """Run `work(session)` in the pool. A channel error or a cancelled wait (a watchdog gave up; the
        thread may still be blocked in a read) throws the session away: the next call opens a fresh one."""
        async with self._lock:
            session = await self._current()
            try:
                return await asyncio.get_running_loop().run_in_executor(self._executor, work, session)
            except (ChannelError, asyncio.CancelledError):
                self._discard(session)
                raise

    def _require(self, capability: Capability) -> None:
        if capability not in self.capabilities:
            raise ChannelMissing(f"the {self.kind} channel has no {capability} capability")

    async def send(self, command: str, timeout: float = 30.0) -> str:
        return await self._call(lambda s: str(s.send(command, timeout)))

    async def send_expect(self, text: str, expect: str, timeout: float = 30.0) -> str:
        """A dialog step (answering `[confirm]`): type `text`, read until `expect`."""
        self._require(DIALOG)
        return await self._call(lambda s: str(s.send_expect(text, expect, timeout)))  # type: ignore[attr-defined]

    async def read_until(self, pattern: str, timeout: float = 30.0) -> str:
        """Read, typing nothing, until the regex `pattern` (a reload's first words, a prompt)."""
        self._require(DIALOG)
        return await self._call(lambda s: str(s.read_until(pattern, timeout)))  # type: ignore[attr-defined]

    async def stream(self, command: str, timeout: float) -> AsyncIterator[str]:
        """Lines of `command` as they arrive; `exit_status` holds its $? once the iteration ends.
        Channel errors propagate (the session is thrown away, as after a failed `send`)."""
        self._require(STREAM)
        async with self._lock:
            session = await self._current()
            loop = asyncio.get_running_loop()
            lines: asyncio.Queue[str] = asyncio.Queue()

            def hand_over(line: str) -> None:  # called from the worker thread
                loop.call_soon_threadsafe(lines.put_nowait, line)

            self.exit_status = None
            work = loop.run_in_executor(self._executor, session.stream,  # type: ignore[attr-defined]
                                        command, hand_over, timeout)
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
            except (ChannelError, asyncio.CancelledError, GeneratorExit):
                # Lost, or abandoned mid-stream (watchdog, consumer stopped): the command may still run there.
                self._discard(session)
                raise

    @property
    def transport(self) -> dict[str, Any]:
        """How the open session reached the unit (protocol; legacy SSH algorithms, telnet options), or {}."""
        return dict(getattr(self._session, "transport", None) or {})

    async def take_line(self, work: Callable[[ConsoleLineAccess], T]) -> T:
        """The console line to a blocking procedure of its own (a boot loader's prompt, which no CLI session
        reaches): the session is closed, `work(line)` runs in the pool holding the line, and a unit found
        short of its OS (ROMMON) is looked at afresh by the next call, which walks the line again."""
        if self.line is None:
            raise ChannelMissing(f"the {self.kind} channel is not a console line")
        line = self.line
        async with self._lock:
            if self._session is not None:
                session, self._session = self._session, None
                self._count(session)
                await asyncio.get_running_loop().run_in_executor(self._executor, _quiet_close, session)
            async with self._gate:
                try:
                    return await asyncio.get_running_loop().run_in_executor(self._executor, work, line)
                finally:
                    if isinstance(self._permanent, ConsoleStuck):
                        self._permanent = None

    # ---- closing ---------------------------------------------------------------------------------
    def _count(self, session: Session) -> None:
        self.bytes_transferred += int(getattr(session, "bytes_transferred", 0) or 0)

    def _discard(self, session: Session) -> None:
        if self._session is session:
            self._session = None
        self._count(session)
        _close_in_background(session)

    def abandon(self) -> None:
        """Drop the session without waiting: it is closed from a thread of its own, which also ends a read
        stuck in the pool (an interrupted run, a slot stopped on an error)."""
        if self._session is not None:
            self._discard(self._session)

    async def close(self) -> None:
        if self._session is not None:
            session, self._session = self._session, None
            self._count(session)
            await asyncio.get_running_loop().run_in_executor(self._executor, _quiet_close, session)


# ---- factories: plain values in, a lazy channel out ------------------------------------------------


def ssh_cli_channel(host: str, port: int, credentials: Iterable[Credential], *, device_type: str, platform: str,
                    executor: Executor | None, gate: asyncio.Semaphore, connect_timeout: float,
                    telnet: bool = False, handover: dict[str, Any] | None = None) -> LazyChannel:
    """A vendor CLI over SSH (legacy algorithms when the unit offers only those), or over telnet for a unit
    without a crypto image; netmiko's `device_type` driver either way. `handover`: the session identification
    logged in with (`what_answers`); the first open goes on over it, so a unit sees one login."""
    creds = list(credentials)
    session_class = TelnetSession if telnet else SshSession
    first = [handover] if handover else []

    def factory() -> Session:
        # The identifying login goes on as the first CLI session; a reopen after a drop logs in afresh.
        return session_class(host, port, device_type, creds, timeout=connect_timeout, textfsm_platform=platform,
                             handover=first.pop() if first else None)

    return LazyChannel("telnet" if telnet else "ssh", factory, platform, executor, gate,
                       session_class.capabilities)


def console_cli_channel(url: str, credentials: Iterable[Credential], *, profile: ConsoleProfile,
                        settings: LineSettings, platform: str, executor: Executor | None, gate: asyncio.Semaphore,
                        transcript: Transcript, recovery: list[RecoveryPlan],
                        power_cycle: Callable[[], None] | None, walk_timeout: float = 420.0) -> LazyChannel:
    """A vendor CLI over a console line: walks to enable (recovering the password if a plan allows)."""
    creds = list(credentials)
    options = ConsoleOptions(url=url, settings=settings, walk_timeout=walk_timeout, recovery=recovery,
                             power_cycle=power_cycle)

    def factory() -> Session:
        return ConsoleSession(options, profile, creds, platform=platform, transcript=transcript)

    channel = LazyChannel("console", factory, platform, executor, gate, ConsoleSession.capabilities)
    channel.line = ConsoleLineAccess(url, settings, transcript)
    return channel


def ssh_shell_channel(host: str, port: int, credentials: Iterable[Credential], *, executor: Executor | None,
                      gate: asyncio.Semaphore, connect_timeout: float) -> LazyChannel:
    """A framed POSIX shell over SSH (Linux units): exit status, unprivileged logins, streaming."""
    creds = list(credentials)
    return LazyChannel("ssh", lambda: ShellSession(host, port, creds, timeout=connect_timeout), "linux", executor,
                       gate, ShellSession.capabilities)


def local_shell_channel(executor: Executor | None, gate: asyncio.Semaphore) -> LazyChannel:
    """The bench host itself (`local: true`)."""
    return LazyChannel("local", LocalShell, "linux", executor, gate, LocalShell.capabilities)


def _close_in_background(session: Session) -> None:
    # Closing the transport from another thread unblocks a read stuck in the pool.
    threading.Thread(target=_quiet_close, args=(session,), daemon=True).start()


def _quiet_close(session: Any) -> None:
    try:
        session.close()
    except Exception:  # noqa: BLE001 - a close that fails changes nothing for the run
        pass
