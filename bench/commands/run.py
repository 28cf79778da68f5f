"""`bench run FILE`: run (or resume) a bench headless, printing one line per finished test.

One writer per store (bench.store_lock): a second `bench run` on a store in use is refused at once.
SIGINT (Ctrl-C) or SIGTERM stops the run between steps, with nothing of the steps under way stored;
a failing store stops it too. Either way one line says why and that the same command resumes it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shlex
import sys
import threading
import time
from pathlib import Path

from bench import events as ev
from bench.commands.tui import has_terminal
from bench.config import load_bench
from bench.engine import Engine, EngineOptions, SlotOutcome, check_bench, run_until_signalled
from bench.errors import BenchSideError, Interrupted
from bench.events import Event, EventBus
from bench.platforms import check_registered
from bench.profiles import Catalog
from bench.reports.why import telling_reason
from bench.store import Store, sqlite_path
from bench.store_lock import StoreLock
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
    print(f"{'slot':<5} {'model':<22} {'serial':<13} {'func':<5} {'letter':<6} {'disposition':<12} why")
    for o in outcomes:
        g = o.grade
        why = telling_reason({"disposition": f"{g.disposition}", "reasons": g.reasons}, limit=100)
        print(f"{o.slot:<5} {safe_text(o.model or '?'):<22} {safe_text(o.serial or '?'):<13} "
              f"{g.functional or '-':<5} {g.letter:<6} {g.disposition:<12} {why}".rstrip())


async def _run_with_tui(engine: Engine, db: str, lock: StoreLock) -> list[SlotOutcome]:
    """The dashboard beside the run; quitting it early leaves the run going headless to the end."""
    from bench.tui.inprocess import run_beside_tui

    task = await run_beside_tui(db, _locked(engine, lock), "in-process: q leaves the dashboard, the run goes on")
    if not task.done():
        print("dashboard closed; the run goes on headless to the end (Ctrl-C stops it, the same command resumes it;"
              f" 'bench tui --db {db}' attaches again)", flush=True)
        engine.bus.subscribe(print_progress)
    return await task


async def _locked(engine: Engine, lock: StoreLock) -> list[SlotOutcome]:
    """The run, holding the store's lock until it ends (the dashboard may stay up after: a retest from it
    then resumes the run in another process, which takes the lock in turn)."""
    try:
        return await run_until_signalled(engine)
    finally:
        lock.release()


def same_command(args: argparse.Namespace) -> str:
    argv = ["run", str(args.bench_file), "--plan", args.plan] + (["--db", args.db] if args.db else []) + (
        [f"--burnin={args.burnin:g}s"] if args.burnin is not None else []) + (["--headless"] if args.headless else [])
    if getattr(args, "fleet", None):
        from bench.fleet.url import target

        argv += ["--fleet", target(args.fleet)]  # never the password: libpq reads it from PGPASSWORD or ~/.pgpass
    return "bench " + shlex.join(argv)


def stopped_line(e: BenchSideError, again: str) -> str:
    if isinstance(e, Interrupted):
        return (f"bench: run interrupted by {e.signal_name}; the steps under way were abandoned unrecorded;"
                f" run the same command to resume: {again}")
    return f"bench: {e}"


def exit_code(e: BenchSideError) -> int:
    if isinstance(e, Interrupted):
        return 143 if e.signal_name == "SIGTERM" else 130
    return 1


def leave_soon(code: int, grace: float = 3.0) -> None:
    """After an interruption the process must end promptly: driver threads whose sessions were closed
    end at once; one still blocked in a connect past `grace` is not waited for (the store is closed)."""
    end = time.monotonic() + grace
    for t in threading.enumerate():
        if t is not threading.current_thread() and t.name.startswith("bench-io") and not t.daemon:
            t.join(max(0.0, end - time.monotonic()))
    if any(t.is_alive() and t.name.startswith("bench-io") and not t.daemon for t in threading.enumerate()):
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def run_command(args: argparse.Namespace) -> int:
    config = load_bench(args.bench_file)
    catalog = Catalog.load(known_tests())
    fleet = getattr(args, "fleet", None) or config.fleet or None
    if fleet:
        from bench.fleet.url import check_url

        check_url(fleet)
    options = EngineOptions(plan=args.plan, burnin=args.burnin, fleet=fleet)
    check_bench(config, catalog, options.plan)
    check_registered()  # a broken platform package is one line now, not an ERROR on every unit
    db = args.db or config.store
    if fleet:  # the fleet's blocked serials and image hashes, read now and cached beside the store
        from bench.fleet.shared_lists import at_run_start

        config, note = at_run_start(config, fleet, Path(sqlite_path(db)).resolve().parent)
        print(note, file=sys.stderr, flush=True)
    # Before the store is opened for writing: a second writer is refused with nothing written.
    lock = StoreLock(sqlite_path(db), bench_file=str(args.bench_file)).acquire()
    try:
        store = Store(db)
        bus = EventBus()
        with_tui = not args.headless and has_terminal()
        if not with_tui:
            bus.subscribe(print_progress)
        engine = Engine(config, store, catalog, options, bus, lock=lock)
        try:
            outcomes = asyncio.run(_run_with_tui(engine, db, lock) if with_tui
                                   else _locked(engine, lock))
        finally:
            store.close()
    except BenchSideError as e:
        print(stopped_line(e, same_command(args)), file=sys.stderr, flush=True)
        leave_soon(exit_code(e))
        return exit_code(e)
    finally:
        lock.release()
    print_summary(outcomes)
    sys.stdout.flush()
    return 1 if any(o.failed for o in outcomes) else 0
