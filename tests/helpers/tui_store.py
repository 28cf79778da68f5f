"""A bench run written into a real store with fixed times, for the TUI tests (no tests here)."""

from __future__ import annotations

import asyncio
import functools
import json
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import events as ev
from bench import grading
from bench.model import Component, ComponentKind, Identity, Outcome, TestResult
from bench.store import Store

T0 = "2026-11-23T10:00:00.000Z"
FROZEN_NOW = datetime(2026, 11, 23, 10, 5, 0, tzinfo=UTC)
PLAN = ["identity", "authenticity", "stolen", "post", "environment", "logs"]
HOSTILE = "\x1b[2J\x1b]0;pwned\x07[bold red]markup[/] Switch#"


def frozen_clock() -> datetime:
    return FROZEN_NOW


def ts(second: int) -> str:
    m, s = divmod(second, 60)
    return f"2026-11-23T10:{m:02d}:{s:02d}.000Z"


def _result(name: str, outcome: Outcome, summary: str, second: int, **evidence: object) -> TestResult:
    return TestResult(name, outcome, summary, dict(evidence), ts(second), ts(second + 5))


def finish(store: Store, run_id: int, slot: str, results: list[TestResult], started: int, finished: int) -> None:
    for i, r in enumerate(results):
        store.save_result(run_id, slot, i, r)
    grade = grading.grade({r.name: r for r in results})
    store.finish_slot(run_id, slot, grade)
    store.db.execute("UPDATE slots SET status='done', started=?, finished=? WHERE run_id=? AND slot=?",
                     (ts(started), ts(finished), run_id, slot))
    store.add_events(run_id, [(ts(finished), slot, ev.TEST_FINISHED,
                               {"test": results[-1].name, "outcome": str(results[-1].outcome), "summary": ""}),
                              (ts(finished), slot, ev.GRADE_ASSIGNED, {"grade": grade.to_dict()})])


def identify(store: Store, run_id: int, slot: str, model: str, serial: str) -> None:
    identity = Identity(model=model, serial=serial, components=[
        Component(ComponentKind.CHASSIS, "1", model, "V02", serial, "48-port switch", "cli"),
        Component(ComponentKind.PSU, "Power Supply 1", "PWR-C2-250WAC", "V01", "LIT1234ABCD", "PSU", "cli"),
    ], chassis_serials={"cli": serial})
    store.save_identity(run_id, slot, "cisco_ios_switch", identity)


def passing(second: int) -> list[TestResult]:
    return [_result(n, Outcome.PASS, f"{n} ok", second + 5 * i) for i, n in enumerate(PLAN)]


def make_bench(path: Path, slots: int = 6) -> Store:
    """S1 passed, S2 failed a PSU, S3 mid-run, S4 waiting, S5 quarantined, S6 passed with a WARN."""
    store = Store(str(path))
    ids = [f"S{i}" for i in range(1, slots + 1)]
    run_id, _ = store.open_run("key", "bench-3", "quick", "bench.yaml", ids)
    store.db.execute("UPDATE runs SET started=? WHERE id=?", (T0, run_id))
    identify(store, run_id, "S1", "WS-C2960X-48TS-L", "FOC1931X0AB")
    finish(store, run_id, "S1", passing(0), 0, 40)
    identify(store, run_id, "S2", "WS-C2960X-24PS-L", "FOC2011Y1CD")
    bad = passing(0)
    bad[4] = _result("environment", Outcome.FAIL, "PSU 2 failed", 20, psus=[{"name": "PSU 2", "state": "fail"}])
    finish(store, run_id, "S2", bad, 2, 50)
    identify(store, run_id, "S3", "WS-C2960X-48FPD-L", "FOC2122Z2EF")
    for i, r in enumerate(passing(10)[:3]):
        store.save_result(run_id, "S3", i, r)
    store.db.execute("UPDATE slots SET status='running', started=? WHERE run_id=? AND slot='S3'", (ts(10), run_id))
    store.add_events(run_id, [(ts(30), "S3", ev.STEP_STARTED, {"test": "post", "index": 3, "total": len(PLAN)}),
                              (ts(31), "S3", ev.LOG, {"line": "reading " + HOSTILE})])
    store.add_transcript(run_id, "S3", "console", [(ts(12), "rx", HOSTILE), (ts(13), "tx", "show version")])
    for i, value in enumerate([38.0, 39.5, 41.0, 40.5, 42.0]):
        store.add_telemetry(run_id, "S3", "temp:inlet", value, ts(12 + i))
        store.add_telemetry(run_id, "S3", "crc:Gi1/0/1", float(i * 2), ts(12 + i))
    identify(store, run_id, "S5", "WS-C2960X-48TS-L", "FOC1931X0AB")
    fake = passing(0)
    fake[1] = _result("authenticity", Outcome.FAIL, "serials disagree: CLI FOC1931X0AB, SNMP FOC0000X000", 5,
                      quarantine=True)
    finish(store, run_id, "S5", fake, 3, 45)
    if slots >= 6:
        identify(store, run_id, "S6", "WS-C2960X-24TS-L", "FOC2233W3GH")
        warned = passing(0)
        warned[5] = _result("logs", Outcome.WARN, "1 parity error in the log", 25, parity=1)
        finish(store, run_id, "S6", warned, 4, 60)
    return store


def export_units(store: Store) -> list[dict[str, object]]:
    from bench.reports.export import units

    return json.loads(json.dumps(units(store), default=str))


def run_async(fn: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """A coroutine test run by asyncio.run (the project has no async pytest plugin)."""
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        asyncio.run(fn(*args, **kwargs))
    return wrapper
