"""The bench on real devices' SNMP data: every snmpsim-data recording identified and read over SNMP alone.

R1-R6 are network units: `profile: auto` must name the family the recording belongs to (the Nexus, which
is none of ours, the SNMP-only generic profile), identity must read the chassis model and serial the
walk holds (ENTITY-MIB, or JUNIPER-MIB jnxBox on the MX960 that has no ENTITY-MIB), and environment must
read what the walk holds and say WARN, never PASS, for what it does not. R7 is a Linux host whose walk
holds no serial: its server tests need a shell and must say NOT_RUN with the reason.
"""

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
from simulators.recordings import CURATED, default_work_dir, snmpsim_available, start_recordings

pytestmark = pytest.mark.skipif(not snmpsim_available(), reason="snmpsim not installed (pip install snmpsim "
                                "snmpsim-data pysmi)")

FAMILY = {"R1": "cisco_ios_switch", "R2": "cisco_ios_switch", "R3": "cisco_nxos", "R4": "juniper_junos",
          "R5": "hp_procurve", "R6": "arista_eos", "R7": "linux_server"}
# What each walk holds for the environment test: (outcome, phrase of the summary, the MIB columns the
# readings come from).
ENVIRONMENT = {
    # the 3560's own ENVMON table has a temperature in state warning(2): a real finding
    "R1": (Outcome.WARN, "YELLOW", ("envmon",)),
    # ENVMON has a fan and a PSU; its only temperature sensors are its optics' (the optics test's)
    "R2": (Outcome.WARN, "temperatures: no reading", ("envmon",)),
    "R3": (Outcome.PASS, "all readings ok", ("entSensorStatus", "cefcFRUPowerOperStatus", "cefcFanTrayOperStatus")),
    "R4": (Outcome.PASS, "all readings ok", ("jnxOperatingState",)),  # JUNIPER-MIB jnxOperatingTable
    "R5": (Outcome.PASS, "all readings ok", ("hpicfSensorStatus",)),  # HP-ICF-CHASSIS
    # ENTITY-SENSOR-MIB has temperatures, fans the agent marks unavailable, and no PSU at all
    "R6": (Outcome.WARN, "PSUs: no reading", ("entPhySensorOperStatus",)),
}


def test_every_recording_is_identified_and_its_environment_read_over_snmp(tmp_path):
    assert {r.slot for r in CURATED} == set(FAMILY)

    async def main() -> dict:
        server = await start_recordings(default_work_dir())
        try:
            rows = server.slot_rows()
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
    for slot, family in FAMILY.items():
        o, t = got["out"][slot], got["truth"][slot]
        assert t["family"] == family, slot  # the recording's own label agrees with the profile that claims it
        assert o.profile == family, (slot, o.results.get("identity"))
        if slot == "R7":
            continue
        assert (o.serial, o.model) == (t["serial"], t["model"]), slot
        assert o.serial and o.model, slot
        ident = o.results["identity"]
        assert ident.outcome == Outcome.PASS, (slot, ident.summary)
        # Genuine units: their real serials fit their vendor's format, so nothing quarantines them.
        auth = o.results["authenticity"]
        assert auth.outcome != Outcome.FAIL and o.grade.disposition != "QUARANTINE", (slot, auth.summary)
        assert ident.evidence["chassis_serials"]["snmp"] == t["serial"], slot

        env = o.results["environment"]
        outcome, phrase, source = ENVIRONMENT[slot]  # readings all came over SNMP, from these MIBs
        assert env.outcome == outcome and phrase in env.summary, (slot, env.outcome, env.summary)
        readings = env.evidence["readings"]
        assert readings and all(any(s in r["detail"] for s in source) for r in readings), slot
        kinds = {r["kind"] for r in readings}
        if outcome is Outcome.PASS:
            assert kinds == {"fan", "psu", "temperature"}, slot
            assert all(r["state"] == "ok" for r in readings), slot

    # The Nexus' temperatures carry the agent's own thresholds (entSensorThresholdTable): minor warns, major fails.
    nexus = got["out"]["R3"].results["environment"].evidence["readings"]
    outlet = next(r for r in nexus if r["name"] == "Module-1, Outlet")
    assert (outlet["value"], outlet["warn_at"], outlet["fail_at"]) == (40.0, 58.0, 67.0)
    # The MX960 has no ENTITY-MIB: its serial is jnxBoxSerialNo, and its 24 fans and 4 PEMs are all read.
    mx = got["out"]["R4"].results["environment"].evidence["readings"]
    assert sum(r["kind"] == "fan" for r in mx) == 24 and sum(r["kind"] == "psu" for r in mx) == 4

    linux = got["out"]["R7"].results
    assert {r.outcome for r in linux.values()} == {Outcome.NOT_RUN}
    assert all("no CLI channel" in r.summary for r in linux.values())
