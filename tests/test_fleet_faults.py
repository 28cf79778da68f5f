"""Faults between benches and the fleet store, on a real PostgreSQL cluster: the network between a bench
and the store drops mid-sync and comes back; a `bench sync` is killed by PID mid-sync and run again; two
`bench sync` processes write into one fresh store at once. Nothing is lost, nothing doubled, and the bench
never waits on the store to seal."""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import psycopg
from helpers.fleet_units import fleet_rows, seal_one, seal_units
from helpers.pg_cluster import Cluster
from helpers.processes import read_lines_until
from helpers.sim_bench import start_sim, stop_sim
from helpers.tcp_proxy import TcpProxy

from bench.fleet.sender import FleetSender
from bench.fleet.url import target
from bench.store import Store


def until(cond: Callable[[], bool], what: str, timeout: float = 60.0, step: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if cond():
                return
        except psycopg.Error:
            pass
        time.sleep(step)
    raise AssertionError(f"{what}: not reached in {timeout:g} s")


def exactly_once(url: str, serials: list[str]) -> None:
    assert fleet_rows(url, "SELECT count(*), count(DISTINCT hash) FROM records") == [(len(serials),) * 2]
    assert sorted(r[0] for r in fleet_rows(url, "SELECT serial FROM units")) == sorted(serials)


def bench_cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "bench.cli", *args]


def test_the_network_drops_mid_sync_and_comes_back(tmp_path: Path, pg: Cluster, url: str) -> None:
    serials = [f"NET-{i}" for i in range(200)]
    store = seal_units(tmp_path / "a.db", "bench-a", serials)
    run_id = store.latest_run().id  # type: ignore[union-attr]
    proxy = TcpProxy(pg.port).start()
    via = proxy.url(url)
    lines: list[str] = []
    sender = FleetSender(str(tmp_path / "a.db"), via, lines.append).start()
    try:
        # The first batch is on the wire (past the handshake and the schema): the network goes.
        until(lambda: proxy.relayed > 60_000, "a batch under way")
        proxy.stop()
        until(lambda: sender.up is False, "the sender noticing", 30)
        t0 = time.monotonic()
        for i in range(3):  # the bench goes on sealing while the store is out of reach
            store.add_slot(run_id, f"L{i}", 300 + i)
            seal_one(store, run_id, f"L{i}", f"LATE-{i}")
        assert time.monotonic() - t0 < 5, "sealing waited on the fleet store"
        assert store.unsent_count(target(via)) >= 3
        proxy.start()  # the same port again
    finally:
        left = sender.stop(drain_s=60)
        proxy.stop()
    assert left == 0 and store.unsent_count(target(via)) == 0
    exactly_once(url, serials + [f"LATE-{i}" for i in range(3)])
    said = " ".join(lines)
    assert "wait in the local store" in said and "benchpw" not in said
    store.close()


def test_a_bench_sync_killed_mid_sync_loses_and_doubles_nothing(tmp_path: Path, url: str) -> None:
    serials = [f"KILL-{i}" for i in range(600)]
    seal_units(tmp_path / "a.db", "bench-a", serials).close()
    db = f"sqlite:///{tmp_path / 'a.db'}"
    sync = subprocess.Popen(bench_cli("sync", "--db", db, "--fleet", url), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    watch = psycopg.connect(url, autocommit=True)
    try:
        # Killed while its transaction is open: records on the wire, nothing committed or marked yet.
        until(lambda: watch.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name='bench'"
                                    " AND xact_start IS NOT NULL AND pid <> pg_backend_pid()").fetchone()[0] > 0
              and sync.poll() is None, "the sync's transaction", 60, 0.005)
        os.kill(sync.pid, signal.SIGKILL)
        assert sync.wait(30) == -signal.SIGKILL
    finally:
        watch.close()
        if sync.poll() is None:
            os.kill(sync.pid, signal.SIGKILL)
    local = Store(db)
    assert local.unsent_count(target(url)) > 0, "the kill came after the sync had finished: nothing was tested"
    local.close()
    again = subprocess.run(bench_cli("sync", "--db", db, "--fleet", url), capture_output=True, text=True,
                           timeout=300)
    assert again.returncode == 0, again.stderr
    assert "0 pending" in again.stdout and "benchpw" not in again.stdout + again.stderr
    exactly_once(url, serials)
    assert subprocess.run(bench_cli("verify", "--db", url), capture_output=True, timeout=120).returncode == 0


def test_two_bench_processes_sync_into_one_fresh_store_at_once(tmp_path: Path, url: str) -> None:
    names = {"b1": [f"B1-{i}" for i in range(150)], "b2": [f"B2-{i}" for i in range(150)]}
    for name, serials in names.items():
        seal_units(tmp_path / f"{name}.db", name, serials).close()
    # The database is empty: both create the schema at once, then insert at once.
    procs = [subprocess.Popen(bench_cli("sync", "--db", str(tmp_path / f"{n}.db"), "--fleet", url),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for n in names]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    exactly_once(url, names["b1"] + names["b2"])
    assert fleet_rows(url, "SELECT count(*) FROM fleet_schema") == [(len(list(
        (Path(__file__).parents[1] / "bench/fleet/migrations").glob("*.sql"))),)]
    verify = subprocess.run(bench_cli("verify", "--db", url), capture_output=True, text=True, timeout=120)
    assert verify.returncode == 0 and "300 records of the fleet store verified" in verify.stdout


def test_an_interrupted_fleet_run_says_how_to_resume_with_its_fleet_and_never_the_password(
        tmp_path: Path, url: str) -> None:
    """SIGINT during a `bench run --fleet` burn-in: the one line says the same command with `--fleet` (its
    password left out); that command, the password in PGPASSWORD, resumes the run and every unit lands once."""
    sim = start_sim(tmp_path, 2, seed=5)
    try:
        run_file, db = sim.run_file(tmp_path), f"sqlite:///{tmp_path / 'run.db'}"
        proc = subprocess.Popen(bench_cli("run", str(run_file), "--headless", "--db", db, "--plan", "burnin",
                                          "--burnin", "8s", "--fleet", url),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        read_lines_until(proc, " identity ", 2)  # both units are in their burn-in
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 130, err
        assert "benchpw" not in out + err
        hint = err.split("resume: ", 1)[1].strip()
        argv = shlex.split(hint)
        assert argv[0] == "bench" and argv[argv.index("--fleet") + 1] == target(url), hint
        again = subprocess.run([sys.executable, "-m", "bench.cli", *argv[1:]], capture_output=True, text=True,
                               timeout=180, env=os.environ | {"PGPASSWORD": "benchpw"})
        assert again.returncode == 0, again.stderr
        assert "resuming run" in again.stdout and "benchpw" not in again.stdout + again.stderr
    finally:
        stop_sim(sim.proc)
    exactly_once(url, [t["serial"] for t in sim.truth.values()])
