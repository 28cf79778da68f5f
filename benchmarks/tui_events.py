"""Benchmark: the dashboard attached to a 256-slot run whose engine emits >= 500 events per second.

    python benchmarks/tui_events.py [--slots 256] [--rate 600] [--seconds 30]

An engine-like writer (its own process) emits step, log and test events into a real SQLite store,
writing results at once and flushing events every 0.5 s as bench.engine does. The dashboard runs as
`bench tui` would, in a real terminal (tmux, 200x60), in two variants side by side in one run:

- `grid`: the shipped dashboard (Line API grid, one cached Strip per row, only changed lines refreshed);
- `datatable`: the same app with Textual's DataTable as the grid, updated with update_cell per changed cell.

Measured per variant: CPU of the dashboard process over the window (share of one core) and the
change-to-screen latency: the writer emits a marker result on one of the top 20 slots every 0.43 s and
the time it is emitted is compared with the time `tmux capture-pane` first shows it (polled at 20 Hz).
Not a test: figures go to docs/benchmarks.md with the date and machine.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import random
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil

from bench import events as ev
from bench.model import Outcome, TestResult, utc_now
from bench.store import Store

PLAN = ["identity", "authenticity", "stolen", "post", "environment", "logs"]
MARKER_SLOTS = 20
MARKER_EVERY_S = 0.43  # not a multiple of the 0.5 s flush: markers wait a varying share of it
MARKER = re.compile(r"m(\d{5}) PASS")
SIZE = (200, 60)


def slot_ids(n: int) -> list[str]:
    return [f"S{i:03d}" for i in range(1, n + 1)]


def prepare(db: Path, slots: int) -> int:
    store = Store(str(db))
    run_id, _ = store.open_run("bench-tui", "bench-bm", "quick", "bm.yaml", slot_ids(slots))
    for i, s in enumerate(slot_ids(slots)):
        store.start_slot(run_id, s)
        store.db.execute("UPDATE slots SET model=?, serial=?, profile=? WHERE run_id=? AND slot=?",
                         ("WS-C2960X-48TS-L", f"FOC{2000 + i:04d}X{i:03d}", "cisco_ios_switch", run_id, s))
    store.close()
    return run_id


def writer(db: str, run_id: int, slots: int, rate: float, seconds: float, out: str) -> None:
    """Engine-like: results written at once, events buffered and flushed every 0.5 s."""
    rng = random.Random(7)
    store = Store(db)
    ids = slot_ids(slots)
    busy = ids[MARKER_SLOTS:]  # markers alone change the top slots' last result
    pending: list[tuple[str, str | None, str, dict[str, Any]]] = []
    markers: dict[int, float] = {}
    emitted = 0
    start = time.monotonic()
    next_flush = next_marker = start + 0.5
    tick = 0.02
    carry = 0.0
    seq = 0
    while (now := time.monotonic()) - start < seconds:
        carry += rate * tick
        while carry >= 1:
            carry -= 1
            emitted += 1
            kind = rng.choices((ev.LOG, ev.STEP_STARTED, ev.TEST_FINISHED), (80, 12, 8))[0]
            if kind == ev.LOG:
                pending.append((utc_now(), rng.choice(ids), ev.LOG, {"line": "show environment all: 52 lines"}))
            elif kind == ev.STEP_STARTED:
                i = rng.randrange(len(PLAN))
                pending.append((utc_now(), rng.choice(ids), ev.STEP_STARTED,
                                {"test": PLAN[i], "index": i, "total": len(PLAN)}))
            else:
                slot, i = rng.choice(busy), rng.randrange(len(PLAN))
                outcome = rng.choice((Outcome.PASS,) * 8 + (Outcome.WARN, Outcome.FAIL))
                store.save_result(run_id, slot, i, TestResult(PLAN[i], outcome, "ok", {}, utc_now(), utc_now()))
                pending.append((utc_now(), slot, ev.TEST_FINISHED,
                                {"test": PLAN[i], "outcome": str(outcome), "summary": "ok"}))
        if now >= next_marker:
            slot = ids[seq % MARKER_SLOTS]
            markers[seq] = time.time()
            pending.append((utc_now(), slot, ev.TEST_FINISHED, {"test": f"m{seq:05d}", "outcome": "PASS",
                                                                "summary": "marker"}))
            seq += 1
            next_marker += MARKER_EVERY_S
        if now >= next_flush:
            store.add_events(run_id, pending)
            pending = []
            next_flush += 0.5
        time.sleep(max(0.0, tick - (time.monotonic() - now)))
    store.add_events(run_id, pending)
    store.close()
    Path(out).write_text(json.dumps({"markers": markers, "events": emitted, "seconds": time.monotonic() - start}))


def run_tui(db: str, variant: str) -> None:
    """The dashboard process (inside tmux)."""
    from bench.tui.app import BenchApp

    store = Store(db)
    app = BenchApp(store) if variant == "grid" else _datatable_app(store)
    app.run()


def _datatable_app(store: Store) -> Any:
    """The same app with Textual's DataTable as the grid: what the Line API grid is measured against."""
    from datetime import datetime

    from rich.text import Text
    from textual.widgets import DataTable

    from bench.tui.app import BenchApp
    from bench.tui.grid import COLUMNS, cells
    from bench.tui.slots import SlotView

    class GridTable(DataTable[Text]):
        def __init__(self, views: dict[str, SlotView], clock: Any, **kw: Any) -> None:
            super().__init__(cursor_type="row", **kw)
            self.views, self.clock, self.order = views, clock, []
            self.rendered_rows = 0
            for c in COLUMNS:
                self.add_column(c.title, width=c.width, key=c.key)

        @property
        def cursor_slot(self) -> str | None:
            return self.order[self.cursor_row] if self.order else None

        def forget_rows(self) -> None:
            pass

        def set_order(self, order: list[str]) -> None:
            if order != self.order:
                self.order = order
                self.clear()
                for s in order:
                    self.add_row(*self._texts(s), key=s)

        def _texts(self, slot: str) -> list[Text]:
            values = cells(self.views[slot], self.clock())
            return [Text(values[c.key][0], style=values[c.key][1] or "") for c in COLUMNS]

        def rows_changed(self, slots: set[str]) -> None:
            for s in slots:
                if s in self.views and s in self.order:
                    for c, t in zip(COLUMNS, self._texts(s), strict=True):
                        self.update_cell(s, c.key, t)

        def tick(self, now: datetime) -> None:
            running = {s for s in self.order if self.views[s].status == "running"}
            for s in running:
                self.update_cell(s, "elapsed", self._texts(s)[5])

    class DataTableApp(BenchApp):
        GRID = GridTable

    return DataTableApp(store)


class Pane:
    def __init__(self, command: list[str]) -> None:
        self.socket = f"bench-bm-{os.getpid()}"
        line = "exec env -u COLUMNS -u LINES TERM=xterm-256color " + shlex.join(command)
        self._tmux("new-session", "-d", "-s", "t", "-x", str(SIZE[0]), "-y", str(SIZE[1]), line)
        self.pid = int(self._tmux("display", "-p", "-t", "t", "#{pane_pid}").strip())

    def _tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=30).stdout

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", "t")

    def close(self) -> None:
        self._tmux("kill-server")


def measure(variant: str, slots: int, rate: float, seconds: float, workdir: Path) -> dict[str, Any]:
    db = workdir / f"{variant}.db"
    run_id = prepare(db, slots)
    pane = Pane([sys.executable, __file__, "--tui", variant, "--db", str(db)])
    proc = psutil.Process(pane.pid)
    try:
        end = time.monotonic() + 60
        while "S001" not in pane.screen():
            if time.monotonic() > end:
                raise SystemExit(f"{variant}: the dashboard never showed the bench:\n{pane.screen()}")
            time.sleep(0.2)
        out = workdir / f"{variant}.json"
        w = multiprocessing.Process(target=writer, args=(str(db), run_id, slots, rate, seconds, str(out)))
        w.start()
        time.sleep(2.0)  # warm-up: the first flushes and the follower catching up
        cpu0, t0 = sum(proc.cpu_times()[:2]), time.monotonic()
        seen: dict[int, float] = {}
        while w.is_alive():
            now = time.time()
            for m in MARKER.finditer(pane.screen()):
                seen.setdefault(int(m.group(1)), now)
            time.sleep(0.05)
        cpu1, t1 = sum(proc.cpu_times()[:2]), time.monotonic()
        w.join()
        for _ in range(30):  # the last markers, after the writer stopped
            now = time.time()
            for m in MARKER.finditer(pane.screen()):
                seen.setdefault(int(m.group(1)), now)
            time.sleep(0.05)
    finally:
        pane.close()
    report = json.loads(out.read_text())
    emitted = {int(k): v for k, v in report["markers"].items()}
    latencies = sorted(seen[k] - emitted[k] for k in seen if k in emitted and k >= 4)
    measured = [k for k in emitted if k >= 4]
    return {
        "variant": variant, "events_per_s": report["events"] / report["seconds"],
        "cpu_share": (cpu1 - cpu0) / (t1 - t0),
        "p50": statistics.median(latencies) if latencies else None,
        "p95": latencies[int(0.95 * (len(latencies) - 1))] if latencies else None,
        "max": latencies[-1] if latencies else None,
        "markers_seen": len([k for k in seen if k >= 4]), "markers": len(measured),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--slots", type=int, default=256)
    ap.add_argument("--rate", type=float, default=600.0, help="events per second from the writer")
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--variants", default="grid,datatable")
    ap.add_argument("--tui", help=argparse.SUPPRESS)
    ap.add_argument("--db", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.tui:
        run_tui(args.db, args.tui)
        return
    if shutil.which("tmux") is None:
        raise SystemExit("tmux is needed: apt-get install tmux")
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-tui-bm-") as tmp:
        for variant in args.variants.split(","):
            results.append(measure(variant, args.slots, args.rate, args.seconds, Path(tmp)))
    print(f"{platform.machine()}, {os.cpu_count()} CPUs, CPython {platform.python_version()}; "
          f"{args.slots} slots, {args.seconds:g} s, terminal {SIZE[0]}x{SIZE[1]}")
    base = results[0]
    print("| variant | events/s | CPU (one core) | vs first | latency p50 | p95 | max | markers seen |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        def s(x: float | None) -> str:
            return f"{x:.2f} s" if x is not None else "–"
        print(f"| {r['variant']} | {r['events_per_s']:.0f} | {100 * r['cpu_share']:.1f} % | "
              f"{r['cpu_share'] / base['cpu_share']:.2f}x | {s(r['p50'])} | {s(r['p95'])} | {s(r['max'])} | "
              f"{r['markers_seen']}/{r['markers']} |")


if __name__ == "__main__":
    main()
