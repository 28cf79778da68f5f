"""Aruba AOS-CX collector: Aruba CX 6100 / 6200F / 6300M / 6400 / 8320 / 8400 on AOS-CX 10.x.

ntc-templates parses `show system`, `show module`, `show vsf detail`, `show interface` and `show interface
dom detail`; the environment tables, the event log, core dumps, boot history, transceivers, PoE and the
configuration are read by hand here. The wipe is AOS-CX's own secure reset, `erase all zeroize` (the
configuration, checkpoints, users, logs and core dumps are overwritten and the unit reboots to factory
defaults); its verification reads the configuration the unit boots with and its checkpoints.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from bench.drivers.parsing import ParseError, parse, sanitize
from bench.model import Component, ComponentKind, Reading, SensorState
from bench.platforms import contract
from bench.platforms.cli import Refused, command_reader, read_rows, run_classified, send_classified
from bench.platforms.data import package_data
from bench.platforms.identity_readers import IdentityRead
from bench.platforms.poe import poe_table
from bench.platforms.sensors import number_in, unreadable
from bench.platforms.wipe import come_back, config_rules, uptime_poll
from bench.tests_hw.base import TestContext

DATA = package_data(__file__)
PLATFORM_NAME = DATA.name
# One script: the channel waits for the prompt, which the (y/n) question does not show, so the answer
# travels with the command. The unit drops the session as it goes down for zeroization.
WIPE_SCRIPT = ("erase all zeroize", "y")
WIPE_METHOD = "erase all zeroize (secure erase of configuration, checkpoints, users, logs and core dumps)"
# What a unit that refuses the bench's credentials needs, and why the bench stops there.
RECOVERY = ("password recovery on AOS-CX is the Service OS console (boot menu entry 0, then `password`), reached "
            "from the boot menu rather than by a BREAK: the bench does not drive it, recover the unit by hand")
_PID = re.compile(r"^(?:JL|JH|JW|R\d[A-Z]|J9|S\d[A-Z])[0-9A-Z]{3,5}$")
_UNITS = {"week": 604_800, "day": 86_400, "hour": 3_600, "minute": 60, "second": 1}


_read = command_reader(DATA)


def uptime_seconds(text: str) -> float | None:
    """"1 day, 23 hours, 32 minutes" / "2 weeks, 22 hours under a minute" -> seconds (None: nothing read)."""
    parts = re.findall(r"(\d+)\s*(week|day|hour|minute|second)s?", text.lower())
    if parts:
        return float(sum(int(n) * _UNITS[u] for n, u in parts))
    return 0.0 if "under a minute" in text.lower() else None


def _s(row: dict[str, Any], key: str) -> str:
    return str(row.get(key) or "").strip()


# ---------------------------------------------------------------- identity readers (also the real-data test's)
def read_show_system(text: str) -> IdentityRead:
    """`show system`: the product line names the PID first ("JL665A 6300F 48G CL4 PoE 4SFP56 Sw")."""
    out = IdentityRead()
    try:
        rows = parse(PLATFORM_NAME, "show system", text) or []
    except ParseError as exc:
        out.problems.append(str(exc))
        rows = []
    row = rows[0] if rows else {}
    product = _s(row, "product") or next(iter(re.findall(r"(?m)^Product Name\s*:\s*(.+?)\s*$", text)), "")
    pid = product.split()[0] if product.split() else ""
    out.model = pid.upper() if _PID.match(pid.upper()) else ""
    raw = _s(row, "serial") or next(iter(re.findall(r"(?m)^Chassis Serial Nbr\s*:\s*(\S+)", text)), "")
    out.take_serial(raw, "show system")
    if out.model:
        out.components.append(Component(ComponentKind.CHASSIS, "Chassis", pid=out.model, serial=out.serial,
                                        descr=" ".join(product.split()[1:]), source="cli"))
    return out


def module_components(rows: list[dict[str, Any]]) -> list[Component]:
    """`show module`: each slot once (a management module is listed again as a line module)."""
    seen: dict[str, Component] = {}
    for r in rows:
        name, pid, serial = _s(r, "module"), _s(r, "model"), _s(r, "serial")
        if not name or (not pid and not serial) or name in seen:
            continue
        seen[name] = Component(ComponentKind.MODULE, f"Module {name}", pid=pid.upper(), serial=serial.upper(),
                               descr=f"{_s(r, 'module_type')} module: {_s(r, 'cardtype')}, {_s(r, 'status')}",
                               source="cli")
    return list(seen.values())


def read_show_module(text: str) -> IdentityRead:
    out = IdentityRead()
    try:
        rows = parse(PLATFORM_NAME, "show module", text) or []
    except ParseError as exc:
        out.problems.append(str(exc))
        return out
    out.components = module_components(rows)
    return out


_VSF_MEMBER = re.compile(r"(?m)^Member ID\s*:\s*(\d+)\s*$")


def vsf_members(text: str) -> list[Component]:
    """`show vsf detail`: one chassis per member, with its type (PID), serial and role."""
    out = []
    blocks = _VSF_MEMBER.split(sanitize(text))
    for i in range(1, len(blocks) - 1, 2):
        member, body = blocks[i], blocks[i + 1]

        def field(key: str, body: str = body) -> str:
            return next(iter(re.findall(rf"(?m)^\s*{key}\s*:[ \t]*(.*?)\s*$", body)), "")

        serial = field("Serial Number")
        out.append(Component(ComponentKind.CHASSIS, f"VSF member {member}", pid=field("Type").upper(),
                             serial=serial.upper(), descr=f"{field('Model')} ({field('Status')})".strip(),
                             source="cli"))
    return out


def read_show_vsf_detail(text: str) -> IdentityRead:
    out = IdentityRead()
    out.components = vsf_members(text)
    if out.components:
        out.model = out.components[0].pid
        out.take_serial(out.components[0].serial, "show vsf detail")
    return out


IDENTITY_READERS: dict[str, Callable[[str], IdentityRead]] = {
    "show system": read_show_system, "show module": read_show_module, "show vsf detail": read_show_vsf_detail,
}


# ---------------------------------------------------------------- table helpers
def _rows_after_rule(text: str) -> list[list[str]]:
    """Rows (split on runs of 2+ spaces) of the table under the last dashed rule before its data."""
    rows: list[list[str]] = []
    ruled = False
    for line in sanitize(text).splitlines():
        if re.match(r"^\s*-{5,}\s*$", line):
            ruled = True
            continue
        if ruled and line.strip():
            rows.append(re.split(r"\s{2,}", line.strip()))
    return rows


def parse_fans(text: str) -> list[dict[str, str]]:
    """`show environment fan`: Mbr/Fan, product, serial, speed, direction, status, RPM."""
    out = []
    for cols in _rows_after_rule(text):
        if len(cols) >= 6 and re.match(r"^\d+/\d+$", cols[0]):
            out.append({"name": cols[0], "pid": cols[1], "serial": cols[2], "status": cols[-2].lower(),
                        "rpm": cols[-1]})
    return out


def parse_psus(text: str) -> list[dict[str, str]]:
    """`show environment power-supply`: Mbr/PSU, product, serial, status, input, range, max watts."""
    out = []
    for line in sanitize(text).splitlines():
        m = re.match(r"^\s*(\d+/\d+)\s+(\S+)\s+(\S+)\s+(.+?)\s{2,}(\S+)\s+(\S+)\s+(\d+)\s*$", line)
        if m:
            out.append({"name": m[1], "pid": m[2], "serial": m[3], "status": m[4].strip(), "watts": m[7]})
            continue
        m = re.match(r"^\s*(\d+/\d+)\s+(?:N/A\s+N/A\s+)?(Absent|Not Present|Empty)\b", line, re.IGNORECASE)
        if m:
            out.append({"name": m[1], "pid": "", "serial": "", "status": m[2], "watts": ""})
    return out


def parse_temperatures(text: str) -> list[dict[str, Any]]:
    """`show environment temperature detail`: one block per sensor with its status and thresholds."""
    out: list[dict[str, Any]] = []
    cur: dict[str, Any] | None = None
    for line in sanitize(text).splitlines():
        m = re.match(r"^\s*([A-Za-z][A-Za-z /-]*?)\s*:\s*(.*?)\s*$", line)
        if not m:
            continue
        key, val = m[1].lower(), m[2]
        if key == "mbr/slot-sensor":
            cur = {"name": val}
            out.append(cur)
        elif cur is not None:
            if key == "status":
                cur["status"] = val.lower()
            elif key == "current temperature":
                cur["current"] = number_in(val)
            elif key in ("high threshold", "critical threshold", "low threshold"):
                cur[key.split()[0]] = number_in(val)
    return out


_TEMP_STATUS = {"normal": SensorState.OK, "min": SensorState.WARN, "low_critical": SensorState.FAIL,
                "max": SensorState.FAIL, "critical": SensorState.FAIL, "emergency": SensorState.FAIL,
                "fault": SensorState.FAIL}


# ---------------------------------------------------------------- logs helpers
_EVENT = re.compile(
    r"^\s*(\d{4}-\d\d-\d\dT\S+)\s+\S+\s+([\w.-]+)\[\d+\]:\s+Event\|(\d+)\|(LOG_\w+)\|[^|]*\|[^|]*\|(.*)$")


def parse_events(text: str) -> list[str]:
    """`show events`: one line per event ("<stamp> <daemon> <severity>: <message>")."""
    out = []
    for line in sanitize(text).splitlines():
        m = _EVENT.match(line)
        if m:
            out.append(f"{m[1]} {m[2]} {m[4]} {m[3]}: {m[5].strip()}")
    return out


def parse_core_dumps(text: str) -> list[str]:
    """`show core-dump all`: "<daemon> core (member M, <timestamp>)" per saved core."""
    out = []
    for line in sanitize(text).splitlines():
        m = re.match(r"^\s*([\w.-]+)\s+(\d+)\s+(\d+)\s+(Yes|No)\s+(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)", line)
        if m and m[4] == "Yes":
            out.append(f"{m[1]} core (member {m[3]}, {m[5]})")
    return out


def parse_boot_history(text: str) -> str:
    """The reason the current boot began: the first `Reboot reason:` after the `Current Boot` entry."""
    text = sanitize(text)
    cur = text.find("Current Boot")
    m = re.search(r"Reboot reason:\s*(.+?)\s*$", text[cur:] if cur >= 0 else text, re.MULTILINE)
    return m.group(1) if m else ""


# ---------------------------------------------------------------- ports and optics helpers
_RUNTS = re.compile(r"^\s*Runts\s+(\d+)", re.MULTILINE)
_GIANTS = re.compile(r"^\s*Giants\s+(\d+)", re.MULTILINE)


def _blocks(text: str) -> dict[str, str]:
    """`show interface` split per interface, for the counters the template does not keep."""
    parts = re.split(r"(?m)^Interface (\S+) is ", sanitize(text))
    return {parts[i]: parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def port_states(text: str) -> list[contract.PortState]:
    rows = parse(PLATFORM_NAME, "show interface", text) or []
    blocks = _blocks(text)
    out = []
    for r in rows:
        name = _s(r, "interface")
        if not re.match(r"^\d+/\d+/\d+$", name):
            continue  # mgmt, VLAN and LAG interfaces are not front-panel ports
        link = {"up": True, "down": False}.get(_s(r, "link_status").lower())
        admin = {"up": True, "down": False}.get(_s(r, "link_admin").lower())
        speed = number_in(_s(r, "speed"))
        counters: dict[str, int] = {}
        for key, col in (("crc", "rx_crc_fcs"), ("input_errors", "rx_errors"), ("output_errors", "tx_errors"),
                         ("rx_bytes", "rx_total_bytes"), ("tx_bytes", "tx_total_bytes"),
                         ("drops_rx", "rx_dropped"), ("drops_tx", "tx_dropped")):
            if _s(r, col).isdigit():
                counters[key] = int(_s(r, col))
        body = blocks.get(name, "")
        for key, rx in (("runts", _RUNTS), ("giants", _GIANTS)):
            m = rx.search(body)
            if m:
                counters[key] = int(m.group(1))
        kind = _s(r, "if_type")
        media = "copper" if re.search(r"GbT|BASE-T", kind, re.IGNORECASE) else "" if kind in ("", "--") else "fiber"
        out.append(contract.PortState(name=name, admin_up=admin, link_up=link,
                                      speed_mbps=int(speed) if link and speed else None,
                                      duplex=_s(r, "duplex").lower() if link else "", media=media,
                                      counters=counters))
    return out


def parse_transceivers(text: str) -> list[dict[str, str]]:
    """`show interface transceiver`: port, type, product number, serial, part number."""
    out = []
    for line in sanitize(text).splitlines():
        m = re.match(r"^\s*(\d+/\d+/\d+)\s+(\S+)\s+(\S+)\s+(\S+)(?:\s+(\S+))?\s*$", line)
        if m and m[3] not in ("--", "N/A"):
            out.append({"port": m[1], "type": m[2], "pid": m[3], "serial": m[4], "part": m[5] or ""})
    return out


_DOM = (("temperature", "temperature", "temp", "C"), ("voltage", "voltage", "volt", "V"),
        ("tx_bias", "bias", "tx_bias", "mA"), ("rx_mw", "rx_power", "rx", "mW"), ("tx_mw", "tx_power", "tx", "mW"))


def judge(value: float | None, limits: tuple[float | None, ...]) -> SensorState:
    """Against the module's own (high alarm, low alarm, high warning, low warning)."""
    if value is None or any(x is None for x in limits):
        return SensorState.UNKNOWN
    hi_a, lo_a, hi_w, lo_w = limits
    assert hi_a is not None and lo_a is not None and hi_w is not None and lo_w is not None
    if value > hi_a or value < lo_a:
        return SensorState.FAIL
    if value > hi_w or value < lo_w:
        return SensorState.WARN
    return SensorState.OK


def dom_readings(row: dict[str, Any]) -> list[Reading]:
    out = []
    port = _s(row, "interface")
    for field, kind, prefix, unit in _DOM:
        raw = row.get(field)
        if isinstance(raw, list):  # per channel (QSFP lanes): the first lane's value stands for the module
            raw = raw[0] if raw else ""
        value = number_in(raw)
        if value is None:
            continue
        lim = []
        for which in ("high_alarm", "low_alarm", "high_warn", "low_warn"):
            cell = row.get(f"{prefix}_{which}_threshold")
            cell = cell[0] if isinstance(cell, list) and cell else cell
            lim.append(number_in(cell))
        state = judge(value, tuple(lim))
        detail = (f"{raw}; alarm {lim[1]:g}..{lim[0]:g}, warning {lim[3]:g}..{lim[2]:g}"
                  if None not in lim else str(raw))
        out.append(Reading(kind, f"{port} {kind}", state, value=value, unit=unit, warn_at=lim[2], fail_at=lim[0],
                           detail=detail[:200]))
    return out


def parse_poe(text: str) -> list[contract.PoePort]:
    out = []
    for line in sanitize(text).splitlines():
        m = re.match(r"^\s*(\d+/\d+/\d+)\s+(Enabled|Disabled)\s+(\S+)\s+([\d.]+)\s*W\s+(\S+)", line)
        if not m:
            continue
        word = m[3].lower()
        state = ("off" if m[2] == "Disabled" else "on" if word == "delivering"
                 else "off" if word in ("searching", "disabled", "off") else "denied" if word == "denied"
                 else "fault" if word in ("fault", "error", "overload") else "unknown")
        out.append(contract.PoePort(name=m[1], state=state, poe_class="" if m[5] == "--" else m[5],
                                    watts=float(m[4]), detail=m[3]))
    return out


# ---------------------------------------------------------------- wipe helpers
# What a factory-default AOS-CX configuration holds; anything else is the previous owner's.
_DEFAULT_LINES = [re.compile(p) for p in (
    r"^(?:Current|Startup) configuration:$", r"^!", r"^led locator on$", r"^ssh server vrf mgmt$",
    r"^https-server vrf mgmt$", r"^vlan 1$", r"^interface (?:mgmt|\d+/\d+/\d+)$", r"^no shutdown$",
    r"^vlan access 1$", r"^ip dhcp$", r"^(?:no )?routing$", r"^exit$",
)]
_FACTORY_HOSTNAME = r"^(?:switch|\d{4}[A-Z]?)$"


def config_leftovers(text: str, factory: re.Pattern[str], allowed: list[re.Pattern[str]]) -> list[str]:
    out: list[str] = []
    for raw in sanitize(text).splitlines():
        line = raw.strip()
        if not line or any(a.search(line) for a in allowed):
            continue
        m = re.match(r"^hostname\s+(\S+)", line)
        if m:
            if not factory.match(m.group(1)):
                out.append(f"hostname {m.group(1)}")
            continue
        m = re.match(r"^user\s+(\S+)", line)
        if m:
            out.append(f"user {m.group(1)}")  # never the password hash
            continue
        if re.search(r"\b(?:key|password|secret|community)\b", line):
            line = re.sub(r"\b(key|password|secret|community)\s+(?:plaintext\s+|ciphertext\s+)?\S+", r"\1 ***", line)
        if not any(p.search(line) for p in _DEFAULT_LINES):
            out.append(line[:200])
    return out


def parse_checkpoints(text: str) -> list[str]:
    if re.search(r"No checkpoint", text, re.IGNORECASE):
        return []
    return [m.group(1) for m in re.finditer(r"^(\S+)\s+(?:latest|checkpoint|startup)\s", sanitize(text),
                                            re.MULTILINE)]


def uptime_of(text: str) -> float | None:
    """The `Up Time` line of `show system` in seconds ("under a minute" is 0: ntc-templates reads no field)."""
    m = re.search(r"(?m)^Up Time\s*:\s*(.+?)\s*$", sanitize(text))
    return uptime_seconds(m.group(1)) if m else None


_uptime = uptime_poll(_read, "show system", uptime_of)


# ---------------------------------------------------------------- the platform
class AosCxPlatform:
    name = PLATFORM_NAME
    data = DATA
    identity_readers = IDENTITY_READERS

    async def identity(self, ctx: TestContext) -> contract.CliIdentity:
        out = contract.CliIdentity()
        comps: list[Component] = []
        try:
            text = await _read(ctx, "show system", fresh=True)  # fresh: burn-in follows the uptime through it
            got = read_show_system(text)
            rows = parse(self.name, "show system", text) or []
            row = rows[0] if rows else {}
            out.model, out.serial = got.model, got.serial
            out.hostname, out.os_version = _s(row, "hostname"), _s(row, "version")
            up = re.search(r"(?m)^Up Time\s*:\s*(.+?)\s*$", text)
            out.uptime = up.group(1) if up else ""
            out.uptime_seconds = uptime_of(text)
            out.problems += got.problems + ([f"show system: {got.unreadable}"] if got.unreadable else [])
            if not out.model:
                out.problems.append("'show system' names no product number")
            comps += got.components
        except (Refused, ParseError) as exc:
            out.problems.append(str(exc))
        try:
            members = vsf_members(await _read(ctx, "show vsf detail"))
            if len(members) > 1:  # a stack: every member is a chassis with its own serial
                comps = [c for c in comps if c.kind is not ComponentKind.CHASSIS] + members
        except Refused as exc:
            if "rejected" not in str(exc):  # a model without VSF (6100, 8320) refuses the command
                out.problems.append(str(exc))
        chassis_serials = {c.serial for c in comps if c.kind is ComponentKind.CHASSIS}
        try:
            rows = parse(self.name, "show module", await _read(ctx, "show module")) or []
            comps += [c for c in module_components(rows) if c.serial not in chassis_serials]
        except (Refused, ParseError) as exc:
            out.problems.append(str(exc))
        comps += await self._frus(ctx, out.problems)
        out.components = comps
        logs = await self.logs(ctx, fresh=False)
        out.reload_reason = logs.reload_reason
        return out

    async def _frus(self, ctx: TestContext, problems: list[str]) -> list[Component]:
        comps: list[Component] = []
        try:
            for p in parse_psus(await _read(ctx, "show environment power-supply")):
                if p["pid"] and p["pid"] != "N/A":
                    comps.append(Component(ComponentKind.PSU, f"Power Supply {p['name']}", pid=p["pid"].upper(),
                                           serial="" if p["serial"] == "N/A" else p["serial"].upper(),
                                           descr=f"{p['pid']} Power Supply", source="cli"))
        except Refused as exc:
            problems.append(str(exc))
        try:
            trays: set[str] = set()
            for f in parse_fans(await _read(ctx, "show environment fan")):
                if f["pid"] != "N/A" and f["serial"] != "N/A":
                    if f["serial"] not in trays:  # a tray holds several fans: one part
                        trays.add(f["serial"])
                        comps.append(Component(ComponentKind.FAN, f"Fan tray {f['name'].split('/')[0]}",
                                               pid=f["pid"].upper(), serial=f["serial"].upper(),
                                               descr=f"{f['pid']} Fan Tray", source="cli"))
                else:
                    comps.append(Component(ComponentKind.FAN, f"Fan {f['name']}", descr="Fan", source="cli"))
        except Refused as exc:
            problems.append(str(exc))
        try:
            for t in parse_transceivers(await _read(ctx, "show interface transceiver")):
                comps.append(Component(ComponentKind.OPTIC, f"Transceiver {t['port']}", pid=t["pid"].upper(),
                                       serial=t["serial"].upper(), descr=t["type"], source="cli"))
        except Refused as exc:
            problems.append(str(exc))
        return comps

    # ------------------------------------------------------------ environment
    async def environment(self, ctx: TestContext) -> contract.Environment:
        env = contract.Environment()
        try:
            psus = await read_rows(ctx, _read, "show environment power-supply", parse_psus, "supply")
            for p in psus:
                name = f"Power Supply {p['name']}"
                word = p["status"].lower()
                if word in ("absent", "not present", "empty"):
                    env.absent.append(name)
                    continue
                state = (SensorState.OK if word == "ok" else SensorState.WARN if "warn" in word
                         else SensorState.FAIL if re.search(r"fault|fail|input|output|error", word)
                         else SensorState.UNKNOWN)
                env.readings.append(Reading("psu", name, state, value=number_in(p["watts"]), unit="W max",
                                            detail=p["status"]))
        except Refused as exc:
            unreadable(env, exc, ("psu", "power supplies"))
        try:
            fans = await read_rows(ctx, _read, "show environment fan", parse_fans, "fan")
            for f in fans:
                word = f["status"]
                if word in ("absent", "not present", "empty"):
                    env.absent.append(f"Fan {f['name']}")
                    continue
                state = (SensorState.OK if word == "ok" else SensorState.FAIL if re.search(r"fault|fail", word)
                         else SensorState.WARN if word in ("slow", "warning") else SensorState.UNKNOWN)
                env.readings.append(Reading("fan", f"Fan {f['name']}", state, value=number_in(f["rpm"]), unit="RPM",
                                            detail=word))
        except Refused as exc:
            unreadable(env, exc, ("fan", "fans"))
        try:
            temps = await read_rows(ctx, _read, "show environment temperature detail", parse_temperatures, "sensor")
            for t in temps:
                state = _TEMP_STATUS.get(t.get("status", ""), SensorState.UNKNOWN)
                value, high = t.get("current"), t.get("high")
                if state is SensorState.OK and value is not None and high is not None and value >= high:
                    state = SensorState.FAIL  # the unit's own threshold, should its status lag
                env.readings.append(Reading("temperature", t["name"], state, value=value, unit="C",
                                            fail_at=high, detail=f"status {t.get('status', '?')}"))
        except Refused as exc:
            unreadable(env, exc, ("temperature", "temperatures"))
        return env

    # ------------------------------------------------------------ logs
    async def logs(self, ctx: TestContext, fresh: bool = True) -> contract.LogEvidence:
        ev = contract.LogEvidence()
        try:
            ev.lines = parse_events(await _read(ctx, "show events", fresh=fresh))
        except Refused as exc:
            ev.problems.append(str(exc))
        try:
            ev.crash_files = parse_core_dumps(await _read(ctx, "show core-dump all", fresh=fresh))
        except Refused as exc:
            ev.problems.append(str(exc))
        try:
            ev.reload_reason = parse_boot_history(await _read(ctx, "show boot-history", fresh=fresh))
        except Refused as exc:
            ev.problems.append(str(exc))
        return ev

    # ------------------------------------------------------------ ports
    async def ports(self, ctx: TestContext) -> contract.Ports:
        out = contract.Ports()
        try:
            out.ports = port_states(await _read(ctx, "show interface", fresh=True, timeout=60))
            if not out.ports:
                out.problems.append("'show interface' listed no front-panel port")
        except (Refused, ParseError) as exc:
            out.problems.append(str(exc))
        return out

    async def link_states(self, ctx: TestContext) -> contract.Ports:
        out = contract.Ports()
        try:
            text = await _read(ctx, "show interface brief", fresh=True)
        except Refused as exc:
            out.problems.append(str(exc))
            return out
        for line in sanitize(text).splitlines():
            m = re.match(r"^\s*(\d+/\d+/\d+)\s+\S+\s+\S+\s+\S+\s+(yes|no)\s+(up|down)\b", line)
            if m:
                out.ports.append(contract.PortState(name=m[1], admin_up=m[2] == "yes", link_up=m[3] == "up"))
        return out

    # ------------------------------------------------------------ poe
    async def poe(self, ctx: TestContext) -> contract.Poe:
        # A model without PoE (8320, 6300M non-PoE) refuses the command outright.
        return await poe_table(ctx, _read, "show power-over-ethernet", parse_poe)

    # ------------------------------------------------------------ optics
    async def optics(self, ctx: TestContext) -> contract.Optics:
        out = contract.Optics()
        try:
            parts = {t["port"]: t for t in parse_transceivers(await _read(ctx, "show interface transceiver",
                                                                           fresh=True))}
            rows = parse(self.name, "show interface dom detail",
                         await _read(ctx, "show interface dom detail", fresh=True)) or []
        except (Refused, ParseError) as exc:
            out.problems.append(str(exc))
            return out
        by_port = {_s(r, "interface"): r for r in rows}
        for port, t in parts.items():
            optic = contract.Optic(port=port, pid=t["pid"].upper(), serial=t["serial"].upper())
            if port in by_port:
                optic.readings = dom_readings(by_port[port])
            out.add(optic)
        return out

    # ------------------------------------------------------------ wipe
    async def wipe(self, ctx: TestContext) -> contract.WipeReport:
        rep = contract.WipeReport()
        rep.verified["method"] = WIPE_METHOD
        shown = await run_classified(ctx, DATA, "show system", fresh=True, timeout=20)
        before = uptime_of(shown.text) if shown.ok else None
        if before is None:  # never wipe blind: an unreachable CLI (unknown password) would be waited on for an hour
            why = shown.problem or "no uptime"
            rep.problems.append(f"nothing wiped: the CLI did not answer 'show system' ({why})"
                                + (f"; {RECOVERY}" if "AuthFailed" in why else ""))
            return rep
        command = "\n".join(WIPE_SCRIPT)
        shown = await send_classified(ctx.cli, DATA, command, timeout=30)
        text = shown.text if shown.kind != "lost" else f"(session ended: {shown.error[:200]})"
        if shown.rejected:
            rep.problems.append(f"'erase all zeroize' rejected: {shown.rejected}")
        rep.steps.append({"command": command.replace("\n", "; "), "output": text[:2000]})
        if not await come_back(ctx, DATA, rep, _uptime, before, "erase all zeroize", forget="show system",
                               same_is_restart=False):
            return rep
        ctx.cache.clear()
        return rep

    async def verify_wiped(self, ctx: TestContext) -> contract.WipeReport:
        rep = contract.WipeReport()
        factory, allowed = config_rules(ctx.params, _FACTORY_HOSTNAME)
        rep.verified["channel"] = getattr(ctx.cli, "kind", "cli")
        for command, label in (("show startup-config", "startup_config"), ("show running-config", "running_config")):
            try:
                text = await _read(ctx, command, fresh=True, timeout=60)
            except Refused as exc:
                rep.problems.append(str(exc))
                continue
            if not re.search(r"^(?:Current|Startup) configuration:|^!Version", text, re.MULTILINE):
                rep.problems.append(f"{command!r}: no configuration in the output")
                continue
            leftovers = config_leftovers(text, factory, allowed)
            rep.verified[label] = "factory default" if not leftovers else leftovers
            rep.remaining += [f"{label}: {x}" for x in leftovers if f"startup_config: {x}" not in rep.remaining]
        try:
            checkpoints = parse_checkpoints(await _read(ctx, "show checkpoint", fresh=True))
            # AOS-CX keeps configurations as checkpoints, not files: they are what the owner could leave behind.
            rep.verified["flash_files"] = checkpoints
            rep.remaining += [f"checkpoint {c}" for c in checkpoints]
        except Refused as exc:
            rep.problems.append(str(exc))
        return rep


PLATFORM = AosCxPlatform()
