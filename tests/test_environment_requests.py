"""The environment check's CISCO-ENVMON read: the temperature, fan and PSU columns in one side-by-side GETBULK,
with the same readings as walking the three tables one after another."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from bench.drivers.snmp import SnmpTarget, close_shared_engine
from bench.drivers.snmp_poll import snmp_target
from bench.tests_hw.environment import read_snmp
from simulators.pytest_plugin import start_fleet


class WalksOnly:
    """An SNMP channel with walk() alone (as the burn-in's poller): the tables walked one by one."""

    def __init__(self, target: SnmpTarget) -> None:
        self.target = target

    async def walk(self, oid: str) -> dict[str, Any]:
        return await self.target.walk(oid)


def test_envmon_is_one_request_with_the_readings_of_three_walks(tmp_path: Path) -> None:
    fleet = start_fleet(tmp_path, count=1, families=["cisco_ios_switch"])
    try:
        snmp = fleet.slot("S1")["snmp"]

        async def read() -> list[tuple[Any, ...]]:
            try:
                out = []
                for target in (SnmpTarget(snmp["host"], snmp["port"], snmp["community"]),
                               snmp_target(snmp["host"], snmp["port"], snmp["community"])):
                    readings, absent = await read_snmp(target)
                    walked, walked_absent = await read_snmp(WalksOnly(target))
                    out.append((target.requests, readings, absent, walked, walked_absent))
                return out
            finally:
                close_shared_engine()

        for requests, readings, absent, walked, walked_absent in asyncio.run(read()):
            assert {r.kind for r in readings} >= {"temperature", "fan", "psu"}
            assert (readings, absent) == (walked, walked_absent)
            assert requests - 3 == 1  # the 3 walks of the comparison (one GETBULK each) come after
    finally:
        fleet.stop()
