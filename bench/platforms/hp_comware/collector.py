"""HPE/H3C Comware 5 and 7 collector: 5130, A5500, 5900, 5940, H3C S5560 and kin.

ntc-templates parses `display device manuinfo` and `display interface brief`; `display version`, fans, power,
temperatures, the log buffer, transceivers, PoE and the per-port counters have no template and are read by
hand here. Comware prints a refused command as a caret under the word and " % Unrecognized command found
at '^' position." (platform.yaml). netmiko's "enable" on Comware is system view (`[HPE]`): display commands
run in every view, file commands (`dir`, `delete`, `reset saved-configuration`, `reboot`) only in user view,
so those are preceded by `return`.
"""

from __future__ import annotations

import re
from typing import Any

from bench.drivers.parsing import ParseError, parse, sanitize
from bench.model import Component, ComponentKind, Reading, SensorState
from bench.platforms import contract
from bench.platforms.cli import Refused, command_reader, read_rows, send_classified
from bench.platforms.data import PlatformData, package_data
from bench.platforms.identity_readers import IdentityRead, _component
from bench.platforms.poe import poe_table
from bench.platforms.sensors import number_in, unreadable
from bench.platforms.wipe import come_back, uptime_poll
from bench.tests_hw.base import TestContext

DATA = package_data(__file__)
PLATFORM_NAME = DATA.name
_NUM = re.compile(r"-?\d+(?:\.\d+)?")
# HPE product numbers (JG932A, JL685A, R9L62A, JQ077A) inside a DEVICE_NAME or a `PRODUCT ID` line.
_PRODUCT_NUMBER = re.compile(r"\b((?:J[A-Z]|JQ)\d{3}[A-Z]|R[0-9][A-Z][0-9]{2}A)\b")
_UNIT = {"week": 604_800, "day": 86_400, "hour": 3_600, "minute": 60, "second": 1}


def strip_echo(text: str, command: str) -> str:
    """netmiko's Comware and VRP drivers do not wait for the command's echo (global_cmd_verify off): a reply may
    begin with the prompt and the command typed, which no template expects."""
    lines = text.split("\n")
    while lines and (not lines[0].strip() or re.fullmatch(
            rf"\s*(?:(?:RBM|HRP)_.)?[<\[][^\n]{{1,80}}[>\]]\s*{re.escape(command)}\s*", lines[0])):
        lines.pop(0)
    return "\n".join(lines)


_read = command_reader(DATA, tidy=strip_echo)


async def _user_view(ctx: TestContext) -> None:
    """File and reboot commands exist only in user view; the session sits in system view."""
    if ctx.cli is not None:
        await send_classified(ctx.cli, DATA, "return", timeout=15)


def uptime_seconds(text: str) -> float | None:
    """`0 weeks, 1 day, 3 hours, 2 minutes` (Comware and VRP) in seconds; None when it says nothing."""
    total, seen = 0, False
    for n, unit in re.findall(r"(\d+)\s*(week|day|hour|minute|second)s?", text.lower()):
        total += int(n) * _UNIT[unit]
        seen = True
    return float(total) if seen else None


# ---------------------------------------------------------------- identity
def version_facts(text: str) -> dict[str, str]:
    """`display version`: software version, the unit's long name, uptime and last reboot reason."""
    out = {"version": "", "name": "", "uptime": "", "reload_reason": ""}
    m = re.search(r"Comware Software,? Version ([\d.]+,? Release \w+)", text)
    if m:
        out["version"] = m.group(1)
    m = re.search(r"(?m)^(.*?)\s+uptime is\s+(.+?)\s*$", text)
    if m:
        out["name"], out["uptime"] = m.group(1).strip(), m.group(2)
    m = re.search(r"(?m)^Last reboot reason\s*:\s*(.+?)\s*$", text) or re.search(
        r"(?m)^Reboot Cause\s*:\s*(.+?)\s*$", text)
    if m:
        out["reload_reason"] = m.group(1)
    return out


def model_from_name(name: str, product: str = "") -> str:
    """The model a DEVICE_NAME names: HPE's product number when it carries one, else the name itself."""
    if product and _PRODUCT_NUMBER.fullmatch(product.strip()):
        return product.strip()
    m = _PRODUCT_NUMBER.search(name)
    return m.group(1) if m else name.strip()


def _manuinfo_rows(text: str, out: IdentityRead) -> list[dict[str, Any]]:
    try:
        rows = parse("hp_comware", "display device manuinfo", text) or []
    except ParseError as exc:
        out.problems.append(str(exc))
        return []
    return [r for r in rows
            if str(r.get("device_name") or "").strip() or str(r.get("device_serial_number") or "").strip()]


def read_manuinfo(text: str) -> IdentityRead:
    """`display device manuinfo`: the unit (the chassis, else the first slot: a fixed switch is "Slot 1 CPU 0"),
    IRF members (further slots of the same device), cards, fans and power supplies with their serials."""
    out = IdentityRead()
    rows = _manuinfo_rows(sanitize(text), out)
    if not rows:
        return out
    unit = next((r for r in rows if str(r.get("slot_type", "")).lower() == "chassis"), None)
    if unit is None and re.search(r"Only new chassis support this command", text):
        unit = {}  # a Comware 5 chassis that will not name itself: its slots are cards, not the unit
    elif unit is None:
        unit = next((r for r in rows if str(r.get("slot_type", "")).lower() in ("slot", "")), rows[0])
    products = re.findall(r"(?m)^\s*PRODUCT (?:ID|NUMBER)\s*:\s*(\S+)", text)
    name = str(unit.get("device_name") or "").strip()
    out.model = model_from_name(name, products[0] if products else "") if name else ""
    out.take_serial(str(unit.get("device_serial_number") or ""), "display device manuinfo")
    members = 0
    for r in rows:
        rname = str(r.get("device_name") or "").strip()
        kind_word = str(r.get("slot_type", "")).lower()
        where = f"{r.get('slot_type') or 'Unit'} {r.get('slot_id') or ''}".strip()
        if r is unit or (kind_word == "slot" and rname == name):
            members += 1
            kind = ComponentKind.CHASSIS
            where = f"Slot {r.get('slot_id') or members}" if kind_word != "chassis" else "Chassis"
        elif kind_word == "fan":
            kind = ComponentKind.FAN
        elif kind_word == "power":
            kind = ComponentKind.PSU
        else:
            kind = ComponentKind.MODULE
        pid = model_from_name(rname) if rname.upper() not in ("NONE", "") else ""
        out.components.append(_component(kind, where, pid, str(r.get("device_serial_number") or ""), rname))
    return out


def read_version(text: str) -> IdentityRead:
    out = IdentityRead()
    facts = version_facts(sanitize(text))
    m = _PRODUCT_NUMBER.search(re.search(r"(?m)^Release Version:.*$", text).group(0)) if re.search(
        r"(?m)^Release Version:.*$", text) else None
    out.model = m.group(1) if m else re.sub(r"^(?:HPE?|H3C)\s+", "", facts["name"]).split(" with ")[0]
    return out


# ---------------------------------------------------------------- environment parsers
def parse_fans(text: str) -> list[dict[str, str]]:
    """`display fan`: `Fan 1:` then `State    : Normal` (Comware 7) or `Fan 1 State: Normal` (Comware 5)."""
    out: list[dict[str, str]] = []
    slot, cur = "1", None
    for line in sanitize(text).splitlines():
        m = re.match(r"\s*(?:Slot|Unit)\s+(\d+)", line)
        if m:
            slot = m.group(1)
        m = re.match(r"\s*Fan\s+(\d+)\s*:?\s*(?:State\s*:\s*(\S.*?))?\s*$", line)
        if m:
            cur = {"name": f"Slot {slot} Fan {m.group(1)}", "state": (m.group(2) or "").strip()}
            out.append(cur)
            continue
        m = re.match(r"\s*State\s*:\s*(\S.*?)\s*$", line)
        if m and cur is not None and not cur["state"]:
            cur["state"] = m.group(1)
    return out


def parse_power(text: str) -> list[dict[str, Any]]:
    """`display power`: `PowerID State Mode Current(A) Voltage(V) Power(W)` rows per slot."""
    out, slot = [], "1"
    for line in sanitize(text).splitlines():
        m = re.match(r"\s*Slot\s+(\d+)", line)
        if m:
            slot = m.group(1)
            continue
        m = re.match(r"\s*(\d+)\s+(Normal|Absent|Fault|Abnormal|Failed|NotSupply|Not\s+Supply|\S+)\s+(\S+)\s+\S+\s+\S+"
                     r"\s+(\S+)\s*$", line)
        if m:
            out.append({"name": f"Slot {slot} Power {m.group(1)}", "state": m.group(2), "watts": number_in(m.group(4))})
    return out


def parse_temperatures(text: str) -> list[dict[str, Any]]:
    """`display environment`: `Slot Sensor Temperature Lower Warning Alarm Shutdown` rows (Comware 7), or the
    Comware 5 table `Slot  Current  Lower  Upper` / `Temperature  Lower limit  Upper limit`."""
    out = []
    for line in sanitize(text).splitlines():
        m = re.match(r"\s*(\d+)\s+(\S+(?: \d+)?)\s+(-?\d+)\s+(-?\d+)\s+(-?\d+)\s+(-?\d+|NA)\s+(-?\d+|NA)\s*$", line)
        if m:
            out.append({"name": f"Slot {m.group(1)} {m.group(2)}", "current": float(m.group(3)),
                        "warning": float(m.group(5)), "alarm": number_in(m.group(6))})
            continue
        m = re.match(r"\s*(\d+)\s+(-?\d+)\s+(-?\d+)\s+(-?\d+)\s*$", line)
        if m:  # Comware 5: slot, current, lower, upper (the upper limit alarms)
            out.append({"name": f"Slot {m.group(1)}", "current": float(m.group(2)), "warning": None,
                        "alarm": float(m.group(4))})
    return out


# ---------------------------------------------------------------- logs
_LOG = re.compile(r"^%?(\w{3}\s+\d+\s+[\d:]+(?::\d+)?\s+\d{4})\s+(\S+)\s+(\w+)/(\d)/(\w+)(?:\([^)]*\))?:\s*(.*)$")


def parse_log(text: str) -> list[str]:
    """Log buffer entries, one string each (a wrapped message joined to its entry)."""
    lines: list[str] = []
    for raw in sanitize(text).splitlines():
        if _LOG.match(raw.strip()):
            lines.append(raw.strip())
        elif lines and raw.strip() and not re.match(r"\s*(Log buffer|Max buffer|Actual buffer|Dropped|Overwritten|"
                                                    r"Current messages)", raw):
            lines[-1] += " | " + raw.strip()
    return lines


def parse_core_files(text: str) -> list[str]:
    return re.findall(r"(?m)\s(\S+\.core)\s*$", sanitize(text))


# ---------------------------------------------------------------- ports
_COUNTERS = {
    "input_errors": r"Input:\s+(\d+) input errors", "runts": r"(\d+) runts", "giants": r"(\d+) giants",
    "crc": r"(\d+) CRC", "output_errors": r"Output:\s+(\d+) output errors", "collisions": r"(\d+) collisions",
    "late_collisions": r"(\d+) late collisions", "rx_bytes": r"Input \(total\):\s+\d+ packets, (\d+) bytes",
    "tx_bytes": r"Output \(total\):\s+\d+ packets, (\d+) bytes",
}


def parse_port_counters(text: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for key, pattern in _COUNTERS.items():
        m = re.search(pattern, text)
        if m:
            out[key] = int(m.group(1))
    return out


_SHORT = {"XGE": "Ten-GigabitEthernet", "GE": "GigabitEthernet", "FGE": "FortyGigE", "HGE": "HundredGigE",
          "WGE": "TwentyFiveGigE", "M-GE": "M-GigabitEthernet"}


def long_name(short: str) -> str:
    m = re.match(r"([A-Za-z-]+)(\d.*)", short)
    if not m:
        return short
    return _SHORT.get(m.group(1).upper(), m.group(1)) + m.group(2)


def port_from_brief(row: dict[str, Any]) -> contract.PortState:
    link = str(row.get("link", "")).upper()
    speed_txt = str(row.get("speed", ""))
    m = re.match(r"(\d+)([GM])", speed_txt)
    speed = int(m.group(1)) * (1000 if m.group(2) == "G" else 1) if m and link == "UP" else None
    duplex = {"F": "full", "H": "half"}.get(str(row.get("duplex", ""))[:1], "") if link == "UP" else ""
    name = long_name(str(row.get("interface", "")))
    return contract.PortState(name=name, admin_up=link != "ADM", link_up={"UP": True, "DOWN": False,
                                                                          "ADM": False}.get(link),
                              speed_mbps=speed, duplex=duplex,
                              media="copper" if name.startswith("GigabitEthernet") and "/0/" in name else "")


# ---------------------------------------------------------------- optics
def transceiver_blocks(text: str, kind: str) -> dict[str, list[str]]:
    """Lines of each `<port> transceiver <kind> information:` block, by port."""
    out: dict[str, list[str]] = {}
    cur: list[str] | None = None
    for line in sanitize(text).splitlines():
        m = re.match(rf"\s*(\S+) transceiver {kind}", line)
        if m:
            cur = out.setdefault(m.group(1), [])
            continue
        if cur is not None:
            cur.append(line)
    return out


def _field(lines: list[str], label: str) -> str:
    for line in lines:
        m = re.match(rf"\s*{label}\s*:\s*(.*?)\s*$", line)
        if m:
            return m.group(1)
    return ""


_DOM_KINDS = (("temperature", "C"), ("voltage", "V"), ("bias", "mA"), ("rx_power", "dBm"), ("tx_power", "dBm"))


def dom_readings(port: str, lines: list[str]) -> list[Reading]:
    """Current values against the module's alarm and warning thresholds (High/Low rows after each heading)."""
    current: list[float] = []
    limits: dict[str, dict[str, list[float]]] = {"alarm": {}, "warning": {}}
    section = ""
    for line in lines:
        low = line.strip().lower()
        if low.startswith("current diagnostic"):
            section = "current"
        elif low.startswith("alarm thresholds"):
            section = "alarm"
        elif low.startswith("warning thresholds"):
            section = "warning"
        elif section == "current" and re.match(r"\s*-?\d", line):
            current = [float(x) for x in _NUM.findall(line)]
        elif section in limits and re.match(r"\s*(High|Low)\b", line):
            limits[section][line.split()[0].lower()] = [float(x) for x in _NUM.findall(line)]
    out: list[Reading] = []
    for i, (kind, unit) in enumerate(_DOM_KINDS):
        value = current[i] if i < len(current) else None
        try:
            ha, la = limits["alarm"]["high"][i], limits["alarm"]["low"][i]
        except (KeyError, IndexError):
            out.append(Reading(kind, f"{port} {kind}", SensorState.UNKNOWN, value=value, unit=unit,
                               detail="no alarm thresholds"))
            continue
        hw = limits["warning"].get("high", [None] * 5)[i] if limits["warning"].get("high") else None
        lw = limits["warning"].get("low", [None] * 5)[i] if limits["warning"].get("low") else None
        if value is None:
            state = SensorState.UNKNOWN
        elif value > ha or value < la:
            state = SensorState.FAIL
        elif (hw is not None and value > hw) or (lw is not None and value < lw):
            state = SensorState.WARN
        else:
            state = SensorState.OK
        detail = f"alarm {la:g}..{ha:g}" + (f", warning {lw:g}..{hw:g}" if hw is not None and lw is not None else "")
        out.append(Reading(kind, f"{port} {kind}", state, value=value, unit=unit, warn_at=hw, fail_at=ha,
                           detail=detail))
    return out


# ---------------------------------------------------------------- PoE
def parse_poe(text: str) -> list[contract.PoePort]:
    out = []
    for line in sanitize(text).splitlines():
        m = re.match(r"\s*(\S+\d)\s+(enabled|disabled)\s+\S+\s+([\d.]+)\s+(\S+)\s+(\S+)\s+(.*?)\s*$", line)
        if not m:
            continue
        op, detection = m.group(4).lower(), m.group(6)
        state = ("off" if m.group(2) == "disabled" else "on" if op == "on" else
                 "fault" if re.search(r"fault|overload|short|error", f"{op} {detection}", re.I) else
                 "denied" if "denied" in detection.lower() else "off")
        out.append(contract.PoePort(name=long_name(m.group(1)), state=state, poe_class=m.group(5),
                                    watts=float(m.group(3)), detail=detection[:80]))
    return out


# ---------------------------------------------------------------- the platform
class ComwarePlatform:
    name = PLATFORM_NAME
    data = DATA
    identity_readers = {"display device manuinfo": read_manuinfo, "display version": read_version}

    async def identity(self, ctx: TestContext) -> contract.CliIdentity:
        out = contract.CliIdentity()
        try:
            facts = version_facts(await _read(ctx, "display version", fresh=True))
            out.os_version, out.uptime, out.reload_reason = facts["version"], facts["uptime"], facts["reload_reason"]
            out.uptime_seconds = uptime_seconds(facts["uptime"])
            if not facts["version"]:
                out.problems.append("'display version' names no Comware version")
        except Refused as exc:
            out.problems.append(str(exc))
        try:
            got = read_manuinfo(await _read(ctx, "display device manuinfo"))
            out.model, out.serial, out.components = got.model, got.serial, got.components
            out.problems += got.problems + ([got.unreadable] if got.unreadable else [])
            if not got.model:
                out.problems.append("'display device manuinfo' names no unit")
        except Refused as exc:
            out.problems.append(str(exc))
        out.hostname = await self._sysname(ctx)
        info = dict(await self._transceivers(ctx, "", out.problems))
        for port, lines in await self._transceivers(ctx, "manufacture", out.problems):
            out.components.append(Component(ComponentKind.OPTIC, f"Transceiver {port}",
                                            pid=_field(info.get(port, []), "Ordering Name"),
                                            serial=_field(lines, r"Manu\. Serial Number").upper(),
                                            descr=_field(info.get(port, []), "Transceiver Type"), source="cli"))
        return out

    async def _sysname(self, ctx: TestContext) -> str:
        try:
            m = re.search(r"(?m)^\s*sysname\s+(\S+)", await _read(ctx, "display current-configuration"))
            return m.group(1) if m else ""
        except Refused:
            return ""

    async def _transceivers(self, ctx: TestContext, kind: str, problems: list[str]) -> list[tuple[str, list[str]]]:
        command = {"manufacture": "display transceiver manuinfo interface", "diagnostic":
                   "display transceiver diagnosis interface"}.get(kind, "display transceiver interface")
        try:
            text = await _read(ctx, command, fresh=kind == "diagnostic")
        except Refused as exc:
            problems.append(str(exc))
            return []
        return list(transceiver_blocks(text, kind or "information").items())

    # ------------------------------------------------------------ environment
    async def environment(self, ctx: TestContext) -> contract.Environment:
        env = contract.Environment()
        try:
            fans = await read_rows(ctx, _read, "display fan", parse_fans, "fan")
            for f in fans:
                st = f["state"].lower()
                if st == "absent":
                    env.absent.append(f["name"])
                    continue
                verdict = SensorState.OK if st == "normal" else SensorState.FAIL if re.search(
                    r"fault|fail|abnormal|stop", st) else SensorState.UNKNOWN
                env.readings.append(Reading("fan", f["name"], verdict, detail=f["state"] or "no state"))
        except Refused as exc:
            unreadable(env, exc, ("fan", "fans"))
        try:
            psus = await read_rows(ctx, _read, "display power", parse_power, "supply")
            for p in psus:
                st = p["state"].lower()
                if st == "absent":
                    env.absent.append(p["name"])
                    continue
                verdict = SensorState.OK if st == "normal" else SensorState.FAIL if re.search(
                    r"fault|fail|abnormal|notsupply|not supply", st) else SensorState.UNKNOWN
                env.readings.append(Reading("psu", p["name"], verdict, value=p["watts"], unit="W", detail=p["state"]))
        except Refused as exc:
            unreadable(env, exc, ("psu", "power supplies"))
        try:
            temps = await read_rows(ctx, _read, "display environment", parse_temperatures, "sensor")
            for t in temps:
                alarm, warning, cur = t["alarm"], t["warning"], t["current"]
                state = (SensorState.FAIL if alarm is not None and cur >= alarm else
                         SensorState.WARN if warning is not None and cur >= warning else SensorState.OK)
                env.readings.append(Reading("temperature", t["name"], state, value=cur, unit="C", warn_at=warning,
                                            fail_at=alarm, detail=f"warning {warning}, alarm {alarm} (the unit's own)"))
        except Refused as exc:
            unreadable(env, exc, ("temperature", "temperatures"))
        return env

    # ------------------------------------------------------------ logs
    async def logs(self, ctx: TestContext) -> contract.LogEvidence:
        ev = contract.LogEvidence()
        try:
            ev.lines = parse_log(await _read(ctx, "display logbuffer", fresh=True))
        except Refused as exc:
            ev.problems.append(str(exc))
        try:
            ev.reload_reason = version_facts(await _read(ctx, "display version"))["reload_reason"]
            if not ev.reload_reason:  # Comware 5 keeps it apart: "The rebooting type this time is: Cold"
                m = re.search(r"rebooting type this time is\s*:\s*(\S+)", await _read(ctx, "display reboot-type"))
                ev.reload_reason = f"{m.group(1)} reboot" if m else ""
        except Refused as exc:
            ev.problems.append(str(exc))
        await _user_view(ctx)
        try:
            ev.crash_files = [f"flash:/core/{f}" for f in parse_core_files(
                await _read(ctx, "dir flash:/core/", fresh=True))]
        except Refused as exc:
            ev.problems.append(str(exc))
        return ev

    # ------------------------------------------------------------ ports
    async def link_states(self, ctx: TestContext) -> contract.Ports:
        out = contract.Ports()
        try:
            rows = parse(self.name, "display interface brief",
                         await _read(ctx, "display interface brief", fresh=True)) or []
        except (Refused, ParseError) as exc:
            out.problems.append(str(exc))
            return out
        out.ports = [port_from_brief(r) for r in rows if re.match(r"(?:XGE|GE|FGE|HGE|WGE)\d", str(r.get("interface")))]
        return out

    async def ports(self, ctx: TestContext) -> contract.Ports:
        out = await self.link_states(ctx)
        for port in out.ports:
            try:
                text = await _read(ctx, f"display interface {port.name}", fresh=True)
            except Refused as exc:
                out.problems.append(f"port {port.name}: {exc}")
                continue
            port.counters = parse_port_counters(text)
            m = re.search(r"(?m)^Current state:\s*(.+?)\s*$", text)
            if m:
                port.link_up = m.group(1).upper() == "UP"
                port.admin_up = "ADMINISTRATIVELY" not in m.group(1).upper()
            if "twisted pair" in text:
                port.media = "copper"
            elif "optical" in text:
                port.media = "fiber"
            if not port.counters:
                out.problems.append(f"port {port.name}: no counters in 'display interface {port.name}'")
        if not out.ports and not out.problems:
            out.problems.append("'display interface brief' listed no port")
        return out

    # ------------------------------------------------------------ poe
    async def poe(self, ctx: TestContext) -> contract.Poe:
        # A unit without PoE has no `poe` keyword at all: the command is refused.
        return await poe_table(ctx, _read, "display poe interface", parse_poe)

    # ------------------------------------------------------------ optics
    async def optics(self, ctx: TestContext) -> contract.Optics:
        out = contract.Optics()
        info = dict(await self._transceivers(ctx, "", out.problems))
        manu = dict(await self._transceivers(ctx, "manufacture", out.problems))
        for port, lines in await self._transceivers(ctx, "diagnostic", out.problems):
            optic = contract.Optic(port=port, pid=_field(info.get(port, []), "Ordering Name"),
                                   serial=_field(manu.get(port, []), r"Manu\. Serial Number").upper(),
                                   readings=dom_readings(port, lines))
            if not any(r.state is not SensorState.UNKNOWN for r in optic.readings):
                out.problems.append(f"optic in {port}: no DOM readings")
            out.optics.append(optic)
        return out

    # ------------------------------------------------------------ wipe
    async def wipe(self, ctx: TestContext) -> contract.WipeReport:
        """`restore factory-default` where the release has it (Comware 7: configuration files and operation data,
        the vendor's most thorough reset), else `reset saved-configuration` and `delete /unreserved` of every
        other .cfg file; then `reboot` without saving. WipeReport.verified["method"] says which ran."""
        rep = contract.WipeReport()
        before = await _uptime(ctx)
        if before is None:  # no CLI to wipe through (credentials refused, session lost): nothing was done
            rep.problems.append("the unit's CLI did not answer 'display version': no wipe attempted")
            return rep
        await _user_view(ctx)
        restored = await dialog(ctx, rep, "restore factory-default", ["Y"])
        if restored and "Done" in restored:
            rep.verified["method"] = "restore factory-default"
        else:
            rep.problems = [p for p in rep.problems if "restore factory-default" not in p]
            rep.verified["method"] = "reset saved-configuration + delete /unreserved"
            await dialog(ctx, rep, "reset saved-configuration", ["Y"])
            try:  # other saved configurations, and core dumps (process memory: may hold the owner's settings)
                names = config_files(await _read(ctx, "dir", fresh=True))
                names += [f"core/{n}" for n in parse_core_files(await _read(ctx, "dir flash:/core/", fresh=True))]
                for name in names:
                    await dialog(ctx, rep, f"delete /unreserved flash:/{name}", ["Y"])
            except Refused as exc:
                rep.problems.append(str(exc))
        await dialog(ctx, rep, "reboot", ["N", "Y"], drop=True)
        if not await come_back(ctx, DATA, rep, _uptime, before, "the reboot"):
            return rep
        ctx.cache.clear()  # everything read before the reboot is stale
        return rep

    async def verify_wiped(self, ctx: TestContext) -> contract.WipeReport:
        rep = contract.WipeReport()
        rep.verified["channel"] = getattr(ctx.cli, "kind", "cli")
        factory = re.compile(ctx.params.get("factory_hostname", r"^(?:HPE?|H3C|Comware)$"))
        allowed = [re.compile(p) for p in ctx.params.get("allowed_config", [])]
        try:
            text = await _read(ctx, "display startup", fresh=True)
            m = re.search(r"Next main startup saved-configuration file:\s*(\S+)", text) or re.search(
                r"Next startup saved-configuration file:\s*(\S+)", text)
            if m is None:
                rep.problems.append("'display startup' names no next startup configuration")
            else:
                rep.verified["startup_config"] = "none (factory default)" if m.group(1).upper() == "NULL" \
                    else m.group(1)
                if m.group(1).upper() != "NULL":
                    rep.remaining.append(f"startup configuration {m.group(1)}")
        except Refused as exc:
            rep.problems.append(str(exc))
        try:
            left = config_leftovers(await _read(ctx, "display current-configuration", fresh=True), factory, allowed)
            rep.verified["running_config"] = "factory default" if not left else left
            rep.remaining += [f"running_config: {x}" for x in left]
        except Refused as exc:
            rep.problems.append(str(exc))
        await _user_view(ctx)
        try:
            files = config_files(await _read(ctx, "dir", fresh=True))
            rep.verified["flash_files"] = files or "no configuration files"
            rep.remaining += [f"flash:/{f}" for f in files]
            cores = parse_core_files(await _read(ctx, "dir flash:/core/", fresh=True))
            rep.remaining += [f"flash:/core/{f}" for f in cores]
        except Refused as exc:
            rep.problems.append(str(exc))
        return rep


PLATFORM = ComwarePlatform()


# ---------------------------------------------------------------- wipe helpers
def config_files(dir_text: str) -> list[str]:
    """Configuration files (.cfg, .mdb binary twins) in a `dir` listing: the previous owner's settings."""
    return re.findall(r"(?m)^\s*\d+\s+-\S+\s+[\d,]+\s+.*?\s(\S+\.(?:cfg|mdb))\s*$", sanitize(dir_text))


# Lines of a factory-default Comware configuration (what every unit carries before anyone configures it).
_DEFAULT = [re.compile(p) for p in (
    r"^#$", r"^version ", r"^sysname ", r"^password-recovery enable$", r"^vlan 1$", r"^interface \S+$",
    r"^port link-mode (?:bridge|route)$", r"^scheme login$", r"^line (?:vty|class|aux|con) ", r"^authentication-mode ",
    r"^user-role network-(?:admin|operator)$", r"^ssh server enable$", r"^return$", r"^local-user admin class manage$",
    r"^password hash ", r"^service-type ", r"^authorization-attribute user-role network-admin$", r"^irf mac-address",
    r"^lldp global enable$", r"^stp global enable$", r"^domain default enable system$", r"^domain system$",
    r"^system-working-mode ", r"^undo copyright-info enable$", r"^ip http enable$", r"^ip https enable$",
)]


def config_leftovers(text: str, factory: re.Pattern[str], allowed: list[re.Pattern[str]]) -> list[str]:
    out = []
    for raw in sanitize(text).splitlines():
        line = raw.strip()
        if not line or any(a.search(line) for a in allowed):
            continue
        m = re.match(r"^sysname\s+(\S+)", line)
        if m and not factory.match(m.group(1)):
            out.append(f"sysname {m.group(1)}")
            continue
        m = re.match(r"^local-user\s+(\S+)", line)
        if m and m.group(1) != "admin":
            out.append(f"local-user {m.group(1)}")
            continue
        m = re.match(r"^vlan\s+(\d+)$", line)
        if m and m.group(1) != "1":
            out.append(line)
            continue
        if not any(p.search(line) for p in _DEFAULT) and not line.startswith("name "):
            out.append(line[:200])
    return out


# A [Y/N] question (Comware, VRP) or VRP's "(y/n)[n]:", else the prompt after the answer.
_QUESTION = r"(?i:\[Y/N\]|\(y/n\)\[n\]):?\s*$|[>\]]\s*$"


def _asks(text: str) -> str:
    """The question on the last line of `text`, or '' when the unit is back at its prompt."""
    last = text.rstrip("\n").splitlines()[-1] if text.strip() else ""
    return last if re.search(r"(?i)\[Y/N\]|\(y/n\)", last) else ""


async def dialog(ctx: TestContext, rep: contract.WipeReport, command: str, answers: list[str], drop: bool = False,
                 data: PlatformData = DATA) -> str:
    """One command and its questions: an answer is typed only while a question is on screen (a stray "N" would
    cancel the next question), and "N" only to the question whether to save the configuration first. The text
    shown, or "" when the unit refused the command. `drop`: the session ending (a reboot) is expected."""
    cli = ctx.cli
    assert cli is not None
    said = ""
    try:
        said = await cli.send_expect(command, _QUESTION, timeout=60)
        for answer in answers:
            question = _asks(said)
            if not question:
                break
            if answer.upper() == "N" and not re.search(r"(?i)\bsave", question):
                continue
            said += await cli.send_expect(answer, _QUESTION, timeout=120)
    except Exception as exc:  # a reboot ends the session: expected for the last step
        text = f"(session ended: {str(exc)[:200]})"
        if not drop:
            rep.problems.append(f"{command!r}: {text}")
        said += "\n" + text
    refused = data.refusal(said)
    if refused:
        rep.problems.append(f"{command!r} rejected: {refused}")
    rep.steps.append({"command": command, "output": sanitize(said)[:2000]})
    return "" if refused else said


_uptime = uptime_poll(_read, "display version", lambda text: uptime_seconds(version_facts(text)["uptime"]))
