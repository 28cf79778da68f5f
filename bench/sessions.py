"""Channels from the engine's event loop to one unit: a lazily opened CLI and an SNMP target.

netmiko blocks, so every CLI call runs in the engine's bounded thread pool. A session that
breaks (dropped, or abandoned by a watchdog) is thrown away and reopened on the next call;
an authentication failure is remembered so a locked-out unit is not hammered.
"""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import Executor
from typing import Any

from bench.config import SlotConfig
from bench.drivers.ssh import AuthFailed, Credential, SshError, SshSession


class LazyCli:
    """The `CliChannel` a test sees: opens on first use, reopens after a lost session."""

    def __init__(self, slot: SlotConfig, device_type: str, platform: str, executor: Executor,
                 handshakes: asyncio.Semaphore, connect_timeout: float = 20.0) -> None:
        assert slot.ssh is not None
        self.platform = platform
        self._slot = slot
        self._device_type = device_type
        self._executor = executor
        self._handshakes = handshakes
        self._connect_timeout = connect_timeout
        self._session: SshSession | None = None
        self._auth_error: AuthFailed | None = None
        self._lock = asyncio.Lock()
        self.credential_used = ""

    async def _open(self) -> SshSession:
        if self._auth_error is not None:
            raise self._auth_error
        ssh = self._slot.ssh
        assert ssh is not None
        creds = [Credential(c.name, c.username, c.password, c.enable) for c in self._slot.credentials]
        session = SshSession(ssh.host, ssh.port, self._device_type, creds, timeout=self._connect_timeout,
                             textfsm_platform=self.platform)
        loop = asyncio.get_running_loop()
        async with self._handshakes:
            try:
                self.credential_used = await loop.run_in_executor(self._executor, session.open)
            except AuthFailed as e:
                self._auth_error = e
                raise
        return session

    async def send(self, command: str, timeout: float = 30.0) -> str:
        async with self._lock:
            if self._session is None:
                self._session = await self._open()
            session = self._session
            loop = asyncio.get_running_loop()
            try:
                return await loop.run_in_executor(self._executor, session.send, command, timeout)
            except SshError:
                self._discard(session)
                raise
            except asyncio.CancelledError:
                # A watchdog gave up on this call: the thread may still be blocked in a read.
                self._discard(session)
                raise

    def _discard(self, session: SshSession) -> None:
        if self._session is session:
            self._session = None
        # Closing the transport from another thread unblocks a read stuck in the pool.
        threading.Thread(target=_quiet_close, args=(session,), daemon=True).start()

    async def close(self) -> None:
        if self._session is not None:
            session, self._session = self._session, None
            await asyncio.get_running_loop().run_in_executor(self._executor, _quiet_close, session)


def _quiet_close(session: Any) -> None:
    try:
        session.close()
    except Exception:  # noqa: BLE001 - a close that fails changes nothing for the run
        pass
