"""The dashboard app: a header of run totals, the slot grid, and the screens it opens.

It follows the store a few times a second (bench.tui.follow) and repaints only the rows that
changed; it never talks to the engine, so attaching to a headless run in another process and
running in-process under `bench demo` are the same code path.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual.actions import SkipAction
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Footer, Input, Static

from bench.control import ACTIONS
from bench.model import Grade
from bench.store import RunInfo, Store, StoreBusy, StoreError
from bench.terminal import safe_text
from bench.tui.actions import ConfirmAction, palette_commands, slot_bindings
from bench.tui.detail import SlotDetail
from bench.tui.follow import StoreFollower
from bench.tui.grading import GradeModal, GradeSaved
from bench.tui.grid import DISPOSITION_STYLE, OUTCOME_STYLE, SlotGrid
from bench.tui.retest import Redo, redo
from bench.tui.slots import FILTERS, SORTS, SlotView, duration_text, ordered, totals, utc_clock

_DONE = {"skip": "skipped", "empty": "marked empty", "stop": "stopped"}


def _after(names: Sequence[str], current: str) -> str:
    """The next of `names` after `current`, round to the first."""
    return names[(names.index(current) + 1) % len(names)]


def writable_dir(preferred: Path) -> Path:
    return preferred if preferred.is_dir() and os.access(preferred, os.W_OK) else Path(tempfile.gettempdir())


class BenchApp(App[None]):
    CSS_PATH = str(Path(__file__).with_name("bench.tcss"))  # absolute: subclasses live elsewhere
    # The slot grid's widget: (views, clock, id=...) with the grid's methods (benchmarks/tui_events.py
    # measures a DataTable in its place).
    GRID: ClassVar[type[Widget]] = SlotGrid
    TITLE = "bench"
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        *slot_bindings("g"),
        Binding("f", "next_filter", "Filter"),  # beside Grade in the footer
        *slot_bindings("lpxXroO"),
        Binding("s", "next_sort", "Sort"),
        Binding("1", "filter('all')", "All", show=False),
        Binding("2", "filter('failing')", "Failing", show=False),
        Binding("3", "filter('running')", "Running", show=False),
        Binding("4", "filter('done')", "Done", show=False),
        Binding("5", "filter('quarantined')", "Quarantined", show=False),
    ]

    def __init__(self, store: Store, *, run_id: int | None = None, after_run: int = 0,
                 clock: Callable[[], datetime] = utc_clock, poll_s: float = 0.25, note: str = "",
                 operator: str = "", documents_dir: Path | None = None) -> None:
        super().__init__()
        self.store = store
        self.clock = clock
        self.poll_s = poll_s
        self.note = note
        self.operator = operator or os.environ.get("BENCH_OPERATOR", "")
        self.follower = StoreFollower(store, run_id=run_id, after_run=after_run)
        self.documents_dir = documents_dir or Path.cwd()
        self.filter = "all"
        self.sort = "slot"
        self._header = Text()
        self.resumes: list[subprocess.Popen[bytes]] = []  # finished runs this dashboard resumed (they outlive it)

    # --- layout and the follow loop -----------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static(id="totals")
        yield self.GRID(self.follower.views, self.clock, id="grid")
        yield Footer()

    @property
    def grid(self) -> SlotGrid:
        return self.query_one("#grid", self.GRID)  # type: ignore[return-value]

    def on_mount(self) -> None:
        self.grid.focus()
        self.poll()
        self.set_interval(self.poll_s, self.poll)
        self.set_interval(1.0, self.tick)

    def _shutting_down(self) -> bool:
        """A timer can fire after the app removed its widgets (seen on a loaded machine): nothing to draw."""
        return not self.query("#grid")

    def poll(self) -> None:
        if self._shutting_down():
            return
        try:
            change = self.follower.poll()
        except StoreBusy as e:  # a store busy or briefly unreadable: say so, try again next poll
            self.notify(f"store: {e}; retrying", severity="warning", timeout=2)
            return
        grid = self.grid
        if change.run_switched or change.slots_added:
            grid.forget_rows()
            self._reorder()
            grid.refresh()
        elif change.slots:
            if self.filter != "all" or self.sort != "slot":
                self._reorder()
            grid.rows_changed(change.slots)
            screen = self.screen
            if isinstance(screen, SlotDetail) and screen.slot in change.slots:
                screen.slot_changed()
        if change.slots or change.run_switched or change.run_status_changed:
            self._refresh_header()

    def tick(self) -> None:
        """Once a second: elapsed and remaining time move even when nothing else does."""
        if self._shutting_down():
            return
        self.grid.tick(self.clock())
        if self.sort == "elapsed":
            self._reorder()
        self._refresh_header()

    def _reorder(self) -> None:
        self.grid.set_order(ordered(self.follower.views.values(), self.filter, self.sort, self.clock()))

    def _refresh_header(self) -> None:
        text = self.header_text()
        if text != self._header:
            self._header = text
            self.query_one("#totals", Static).update(text)

    def header_text(self) -> Text:
        f = self.follower
        if f.run is None:
            return Text(f" waiting for a run in {self.store.path} … {self.note}", style="dim")
        now = self.clock()
        t = totals(f.views.values(), now, f.run_started, f.run_finished)
        head = Text()
        head.append(f" {f.run.bench} ", style="bold reverse")
        head.append(f" run {f.run.id} ({f.run.status}) · plan {f.run.plan} · {t.slots} slots: ")
        head.append(f"{t.running} running", style="cyan")
        head.append(f", {t.done} done, {t.pending} waiting · elapsed {duration_text(t.elapsed_s)} · ")
        left = "finished" if f.run.status == "done" else f"remaining ~{duration_text(t.remaining_s)}"
        head.append(left, style="bold")
        head.append("\n ")
        for outcome in ("PASS", "WARN", "FAIL", "ERROR", "NOT_RUN"):
            head.append(f"{outcome} {t.outcomes.get(outcome, 0)}", style=OUTCOME_STYLE[outcome])
            head.append("  ")
        head.append("│ ")
        for disposition, n in sorted(t.dispositions.items()):
            head.append(f"{disposition} {n}", style=DISPOSITION_STYLE.get(disposition) or "")
            head.append("  ")
        head.append(f"│ filter {self.filter} · sort {self.sort}", style="bold")
        if self.note:
            head.append(f" · {self.note}", style="dim")
        return head

    # --- filter and sort ----------------------------------------------------------------
    def action_filter(self, name: str) -> None:
        self._arrange(name, self.sort)

    def action_next_filter(self) -> None:
        self.action_filter(_after(FILTERS, self.filter))

    def action_sort(self, name: str) -> None:
        self._arrange(self.filter, name)

    def action_next_sort(self) -> None:
        self.action_sort(_after(SORTS, self.sort))

    def _arrange(self, filter_name: str, sort: str) -> None:
        self.filter, self.sort = filter_name, sort
        self._reorder()
        self._refresh_header()

    # --- detail and grading -------------------------------------------------------------
    def current_slot(self) -> str | None:
        screen = self.screen
        if isinstance(screen, SlotDetail):
            return screen.slot
        return self.grid.cursor_slot

    def on_slot_grid_chosen(self, message: SlotGrid.Chosen) -> None:
        self.open_detail(message.slot)

    def open_detail(self, slot: str | None = None) -> None:
        slot = slot or self.grid.cursor_slot
        if slot is not None and slot in self.follower.views:
            self.push_screen(SlotDetail(slot))

    def action_detail(self) -> None:
        self.open_detail()

    def action_grade(self) -> None:
        if isinstance(self.screen, ModalScreen) or isinstance(self.focused, Input):
            raise SkipAction()  # a g typed into a field (the grading modal's notes, a search) is just a g
        slot = self.current_slot()
        run = self.follower.run
        if slot is None or run is None:
            self.notify("no slot selected", severity="warning")
            return
        from bench.inputs import current_inputs

        current = current_inputs(self.store, run.id, slot)
        save = partial(self._save_inputs, run.id, slot)
        self.push_screen(GradeModal(slot, self.follower.views[slot].serial, current, self.operator, save),
                         self._graded)

    def _save_inputs(self, run_id: int, slot: str, operator: str, changes: dict[str, Any]) -> Grade | None:
        """Runs in a worker thread, on its own connection (the UI's stays with the UI thread)."""
        from bench.inputs import set_inputs

        store = Store(self.store.path)
        try:
            return set_inputs(store, run_id, slot, operator, key=os.environ.get("BENCH_KEY") or None, **changes)
        finally:
            store.close()

    def _graded(self, saved: GradeSaved | None) -> None:
        if saved is None:
            return
        self.follower.refresh_slot(saved.slot)
        self.grid.rows_changed({saved.slot})
        self._refresh_header()
        if isinstance(self.screen, SlotDetail):
            self.screen.slot_changed()
        g = saved.grade
        result = (f"{g.functional or '-'} {g.cosmetic} {g.letter} {g.disposition}" if g
                  else "saved; graded when its tests finish")
        self.notify(f"{saved.slot}: {', '.join(saved.fields)} → {result}", title="Technician inputs")

    # --- slot actions through the store's control table (bench.control) ---------------
    def _selected(self) -> tuple[SlotView | None, RunInfo | None]:
        """The slot under the cursor (or open in the detail screen) and the run."""
        slot = self.current_slot()
        return (self.follower.views.get(slot) if slot else None), self.follower.run

    def _confirmed(self, slot: str, action: str, step: str, then: Callable[[str], None]) -> None:
        """Ask for the operator id; on Enter remember it and call `then(operator)`, on Esc do nothing."""
        def answered(operator: str | None) -> None:
            if operator is not None:
                self.operator = operator
                then(operator)

        self.push_screen(ConfirmAction(slot, action, step, self.operator), answered)

    def action_slot_action(self, action: str) -> None:
        view, run = self._selected()
        if view is None or run is None or run.status != "running" or view.status != "running":
            self.notify(f"only a slot under test in a running run can be {_DONE[action]}", severity="warning")
            return
        run_id, slot = run.id, view.slot

        def ask(operator: str) -> None:
            from bench.control import request

            asked = request(self.store, run_id, slot, action, operator)
            self.notify(f"{slot}: asked the run to {ACTIONS[action]}", title="bench")
            self.watch_request(asked, slot)

        self._confirmed(slot, action, view.step, ask)

    def action_redo(self, action: str, test: str | None = None) -> None:
        """Retest (the slot, or `test`) or start: bench.tui.retest clears what is redone, then asks the run's
        engine or resumes the finished run in the background."""
        view, run = self._selected()
        if view is None or run is None:
            self.notify("no slot selected", severity="warning")
            return
        if view.status == "running":
            self.notify(f"{view.slot} is under test: stop it first (O) or let it finish", severity="warning")
            return
        run_id, slot = run.id, view.slot
        self._confirmed(slot, action, test or "", lambda operator: self.run_worker(
            self._redo(run_id, slot, action, operator, test), group="redo"))

    def action_redo_test(self) -> None:
        screen = self.screen
        test = screen.selected_test() if isinstance(screen, SlotDetail) else None
        if test is None:
            self.notify("open the slot (Enter) and put the cursor on a test to retest it", severity="warning")
            return
        self.action_redo("retest", test)

    async def _redo(self, run_id: int, slot: str, action: str, operator: str, test: str | None) -> None:
        import asyncio

        from bench.errors import BenchError

        def work() -> Redo:  # its own connection: the UI's stays with the UI thread
            store = Store(self.store.path)
            try:
                return redo(store, run_id, slot, action, operator, test)
            finally:
                store.close()

        try:
            done = await asyncio.to_thread(work)
        except (BenchError, OSError, StoreError) as e:
            self.notify(f"{slot}: {e}", severity="error", timeout=15)
            return
        if done.process is not None:
            self.resumes.append(done.process)
        if done.request_id:
            self.watch_request(done.request_id, slot)
        self.follower.refresh_slot(slot)
        self.grid.rows_changed({slot})
        self._refresh_header()
        if isinstance(self.screen, SlotDetail) and self.screen.slot == slot:
            self.screen.slot_changed()
        self.notify(done.message, title="bench", timeout=10 if done.process else 5)

    def watch_request(self, request_id: int, slot: str, within_s: float = 5.0) -> None:
        """A running engine takes requests twice a second; one not taken in a few seconds means the run's
        `bench run` was killed (the run still says 'running'): tell the technician how to go on."""
        def check() -> None:
            try:
                waiting = self.store.request_waiting(request_id)
            except StoreError:
                return
            if waiting:
                self.notify(f"{slot}: the run's engine has not taken the request; if its 'bench run' is no "
                            "longer running, run that same command again to resume the run (it then acts on it)",
                            severity="warning", timeout=20)

        self.set_timer(within_s, check)

    # --- label and certificate ----------------------------------------------------------
    def action_save(self, kind: str) -> None:
        view, _run = self._selected()
        if view is None or not view.serial:
            self.notify("this slot has no serial yet: nothing to print", severity="warning")
            return
        if view.status != "done":
            self.notify(f"{view.slot} is still under test: its {kind} comes with its grade", severity="warning")
            return
        self.run_worker(self._save_document(view.serial, kind), group="documents")

    async def _save_document(self, serial: str, kind: str) -> None:
        import asyncio

        from bench.errors import BenchError
        from bench.tui.documents import save_document

        try:
            path = await asyncio.to_thread(save_document, self.store.path, serial, kind, self.documents_dir)
        except (BenchError, OSError) as e:
            self.notify(f"{kind} of {safe_text(serial)}: {e}", severity="error", timeout=8)
            return
        self.notify(f"{kind} saved: {path}", title=safe_text(serial))

    def deliver_screenshot(self, filename: str | None = None, path: str | None = None,
                           time_format: str | None = None) -> str | None:
        """The palette's Screenshot: an SVG where labels and certificates go (the working directory, or the
        temp directory when that is read-only). Textual's default, the user's Downloads folder, is often
        missing on a bench PC ("Failed to save screenshot")."""
        return super().deliver_screenshot(filename, path or str(writable_dir(self.documents_dir)), time_format)

    # --- the command palette ------------------------------------------------------------
    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Open slot detail", "tests, console transcript, burn-in charts, inventory",
                            self.action_detail)
        for title, help_text, callback in palette_commands(self):
            yield SystemCommand(title, help_text, callback)
        for name in FILTERS:
            yield SystemCommand(f"Filter: {name}", f"show {name} slots", partial(self.action_filter, name))
        for name in SORTS:
            yield SystemCommand(f"Sort by {name}", f"order the grid by {name}", partial(self.action_sort, name))
