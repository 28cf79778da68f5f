"""Plain data shared by every layer: units, components, readings, outcomes, results, grades.

Nothing here does I/O. Every type converts to and from plain dicts so the store, the exports
and the TUI all see the same shape.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from enum import StrEnum
from functools import cache
from typing import Any, Self, get_type_hints


def utc_now() -> str:
    """ISO-8601 UTC timestamp with milliseconds, the one time format used everywhere."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def epoch_seconds(stamp: str) -> float:
    """The POSIX time of a timestamp in that format (the Z suffix included)."""
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


class Outcome(StrEnum):
    PASS = "PASS"
    WARN = "WARN"
    FAIL = "FAIL"
    NOT_RUN = "NOT_RUN"
    ERROR = "ERROR"


class ComponentKind(StrEnum):
    CHASSIS = "chassis"
    MODULE = "module"
    PSU = "psu"
    FAN = "fan"
    OPTIC = "optic"
    OTHER = "other"


class SensorState(StrEnum):
    """Tri-state health of one reading: a reading that cannot be taken is UNKNOWN, never OK."""

    OK = "ok"
    WARN = "warn"
    FAIL = "fail"
    UNKNOWN = "unknown"


class Disposition(StrEnum):
    RESALE = "RESALE"
    REPAIR = "REPAIR"
    PARTS = "PARTS"
    RECYCLE = "RECYCLE"
    QUARANTINE = "QUARANTINE"
    # Functional but not yet sanitized: R2v3 forbids grading it for resale until it is.
    HOLD = "HOLD"


@cache
def _enum_fields(cls: type) -> dict[str, type[StrEnum]]:
    hints = get_type_hints(cls)
    return {f.name: t for f in fields(cls) if isinstance(t := hints[f.name], type) and issubclass(t, StrEnum)}


class EnumsAsText:
    """to_dict/from_dict for a dataclass whose StrEnum fields travel as their text ("PASS", "fail")."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self) | {k: str(getattr(self, k)) for k in _enum_fields(type(self))}  # type: ignore[call-overload]

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Self:
        return cls(**{**d, **{k: enum(d[k]) for k, enum in _enum_fields(cls).items()}})


@dataclass
class Component(EnumsAsText):
    kind: ComponentKind
    name: str
    pid: str = ""
    vid: str = ""
    serial: str = ""
    descr: str = ""
    source: str = ""  # which channel reported it: cli, snmp, console

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Component:
        return super().from_dict({"kind": ComponentKind.OTHER, **d})  # older records may lack the kind


@dataclass
class Reading(EnumsAsText):
    """One sensor reading with its own thresholds, as the device reports them."""

    kind: str  # temperature, fan, psu, uptime, counter
    name: str
    state: SensorState
    value: float | None = None
    unit: str = ""
    warn_at: float | None = None
    fail_at: float | None = None
    detail: str = ""


@dataclass
class TestResult(EnumsAsText):
    name: str
    outcome: Outcome
    summary: str
    evidence: dict[str, Any] = field(default_factory=dict)
    started: str = ""
    finished: str = ""

    __test__ = False  # not a pytest class


@dataclass
class Identity:
    """What a unit says it is. Filled by the identity test; read by every later one."""

    model: str = ""
    serial: str = ""
    os_version: str = ""
    hostname: str = ""
    uptime: str = ""
    config_register: str = ""
    reload_reason: str = ""
    sys_object_id: str = ""
    sys_descr: str = ""
    components: list[Component] = field(default_factory=list)
    # Serial numbers of the chassis as each channel reported it, e.g. {"cli": ..., "snmp": ...}.
    chassis_serials: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["components"] = [c.to_dict() for c in self.components]
        return d

    def read_serials(self) -> list[str]:
        """The chassis serials the unit itself reported (CLI, SNMP, ROMMON), not the label it was given."""
        return sorted({v for k, v in self.chassis_serials.items() if k != "label" and v})

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Identity:
        comps = [Component.from_dict(c) for c in d.get("components", [])]
        return cls(**{**d, "components": comps})


@dataclass
class Grade(EnumsAsText):
    functional: str | None  # F3..F6, or None when the unit is not functional
    cosmetic: str
    letter: str
    disposition: Disposition
    reasons: list[str] = field(default_factory=list)


@dataclass
class TechnicianInputs:
    """What the technician enters at the bench; grading reads it, never the device."""

    cosmetic: str = "C0"
    label_serial: str = ""
    asset_tag: str = ""
    notes: str = ""
    licence_attested: bool = False
    new_open_box: bool = False
    # The technician's own call, downward only: "PARTS" or "RECYCLE" (no resale value, beyond repair);
    # "" leaves the disposition to the rules. It never lifts a QUARANTINE or a HOLD.
    disposition: str = ""
    # field -> "operator at time": who entered each value, so a grade's reasons can name them.
    provenance: dict[str, str] = field(default_factory=dict)
