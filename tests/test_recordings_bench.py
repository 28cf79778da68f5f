"""The bench on real devices' SNMP data: snmpsim-data recordings identified and read over SNMP alone."""

from __future__ import annotations

import asyncio

import pytest

from bench.config import parse_bench
from bench.drivers.snmp import close_shared_engine
from bench.engine import Engine, EngineOptions
from bench.model import Outcome
from bench.profiles import Catalog
from bench.store import Store
from bench.tests_hw.registry import known_tests
from simulators.recordings import default_work_dir, snmpsim_available, start_recordings

pytestmark = pytest.mark.skipif(not snmpsim_available(), reason="snmpsim not installed (pip install snmpsim "
                                "snmpsim-data pysmi)")

WANTED = {"R1": "cisco_ios_switch", "R2": "cisco_ios_switch", "R6": "arista_eos"}


def test_recordings_are_identified_and_their_environment_read_over_snmp(tmp_path):
    async def main() -> dict:
        server = await start_recordings(default_work_dir())
        try:
            rows = [r for r in server.slot_rows() if r["id"] in WANTED]
            truth = {r["id"]: r.pop("truth") for r in rows}
            for r in rows:
                r["snmp"]["timeout"] = 10  # snmpsim serves big tables slowly, as busy real agents do
            config = parse_bench({"bench": "rec", "slots": rows})
            engine = Engine(config, Store(f"sqlite:///{tmp_path}/r.db"), Catalog.load(known_tests()),
                            EngineOptions(plan="quick"))
            outcomes = await engine.run()
            return {"truth": truth, "out": {o.slot: o for o in outcomes}}
        finally:
            await server.stop()
            close_shared_engine()

    got = asyncio.run(main())
    for slot, family in WANTED.items():
        o, t = got["out"][slot], got["truth"][slot]
        assert (o.profile, o.serial, o.model) == (family, t["serial"], t["model"])
        assert o.results["identity"].outcome == Outcome.PASS
    # the 3560 recording's own ENVMON table has a temperature in state warning(2): a real finding
    env = got["out"]["R1"].results["environment"]
    assert env.outcome == Outcome.WARN and "YELLOW" in env.summary
