"""Brocade/Ruckus ICX (FastIron) collector: ICX6xxx, ICX7150, 7250, 7450, 7650 and their stacks.

ntc-templates parses `show interfaces brief`; `show version` is read by hand (identity.py: its
template names no unit or model and rejects Brocade-branded images), as are `show chassis`
(supplies, fans, temperatures against the unit's warning and shutdown levels), `show interfaces`
counters, `show inline power`, `show media`, `show optic`, `show logging` and `show files`.
FastIron refuses with "Invalid input -> word" (platform.yaml).
"""

from __future__ import annotations

import re
from typing import Any

from bench.drivers.parsing import ParseError, parse, sanitize
from bench.model import Component, ComponentKind, Reading, SensorState
from bench.platforms import contract
from bench.platforms.cli import Refused, command_reader
from bench.platforms.data import package_data
from bench.platforms.poe import poe_table
from bench.platforms.ruckus_fastiron.identity import parse_version, read_show_version, version_components
from bench.platforms.sensors import judge_temperature, unreadable
from bench.platforms.wipe import come_back, uptime_poll, wipe_step
from bench.tests_hw.base import TestContext

DATA = package_data(__file__)
PLATFORM_NAME = DATA.name
# `erase startup-config` clears the configuration (users, SNMP, hostname); `crypto key zeroize` and
# `crypto-ssl certificate zeroize` destroy the SSH host key and the TLS certificate (the unit makes new ones
# at boot); `reload` then boots the factory default. The answers travel with the commands.
WIPE_SCRIPT = ("erase startup-config", "configure terminal", "crypto key zeroize", "crypto-ssl certificate zeroize",
               "end", "reload", "y")


_read = command_reader(DATA)


# ---------------------------------------------------------------- show chassis
_PSU = re.compile(r"^\s*Power supply\s+(\d+)\s*(?:\(([^)]*)\))?\s*(present|not present)(?:,\s*status\s+(\w+))?",
                  re.IGNORECASE)
_FAN = re.compile(r"^\s*Fan\s+(\d+)\s+(ok|failed|fail|not present|other)\b", re.IGNORECASE)
_TEMPS = re.compile(r"(-?\d+(?:\.\d+)?)\s*deg-C\s*\(([^)]+)\)")
_LEVEL = re.compile(r"^\s*(Warning|Shutdown) level\.*:\s*(-?\d+(?:\.\d+)?)\s*deg-C", re.IGNORECASE)


def parse_chassis(text: str) -> dict[str, Any]:
    """`show chassis`: supplies (with FRU model/serial), fans, temperature sensors and the two levels."""
    out: dict[str, Any] = {"psus": [], "fans": [], "temps": [], "warn": None, "shutdown": None}
    psu: dict[str, Any] | None = None
    for line in sanitize(text).splitlines():
        m = _PSU.match(line)
        if m:
            psu = {"bay": m[1], "kind": m[2] or "", "present": m[3].lower() == "present",
                   "status": (m[4] or "").lower(), "model": "", "serial": ""}
            out["psus"].append(psu)
            continue
        kv = re.match(r"^\s+(Model Number|Serial Number)\s*:\s*(\S+)", line)
        if kv and psu is not None:
            psu["model" if kv[1] == "Model Number" else "serial"] = kv[2]
            continue
        f = _FAN.match(line)
        if f:
            out["fans"].append({"fan": f[1], "state": f[2].lower()})
            psu = None
            continue
        lv = _LEVEL.match(line)
        if lv:
            out["warn" if lv[1].lower() == "warning" else "shutdown"] = float(lv[2])
            continue
        if re.search(r"Current Temperature", line, re.IGNORECASE):
            slot = re.match(r"\s*(Slot \d+|Unit \d+)?", line)
            prefix = slot.group(1) if slot and slot.group(1) else ""
            for value, sensor in _TEMPS.findall(line):
                out["temps"].append({"name": f"{prefix} {sensor}".strip(), "value": float(value)})
            single = re.search(r"Current temperature\s*:\s*(-?\d+(?:\.\d+)?)\s*deg-C\s*$", line, re.IGNORECASE)
            if single and not _TEMPS.search(line):
                out["temps"].append({"name": prefix or "Chassis", "value": float(single.group(1))})
    return out


# ---------------------------------------------------------------- show interfaces
_IF_HEAD = re.compile(r"^(\S*?)(\d+/\d+/\d+) is ([\w ]+?), line protocol is (\w+)")
_COUNTERS = (
    ("rx_frames", r"(\d+) packets input"), ("rx_bytes", r"packets input, (\d+) bytes"),
    ("input_errors", r"(\d+) input errors"), ("crc", r"(\d+) CRC"), ("frame", r"(\d+) frame,"),
    ("runts", r"(\d+) runts"), ("giants", r"(\d+) giants"),
    ("tx_frames", r"(\d+) packets output"), ("tx_bytes", r"packets output, (\d+) bytes"),
    ("output_errors", r"(\d+) output errors"), ("collisions", r"(\d+) collisions"),
)


def parse_interfaces(text: str) -> dict[str, dict[str, int]]:
    """`show interfaces`: port (unit/slot/port) -> counters."""
    out: dict[str, dict[str, int]] = {}
    cur: dict[str, int] | None = None
    for line in sanitize(text).splitlines():
        h = _IF_HEAD.match(line.strip())
        if h:
            cur = out.setdefault(h.group(2), {})
            continue
        if cur is None:
            continue
        for key, pattern in _COUNTERS:
            m = re.search(pattern, line)
            if m and key not in cur:
                cur[key] = int(m.group(1))
    return out


def port_from_brief(row: dict[str, Any]) -> contract.PortState:
    link_word = row.get("link", "").lower()
    link = True if link_word == "up" else False if link_word in ("down", "disable", "disabled", "err-dis") else None
    speed_raw = row.get("speed", "")
    m = re.match(r"(\d+)([MG])", speed_raw)
    speed = int(m.group(1)) * (1000 if m.group(2) == "G" else 1) if m and link else None
    duplex = {"full": "full", "half": "half"}.get(row.get("duplex", "").lower(), "")
    return contract.PortState(name=row.get("port", ""), admin_up=link_word not in ("disable", "disabled"),
                              link_up=link, speed_mbps=speed, duplex=duplex if link else "",
                              err_disabled=link_word == "err-dis")


# ---------------------------------------------------------------- PoE, media, optics, logs
_POE_ROW = re.compile(r"^\s*(\d+/\d+/\d+)\s+(On|Off)\s+(\S+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(Class \d|n/a|\S+)\s+"
                      r"(?:Class \d\s+)?(\d+)\s+(.*?)\s*$")


def parse_inline_power(text: str) -> list[contract.PoePort]:
    out = []
    for line in sanitize(text).splitlines():
        m = _POE_ROW.match(line)
        if not m:
            continue
        admin, oper, error = m.group(2).lower(), m.group(3).lower(), m.group(9).strip().lower()
        state = ("fault" if error not in ("", "n/a") else "on" if oper == "on"
                 else "off" if oper in ("off", "non-pd") else "unknown")
        if admin == "off":
            state = "off"
        out.append(contract.PoePort(name=m.group(1), state=state,
                                    poe_class=m.group(7).replace("Class ", "") if "Class" in m.group(7) else "",
                                    watts=int(m.group(4)) / 1000, detail=f"{m.group(3)}; {m.group(9)}"[:80]))
    return out


def parse_media(text: str) -> list[dict[str, str]]:
    """`show media`: one dict per port holding a transceiver (type, vendor, part number, serial)."""
    out: list[dict[str, str]] = []
    cur: dict[str, str] | None = None
    for line in sanitize(text).splitlines():
        m = re.match(r"^\s*Port\s+(\d+/\d+/\d+)\s*:\s*Type\s*:\s*(.*?)\s*$", line)
        if m:
            cur = None
            kind = m.group(2)
            if kind.upper() != "EMPTY" and "M-C" not in kind and "Copper)" not in kind:
                cur = {"port": m.group(1), "type": kind, "vendor": "", "part": "", "serial": ""}
                out.append(cur)
            continue
        if cur is None:
            continue
        v = re.search(r"Vendor\s*:\s*(.*?)\s+Version", line)
        if v:
            cur["vendor"] = v.group(1).strip()
        p = re.search(r"Part#\s*:\s*(\S+)", line)
        if p:
            cur["part"] = p.group(1)
        s = re.search(r"Serial#\s*:\s*(\S+)", line)
        if s:
            cur["serial"] = s.group(1).upper()
    return out


_OPTIC_VALUES = re.compile(r"^\s*(\d+/\d+/\d+)\s+(-?[\d.]+)\s*C\s+(-?[\d.]+|-Inf)\s*dBm\s+(-?[\d.]+|-Inf)\s*dBm\s+"
                           r"([\d.]+)\s*mA")
_STATE = {"normal": SensorState.OK, "low-warn": SensorState.WARN, "high-warn": SensorState.WARN,
          "low-alarm": SensorState.FAIL, "high-alarm": SensorState.FAIL}


def parse_optic(text: str) -> list[Reading]:
    """`show optic <port>`: four values and, on the next line, the unit's own verdict on each (its module's
    alarm and warning thresholds): Normal, Low-Warn, High-Warn, Low-Alarm, High-Alarm."""
    lines = sanitize(text).splitlines()
    for i, line in enumerate(lines):
        m = _OPTIC_VALUES.match(line)
        if not m:
            continue
        words = lines[i + 1].split() if i + 1 < len(lines) else []
        port = m.group(1)
        out = []
        for n, (kind, unit) in enumerate((("temperature", "C"), ("tx_power", "dBm"), ("rx_power", "dBm"),
                                          ("bias", "mA"))):
            raw = m.group(n + 2)
            value = None if raw == "-Inf" else float(raw)
            word = words[n] if n < len(words) else ""
            out.append(Reading(kind, f"{port} {kind}", _STATE.get(word.lower(), SensorState.UNKNOWN), value=value,
                               unit=unit, detail=word or "no state given"))
        return out
    return []


_LOG_LINE = re.compile(r"^(?:\w{3}\s+\d+\s+[\d:]+|\d+d\d+h\d+m\d+s):([ACDMEINW]):(.*)$")


def parse_log(text: str) -> list[str]:
    return [line.strip() for line in sanitize(text).splitlines() if _LOG_LINE.match(line.strip())]


def parse_files(text: str) -> list[str]:
    return re.findall(r"^\s*F\s+\d+\s+(\S+)\s*$", sanitize(text), re.MULTILINE)


class FastironPlatform:
    name = PLATFORM_NAME
    data = DATA
    identity_readers = {"show version": read_show_version}

    async def identity(self, ctx: TestContext) -> contract.CliIdentity:
        out = contract.CliIdentity()
        try:
            # Fresh: burn-in reads the uptime through identity, and a cached one would never move.
            text = await _read(ctx, "show version", fresh=True)
            v, read = parse_version(text), read_show_version(text)
            out.model, out.serial = read.model, read.serial
            out.problems += read.problems + ([read.unreadable] if read.unreadable else [])
            out.os_version, out.uptime, out.uptime_seconds = v.os_version, v.uptime, v.uptime_seconds
            out.reload_reason = v.reload_reason
            out.components = version_components(v)
        except Refused as exc:
            out.problems.append(str(exc))
        try:
            running = await _read(ctx, "show running-config")
            m = re.search(r"^hostname\s+(\S+)", running, re.MULTILINE)
            out.hostname = m.group(1) if m else ""
        except Refused as exc:
            out.problems.append(str(exc))
        out.components += await self._fru_components(ctx, out.problems)
        return out

    async def _fru_components(self, ctx: TestContext, problems: list[str]) -> list[Component]:
        comps: list[Component] = []
        try:
            ch = parse_chassis(await _read(ctx, "show chassis"))
            for p in ch["psus"]:
                if p["present"]:
                    comps.append(Component(ComponentKind.PSU, f"Power supply {p['bay']}", pid=p["model"],
                                           serial=p["serial"].upper(), descr=p["kind"] or "Power supply",
                                           source="cli"))
            comps += [Component(ComponentKind.FAN, f"Fan {f['fan']}", descr="Fan", source="cli")
                      for f in ch["fans"] if f["state"] != "not present"]
        except Refused as exc:
            problems.append(str(exc))
        try:
            for m in parse_media(await _read(ctx, "show media")):
                comps.append(Component(ComponentKind.OPTIC, f"Media {m['port']}", pid=m["part"], serial=m["serial"],
                                       descr=f"{m['vendor']} {m['type']}".strip(), source="cli"))
        except Refused as exc:
            problems.append(str(exc))
        return comps

    # ------------------------------------------------------------ environment
    async def environment(self, ctx: TestContext) -> contract.Environment:
        env = contract.Environment()
        try:
            ch = parse_chassis(await _read(ctx, "show chassis", fresh=True))
        except Refused as exc:
            unreadable(env, exc, ("psu", "psus"), ("fan", "fans"), ("temperature", "temperatures"))
            return env
        for p in ch["psus"]:
            name = f"Power supply {p['bay']}"
            if not p["present"]:
                env.absent.append(name)
                continue
            state = (SensorState.OK if p["status"] == "ok" else SensorState.FAIL if p["status"] in ("failed", "fail")
                     else SensorState.UNKNOWN)
            env.readings.append(Reading("psu", name, state, detail=f"{p['kind']}, status {p['status'] or '?'}"))
        for f in ch["fans"]:
            if f["state"] == "not present":
                env.absent.append(f"Fan {f['fan']}")
                continue
            state = SensorState.OK if f["state"] == "ok" else SensorState.FAIL if f["state"].startswith("fail") \
                else SensorState.UNKNOWN
            env.readings.append(Reading("fan", f"Fan {f['fan']}", state, detail=f["state"]))
        if not ch["psus"]:
            env.readings.append(Reading("psu", "power supplies", SensorState.UNKNOWN,
                                        detail="'show chassis' lists no supply"))
        for t in ch["temps"]:
            # The unit's own levels: above the warning level it alarms, at the shutdown level it powers off.
            state = judge_temperature(t["value"], ch["warn"], ch["shutdown"], "")
            env.readings.append(Reading("temperature", t["name"], state, value=t["value"], unit="C",
                                        warn_at=ch["warn"], fail_at=ch["shutdown"],
                                        detail=f"warning {ch['warn']}, shutdown {ch['shutdown']} deg-C"))
        if not ch["temps"]:
            env.readings.append(Reading("temperature", "temperatures", SensorState.UNKNOWN,
                                        detail="'show chassis' shows no temperature"))
        return env

    # ------------------------------------------------------------ logs
    async def logs(self, ctx: TestContext) -> contract.LogEvidence:
        ev = contract.LogEvidence()
        try:
            ev.reload_reason = parse_version(await _read(ctx, "show version")).reload_reason
        except Refused as exc:
            ev.problems.append(str(exc))
        try:
            ev.lines = parse_log(await _read(ctx, "show logging", fresh=True))
        except Refused as exc:
            ev.problems.append(str(exc))
        try:
            ev.crash_files = [f for f in parse_files(await _read(ctx, "show files", fresh=True))
                              if re.match(r"core|crash", f, re.IGNORECASE)]
        except Refused as exc:
            ev.problems.append(str(exc))
        return ev

    # ------------------------------------------------------------ ports
    async def ports(self, ctx: TestContext) -> contract.Ports:
        out = await self.link_states(ctx)
        try:
            counters = parse_interfaces(await _read(ctx, "show interfaces", fresh=True, timeout=60))
        except Refused as exc:
            out.problems.append(str(exc))
            return out
        for port in out.ports:
            port.counters = counters.get(port.name, {})
            if not port.counters:
                out.problems.append(f"port {port.name}: no counters in 'show interfaces'")
        return out

    async def link_states(self, ctx: TestContext) -> contract.Ports:
        out = contract.Ports()
        try:
            rows = parse(self.name, "show interfaces brief",
                         await _read(ctx, "show interfaces brief", fresh=True)) or []
        except (Refused, ParseError) as exc:
            out.problems.append(str(exc))
            return out
        out.ports = [port_from_brief(r) for r in rows if re.fullmatch(r"\d+/\d+/\d+", r.get("port", ""))]
        if not out.ports:
            out.problems.append("'show interfaces brief' listed no port")
        return out

    # ------------------------------------------------------------ poe
    async def poe(self, ctx: TestContext) -> contract.Poe:
        # A model without PoE refuses the command ("Invalid input -> inline").
        return await poe_table(ctx, _read, "show inline power", parse_inline_power)

    # ------------------------------------------------------------ optics
    async def optics(self, ctx: TestContext) -> contract.Optics:
        out = contract.Optics()
        try:
            media = parse_media(await _read(ctx, "show media", fresh=True))
        except Refused as exc:
            out.problems.append(str(exc))
            return out
        for m in media:
            optic = contract.Optic(port=m["port"], pid=m["part"], serial=m["serial"])
            try:
                optic.readings = parse_optic(await _read(ctx, f"show optic {m['port']}", fresh=True))
                if not optic.readings:
                    out.problems.append(f"optic in {m['port']}: no DOM readings")
            except Refused as exc:
                out.problems.append(f"optic in {m['port']}: {exc}")
            out.optics.append(optic)
        return out

    # ------------------------------------------------------------ wipe
    async def wipe(self, ctx: TestContext) -> contract.WipeReport:
        rep = contract.WipeReport()
        before = await _uptime(ctx)
        await wipe_step(ctx, DATA, rep, "\n".join(WIPE_SCRIPT), expect_drop=True)
        rep.verified["method"] = "erase startup-config + crypto key zeroize + crypto-ssl certificate zeroize"
        if not await come_back(ctx, DATA, rep, _uptime, before, "erase startup-config and reload",
                               forget="show version"):
            return rep
        ctx.cache.clear()
        return rep

    async def verify_wiped(self, ctx: TestContext) -> contract.WipeReport:
        rep = contract.WipeReport()
        allowed = [re.compile(p) for p in ctx.params.get("allowed_config", [])]
        rep.verified["channel"] = getattr(ctx.cli, "kind", "cli")
        try:
            startup = await _read(ctx, "show configuration", fresh=True)
            left = config_leftovers(startup, allowed)
            rep.verified["startup_config"] = "none (factory default)" if not startup.strip() else (
                "factory default" if not left else left)
            rep.remaining += [f"startup_config: {x}" for x in left]
        except Refused as exc:
            rep.problems.append(str(exc))
        try:
            running = await _read(ctx, "show running-config", fresh=True)
            if "ver " not in running and "Current configuration" not in running:
                rep.problems.append("'show running-config': no configuration in the output")
            else:
                left = config_leftovers(running, allowed)
                rep.verified["running_config"] = "factory default" if not left else left
                rep.remaining += [f"running_config: {x}" for x in left if f"startup_config: {x}" not in rep.remaining]
        except Refused as exc:
            rep.problems.append(str(exc))
        try:
            files = parse_files(await _read(ctx, "show files", fresh=True))
            rep.verified["flash_files"] = files
            rep.remaining += [f"flash file {f}" for f in files]  # a factory-default unit keeps no user file
        except Refused as exc:
            rep.problems.append(str(exc))
        return rep


PLATFORM = FastironPlatform()


# ---------------------------------------------------------------- wipe helpers
# Lines of a factory-default FastIron configuration.
_DEFAULT = [re.compile(p) for p in (
    r"^!", r"^Current configuration:", r"^Startup", r"^ver \S+$", r"^stack unit \d+$", r"^module \d+ \S+$",
    r"^vlan 1 name DEFAULT-VLAN(?: by port)?$", r"^end$", r"^priority \d+$", r"^stack-port \S+$",
    r"^optical-monitor", r"^aaa authentication", r"^ip dhcp-client", r"^manager registrar",
)]


def config_leftovers(text: str, allowed: list[re.Pattern[str]]) -> list[str]:
    """Lines of a FastIron configuration that a factory-default unit would not have."""
    out: list[str] = []
    for raw in sanitize(text).splitlines():
        line = raw.strip()
        if not line or any(a.search(line) for a in allowed) or any(p.search(line) for p in _DEFAULT):
            continue
        m = re.match(r"^username\s+(\S+)", line)
        out.append(f"username {m.group(1)}" if m else line[:200])  # a password hash is never repeated
    return out


_uptime = uptime_poll(_read, "show version", lambda text: parse_version(text).uptime_seconds)
