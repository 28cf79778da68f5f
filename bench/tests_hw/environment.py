"""environment: fans, PSUs and temperatures, from the platform's CLI collector and over SNMP.

Every reading is tri-state (ok / warn / fail / unknown). A reading that cannot be taken is
UNKNOWN, and a class with no reading at all is a WARN: a dead PSU must never pass because the
bench could not see it. Temperatures are judged against the device's own thresholds. The CLI
side comes from the collector (bench/tests_hw/platforms); SNMP (CISCO-ENVMON-MIB, ENTITY-SENSOR-MIB)
and the judgement are here.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from bench.model import Outcome, Reading, SensorState, TestResult, utc_now
from bench.tests_hw.base import TestContext, result
from bench.tests_hw.identity import gather

NAME = "environment"
CLASSES = ("fan", "psu", "temperature")

ENVMON = "1.3.6.1.4.1.9.9.13.1"
ENV_TEMP_DESCR, ENV_TEMP_VALUE, ENV_TEMP_THRESH, ENV_TEMP_STATE = (f"{ENVMON}.3.1.{c}" for c in (2, 3, 4, 6))
ENV_FAN_DESCR, ENV_FAN_STATE = f"{ENVMON}.4.1.2", f"{ENVMON}.4.1.3"
ENV_PSU_DESCR, ENV_PSU_STATE = f"{ENVMON}.5.1.2", f"{ENVMON}.5.1.3"
# CiscoEnvMonState. 5 notPresent is an empty bay, not a reading.
_ENVMON_STATE = {
    1: SensorState.OK,
    2: SensorState.WARN,
    3: SensorState.FAIL,
    4: SensorState.FAIL,
    6: SensorState.FAIL,
}
_ENVMON_NOT_PRESENT = 5


# ---- temperatures: judged against the device's own thresholds -----------------------------------

_RANK = {SensorState.OK: 0, SensorState.UNKNOWN: 1, SensorState.WARN: 2, SensorState.FAIL: 3}


def _num(v: Any) -> float | None:
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


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


# ---- SNMP: CISCO-ENVMON-MIB --------------------------------------------------------------------


def _by_index(walk: dict[str, Any], column: str) -> dict[str, Any]:
    prefix = column + "."
    return {
        oid.lstrip(".")[len(prefix) :]: v for oid, v in walk.items() if oid.lstrip(".").startswith(prefix)
    }


def _int(v: Any) -> int | None:
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


def _str(v: Any) -> str:
    if isinstance(v, bytes | bytearray):
        return bytes(v).decode("utf-8", errors="replace").strip()
    return str(v).strip() if v is not None else ""


def envmon_readings(walk: dict[str, Any]) -> tuple[list[Reading], list[str]]:
    readings, absent = [], []
    for kind, descr_col, state_col in (
        ("fan", ENV_FAN_DESCR, ENV_FAN_STATE),
        ("psu", ENV_PSU_DESCR, ENV_PSU_STATE),
    ):
        names = _by_index(walk, descr_col)
        for idx, raw in _by_index(walk, state_col).items():
            code, name = _int(raw), _str(names.get(idx)) or f"{kind} {idx}"
            if code == _ENVMON_NOT_PRESENT:
                absent.append(f"snmp {name}")
                continue
            readings.append(
                Reading(
                    kind=kind,
                    name=name,
                    state=_ENVMON_STATE.get(code or 0, SensorState.UNKNOWN),
                    detail=f"snmp: envmon state {raw}",
                )
            )
    names, values, thresholds = (
        _by_index(walk, c) for c in (ENV_TEMP_DESCR, ENV_TEMP_VALUE, ENV_TEMP_THRESH)
    )
    for idx, raw in _by_index(walk, ENV_TEMP_STATE).items():
        code = _int(raw)
        if code == _ENVMON_NOT_PRESENT:
            continue
        value, red = _num(values.get(idx)), _num(thresholds.get(idx))
        state = _ENVMON_STATE.get(code or 0, SensorState.UNKNOWN)
        if value is not None and red is not None and value >= red:
            state = SensorState.FAIL
        readings.append(
            Reading(
                kind="temperature",
                name=_str(names.get(idx)) or f"temperature {idx}",
                state=state,
                value=value,
                unit="C",
                fail_at=red,
                detail=f"snmp: envmon state {raw}",
            )
        )
    return readings, absent


# ---- SNMP: ENTITY-SENSOR-MIB (any vendor; used where CISCO-ENVMON-MIB has nothing) -------------

ENT_SENSOR = "1.3.6.1.2.1.99.1.1.1"
ENT_SENSOR_TYPE, ENT_SENSOR_SCALE, ENT_SENSOR_PRECISION, ENT_SENSOR_VALUE, ENT_SENSOR_STATUS = (
    f"{ENT_SENSOR}.{c}" for c in (1, 2, 3, 4, 5)
)
ENT_PHYSICAL_NAME = "1.3.6.1.2.1.47.1.1.1.1.7"
_SENSOR_KIND = {8: "temperature", 10: "fan"}  # celsius, rpm; volts/amperes/watts are not judged here
_SENSOR_STATUS = {1: SensorState.OK, 2: SensorState.UNKNOWN, 3: SensorState.FAIL}  # ok, unavailable, nonoperational


def entity_sensor_readings(walk: dict[str, Any], names: dict[str, Any]) -> list[Reading]:
    readings = []
    kinds, scales, precisions, values = (
        _by_index(walk, c) for c in (ENT_SENSOR_TYPE, ENT_SENSOR_SCALE, ENT_SENSOR_PRECISION, ENT_SENSOR_VALUE)
    )
    by_name = _by_index(names, ENT_PHYSICAL_NAME)
    for idx, raw in _by_index(walk, ENT_SENSOR_STATUS).items():
        kind = _SENSOR_KIND.get(_int(kinds.get(idx)) or 0)
        if kind is None:
            continue
        value = _num(values.get(idx))
        scale, precision = _int(scales.get(idx)) or 9, _int(precisions.get(idx)) or 0
        if value is not None:
            value = value * 10 ** (3 * (scale - 9)) / 10**precision  # scale 9 is units
        readings.append(Reading(kind=kind, name=_str(by_name.get(idx)) or f"sensor {idx}",
                                state=_SENSOR_STATUS.get(_int(raw) or 0, SensorState.UNKNOWN), value=value,
                                unit="C" if kind == "temperature" else "rpm",
                                detail=f"snmp: entPhySensorOperStatus {raw}"))
    return readings


# ---- the test ----------------------------------------------------------------------------------

_RANK = {SensorState.OK: 0, SensorState.UNKNOWN: 1, SensorState.WARN: 2, SensorState.FAIL: 3}


class _Run:
    """Collects readings and the reasons some could not be taken."""

    def __init__(self) -> None:
        self.readings: list[Reading] = []
        self.absent: list[str] = []
        self.errors: list[str] = []  # bench problems: lost session, parse failure
        self.notes: list[str] = []


def rejudge(r: Reading) -> Reading:
    """A temperature is never better than its value against its own thresholds, whatever the collector said."""
    if r.kind != "temperature" or r.value is None or (r.warn_at is None and r.fail_at is None):
        return r
    by_value = judge_temperature(r.value, r.warn_at, r.fail_at, "")
    return dataclasses.replace(r, state=max(r.state, by_value, key=_RANK.__getitem__))


async def _cli(ctx: TestContext, run: _Run) -> None:
    got = await gather(ctx, "environment")
    run.errors += got.errors
    run.notes += got.notes
    if got.facts is not None:
        run.readings += [rejudge(r) for r in got.facts.readings]
        run.absent += got.facts.absent


async def _snmp(ctx: TestContext, run: _Run) -> None:
    if ctx.snmp is None:
        run.notes.append("no SNMP channel")
        return
    walk: dict[str, Any] = {}
    try:
        for table in (f"{ENVMON}.3.1", f"{ENVMON}.4.1", f"{ENVMON}.5.1"):
            walk |= await ctx.snmp.walk(table)
    except Exception as exc:
        run.notes.append(f"SNMP envmon: {type(exc).__name__}: {exc}"[:300])
        return
    readings, absent = envmon_readings(walk)
    if not readings and not absent:
        try:
            sensors = await ctx.snmp.walk(ENT_SENSOR)
            names = await ctx.snmp.walk(ENT_PHYSICAL_NAME) if sensors else {}
        except Exception as exc:
            run.notes.append(f"SNMP entity-sensor: {type(exc).__name__}: {exc}"[:300])
            return
        readings = [rejudge(r) for r in entity_sensor_readings(sensors, names)]
    run.readings += readings
    run.absent += absent


async def run(ctx: TestContext) -> TestResult:
    started = utc_now()
    if ctx.cli is None and ctx.snmp is None:
        return result(NAME, Outcome.NOT_RUN, "no CLI or SNMP channel to this unit", started)
    r = _Run()
    if ctx.cli is not None:
        await _cli(ctx, r)
    await _snmp(ctx, r)

    if ctx.record_telemetry is not None:
        for t in r.readings:
            if t.kind == "temperature" and t.value is not None:
                try:
                    await ctx.record_telemetry(f"temperature.{t.name}", t.value)
                except Exception as exc:  # telemetry is a side channel; it must not fail the test
                    r.notes.append(f"telemetry: {type(exc).__name__}: {exc}")

    evidence: dict[str, Any] = {"readings": [x.to_dict() for x in r.readings], "absent": r.absent}
    if r.errors:
        evidence["errors"] = r.errors
    if r.notes:
        evidence["notes"] = r.notes
    label = {"fan": "fan", "psu": "PSU", "temperature": "temperature"}

    failed = [x for x in r.readings if x.state is SensorState.FAIL]
    if failed:
        parts = [_fail_phrase(x) for x in failed]
        return result(NAME, Outcome.FAIL, "; ".join(parts), started, **evidence)
    if r.errors:
        return result(NAME, Outcome.ERROR, r.errors[0], started, **evidence)
    problems = [f"{label[c]}s: no reading" for c in CLASSES if not any(x.kind == c for x in r.readings)]
    problems += [
        f"{x.name} {x.state.value}"
        + (
            f" ({x.value:g} C >= {x.warn_at:g})"
            if x.kind == "temperature"
            and x.value is not None
            and x.warn_at is not None
            and x.value >= x.warn_at
            else ""
        )
        for x in r.readings
        if x.state in (SensorState.WARN, SensorState.UNKNOWN)
    ]
    if problems:
        return result(NAME, Outcome.WARN, "; ".join(problems), started, **evidence)
    counts = ", ".join(f"{sum(x.kind == c for x in r.readings)} {label[c]}" for c in CLASSES)
    return result(NAME, Outcome.PASS, f"all readings ok ({counts})", started, **evidence)


def _fail_phrase(x: Reading) -> str:
    if x.kind == "psu":
        return f"{x.name} failed"
    if x.kind == "temperature" and x.value is not None and x.fail_at is not None:
        return f"{x.name} temperature {x.value:g} C at/above red {x.fail_at:g} C"
    if x.kind == "temperature":
        return f"{x.name} temperature critical"
    return f"{x.name} FAIL"
