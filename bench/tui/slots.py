"""What the dashboard knows about each slot, and the filters, sorts and totals over them. No Textual here."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bench.reports.why import telling_reason

OUTCOMES = ("PASS", "WARN", "FAIL", "NOT_RUN", "ERROR")
FAILING_DISPOSITIONS = {"REPAIR", "PARTS", "RECYCLE", "QUARANTINE"}
FILTERS = ("all", "failing", "running", "done", "quarantined")
SORTS = ("slot", "severity", "serial", "model", "elapsed")


def parse_ts(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def utc_clock() -> datetime:
    return datetime.now(UTC)


@dataclass
class SlotView:
    """One row of the dashboard: the store's slot row plus what the event stream says it is doing."""

    slot: str
    position: int = 0
    status: str = "pending"  # pending, running, done (the store's words)
    model: str = ""
    serial: str = ""
    profile: str = ""
    step: str = ""
    step_index: int = 0
    step_total: int = 0
    step_started: datetime | None = None
    step_expected_s: float | None = None  # a timed step's length (burn-in), from the engine
    counts: dict[str, int] = field(default_factory=dict)
    last_test: str = ""
    last_outcome: str = ""
    grade: dict[str, Any] | None = None
    started: datetime | None = None
    finished: datetime | None = None
    version: int = 0  # bumped on every change: the grid re-renders a row only when it moves

    @property
    def disposition(self) -> str:
        return str((self.grade or {}).get("disposition") or "")

    @property
    def why(self) -> str:
        """The reason that decided a finished unit's HOLD, REPAIR, QUARANTINE, PARTS or RECYCLE (one safe line)."""
        return telling_reason(self.grade) if self.status == "done" else ""

    @property
    def tests_done(self) -> int:
        return sum(self.counts.values())

    def count(self, outcome: str) -> int:
        return self.counts.get(outcome, 0)

    def severity(self) -> int:
        """Higher is worse: what a technician should look at first."""
        if self.disposition == "QUARANTINE":
            return 6
        if self.count("FAIL") or self.disposition in FAILING_DISPOSITIONS:
            return 5
        if self.count("ERROR"):
            return 4
        if self.count("WARN") or self.disposition == "HOLD":
            return 3
        if self.status == "running":
            return 2
        if self.status == "pending":
            return 1
        return 0

    def tone(self) -> str:
        """The colour family of the row: quarantine, fail, error, warn, pass, running or pending."""
        return {6: "quarantine", 5: "fail", 4: "error", 3: "warn", 2: "running", 1: "pending", 0: "pass"}[
            self.severity()]

    def elapsed(self, now: datetime) -> float | None:
        if self.started is None:
            return None
        end = self.finished or now
        return max(0.0, (end - self.started).total_seconds())

    def remaining(self, now: datetime, typical_slot_s: float | None) -> float | None:
        """Seconds left for this slot, from the pace of its own finished tests; None when unknown."""
        if self.status == "done":
            return 0.0
        if self.status == "pending" or self.started is None:
            return typical_slot_s
        done, total = self.tests_done, self.step_total
        spent = self.elapsed(now) or 0.0
        if self.step_expected_s is not None and self.step_started is not None and self.started is not None:
            # A timed step (burn-in) runs its length whatever the pace of the quick tests before it.
            into_step = max(0.0, (now - self.step_started).total_seconds())
            before = max(0.0, (self.step_started - self.started).total_seconds())
            pace = before / self.step_index if self.step_index > 0 else 0.0
            after = max(0, total - self.step_index - 1)
            return max(0.0, self.step_expected_s - into_step) + pace * after
        if total <= 0 or done <= 0:
            return max(0.0, typical_slot_s - spent) if typical_slot_s is not None else None
        return max(0.0, spent / done * max(0, total - done))

    def matches(self, name: str) -> bool:
        if name == "failing":
            return bool(self.count("FAIL") or self.count("ERROR") or self.disposition in FAILING_DISPOSITIONS)
        if name == "running":
            return self.status == "running"
        if name == "done":
            return self.status == "done"
        if name == "quarantined":
            return self.disposition == "QUARANTINE"
        return True

    def update_from_row(self, row: Any) -> bool:
        """Take the store's slot row (sqlite3.Row or dict); True when anything visible changed."""
        grade = json.loads(row["grade"]) if row["grade"] else None
        fresh = (str(row["status"]), str(row["model"] or ""), str(row["serial"] or ""), str(row["profile"] or ""),
                 grade, parse_ts(row["started"]), parse_ts(row["finished"]), int(row["position"]))
        old = (self.status, self.model, self.serial, self.profile, self.grade, self.started, self.finished,
               self.position)
        if fresh == old:
            return False
        (self.status, self.model, self.serial, self.profile, self.grade, self.started, self.finished,
         self.position) = fresh
        if self.status == "done":
            self.step = ""
        self.version += 1
        return True

    def update_counts(self, counts: dict[str, int]) -> bool:
        if counts == self.counts:
            return False
        self.counts = dict(counts)
        self.version += 1
        return True


def ordered(views: Iterable[SlotView], filter_name: str, sort: str, now: datetime) -> list[str]:
    """Slot ids shown, in order."""
    keys: dict[str, Callable[[SlotView], Any]] = {
        "slot": lambda v: v.position,
        "severity": lambda v: (-v.severity(), v.position),
        "serial": lambda v: (v.serial or "~", v.position),
        "model": lambda v: (v.model or "~", v.position),
        "elapsed": lambda v: (-(v.elapsed(now) or 0.0), v.position),
    }
    chosen = [v for v in views if v.matches(filter_name)]
    chosen.sort(key=keys.get(sort, keys["slot"]))
    return [v.slot for v in chosen]


@dataclass
class Totals:
    slots: int = 0
    running: int = 0
    done: int = 0
    pending: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    dispositions: dict[str, int] = field(default_factory=dict)
    remaining_s: float | None = None
    elapsed_s: float | None = None


def totals(views: Iterable[SlotView], now: datetime, run_started: datetime | None,
           run_finished: datetime | None) -> Totals:
    views = list(views)
    t = Totals(slots=len(views))
    durations = [v.elapsed(now) for v in views if v.status == "done" and v.started]
    typical = sum(d for d in durations if d is not None) / len(durations) if durations else None
    remaining: list[float] = []
    unknown = False
    for v in views:
        if v.status == "running":
            t.running += 1
        elif v.status == "done":
            t.done += 1
        else:
            t.pending += 1
        for o, n in v.counts.items():
            t.outcomes[o] = t.outcomes.get(o, 0) + n
        if v.disposition:
            t.dispositions[v.disposition] = t.dispositions.get(v.disposition, 0) + 1
        r = v.remaining(now, typical)
        if r is None:
            unknown = True
        else:
            remaining.append(r)
    # Slots run side by side: the run ends with its slowest slot.
    t.remaining_s = 0.0 if t.done == t.slots else (None if unknown else max(remaining, default=None))
    if run_started is not None:
        t.elapsed_s = max(0.0, ((run_finished or now) - run_started).total_seconds())
    return t


def duration_text(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    s = int(round(seconds))
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"
