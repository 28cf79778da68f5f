"""SIGINT and SIGTERM during a real `bench run` against a real `bench sim`: the run stops promptly between
steps, stores no result and seals no record for the step it abandons, and the same command resumes it to
the outcomes an uninterrupted run gives on identical units. A store that fails (a real "database or disk
is full") stops the run the same way, without sealing a bench ERROR into a unit's grade."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers.processes import read_lines_until
from helpers.sim_bench import start_sim, stop_sim

from bench.config import load_bench
from bench.engine import Engine, EngineOptions
from bench.errors import StoreFailed
from bench.model import Outcome, TestResult, utc_now
from bench.profiles import Catalog
from bench.store import Store
from bench.tests_hw.registry import known_tests

# identity then a burn-in: long enough to be interrupted in the middle, short enough for a test
PLAN = ["--plan", "burnin", "--burnin", "8s"]


def bench_run(bench_file: Path, db: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "bench.cli", "run", str(bench_file), "--headless", "--db",
                             f"sqlite:///{db}", *PLAN, *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def outcomes(db: Path) -> dict[str, dict[str, str]]:
    con = sqlite3.connect(db)
    out: dict[str, dict[str, str]] = {}
    for slot, name, outcome in con.execute("SELECT slot, name, outcome FROM results ORDER BY slot, position"):
        out.setdefault(slot, {})[name] = outcome
    con.close()
    return out


def sealed(db: Path) -> int:
    con = sqlite3.connect(db)
    n = con.execute("SELECT COUNT(*) FROM records").fetchone()[0]
    con.close()
    return int(n)


@pytest.fixture
def twin_sims(tmp_path: Path):
    """Two simulated benches of identical units (same seed): one for the reference run, one to interrupt."""
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    sims = [start_sim(a, 2, seed=5), start_sim(b, 2, seed=5)]
    yield [(s, d) for s, d in zip(sims, (a, b), strict=True)]
    for s in sims:
        stop_sim(s.proc)


@pytest.mark.parametrize("sig, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["SIGINT", "SIGTERM"])
def test_a_signal_stops_the_run_between_steps_and_the_same_command_resumes_it(twin_sims, sig, code):
    (ref_sim, ref_dir), (sim, tmp) = twin_sims
    reference = bench_run(ref_sim.run_file(ref_dir), ref_dir / "ref.db")

    run_file, db = sim.run_file(tmp), tmp / "int.db"
    proc = bench_run(run_file, db)
    read_lines_until(proc, " identity ", 2)  # both units are now in their burn-in
    t0 = time.monotonic()
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    took = time.monotonic() - t0
    assert proc.returncode == code
    assert took < 10, f"took {took:.1f} s to stop"
    lines = [x for x in err.splitlines() if x.strip()]
    assert len(lines) == 1 and "interrupted" in lines[0] and "resume" in lines[0], err
    assert "Traceback" not in err
    # nothing of the abandoned burn-ins was stored, nothing sealed, no bench ERROR anywhere
    stopped = outcomes(db)
    assert all(set(tests) == {"identity"} for tests in stopped.values()), stopped
    assert sealed(db) == 0

    if sig == signal.SIGINT:
        # A unit an older bench left with its interruption's `bench` ERROR (and sealed) is tested again.
        store = Store(f"sqlite:///{db}")
        run_id = int(store.db.execute("SELECT MAX(id) FROM runs").fetchone()[0])
        store.save_result(run_id, "S1", 1, TestResult("bench", Outcome.ERROR, "RuntimeError: cannot schedule new"
                                                      " futures after shutdown", {}, utc_now(), utc_now()))
        store.db.execute("UPDATE slots SET status='done', grade='{}' WHERE run_id=? AND slot='S1'", (run_id,))
        store.close()

    again = bench_run(run_file, db)
    out, err = again.communicate(timeout=60)
    assert again.returncode == 0, err
    assert "resuming run" in out
    assert reference.wait(60) == 0
    assert outcomes(db) == outcomes(ref_dir / "ref.db")
    assert all("bench" not in tests for tests in outcomes(db).values())
    assert sealed(db) == 2


def test_a_full_store_stops_the_run_and_nothing_is_sealed_with_it(twin_sims):
    """A real SQLite 'database or disk is full' (the store's page limit reached mid-run)."""
    (ref_sim, ref_dir), (sim, tmp) = twin_sims
    reference = bench_run(ref_sim.run_file(ref_dir), ref_dir / "ref.db")
    run_file, db = sim.run_file(tmp), tmp / "full.db"
    catalog = Catalog.load(known_tests())
    options = EngineOptions(plan="burnin", burnin=8.0)

    store = Store(f"sqlite:///{db}")
    pages = int(store.db.execute("PRAGMA page_count").fetchone()[0])
    store.db.execute(f"PRAGMA max_page_count={pages + 2}")  # room for the run to start, not to finish
    engine = Engine(load_bench(run_file), store, catalog, options)
    t0 = time.monotonic()
    with pytest.raises(StoreFailed, match="full.*free space.*resume"):
        asyncio.run(engine.run())
    # Bounded (a stuck run would hang here); what proves it stopped at the failure is below: nothing sealed,
    # no slot finished, no bench result. A loaded CI machine makes a tight wall-clock bound a coin toss.
    assert time.monotonic() - t0 < 60
    store.close()
    con = sqlite3.connect(db)
    assert con.execute("SELECT COUNT(*) FROM records").fetchone()[0] == 0
    assert con.execute("SELECT COUNT(*) FROM slots WHERE status='done'").fetchone()[0] == 0
    assert con.execute("SELECT COUNT(*) FROM results WHERE name='bench'").fetchone()[0] == 0
    con.close()

    # space again: the same run resumes and ends as an uninterrupted one
    again = bench_run(run_file, db)
    out, err = again.communicate(timeout=60)
    assert again.returncode == 0, err
    assert reference.wait(60) == 0
    assert outcomes(db) == outcomes(ref_dir / "ref.db")
    con = sqlite3.connect(db)
    grades = [g for (g,) in con.execute("SELECT grade FROM slots")]
    con.close()
    assert not any("full" in g for g in grades)
