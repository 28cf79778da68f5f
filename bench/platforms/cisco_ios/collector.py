"""Cisco IOS and IOS-XE collector: Catalyst 2960-X / 3750-X, Catalyst 9300 and ISR 4300 routers.

One collector serves the three families because they share the CLI; where their output differs
(a 9300 adds `FAN PS-n` lines, an ISR prints a sensor table and has no `show post`) the parser is
chosen by the shape of the output, not by a model list. ntc-templates parse what they can
(show version, show inventory, show environment power all / temperature, show logging, dir);
the small hand-written parsers below cover the commands without a template.
"""

from __future__ import annotations

import re
from typing import Any

from bench.drivers.parsing import ParseError, parse
from bench.model import Component, ComponentKind, Reading, SensorState
from bench.platforms import identity_readers as readers
from bench.platforms.cisco_ios.licensing import CiscoIosLicensing
from bench.platforms.cisco_ios.ports import CiscoIosPorts
from bench.platforms.cli import run_classified
from bench.platforms.contract import CliIdentity, Environment, LogEvidence, Post, PostStep
from bench.platforms.data import package_data
from bench.platforms.identity_readers import component_kind
from bench.platforms.sensors import judge_temperature, number
from bench.tests_hw.base import TestContext

DATA = package_data(__file__)
TEMPLATES = DATA.template_platform


class _Reader:
    """Runs commands for one collector call and notes what could not be read, and whether the session died."""

    def __init__(self, ctx: TestContext, problems: list[str]) -> None:
        self.ctx = ctx
        self.problems = problems
        self.lost = False  # a lost session or timeout: every further command would only time out again

    async def text(self, command: str, required: bool = True) -> str | None:
        shown = await run_classified(self.ctx, DATA, command)
        if shown.ok:
            return shown.text
        self.lost = self.lost or shown.kind == "lost"
        if shown.kind != "refused" or required:
            self.problems.append(shown.problem)
        return None

    async def rows(self, command: str, required: bool = True) -> list[dict[str, Any]] | None:
        """Template rows of a command's output; None (and a problem noted) when it could not be read."""
        text = await self.text(command, required)
        if text is None:
            return None
        try:
            return parse(TEMPLATES, DATA.template(command), text) or []
        except ParseError as exc:
            self.problems.append(str(exc))
            return None


# ---- identity ----------------------------------------------------------------------------------

_UPTIME_UNITS = {"years": 365 * 86400, "weeks": 7 * 86400, "days": 86400, "hours": 3600, "minutes": 60}


def uptime_seconds(row: dict[str, Any]) -> float | None:
    """Seconds from the show-version template's uptime parts; None when it named none."""
    parts = {u: row.get(f"uptime_{u}", "") for u in _UPTIME_UNITS}
    if not any(str(v).strip().isdigit() for v in parts.values()):
        return None
    return float(sum(int(v) * _UPTIME_UNITS[u] for u, v in parts.items() if str(v).strip().isdigit()))


def version_facts(row: dict[str, Any], out: CliIdentity) -> None:
    hardware, serials = row.get("hardware") or [], row.get("serial") or []
    out.model = hardware[0] if hardware else ""
    out.serial = serials[0].upper() if serials else ""
    out.os_version = row.get("version", "")
    out.hostname = row.get("hostname", "")
    out.uptime = row.get("uptime", "")
    out.uptime_seconds = uptime_seconds(row)
    out.config_register = row.get("config_register", "")
    out.reload_reason = row.get("reload_reason", "")


def inventory_components(rows: list[dict[str, Any]]) -> list[Component]:
    comps = []
    for r in rows:
        name, descr, pid = (str(r.get(k, "")).strip() for k in ("name", "descr", "pid"))
        kind = component_kind(name, descr, pid)
        if re.fullmatch(r"c\d+xx stack", name.lower()):
            kind = ComponentKind.CHASSIS  # the Catalyst 9k stack entry carries the chassis serial
        comps.append(Component(kind=kind, name=name, pid=pid, vid=str(r.get("vid", "")).strip(),
                               serial=str(r.get("sn", "")).strip().upper(), descr=descr, source="cli"))
    return comps


# ---- environment: Catalyst switches ------------------------------------------------------------

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
_FAN_FAIL_WORDS = {"NOT OK", "FAULTY", "FAIL", "FAILED", "FAILURE", "BAD", "NOT FUNCTIONING", "SHUTDOWN", "RED",
                   "CRITICAL", "DOWN"}


def fan_state(word: str) -> SensorState | None:
    """Map a fan's state word; None means "not present" (an empty bay, not a reading)."""
    w = " ".join(word.upper().split())
    if w in ("OK", "NORMAL", "GOOD", "GREEN"):
        return SensorState.OK
    if w in ("NOT PRESENT", "ABSENT"):
        return None
    if w in ("WARNING", "YELLOW", "DEGRADED"):
        return SensorState.WARN
    if w in _FAN_FAIL_WORDS:
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
        readings.append(Reading(kind="fan", name=name, state=state, value=speed, unit="rpm" if speed else "",
                                detail=f"cli: {line.strip()}"))
    return readings, absent


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
        name = f"PSU {str(r.get('ps_module', '')).strip()}".strip()
        pid, status, sys_pwr = (str(r.get(k, "")).strip() for k in ("pid", "status", "sys_pwr"))
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



def temperature_readings(rows: list[dict[str, Any]]) -> list[Reading]:
    readings = []
    for r in rows:
        sw = r.get("switch", "")
        prefix = f"switch {sw} " if sw else ""
        found = False
        for where in ("inlet", "hotspot"):
            value = number(r.get(f"{where}_temperature_value"))
            word = r.get(f"{where}_temperature_state", "")
            if value is None and not word:
                continue
            found = True
            yellow, red = number(r.get(f"{where}_yellow_threshold")), number(r.get(f"{where}_red_threshold"))
            readings.append(Reading(kind="temperature", name=f"{prefix}{where}", value=value, unit="C",
                                    state=judge_temperature(value, yellow, red, word), warn_at=yellow, fail_at=red,
                                    detail=f"cli: state {word or '-'}"))
        if not found and r.get("switch_temperature"):
            word = r["switch_temperature"]
            readings.append(Reading(kind="temperature", name=f"{prefix}system".strip(), unit="C",
                                    state=judge_temperature(None, None, None, word), detail=f"cli: {word}"))
    return readings


_BARE_SYSTEM_TEMP = re.compile(r"^(\s*)SYSTEM TEMPERATURE is", re.MULTILINE)
_TEMP_LINES = re.compile(r"TEMPERATURE is|Temperature (Value|State)|Threshold\s*:")


def switch_temperatures(text: str) -> list[Reading]:
    """Temperatures of `show environment temperature` (or the temperature lines of `... all`)."""
    # A standalone switch prints "SYSTEM TEMPERATURE is OK" without "Switch N:", which the
    # template rejects; it is switch 1.
    text = _BARE_SYSTEM_TEMP.sub(r"\1Switch 1: SYSTEM TEMPERATURE is", text)
    return temperature_readings(parse(TEMPLATES, "show environment temperature", text) or [])


# ---- environment: ISR routers (sensor table; no template) --------------------------------------

_ROUTER_HEADER = re.compile(r"^\s*Slot\s+Sensor\s+Current State\s+Reading", re.IGNORECASE | re.MULTILINE)
# " P2      Fan1            Fan Failure         0 RPM      na"; columns are two or more spaces apart.
_ROUTER_ROW = re.compile(
    r"^\s*(?P<slot>[A-Z]?\d+(?:/\d+)?)\s+(?P<sensor>\S.*?)\s{2,}(?P<state>\S.*?)\s{2,}"
    r"(?P<value>-?\d+(?:\.\d+)?)\s*(?P<unit>[A-Za-z][\w ]*?)\s{2,}(?P<thresh>.*?)\s*$"
)
_ROUTER_STATE = {"normal": SensorState.OK, "ok": SensorState.OK, "minor": SensorState.WARN,
                 "warning": SensorState.WARN, "major": SensorState.FAIL, "critical": SensorState.FAIL,
                 "shutdown": SensorState.FAIL, "fan failure": SensorState.FAIL, "failure": SensorState.FAIL,
                 "fail": SensorState.FAIL, "failed": SensorState.FAIL}
_JUDGE_WORD = {SensorState.OK: "OK", SensorState.WARN: "WARNING", SensorState.FAIL: "CRITICAL"}
_TEMP_PREFIX = re.compile(r"^Temp:\s*")
_RANK = {SensorState.OK: 0, SensorState.UNKNOWN: 1, SensorState.WARN: 2, SensorState.FAIL: 3}


def is_router_environment(text: str) -> bool:
    return bool(_ROUTER_HEADER.search(text))


def router_environment(text: str) -> tuple[list[Reading], list[str]]:
    """Fans, PSUs (one reading per P slot, its worst sensor) and temperatures of an ISR's table."""
    readings: list[Reading] = []
    psus: dict[str, list[tuple[str, SensorState]]] = {}
    odd: list[str] = []
    for line in text.splitlines():
        m = _ROUTER_ROW.match(line)
        if m is None:
            if line.strip() and not re.match(r"^\s*(Slot\s|-{2,}|Number of)", line):
                odd.append(line.strip()[:120])
            continue
        slot, sensor, word = m.group("slot"), m.group("sensor"), " ".join(m.group("state").lower().split())
        value, unit = float(m.group("value")), m.group("unit").strip()
        state = _ROUTER_STATE.get(word, SensorState.UNKNOWN)
        if unit.lower().startswith("celsius") or sensor.lower().startswith("temp"):
            limits = [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?", m.group("thresh"))]
            minor, major = (limits + [None, None])[:2] if limits else (None, None)
            label = _TEMP_PREFIX.sub("", sensor)
            readings.append(Reading(
                kind="temperature", name=f"{slot} {label}", value=value, unit="C",
                state=judge_temperature(value, minor, major, _JUDGE_WORD.get(state, "")),
                warn_at=minor, fail_at=major, detail=f"cli: {word}"))
        elif unit.upper() == "RPM" or sensor.lower().startswith("fan"):
            readings.append(Reading(kind="fan", name=f"{slot} {sensor}", state=state, value=value, unit="rpm",
                                    detail=f"cli: {word}"))
        elif slot.startswith("P"):
            psus.setdefault(slot, []).append((f"{sensor} {value:g} {unit} {word}", state))
    for slot, sensors in psus.items():
        worst = max((s for _, s in sensors), key=_RANK.__getitem__)
        readings.append(Reading(kind="psu", name=f"PSU {slot}", state=worst,
                                detail="cli: " + "; ".join(d for d, _ in sensors)))
    return readings, odd[:5]


# " 0/1      NIM-ES2-4           ok                    00:08:04"
_PLATFORM_ROW = re.compile(r"^\s*(?P<slot>[0-9A-Z][\w/]*)\s+(?P<type>\S+)\s+(?P<state>\S.*?)\s{2,}(?P<ago>\S+)\s*$")


def router_platform(text: str) -> tuple[list[Reading], list[str]]:
    """Module readings (and empty slots) from the first table of an ISR's `show platform`."""
    readings: list[Reading] = []
    absent: list[str] = []
    started = False
    for line in text.splitlines():
        if re.match(r"^\s*Slot\s+Type\s+State", line):
            started = True
            continue
        if not started or line.startswith("---"):
            continue
        if not line.strip():
            break  # the CPLD/firmware table after the blank line is not about health
        m = _PLATFORM_ROW.match(line)
        if m is None:
            continue
        slot, state = m.group("slot"), " ".join(m.group("state").lower().split())
        if state == "empty":
            absent.append(f"slot {slot}")
            continue
        if state.startswith("ok"):
            judged = SensorState.OK
        elif re.search(r"fail|fault|out of service|disabled|shut", state):
            judged = SensorState.FAIL
        elif re.search(r"boot|init|standby", state):
            judged = SensorState.WARN
        else:
            judged = SensorState.UNKNOWN
        kind = "psu" if slot.startswith("P") and "PWR" in m.group("type").upper() else (
            "fan" if slot.startswith("P") and "FAN" in m.group("type").upper() else "module")
        readings.append(Reading(kind=kind, name=f"slot {slot} {m.group('type')}", state=judged,
                                detail=f"cli: show platform {state}"))
    return readings, absent


# ---- logs ----------------------------------------------------------------------------------------

_RELOAD_LINE = re.compile(r"^(?:Last reload reason:|System returned to ROM by)\s*(.+?)\s*$", re.MULTILINE)
_CRASH_FILE = re.compile(r"crash|\.dmp$|\.core$", re.IGNORECASE)
# flash: always; crashinfo: exists on routers and IOS-XE, flash:/crashinfo/ on Catalyst switches.
_DIRS = ("dir", "dir crashinfo:", "dir flash:/crashinfo/")


def log_lines(text: str) -> tuple[list[str], str]:
    """One string per syslog message (continuation lines joined), and a note if parsing failed."""
    try:
        rows = parse(TEMPLATES, "show logging", text)
        note = ""
    except ParseError as exc:
        rows, note = None, str(exc)
    if rows is None:
        # No usable template: raw lines, which the test must treat as a weaker reading.
        return [ln.strip() for ln in text.splitlines() if ln.strip()], note or "no show logging template"
    return [f"%{r['facility']}-{r['severity']}-{r['mnemonic']}: {' | '.join(r['message'])}" for r in rows], ""


def crash_files(rows: list[dict[str, Any]]) -> list[str]:
    out = []
    for r in rows:
        name, perms = str(r.get("name", "")), str(r.get("permissions", ""))
        if name and not perms.startswith("d") and _CRASH_FILE.search(name):
            out.append(f"{r.get('file_system', '')}{name}")
    return out


# ---- post ----------------------------------------------------------------------------------------

_SWITCH = re.compile(r"^\s*Switch\s+(\d+)\s*$")
# "POST: Thermal, Fan Tests : Begin" / "POST: TCAM BIST : End, Status Passed"
_POST_LINE = re.compile(
    r"^\s*POST:\s*(?P<test>.+?)\s*:\s*(?:(?P<begin>Begin)|End,\s*Status\s+(?P<status>\w+))\s*$", re.IGNORECASE
)


def parse_post(text: str) -> list[PostStep]:
    """Stored results of `show post` (no ntc template exists for it)."""
    steps: dict[tuple[str, str], PostStep] = {}
    switch = ""
    for line in text.splitlines():
        if m := _SWITCH.match(line):
            switch = m.group(1)
            continue
        m = _POST_LINE.match(line)
        if m is None:
            continue
        step = steps.setdefault((switch, m.group("test")), PostStep(test=m.group("test"), switch=switch))
        if not m.group("begin"):
            step.status = m.group("status").lower()
    return list(steps.values())


# ---- the collector -------------------------------------------------------------------------------


class CiscoIos(CiscoIosPorts, CiscoIosLicensing):
    name = DATA.name
    data = DATA

    async def identity(self, ctx: TestContext) -> CliIdentity:
        out = CliIdentity()
        read = _Reader(ctx, out.problems)
        unreadable: list[str] = []
        members: list[Component] = []
        text = await read.text("show version")
        if text is not None:
            got = readers.ios_show_version(text)  # model, serial (placeholders out), stack members
            try:
                rows = parse(TEMPLATES, "show version", text) or []
            except ParseError:
                rows = []  # the reader noted it and fell back to the unit's own lines
            if rows:
                version_facts(rows[0], out)
            out.model, out.serial, members = got.model, got.serial, got.components
            out.problems += got.problems
            unreadable += [got.unreadable] if got.unreadable else []
            if not (got.model or got.serial or rows or got.unreadable):
                out.problems.append("'show version' output had nothing parseable")
        inventory = await read.text("show inventory") if not read.lost else None
        if inventory is not None:
            inv = readers.ios_show_inventory(inventory)
            out.problems += inv.problems
            out.components = inv.components
            unreadable += [inv.unreadable] if inv.unreadable else []
            # show version lacks a serial on some images; the inventory's chassis entry has it.
            out.serial = out.serial or inv.serial
            out.model = out.model or inv.model
        # Stack members show version names that the inventory does not (old images list only the master).
        listed = {c.serial for c in out.components if c.serial}
        out.components += [m for m in members if m.serial and m.serial not in listed]
        if not out.serial and unreadable:
            out.problems.append(f"serial unreadable: {unreadable[0]}")
        return out

    async def environment(self, ctx: TestContext) -> Environment:
        env = Environment()
        read = _Reader(ctx, env.problems)
        cache: dict[str, str | None] = {}

        async def env_all() -> str:
            if "all" not in cache:
                cache["all"] = await read.text("show environment all")
            return cache["all"] or ""

        fans, absent = parse_fans(await read.text("show environment fan") or "")
        if not fans and not absent and not read.lost:
            text = await env_all()
            if is_router_environment(text):
                return await self._router_environment(read, env, text)
            fans, absent = parse_fans(text)
        env.readings += fans
        env.absent += absent
        if read.lost:
            return env

        power = await read.text("show environment power all")
        if power is None and not read.lost:
            power = psu_section(await env_all()) or None
        if power is not None:
            try:
                readings, absent = psu_readings(parse(TEMPLATES, "show environment power all", power) or [])
                env.readings += readings
                env.absent += absent
            except ParseError as exc:
                env.problems.append(str(exc))
        if read.lost:
            return env

        temps = await read.text("show environment temperature")
        if temps is None and not read.lost:
            # show environment all has more than temperatures; keep only the temperature block.
            temps = "\n".join(ln for ln in (await env_all()).splitlines() if _TEMP_LINES.search(ln)) or None
        if temps is not None:
            try:
                env.readings += switch_temperatures(temps)
            except ParseError as exc:
                env.problems.append(str(exc))
        return env

    async def _router_environment(self, read: _Reader, env: Environment, text: str) -> Environment:
        # The router refused the Catalyst commands tried first; those refusals are not missing readings.
        env.problems[:] = [p for p in env.problems if "rejected" not in p]
        readings, odd = router_environment(text)
        env.readings += readings
        env.problems += [f"'show environment' line not understood: {ln}" for ln in odd]
        platform = await read.text("show platform")
        if platform is not None:
            modules, absent = router_platform(platform)
            have = {r.kind for r in readings}
            # The sensor table is the finer reading; the slot state stands in only where it is missing.
            env.readings += [m for m in modules if m.kind == "module" or m.kind not in have]
            env.absent += absent
        return env

    async def logs(self, ctx: TestContext) -> LogEvidence:
        ev = LogEvidence(reload_reason=ctx.identity.reload_reason)  # identity already read show version
        read = _Reader(ctx, ev.problems)
        if not ev.reload_reason:
            text = await read.text("show version")
            found = _RELOAD_LINE.findall(text or "")
            ev.reload_reason = found[-1] if found else ""
            if text is not None and not found:
                ev.problems.append("reload reason not in 'show version'")
        if not read.lost and (logging := await read.text("show logging")) is not None:
            ev.lines, note = log_lines(logging)
            if note:
                ev.problems.append(f"show logging parsed line by line ({note})")
        files: list[str] = []
        for i, command in enumerate(_DIRS):
            if read.lost:
                break
            # Only flash: must exist; the crashinfo locations are absent on units that never crashed.
            files += crash_files(await read.rows(command, required=i == 0) or [])
        ev.crash_files = sorted(set(files))
        return ev

    async def post(self, ctx: TestContext) -> Post:
        shown = await run_classified(ctx, DATA, "show post")
        if shown.kind in ("lost", "no_cli"):
            return Post(problems=[shown.problem])
        if shown.kind == "refused":
            return Post(unsupported=f"'show post' not supported: {shown.rejected}")
        steps = parse_post(shown.text)
        return Post(steps=steps, output="" if steps else shown.text[:2000])


PLATFORM = CiscoIos()
