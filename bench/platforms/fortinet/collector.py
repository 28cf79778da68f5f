"""Fortinet FortiGate (FortiOS 6.x/7.x) collector: FG-60E ... FG-600E and kin; FortiSwitches managed over
FortiLink are read only as the FortiGate reports them.

ntc-templates parses `get system status`, `get system interface physical` and `execute log display`; the
rest is read by hand: `get system performance status` (uptime), `execute sensor list` (each sensor with
the unit's own alarm flag), `diagnose hardware deviceinfo nic <port>` (counters), `get system interface
transceiver` (optics and their DOM, marked against the module's own thresholds), `diagnose debug
crashlog read`, `diagnose sys flash list`, `execute disk list` and `show`. FortiOS answers `show version`
with a parse error: the family is identified by `get system status`.
"""

from __future__ import annotations

import re
import time
from typing import Any

from bench.drivers.parsing import ParseError, parse, sanitize
from bench.model import Component, ComponentKind, Reading, SensorState
from bench.platforms import contract
from bench.platforms.cli import Refused, command_reader
from bench.platforms.data import package_data
from bench.platforms.identity_readers import IdentityRead
from bench.platforms.sensors import unreadable
from bench.platforms.wipe import config_rules, uptime_poll, wait_back, wipe_step
from bench.tests_hw.base import TestContext

DATA = package_data(__file__)
PLATFORM_NAME = DATA.name
STATUS = "get system status"


_read = command_reader(DATA)


# ---------------------------------------------------------------- get system status
def status_row(text: str) -> dict[str, Any]:
    """The one record of `get system status`, by ntc-templates; by hand when the template does not fit."""
    try:
        rows = parse(PLATFORM_NAME, STATUS, text) or []
    except ParseError:
        rows = []
    if rows:
        return dict(rows[0])
    row: dict[str, Any] = {}
    for key, label in (("version", "Version"), ("serial_number", "Serial-Number"), ("hostname", "Hostname"),
                       ("last_reboot_reason", "Last reboot reason")):
        m = re.search(rf"(?m)^{label}:\s*(.*?)\s*$", text)
        if m:
            row[key] = m.group(1)
    return row


def model_of(version: str) -> str:
    """"FortiGate-60E-POE v7.4.1,build2463,230830 (GA.F)" -> FortiGate-60E-POE."""
    m = re.match(r"\s*(Forti\w+-[\w-]+)\s+v\d", version)
    return m.group(1) if m else ""


def read_system_status(text: str) -> IdentityRead:
    """The identity reader for `get system status` (bench.platforms.identity_readers consults it)."""
    out = IdentityRead()
    row = status_row(sanitize(text))
    out.model = model_of(str(row.get("version") or ""))
    out.take_serial(str(row.get("serial_number") or ""), STATUS)
    if out.model or out.serial:
        out.components.append(Component(ComponentKind.CHASSIS, "Chassis", pid=out.model, serial=out.serial,
                                        descr=f"{out.model} {row.get('system_part_number') or ''}".strip(),
                                        source="cli"))
    elif not row:
        out.problems.append(f"{STATUS!r}: no Version or Serial-Number line")
    return out


_UPTIME = re.compile(r"Uptime:\s*(\d+)\s*days?,\s*(\d+)\s*hours?,\s*(\d+)\s*minutes?")


def uptime_of(text: str) -> tuple[str, float | None]:
    m = _UPTIME.search(text)
    if not m:
        return "", None
    d, h, mi = (int(x) for x in m.groups())
    return f"{d} days, {h} hours, {mi} minutes", float(d * 86_400 + h * 3_600 + mi * 60)


# ---------------------------------------------------------------- sensors, ports, optics, logs
_SENSOR = re.compile(r"^\s*\d+\s+(.+?)\s+alarm=(\d)\s+value=(\S+)\s+threshold_status=(\d+)")


def sensor_kind(name: str) -> str:
    n = name.lower()
    if re.match(r"fan", n):
        return "fan"
    if re.match(r"ps\d|psu|pwr", n):
        return "psu"
    if re.search(r"temp|^td\d|^ts\d|dts|^cpu", n):
        return "temperature"
    return "voltage"


def parse_sensors(text: str) -> list[dict[str, Any]]:
    out = []
    for line in sanitize(text).splitlines():
        m = _SENSOR.match(line)
        if m:
            try:
                value: float | None = float(m.group(3))
            except ValueError:
                value = None
            out.append({"name": m.group(1).strip(), "alarm": m.group(2) == "1", "value": value,
                        "kind": sensor_kind(m.group(1)), "status": int(m.group(4))})
    return out


_NIC_COUNTERS = {"rx_frames": "Rx Pkts", "rx_bytes": "Rx Bytes", "tx_frames": "Tx Pkts", "tx_bytes": "Tx Bytes",
                 "input_errors": "Rx_Errors", "crc": "Rx_CRC_Errors", "frame": "Rx_Frame_Errors",
                 "output_errors": "Tx_Errors", "collisions": "Tx_Collisions"}


def parse_nic(text: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for key, label in _NIC_COUNTERS.items():
        m = re.search(rf"(?m)^{re.escape(label)}\s*:\s*(\d+)", text)
        if m:
            out[key] = int(m.group(1))
    m = re.search(r"(?m)^Rx_Length_Errors\s*:\s*(\d+)", text)
    if m:
        # FortiOS counts frames too short and too long together (the kernel's rx_length_errors): the one
        # figure stands for both, so either growing shows.
        out["runts"] = out["giants"] = int(m.group(1))
    return out


def port_from_physical(row: dict[str, Any]) -> contract.PortState:
    status = str(row.get("status") or "").lower()
    link = True if status == "up" else False if status == "down" else None
    m = re.match(r"(\d+)\s*(?:Mbps)?$", str(row.get("speed") or "").strip())  # the template keeps the number
    duplex = str(row.get("duplex") or "").lower()
    return contract.PortState(name=str(row.get("name") or ""), admin_up=None, link_up=link,
                              speed_mbps=int(m.group(1)) if m and link else None,
                              duplex=duplex if duplex in ("full", "half") and link else "")


_XCVR = re.compile(r"^Interface\s+(\S+)\s+-\s+(.*?)\s*$")
_DOM = re.compile(r"^(\S+)\s+(-?[\d.]+)\s*(\S*)\s+(-?[\d.]+)\s*(\S*)\s+(-?[\d.]+)\s*(\S*)\s+(-?[\d.]+)\s*(\S*)\s+"
                  r"(-?[\d.]+)\s*(\S*)\s*$")
_MARK = {"": SensorState.OK, "+": SensorState.WARN, "-": SensorState.WARN, "++": SensorState.FAIL,
         "--": SensorState.FAIL, "?": SensorState.UNKNOWN}
_DOM_KINDS = (("temperature", "C"), ("voltage", "V"), ("bias", "mA"), ("tx_power", "dBm"), ("rx_power", "dBm"))


def parse_transceivers(text: str) -> list[contract.Optic]:
    """`get system interface transceiver`: one optic per detected module, with the DOM table's values and the
    unit's marks against the module's own thresholds (++ high alarm, + high warning, - low warning, -- low
    alarm, ? suspect)."""
    optics: dict[str, contract.Optic] = {}
    cur: contract.Optic | None = None
    in_table = False
    for line in sanitize(text).splitlines():
        m = _XCVR.match(line)
        if m:
            cur = None if "not detected" in m.group(2) else optics.setdefault(m.group(1), contract.Optic(m.group(1)))
            continue
        if line.startswith("------"):
            in_table, cur = True, None
            continue
        if in_table:
            d = _DOM.match(line.strip())
            if d and d.group(1) in optics:
                values = d.groups()[1:]
                optics[d.group(1)].readings = [
                    Reading(kind, f"{d.group(1)} {kind}", _MARK.get(values[2 * i + 1], SensorState.UNKNOWN),
                            value=float(values[2 * i]), unit=unit, detail=values[2 * i + 1] or "normal")
                    for i, (kind, unit) in enumerate(_DOM_KINDS)]
            continue
        if cur is not None:
            kv = re.match(r"^\s*(Part No\.|Serial No\.|Vendor Name)\s*:\s*(\S.*?)\s*$", line)
            if kv and kv.group(1) == "Part No.":
                cur.pid = kv.group(2)
            elif kv and kv.group(1) == "Serial No.":
                cur.serial = kv.group(2).upper()
    return list(optics.values())


def parse_crashlog(text: str) -> list[str]:
    """One entry per crash: the application and the signal that ended it."""
    crashes: list[str] = []
    for line in sanitize(text).splitlines():
        app = re.search(r"<\d+>\s+application\s+(\S+)", line)
        if app:
            crashes.append(f"crashlog: {app.group(1)}")
            continue
        sig = re.search(r"<\d+>\s+\*+\s*(signal \d+ \([^)]*\))", line)
        if sig and crashes and "signal" not in crashes[-1]:
            crashes[-1] += f": {sig.group(1)}"
        elif re.search(r"kernel panic|Kernel panic", line):
            crashes.append(f"crashlog: {line.strip()[:200]}")
    return crashes


def parse_disks(text: str) -> list[str]:
    return re.findall(r"(?m)^Disk\s+(\S+?)(?:\(boot\))?\s+ref:", sanitize(text))


# ---------------------------------------------------------------- the configuration
_FACTORY_HOSTNAME = r"^(?:FGT|FG|FWF|FortiGate|FortiWiFi)[\w-]*$"
# Owner data in a FortiOS configuration (`show` lists what differs from the factory defaults).
_OWNER_BLOCKS = ("system snmp community", "system snmp user", "log syslogd setting", "log syslogd2 setting",
                 "firewall policy", "vpn ipsec phase1-interface", "user local", "system ha", "router static",
                 "system central-management", "log fortianalyzer setting")


# How a leftover is named: never by the words a report masks as secrets (a community's name is one).
_BLOCK_LABEL = {"system snmp community": "SNMP v1/v2c access", "system snmp user": "SNMP v3 access"}


def config_leftovers(text: str, factory: re.Pattern[str], allowed: list[re.Pattern[str]]) -> list[str]:
    """What a factory-reset FortiGate's `show` would not hold: a hostname of the owner's, admins other than
    `admin` or any admin with a stored hash, and any entry of the blocks that carry the owner's data (named
    by block and entry, never by a secret's value)."""
    out: list[str] = []
    path: list[str] = []
    for raw in sanitize(text).splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or any(a.search(line) for a in allowed):
            continue
        if line.startswith("config "):
            path.append(line[7:])
            continue
        if line == "end":
            path = path[:-1]
            continue
        block = path[-1] if path else ""
        label = _BLOCK_LABEL.get(block, block)
        m = re.match(r'^set hostname "?(.*?)"?$', line)
        if m and block == "system global" and not factory.match(m.group(1)):
            out.append(f"hostname {m.group(1)}")
        e = re.match(r'^edit "?(.*?)"?$', line)
        if e and block == "system admin" and e.group(1) != "admin":
            out.append(f"admin {e.group(1)}")
        elif e and block in _OWNER_BLOCKS:
            out.append(f"{label}: entry {e.group(1)}")
        if block == "system admin" and line.startswith("set password"):
            out.append("admin with a stored hash")
        s = re.match(r'^set server "?([^"\s]+)"?$', line)
        if s and block in _OWNER_BLOCKS:
            out.append(f"{label}: server {s.group(1)}")
    return list(dict.fromkeys(out))


class FortinetPlatform:
    name = PLATFORM_NAME
    data = DATA
    identity_readers = {STATUS: read_system_status}

    async def identity(self, ctx: TestContext) -> contract.CliIdentity:
        out = contract.CliIdentity()
        try:
            text = await _read(ctx, STATUS, fresh=True)
            read = read_system_status(text)
            row = status_row(text)
            out.model, out.serial = read.model, read.serial
            out.problems += read.problems + ([read.unreadable] if read.unreadable else [])
            out.os_version = re.sub(r"^\S+\s+", "", str(row.get("version") or ""))
            out.hostname = str(row.get("hostname") or "").strip()
            out.reload_reason = str(row.get("last_reboot_reason") or "")
            out.components = read.components
        except Refused as exc:
            out.problems.append(str(exc))
        try:
            out.uptime, out.uptime_seconds = uptime_of(await _read(ctx, "get system performance status", fresh=True))
        except Refused as exc:
            out.problems.append(str(exc))
        try:
            for s in parse_sensors(await _read(ctx, "execute sensor list")):
                if s["kind"] in ("fan", "psu"):
                    kind = ComponentKind.FAN if s["kind"] == "fan" else ComponentKind.PSU
                    out.components.append(Component(kind, s["name"], descr=s["name"], source="cli"))
        except Refused as exc:
            out.problems.append(str(exc))
        try:
            for o in parse_transceivers(await _read(ctx, "get system interface transceiver")):
                out.components.append(Component(ComponentKind.OPTIC, f"Transceiver {o.port}", pid=o.pid,
                                                serial=o.serial, descr="transceiver", source="cli"))
        except Refused as exc:
            out.problems.append(str(exc))
        return out

    # ------------------------------------------------------------ environment
    async def environment(self, ctx: TestContext) -> contract.Environment:
        env = contract.Environment()
        try:
            sensors = parse_sensors(await _read(ctx, "execute sensor list", fresh=True))
        except Refused as exc:
            unreadable(env, exc, ("temperature", "sensors"))
            return env
        for s in sensors:
            if s["kind"] == "voltage" and not s["alarm"]:
                continue  # rails in range are not a reading the grade needs; one in alarm is shown as a PSU's
            kind = "psu" if s["kind"] == "voltage" else s["kind"]
            # The unit's own verdict: alarm=1 when the value crosses the sensor's thresholds.
            state = SensorState.FAIL if s["alarm"] else SensorState.OK
            if kind == "fan" and not s["alarm"] and s["value"] == 0:
                state = SensorState.FAIL  # a stopped fan the unit has not yet flagged
            env.readings.append(Reading(kind, s["name"], state, value=s["value"],
                                        unit="C" if kind == "temperature" else "rpm" if kind == "fan" else "",
                                        detail=f"alarm={int(s['alarm'])} threshold_status={s['status']}"))
        if not sensors:
            env.readings.append(Reading("temperature", "sensors", SensorState.UNKNOWN,
                                        detail="'execute sensor list' lists no sensor on this model"))
        return env

    # ------------------------------------------------------------ logs
    async def logs(self, ctx: TestContext) -> contract.LogEvidence:
        ev = contract.LogEvidence()
        try:
            ev.reload_reason = str(status_row(await _read(ctx, STATUS)).get("last_reboot_reason") or "")
        except Refused as exc:
            ev.problems.append(str(exc))
        try:
            text = await _read(ctx, "execute log display", fresh=True)
            try:
                rows = parse(self.name, "execute log display", text) or []
                ev.lines = [f"{r.get('year')}-{r.get('month')}-{r.get('day')} {r.get('hour')}:{r.get('minute')}:"
                            f"{r.get('second')} {r.get('message')}"[:500] for r in rows if r.get("message")]
            except ParseError:
                ev.lines = [ln.strip() for ln in text.splitlines() if re.match(r"\s*\d+: date=", ln)]
        except Refused as exc:
            ev.problems.append(str(exc))
        try:
            ev.crash_files = parse_crashlog(await _read(ctx, "diagnose debug crashlog read", fresh=True))
        except Refused as exc:
            ev.problems.append(str(exc))
        return ev

    # ------------------------------------------------------------ ports
    async def ports(self, ctx: TestContext) -> contract.Ports:
        out = await self.link_states(ctx)
        for port in out.ports:
            try:
                port.counters = parse_nic(await _read(ctx, f"diagnose hardware deviceinfo nic {port.name}",
                                                      fresh=True))
                if not port.counters:
                    out.problems.append(f"port {port.name}: no counters in its nic information")
            except Refused as exc:
                out.problems.append(f"port {port.name}: {exc}")
        return out

    async def link_states(self, ctx: TestContext) -> contract.Ports:
        out = contract.Ports()
        try:
            rows = parse(self.name, "get system interface physical",
                         await _read(ctx, "get system interface physical", fresh=True)) or []
        except (Refused, ParseError) as exc:
            out.problems.append(str(exc))
            return out
        out.ports = [port_from_physical(r) for r in rows if r.get("name")]
        if not out.ports:
            out.problems.append("'get system interface physical' listed no port")
        return out

    # ------------------------------------------------------------ poe
    async def poe(self, ctx: TestContext) -> contract.Poe:
        try:
            model = read_system_status(await _read(ctx, STATUS)).model
        except Refused as exc:
            return contract.Poe(supported=True, problems=[str(exc)])
        if "POE" not in model.upper():
            return contract.Poe(supported=False)
        # The -POE models (FG-60E-POE ...) report their ports' power in `diagnose poe ...`, whose output the
        # bench has no real sample of yet: the reading is unknown, never "ok".
        return contract.Poe(supported=True, problems=[f"PoE on {model} is not read yet"])

    # ------------------------------------------------------------ optics
    async def optics(self, ctx: TestContext) -> contract.Optics:
        out = contract.Optics()
        try:
            out.optics = parse_transceivers(await _read(ctx, "get system interface transceiver", fresh=True))
        except Refused as exc:
            out.problems.append(str(exc))
            return out
        out.problems += [f"optic in {o.port}: no DOM readings" for o in out.optics if not o.readings]
        return out

    # ------------------------------------------------------------ wipe
    async def wipe(self, ctx: TestContext) -> contract.WipeReport:
        rep = contract.WipeReport()
        timing = DATA.reboot_timing(ctx.params)
        try:
            disks = parse_disks(await _read(ctx, "execute disk list", fresh=True))
        except Refused:
            disks = []  # a model without a disk refuses the command
        methods = []
        for disk in disks:
            # Where the model has a log disk, its data is erased first (the unit reboots).
            before = await _uptime(ctx)
            await wipe_step(ctx, DATA, rep, f"execute erase-disk {disk}\ny", expect_drop=True)
            if not await _back(ctx, rep, before, timing, f"execute erase-disk {disk}"):
                return rep
            methods.append(f"execute erase-disk {disk}")
        before = await _uptime(ctx)
        await wipe_step(ctx, DATA, rep, "execute factoryreset\ny", expect_drop=True)
        methods.append("execute factoryreset")
        rep.verified["method"] = " + ".join(methods)
        await _back(ctx, rep, before, timing, "execute factoryreset")
        ctx.cache.clear()
        return rep

    async def verify_wiped(self, ctx: TestContext) -> contract.WipeReport:
        rep = contract.WipeReport()
        factory, allowed = config_rules(ctx.params, _FACTORY_HOSTNAME)
        rep.verified["channel"] = getattr(ctx.cli, "kind", "cli")
        try:
            # FortiOS saves every change as it is made: the configuration shown is the one it boots with.
            text = await _read(ctx, "show", fresh=True, timeout=120)
            if "config system" not in text:
                rep.problems.append("'show': no configuration in the output")
            else:
                left = config_leftovers(text, factory, allowed)
                rep.verified["startup_config"] = "factory default" if not left else left
                rep.remaining += [f"config: {x}" for x in left]
        except Refused as exc:
            rep.problems.append(str(exc))
        try:
            flash = await _read(ctx, "diagnose sys flash list", fresh=True)
            rep.verified["flash_files"] = re.findall(r"(?m)^\s*\d+\s+(\S+)\s+\d+", flash)
        except Refused as exc:
            rep.problems.append(str(exc))
        try:
            # The crash log is the unit's own evidence (the logs test reads it), not the owner's data: counted.
            rep.verified["crashlog"] = len(parse_crashlog(await _read(ctx, "diagnose debug crashlog read",
                                                                      fresh=True)))
        except Refused as exc:
            rep.problems.append(str(exc))
        return rep


PLATFORM = FortinetPlatform()


_uptime = uptime_poll(_read, "get system performance status", lambda text: uptime_of(text)[1])


async def _back(ctx: TestContext, rep: contract.WipeReport, before: float | None, timing: Any, what: str) -> bool:
    back = await wait_back(ctx, _uptime, time.monotonic() + timing.timeout_s, timing.poll_s)
    if back is None:
        rep.problems.append(f"unit did not come back after {what} within the deadline")
        return False
    rep.verified.setdefault("uptime_before_s", before)
    rep.verified["uptime_after_s"] = back
    if before is not None and back > before:
        rep.problems.append(f"uptime did not restart after {what}: the unit may not have rebooted")
    return True
