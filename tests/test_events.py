"""Typed event payloads: one dataclass per kind whose fields are the keys the store keeps, so what the engine
stored in a real run reads back typed, with nothing lost and nothing unknown."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from helpers.engine_runs import run_engine

from bench import events as ev
from bench.store import Store


def test_every_kind_has_a_payload_whose_data_round_trips() -> None:
    kinds = {v for k, v in vars(ev).items() if k.isupper() and isinstance(v, str)}
    assert kinds == set(ev.PAYLOADS)
    step = ev.StepStartedData(test="burnin", index=3, total=7, started="2026-01-01T00:00:00.000Z", expected_s=20.0)
    assert ev.payload(ev.STEP_STARTED, step.to_data()) == step
    assert set(step.to_data()) == {"test", "index", "total", "started", "expected_s"}  # the stored keys
    # A reader ignores a key it does not know and defaults one an older store lacks.
    assert ev.payload(ev.LOG, {"line": "x", "newer": 1}) == ev.LogData("x")
    assert ev.payload(ev.TEST_FINISHED, {"test": "ports"}) == ev.TestFinishedData("ports", "", "")


def test_a_published_payload_reaches_subscribers_as_its_stored_keys() -> None:
    bus, seen = ev.EventBus(), []
    bus.subscribe(seen.append)
    bus.publish(ev.TestFinishedData("identity", "PASS", "WS-C2960X"), "S1")
    assert [(e.kind, e.slot, e.data) for e in seen] == [
        (ev.TEST_FINISHED, "S1", {"test": "identity", "outcome": "PASS", "summary": "WS-C2960X"})]
    assert seen[0].payload == ev.TestFinishedData("identity", "PASS", "WS-C2960X")


def test_what_the_engine_stores_reads_back_typed_with_every_key_known(bench_sim: Any, tmp_path: Path) -> None:
    fleet = bench_sim(count=1, families=["cisco_ios_switch"])
    run_id, _ = run_engine(fleet.run_file(keep=("ssh", "snmp")), tmp_path / "e.db")
    store = Store(f"sqlite:///{tmp_path}/e.db")
    try:
        rows = store.events(run_id)
        assert {r["kind"] for r in rows} >= {ev.RUN_STARTED, ev.STEP_STARTED, ev.TEST_FINISHED, ev.SLOT_FINISHED}
        for r in rows:
            data = json.loads(r["data"])
            typed = ev.payload(r["kind"], data).to_data()
            assert {k: typed.get(k) for k in data} == data, r["kind"]  # no stored key unknown to its type
    finally:
        store.close()
