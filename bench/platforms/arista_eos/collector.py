"""Arista EOS collector: how EOS's CLI says what the generic network tests need to know.

ntc-templates parses every `show` command used here except `show logging` and the counters of
`show interfaces` (its template keeps link state but drops the error counters), which are read
by hand below. Every fact that could not be read is absent or UNKNOWN with a problem noted.
"""

from __future__ import annotations

import asyncio
import re
import time
from typing import Any

from bench.drivers.parsing import ParseError, parse
from bench.model import Component, ComponentKind, Reading, SensorState
from bench.platforms import contract
from bench.platforms.cli import NotingReader, read_now, send_classified
from bench.platforms.data import package_data
from bench.platforms.identity_readers import component_kind
from bench.platforms.sensors import number_in, state_word
from bench.platforms.wipe import judge_config
from bench.tests_hw.base import TestContext

DATA = package_data(__file__)
PLATFORM_NAME = DATA.name

# Files EOS ships on flash:/ (or creates itself); anything else there was put by an owner.
_FACTORY_FILES = re.compile(
    r"^(?:.*\.swi|boot-config|debug|persist|schedule|zerotouch-config|startup-config|\.extensions|Fossil"
    r"|AsuFastPktTransmit\.log|fastpkttx\.backup|SsuRestore(?:Legacy)?\.log|kickstart-config|tpm-data)$"
)
# Crash evidence in flash:/debug (EOS's crashinfo): agent core dumps and the kernel's crash log.
_CRASH_FILE = re.compile(r"^core\.|crash|\.core$|\.dmp$", re.IGNORECASE)
# Arista PoE switches (720XP/720DP/722XPM/710P); every other EOS model has no PoE.
_POE_PID = re.compile(r"^CCS-7(?:10P|20XP|20DP|22XPM)", re.IGNORECASE)

_FAN_OK = {"ok"}
_FAN_FAIL = {"failed", "fail", "fault", "not ok", "down", "stopped"}
_ABSENT = {"not inserted", "not present", "notinserted", "absent", "empty"}
_PSU_OK = {"ok"}
_PSU_FAIL = {"power loss", "failed", "fail", "fault", "error", "input power loss", "powerloss", "not ok"}

_DOM_KINDS = {
    "temperature": "temperature",
    "voltage": "voltage",
    "current": "bias",
    "tx power": "tx_power",
    "rx power": "rx_power",
}
_DOM_UNITS = {"temperature": "C", "voltage": "V", "bias": "mA", "tx_power": "dBm", "rx_power": "dBm"}


# ---------------------------------------------------------------- small helpers


def uptime_seconds(text: str) -> float | None:
    """Seconds from EOS's "1 weeks, 2 days, 3 hours and 4 minutes" (None when nothing is in it)."""
    scale = {"week": 604_800, "day": 86_400, "hour": 3_600, "minute": 60, "second": 1}
    parts = re.findall(r"(\d+)\s*(week|day|hour|minute|second)s?", text.lower())
    return float(sum(int(n) * scale[u] for n, u in parts)) if parts else None


def _short(name: str) -> str:
    """Ethernet49/1 -> Et49/1: `show interfaces status` and the DOM tables use short names."""
    return re.sub(r"^Ethernet", "Et", name.strip())


def _long(name: str) -> str:
    return re.sub(r"^Et(?=\d)", "Ethernet", name.strip())


def _cage(port: str) -> str:
    """Transceiver cage of a port: Et49/1 and Ethernet49/1 are in cage 49."""
    m = re.search(r"(\d+)", port)
    return m.group(1) if m else ""


# ---------------------------------------------------------------- identity
def inventory_components(rows: list[dict[str, Any]]) -> tuple[list[Component], list[str]]:
    """Components of `show inventory`, and the PSU/fan bays it lists as empty."""
    comps: list[Component] = []
    absent: list[str] = []
    for i, r in enumerate(rows):
        port, pid, sn = str(r.get("port") or "").strip(), str(r.get("pid") or "").strip(), str(r.get("sn") or "")
        descr, vid = str(r.get("descr") or "").strip(), str(r.get("vid") or "").strip()
        serial = "" if sn.strip().upper() in ("", "N/A", "NA") else sn.strip().upper()
        if i == 0 and not port:
            comps.append(Component(ComponentKind.CHASSIS, "Chassis", pid, vid, serial, descr, "cli"))
            continue
        if not pid:
            continue  # the "Management 1 / Switched 52" port counts
        if pid.lower() == "not" and serial == "PRESENT":
            absent.append(f"bay {port}")  # the template reads "Not Present" as PID/serial
            continue
        if descr:  # only transceiver rows carry a manufacturer
            comps.append(Component(ComponentKind.OPTIC, f"Xcvr{port}", pid, vid, serial,
                                   f"{descr} transceiver in port {port}", "cli"))
            continue
        kind = component_kind("", "", pid)
        if kind is ComponentKind.PSU:
            comps.append(Component(kind, f"PowerSupply{port}", pid, vid, serial, f"Power Supply {port}", "cli"))
        elif kind is ComponentKind.FAN or pid.upper().startswith("FAN"):
            comps.append(Component(ComponentKind.FAN, f"Fan Tray {port}", pid, vid, serial, f"Fan Tray {port}", "cli"))
        else:
            comps.append(Component(kind, f"{pid} {port}".strip(), pid, vid, serial, descr, "cli"))
    return comps, absent


async def _identity(ctx: TestContext) -> contract.CliIdentity:
    rd = NotingReader(ctx, DATA)
    out = contract.CliIdentity()
    version = await rd.rows("show version")
    if version:
        v = version[0]
        out.model = str(v.get("model") or "").strip()
        out.serial = str(v.get("serial_number") or "").strip().upper()
        out.os_version = str(v.get("image") or "").strip()
        out.uptime = " ".join(str(v.get("uptime") or "").split())
        out.uptime_seconds = uptime_seconds(out.uptime) if out.uptime else None
    elif version is not None:
        rd.problems.append("'show version' had nothing parseable")
    inventory = await rd.rows("show inventory")
    if inventory:
        out.components, _ = inventory_components(inventory)
        chassis = [c for c in out.components if c.kind is ComponentKind.CHASSIS]
        if chassis:
            out.model = out.model or chassis[0].pid
            out.serial = out.serial or chassis[0].serial
    host = await rd.rows("show hostname")
    if host:
        out.hostname = str(host[0].get("hostname") or "").strip()
    out.reload_reason = await _reload_reason(rd)
    out.problems = rd.problems
    return out


async def _reload_reason(rd: NotingReader) -> str:
    rows = await rd.rows("show reload cause")
    return " ".join(str(rows[0].get("reload_cause") or "").split()) if rows else ""


# ---------------------------------------------------------------- environment
def fan_readings(rows: list[dict[str, Any]]) -> tuple[list[Reading], list[str]]:
    readings, absent = [], []
    for r in rows:
        name, word = str(r.get("fan") or "").strip(), state_word(r.get("status"))
        if not name:
            continue
        if word in _ABSENT:
            absent.append(f"fan {name}")
            continue
        state = SensorState.OK if word in _FAN_OK else SensorState.FAIL if word in _FAN_FAIL else SensorState.UNKNOWN
        readings.append(Reading("fan", name, state, number_in(r.get("actual_speed")), "%",
                                detail=f"status {r.get('status') or '?'}, configured {r.get('config_speed') or '?'}"))
    return readings, absent


def psu_readings(rows: list[dict[str, Any]]) -> tuple[list[Reading], list[str]]:
    readings, absent = [], []
    for r in rows:
        slot, word = str(r.get("power_supply_location") or "").strip(), state_word(r.get("power_supply_status"))
        if not slot:
            continue
        name = f"PowerSupply{slot}"
        if word in _ABSENT:
            absent.append(name)
            continue
        state = SensorState.OK if word in _PSU_OK else SensorState.FAIL if word in _PSU_FAIL else SensorState.UNKNOWN
        readings.append(Reading("psu", name, state, number_in(r.get("power_supply_watts_using")), "W",
                                detail=f"{r.get('power_supply_pid') or '?'} status {r.get('power_supply_status')}"))
    return readings, absent


def judge(value: float | None, warn_at: float | None, fail_at: float | None) -> SensorState:
    """High-side judgement against the device's own limits; no value or no limits is UNKNOWN."""
    if value is None or (warn_at is None and fail_at is None):
        return SensorState.UNKNOWN
    if fail_at is not None and value >= fail_at:
        return SensorState.FAIL
    if warn_at is not None and value >= warn_at:
        return SensorState.WARN
    return SensorState.OK


def temperature_readings(rows: list[dict[str, Any]]) -> list[Reading]:
    readings = []
    for r in rows:
        sensor, descr = str(r.get("sensor") or "").strip(), " ".join(str(r.get("description") or "").split())
        value, warn, fail = (number_in(r.get(k)) for k in ("current_value", "alert_limit", "critical_limit"))
        name = f"{descr} ({r['module']} {sensor})" if r.get("module") else f"{descr} ({sensor})"
        readings.append(Reading("temperature", name, judge(value, warn, fail), value, "C", warn, fail,
                                detail="" if value is not None else "no value"))
    return readings


async def _environment(ctx: TestContext) -> contract.Environment:
    rd = NotingReader(ctx, DATA)
    env = contract.Environment()
    for command, convert, kind in (("show environment cooling", fan_readings, "fan"),
                                   ("show environment power", psu_readings, "PSU")):
        rows = await rd.rows(command)
        if rows is None:
            continue
        readings, absent = convert(rows)
        env.readings += readings
        env.absent += absent
        if not readings:
            rd.problems.append(f"{command!r} listed no {kind}")
    rows = await rd.rows("show environment temperature")
    if rows is not None:
        temps = temperature_readings(rows)
        env.readings += temps
        if not temps:
            rd.problems.append("'show environment temperature' listed no sensor")
    env.problems = rd.problems
    return env


# ---------------------------------------------------------------- logs
def log_lines(text: str) -> list[str]:
    """The entries of EOS's log buffer (after "Log Buffer:"; the whole text if that header is missing)."""
    head, sep, body = text.partition("Log Buffer:")
    return [line.strip() for line in (body if sep else head).splitlines() if line.strip()]


def crash_files(rows: list[dict[str, Any]], directory: str) -> list[str]:
    out = []
    for r in rows:
        name = str(r.get("name") or "").strip()
        if name and not str(r.get("permissions") or "").startswith("d") and _CRASH_FILE.search(name):
            out.append(f"{directory.rstrip('/')}/{name}")
    return out


async def _logs(ctx: TestContext) -> contract.LogEvidence:
    rd = NotingReader(ctx, DATA)
    ev = contract.LogEvidence()
    text = await rd.text("show logging")
    if text is not None:
        ev.lines = log_lines(text)
    ev.reload_reason = await _reload_reason(rd)
    for command, directory in (("dir flash:", "flash:"), ("dir flash:/debug", "flash:/debug")):
        rows = await rd.rows(command)
        if rows:
            ev.crash_files += crash_files(rows, directory)
    ev.problems = rd.problems
    return ev


# ---------------------------------------------------------------- ports
_COUNTERS = (
    ("runts", r"(\d+) runts"),
    ("giants", r"(\d+) giants"),
    ("input_errors", r"(\d+) input errors"),
    ("crc", r"(\d+) CRC"),
    ("alignment", r"(\d+) alignment"),
    ("symbol", r"(\d+) symbol"),
    ("output_errors", r"(\d+) output errors"),
    ("collisions", r"(\d+) collisions"),
    # Grows with every link down/up: a flapping port shows here between two reads.
    ("link_status_changes", r"(\d+) link status changes"),
)


def interface_blocks(text: str) -> dict[str, str]:
    """`show interfaces` split per interface: name -> its block of lines."""
    blocks: dict[str, str] = {}
    name = ""
    for line in text.splitlines():
        m = re.match(r"^(\S+) is ", line)
        if m:
            name = m.group(1)
            blocks[name] = line + "\n"
        elif name:
            blocks[name] += line + "\n"
    return blocks


def block_counters(block: str) -> dict[str, int]:
    out = {}
    for key, pattern in _COUNTERS:
        m = re.search(pattern, block)
        if m:
            out[key] = int(m.group(1))
    return out


def _speed(text: str) -> int | None:
    m = re.fullmatch(r"(?:a-)?(\d+(?:\.\d+)?)([GM])", text.strip(), re.IGNORECASE)
    if not m:
        return None
    return int(float(m.group(1)) * (1000 if m.group(2).upper() == "G" else 1))


def _media(kind: str) -> str:
    k = kind.upper()
    if "BASE-T" in k or "BASE-CR" in k or "DAC" in k or k.startswith("10/100"):
        return "copper"
    return "fiber" if "BASE-" in k else ""


def port_states(if_rows: list[dict[str, Any]], text: str,
                status_rows: list[dict[str, Any]]) -> list[contract.PortState]:
    status = {str(r.get("port") or "").strip(): r for r in status_rows}
    blocks = interface_blocks(text)
    ports = []
    for r in if_rows:
        name = str(r.get("interface") or "").strip()
        if not re.match(r"^Ethernet\d", name):
            continue  # front-panel ports only: not Management, Port-Channel, Vlan, Loopback
        link_word, proto = state_word(r.get("link_status")), state_word(r.get("protocol_status"))
        st = status.get(_short(name), {})
        st_word = state_word(st.get("status"))
        err = "errdisabled" in proto or "errdisabled" in st_word or "err-disabled" in st_word
        admin: bool | None = False if "administratively" in link_word or st_word == "disabled" else (
            True if link_word in ("up", "down") else None)
        link: bool | None = True if proto.startswith("up") else (
            False if proto and proto.split()[0] in ("down", "notpresent", "lowerlayerdown", "dormant") else None)
        linked = bool(link)
        duplex = state_word(st.get("duplex")).removeprefix("a-") if linked else ""
        ports.append(contract.PortState(
            name=name,
            admin_up=admin,
            link_up=link,
            speed_mbps=_speed(str(st.get("speed") or "")) if linked else None,
            duplex=duplex if duplex in ("full", "half") else "",
            media=_media(str(st.get("type") or "")),
            err_disabled=err,
            counters=block_counters(blocks.get(name, "")),
        ))
    return ports


async def _ports(ctx: TestContext) -> contract.Ports:
    rd = NotingReader(ctx, DATA)
    out = contract.Ports()
    text = await rd.text("show interfaces")
    if_rows: list[dict[str, Any]] | None = None
    if text is not None:
        try:
            if_rows = parse(PLATFORM_NAME, "show interfaces", text)
        except ParseError as exc:
            rd.problems.append(str(exc))
    status = await rd.rows("show interfaces status") or []
    if if_rows:
        out.ports = port_states(if_rows, text or "", status)
        if not out.ports:
            rd.problems.append("'show interfaces' listed no front-panel Ethernet port")
        missing = [p.name for p in out.ports if "input_errors" not in p.counters]
        if missing:
            rd.problems.append(f"no error counters read for {len(missing)} ports, e.g. {missing[0]}")
    out.problems = rd.problems
    return out


# ---------------------------------------------------------------- PoE
async def _poe(ctx: TestContext) -> contract.Poe:
    model = ctx.identity.model
    if not model:
        ident = await _identity(ctx)
        model = ident.model
        if not model:
            return contract.Poe(supported=False, problems=["model unknown: cannot tell whether it has PoE",
                                                  *ident.problems])
    if not _POE_PID.search(model):
        return contract.Poe(supported=False)
    # No simulated Arista PoE model exists to check a parser of `show poe` against: say so rather
    # than guess a format (the test then cannot PASS a PoE switch it did not read).
    return contract.Poe(supported=True,
                        problems=[f"{model} has PoE, but reading `show poe` is not implemented for EOS"])


# ---------------------------------------------------------------- optics
def dom_reading(kind: str, r: dict[str, Any]) -> Reading:
    """One DOM value judged against the module's own thresholds (alarm -> fail, warning -> warn)."""
    value = number_in(r.get("current_value"))
    ha, hw = number_in(r.get("high_alarm_threshold")), number_in(r.get("high_warn_threshold"))
    la, lw = number_in(r.get("low_alarm_threshold")), number_in(r.get("low_warn_threshold"))
    detail = f"alarm {la}..{ha}, warning {lw}..{hw}"
    if value is None:
        return Reading(kind, kind, SensorState.UNKNOWN, None, _DOM_UNITS[kind], hw, ha, "no value; " + detail)
    if ha is None and hw is None and la is None and lw is None:
        return Reading(kind, kind, SensorState.UNKNOWN, value, _DOM_UNITS[kind], detail="module shows no thresholds")
    if (ha is not None and value >= ha) or (la is not None and value <= la):
        state = SensorState.FAIL
    elif (hw is not None and value >= hw) or (lw is not None and value <= lw):
        state = SensorState.WARN
    else:
        state = SensorState.OK
    # Reading.warn_at/fail_at are upper limits everywhere (tests re-check value >= limit); the low
    # limits judged above travel in the detail text.
    return Reading(kind, kind, state, value, _DOM_UNITS[kind], hw, ha, detail)


async def _optics(ctx: TestContext) -> contract.Optics:
    rd = NotingReader(ctx, DATA)
    out = contract.Optics()
    inventory = await rd.rows("show inventory") or []
    comps, _ = inventory_components(inventory)
    by_cage = {c.name.removeprefix("Xcvr"): c for c in comps if c.kind is ComponentKind.OPTIC}
    rows = await rd.rows("show interfaces transceiver detail")
    if rows is None:
        out.problems = rd.problems
        return out
    optics: dict[str, contract.Optic] = {}
    for r in rows:
        port = str(r.get("port") or "").strip()
        kind = _DOM_KINDS.get(state_word(r.get("type")))
        if not port or kind is None:
            continue
        optic = optics.get(port)
        if optic is None:
            comp = by_cage.get(_cage(port))
            optic = optics[port] = contract.Optic(_long(port), comp.pid if comp else "", comp.serial if comp else "")
        optic.readings.append(dom_reading(kind, r))
    out.optics = list(optics.values())
    seen = {_cage(o.port) for o in out.optics}
    no_dom = sorted((c for c in by_cage if c not in seen), key=lambda c: int(c) if c.isdigit() else 0)
    if no_dom:
        rd.problems.append(f"no DOM readings for the optics in ports {', '.join(no_dom)}")
    out.problems = rd.problems
    return out


# ---------------------------------------------------------------- wipe and its verification
# Lines of a factory EOS configuration. `username admin` counts as factory: EOS ships that account
# (its password cannot be read back, so a previous owner's admin password is not detectable here).
_DEFAULT_CONFIG = re.compile(
    r"^(?:!.*|end|hostname localhost|spanning-tree mode mstp|no aaa root|no ip routing|ip routing"
    r"|transceiver qsfp default-mode \S+|boot system \S+|interface (?:Ethernet|Management)\S+"
    r"|username admin(?: .*)?|vlan 1|service routing protocols model \S+)$"
)
_SECRET = re.compile(r"\b(secret|password|community|key|sha512|md5)\b.*", re.IGNORECASE)


def _redact(line: str) -> str:
    return _SECRET.sub(lambda m: f"{m.group(1)} <redacted>", line)


def config_leftovers(text: str) -> list[str]:
    """What in an EOS configuration is not factory default: hostname, users, VLANs, any other line."""
    found: list[str] = []
    parent = ""
    for raw in text.splitlines():
        line = raw.rstrip()
        if not line.strip():
            continue
        if raw[:1].isspace():  # a sub-command: anything under an interface or a VLAN is an owner's
            found.append(_redact(f"{parent}: {line.strip()}") if parent else _redact(line.strip()))
            continue
        parent = line.strip()
        if _DEFAULT_CONFIG.match(parent):
            continue
        m = re.match(r"^username (\S+)", parent)
        if m:
            found.append(f"user {m.group(1)}")
        elif parent.startswith("hostname "):
            found.append(parent)
        elif re.match(r"^vlan \d", parent):
            found.append(parent)
        else:
            found.append(_redact(parent))
    return found


async def _verify(ctx: TestContext) -> contract.WipeReport:
    rep = contract.WipeReport()
    rep.verified["channel"] = "cli"  # EOS keeps its admin login after the reset: checked over the CLI
    judge_config(rep, await read_now(ctx, DATA, "show startup-config"), "startup_config", "startup-config",
                 config_leftovers, absent=r"No such file|not found|does not exist")
    judge_config(rep, await read_now(ctx, DATA, "show running-config"), "running_config", "running-config",
                 config_leftovers)
    files = await _user_files(ctx, rep.problems)
    if files is not None:
        rep.verified["flash_files"] = files or "none"
        rep.remaining += files
    return rep


async def _user_files(ctx: TestContext, problems: list[str]) -> list[str] | None:
    """Files on flash that EOS did not ship: top-level owner files and crash dumps in flash:/debug."""
    out: list[str] = []
    places = (("dir flash:", "flash:", _FACTORY_FILES), ("dir flash:/debug", "flash:/debug", None))
    for command, directory, keep in places:
        shown = await read_now(ctx, DATA, command)
        if not shown.ok:
            problems.append(shown.problem)
            return None
        if "No such file" in shown.text[:200]:
            continue
        try:
            rows = parse(DATA.template_platform, DATA.template(command), shown.text) or []
        except ParseError as exc:
            problems.append(str(exc))
            return None
        for r in rows:
            name = str(r.get("name") or "").strip()
            is_dir = str(r.get("permissions") or "").startswith("d")
            if name and not is_dir and not (keep and keep.match(name)):
                out.append(f"{directory.rstrip('/')}/{name}")
    return out


async def _send_logged(ctx: TestContext, rep: contract.WipeReport, command: str, timeout: float = 60.0) -> str | None:
    shown = await send_classified(ctx.cli, DATA, command, timeout)
    if shown.kind == "lost":  # the step's failure is part of the record
        rep.steps.append({"command": command, "output": shown.error})
        return None
    rep.steps.append({"command": command, "output": shown.text[:2000]})
    return shown.text


async def _wait_back(ctx: TestContext, rep: contract.WipeReport, before: float | None) -> None:
    """Poll until the CLI answers again after the reload, within the profile's deadline."""
    timing = DATA.reboot_timing(ctx.params)
    deadline = time.monotonic() + timing.timeout_s
    last = ""
    while time.monotonic() < deadline:
        shown = await send_classified(ctx.cli, DATA, "show version", timeout=30)
        if shown.kind == "lost":  # expected while the unit boots
            last = shown.error[:200]
            await asyncio.sleep(timing.poll_s)
            continue
        text = shown.text
        up = uptime_seconds(text)
        rep.steps.append({"command": "show version (after reload)", "output": text[:2000]})
        rep.verified["back after reload"] = f"uptime {up:g}s" if up is not None else "answered"
        # Uptime is shown in minutes: a unit up for under a minute before the wipe proves nothing.
        if before and up is not None and up >= before:
            rep.problems.append(f"uptime did not restart ({before:g}s before, {up:g}s after): no reboot seen")
        return
    rep.problems.append(f"unit did not answer within {timing.timeout_s:g}s of the reload ({last})")


async def _wipe(ctx: TestContext) -> contract.WipeReport:
    rep = contract.WipeReport()
    before = await _send_logged(ctx, rep, "show version")
    up_before = uptime_seconds(before) if before else None
    files = await _user_files(ctx, rep.problems)
    for path in files or []:
        await _send_logged(ctx, rep, f"delete {path}")
    # EOS's `write erase` only deletes startup-config, and asks [confirm]: the channel runs one
    # command to the prompt and cannot answer, so delete the file the same way, without a question.
    erased = await _send_logged(ctx, rep, "delete flash:startup-config")
    if erased is None or DATA.refusal(erased) or "Error" in erased:
        shown = await read_now(ctx, DATA, "show startup-config")
        if not (shown.ok and "No such file" in shown.text[:300]):
            rep.problems.append("startup-config could not be deleted; not reloading")
            return rep
    # `reload now` asks neither to save the running config nor to confirm. The session drops
    # instead of showing a prompt, so waiting long for one only delays the polling below.
    await _send_logged(ctx, rep, "reload now", timeout=float(ctx.params.get("reload_send_timeout", 5)))
    await _wait_back(ctx, rep, up_before)
    ctx.cache.clear()  # everything read before the reload describes a unit that is gone
    return rep


# ---------------------------------------------------------------- the platform
class AristaEos:
    name = PLATFORM_NAME
    data = DATA
    identity = staticmethod(_identity)
    environment = staticmethod(_environment)
    logs = staticmethod(_logs)
    ports = staticmethod(_ports)
    poe = staticmethod(_poe)
    optics = staticmethod(_optics)
    wipe = staticmethod(_wipe)
    verify_wiped = staticmethod(_verify)


PLATFORM = AristaEos()
