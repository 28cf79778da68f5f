"""HP/Aruba ProVision (ArubaOS-Switch, ex-ProCurve) collector: 2530, 2920, 2930F and kin.

ntc-templates parses `show system` and `show interfaces brief`; its hp_procurve `show version`
template is for ArubaOS controllers and does not fit a switch, so that and every command without a
template (modules, power supply, fans, temperature, logging, core-dump, PoE, transceivers, the
per-port counters) is parsed by hand here. ProVision refuses a command with "Invalid input: ..."
(no leading %): platform.yaml lists its refusals.
"""

from __future__ import annotations

import re
from typing import Any

from bench.drivers.parsing import ParseError, parse, sanitize
from bench.model import Component, ComponentKind, Reading, SensorState
from bench.platforms import contract
from bench.platforms.cli import Refused, command_reader, read_rows
from bench.platforms.data import package_data
from bench.platforms.sensors import unreadable
from bench.platforms.wipe import come_back, config_rules, wipe_step
from bench.tests_hw.base import TestContext

DATA = package_data(__file__)
PLATFORM_NAME = DATA.name
WIPE_SCRIPT = ("configure", "no password all", "y", "end", "erase startup-config", "y")
_UNIT_SECONDS = {"sec": 1, "min": 60, "hour": 3_600, "day": 86_400, "week": 604_800, "year": 31_536_000}
_NUM = re.compile(r"-?\d[\d,]*(?:\.\d+)?")


_read = command_reader(DATA)


def _num(text: str) -> float | None:
    m = _NUM.search(text or "")
    return float(m.group(0).replace(",", "")) if m else None


def _int(text: str) -> int | None:
    v = _num(text)
    return int(v) if v is not None else None


def uptime_seconds(text: str) -> float | None:
    """`show system` prints only the largest whole unit ("5 hours"): a lower bound, good to the unit."""
    m = re.match(r"\s*(\d+)\s*([a-z]+)", text.lower())
    if not m:
        return None
    unit = next((s for k, s in _UNIT_SECONDS.items() if m.group(2).startswith(k)), None)
    return float(int(m.group(1)) * unit) if unit else None


# ---------------------------------------------------------------- identity
_CHASSIS = re.compile(r"Chassis:\s*(?P<name>.*?)\s+(?P<pid>[A-Z]{1,2}\d{3,4}[A-Z])\s+Serial Number:\s*(?P<sn>\S+)")
_PID = re.compile(r"\b(J[A-Z]?\d{3,4}[A-Z])\b")
_SW_VERSION = re.compile(r"^\s*([A-Z]{1,2}\.\d{2}\.\d{2}\.\d{4}\w*)\s*$", re.MULTILINE)
_RULE = re.compile(r"^\s*-{3,}[-\s+]*$")


def parse_modules(text: str) -> tuple[Component | None, list[Component]]:
    """`show modules`: the chassis line and one component per populated slot."""
    chassis = None
    m = _CHASSIS.search(text)
    if m:
        chassis = Component(ComponentKind.CHASSIS, "Chassis", pid=m["pid"], serial=m["sn"].upper(),
                            descr=m["name"].strip(), source="cli")
    modules: list[Component] = []
    in_table = False
    for line in text.splitlines():
        if _RULE.match(line):
            in_table = True
            continue
        if not in_table or not line.strip():
            continue
        cols = re.split(r"\s{2,}", line.strip())
        if len(cols) < 3:
            continue
        slot, descr = cols[0], cols[1]
        serial = cols[2] if len(cols) >= 4 else ""
        pid = _PID.search(descr)
        modules.append(Component(ComponentKind.MODULE, f"Slot {slot}", pid=pid.group(1) if pid else "",
                                 serial=serial.upper(), descr=descr, source="cli"))
    return chassis, modules


def _table_rows(text: str) -> list[str]:
    """Data lines after the first dashed rule of a table, up to the first blank line."""
    rows: list[str] = []
    started = False
    for line in text.splitlines():
        if not started:
            started = bool(_RULE.match(line))
            continue
        if not line.strip():
            if rows:
                break
            continue
        rows.append(line)
    return rows


def parse_power_supplies(text: str) -> list[dict[str, Any]]:
    """`show system power-supply`: bay, model, serial, state, watts."""
    out = []
    for line in _table_rows(text):
        m = re.match(r"\s*(\d+)\s+(\S+)\s+(\S+)\s+(.+?)\s{2,}(.*?)\s+(\d+)\s+(\d+)\s*$", line)
        if m:
            out.append({"bay": m[1], "model": m[2], "serial": m[3], "state": m[4].strip(), "watts": int(m[6]),
                        "max": int(m[7])})
            continue
        m = re.match(r"\s*(\d+)\s+(Not Present|Not Installed|Empty)\b", line, re.IGNORECASE)
        if m:
            out.append({"bay": m[1], "model": "", "serial": "", "state": m[2], "watts": None, "max": None})
    return out


def parse_fans(text: str) -> list[dict[str, Any]]:
    """`show system fans`: `Sys-1  | Fan OK       | 0`."""
    out = []
    for line in text.splitlines():
        cols = [c.strip() for c in line.split("|")]
        if len(cols) == 3 and cols[0] and not cols[0].lower().startswith("num") and "-" != cols[0][:1]:
            out.append({"name": cols[0], "state": cols[1], "failures": _int(cols[2])})
    return out


def parse_temperatures(text: str) -> list[dict[str, Any]]:
    """`show system temperature`: name, current, max, min, threshold (the one limit the CLI shows), over."""
    out = []
    for line in text.splitlines():
        m = re.match(r"\s*(\S.*?)\s+(-?\d+)C\s+(-?\d+)C\s+(-?\d+)C\s+(-?\d+)C\s+(YES|NO)\b", line, re.IGNORECASE)
        if m:
            out.append({"name": m[1], "current": float(m[2]), "max": float(m[3]), "threshold": float(m[5]),
                        "over": m[6].upper() == "YES"})
    return out


class ProcurvePlatform:
    name = PLATFORM_NAME
    data = DATA

    async def identity(self, ctx: TestContext) -> contract.CliIdentity:
        out = contract.CliIdentity()
        try:
            # Fresh: burn-in reads the uptime through identity, and a cached one would never move.
            rows = parse(self.name, "show system", await _read(ctx, "show system", fresh=True)) or []
            if rows:
                row = rows[0]
                out.hostname = row.get("name", "").strip()
                out.serial = row.get("serial", "").strip().upper()
                out.os_version = row.get("software_version", "").strip()
                out.uptime = row.get("uptime", "").strip()
                out.uptime_seconds = uptime_seconds(out.uptime)
            else:
                out.problems.append("'show system' had nothing parseable")
        except (Refused, ParseError) as exc:
            out.problems.append(str(exc))
        if not out.os_version:
            try:
                m = _SW_VERSION.search(await _read(ctx, "show version"))
                if m:
                    out.os_version = m.group(1)
            except Refused as exc:
                out.problems.append(str(exc))
        comps: list[Component] = []
        try:
            chassis, modules = parse_modules(await _read(ctx, "show modules"))
            if chassis:
                out.model = chassis.pid
                out.serial = out.serial or chassis.serial
                comps.append(chassis)
            else:
                out.problems.append("'show modules' names no chassis")
            comps += modules
        except Refused as exc:
            out.problems.append(str(exc))
        comps += await self._fru_components(ctx, out.problems)
        out.components = comps
        logs = await self.logs(ctx, fresh=False)
        out.reload_reason = logs.reload_reason
        return out

    async def _fru_components(self, ctx: TestContext, problems: list[str]) -> list[Component]:
        comps: list[Component] = []
        try:
            for p in parse_power_supplies(await _read(ctx, "show system power-supply")):
                if p["watts"] is None:
                    continue  # empty bay
                pid = "" if p["model"].lower() in ("internal", "n/a") else p["model"]
                comps.append(Component(ComponentKind.PSU, f"Power Supply {p['bay']}", pid=pid,
                                       serial="" if p["serial"].upper() == "N/A" else p["serial"].upper(),
                                       descr="Internal Power Supply" if not pid else f"{pid} Power Supply",
                                       source="cli"))
        except Refused as exc:
            problems.append(str(exc))
        try:
            for f in parse_fans(await _read(ctx, "show system fans")):
                comps.append(Component(ComponentKind.FAN, f["name"], descr="Fan", source="cli"))
        except Refused as exc:
            problems.append(str(exc))
        try:
            for block in _transceiver_blocks(await _read(ctx, "show interfaces transceivers detail")):
                comps.append(Component(ComponentKind.OPTIC, f"Transceiver {block['port']}", pid=block.get("model", ""),
                                       serial=block.get("serial", "").upper(), descr=block.get("type", ""),
                                       source="cli"))
        except Refused as exc:
            problems.append(str(exc))
        return comps

    # ------------------------------------------------------------ environment
    async def environment(self, ctx: TestContext) -> contract.Environment:
        env = contract.Environment()
        try:
            psus = await read_rows(ctx, _read, "show system power-supply", parse_power_supplies, "supply")
            for p in psus:
                name = f"Power Supply {p['bay']}"
                if p["watts"] is None:
                    env.absent.append(name)
                    continue
                state = p["state"].lower()
                verdict = (SensorState.OK if state == "powered"
                           else SensorState.FAIL if re.search(r"fail|fault|not powered|off", state)
                           else SensorState.UNKNOWN)
                env.readings.append(Reading("psu", name, verdict, value=float(p["watts"]), unit="W",
                                            detail=p["state"]))
        except Refused as exc:
            unreadable(env, exc, ("psu", "power supplies"))
        try:
            fans = await read_rows(ctx, _read, "show system fans", parse_fans, "fan")
            for f in fans:
                state = f["state"].lower()
                if "not present" in state or "absent" in state:
                    env.absent.append(f["name"])
                    continue
                verdict = SensorState.FAIL if re.search(r"fail|fault|stop", state) else (
                    SensorState.OK if state.endswith("ok") else SensorState.UNKNOWN)
                if verdict is SensorState.OK and f["failures"]:
                    verdict = SensorState.WARN  # running now, but it has failed before
                detail = f"{f['state']}; failures {f['failures']}"
                env.readings.append(Reading("fan", f["name"], verdict, detail=detail))
        except Refused as exc:
            unreadable(env, exc, ("fan", "fans"))
        try:
            temps = await read_rows(ctx, _read, "show system temperature", parse_temperatures, "sensor")
            for t in temps:
                # ProVision prints one limit, the over-temperature threshold: at it the unit alarms.
                bad = t["over"] or t["current"] >= t["threshold"]
                detail = f"max {t['max']:g}C, over-temperature {'YES' if t['over'] else 'NO'}"
                env.readings.append(Reading("temperature", t["name"], SensorState.FAIL if bad else SensorState.OK,
                                            value=t["current"], unit="C", fail_at=t["threshold"], detail=detail))
        except Refused as exc:
            unreadable(env, exc, ("temperature", "temperatures"))
        return env

    # ------------------------------------------------------------ logs
    async def logs(self, ctx: TestContext, fresh: bool = True) -> contract.LogEvidence:
        ev = contract.LogEvidence()
        try:
            ev.lines, ev.reload_reason = parse_log(await _read(ctx, "show logging", fresh=fresh))
        except Refused as exc:
            ev.problems.append(str(exc))
        try:
            ev.crash_files += parse_core_dump(await _read(ctx, "show core-dump", fresh=fresh))
        except Refused as exc:
            ev.problems.append(str(exc))
        try:
            ev.crash_files += [f"boot-history: {c}" for c in parse_boot_history(
                await _read(ctx, "show boot-history", fresh=fresh))]
        except Refused as exc:
            ev.problems.append(str(exc))
        return ev

    # ------------------------------------------------------------ ports
    async def ports(self, ctx: TestContext) -> contract.Ports:
        out = await self.link_states(ctx)
        for port in out.ports:
            try:
                text = await _read(ctx, f"show interfaces {port.name}", fresh=True)
                port.counters = parse_port_counters(text)
                link = re.search(r"Link Status\s*:\s*(\w+)", text)
                if link:  # the later reading of the two
                    port.link_up = link.group(1).lower() == "up"
                if not port.counters:
                    out.problems.append(f"port {port.name}: no counters in 'show interfaces {port.name}'")
            except Refused as exc:
                out.problems.append(f"port {port.name}: {exc}")
        if not out.ports and not out.problems:
            out.problems.append("'show interfaces brief' listed no port")
        return out

    async def link_states(self, ctx: TestContext) -> contract.Ports:
        """Link only, from `show interfaces brief`: one command, cheap enough to poll."""
        out = contract.Ports()
        try:
            rows = parse(self.name, "show interfaces brief", await _read(ctx, "show interfaces brief", fresh=True))
        except (Refused, ParseError) as exc:
            out.problems.append(str(exc))
            return out
        out.ports = [port_from_brief(r) for r in rows or []]
        return out

    # ------------------------------------------------------------ poe
    async def poe(self, ctx: TestContext) -> contract.Poe:
        try:
            text = await _read(ctx, "show power-over-ethernet brief", fresh=True)
        except Refused as exc:
            if "rejected" in str(exc):
                # A ProVision without PoE refuses the command outright.
                return contract.Poe(supported=False, problems=[str(exc)])
            return contract.Poe(supported=True, problems=[str(exc)])
        if re.search(r"not supported|PoE is not available", text, re.IGNORECASE):
            return contract.Poe(supported=False)
        ports = parse_poe(text)
        return contract.Poe(supported=True, ports=ports,
                            problems=[] if ports else ["'show power-over-ethernet brief' listed no port"])

    # ------------------------------------------------------------ optics
    async def optics(self, ctx: TestContext) -> contract.Optics:
        out = contract.Optics()
        try:
            text = await _read(ctx, "show interfaces transceivers detail", fresh=True)
        except Refused as exc:
            out.problems.append(str(exc))
            return out
        for block in _transceiver_blocks(text):
            optic = contract.Optic(port=block["port"], pid=block.get("model", ""),
                                   serial=block.get("serial", "").upper(), readings=dom_readings(block))
            if not optic.readings:
                out.problems.append(f"optic in {optic.port}: no DOM readings ({block.get('diag', 'unknown')})")
            out.optics.append(optic)
        return out

    # ------------------------------------------------------------ wipe
    async def wipe(self, ctx: TestContext) -> contract.WipeReport:
        rep = contract.WipeReport()
        before = await _uptime(ctx)
        # One line-by-line script: the channel waits for the exec prompt, which neither the config
        # context nor a [y/n] question shows, so the answers travel with the commands. Passwords live
        # outside the config file (`erase startup-config` keeps them), hence `no password all`; a "y"
        # the unit did not ask for is refused harmlessly. The session dies with the reboot, so an error
        # here is expected; verify_wiped judges what the script achieved.
        await wipe_step(ctx, DATA, rep, "\n".join(WIPE_SCRIPT), expect_drop=True)
        if not await come_back(ctx, DATA, rep, _uptime, before, "erase startup-config", forget="show system"):
            return rep
        ctx.cache.clear()  # everything read before the reboot is stale
        return rep

    async def verify_wiped(self, ctx: TestContext) -> contract.WipeReport:
        rep = contract.WipeReport()
        factory, allowed = config_rules(ctx.params, _FACTORY_HOSTNAME)
        rep.verified["channel"] = getattr(ctx.cli, "kind", "cli")
        for command, label in (("show config", "startup_config"), ("show running-config", "running_config")):
            try:
                text = await _read(ctx, command, fresh=True)
            except Refused as exc:
                rep.problems.append(str(exc))
                continue
            if not re.search(r"^\s*hostname\s", text, re.MULTILINE):
                rep.problems.append(f"{command!r}: no configuration in the output")
                continue
            leftovers = config_leftovers(text, factory, allowed)
            rep.verified[label] = "factory default" if not leftovers else leftovers
            rep.remaining += [f"{label}: {x}" for x in leftovers if f"startup_config: {x}" not in rep.remaining]
        try:
            vlans = [int(r["vlan_id"]) for r in parse(self.name, "show vlans",
                                                      await _read(ctx, "show vlans", fresh=True)) or []]
            rep.verified["vlans"] = vlans
            extra = [v for v in vlans if v != 1]
            if extra:
                rep.remaining.append(f"vlans: {', '.join(map(str, extra))}")
        except (Refused, ParseError, ValueError) as exc:
            rep.problems.append(str(exc))
        await _check_files(ctx, rep)
        return rep


PLATFORM = ProcurvePlatform()


# ---------------------------------------------------------------- logs helpers
_LOG_ENTRY = re.compile(r"^\s*([IWMED])\s+\d\d/\d\d/\d\d\s+\d\d:\d\d:\d\d\s+(\d{5})\s+(.*)$")
# Reload reasons the event log records under code 00064 (system: ...).
_RELOAD_CODE = "00064"


def parse_log(text: str) -> tuple[list[str], str]:
    """Event log entries (one string each) and the last reload reason recorded since boot."""
    lines: list[str] = []
    reason = ""
    for raw in sanitize(text).splitlines():
        m = _LOG_ENTRY.match(raw)
        if m:
            lines.append(raw.strip())
            if m.group(2) == _RELOAD_CODE:
                reason = re.sub(r"^system:\s*", "", m.group(3)).strip()
        elif lines and raw.strip() and not raw.startswith("----"):
            lines[-1] += " | " + raw.strip()  # a wrapped message
    return lines, reason


def parse_core_dump(text: str) -> list[str]:
    return [m.group(1) for m in re.finditer(r"^\s*(\S+\.(?:cor|core|dmp))\s+\d", text, re.MULTILINE)]


def parse_boot_history(text: str) -> list[str]:
    """One line per saved crash: "<module> crashed on <when>: <first line of the cause>"."""
    out = []
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if re.search(r"\bcrashed on\b", line):
            cause = next((x.strip() for x in lines[i + 1:i + 4] if x.strip()), "")
            out.append(f"{line.strip()}: {cause}"[:300])
    return out


# ---------------------------------------------------------------- port helpers
_COUNTERS = {
    "crc": r"FCS Rx", "input_errors": r"Total Rx Errors", "runts": r"Runts Rx", "giants": r"Giants Rx",
    "alignment": r"Alignment Rx", "drops_tx": r"Drops Tx", "collisions": r"Collisions Tx",
    "late_collisions": r"Late Colln Tx", "excessive_collisions": r"Excessive Colln", "discard_rx": r"Discard Rx",
    "rx_bytes": r"Bytes Rx", "tx_bytes": r"Bytes Tx",
}


def parse_port_counters(text: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for key, label in _COUNTERS.items():
        m = re.search(rf"{label}\s*:\s*([\d,]+)", text)
        if m:
            out[key] = int(m.group(1).replace(",", ""))
    # ProVision prints no transmit-error total; frames lost to late or excessive collisions are its
    # transmit errors (what it counts into ifOutErrors).
    if "late_collisions" in out and "excessive_collisions" in out:
        out["output_errors"] = out["late_collisions"] + out["excessive_collisions"]
    return out


def port_from_brief(row: dict[str, Any]) -> contract.PortState:
    mode = row.get("mode", "")
    link = {"up": True, "down": False}.get(row.get("status", "").lower())
    kind = row.get("type", "")
    media = "" if not kind else "copper" if re.search(r"\d+T\b|T$|BaseT", kind, re.IGNORECASE) else "fiber"
    speed, duplex = None, ""
    m = re.match(r"(\d+)(Gig)?(FD|HD)", mode, re.IGNORECASE)
    if link and m:  # the mode column holds the negotiated speed only while the link is up
        speed = int(m.group(1)) * (1000 if m.group(2) else 1)
        duplex = "full" if m.group(3).upper() == "FD" else "half"
    admin_up = {"yes": True, "no": False}.get(row.get("enabled", "").lower())
    return contract.PortState(name=row.get("port", ""), admin_up=admin_up, link_up=link, speed_mbps=speed,
                              duplex=duplex, media=media)


# ---------------------------------------------------------------- PoE helpers
_POE_STATUS = re.compile(
    r"\b(Delivering|Searching|Other Fault|Fault|Denied|Disabled|Off|Test Fault|Overload|MPS Absent|Invalid PD)\b"
    r"\s+(\S+)", re.IGNORECASE)


def parse_poe(text: str) -> list[contract.PoePort]:
    out = []
    for line in text.splitlines():
        m = re.match(r"\s*(\S+)\s*\|\s*(Yes|No)\s+(.*)$", line)
        if not m:
            continue
        rest = m.group(3)
        status = _POE_STATUS.search(rest)
        watts = re.findall(r"([\d.]+)\s*W\b", rest)
        word = status.group(1).lower() if status else ""
        state = ("off" if m.group(2).lower() == "no" else "on" if word == "delivering"
                 else "off" if word in ("searching", "disabled", "off") else "denied" if word == "denied"
                 else "fault" if word else "unknown")
        out.append(contract.PoePort(name=m.group(1), state=state, poe_class=status.group(2) if status else "",
                                    watts=float(watts[1]) if len(watts) > 1 else None,
                                    detail=status.group(1) if status else rest.strip()[:80]))
    return out


# ---------------------------------------------------------------- optics helpers
_DOM_FIELDS = {"Temperature": ("temperature", "C"), "Voltage": ("voltage", "V"), "TX Bias": ("bias", "mA"),
               "TX Power": ("tx_power", "mW"), "RX Power": ("rx_power", "mW")}
_THRESH_ROW = re.compile(r"^\s*(Temperature|Voltage|TX Bias|TX Power|RX Power)\s+\S+\s*\|\s*(\S+)\s+(\S+)\s*\|"
                         r"\s*(\S+)\s+(\S+)")


def _transceiver_blocks(text: str) -> list[dict[str, Any]]:
    """One dict per `Transceiver in <port>` block: facts, status values and the threshold table."""
    blocks: list[dict[str, Any]] = []
    cur: dict[str, Any] | None = None
    for line in sanitize(text).splitlines():
        m = re.match(r"\s*Transceiver in (\S+)", line)
        if m:
            cur = {"port": m.group(1), "status": {}, "thresholds": {}}
            blocks.append(cur)
            continue
        if cur is None:
            continue
        t = _THRESH_ROW.match(line)
        if t:
            # (high alarm, low alarm, high warning, low warning), as the table prints them
            cur["thresholds"][t.group(1)] = tuple(_num(x) for x in t.group(2, 3, 4, 5))
            continue
        kv = re.match(r"\s*([A-Za-z][A-Za-z ]*?)\s*:\s*(.*?)\s*$", line)
        if not kv:
            continue
        key, val = kv.group(1), kv.group(2)
        if key in _DOM_FIELDS:
            cur["status"][key] = val
        elif key == "Model":
            cur["model"] = val
        elif key == "Serial number":
            cur["serial"] = val
        elif key == "Type":
            cur["type"] = val
        elif key == "Diagnostic support":
            cur["diag"] = val
    return blocks


def judge(value: float | None, thresholds: tuple[float | None, ...] | None) -> tuple[SensorState, float | None,
                                                                                       float | None]:
    """State of one DOM value against the module's own four limits, and the high warn/fail limits.

    Reading.warn_at/fail_at carry the high limits (what the generic tests re-check); the low ones,
    which matter for rx power, are judged here and written into the reading's detail.
    """
    if value is None or not thresholds or len(thresholds) != 4 or any(x is None for x in thresholds):
        return SensorState.UNKNOWN, None, None
    hi_alarm, lo_alarm, hi_warn, lo_warn = thresholds
    assert hi_alarm is not None and lo_alarm is not None and hi_warn is not None and lo_warn is not None
    warn_at, fail_at = hi_warn, hi_alarm
    if value > hi_alarm or value < lo_alarm:
        return SensorState.FAIL, warn_at, fail_at
    if value > hi_warn or value < lo_warn:
        return SensorState.WARN, warn_at, fail_at
    return SensorState.OK, warn_at, fail_at


def dom_readings(block: dict[str, Any]) -> list[Reading]:
    out = []
    for label, (kind, unit) in _DOM_FIELDS.items():
        raw = block["status"].get(label)
        if raw is None:
            continue
        value = _num(raw.split(",")[0])  # power: "0.6380mW, -1.952dBm"; the thresholds are in mW
        limits = block["thresholds"].get(label)
        state, warn_at, fail_at = judge(value, limits)
        detail = raw if limits is None else (
            f"{raw}; alarm {limits[1]:g}..{limits[0]:g}, warning {limits[3]:g}..{limits[2]:g}"
            if None not in limits else raw)
        out.append(Reading(kind, f"{block['port']} {kind}", state, value=value, unit=unit, warn_at=warn_at,
                           fail_at=fail_at, detail=detail[:200]))
    return out


# ---------------------------------------------------------------- wipe helpers
# Factory hostnames: "HP-2530-48G-PoEP", "Aruba-2930F-24G-PoEP-4SFPP", "ProCurve Switch 2510-24".
_FACTORY_HOSTNAME = r"^(?:HP|HPE|Aruba|ProCurve)(?:[- ]Switch)?[- ]\d{4}[A-Za-z0-9-]*$"
# Top-level lines of a factory-default ProVision configuration.
_DEFAULT_TOP = [re.compile(p) for p in (
    r"^;", r"^module \S+ type \S+$", r'^snmp-server community "public" unrestricted$', r"^oobm$", r"^exit$",
    r"^spanning-tree$", r"^no tftp server$", r"^no autorun$", r"^no dhcp (?:config|image)-file-update$",
    r"^vlan 1$", r"^console (?:idle-timeout|inactivity-timer)", r"^ip ssh$",
)]
_DEFAULT_IN_BLOCK = [re.compile(p) for p in (
    r'^name "DEFAULT_VLAN"$', r"^(?:un)?tagged \S+$", r"^no untagged \S+$", r"^ip address dhcp-bootp$",
    r"^no ip address$", r"^exit$",
)]


def config_leftovers(text: str, factory: re.Pattern[str], allowed: list[re.Pattern[str]]) -> list[str]:
    """Lines of a ProVision configuration that a factory-default unit would not have."""
    out: list[str] = []
    for raw in sanitize(text).splitlines():
        line = raw.strip()
        if not line or line.endswith("configuration:") or any(a.search(line) for a in allowed):
            continue
        m = re.match(r'^hostname\s+"?(.*?)"?$', line)
        if m:
            if not factory.match(m.group(1)):
                out.append(f"hostname {m.group(1)}")
            continue
        if line.startswith("password "):
            user = re.search(r'user-name\s+"?([^"\s]+)', line)
            out.append(f"password {line.split()[1]} user {user.group(1) if user else '(none)'}")
            continue
        patterns = _DEFAULT_IN_BLOCK if raw[:1].isspace() else _DEFAULT_TOP
        if not any(p.search(line) for p in patterns):
            out.append(line[:200])
    return out


async def _check_files(ctx: TestContext, rep: contract.WipeReport) -> None:
    """ProVision flash holds OS images and up to three configuration files; no user file system.

    `erase startup-config` clears only the active configuration, so a second stored one (16.x
    `show config files`) would still hold the previous owner's settings.
    """
    try:
        flash = await _read(ctx, "show flash", fresh=True)
        rep.verified["flash_files"] = re.findall(r"^(\w+ Image)\s*:", flash, re.MULTILINE)
    except Refused as exc:
        rep.problems.append(str(exc))
    try:
        text = await _read(ctx, "show config files", fresh=True)
    except Refused as exc:
        # Older images keep a single configuration and refuse the command: nothing more to check.
        rep.verified["config_files"] = f"not listed: {exc}"[:200]
        return
    files = []
    for m in re.finditer(r"^\s*\d+\s*\|(.*?)\|\s*(\S+)\s*$", text, re.MULTILINE):
        files.append(m.group(2))
        if "*" not in m.group(1)[:5]:  # the first column marks the active one; erase left the others
            rep.remaining.append(f"config file {m.group(2)}")
    rep.verified["config_files"] = files


async def _uptime(ctx: TestContext) -> float | None:
    try:
        rows = parse(PLATFORM_NAME, "show system", await _read(ctx, "show system", fresh=True, timeout=20)) or []
    except (Refused, ParseError):
        return None
    return uptime_seconds(rows[0].get("uptime", "")) if rows else None
