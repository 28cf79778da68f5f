"""Skip, mark empty, stop, retest and start from the dashboard: rows in the store that a running engine acts on,
or a finished run resumed in the background."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from helpers.sim_bench import start_sim, stop_sim
from helpers.tui_pilot import SIZE, settle
from helpers.tui_store import frozen_clock, make_bench, run_async
from textual.pilot import Pilot

from bench import events as ev
from bench.config import load_bench
from bench.control import request
from bench.engine import Engine, EngineOptions
from bench.errors import BadInput
from bench.model import Outcome
from bench.profiles import Catalog
from bench.records import seal, verify
from bench.store import Store
from bench.store_lock import StoreLock
from bench.tests_hw.registry import known_tests
from bench.tui.actions import ConfirmAction
from bench.tui.app import BenchApp
from bench.tui.detail import SlotDetail
from bench.tui.retest import redo


def beside_the_engine(engine: Engine, technician: Callable[[], Awaitable[None]]) -> dict[str, Any]:
    """Run the engine and a technician's requests side by side; the engine's outcomes by slot."""
    async def both() -> list[Any]:
        outcomes, _ = await asyncio.gather(engine.run(), technician())
        return outcomes  # type: ignore[no-any-return]

    return {o.slot: o for o in asyncio.run(both())}


async def until(check: Callable[[], object], what: str, deadline: float = 90) -> None:
    end = time.monotonic() + deadline
    while not check():
        if time.monotonic() > end:
            raise AssertionError(f"never happened: {what}")
        await asyncio.sleep(0.2)


def burnins_started(store: Store, slot: str) -> int:
    """How many times the latest run started `slot`'s burn-in."""
    run = store.latest_run()
    return sum(1 for r in (store.events(run.id) if run else []) if r["slot"] == slot
               and r["kind"] == ev.STEP_STARTED and json.loads(r["data"])["test"] == "burnin")


def test_a_running_engine_skips_the_test_and_empties_the_slot_it_is_asked_to(tmp_path: Path) -> None:
    sim = start_sim(tmp_path, 3, seed=4)
    try:
        config = load_bench(sim.run_file(tmp_path))
        store = Store(f"sqlite:///{tmp_path}/ctl.db")
        tui_side = Store(f"sqlite:///{tmp_path}/ctl.db")  # the dashboard's own connection
        engine = Engine(config, store, Catalog.load(known_tests()), EngineOptions(plan="burnin", burnin=120))

        async def technician() -> None:
            await until(lambda: all(burnins_started(tui_side, s) for s in ("S1", "S2", "S3")),
                        "the burn-ins started", deadline=120)
            run = tui_side.latest_run()
            assert run is not None
            request(tui_side, run.id, "S1", "skip", "JD")
            request(tui_side, run.id, "S2", "empty", "KM")
            request(tui_side, run.id, "S3", "skip", "JD")

        began = time.monotonic()
        outcomes = beside_the_engine(engine, technician)
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


async def refused(pilot: Pilot[None], app: BenchApp, *keys: str) -> None:
    """Press `keys`: the slot action is refused, no confirmation opens."""
    await pilot.press(*keys)
    await pilot.pause()
    assert not isinstance(app.screen, ConfirmAction)


async def asked(pilot: Pilot[None], app: BenchApp, *keys: str) -> ConfirmAction:
    """Press `keys`: the confirmation opens."""
    await pilot.press(*keys)
    await settle(pilot, lambda: isinstance(app.screen, ConfirmAction))
    return app.screen  # type: ignore[return-value]


async def answer(pilot: Pilot[None], app: BenchApp, operator: str = "") -> None:
    """Type the operator id (none: the remembered one) and Enter: the confirmation closes."""
    await pilot.press(*operator, "enter")
    await settle(pilot, lambda: not isinstance(app.screen, ConfirmAction))


@run_async
async def test_the_dashboard_asks_with_the_operator_id_and_refuses_finished_slots(tmp_path: Path) -> None:
    store = make_bench(tmp_path / "c.db")
    app = BenchApp(store, clock=frozen_clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await refused(pilot, app, "X")  # S1 is finished: nothing to empty
        await asked(pilot, app, "down", "down", "x")  # S3, running
        await pilot.press("enter")  # no operator yet: refused, stays open
        assert isinstance(app.screen, ConfirmAction)
        await answer(pilot, app, "JD")
        rows = [dict(r) for r in store.db.execute("SELECT slot, action, operator, taken FROM control")]
        assert rows == [{"slot": "S3", "action": "skip", "operator": "JD", "taken": None}]
    store.close()


def _records(store: Store, slot: str) -> int:
    return int(store.db.execute("SELECT COUNT(*) AS n FROM records WHERE slot=?", (slot,)).fetchone()["n"])


def _log_lines(store: Store, run_id: int) -> list[str]:
    return [json.loads(r["data"])["line"] for r in store.events(run_id) if r["kind"] == ev.LOG]


def test_retesting_one_test_of_a_finished_run_resumes_it_in_the_background(tmp_path: Path) -> None:
    sim = start_sim(tmp_path, 2, seed=5)
    try:
        config = load_bench(sim.run_file(tmp_path))
        db = tmp_path / "done.db"
        store = Store(str(db))
        engine = Engine(config, store, Catalog.load(known_tests()), EngineOptions(plan="quick"))
        asyncio.run(engine.run())
        run_id = engine.run_id
        before = store.results(run_id, "S1")
        sealed_before = _records(store, "S1")
        others = {n: r.started for n, r in store.results(run_id, "S2").items()}
        assert store.run(run_id).status == "done" and "environment" in before  # type: ignore[union-attr]

        done = redo(Store(str(db)), run_id, "S1", "retest", "JD", test="environment")
        assert done.process is not None and "resumed in the background" in done.message
        assert done.process.wait(timeout=300) in (0, 1)  # 1: a unit failed; never a crash
        log = done.log.read_text() if done.log else ""
        assert "Traceback" not in log and "resuming run" in log

        after = store.results(run_id, "S1")
        assert set(after) == set(before)
        assert after["environment"].started > before["environment"].finished  # run again
        for name in set(before) - {"environment"}:
            assert after[name].started == before[name].started  # untouched
        assert {n: r.started for n, r in store.results(run_id, "S2").items()} == others  # S2 was not retested
        assert store.run(run_id).status == "done"  # type: ignore[union-attr]
        assert store.latest_run().id == run_id  # the same run, not a new one  # type: ignore[union-attr]
        row = store.slot_row(run_id, "S1")
        assert row is not None and row["status"] == "done" and row["grade"]
        assert _records(store, "S1") > sealed_before
        assert verify(store).ok
        cli = subprocess.run([sys.executable, "-m", "bench.cli", "verify", "--db", str(db)], capture_output=True,
                             text=True, timeout=60)
        assert cli.returncode == 0, cli.stdout + cli.stderr
        assert any("retest of environment asked by operator JD" in line for line in _log_lines(store, run_id))
        ctl = [dict(r) for r in store.db.execute("SELECT slot, action, operator FROM control")]
        assert ctl == [{"slot": "S1", "action": "retest", "operator": "JD"}]
        store.close()
    finally:
        stop_sim(sim.proc)


def test_a_finished_run_whose_bench_file_is_gone_says_what_to_run_and_clears_nothing(tmp_path: Path) -> None:
    store = make_bench(tmp_path / "gone.db")  # its source 'bench.yaml' is not in the working directory
    run = store.latest_run()
    assert run is not None
    store.finish_run(run.id)
    kept = store.results(run.id, "S2")
    with pytest.raises(BadInput) as e:
        redo(store, run.id, "S2", "retest", "JD")
    assert "bench run" in str(e.value) and "--plan quick" in str(e.value) and "--db" in str(e.value)
    assert store.results(run.id, "S2") == kept and store.run(run.id).status == "done"  # type: ignore[union-attr]
    assert store.slot_status(run.id, "S2") == "done"
    store.close()


def test_stop_during_burnin_then_retest_while_the_engine_runs(tmp_path: Path) -> None:
    sim = start_sim(tmp_path, 2, seed=6)
    try:
        config = load_bench(sim.run_file(tmp_path))
        store = Store(f"sqlite:///{tmp_path}/live.db")
        tui_side = Store(f"sqlite:///{tmp_path}/live.db")
        # 120.0 as `bench run --burnin 120s` gives it: a float, part of the run's key
        engine = Engine(config, store, Catalog.load(known_tests()), EngineOptions(plan="burnin", burnin=120.0))
        seen: dict[str, object] = {}

        async def technician() -> None:
            await until(lambda: burnins_started(tui_side, "S1") and burnins_started(tui_side, "S2"),
                        "both burn-ins started")
            run = tui_side.latest_run()
            assert run is not None
            request(tui_side, run.id, "S1", "stop", "JD")
            await until(lambda: tui_side.slot_status(run.id, "S1") == "done", "S1 stopped and graded")
            stopped = tui_side.results(run.id, "S1")
            seen["stopped"] = stopped
            seen["stopped_grade"] = tui_side.slot_row(run.id, "S1")["grade"]  # type: ignore[index]
            seen["records"] = _records(tui_side, "S1")
            # S2 is still burning in: the engine is alive and takes the retest.
            seen["message"] = redo(tui_side, run.id, "S1", "retest", "KM", test="identity").message
            await until(lambda: "identity" in tui_side.results(run.id, "S1")
                        and tui_side.slot_status(run.id, "S1") == "done", "S1 retested")
            seen["retested"] = tui_side.results(run.id, "S1")
            seen["start"] = redo(tui_side, run.id, "S1", "start", "KM").message  # its stopped burn-in runs again
            await until(lambda: burnins_started(tui_side, "S1") == 2, "S1's burn-in started again")
            request(tui_side, run.id, "S1", "skip", "KM")
            await until(lambda: tui_side.slot_status(run.id, "S1") == "done"
                        and "burnin" in tui_side.results(run.id, "S1"), "S1's second burn-in skipped")
            request(tui_side, run.id, "S2", "stop", "JD")  # the last slot: the run ends

        began = time.monotonic()
        outcomes = beside_the_engine(engine, technician)
        assert time.monotonic() - began < 110  # two 120 s burn-ins were cut short

        stopped = seen["stopped"]
        assert isinstance(stopped, dict)
        burnin = stopped["burnin"]
        assert burnin.outcome == Outcome.NOT_RUN and "stopped by operator JD" in burnin.summary
        assert seen["stopped_grade"]  # graded when stopped
        assert "asked the run" in str(seen["message"])

        retested = seen["retested"]
        assert isinstance(retested, dict)
        assert retested["identity"].started > stopped["identity"].finished  # re-run in the same run
        assert retested["burnin"] == burnin  # not part of the retest: kept
        final = store.results(engine.run_id, "S1")
        assert final["identity"] == retested["identity"]  # the start ran only what was stopped
        assert final["burnin"].summary == "skipped by operator KM"  # the second burn-in ran, then was skipped
        assert outcomes["S1"].results["identity"] == final["identity"]  # run() returned the slot's latest pass
        assert store.run(engine.run_id).status == "done"  # type: ignore[union-attr]
        assert [r.id for r in [store.latest_run()] if r] == [engine.run_id]
        assert _records(store, "S1") > int(seen["records"])  # type: ignore[call-overload]
        assert store.results(engine.run_id, "S2")["burnin"].summary == "stopped by operator JD"
        assert "asked the run to start" in str(seen["start"])
        assert verify(store).ok
        lines = _log_lines(store, engine.run_id)
        assert "retest asked by operator KM" in lines and "stopped by operator JD" in lines
        assert "started by operator KM" in lines
        store.close()
        tui_side.close()
    finally:
        stop_sim(sim.proc)


@run_async
async def test_the_keys_ask_for_the_operator_and_write_stop_retest_and_start(tmp_path: Path) -> None:
    store = make_bench(tmp_path / "k.db")
    run = store.latest_run()
    assert run is not None
    app = BenchApp(store, clock=frozen_clock)
    engine_alive = StoreLock(str(tmp_path / "k.db")).acquire()  # what a live engine holds: requests go to it
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert {"r", "o", "O"} <= {k for k, b in app.active_bindings.items() if b.binding.show}  # in the footer
        await refused(pilot, app, "O")  # S1 is not under test
        await asked(pilot, app, "r")  # retest S1 (finished) while the run goes on
        await answer(pilot, app, "KM")
        await settle(pilot, lambda: store.slot_status(run.id, "S1") == "pending")
        assert store.results(run.id, "S1") == {}
        await refused(pilot, app, "down", "down", "r")  # S3 is under test: refused
        await asked(pilot, app, "O")  # stop S3
        await answer(pilot, app)  # the operator id is remembered from the retest
        await pilot.press("up", "enter")  # S2's detail, its tests
        await settle(pilot, lambda: isinstance(app.screen, SlotDetail))
        assert "R" in {k for k, b in app.active_bindings.items() if b.binding.show}
        confirm = await asked(pilot, app, "down", "R")  # the second test: authenticity
        assert confirm.step == "authenticity"
        await answer(pilot, app)
        await settle(pilot, lambda: "authenticity" not in store.results(run.id, "S2"))
        await settle(pilot, lambda: isinstance(app.screen, SlotDetail))
        assert len(store.results(run.id, "S2")) == 5  # only that one was cleared
        rows = [dict(r) for r in store.db.execute("SELECT slot, action, operator, taken FROM control ORDER BY id")]
        assert rows == [{"slot": "S1", "action": "retest", "operator": "KM", "taken": None},
                        {"slot": "S3", "action": "stop", "operator": "KM", "taken": None},
                        {"slot": "S2", "action": "retest", "operator": "KM", "taken": None}]
        commands = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Stop slot (O)", "Retest slot (r)", "Start slot (o)"} <= commands
    engine_alive.release()
    store.close()


def test_verify_holds_while_a_slot_is_under_retest(tmp_path: Path) -> None:
    store = make_bench(tmp_path / "v.db")
    run = store.latest_run()
    assert run is not None
    for slot in ("S1", "S2", "S5", "S6"):  # the finished ones
        seal(store, run.id, slot)
    assert verify(store).ok
    with StoreLock(str(tmp_path / "v.db")):  # the run's engine is alive: it takes the request
        redo(store, run.id, "S1", "retest", "JD")  # results cleared; its record describes the first pass
    assert store.results(run.id, "S1") == {} and verify(store).ok
    store.db.execute("UPDATE slots SET status='done' WHERE run_id=? AND slot='S1'", (run.id,))
    assert not verify(store).ok  # a finished slot whose rows differ from its record is still caught
    store.close()
