"""The simulated live image's shell, in-process, as a check's CLI channel (the SSH transport is tested elsewhere)."""

from __future__ import annotations

from typing import Any


class SimShell:
    platform = "linux"

    def __init__(self, srv: Any) -> None:
        """`srv`: a simulated Linux server (simulators' linux_server family)."""
        self.session = srv.open_session(console=False)
        self.commands: list[str] = []

    async def send(self, command: str, timeout: float = 30.0) -> str:
        self.commands.append(command)
        return self.session.run(command)[0]
