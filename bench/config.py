"""The bench file: stations, credentials and slots, loaded and validated before anything connects."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bench.errors import BenchFileError

DEFAULT_STORE = "sqlite:///bench.db"
_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class CredentialSet:
    name: str
    username: str
    password: str = field(repr=False)
    enable: str = field(default="", repr=False)


@dataclass(frozen=True)
class HostPort:
    host: str
    port: int


@dataclass(frozen=True)
class SnmpConfig:
    host: str
    port: int = 161
    community: str = field(default="public", repr=False)
    timeout: float | None = None  # seconds per try; slow agents (big tables, busy CPUs) need more


@dataclass(frozen=True)
class PduConfig:
    host: str
    port: int
    outlet: int
    community: str = field(default="private", repr=False)


@dataclass
class SlotConfig:
    id: str
    profile: str = "auto"
    console: str = ""
    ssh: HostPort | None = None
    snmp: SnmpConfig | None = None
    credentials: list[CredentialSet] = field(default_factory=list)
    label_serial: str = ""
    console_line: dict[str, Any] = field(default_factory=dict)  # baudrate, parity, flow
    pdu: PduConfig | None = None
    # Which ports have loopback plugs or are cabled in pairs on this slot's harness.
    harness: dict[str, Any] = field(default_factory=dict)
    local: bool = False  # `local: true`: the bench host itself is the unit (server tests, no SSH)
    lot: str = ""  # the lot or purchase order the unit came in (`lot:` of the slot, else of the bench)


@dataclass
class BenchConfig:
    name: str
    store: str
    slots: list[SlotConfig]
    blocked_serials: str = ""
    source: str = ""


def _expand_env(value: Any, where: str) -> Any:
    if not isinstance(value, str):
        return value

    def sub(m: re.Match[str]) -> str:
        var = m.group(1)
        if var not in os.environ:
            raise BenchFileError(f"{where}: environment variable {var} is not set; export it or write the value")
        return os.environ[var]

    return _ENV_REF.sub(sub, value)


def _host_port(text: Any, where: str, default_port: int) -> HostPort:
    if not isinstance(text, str | int) or not str(text).strip():
        raise BenchFileError(f"{where}: expected 'host:port', got {text!r}")
    host, _, port = str(text).strip().rpartition(":")
    if not host:
        host, port = port, str(default_port)
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise BenchFileError(f"{where}: port {port!r} is not a number from 1 to 65535; write 'host:port'")
    return HostPort(host, int(port))


def _snmp(value: Any, where: str) -> SnmpConfig:
    if isinstance(value, str):
        hp = _host_port(value, where, 161)
        return SnmpConfig(hp.host, hp.port)
    if not isinstance(value, dict) or "host" not in value:
        raise BenchFileError(f"{where}: expected {{host, port, community}}, got {value!r}")
    port = value.get("port", 161)
    if not isinstance(port, int) or not 0 < port < 65536:
        raise BenchFileError(f"{where}.port: {port!r} is not a port number from 1 to 65535")
    community = _expand_env(str(value.get("community", "public")), f"{where}.community")
    timeout = value.get("timeout")
    if timeout is not None and (not isinstance(timeout, int | float) or timeout <= 0):
        raise BenchFileError(f"{where}.timeout: {timeout!r} is not a number of seconds such as 5")
    return SnmpConfig(str(value["host"]), port, community, float(timeout) if timeout is not None else None)


def _console(value: Any, where: str) -> tuple[str, dict[str, Any]]:
    """`console: URL` or `console: {url: URL, baudrate: 9600, parity: N, flow: none}`."""
    if not value:
        return "", {}
    if isinstance(value, str):
        return value, {}
    if not isinstance(value, dict) or not value.get("url"):
        raise BenchFileError(f"{where}: expected a URL or {{url, baudrate, parity, flow}}")
    line = {k: value[k] for k in ("baudrate", "parity", "flow") if k in value}
    if "baudrate" in line and not isinstance(line["baudrate"], int):
        raise BenchFileError(f"{where}.baudrate: {line['baudrate']!r} is not a number such as 9600")
    if str(line.get("parity", "N")) not in ("N", "E", "O"):
        raise BenchFileError(f"{where}.parity: use N, E or O")
    if str(line.get("flow", "none")) not in ("none", "rtscts", "xonxoff"):
        raise BenchFileError(f"{where}.flow: use none, rtscts or xonxoff")
    return str(value["url"]), line


def _pdu(value: Any, where: str) -> PduConfig:
    if not isinstance(value, dict) or "host" not in value or "outlet" not in value:
        raise BenchFileError(f"{where}: expected {{host, port, community, outlet}}")
    port, outlet = value.get("port", 161), value["outlet"]
    if not isinstance(port, int) or not 0 < port < 65536:
        raise BenchFileError(f"{where}.port: {port!r} is not a port number from 1 to 65535")
    if not isinstance(outlet, int) or outlet < 1:
        raise BenchFileError(f"{where}.outlet: {outlet!r} is not an outlet number (1, 2, ...)")
    community = _expand_env(str(value.get("community", "private")), f"{where}.community")
    return PduConfig(str(value["host"]), port, outlet, community)


def _harness(value: Any, where: str) -> dict[str, Any]:
    """`harness: {loopback: [Gi1/0/1, ...], pairs: [[Gi1/0/49, Gi1/0/50], ...]}`."""
    if not value:
        return {}
    if not isinstance(value, dict):
        raise BenchFileError(f"{where}: expected {{loopback: [ports], pairs: [[port, port], ...]}}")
    loopback, pairs = value.get("loopback") or [], value.get("pairs") or []
    if not isinstance(loopback, list) or not all(isinstance(p, str) for p in loopback):
        raise BenchFileError(f"{where}.loopback: expected a list of port names such as Gi1/0/1")
    if not isinstance(pairs, list) or not all(isinstance(p, list) and len(p) == 2 for p in pairs):
        raise BenchFileError(f"{where}.pairs: expected a list of two-port lists such as [Gi1/0/49, Gi1/0/50]")
    return {"loopback": loopback, "pairs": pairs}


def _local(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise BenchFileError(f"{where}: expected true or false (true: this bench host is the unit)")
    return value


def _lot(value: Any, where: str) -> str:
    """`lot: PO-4711`: one line of at most 64 characters (it is exported and printed)."""
    if value is None:
        return ""
    if not isinstance(value, str | int) or isinstance(value, bool) or not str(value).strip():
        raise BenchFileError(f"{where}: expected a lot name such as PO-4711")
    text = str(value).strip()
    if len(text) > 64 or any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise BenchFileError(f"{where}: a lot name is one line of at most 64 characters; shorten {text[:20]!r}...")
    return text


def _credential_sets(raw: Any) -> dict[str, CredentialSet]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise BenchFileError("credentials: expected a mapping of set name to {username, password, enable}")
    sets: dict[str, CredentialSet] = {}
    for name, body in raw.items():
        where = f"credentials.{name}"
        if not isinstance(body, dict) or "username" not in body:
            raise BenchFileError(f"{where}: expected {{username, password, enable}}")
        sets[str(name)] = CredentialSet(
            name=str(name),
            username=str(_expand_env(body["username"], f"{where}.username")),
            password=str(_expand_env(body.get("password", ""), f"{where}.password")),
            enable=str(_expand_env(body.get("enable", ""), f"{where}.enable")),
        )
    return sets


def _slot(raw: Any, index: int, sets: dict[str, CredentialSet]) -> SlotConfig:
    where = f"slots[{index}]"
    if not isinstance(raw, dict) or "id" not in raw:
        raise BenchFileError(f"{where}: every slot needs an 'id'")
    sid = str(raw["id"])
    where = f"slots[{index}] ({sid})"
    names = raw.get("credentials", list(sets))
    if isinstance(names, str):
        names = [names]
    if not isinstance(names, list):
        raise BenchFileError(f"{where}.credentials: expected a list of credential set names")
    unknown = [n for n in names if str(n) not in sets]
    if unknown:
        raise BenchFileError(f"{where}.credentials: no credential set named {unknown[0]!r}; "
                             f"define it under the top-level 'credentials' (known: {', '.join(sets) or 'none'})")
    console, console_line = _console(raw.get("console"), f"{where}.console")
    return SlotConfig(
        id=sid,
        profile=str(raw.get("profile", "auto")),
        console=console,
        ssh=_host_port(raw["ssh"], f"{where}.ssh", 22) if raw.get("ssh") else None,
        snmp=_snmp(raw["snmp"], f"{where}.snmp") if raw.get("snmp") else None,
        credentials=[sets[str(n)] for n in names],
        label_serial=str(raw.get("label_serial") or ""),
        console_line=console_line,
        pdu=_pdu(raw["pdu"], f"{where}.pdu") if raw.get("pdu") else None,
        harness=_harness(raw.get("harness"), f"{where}.harness"),
        local=_local(raw.get("local", False), f"{where}.local"),
        lot=_lot(raw.get("lot"), f"{where}.lot"),
    )


def parse_bench(doc: Any, source: str = "<bench>") -> BenchConfig:
    if not isinstance(doc, dict):
        raise BenchFileError(f"{source}: expected a YAML mapping with 'bench' and 'slots'")
    raw_slots = doc.get("slots")
    if not isinstance(raw_slots, list) or not raw_slots:
        raise BenchFileError(f"{source}: 'slots' must be a non-empty list of slots")
    sets = _credential_sets(doc.get("credentials"))
    slots = [_slot(s, i, sets) for i, s in enumerate(raw_slots)]
    seen: set[str] = set()
    for s in slots:
        if s.id in seen:
            raise BenchFileError(f"{source}: slot id {s.id!r} appears twice; slot ids must be unique")
        seen.add(s.id)
        if not (s.ssh or s.snmp or s.console or s.local):
            raise BenchFileError(f"{source}: slot {s.id} has no ssh, snmp or console (nor local: true); "
                                 "give it at least one")
    bench_lot = _lot(doc.get("lot"), f"{source}: lot")
    for s in slots:
        s.lot = s.lot or bench_lot
    blocked = str(doc.get("blocked_serials") or "")
    if blocked and source and not os.path.isabs(blocked):
        blocked = str(Path(source).resolve().parent / blocked)
    return BenchConfig(name=str(doc.get("bench", "bench")), store=str(doc.get("store") or DEFAULT_STORE),
                       slots=slots, blocked_serials=blocked, source=source)


def load_bench(path: str | os.PathLike[str]) -> BenchConfig:
    p = Path(path)
    try:
        text = p.read_text()
    except OSError as e:
        raise BenchFileError(f"{path}: cannot read the bench file ({e.strerror}); check the path") from None
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark else ""
        raise BenchFileError(f"{path}: not valid YAML{at}; fix the syntax there") from None
    return parse_bench(doc, str(p))
