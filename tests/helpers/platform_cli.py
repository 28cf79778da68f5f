"""The CLI channel the platform tests hand a collector: one simulated slot over real SSH (netmiko).

The platform name is the netmiko device type and the ntc-templates platform alike for the families
simulated here. A send after a dropped session (a wipe's reboot) logs in again.
"""

from __future__ import annotations

import asyncio
import random

from bench.drivers.ssh import Credential, SshSession
from simulators.pytest_plugin import SimFleet


class PlatformCli:
    def __init__(self, fleet: SimFleet, slot: str, platform: str) -> None:
        host, port = fleet.slot(slot)["ssh"].split(":")
        c = fleet.credentials(slot)
        self.platform = platform
        self.session = SshSession(host, int(port), platform,
                                  [Credential("factory", c["username"], c["password"], c.get("enable", ""))],
                                  timeout=10)
        self.is_open = False
        self.sent: list[str] = []  # every command the collector sent, in order

    def _send(self, command: str, timeout: float) -> str:
        if not self.is_open:
            self.session.open()
            self.is_open = True
        self.sent.append(command)
        try:
            return self.session.send(command, timeout=timeout)
        except Exception:
            self.is_open = False  # the session is gone; the next send logs in again
            raise

    async def send(self, command: str, timeout: float = 30.0) -> str:
        return await asyncio.to_thread(self._send, command, timeout)

    def close(self) -> None:
        self.session.close()


class NoiseCli:
    """A unit off a pallet answering every command with line noise drawn from `alphabet` (seeded)."""

    def __init__(self, platform: str, seed: int, alphabet: str, longest: int) -> None:
        self.platform = platform
        self.rng = random.Random(seed)
        self.alphabet = alphabet
        self.longest = longest

    async def send(self, command: str, timeout: float = 30.0) -> str:
        return "".join(self.rng.choice(self.alphabet) for _ in range(self.rng.randint(0, self.longest)))

    async def send_expect(self, text: str, expect: str, timeout: float = 30.0) -> str:
        return await self.send(text)
