"""One vendor family pack under test: its simulated fleet (one per test module), the simulator's own device
objects rebuilt from the same seed (the harness map), and test contexts over a slot's real SSH CLI and SNMP,
or over a scripted CLI for the offline checks. The family test modules (tests/test_platform_<family>.py)
describe their pack once and share this plumbing instead of each writing it again."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bench.drivers.snmp import SnmpTarget, close_shared_engine
from bench.drivers.testing import Script
from bench.model import Identity
from bench.tests_hw.base import SlotInfo, TestContext
from helpers.cli_channels import console_cli, sim_cli
from simulators.fleet import build_devices
from simulators.pytest_plugin import SimFleet, start_fleet


def fault_plan(crash: str = "crashinfo", poe: bool = True, flap: bool = True, extra: str = "") -> str:
    """The fleet plan the pack modules share: S1 healthy; S2 a failed fan and supply, overheating and a crash
    (`crash`: crashinfo or parity_crash); S3 a dead port, CRC errors, a flapping link, a PoE fault (`poe`) and
    an optic's DOM alarm; S4 a previous owner's configuration; then `extra` faults."""
    s3 = ["port_dead", "crc_errors"] + (["link_flap"] if flap else []) + (["poe_fault"] if poe else []) \
        + ["optic_dom_alarm"]
    plan = [f"S2:{f}" for f in ("fan_failed", "psu_failed", "overtemp", crash)] + [f"S3:{f}" for f in s3] \
        + ["S4:leftover_config"]
    return ",".join(plan + ([extra] if extra else []))


@dataclass(frozen=True)
class Pack:
    """`family` is the simulated family (and the fleet's), `profile` the profile name a context carries,
    `driver` netmiko's platform for the CLI channel (the platform seam picks the collector by it)."""

    family: str
    profile: str
    driver: str
    faults: str
    count: int = 4
    seed: int = 1
    channel: Callable[[SimFleet, str], Any] | None = None  # the slot's CLI channel, where not `sim_cli`'s

    def fixtures(self) -> tuple[Any, Any]:
        """The module's `fleet` and `harness` fixtures (module-scoped): `fleet, harness = PACK.fixtures()`."""

        def fleet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimFleet]:
            yield from self.start(tmp_path_factory)

        def harness() -> dict[str, Any]:
            return self.devices()

        return (pytest.fixture(scope="module", name="fleet")(fleet),
                pytest.fixture(scope="module", name="harness")(harness))

    def start(self, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimFleet]:
        """The served fleet, stopped when the generator is closed (a fixture's body)."""
        f = start_fleet(Path(tmp_path_factory.mktemp(self.family)), count=self.count, families=[self.family],
                        faults=self.faults, seed=self.seed)
        yield f
        f.stop()

    def devices(self) -> dict[str, Any]:
        """The simulator's model of each slot (same ports, optics, faults as the served fleet)."""
        return {d.slot: d for d in build_devices(self.count, self.seed, [self.family], self.faults)}

    def snmp(self, fleet: SimFleet, slot: str) -> SnmpTarget:
        snmp = fleet.slot(slot)["snmp"]
        return SnmpTarget(snmp["host"], int(snmp["port"]), snmp["community"])

    def run(self, fleet: SimFleet, slot: str, body: Callable[[TestContext], Any],
            params: dict[str, Any] | None = None, console: bool = False) -> Any:
        """`body(ctx)` with the engine's SSH CLI channel (or the pack's `channel`), SNMP and, with `console`,
        the console line to the slot; all closed before returning."""

        async def main() -> Any:
            channel = self.channel(fleet, slot) if self.channel else sim_cli(fleet, slot, self.driver)
            con = console_cli(fleet.slot(slot)["console"], fleet.credentials(slot)) if console else None
            ctx = TestContext(slot=SlotInfo(slot), profile_name=self.profile, params=params or {},
                              identity=Identity(), cli=channel, console=con, snmp=self.snmp(fleet, slot))
            try:
                return await body(ctx)
            finally:
                await channel.close()
                if con is not None:
                    await con.close()
                close_shared_engine()

        return asyncio.run(main())

    def offline(self, script: Script | None = None, params: dict[str, Any] | None = None) -> TestContext:
        """A context over a scripted CLI (no unit): `Script()` answers nothing, every command a lost session."""
        return TestContext(slot=SlotInfo("x"), profile_name=self.profile, params=params or {},
                           identity=Identity(), cli=(script or Script()).channel(platform=self.driver))
