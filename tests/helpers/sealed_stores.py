"""A real quick run of simulated Catalysts into a store, and per-test copies of that store and its key
directory, so one module-scoped run serves many tests that each tamper with or seal into their own copy."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from helpers.engine_runs import run_engine
from simulators.pytest_plugin import SimFleet, start_fleet


@dataclass
class QuickRun:
    fleet: SimFleet
    bench_file: Path
    db: Path
    run_id: int


@contextmanager
def quick_run_of_catalysts(tmp: Path, count: int, faults: str, **fleet: object) -> Iterator[QuickRun]:
    """`count` simulated Catalysts with `faults`, the quick plan run once into tmp/bench.db; the fleet stops
    on leaving."""
    sims = start_fleet(tmp, count=count, families=["cisco_ios_switch"], faults=faults, **fleet)  # type: ignore[arg-type]
    try:
        bench_file = sims.run_file(keep=("ssh", "snmp"))
        run_id, _ = run_engine(bench_file, tmp / "bench.db")
        yield QuickRun(sims, bench_file, tmp / "bench.db", run_id)
    finally:
        sims.stop()


def store_copy(db: Path, tmp_path: Path, name: str = "bench.db") -> Path:
    """This test's own copy of the shared store."""
    dst = tmp_path / name
    shutil.copy(db, dst)
    return dst


def own_key_dir(key: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str = "keys") -> Path:
    """This test's own copy of the bench's key directory (key and chain witness), in BENCH_KEY: its seals
    leave the shared witness as the other tests found it. The copied key's path."""
    keys = tmp_path / name
    shutil.copytree(key.parent, keys)
    monkeypatch.setenv("BENCH_KEY", str(keys / key.name))
    return keys / key.name
