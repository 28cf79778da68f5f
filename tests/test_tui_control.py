"""Skip a test and mark a slot empty from the dashboard: a row in the store that a running engine acts on."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

from conftest import start_sim, stop_sim
from test_tui import SIZE, settle
from test_tui_helpers import frozen_clock, make_bench, run_async

from bench import events as ev
from bench.config import load_bench
from bench.control import request
from bench.engine import Engine, EngineOptions
from bench.model import Outcome
from bench.profiles import Catalog
from bench.store import Store
from bench.tests_hw.registry import known_tests
from bench.tui.actions import ConfirmAction
from bench.tui.app import BenchApp


def test_a_running_engine_skips_the_test_and_empties_the_slot_it_is_asked_to(tmp_path: Path) -> None:
    sim = start_sim(tmp_path, 3, seed=4)
    try:
        config = load_bench(sim.run_file(tmp_path))
        store = Store(f"sqlite:///{tmp_path}/ctl.db")
        tui_side = Store(f"sqlite:///{tmp_path}/ctl.db")  # the dashboard's own connection
        engine = Engine(config, store, Catalog.load(known_tests()), EngineOptions(plan="burnin", burnin=120))

        async def technician() -> None:
            end = time.monotonic() + 120
            while time.monotonic() < end:
                run = tui_side.latest_run()
                started = {r["slot"] for r in (tui_side.events(run.id) if run else [])
                           if r["kind"] == ev.STEP_STARTED and json.loads(r["data"])["test"] == "burnin"}
                if {"S1", "S2", "S3"} <= started:
                    assert run is not None
                    request(tui_side, run.id, "S1", "skip", "JD")
                    request(tui_side, run.id, "S2", "empty", "KM")
                    request(tui_side, run.id, "S3", "skip", "JD")
                    return
                await asyncio.sleep(0.2)
            raise AssertionError("the burn-in never started")

        async def both() -> list:  # type: ignore[type-arg]
            outcomes, _ = await asyncio.gather(engine.run(), technician())
            return outcomes

        began = time.monotonic()
        outcomes = {o.slot: o for o in asyncio.run(both())}
        assert time.monotonic() - began < 100  # a 120 s burn-in was cut short
        for slot, who, why in (("S1", "JD", "skipped"), ("S2", "KM", "slot marked empty"), ("S3", "JD", "skipped")):
            burnin = outcomes[slot].results["burnin"]
            assert burnin.outcome == Outcome.NOT_RUN and why in burnin.summary and who in burnin.summary
            assert outcomes[slot].results["identity"].outcome == Outcome.PASS  # done before: kept
        assert not outcomes["S1"].grade.disposition == "RESALE"
        logs = [json.loads(r["data"])["line"] for r in store.events(engine.run_id) if r["kind"] == ev.LOG]
        assert any("slot marked empty by operator KM" in line for line in logs)
        store.close()
        tui_side.close()
    finally:
        stop_sim(sim.proc)


@run_async
async def test_the_dashboard_asks_with_the_operator_id_and_refuses_finished_slots(tmp_path: Path) -> None:
    store = make_bench(tmp_path / "c.db")
    app = BenchApp(store, clock=frozen_clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("X")  # S1 is finished: nothing to empty
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmAction)
        await pilot.press("down", "down", "x")  # S3, running
        await settle(pilot, lambda: isinstance(app.screen, ConfirmAction))
        await pilot.press("enter")  # no operator yet: refused, stays open
        assert isinstance(app.screen, ConfirmAction)
        await pilot.press(*"JD", "enter")
        await settle(pilot, lambda: not isinstance(app.screen, ConfirmAction))
        rows = [dict(r) for r in store.db.execute("SELECT slot, action, operator, taken FROM control")]
        assert rows == [{"slot": "S3", "action": "skip", "operator": "JD", "taken": None}]
    store.close()
