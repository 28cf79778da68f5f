"""Cisco ASA collector: ASA 5500-X and Firepower in ASA mode, ASA software 9.x.

ntc-templates parses `show version`, `show inventory`, `show interface`, `show logging` and `dir`;
`show environment`, `show crashinfo`, `show crypto key mypubkey rsa` and the per-port error counters
(the `show interface` template does not keep them) are read by hand here. The ASA refuses a command
with a caret line and "ERROR: % Invalid input detected at '^' marker." (platform.yaml).

Sanitization as Cisco documents it: `write erase` clears the startup configuration and
`configure factory-default` the running one; the RSA/ECDSA key pairs live outside the configuration,
so they are zeroized (`crypto key zeroize rsa|ecdsa noconfirm`), and the owner's files on disk0:
deleted. After `reload noconfirm` SSH has no users (a factory-default ASA allows no SSH): the
verification goes over the console when the slot has one.
"""

from __future__ import annotations

import re
import time
from typing import Any, Protocol

from bench.drivers.parsing import ParseError, parse, sanitize
from bench.model import ComponentKind, Reading, SensorState
from bench.platforms import contract
from bench.platforms.cisco_asa.identity import READERS, asa_show_inventory, asa_show_version
from bench.platforms.cisco_asa.identity import uptime_seconds as uptime_seconds
from bench.platforms.cli import Shown, run_classified, send_classified
from bench.platforms.data import package_data
from bench.platforms.sensors import judge_temperature
from bench.tests_hw.base import TestContext

DATA = package_data(__file__)
PLATFORM_NAME = DATA.name
FACTORY_HOSTNAME = "ciscoasa"
# netmiko's read_until_pattern searches the text so far without flags: the prompt ends the buffer.
_PROMPT = r"(?:^|\n)[\w.\-/]{1,64}#\s*$"
_CONFIG_PROMPT = r"\(config[^)\n]*\)#\s*$"


class DialogChannel(Protocol):
    async def send_expect(self, text: str, expect: str, timeout: float = 30.0) -> str: ...


class Refused(Exception):
    """The command could not be read: rejected by the unit or lost by the bench."""


async def _read(ctx: TestContext, command: str, fresh: bool = False, timeout: float = 30.0) -> str:
    shown = await run_classified(ctx, DATA, command, fresh=fresh, timeout=timeout)
    if not shown.ok:
        raise Refused(shown.problem)
    return shown.text


# ---------------------------------------------------------------- environment
_SECTION = re.compile(r"^(Cooling Fans|Power Supplies|Temperature|Voltage):\s*$")
_ITEM = re.compile(r"^\s+(\S.*?)\s*:\s*(\S.*?)\s*$")
_FAN = re.compile(r"(\d+)\s*RPM\s*-\s*(\w+)", re.IGNORECASE)
_TEMP = re.compile(r"(-?\d+(?:\.\d+)?)\s*C\s*-\s*(\w+)(?:\s*\((.*)\))?", re.IGNORECASE)
_BAD = re.compile(r"fail|critical|fault|stopped|not ok", re.IGNORECASE)


def parse_environment(text: str) -> dict[str, list[dict[str, Any]]]:
    """`show environment`: fans, supplies (presence and state) and temperatures, as the unit rates them."""
    out: dict[str, list[dict[str, Any]]] = {"fan": [], "psu": [], "temperature": []}
    section, sub = "", ""
    presence: dict[str, str] = {}
    for line in sanitize(text).splitlines():
        m = _SECTION.match(line)
        if m:
            section, sub = m.group(1), ""
            continue
        if re.match(r"^\s{2,}\S[^:]*:\s*$", line):
            sub = line.strip().rstrip(":")
            continue
        item = _ITEM.match(line)
        if not item or set(item.group(1)) <= {"-"}:
            continue
        name, value = item.groups()
        if section == "Cooling Fans" and sub != "Power Supplies":
            f = _FAN.search(value)
            if f:
                out["fan"].append({"name": name, "rpm": int(f.group(1)), "state": f.group(2), "detail": value})
            elif re.search(r"N/A|not present", value, re.IGNORECASE):
                continue
            else:
                out["fan"].append({"name": name, "rpm": None, "state": value, "detail": value})
        elif section == "Power Supplies" and "redundancy" not in name.lower():
            if re.fullmatch(r"(?i)present|not present", value):
                presence[name] = value
            else:
                out["psu"].append({"name": name, "state": value, "present": presence.get(name, "Present")})
        elif section == "Temperature":
            t = _TEMP.search(value)
            if t:
                out["temperature"].append({"name": name, "value": float(t.group(1)), "state": t.group(2),
                                           "detail": t.group(3) or ""})
    named = {p["name"] for p in out["psu"]}
    out["psu"] += [{"name": n, "state": "", "present": v} for n, v in presence.items() if n not in named]
    return out


def _state(word: str) -> SensorState:
    if _BAD.search(word):
        return SensorState.FAIL
    if re.search(r"warn", word, re.IGNORECASE):
        return SensorState.WARN
    return SensorState.OK if word.strip().lower() in ("ok", "normal") else SensorState.UNKNOWN


# ---------------------------------------------------------------- ports
_COUNTERS = {
    "input_errors": r"(\d+) input errors", "crc": r"(\d+) CRC", "runts": r"(\d+) runts", "giants": r"(\d+) giants",
    "output_errors": r"(\d+) output errors", "collisions": r"(\d+) collisions",
    "late_collisions": r"(\d+) late collisions", "resets": r"(\d+) interface resets",
    "rx_bytes": r"packets input, (\d+) bytes", "tx_bytes": r"packets output, (\d+) bytes",
}
_BLOCK = re.compile(r'(?m)^Interface (\S+) "([^"]*)", is ([^,]+), line protocol is (\w+)')


def parse_interfaces(text: str) -> list[contract.PortState]:
    """`show interface`: one PortState per physical port, with its error counters (the template drops them)."""
    text = sanitize(text)
    heads = list(_BLOCK.finditer(text))
    out: list[contract.PortState] = []
    for i, m in enumerate(heads):
        body = text[m.end(): heads[i + 1].start() if i + 1 < len(heads) else len(text)]
        name, admin, proto = m.group(1), m.group(3).strip(), m.group(4)
        if not re.match(r"(?i)(Gigabit|TenGigabit|Ethernet|Management|FastEthernet)", name) or "." in name:
            continue  # subinterfaces, VLANs, port-channels, tunnels: not ports of the harness
        counters: dict[str, int] = {}
        for key, rx in _COUNTERS.items():
            c = re.search(rx, body)
            if c:
                counters[key] = int(c.group(1))
        speed = re.search(r"\((\d+)\s*Mbps\)", body)
        duplex = re.search(r"\((Full|Half)-duplex\)", body, re.IGNORECASE)
        link = proto.lower() == "up"
        out.append(contract.PortState(name=name, admin_up="administratively" not in admin.lower(), link_up=link,
                                      speed_mbps=int(speed.group(1)) if speed and link else None,
                                      duplex=duplex.group(1).lower() if duplex and link else "",
                                      media="copper", counters=counters))
    return out


# ---------------------------------------------------------------- logs
_LOG = re.compile(r"%ASA-(\d)-(\d{6}):\s*(.*)")


def parse_log(text: str) -> list[str]:
    """Buffered syslog messages, one per line ("Dec 07 2026 10:22:11: %ASA-1-735002: ...")."""
    return [ln.strip() for ln in sanitize(text).splitlines() if _LOG.search(ln)]


def parse_crashinfo(text: str) -> tuple[list[str], str]:
    """(crash files, reload reason) from `show crashinfo`: empty when no crash was saved since the last clear."""
    text = sanitize(text)
    if not re.search(r"Traceback|Thread Name|Crashinfo collected", text, re.IGNORECASE):
        return [], ""
    where = re.search(r"Crashinfo collected on (\S+)", text)
    thread = re.search(r"Thread Name:\s*(\S+)", text)
    name = where.group(1) if where else "crashinfo"
    return [f"{name}" + (f" (thread {thread.group(1)})" if thread else "")], \
        f"crash: traceback in thread {thread.group(1) if thread else 'unknown'}"


# ---------------------------------------------------------------- wipe helpers
# disk0: entries a factory unit ships with: images, ASDM, the boot string and the system's own directories.
_FACTORY_FILE = re.compile(r"(?i)^(?:asa\S*\.(?:spa|bin)|asdm\S*\.bin|\.boot_string|log|crypto_archive|"
                           r"coredumpinfo|crashinfo|snmp|sdesktop|anyconnect\S*\.pkg|FSCK\d+\.REC|\.private)$")
# Lines of a factory-default ASA configuration (Cisco's per-model defaults and the automatic entries).
_FACTORY_LINES = [re.compile(p) for p in (
    r"^:", r"^ASA Version ", r"^!", r"^names$", r"^no mac-address auto$", r"^interface \S+$", r"^shutdown$",
    r"^no nameif$", r"^no security-level$", r"^no ip address$", r"^management-only$",
    r"^nameif (?:management|inside|outside)$",
    r"^security-level (?:0|100)$", r"^ip address 192\.168\.(?:1|45)\.1 255\.255\.255\.0$", r"^ip address dhcp",
    r"^ftp mode passive$", r"^pager lines \d+$", r"^logging (?:enable|timestamp|buffered \w+|asdm \w+)$",
    r"^mtu \S+ \d+$", r"^no failover$", r"^icmp unreachable ", r"^no arp permit-nonconnected$",
    r"^arp rate-limit \d+$", r"^timeout ", r"^user-identity ", r"^http server enable$",
    r"^http 192\.168\.(?:1|45)\.0 255\.255\.255\.0 (?:management|inside)$", r"^no snmp-server (?:location|contact)$",
    r"^ssh stricthostkeycheck$", r"^ssh timeout \d+$", r"^ssh key-exchange ", r"^console timeout \d+$",
    r"^threat-detection ", r"^dynamic-access-policy-record DfltAccessPolicy$", r"^class-map inspection_default$",
    r"^match default-inspection-traffic$", r"^prompt hostname context$", r"^no call-home reporting anonymous$",
    r"^Cryptochecksum:", r"^crypto ca trustpool policy$", r"^policy-map ", r"^parameters$", r"^service-policy ",
    r"^inspect ", r"^class inspection_default$", r"^message-length ", r"^route-map ", r"^no asp ",
    r"^dhcpd (?:auto_config|address 192\.168\.(?:1|45)\.\d+-192\.168\.(?:1|45)\.\d+|enable) ",
    r"^object network obj_any$", r"^subnet 0\.0\.0\.0 0\.0\.0\.0$", r"^nat \(any,outside\) dynamic interface$",
    r"^boot system disk0:/", r"^license smart$", r"^call-home$", r"^profile CiscoTAC-1$", r"^no active$",
    r"^destination ", r"^subscribe-to-alert-group ", r"^hpm topN enable$", r"^service sw-reset-button$",
)]


def config_leftovers(text: str, factory: re.Pattern[str], allowed: list[re.Pattern[str]]) -> list[str]:
    """Lines of an ASA configuration a factory-default unit would not have (the previous owner's)."""
    out: list[str] = []
    for raw in sanitize(text).splitlines():
        line = raw.strip()
        if not line or any(a.search(line) for a in allowed):
            continue
        host = re.match(r"^hostname\s+(\S+)", line)
        if host:
            if not factory.fullmatch(host.group(1)):
                out.append(f"hostname {host.group(1)}")
            continue
        if line.startswith("username "):
            out.append(f"username {line.split()[1]}")
        elif line.startswith("enable password"):
            out.append("enable password set")
        elif not any(p.search(line) for p in _FACTORY_LINES):
            out.append(line[:200])
    return list(dict.fromkeys(out))


def owner_files(rows: list[dict[str, Any]], extra_factory: list[str]) -> list[str]:
    return [r["name"] for r in rows if r.get("name") and not _FACTORY_FILE.match(r["name"])
            and r["name"] not in extra_factory]


def key_names(text: str) -> list[str]:
    return re.findall(r"(?m)^\s*Key name:\s*(\S.*?)\s*$", sanitize(text))


class AsaPlatform:
    name = PLATFORM_NAME
    data = DATA
    identity_readers = READERS

    async def identity(self, ctx: TestContext) -> contract.CliIdentity:
        out = contract.CliIdentity()
        try:
            text = await _read(ctx, "show version", fresh=True)  # fresh: burn-in watches the uptime move
            got = asa_show_version(text)
            out.model, out.serial, out.problems = got.model, got.serial, got.problems
            if got.unreadable:
                out.problems.append(got.unreadable)
            rows = parse(self.name, "show version", text) or [{}]
            out.os_version = str(rows[0].get("version") or "")
            out.hostname = str(rows[0].get("hostname") or "")
            out.uptime = str(rows[0].get("uptime") or "")
            out.uptime_seconds = uptime_seconds(out.uptime)
            reg = re.search(r"Configuration register is (0x[0-9a-fA-F]+)", text)
            out.config_register = reg.group(1) if reg else ""
        except (Refused, ParseError) as exc:
            out.problems.append(str(exc))
        try:
            inv = asa_show_inventory(await _read(ctx, "show inventory"))
            out.components = inv.components
            out.problems += inv.problems
            if inv.model and not out.model:
                out.model = inv.model
            chassis = next((c for c in inv.components if c.kind is ComponentKind.CHASSIS), None)
            if chassis and chassis.serial and chassis.serial != out.serial:
                # The licence serial `show version` prints differs from the chassis label on some units.
                out.problems.append(f"show version serial {out.serial or '(none)'} differs from the chassis "
                                    f"serial {chassis.serial} in show inventory")
            if chassis and chassis.serial and not out.serial:
                out.serial = chassis.serial
        except Refused as exc:
            out.problems.append(str(exc))
        logs = await self.logs(ctx, fresh=False)
        out.reload_reason = logs.reload_reason
        return out

    # ------------------------------------------------------------ environment
    async def environment(self, ctx: TestContext) -> contract.Environment:
        env = contract.Environment()
        try:
            got = parse_environment(await _read(ctx, "show environment", fresh=True))
        except Refused as exc:
            env.problems.append(str(exc))
            for kind in ("fan", "psu", "temperature"):
                env.readings.append(Reading(kind, f"{kind}s", SensorState.UNKNOWN, detail=str(exc)[:200]))
            return env
        for f in got["fan"]:
            env.readings.append(Reading("fan", f["name"], _state(f["state"]),
                                        value=float(f["rpm"]) if f["rpm"] is not None else None,
                                        unit="RPM", detail=f["detail"][:200]))
        for p in got["psu"]:
            if p["present"].lower() == "not present":
                env.absent.append(p["name"])
                continue
            env.readings.append(Reading("psu", p["name"], _state(p["state"]) if p["state"] else SensorState.UNKNOWN,
                                        detail=p["state"] or "present, no state printed"))
        for t in got["temperature"]:
            # The ASA prints its own verdict on every sensor (OK / Warning / Critical), not the thresholds.
            state = judge_temperature(t["value"], None, None, t["state"])
            env.readings.append(Reading("temperature", t["name"], state, value=t["value"], unit="C",
                                        detail=f"{t['state']} ({t['detail']})"[:200]))
        for kind in ("fan", "psu", "temperature"):
            if not any(r.kind == kind for r in env.readings) and kind != "psu":
                env.problems.append(f"'show environment' lists no {kind}")
        return env

    # ------------------------------------------------------------ logs
    async def logs(self, ctx: TestContext, fresh: bool = True) -> contract.LogEvidence:
        ev = contract.LogEvidence()
        try:
            ev.lines = parse_log(await _read(ctx, "show logging", fresh=fresh))
        except Refused as exc:
            ev.problems.append(str(exc))
        try:
            files, reason = parse_crashinfo(await _read(ctx, "show crashinfo", fresh=fresh))
            ev.crash_files += files
            # The ASA keeps no reload reason of its own; every crash saves a traceback, so none means no crash.
            ev.reload_reason = reason or "not recorded by ASA software; no traceback saved"
        except Refused as exc:
            ev.problems.append(str(exc))
        return ev

    # ------------------------------------------------------------ ports
    async def link_states(self, ctx: TestContext) -> contract.Ports:
        out = contract.Ports()
        try:
            out.ports = parse_interfaces(await _read(ctx, "show interface", fresh=True, timeout=60))
            if not out.ports:
                out.problems.append("'show interface' lists no physical port")
        except Refused as exc:
            out.problems.append(str(exc))
        return out

    async def ports(self, ctx: TestContext) -> contract.Ports:
        return await self.link_states(ctx)

    async def poe(self, ctx: TestContext) -> contract.Poe:
        # No ASA 5500-X supplies PoE (the Firepower 1010 does, and it is another platform's CLI).
        return contract.Poe(supported=False)

    async def optics(self, ctx: TestContext) -> contract.Optics:
        """SFPs as `show inventory` names them; ASA software prints no DOM, so none carries readings."""
        out = contract.Optics()
        try:
            inv = asa_show_inventory(await _read(ctx, "show inventory"))
        except Refused as exc:
            out.problems.append(str(exc))
            return out
        for c in inv.components:
            if c.kind is ComponentKind.OPTIC:
                out.optics.append(contract.Optic(port=c.name, pid=c.pid, serial=c.serial))
                out.problems.append(f"optic in {c.name}: ASA software shows no DOM readings")
        return out

    # ------------------------------------------------------------ wipe
    async def wipe(self, ctx: TestContext) -> contract.WipeReport:
        rep = contract.WipeReport()
        cli = ctx.cli
        if cli is None or not hasattr(cli, "send_expect"):
            rep.problems.append("the CLI channel cannot answer confirmation prompts (needs send_expect): "
                                "nothing was erased")
            return rep
        rep.verified["method"] = ("write erase + configure factory-default; RSA/ECDSA key pairs zeroized "
                                  "(crypto key zeroize); owner's files deleted from disk0:")
        for command in ("crypto key zeroize rsa noconfirm", "crypto key zeroize ecdsa noconfirm"):
            await _step(cli, rep, command)
        try:
            rows = parse(self.name, "dir", (await send_classified(cli, DATA, "dir disk0:", 60)).text) or []
        except ParseError as exc:
            rows = []
            rep.problems.append(str(exc))
        for name in owner_files(rows, list(ctx.params.get("factory_files") or [])):
            await _step(cli, rep, f"delete /noconfirm disk0:/{name}")
        if not await _dialog(cli, rep, [("write erase", r"\[confirm\]"), ("", _PROMPT)]):
            return rep
        if not re.search(r"\[OK\]", rep.steps[-1]["output"]):
            rep.problems.append("write erase did not confirm the erase")
        if not await _dialog(cli, rep, [("configure terminal", _CONFIG_PROMPT),
                                        ("configure factory-default", _CONFIG_PROMPT), ("end", _PROMPT)]):
            return rep
        pre = contract.WipeReport()
        # `configure factory-default` renamed the unit `ciscoasa`: the session's prompt, learnt at login under the
        # owner's hostname, no longer ends an answer, so until the reload every command reads to any prompt.
        await self._inspect(ctx, _AnyPrompt(cli), pre)
        rep.verified["pre_reload"] = {"findings": pre.verified, "remaining": pre.remaining, "problems": pre.problems}
        await _reload(ctx, cli, rep)
        return rep

    async def verify_wiped(self, ctx: TestContext) -> contract.WipeReport:
        """What the previous owner left: configurations, local users, key pairs, files on disk0:. The CLI
        first, the console second (after the wipe SSH has no users)."""
        rep = contract.WipeReport()
        channels = [(n, c) for n, c in (("cli", ctx.cli), ("console", ctx.console)) if c is not None]
        for name, channel in channels:
            probe = await send_classified(channel, DATA, "show curpriv", 60)
            if not probe.ok:
                # The console's failure first: it is the channel a factory-default ASA must answer on
                # (SSH has no users after the wipe), so it is the cause a result names.
                rep.problems.insert(0 if name == "console" else len(rep.problems), f"{name}: {probe.problem}")
                continue
            rep.verified["channel"] = name
            await self._inspect(ctx, channel, rep)
            return rep
        if not channels:
            rep.problems.append("no CLI or console channel")
        return rep

    async def _inspect(self, ctx: TestContext, channel: Any, rep: contract.WipeReport) -> None:
        allowed = [re.compile(p) for p in ctx.params.get("allowed_config", [])]
        factory = re.compile(ctx.params.get("factory_hostname", FACTORY_HOSTNAME))
        for command, label in (("show startup-config", "startup_config"), ("show running-config", "running_config")):
            shown = await send_classified(channel, DATA, command, 60)
            if not shown.ok:
                rep.problems.append(shown.problem)
                continue
            if label == "startup_config" and not shown.text.strip():
                rep.verified[label] = "not present"  # `write erase` leaves nothing to show
                continue
            if not re.search(r"(?m)^(?:: Saved|ASA Version|hostname )", shown.text):
                rep.problems.append(f"{command!r}: no configuration in the output")
                continue
            left = config_leftovers(shown.text, factory, allowed)
            rep.verified[label] = "factory default" if not left else left
            rep.remaining += [f"{label}: {x}" for x in left if f"startup_config: {x}" not in rep.remaining]
        keys = await send_classified(channel, DATA, "show crypto key mypubkey rsa", 60)
        if keys.ok:
            names = key_names(keys.text)
            rep.verified["key_pairs"] = names
            rep.remaining += [f"key pair {k}" for k in names if k != "<Default-RSA-Key>"]
        else:
            rep.problems.append(keys.problem)
        files = await send_classified(channel, DATA, "dir disk0:", 60)
        try:
            rows = parse(PLATFORM_NAME, "dir", files.text) if files.ok else None
        except ParseError as exc:
            rows = None
            rep.problems.append(str(exc))
        if rows is None:
            rep.problems.append(files.problem or "'dir disk0:' unreadable")
            return
        rep.verified["flash_files"] = [r["name"] for r in rows]
        rep.remaining += [f"disk0:/{n}" for n in owner_files(rows, list(ctx.params.get("factory_files") or []))]


PLATFORM = AsaPlatform()


class _AnyPrompt:
    """A dialog channel whose `send` reads to whatever `host#` prompt comes (the hostname just changed)."""

    def __init__(self, channel: DialogChannel) -> None:
        self._channel = channel

    async def send(self, command: str, timeout: float = 30.0) -> str:
        out = sanitize(await self._channel.send_expect(command, _PROMPT, timeout=timeout))
        lines = out.split("\n")
        if lines and lines[0].strip().endswith(command):
            lines = lines[1:]  # the echo
        return re.sub(r"\n?[\w.\-/]{1,64}#\s*$", "", "\n".join(lines))


async def _step(cli: Any, rep: contract.WipeReport, command: str) -> Shown:
    shown = await send_classified(cli, DATA, command, 60)
    rep.steps.append({"command": command, "output": (shown.text or shown.error)[:2000]})
    if not shown.ok:
        rep.problems.append(shown.problem)
    elif re.search(r"%Error", shown.text):
        rep.problems.append(f"{command}: {shown.text.strip()[:160]}")
    return shown


async def _dialog(cli: DialogChannel, rep: contract.WipeReport, steps: list[tuple[str, str]]) -> bool:
    for text, expect in steps:
        try:
            out = await cli.send_expect(text, expect, timeout=120)
        except Exception as exc:
            rep.problems.append(f"{text or '<Enter>'!r}: {type(exc).__name__}: {exc}"[:300])
            return False
        rep.steps.append({"command": text or "<Enter>", "output": sanitize(out)[:2000]})
        refusal = DATA.refusal(sanitize(out))
        if refusal:
            rep.problems.append(f"{text!r} rejected: {refusal}")
            return False
    return True


async def _reload(ctx: TestContext, cli: DialogChannel, rep: contract.WipeReport) -> None:
    issued = time.monotonic()
    try:
        out = await cli.send_expect("reload noconfirm", r"SHUTDOWN|\n", timeout=30)
        rep.steps.append({"command": "reload noconfirm", "output": sanitize(out)[:2000]})
    except Exception as exc:  # over SSH the unit drops the session as it goes down: the reload happening
        rep.steps.append({"command": "reload noconfirm", "output": f"(session closed: the unit is reloading: "
                                                                   f"{type(exc).__name__})"})
    ctx.cache.clear()
    for channel in (ctx.cli, ctx.console):
        close = getattr(channel, "close", None)
        if close is not None:
            try:
                await close()  # the next send reopens and walks the line from the boot
            except Exception as exc:
                rep.problems.append(f"closing a channel after reload: {type(exc).__name__}")
    rep.verified["reloaded"] = True
    console = ctx.console or (ctx.cli if getattr(ctx.cli, "kind", "") == "console" else None)
    if console is None:
        rep.verified["post_reload"] = ("not possible: no console on this slot, and a factory-default ASA "
                                       "allows no SSH")
        return
    why = await _back_on_console(console, issued, time.monotonic() + DATA.reboot_timing(ctx.params).timeout_s, rep)
    if why:
        rep.problems.append(f"unit not back on the console after reload: {why}")
        rep.verified["post_reload"] = f"not possible: {why}"
    else:
        rep.verified["post_reload"] = "console"


# What the console prints as the unit goes down and boots again (ASA software, then ROMMON).
_GOING_DOWN = r"Rebooting|Rom image|ROMMON|Booting"


def _precision(uptime: str) -> float:
    """How coarse an ASA uptime is: "5 mins 3 secs" to the second, "2 hours 14 mins" to the minute."""
    text = uptime.lower()
    return 5.0 if "sec" in text else 60.0 if "min" in text else 3600.0 if "hour" in text else 86_400.0


async def _back_on_console(console: Any, issued: float, deadline: float, rep: contract.WipeReport) -> str:
    """Wait until the console answers from the boot after the reload: '' when it does, else why not.

    A unit keeps its CLI for a moment after `reload noconfirm` (it shuts its processes down first), so a
    console walked at once can answer from the boot before: its uptime is older than the reload. Then
    the console is read until the unit goes down, and walked again."""
    while True:
        left = deadline - time.monotonic()
        back = await send_classified(console, DATA, "show version", max(left, 1.0))
        rep.steps.append({"command": "show version (console, after reload)",
                          "output": (back.text or back.error)[:500]})
        if back.error:
            return back.error
        up = re.search(r"(?m)^\S+ up (.+)$", back.text)
        uptime = uptime_seconds(up.group(1)) if up else None
        if uptime is not None and uptime <= time.monotonic() - issued + _precision(up.group(1) if up else ""):
            return ""
        if time.monotonic() >= deadline:
            return f"the console still answers from the boot before the reload (up {up.group(1) if up else '?'})"
        if uptime is None:
            # Not `show version` at all: the walk met the old boot's prompt and the boot began under it, so
            # the line is out of step with its answers. Walk it again from the new boot.
            await console.close()
            continue
        try:
            await console.read_until(_GOING_DOWN, timeout=max(deadline - time.monotonic(), 1.0))
        except Exception as exc:
            return f"the unit did not go down after 'reload noconfirm' ({type(exc).__name__}: {exc})"[:300]
        await console.close()  # the next send walks the line from the new boot
