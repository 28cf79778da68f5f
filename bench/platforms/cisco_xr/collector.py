"""Cisco IOS XR collector: how an ASR 9000 or NCS router's CLI says what the generic network tests need.

ntc-templates' cisco_xr templates parse `show version` (64-bit XR; 32-bit XR's longer output is read by hand),
`show inventory`, `admin show environment power|fan`, `show interfaces` and `dir`; the temperatures of `admin show
environment temperatures`, the log and each optic's `show controllers optics` are read by hand below. Every fact
that could not be read is absent or UNKNOWN with a problem noted.

The wipe is IOS XR's own: `commit replace` of an empty configuration. XR's configuration is transactional, the
committed configuration is what the router boots with and each commit is kept as a rollback point; so the wipe
also clears the rollback points and the owner's files, and is verified on the same session (the empty
configuration has no user left to log in with again: the next login is the console's Administrative User
Dialog, the router's factory state).
"""

from __future__ import annotations

import re
from typing import Any

from bench.drivers.parsing import ParseError, parse, sanitize
from bench.model import Reading, SensorState
from bench.platforms import contract
from bench.platforms.cisco_xr import readers
from bench.platforms.cli import NotingReader, Shown, classify, run_classified
from bench.platforms.data import package_data
from bench.platforms.sensors import state_word
from bench.platforms.wipe import judge_config
from bench.tests_hw.base import TestContext

DATA = package_data(__file__)
PLATFORM_NAME = DATA.name

_ANY_PROMPT = r"(?:^|\n)RP/\d+/\w+/CPU\d+:[\w.\-]{1,63}(?:\([^)\n]*\))?#\s*$"  # whatever the hostname is now
_FACTORY_FILES = re.compile(r"^(?:install_repo|lost\+found|\S+\.pie(?:-\S+)?|\S+\.iso|\S+\.tar|config|shutdown|"
                            r"syslog-hm|status_file|envoke_log|crypto|core|npu_drvr_cfg|pam|resmon_debug|"
                            r"asic-err-logs-backup|showtech|tftpboot|nvgen_traces|ztp|dumper)$")


def uptime_seconds(text: str) -> float | None:
    """Seconds from XR's "4 weeks, 6 days, 1 hour, 42 minutes" (or "23 hours 3 minutes")."""
    scale = {"week": 604_800, "day": 86_400, "hour": 3_600, "minute": 60, "second": 1}
    m = re.search(r"(?m)uptime is\s+(.+)$", text)
    parts = re.findall(r"(\d+)\s*(week|day|hour|minute|second)s?", (m.group(1) if m else text).lower())
    return float(sum(int(n) * scale[u] for n, u in parts)) if parts else None


# ---------------------------------------------------------------- identity
async def _identity(ctx: TestContext) -> contract.CliIdentity:
    rd = NotingReader(ctx, DATA)
    out = contract.CliIdentity()
    text = await rd.text("show version")
    if text is not None:
        got = readers.show_version(text)
        out.model = got.model
        m = re.search(r"(?m)^Cisco IOS XR Software, Version\s+([^\s\[]+)", text)
        out.os_version = m.group(1) if m else ""
        m = re.search(r"(?m)^(?:System|(\S+)) uptime is\s+(.+?)\s*$", text)
        if m:
            out.hostname, out.uptime = m.group(1) or "", m.group(2)
            out.uptime_seconds = uptime_seconds(text)
        m = re.search(r"(?m)^Configuration register on node \S+ is (\S+)", text)
        out.config_register = m.group(1) if m else ""
    inventory = await rd.text("show inventory")
    if inventory is not None:
        got = readers.show_inventory(inventory)
        rd.problems += got.problems
        if got.unreadable:
            rd.problems.append(got.unreadable)
        out.components = got.components
        out.model = got.model or out.model  # the inventory names the PID (NCS-55A1-24H), show version a series
        out.serial = got.serial
        if not got.model:
            rd.problems.append("'show inventory' named no chassis (Rack 0)")
    out.problems = rd.problems
    return out


# ---------------------------------------------------------------- environment
_TEMP_ROW = re.compile(r"^\s+(\S+)\s+(-?\d+(?:\.\d+)?)\s+(-?\d+)\s+(-?\d+)\s+(-?\d+)\s+(-?\d+)\s+(-?\d+)\s+(-?\d+)\s*$")


def temperature_readings(text: str) -> list[Reading]:
    """`admin show environment temperatures`: each sensor against its own minor (warn) and major (fail) highs."""
    readings: list[Reading] = []
    location = ""
    for line in text.splitlines():
        if re.match(r"^\d+/\S+\s*$", line):
            location = line.strip()
            continue
        m = _TEMP_ROW.match(line)
        if not m:
            continue
        value, minor, major = float(m.group(2)), float(m.group(6)), float(m.group(7))
        state = SensorState.FAIL if value >= major else SensorState.WARN if value >= minor else SensorState.OK
        readings.append(Reading("temperature", f"{location} {m.group(1)}".strip(), state, value, "C", minor, major,
                                detail=f"critical at {m.group(8)} C"))
    return readings


def power_readings(rows: list[dict[str, Any]]) -> list[Reading]:
    return [Reading("psu", str(r.get("power_module") or "").strip(),
                    SensorState.OK if state_word(r.get("status")) == "ok" else SensorState.FAIL
                    if state_word(r.get("status")) == "failed" else SensorState.UNKNOWN,
                    detail=f"{r.get('supply_type') or '?'} status {r.get('status') or '?'}") for r in rows
            if r.get("power_module")]


def fan_readings(rows: list[dict[str, Any]]) -> list[Reading]:
    """Fan trays (`0/FTn`) by their fans' speeds: a stopped fan is a failed tray. Supplies' own fans are the
    PSU's business (its status says it)."""
    out = []
    for r in rows:
        module = str(r.get("module") or "").strip()
        if not re.search(r"/FT\d", module):
            continue
        speeds = [int(s) for s in r.get("fan_speed") or [] if str(s).isdigit()]
        if not speeds:
            state = SensorState.UNKNOWN
        else:
            state = SensorState.FAIL if min(speeds) == 0 else SensorState.OK
        out.append(Reading("fan", module, state, float(min(speeds)) if speeds else None, "rpm",
                           detail=f"{r.get('type') or '?'} speeds {speeds}"))
    return out


async def _environment(ctx: TestContext) -> contract.Environment:
    rd = NotingReader(ctx, DATA)
    env = contract.Environment()
    for command, convert, kind in (("admin show environment power", power_readings, "psu"),
                                   ("admin show environment fan", fan_readings, "fan")):
        rows = await rd.rows(command)
        if rows is None:
            continue
        got = convert(rows)
        env.readings += got
        if not got:
            rd.problems.append(f"{command!r} listed no {kind}")
    text = await rd.text("admin show environment temperatures")
    if text is not None:
        temps = temperature_readings(text)
        env.readings += temps
        if not temps:
            rd.problems.append("'admin show environment temperatures' listed no sensor")
    env.problems = rd.problems
    return env


# ---------------------------------------------------------------- logs
def log_lines(text: str) -> list[str]:
    head, sep, body = text.partition("Log Buffer")
    lines = (body.split("\n", 1)[1] if sep and "\n" in body else head).splitlines()
    return [ln.strip() for ln in lines if ln.strip()]


def dump_files(rows: list[dict[str, Any]]) -> list[str]:
    """Files of `dir harddisk:/dumper` (the template's permissions column is "inode mode": "11 drwxr-xr-x")."""
    out = []
    for r in rows:
        mode = (str(r.get("permissions") or "").split() or [""])[-1]
        if str(r.get("name") or "").strip() and not mode.startswith("d"):
            out.append(f"harddisk:/dumper/{r['name']}")
    return out


async def _logs(ctx: TestContext) -> contract.LogEvidence:
    rd = NotingReader(ctx, DATA)
    ev = contract.LogEvidence()
    text = await rd.text("show logging")
    if text is not None:
        ev.lines = log_lines(text)
    history = await rd.text("show reboot history")
    if history is not None:
        rows = re.findall(r"(?m)^\s*\d+\s+\w{3} \w{3}\s+\d+ [\d:]+ \d{4} \S+\s+0x[0-9a-fA-F]+\s+(.+?)\s*$", history)
        ev.reload_reason = rows[0] if rows else ""
    dumps = await rd.text("dir harddisk:/dumper")
    if dumps is not None and "No files in directory" not in dumps:
        ev.crash_files = dump_files(rd.parsed("dir harddisk:/dumper", dumps) or [])
    ev.problems = rd.problems
    return ev


# ---------------------------------------------------------------- ports
def _speed(text: str) -> int | None:
    m = re.match(r"(\d+(?:\.\d+)?)\s*([GM])b/s", text.strip(), re.IGNORECASE)
    return int(float(m.group(1)) * (1000 if m.group(2).upper() == "G" else 1)) if m else None


def port_states(rows: list[dict[str, Any]]) -> list[contract.PortState]:
    ports = []
    for r in rows:
        name = str(r.get("interface") or "").strip()
        if not re.match(r"^\w*(?:GigE|GigabitEthernet)\d", name):
            continue  # physical Ethernet only: not Loopback, Null, tunnel-te, Bundle-Ether, MgmtEth
        link = state_word(r.get("link_status"))
        admin = state_word(r.get("admin_state"))
        up = link == "up" and admin == "up"
        counters = {k: int(v) for k in ("crc", "input_errors", "output_errors", "runts", "giants")
                    if (v := str(r.get(k) or "")).isdigit()}
        ports.append(contract.PortState(
            name=name,
            admin_up=False if "administratively" in link else True if link in ("up", "down") else None,
            link_up=True if up else False if admin or link else None,
            speed_mbps=_speed(str(r.get("speed") or "")) if up else None,
            duplex=state_word(r.get("duplex")) if up and state_word(r.get("duplex")) in ("full", "half") else "",
            media="fiber" if str(r.get("hardware_media") or "").strip() not in ("", "unknown") else "",
            counters=counters))
    return ports


async def _ports(ctx: TestContext) -> contract.Ports:
    rd = NotingReader(ctx, DATA)
    out = contract.Ports()
    rows = await rd.rows("show interfaces", fresh=True)
    if rows is not None:
        out.ports = port_states(rows)
        if not out.ports:
            rd.problems.append("'show interfaces' listed no Ethernet port")
    out.problems = rd.problems
    return out


_LONG = {"te": "TenGigE", "tf": "TwentyFiveGigE", "hu": "HundredGigE", "gi": "GigabitEthernet",
         "fh": "FourHundredGigE", "fo": "FortyGigE"}


async def _link_states(ctx: TestContext) -> contract.Ports:
    """Link state only (`show interface brief`, one short table): what the ports test polls to see a flap.
    (ntc-templates' index knows the singular spelling only.)"""
    rd = NotingReader(ctx, DATA)
    out = contract.Ports()
    for r in await rd.rows("show interface brief", fresh=True) or []:
        m = re.match(r"^([A-Za-z]{2})(\d+/\d+/\d+/\d+)$", str(r.get("interface") or ""))
        if m and m.group(1).lower() in _LONG:
            line, intf = state_word(r.get("linep_state")), state_word(r.get("intf_state"))
            out.ports.append(contract.PortState(name=_LONG[m.group(1).lower()] + m.group(2),
                                                admin_up=intf != "admin-down", link_up=line == "up"))
    out.problems = rd.problems
    return out


async def _poe(ctx: TestContext) -> contract.Poe:
    return contract.Poe(supported=False)  # no ASR 9000 or NCS router powers devices over its ports


# ---------------------------------------------------------------- optics
_THRESHOLDS = {"rx power": "rx_power", "tx power": "tx_power", "lbc": "bias", "temp.": "temperature",
               "voltage": "voltage"}
_UNITS = {"rx_power": "dBm", "tx_power": "dBm", "bias": "mA", "temperature": "C", "voltage": "V"}


def optic_readings(text: str) -> tuple[list[Reading], str, str]:
    """(DOM readings judged against the module's own thresholds, PID, serial) of `show controllers optics`."""
    values: dict[str, float] = {}
    for key, pattern in (("rx_power", r"RX Power\s*=\s*(-?[\d.]+)"), ("tx_power", r"Actual TX Power\s*=\s*(-?[\d.]+)"),
                         ("bias", r"Laser Bias Current\s*=\s*(-?[\d.]+)"),
                         ("temperature", r"(?m)^\s*Temperature\s*=\s*(-?[\d.]+)"),
                         ("voltage", r"(?m)^\s*Voltage\s*=\s*(-?[\d.]+)")):
        m = re.search(pattern, text)
        if m:
            values[key] = float(m.group(1))
    limits: dict[str, tuple[float, float, float, float]] = {}
    for line in text.splitlines():
        m = re.match(r"^\s*(Rx Power|Tx Power|LBC|Temp\.|Voltage)\s+Threshold\S*\s+(-?[\d.]+)\s+(-?[\d.]+)\s+"
                     r"(-?[\d.]+)\s+(-?[\d.]+)", line, re.IGNORECASE)
        if m:
            limits[_THRESHOLDS[m.group(1).lower()]] = tuple(float(m.group(i)) for i in range(2, 6))  # type: ignore[assignment]
    readings = []
    for kind, value in values.items():
        if kind not in limits:
            readings.append(Reading(kind, kind, SensorState.UNKNOWN, value, _UNITS[kind], detail="no thresholds"))
            continue
        ha, la, hw, lw = limits[kind]
        state = SensorState.FAIL if value >= ha or value <= la else (
            SensorState.WARN if value >= hw or value <= lw else SensorState.OK)
        readings.append(Reading(kind, kind, state, value, _UNITS[kind], hw, ha,
                                f"alarm {la}..{ha}, warning {lw}..{hw}"))
    pid = re.search(r"(?m)^\s*PID\s*:\s*(\S+)", text)
    serial = re.search(r"(?m)^\s*Serial Number\s*:\s*(\S+)", text)
    return readings, pid.group(1) if pid else "", serial.group(1).upper() if serial else ""


async def _optics(ctx: TestContext) -> contract.Optics:
    rd = NotingReader(ctx, DATA)
    out = contract.Optics()
    inventory = await rd.text("show inventory")
    if inventory is None:
        out.problems = rd.problems
        return out
    got = readers.show_inventory(inventory)
    for comp in got.components:
        m = re.search(r"(\d+/\d+/\d+/\d+)$", comp.name)
        if comp.kind.value != "optic" or not m:
            continue
        text = await rd.text(f"show controllers optics {m.group(1)}", fresh=True)
        if text is None:
            continue
        readings, pid, serial = optic_readings(text)
        out.optics.append(contract.Optic(comp.name, pid or comp.pid, serial or comp.serial, readings))
        if not readings:
            rd.problems.append(f"no DOM readings for the optic in {comp.name}")
    out.problems = rd.problems
    return out


# ---------------------------------------------------------------- wipe and its verification
_SECRET = re.compile(r"\b(secret|password|community|key)\b.*", re.IGNORECASE)


# What the bench itself needs to reach the unit is not the previous owner's: the first root-system user a unit
# is given (the bench's credential set) and the SSH server. XR's factory configuration is otherwise empty.
_FACTORY_USERS = {"cisco", "admin", "root"}
_BENCH_ACCESS = re.compile(r"^ssh server(?: v2| vrf default)?$")


def _redact(line: str) -> str:
    return _SECRET.sub(lambda m: f"{m.group(1)} <redacted>", line)


def config_leftovers(text: str) -> list[str]:
    """Everything in an XR running configuration beyond its header and the bench's own access is an owner's."""
    found: list[str] = []
    parent = ""
    for raw in text.splitlines():
        stripped = raw.strip()
        if not stripped or stripped.startswith("!") or stripped in ("end", "Building configuration..."):
            continue
        if re.match(r"^\w{3} \w{3}\s+\d+ \d\d:\d\d:\d\d", stripped):
            continue  # the timestamp line
        if raw[:1].isspace():
            m = re.match(r"^username (\S+)", parent)
            if not (m and m.group(1) in _FACTORY_USERS):
                found.append(_redact(f"{parent}: {stripped}"))
            continue
        parent = stripped
        m = re.match(r"^username (\S+)", stripped)
        if m:
            if m.group(1) not in _FACTORY_USERS:
                found.append(f"user {m.group(1)}")
        elif not _BENCH_ACCESS.match(stripped):
            found.append(_redact(stripped))
    return found


async def _read(ctx: TestContext, command: str) -> Shown:
    """`command` on the session itself, reading up to any XR prompt: after `commit replace` the hostname (and so
    the prompt the session learnt at login) has changed, and no new login is possible."""
    send_expect = getattr(ctx.cli, "send_expect", None)
    if send_expect is None:
        return await run_classified(ctx, DATA, command, fresh=True)
    try:
        out = sanitize(await send_expect(command, _ANY_PROMPT, timeout=60))
    except Exception as exc:
        return Shown(command, error=f"{command!r}: {type(exc).__name__}: {exc}"[:300])
    lines = out.splitlines()
    if lines and command in lines[0]:
        lines = lines[1:]  # the echo
    if lines and re.match(_ANY_PROMPT.removeprefix(r"(?:^|\n)"), lines[-1]):
        lines = lines[:-1]
    ctx.cache.pop(command, None)
    return classify(DATA, command, "\n".join(lines))


async def _files(ctx: TestContext, problems: list[str]) -> list[str] | None:
    out = []
    for command, prefix, factory in (("dir harddisk:", "harddisk:/", _FACTORY_FILES),
                                     ("dir harddisk:/dumper", "harddisk:/dumper/", None)):
        shown = await _read(ctx, command)
        if not shown.ok:
            problems.append(shown.problem)
            return None
        if "No files in directory" in shown.text:
            continue
        try:
            rows = parse(DATA.template_platform, DATA.template(command), shown.text) or []
        except ParseError as exc:
            problems.append(str(exc))
            return None
        out += [prefix + r["name"] for r in rows if r.get("name") and not (factory and factory.match(r["name"]))]
    return out


def _rollback_points(text: str) -> list[str]:
    return re.findall(r"(?m)^\s*\d+\s+(\d{10})\s", text)


async def _verify(ctx: TestContext) -> contract.WipeReport:
    rep = contract.WipeReport()
    rep.verified["channel"] = "cli"
    # XR boots with its committed configuration: there is no separate startup-config to read.
    judge_config(rep, await _read(ctx, "show running-config"), "startup_config", "committed configuration",
                 config_leftovers, clean="empty (factory)")
    commits = await _read(ctx, "show configuration commit list")
    if commits.ok:
        points = _rollback_points(commits.text)
        rep.verified["rollback_points"] = len(points)
        if len(points) > 1:
            rep.remaining.append(f"{len(points) - 1} earlier configurations kept as rollback points")
    else:
        rep.problems.append(commits.problem)
    files = await _files(ctx, rep.problems)
    if files is not None:
        rep.verified["flash_files"] = files or "none"
        rep.remaining += files
    return rep


def _step(rep: contract.WipeReport, command: str, output: str) -> None:
    rep.steps.append({"command": command, "output": output[:2000]})


async def _dialog(ctx: TestContext, rep: contract.WipeReport, steps: list[tuple[str, str]]) -> bool:
    for text, expect in steps:
        try:
            out = sanitize(await ctx.cli.send_expect(text, expect, timeout=120))
        except Exception as exc:
            rep.problems.append(f"{text!r}: {type(exc).__name__}: {exc}"[:300])
            return False
        _step(rep, text, out)
        refusal = DATA.refusal("\n".join(out.splitlines()[1:]))
        if refusal:
            rep.problems.append(f"{text!r} rejected: {refusal}")
            return False
    return True


async def _wipe(ctx: TestContext) -> contract.WipeReport:
    rep = contract.WipeReport()
    if getattr(ctx.cli, "send_expect", None) is None:
        rep.problems.append("the CLI channel cannot answer confirmation prompts (needs send_expect): nothing erased")
        return rep
    for path in await _files(ctx, rep.problems) or []:
        shown = await _read(ctx, f"delete /noprompt {path}")
        _step(rep, f"delete /noprompt {path}", shown.text or shown.error)
    config = r"(?:^|\n)RP/\S+\(config[^)\n]*\)#\s*$"
    if not await _dialog(ctx, rep, [("configure exclusive", config), ("commit replace", r"\[no\]:\s*$"),
                                    ("yes", config), ("end", _ANY_PROMPT)]):
        rep.problems.append("commit replace did not complete; the configuration may be unchanged")
        return rep
    rep.verified["method"] = "commit replace of an empty configuration (configure exclusive), rollback points " \
                             "cleared, owner files deleted"
    commits = await _read(ctx, "show configuration commit list")
    points = _rollback_points(commits.text) if commits.ok else []
    if len(points) > 1:
        command = f"clear configuration commits oldest {len(points) - 1}"
        shown = await _read(ctx, command)
        _step(rep, command, shown.text or shown.error)
    # No reload: the committed configuration is what the router boots with, and the empty one leaves no user to
    # log in with again over SSH; the verification runs on this session.
    rep.verified["reload"] = "not needed: the committed (now empty) configuration is the boot configuration"
    rep.verified["secure_erase"] = "none used: the releases the bench drives offer no zeroizing reset from the CLI"
    ctx.cache.clear()
    return rep


# ---------------------------------------------------------------- the platform
class CiscoXr:
    name = PLATFORM_NAME
    data = DATA
    identity = staticmethod(_identity)
    environment = staticmethod(_environment)
    logs = staticmethod(_logs)
    ports = staticmethod(_ports)
    link_states = staticmethod(_link_states)
    poe = staticmethod(_poe)
    optics = staticmethod(_optics)
    wipe = staticmethod(_wipe)
    verify_wiped = staticmethod(_verify)
    identity_readers = readers.READERS


PLATFORM = CiscoXr()
