"""Following a run through the store: new events since the last seen id, then re-read only the slots they touch.

The same reader serves `bench tui --db` attached to another process and `bench demo` in-process,
so both show exactly what `bench export` would print. No Textual here.
"""

from __future__ import annotations

import json
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bench import events as ev
from bench.store import RunInfo, Store
from bench.terminal import safe_text
from bench.tui.slots import SlotView, parse_ts

# Kinds after which the slot's stored row or results may differ from what we hold.
_REREAD = {ev.SLOT_STARTED, ev.TEST_FINISHED, ev.GRADE_ASSIGNED, ev.SLOT_FINISHED, ev.INPUTS_CHANGED}
LOG_LINES_KEPT = 300


def log_line(ts: str, line: object) -> str:
    return f"{ts[11:19]} {safe_text(line, 1000)}"


@dataclass
class Change:
    """What one poll found."""

    slots: set[str] = field(default_factory=set)
    run_switched: bool = False
    run_status_changed: bool = False
    slots_added: bool = False  # a slot the run gained (a stack's member once the stack is graded)
    events: int = 0


def _payload(kind: str, row: Mapping[str, Any]) -> ev.Payload:
    """The typed payload of an events row of `kind` (its data is JSON)."""
    return ev.payload(kind, json.loads(row["data"]))


class StoreFollower:
    """Holds a SlotView per slot of the followed run and updates it from the store.

    `after_run` makes it wait for a run newer than that id (in-process: ignore the previous demo's run).
    A full re-read every `resync_s` catches what arrives without an event (a regrade from `bench grade`).
    """

    def __init__(self, store: Store, *, run_id: int | None = None, after_run: int = 0, resync_s: float = 3.0,
                 batch: int = 5000, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.store = store
        self.pinned_run = run_id
        self.after_run = after_run
        self.resync_s = resync_s
        self.batch = batch
        self._monotonic = monotonic
        self.run: RunInfo | None = None
        self.views: dict[str, SlotView] = {}
        self.logs: dict[str, deque[str]] = {}
        self.log_count: dict[str, int] = {}  # lines ever appended per slot: a reader asks for those after its count
        self.last_event_id = 0
        self._last_resync = 0.0

    @property
    def run_started(self) -> datetime | None:
        return parse_ts(self.run.started) if self.run else None

    @property
    def run_finished(self) -> datetime | None:
        return parse_ts(self.run.finished) if self.run else None

    def _wanted_run(self) -> RunInfo | None:
        if self.pinned_run is not None:
            return self.store.run(self.pinned_run)
        run = self.store.latest_run()
        return run if run is not None and run.id > self.after_run else None

    def poll(self) -> Change:
        change = Change()
        run = self._wanted_run()
        if run is None:
            return change
        if self.run is None or run.id != self.run.id:
            self._load(run)
            change.run_switched = True
            change.slots = set(self.views)
            return change
        if run.status != self.run.status:
            change.run_status_changed = True
        self.run = run
        touched = self._read_events(change)
        if self._monotonic() - self._last_resync >= self.resync_s:
            before = len(self.views)
            change.slots |= self._reread(None)
            change.slots_added = len(self.views) > before
        elif touched:
            change.slots |= self._reread(touched)
        return change

    def _load(self, run: RunInfo) -> None:
        self.run = run
        # Cleared in place: the grid holds this very dict.
        self.views.clear()
        self.logs.clear()
        self.log_count.clear()
        for row in self.store.slots(run.id):
            v = SlotView(slot=row["slot"])
            v.update_from_row(row)
            self.views[v.slot] = v
        for slot, counts in self.store.outcome_counts(run.id).items():
            if slot in self.views:
                self.views[slot].update_counts(counts)
        # Attaching mid-run: each slot's current step is its newest step_started event.
        for row in self.store.latest_event_per_slot(run.id, ev.STEP_STARTED):
            v = self.views.get(row["slot"])
            if v is not None and v.status == "running":
                self._apply_step(v, _payload(ev.STEP_STARTED, row))  # type: ignore[arg-type]
        for row in self.store.latest_event_per_slot(run.id, ev.TEST_FINISHED):
            v = self.views.get(row["slot"])
            if v is not None:
                self._apply_finished(v, _payload(ev.TEST_FINISHED, row))  # type: ignore[arg-type]
        self.last_event_id = self.store.last_event_id(run.id)
        self._last_resync = self._monotonic()

    def _read_events(self, change: Change) -> set[str]:
        assert self.run is not None
        touched: set[str] = set()
        for _ in range(20):  # bounded catch-up per poll; the rest waits for the next poll
            rows = self.store.events(self.run.id, self.last_event_id, self.batch)
            for row in rows:
                self.last_event_id = row["id"]
                slot, kind = row["slot"], row["kind"]
                v = self.views.get(slot) if slot else None
                if v is None:
                    continue
                change.events += 1
                p = _payload(kind, row) if kind in ev.PAYLOADS else None
                if isinstance(p, ev.StepStartedData):
                    self._apply_step(v, p)
                    change.slots.add(slot)
                elif isinstance(p, ev.StepProgressData):
                    change.slots.add(slot)
                elif isinstance(p, ev.LogData):
                    self.logs.setdefault(slot, deque(maxlen=LOG_LINES_KEPT)).append(log_line(row["ts"], p.line))
                    self.log_count[slot] = self.log_count.get(slot, 0) + 1
                elif isinstance(p, ev.TestFinishedData):
                    self._apply_finished(v, p)
                    v.version += 1
                    change.slots.add(slot)
                if kind in _REREAD:
                    touched.add(slot)
            if len(rows) < self.batch:
                break
        return touched

    @staticmethod
    def _apply_step(v: SlotView, p: ev.StepStartedData) -> None:
        v.step = str(p.test)
        v.step_index = int(p.index or 0)
        v.step_total = int(p.total or 0)
        v.step_started = parse_ts(str(p.started or ""))
        v.step_expected_s = float(p.expected_s) if isinstance(p.expected_s, int | float) else None
        v.version += 1

    @staticmethod
    def _apply_finished(v: SlotView, p: ev.TestFinishedData) -> None:
        v.last_test, v.last_outcome = str(p.test), str(p.outcome)

    def _reread(self, slots: set[str] | None) -> set[str]:
        """Re-read slot rows and result counts (all slots when None); the ids whose view changed."""
        assert self.run is not None
        changed: set[str] = set()
        rows = self.store.slots(self.run.id) if slots is None else self.store.slots_named(self.run.id, slots)
        counts = self.store.outcome_counts(self.run.id, None if slots is None else slots)
        for row in rows:
            v = self.views.get(row["slot"])
            if v is None:
                if slots is not None:
                    continue
                v = self.views[row["slot"]] = SlotView(slot=row["slot"])  # new since the run was loaded
                changed.add(v.slot)
            if v.update_from_row(row) | v.update_counts(counts.get(v.slot, {})):
                changed.add(v.slot)
        if slots is None:
            self._last_resync = self._monotonic()
        return changed

    def logs_since(self, slot: str, seen: int) -> tuple[list[str], int]:
        """Log lines of a slot appended after a reader's count, and the new count."""
        total = self.log_count.get(slot, 0)
        kept = list(self.logs.get(slot, ()))
        return kept[max(0, len(kept) - (total - seen)):] if total > seen else [], total

    def refresh_slot(self, slot: str) -> None:
        """After this process wrote to the slot (technician inputs): read it back now."""
        if self.run is not None:
            self._reread({slot})
