"""Palo Alto Networks PAN-OS collector: PA-200 .. PA-5200 (and PA-VM for identity).

ntc-templates parses `show system info` and `show interface hardware`; `show system environmentals`
(each sensor with the unit's own alarm flag and limits), `show log system`, `show system files` (core
files), `show interface <port>` counters and `show transceiver-detail all` are read by hand. PAN-OS
refuses with "Unknown command: <word>" or "Invalid syntax." (platform.yaml).

Sanitization: `request system private-data-reset` (PAN-OS 9.0 and later) removes every log and the
configuration, then reboots to the factory default; the unit answers SSH again with admin/admin, and
the verification reads the running and saved configurations and the core files over the CLI. The
zeroizing scrub (NNSA or DoD) exists only in maintenance mode on the console; the report says which
reset was used.
"""

from __future__ import annotations

import re
import time
from typing import Any

from bench.drivers.parsing import ParseError, parse, sanitize
from bench.model import Component, ComponentKind, Reading, SensorState
from bench.platforms import contract
from bench.platforms.cli import Refused, command_reader, run_classified
from bench.platforms.data import package_data
from bench.platforms.paloalto_panos.identity import READERS, panos_show_system_info, system_info, uptime_seconds
from bench.platforms.sensors import unreadable
from bench.platforms.wipe import config_rules, wait_back
from bench.tests_hw.base import TestContext

DATA = package_data(__file__)
PLATFORM_NAME = DATA.name
RESET = "request system private-data-reset"


_read = command_reader(DATA)


# ---------------------------------------------------------------- environment
_SECTIONS = ("Thermal", "Fan Tray", "Fans", "Power", "Power Supplies")
_TEMP_ROW = re.compile(r"^\s*(\d+)\s+(\S.*?)\s+(True|False)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s*$")
_FAN_ROW = re.compile(r"^\s*(\d+)\s+(\S.*?)\s+(True|False)\s+(\d+)\s+(\d+)\s*$")
_FLAG_ROW = re.compile(r"^\s*(\d+)\s+(\S.*?)\s+(True|False)\s+(True|False)\s*$")


def parse_environmentals(text: str) -> dict[str, list[dict[str, Any]]]:
    """`show system environmentals`: per section, each row with the unit's alarm flag and its own limits."""
    out: dict[str, list[dict[str, Any]]] = {s: [] for s in _SECTIONS}
    section = ""
    for line in sanitize(text).splitlines():
        if line.strip() in _SECTIONS:
            section = line.strip()
            continue
        if section == "Thermal" and (m := _TEMP_ROW.match(line)):
            out[section].append({"name": m[2], "alarm": m[3] == "True", "value": float(m[4]), "min": float(m[5]),
                                 "max": float(m[6])})
        elif section == "Fans" and (m := _FAN_ROW.match(line)):
            out[section].append({"name": m[2], "alarm": m[3] == "True", "rpm": int(m[4]), "min": int(m[5])})
        elif section in ("Power Supplies", "Fan Tray") and (m := _FLAG_ROW.match(line)):
            out[section].append({"name": m[2], "alarm": m[3] == "True", "inserted": m[4] == "True"})
    return out


# ---------------------------------------------------------------- logs
_LOG_ROW = re.compile(r"^(\d{4}/\d\d/\d\d \d\d:\d\d:\d\d)\s+(\w+)\s+(\S+)\s+(.*)$")


def parse_system_log(text: str) -> list[str]:
    return [ln.strip() for ln in sanitize(text).splitlines() if _LOG_ROW.match(ln)]


def parse_core_files(text: str) -> list[str]:
    """Core files `show system files` lists (directories and crashinfo folders aside)."""
    return re.findall(r"(?m)^-\S+\s+\d+\s+\S+\s+\S+\s+\S+\s+\w{3}\s+\d+\s+[\d:]+\s+(\S+\.core\S*)\s*$", sanitize(text))


# ---------------------------------------------------------------- ports and optics
# The MAC's counters (rx-*) and the logical interface's (words), as `show interface <port>` prints both.
_PORT_COUNTERS = {"rx_bytes": "bytes received", "tx_bytes": "bytes transmitted", "input_errors": "receive errors",
                  "crc": "rx-crc-errors", "runts": "rx-runts", "giants": "rx-giants",
                  "discard_rx": "packets dropped", "output_errors": "transmit errors"}


def parse_port_counters(text: str) -> dict[str, int]:
    out = {}
    for key, label in _PORT_COUNTERS.items():
        m = re.search(rf"(?m)^{re.escape(label)}\s+(\d+)\s*$", text)
        if m:
            out[key] = int(m.group(1))
    return out


_DOM = {"Temperature (C)": ("temperature", "C"), "Voltage (V)": ("voltage", "V"), "Tx bias (mA)": ("bias", "mA"),
        "Tx power (dBm)": ("tx_power", "dBm"), "Rx power (dBm)": ("rx_power", "dBm")}


def parse_transceivers(text: str) -> list[dict[str, Any]]:
    """`show transceiver-detail all`: one block per port, values as `current / low alarm / low warning /
    high warning / high alarm`."""
    blocks: list[dict[str, Any]] = []
    cur: dict[str, Any] | None = None
    for line in sanitize(text).splitlines():
        m = re.match(r"^(ethernet\d+/\d+)\s*$", line)
        if m:
            cur = {"port": m.group(1), "dom": {}}
            blocks.append(cur)
            continue
        kv = re.match(r"^\s+(\S.*?)\s*:\s*(.*?)\s*$", line)
        if cur is None or not kv:
            continue
        key, val = kv.groups()
        if key in _DOM:
            nums = [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?", val)]
            if len(nums) == 5:
                cur["dom"][key] = nums
        elif key == "Part number":
            cur["pid"] = val
        elif key == "Serial number":
            cur["serial"] = val
    return blocks


def dom_readings(block: dict[str, Any]) -> list[Reading]:
    out = []
    for label, (kind, unit) in _DOM.items():
        got = block["dom"].get(label)
        if not got:
            continue
        value, lo_alarm, lo_warn, hi_warn, hi_alarm = got
        state = (SensorState.FAIL if value >= hi_alarm or value <= lo_alarm else
                 SensorState.WARN if value >= hi_warn or value <= lo_warn else SensorState.OK)
        detail = f"alarm {lo_alarm:g}..{hi_alarm:g}, warning {lo_warn:g}..{hi_warn:g}"
        out.append(Reading(kind, f"{block['port']} {kind}", state, value=value, unit=unit, warn_at=hi_warn,
                           fail_at=hi_alarm, detail=detail))
    return out


# ---------------------------------------------------------------- wipe helpers
_FACTORY_LINES = [re.compile(p) for p in (
    r"^set mgt-config users admin (?:phash \S+|permissions role-based superuser yes)$",
    r"^set deviceconfig system type dhcp-client ", r"^set deviceconfig system type static$",
    r"^set deviceconfig system update-server updates\.paloaltonetworks\.com$",
    r"^set deviceconfig system update-schedule ", r"^set deviceconfig setting ",
    r"^set deviceconfig system (?:ip-address 192\.168\.1\.1|netmask 255\.255\.255\.0|timezone \S+|service \S+ \S+)$",
    r"^set network virtual-wire default-vwire ", r"^set network interface ethernet ethernet1/[12] virtual-wire$",
    r"^set zone (?:trust|untrust) network virtual-wire ethernet1/[12]$", r"^set rulebase security rules rule1 ",
    r"^set vsys vsys1 (?:zone (?:trust|untrust) |rulebase security rules rule1 |import network interface )",
    r"^set shared ", r"^set network profiles ", r"^set network virtual-router default ",
)]


def config_leftovers(text: str, factory: re.Pattern[str], allowed: list[re.Pattern[str]]) -> list[str]:
    """`set` lines of a PAN-OS configuration that a factory-default unit would not have."""
    out: list[str] = []
    for raw in sanitize(text).splitlines():
        line = raw.strip()
        if not line.startswith("set ") or any(a.search(line) for a in allowed):
            continue
        host = re.match(r"^set deviceconfig system hostname (\S+)$", line)
        user = re.match(r"^set mgt-config users (\S+) ", line)
        if host:
            if not factory.fullmatch(host.group(1)):
                out.append(f"hostname {host.group(1)}")
        elif user and user.group(1) != "admin":
            out.append(f"administrator {user.group(1)}")
        elif not any(p.search(line) for p in _FACTORY_LINES):
            out.append(line[:200])
    return list(dict.fromkeys(out))


class PanosPlatform:
    name = PLATFORM_NAME
    data = DATA
    identity_readers = READERS

    async def identity(self, ctx: TestContext) -> contract.CliIdentity:
        out = contract.CliIdentity()
        try:
            text = await _read(ctx, "show system info", fresh=True)  # fresh: burn-in watches the uptime move
            got = panos_show_system_info(text)
            info = system_info(text)
            out.model, out.serial, out.problems = got.model, got.serial, got.problems
            if got.unreadable:
                out.problems.append(got.unreadable)
            out.hostname, out.os_version = info.get("hostname", ""), info.get("sw-version", "")
            out.uptime = info.get("uptime", "")
            out.uptime_seconds = uptime_seconds(out.uptime)
            if out.model:
                out.components.append(Component(ComponentKind.CHASSIS, "Chassis", pid=out.model, serial=out.serial,
                                                descr=f"Palo Alto Networks {out.model}", source="cli"))
        except Refused as exc:
            out.problems.append(str(exc))
        try:
            env = parse_environmentals(await _read(ctx, "show system environmentals"))
            out.components += [Component(ComponentKind.PSU, p["name"], descr="Power Supply", source="cli")
                               for p in env["Power Supplies"] if p["inserted"]]
            out.components += [Component(ComponentKind.FAN, f["name"], descr="Fan", source="cli") for f in env["Fans"]]
        except Refused as exc:
            out.problems.append(str(exc))
        try:
            for b in parse_transceivers(await _read(ctx, "show transceiver-detail all")):
                out.components.append(Component(ComponentKind.OPTIC, b["port"], pid=b.get("pid", ""),
                                                serial=b.get("serial", "").upper(), descr="transceiver", source="cli"))
        except Refused as exc:
            out.problems.append(str(exc))
        out.reload_reason = (await self.logs(ctx, fresh=False)).reload_reason
        return out

    async def environment(self, ctx: TestContext) -> contract.Environment:
        env = contract.Environment()
        try:
            got = parse_environmentals(await _read(ctx, "show system environmentals", fresh=True))
        except Refused as exc:
            unreadable(env, exc, ("fan", "fans"), ("psu", "psus"), ("temperature", "temperatures"))
            return env
        for t in got["Thermal"]:
            # The unit's own limits (Min C / Max C) and its own alarm flag: either one crossing is a failure.
            bad = t["alarm"] or t["value"] >= t["max"] or t["value"] <= t["min"]
            env.readings.append(Reading("temperature", t["name"], SensorState.FAIL if bad else SensorState.OK,
                                        value=t["value"], unit="C", fail_at=t["max"],
                                        detail=f"limits {t['min']:g}..{t['max']:g} C, alarm {t['alarm']}"))
        for f in got["Fans"]:
            bad = f["alarm"] or f["rpm"] < f["min"]
            env.readings.append(Reading("fan", f["name"], SensorState.FAIL if bad else SensorState.OK,
                                        value=float(f["rpm"]), unit="RPM",
                                        detail=f"min {f['min']} RPM, alarm {f['alarm']}"))
        for p in got["Power Supplies"]:
            if not p["inserted"]:
                env.absent.append(p["name"])
                continue
            env.readings.append(Reading("psu", p["name"], SensorState.FAIL if p["alarm"] else SensorState.OK,
                                        detail=f"alarm {p['alarm']}"))
        for kind, section in (("temperature", "Thermal"), ("fan", "Fans"), ("psu", "Power Supplies")):
            if not got[section]:
                env.problems.append(f"'show system environmentals' lists no {kind}")
        return env

    async def logs(self, ctx: TestContext, fresh: bool = True) -> contract.LogEvidence:
        ev = contract.LogEvidence()
        try:
            ev.lines = parse_system_log(await _read(ctx, "show log system", fresh=fresh, timeout=60))
        except Refused as exc:
            ev.problems.append(str(exc))
        try:
            ev.crash_files = parse_core_files(await _read(ctx, "show system files", fresh=fresh))
        except Refused as exc:
            ev.problems.append(str(exc))
        started = next((m.group(1) for ln in ev.lines if (m := re.search(r"system is starting up \((.*)\)", ln))), "")
        if ev.crash_files:
            ev.reload_reason = f"crash: core file {ev.crash_files[-1]}"
        else:
            ev.reload_reason = started or "not recorded by PAN-OS; no core file saved"
        return ev

    async def link_states(self, ctx: TestContext) -> contract.Ports:
        out = contract.Ports()
        try:
            rows = parse(self.name, "show interface hardware", await _read(ctx, "show interface hardware", fresh=True))
        except (Refused, ParseError) as exc:
            out.problems.append(str(exc))
            return out
        for r in rows or []:
            name = str(r.get("interface", ""))
            if not re.fullmatch(r"ethernet\d+/\d+", name):
                continue  # ha1, vlan, loopback, tunnel, ae: not ports of the harness
            state = str(r.get("state", "")).lower()
            up = state.startswith("up")
            speed = str(r.get("speed", ""))
            out.ports.append(contract.PortState(name=name, admin_up=True, link_up=up,
                                                speed_mbps=int(speed) if up and speed.isdigit() else None,
                                                duplex=str(r.get("duplex", "")) if up else ""))
        if not out.ports:
            out.problems.append("'show interface hardware' lists no ethernet port")
        return out

    async def ports(self, ctx: TestContext) -> contract.Ports:
        out = await self.link_states(ctx)
        for p in out.ports:
            try:
                p.counters = parse_port_counters(await _read(ctx, f"show interface {p.name}", fresh=True))
                if not p.counters:
                    out.problems.append(f"port {p.name}: no counters in 'show interface {p.name}'")
            except Refused as exc:
                out.problems.append(f"port {p.name}: {exc}")
        return out

    async def poe(self, ctx: TestContext) -> contract.Poe:
        return contract.Poe(supported=False)  # no PA-series firewall supplies PoE

    async def optics(self, ctx: TestContext) -> contract.Optics:
        out = contract.Optics()
        try:
            text = await _read(ctx, "show transceiver-detail all", fresh=True)
        except Refused as exc:
            out.problems.append(str(exc))
            return out
        for b in parse_transceivers(text):
            optic = contract.Optic(port=b["port"], pid=b.get("pid", ""), serial=b.get("serial", "").upper(),
                                   readings=dom_readings(b))
            out.add(optic)
        return out

    # ------------------------------------------------------------ wipe
    async def wipe(self, ctx: TestContext) -> contract.WipeReport:
        rep = contract.WipeReport()
        cli = ctx.cli
        if cli is None or not hasattr(cli, "send_expect"):
            rep.problems.append("the CLI channel cannot answer the reset's (y or n) question: nothing was erased")
            return rep
        rep.verified["method"] = f"{RESET} (logs and configuration removed, factory default on reboot)"
        before = await _uptime(ctx)
        try:
            out = await cli.send_expect(RESET, r"\(y or n\)\s*$", timeout=60)
            rep.steps.append({"command": RESET, "output": sanitize(out)[:2000]})
            refusal = DATA.refusal(sanitize(out))
            if refusal:
                rep.problems.append(f"{RESET!r} rejected: {refusal}")
                return rep
        except Exception as exc:
            rep.problems.append(f"{RESET!r}: {type(exc).__name__}: {exc}"[:300])
            return rep
        try:
            out = await cli.send_expect("y", r"initiated|going down", timeout=60)
            rep.steps.append({"command": "y", "output": sanitize(out)[:2000]})
        except Exception as exc:  # the session drops as the unit goes down: the reset happening
            rep.steps.append({"command": "y",
                              "output": f"(session closed: the unit is resetting: {type(exc).__name__})"})
        close = getattr(cli, "close", None)
        if close is not None:
            try:
                await close()
            except Exception as exc:
                rep.problems.append(f"closing the CLI after the reset: {type(exc).__name__}")
        ctx.cache.clear()
        timing = DATA.reboot_timing(ctx.params)
        back = await wait_back(ctx, _uptime, time.monotonic() + timing.timeout_s, timing.poll_s)
        if back is None:
            rep.problems.append(f"unit did not answer within {timing.timeout_s:g}s of the reset")
            return rep
        rep.verified["uptime_before_s"], rep.verified["uptime_after_s"] = before, back
        if before is not None and back >= before:
            rep.problems.append("uptime did not restart: the unit may not have rebooted")
        ctx.cache.clear()
        return rep

    async def verify_wiped(self, ctx: TestContext) -> contract.WipeReport:
        rep = contract.WipeReport()
        rep.verified["channel"] = getattr(ctx.cli, "kind", "cli")
        factory, allowed = config_rules(ctx.params, r"PA-[\w-]+")
        fmt = await run_classified(ctx, DATA, "set cli config-output-format set", fresh=True)
        if not fmt.ok:
            rep.problems.append(fmt.problem)
            return rep
        for command, label in (("show config saved running-config.xml", "startup_config"),
                               ("show config running", "running_config")):
            try:
                text = await _read(ctx, command, fresh=True, timeout=60)
            except Refused as exc:
                rep.problems.append(str(exc))
                continue
            if "set deviceconfig system" not in text:
                rep.problems.append(f"{command!r}: no configuration in the output")
                continue
            left = config_leftovers(text, factory, allowed)
            rep.verified[label] = "factory default" if not left else left
            rep.remaining += [f"{label}: {x}" for x in left if f"startup_config: {x}" not in rep.remaining]
        try:
            cores = parse_core_files(await _read(ctx, "show system files", fresh=True))
            rep.verified["flash_files"] = cores  # core files: private-data-reset removes them with the logs
            rep.remaining += [f"core file {c}" for c in cores]
        except Refused as exc:
            rep.problems.append(str(exc))
        return rep


PLATFORM = PanosPlatform()


async def _uptime(ctx: TestContext) -> float | None:
    shown = await run_classified(ctx, DATA, "show system info", fresh=True, timeout=30)
    return uptime_seconds(system_info(shown.text).get("uptime", "")) if shown.ok else None
