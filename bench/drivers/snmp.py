"""The bench's SNMP v2c client: GET and bulk walks over ONE pysnmp engine per event loop.

pysnmp is imported on the first request, not with this module (see `_pysnmp`).

pysnmp 7's SnmpEngine binds its transport dispatcher to the event loop it was created on, so
"one engine per process" really means one per running loop: `shared_engine()` keys on it.
All targets share the engine's single client UDP socket; a per-target semaphore bounds the
requests in flight to one agent, as a real agent's small input queue would.

Values come back as plain Python: int for every numeric type, str for printable strings,
OIDs and IP addresses, "0x..." hex for binary strings, None for noSuchObject/noSuchInstance.
"""

from __future__ import annotations

import asyncio
import functools
import weakref
from collections.abc import Awaitable, Callable
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from bench.errors import ChannelError

if TYPE_CHECKING:
    from pysnmp.hlapi.v3arch.asyncio import SnmpEngine, UdpTransportTarget

__all__ = ["SnmpError", "SnmpTarget", "close_shared_engine", "octets_text", "parse_snmp_url", "parse_oid",
           "shared_engine"]

MAX_WALK_ROWS = 100_000
_GET_CHUNK = 32  # OIDs per GET request: keeps responses well under any agent's tooBig limit

_engines: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, SnmpEngine] = weakref.WeakKeyDictionary()

END_OF_MIB = object()  # an agent's endOfMibView in a walk's answer: nothing after this OID
Bind = tuple[tuple[int, ...], object]  # (OID, plain value or END_OF_MIB)


class SnmpError(ChannelError):
    """An SNMP request failed: timeout, agent error, or a broken response. One line, cause named."""


@functools.cache
def _pysnmp() -> SimpleNamespace:
    """pysnmp, imported on first use: about a third of a second of CPU that a process whose SNMP goes
    through gufo-snmp and bench.drivers.snmp_bulk (a quick plan on addresses) never needs to pay."""
    from pyasn1.type import univ
    from pysnmp.hlapi.v3arch import asyncio as hlapi
    from pysnmp.proto import errind, rfc1902, rfc1905
    from pysnmp.proto.api import v2c

    return SimpleNamespace(univ=univ, hlapi=hlapi, errind=errind, rfc1902=rfc1902,
                           no_value=(rfc1905.NoSuchObject.tagSet, rfc1905.NoSuchInstance.tagSet, v2c.Null.tagSet),
                           end=rfc1905.EndOfMibView.tagSet)


def shared_engine() -> SnmpEngine:
    """The SnmpEngine of the running event loop, created on first use."""
    loop = asyncio.get_running_loop()
    engine = _engines.get(loop)
    if engine is None:
        engine = _engines[loop] = _pysnmp().hlapi.SnmpEngine()
    return engine


def close_shared_engine() -> None:
    """Close the running loop's shared engine (its UDP socket and timer), if any."""
    engine = _engines.pop(asyncio.get_running_loop(), None)
    if engine is not None:
        engine.close_dispatcher()


def parse_snmp_url(url: str) -> tuple[str, str, int]:
    """`snmp://community@host:port` -> (community, host, port); community defaults to public, port to 161."""
    parts = urlsplit(url)
    if parts.scheme != "snmp":
        raise ValueError(f"{url!r}: not an SNMP URL; write snmp://community@host:port")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ValueError(f"{url!r}: unexpected path or query; write snmp://community@host:port")
    # The community may hold ':' or '@', so take everything before the last '@' as is.
    userinfo, at, _ = parts.netloc.rpartition("@")
    community = unquote(userinfo) if at else "public"
    if at and not community:
        raise ValueError(f"{url!r}: empty community before '@'; write snmp://community@host:port")
    host = parts.hostname or ""
    if not host:
        raise ValueError(f"{url!r}: no host; write snmp://community@host:port")
    return community, host, url_port(parts, url) or 161


def url_port(parts: Any, url: str) -> int | None:
    """The port of a parsed URL, None when it names none; ValueError naming the URL when it is no port."""
    try:
        port = parts.port
    except ValueError:
        port = 0
    if port == 0:
        raise ValueError(f"{url!r}: port must be a number from 1 to 65535")
    return port


def _oid_str(name: Any) -> str:
    return ".".join(str(n) for n in tuple(name))


def still_under(root: tuple[int, ...], cursor: tuple[int, ...], got: tuple[int, ...], rows: int, where: str) -> bool:
    """Whether `got`, the next OID a walk of `root` returned after `cursor`, still belongs to the walk.
    A looping agent (OIDs not increasing) or an endless one (past MAX_WALK_ROWS rows) is an SnmpError:
    refused rather than truncated."""
    if got[:len(root)] != root or got == root:
        return False
    if got <= cursor:
        raise SnmpError(f"SNMP walk of {_oid_str(root)} on {where}: agent returned {_oid_str(got)} after "
                        f"{_oid_str(cursor)} (OIDs not increasing)")
    if rows >= MAX_WALK_ROWS:
        raise SnmpError(f"SNMP walk of {_oid_str(root)} on {where}: more than {MAX_WALK_ROWS} rows, stopped")
    return True


def octets_text(raw: bytes) -> str:
    """An OCTET STRING as the bench shows it: printable UTF-8 as text, anything else as 0x-hex."""
    # Devices often NUL-pad fixed-size strings (serials, descriptions); the padding is not data.
    trimmed = raw.rstrip(b"\x00")
    try:
        text = trimmed.decode("utf-8")
    except UnicodeDecodeError:
        return "0x" + raw.hex()
    if all(c.isprintable() or c in "\t\r\n" for c in text):
        return text
    return "0x" + raw.hex()


def convert(value: Any) -> object:
    """pysnmp value -> plain Python value (see the module docstring)."""
    lib = _pysnmp()
    univ = lib.univ
    tag = value.tagSet
    if tag in lib.no_value:
        return None
    if tag == lib.rfc1902.IpAddress.tagSet:
        return ".".join(str(b) for b in bytes(value))
    if isinstance(value, univ.ObjectIdentifier):
        return _oid_str(value)
    if isinstance(value, univ.OctetString):  # also Opaque and Bits
        return octets_text(bytes(value))
    if isinstance(value, univ.Integer):  # Integer32, Counter32/64, Gauge32, TimeTicks
        return int(value)
    return value.prettyPrint()


def parse_oid(oid: str) -> tuple[int, ...]:
    try:
        parsed = tuple(int(p) for p in oid.strip().strip(".").split("."))
    except ValueError:
        raise SnmpError(f"bad OID {oid!r}: expected dotted numbers like 1.3.6.1.2.1.1.1.0") from None
    if len(parsed) < 2 or any(n < 0 for n in parsed):
        raise SnmpError(f"bad OID {oid!r}: expected dotted numbers like 1.3.6.1.2.1.1.1.0")
    return parsed


class SnmpTarget:
    """One SNMP v2c agent, reached through the shared engine."""

    def __init__(self, host: str, port: int = 161, community: str = "public", timeout: float = 2.0,
                 retries: int = 1, max_in_flight: int = 4, engine: SnmpEngine | None = None) -> None:
        self.host = host
        self.port = port
        self.community = community
        self.timeout = timeout
        self.retries = retries
        self._engine = engine
        self._transport: UdpTransportTarget | None = None
        self._auth: Any = None  # pysnmp's CommunityData and ContextData, made with the transport
        self._context: Any = None
        self._sem = asyncio.Semaphore(max_in_flight)
        self.requests = 0  # PDUs sent to this agent (retries of one PDU not counted): what a read costs

    def __repr__(self) -> str:
        return f"SnmpTarget({self.host}:{self.port})"

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def _budget(self) -> float:
        """Seconds one request may take, every retry included."""
        return self.timeout * (self.retries + 1)

    async def _target(self) -> UdpTransportTarget:
        if self._transport is None:
            hlapi = _pysnmp().hlapi
            self._auth = hlapi.CommunityData(self.community, mpModel=1)
            self._context = hlapi.ContextData()
            try:
                self._transport = await hlapi.UdpTransportTarget.create(
                    (self.host, self.port), timeout=self.timeout, retries=self.retries)
            except Exception as e:  # noqa: BLE001 - resolution errors come in many types
                raise SnmpError(f"SNMP target {self.where}: cannot resolve host: {e}") from e
        return self._transport

    async def _request(self, what: str, call: Callable[[], Awaitable[Any]]) -> list[Any]:
        """Run one pysnmp request under the semaphore and a watchdog; return its var-binds."""
        async with self._sem:
            self.requests += 1
            try:
                # pysnmp enforces timeout/retries itself; the watchdog only guards against a
                # request that never completes (e.g. a dispatcher that stopped ticking).
                err_ind, err_status, err_index, binds = await asyncio.wait_for(call(), self._budget + 2.0)
            except TimeoutError:
                raise self._timeout() from None
            except Exception as e:  # noqa: BLE001 - pysnmp raises PySnmpError, PyAsn1Error and others
                raise SnmpError(f"SNMP {what} to {self.where} failed: {type(e).__name__}: {e}") from e
        if err_ind:
            if isinstance(err_ind, _pysnmp().errind.RequestTimedOut):
                raise self._timeout()
            raise SnmpError(f"SNMP {what} to {self.where} failed: {err_ind}")
        if err_status:
            index = int(err_index)
            at = f" at {_oid_str(binds[index - 1][0])}" if 0 < index <= len(binds) else ""
            # get_cmd and bulk_cmd disagree on the type here: int vs pyasn1 Integer with names.
            status = err_status.prettyPrint() if hasattr(err_status, "prettyPrint") else f"error {err_status}"
            raise SnmpError(f"SNMP {what} to {self.where}: agent answered {status}{at}")
        return list(binds)

    def _timeout(self) -> SnmpError:
        return SnmpError(f"SNMP timeout from {self.where} after {self._budget:g} s")

    async def get(self, *oids: str) -> dict[str, object]:
        """Values of `oids` (dotted); an OID the agent lacks maps to None."""
        wanted = [_oid_str(parse_oid(o)) for o in oids]
        engine = self._engine or shared_engine()
        target = await self._target()
        hlapi = _pysnmp().hlapi
        out: dict[str, object] = {}
        for start in range(0, len(wanted), _GET_CHUNK):
            chunk = wanted[start:start + _GET_CHUNK]
            binds = await self._request("get", lambda chunk=chunk: hlapi.get_cmd(
                engine, self._auth, target, self._context,
                *(hlapi.ObjectType(hlapi.ObjectIdentity(o)) for o in chunk), lookupMib=False))
            if len(binds) != len(chunk):
                raise SnmpError(f"SNMP get to {self.where}: asked {len(chunk)} OIDs, got {len(binds)} back")
            for asked, (_, value) in zip(chunk, binds, strict=True):
                out[asked] = convert(value)
        return out

    async def set_integer(self, oid: str, value: int) -> None:
        """SET one INTEGER (e.g. a PDU outlet command); raises SnmpError with the agent's refusal."""
        engine = self._engine or shared_engine()
        target = await self._target()
        lib = _pysnmp()
        await self._request("set", lambda: lib.hlapi.set_cmd(
            engine, self._auth, target, self._context,
            lib.hlapi.ObjectType(lib.hlapi.ObjectIdentity(_oid_str(parse_oid(oid))), lib.rfc1902.Integer32(value)),
            lookupMib=False))

    async def walk(self, oid: str, max_repetitions: int = 25) -> dict[str, object]:
        """Every OID strictly under `oid`, in order, via GETBULK; stops at the subtree's end."""
        root = parse_oid(oid)
        engine = self._engine or shared_engine()
        target = await self._target()
        lib = _pysnmp()
        out: dict[str, object] = {}
        cursor = root
        while True:
            start = _oid_str(cursor)
            binds = await self._request("walk", lambda start=start: lib.hlapi.bulk_cmd(
                engine, self._auth, target, self._context, 0, max(1, max_repetitions),
                lib.hlapi.ObjectType(lib.hlapi.ObjectIdentity(start)), lookupMib=False))
            if not binds:
                return out  # an agent with nothing to say has nothing more under root
            for name, value in binds:
                got = tuple(name)
                if value.tagSet == lib.end or not still_under(root, cursor, got, len(out), self.where):
                    return out
                out[_oid_str(got)] = convert(value)
                cursor = got

    async def walk_columns(self, table: str, columns: tuple[int | str, ...], max_repetitions: int = 64,
                           max_requests: int = 4) -> tuple[dict[str, object], bool]:
        """Columns of one table walked side by side: every GETBULK carries one var-bind per column.
        A column is its number under `table`, or a dotted path under it ("3.1.2": columns of several tables).

        Stops after `max_requests` requests; returns (values, complete). Values are keyed by full
        dotted OID, as `walk` returns them.
        """
        roots = [parse_oid(f"{table}.{c}") for c in columns]
        out: dict[str, object] = {}
        cursors = {i: root for i, root in enumerate(roots)}  # the columns still being walked
        for _ in range(max(1, max_requests)):
            if not cursors:
                return out, True
            live = sorted(cursors)
            binds = await self._bulk_columns([cursors[i] for i in live], max(1, max_repetitions))
            if not binds:
                return out, True
            done: set[int] = set()
            for n, (got, value) in enumerate(binds):
                col = live[n % len(live)]
                if col in done:
                    continue
                root = roots[col]
                if value is END_OF_MIB or got[:len(root)] != root or got <= cursors[col]:
                    done.add(col)  # past the column's end (or a looping agent): this column is finished
                    continue
                out[_oid_str(got)] = value
                cursors[col] = got
            for col in done:
                cursors.pop(col, None)
            if len(out) >= MAX_WALK_ROWS:
                break
        return out, not cursors

    async def _bulk_columns(self, starts: list[tuple[int, ...]], max_repetitions: int) -> list[Bind]:
        """One GETBULK with a var-bind per start: (OID, plain value, or END_OF_MIB) in the agent's order."""
        engine = self._engine or shared_engine()
        target = await self._target()
        names = [_oid_str(start) for start in starts]
        lib = _pysnmp()
        binds = await self._request("walk", lambda: lib.hlapi.bulk_cmd(
            engine, self._auth, target, self._context, 0, max_repetitions,
            *(lib.hlapi.ObjectType(lib.hlapi.ObjectIdentity(n)) for n in names), lookupMib=False))
        return [(tuple(name), END_OF_MIB if value.tagSet == lib.end else convert(value)) for name, value in binds]
