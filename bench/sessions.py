"""Channels from the engine's event loop to one unit: a lazily opened CLI (SSH, telnet or console).

netmiko and pyserial block, so every CLI call runs in the engine's bounded thread pool. A
session that breaks (dropped, or abandoned by a watchdog) is thrown away and reopened on the
next call; a failure to get in at all (no credential set worked, recovery disabled, stuck in
ROMMON) is remembered, so a locked-out unit is not hammered and every test reports the cause.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any, Protocol

from bench.config import SlotConfig
from bench.drivers.console.expect import Transcript
from bench.drivers.console.machine import ConsoleProfile, ConsoleStuck, Login
from bench.drivers.console.recovery import RecoveryPlan
from bench.drivers.console.session import ConsoleOptions, ConsoleSession
from bench.drivers.console.transport import ConsoleError, LineSettings
from bench.drivers.ssh import AuthFailed, Credential, SshError, SshSession
from bench.drivers.telnet import TelnetSession
from bench.tests_hw.base import UnitNotBooted

# Errors after which reopening cannot help (retrying would only lock the unit out).
PERMANENT = (AuthFailed, ConsoleStuck)
CHANNEL_ERRORS = (SshError, ConsoleError)


class BlockingSession(Protocol):
    platform: str

    def open(self) -> object: ...

    def send(self, command: str, timeout: float = 30.0) -> str: ...

    def send_expect(self, text: str, expect: str, timeout: float = 30.0) -> str: ...

    def close(self) -> None: ...


class LazyChannel:
    """The `CliChannel` a test sees: opens on first use, reopens after a lost session."""

    def __init__(self, kind: str, factory: Callable[[], BlockingSession], platform: str, executor: Executor,
                 gate: asyncio.Semaphore) -> None:
        self.kind = kind  # "ssh", "telnet" or "console"
        self.platform = platform
        self._factory = factory
        self._executor = executor
        self._gate = gate
        self._session: BlockingSession | None = None
        self._permanent: Exception | None = None
        self._lock = asyncio.Lock()
        self.opened: object = None  # what open() returned: credential set name, console walk report
        self.bytes_transferred = 0  # over sessions already closed (consoles count every byte)

    def _raise_permanent(self) -> None:
        e = self._permanent
        if isinstance(e, ConsoleStuck) and e.state == "rommon":
            # Not the bench failing: the unit never boots its OS, so CLI tests cannot apply.
            raise UnitNotBooted(f"no CLI: {e}") from e
        raise e  # type: ignore[misc]

    async def _open(self) -> BlockingSession:
        if self._permanent is not None:
            self._raise_permanent()
        session = self._factory()
        loop = asyncio.get_running_loop()
        async with self._gate:
            try:
                self.opened = await loop.run_in_executor(self._executor, session.open)
            except PERMANENT as e:
                self._permanent = e
                _close_in_background(session)
                self._raise_permanent()
            except CHANNEL_ERRORS:
                _close_in_background(session)
                raise
        return session

    async def ensure_open(self) -> object:
        """Open now (a console walk from power-on can take minutes; it must not eat a test's watchdog)."""
        async with self._lock:
            if self._session is None:
                self._session = await self._open()
        return self.opened

    async def send(self, command: str, timeout: float = 30.0) -> str:
        async with self._lock:
            if self._session is None:
                self._session = await self._open()
            session = self._session
            loop = asyncio.get_running_loop()
            try:
                return await loop.run_in_executor(self._executor, session.send, command, timeout)
            except CHANNEL_ERRORS:
                self._discard(session)
                raise
            except asyncio.CancelledError:
                # A watchdog gave up on this call: the thread may still be blocked in a read.
                self._discard(session)
                raise

    async def send_expect(self, text: str, expect: str, timeout: float = 30.0) -> str:
        """A dialog step (answering `[confirm]`): type `text`, read until `expect`."""
        async with self._lock:
            if self._session is None:
                self._session = await self._open()
            session = self._session
            loop = asyncio.get_running_loop()
            try:
                return str(await loop.run_in_executor(self._executor, session.send_expect, text, expect, timeout))
            except (*CHANNEL_ERRORS, asyncio.CancelledError):
                self._discard(session)
                raise

    @property
    def transport(self) -> dict[str, Any]:
        """How the open session reached the unit (protocol; legacy SSH algorithms, telnet options), or {}."""
        return dict(getattr(self._session, "transport", None) or {})

    def _count(self, session: BlockingSession) -> None:
        self.bytes_transferred += int(getattr(session, "bytes_transferred", 0) or 0)

    def _discard(self, session: BlockingSession) -> None:
        if self._session is session:
            self._session = None
        self._count(session)
        _close_in_background(session)

    def abandon(self) -> None:
        """Drop the session without waiting: it is closed from a thread of its own, which also ends a read
        stuck in the pool (an interrupted run, a slot stopped on an error)."""
        if self._session is not None:
            session, self._session = self._session, None
            self._count(session)
            _close_in_background(session)

    async def close(self) -> None:
        if self._session is not None:
            session, self._session = self._session, None
            self._count(session)
            await asyncio.get_running_loop().run_in_executor(self._executor, _quiet_close, session)


def ssh_channel(slot: SlotConfig, device_type: str, platform: str, executor: Executor, gate: asyncio.Semaphore,
                connect_timeout: float, handover: dict[str, Any] | None = None) -> LazyChannel:
    """The slot's network CLI: SSH (legacy algorithms when the unit offers only those), or telnet for a
    slot with `telnet:` (a unit without a crypto image). netmiko's `device_type` driver either way.
    `handover`: the session identification logged in with (what_answers); the first open goes on over it."""
    address = slot.ssh or slot.telnet
    assert address is not None
    creds = [Credential(c.name, c.username, c.password, c.enable) for c in slot.credentials]
    session_class = SshSession if slot.ssh is not None else TelnetSession

    first = [handover] if handover else []

    def factory() -> BlockingSession:
        # The identifying login goes on as the first CLI session (one login per unit); a reopen logs in afresh.
        return session_class(address.host, address.port, device_type, creds, timeout=connect_timeout,
                             textfsm_platform=platform, handover=first.pop() if first else None)

    return LazyChannel("ssh" if slot.ssh is not None else "telnet", factory, platform, executor, gate)


def console_channel(slot: SlotConfig, console: dict[str, Any], platform: str, executor: Executor,
                    gate: asyncio.Semaphore, transcript: Transcript,
                    recovery_plans: list[RecoveryPlan], power_cycle: Callable[[], None] | None) -> LazyChannel:
    logins = [Login(c.name, c.username, c.password, c.enable) for c in slot.credentials]
    profile = ConsoleProfile.from_dict(console)
    options = ConsoleOptions(url=slot.console, settings=LineSettings.from_dict(slot.console_line),
                             recovery=recovery_plans, power_cycle=power_cycle)

    def factory() -> BlockingSession:
        return ConsoleSession(options, profile, logins, platform=platform, transcript=transcript)

    return LazyChannel("console", factory, platform, executor, gate)


def _close_in_background(session: BlockingSession) -> None:
    # Closing the transport from another thread unblocks a read stuck in the pool.
    threading.Thread(target=_quiet_close, args=(session,), daemon=True).start()


def _quiet_close(session: Any) -> None:
    try:
        session.close()
    except Exception:  # noqa: BLE001 - a close that fails changes nothing for the run
        pass
