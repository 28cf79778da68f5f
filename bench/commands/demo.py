"""`bench demo`: a simulated bench, in-process, graded live; the store lands in the working directory."""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

from bench.commands.run import exit_code, leave_soon, print_progress, print_summary
from bench.commands.tui import has_terminal
from bench.config import load_bench
from bench.engine import Engine, EngineOptions, SlotOutcome, run_until_signalled
from bench.errors import BadInput, BenchSideError, Interrupted
from bench.events import EventBus
from bench.profiles import Catalog
from bench.store import Store, sqlite_path
from bench.store_lock import StoreLock
from bench.tests_hw.registry import known_tests

# Catalyst access switches: what a refurbisher sees most of (`bench sim --family` serves every family).
DEMO_FAMILIES = ["cisco_ios_switch"]
DEMO_FAULTS = "S2:fan_failed,S3:psu_failed,S5:serial_mismatch,S6:parity_crash"


async def _demo(count: int, db: str, workdir: Path, progress: bool = True, plan: str = "quick",
                burnin: float | None = None, lock: StoreLock | None = None) -> list[SlotOutcome]:
    from simulators import fleet

    bench_file = workdir / "demo-bench.yaml"
    ready, stop = asyncio.Event(), asyncio.Event()
    faults = ",".join(f for f in DEMO_FAULTS.split(",") if int(f.split(":")[0][1:]) <= count)
    sim = asyncio.create_task(fleet.serve(count=count, seed=1, families=DEMO_FAMILIES, faults=faults,
                                          write_bench=str(bench_file), ready=ready, stop=stop))
    ready_wait = asyncio.create_task(ready.wait())
    await asyncio.wait({sim, ready_wait}, return_when=asyncio.FIRST_COMPLETED)
    if sim.done():
        ready_wait.cancel()
        sim.result()  # raises what stopped the simulator
    config = load_bench(bench_file)
    store = Store(db)
    bus = EventBus()
    if progress:  # under the dashboard nothing may print over the screen
        bus.subscribe(print_progress)
    try:
        options = EngineOptions(plan=plan, burnin=burnin)
        return await run_until_signalled(Engine(config, store, Catalog.load(known_tests()), options, bus,
                                                 lock=lock))
    finally:
        store.close()
        stop.set()
        await sim


async def _demo_with_tui(count: int, db: str, workdir: Path, plan: str, burnin: float, lock: StoreLock) -> None:
    """The dashboard over the demo's store; quitting it ends the demo (simulators and all)."""
    from bench.tui.inprocess import run_beside_tui

    demo = _demo(count, db, workdir, progress=False, plan=plan, burnin=burnin, lock=lock)
    task = await run_beside_tui(db, demo, "demo: q ends the demo")
    if not task.done():
        task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        pass


def demo_command(args: argparse.Namespace) -> int:
    if args.plan not in ("quick", "full"):
        raise BadInput(f"demo plan {args.plan!r}: use --plan quick or --plan full")
    # One writer per store, as for `bench run`: a second demo on the same store is refused at once.
    lock = StoreLock(sqlite_path(args.db), bench_file="bench demo").acquire()
    print(f"bench demo: {args.count} simulated Catalyst switches, plan {args.plan}, store {args.db}")
    try:
        with tempfile.TemporaryDirectory(prefix="bench-demo-") as tmp:
            if not args.headless and has_terminal():
                asyncio.run(_demo_with_tui(args.count, args.db, Path(tmp), args.plan, args.burnin, lock))
                return 0
            outcomes = asyncio.run(_demo(args.count, args.db, Path(tmp), plan=args.plan, burnin=args.burnin,
                                         lock=lock))
    except BenchSideError as e:
        # The demo's simulators get new ports each time, so a new demo is a new run: nothing to resume.
        line = (f"bench: demo interrupted by {e.signal_name}; nothing of the steps under way was recorded;"
                " run 'bench demo' again for a new demo") if isinstance(e, Interrupted) else f"bench: {e}"
        print(line, file=sys.stderr, flush=True)
        leave_soon(exit_code(e))
        return exit_code(e)
    finally:
        lock.release()
    print_summary(outcomes)
    return 0
