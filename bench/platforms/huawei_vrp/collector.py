"""Huawei VRP collector: S5720, S6720 and CE6850 switches, AR2220 routers, on VRP 5 and 8.

ntc-templates parses `display version`, `display device`, `display interface brief`, `display startup` and
`display sn license`; `display esn`, fans, power, temperatures, the log buffer, transceivers, PoE and the
per-port counters are read by hand. VRP refuses with a caret and "Error: Unrecognized command found at '^'
position." (platform.yaml). netmiko's `huawei` driver stays in user view (`<HUAWEI>`), where every command
used here runs. The serial is the ESN (`display esn`), the bar code printed on the unit.
"""

from __future__ import annotations

import re
from typing import Any

from bench.drivers.parsing import ParseError, parse, sanitize
from bench.model import Component, ComponentKind, Reading, SensorState
from bench.platforms import contract
from bench.platforms.cli import Refused, command_reader, read_rows
from bench.platforms.data import package_data
from bench.platforms.hp_comware.collector import dialog, strip_echo, uptime_seconds
from bench.platforms.identity_readers import IdentityRead, _component
from bench.platforms.poe import poe_table
from bench.platforms.sensors import number_in, unreadable
from bench.platforms.wipe import come_back, uptime_poll
from bench.tests_hw.base import TestContext

DATA = package_data(__file__)
PLATFORM_NAME = DATA.name
# What `display version` adds after the model on its uptime line.
_MODEL_TAIL = re.compile(r"\s+(?:Terabit Routing Switch|Routing Switch|Router|Switch)\s*$")


_read = command_reader(DATA, tidy=strip_echo)


# ---------------------------------------------------------------- identity readers
def model_name(raw: str) -> str:
    """`S7706 Terabit Routing Switch` -> S7706, `AR6280 Router` -> AR6280, `ATN 910C-B` stays."""
    return _MODEL_TAIL.sub("", raw.strip()).removeprefix("Quidway ").strip()


def read_version(text: str) -> IdentityRead:
    out = IdentityRead()
    try:
        rows = parse("huawei_vrp", "display version", sanitize(text)) or []
    except ParseError as exc:
        out.problems.append(str(exc))
        rows = []
    raw = str(rows[0].get("model") or "") if rows else ""
    if not raw:
        m = re.search(r"(?m)^(?:HUAWEI|Huawei|Quidway)\s+(.+?)\s+uptime is", text)
        raw = m.group(1) if m else ""
    out.model = model_name(raw)
    return out


def read_esn(text: str) -> IdentityRead:
    """`display esn` ("ESN of slot 0: ...", "ESN of master: ...") or `display sn license` ("ESN of device: ...")."""
    out = IdentityRead()
    found = re.findall(r"(?m)^\s*ESN of [^:]+:\s*(\S+)", sanitize(text))
    if found:
        out.take_serial(found[0], "display esn")
    for i, sn in enumerate(found[1:], 2):  # a stack (iStack/CSS): one ESN per member
        out.components.append(_component(ComponentKind.CHASSIS, f"member {i}", "", sn, "stack member"))
    return out


def read_device(text: str) -> IdentityRead:
    """`display device`: the unit's type (first slot row), cards, power supplies and fans (types, no serials)."""
    out = IdentityRead()
    try:
        rows = parse("huawei_vrp", "display device", sanitize(text)) or []
    except ParseError as exc:
        out.problems.append(str(exc))
        return out
    for r in rows:
        pid = str(r.get("pid") or "").strip().lstrip("*")
        card = str(r.get("card") or "").strip()
        slot = str(r.get("slot") or "").strip()
        where = card if card not in ("", "-") else slot
        kind = (ComponentKind.PSU if re.match(r"PWR|PSU|POWER", where.upper()) or re.match(r"PAC|PDC|PHD", pid)
                else ComponentKind.FAN if where.upper().startswith("FAN") else ComponentKind.MODULE)
        out.components.append(Component(kind, where, pid=pid, descr=str(r.get("online_status") or ""),
                                        source="cli"))
    m = re.match(r"\s*(\S+)'s Device status", text)
    out.model = m.group(1) if m else next((c.pid for c in out.components if c.kind is ComponentKind.MODULE), "")
    return out


# ---------------------------------------------------------------- environment parsers
def parse_fans(text: str) -> list[dict[str, str]]:
    """`display fan`: `Slot FanID FanNum Online Status Speed Mode Airflow` rows."""
    out = []
    for line in sanitize(text).splitlines():
        m = re.match(r"\s*(\d+)\s+(\d+)\s+\[[^\]]*\]\s+(\S+)\s+(\S+)", line)
        if m:
            out.append({"name": f"Slot {m.group(1)} FAN{m.group(2)}", "online": m.group(3), "state": m.group(4)})
    return out


def parse_power(text: str) -> list[dict[str, Any]]:
    """`display power`: `Slot PowerID Online Mode State Power(W)` rows."""
    out = []
    for line in sanitize(text).splitlines():
        m = re.match(r"\s*(\d+)\s+(PWR\d+|\d+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)", line)
        if m:
            out.append({"name": f"Slot {m.group(1)} {m.group(2)}", "online": m.group(3), "state": m.group(5),
                        "watts": number_in(m.group(6))})
    return out


def parse_temperatures(text: str) -> list[dict[str, Any]]:
    """`display temperature all`: `Slot Card Sensor Status Current Lower LowerResume Upper UpperResume`."""
    out = []
    for line in sanitize(text).splitlines():
        m = re.match(r"\s*(\d+)\s+(\S+)\s+(\S+)\s+([A-Z]+)\s+(-?\d+)\s+(-?\d+)\s+(-?\d+)\s+(-?\d+)\s+(-?\d+)\s*$", line)
        if m:
            where = " ".join(x for x in (m.group(2), m.group(3)) if x != "NA")
            out.append({"name": f"Slot {m.group(1)}" + (f" {where}" if where else ""), "status": m.group(4),
                        "current": float(m.group(5)), "upper": float(m.group(8)), "resume": float(m.group(9))})
    return out


# ---------------------------------------------------------------- logs
_LOG = re.compile(r"^\w{3}\s+\d+\s+\d{4}\s+[\d:]+(?:[+-]\d\d:\d\d)?\s+\S+\s+%%\d+(\w+)/(\d)/(\w+)")


def parse_log(text: str) -> tuple[list[str], str]:
    """Log buffer entries and the reload reason the last restart logged."""
    lines: list[str] = []
    reason = ""
    for raw in sanitize(text).splitlines():
        line = raw.strip()
        if _LOG.match(line):
            lines.append(line)
            m = re.search(r"SYS_RESTART.*?\(Reason=([^)]*)\)", line)
            if m and not reason:  # the buffer lists newest first
                reason = m.group(1)
        elif lines and line:
            lines[-1] += " | " + line
    return lines, reason


def parse_core_files(text: str) -> list[str]:
    return re.findall(r"(?m)\s(\S+\.(?:core|dat|gz|tar))\s*$", sanitize(text))


# ---------------------------------------------------------------- ports
_COUNTERS = {"crc": r"CRC:\s*(\d+)", "giants": r"Giants:\s*(\d+)", "runts": r"Runts:\s*(\d+)",
             "alignment": r"Alignments:\s*(\d+)", "collisions": r"(?<!Late )(?<!Excessive)Collisions:\s*(\d+)",
             "late_collisions": r"Late Collisions:\s*(\d+)"}


def parse_port_counters(text: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for key, pattern in _COUNTERS.items():
        m = re.search(pattern, text)
        if m:
            out[key] = int(m.group(1))
    m = re.search(r"Input:\s+\d+ packets, (\d+) bytes", text)
    if m:
        out["rx_bytes"] = int(m.group(1))
    m = re.search(r"Output:\s+\d+ packets, (\d+) bytes", text)
    if m:
        out["tx_bytes"] = int(m.group(1))
    errors = re.findall(r"Total Error:\s*(\d+)", text)  # Input's, then Output's
    if errors:
        out["input_errors"] = int(errors[0])
    if len(errors) > 1:
        out["output_errors"] = int(errors[1])
    return out


def port_from_brief(row: dict[str, Any]) -> contract.PortState:
    phy = str(row.get("phy", "")).lower()
    name = re.sub(r"\(\d+G\)$", "", str(row.get("interface", "")).strip())
    return contract.PortState(name=name, admin_up=not phy.startswith("*"),
                              link_up=True if phy.startswith("up") else False if "down" in phy else None)


# ---------------------------------------------------------------- optics
def transceiver_blocks(text: str) -> dict[str, dict[str, str]]:
    """`display transceiver verbose`: per port, every `label :value` line."""
    out: dict[str, dict[str, str]] = {}
    cur: dict[str, str] | None = None
    for line in sanitize(text).splitlines():
        m = re.match(r"\s*(\S+) transceiver information:", line)
        if m:
            cur = out.setdefault(m.group(1), {})
            continue
        kv = re.match(r"\s+([A-Za-z][^:]*?)\s*:\s*(.*?)\s*$", line)
        if kv and cur is not None:
            cur.setdefault(re.sub(r"\s+", " ", kv.group(1)), kv.group(2))
    return out


_DOM = (("temperature", "C", "Temperature", "Temp"), ("voltage", "V", "Voltage", "Volt"),
        ("bias", "mA", "Bias Current", "Bias"), ("rx_power", "dBm", "RX Power", "RX Power"),
        ("tx_power", "dBm", "TX Power", "TX Power"))


def dom_readings(port: str, fields: dict[str, str]) -> list[Reading]:
    """Each value against the module's own high and low thresholds (VRP prints one pair: the alarm limits)."""
    out = []
    for kind, unit, label, short in _DOM:
        value = next((number_in(v) for k, v in fields.items() if k.startswith(label + "(")), None)
        hi = next((number_in(v) for k, v in fields.items() if k.startswith(f"{short} High Threshold")), None)
        lo = next((number_in(v) for k, v in fields.items() if k.startswith(f"{short} Low Threshold")), None)
        if value is None and hi is None:
            continue
        if value is None or hi is None or lo is None:
            state = SensorState.UNKNOWN
        else:
            state = SensorState.FAIL if value > hi or value < lo else SensorState.OK
        out.append(Reading(kind, f"{port} {kind}", state, value=value, unit=unit, fail_at=hi,
                           detail=f"alarm {lo:g}..{hi:g}" if hi is not None and lo is not None else "no thresholds"))
    return out


# ---------------------------------------------------------------- PoE
def parse_poe(text: str) -> list[contract.PoePort]:
    out = []
    for line in sanitize(text).splitlines():
        m = re.match(r"\s*(\S+\d)\s+(\S+)\s+(on|off|fault|denied|\S+)\s+(\S+)\s+(\d+)\s*$", line)
        if not m or m.group(1).lower() == "portname":
            continue
        status = m.group(3).lower()
        state = status if status in ("on", "off", "fault", "denied") else "unknown"
        out.append(contract.PoePort(name=m.group(1), state=state, poe_class="" if m.group(4) == "-" else m.group(4),
                                    watts=int(m.group(5)) / 1000, detail=m.group(2)))
    return out


# ---------------------------------------------------------------- the platform
class VrpPlatform:
    name = PLATFORM_NAME
    data = DATA
    identity_readers = {"display version": read_version, "display esn": read_esn, "display sn license": read_esn,
                        "display device": read_device}

    async def identity(self, ctx: TestContext) -> contract.CliIdentity:
        out = contract.CliIdentity()
        try:
            text = await _read(ctx, "display version", fresh=True)
            out.model = read_version(text).model
            m = re.search(r"VRP \(R\) software, Version (\S+ \([^)]*\))", text)
            out.os_version = m.group(1) if m else ""
            m = re.search(r"(?m)uptime is\s+(.+?)\s*$", text)
            out.uptime = m.group(1) if m else ""
            out.uptime_seconds = uptime_seconds(out.uptime)
            if not out.model:
                out.problems.append("'display version' names no model")
        except Refused as exc:
            out.problems.append(str(exc))
        for command in ("display esn", "display sn license"):
            try:
                got = read_esn(await _read(ctx, command))
            except Refused as exc:
                out.problems.append(str(exc))
                continue
            if got.serial or got.unreadable:
                out.serial = got.serial
                out.components += got.components
                if got.unreadable:
                    out.problems.append(got.unreadable)
                out.problems = [p for p in out.problems if "display esn" not in p]
                break
        if out.serial:
            out.components.insert(0, Component(ComponentKind.CHASSIS, "Chassis", pid=out.model, serial=out.serial,
                                               descr=out.model, source="cli"))
        try:
            dev = read_device(await _read(ctx, "display device"))
            out.components += [c for c in dev.components if c.kind is not ComponentKind.MODULE or c.pid != out.model]
            out.problems += dev.problems
        except Refused as exc:
            out.problems.append(str(exc))
        try:
            for port, fields in transceiver_blocks(await _read(ctx, "display transceiver verbose")).items():
                out.components.append(Component(ComponentKind.OPTIC, f"Transceiver {port}",
                                                pid=fields.get("Ordering Name", ""),
                                                serial=fields.get("Manu. Serial Number", "").upper(),
                                                descr=fields.get("Transceiver Type", ""), source="cli"))
        except Refused as exc:
            out.problems.append(str(exc))
        try:
            m = re.search(r"(?m)^\s*sysname\s+(\S+)", await _read(ctx, "display current-configuration"))
            out.hostname = m.group(1) if m else ""
        except Refused as exc:
            out.problems.append(str(exc))
        logs = await self.logs(ctx, fresh=False)
        out.reload_reason = logs.reload_reason
        return out

    # ------------------------------------------------------------ environment
    async def environment(self, ctx: TestContext) -> contract.Environment:
        env = contract.Environment()
        try:
            fans = await read_rows(ctx, _read, "display fan", parse_fans, "fan")
            for f in fans:
                if f["online"].lower() == "absent":
                    env.absent.append(f["name"])
                    continue
                st = f["state"].lower()
                verdict = SensorState.OK if st == "normal" else SensorState.FAIL if re.search(
                    r"abnormal|fault|fail", st) else SensorState.UNKNOWN
                env.readings.append(Reading("fan", f["name"], verdict, detail=f["state"]))
        except Refused as exc:
            unreadable(env, exc, ("fan", "fans"))
        try:
            psus = await read_rows(ctx, _read, "display power", parse_power, "supply")
            for p in psus:
                if p["online"].lower() == "absent":
                    env.absent.append(p["name"])
                    continue
                st = p["state"].lower()
                verdict = SensorState.OK if st in ("supply", "normal") else SensorState.FAIL if re.search(
                    r"notsupply|abnormal|fault|fail", st) else SensorState.UNKNOWN
                env.readings.append(Reading("psu", p["name"], verdict, value=p["watts"], unit="W", detail=p["state"]))
        except Refused as exc:
            unreadable(env, exc, ("psu", "power supplies"))
        try:
            temps = await read_rows(ctx, _read, "display temperature all", parse_temperatures, "sensor")
            for t in temps:
                status = t["status"].upper()
                state = (SensorState.FAIL if t["current"] >= t["upper"] or status in ("MAJOR", "FATAL", "CRITICAL")
                         else SensorState.WARN if status == "MINOR" else
                         SensorState.OK if status == "NORMAL" else SensorState.UNKNOWN)
                env.readings.append(Reading("temperature", t["name"], state, value=t["current"], unit="C",
                                            fail_at=t["upper"], detail=f"{status}; upper {t['upper']:g}C "
                                            f"(resume {t['resume']:g}C), the unit's own"))
        except Refused as exc:
            unreadable(env, exc, ("temperature", "temperatures"))
        return env

    # ------------------------------------------------------------ logs
    async def logs(self, ctx: TestContext, fresh: bool = True) -> contract.LogEvidence:
        ev = contract.LogEvidence()
        try:
            ev.lines, ev.reload_reason = parse_log(await _read(ctx, "display logbuffer", fresh=fresh))
        except Refused as exc:
            ev.problems.append(str(exc))
        try:
            text = await _read(ctx, "dir flash:/corefile/", fresh=fresh)
            ev.crash_files = [f"flash:/corefile/{f}" for f in parse_core_files(text)]
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
        out.ports = [port_from_brief(r) for r in rows
                     if re.match(r"(?:X?GigabitEthernet|\d+GE|Ethernet)\d", str(r.get("interface", "")).strip())]
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
            m = re.search(r"current state\s*:\s*(.+?)\s*$", text, re.MULTILINE)
            if m:
                port.link_up = m.group(1).upper() == "UP"
                port.admin_up = "ADMINISTRATIVELY" not in m.group(1).upper()
            speed = re.search(r"Speed\s*:\s*(\d+)", text)
            port.speed_mbps = int(speed.group(1)) if speed and port.link_up else None
            duplex = re.search(r"Duplex\s*:\s*(FULL|HALF)", text)
            port.duplex = duplex.group(1).lower() if duplex and port.link_up else ""
            port.media = "copper" if "COPPER" in text else "fiber" if "FIBER" in text else ""
            if not port.counters:
                out.problems.append(f"port {port.name}: no counters in 'display interface {port.name}'")
        if not out.ports and not out.problems:
            out.problems.append("'display interface brief' listed no port")
        return out

    # ------------------------------------------------------------ poe
    async def poe(self, ctx: TestContext) -> contract.Poe:
        return await poe_table(ctx, _read, "display poe power-state", parse_poe)

    # ------------------------------------------------------------ optics
    async def optics(self, ctx: TestContext) -> contract.Optics:
        out = contract.Optics()
        try:
            blocks = transceiver_blocks(await _read(ctx, "display transceiver verbose", fresh=True))
        except Refused as exc:
            out.problems.append(str(exc))
            return out
        for port, fields in blocks.items():
            optic = contract.Optic(port=port, pid=fields.get("Ordering Name", ""),
                                   serial=fields.get("Manu. Serial Number", "").upper(),
                                   readings=dom_readings(port, fields))
            out.add(optic)
        return out

    # ------------------------------------------------------------ wipe
    async def wipe(self, ctx: TestContext) -> contract.WipeReport:
        """`reset factory-configuration` where the release has it (configuration, files and logs, then a restart:
        the vendor's most thorough reset), else `reset saved-configuration`, `delete /unreserved` of every other
        configuration file and core dump, and `reboot` without saving. verified["method"] says which ran."""
        rep = contract.WipeReport()
        before = await _uptime(ctx)
        if before is None:  # no CLI to wipe through (credentials refused, session lost): nothing was done
            rep.problems.append("the unit's CLI did not answer 'display version': no wipe attempted")
            return rep
        said = await dialog(ctx, rep, "reset factory-configuration", ["Y"], drop=True, data=DATA)
        if said:
            rep.verified["method"] = "reset factory-configuration"
        else:
            rep.problems = [p for p in rep.problems if "reset factory-configuration" not in p]
            rep.verified["method"] = "reset saved-configuration + delete /unreserved"
            await dialog(ctx, rep, "reset saved-configuration", ["Y"], data=DATA)
            try:
                names = config_files(await _read(ctx, "dir", fresh=True))
                names += [f"corefile/{n}" for n in parse_core_files(await _read(ctx, "dir flash:/corefile/",
                                                                                fresh=True))]
                for name in names:
                    await dialog(ctx, rep, f"delete /unreserved flash:/{name}", ["Y"], data=DATA)
            except Refused as exc:
                rep.problems.append(str(exc))
            await dialog(ctx, rep, "reboot", ["N", "Y"], drop=True, data=DATA)
        if not await come_back(ctx, DATA, rep, _uptime, before, "the reset"):
            return rep
        ctx.cache.clear()
        return rep

    async def verify_wiped(self, ctx: TestContext) -> contract.WipeReport:
        rep = contract.WipeReport()
        rep.verified["channel"] = getattr(ctx.cli, "kind", "cli")
        factory = re.compile(ctx.params.get("factory_hostname", r"^(?:HUAWEI|Huawei|Quidway)$"))
        try:
            rows = parse(self.name, "display startup", await _read(ctx, "display startup", fresh=True)) or []
            nxt = str(rows[0].get("next_startup_saved_configuration_file") or "") if rows else ""
            if not nxt:
                rep.problems.append("'display startup' names no next startup configuration")
            else:
                empty = nxt.upper() in ("NULL", "NONE")
                rep.verified["startup_config"] = "none (factory default)" if empty else nxt
                if not empty:
                    rep.remaining.append(f"startup configuration {nxt}")
        except (Refused, ParseError) as exc:
            rep.problems.append(str(exc))
        try:
            left = config_leftovers(await _read(ctx, "display current-configuration", fresh=True), factory)
            rep.verified["running_config"] = "factory default" if not left else left
            rep.remaining += [f"running_config: {x}" for x in left]
        except Refused as exc:
            rep.problems.append(str(exc))
        try:
            files = config_files(await _read(ctx, "dir", fresh=True))
            rep.verified["flash_files"] = files or "no configuration files"
            rep.remaining += [f"flash:/{f}" for f in files]
            rep.remaining += [f"flash:/corefile/{f}" for f in parse_core_files(
                await _read(ctx, "dir flash:/corefile/", fresh=True))]
        except Refused as exc:
            rep.problems.append(str(exc))
        return rep


PLATFORM = VrpPlatform()


# ---------------------------------------------------------------- wipe helpers
def config_files(dir_text: str) -> list[str]:
    """Saved configurations in a `dir` listing (vrpcfg.zip, *.cfg): the previous owner's settings."""
    return re.findall(r"(?m)^\s*\d+\s+-\S+\s+[\d,]+\s+.*?\s(\S+\.(?:cfg|zip))\s*$", sanitize(dir_text))


_DEFAULT = [re.compile(p) for p in (
    r"^#$", r"^!", r"^sysname ", r"^aaa$", r"^local-user admin ", r"^interface \S+$", r"^stelnet server enable$",
    r"^user-interface ", r"^authentication-mode aaa$", r"^protocol inbound ", r"^return$", r"^undo ",
    r"^drop illegal-mac alarm$", r"^authentication-scheme default$", r"^authorization-scheme default$",
    r"^accounting-scheme default$", r"^domain default(?:_admin)?$", r"^dhcp enable$", r"^vlan batch 1$",
)]


def config_leftovers(text: str, factory: re.Pattern[str]) -> list[str]:
    out = []
    for raw in sanitize(text).splitlines():
        line = raw.strip()
        if not line:
            continue
        m = re.match(r"^sysname\s+(\S+)", line)
        if m and not factory.match(m.group(1)):
            out.append(f"sysname {m.group(1)}")
            continue
        m = re.match(r"^local-user\s+(\S+)", line)
        if m and m.group(1) != "admin":
            if f"local-user {m.group(1)}" not in out:
                out.append(f"local-user {m.group(1)}")
            continue
        if not any(p.search(line) for p in _DEFAULT):
            out.append(line[:200])
    return out


_uptime = uptime_poll(_read, "display version", uptime_seconds, pattern=r"(?m)uptime is\s+(.+?)\s*$")
