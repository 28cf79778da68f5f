"""Engine events: what happened, to whom, when, with a typed payload per kind. Subscribers are plain callables.

The store writer is one subscriber, a TUI or a logger another: the engine does not know
which are attached.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from typing import Any, ClassVar, Self

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


# ---- typed payloads, one per kind ----------------------------------------------------------------------
# An event's data as the store keeps it (JSON in events.data): these field names ARE the stored keys, so they
# stay stable. Readers (the TUI, `bench run`'s progress lines) take `payload(kind, data)` instead of digging
# in dicts; a key the reader's version does not know is ignored, one it lacks takes the field's default.


@dataclass(frozen=True)
class Payload:
    KIND: ClassVar[str]

    def to_data(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Self:
        return cls(**{f.name: data[f.name] for f in fields(cls) if f.name in data})


@dataclass(frozen=True)
class RunStartedData(Payload):
    KIND = RUN_STARTED
    run_id: int = 0
    resumed: bool = False
    plan: str = ""
    slots: list[str] = field(default_factory=list)
    burnin: float | None = None  # the burn-in length the run was started with (part of the run's key)


@dataclass(frozen=True)
class SlotStartedData(Payload):
    KIND = SLOT_STARTED
    resumed_tests: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class StepStartedData(Payload):
    KIND = STEP_STARTED
    test: str = ""
    index: int = 0
    total: int = 0
    started: str = ""
    expected_s: float | None = None  # a timed step's length (burn-in): what "remaining" is computed from


@dataclass(frozen=True)
class StepProgressData(Payload):
    KIND = STEP_PROGRESS


@dataclass(frozen=True)
class LogData(Payload):
    KIND = LOG
    line: str = ""


@dataclass(frozen=True)
class TestFinishedData(Payload):
    KIND = TEST_FINISHED
    __test__ = False  # not a pytest class
    test: str = ""
    outcome: str = ""
    summary: str = ""


@dataclass(frozen=True)
class GradeAssignedData(Payload):
    KIND = GRADE_ASSIGNED
    grade: dict[str, Any] = field(default_factory=dict)
    regrade: bool = False  # by a technician's input after the run, not by the run itself


@dataclass(frozen=True)
class InputsChangedData(Payload):
    KIND = INPUTS_CHANGED
    operator: str = ""
    fields: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SlotFinishedData(Payload):
    KIND = SLOT_FINISHED
    serial: str = ""
    model: str = ""


@dataclass(frozen=True)
class RunFinishedData(Payload):
    KIND = RUN_FINISHED
    run_id: int = 0


PAYLOADS: dict[str, type[Payload]] = {p.KIND: p for p in (
    RunStartedData, SlotStartedData, StepStartedData, StepProgressData, LogData, TestFinishedData,
    GradeAssignedData, InputsChangedData, SlotFinishedData, RunFinishedData)}


def payload(kind: str, data: dict[str, Any]) -> Payload:
    """The typed payload of a stored or emitted event (KeyError for a kind this version does not know)."""
    return PAYLOADS[kind].from_data(data)


@dataclass(frozen=True)
class Event:
    kind: str
    slot: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    ts: str = field(default_factory=utc_now)

    @property
    def payload(self) -> Payload:
        return payload(self.kind, self.data)

    @classmethod
    def of(cls, slot: str | None, p: Payload) -> Event:
        return cls(p.KIND, slot, p.to_data())


Subscriber = Callable[[Event], None]


class EventBus:
    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []

    def subscribe(self, fn: Subscriber) -> Callable[[], None]:
        self._subscribers.append(fn)
        return lambda: self._subscribers.remove(fn)

    def emit(self, kind: str, slot: str | None = None, **data: Any) -> None:
        self._deliver(Event(kind, slot, data))

    def publish(self, p: Payload, slot: str | None = None) -> None:
        """Emit a typed payload: its fields are the stored keys."""
        self._deliver(Event.of(slot, p))

    def _deliver(self, event: Event) -> None:
        for fn in list(self._subscribers):
            fn(event)
