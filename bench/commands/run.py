"""`bench run FILE`: run (or resume) a bench headless, printing one line per finished test."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bench import events as ev
from bench.commands.tui import has_terminal
from bench.config import load_bench
from bench.engine import Engine, EngineOptions, SlotOutcome, check_bench
from bench.events import Event, EventBus
from bench.profiles import Catalog
from bench.store import Store
from bench.terminal import safe_text
from bench.tests_hw.registry import known_tests


def print_progress(e: Event) -> None:
    if e.kind == ev.TEST_FINISHED:
        print(f"{e.slot:<5} {e.data['test']:<13} {e.data['outcome']:<7} {safe_text(e.data['summary'])}",
              flush=True)
    elif e.kind == ev.RUN_STARTED and e.data.get("resumed"):
        print(f"resuming run {e.data['run_id']}", flush=True)


def print_summary(outcomes: list[SlotOutcome]) -> None:
    print()
    print(f"{'slot':<5} {'model':<22} {'serial':<13} {'func':<5} {'letter':<6} disposition")
    for o in outcomes:
        g = o.grade
        print(f"{o.slot:<5} {safe_text(o.model or '?'):<22} {safe_text(o.serial or '?'):<13} "
              f"{g.functional or '-':<5} {g.letter:<6} {g.disposition}")


async def _run_with_tui(engine: Engine, db: str) -> list[SlotOutcome]:
    """The dashboard beside the run; quitting it early leaves the run going headless to the end."""
    from bench.tui.inprocess import run_beside_tui

    task = await run_beside_tui(db, engine.run(), "in-process: q leaves the dashboard, the run goes on")
    if not task.done():
        print("dashboard closed; the run goes on headless to the end (Ctrl-C stops it, the same command resumes it;"
              f" 'bench tui --db {db}' attaches again)", flush=True)
        engine.bus.subscribe(print_progress)
    return await task


def run_command(args: argparse.Namespace) -> int:
    config = load_bench(args.bench_file)
    catalog = Catalog.load(known_tests())
    options = EngineOptions(plan=args.plan, burnin=args.burnin)
    check_bench(config, catalog, options.plan)
    store = Store(args.db or config.store)
    bus = EventBus()
    with_tui = not args.headless and has_terminal()
    if not with_tui:
        bus.subscribe(print_progress)
    engine = Engine(config, store, catalog, options, bus)
    try:
        outcomes = asyncio.run(_run_with_tui(engine, args.db or config.store) if with_tui else engine.run())
    finally:
        store.close()
    print_summary(outcomes)
    sys.stdout.flush()
    return 1 if any(o.failed for o in outcomes) else 0
