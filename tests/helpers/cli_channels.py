"""The small channel adapters the network tests share: the engine's LazyChannel in miniature (open on first
use, reopen after a lost session) over SshSession and ConsoleSession, a TestContext over a simulated slot,
and `run` that closes them before the fleet stops."""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from bench.drivers.console.machine import ConsoleProfile, Login
from bench.drivers.console.session import ConsoleOptions, ConsoleSession
from bench.drivers.console.transport import ConsoleError
from bench.drivers.snmp import SnmpTarget, close_shared_engine
from bench.drivers.ssh import Credential, SshError, SshSession
from bench.model import Identity
from bench.tests_hw.base import SlotInfo, TestContext

T = TypeVar("T")
_opened: list[TestContext] = []  # contexts whose channels `run` closes before the fleet stops


class _LazySession:
    """Open on first use, shared by concurrent first calls (as LazyChannel's), reopened after a lost session."""

    lost: type[Exception] = Exception  # what the session raises when it is gone

    def __init__(self, make: Callable[[], Any]) -> None:
        self._make = make
        self._session: Any = None
        self._lock = threading.Lock()

    def _open(self) -> Any:
        with self._lock:
            if self._session is None:
                s = self._make()
                s.open()
                self._session = s
            return self._session

    def _drop(self) -> None:
        if self._session is not None:
            self._session.close()
        self._session = None

    def _on_lost(self) -> None:
        self._drop()

    async def send(self, command: str, timeout: float = 30.0) -> str:
        def go() -> str:
            s = self._open()
            try:
                return str(s.send(command, timeout))
            except self.lost:
                self._on_lost()
                raise
        return await asyncio.to_thread(go)

    async def close(self) -> None:
        await asyncio.to_thread(self._drop)


class SshCli(_LazySession):
    """CliChannel over SshSession; `send_expect` answers prompts the way the wipe needs."""

    kind = "ssh"
    lost = SshError

    def __init__(self, slot: dict[str, Any], creds: dict[str, str], platform: str = "cisco_ios") -> None:
        host, port = slot["ssh"].rsplit(":", 1)
        cred = Credential("factory", creds["username"], creds["password"], creds.get("enable", ""))
        super().__init__(lambda: SshSession(host, int(port), "cisco_ios", [cred], timeout=10,
                                            textfsm_platform=platform))
        self.platform = platform
        self.sent: list[str] = []

    def _on_lost(self) -> None:
        self._session = None  # netmiko's session is gone with the connection: nothing to close

    async def send(self, command: str, timeout: float = 30.0) -> str:
        self.sent.append(command)
        return await super().send(command, timeout)

    async def send_expect(self, text: str, expect: str, timeout: float = 30.0) -> str:
        def go() -> str:
            conn = self._open()._conn
            try:
                conn.write_channel(text + "\n")
                return str(conn.read_until_pattern(pattern=expect, read_timeout=timeout))
            except Exception:
                self._drop()
                raise
        self.sent.append(text)
        return await asyncio.to_thread(go)


class ConsoleCli(_LazySession):
    """CliChannel over the slot's console line: walks to enable on first use and after a close."""

    kind = "console"
    platform = "cisco_ios"
    lost = ConsoleError

    def __init__(self, url: str, creds: dict[str, str]) -> None:
        login = Login("factory", creds["username"], creds["password"], creds.get("enable", ""))
        super().__init__(lambda: ConsoleSession(ConsoleOptions(url=url, walk_timeout=120),
                                                ConsoleProfile.from_dict({}), [login]))

    async def send_expect(self, text: str, expect: str, timeout: float = 30.0) -> str:
        def go() -> str:
            x = self._open()._x
            assert x is not None
            x.write(text + "\r")
            m = x.expect([re.compile(expect)], timeout)
            if m is None:
                self._drop()
                raise ConsoleError(f"console: {expect!r} not seen within {timeout:g} s")
            return m.before
        return await asyncio.to_thread(go)


def make_ctx(fleet: Any, sid: str, params: dict[str, Any] | None = None, snmp: bool = True,
             console: bool = False, telemetry: Any = None) -> TestContext:
    slot, creds = fleet.slot(sid), fleet.credentials(sid)
    target = None
    if snmp:
        s = slot["snmp"]
        target = SnmpTarget(s["host"], int(s["port"]), s["community"], timeout=1.0, retries=0)
    ctx = TestContext(slot=SlotInfo(sid, slot.get("label_serial", "")), profile_name="cisco_ios_switch",
                      params=dict(params or {}), identity=Identity(), cli=SshCli(slot, creds), snmp=target,
                      console=ConsoleCli(slot["console"], creds) if console else None, record_telemetry=telemetry)
    _opened.append(ctx)
    return ctx


def run(coro_fn: Callable[[], Coroutine[Any, Any, T]]) -> T:
    async def main() -> T:
        try:
            return await coro_fn()
        finally:
            close_shared_engine()
            for ctx in _opened:
                for channel in (ctx.cli, ctx.console):
                    if isinstance(channel, SshCli | ConsoleCli):
                        await channel.close()
            _opened.clear()
    return asyncio.run(main())
