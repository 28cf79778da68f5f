"""A burn-in reports each fault at the right time: when it was first seen, within a sampling interval.

Four simulated units of four families run the `burnin` plan through the real engine for 60 s, sampled
every 5 s; each gets a fault at an offset (counted by the simulator from the bench's first contact):
a fan fails, a temperature crosses red, the unit reboots, CRC errors start. The burn-in evidence must
name each, first seen no earlier than the fault and no later than one interval (plus the sample's own
time) after it; nothing may be reported before its fault happened. benchmarks/burnin_fleet.py runs the
32-unit, 10-minute version.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from bench.config import parse_bench
from bench.drivers.snmp import close_shared_engine
from bench.engine import Engine, EngineOptions
from bench.model import Identity, Outcome, Reading, SensorState, epoch_seconds
from bench.platforms import Environment, Ports, PortState
from bench.profiles import Catalog
from bench.store import Store
from bench.tests_hw import burnin
from bench.tests_hw.base import SlotInfo, TestContext
from bench.tests_hw.registry import known_tests

DURATION, INTERVAL = 60, 5
SAMPLE_SLACK = 6.0  # one sample's own time (SNMP walks, or CLI commands over SSH) under a loaded CI machine
FAULTS = {"S1": ("fan_failed", 15), "S2": ("overtemp", 20), "S3": ("reboot", 25), "S4": ("crc_errors", 30)}
FAMILIES = ["cisco_ios_switch", "arista_eos", "juniper_junos", "hp_procurve"]


def run_burnin(bench_file_doc: dict[str, Any], db: str) -> tuple[float, dict[str, Any]]:
    catalog = Catalog.load(known_tests())
    for profile in catalog.profiles.values():  # the profiles sample every 30-60 s; this test every 5 s
        if "burnin" in profile.test_params:
            profile.test_params["burnin"] = {**profile.test_params["burnin"], "interval": INTERVAL,
                                             "reconnect_grace": 120}
    doc = {k: v for k, v in bench_file_doc.items() if k != "slots"}
    doc["slots"] = [{k: v for k, v in s.items() if k != "truth"} for s in bench_file_doc["slots"]]

    async def go() -> list[Any]:
        engine = Engine(parse_bench(doc), Store(db), catalog, EngineOptions(plan="burnin", burnin=DURATION))
        try:
            return await engine.run()
        finally:
            close_shared_engine()

    t0 = time.time()
    return t0, {o.slot: o for o in asyncio.run(go())}


def test_each_fault_is_first_seen_within_a_sampling_interval_of_its_offset(bench_sim: Any, tmp_path: Any) -> None:
    faults = ",".join(f"{slot}:{name}@{offset}s" for slot, (name, offset) in FAULTS.items())
    started = time.time()  # the earliest any first contact can be (the fleet's own start may count as one)
    fleet = bench_sim(count=4, families=FAMILIES, faults=faults)
    _, outcomes = run_burnin(fleet.doc, f"sqlite:///{tmp_path}/burnin.db")

    for slot, (fault, offset) in FAULTS.items():
        o = outcomes[slot]
        assert o.profile == fleet.truth(slot)["family"], slot
        burn = o.results["burnin"]
        assert burn.outcome in (Outcome.FAIL, Outcome.WARN), (slot, burn.summary)
        ev = burn.evidence
        assert ev["samples"] >= DURATION // INTERVAL, (slot, ev["samples"])
        # First contact is at latest the profile lookup, before the identity test starts.
        happened_from = started + offset
        happened_by = epoch_seconds(o.results["identity"].started) + offset
        findings = ev.get("findings", [])
        hit = [f for f in findings if burnin.shows(fault, f)]
        assert hit, (slot, fault, findings, burn.summary)
        seen = epoch_seconds(hit[0]["first_seen"])
        assert happened_from <= seen <= happened_by + INTERVAL + SAMPLE_SLACK, (slot, fault, hit[0], started)
        # the offset counts from the burn-in's start
        assert abs(hit[0]["offset_s"] - (seen - epoch_seconds(burn.started))) < 2.0
        # Nothing is reported before its fault happened: a healthy unit's readings hold.
        early = [f for f in findings if epoch_seconds(f["first_seen"]) < happened_from]
        assert not early, (slot, early)
        if fault == "reboot":
            # when the unit says it booted (its uptime, to the second): before the sample that saw it
            reboot = next(f for f in hit if f["finding"] == "unexpected reboot")
            assert epoch_seconds(reboot["booted_at"]) <= epoch_seconds(reboot["first_seen"]), (reboot, started)
            assert "unexpected reboot" in burn.summary and burn.outcome is Outcome.FAIL

    # Units with an SNMP agent are polled through the fast path; the Catalyst's environment comes over SNMP.
    cisco = outcomes["S1"].results["burnin"].evidence
    assert cisco["snmp_poller"] == "gufo-snmp"
    assert cisco["sources"]["uptime"] == {"snmp": cisco["samples"]}
    assert cisco["sources"]["environment"] == {"snmp": cisco["samples"]}
    # Its error counters too: the simulators serve EtherLike-MIB's CRC counter as real Catalysts do.
    assert cisco["sources"]["counters"] == {"snmp": cisco["samples"]}


class ScriptedAgent:
    """An SNMP channel whose answers change with each sample: sample n reads view(n). Lets the judgement of
    the SNMP path be checked sample by sample; the real agents are in the test above."""

    def __init__(self, view: Any) -> None:
        self.view = view
        self.sample = -1

    async def get(self, *oids: str) -> dict[str, object]:
        if "1.3.6.1.2.1.1.3.0" in oids:
            self.sample += 1  # every burn-in sample starts with sysUpTime
        v = self.view(self.sample)
        return {o: v.get(o) for o in oids}

    async def walk(self, oid: str) -> dict[str, object]:
        return {k: x for k, x in self.view(self.sample).items() if k.startswith(oid + ".")}


def switch_view(n: int) -> dict[str, object]:
    env, ift = "1.3.6.1.4.1.9.9.13.1", "1.3.6.1.2.1.2.2.1"
    return {"1.3.6.1.2.1.1.3.0": 100_000 + n * 5,
            f"{env}.3.1.2.1": "Inlet", f"{env}.3.1.3.1": 30, f"{env}.3.1.4.1": 60, f"{env}.3.1.6.1": 1,
            f"{env}.4.1.2.1": "Fan 1", f"{env}.4.1.3.1": 1 if n < 3 else 6,  # the fan fails at sample 3
            f"{env}.5.1.2.1": "PS1", f"{env}.5.1.3.1": 1,
            f"{ift}.2.1": "Gi1/0/1", f"{ift}.8.1": 1, f"{ift}.14.1": 0, f"{ift}.20.1": 0,
            "1.3.6.1.2.1.10.7.2.1.3.1": 0 if n < 5 else 7 * (n - 4)}  # CRC errors from sample 5


def test_burnin_over_snmp_alone_says_when_each_finding_was_first_seen() -> None:
    agent = ScriptedAgent(switch_view)
    interval = 0.1
    ctx = TestContext(SlotInfo("A01"), "cisco_ios_switch", {"duration": 0.75, "interval": interval}, Identity(),
                      snmp=agent)
    r = asyncio.run(burnin.run(ctx))
    assert r.outcome is Outcome.FAIL and "fan Fan 1 failed" in r.summary, r.summary
    ev = r.evidence
    assert ev["sources"] == {"uptime": {"snmp": ev["samples"]}, "counters": {"snmp": ev["samples"]},
                             "environment": {"snmp": ev["samples"]}}
    found = {f["finding"]: f for f in ev["findings"]}
    assert set(found) == {"fan Fan 1 fail", "Gi1/0/1 crc growing"}
    # sample n is due n intervals into the burn-in (never earlier; a busy machine may take it later)
    fan, crc = found["fan Fan 1 fail"], found["Gi1/0/1 crc growing"]
    assert fan["state"] == "FAIL" and 3 * interval - 0.01 <= fan["offset_s"] < 0.75 + 5
    assert crc["offset_s"] >= 5 * interval - 0.01 and crc["offset_s"] - fan["offset_s"] >= 2 * interval - 0.02
    assert ev["counter_growth"] == {"Gi1/0/1": {"crc": 7 * (ev["samples"] - 5)}}


def test_a_finding_is_dated_no_earlier_than_the_reading_that_shows_it() -> None:
    """A slow sample (a loaded unit answers each walk late): the finding is dated when the sample's readings
    were in, not when the sample began, so nothing is dated before its fault happened."""
    fan_state = "1.3.6.1.4.1.9.9.13.1.4.1.3.1"
    served: list[float] = []

    class SlowAgent(ScriptedAgent):
        async def walk(self, oid: str) -> dict[str, object]:
            await asyncio.sleep(0.05)  # the unit's own latency, per walk
            got = await super().walk(oid)
            if got.get(fan_state) == 6 and not served:
                served.append(time.time())  # the failed fan's first reading leaves the unit
            return got

    ctx = TestContext(SlotInfo("A01"), "cisco_ios_switch", {"duration": 2.0, "interval": 0.1}, Identity(),
                      snmp=SlowAgent(switch_view))
    r = asyncio.run(burnin.run(ctx))
    fan = next(f for f in r.evidence["findings"] if f["finding"] == "fan Fan 1 fail")
    assert served and epoch_seconds(fan["first_seen"]) >= served[0] - 0.002, (fan, served)


class CliCollector:
    """The platform collector as the burn-in sees it: counts its calls, answers a healthy unit."""

    name = "scripted"

    def __init__(self) -> None:
        self.calls = {"environment": 0, "ports": 0}

    async def environment(self, ctx: Any) -> Any:
        self.calls["environment"] += 1
        return Environment([Reading("temperature", "Inlet", SensorState.OK, 30.0, "C", 50, 60),
                            Reading("fan", "Fan 1", SensorState.OK), Reading("psu", "PS1", SensorState.OK)])

    async def ports(self, ctx: Any) -> Any:
        self.calls["ports"] += 1
        return Ports([PortState("GigabitEthernet1/0/1", True, True, counters={"crc": 0, "input_errors": 0})])


def test_burnin_leaves_to_the_cli_what_the_agent_does_not_serve(monkeypatch: Any) -> None:
    """An agent without a PSU table or a CRC counter: SNMP keeps the uptime; the CLI watches the rest,
    and SNMP is not asked for them again sample after sample."""

    def no_psu_no_crc(n: int) -> dict[str, object]:
        return {k: v for k, v in switch_view(0).items()
                if not k.startswith(("1.3.6.1.4.1.9.9.13.1.5.", "1.3.6.1.2.1.10.7."))} | {
                    "1.3.6.1.2.1.1.3.0": 100_000 + n * 5}

    cli = CliCollector()
    monkeypatch.setattr(burnin, "platform_for", lambda ctx: cli)
    walks: list[str] = []
    agent = ScriptedAgent(no_psu_no_crc)
    plain_walk = agent.walk

    async def counted(oid: str) -> dict[str, object]:
        walks.append(oid)
        return await plain_walk(oid)

    agent.walk = counted  # type: ignore[method-assign]
    ctx = TestContext(SlotInfo("A01"), "cisco_ios_switch", {"duration": 0.3, "interval": 0.05}, Identity(),
                      cli=object(), snmp=agent)  # type: ignore[arg-type]
    r = asyncio.run(burnin.run(ctx))
    assert r.outcome is Outcome.PASS, r.summary
    n = r.evidence["samples"]
    assert r.evidence["sources"] == {"uptime": {"snmp": n}, "environment": {"cli": n}, "counters": {"cli": n}}
    assert cli.calls == {"environment": n, "ports": n}
    assert len(walks) <= 12  # the first sample found out; later ones ask SNMP for the uptime only


def healthy_view(n: int) -> dict[str, object]:
    return {k: v for k, v in switch_view(0).items() if not k.startswith("1.3.6.1.2.1.10.7.")} | {
        "1.3.6.1.2.1.1.3.0": 100_000 + n * 5, "1.3.6.1.2.1.10.7.2.1.3.1": 0}


class CountersTimeOut(ScriptedAgent):
    """A healthy unit whose agent drops the error-counter walks of the samples in `lost` (a busy agent)."""

    def __init__(self, lost: Any) -> None:
        super().__init__(healthy_view)
        self.lost = lost

    async def walk(self, oid: str) -> dict[str, object]:
        if oid.startswith("1.3.6.1.2.1.10.7") and self.lost(self.sample):
            raise TimeoutError("SNMP timeout from 127.0.0.1:161 after 4 s")
        return await super().walk(oid)


@pytest.mark.parametrize(("lost", "outcome"), [
    (lambda n: n == 2, Outcome.PASS),  # between two good reads: the later read's growth covers the gap
    (lambda n: n == 0, Outcome.WARN),  # before the first good read: that interval's errors are unseen
    (lambda n: n >= 3, Outcome.WARN),  # the last reads: errors after the last good one are unseen
], ids=["middle", "first", "last"])
def test_a_missed_counter_read_is_incomplete_only_where_errors_could_hide(lost: Any, outcome: Outcome) -> None:
    ctx = TestContext(SlotInfo("A01"), "cisco_ios_switch", {"duration": 0.75, "interval": 0.1}, Identity(),
                      snmp=CountersTimeOut(lost))
    r = asyncio.run(burnin.run(ctx))
    assert r.outcome is outcome, r.summary
    if outcome is Outcome.WARN:
        assert "some samples incomplete: SNMP counters: TimeoutError" in r.summary


def test_finding_offsets_and_dates_count_from_the_same_start(monkeypatch: Any) -> None:
    """A finding's offset into the burn-in and its date agree with the result's start, however long the
    burn-in's own setup takes (loading the platform on a loaded machine took seconds: the offsets then
    counted from later than `started`, and a fault looked to be seen before it happened)."""

    def slow_platform(ctx: Any) -> CliCollector:
        time.sleep(1.0)  # the platform package imported and its platform.yaml read under load
        return CliCollector()

    monkeypatch.setattr(burnin, "platform_for", slow_platform)
    ctx = TestContext(SlotInfo("A01"), "cisco_ios_switch", {"duration": 0.75, "interval": 0.1}, Identity(),
                      cli=object(), snmp=ScriptedAgent(switch_view))  # type: ignore[arg-type]
    r = asyncio.run(burnin.run(ctx))
    findings = r.evidence["findings"]
    assert findings, r.summary
    for f in findings:
        since_start = epoch_seconds(f["first_seen"]) - epoch_seconds(r.started)
        assert abs(f["offset_s"] - since_start) < 0.3, (f, since_start)
    assert r.evidence["elapsed_s"] >= 1.0  # the setup is part of the burn-in's time, as `started` says
