"""Juniper Junos (EX switches, ELS) collector: what `show chassis ...` and friends say, as plain facts.

ntc-templates parses `show version` and `show chassis hardware`. Junos has no template for the
environment, routing-engine, log, file, extensive-interface, optics-diagnostics or PoE outputs
(the `show interfaces` template knows neither counters nor speed and errors on the extensive
form), so those are parsed here, line by line, never trusting the text.
"""

from __future__ import annotations

import asyncio
import re
import time
from typing import Any

from bench.drivers.parsing import ParseError, parse
from bench.model import Component, ComponentKind, Reading, SensorState
from bench.platforms import contract
from bench.platforms.cli import run_classified, send_classified
from bench.platforms.data import package_data
from bench.tests_hw.base import TestContext

DATA = package_data(__file__)
PLATFORM_NAME = DATA.name

_FRONT_PANEL = re.compile(r"^(?:ge|xe|et|mge|fe|xle|fte)-\d+/\d+/\d+$")
_POE_MODEL = re.compile(r"-\d+(?:P|MP|PX|PC|PE)(?:-|$)")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


async def _show(ctx: TestContext, command: str, problems: list[str], fresh: bool = False,
                timeout: float = 60.0) -> str | None:
    """Output of `command`, or None with the reason in `problems`. `fresh` skips the session cache:
    readings that change (sensors, counters) must be read again on every call."""
    shown = await run_classified(ctx, DATA, command, fresh=fresh, timeout=timeout)
    if not shown.ok:
        problems.append(f"{command!r}: {shown.missing or shown.error or shown.rejected}"[:300])
        return None
    return shown.text


def _rows(command: str, text: str, problems: list[str]) -> list[dict[str, Any]]:
    try:
        return parse(PLATFORM_NAME, command, text) or []
    except ParseError as exc:
        problems.append(str(exc))
        return []


def _num(text: str) -> float | None:
    m = _NUMBER.search(text)
    return float(m.group()) if m else None


def _strip_fpc_header(text: str) -> str:
    """Virtual-chassis capable EX prefix outputs with `fpc0:` and a rule; templates choke on them."""
    return "\n".join(ln for ln in text.splitlines() if not re.fullmatch(r"\s*(?:fpc\d+:|-{10,}|\{\w+:\d+\})\s*", ln))


# ------------------------------------------------------------------------------------------ identity
def _pid(part: str, descr: str) -> str:
    # Juniper's description column carries the model name (EX2300-48P, JPSU-150-AC-AFO, SFP+-10G-SR),
    # the same string ENTITY-MIB reports as entPhysicalModelName; a prose description is no model.
    return descr if descr and " " not in descr else part


def hardware_components(text: str, problems: list[str]) -> list[Component]:
    """Components from `show chassis hardware` (template), plus FPC/PIC rows the template only fills down."""
    text = _strip_fpc_header(text)
    comps: list[Component] = []
    for row in _rows("show chassis hardware", text, problems):
        if row.get("chassis_serial_number"):
            descr = row.get("chassis_description", "").strip()
            comps.append(Component(ComponentKind.CHASSIS, "Chassis", pid=descr,
                                   serial=row["chassis_serial_number"].upper(), descr=descr, source="cli"))
        for prefix, kind, label in (("re", ComponentKind.MODULE, "Routing Engine"),
                                    ("ps", ComponentKind.PSU, "Power Supply"),
                                    ("fan", ComponentKind.FAN, "Fan Tray"),
                                    ("xcvr", ComponentKind.OPTIC, "Xcvr")):
            number = row.get(f"{prefix}_number", "")
            descr = row.get(f"{prefix}_description", "").strip()
            if not number or not (descr or row.get(f"{prefix}_part")):
                continue
            part, serial = row.get(f"{prefix}_part", "").strip(), row.get(f"{prefix}_serial_number", "").strip()
            name = f"{label} {number}"
            if kind is ComponentKind.OPTIC:
                name = f"Xcvr {row.get('fpc_number') or 0}/{row.get('pic_number') or 0}/{number}"
            comps.append(Component(kind, name, pid=_pid(part, descr), vid=row.get(f"{prefix}_version", "").strip(),
                                   serial=serial.upper(), descr=f"{descr} (part {part})" if part else descr,
                                   source="cli"))
    # FPCs and PICs: the template keeps them only as fill-down values, so read those rows directly.
    for m in re.finditer(r"^\s*(FPC|PIC)\s+(\d+)\s+(REV \d+\s+)?(\S+)\s+(\S+)\s+(.+?)\s*$", text, re.MULTILINE):
        kind_name, number, rev, part, serial, descr = m.groups()
        comps.append(Component(ComponentKind.MODULE, f"{kind_name} {number}", pid=_pid(part, descr),
                               vid=(rev or "").strip(), serial=serial.upper(), descr=f"{descr} (part {part})",
                               source="cli"))
    return comps


def version_facts(text: str, problems: list[str]) -> dict[str, str]:
    """Model (upper case, as on the label), Junos version and hostname from `show version`."""
    rows = _rows("show version", _strip_fpc_header(text), problems)
    row = rows[0] if rows else {}
    facts = {"model": row.get("model", ""), "version": row.get("junos_version", ""),
             "hostname": row.get("hostname", "")}
    # The template requires a Hostname line, which an amnesiac (factory-default) unit does not print.
    for key, label in (("model", "Model"), ("version", "Junos")):
        m = re.search(rf"^{label}:\s*(\S+)", text, re.MULTILINE)
        if not facts[key] and m:
            facts[key] = m.group(1)
    facts["model"] = facts["model"].upper()
    return facts


def _uptime_seconds(words: str) -> float | None:
    total, found = 0.0, False
    for n, unit in re.findall(r"(\d+)\s*(week|day|hour|minute|second)s?", words):
        total += int(n) * {"week": 604800, "day": 86400, "hour": 3600, "minute": 60, "second": 1}[unit]
        found = True
    return total if found else None


def routing_engine_facts(text: str) -> dict[str, str]:
    """`show chassis routing-engine`: the first (master) slot's uptime, reboot reason, temperature."""
    facts: dict[str, str] = {}
    for key, pattern in (("uptime", r"^\s*Uptime\s+(.+?)\s*$"),
                         ("reload_reason", r"^\s*Last reboot reason\s+(.+?)\s*$"),
                         ("start_time", r"^\s*Start time\s+(.+?)\s*$"), ("serial", r"^\s*Serial ID\s+(\S+)"),
                         ("temperature", r"^\s*Temperature\s+(-?\d+) degrees C")):
        m = re.search(pattern, text, re.MULTILINE)
        if m:
            facts[key] = m.group(1)
    return facts


# ------------------------------------------------------------------------------------------ environment
_STATUS = {"ok": SensorState.OK, "failed": SensorState.FAIL, "failure": SensorState.FAIL, "not ok": SensorState.FAIL,
           "bad": SensorState.FAIL, "check": SensorState.WARN}
_ABSENT = {"absent", "empty", "not present"}


def environment_rows(text: str) -> list[tuple[str, str, str, str]]:
    """(class, item, status, measurement) per row of `show chassis environment`; the class carries down."""
    rows: list[tuple[str, str, str, str]] = []
    cls = ""
    for line in _strip_fpc_header(text).splitlines():
        if not line.strip() or line.startswith("Class"):
            continue
        rest = line
        if not line[0].isspace():
            cls, _, rest = line.partition(" ")
        cells = re.split(r"\s{2,}", rest.strip())
        if cls and len(cells) >= 2:
            rows.append((cls, cells[0], cells[1], " ".join(cells[2:])))
    return rows


def temperature_thresholds(text: str) -> dict[str, tuple[float, float]]:
    """`show chassis temperature-thresholds`: item -> (yellow alarm, red alarm) at normal fan speed."""
    out: dict[str, tuple[float, float]] = {}
    for line in text.splitlines():
        m = re.match(r"^(\S.*?)\s{2,}(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)(?:\s+\d+)?\s*$", line)
        if m and not line.startswith("Item"):
            out[m.group(1).strip()] = (float(m.group(4)), float(m.group(6)))
    return out


def alarm_lines(text: str) -> list[tuple[str, str]]:
    """(class, description) of each active alarm in `show chassis alarms`."""
    out = []
    for m in re.finditer(r"^\s*\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \S+\s+(Major|Minor)\s+(.+?)\s*$", text, re.MULTILINE):
        out.append((m.group(1), m.group(2)))
    return out


def _env_reading(cls: str, item: str, status: str, meas: str, thresholds: dict[str, tuple[float, float]],
                 alarms: list[tuple[str, str]]) -> Reading | None:
    kind = {"power": "psu", "pem": "psu", "temp": "temperature", "fans": "fan", "fan": "fan"}.get(cls.lower())
    if kind is None:
        return None
    state = _STATUS.get(status.lower(), SensorState.UNKNOWN)
    detail = f"status {status}" + (f", {meas}" if meas else "")
    if kind != "temperature":
        return Reading(kind, item, state, detail=detail)
    value = None
    m = re.search(r"(-?\d+(?:\.\d+)?)\s*degrees C", meas)
    if m:
        value = float(m.group(1))
    warn_at, fail_at = thresholds.get(item, (None, None))
    if value is None:
        state = SensorState.UNKNOWN if state is SensorState.OK else state
    elif fail_at is not None and value >= fail_at:
        state = SensorState.FAIL
    elif warn_at is not None and value >= warn_at and state is SensorState.OK:
        state = SensorState.WARN
    # "Check" is Junos saying a sensor crossed its threshold; a Major temperature alarm is its red level.
    if state is SensorState.WARN and any(c == "Major" and "temperature" in d.lower() for c, d in alarms):
        state = SensorState.FAIL
    return Reading(kind, item, state, value=value, unit="C", warn_at=warn_at, fail_at=fail_at, detail=detail)


# ------------------------------------------------------------------------------------------ ports
def _speed_mbps(text: str) -> int | None:
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([mg])bps", text.strip().lower())
    if not m:
        return None
    return int(float(m.group(1)) * (1000 if m.group(2) == "g" else 1))


def _counters(pairs: str) -> dict[str, int]:
    out = {}
    for key, value in re.findall(r"([A-Za-z][A-Za-z0-9 /-]*?):\s*(\d+)", pairs):
        out[key.strip().lower()] = int(value)
    return out


def parse_extensive(text: str) -> list[contract.PortState]:
    """Front-panel ports from `show interfaces extensive`, with real error counters."""
    ports: list[contract.PortState] = []
    port: contract.PortState | None = None
    section = ""
    for line in text.splitlines():
        m = re.match(r"^Physical interface:\s*(\S+?),\s*([^,]+),\s*Physical link is (\w+)", line)
        if m:
            name = m.group(1)
            port = None
            if _FRONT_PANEL.match(name):
                admin = m.group(2).strip().lower()
                known = admin in ("enabled", "administratively down", "disabled")
                port = contract.PortState(name, admin_up=admin == "enabled" if known else None,
                                          link_up={"up": True, "down": False}.get(m.group(3).lower()))
                ports.append(port)
            section = ""
            continue
        if port is None:
            continue
        stripped = line.strip()
        if stripped.startswith("Logical interface"):
            port = None
            continue
        if "Link-level type:" in line:
            fields = dict(f.split(":", 1) for f in (x.strip() for x in line.split(",")) if ":" in f)
            fields = {k.strip().lower(): v.strip() for k, v in fields.items()}
            port.speed_mbps = _speed_mbps(fields.get("speed", ""))
            mode = (fields.get("link-mode") or fields.get("duplex") or "").lower()
            port.duplex = "full" if mode.startswith("full") else "half" if mode.startswith("half") else ""
            media = fields.get("media type", "").lower()
            port.media = "copper" if media == "copper" else "fiber" if media in ("fiber", "optical") else ""
            port.err_disabled = any(fields.get(k, "none").lower() not in ("none", "") for k in
                                    ("bpdu error", "loop detect pdu error", "ethernet-switching error"))
        elif stripped in ("Input errors:", "Output errors:"):
            section = stripped[:-1].split()[0].lower()
        elif section and re.match(r"^\s+\w", line) and ":" in stripped and "statistics" not in stripped.lower():
            c = _counters(stripped)
            prefix = "input" if section == "input" else "output"
            port.counters[f"{prefix}_errors"] = c.get("errors", 0)
            port.counters[f"{prefix}_drops"] = c.get("drops", 0)
            if section == "input":
                for key, name in (("runts", "runts"), ("framing errors", "framing_errors"),
                                  ("fifo errors", "input_fifo_errors")):
                    if key in c:
                        port.counters[name] = c[key]
            else:
                for key, name in (("carrier transitions", "carrier_transitions"), ("collisions", "collisions")):
                    if key in c:
                        port.counters[name] = c[key]
            section = ""
        else:
            section = ""
            mac = re.match(r"^\s+(CRC/Align errors|Oversized frames|Jabber frames|Fragment frames|Code violations)"
                           r"\s+(\d+)(?:\s+(\d+))?\s*$", line)  # receive-only rows (Oversized...) have one column
            if mac:
                key = {"crc/align errors": "crc", "oversized frames": "giants", "jabber frames": "jabbers",
                       "fragment frames": "fragments", "code violations": "code_violations"}[mac.group(1).lower()]
                port.counters[key] = int(mac.group(2))
    return ports


def parse_poe_interface(text: str) -> list[contract.PoePort]:
    """Front-panel rows of `show poe interface`: Interface, Admin, Oper, Max power, Priority, consumption, Class."""
    ports: list[contract.PoePort] = []
    for line in text.splitlines():
        cells = line.split()
        if len(cells) < 5 or not _FRONT_PANEL.match(cells[0]):
            continue
        oper = cells[2].lower()
        state = ("on" if oper == "on" else "off" if oper in ("off", "searching", "disabled") else
                 "fault" if "fault" in oper or "overload" in oper else "denied" if "den" in oper else "unknown")
        if cells[1].lower() == "disabled":
            state = "off"
        # Max power, then Power consumption: the second watt figure is what the port draws.
        powers = [c for c in cells[3:] if re.fullmatch(r"\d+(?:\.\d+)?W", c, re.IGNORECASE)]
        watts = _num(powers[1][:-1]) if len(powers) > 1 else None
        ports.append(contract.PoePort(cells[0], state, poe_class=cells[-1] if cells[-1].isdigit() else "",
                                      watts=watts, detail=" ".join(cells[1:])[:200]))
    return ports


# ------------------------------------------------------------------------------------------ optics
# reading kind -> (unit, keys of the value line, prefix of its flags and thresholds)
_DOM = {
    "temperature": ("C", ("module temperature",), "module temperature"),
    "voltage": ("V", ("module voltage",), "module voltage"),
    "bias": ("mA", ("laser bias current",), "laser bias current"),
    "tx_power": ("dBm", ("laser output power",), "laser output power"),
    "rx_power": ("dBm", ("receiver signal average optical power", "laser receiver power", "laser rx power"),
                 "laser rx power"),
}


def _dom_value(text: str, unit: str) -> float | None:
    if unit == "dBm":
        if re.search(r"-\s*inf", text, re.IGNORECASE):
            return float("-inf")
        m = re.search(r"(-?\d+(?:\.\d+)?)\s*dBm", text)
        return float(m.group(1)) if m else None
    return _num(text)


def optic_blocks(text: str) -> dict[str, dict[str, str]]:
    """Port -> {lowercased key: value} per block of `show interfaces diagnostics optics`."""
    blocks: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    for line in text.splitlines():
        m = re.match(r"^Physical interface:\s*(\S+)", line)
        if m:
            current = blocks.setdefault(m.group(1), {})
            continue
        if current is not None and ":" in line:
            key, _, value = line.partition(":")
            current.setdefault(" ".join(key.split()).lower(), value.strip())
    return blocks


def _judge(value: float, limits: dict[str, float | None], flags: dict[str, bool]) -> SensorState:
    if flags.get("high alarm") or flags.get("low alarm"):
        return SensorState.FAIL
    hi_a, lo_a, hi_w, lo_w = (limits.get(k) for k in ("high alarm", "low alarm", "high warning", "low warning"))
    if (hi_a is not None and value >= hi_a) or (lo_a is not None and value <= lo_a):
        return SensorState.FAIL
    if flags.get("high warning") or flags.get("low warning"):
        return SensorState.WARN
    if (hi_w is not None and value >= hi_w) or (lo_w is not None and value <= lo_w):
        return SensorState.WARN
    if not any(v is not None for v in limits.values()) and not flags:
        return SensorState.UNKNOWN  # a value with nothing to judge it against
    return SensorState.OK


def optic_readings(port: str, block: dict[str, str]) -> list[Reading]:
    out = []
    for kind, (unit, keys, prefix) in _DOM.items():
        raw = next((block[k] for k in keys if k in block), None)
        if raw is None:
            continue
        value = _dom_value(raw, unit)
        limits = {lvl: _dom_value(block.get(f"{prefix} {lvl} threshold", ""), unit)
                  for lvl in ("high alarm", "low alarm", "high warning", "low warning")}
        flags = {lvl: block[f"{prefix} {lvl}"].lower() == "on"
                 for lvl in ("high alarm", "low alarm", "high warning", "low warning") if f"{prefix} {lvl}" in block}
        name = f"{port} {kind}"
        shown = ", ".join(f"{k} {v:g}" for k, v in limits.items() if v is not None)
        if value is None:
            out.append(Reading(kind, name, SensorState.UNKNOWN, unit=unit, detail=f"unreadable value {raw!r}"[:200]))
            continue
        state = _judge(value, limits, flags)
        # warn_at/fail_at are upper limits for every Reading (tests re-check value >= limit); the low
        # limits are judged in `state` and shown in the detail.
        warn_at, fail_at = limits["high warning"], limits["high alarm"]
        on = [k for k, v in flags.items() if v]
        detail = f"thresholds: {shown or 'none shown'}" + (f"; flags on: {', '.join(on)}" if on else "")
        if value == float("-inf"):
            value, detail = None, "no light (- Inf dBm); " + detail
            state = SensorState.FAIL if limits["low alarm"] is not None or state is SensorState.FAIL else state
        out.append(Reading(kind, name, state, value=value, unit=unit, warn_at=warn_at, fail_at=fail_at, detail=detail))
    return out


def _port_key(name: str) -> str:
    m = re.search(r"(\d+)/(\d+)/(\d+)$", name)
    return "/".join(m.groups()) if m else name


# ------------------------------------------------------------------------------------------ configuration
Tree = dict[str, "Tree"]


def config_tree(text: str) -> Tree:
    """A Junos curly-brace configuration as nested dicts keyed by statement (`user netops`, `vlan-id 10`)."""
    root: Tree = {}
    stack = [root]
    for raw in text.splitlines():
        line = re.sub(r"\s*##.*$", "", raw).strip()
        if not line or line.startswith(("#", "/*", "*")):
            continue
        line = line.removeprefix("inactive: ").removeprefix("protect: ")
        if line == "}":
            if len(stack) > 1:
                stack.pop()
        elif line.endswith("{"):
            node: Tree = stack[-1].setdefault(line[:-1].strip(), {})
            stack.append(node)
        elif line.endswith(";"):
            stack[-1].setdefault(line[:-1].strip(), {})
    return root


def _child(node: Tree, keyword: str) -> list[str]:
    """Values of `keyword X` statements directly under node."""
    return [k.split(" ", 1)[1].strip('"') for k in node if k.split(" ", 1)[0] == keyword and " " in k]


_FACTORY_TOP = {"version", "system", "interfaces", "poe", "protocols", "vlans", "chassis", "ethernet-switching-options"}
_FACTORY_PROTOCOLS = {"lldp", "lldp-med", "igmp-snooping", "rstp", "mstp"}


def leftovers(tree: Tree) -> list[str]:
    """Previous-owner data in a committed configuration; a factory-default EX config yields none."""
    out: list[str] = []
    system = tree.get("system", {})
    out += [f"hostname {v}" for v in _child(system, "host-name")]
    out += [f"domain-name {v}" for v in _child(system, "domain-name")]
    out += [f"user {v}" for v in _child(system.get("login", {}), "user")]
    out += [f"ntp server {v}" for v in _child(system.get("ntp", {}), "server")]
    out += [f"syslog host {v}" for v in _child(system.get("syslog", {}), "host")]
    out += [f"name-server {k}" for k in system.get("name-server", {})]
    for key in system:
        if key.split(" ", 1)[0] in ("radius-server", "tacplus-server", "location", "static-host-mapping"):
            out.append(f"system {key}")
    out += [f"snmp {k}" for k in tree.get("snmp", {})]
    out += [f"vlan {v}" for v in tree.get("vlans", {}) if v != "default"]
    for ifname, node in tree.get("interfaces", {}).items():
        out += [f"{ifname} description {v}" for v in _child(node, "description")]
        for unit in node.values():
            for fam, fnode in unit.items():
                out += [f"{ifname} {fam} address {a}" for a in _child(fnode, "address")]
    out += [f"protocols {k}" for k in tree.get("protocols", {}) if k not in _FACTORY_PROTOCOLS]
    out += [f"configuration stanza {k}" for k in tree if k.split(" ", 1)[0] not in _FACTORY_TOP]
    return out


def _file_names(text: str) -> list[str]:
    """Regular files in a `file list DIR` answer (directories end with '/')."""
    names = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.endswith(":") or line.startswith("total files") or line.endswith("/"):
            continue
        names.append(line.split()[-1])
    return names


class JunosPlatform:
    name = PLATFORM_NAME
    data = DATA

    async def identity(self, ctx: TestContext) -> contract.CliIdentity:
        out = contract.CliIdentity()
        text = await _show(ctx, "show version", out.problems)
        if text is not None:
            facts = version_facts(text, out.problems)
            out.model, out.os_version, out.hostname = facts["model"], facts["version"], facts["hostname"]
            if not (out.model or out.os_version):
                out.problems.append("'show version': nothing parseable")
        text = await _show(ctx, "show chassis hardware", out.problems)
        if text is not None:
            out.components = hardware_components(text, out.problems)
            chassis = next((c for c in out.components if c.kind is ComponentKind.CHASSIS), None)
            if chassis is None:
                out.problems.append("'show chassis hardware': no chassis row")
            else:
                out.serial = chassis.serial
                if chassis.pid:
                    out.model = chassis.pid  # the hardware table spells the model as the label does
        text = await _show(ctx, "show chassis routing-engine", out.problems, fresh=True)
        if text is not None:
            facts = routing_engine_facts(text)
            out.uptime = facts.get("uptime", "")
            out.uptime_seconds = _uptime_seconds(out.uptime) if out.uptime else None
            out.reload_reason = facts.get("reload_reason", "")
            if out.uptime_seconds is None:
                out.problems.append("'show chassis routing-engine': no uptime")
        return out

    async def environment(self, ctx: TestContext) -> contract.Environment:
        env = contract.Environment()
        text = await _show(ctx, "show chassis environment", env.problems, fresh=True)
        alarms_text = await _show(ctx, "show chassis alarms", env.problems, fresh=True)
        alarms = alarm_lines(alarms_text or "")
        # Thresholds are optional: many images lack the command, and the status column still judges.
        ignored: list[str] = []
        limits = temperature_thresholds(await _show(ctx, "show chassis temperature-thresholds", ignored) or "")
        if text is None:
            return env
        for cls, item, status, meas in environment_rows(text):
            if status.lower() in _ABSENT:
                env.absent.append(item)
                continue
            reading = _env_reading(cls, item, status, meas, limits, alarms)
            if reading is not None:
                env.readings.append(reading)
        if not env.readings:
            env.problems.append("'show chassis environment': no readings parsed")
        return env

    async def logs(self, ctx: TestContext) -> contract.LogEvidence:
        ev = contract.LogEvidence()
        text = await _show(ctx, "show log messages", ev.problems)
        if text is not None:
            ev.lines = [ln.rstrip() for ln in text.splitlines() if ln.strip()]
        text = await _show(ctx, "show chassis routing-engine", ev.problems)
        if text is not None:
            ev.reload_reason = routing_engine_facts(text).get("reload_reason", "")
        text = await _show(ctx, "file list /var/crash/", ev.problems)
        if text is not None:
            if "no such file" in text.lower():
                ev.problems.append(f"'file list /var/crash/': {text.strip()[:200]}")
            else:
                # bounds and minfree are savecore's own bookkeeping, present on every unit.
                ev.crash_files = [f"/var/crash/{n}" for n in _file_names(text) if n not in ("bounds", "minfree")]
        return ev

    async def ports(self, ctx: TestContext) -> contract.Ports:
        out = contract.Ports()
        text = await _show(ctx, "show interfaces extensive", out.problems, fresh=True, timeout=120.0)
        if text is not None:
            out.ports = parse_extensive(text)
            if not out.ports:
                out.problems.append("'show interfaces extensive': no front-panel ports parsed")
        return out

    async def poe(self, ctx: TestContext) -> contract.Poe:
        model = ctx.identity.model
        problems: list[str] = []
        if not model:
            text = await _show(ctx, "show version", problems)
            model = version_facts(text, problems)["model"] if text else ""
        if model and not _POE_MODEL.search(model.upper()):
            return contract.Poe(supported=False)
        text = await _show(ctx, "show poe interface", problems, fresh=True)
        poe = contract.Poe(supported=bool(model) or text is not None, problems=problems)
        if not model:
            poe.problems.append("model unknown: PoE support inferred from the device's answer")
        poe.ports = parse_poe_interface(text or "")
        if text is not None and not poe.ports:
            poe.problems.append("'show poe interface': no ports parsed")
        return poe

    async def optics(self, ctx: TestContext) -> contract.Optics:
        out = contract.Optics()
        text = await _show(ctx, "show interfaces diagnostics optics", out.problems, fresh=True)
        if text is None:
            return out
        hw = await _show(ctx, "show chassis hardware", out.problems)
        ignored: list[str] = []
        xcvrs = {c.name.removeprefix("Xcvr "): c for c in hardware_components(hw or "", ignored)
                 if c.kind is ComponentKind.OPTIC}
        for port, block in optic_blocks(text).items():
            comp = xcvrs.get(_port_key(port))
            optic = contract.Optic(port, pid=comp.pid if comp else "", serial=comp.serial if comp else "",
                                   readings=optic_readings(port, block))
            if not optic.readings:
                out.problems.append(f"{port}: no DOM values in the diagnostics output")
            out.optics.append(optic)
        return out

    async def wipe(self, ctx: TestContext) -> contract.WipeReport:
        """`request system zeroize` (answers its confirmation), then wait until the unit answers again."""
        rep = contract.WipeReport()
        before = await _show(ctx, "show chassis routing-engine", rep.problems, fresh=True)
        up_before = _uptime_seconds(routing_engine_facts(before or "").get("uptime", ""))
        command = "request system zeroize"
        # The answer rides on the same write: the channel only knows command-and-prompt, and the
        # unit drops the session as it goes down, so a lost session here is the expected outcome.
        shown = await send_classified(ctx.cli, DATA, f"{command}\nyes",
                                      timeout=float(ctx.params.get("confirm_timeout", 20)))
        answer = shown.text if shown.kind != "lost" else f"(session closed as the unit went down: {shown.error})"
        rep.steps.append({"command": command, "answer": "yes", "output": answer[:2000]})
        if shown.rejected:
            rep.problems.append(f"{command!r} refused: {shown.rejected}")
            return rep
        ctx.cache.clear()  # everything read before the reboot is stale
        back = await self._wait_back(ctx, up_before, rep)
        if back is not None:
            rep.verified["back_after_s"] = round(back, 1)
        return rep

    async def _wait_back(self, ctx: TestContext, up_before: float | None, rep: contract.WipeReport) -> float | None:
        """Poll the CLI (reopened by the channel on each send) until the rebooted unit answers."""
        timing = DATA.reboot_timing(ctx.params)
        budget, poll = timing.timeout_s, timing.poll_s
        start = time.monotonic()
        last = ""
        while time.monotonic() - start < budget:
            for channel in (c for c in (ctx.cli, ctx.console) if c is not None):
                shown = await send_classified(channel, DATA, "show chassis routing-engine", timeout=30)
                if shown.kind == "lost":
                    last = shown.error[:200]
                    continue
                text = shown.text
                up = _uptime_seconds(routing_engine_facts(text).get("uptime", ""))
                # The old system may answer for a moment before it goes down: wait for a fresh uptime.
                if up is not None and (up_before is None or up < up_before):
                    rep.steps.append({"command": "show chassis routing-engine", "output": text[:2000]})
                    rep.verified["uptime_after"] = up
                    return time.monotonic() - start
                last = "unit answered but has not rebooted yet"
            await asyncio.sleep(poll)
        rep.problems.append(f"unit did not come back within {budget:g}s after zeroize ({last})")
        return None

    async def verify_wiped(self, ctx: TestContext) -> contract.WipeReport:
        rep = contract.WipeReport()
        rep.verified["channel"] = "cli"  # the sanitization summary names where the check was made
        text = await _show(ctx, "show configuration", rep.problems, fresh=True)
        if text is not None:
            tree = config_tree(text)
            if not tree:
                rep.problems.append("'show configuration': nothing parseable")
            found = leftovers(tree)
            rep.remaining += found
            system = tree.get("system", {})
            rep.verified["startup_config"] = "factory-default" if tree and not found else found or "unreadable"
            rep.verified["hostname"] = (_child(system, "host-name") or [""])[0]
            rep.verified["users"] = _child(system.get("login", {}), "user")
            rep.verified["vlans"] = list(tree.get("vlans", {}))
        text = await _show(ctx, "file list /var/tmp/", rep.problems, fresh=True)
        if text is not None:
            files = _file_names(text)
            rep.verified["flash_files"] = files
            rep.remaining += [f"user file /var/tmp/{n}" for n in files]
        return rep


PLATFORM = JunosPlatform()
