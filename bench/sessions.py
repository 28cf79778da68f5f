"""The engine's CLI channels for one slot of the bench file (SSH, telnet or console).

The channel itself is bench.drivers.adapter.LazyChannel, built from plain values by the factories there;
this module only reads a `SlotConfig` into those values, so the drivers never see the bench file.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any

from bench.config import SlotConfig
from bench.drivers.adapter import LazyChannel, console_cli_channel, ssh_cli_channel
from bench.drivers.console.expect import Transcript
from bench.drivers.console.machine import ConsoleProfile
from bench.drivers.console.recovery import RecoveryPlan
from bench.drivers.console.transport import LineSettings

__all__ = ["LazyChannel", "console_channel", "ssh_channel"]


def ssh_channel(slot: SlotConfig, device_type: str, platform: str, executor: Executor, gate: asyncio.Semaphore,
                connect_timeout: float, handover: dict[str, Any] | None = None) -> LazyChannel:
    """The slot's network CLI: SSH, or telnet for a slot with `telnet:` (a unit without a crypto image).
    `handover`: the session identification logged in with (what_answers); the first open goes on over it."""
    address = slot.ssh or slot.telnet
    assert address is not None
    return ssh_cli_channel(address.host, address.port, slot.credentials, device_type=device_type,
                           platform=platform, executor=executor, gate=gate, connect_timeout=connect_timeout,
                           telnet=slot.ssh is None, handover=handover)


def console_channel(slot: SlotConfig, console: dict[str, Any], platform: str, executor: Executor,
                    gate: asyncio.Semaphore, transcript: Transcript,
                    recovery_plans: list[RecoveryPlan], power_cycle: Callable[[], None] | None) -> LazyChannel:
    return console_cli_channel(slot.console, slot.credentials, profile=ConsoleProfile.from_dict(console),
                               settings=LineSettings.from_dict(slot.console_line), platform=platform,
                               executor=executor, gate=gate, transcript=transcript, recovery=recovery_plans,
                               power_cycle=power_cycle)
