"""Bench stores with sealed units for the fleet tests: one graded, signed record per serial."""

from __future__ import annotations

import os
from pathlib import Path

import psycopg

from bench import grading, records
from bench.model import Identity, Outcome, TestResult, utc_now
from bench.store import Store


def seal_units(db: Path, bench: str, serials: list[str], run_key: str = "k") -> Store:
    """A bench's store with one sealed unit per serial (graded from a PASS identity result)."""
    store = Store(f"sqlite:///{db}")
    slots = [f"S{i + 1}" for i in range(len(serials))]
    run_id, _ = store.open_run(run_key, bench, "quick", "bench.yaml", slots)
    for slot, serial in zip(slots, serials, strict=True):
        seal_one(store, run_id, slot, serial)
    return store


def seal_one(store: Store, run_id: int, slot: str, serial: str) -> None:
    store.start_slot(run_id, slot)
    store.save_identity(run_id, slot, "cisco_ios_switch", Identity(model="WS-C2960X-48TS-L", serial=serial))
    r = TestResult("identity", Outcome.PASS, f"serial {serial}", {}, utc_now(), utc_now())
    store.save_result(run_id, slot, 0, r)
    store.finish_slot(run_id, slot, grading.grade({"identity": r}))
    records.seal(store, run_id, slot, os.environ["BENCH_KEY"])


def fleet_rows(url: str, sql: str) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute(sql).fetchall()
