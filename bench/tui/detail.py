"""One slot up close: tests with evidence, the console transcript, the bench's log, burn-in charts, inventory.

Everything a unit sent passes through safe_text before it reaches a widget, and widgets get
rich Text (never markup), so neither escape sequences nor `[markup]` from a device reach the terminal.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label, Log, Sparkline, Static, TabbedContent, TabPane

from bench import events as ev
from bench.terminal import safe_text
from bench.tui.actions import slot_bindings
from bench.tui.follow import StoreFollower, log_line
from bench.tui.grid import DISPOSITION_STYLE, OUTCOME_STYLE, step_text
from bench.tui.slots import duration_text, parse_ts


class SlotHost(Protocol):
    """What the screen needs of the app that opens it (BenchApp): the store it follows and its clock.
    A protocol, so this screen does not import the app that imports it."""

    follower: StoreFollower
    clock: Callable[[], datetime]

SPARK_POINTS = 120  # newest samples per metric on a chart
CHARTS_MAX = 16


def evidence_summary(evidence: dict[str, Any], limit: int = 160) -> str:
    """A one-line digest of a test's evidence: scalars as k=v, collections by size (k={3}, k=[3])."""
    return safe_text(", ".join(_digest(k, v) for k, v in evidence.items()), limit)


def _digest(key: str, value: Any) -> str:
    if isinstance(value, dict | list):
        opening, closing = "{}" if isinstance(value, dict) else "[]"
        return f"{key}={opening}{len(value)}{closing}"
    return f"{key}={value}"


def chart_rank(metric: str) -> tuple[int, str]:
    """Temperatures first, then error counters, then fan/PSU state, then the rest."""
    if metric.startswith(("temp", "temperature")):
        return 0, metric
    if any(w in metric for w in ("crc", "error", "runts", "giants", "edac")):
        return 1, metric
    if "_ok:" in metric:
        return 2, metric
    return 3, metric


def _took(started: str, finished: str) -> str:
    a, b = parse_ts(started), parse_ts(finished)
    return duration_text((b - a).total_seconds()) if a and b else ""


class SlotDetail(Screen[None]):
    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back"),
        *slot_bindings(on_detail=True),
        Binding("t", "tab('tests')", "Tests"),
        Binding("c", "tab('console')", "Console"),
        Binding("e", "tab('events')", "Log"),
        Binding("b", "tab('burnin')", "Burn-in"),
        Binding("i", "tab('inventory')", "Inventory"),
    ]

    def __init__(self, slot: str) -> None:
        super().__init__()
        self.slot = slot
        self._transcript_rowid = 0
        self._transcript_hint = False
        self._telemetry_rowid = 0
        self._log_seen = 0
        self._series: dict[str, list[float]] = {}
        self._charted: list[str] = []
        self._charts: list[tuple[Label, Sparkline]] = []
        self._inventory_key = ""

    @property
    def bench(self) -> SlotHost:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static(id="detail-head")
        with TabbedContent(initial="tests"):
            with TabPane("Tests", id="tests"):
                yield DataTable(id="tests-table", cursor_type="row", zebra_stripes=True)
            with TabPane("Console", id="console"):
                yield Log(id="transcript", max_lines=5000, auto_scroll=True)
            with TabPane("Log", id="events"):
                yield Log(id="events-log", max_lines=2000, auto_scroll=True)
            with TabPane("Burn-in", id="burnin"):
                yield VerticalScroll(Label("no telemetry yet", id="no-telemetry"), id="charts")
            with TabPane("Inventory", id="inventory"):
                yield DataTable(id="inventory-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        tests = self.query_one("#tests-table", DataTable)
        tests.add_column("Test", key="test", width=14)
        tests.add_column("Outcome", key="outcome", width=8)
        tests.add_column("Took", key="took", width=6)
        tests.add_column("Summary", key="summary", width=60)
        tests.add_column("Evidence", key="evidence", width=60)
        inventory = self.query_one("#inventory-table", DataTable)
        for name, width in (("Kind", 8), ("Name", 28), ("PID", 22), ("Serial", 16), ("Source", 7),
                            ("Description", 40)):
            inventory.add_column(name, width=width)
        self._load_log_backlog()
        self.refresh_all()
        tests.focus()  # ↑ ↓ pick the test that `R` retests
        self.set_interval(0.5, self._follow_streams)

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    # --- what changes with the slot's row and results ----------------------------------
    def refresh_all(self) -> None:
        self._refresh_head()
        self._refresh_tests()
        self._refresh_inventory()

    def slot_changed(self) -> None:
        """The app saw this slot change in the store."""
        self.refresh_all()

    def _refresh_head(self) -> None:
        v = self.bench.follower.views.get(self.slot)
        if v is None:
            return
        grade = v.grade or {}
        head = Text()
        head.append(f" {v.slot} ", style="bold reverse")
        head.append(f"  {safe_text(v.model) or '?'}  serial {safe_text(v.serial) or '?'}  "
                    f"profile {safe_text(v.profile) or '?'}  ")
        head.append(f"running: {step_text(v)}" if v.status == "running" else f"{v.status}, {v.tests_done} tests",
                    style="cyan" if v.status == "running" else "")
        head.append(f"  elapsed {duration_text(v.elapsed(self.bench.clock()))}\n")
        if grade:
            disposition = str(grade.get("disposition", ""))
            head.append(" grade ")
            head.append(f"{grade.get('functional') or '-'} {grade.get('cosmetic', '')} {grade.get('letter', '')} ",
                        style="bold")
            head.append(f" {disposition} ", style=DISPOSITION_STYLE.get(disposition) or "")
            for reason in grade.get("reasons", [])[:6]:
                head.append(f"\n   • {safe_text(reason, 300)}", style="dim")
        else:
            head.append(" not graded yet", style="dim")
        self.query_one("#detail-head", Static).update(head)

    def _refresh_tests(self) -> None:
        follower = self.bench.follower
        if follower.run is None:
            return
        table = self.query_one("#tests-table", DataTable)
        results = follower.store.results(follower.run.id, self.slot)
        for gone in [key for key in table.rows if key.value not in results]:
            table.remove_row(gone)  # cleared for a retest
        for r in results.values():
            outcome = Text(str(r.outcome), style=OUTCOME_STYLE.get(str(r.outcome)) or "")
            values = {"outcome": outcome, "took": Text(_took(r.started, r.finished)),
                      "summary": Text(safe_text(r.summary, 300)), "evidence": Text(evidence_summary(r.evidence))}
            if r.name in table.rows:
                for column, value in values.items():
                    table.update_cell(r.name, column, value)
            else:
                table.add_row(Text(r.name), *values.values(), key=r.name)

    def selected_test(self) -> str | None:
        """The test under the Tests tab's cursor (what `R` retests)."""
        table = self.query_one("#tests-table", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return str(key.value) if key.value is not None else None

    def _refresh_inventory(self) -> None:
        follower = self.bench.follower
        if follower.run is None:
            return
        rows = follower.store.slots_named(follower.run.id, [self.slot])
        raw = rows[0]["identity"] if rows else None
        if not raw or raw == self._inventory_key:
            return
        self._inventory_key = raw
        table = self.query_one("#inventory-table", DataTable)
        table.clear()
        for c in json.loads(raw).get("components", []):
            table.add_row(*(Text(safe_text(c.get(k, ""), 80)) for k in ("kind", "name", "pid", "serial", "source",
                                                                         "descr")))

    # --- streams: transcript, log lines, telemetry ---------------------------------------
    def _load_log_backlog(self) -> None:
        follower = self.bench.follower
        if follower.run is None:
            return
        _, self._log_seen = follower.logs_since(self.slot, 0)
        upto = follower.last_event_id
        rows = follower.store.slot_events(follower.run.id, self.slot, ev.LOG, 500)
        lines = [log_line(r["ts"], ev.LogData.from_data(json.loads(r["data"])).line)
                 for r in rows if r["id"] <= upto]
        if lines:
            self.query_one("#events-log", Log).write_lines(lines)

    def _follow_streams(self) -> None:
        follower = self.bench.follower
        if follower.run is None:
            return
        lines, self._log_seen = follower.logs_since(self.slot, self._log_seen)
        if lines:
            self.query_one("#events-log", Log).write_lines(lines)
        rows = follower.store.transcript_after(follower.run.id, self.slot, self._transcript_rowid)
        if not rows and not self._transcript_rowid and not self._transcript_hint:
            self._transcript_hint = True
            self.query_one("#transcript", Log).write_line("(no console transcript stored for this slot yet)")
        if rows:
            self._transcript_rowid = rows[-1]["rowid"]
            arrow = {"rx": "<", "tx": ">"}
            self.query_one("#transcript", Log).write_lines(
                [f"{r['ts'][11:19]} {r['channel'][:3]} {arrow.get(r['direction'], '?')} {safe_text(r['text'], 2000)}"
                 for r in rows])
        samples = follower.store.telemetry_after(follower.run.id, self.slot, self._telemetry_rowid)
        if samples:
            self._telemetry_rowid = samples[-1]["rowid"]
            for s in samples:
                if s["value"] is not None:
                    series = self._series.setdefault(s["metric"], [])
                    series.append(float(s["value"]))
                    del series[:-SPARK_POINTS]
            self._refresh_charts()

    def _refresh_charts(self) -> None:
        wanted = sorted(self._series, key=chart_rank)[:CHARTS_MAX]
        if wanted != self._charted:
            box = self.query_one("#charts", VerticalScroll)
            box.remove_children()
            self._charts = [(Label(classes="chart-label"), Sparkline([], classes="chart")) for _ in wanted]
            box.mount_all(Horizontal(label, spark, classes="chart-row") for label, spark in self._charts)
            self._charted = wanted
        for metric, (label, spark) in zip(wanted, self._charts, strict=True):
            data = self._series[metric]
            label.update(Text(f"{safe_text(metric, 30):<30} now {data[-1]:>8g}  min {min(data):>8g}  "
                              f"max {max(data):>8g}"))
            spark.data = data * 2 if len(data) == 1 else list(data)  # one sample would draw as a full bar
