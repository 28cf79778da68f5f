"""Dell EMC OS10 collector: S/Z series switches (S3048-ON, S4048-ON, S4148F-ON, S5248F-ON, Z9100-ON).

ntc-templates has no OS10 template, so every command is read by hand here, on the outputs OS10 prints:
`show version` (System Type, uptime), `show inventory` (Service Tag and the PPID of every part),
`show system` (supplies and fan trays), `show environment` (thermal sensors), `show alarms` (what the unit
itself judged: a sensor over its threshold raises EQM_THERMAL_*), `show logging log-file`, `dir coredump`,
`show interface` and `show interface transceiver`. The serial is the Service Tag: what Dell's label, warranty
and support name (each part's PPID is kept with the part). The wipe is the one OS10 documents:
`delete startup-configuration` and `reload` (the unit boots its factory default, users included), with the
owner's files in `config:` deleted first; ONIE's `uninstall` (which erases the OS too) is not used.
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
from bench.platforms.poe import poe_refused
from bench.platforms.sensors import number_in, unreadable
from bench.platforms.wipe import come_back, config_rules, uptime_poll
from bench.tests_hw.base import TestContext

DATA = package_data(__file__)
PLATFORM_NAME = DATA.name
WIPE_METHOD = "delete startup-configuration, delete user files in config:, reload (factory default at boot)"
_UNITS = {"week": 604_800, "day": 86_400}
_FACTORY_FILES = re.compile(r"^(?:startup\.xml|\.\S*)$")  # what OS10 itself keeps in config:
# What a unit that refuses the bench's credentials needs, and why the bench stops there.
RECOVERY = ("password recovery on OS10 is GRUB's (edit the OS10 entry to boot the password-recovery script): the "
            "bench does not drive GRUB's editor, recover the unit by hand")
_SYSTEM_TYPE = re.compile(r"(?m)^\s*System Type\s*:\s*(\S+)")


_read = command_reader(DATA)


def uptime_seconds(text: str) -> float | None:
    """OS10's "1 day 00:54:13" / "3 weeks 2 days 04:01:09" (and OS9's "1 week(s), 2 day(s), 9 hour(s)")."""
    t = text.lower()
    m = re.search(r"(\d+):(\d\d):(\d\d)\s*$", t.strip())
    total = float(sum(int(n) * _UNITS[u] for n, u in re.findall(r"(\d+)\s*(week|day)", t)))
    if m:
        return total + int(m[1]) * 3600 + int(m[2]) * 60 + int(m[3])
    parts = re.findall(r"(\d+)\s*(hour|minute)", t)
    if not parts and not total:
        return None
    return total + sum(int(n) * (3600 if u == "hour" else 60) for n, u in parts)


# ---------------------------------------------------------------- identity readers (also the real-data test's)
def read_show_version(text: str) -> IdentityRead:
    """`show version` of OS10 (and of OS9/FTOS): the System Type is the model; neither prints a serial."""
    out = IdentityRead()
    m = _SYSTEM_TYPE.search(sanitize(text))
    if m:
        out.model = m.group(1).upper()
        return out
    try:  # OS9 images ntc-templates knows (dell_force10) print the type elsewhere
        rows = parse("dell_force10", "show version", text) or []
    except ParseError as exc:
        out.problems.append(str(exc))
        rows = []
    if rows and str(rows[0].get("device_type") or "").strip():
        out.model = str(rows[0]["device_type"]).strip().upper()
    return out


_INV_ROW = re.compile(r"^(\*)?\s*(\d+)\s+(\S+)\s+(\S+)\s+(\S+)\s+([A-Z]{2}-\S+)(?:\s+(\S+))?(?:\s+([\d ]+))?\s*$")


def inventory_rows(text: str) -> list[dict[str, str]]:
    """`show inventory` table rows: unit, type (PID), part number, revision, PPID, service tag (units only)."""
    out = []
    for line in sanitize(text).splitlines():
        m = _INV_ROW.match(line.strip())
        if m:
            out.append({"chassis": "y" if m[1] else "", "unit": m[2], "type": m[3], "part": m[4], "rev": m[5],
                        "ppid": m[6], "tag": m[7] or ""})
    return out


def _kind(pid: str) -> ComponentKind:
    if re.search(r"-PWR-|PSU", pid, re.IGNORECASE):
        return ComponentKind.PSU
    if re.search(r"FAN", pid, re.IGNORECASE):
        return ComponentKind.FAN
    return ComponentKind.MODULE


def read_show_inventory(text: str) -> IdentityRead:
    """The unit row (marked `*`) names the model and Service Tag; every other row is a part with its PPID."""
    out = IdentityRead()
    product = re.search(r"(?m)^Product\s*:\s*(\S+)", sanitize(text))
    for r in inventory_rows(text):
        if r["chassis"] or r["tag"]:
            out.model = out.model or r["type"].upper()
            out.take_serial(r["tag"], "show inventory")
            out.components.append(Component(ComponentKind.CHASSIS, f"Unit {r['unit']}", pid=r["type"].upper(),
                                            serial=r["tag"].upper(), descr=f"PPID {r['ppid']}, part {r['part']}",
                                            source="cli"))
        else:
            out.components.append(Component(_kind(r["type"]), r["type"], pid=r["type"].upper(),
                                            serial=r["ppid"].upper(), descr=f"part {r['part']} rev {r['rev']}",
                                            source="cli"))
    if not out.model and product:
        out.model = product.group(1).upper()
    return out


IDENTITY_READERS: dict[str, Callable[[str], IdentityRead]] = {
    "show version": read_show_version, "show inventory": read_show_inventory,
}


# ---------------------------------------------------------------- environment helpers
def _section(text: str, title: str) -> list[str]:
    """Lines of one `-- Title --` block of `show system`, after its dashed rule."""
    lines = sanitize(text).splitlines()
    out: list[str] = []
    inside = ruled = False
    for line in lines:
        if line.strip().startswith("--") and title.lower() in line.lower():
            inside, ruled = True, False
            continue
        if inside and line.strip().startswith("-- "):
            break
        if inside and re.match(r"^\s*-{5,}\s*$", line):
            ruled = True
            continue
        if inside and ruled and line.strip():
            out.append(line)
    return out


def parse_supplies(text: str) -> list[dict[str, str]]:
    """`show system` -- Power Supplies --: id, status (up / fail / absent), type, speed."""
    out = []
    for line in _section(text, "Power Supplies"):
        cols = line.split()
        if cols and cols[0].isdigit():
            out.append({"id": cols[0], "status": cols[1].lower() if len(cols) > 1 else "",
                        "rpm": cols[5] if len(cols) > 5 else ""})
    return out


def parse_fan_trays(text: str) -> list[dict[str, str]]:
    out = []
    for line in _section(text, "Fan Status"):
        cols = line.split()
        if cols and cols[0].isdigit():
            out.append({"id": cols[0], "status": cols[1].lower() if len(cols) > 1 else "",
                        "rpm": cols[4] if len(cols) > 4 else ""})
    return out


def parse_sensors(text: str) -> list[dict[str, Any]]:
    """`show environment` thermal sensors: unit, sensor id, name, degrees C."""
    out = []
    for line in sanitize(text).splitlines():
        m = re.match(r"^\s*(\d+)\s+(\d+)\s+(\S.*?)\s+(-?\d+(?:\.\d+)?)\s*$", line)
        if m:
            out.append({"unit": m[1], "sensor": m[2], "name": m[3], "value": float(m[4])})
    return out


def parse_alarms(text: str) -> list[dict[str, str]]:
    """`show alarms`: severity, name and source of each active alarm."""
    out = []
    for line in sanitize(text).splitlines():
        m = re.match(r"^\s*\d+\s+(critical|major|minor|warning|informational)\s+(\S+)\s+.*?(\S+)\s*$", line,
                     re.IGNORECASE)
        if m:
            out.append({"severity": m[1].lower(), "name": m[2], "source": m[3]})
    return out


# ---------------------------------------------------------------- logs helpers
_EVENT = re.compile(r"^<\d+>\d\s+(\S+)\s+\S+\s+(\S+)\s.*?Dell EMC \(OS10\)\s+(%[A-Z0-9_]+):\s*(.*)$")


def parse_log(text: str) -> tuple[list[str], str]:
    """Event log lines ("<stamp> <process> %TAG: message") and the last reboot reason it recorded."""
    lines, reason = [], ""
    for raw in sanitize(text).splitlines():
        m = _EVENT.match(raw.strip())
        if not m:
            continue
        lines.append(f"{m[1]} {m[2]} {m[3]}: {m[4].strip()}")
        r = re.search(r"reboot reason:\s*(.+)$", m[4], re.IGNORECASE)
        if r:
            reason = r.group(1).strip()
    return lines, reason


def parse_dir(text: str) -> list[str]:
    """File names of a `dir <folder>` listing."""
    return [m.group(1) for m in re.finditer(r"^\s*\d{4}-\d\d-\d\dT\S+\s+\d+\s+(\S.*?)\s*$", sanitize(text),
                                            re.MULTILINE)]


# ---------------------------------------------------------------- ports and optics helpers
_IF_HEAD = re.compile(r"(?m)^Ethernet (\d+/\d+/\d+(?::\d+)?) is (up|down|admin down), line protocol is (\w+)")


def port_states(text: str) -> list[contract.PortState]:
    text = sanitize(text)
    heads = list(_IF_HEAD.finditer(text))
    out = []
    for i, h in enumerate(heads):
        body = text[h.end(): heads[i + 1].start() if i + 1 < len(heads) else len(text)]
        link = h[3] == "up"
        counters: dict[str, int] = {}
        for key, rx in (("crc", r"(\d+) CRC"), ("runts", r"(\d+) runts"), ("giants", r"(\d+) giants"),
                        ("rx_bytes", r"Input statistics:\s+\d+ packets, (\d+) octets"),
                        ("tx_bytes", r"Output statistics:\s+\d+ packets, (\d+) octets"),
                        ("overrun", r"(\d+) overrun")):
            m = re.search(rx, body)
            if m:
                counters[key] = int(m.group(1))
        inp = re.search(r"Input statistics:(.*?)Output statistics:", body, re.DOTALL)
        outp = re.search(r"Output statistics:(.*?)(?:Rate Info|$)", body, re.DOTALL)
        if inp and all(k in counters for k in ("crc", "runts", "giants", "overrun")):
            # OS10 prints no input-error total: CRC, runts, giants and overruns are the frames lost on input.
            counters["input_errors"] = sum(counters[k] for k in ("crc", "runts", "giants", "overrun"))
        if outp:
            coll = re.search(r"(\d+) Collisions", outp.group(1))
            if coll:
                counters["output_errors"] = int(coll.group(1))
        speed = re.search(r"LineSpeed (\d+)([GM])", body)
        mbps = int(speed[1]) * (1000 if speed[2] == "G" else 1) if speed and link else None
        media = "fiber" if "Pluggable media present" in body else "" if "Pluggable media not present" in body \
            else "copper"
        out.append(contract.PortState(name=f"ethernet{h[1]}", admin_up=h[2] != "admin down", link_up=link,
                                      speed_mbps=mbps, duplex="full" if link else "", media=media,
                                      counters=counters))
    return out


def transceivers(text: str) -> dict[str, dict[str, Any]]:
    """`show interface transceiver`: per port the vendor PN and SN, the DOM values and the four limits each."""
    out: dict[str, dict[str, Any]] = {}
    for line in sanitize(text).splitlines():
        m = re.match(r"^\s*\S+\s+(\d+/\d+/\d+(?::\d+)?)\s+(.+?)\s*=\s*(.*?)\s*$", line)
        if not m:
            continue
        port, key, val = f"ethernet{m[1]}", m[2].strip(), m[3]
        cur = out.setdefault(port, {"values": {}, "limits": {}})
        if key == "Vendor PN":
            cur["pid"] = val
        elif key == "Vendor SN":
            cur["serial"] = val
        elif key == "Media Type":
            cur["media"] = val
        t = re.match(r"^(Temp|Voltage|Bias|TX Power|RX Power) (High|Low) (Alarm|Warning) threshold$", key)
        if t:
            cur["limits"].setdefault(t[1], {})[f"{t[2]} {t[3]}"] = number_in(val)
        elif key in ("Temperature", "Voltage", "Tx Bias Current", "Tx Power", "Rx Power"):
            cur["values"][key] = number_in(val)
    return out


_DOM = (("Temperature", "Temp", "temperature", "C"), ("Voltage", "Voltage", "voltage", "V"),
        ("Tx Bias Current", "Bias", "bias", "mA"), ("Tx Power", "TX Power", "tx_power", "mW"),
        ("Rx Power", "RX Power", "rx_power", "mW"))


def judge(value: float | None, lim: dict[str, float | None]) -> SensorState:
    """Against the module's own four limits."""
    keys = ("High Alarm", "Low Alarm", "High Warning", "Low Warning")
    if value is None or any(lim.get(k) is None for k in keys):
        return SensorState.UNKNOWN
    hi_a, lo_a, hi_w, lo_w = (float(lim[k]) for k in keys)  # type: ignore[arg-type]
    if value > hi_a or value < lo_a:
        return SensorState.FAIL
    if value > hi_w or value < lo_w:
        return SensorState.WARN
    return SensorState.OK


def dom_readings(port: str, info: dict[str, Any]) -> list[Reading]:
    out = []
    for label, short, kind, unit in _DOM:
        value = info["values"].get(label)
        if value is None:
            continue
        lim = info["limits"].get(short, {})
        state = judge(value, lim)
        detail = (f"{value:g}{unit}; alarm {lim.get('Low Alarm')}..{lim.get('High Alarm')}, warning "
                  f"{lim.get('Low Warning')}..{lim.get('High Warning')}")
        out.append(Reading(kind, f"{port} {kind}", state, value=value, unit=unit, warn_at=lim.get("High Warning"),
                           fail_at=lim.get("High Alarm"), detail=detail[:200]))
    return out


# ---------------------------------------------------------------- wipe helpers
_DEFAULT_LINES = [re.compile(p) for p in (
    r"^!", r"^ip vrf default$", r"^iscsi target port \d+$", r"^interface (?:vlan1|ethernet\S+|mgmt\S+)$",
    r"^no shutdown$", r"^switchport access vlan 1$", r"^flowcontrol (?:receive|transmit) (?:on|off)$",
    r"^(?:no )?ip address dhcp$", r"^ipv6 address autoconfig$", r"^support-assist$",
    r"^policy-map type application policy-iscsi$", r"^class-map type application class-iscsi$",
    r"^username admin password \S+ role sysadmin(?: priv-lvl 15)?$", r"^exit$",
)]
_FACTORY_HOSTNAME = r"^OS10$"


def config_leftovers(text: str, factory: re.Pattern[str], allowed: list[re.Pattern[str]]) -> list[str]:
    """Lines of an OS10 configuration a factory-default unit would not have (secrets named, never copied)."""
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
        if any(p.search(line) for p in _DEFAULT_LINES):
            continue
        m = re.match(r"^username\s+(\S+)", line)
        if m:
            out.append(f"username {m.group(1)}")
            continue
        line = re.sub(r"\b(key(?: \d)?|password|secret|community)\s+\S+", r"\1 ***", line)
        out.append(line[:200])
    return out


_uptime = uptime_poll(_read, "show version", uptime_seconds, pattern=r"(?m)^Up Time:\s*(.+?)\s*$")


def _step(rep: contract.WipeReport, command: str, text: str) -> None:
    rep.steps.append({"command": command, "output": text[:2000]})


# ---------------------------------------------------------------- the platform
class Os10Platform:
    name = PLATFORM_NAME
    data = DATA
    identity_readers = IDENTITY_READERS

    async def identity(self, ctx: TestContext) -> contract.CliIdentity:
        out = contract.CliIdentity()
        try:
            text = await _read(ctx, "show version", fresh=True)  # fresh: burn-in follows the uptime through it
            out.model = read_show_version(text).model
            v = re.search(r"(?m)^OS Version:\s*(\S+)", text)
            up = re.search(r"(?m)^Up Time:\s*(.+?)\s*$", text)
            out.os_version = v.group(1) if v else ""
            out.uptime = up.group(1) if up else ""
            out.uptime_seconds = uptime_seconds(out.uptime) if up else None
        except Refused as exc:
            out.problems.append(str(exc))
        try:
            inv = read_show_inventory(await _read(ctx, "show inventory"))
            out.model = inv.model or out.model
            out.serial = inv.serial
            out.components = inv.components
            if inv.unreadable:
                out.problems.append(f"show inventory: {inv.unreadable}")
            elif not inv.serial:
                out.problems.append("'show inventory' names no Service Tag")
        except Refused as exc:
            out.problems.append(str(exc))
        try:
            for port, t in transceivers(await _read(ctx, "show interface transceiver")).items():
                out.components.append(Component(ComponentKind.OPTIC, f"Transceiver {port}",
                                                pid=str(t.get("pid", "")).upper(),
                                                serial=str(t.get("serial", "")).upper(),
                                                descr=str(t.get("media", "")), source="cli"))
        except Refused as exc:
            out.problems.append(str(exc))
        try:
            running = await _read(ctx, "show running-configuration", timeout=60)
            m = re.search(r"(?m)^hostname\s+(\S+)", running)
            out.hostname = m.group(1) if m else "OS10"  # the factory default prints no hostname line
        except Refused as exc:
            out.problems.append(str(exc))
        logs = await self.logs(ctx, fresh=False)
        out.reload_reason = logs.reload_reason
        return out

    # ------------------------------------------------------------ environment
    async def environment(self, ctx: TestContext) -> contract.Environment:
        env = contract.Environment()
        alarms: list[dict[str, str]] = []
        try:
            alarms = parse_alarms(await _read(ctx, "show alarms", fresh=True))
        except Refused as exc:
            env.problems.append(str(exc))
        try:
            system = await _read(ctx, "show system", fresh=True)
            psus, fans = parse_supplies(system), parse_fan_trays(system)
            if not psus or not fans:
                raise Refused("'show system' lists no power supply or fan tray")
            for kind, rows, label in (("psu", psus, "PSU"), ("fan", fans, "Fan tray")):
                for r in rows:
                    name = f"{label} {r['id']}"
                    if r["status"] in ("absent", "not-present", "not present", "empty"):
                        env.absent.append(name)
                        continue
                    state = (SensorState.OK if r["status"] == "up" else SensorState.FAIL
                             if r["status"] in ("fail", "down", "fault") else SensorState.UNKNOWN)
                    env.readings.append(Reading(kind, name, state, value=number_in(r["rpm"]), unit="RPM",
                                                detail=f"status {r['status']}"))
        except Refused as exc:
            unreadable(env, exc, ("psu", "psus"), ("fan", "fans"))
        try:
            sensors = await read_rows(ctx, _read, "show environment", parse_sensors, "thermal sensor")
            hot = {a["source"].rsplit("/", 1)[-1]: a for a in alarms if "THERMAL" in a["name"] or "TEMP" in a["name"]}
            for s in sensors:
                # OS10 prints no thresholds: the unit judges its own sensors and raises an alarm at its threshold.
                alarm = hot.get(s["sensor"])
                state = SensorState.OK if alarm is None else (
                    SensorState.FAIL if alarm["severity"] in ("critical", "major") else SensorState.WARN)
                detail = f"alarm {alarm['name']} ({alarm['severity']})" if alarm else "no alarm raised"
                env.readings.append(Reading("temperature", s["name"], state, value=s["value"], unit="C",
                                            detail=detail))
        except Refused as exc:
            unreadable(env, exc, ("temperature", "temperatures"))
        return env

    # ------------------------------------------------------------ logs
    async def logs(self, ctx: TestContext, fresh: bool = True) -> contract.LogEvidence:
        ev = contract.LogEvidence()
        try:
            ev.lines, ev.reload_reason = parse_log(await _read(ctx, "show logging log-file", fresh=fresh, timeout=60))
        except Refused as exc:
            ev.problems.append(str(exc))
        try:
            ev.crash_files = [f"coredump:{f}" for f in parse_dir(await _read(ctx, "dir coredump", fresh=fresh))]
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
        except Refused as exc:
            out.problems.append(str(exc))
        return out

    async def link_states(self, ctx: TestContext) -> contract.Ports:
        out = contract.Ports()
        try:
            text = await _read(ctx, "show interface status", fresh=True)
        except Refused as exc:
            out.problems.append(str(exc))
            return out
        for line in sanitize(text).splitlines():
            m = re.match(r"^\s*Eth\s+(\d+/\d+/\d+(?::\d+)?)\s+(?:.*?\s)?(up|down)\s+\S+\s+\S+", line)
            if m:
                out.ports.append(contract.PortState(name=f"ethernet{m[1]}", admin_up=None, link_up=m[2] == "up"))
        return out

    # ------------------------------------------------------------ poe
    async def poe(self, ctx: TestContext) -> contract.Poe:
        try:
            text = await _read(ctx, "show inline power", fresh=True)
        except Refused as exc:
            # S/Z series have no PoE: OS10 does not know the command there.
            return poe_refused(exc)
        return contract.Poe(supported=True, problems=[f"'show inline power' not read: {text[:80]!r}"])

    # ------------------------------------------------------------ optics
    async def optics(self, ctx: TestContext) -> contract.Optics:
        out = contract.Optics()
        try:
            found = transceivers(await _read(ctx, "show interface transceiver", fresh=True))
        except Refused as exc:
            out.problems.append(str(exc))
            return out
        for port, info in found.items():
            optic = contract.Optic(port=port, pid=str(info.get("pid", "")).upper(),
                                   serial=str(info.get("serial", "")).upper(), readings=dom_readings(port, info))
            out.add(optic)
        return out

    # ------------------------------------------------------------ wipe
    async def wipe(self, ctx: TestContext) -> contract.WipeReport:
        rep = contract.WipeReport()
        rep.verified["method"] = WIPE_METHOD
        shown = await run_classified(ctx, DATA, "show version", fresh=True, timeout=20)
        up = re.search(r"(?m)^Up Time:\s*(.+?)\s*$", shown.text) if shown.ok else None
        before = uptime_seconds(up.group(1)) if up else None
        if before is None:  # never wipe blind: an unreachable CLI (unknown password) would be waited on in vain
            why = shown.problem or "no uptime"
            rep.problems.append(f"nothing wiped: the CLI did not answer 'show version' ({why})"
                                + (f"; {RECOVERY}" if "AuthFailed" in why else ""))
            return rep
        try:
            files = [f for f in parse_dir(await _read(ctx, "dir config", fresh=True)) if not _FACTORY_FILES.match(f)]
        except Refused as exc:
            rep.problems.append(str(exc))
            files = []
        for f in files:
            shown = await send_classified(ctx.cli, DATA, f"delete config://{f}", timeout=30)
            _step(rep, f"delete config://{f}", shown.text or shown.error)
            if not shown.ok:
                rep.problems.append(shown.problem)
        shown = await send_classified(ctx.cli, DATA, "delete startup-configuration", timeout=30)
        _step(rep, "delete startup-configuration", shown.text or shown.error)
        if shown.rejected and "does not exist" not in shown.rejected:
            rep.problems.append(shown.problem)
        await self._reload(ctx, rep)
        if not await come_back(ctx, DATA, rep, _uptime, before, "the reload", same_is_restart=False):
            return rep
        ctx.cache.clear()
        return rep

    async def _reload(self, ctx: TestContext, rep: contract.WipeReport) -> None:
        """`reload`: never save (that would write the owner's running configuration back), then confirm."""
        cli = ctx.cli
        dialog = getattr(cli, "send_expect", None)
        try:
            if dialog is None:  # a channel without dialogs: the answers travel with the command
                shown = await send_classified(cli, DATA, "reload\nno\nyes", timeout=30)
                _step(rep, "reload; no; yes", shown.text or "(session ended: the unit is reloading)")
                return
            out = await dialog("reload", r"\[yes/no\]:?\s*$|\[confirm yes/no\]:?\s*$", timeout=60)
            _step(rep, "reload", out)
            if "Save?" in out:
                out = await dialog("no", r"\[confirm yes/no\]:?\s*$", timeout=60)
                _step(rep, "no", out)
            try:
                out = await dialog("yes", r"\n", timeout=30)
                _step(rep, "yes", out)
            except Exception as exc:  # over SSH the unit drops the session as it goes down: the reload happening
                _step(rep, "yes", f"(session closed: the unit is reloading: {type(exc).__name__})")
        except Exception as exc:
            rep.problems.append(f"reload: {type(exc).__name__}: {exc}"[:300])

    async def verify_wiped(self, ctx: TestContext) -> contract.WipeReport:
        rep = contract.WipeReport()
        factory, allowed = config_rules(ctx.params, _FACTORY_HOSTNAME)
        rep.verified["channel"] = getattr(ctx.cli, "kind", "cli")
        shown = await run_classified(ctx, DATA, "show startup-configuration", fresh=True, timeout=60)
        if shown.rejected and re.search(r"does not exist|not found|no such file", shown.rejected, re.IGNORECASE):
            rep.verified["startup_config"] = "none saved: the unit boots its factory default"
        elif not shown.ok:
            rep.problems.append(shown.problem)
        else:
            left = config_leftovers(shown.text, factory, allowed)
            rep.verified["startup_config"] = "factory default" if not left else left
            rep.remaining += [f"startup_config: {x}" for x in left]
        try:
            left = config_leftovers(await _read(ctx, "show running-configuration", fresh=True, timeout=60), factory,
                                    allowed)
            rep.verified["running_config"] = "factory default" if not left else left
            rep.remaining += [f"running_config: {x}" for x in left if f"startup_config: {x}" not in rep.remaining]
        except Refused as exc:
            rep.problems.append(str(exc))
        try:
            files = parse_dir(await _read(ctx, "dir config", fresh=True))
            rep.verified["flash_files"] = files
            rep.remaining += [f"config:{f}" for f in files if not _FACTORY_FILES.match(f)]
        except Refused as exc:
            rep.problems.append(str(exc))
        return rep


PLATFORM = Os10Platform()
