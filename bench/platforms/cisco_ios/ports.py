"""Cisco IOS / IOS-XE: ports, PoE, optics DOM, TDR, and the manufacturer reset (wipe) with its verification.

Facts only; the tests in bench/tests_hw/ judge them. Counters and link states are read fresh every
time (never from the session's command cache): the ports test and the burn-in compare readings over
time. `show interfaces`, `show interfaces status`, `show power inline`, `show inventory`, `show version`
and `dir` parse with ntc-templates; `show interfaces transceiver detail` (the index maps it to the
summary template, which does not fit the detail tables) and the TDR report are parsed here.

The wipe answers the unit's confirmation prompts, which a plain `send` cannot do: it needs the CLI
channel to offer `send_expect(text, expect, timeout)` - type `text` and Enter, return the output up to
the first match of the regex `expect` (see `DialogChannel`).
"""

from __future__ import annotations

import asyncio
import re
import time
from typing import Any, Protocol, runtime_checkable

from bench.drivers.parsing import ParseError, parse, sanitize
from bench.model import ComponentKind, Reading, SensorState
from bench.platforms import contract
from bench.platforms.cisco_ios import owner_data
from bench.platforms.cisco_ios.owner_data import owner_configuration
from bench.platforms.cli import Shown, run_classified, send_classified
from bench.platforms.contract import CablePair, CableTest, port_key
from bench.platforms.data import package_data
from bench.platforms.identity_readers import component_kind
from bench.platforms.sensors import number
from bench.tests_hw.base import CliChannel, TestContext

DATA = package_data(__file__)
_TEMPLATES = DATA.template_platform
_OUTPUT_KEEP = 2000  # characters of each step's answer kept in the sanitization record


@runtime_checkable
class DialogChannel(Protocol):
    async def send_expect(self, text: str, expect: str, timeout: float = 30.0) -> str: ...


async def _send(channel: CliChannel, command: str, timeout: float = 30.0) -> Shown:
    """One command on a given channel, bypassing the session cache; failures become data."""
    return await send_classified(channel, DATA, command, timeout)


async def _fresh(ctx: TestContext, command: str, timeout: float = 30.0) -> Shown:
    """Readings that change over time must not come from the cache."""
    return await run_classified(ctx, DATA, command, fresh=True, timeout=timeout)


def _rows(platform: str, shown: Shown, problems: list[str]) -> list[dict[str, Any]] | None:
    """Template rows of a command's output, or None with the reason added to problems."""
    if not shown.ok:
        problems.append(shown.problem)
        return None
    try:
        return parse(platform, DATA.template(shown.command), shown.text) or []
    except ParseError as exc:
        problems.append(str(exc))
        return None


def _int(v: Any) -> int | None:
    s = str(v or "").strip()
    return int(s) if s.isdigit() else None


# ---------------------------------------------------------------------------------------- ports

_VIRTUAL = re.compile(r"^(vlan|loopback|tunnel|null|port-channel|po\d|nve|bdi|virtual|ap\d|bluetooth|appgig)",
                      re.IGNORECASE)


def _speed_mbps(text: str) -> int | None:
    """'a-1000', '1000', 'a-10G', '1000Mb/s', '10Gb/s' -> Mb/s; 'auto' and garbage -> None."""
    m = re.search(r"(\d+(?:\.\d+)?)\s*([GM]?)", text.removeprefix("a-"), re.IGNORECASE)
    if not m or "auto" in text.lower():
        return None
    value = float(m.group(1)) * (1000 if m.group(2).upper() == "G" else 1)
    return int(value)


def _duplex(text: str) -> str:
    t = text.lower()
    return "full" if "full" in t else "half" if "half" in t else ""


def _media(text: str) -> str:
    t = text.lower()
    if not t or "not present" in t or t == "unknown":
        return ""
    if "baset" in t or "10/100" in t or "rj45" in t:
        return "copper"
    return "fiber" if re.search(r"sfp|base-?[a-z]*x|\blr\b|\bsr\b|fiber|gbic", t) else ""


def _status_ports(rows: list[dict[str, Any]]) -> dict[str, contract.PortState]:
    out: dict[str, contract.PortState] = {}
    for r in rows:
        name = str(r.get("port", "")).strip()
        if not name or _VIRTUAL.match(name):
            continue
        status = str(r.get("status", "")).lower()
        link = True if status == "connected" else False if status in (
            "notconnect", "disabled", "err-disabled", "inactive", "down", "suspended") else None
        out[port_key(name)] = contract.PortState(
            name=name,
            admin_up=False if status == "disabled" else True if status else None,
            link_up=link,
            speed_mbps=_speed_mbps(str(r.get("speed", ""))) if link else None,
            duplex=_duplex(str(r.get("duplex", ""))) if link else "",
            media=_media(str(r.get("type", ""))),
            err_disabled=status == "err-disabled",
        )
    return out


def _interface_ports(rows: list[dict[str, Any]], have: dict[str, contract.PortState]) -> None:
    """Merge `show interfaces` rows (full names, counters) into the status-table ports."""
    for r in rows:
        name = str(r.get("interface", "")).strip()
        if not name or _VIRTUAL.match(name):
            continue
        link_status = str(r.get("link_status", "")).lower()
        proto = str(r.get("protocol_status", "")).lower()
        k = port_key(name)
        st = have.get(k)
        if st is None:
            link = True if link_status == "up" and proto.startswith("up") else (
                False if "down" in link_status else None)
            st = contract.PortState(name=name, admin_up="administratively" not in link_status if link_status else None,
                                    link_up=link, err_disabled="err-disabled" in proto,
                                    speed_mbps=_speed_mbps(str(r.get("speed", ""))) if link else None,
                                    duplex=_duplex(str(r.get("duplex", ""))) if link else "",
                                    media=_media(str(r.get("media_type", ""))))
            have[k] = st
        st.name = name  # prefer the full name
        if "err-disabled" in proto:
            st.err_disabled, st.link_up = True, False
        if not st.media:
            st.media = _media(str(r.get("media_type", "")))
        for field, key in (("crc", "crc"), ("input_errors", "input_errors"), ("runts", "runts"),
                           ("giants", "giants"), ("output_errors", "output_errors")):
            value = _int(r.get(key))
            if value is not None:
                st.counters[field] = value


# ---------------------------------------------------------------------------------------- optics

_DOM_KINDS = {"temperature": ("temperature", "C"), "voltage": ("voltage", "V"), "current": ("current", "mA"),
              "transmit": ("tx_power", "dBm"), "receive": ("rx_power", "dBm")}
_DOM_ROW = re.compile(r"^(?P<port>[A-Za-z][\w\-]*\d+(?:/\d+)*)\s+(?P<value>-?\d+(?:\.\d+)?|N/?A)\s*"
                      r"(?P<flag>\+\+|--|\+|-)?\s+(?P<th>(?:-?\d+(?:\.\d+)?|N/?A)(?:\s+(?:-?\d+(?:\.\d+)?|N/?A)){3})"
                      r"\s*$")


_SUBSLOT_OPTIC = re.compile(r"subslot\s+(\d+/\d+)\s+transceiver\s+(\d+)", re.IGNORECASE)


def _port_numbers(port: str) -> str:
    """Gi0/0/2 -> 0/0/2: the slot/subslot/port numbers an inventory name shares with the port."""
    m = re.search(r"\d+(?:/\d+)*$", port)
    return m.group(0) if m else port


def parse_transceiver_detail(text: str) -> dict[str, dict[str, dict[str, Any]]]:
    """port -> kind -> {value, flag, thresholds: (high alarm, high warn, low warn, low alarm)}."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    kind: str | None = None
    for line in sanitize(text).splitlines():
        low = line.lower()
        for word, (k, _unit) in _DOM_KINDS.items():
            # Table titles: "Temperature  Threshold ...", "Transmit Power  Threshold ..."
            if re.match(rf"^\s+(?:optical\s+)?{word}\b", low) and "threshold" in low:
                kind = k
        m = _DOM_ROW.match(line.strip())
        if kind is None or m is None:
            continue
        th = tuple(number(x) for x in m.group("th").split())
        out.setdefault(m.group("port"), {})[kind] = {"value": number(m.group("value")), "flag": m.group("flag") or "",
                                                    "thresholds": th}
    return out



def _dom_state(value: float | None, th: tuple[float | None, ...], flag: str) -> SensorState:
    """Against the optic's own thresholds; the unit's own alarm flag counts even if a threshold is N/A."""
    if value is None:
        return SensorState.UNKNOWN
    ha, hw, lw, la = (list(th) + [None] * 4)[:4]
    if flag in ("++", "--") or (ha is not None and value >= ha) or (la is not None and value <= la):
        return SensorState.FAIL
    if flag in ("+", "-") or (hw is not None and value >= hw) or (lw is not None and value <= lw):
        return SensorState.WARN
    if all(t is None for t in (ha, hw, lw, la)):
        return SensorState.UNKNOWN  # no thresholds to judge against
    return SensorState.OK


def _dom_readings(port: str, dom: dict[str, dict[str, Any]]) -> list[Reading]:
    out = []
    for k, unit in ((k, u) for k, u in _DOM_KINDS.values()):
        d = dom.get(k)
        if d is None:
            continue
        th = d["thresholds"]
        ha, hw, lw, la = (list(th) + [None] * 4)[:4]
        out.append(Reading(kind=k, name=f"{port} {k}", state=_dom_state(d["value"], th, d["flag"]), value=d["value"],
                           unit=unit, warn_at=hw, fail_at=ha,
                           detail=f"thresholds high alarm {ha}, high warn {hw}, low warn {lw}, low alarm {la}"
                                  + (f"; unit flags {d['flag']}" if d["flag"] else "")))
    return out


# ---------------------------------------------------------------------------------------- TDR

_TDR_PAIR = re.compile(r"Pair\s+(?P<pair>[A-D])\s+(?P<len>\d+(?:\.\d+)?|N/?A)?\s*(?:\+/-\s*\d+\s*\w+)?\s+"
                       r"(?P<remote>Pair\s+[A-D]|N/?A)?\s*(?P<status>[A-Za-z][\w\- ]*?)\s*$")
_TDR_BUSY = re.compile(r"in progress|not completed|running", re.IGNORECASE)


def parse_tdr(port: str, text: str) -> CableTest:
    t = CableTest(port=port)
    for line in sanitize(text).splitlines():
        m = _TDR_PAIR.search(line)
        if m:
            length = number(m.group("len") or "")
            t.pairs.append(CablePair(pair=m.group("pair"), status=m.group("status").strip(), length_m=length,
                                     remote=(m.group("remote") or "").replace("Pair", "").strip()))
    return t


# ---------------------------------------------------------------------------------------- wipe

# Files a Catalyst/ISR ships with besides its image: never previous-owner data.
FACTORY_FILES = frozenset({
    "multiple-fs", "info", "info.ver", "nvram_config", "nvram_config_size", "env_vars", "system_env_vars",
    "dc_profile_dir", "express_setup.debug", "pnp-info", "pnp-tech", "onep", "tracelogs", "throughput_monitor_params",
    "bootloader_evt_handle.log", "mode_event_log", "vlan.dat-renamed",
})
# No inline flags: channels may wrap the pattern in a group of their own.
_PROMPT = r"(?:^|\n)[\w.\-/:]{1,64}#\s*$"
_CONFIG_PROMPT = r"\(config[\w\-]*\)#\s*$"
_STARTUP_ABSENT = re.compile(r"startup-config is not present|not been set up|no\s+startup|"
                             r"non-volatile configuration memory is not present", re.IGNORECASE)


def _expected_register(ctx: TestContext, model: str) -> str | None:
    """The boot register a manufacturer reset leaves: 0x2102 on routers, 0xF on a 2960-X; else untouched."""
    given = ctx.params.get("config_register")
    if given:
        return str(given)
    m = model.upper()
    if "router" in ctx.profile_name or m.startswith(("ISR", "CISCO", "C8", "C1")):
        return "0x2102"
    if "2960X" in m or "2960-X" in m or "2960XR" in m:
        return "0xF"
    return None


def _same_register(a: str, b: str) -> bool:
    try:
        return int(a, 16) == int(b, 16)
    except ValueError:
        return a.strip().lower() == b.strip().lower()


def _image_top(running_image: str) -> str:
    """'flash:/c2960x-.../c2960x-...bin' -> 'c2960x-...' (the image's directory or the file itself)."""
    path = running_image.split(":", 1)[-1].strip().strip('"')
    parts = [p for p in path.split("/") if p]
    return parts[0] if parts else ""


def _step(report: contract.WipeReport, command: str, output: str) -> None:
    report.steps.append({"command": command, "output": sanitize(output).strip()[-_OUTPUT_KEEP:]})


# `show power inline`'s budget table: "Module   Available     Used     Remaining" then one row per module/member.
_BUDGET_ROW = re.compile(r"^\s*(\d+)\s+(\d+(?:\.\d+)?)\s+(\d+(?:\.\d+)?)\s+(-?\d+(?:\.\d+)?)\s*$")


def poe_budgets(text: str) -> dict[str, tuple[float, float]]:
    """Module -> (available W, used W) from the budget table at the head of `show power inline`."""
    out: dict[str, tuple[float, float]] = {}
    in_table = False
    for line in text.splitlines():
        if re.match(r"^\s*Module\s+Available\s+Used", line):
            in_table = True
            continue
        if in_table and line.strip().startswith("Interface"):
            break
        m = _BUDGET_ROW.match(line) if in_table else None
        if m:
            out[m.group(1)] = (float(m.group(2)), float(m.group(3)))
    return out


class CiscoIosPorts:
    """Ports, PoE, optics and wipe for Cisco IOS / IOS-XE; the rest of the collector composes it."""

    name = _TEMPLATES

    # ---------------------------------------------------------------- ports
    async def link_states(self, ctx: TestContext) -> contract.Ports:
        """Link/speed/duplex only (`show interfaces status`): cheap enough to poll."""
        problems: list[str] = []
        rows = _rows(_TEMPLATES, await _fresh(ctx, "show interfaces status"), problems)
        if rows is None:  # routers have no status table: fall back to the full read
            return await self.ports(ctx)
        return contract.Ports(ports=list(_status_ports(rows).values()), problems=problems)

    async def ports(self, ctx: TestContext) -> contract.Ports:
        platform = _TEMPLATES
        problems: list[str] = []
        status = _rows(platform, await _fresh(ctx, "show interfaces status"), problems)
        have = _status_ports(status) if status else {}
        if status is None and problems and "rejected" in problems[-1]:
            problems.pop()  # routers have no `show interfaces status`: `show interfaces` says it all
        detail = _rows(platform, await _fresh(ctx, "show interfaces", timeout=60), problems)
        if detail:
            _interface_ports(detail, have)
        return contract.Ports(ports=list(have.values()), problems=problems)

    async def cable_test(self, ctx: TestContext, port: str) -> CableTest:
        """TDR: start the test, then read the report until it is complete (it takes a few seconds)."""
        started = await _fresh(ctx, f"test cable-diagnostics tdr interface {port}")
        if not started.ok:
            why = started.error or started.missing or started.rejected
            return CableTest(port=port, supported=bool(started.error), problems=[why])
        if re.search(r"not supported", started.text, re.IGNORECASE):
            return CableTest(port=port, supported=False, problems=[started.text.strip()[:200]])
        deadline = time.monotonic() + float(ctx.params.get("tdr_timeout", 20))
        while True:
            shown = await _fresh(ctx, f"show cable-diagnostics tdr interface {port}")
            if not shown.ok:
                return CableTest(port=port, problems=[shown.error or shown.missing or shown.rejected])
            got = parse_tdr(port, shown.text)
            busy = _TDR_BUSY.search(shown.text) is not None or "never issued" in shown.text
            if got.pairs and not busy:
                return got
            if time.monotonic() >= deadline:
                got.problems.append(f"TDR did not complete within the deadline: {shown.text.strip()[:160]}")
                return got
            await asyncio.sleep(1.0)  # the PHY needs seconds to measure; poll its report until done

    # ---------------------------------------------------------------- PoE
    async def poe(self, ctx: TestContext) -> contract.Poe:
        shown = await _fresh(ctx, "show power inline")
        if shown.rejected:
            return contract.Poe(supported=False, problems=[f"'show power inline' rejected: {shown.rejected}"])
        problems: list[str] = []
        rows = _rows(_TEMPLATES, shown, problems)
        if rows is None:
            return contract.Poe(supported=True, problems=problems)
        ports = []
        for r in rows:
            oper = str(r.get("operational_status", "")).lower()
            state = ("on" if oper == "on" else "off" if oper == "off" else
                     "fault" if oper.startswith(("fault", "err")) or "overload" in oper else
                     "denied" if "den" in oper else "unknown")
            try:
                watts: float | None = float(r.get("power", ""))
            except ValueError:
                watts = None
            cls = str(r.get("class", "")).strip()
            ports.append(contract.PoePort(name=str(r.get("interface", "")), state=state,
                                          poe_class="" if cls.lower() == "n/a" else cls, watts=watts,
                                          detail=f"oper {oper}, device {r.get('device', '')}".strip()))
        return contract.Poe(supported=True, ports=ports, problems=problems, budgets=poe_budgets(shown.text))

    # ---------------------------------------------------------------- optics
    async def optics(self, ctx: TestContext) -> contract.Optics:
        problems: list[str] = []
        inserted = await self._inserted_optics(ctx, problems)
        shown = await _fresh(ctx, "show interfaces transceiver detail")
        dom: dict[str, dict[str, dict[str, Any]]] = {}
        if shown.ok:
            dom = parse_transceiver_detail(shown.text)
        else:
            problems.append(shown.error or shown.missing or f"no DOM command: {shown.rejected}")
        out: dict[str, contract.Optic] = {}
        numbered = {_port_numbers(p): p for p in dom}
        for name, (pid, serial) in inserted.items():
            # An ISR names the optic of Gi0/0/2 "subslot 0/0 transceiver 2": file it under that port.
            sub = _SUBSLOT_OPTIC.fullmatch(name)
            port = numbered.get(f"{sub.group(1)}/{sub.group(2)}", name) if sub else name
            out[port_key(port)] = contract.Optic(port=port, pid=pid, serial=serial)
        for port, tables in dom.items():
            optic = out.setdefault(port_key(port), contract.Optic(port=port))
            optic.readings = _dom_readings(optic.port, tables)
        return contract.Optics(optics=list(out.values()), problems=problems)

    async def _inserted_optics(self, ctx: TestContext, problems: list[str]) -> dict[str, tuple[str, str]]:
        """Port -> (PID, serial) of the transceivers `show inventory` lists (cached: optics sit still)."""
        shown = await run_classified(ctx, DATA, "show inventory")
        rows = _rows(_TEMPLATES, shown, problems) or []
        out = {}
        for r in rows:
            name, pid = str(r.get("name", "")).strip(), str(r.get("pid", "")).strip()
            if component_kind(name, str(r.get("descr", "")), pid) is ComponentKind.OPTIC and re.search(r"\d", name):
                out[name] = (pid, str(r.get("sn", "")).strip().upper())
        return out

    # ---------------------------------------------------------------- wipe
    async def verify_wiped(self, ctx: TestContext) -> contract.WipeReport:
        """What previous-owner data the unit holds: startup-config, vlan.dat, user files, boot register.

        Tries the CLI first and the console second: after a manufacturer reset SSH has no users, so the
        console is the only way in."""
        report = contract.WipeReport()
        channels = [(n, c) for n, c in (("cli", ctx.cli), ("console", ctx.console)) if c is not None]
        for name, channel in channels:
            startup = await _send(channel, "show startup-config", timeout=60)
            if startup.error:
                report.problems.append(f"{name}: {startup.error}")
                continue
            report.verified["channel"] = name
            await self._inspect(ctx, channel, startup, report)
            return report
        if not channels:
            report.problems.append("no CLI or console channel")
        return report

    async def _inspect(self, ctx: TestContext, channel: CliChannel, startup: Shown,
                       report: contract.WipeReport) -> None:
        platform = _TEMPLATES
        if startup.rejected:
            report.problems.append(f"'show startup-config' rejected: {startup.rejected}")
        elif _STARTUP_ABSENT.search(startup.text):
            report.verified["startup_config"] = "not present"
        elif not startup.text.strip():  # silence is not "erased": IOS says so in words
            report.problems.append("'show startup-config' answered nothing")
        else:
            lines = [ln for ln in startup.text.splitlines() if ln.strip() and not ln.startswith("!")]
            host = re.search(r"(?m)^hostname (\S+)", startup.text)
            report.verified["startup_config"] = f"present: {len(lines)} lines" + (
                f", hostname {host.group(1)}" if host else "")
            report.remaining.append(f"startup-config ({report.verified['startup_config']})")
        if "startup_config" in report.verified:  # refurb-steps: was the unit configured for someone's network?
            report.verified["owner_configuration"] = owner_configuration(startup.text) if startup.ok else []
        version = await _send(channel, "show version", timeout=60)
        image, register, model = "", "", ""
        vrows = _rows(platform, version, report.problems)
        if vrows:
            image = _image_top(str(vrows[0].get("running_image", "")))
            register = str(vrows[0].get("config_register", ""))
            model = next(iter(vrows[0].get("hardware") or []), "") or ctx.identity.model
        if register:
            report.verified["config_register"] = register
            want = _expected_register(ctx, model)
            if want and not _same_register(register, want):
                report.remaining.append(f"config register {register} (factory {want})")
        files = await self._flash_files(channel, platform, report.problems)
        if files is None:
            return
        report.verified["flash_files"] = sorted(files)
        report.verified["vlan_dat"] = "present" if "vlan.dat" in files else "absent"
        if "vlan.dat" in files:
            report.remaining.append(f"flash:vlan.dat ({files['vlan.dat'][0]} bytes)")
        keep = FACTORY_FILES | {image} | set(ctx.params.get("factory_files") or [])
        user = sorted(f for f in files if f not in keep and f != "vlan.dat")
        report.verified["user_files"] = user
        report.remaining.extend(f"flash:{f}" for f in user)
        if not image:
            report.problems.append("running image unknown: user files cannot be told from the image")
        await owner_data.member_files(channel, keep, report)  # refurb-steps: other members', a standby's flash
        await owner_data.inspect(channel, report)  # refurb-steps: keys, certificates, licences, day 0

    async def _flash_files(self, channel: CliChannel, platform: str,
                           problems: list[str]) -> dict[str, tuple[int, bool]] | None:
        """Top-level flash entries: name -> (size, is a directory)."""
        shown = await _send(channel, "dir flash:", timeout=60)
        rows = _rows(platform, shown, problems)
        if rows is None:
            return None
        out = {}
        for r in rows:
            name = str(r.get("name", "")).strip()
            if name:
                out[name.rstrip("/")] = (_int(r.get("size")) or 0, str(r.get("permissions", "")).startswith("d"))
        if not out and "Directory of" not in shown.text:
            problems.append("'dir flash:' listed nothing parseable")
            return None
        return out

    async def wipe(self, ctx: TestContext) -> contract.WipeReport:
        """write erase, delete vlan.dat and user files, reset the boot register, reload without saving,
        then wait on the console until the unit is back (without a console, say it could not be)."""
        report = contract.WipeReport()
        cli = ctx.cli
        if cli is None:
            report.problems.append("no CLI channel")
            return report
        if not isinstance(cli, DialogChannel):
            report.problems.append("the CLI channel cannot answer confirmation prompts (needs send_expect): "
                                   "nothing was erased")
            return report
        platform = _TEMPLATES
        version = await _send(cli, "show version", timeout=60)
        vrows = _rows(platform, version, report.problems) or [{}]
        image = _image_top(str(vrows[0].get("running_image", "")))
        model = next(iter(vrows[0].get("hardware") or []), "") or ctx.identity.model
        register = str(vrows[0].get("config_register", ""))

        # refurb-steps: what survives write erase (keys, trustpoints, NVRAM certificates, Smart Licensing) first.
        found = contract.WipeReport()
        await owner_data.inspect(cli, found)
        await owner_data.remove(cli, found, report, self._dialog, _CONFIG_PROMPT, _PROMPT)
        if owner_data.has_secure_reset(version.text) and not ctx.params.get("no_factory_reset"):
            # Catalyst 9000 on IOS-XE 16.x and later: the vendor's own wipe of flash, NVRAM and licence store.
            await self._secure_reset(ctx, cli, report)
            return report
        if not await self._dialog(cli, report, [("write erase", r"\[confirm\]"), ("", _PROMPT)]):
            return report
        if not re.search(r"\[OK\]|complete", report.steps[-1]["output"], re.IGNORECASE):
            report.problems.append("write erase did not confirm the erase")
        files = await self._flash_files(cli, platform, report.problems) or {}
        doomed = [f for f in files if f not in FACTORY_FILES | {image} | set(ctx.params.get("factory_files") or [])]
        if not image:
            doomed = [f for f in doomed if f in ("vlan.dat", "config.text", "private-config.text")]
            report.problems.append("running image unknown: only vlan.dat and config files deleted")
        for f in sorted(doomed, key=lambda f: f != "vlan.dat"):
            command = f"delete /force /recursive flash:{f}" if files[f][1] else f"delete /force flash:{f}"
            shown = await _send(cli, command, timeout=60)
            _step(report, command, shown.text or shown.error)
            if not shown.ok or re.search(r"%Error", shown.text):
                report.problems.append(f"{command}: {shown.error or shown.rejected or shown.text.strip()[:160]}")
        keep = FACTORY_FILES | {image} | set(ctx.params.get("factory_files") or [])
        for fs, names in (await owner_data.member_files(cli, keep, contract.WipeReport())).items():
            for f in names:  # refurb-steps: every other stack member's (and a standby's) leftovers
                command = f"delete /force {fs}{f}"
                shown = await _send(cli, command, timeout=60)
                _step(report, command, shown.text or shown.error)
                if not shown.ok or re.search(r"%Error", shown.text):
                    report.problems.append(f"{command}: {shown.error or shown.rejected or shown.text.strip()[:160]}")
        want = _expected_register(ctx, model)
        if want and register and not _same_register(register, want):
            steps = [("configure terminal", _CONFIG_PROMPT), (f"config-register {want}", _CONFIG_PROMPT),
                     ("end", _PROMPT)]
            if not await self._dialog(cli, report, steps):
                return report
        pre = contract.WipeReport()
        startup = await _send(cli, "show startup-config", timeout=60)
        await self._inspect(ctx, cli, startup, pre)
        report.verified["pre_reload"] = {"findings": pre.verified, "remaining": pre.remaining,
                                         "problems": pre.problems}
        await self._reload(ctx, cli, report)
        return report

    async def _dialog(self, cli: DialogChannel, report: contract.WipeReport, steps: list[tuple[str, str]],
                      tolerate: bool = False) -> bool:
        """Type each step and read to its expected answer. `tolerate`: a refused line is kept as a step and the
        dialog goes on (a line this model does not have, e.g. `no license smart enable` on IOS-XE)."""
        for text, expect in steps:
            try:
                out = await cli.send_expect(text, expect, timeout=60)
            except Exception as exc:
                report.problems.append(f"{text or '<Enter>'!r}: {type(exc).__name__}: {exc}"[:300])
                return False
            _step(report, text or "<Enter>", out)
            refusal = DATA.refusal(sanitize(out))
            if refusal and not tolerate:
                report.problems.append(f"{text!r} rejected: {refusal}")
                return False
        return True

    async def _secure_reset(self, ctx: TestContext, cli: DialogChannel, report: contract.WipeReport) -> None:
        """`factory-reset all secure`, then the unit back on the console; its completion is verified after the
        reload by the sanitization check's own verification (day 0, nothing left) and the unit's log line."""
        pre = contract.WipeReport()
        await self._inspect(ctx, cli, await _send(cli, "show startup-config", timeout=60), pre)
        report.verified["pre_reload"] = {"findings": pre.verified, "remaining": pre.remaining,
                                         "problems": pre.problems}
        report.verified["method"] = "factory-reset all secure"
        try:
            out = await cli.send_expect("factory-reset all secure", r"\[confirm\]\s*$", timeout=60)
            _step(report, "factory-reset all secure", out)
            out = await cli.send_expect("", r"\n", timeout=30)
            _step(report, "<Enter>", out)
        except Exception as exc:
            if not report.steps or report.steps[-1]["command"] != "factory-reset all secure":
                report.problems.append(f"factory-reset all secure: {type(exc).__name__}: {exc}"[:300])
                return
            _step(report, "<Enter>", f"(session closed: the unit is resetting: {type(exc).__name__})")
        await self._back_after_reload(ctx, report)
        console = ctx.console or (ctx.cli if getattr(ctx.cli, "kind", "") == "console" else None)
        if console is not None and report.verified.get("post_reload") == "console":
            log = await _send(console, "show logging", timeout=120)
            done = [ln.strip() for ln in log.text.splitlines() if re.search(r"FACTORY_RESET|factory reset", ln,
                                                                               re.IGNORECASE)]
            report.verified["factory_reset_log"] = done[-1][:300] if done else "no completion message logged"

    async def _reload(self, ctx: TestContext, cli: DialogChannel, report: contract.WipeReport) -> None:
        confirmed = False
        try:
            out = await cli.send_expect("reload", r"\[yes/no\]:?\s*$|\[confirm\]\s*$", timeout=60)
            _step(report, "reload", out)
            if "yes/no" in out:
                # Saving now would write the old running configuration straight back: always no.
                out = await cli.send_expect("no", r"\[confirm\]\s*$", timeout=60)
                _step(report, "no", out)
            confirmed = True
            out = await cli.send_expect("", r"\n", timeout=30)
            _step(report, "<Enter>", out)
        except Exception as exc:
            if not confirmed:
                report.problems.append(f"reload: {type(exc).__name__}: {exc}"[:300])
                return
            # Over SSH the unit drops the session as it goes down: that is the reload happening.
            _step(report, "<Enter>", f"(session closed: the unit is reloading: {type(exc).__name__})")
        await self._back_after_reload(ctx, report)

    async def _back_after_reload(self, ctx: TestContext, report: contract.WipeReport) -> None:
        """Channels of the old boot closed; the unit awaited on the console (a wiped unit has no SSH users)."""
        ctx.cache.clear()  # everything read before the reload is stale
        for channel in (ctx.cli, ctx.console):
            close = getattr(channel, "close", None)
            if close is not None:
                try:
                    await close()  # the next send reopens and walks the line from the boot
                except Exception as exc:
                    report.problems.append(f"closing a channel after reload: {type(exc).__name__}")
        report.verified["reloaded"] = True
        console = ctx.console or (ctx.cli if getattr(ctx.cli, "kind", "") == "console" else None)
        if console is None:
            report.verified["post_reload"] = "not possible: no console on this slot, and after a manufacturer " \
                                             "reset SSH has no users"
            return
        back = await _send(console, "show version", timeout=DATA.reboot_timing(ctx.params).timeout_s)
        _step(report, "show version (console, after reload)", back.text or back.error)
        if back.error:
            report.problems.append(f"unit not back on the console after reload: {back.error}")
            report.verified["post_reload"] = f"not possible: {back.error}"
        else:
            report.verified["post_reload"] = "console"
