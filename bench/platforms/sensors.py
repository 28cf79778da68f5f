"""A sensor's state as the unit itself rates it: its own state word and its own thresholds.

Collectors fill each Reading's state from what the unit says; the checks judge the readings.
"""

from __future__ import annotations

import re
from typing import Any

from bench.model import Reading, SensorState

_FIRST_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_RANK = {SensorState.OK: 0, SensorState.UNKNOWN: 1, SensorState.WARN: 2, SensorState.FAIL: 3}


def judge_temperature(value: float | None, yellow: float | None, red: float | None, word: str) -> SensorState:
    """The worse of the device's own state word and the value against its own thresholds."""
    by_word = {
        "GREEN": SensorState.OK,
        "OK": SensorState.OK,
        "YELLOW": SensorState.WARN,
        "WARNING": SensorState.WARN,
        "RED": SensorState.FAIL,
        "CRITICAL": SensorState.FAIL,
        "FAULTY": SensorState.FAIL,
    }.get(word.upper())
    by_value = None
    if value is not None:
        if red is not None and value >= red:
            by_value = SensorState.FAIL
        elif yellow is not None and value >= yellow:
            by_value = SensorState.WARN
        elif red is not None or yellow is not None:
            by_value = SensorState.OK
    states = [s for s in (by_word, by_value) if s is not None]
    if not states:
        return SensorState.UNKNOWN
    return max(states, key=_RANK.__getitem__)


def number(v: Any) -> float | None:
    """A device's number as a float; None for anything that is not one ("N/A", "", None)."""
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def unreadable(env: Any, exc: Exception, *groups: tuple[str, str]) -> None:
    """Sensors that could not be read: the problem on `env` (a contract.Environment), and for each
    (kind, name) group an UNKNOWN reading, so a check sees them as not read, never as "ok"."""
    env.problems.append(str(exc))
    env.readings.extend(Reading(kind, name, SensorState.UNKNOWN, detail=str(exc)[:200]) for kind, name in groups)


def number_in(v: Any) -> float | None:
    """The first number in a device's text ("2.5 W" -> 2.5, "-40C" -> -40.0); None when it holds none."""
    m = _FIRST_NUMBER.search(str(v or ""))
    return float(m.group()) if m else None


def state_word(v: Any) -> str:
    """A device's state word, white space folded and lower-cased, for comparing ("Not  OK" -> "not ok")."""
    return " ".join(str(v or "").split()).lower()
