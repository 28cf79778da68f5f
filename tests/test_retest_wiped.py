"""Retesting a unit the full plan has already wiped (issue 17, "Retest hangs").

After `write erase` and a reload a Catalyst has no user and no SSH. A slot with a console is then driven over
its console, and the evidence says why; without a console every CLI test fails at once with that one cause,
never one SSH timeout per test. Either way the retest is bounded, and the other units are left as they were.
"""

from __future__ import annotations

import asyncio
import time
from datetime import datetime
from pathlib import Path

import yaml
from helpers.engine_runs import run_engine
from helpers.sim_bench import start_sim, stop_sim

from bench.drivers.snmp import SnmpTarget, close_shared_engine
from bench.model import Outcome, TestResult
from bench.store import Store
from bench.tui.retest import redo

BURNIN_S = 5.0
# Only the tests that read the unit's CLI (identity and burn-in have SNMP too).
CLI_TESTS = ("post", "environment", "logs", "ports", "optics")


def seconds(r: TestResult) -> float:
    return (datetime.fromisoformat(r.finished) - datetime.fromisoformat(r.started)).total_seconds()


def settle(bench_file: Path, slot: str, uptime_s: float, deadline_s: float = 120.0) -> None:
    """Wait (polling sysUpTime, with a deadline) until the unit has been up `uptime_s`: the wipe ended with a
    reload, and a switch's ports only link some seconds after its boot (the simulator's LINK_UP_AT). A
    technician retests a unit that has settled; one retested mid-boot is not the unit of the first pass."""
    s = next(x for x in yaml.safe_load(bench_file.read_text())["slots"] if x["id"] == slot)["snmp"]

    async def poll() -> None:
        target = SnmpTarget(s["host"], s["port"], s["community"])
        end = time.monotonic() + deadline_s
        try:
            while time.monotonic() < end:
                ticks = (await target.get("1.3.6.1.2.1.1.3.0")).get("1.3.6.1.2.1.1.3.0")
                if ticks is not None and int(ticks) / 100 >= uptime_s:
                    return
                await asyncio.sleep(1)  # the next poll of the unit's own clock
            raise AssertionError(f"{slot} not up {uptime_s:g} s within {deadline_s:g} s")
        finally:
            close_shared_engine()

    asyncio.run(poll())


def retest(db: Path, run_id: int, slot: str) -> float:
    """Retest `slot` as the dashboard does (a finished run resumed in the background); its wall time."""
    t0 = time.monotonic()
    done = redo(Store(str(db)), run_id, slot, "retest", "JD")
    assert done.process is not None
    assert done.process.wait(timeout=600) in (0, 1)  # 1: a unit failed; never a crash
    log = done.log.read_text() if done.log else ""
    assert "Traceback" not in log, log
    return time.monotonic() - t0


def test_a_wiped_unit_is_retested_over_its_console_with_the_first_pass_results(tmp_path: Path) -> None:
    sim = start_sim(tmp_path, 2, seed=3)
    try:
        db, bench_file = tmp_path / "wiped.db", sim.run_file(tmp_path)
        t0 = time.monotonic()
        run_id, _ = run_engine(bench_file, db, "full", burnin=BURNIN_S)
        first_pass_s = time.monotonic() - t0
        store = Store(str(db))
        first = store.results(run_id, "S1")
        assert first["sanitization"].outcome in (Outcome.PASS, Outcome.WARN), first["sanitization"].summary
        others = {n: (r.started, r.finished, r.outcome) for n, r in store.results(run_id, "S2").items()}
        other_row = dict(store.slot_row(run_id, "S2") or {})

        from simulators.families.cisco_ios.device import LINK_UP_AT

        settle(bench_file, "S1", LINK_UP_AT + 5)
        took = retest(db, run_id, "S1")

        after = store.results(run_id, "S1")
        assert set(after) == set(first)
        for name, r in first.items():
            assert after[name].started > r.finished, name  # every test ran again
            if name != "sanitization":
                assert after[name].outcome == r.outcome, (name, after[name].summary)
        # Nothing of the previous owner's is left to wipe: cleared and verified again.
        assert after["sanitization"].outcome == Outcome.PASS, after["sanitization"].summary
        for name in CLI_TESTS:
            channel = str(after[name].evidence.get("channel", ""))
            assert "SSH not available" in channel and "refused" in channel and "console" in channel, channel
        # A 5 s burn-in stays a 5 s burn-in (it sampled the unit, it did not wait out timeouts).
        assert seconds(after["burnin"]) < BURNIN_S + 60, after["burnin"].evidence
        assert took < max(3 * first_pass_s, 240), (took, first_pass_s)
        # The other unit is untouched: its results and its slot's times are those of the first pass.
        assert {n: (r.started, r.finished, r.outcome) for n, r in store.results(run_id, "S2").items()} == others
        assert dict(store.slot_row(run_id, "S2") or {}) == other_row
        store.close()
    finally:
        stop_sim(sim.proc)


def test_a_wiped_unit_without_a_console_fails_its_cli_tests_at_once_with_one_cause(tmp_path: Path) -> None:
    sim = start_sim(tmp_path, 1, seed=4)
    try:
        db = tmp_path / "noconsole.db"
        run_id, _ = run_engine(sim.run_file(tmp_path, keep=("ssh", "snmp")), db, "full", burnin=BURNIN_S)
        store = Store(str(db))
        retest(db, run_id, "S1")
        after = store.results(run_id, "S1")
        causes = set()
        for name in CLI_TESTS:
            r = after[name]
            assert r.outcome == Outcome.ERROR, (name, r.summary)
            assert seconds(r) < 5, (name, seconds(r))  # no read or connect timeout per test
            causes.add(str(r.evidence.get("channel", "")))
        assert len(causes) == 1 and "SSH" in causes.pop()
        assert seconds(after["burnin"]) < BURNIN_S + 60
        store.close()
    finally:
        stop_sim(sim.proc)
