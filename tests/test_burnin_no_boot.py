"""A burn-in on a unit known not to boot ends at once with that cause (issue 19, "a burn-in waited 630 s").

The reconnect grace (600 s by default) is for a unit that is rebooting. A unit whose console shows ROMMON, at
the start or after it went down mid-way, will not come back: the burn-in says so as soon as the console does.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path

import yaml

from bench import events as ev
from bench.config import load_bench
from bench.drivers.pdu import PduOutlet
from bench.drivers.snmp import close_shared_engine
from bench.engine import Engine, EngineOptions
from bench.events import EventBus
from bench.model import Outcome, TestResult
from bench.profiles import Catalog
from bench.store import Store
from bench.tests_hw.registry import known_tests
from simulators.pytest_plugin import start_fleet

DURATION_S = 20.0
GRACE_S = 600.0  # the default: what the burn-in must not wait out


def seconds(r: TestResult) -> float:
    return (datetime.fromisoformat(r.finished) - datetime.fromisoformat(r.started)).total_seconds()


def named(bench_file: Path) -> Path:
    """The bench file with the family named: a unit that never boots cannot tell it over SNMP or SSH."""
    doc = yaml.safe_load(bench_file.read_text())
    for s in doc["slots"]:
        s["profile"] = "cisco_ios_switch"
    bench_file.write_text(yaml.safe_dump(doc))
    return bench_file


def run(bench_file: Path, db: Path, during_burnin: Callable[[], Awaitable[None]] | None = None) -> TestResult:
    """The `burnin` plan on S1; `during_burnin` runs alongside once the burn-in step has started."""
    catalog = Catalog.load(known_tests())
    catalog.get("cisco_ios_switch").test_params["burnin"] = {"interval": 2, "duration": DURATION_S,
                                                             "reconnect_grace": GRACE_S}
    bus = EventBus()
    store = Store(f"sqlite:///{db}")
    engine = Engine(load_bench(bench_file), store, catalog, EngineOptions(plan="burnin"), bus)
    side: list[asyncio.Task[None]] = []

    def on_event(e: ev.Event) -> None:
        if during_burnin is not None and e.kind == ev.STEP_STARTED and e.data.get("test") == "burnin":
            side.append(asyncio.ensure_future(during_burnin()))

    bus.subscribe(on_event)

    async def go() -> None:
        try:
            await engine.run()
            for task in side:
                await task  # raises what went wrong on the side
        finally:
            close_shared_engine()

    try:
        asyncio.run(go())
        return store.results(engine.run_id, "S1")["burnin"]
    finally:
        store.close()


def test_a_unit_stuck_in_rommon_has_no_burnin_and_says_why_at_once(tmp_path: Path) -> None:
    fleet = start_fleet(tmp_path, count=1, families=["cisco_ios_switch"], faults="S1:stuck_rommon", seed=2)
    try:
        burnin = run(named(fleet.run_file()), tmp_path / "rommon.db")
    finally:
        fleet.stop()
    assert burnin.outcome == Outcome.NOT_RUN, burnin.summary
    assert "ROMMON" in burnin.summary
    assert seconds(burnin) < DURATION_S + 60, burnin.evidence  # not the duration plus a 600 s grace


def test_a_unit_that_goes_down_into_rommon_fails_its_burnin_without_waiting_the_grace(tmp_path: Path) -> None:
    # stuck_rommon@1s: the image is gone from flash once the bench has been talking to the unit, so the power
    # cycle below (mid burn-in) ends in ROMMON, as a unit whose flash died would.
    fleet = start_fleet(tmp_path, count=1, families=["cisco_ios_switch"], faults="S1:stuck_rommon@1s", seed=2)
    bench_file = named(fleet.run_file())
    slot = yaml.safe_load(bench_file.read_text())["slots"][0]
    db = tmp_path / "down.db"

    async def power_cycle_after_a_sample() -> None:
        end = time.monotonic() + 120
        while time.monotonic() < end:  # the burn-in has sampled the unit once it records telemetry
            with sqlite3.connect(db) as con:
                if con.execute("SELECT count(*) FROM telemetry WHERE slot='S1'").fetchone()[0]:
                    break
            await asyncio.sleep(0.5)
        pdu = slot["pdu"]
        await PduOutlet(pdu["host"], pdu["port"], pdu["outlet"], pdu["community"]).power_cycle()

    try:
        burnin = run(bench_file, db, power_cycle_after_a_sample)
    finally:
        fleet.stop()
    assert burnin.outcome == Outcome.FAIL, burnin.summary
    assert "did not come back" in burnin.summary and "ROMMON" in burnin.summary, burnin.summary
    assert burnin.evidence["answered"] >= 1
    assert seconds(burnin) < DURATION_S + 120, burnin.evidence  # bounded by the console, not the grace
