"""MikroTik RouterOS collector: CRS switches, CCR and RB routers (RouterOS 6 and 7).

ntc-templates parses `/system routerboard print` and `/system resource print`; everything else is
read by hand here: a `print` of one item is `key: value` lines, `/system health print` is a table on
RouterOS 7 (`key: value` on 6), and an SFP's DOM limits are not printed at all but sit in the module
EEPROM that `/interface ethernet monitor <port> once` dumps (page A2h after A0h). RouterOS refuses a
command with "bad command name X (line 1 column N)": platform.yaml lists its refusals.
"""

from __future__ import annotations

import math
import re
from typing import Any

from bench import model_catalog
from bench.drivers.parsing import ParseError, parse, sanitize
from bench.model import Component, ComponentKind, Reading, SensorState
from bench.platforms import contract
from bench.platforms.cli import Refused, command_reader, read_rows
from bench.platforms.data import package_data
from bench.platforms.poe import poe_refused
from bench.platforms.sensors import unreadable
from bench.platforms.wipe import come_back, uptime_poll, wipe_step
from bench.tests_hw.base import TestContext

DATA = package_data(__file__)
PLATFORM_NAME = DATA.name
RESOURCE = "/system resource print"
ROUTERBOARD = "/system routerboard print"
ETHERNET = "/interface ethernet print"
# RouterOS has no zeroizing reset: this is the documented full reset (no default configuration, no
# backup file left behind); Netinstall reformats the flash but needs a PC on the boot port.
RESET = "/system reset-configuration no-defaults=yes skip-backup=yes"
LOWEST_INPUT_VOLTS = 10.0  # below every RouterBOARD's DC input range: the supply is failing
_UNIT_SECONDS = {"w": 604_800, "d": 86_400, "h": 3_600, "m": 60, "s": 1}
_NUM = re.compile(r"-?\d+(?:\.\d+)?")


_read = command_reader(DATA)


def _num(text: str) -> float | None:
    m = _NUM.search((text or "").replace(" ", ""))
    return float(m.group(0)) if m else None


def key_values(text: str) -> dict[str, str]:
    """A `print` of one item (`  serial-number: HD7089E2P3K`): key -> value, the first of each key."""
    out: dict[str, str] = {}
    for line in sanitize(text).splitlines():
        m = re.match(r"^\s*([a-z][a-z0-9-]*):(?:\s(.*))?$", line)
        if m and m.group(1) not in out:
            out[m.group(1)] = (m.group(2) or "").strip()
    return out


def uptime_seconds(text: str) -> float | None:
    """RouterOS durations: 6w5d11h55m45s, 1d6h22m, 00:04:12 (older releases)."""
    text = (text or "").strip()
    m = re.fullmatch(r"(?:(\d+)d)?\s*(\d+):(\d\d):(\d\d)", text)
    if m:
        return float(int(m.group(1) or 0) * 86_400 + int(m.group(2)) * 3_600 + int(m.group(3)) * 60 + int(m.group(4)))
    parts = re.findall(r"(\d+)([wdhms])", text)
    if not parts or "".join(n + u for n, u in parts) != text.replace(" ", ""):
        return None
    return float(sum(int(n) * _UNIT_SECONDS[u] for n, u in parts))


# ---------------------------------------------------------------- identity
def routerboard_facts(text: str) -> dict[str, str]:
    """model, serial, firmware of `/system routerboard print` (ntc-templates, by hand when it fails)."""
    try:
        rows = parse(PLATFORM_NAME, ROUTERBOARD, text) or []
    except ParseError:
        rows = []
    row = rows[0] if rows else {}
    kv = key_values(text)
    return {"model": str(row.get("hardware_model") or kv.get("model", "")).strip(),
            "serial": str(row.get("serial_number") or kv.get("serial-number", "")).strip(),
            "firmware": str(row.get("current_firmware") or kv.get("current-firmware", "")).strip(),
            "board_name": str(row.get("board_name") or kv.get("board-name", "")).strip()}


def resource_facts(text: str) -> dict[str, str]:
    try:
        rows = parse(PLATFORM_NAME, RESOURCE, text) or []
    except ParseError:
        rows = []
    row = rows[0] if rows else {}
    kv = key_values(text)
    return {k: str(row.get(k.replace("-", "_")) or kv.get(k, "")).strip()
            for k in ("version", "uptime", "board-name", "architecture-name", "platform")}


_ETHERNET_ROW = re.compile(r"^\s*\d+\s+(?:([A-Z]{1,4})\s+)?(\S+)\s+\d+\s+[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}\s")


def ethernet_rows(text: str) -> list[tuple[str, str]]:
    """(name, flags) of every row of `/interface ethernet print`: R running, X disabled, S slave. A port the owner
    renamed (ether1-WAN, uplink) is listed under its name: the row is known by its MTU and MAC columns."""
    out = []
    for line in sanitize(text).splitlines():
        m = _ETHERNET_ROW.match(line)
        if m:
            out.append((m.group(2), m.group(1) or ""))
    return out


def ethernet_names(text: str) -> list[tuple[str, bool]]:
    """(name, running) of every row of `/interface ethernet print`."""
    return [(name, "R" in flags) for name, flags in ethernet_rows(text)]


def is_cage(name: str) -> bool:
    return name.startswith(("sfp", "qsfp", "combo"))


class RouterOsPlatform:
    name = PLATFORM_NAME
    data = DATA

    @property
    def identity_readers(self) -> dict[str, Any]:
        from bench.platforms.mikrotik_routeros.readers import READERS

        return READERS

    async def identity(self, ctx: TestContext) -> contract.CliIdentity:
        out = contract.CliIdentity()
        try:
            rb = routerboard_facts(await _read(ctx, ROUTERBOARD))
            out.model, out.serial = rb["model"], rb["serial"].upper()
            if not out.model:
                out.problems.append(f"{ROUTERBOARD!r} names no model")
        except Refused as exc:
            out.problems.append(str(exc))
        try:
            # Fresh: burn-in reads the uptime through identity, and a cached one would never move.
            res = resource_facts(await _read(ctx, RESOURCE, fresh=True))
            out.os_version = res["version"]
            out.uptime = res["uptime"]
            out.uptime_seconds = uptime_seconds(res["uptime"])
            out.model = out.model or res["board-name"]
        except Refused as exc:
            out.problems.append(str(exc))
        try:
            out.hostname = key_values(await _read(ctx, "/system identity print")).get("name", "")
        except Refused as exc:
            out.problems.append(str(exc))
        comps: list[Component] = []
        if out.model:
            comps.append(Component(ComponentKind.CHASSIS, "RouterBOARD", pid=out.model, serial=out.serial,
                                   descr=f"MikroTik {out.model}", source="cli"))
        try:
            for name, _value, _unit in health_rows(await _read(ctx, "/system health print")):
                m = re.fullmatch(r"(psu|fan)(\d+)-(?:state|speed)", name)
                if m:
                    kind = ComponentKind.PSU if m.group(1) == "psu" else ComponentKind.FAN
                    comps.append(Component(kind, f"{m.group(1)}{m.group(2)}", descr=name, source="cli"))
        except Refused as exc:
            out.problems.append(str(exc))
        for optic in (await self.optics(ctx, fresh=False)).optics:
            comps.append(Component(ComponentKind.OPTIC, f"Transceiver {optic.port}", pid=optic.pid,
                                   serial=optic.serial, descr="SFP module", source="cli"))
        out.components = comps
        out.reload_reason = (await self.logs(ctx, fresh=False)).reload_reason
        return out

    # ------------------------------------------------------------ environment
    async def environment(self, ctx: TestContext) -> contract.Environment:
        env = contract.Environment()
        try:
            rows = await read_rows(ctx, _read, "/system health print", health_rows, "sensor")
        except Refused as exc:
            unreadable(env, exc, ("fan", "fans"), ("psu", "psus"), ("temperature", "temperatures"))
            return env
        try:
            limits = key_values(await _read(ctx, "/system health settings print"))
        except Refused as exc:
            limits = {}
            env.problems.append(f"thresholds not read: {exc}")
        env.readings = health_readings(rows, limits)
        if not any(r.kind == "fan" for r in env.readings):
            env.readings += await _passive_cooling(ctx)
        return env

    # ------------------------------------------------------------ logs
    async def logs(self, ctx: TestContext, fresh: bool = True) -> contract.LogEvidence:
        ev = contract.LogEvidence()
        try:
            ev.lines, ev.reload_reason = parse_log(await _read(ctx, "/log print detail without-paging", fresh=fresh))
        except Refused as exc:
            ev.problems.append(str(exc))
        try:
            ev.crash_files = [f for f in file_names(await _read(ctx, "/file print", fresh=fresh))
                              if re.search(r"autosupout\S*\.rif$|\.core$|panic", f)]
        except Refused as exc:
            ev.problems.append(str(exc))
        return ev

    # ------------------------------------------------------------ ports
    async def link_states(self, ctx: TestContext) -> contract.Ports:
        """Link only, from `/interface ethernet print` (the R flag): one command, cheap enough to poll."""
        out = contract.Ports()
        try:
            rows = ethernet_rows(await _read(ctx, ETHERNET, fresh=True))
        except Refused as exc:
            out.problems.append(str(exc))
            return out
        out.ports = [contract.PortState(name=n, admin_up="X" not in flags, link_up="R" in flags,
                                        media="fiber" if is_cage(n) else "copper") for n, flags in rows]
        if not rows:
            out.problems.append(f"{ETHERNET!r} listed no port")
        return out

    async def ports(self, ctx: TestContext) -> contract.Ports:
        out = await self.link_states(ctx)
        for port in out.ports:
            try:
                stats = key_values(await _read(ctx, f"{ETHERNET} stats where name={port.name}", fresh=True))
                port.counters = port_counters(stats)
                if not port.counters:
                    out.problems.append(f"port {port.name}: no counters in its stats")
                if port.link_up:
                    mon = key_values(await _read(ctx, f"/interface ethernet monitor {port.name} once", fresh=True))
                    port.link_up = mon.get("status") == "link-ok"  # the later reading of the two
                    rate = re.fullmatch(r"(\d+(?:\.\d+)?)([MG])bps", mon.get("rate", ""))
                    if port.link_up and rate:
                        port.speed_mbps = int(float(rate.group(1)) * (1000 if rate.group(2) == "G" else 1))
                    port.duplex = {"yes": "full", "no": "half"}.get(mon.get("full-duplex", ""), "")
            except Refused as exc:
                out.problems.append(f"port {port.name}: {exc}")
        return out

    # ------------------------------------------------------------ poe
    async def poe(self, ctx: TestContext) -> contract.Poe:
        try:
            text = await _read(ctx, "/interface ethernet poe print", fresh=True)
        except Refused as exc:
            # A board without PoE out has no `poe` menu: "bad command name poe".
            return poe_refused(exc)
        names = poe_names(text)
        out = contract.Poe(supported=True)
        for name in names:
            try:
                kv = key_values(await _read(ctx, f"/interface ethernet poe monitor {name} once", fresh=True))
            except Refused as exc:
                out.problems.append(f"{name}: {exc}")
                continue
            out.ports.append(poe_port(name, kv))
        if not names:
            out.problems.append("'/interface ethernet poe print' listed no port")
        return out

    # ------------------------------------------------------------ optics
    async def optics(self, ctx: TestContext, fresh: bool = True) -> contract.Optics:
        out = contract.Optics()
        try:
            cages = [n for n, _ in ethernet_names(await _read(ctx, ETHERNET, fresh=fresh)) if is_cage(n)]
        except Refused as exc:
            out.problems.append(str(exc))
            return out
        for name in cages:
            try:
                text = await _read(ctx, f"/interface ethernet monitor {name} once", fresh=fresh)
            except Refused as exc:
                out.problems.append(f"{name}: {exc}")
                continue
            kv = key_values(text)
            if kv.get("sfp-module-present") != "yes":
                continue
            optic = contract.Optic(port=name, pid=kv.get("sfp-vendor-part-number", ""),
                                   serial=kv.get("sfp-vendor-serial", "").upper(),
                                   readings=dom_readings(name, kv, eeprom_limits(text)))
            out.add(optic)
        return out

    # ------------------------------------------------------------ wipe
    async def wipe(self, ctx: TestContext) -> contract.WipeReport:
        rep = contract.WipeReport()
        before = await _uptime(ctx)
        if before is None:  # no CLI answers (a previous owner's password): nothing was wiped, say so
            rep.problems.append(f"the CLI does not answer {RESOURCE!r}: the unit was not reset")
            return rep
        rep.verified["method"] = RESET
        # Files outlive reset-configuration: backups, exports and autosupout.rif (a support dump that holds
        # the configuration) go first, by name.
        try:
            for name in owner_files(await _read(ctx, "/file print", fresh=True)):
                await wipe_step(ctx, DATA, rep, f'/file remove "{name}"')
        except Refused as exc:
            rep.problems.append(str(exc))
        # The [y/N] question takes one key: the answer travels with the command. The unit drops the
        # session as it resets; verify_wiped judges what it achieved.
        await wipe_step(ctx, DATA, rep, f"{RESET}\ny", expect_drop=True)
        if not await come_back(ctx, DATA, rep, _uptime, before, "reset-configuration"):
            return rep
        ctx.cache.clear()  # everything read before the reboot is stale
        return rep

    async def verify_wiped(self, ctx: TestContext) -> contract.WipeReport:
        rep = contract.WipeReport()
        allowed = [re.compile(p) for p in ctx.params.get("allowed_config", [])]
        rep.verified["channel"] = getattr(ctx.cli, "kind", "cli")
        try:
            leftovers = config_leftovers(await _read(ctx, "/export", fresh=True), allowed)
            # RouterOS keeps one configuration, the one it boots with: /export shows all of it.
            rep.verified["startup_config"] = "factory default (no-defaults)" if not leftovers else leftovers
            rep.remaining += [f"config: {x}" for x in leftovers]
        except Refused as exc:
            rep.problems.append(str(exc))
        try:
            users = user_names(await _read(ctx, "/user print", fresh=True))
            rep.verified["users"] = users
            rep.remaining += [f"user {u}" for u in users if u != "admin"]
        except Refused as exc:
            rep.problems.append(str(exc))
        try:
            files = owner_files(await _read(ctx, "/file print", fresh=True))
            rep.verified["flash_files"] = files
            rep.remaining += [f"file {f}" for f in files]
        except Refused as exc:
            rep.problems.append(str(exc))
        return rep


PLATFORM = RouterOsPlatform()


# ---------------------------------------------------------------- environment helpers
def health_rows(text: str) -> list[tuple[str, str, str]]:
    """(name, value, unit) of `/system health print`: RouterOS 7's table, or 6's `key: value` lines."""
    rows: list[tuple[str, str, str]] = []
    for line in sanitize(text).splitlines():
        m = re.match(r"^\s*\d+\s+([a-z][\w-]*)\s+(\S+)(?:\s+(\S+))?\s*$", line)
        if m:
            rows.append((m.group(1), m.group(2), m.group(3) or ""))
    if rows:
        return rows
    for key, value in key_values(text).items():
        m = re.fullmatch(r"(-?\d+(?:\.\d+)?)\s*(C|V|A|W|RPM|%)?", value)
        rows.append((key, m.group(1), m.group(2) or "") if m else (key, value, ""))
    return rows


def health_readings(rows: list[tuple[str, str, str]], limits: dict[str, str]) -> list[Reading]:
    """Readings judged against the unit's own limits: cpu-overtemp-threshold (RouterOS shuts down there) for
    every temperature, fan-full-speed-temperature (cooling at its end) as the warning for board sensors."""
    red = _num(limits.get("cpu-overtemp-threshold", ""))
    yellow = _num(limits.get("fan-full-speed-temperature", ""))
    out: list[Reading] = []
    for name, value, unit in rows:
        v = _num(value)
        if unit == "C" or name.endswith("temperature") or re.search(r"temperature\d*$", name):
            warn = None if name.startswith("cpu") else yellow
            state = (SensorState.UNKNOWN if v is None or red is None and warn is None
                     else SensorState.FAIL if red is not None and v >= red
                     else SensorState.WARN if warn is not None and v >= warn else SensorState.OK)
            detail = "" if red is not None else "no threshold read (/system health settings)"
            out.append(Reading("temperature", name, state, value=v, unit="C", warn_at=warn, fail_at=red,
                               detail=detail))
        elif re.fullmatch(r"fan\d*-speed", name):
            state = SensorState.UNKNOWN if v is None else SensorState.FAIL if v <= 0 else SensorState.OK
            out.append(Reading("fan", name.removesuffix("-speed"), state, value=v, unit="RPM",
                               detail=f"{value} RPM"))
        elif re.fullmatch(r"(?:fan|psu)\d*-state", name):
            word = value.lower()
            state = SensorState.OK if word == "ok" else SensorState.FAIL if word in ("fail", "failed") \
                else SensorState.UNKNOWN
            out.append(Reading("fan" if name.startswith("fan") else "psu", name.removesuffix("-state"), state,
                               detail=f"state {value}"))
        elif name == "voltage" and v is not None:  # one DC input and no supply state: its voltage says it
            state = SensorState.FAIL if v < LOWEST_INPUT_VOLTS else SensorState.OK
            out.append(Reading("psu", "power input", state, value=v, unit="V",
                               detail=f"input {v:g} V (failing below {LOWEST_INPUT_VOLTS:g} V)"))
    return out


async def _passive_cooling(ctx: TestContext) -> list[Reading]:
    """A board the model catalog lists with no fan (CRS326, RB4011: passively cooled) whose health lists none:
    that is its cooling as built, said as such. A model the catalog does not know stays without a fan reading
    (the environment test then says so)."""
    try:
        model = routerboard_facts(await _read(ctx, ROUTERBOARD))["model"]
    except Refused:
        return []
    facts = model_catalog.lookup(model)
    if facts is None or facts.fans != 0:
        return []
    return [Reading("fan", "cooling", SensorState.OK,
                    detail=f"passively cooled: {model} has no fan (model catalog) and /system health lists none")]


# ---------------------------------------------------------------- log helpers
_LOG_ENTRY = re.compile(r'^\s*time=(\S+(?: \S+)?) topics=(\S+) message="(.*)"\s*$')
_REBOOT_REASONS = re.compile(r"rebooted without proper shutdown|kernel failure|watchdog|reset configuration|"
                             r"rebooted by user|out of memory|power", re.IGNORECASE)


def parse_log(text: str) -> tuple[list[str], str]:
    """Log entries (`time topics message`, one line each) and the reboot reason logged since boot."""
    lines: list[str] = []
    reason = ""
    for raw in sanitize(text).splitlines():
        m = _LOG_ENTRY.match(raw)
        if not m:
            continue
        lines.append(f"{m.group(1)} {m.group(2)} {m.group(3)}")
        if "system" in m.group(2) and _REBOOT_REASONS.search(m.group(3)):
            reason = m.group(3)
    return lines, reason


def file_names(text: str) -> list[str]:
    """Names of `/file print` rows (any type)."""
    return [m.group(1) for m in re.finditer(r"^\s*\d+\s+(\S+)\s", sanitize(text), re.MULTILINE)]


def owner_files(text: str) -> list[str]:
    """Files on flash that are not the system's own directories: what a previous owner left."""
    out = []
    for line in sanitize(text).splitlines():
        m = re.match(r"^\s*\d+\s+(\S+)\s+(directory|package|\S.*?)\s{2,}", line)
        if m and m.group(2) not in ("directory", "package"):
            out.append(m.group(1))
    return out


def user_names(text: str) -> list[str]:
    return re.findall(r"^\s*\d+\s+(?:[A-Z;]+\s+)?([\w.@-]+)\s+\w+", sanitize(text), re.MULTILINE)


# ---------------------------------------------------------------- port helpers
_COUNTERS = {"crc": "rx-fcs-error", "alignment": "rx-align-error", "runts": "rx-too-short",
             "giants": "rx-too-long", "drops_tx": "tx-drop", "rx_bytes": "rx-bytes", "tx_bytes": "tx-bytes",
             "collisions": "tx-collision", "late_collisions": "tx-late-collision"}


def port_counters(stats: dict[str, str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for key, label in _COUNTERS.items():
        if re.fullmatch(r"[\d ]+", stats.get(label, "") or "x"):
            out[key] = int(stats[label].replace(" ", ""))
    if {"crc", "alignment", "runts", "giants"} <= out.keys():
        out["input_errors"] = out["crc"] + out["alignment"] + out["runts"] + out["giants"]
    if "late_collisions" in out:
        out["output_errors"] = out["late_collisions"] + int((stats.get("tx-excessive-collision") or "0")
                                                              .replace(" ", "") or 0)
    return out


def poe_names(text: str) -> list[str]:
    """The ports of `/interface ethernet poe print` (only ports with PoE out are listed)."""
    return re.findall(r"^\s*\d+\s+(ether\d+)\b", sanitize(text), re.MULTILINE)


def poe_port(name: str, kv: dict[str, str]) -> contract.PoePort:
    status = kv.get("poe-out-status", "")
    state = ("on" if status == "powered-on" else "off" if status in ("waiting-for-load", "disabled")
             else "fault" if re.search(r"short|overload|voltage-too|current-too|fault", status) else "unknown")
    watts = _num(kv.get("poe-out-power", "")) if kv.get("poe-out-power") else None
    return contract.PoePort(name=name, state=state, watts=watts, detail=status)


# ---------------------------------------------------------------- optics helpers
def eeprom_limits(text: str) -> dict[str, tuple[float, float, float, float]]:
    """The module's own DOM limits from the EEPROM dump (A2h bytes 0-39 at offset 0x80): kind -> (high alarm,
    low alarm, high warning, low warning) in C, V, mA, mW, mW. Empty when the dump is absent or too short."""
    data = bytearray()
    for m in re.finditer(r"([0-9a-f]{4}):((?:\s[0-9a-f]{2}){1,8})\s\s((?:\s?[0-9a-f]{2}){0,8})", sanitize(text)):
        if int(m.group(1), 16) != len(data):
            return {}  # a line missing: offsets no longer mean what SFF-8472 says
        data += bytes(int(x, 16) for x in (m.group(2) + " " + m.group(3)).split())
    if len(data) < 0x80 + 40:
        return {}
    a2 = data[0x80:0x80 + 40]

    def word(i: int, signed: bool = False) -> int:
        return int.from_bytes(a2[i:i + 2], "big", signed=signed)

    scale = {"temperature": 1 / 256, "voltage": 1e-4, "bias": 2e-3, "tx_power": 1e-4, "rx_power": 1e-4}
    out = {}
    for n, (kind, k) in enumerate(scale.items()):
        out[kind] = tuple(word(n * 8 + j * 2, signed=kind == "temperature") * k for j in range(4))
    if not any(out["rx_power"]):
        return {}  # an EEPROM without DOM limits (all zero)
    return out  # type: ignore[return-value]


_DOM = {"temperature": ("sfp-temperature", "C"), "voltage": ("sfp-supply-voltage", "V"),
        "bias": ("sfp-tx-bias-current", "mA"), "tx_power": ("sfp-tx-power", "dBm"),
        "rx_power": ("sfp-rx-power", "dBm")}


def _mw(dbm: float) -> float:
    return 10 ** (dbm / 10)


def dom_readings(port: str, kv: dict[str, str], limits: dict[str, tuple[float, float, float, float]]) -> list[Reading]:
    """One reading per DOM value; judged against the module's limits (power in mW, as the EEPROM keeps it)."""
    out = []
    for kind, (key, unit) in _DOM.items():
        raw = kv.get(key)
        value = _num(raw or "")
        if raw is None or value is None:
            continue
        limit = limits.get(kind)
        compare = _mw(value) if unit == "dBm" else value
        if limit is None:
            state, detail = SensorState.UNKNOWN, f"{raw}; the module's EEPROM gave no limits"
        else:
            hi_alarm, lo_alarm, hi_warn, lo_warn = limit
            state = (SensorState.FAIL if compare > hi_alarm or compare < lo_alarm
                     else SensorState.WARN if compare > hi_warn or compare < lo_warn else SensorState.OK)
            fmt = _dbm if unit == "dBm" else (lambda x: f"{x:g}")
            detail = f"{raw}; alarm {fmt(lo_alarm)}..{fmt(hi_alarm)}, warning {fmt(lo_warn)}..{fmt(hi_warn)}"
        warn_at = fail_at = None
        if limit is not None and unit != "dBm":
            warn_at, fail_at = limit[2], limit[0]
        out.append(Reading(kind, f"{port} {kind}", state, value=value, unit=unit, warn_at=warn_at, fail_at=fail_at,
                           detail=detail[:200]))
    return out


def _dbm(mw: float) -> str:
    return f"{10 * math.log10(mw):.1f}dBm" if mw > 0 else "-inf"


# ---------------------------------------------------------------- wipe helpers
def config_leftovers(text: str, allowed: list[re.Pattern[str]]) -> list[str]:
    """`/export` lines other than its comment header: a reset with no-defaults leaves none."""
    out = []
    for raw in sanitize(text).splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or any(a.search(line) for a in allowed):
            continue
        out.append(line[:200])
    return out


_uptime = uptime_poll(_read, RESOURCE, lambda text: uptime_seconds(resource_facts(text)["uptime"]))
