"""The bench file: stations, credentials and slots, loaded and validated before anything connects.

Read within bounds (bench.bounded_yaml: size, encoding, depth, aliases), then every field checked
for its type and range; a wrong field is one BenchFileError naming the field and what to write.
Values from the file appear in messages escaped and shortened: they may hold anything.
"""

from __future__ import annotations

import ipaddress
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench.bounded_yaml import decode, load_file, special_kind, typed_text
from bench.drivers.channel import Credential
from bench.errors import BadInput, BenchFileError
from bench.images.library import DIGESTS, HEX_LENGTH, ImageEntry, ImageLibrary, file_digests

DEFAULT_STORE = "sqlite:///bench.db"
MAX_BENCH_FILE_BYTES = 1 << 20  # 1 MiB: a thousand fully described slots take a few hundred KiB
MAX_BLOCKED_LIST_BYTES = 64 << 20
MAX_SLOTS = 1000
_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
# Slot ids name rows, files and widgets and are printed everywhere: letters, digits and . _ - : / only.
SLOT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/-]{0,31}")
_HOSTNAME = re.compile(r"(?=.{1,253}$)[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,62}))*\.?")
CONSOLE_SCHEMES = ("rfc2217", "socket", "telnet", "loop")

TOP_KEYS = {"bench", "store", "blocked_serials", "credentials", "slots", "lot", "fleet", "images"}
SLOT_KEYS = {"id", "profile", "console", "ssh", "telnet", "snmp", "credentials", "label_serial", "pdu", "harness",
             "local", "lot", "truth", "bmc"}  # truth: written by `bench sim` for checking the bench; never read
CREDENTIAL_KEYS = {"username", "password", "enable"}
SNMP_KEYS = {"host", "port", "community", "timeout"}
PDU_KEYS = {"host", "port", "community", "outlet"}
CONSOLE_KEYS = {"url", "baudrate", "parity", "flow"}
HARNESS_KEYS = {"loopback", "pairs", "poe_load"}
BMC_KEYS = {"url", "username", "password"}


# A named login of the bench file is the channel layer's one credential type (secrets hidden from repr/str).
CredentialSet = Credential


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
class BmcConfig:
    """A server's BMC over the network (Redfish): what the BMC reset uses besides in-band ipmitool."""

    url: str  # http(s)://host[:port]
    username: str
    password: str = field(default="", repr=False)


@dataclass
class SlotConfig:
    id: str
    profile: str = "auto"
    console: str = ""
    ssh: HostPort | None = None
    telnet: HostPort | None = None  # `telnet: host:port`: the CLI of a unit without SSH (no crypto image)
    snmp: SnmpConfig | None = None
    credentials: list[CredentialSet] = field(default_factory=list)
    label_serial: str = ""
    console_line: dict[str, Any] = field(default_factory=dict)  # baudrate, parity, flow
    pdu: PduConfig | None = None
    # Which ports have loopback plugs or are cabled in pairs on this slot's harness.
    harness: dict[str, Any] = field(default_factory=dict)
    local: bool = False  # `local: true`: the bench host itself is the unit (server tests, no SSH)
    lot: str = ""  # the lot or purchase order the unit came in (`lot:` of the slot, else of the bench)
    bmc: BmcConfig | None = None  # `bmc: {url, username, password}`: the server's BMC over Redfish


@dataclass
class BenchConfig:
    name: str
    store: str
    slots: list[SlotConfig]
    blocked_serials: str = ""
    source: str = ""
    fleet: str = ""  # `fleet:` the PostgreSQL fleet store sealed records stream to (bench.fleet), if any
    images: ImageLibrary = field(default_factory=ImageLibrary)  # `images:` the refurbishment's target images


# ---- small checks ----------------------------------------------------------------------------


def shown(value: Any, limit: int = 60) -> str:
    """A value from the file as a message may show it: repr-escaped (no raw controls), shortened."""
    text = repr(value) if isinstance(value, str) else (repr(value) if isinstance(value, int | float | bool)
                                                       else f"a {_kind(value)}")
    return text if len(text) <= limit else text[: limit - 4] + "...'"


def _kind(value: Any) -> str:
    return {dict: "mapping", list: "list", str: "string", bool: "true/false", type(None): "nothing"}.get(
        type(value), type(value).__name__)


def _unknown_keys(raw: dict[str, Any], known: set[str], where: str) -> None:
    # `x-...` keys hold what YAML anchors refer to (x-defaults: &d {...}, then <<: *d), as in Compose files.
    unknown = sorted(str(k) for k in raw if k not in known and not (isinstance(k, str) and k.startswith("x-")))
    if unknown:
        raise BenchFileError(f"{where}: unknown field {shown(unknown[0])}; the fields are {', '.join(sorted(known))}")


def _text(value: Any, where: str, what: str, limit: int = 200, allow_number: bool = True) -> str:
    """A printable one-line string (numbers allowed where YAML would read `1234` as one)."""
    if isinstance(value, bool) or not isinstance(value, str | int | float) or (
            not allow_number and not isinstance(value, str)):
        raise BenchFileError(f"{where}: expected {what}, got {shown(value)}")
    text = typed_text(value)
    if len(text) > limit:
        raise BenchFileError(f"{where}: longer than {limit} characters; expected {what}")
    if not text.isprintable():
        raise BenchFileError(f"{where}: {shown(text)} holds control characters; expected {what}")
    return text


def _port(value: Any, where: str) -> int:
    if type(value) is not int or not 0 < value < 65536:
        raise BenchFileError(f"{where}: {shown(value)} is not a port number from 1 to 65535")
    return value


def is_host(text: str) -> bool:
    """A DNS name or an IPv4/IPv6 address: nothing a connect call or a terminal could misread."""
    try:
        ipaddress.ip_address(text)
        return True
    except ValueError:
        return bool(_HOSTNAME.fullmatch(text))


def _host(value: Any, where: str) -> str:
    if not isinstance(value, str) or not is_host(value.strip("[]")):
        raise BenchFileError(f"{where}: {shown(value)} is not a host name or IP address")
    return value.strip("[]")


def _expand_env(value: Any, where: str) -> Any:
    if not isinstance(value, str):
        return value

    def sub(m: re.Match[str]) -> str:
        var = m.group(1)
        if var not in os.environ:
            raise BenchFileError(f"{where}: environment variable {var} is not set; export it or write the value")
        return os.environ[var]

    return _ENV_REF.sub(sub, value)


def _secret(value: Any, where: str) -> str:
    """A password or community: a string (or a number), never shown in a message."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise BenchFileError(f"{where}: expected a string, got a {_kind(value)}")
    text = str(_expand_env(typed_text(value), where))
    if len(text) > 1024 or any(c in text for c in "\r\n\x00"):
        raise BenchFileError(f"{where}: must be one line of at most 1024 characters")
    return text


# ---- fields ----------------------------------------------------------------------------------


def _host_port(text: Any, where: str, default_port: int) -> HostPort:
    """`host:port`, `host`, `[v6]:port` or a bare IPv6 address."""
    if not isinstance(text, str) or not text.strip():
        raise BenchFileError(f"{where}: expected 'host:port', got {shown(text)}")
    text = text.strip()
    m = re.fullmatch(r"\[([^\]]+)\](?::(.*))?", text)
    if m:
        host, port = m.group(1), m.group(2) if m.group(2) is not None else str(default_port)
    elif text.count(":") > 1:  # a bare IPv6 address: no port can follow it unbracketed
        host, port = text, str(default_port)
    elif text.startswith(":"):
        raise BenchFileError(f"{where}: no host before the port; write 'host:port'")
    else:
        host, _, port = text.rpartition(":")
        if not host:
            host, port = port, str(default_port)
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise BenchFileError(f"{where}: port {shown(port)} is not a number from 1 to 65535; write 'host:port'")
    if not is_host(host):
        raise BenchFileError(f"{where}: {shown(host)} is not a host name or IP address; write 'host:port'")
    return HostPort(host, int(port))


def _telnet(value: Any, where: str) -> HostPort | None:
    """`host:port` or `telnet://host:port` (port 23 when left out)."""
    if value is None:
        return None
    if isinstance(value, str) and value.strip().startswith("telnet://"):
        value = value.strip()[len("telnet://"):].rstrip("/")
        if "@" in value:
            raise BenchFileError(f"{where}: no user or password in the address; put them under 'credentials'")
    return _host_port(value, where, 23)


def _snmp(value: Any, where: str) -> SnmpConfig:
    if isinstance(value, str):
        hp = _host_port(value, where, 161)
        return SnmpConfig(hp.host, hp.port)
    if not isinstance(value, dict) or "host" not in value:
        raise BenchFileError(f"{where}: expected {{host, port, community}} or 'host:port', got {shown(value)}")
    _unknown_keys(value, SNMP_KEYS, where)
    host = _host(value["host"], f"{where}.host")
    port = _port(value.get("port", 161), f"{where}.port")
    community = _secret(value.get("community", "public"), f"{where}.community")
    timeout = value.get("timeout")
    if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, int | float)
                                or not 0 < timeout <= 600):
        raise BenchFileError(f"{where}.timeout: {shown(timeout)} is not a number of seconds from 0 to 600, e.g. 5")
    return SnmpConfig(host, port, community, float(timeout) if timeout is not None else None)


def _console_url(url: Any, where: str) -> str:
    if not isinstance(url, str) or not url.strip():
        raise BenchFileError(f"{where}: expected a console URL such as rfc2217://host:port or /dev/ttyUSB0")
    url = _text(url.strip(), where, "a console URL", 300)
    if url.startswith("/") or re.fullmatch(r"COM\d+", url):
        if url.startswith("/") and not os.path.exists(url):
            raise BenchFileError(f"{where}: {shown(url)} does not exist; plug the console cable in or fix the path")
        return url
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise BenchFileError(f"{where}: {shown(url)} is not a valid URL; write rfc2217://host:port") from None
    if parts.scheme not in CONSOLE_SCHEMES:
        raise BenchFileError(f"{where}: {shown(url)}: use /dev/ttyUSB0, rfc2217://host:port, socket://host:port "
                             "or telnet://host:port")
    if parts.scheme != "loop" and (not parts.hostname or not is_host(parts.hostname) or not port):
        raise BenchFileError(f"{where}: {shown(url)} needs a host and the console server's TCP port (1 to 65535); "
                             f"write {parts.scheme}://host:port")
    return url


def _console(value: Any, where: str) -> tuple[str, dict[str, Any]]:
    """`console: URL` or `console: {url: URL, baudrate: 9600, parity: N, flow: none}`."""
    if value is None or value == "":
        return "", {}
    if isinstance(value, str):
        return _console_url(value, where), {}
    if not isinstance(value, dict) or not value.get("url"):
        raise BenchFileError(f"{where}: expected a URL or {{url, baudrate, parity, flow}}")
    _unknown_keys(value, CONSOLE_KEYS, where)
    line = {k: value[k] for k in ("baudrate", "parity", "flow") if k in value}
    if "baudrate" in line:
        import serial  # pyserial: the rates a serial line can be set to

        if type(line["baudrate"]) is not int or line["baudrate"] not in serial.Serial.BAUDRATES:
            raise BenchFileError(f"{where}.baudrate: {shown(line['baudrate'])} is not a standard rate such as "
                                 "9600 or 115200")
    if line.get("parity", "N") not in ("N", "E", "O"):
        raise BenchFileError(f"{where}.parity: use N, E or O")
    if line.get("flow", "none") not in ("none", "rtscts", "xonxoff"):
        raise BenchFileError(f"{where}.flow: use none, rtscts or xonxoff")
    return _console_url(value["url"], f"{where}.url"), line


def _pdu(value: Any, where: str) -> PduConfig:
    if not isinstance(value, dict) or "host" not in value or "outlet" not in value:
        raise BenchFileError(f"{where}: expected {{host, port, community, outlet}}")
    _unknown_keys(value, PDU_KEYS, where)
    host = _host(value["host"], f"{where}.host")
    port, outlet = _port(value.get("port", 161), f"{where}.port"), value["outlet"]
    if type(outlet) is not int or not 1 <= outlet <= 1000:
        raise BenchFileError(f"{where}.outlet: {shown(outlet)} is not an outlet number (1, 2, ...)")
    community = _secret(value.get("community", "private"), f"{where}.community")
    return PduConfig(host, port, outlet, community)


def _bmc(value: Any, where: str) -> BmcConfig | None:
    """`bmc: {url: https://HOST[:PORT], username: ..., password: ...}`."""
    if value is None:
        return None
    if not isinstance(value, dict) or "url" not in value or "username" not in value:
        raise BenchFileError(f"{where}: expected {{url: https://HOST, username, password}} (the BMC's Redfish)")
    _unknown_keys(value, BMC_KEYS, where)
    url = _text(value["url"], f"{where}.url", "https://HOST[:PORT] of the BMC", 300, allow_number=False)
    m = re.fullmatch(r"(https?)://(\[[0-9A-Fa-f:.]+\]|[^/:\[\]]+)(?::(\d{1,5}))?/?", url)
    if m is None or not is_host(m.group(2).strip("[]")) or (m.group(3) and not 1 <= int(m.group(3)) <= 65535):
        raise BenchFileError(f"{where}.url: {shown(url)} is not https://HOST[:PORT]; give the BMC's address, "
                             "e.g. https://10.0.0.50")
    username = _text(value["username"], f"{where}.username", "the BMC user name", 64)
    return BmcConfig(url.rstrip("/"), username, _secret(value.get("password", ""), f"{where}.password"))


def _port_names(value: Any, where: str, what: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(p, str) and p and p.isprintable() and len(p) <= 64
                                              for p in value):
        raise BenchFileError(f"{where}: expected {what}")
    return value


def _harness(value: Any, where: str) -> dict[str, Any]:
    """`harness: {loopback: [Gi1/0/1, ...], pairs: [[Gi1/0/49, Gi1/0/50], ...]}`."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise BenchFileError(f"{where}: expected {{loopback: [ports], pairs: [[port, port], ...]}}")
    _unknown_keys(value, HARNESS_KEYS, where)
    loopback = _port_names(value.get("loopback") or [], f"{where}.loopback", "a list of port names such as Gi1/0/1")
    pairs = value.get("pairs") or []
    if not isinstance(pairs, list) or not all(isinstance(p, list) and len(p) == 2 for p in pairs):
        raise BenchFileError(f"{where}.pairs: expected a list of two-port lists such as [Gi1/0/49, Gi1/0/50]")
    for i, pair in enumerate(pairs):
        _port_names(pair, f"{where}.pairs[{i}]", "two port names such as [Gi1/0/49, Gi1/0/50]")
    out: dict[str, Any] = {"loopback": loopback, "pairs": pairs}
    if value.get("poe_load") is not None:  # refurb-steps: a PoE load tester, per port the class it draws
        out["poe_load"] = _poe_load(value["poe_load"], f"{where}.poe_load")
    return out


def _poe_load(value: Any, where: str) -> dict[str, int]:
    """`poe_load: {Gi1/0/1: 4, Gi1/0/2: 3}`: the PoE load tester's ports and the class each draws."""
    if not isinstance(value, dict) or not value:
        raise BenchFileError(f"{where}: expected a mapping of port to the class its load draws, e.g. {{Gi1/0/1: 4}}")
    _port_names(list(value), where, "port names such as Gi1/0/1")
    for port, cls in value.items():
        if isinstance(cls, bool) or not isinstance(cls, int) or not 0 <= cls <= 8:
            raise BenchFileError(f"{where}.{port}: expected a class from 0 to 8 (IEEE 802.3af/at/bt), got {shown(cls)}")
    return {str(p): int(c) for p, c in value.items()}


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
        name = _text(name, "credentials", "set names such as factory", 64)
        where = f"credentials.{name}"
        if not isinstance(body, dict) or "username" not in body:
            raise BenchFileError(f"{where}: expected {{username, password, enable}}")
        _unknown_keys(body, CREDENTIAL_KEYS, where)
        sets[name] = CredentialSet(
            name=name,
            username=_secret(body["username"], f"{where}.username"),
            password=_secret(body.get("password", ""), f"{where}.password"),
            enable=_secret(body.get("enable", ""), f"{where}.enable"),
        )
    return sets


def _slot_id(raw: dict[str, Any], where: str) -> str:
    sid = raw["id"]
    if isinstance(sid, bool) or not isinstance(sid, str | int) or not SLOT_ID.fullmatch(str(sid)):
        raise BenchFileError(f"{where}.id: {shown(sid)} is not a slot id; use 1 to 32 letters, digits and . _ - : / "
                             "starting with a letter or digit, e.g. A01")
    return str(sid)


def _slot(raw: Any, index: int, sets: dict[str, CredentialSet]) -> SlotConfig:
    where = f"slots[{index}]"
    if not isinstance(raw, dict) or "id" not in raw:
        raise BenchFileError(f"{where}: every slot is a mapping with an 'id', e.g. {{id: A01, ssh: host:22}}")
    sid = _slot_id(raw, where)
    where = f"slots[{index}] ({sid})"
    _unknown_keys(raw, SLOT_KEYS, where)
    names = raw.get("credentials", list(sets))
    if isinstance(names, str):
        names = [names]
    if not isinstance(names, list) or not all(isinstance(n, str | int) and not isinstance(n, bool) for n in names):
        raise BenchFileError(f"{where}.credentials: expected a list of credential set names")
    unknown = [n for n in names if str(n) not in sets]
    if unknown:
        raise BenchFileError(f"{where}.credentials: no credential set named {shown(str(unknown[0]))}; "
                             f"define it under the top-level 'credentials' (known: {', '.join(sets) or 'none'})")
    profile = _text(raw.get("profile", "auto"), f"{where}.profile", "a profile name (bench profiles list) or auto",
                    64, allow_number=False)
    console, console_line = _console(raw.get("console"), f"{where}.console")
    telnet = _telnet(raw.get("telnet"), f"{where}.telnet")
    if telnet is not None and raw.get("ssh") is not None:
        raise BenchFileError(f"{where}: has both ssh and telnet; keep the one the unit serves its CLI on "
                             "(telnet only for units without SSH)")
    return SlotConfig(
        id=sid,
        profile=profile,
        console=console,
        ssh=_host_port(raw["ssh"], f"{where}.ssh", 22) if raw.get("ssh") is not None else None,
        telnet=telnet,
        snmp=_snmp(raw["snmp"], f"{where}.snmp") if raw.get("snmp") is not None else None,
        credentials=[sets[str(n)] for n in names],
        label_serial=_text(raw.get("label_serial") or "", f"{where}.label_serial", "the chassis serial as printed",
                           64),
        console_line=console_line,
        pdu=_pdu(raw["pdu"], f"{where}.pdu") if raw.get("pdu") is not None else None,
        harness=_harness(raw.get("harness"), f"{where}.harness"),
        local=_local(raw.get("local", False), f"{where}.local"),
        lot=_lot(raw.get("lot"), f"{where}.lot"),
        bmc=_bmc(raw.get("bmc"), f"{where}.bmc"),
    )


def _store(value: Any, source: str) -> str:
    if value is None or value == "":
        return DEFAULT_STORE
    store = _text(value, f"{source}: store", "a store URL such as sqlite:///bench.db", 1000, allow_number=False)
    problem = store_problem(store, must_exist=False)
    if problem:
        raise BenchFileError(f"{source}: store: {problem}")
    return store


def store_problem(url: str, must_exist: bool) -> str:
    """What is wrong with a store URL as a path on this machine ('' when nothing): the checks that
    must come before SQLite opens it, so that a wrong path is a line, not a traceback."""
    if "://" in url and not url.startswith("sqlite://"):
        return f"{shown(url)}: only sqlite:///PATH is supported; use sqlite:///bench.db or a file path"
    path = Path(url[len("sqlite:///"):] if url.startswith("sqlite:///") else url)
    if str(path) in ("", ":memory:"):
        return ""
    if "\x00" in str(path):
        return f"{shown(str(path))} holds a NUL byte; give the store's path"
    if path.is_dir():
        return f"{shown(str(path))} is a directory; give a file, e.g. sqlite:///{path / 'bench.db'}"
    if special_kind(path):
        return f"{shown(str(path))} is not a regular file ({special_kind(path)}); give the store's path"
    if not path.exists():
        if must_exist:
            return f"store {shown(str(path))} does not exist; check the path (bench run creates it)"
        if not path.parent.is_dir():
            return f"the directory of {shown(str(path))} does not exist; create it or choose another path"
        return ""
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as e:
        return f"cannot read {shown(str(path))} ({e.strerror}); check its permissions"
    if head and head != b"SQLite format 3\x00":
        return f"{shown(str(path))} is not a bench store (not an SQLite database); give the store's path"
    return ""


def _blocked_serials(value: Any, source: str) -> str:
    """The blocked-serial list's path, checked now: a wrong list must stop the run, not ERROR every unit."""
    if value is None or value == "":
        return ""
    where = f"{source}: blocked_serials"
    path = _text(value, where, "the path of a CSV file", 1000, allow_number=False)
    if source and not os.path.isabs(path):
        path = str(Path(source).resolve().parent / path)
    p = Path(path)
    if p.is_dir():
        raise BenchFileError(f"{where}: {shown(path)} is a directory; give the CSV file's path")
    if special_kind(p):
        raise BenchFileError(f"{where}: {shown(path)} is not a regular file ({special_kind(p)}); give the CSV "
                             "file's path")
    try:
        with p.open("rb") as fh:
            raw = fh.read(MAX_BLOCKED_LIST_BYTES + 1)
    except OSError as e:
        raise BenchFileError(f"{where}: cannot read {shown(path)} ({e.strerror}); check the path") from None
    if len(raw) > MAX_BLOCKED_LIST_BYTES:
        raise BenchFileError(f"{where}: {shown(path)} is larger than 64 MiB; is it the right file?")
    decode(raw, f"{where}: {shown(path)[1:-1]}", "blocked-serial list", BenchFileError)
    return path


def parse_bench(doc: Any, source: str = "<bench>") -> BenchConfig:
    """The bench file's document as a BenchConfig; every error names the file first."""
    shown_source = repr(source)[1:-1]
    try:
        return _parse_bench(doc, source, shown_source)
    except BenchFileError as e:
        if str(e).startswith(shown_source):
            raise
        raise BenchFileError(f"{shown_source}: {e}") from None


def _parse_bench(doc: Any, source: str, shown_source: str) -> BenchConfig:
    if not isinstance(doc, dict):
        raise BenchFileError(f"{shown_source}: expected a YAML mapping with 'bench' and 'slots'")
    _unknown_keys(doc, TOP_KEYS, shown_source)
    raw_slots = doc.get("slots")
    if not isinstance(raw_slots, list) or not raw_slots:
        raise BenchFileError(f"{shown_source}: 'slots' must be a non-empty list of slots")
    if len(raw_slots) > MAX_SLOTS:
        raise BenchFileError(f"{shown_source}: {len(raw_slots)} slots; one bench file holds at most {MAX_SLOTS}, "
                             "split the station into several bench files")
    name = _text(doc.get("bench", "bench"), f"{shown_source}: bench", "the station's name, e.g. bench-3", 100)
    if not name.strip():
        raise BenchFileError(f"{shown_source}: bench: the station's name is empty; write e.g. bench: bench-3")
    sets = _credential_sets(doc.get("credentials"))
    slots = [_slot(s, i, sets) for i, s in enumerate(raw_slots)]
    seen: set[str] = set()
    for s in slots:
        if s.id in seen:
            raise BenchFileError(f"{shown_source}: slot id {s.id!r} appears twice; slot ids must be unique")
        seen.add(s.id)
        if not (s.ssh or s.telnet or s.snmp or s.console or s.local):
            raise BenchFileError(f"{shown_source}: slot {s.id} has no ssh, snmp or console (nor telnet, nor local: "
                                 "true); "
                                 "give it at least one")
    bench_lot = _lot(doc.get("lot"), f"{shown_source}: lot")
    for s in slots:
        s.lot = s.lot or bench_lot
    return BenchConfig(name=name, store=_store(doc.get("store"), shown_source), slots=slots,
                       blocked_serials=_blocked_serials(doc.get("blocked_serials"), source), source=source,
                       fleet=_fleet(doc.get("fleet"), shown_source), images=_images(doc.get("images"), source))


def _fleet(value: Any, source: str) -> str:
    if value is None or value == "":
        return ""
    from bench.fleet.url import check_url

    url = _text(value, f"{source}: fleet", "a PostgreSQL URL such as postgresql://bench@fleet-db/fleet", 1000,
                allow_number=False)
    try:
        return check_url(url, f"{source}: fleet:")
    except BadInput as e:
        raise BenchFileError(str(e)) from None


# ---- the image library (`images:`, bench.images.library) ---------------------------------------

IMAGE_KEYS = {"version", "file", *DIGESTS}
_IMAGE_KEY = re.compile(r"[A-Za-z0-9_.*?+/\[\]-]{1,64}")
_DIGEST_NAMES = {"md5": "an MD5 (32 hex digits)", "sha256": "a SHA-256 (64 hex digits)",
                 "sha512": "a SHA-512 (128 hex digits)"}


def _images(value: Any, source: str) -> ImageLibrary:
    """`images: {serve: host:port, FAMILY-or-MODEL-PATTERN: {version, file, sha256/md5/sha512}}`: every file
    exists and matches its vendor digests now, before anything connects."""
    if value is None:
        return ImageLibrary()
    where = "images"
    if not isinstance(value, dict):
        raise BenchFileError(f"{where}: expected a mapping of family or model pattern to {{version, file, sha256}}")
    host, port = "127.0.0.1", 0
    over_console = value.get("serve") == "console"  # no route from the units to the bench: XMODEM on the console
    if value.get("serve") is not None and not over_console:
        hp = _host_port(value["serve"], f"{where}.serve", 8069)
        host, port = hp.host, hp.port
    entries: list[ImageEntry] = []
    names: dict[str, str] = {}
    for key, body in value.items():
        if key == "serve" or (isinstance(key, str) and key.startswith("x-")):
            continue
        if not isinstance(key, str) or not _IMAGE_KEY.fullmatch(key):
            raise BenchFileError(f"{where}: {shown(key)} is neither a family (cisco_ios_switch) nor a model pattern "
                                 "(WS-C2960X-*)")
        entry = _image(body, f"{where}.{key}", key, source)
        if names.setdefault(entry.name, entry.file) != entry.file:
            raise BenchFileError(f"{where}.{key}.file: another entry serves a different file named {entry.name!r}; "
                                 "rename one of them")
        entries.append(entry)
    return ImageLibrary(tuple(entries), host, port, over_console)


def _image(body: Any, where: str, key: str, source: str) -> ImageEntry:
    if not isinstance(body, dict) or "version" not in body or "file" not in body:
        raise BenchFileError(f"{where}: expected {{version, file, sha256}} (md5 and sha512 also taken)")
    _unknown_keys(body, IMAGE_KEYS, where)
    version = _text(body["version"], f"{where}.version", "the target version as the unit prints it, e.g. 15.2(7)E10",
                    64)
    path = _text(body["file"], f"{where}.file", "the image file's path on the bench host", 1000, allow_number=False)
    if source and not os.path.isabs(path):
        path = str(Path(source).resolve().parent / path)
    p = Path(path)
    if not p.is_file():
        why = "is a directory" if p.is_dir() else "is not a regular file" if p.exists() else "does not exist"
        raise BenchFileError(f"{where}.file: {shown(path)} {why}; give the image file's path on the bench host")
    vendor: dict[str, str] = {}
    for name in DIGESTS:
        if body.get(name) is None:
            continue
        digest = str(body[name]).strip().lower()
        if not re.fullmatch(f"[0-9a-f]{{{HEX_LENGTH[name]}}}", digest):
            raise BenchFileError(f"{where}.{name}: {shown(body[name])} is not {_DIGEST_NAMES[name]}; copy it from the "
                                 "vendor's download page")
        vendor[name] = digest
    if not vendor:
        raise BenchFileError(f"{where}: no sha256 or md5; give the vendor's digest so a bad copy is caught")
    try:
        computed = file_digests(str(p))
    except OSError as e:
        raise BenchFileError(f"{where}.file: cannot read {shown(path)} ({e.strerror}); check its permissions") from None
    for name, digest in vendor.items():
        if computed[name] != digest:
            raise BenchFileError(f"{where}.file: {shown(path)} does not match its {name} ({computed[name]}, the "
                                 f"library says {digest}); download the image again")
    return ImageEntry(key, version, str(p), p.stat().st_size, vendor, computed)


def load_bench(path: str | os.PathLike[str]) -> BenchConfig:
    doc = load_file(path, "bench file", MAX_BENCH_FILE_BYTES, BenchFileError)
    return parse_bench(doc, str(Path(path)))
