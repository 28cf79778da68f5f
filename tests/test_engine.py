"""The engine in-process: watchdog on a hung unit, events to subscribers and to the store, bad auth."""

from __future__ import annotations

import asyncio

import pytest
import yaml
from helpers.sim_bench import start_sim, stop_sim

from bench import events as ev
from bench.config import load_bench
from bench.engine import Engine, EngineOptions
from bench.events import EventBus
from bench.model import Outcome
from bench.profiles import Catalog
from bench.store import Store
from bench.tests_hw.registry import known_tests


@pytest.fixture(scope="module")
def slow_sim(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("slow")
    sim = start_sim(tmp, 3, "S1:slow_response,S2:unknown_password")
    yield sim, tmp
    stop_sim(sim.proc)


def test_watchdog_turns_a_hung_unit_into_error_and_the_run_goes_on(slow_sim):
    sim, tmp = slow_sim
    config = load_bench(sim.run_file(tmp))
    store = Store(f"sqlite:///{tmp}/wd.db")
    seen: list[ev.Event] = []
    bus = EventBus()
    bus.subscribe(seen.append)
    # slow_response delays every CLI answer ~2 s; a 1.5 s watchdog must give up, not hang.
    engine = Engine(config, store, Catalog.load(known_tests()), EngineOptions(step_timeout=1.5), bus)
    outcomes = {o.slot: o for o in asyncio.run(engine.run())}

    slow = outcomes["S1"].results
    assert slow["identity"].outcome == Outcome.ERROR and "watchdog" in slow["identity"].summary
    assert outcomes["S1"].grade.disposition == "HOLD"

    # wrong credentials: CLI tests ERROR naming the sets tried, never a credential; SNMP still identifies
    locked_out = outcomes["S2"].results
    env = locked_out["environment"]
    assert env.outcome == Outcome.ERROR and "factory" in env.summary and "cisco" not in env.summary
    assert locked_out["identity"].evidence["chassis_serials"].get("snmp") == sim.truth["S2"]["serial"]
    assert outcomes["S2"].grade.disposition == "HOLD"

    healthy = outcomes["S3"].results
    assert {r.outcome for r in healthy.values()} <= {Outcome.PASS, Outcome.NOT_RUN, Outcome.WARN}

    kinds = [e.kind for e in seen]
    assert kinds[0] == ev.RUN_STARTED and kinds[-1] == ev.RUN_FINISHED
    assert kinds.count(ev.SLOT_FINISHED) == 3 and kinds.count(ev.GRADE_ASSIGNED) == 3
    stored = [r["kind"] for r in store.events(engine.run_id)]
    assert stored == kinds  # the store saw every event the subscribers saw, in order
    # every finished unit was sealed into the signed record chain, and the chain verifies
    from bench import records

    assert store.db.execute("SELECT count(*) FROM records").fetchone()[0] == 3
    assert records.verify(store).ok
    store.close()


def test_named_profile_without_the_plan_is_refused_before_connecting(slow_sim, tmp_path):
    sim, tmp = slow_sim
    doc = yaml.safe_load(sim.run_file(tmp).read_text())
    doc["slots"][0]["profile"] = "no_such_profile"
    path = tmp_path / "b.yaml"
    path.write_text(yaml.safe_dump(doc))
    from bench.errors import ProfileError

    with pytest.raises(ProfileError, match="no profile named 'no_such_profile'"):
        Engine(load_bench(path), Store(f"sqlite:///{tmp_path}/x.db"), Catalog.load(known_tests()))


def test_a_check_declares_its_watchdog_and_the_run_inputs_it_takes(tmp_path):
    # The engine names no test: a check's own declaration sets how long it may run and which of the run's
    # inputs (--burnin, the slot's harness) override its profile params; a check declaring nothing gets the
    # step timeout and its profile's params as they are.
    from bench.config import BenchConfig, SlotConfig
    from bench.model import Identity
    from bench.tests_hw.base import SlotInfo, TestContext, declare
    from bench.tests_hw.registry import get_test

    @declare(watchdog=lambda params: float(params["budget"]))
    async def slow(ctx):
        await asyncio.sleep(30)

    async def plain(ctx):
        return None

    store = Store(f"sqlite:///{tmp_path}/decl.db")
    catalog = Catalog.load(known_tests())
    engine = Engine(BenchConfig("b", str(tmp_path / "decl.db"), []), store, catalog,
                    EngineOptions(step_timeout=77.0, burnin=42.0, key_path=str(tmp_path / "k.key")))
    assert engine._watchdog(slow, {"budget": 0.3}) == 0.3
    assert engine._watchdog(plain, {}) == 77.0
    assert engine._watchdog(slow, {"budget": 0.3, "timeout": "5s"}) == 5.0  # the profile's own timeout wins

    ctx = TestContext(SlotInfo("s1"), "none", {"budget": 0.3}, Identity())
    r = asyncio.run(engine._run_test("slow", ctx, engine._watchdog(slow, ctx.params), slow))
    assert r.outcome == Outcome.ERROR and "within 0.3 s" in r.summary

    profile = catalog.get("cisco_ios_switch")
    slot = SlotConfig(id="S1", profile=profile.name, harness={"loopback": ["Gi1/0/9"]})
    burnin = get_test("burnin")
    assert engine._params(profile, "burnin", slot, burnin)["duration"] == 42.0
    assert engine._watchdog(burnin, engine._params(profile, "burnin", slot, burnin)) == 42.0 + 600 + 300
    assert engine._params(profile, "ports", slot, get_test("ports"))["harness"] == {"loopback": ["Gi1/0/9"]}
    assert "duration" not in engine._params(profile, "post", slot, plain)
    store.close()
