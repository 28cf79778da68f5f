"""`bench probe`: one-shot identity and inventory of one unit, from a URL.

    ssh://user:pass@host:port    who answers decides: a Unix shell -> Linux inventory; a vendor
                                 CLI -> its profile's identity test over netmiko (an old unit that
                                 offers only legacy algorithms: over asyncssh, reported under "ssh")
    telnet://user:pass@host:port a unit without SSH (no crypto image): its CLI over telnet, the
                                 profile's identity test; the agreed telnet options under "telnet"
    snmp://community@host:port   the system group, and the profile's identity test over SNMP
    rfc2217:// socket:// /dev/ttyUSB0 (user:pass@ optional)   the console, walked to a prompt
    local://                     this machine, Linux inventory without SSH

A reading that cannot be taken is reported with its reason (NOT_RUN), never as present. The
password is never part of the output: URLs are shown without it.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

from bench import identify
from bench.drivers.parsing import sanitize
from bench.errors import BadInput
from bench.model import Identity
from bench.profiles import Catalog, Profile
from bench.tests_hw.base import SlotInfo, TestContext
from bench.tests_hw.registry import get_test
from bench.tests_hw.server.shell import absent_reason

__all__ = ["Target", "parse_target", "probe", "probe_all"]

CONSOLE_SCHEMES = ("rfc2217", "socket")
USAGE = ("use ssh://user:pass@host:port, telnet://user:pass@host:port, snmp://community@host:port, "
         "rfc2217://host:port, socket://host:port, /dev/ttyUSB0 or local://")
PRESENT, NOT_RUN = "present", "NOT_RUN"


@dataclass(frozen=True)
class Target:
    kind: str  # ssh | telnet | snmp | console | local
    shown: str  # the URL as printed: never with a password
    host: str = ""
    port: int = 0
    username: str = field(default="", repr=False)
    password: str = field(default="", repr=False)
    community: str = field(default="", repr=False)
    console_url: str = ""


def _port(parts: Any, url: str, default: int) -> int:
    from bench.drivers.snmp import url_port  # the drivers load when a probe runs, not when the CLI starts

    try:
        return url_port(parts, url) or default
    except ValueError:
        raise BadInput(f"URL {_redact(url)!r}: the port must be a number from 1 to 65535") from None


def _redact(url: str) -> str:
    """The URL without the secret between ':' and '@' (or the whole user part of an SNMP URL)."""
    if url.startswith("snmp://") and "@" in url:
        return "snmp://***@" + url.rsplit("@", 1)[1]
    return re.sub(r"^([a-z0-9]+://[^:/@]*):[^@]*@", r"\1:***@", url)


def _host(parts: Any, text: str, example: str) -> str:
    from bench.config import is_host

    if not parts.hostname:
        raise BadInput(f"URL {_redact(text)!r}: no host; write {example}")
    if not is_host(parts.hostname):
        raise BadInput(f"URL {_redact(text)!r}: {parts.hostname!r} is not a host name or IP address; write {example}")
    return str(parts.hostname)


def parse_target(url: str) -> Target:
    """A probe URL, or BadInput naming what is wrong and what to write."""
    text = url.strip()
    if not text:
        raise BadInput(f"an empty URL; {USAGE}")
    if text in ("local://", "local", "local:///"):
        return Target("local", "local://")
    if text.startswith("/"):
        if not os.path.exists(text):
            raise BadInput(f"console {text!r} does not exist; plug the console cable in or fix the path")
        return Target("console", text, console_url=text)
    try:
        parts = urlsplit(text)
    except ValueError as e:
        raise BadInput(f"URL {_redact(text)!r} cannot be read ({e}); {USAGE}") from None
    if parts.scheme in ("ssh", "telnet"):
        scheme = parts.scheme
        _host(parts, text, f"{scheme}://user:pass@host:port")
        if not parts.username or parts.password is None:
            raise BadInput(f"URL {_redact(text)!r}: needs a user and a password; write {scheme}://user:pass@host:port")
        port = _port(parts, text, 22 if scheme == "ssh" else 23)
        return Target(scheme, f"{scheme}://{unquote(parts.username)}@{parts.hostname}:{port}", parts.hostname, port,
                      unquote(parts.username), unquote(parts.password))
    if parts.scheme == "snmp":
        from bench.drivers.snmp import parse_snmp_url

        try:
            community, host, port = parse_snmp_url(text)
        except ValueError as e:
            raise BadInput(str(e).replace(text, _redact(text))) from None
        _host(parts, text, "snmp://community@host:port")
        return Target("snmp", f"snmp://{host}:{port}", host, port, community=community)
    if parts.scheme in CONSOLE_SCHEMES:
        _host(parts, text, f"{parts.scheme}://host:port")
        port = _port(parts, text, 0)
        if not port:
            raise BadInput(f"URL {_redact(text)!r}: needs the console server's TCP port; write "
                           f"{parts.scheme}://host:port")
        plain = f"{parts.scheme}://{parts.hostname}:{port}" + (f"?{parts.query}" if parts.query else "")
        return Target("console", plain, parts.hostname, port, unquote(parts.username or ""),
                      unquote(parts.password or ""), console_url=plain)
    raise BadInput(f"URL {_redact(text)!r}: unknown kind of address; {USAGE}")


# ---- an async CLI over a blocking session -----------------------------------------------------


class _Async:
    """A blocking session (shell, netmiko, console) as the async CliChannel the tests use."""

    def __init__(self, session: Any, platform: str) -> None:
        self.session = session
        self.platform = platform

    async def send(self, command: str, timeout: float = 30.0) -> str:
        return str(await asyncio.to_thread(self.session.send, command, timeout))


def _context(cli: Any = None, snmp: Any = None, profile: str = "") -> TestContext:
    return TestContext(slot=SlotInfo("probe"), profile_name=profile, params={}, identity=Identity(), cli=cli,
                       snmp=snmp)


def _capability(state: str, detail: str) -> dict[str, str]:
    return {"state": state, ("detail" if state == PRESENT else "reason"): detail}


# ---- Linux hosts ------------------------------------------------------------------------------


def human_bytes(n: int | None) -> str:
    if not n:
        return "unknown"
    size, unit = float(n), "B"
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if size < 1024 or unit == "PiB":
            break
        size /= 1024
    return f"{size:.1f} {unit}" if unit != "B" else f"{int(size)} B"


def _kv(text: str, sep: str = ":") -> dict[str, str]:
    out: dict[str, str] = {}
    for line in text.splitlines():
        key, s, value = line.partition(sep)
        if s and key.strip() and key.strip() not in out:
            out[key.strip()] = value.strip().strip('"')
    return out


def _disks(text: str) -> list[dict[str, Any]]:
    try:
        doc = json.loads(text[text.find("{"):]) if "{" in text else {}
    except ValueError:
        doc = {}
    doc = doc if isinstance(doc, dict) else {}
    out = []
    for dev in doc.get("blockdevices") or []:
        if isinstance(dev, dict) and dev.get("type") == "disk" and not str(dev.get("name", "")).startswith(
                ("loop", "ram", "zram", "sr", "fd", "nbd")):
            size = dev.get("size")
            size = int(size) if isinstance(size, int) or str(size).isdigit() else None
            out.append({"name": str(dev.get("name")), "size_bytes": size, "size": human_bytes(size),
                        "model": str(dev.get("model") or "").strip(), "serial": str(dev.get("serial") or "").strip(),
                        "rotational": bool(dev.get("rota")) if dev.get("rota") is not None else None,
                        "transport": dev.get("tran") or ""})
    return out


def _nics(link_json: str, speeds: str) -> list[dict[str, Any]]:
    try:
        rows = json.loads(link_json[link_json.find("["):]) if "[" in link_json else []
    except ValueError:
        rows = []
    speed = {m.group(1): int(m.group(2)) for m in re.finditer(r"/sys/class/net/([^/]+)/speed:(-?\d+)", speeds)}
    out = []
    for r in rows if isinstance(rows, list) else []:
        if not isinstance(r, dict) or r.get("link_type") == "loopback":
            continue
        name = str(r.get("ifname", ""))
        flags = r.get("flags") or []
        mbps = speed.get(name)
        out.append({"name": name, "mac": r.get("address", ""), "state": r.get("operstate", ""),
                    "link": "LOWER_UP" in flags and "NO-CARRIER" not in flags,
                    "speed_mbps": mbps if mbps and mbps > 0 else None})
    return out


async def _run(cli: Any, command: str, timeout: float = 30.0) -> tuple[str, str]:
    """(output, why it is not usable or "")."""
    text = sanitize(await cli.send(command, timeout=timeout))
    return text, absent_reason(command, text)


async def _tool_capability(cli: Any, tool: str, check: str, package: str) -> dict[str, str]:
    where, _ = await _run(cli, f"command -v {tool}")
    if not where.strip().startswith("/"):
        return _capability(NOT_RUN, f"{tool} is not installed on the unit (package {package})")
    text, why = await _run(cli, check, timeout=60)
    if why:
        return _capability(NOT_RUN, why)
    if tool == "ipmitool" and not re.search(r"(?i)ipmi version|device id", text):
        return _capability(NOT_RUN, f"no BMC answered: {(text.strip().splitlines() or ['no output'])[0][:160]}")
    return _capability(PRESENT, where.strip())


async def linux_inventory(cli: Any) -> dict[str, Any]:
    """Everything `bench probe` reports of a Linux host, through any CLI channel with `send`."""
    ctx = _context(cli, profile="linux_server")
    ident = await get_test("identity", "server")(ctx)
    ev = ident.evidence
    os_release, _ = await _run(cli, "cat /etc/os-release")
    kernel, _ = await _run(cli, "uname -r")
    meminfo, _ = await _run(cli, "cat /proc/meminfo")
    nproc, _ = await _run(cli, "nproc --all")
    lsblk, lsblk_why = await _run(cli, "lsblk -J -b -o NAME,SIZE,TYPE,MODEL,SERIAL,ROTA,TRAN")
    links, _ = await _run(cli, "ip -j link show")
    speeds, _ = await _run(cli, "grep -H . /sys/class/net/*/speed")
    mem_kib = _kv(meminfo).get("MemTotal", "").split()[:1]
    mem_bytes = int(mem_kib[0]) * 1024 if mem_kib and mem_kib[0].isdigit() else ev.get("memory_bytes")
    cpus = ev.get("cpus") or (int(nproc.strip()) if nproc.strip().isdigit() else None)
    dmi, dmi_why = {}, ""
    system_text, dmi_why = await _run(cli, "dmidecode -t system")
    if not dmi_why:
        dmi = {"system": {"manufacturer": ev.get("manufacturer", ""), "product": ev.get("model", ""),
                          "serial": ev.get("serial", ""), "uuid": ev.get("uuid", ""), "flavour": ev.get("flavour", "")},
               "baseboard": ev.get("baseboard", {}),
               "memory": {"slots": ev.get("dimm_slots"), "populated": ev.get("dimms_populated"),
                          "total_gb": ev.get("dimm_total_gb")}}
    edac, _ = await _run(cli, "ls /sys/devices/system/edac/mc")
    controllers = re.findall(r"\bmc\d+\b", edac)
    capabilities = {
        "dmidecode": _capability(PRESENT, "SMBIOS readable") if not dmi_why else _capability(NOT_RUN, dmi_why),
        "smart": await _tool_capability(cli, "smartctl", "smartctl --scan-open", "smartmontools"),
        "ipmi": await _tool_capability(cli, "ipmitool", "ipmitool mc info", "ipmitool"),
        "edac": (_capability(PRESENT, f"{len(controllers)} memory controller(s): {', '.join(controllers)}")
                 if controllers else _capability(NOT_RUN, "no EDAC memory controller in sysfs: no ECC memory, or "
                                                          "its EDAC driver is not loaded")),
    }
    agent, _ = await _run(cli, "command -v bench")
    capabilities["agent"] = (_capability(PRESENT, agent.strip()) if agent.strip().startswith("/") else
                             _capability(NOT_RUN, "bench is not installed on the unit: the burn-in samples over "
                                                  "the shell instead"))
    return {
        "kind": "linux", "profile": "linux_server",
        "hostname": ctx.identity.hostname,
        "os": _kv(os_release, "=").get("PRETTY_NAME", ""), "kernel": kernel.strip(),
        "cpu": {"model": ev.get("cpu_model", ""), "count": cpus, "sockets": ev.get("sockets"),
                "cores_per_socket": ev.get("cores_per_socket")},
        "memory": {"bytes": mem_bytes, "human": human_bytes(mem_bytes)},
        "disks": _disks(lsblk) if not lsblk_why else [],
        "nics": _nics(links, speeds),
        "dmi": dmi or {"state": NOT_RUN, "reason": dmi_why},
        "capabilities": capabilities,
        "identity": {"model": ctx.identity.model, "serial": ctx.identity.serial,
                     "summary": ident.summary, "outcome": str(ident.outcome)},
    }


# ---- network devices --------------------------------------------------------------------------


async def _network_identity(profile: Profile, cli: Any = None, snmp: Any = None) -> dict[str, Any]:
    ctx = _context(cli, snmp, profile.name)
    r = await get_test("identity", profile.tests_module)(ctx)
    ident = ctx.identity
    return {"kind": "network", "profile": profile.name, "hostname": ident.hostname, "model": ident.model,
            "serial": ident.serial, "os_version": ident.os_version, "uptime": ident.uptime,
            "components": [c.to_dict() for c in ident.components],
            "identity": {"outcome": str(r.outcome), "summary": r.summary}}


async def _probe_ssh(t: Target, catalog: Catalog, timeout: float) -> dict[str, Any]:
    from bench.drivers.shell import ShellSession
    from bench.drivers.ssh import Credential, SshError, SshSession
    from bench.drivers.telnet import TelnetSession

    creds = [Credential("url", t.username, t.password, t.password)]  # one secret: login and enable alike
    # Identified as `bench run` does (bench.identify), by the first login only: no trying of other device types.
    answer = await asyncio.to_thread(identify.by_ssh, t.host, t.port, creds, catalog, timeout, t.kind == "telnet",
                                     False)
    if not answer.kind:
        return {"error": answer.why}
    # How the unit was reached: legacy SSH algorithms (kex, cipher, mac, host key) when the modern ones failed.
    reached = {"ssh": {k: v for k, v in answer.transport.items() if k != "protocol"}} if answer.transport else {}
    if answer.kind == "shell":
        answer.release()
        session = ShellSession(t.host, t.port, creds, timeout=timeout)
        await asyncio.to_thread(session.open)
        try:
            return reached | await linux_inventory(_Async(session, "linux"))
        finally:
            await asyncio.to_thread(session.close)
    profile = answer.profile
    if profile is None:
        return reached | {"kind": "network", "profile": None,
                          "error": f"show version matches no profile: {sanitize(answer.text).strip()[:160]!r}"}
    session_class = TelnetSession if t.kind == "telnet" else SshSession
    # the identifying login goes on as the CLI session
    net = session_class(t.host, t.port, profile.netmiko_device_type, creds, timeout=timeout,
                        textfsm_platform=profile.textfsm_platform, handover=answer.handover or None)
    try:
        await asyncio.to_thread(net.open)
    except SshError as exc:  # TelnetError is one too
        # The first login's `show version` already names the unit; what needs the full session waits.
        return reached | _from_first_login(profile, answer.text, exc) | {"identified_by": answer.found.reason}
    try:
        if t.kind == "telnet":
            reached = {"telnet": {"options": list(getattr(net, "options", []))}}
        elif net.negotiated is not None:
            reached = {"ssh": {k: v for k, v in net.transport.items() if k != "protocol"}}
        return reached | await _network_identity(profile, cli=_Async(net, profile.textfsm_platform)) | {
            "identified_by": answer.found.reason}
    finally:
        await asyncio.to_thread(net.close)


def _from_first_login(profile: Profile, text: str, exc: Exception) -> dict[str, Any]:
    from bench.model_catalog import catalog_note
    from bench.platforms.identity_readers import read

    got = read(profile.textfsm_platform, "show version", text)
    lacking = [x for x, v in (("model", got.model), ("serial", got.serial)) if not v]
    why = sanitize(f"{type(exc).__name__}: {exc}")[:200]
    said = f"{got.model or '?'} serial {got.serial or '?'} from the first login's show version"
    notes = [n for n in (got.unreadable, catalog_note(got.model)) if n]
    return {"kind": "network", "profile": profile.name, "hostname": "", "model": got.model, "serial": got.serial,
            "os_version": "", "uptime": "", "components": [c.to_dict() for c in got.components],
            "identity": {"outcome": "WARN" if not lacking else "ERROR",
                         "summary": "; ".join([said, *notes, f"the full session failed ({why})"])}}


async def _probe_snmp(t: Target, catalog: Catalog, timeout: float) -> dict[str, Any]:
    from bench.drivers.snmp import SnmpTarget

    snmp = SnmpTarget(t.host, t.port, t.community, timeout=min(timeout, 5.0))
    oids = {"sys_descr": "1.3.6.1.2.1.1.1.0", "sys_object_id": "1.3.6.1.2.1.1.2.0",
            "sys_uptime": "1.3.6.1.2.1.1.3.0", "sys_name": "1.3.6.1.2.1.1.5.0"}
    got = await snmp.get(*oids.values())
    system = {k: sanitize(str(got.get(o))) if got.get(o) is not None else None for k, o in oids.items()}
    profile = catalog.identify(sys_object_id=system["sys_object_id"] or "", show_version=system["sys_descr"] or "")
    generic = profile is None and bool(system["sys_object_id"] or system["sys_descr"])
    if generic:  # a vendor no family claims: identified over SNMP as a generic unit, and labelled so
        profile = catalog.profiles.get(identify.GENERIC_PROFILE)
    out: dict[str, Any] = {"kind": "snmp", "system": system, "profile": profile.name if profile else None,
                           "generic": generic and profile is not None}
    if profile is not None and profile.tests_module == "network":
        out |= {k: v for k, v in (await _network_identity(profile, snmp=snmp)).items() if k != "kind"}
    elif profile is not None:
        out["identity"] = {"outcome": "NOT_RUN", "summary": "a server's inventory needs its shell: probe ssh:// too"}
    return out


async def _probe_console(t: Target, catalog: Catalog, timeout: float) -> dict[str, Any]:
    from bench.drivers.console.machine import ConsoleProfile, Login
    from bench.drivers.console.session import ConsoleOptions, ConsoleSession

    logins = [Login("url", t.username, t.password, t.password)] if t.username else []
    session = ConsoleSession(ConsoleOptions(url=t.console_url, walk_timeout=max(timeout, 120.0)),
                             ConsoleProfile.from_dict({}), logins)  # no recovery: a probe never power-cycles
    report = await asyncio.to_thread(session.open)
    try:
        text = await asyncio.to_thread(session.send, "show version", 120.0)
        profile = catalog.identify(show_version=text)
        out: dict[str, Any] = {"kind": "console", "console_state": getattr(report, "notes", [])}
        if profile is None:
            return out | {"profile": None, "error": f"show version matches no profile: {text.strip()[:160]!r}"}
        session.platform = profile.textfsm_platform
        return out | await _network_identity(profile, cli=_Async(session, profile.textfsm_platform))
    finally:
        await asyncio.to_thread(session.close)


async def _probe_local() -> dict[str, Any]:
    from bench.drivers.local import LocalShell

    shell = LocalShell()
    await asyncio.to_thread(shell.open)
    try:
        return await linux_inventory(_Async(shell, "linux"))
    finally:
        await asyncio.to_thread(shell.close)


async def probe(t: Target, catalog: Catalog, timeout: float = 20.0) -> dict[str, Any]:
    """One unit's report; a unit that cannot be reached gives {"error": ...}, never an exception."""
    head: dict[str, Any] = {"url": t.shown, "transport": t.kind}
    try:
        if t.kind in ("ssh", "telnet"):
            body = await _probe_ssh(t, catalog, timeout)
        elif t.kind == "snmp":
            body = await _probe_snmp(t, catalog, timeout)
        elif t.kind == "console":
            body = await _probe_console(t, catalog, timeout)
        else:
            body = await _probe_local()
    except Exception as exc:  # noqa: BLE001 - unreachable, refused, timed out: the report says which
        body = {"error": sanitize(f"{type(exc).__name__}: {exc}")[:300]}
    if t.password and "error" in body:
        body["error"] = body["error"].replace(t.password, "***")
    return head | body


async def probe_all(targets: list[Target], catalog: Catalog) -> list[dict[str, Any]]:
    return list(await asyncio.gather(*(probe(t, catalog) for t in targets)))
