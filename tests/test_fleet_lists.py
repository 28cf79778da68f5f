"""The fleet's shared lists on a real PostgreSQL cluster: an operator loads blocked serials and known-good
image hashes; a `bench run --fleet` reads them at run start (a blocked serial on the fleet's list
quarantines a unit on any bench), keeps a copy beside its store, and with the fleet store out of reach
checks against that copy and says from when."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from helpers.fleet_units import fleet_rows
from helpers.pg_cluster import Cluster
from helpers.sim_bench import start_sim, stop_sim

from bench.cli import main
from bench.store import Store


def stolen_outcomes(db: Path) -> dict[str, tuple[str, str]]:
    store = Store(f"sqlite:///{db}")
    try:
        run = store.latest_run()
        assert run is not None
        return {slot: (str(r["stolen"].outcome), r["stolen"].summary) for slot in store.run_slot_ids(run.id)
                if "stolen" in (r := store.results(run.id, slot))}
    finally:
        store.close()


def run_quick(run_file: Path, db: Path, fleet: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bench.cli", "run", str(run_file), "--headless", "--plan", "quick",
                           "--db", f"sqlite:///{db}", "--fleet", fleet], capture_output=True, text=True, timeout=300)


def test_operators_load_the_shared_lists_and_bad_files_are_one_line(
        tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "blocked.csv").write_text("serial,reason\nfoc111,stolen from site 3\nFOC222,reported\n")
    (tmp_path / "images.csv").write_text(f"image,sha256,platform\nc2960x.bin,{'ab' * 32},C2960X\n")
    (tmp_path / "bad.csv").write_text("image,sha256\nx.bin,nothex\n")
    assert main(["fleet", "load-blocked", str(tmp_path / "blocked.csv"), "--db", url, "--operator", "jo"]) == 0
    assert main(["fleet", "load-images", str(tmp_path / "images.csv"), "--db", url]) == 0
    capsys.readouterr()
    assert sorted(fleet_rows(url, "SELECT serial, reason, added_by FROM blocked_serials")) == [
        ("FOC111", "stolen from site 3", "jo"), ("FOC222", "reported", "jo")]
    assert fleet_rows(url, "SELECT image, digest FROM image_hashes") == [("c2960x.bin", "ab" * 32)]
    assert main(["fleet", "list", "--db", url]) == 0
    assert "2 blocked serial(s), 1 known-good image hash(es)" in capsys.readouterr().out
    assert main(["fleet", "load-images", str(tmp_path / "bad.csv"), "--db", url]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "line 2" in err and "benchpw" not in err
    assert fleet_rows(url, "SELECT count(*) FROM image_hashes") == [(1,)]  # nothing half-written


def test_a_serial_blocked_in_the_fleet_quarantines_a_unit_on_any_bench_even_offline(
        tmp_path: Path, pg: Cluster, url: str) -> None:
    sim = start_sim(tmp_path, 2, seed=5)
    try:
        run_file = sim.run_file(tmp_path)
        truth = sim.truth
        blocked_serial = truth["S1"]["serial"]
        (tmp_path / "blocked.csv").write_text(f"serial,reason\n{blocked_serial},stolen from site 3\n")
        assert main(["fleet", "load-blocked", str(tmp_path / "blocked.csv"), "--db", url]) == 0
        first = run_quick(run_file, tmp_path / "a.db", url)
        assert "1 blocked serial(s) and 0 known-good image hash(es) from fleet store" in first.stderr, first.stderr
        got = stolen_outcomes(tmp_path / "a.db")
        assert got["S1"][0] == "FAIL" and blocked_serial in got["S1"][1], got
        assert got["S2"][0] == "PASS", got
        assert (tmp_path / "fleet-blocked-serials.fleet.csv").exists()
        # The fleet store out of reach: the copy from the last run start still blocks the serial.
        down = url.replace(f":{pg.port}/", ":1/")
        second = run_quick(run_file, tmp_path / "b.db", down)
        assert "using the shared lists cached from fleet store" in second.stderr, second.stderr
        assert "benchpw" not in second.stdout + second.stderr
        got = stolen_outcomes(tmp_path / "b.db")
        assert got["S1"][0] == "FAIL" and got["S2"][0] == "PASS", got
    finally:
        stop_sim(sim.proc)
