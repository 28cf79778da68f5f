"""End to end: `bench sim` -> `bench run --headless` -> `bench export`, compared with the simulator's truth."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = [sys.executable, "-m", "bench.cli"]


def bench(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*BENCH, *args], capture_output=True, text=True, timeout=timeout)


def exported(db: str) -> dict[str, dict]:
    r = bench("export", "--db", db, "--format", "json")
    assert r.returncode == 0, r.stderr
    return {u["slot"]: u for u in json.loads(r.stdout)["units"]}


def outcomes(unit: dict) -> dict[str, str]:
    return {t["name"]: t["outcome"] for t in unit["tests"]}


@pytest.fixture(scope="module")
def first_run(spine_sim, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("run1")
    run_file = spine_sim.run_file(tmp)
    db = f"sqlite:///{tmp}/one.db"
    r = bench("run", str(run_file), "--headless", "--db", db)
    assert r.returncode in (0, 1), r.stderr[-2000:]
    return run_file, db, exported(db), r


def test_every_unit_is_identified_as_its_truth(spine_sim, first_run):
    _, _, units, _ = first_run
    for slot, truth in spine_sim.truth.items():
        u = units[slot]
        assert (u["serial"], u["model"], u["profile"]) == (truth["serial"], truth["model"], truth["family"])
        assert any(c["kind"] == "chassis" and c["serial"] == truth["serial"] for c in u["components"])
        assert {t["name"] for t in u["tests"]} == {"identity", "authenticity", "stolen", "post", "environment",
                                                     "logs"}


def test_healthy_unit_has_no_fail_or_error_and_is_held_for_sanitization(first_run):
    u = first_run[2]["S1"]
    assert not {"FAIL", "ERROR"} & set(outcomes(u).values()), outcomes(u)
    assert outcomes(u)["identity"] == "PASS" and outcomes(u)["environment"] == "PASS"
    assert u["grade"]["disposition"] == "HOLD"


@pytest.mark.parametrize("slot, test, disposition, words", [
    ("S2", "environment", "REPAIR", "fan"),
    ("S3", "environment", "REPAIR", "PS"),
    ("S4", "environment", "REPAIR", "temp"),
    ("S5", "authenticity", "QUARANTINE", "serial"),
    ("S6", "logs", "REPAIR", "parity"),
])
def test_each_fault_fails_the_right_test_and_sets_disposition(first_run, slot, test, disposition, words):
    u = first_run[2][slot]
    t = {t["name"]: t for t in u["tests"]}[test]
    assert t["outcome"] == "FAIL", t
    assert words.lower() in (t["summary"] + json.dumps(t["evidence"])).lower()
    assert u["grade"]["disposition"] == disposition
    assert any(test in reason for reason in u["grade"]["reasons"])


def test_run_exit_code_and_csv(first_run):
    _, db, units, r = first_run
    assert r.returncode == 1  # faulty units failed
    csv_out = bench("export", "--db", db, "--format", "csv").stdout.splitlines()
    assert csv_out[0].startswith("slot,serial,model,profile,functional,cosmetic,letter,disposition")
    assert len(csv_out) == 1 + len(units)


def test_credentials_never_reach_store_or_export(first_run, tmp_path):
    _, db, _, r = first_run
    path = db.removeprefix("sqlite:///")
    blob = Path(path).read_bytes() + (Path(path + "-wal").read_bytes() if Path(path + "-wal").exists() else b"")
    export_text = bench("export", "--db", db).stdout
    # the simulator's factory credentials are cisco/cisco: the password field must not be anywhere
    assert b'"password"' not in blob and '"password"' not in export_text and "password" not in r.stdout


def test_sigkill_mid_run_resumes_to_the_same_results(first_run, tmp_path):
    run_file, _, units, _ = first_run
    db = f"sqlite:///{tmp_path}/two.db"
    p = subprocess.Popen([*BENCH, "run", str(run_file), "--headless", "--db", db], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True, start_new_session=True)
    # Kill as soon as the first test result is on the store: mid-run by construction.
    assert p.stdout is not None
    for line in p.stdout:
        if " PASS " in line or " FAIL " in line or " WARN " in line:
            break
    os.killpg(p.pid, signal.SIGKILL)
    p.wait()
    partial = exported(db)
    finished_before = sum(len(u["tests"]) for u in partial.values())
    assert 0 < finished_before < sum(len(u["tests"]) for u in units.values())
    before = {(s, t["name"]): t["finished"] for s, u in partial.items() for t in u["tests"]}

    r = bench("run", str(run_file), "--headless", "--db", db)
    assert r.returncode in (0, 1) and "resuming run" in r.stdout
    resumed = exported(db)
    assert {s: outcomes(u) for s, u in resumed.items()} == {s: outcomes(u) for s, u in units.items()}
    after = {(s, t["name"]): t["finished"] for s, u in resumed.items() for t in u["tests"]}
    assert all(after[k] == v for k, v in before.items())  # finished tests were not repeated


def test_bad_bench_file_is_one_line_exit_2(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text("bench: x\nslots:\n  - id: A\n    ssh: 'h:notaport'\n")
    r = bench("run", str(f), "--headless", "--db", f"sqlite:///{tmp_path}/x.db")
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "port 'notaport'" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "x.db").exists()  # nothing half-written


def test_unknown_option_is_one_line_exit_2():
    r = bench("run", "--frobnicate")
    assert r.returncode == 2 and r.stderr.count("\n") == 1
