"""Running the real engine from a test: one bench file, one store, the shared SNMP engine closed after."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from bench.config import load_bench
from bench.drivers.snmp import close_shared_engine
from bench.engine import Engine, EngineOptions, SlotOutcome
from bench.profiles import Catalog
from bench.store import Store
from bench.tests_hw.registry import known_tests


def run_engine(bench_file: Path, db: Path, plan: str = "quick", catalog: Catalog | None = None,
               **options: Any) -> tuple[int, list[SlotOutcome]]:
    """(run id, outcomes) of one run of `bench_file` into the SQLite store at `db`."""
    store = Store(f"sqlite:///{db}")
    engine = Engine(load_bench(bench_file), store, catalog or Catalog.load(known_tests()),
                    EngineOptions(plan=plan, **options))

    async def go() -> list[SlotOutcome]:
        try:
            return await engine.run()
        finally:
            close_shared_engine()

    try:
        outcomes = asyncio.run(go())
        return engine.run_id, outcomes
    finally:
        store.close()
