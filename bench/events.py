"""Engine events: what happened, to whom, when. Subscribers are plain callables.

The store writer is one subscriber, a TUI or a logger another: the engine does not know
which are attached.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bench.model import utc_now

# Kinds, in the order a slot sees them.
RUN_STARTED = "run_started"
SLOT_STARTED = "slot_started"
STEP_STARTED = "step_started"
STEP_PROGRESS = "step_progress"
LOG = "log"
TEST_FINISHED = "test_finished"
GRADE_ASSIGNED = "grade_assigned"
INPUTS_CHANGED = "inputs_changed"  # a technician entered cosmetics, a label, notes ...
SLOT_FINISHED = "slot_finished"
RUN_FINISHED = "run_finished"


@dataclass(frozen=True)
class Event:
    kind: str
    slot: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    ts: str = field(default_factory=utc_now)


Subscriber = Callable[[Event], None]


class EventBus:
    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []

    def subscribe(self, fn: Subscriber) -> Callable[[], None]:
        self._subscribers.append(fn)
        return lambda: self._subscribers.remove(fn)

    def emit(self, kind: str, slot: str | None = None, **data: Any) -> None:
        event = Event(kind, slot, data)
        for fn in list(self._subscribers):
            fn(event)
