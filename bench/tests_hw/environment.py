"""environment: fans, PSUs and temperatures, from the CLI and CISCO-ENVMON-MIB.

Every reading is tri-state (ok / warn / fail / unknown). A reading that cannot be taken is
UNKNOWN, and a class with no reading at all is a WARN: a dead PSU must never pass because the
bench could not see it. Temperatures are judged against the device's own thresholds.
"""

from __future__ import annotations

import re
from typing import Any

from bench.drivers.parsing import ParseError, parse
from bench.model import Outcome, Reading, SensorState, TestResult, utc_now
from bench.tests_hw.base import TestContext, result
from bench.tests_hw.identity import Shown, run_show

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


# ---- fans: no ntc template for `show environment fan` / `show environment all` ------------------

# "FAN is OK", "FAN 1 is OK", "Switch 1 FAN 2 is NOT OK", "FAN PS-2 is NOT PRESENT"
_FAN_LINE = re.compile(
    r"^\s*(?:Switch\s+(?P<sw>\d+)\s+)?FAN(?:\s+(?P<fan>[\w-]+))?\s+is\s+(?P<state>.+?)\s*$", re.IGNORECASE
)
# IOS-XE style table under "Switch FAN Speed State": "  1   1   14240   OK   Front to Back"
_FAN_ROW = re.compile(
    r"^\s*(?P<sw>\d+)\s+(?P<fan>\d+)\s+(?P<speed>\d+)\s+(?P<state>OK|NOT OK|FAULTY|FAIL\w*|BAD"
    r"|NOT PRESENT|WARNING|\S+)(?:\s+.*)?$",
    re.IGNORECASE,
)
_FAN_HEADER = re.compile(r"^\s*Switch\s+FAN\s+Speed\s+State", re.IGNORECASE)


def fan_state(word: str) -> SensorState | None:
    """Map a fan's state word; None means "not present" (an empty bay, not a reading)."""
    w = " ".join(word.upper().split())
    if w in ("OK", "NORMAL", "GOOD", "GREEN"):
        return SensorState.OK
    if w in ("NOT PRESENT", "ABSENT"):
        return None
    if w in ("WARNING", "YELLOW", "DEGRADED"):
        return SensorState.WARN
    if w in (
        "NOT OK",
        "FAULTY",
        "FAIL",
        "FAILED",
        "FAILURE",
        "BAD",
        "NOT FUNCTIONING",
        "SHUTDOWN",
        "RED",
        "CRITICAL",
        "DOWN",
    ):
        return SensorState.FAIL
    return SensorState.UNKNOWN


def parse_fans(text: str) -> tuple[list[Reading], list[str]]:
    """Fan readings and the names of empty fan bays, from fan lines wherever they appear."""
    readings: list[Reading] = []
    absent: list[str] = []
    in_table = False
    for line in text.splitlines():
        if _FAN_HEADER.match(line):
            in_table = True
            continue
        m = _FAN_LINE.match(line)
        if m:
            sw, fan = m.group("sw"), m.group("fan")
            name = " ".join(x for x in (f"switch {sw}" if sw else "", f"fan {fan}" if fan else "fan") if x)
            speed = None
        elif in_table and (m := _FAN_ROW.match(line)):
            name, speed = f"switch {m.group('sw')} fan {m.group('fan')}", float(m.group("speed"))
        else:
            if not line.strip():
                in_table = False  # the fan table ends at a blank line
            continue
        state = fan_state(m.group("state"))
        if state is None:
            # A missing PSU fan goes with a missing PSU; a missing system fan is a problem.
            if "PS" in (m.group("fan") or "").upper():
                absent.append(name)
                continue
            state = SensorState.WARN
        readings.append(
            Reading(
                kind="fan",
                name=name,
                state=state,
                value=speed,
                unit="rpm" if speed else "",
                detail=f"cli: {line.strip()}",
            )
        )
    return readings, absent


# ---- PSUs: ntc template `show environment power all` --------------------------------------------

_PSU_HEADER = re.compile(r"^\s*SW\s+PID\s+Serial#\s+Status", re.IGNORECASE)


def psu_section(text: str) -> str:
    """The PSU table of `show environment all`, so the power-all template can parse it."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if _PSU_HEADER.match(line):
            out = [line]
            for nxt in lines[i + 1 :]:
                if not nxt.strip():
                    break
                out.append(nxt)
            return "\n".join(out) + "\n"
    return ""


def psu_readings(rows: list[dict[str, Any]]) -> tuple[list[Reading], list[str]]:
    readings, absent = [], []
    for r in rows:
        name = f"PSU {r.get('ps_module', '').strip()}".strip()
        pid, status, sys_pwr = (r.get(k, "").strip() for k in ("pid", "status", "sys_pwr"))
        if "not present" in f"{pid} {status}".lower():
            absent.append(name)
            continue
        s, p = status.lower(), sys_pwr.lower()
        if p == "bad" or s in ("bad", "faulty", "fail", "failed", "failure", "not functioning", "shutdown"):
            state = SensorState.FAIL
        elif "no input power" in s or s in ("disabled", "warning"):
            # Inserted but unpowered: often just a second cord the technician has not plugged in.
            state = SensorState.WARN
        elif p == "good" and s in ("", "ok", "good"):
            state = SensorState.OK
        else:
            state = SensorState.UNKNOWN
        serial = r.get("serial", "") or "?"
        detail = f"cli: pid {pid or '?'} serial {serial} status {status or '-'} sys_pwr {sys_pwr or '-'}"
        readings.append(Reading(kind="psu", name=name, state=state, detail=detail))
    return readings, absent


# ---- temperatures: ntc template `show environment temperature` ----------------------------------

_RANK = {SensorState.OK: 0, SensorState.UNKNOWN: 1, SensorState.WARN: 2, SensorState.FAIL: 3}
_BARE_SYSTEM_TEMP = re.compile(r"^(\s*)SYSTEM TEMPERATURE is", re.MULTILINE)


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


def temperature_readings(rows: list[dict[str, Any]]) -> list[Reading]:
    readings = []
    for r in rows:
        sw = r.get("switch", "")
        prefix = f"switch {sw} " if sw else ""
        found = False
        for where in ("inlet", "hotspot"):
            value = _num(r.get(f"{where}_temperature_value"))
            word = r.get(f"{where}_temperature_state", "")
            if value is None and not word:
                continue
            found = True
            yellow, red = _num(r.get(f"{where}_yellow_threshold")), _num(r.get(f"{where}_red_threshold"))
            readings.append(
                Reading(
                    kind="temperature",
                    name=f"{prefix}{where}",
                    value=value,
                    unit="C",
                    state=judge_temperature(value, yellow, red, word),
                    warn_at=yellow,
                    fail_at=red,
                    detail=f"cli: state {word or '-'}",
                )
            )
        if not found and r.get("switch_temperature"):
            word = r["switch_temperature"]
            readings.append(
                Reading(
                    kind="temperature",
                    name=f"{prefix}system".strip(),
                    unit="C",
                    state=judge_temperature(None, None, None, word),
                    detail=f"cli: {word}",
                )
            )
    return readings


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


# ---- the test ----------------------------------------------------------------------------------


class _Run:
    """Collects readings and the reasons some could not be taken."""

    def __init__(self) -> None:
        self.readings: list[Reading] = []
        self.absent: list[str] = []
        self.errors: list[str] = []  # bench problems: lost session, parse failure
        self.notes: list[str] = []

    def take(self, shown: Shown) -> str | None:
        if shown.missing:
            self.notes.append(shown.missing)
        elif shown.error:
            self.errors.append(shown.error)
        elif shown.rejected:
            self.notes.append(f"{shown.command!r} rejected: {shown.rejected}")
        else:
            return shown.text
        return None


async def _cli(ctx: TestContext, run: _Run) -> None:
    platform = getattr(ctx.cli, "platform", "cisco_ios")
    all_text: str | None = None

    async def env_all() -> str | None:
        nonlocal all_text
        if all_text is None:
            all_text = run.take(await run_show(ctx, "show environment all")) or ""
        return all_text

    fans_text = run.take(await run_show(ctx, "show environment fan"))
    fans, absent = parse_fans(fans_text or "")
    if not fans and not absent:
        fans, absent = parse_fans(await env_all() or "")
    run.readings += fans
    run.absent += absent
    if run.errors:  # the session is gone; every further command would only time out again
        return

    power = run.take(await run_show(ctx, "show environment power all"))
    if power is None:
        power = psu_section(await env_all() or "") or None
    if power is not None:
        try:
            readings, absent = psu_readings(parse(platform, "show environment power all", power) or [])
            run.readings += readings
            run.absent += absent
        except ParseError as exc:
            run.errors.append(str(exc))

    temps = run.take(await run_show(ctx, "show environment temperature"))
    if temps is None:
        temps = await env_all() or None
        # show environment all has more than temperatures; keep only the temperature block.
        temps = (
            "\n".join(
                ln
                for ln in (temps or "").splitlines()
                if re.search(r"TEMPERATURE is|Temperature (Value|State)|Threshold\s*:", ln)
            )
            or None
        )
    if temps is not None:
        # A standalone switch prints "SYSTEM TEMPERATURE is OK" without "Switch N:", which the
        # template rejects; it is switch 1.
        temps = _BARE_SYSTEM_TEMP.sub(r"\1Switch 1: SYSTEM TEMPERATURE is", temps)
        try:
            run.readings += temperature_readings(parse(platform, "show environment temperature", temps) or [])
        except ParseError as exc:
            run.errors.append(str(exc))


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
