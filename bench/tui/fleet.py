"""`bench tui --db postgresql://...`: the fleet's dashboard.

On top, every bench of the fleet store with its trust, units, state and throughput; below, the chosen
bench's latest run in the bench dashboard's own grid, and Enter opens a unit in the same slot detail as
on a bench; l and p save the unit's label and certificate from the fleet store. It reads through
bench.fleet.reader (store-like methods, no SQL here) and writes nothing to the store: grading, retests and
slot actions belong to the bench that holds the unit.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Static

from bench.fleet.reader import FleetReader
from bench.store import StoreBusy
from bench.terminal import safe_text
from bench.tui.app import BenchApp
from bench.tui.grid import SlotGrid

BENCH_COLUMNS = (("Bench", 20), ("Trust", 20), ("Key", 17), ("Units", 6), ("Runs", 5), ("Units/h", 8),
                 ("State", 36))
READ_ONLY = "the fleet view is read-only: grade, retest or stop a unit on the bench that holds it"


class FleetApp(BenchApp):
    TITLE = "bench fleet"
    CSS = """
    #benches { height: auto; max-height: 12; }
    #fleet-head { height: 1; background: $panel; }
    """
    BINDINGS = [Binding("b", "focus_benches", "Benches")]

    def __init__(self, reader: FleetReader, *, poll_s: float = 0.5, benches_s: float = 2.0,
                 documents_dir: Path | None = None) -> None:
        super().__init__(reader, poll_s=poll_s, note=f"fleet {reader.path} · read-only",  # type: ignore[arg-type]
                         documents_dir=documents_dir)
        self.reader = reader
        self.benches_s = benches_s
        self.approved: dict[str, bool] = {}

    def compose(self) -> ComposeResult:
        yield Static(id="fleet-head")
        yield DataTable(id="benches", cursor_type="row", zebra_stripes=True)
        yield Static(id="totals")
        yield SlotGrid(self.follower.views, self.clock, id="grid")
        yield Footer()

    def on_mount(self) -> None:
        # Textual runs BenchApp.on_mount after this one (a handler per class): it starts the follow loop.
        table = self.query_one("#benches", DataTable)
        for title, width in BENCH_COLUMNS:
            table.add_column(title, key=title, width=width)
        self.set_interval(self.benches_s, self.refresh_benches)
        self.call_after_refresh(self._first_bench)  # after BenchApp's, which focuses the grid

    def _first_bench(self) -> None:
        """The benches table takes the keys, then the first bench's units show (so a unit on screen means
        the arrow keys already move between benches)."""
        self.query_one("#benches", DataTable).focus()
        self.refresh_benches()

    # --- timers: none after shutdown began ---------------------------------------------
    # Textual marks the app not running, removes the screens, then stops the app's timers: a timer firing in
    # between would query widgets that are gone (NoMatches). The fleet view polls often, so it checks.
    def poll(self) -> None:
        if self.is_running:
            super().poll()

    def tick(self) -> None:
        if self.is_running:
            super().tick()

    # --- the benches table --------------------------------------------------------------
    def refresh_benches(self) -> None:
        if not self.is_running:
            return
        try:
            benches = self.reader.benches()
        except StoreBusy as e:
            self.notify(f"{e}; retrying", severity="warning", timeout=2)
            return
        now = datetime.now(UTC)
        table = self.query_one("#benches", DataTable)
        self.approved = {b.name: b.approved for b in benches}
        if self.reader.bench in self.approved:
            self._set_note(self.reader.bench)
        for b in benches:
            cells: dict[str, Any] = {
                "Bench": Text(safe_text(b.name, 40), style="bold"),
                "Trust": Text(b.trust, style="" if b.approved else "bold yellow"),
                "Key": Text(b.key_fingerprint[:16]), "Units": Text(str(b.units), justify="right"),
                "Runs": Text(str(b.runs), justify="right"), "Units/h": Text(str(b.per_hour), justify="right"),
                "State": Text(b.state(now)),
            }
            if b.name in table.rows:
                for column, value in cells.items():
                    table.update_cell(b.name, column, value)
            else:
                table.add_row(*cells.values(), key=b.name)
        total = sum(b.units for b in benches)
        self.query_one("#fleet-head", Static).update(Text(
            f" fleet {self.reader.path}: {len(benches)} benches, {total} units, "
            f"{sum(b.per_hour for b in benches)} in the last hour · b benches, Tab units, Enter opens", style="bold"))
        if self.reader.bench is None and benches:
            self.choose(benches[0].name)

    def on_data_table_row_highlighted(self, message: DataTable.RowHighlighted) -> None:
        if message.data_table.id == "benches" and message.row_key.value is not None:
            self.choose(str(message.row_key.value))

    def on_data_table_row_selected(self, message: DataTable.RowSelected) -> None:
        if message.data_table.id == "benches":
            self.grid.focus()

    def choose(self, bench: str) -> None:
        """Show this bench's latest run in the grid below."""
        if bench == self.reader.bench:
            return
        self.reader.select(bench)
        self._set_note(bench)
        self.follower.run = None  # the next poll loads the chosen bench's run
        self.follower.views.clear()
        self.grid.forget_rows()
        self.grid.refresh()
        self.poll()
        self._refresh_header()

    def _set_note(self, bench: str) -> None:
        """The header under the benches says whose units these are, and when they are not trusted."""
        held = "" if self.approved.get(bench, False) else " · HELD: bench not approved, its units are not trusted"
        self.note = f"fleet {self.reader.path} · read-only{held}"

    def action_focus_benches(self) -> None:
        self.query_one("#benches", DataTable).focus()

    # --- what a fleet view does not do --------------------------------------------------
    def action_grade(self) -> None:
        self.notify(READ_ONLY, severity="warning")

    def action_slot_action(self, action: str) -> None:
        self.notify(READ_ONLY, severity="warning")

    def action_redo(self, action: str, test: str | None = None) -> None:
        self.notify(READ_ONLY, severity="warning")

    def action_redo_test(self) -> None:
        self.notify(READ_ONLY, severity="warning")

    async def _save_document(self, serial: str, kind: str) -> None:
        """l / p: the unit's label or certificate from the fleet store (bench.fleet.report), where the bench
        dashboard saves them; an unapproved bench's unit prints as not holding."""
        import asyncio

        from bench.errors import BenchError
        from bench.tui.fleet_documents import save_fleet_document

        bench = self.reader.bench or ""
        try:
            path = await asyncio.to_thread(save_fleet_document, self.reader.url, bench, serial, kind,
                                           self.documents_dir)
        except (BenchError, OSError) as e:
            self.notify(f"{kind} of {safe_text(serial)}: {safe_text(str(e))}", severity="error", timeout=8)
            return
        self.notify(f"{kind} saved: {path}", title=safe_text(serial))
