"""Watchdogs that hold: a step whose driver thread is blocked in a read ends at its bound with ERROR and the
run goes on; a session the unit drops is named as such, at once, not after a read timeout."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from helpers.engine_runs import run_engine
from helpers.sim_bench import start_sim, stop_sim

from bench.engine import WATCHDOG_GRACE
from bench.model import Outcome


def seconds(r) -> float:  # type: ignore[no-untyped-def]
    return (datetime.fromisoformat(r.finished) - datetime.fromisoformat(r.started)).total_seconds()


def test_a_stuck_step_ends_at_its_watchdog_and_a_dropped_session_is_named(tmp_path: Path) -> None:
    # slow_response: every CLI answer takes ~2 s, so a 0.5 s watchdog fires while a netmiko thread is blocked
    # in its read; ssh_drop: the unit cuts the SSH session after a few commands. The drop is run with the
    # default watchdog: at 0.5 s a loaded machine (parallel tests) ends its steps before the drop is seen.
    (tmp_path / "stuck").mkdir()
    (tmp_path / "drop").mkdir()
    sims = [start_sim(tmp_path / "stuck", 2, "S1:slow_response"), start_sim(tmp_path / "drop", 1, "S1:ssh_drop")]
    try:
        _, outcomes = run_engine(sims[0].run_file(tmp_path / "stuck"), tmp_path / "wd.db", step_timeout=0.5)
        _, drop_outcomes = run_engine(sims[1].run_file(tmp_path / "drop"), tmp_path / "drop.db")
    finally:
        for sim in sims:
            stop_sim(sim.proc)
    by_slot = {o.slot: o.results for o in outcomes}
    stuck = [r for r in by_slot["S1"].values() if r.outcome == Outcome.ERROR]
    assert stuck and all("watchdog" in r.summary for r in stuck)
    assert all(seconds(r) <= 0.5 + WATCHDOG_GRACE + 1 for r in stuck)

    dropped = [r for r in drop_outcomes[0].results.values() if r.outcome == Outcome.ERROR]
    assert dropped and any("session dropped" in r.summary for r in dropped), [r.summary for r in dropped]
    assert all(seconds(r) < 10 for r in dropped)  # not a 30 s read timeout per command

    # the other slot went on (a healthy unit's steps may themselves pass 0.5 s on a loaded machine)
    assert any(r.outcome == Outcome.PASS for r in by_slot["S2"].values())
