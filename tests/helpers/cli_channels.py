"""Channels to a simulated slot for the network tests: the engine's own adapter (bench.drivers.adapter, open on
first use, reopen after a lost session) over SSH and the console, a TestContext over the slot, and `run`,
which closes them before the fleet stops."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from bench.drivers.adapter import LazyChannel, console_cli_channel, ssh_cli_channel
from bench.drivers.channel import Credential
from bench.drivers.console.expect import Transcript
from bench.drivers.console.machine import ConsoleProfile
from bench.drivers.console.transport import LineSettings
from bench.drivers.snmp import SnmpTarget, close_shared_engine
from bench.drivers.ssh import SshSession
from bench.model import Identity
from bench.tests_hw.base import SlotInfo, TestContext

T = TypeVar("T")
_opened: list[TestContext] = []  # contexts whose channels `run` closes before the fleet stops


def _credential(creds: dict[str, str]) -> Credential:
    return Credential("factory", creds["username"], creds["password"], creds.get("enable", ""))


def ssh_cli(slot: dict[str, Any], creds: dict[str, str], platform: str = "cisco_ios") -> LazyChannel:
    """The slot's SSH CLI as the engine builds it (the loop's default pool; a gate of its own)."""
    host, port = slot["ssh"].rsplit(":", 1)
    return ssh_cli_channel(host, int(port), [_credential(creds)], device_type="cisco_ios", platform=platform,
                           executor=None, gate=asyncio.Semaphore(1), connect_timeout=10)


class _Recorded(SshSession):
    """An SshSession that notes every command it is sent (in a list the test keeps)."""

    sent: list[str]

    def send(self, command: str, timeout: float = 30.0) -> str:
        self.sent.append(command)
        return super().send(command, timeout)


def sim_cli(fleet: Any, slot: str, platform: str, sent: list[str] | None = None) -> LazyChannel:
    """The engine's SSH CLI channel to a simulated slot (netmiko's `platform` driver); every command sent
    over any of its sessions is appended to `sent` when given. `abandon()` closes it without a loop."""
    host, port = fleet.slot(slot)["ssh"].rsplit(":", 1)
    cred = _credential(fleet.credentials(slot))
    log = sent if sent is not None else []

    def factory() -> SshSession:
        session = _Recorded(host, int(port), platform, [cred], timeout=10)
        session.sent = log
        return session

    return LazyChannel("ssh", factory, platform, None, asyncio.Semaphore(1),
                       SshSession.capabilities)


def console_cli(url: str, creds: dict[str, str]) -> LazyChannel:
    """The slot's console line: walks to enable on first use and after a close (no recovery, no PDU)."""
    return console_cli_channel(url, [_credential(creds)], profile=ConsoleProfile.from_dict({}),
                               settings=LineSettings(), platform="cisco_ios", executor=None,
                               gate=asyncio.Semaphore(1), transcript=Transcript(), recovery=[], power_cycle=None,
                               walk_timeout=120)


def make_ctx(fleet: Any, sid: str, params: dict[str, Any] | None = None, snmp: bool = True,
             console: bool = False, telemetry: Any = None) -> TestContext:
    slot, creds = fleet.slot(sid), fleet.credentials(sid)
    target = None
    if snmp:
        s = slot["snmp"]
        target = SnmpTarget(s["host"], int(s["port"]), s["community"], timeout=1.0, retries=0)
    ctx = TestContext(slot=SlotInfo(sid, slot.get("label_serial", "")), profile_name="cisco_ios_switch",
                      params=dict(params or {}), identity=Identity(), cli=ssh_cli(slot, creds), snmp=target,
                      console=console_cli(slot["console"], creds) if console else None, record_telemetry=telemetry)
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
                    if isinstance(channel, LazyChannel):
                        await channel.close()
            _opened.clear()
    return asyncio.run(main())
