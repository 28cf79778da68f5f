"""`local: true`: the bench host itself as a unit, run through `bench run` without SSH."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.config import parse_bench
from bench.errors import BenchFileError


def bench(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bench.cli", *args], capture_output=True, text=True,
                          timeout=timeout, check=False)


def test_local_slot_runs_the_server_plan_here(tmp_path: Path) -> None:
    (tmp_path / "here.yaml").write_text("bench: here\nslots:\n  - id: L1\n    local: true\n")
    db = f"sqlite:///{tmp_path / 'here.db'}"
    run = bench("run", str(tmp_path / "here.yaml"), "--headless", "--db", db, "--plan", "full", "--burnin", "3s")
    assert run.returncode in (0, 1), run.stderr
    unit = json.loads(bench("export", "--db", db).stdout)["units"][0]
    tests = {t["name"]: t for t in unit["tests"]}
    assert list(tests) == ["identity", "smart", "edac", "nic", "bmc", "burnin", "erasure", "bmc_reset"]
    # The bench host's own disks are never erased, nor its BMC reset, whatever the plan says.
    assert tests["erasure"]["outcome"] == "NOT_RUN" and "bench host" in tests["erasure"]["summary"]
    assert tests["bmc_reset"]["outcome"] == "NOT_RUN" and "bench host" in tests["bmc_reset"]["summary"]
    assert unit["profile"] == "linux_server"  # said even when the host has no serial to read (no dmidecode)
    assert tests["identity"]["evidence"]["cpus"] == os.cpu_count()
    assert not [t for t in tests.values() if t["outcome"] in ("FAIL", "ERROR")], tests
    assert tests["burnin"]["evidence"]["path"] in ("agent", "shell") and tests["burnin"]["evidence"]["samples"] >= 2


def test_local_must_be_a_boolean() -> None:
    with pytest.raises(BenchFileError, match=r"slots\[0\] \(L1\)\.local: expected true or false"):
        parse_bench({"slots": [{"id": "L1", "local": "yes"}]})
    assert parse_bench({"slots": [{"id": "L1", "local": True}]}).slots[0].local is True
