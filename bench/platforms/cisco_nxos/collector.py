"""Cisco NX-OS collector: how a Nexus's CLI says what the generic network tests need to know.

ntc-templates' cisco_nxos templates parse `show version`, `show inventory`, `show module`, `show environment`,
`show interface`, `show interface status`, `show interface transceiver details` and `dir`; `show logging
logfile`, `show cores`, `show diagnostic result module all` and the transceivers' serials are read by hand
below. Every fact that could not be read is absent or UNKNOWN with a problem noted.
"""

from __future__ import annotations

import asyncio
import re
import time
from typing import Any

from bench.drivers.parsing import ParseError, parse
from bench.model import Reading, SensorState
from bench.platforms import contract
from bench.platforms.cisco_nxos import readers
from bench.platforms.cli import NotingReader, read_now, run_classified, send_classified
from bench.platforms.data import package_data
from bench.platforms.sensors import number_in, state_word
from bench.platforms.wipe import judge_config
from bench.tests_hw.base import TestContext

DATA = package_data(__file__)
PLATFORM_NAME = DATA.name

# Files NX-OS ships or makes itself on bootflash:; anything else there was put by an owner.
_FACTORY_FILES = re.compile(
    r"^(?:n\d{4}-\S+\.bin|nxos\S*\.bin|\.rpmstore/?|\.swtam/?|lost\+found/?|scripts/?|virt_strg_pool_bf_vdc_1/?"
    r"|platform-sdk\.cmd|bootflash_sync_list|disk_log\.txt|libmon\.logs|mem_log\.txt\S*|evt_log_snapshot/?"
    r"|home/?|\.patch/?|vdc_\d+/?|eem_snapshots/?|bios_bootup_scratch_not_cleared|poap\S*\.log|CpuUsage\.Log"
    r"|gold_file|dme_\S+|sysdebug/?)$", re.IGNORECASE)
_FAN_OK = {"ok"}
_FAN_FAIL = {"failure", "failed", "fail", "absent", "not ok", "down", "none"}
_PSU_OK = {"ok"}
_PSU_FAIL = {"fail_shutdown", "fail", "failed", "shutdown", "off_shutdown", "input-fail", "failure"}
# NX-OS 9.x prints a failed supply's status as "Fail/Shutdown", which the template's one-word status column
# cannot take: joined with "_" before parsing, judged as a failure after.
_SLASHED_STATUS = re.compile(r"(?m)^(\d+\s+\S+\s+.*\bW\s+)(\w+)/(\w+)\s*$")
_ABSENT = {"absent", "not present", "notpresent", "empty"}


def uptime_seconds(text: str) -> float | None:
    """Seconds from NX-OS's "123 day(s), 5 hour(s), 15 minute(s), 19 second(s)"."""
    scale = {"day": 86_400, "hour": 3_600, "minute": 60, "second": 1}
    parts = re.findall(r"(\d+)\s*(day|hour|minute|second)\(s\)", text.lower())
    return float(sum(int(n) * scale[u] for n, u in parts)) if parts else None


# ---------------------------------------------------------------- identity
async def _identity(ctx: TestContext) -> contract.CliIdentity:
    rd = NotingReader(ctx, DATA)
    out = contract.CliIdentity()
    text = await rd.text("show version")
    if text is not None:
        got = readers.show_version(text)
        rd.problems += got.problems
        out.model, out.serial = got.model, got.serial
        try:  # a template failure is already among the reader's problems
            v = (parse(DATA.template_platform, "show version", text) or [{}])[0]
        except ParseError:
            v = {}
        out.os_version = str(v.get("os") or "").strip()
        out.hostname = str(v.get("hostname") or "").strip()
        out.uptime = str(v.get("uptime") or "").strip()
        out.uptime_seconds = uptime_seconds(out.uptime) if out.uptime else None
        out.reload_reason = str(v.get("last_reboot_reason") or "").strip()
        if got.unreadable:
            rd.problems.append(got.unreadable)
    inventory = await rd.text("show inventory")
    if inventory is not None:
        got = readers.show_inventory(inventory)
        rd.problems += got.problems
        out.components = got.components
        # The inventory names the orderable PID (N9K-C93180YC-EX); `show version` only the chassis (C93180YC-EX).
        out.model = got.model or out.model
        out.serial = got.serial or out.serial
    out.problems = rd.problems
    return out


# ---------------------------------------------------------------- environment
def environment_readings(rows: list[dict[str, Any]]) -> tuple[list[Reading], list[str]]:
    """Fans, PSUs and temperatures of `show environment`, each temperature against its own minor (warn) and
    major (fail) thresholds; empty bays are absent, not failures."""
    readings: list[Reading] = []
    absent: list[str] = []
    for r in rows:
        if r.get("power_supply"):
            name, word = f"PowerSupply{r['power_supply']}", state_word(r.get("power_supply_status"))
            if word in _ABSENT:
                absent.append(name)
                continue
            state = SensorState.OK if word in _PSU_OK else SensorState.FAIL if word in _PSU_FAIL else \
                SensorState.UNKNOWN
            readings.append(Reading("psu", name, state, number_in(r.get("power_supply_output")), "W",
                                    detail=f"{r.get('power_supply_model') or '?'} status "
                                           f"{r.get('power_supply_status') or '?'}"))
        elif r.get("fan"):
            name, word = str(r["fan"]).strip(), state_word(r.get("fan_status"))
            if name.lower().startswith("fan_in_ps") and word in ("none", "absent"):
                continue  # the fan of an empty or failed PSU bay is the PSU's reading
            if word in _ABSENT:
                absent.append(name)
                continue
            state = SensorState.OK if word in _FAN_OK else SensorState.FAIL if word in _FAN_FAIL else \
                SensorState.UNKNOWN
            readings.append(Reading("fan", name, state, None, "", detail=f"status {r.get('fan_status') or '?'}"))
        elif r.get("temperature_sensor"):
            value = number_in(r.get("temperature_current"))
            minor, major = number_in(r.get("temperature_minor_thresh")), number_in(r.get("temperature_major_thresh"))
            word = state_word(r.get("temperature_status"))
            by_word = {"ok": SensorState.OK, "minor": SensorState.WARN, "major": SensorState.FAIL,
                       "alarm": SensorState.FAIL}.get(word)
            by_value = SensorState.UNKNOWN
            if value is not None and (minor is not None or major is not None):
                by_value = SensorState.FAIL if major is not None and value >= major else (
                    SensorState.WARN if minor is not None and value >= minor else SensorState.OK)
            states = [s for s in (by_word, by_value) if s is not None and s is not SensorState.UNKNOWN]
            rank = {SensorState.OK: 0, SensorState.WARN: 1, SensorState.FAIL: 2}
            state = max(states, key=rank.__getitem__) if states else SensorState.UNKNOWN
            name = f"module {r.get('temperature_module') or '?'} {str(r['temperature_sensor']).strip()}"
            readings.append(Reading("temperature", name, state, value, "C", minor, major,
                                    detail=f"status {r.get('temperature_status') or '?'}"))
    return readings, absent


async def _environment(ctx: TestContext) -> contract.Environment:
    rd = NotingReader(ctx, DATA)
    env = contract.Environment()
    text = await rd.text("show environment")
    rows = None if text is None else rd.parsed("show environment", _SLASHED_STATUS.sub(r"\1\2_\3", text))
    if rows is not None:
        env.readings, env.absent = environment_readings(rows)
        for kind in ("fan", "psu", "temperature"):
            if not any(x.kind == kind for x in env.readings):
                rd.problems.append(f"'show environment' listed no {kind}")
    env.problems = rd.problems
    return env


# ---------------------------------------------------------------- logs and POST
def log_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def core_files(text: str) -> list[str]:
    """`show cores`: one row per saved core (VDC, module, instance, process, PID, date)."""
    out = []
    for line in text.splitlines():
        m = re.match(r"^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(\d+)\s+(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)", line)
        if m:
            out.append(f"core of {m.group(4)} (PID {m.group(5)}) on module {m.group(2)}, {m.group(6)}")
    return out


async def _logs(ctx: TestContext) -> contract.LogEvidence:
    rd = NotingReader(ctx, DATA)
    ev = contract.LogEvidence()
    text = await rd.text("show logging logfile")
    if text is not None:
        ev.lines = log_lines(text)
    version = await rd.text("show version")
    if version is not None:
        m = re.search(r"(?m)^\s*Reason:\s*(.+?)\s*$", version)
        ev.reload_reason = m.group(1) if m else ""
    cores = await rd.text("show cores")
    if cores is not None:
        ev.crash_files += core_files(cores)
    ev.problems = rd.problems
    return ev


def post_steps(text: str) -> list[contract.PostStep]:
    """GOLD boot-up diagnostics of `show diagnostic result module all`: one step per test per module."""
    steps: list[contract.PostStep] = []
    module = ""
    word = {".": "passed", "F": "failed", "I": "incomplete", "U": "untested", "A": "aborted", "E": "error disabled"}
    for line in text.splitlines():
        m = re.match(r"^\s*Module (\d+):", line)
        if m:
            module = m.group(1)
            continue
        m = re.match(r"^\s*\d+\)\s*(\S+?)\s*-*>\s*(\S)", line)
        if m:
            steps.append(contract.PostStep(m.group(1), module, word.get(m.group(2), m.group(2))))
    return steps


async def _post(ctx: TestContext) -> contract.Post:
    shown = await run_classified(ctx, DATA, "show diagnostic result module all")
    if shown.kind == "refused":
        return contract.Post(unsupported=f"the unit refused it: {shown.rejected}")
    if not shown.ok:
        return contract.Post(problems=[shown.problem])
    steps = post_steps(shown.text)
    return contract.Post(steps=steps, output="" if steps else shown.text[:2000])


# ---------------------------------------------------------------- ports
def _speed(text: str) -> int | None:
    m = re.match(r"(\d+(?:\.\d+)?)\s*([GM])b/s", text.strip(), re.IGNORECASE)
    if not m:
        return None
    return int(float(m.group(1)) * (1000 if m.group(2).upper() == "G" else 1))


def _int(v: Any) -> int | None:
    n = number_in(v)
    return None if n is None else int(n)


def port_states(rows: list[dict[str, Any]], status_rows: list[dict[str, Any]]) -> list[contract.PortState]:
    status = {str(r.get("port") or "").strip().lower(): r for r in status_rows}
    ports = []
    for r in rows:
        name = str(r.get("interface") or "").strip()
        if not re.match(r"^Ethernet\d", name):
            continue  # front-panel ports only: not mgmt0, port-channels, VLAN interfaces
        link = state_word(r.get("link_status"))
        st = status.get("eth" + name.removeprefix("Ethernet").lower(), {})
        st_word = state_word(st.get("status"))
        linked: bool | None = True if link == "up" else False if link.startswith("down") else None
        admin = state_word(r.get("admin_state"))
        kind = str(st.get("type") or "").lower()
        counters = {key: n for key, col in (("crc", "crc"), ("input_errors", "input_errors"),
                                            ("output_errors", "output_errors"), ("runts", "runts"),
                                            ("giants", "giants"), ("collisions", "collisions"))
                    if (n := _int(r.get(col))) is not None}
        ports.append(contract.PortState(
            name=name,
            admin_up=True if admin == "up" else False if admin == "down" else None,
            link_up=linked,
            speed_mbps=_speed(str(r.get("speed") or "")) if linked else None,
            duplex="full" if "full" in state_word(r.get("duplex")) and linked else (
                "half" if "half" in state_word(r.get("duplex")) and linked else ""),
            media="copper" if "base" in kind and kind.endswith("t") else "fiber" if kind not in ("", "--") else "",
            err_disabled="err" in st_word or "errdisabled" in link,
            counters=counters,
        ))
    return ports


async def _ports(ctx: TestContext) -> contract.Ports:
    rd = NotingReader(ctx, DATA)
    out = contract.Ports()
    rows = await rd.rows("show interface", fresh=True)
    status = await rd.rows("show interface status", fresh=True) or []
    if rows is not None:
        out.ports = port_states(rows, status)
        if not out.ports:
            rd.problems.append("'show interface' listed no front-panel Ethernet port")
    out.problems = rd.problems
    return out


async def _link_states(ctx: TestContext) -> contract.Ports:
    """Link state only (`show interface status`, one short table): what the ports test polls to see a flap."""
    rd = NotingReader(ctx, DATA)
    out = contract.Ports()
    rows = await rd.rows("show interface status", fresh=True)
    for r in rows or []:
        port = str(r.get("port") or "").strip()
        if re.match(r"^Eth\d", port):
            word = state_word(r.get("status"))
            out.ports.append(contract.PortState(name="Ethernet" + port.removeprefix("Eth"), admin_up=word != "disabled",
                                                link_up=True if word == "connected" else False if word else None))
    out.problems = rd.problems
    return out


async def _poe(ctx: TestContext) -> contract.Poe:
    # No Nexus switch powers devices over its ports: the test does not apply.
    return contract.Poe(supported=False)


# ---------------------------------------------------------------- optics
_DOM = (("temperature", "temperature", "C"), ("voltage", "voltage", "V"), ("amps", "bias", "mA"),
        ("tx", "tx_power", "dBm"), ("rx", "rx_power", "dBm"))


def dom_reading(kind: str, unit: str, r: dict[str, Any], prefix: str) -> Reading:
    value = number_in(r.get(f"{prefix}_value"))
    ha, la = number_in(r.get(f"{prefix}_alarm_high")), number_in(r.get(f"{prefix}_alarm_low"))
    hw, lw = number_in(r.get(f"{prefix}_warn_high")), number_in(r.get(f"{prefix}_warn_low"))
    detail = f"alarm {la}..{ha}, warning {lw}..{hw}"
    if value is None:
        return Reading(kind, kind, SensorState.UNKNOWN, None, unit, hw, ha, "no value; " + detail)
    if (ha is not None and value >= ha) or (la is not None and value <= la):
        state = SensorState.FAIL
    elif (hw is not None and value >= hw) or (lw is not None and value <= lw):
        state = SensorState.WARN
    elif ha is None and la is None and hw is None and lw is None:
        state = SensorState.UNKNOWN
    else:
        state = SensorState.OK
    return Reading(kind, kind, state, value, unit, hw, ha, detail)


def transceiver_ids(text: str) -> dict[str, tuple[str, str]]:
    """port -> (cisco product id, serial) from the blocks of `show interface transceiver details`."""
    out: dict[str, tuple[str, str]] = {}
    port = ""
    pid = serial = ""
    for line in text.splitlines():
        m = re.match(r"^(Ethernet\S+)\s*$", line)
        if m:
            port, pid, serial = m.group(1), "", ""
            continue
        if not port:
            continue
        m = re.match(r"^\s+serial number is\s+(\S+)", line)
        if m:
            serial = m.group(1)
        m = re.match(r"^\s+cisco product id is\s+(\S+)", line)
        if m:
            pid = m.group(1)
        if pid or serial:
            out[port] = (pid, serial)
    return out


async def _optics(ctx: TestContext) -> contract.Optics:
    rd = NotingReader(ctx, DATA)
    out = contract.Optics()
    text = await rd.text("show interface transceiver details", fresh=True)
    if text is None:
        out.problems = rd.problems
        return out
    rows = rd.parsed("show interface transceiver details", text) or []
    ids = transceiver_ids(text)
    for r in rows:
        port = str(r.get("interface") or "").strip()
        if not port:
            continue
        pid, serial = ids.get(port, ("", ""))
        optic = contract.Optic(port, pid, serial.upper())
        optic.readings = [dom_reading(kind, unit, r, prefix) for prefix, kind, unit in _DOM]
        out.optics.append(optic)
    no_dom = sorted(set(ids) - {o.port for o in out.optics})
    if no_dom:
        rd.problems.append(f"no DOM readings for the optics in {', '.join(no_dom)}")
    out.problems = rd.problems
    return out


# ---------------------------------------------------------------- wipe and its verification
# Lines of a factory NX-OS configuration: anything else (a hostname, users beyond the factory admin, VLANs,
# features, SNMP communities, servers) is a previous owner's.
_DEFAULT_CONFIG = re.compile(
    r"^(?:!.*|version \S+.*|hostname switch|policy-map type network-qos \S+|vdc \S+ id 1|ip domain-lookup"
    r"|vlan 1|vrf context management|interface (?:Ethernet\S+|mgmt0)|line (?:console|vty)|boot (?:nxos|kickstart|"
    r"system) \S+.*|copp profile \S+|rmon event .*|system default switchport.*)$")
_FACTORY_USERS = {"admin", "cisco"}
_SECRET = re.compile(r"\b(secret|password|community|key)\b.*", re.IGNORECASE)


def _redact(line: str) -> str:
    return _SECRET.sub(lambda m: f"{m.group(1)} <redacted>", line)


def config_leftovers(text: str) -> list[str]:
    found: list[str] = []
    parent = ""
    for raw in text.splitlines():
        line = raw.rstrip()
        if not line.strip():
            continue
        if raw[:1].isspace():
            # Sub-commands of factory sections (a VDC's resource limits, mgmt0's VRF) are factory too.
            if parent and not _DEFAULT_CONFIG.match(parent) or parent.startswith("vlan "):
                found.append(_redact(f"{parent}: {line.strip()}"))
            continue
        parent = line.strip()
        m = re.match(r"^username (\S+)", parent)
        if m:
            if m.group(1) not in _FACTORY_USERS:
                found.append(f"user {m.group(1)}")
            continue
        if _DEFAULT_CONFIG.match(parent):
            continue
        found.append(parent if parent.startswith(("hostname ", "vlan ")) else _redact(parent))
    return found


async def _user_files(ctx: TestContext, problems: list[str]) -> list[str] | None:
    shown = await read_now(ctx, DATA, "dir bootflash:")
    if not shown.ok:
        problems.append(shown.problem)
        return None
    try:
        rows = parse(DATA.template_platform, DATA.template("dir bootflash:"), shown.text) or []
    except ParseError as exc:
        problems.append(str(exc))
        return None
    out = []
    for r in rows:
        name = str(r.get("item_name") or "").strip()
        if name and not _FACTORY_FILES.match(name):
            out.append(f"bootflash:{name}")
    return out


async def _verify(ctx: TestContext) -> contract.WipeReport:
    rep = contract.WipeReport()
    rep.verified["channel"] = "cli"  # the factory admin logs in again after the reset: checked over the CLI
    judge_config(rep, await read_now(ctx, DATA, "show startup-config"), "startup_config", "startup-config",
                 config_leftovers, absent=r"No startup configuration|not found|does not exist")
    judge_config(rep, await read_now(ctx, DATA, "show running-config"), "running_config", "running-config",
                 config_leftovers)
    files = await _user_files(ctx, rep.problems)
    if files is not None:
        rep.verified["flash_files"] = files or "none"
        rep.remaining += files
    cores = await read_now(ctx, DATA, "show cores")
    if cores.ok:
        left = core_files(cores.text)
        rep.verified["core_files"] = left or "none"
        rep.remaining += left
    return rep


def _step(rep: contract.WipeReport, command: str, output: str) -> None:
    rep.steps.append({"command": command, "output": output[:2000]})


async def _ask(ctx: TestContext, rep: contract.WipeReport, command: str, answer: str = "y") -> bool:
    """`command`, answering its `(y/n)` question with `answer`; False when it was refused or the session lost."""
    send_expect = getattr(ctx.cli, "send_expect", None)
    if send_expect is None:
        rep.problems.append(f"{command!r}: the CLI channel cannot answer confirmation prompts")
        return False
    try:
        out = await send_expect(command, r"\(y/n\)\??\s*\[n\]\s*$|\(yes/no(?:/abort)?\)\s*\[y\]\s*$|#\s*$",
                                timeout=60)
        _step(rep, command, out)
        refusal = DATA.refusal(out)
        if refusal:
            rep.problems.append(f"{command!r} rejected: {refusal}")
            return False
        if re.search(r"\[n\]\s*$|\[y\]\s*$", out):
            out = await send_expect(answer, r"#\s*$", timeout=120)
            _step(rep, answer, out)
    except Exception as exc:
        rep.problems.append(f"{command!r}: {type(exc).__name__}: {exc}"[:300])
        return False
    return True


async def _reload(ctx: TestContext, rep: contract.WipeReport, command: str) -> bool:
    """`reload` or `factory-reset`: answer its question; the session drops as the unit goes down."""
    try:
        out = await ctx.cli.send_expect(command, r"\(y/n\)\??\s*\[n\]\s*$|#\s*$", timeout=60)
        _step(rep, command, out)
        refusal = DATA.refusal(out)
        if refusal:
            _step(rep, command, f"refused: {refusal}")
            return False
        out = await ctx.cli.send_expect("y", r"\n", timeout=30)
        _step(rep, "y", out)
    except Exception as exc:  # the unit drops the session as it goes down: that is the reload happening
        _step(rep, "y", f"(session closed: the unit is reloading: {type(exc).__name__})")
    return True


async def _wait_back(ctx: TestContext, rep: contract.WipeReport, before: float | None) -> None:
    timing = DATA.reboot_timing(ctx.params)
    deadline = time.monotonic() + timing.timeout_s
    last = ""
    await asyncio.sleep(min(timing.poll_s, 2.0))  # the unit needs a moment to drop its sessions
    while time.monotonic() < deadline:
        shown = await send_classified(ctx.cli, DATA, "show version", timeout=30)
        if shown.kind == "lost":
            last = shown.error[:200]
            await asyncio.sleep(timing.poll_s)
            continue
        up = uptime_seconds(shown.text)
        _step(rep, "show version (after reload)", shown.text)
        rep.verified["back after reload"] = f"uptime {up:g}s" if up is not None else "answered"
        if before is not None and up is not None and up >= before:
            rep.problems.append(f"uptime did not restart ({before:g}s before, {up:g}s after): no reboot seen")
        return
    rep.problems.append(f"unit did not answer within {timing.timeout_s:g}s of the reload ({last})")


async def _wipe(ctx: TestContext) -> contract.WipeReport:
    """NX-OS's own reset: `factory-reset preserve-image` (a secure erase of persistent storage, N9K/N3K on
    9.3(5) and later) where the unit has it, else delete the owner's files, `write erase` and reload."""
    rep = contract.WipeReport()
    before = await send_classified(ctx.cli, DATA, "show version", timeout=60)
    _step(rep, "show version", before.text or before.error)
    up_before = uptime_seconds(before.text) if before.ok else None
    if await _reload(ctx, rep, "factory-reset preserve-image"):
        rep.verified["method"] = "factory-reset preserve-image (NX-OS secure erase of persistent storage)"
    else:
        # `write erase boot` is left out on purpose: it empties the boot variable, so the unit stops at loader>
        # on the next reload and only a console can boot it. The boot variable names the image, no owner data.
        rep.verified["method"] = "write erase (startup-config), owner files and cores deleted, reload"
        for command in [f"delete {path} no-prompt" for path in await _user_files(ctx, rep.problems) or []] + [
                "clear cores"]:
            shown = await send_classified(ctx.cli, DATA, command, timeout=60)
            _step(rep, command, shown.text or shown.error)
        if not await _ask(ctx, rep, "write erase"):
            rep.problems.append("startup-config could not be erased; not reloading")
            return rep
        await _reload(ctx, rep, "reload")
    ctx.cache.clear()  # everything read before the reload describes a unit that is gone
    await _wait_back(ctx, rep, up_before)
    return rep


# ---------------------------------------------------------------- the platform
class CiscoNxos:
    name = PLATFORM_NAME
    data = DATA
    identity = staticmethod(_identity)
    environment = staticmethod(_environment)
    logs = staticmethod(_logs)
    post = staticmethod(_post)
    ports = staticmethod(_ports)
    link_states = staticmethod(_link_states)
    poe = staticmethod(_poe)
    optics = staticmethod(_optics)
    wipe = staticmethod(_wipe)
    verify_wiped = staticmethod(_verify)
    identity_readers = readers.READERS


PLATFORM = CiscoNxos()
