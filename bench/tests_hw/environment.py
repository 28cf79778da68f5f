"""environment: fans, PSUs and temperatures, from the platform's CLI collector and over SNMP.

Every reading is tri-state (ok / warn / fail / unknown). A reading that cannot be taken is
UNKNOWN, and a class with no reading at all is a WARN: a dead PSU must never pass because the
bench could not see it. Temperatures are judged against the device's own thresholds. The CLI
side comes from the collector (bench/platforms); SNMP (CISCO-ENVMON-MIB, ENTITY-SENSOR-MIB)
and the judgement are here.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from bench.model import Outcome, Reading, SensorState, TestResult, utc_now
from bench.platforms.sensors import judge_temperature
from bench.tests_hw.base import TestContext, result
from bench.tests_hw.identity import gather

NAME = "environment"
CLASSES = ("fan", "psu", "temperature")

ENVMON = "1.3.6.1.4.1.9.9.13.1"
ENV_TEMP_DESCR, ENV_TEMP_VALUE, ENV_TEMP_THRESH, ENV_TEMP_STATE = (f"{ENVMON}.3.1.{c}" for c in (2, 3, 4, 6))
ENV_FAN_DESCR, ENV_FAN_STATE = f"{ENVMON}.4.1.2", f"{ENVMON}.4.1.3"
ENV_PSU_DESCR, ENV_PSU_STATE = f"{ENVMON}.5.1.2", f"{ENVMON}.5.1.3"
# The columns envmon_readings reads, relative to ENVMON: walked side by side, one GETBULK for the three tables.
ENVMON_COLUMNS = ("3.1.2", "3.1.3", "3.1.4", "3.1.6", "4.1.2", "4.1.3", "5.1.2", "5.1.3")
_ENVMON_ROWS = 16  # rows per column per GETBULK: a stack of 9 has about 18 sensors, 9 fans, 18 PSUs
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


# ---- SNMP: sensor tables of ENTITY-SENSOR-MIB and CISCO-ENTITY-SENSOR-MIB -------------------------
# Both tables share their columns' meaning (type .1, scale .2, precision .3, value .4, status .5) and index
# sensors by entPhysicalIndex; the Cisco one adds per-sensor thresholds (entSensorThresholdTable).

ENT_SENSOR = "1.3.6.1.2.1.99.1.1.1"
ENT_SENSOR_TYPE, ENT_SENSOR_SCALE, ENT_SENSOR_PRECISION, ENT_SENSOR_VALUE, ENT_SENSOR_STATUS = (
    f"{ENT_SENSOR}.{c}" for c in (1, 2, 3, 4, 5)
)
CISCO_SENSOR = "1.3.6.1.4.1.9.9.91.1.1.1.1"
CISCO_SENSOR_THRESHOLD = "1.3.6.1.4.1.9.9.91.1.2.1.1"  # .2 severity .3 relation .4 value .5 evaluation
ARISTA_SENSOR_THRESHOLD = "1.3.6.1.4.1.30065.3.12.1.1.1"  # .3 high warning .4 high critical (sensor units)
ENT_PHYSICAL = "1.3.6.1.2.1.47.1.1.1.1"
ENT_PHYSICAL_DESCR, ENT_PHYSICAL_CONTAINED_IN, ENT_PHYSICAL_CLASS, ENT_PHYSICAL_NAME = (
    f"{ENT_PHYSICAL}.{c}" for c in (2, 4, 5, 7)
)
_SENSOR_KIND = {8: "temperature", 10: "fan"}  # celsius, rpm; volts/amperes/watts are not judged here
_SENSOR_STATUS = {1: SensorState.OK, 2: SensorState.UNKNOWN, 3: SensorState.FAIL}  # ok, unavailable, nonoperational
_ENT_CLASS_PORT, _ENT_CLASS_PSU, _ENT_CLASS_FAN = 10, 6, 7
_ARISTA_UNSET = -1000000000  # ARISTA-ENTITY-SENSOR-MIB's "no threshold"


def _sensor_columns(walk: dict[str, Any], table: str) -> tuple[dict[str, Any], ...]:
    return tuple(_by_index(walk, f"{table}.{c}") for c in (1, 2, 3, 4, 5))


def _scaled(raw: Any, scale: int, precision: int) -> float | None:
    value = _num(raw)
    return None if value is None else value * 10 ** (3 * (scale - 9)) / 10**precision  # scale 9 is units


def entity_names(entity: dict[str, Any]) -> dict[str, str]:
    """entPhysicalIndex -> entPhysicalName, else entPhysicalDescr (some agents leave names empty)."""
    names = _by_index(entity, ENT_PHYSICAL_NAME)
    descrs = _by_index(entity, ENT_PHYSICAL_DESCR)
    return {i: _str(names.get(i)) or _str(descrs.get(i)) for i in set(names) | set(descrs)}


def _in_a_port(idx: str, entity: dict[str, Any]) -> bool:
    # A transceiver's DOM sensors sit in a port: the optics test judges them, not the environment.
    parent = _by_index(entity, ENT_PHYSICAL_CONTAINED_IN).get(idx)
    seen = 0
    while parent not in (None, 0, "0") and seen < 8:
        if _int(_by_index(entity, ENT_PHYSICAL_CLASS).get(str(parent))) == _ENT_CLASS_PORT:
            return True
        parent = _by_index(entity, ENT_PHYSICAL_CONTAINED_IN).get(str(parent))
        seen += 1
    return False


def _cisco_limits(thresholds: dict[str, Any], idx: str, scale: int, precision: int,
                  ) -> tuple[float | None, float | None, SensorState | None]:
    """(warn_at, fail_at, state the agent itself evaluated) of one sensor's rising thresholds:
    minor(10) warns, major(20)/critical(30) fail."""
    warn_at = fail_at = None
    state = None
    sev, rel, val, ev = (_by_index(thresholds, f"{CISCO_SENSOR_THRESHOLD}.{c}") for c in (2, 3, 4, 5))
    for key, severity in sev.items():
        sensor, _, _ = key.partition(".")
        if sensor != idx or _int(rel.get(key)) not in (3, 4):  # greaterThan, greaterOrEqual
            continue
        limit, level = _scaled(val.get(key), scale, precision), _int(severity) or 0
        if limit is None or level < 10:
            continue
        if level >= 20:
            fail_at = limit if fail_at is None else min(fail_at, limit)
        else:
            warn_at = limit if warn_at is None else min(warn_at, limit)
        if _int(ev.get(key)) == 1:  # TruthValue true: the agent says this threshold is crossed
            crossed = SensorState.FAIL if level >= 20 else SensorState.WARN
            state = crossed if state is None else max(state, crossed, key=_RANK.__getitem__)
    return warn_at, fail_at, state


def entity_sensor_readings(walk: dict[str, Any], entity: dict[str, Any], table: str = ENT_SENSOR,
                           thresholds: dict[str, Any] | None = None) -> list[Reading]:
    """Temperatures and fan speeds of an ENTITY-SENSOR-MIB or CISCO-ENTITY-SENSOR-MIB walk.
    `entity` is a walk of entPhysicalTable (names; containment, to leave optics to the optics test)."""
    readings = []
    kinds, scales, precisions, values, statuses = _sensor_columns(walk, table)
    names = entity_names(entity)
    column = "entSensorStatus" if table == CISCO_SENSOR else "entPhySensorOperStatus"
    for idx, raw in statuses.items():
        kind = _SENSOR_KIND.get(_int(kinds.get(idx)) or 0)
        if kind is None or _in_a_port(idx, entity):
            continue
        scale, precision = _int(scales.get(idx)) or 9, _int(precisions.get(idx)) or 0
        warn_at = fail_at = None
        state = _SENSOR_STATUS.get(_int(raw) or 0, SensorState.UNKNOWN)
        if thresholds and table == CISCO_SENSOR:
            warn_at, fail_at, crossed = _cisco_limits(thresholds, idx, scale, precision)
            if crossed is not None and state is SensorState.OK:
                state = crossed
        elif thresholds:
            warn_at, fail_at = (_scaled(v, scale, precision) if _int(v) not in (None, _ARISTA_UNSET) else None
                                for v in (thresholds.get(f"{ARISTA_SENSOR_THRESHOLD}.{c}.{idx}") for c in (3, 4)))
        readings.append(Reading(kind=kind, name=names.get(idx) or f"sensor {idx}", state=state,
                                value=_scaled(values.get(idx), scale, precision),
                                unit="C" if kind == "temperature" else "rpm", warn_at=warn_at, fail_at=fail_at,
                                detail=f"snmp: {column} {raw}"))
    return readings


# ---- SNMP: power supplies and fans of CISCO-ENTITY-FRU-CONTROL-MIB (Nexus, newer IOS) -------------

FRU_POWER_STATUS = "1.3.6.1.4.1.9.9.117.1.1.2.1.2"  # cefcFRUPowerOperStatus, by entPhysicalIndex
FAN_TRAY_STATUS = "1.3.6.1.4.1.9.9.117.1.4.1.1.1"  # cefcFanTrayOperStatus, by entPhysicalIndex
# PowerOperType: 2 on; 1/3/4/5/6/7/10/11 off for a reason; 8 failed; 9/12 on with a fault.
_FRU_POWER = {2: SensorState.OK, 8: SensorState.FAIL, 9: SensorState.WARN, 12: SensorState.WARN,
              1: SensorState.FAIL, 5: SensorState.FAIL, 6: SensorState.FAIL, 7: SensorState.FAIL,
              3: SensorState.WARN, 4: SensorState.WARN, 10: SensorState.WARN, 11: SensorState.WARN}
_FAN_TRAY = {1: SensorState.UNKNOWN, 2: SensorState.OK, 3: SensorState.FAIL, 4: SensorState.WARN}


def fru_control_readings(walk: dict[str, Any], entity: dict[str, Any]) -> list[Reading]:
    names = entity_names(entity)
    classes = _by_index(entity, ENT_PHYSICAL_CLASS)
    out = []
    for idx, raw in _by_index(walk, FRU_POWER_STATUS).items():
        if _int(classes.get(idx)) == _ENT_CLASS_PSU:  # modules have a power status too: PSUs only
            out.append(Reading("psu", names.get(idx) or f"PSU {idx}", _FRU_POWER.get(_int(raw) or 0,
                               SensorState.UNKNOWN), detail=f"snmp: cefcFRUPowerOperStatus {raw}"))
    for idx, raw in _by_index(walk, FAN_TRAY_STATUS).items():
        out.append(Reading("fan", names.get(idx) or f"fan {idx}", _FAN_TRAY.get(_int(raw) or 0, SensorState.UNKNOWN),
                           detail=f"snmp: cefcFanTrayOperStatus {raw}"))
    return out


# ---- SNMP: HP-ICF-CHASSIS hpicfSensorTable (ProCurve / ProVision) ----------------------------------

HP_SENSOR = "1.3.6.1.4.1.11.2.14.11.1.2.6.1"  # .2 type OID .4 status .7 descr
_HP_KIND = {"1.3.6.1.4.1.11.2.3.7.8.3.1": "psu", "1.3.6.1.4.1.11.2.3.7.8.3.2": "fan",
            "1.3.6.1.4.1.11.2.3.7.8.3.3": "temperature"}
# HpicfSensorStatus: 1 unknown, 2 bad, 3 warning, 4 good, 5 notPresent.
_HP_STATUS = {1: SensorState.UNKNOWN, 2: SensorState.FAIL, 3: SensorState.WARN, 4: SensorState.OK}


def hp_sensor_readings(walk: dict[str, Any]) -> tuple[list[Reading], list[str]]:
    kinds, statuses, descrs = (_by_index(walk, f"{HP_SENSOR}.{c}") for c in (2, 4, 7))
    readings, absent = [], []
    for idx, raw in statuses.items():
        kind = _HP_KIND.get(_str(kinds.get(idx)).lstrip("."))
        name = _str(descrs.get(idx)) or f"sensor {idx}"
        if kind is None:
            continue
        if _int(raw) == 5:
            absent.append(f"snmp {name}")
            continue
        # A status without a value: an over-temperature sensor says only good/warning/bad.
        readings.append(Reading(kind, name, _HP_STATUS.get(_int(raw) or 0, SensorState.UNKNOWN),
                                detail=f"snmp: hpicfSensorStatus {raw}"))
    return readings, absent


# ---- SNMP: JUNIPER-MIB jnxOperatingTable (Junos) ---------------------------------------------------

JNX_OPERATING = "1.3.6.1.4.1.2636.3.1.13.1"  # .5 descr .6 state .7 temperature (C, 0 = none)
# jnxOperatingState: 1 unknown, 2 running, 3 ready, 4 reset, 5 runningAtFullSpeed (fans), 6 down, 7 standby.
_JNX_STATE = {1: SensorState.UNKNOWN, 2: SensorState.OK, 3: SensorState.OK, 4: SensorState.WARN,
              5: SensorState.WARN, 6: SensorState.FAIL, 7: SensorState.OK}


def junos_readings(walk: dict[str, Any]) -> list[Reading]:
    descrs, states, temps = (_by_index(walk, f"{JNX_OPERATING}.{c}") for c in (5, 6, 7))
    out = []
    for idx, raw in states.items():
        name = _str(descrs.get(idx)) or f"component {idx}"
        state = _JNX_STATE.get(_int(raw) or 0, SensorState.UNKNOWN)
        detail = f"snmp: jnxOperatingState {raw}"
        low = name.lower()
        if re.search(r"\bpem\b|power supply|\bpsu\b", low):
            out.append(Reading("psu", name, state, detail=detail))
        elif "fan" in low and "fan tray" not in low:  # "Top Tray Fan 3" is a fan, "Top Fan Tray" its tray
            out.append(Reading("fan", name, state, detail=detail))
            continue  # a fan reports its tray's temperature: counted once, with the tray
        temp = _num(temps.get(idx))
        if temp:  # 0: the component has no sensor; JUNIPER-MIB gives no thresholds, so the state judges
            out.append(Reading("temperature", name, state, value=temp, unit="C", detail=detail))
    return out


# ---- SNMP: FOUNDRY-SN-AGENT-MIB (Brocade/Ruckus ICX) and FORTINET-FORTIGATE-MIB (fam-fi) ---------------

FOUNDRY_CHASSIS = "1.3.6.1.4.1.1991.1.1.1"  # snChassis: .1.18/.19/.20 temperature scalars, .2.1.1 PSUs, .3.1.1 fans
# snChasPwrSupplyOperStatus / snChasFanOperStatus: 1 other, 2 normal, 3 failure.
_FOUNDRY_STATUS = {1: SensorState.UNKNOWN, 2: SensorState.OK, 3: SensorState.FAIL}


def foundry_readings(walk: dict[str, Any]) -> list[Reading]:
    """Supplies and fans by their oper status; the chassis temperature (in 0.5 C steps) against the unit's own
    warning and shutdown levels (snChasWarningTemperature, snChasShutdownTemperature)."""
    out = []
    for kind, table, column in (("psu", f"{FOUNDRY_CHASSIS}.2.1.1", "snChasPwrSupplyOperStatus"),
                                ("fan", f"{FOUNDRY_CHASSIS}.3.1.1", "snChasFanOperStatus")):
        descrs, states = _by_index(walk, f"{table}.2"), _by_index(walk, f"{table}.3")
        for idx, raw in states.items():
            name = _str(descrs.get(idx)) or f"{kind} {idx}"
            out.append(Reading(kind, name.split(",")[0].split(" present")[0].strip(),
                               _FOUNDRY_STATUS.get(_int(raw) or 0, SensorState.UNKNOWN),
                               detail=f"snmp: {column} {raw}"))
    actual, warn, shut = (_num(walk.get(f"{FOUNDRY_CHASSIS}.1.{c}.0")) for c in (18, 19, 20))
    if actual:
        value = actual / 2
        warn_at, fail_at = (warn / 2 if warn else None), (shut / 2 if shut else None)
        out.append(Reading("temperature", "chassis", judge_temperature(value, warn_at, fail_at, ""), value=value,
                           unit="C", warn_at=warn_at, fail_at=fail_at, detail="snmp: snChasActualTemperature"))
    return out


FORTIGATE_SENSOR = "1.3.6.1.4.1.12356.101.4.3.2.1"  # fgHwSensorTable: .2 name, .3 value, .4 alarm status (0/1)


def fortigate_readings(walk: dict[str, Any]) -> list[Reading]:
    """Fans, supplies and temperatures with the unit's own alarm flag (set past the sensor's thresholds)."""
    names, values, alarms = (_by_index(walk, f"{FORTIGATE_SENSOR}.{c}") for c in (2, 3, 4))
    out = []
    for idx, raw in alarms.items():
        name = _str(names.get(idx)) or f"sensor {idx}"
        low = name.lower()
        kind = ("fan" if low.startswith("fan") else "psu" if re.match(r"ps\d|psu|pwr", low)
                else "temperature" if re.search(r"temp|^td\d|^ts\d|dts|^cpu", low) else "")
        if not kind:
            continue  # voltage rails
        alarm = _int(raw)
        state = SensorState.FAIL if alarm == 1 else SensorState.OK if alarm == 0 else SensorState.UNKNOWN
        value = _num(_str(values.get(idx)))
        if kind == "fan" and value == 0:
            state = SensorState.FAIL
        out.append(Reading(kind, name, state, value=value if kind != "psu" else None,
                           unit="C" if kind == "temperature" else "rpm" if kind == "fan" else "",
                           detail=f"snmp: fgHwSensorEntAlarmStatus {raw}"))
    return out


async def read_snmp(snmp: Any) -> tuple[list[Reading], list[str]]:
    """(readings, absent bays) over SNMP from whichever MIBs the agent serves: CISCO-ENVMON-MIB; for what
    that lacks, CISCO-ENTITY-SENSOR-MIB or ENTITY-SENSOR-MIB (temperatures, fan speeds),
    CISCO-ENTITY-FRU-CONTROL-MIB, HP-ICF-CHASSIS or JUNIPER-MIB (PSUs, fans). `snmp` is anything with
    walk() (the engine's SnmpTarget, the burn-in's fast poller). Raises RuntimeError naming the table
    that failed."""

    async def walk(what: str, *oids: str) -> dict[str, Any]:
        got: dict[str, Any] = {}
        try:
            for oid in oids:
                got |= await snmp.walk(oid)
        except Exception as exc:
            raise RuntimeError(f"SNMP {what}: {type(exc).__name__}: {exc}"[:300]) from exc
        return got

    async def envmon() -> dict[str, Any]:
        side_by_side = getattr(snmp, "walk_columns", None)  # the burn-in's poller walks one subtree at a time
        if side_by_side is not None:
            try:
                got, complete = await side_by_side(ENVMON, ENVMON_COLUMNS, max_repetitions=_ENVMON_ROWS,
                                                   max_requests=4)
            except Exception as exc:
                raise RuntimeError(f"SNMP envmon: {type(exc).__name__}: {exc}"[:300]) from exc
            if complete:
                return dict(got)
        return await walk("envmon", f"{ENVMON}.3.1", f"{ENVMON}.4.1", f"{ENVMON}.5.1")

    readings, absent = envmon_readings(await envmon())
    have = {r.kind for r in readings}
    entity: dict[str, Any] | None = None

    async def entities() -> dict[str, Any]:
        nonlocal entity
        if entity is None:
            entity = await walk("entity", ENT_PHYSICAL_DESCR, ENT_PHYSICAL_CONTAINED_IN, ENT_PHYSICAL_CLASS,
                                ENT_PHYSICAL_NAME)
        return entity

    if "temperature" not in have:
        found: list[Reading] = []
        cisco = await walk("cisco-entity-sensor", CISCO_SENSOR)
        if cisco:
            found = entity_sensor_readings(cisco, await entities(), CISCO_SENSOR,
                                           await walk("cisco-entity-sensor thresholds", CISCO_SENSOR_THRESHOLD))
        if not found:
            sensors = await walk("entity-sensor", ENT_SENSOR)
            if sensors:
                arista = await walk("arista-entity-sensor", ARISTA_SENSOR_THRESHOLD)
                found = entity_sensor_readings(sensors, await entities(), ENT_SENSOR, arista)
        readings += [rejudge(r) for r in found if r.kind not in have]
        have = {r.kind for r in readings}
    if not {"fan", "psu"} <= have:
        more: list[Reading] = []
        fru = await walk("cisco-entity-fru-control", FRU_POWER_STATUS, FAN_TRAY_STATUS)
        if fru:
            more = fru_control_readings(fru, await entities())
        if not more:
            more, gone = hp_sensor_readings(await walk("hp-icf-chassis", HP_SENSOR))
            absent += gone
        if not more:
            more = junos_readings(await walk("juniper-mib", JNX_OPERATING))
        if not more:
            more = mikrotik_readings(await walk("mikrotik-mib", MTXR_GAUGE))
        if not more:
            more = foundry_readings(await walk("foundry-chassis", FOUNDRY_CHASSIS))
        if not more:
            more = fortigate_readings(await walk("fortigate-hw-sensor", FORTIGATE_SENSOR))
        readings += [r for r in more if r.kind not in have]
    return readings, absent


# ---- SNMP: MIKROTIK-MIB mtxrGaugeTable (RouterOS 7) ------------------------------------------------

MTXR_GAUGE = "1.3.6.1.4.1.14988.1.1.3.100.1"  # .2 name .3 value .4 unit (1 celsius, 2 rpm, 3 dV, 6 status)


def mikrotik_readings(walk: dict[str, Any]) -> list[Reading]:
    """Fans (by RPM, 0 is stopped) and supplies (status 1 ok, 0 failed). Temperatures are left to the CLI,
    which reads the unit's thresholds; the MIB carries none."""
    names, values, units = (_by_index(walk, f"{MTXR_GAUGE}.{c}") for c in (2, 3, 4))
    out = []
    for idx, raw in values.items():
        name, unit, value = _str(names.get(idx)), _int(units.get(idx)), _int(raw)
        if unit == 2 and re.fullmatch(r"fan\d*-speed", name):
            state = SensorState.UNKNOWN if value is None else SensorState.FAIL if value <= 0 else SensorState.OK
            out.append(Reading("fan", name.removesuffix("-speed"), state, value=value, unit="RPM",
                               detail=f"snmp: mtxrGaugeValue {raw} rpm"))
        elif unit == 6 and re.fullmatch(r"psu\d*-state", name):
            state = {1: SensorState.OK, 0: SensorState.FAIL}.get(value if value is not None else -1,
                                                                 SensorState.UNKNOWN)
            out.append(Reading("psu", name.removesuffix("-state"), state, detail=f"snmp: mtxrGaugeValue {raw}"))
    return out


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
    try:
        readings, absent = await read_snmp(ctx.snmp)
    except RuntimeError as exc:
        run.notes.append(str(exc))
        return
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
        return result(NAME, Outcome.FAIL, _fail_summary(failed), started, **evidence)
    if r.errors:
        return result(NAME, Outcome.ERROR, r.errors[0], started, **evidence)
    unread = [c for c in CLASSES if not any(x.kind == c for x in r.readings)]
    built_without = _built_without(ctx.identity.model, unread)
    if built_without:
        evidence["built_without"] = built_without
    problems = [f"{label[c]}s: no reading" for c in unread if c not in built_without]
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


def _built_without(model: str, unread: list[str]) -> dict[str, str]:
    """Classes with no reading that the unit's model is built without (a fanless FortiGate-60E, a passively
    cooled CRS326, a desktop unit on an external adapter), as the model catalog says: that is the unit as
    built, not a reading missed. A model the catalog does not know keeps its "no reading" WARN."""
    from bench import model_catalog  # optional knowledge, consulted only when a class went unread

    facts = model_catalog.lookup(model) if model and unread else None
    if facts is None:
        return {}
    counts = {"fan": facts.fans, "psu": facts.psus}
    return {c: f"{model} is built without a {c.upper() if c == 'psu' else c} (model catalog)"
            for c in unread if counts.get(c) == 0}


def _fail_summary(failed: list[Reading]) -> str:
    """The CLI's names first: the same dead fan read over SNMP too is counted, not named twice."""
    over_snmp = [x for x in failed if x.detail.startswith("snmp:")]
    over_cli = [x for x in failed if not x.detail.startswith("snmp:")]
    if not over_cli or not over_snmp:
        return "; ".join(_fail_phrase(x) for x in failed)
    return "; ".join(_fail_phrase(x) for x in over_cli) + f" (over SNMP too: {len(over_snmp)} failed)"


def _fail_phrase(x: Reading) -> str:
    if x.kind == "psu":
        return f"{x.name} failed"
    if x.kind == "temperature" and x.value is not None and x.fail_at is not None:
        return f"{x.name} temperature {x.value:g} C at/above red {x.fail_at:g} C"
    if x.kind == "temperature":
        return f"{x.name} temperature critical"
    return f"{x.name} FAIL"
