"""The engine's shell channels for one slot: a POSIX shell over SSH, or this very host (`local://`).

Both are bench.drivers.adapter.LazyChannel with the `stream` capability (how the server burn-in reads
the agent while it runs); this module only reads a `SlotConfig` into plain values.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import Executor

from bench.config import SlotConfig
from bench.drivers.adapter import LazyChannel, local_shell_channel, ssh_shell_channel

__all__ = ["ShellChannel", "local_channel", "shell_ssh_channel"]

ShellChannel = LazyChannel  # one adapter: streaming is a declared capability, not a subclass


def shell_ssh_channel(slot: SlotConfig, executor: Executor, gate: asyncio.Semaphore,
                      connect_timeout: float) -> LazyChannel:
    ssh = slot.ssh
    assert ssh is not None
    return ssh_shell_channel(ssh.host, ssh.port, slot.credentials, executor=executor, gate=gate,
                             connect_timeout=connect_timeout)


def local_channel(executor: Executor, gate: asyncio.Semaphore) -> LazyChannel:
    return local_shell_channel(executor, gate)
