"""The burn-in's fast SNMP path: GETs and GETBULK walks of counters, sensors and uptime.

Polling a fleet for hours is a decoding problem: pysnmp spends most of its time in pyasn1, and the
burn-in needs >= 12,000 var-binds per second on one core (1,000 48-port switches every 30 s).
gufo-snmp (PyPI `gufo_snmp`, a Rust BER codec driven from asyncio) did 15-22 times the work of pysnmp
per CPU-second on the same snmpd agents, 140,000-170,000 var-binds (benchmarks/snmp_poller.py,
docs/benchmarks.md), so this module uses it when it is installed and falls back to the bench's pysnmp
client when it is not.
pysnmp stays for everything else (SET, SNMPv3, the simulators' agents).

Values are the same plain Python as bench.drivers.snmp gives: int for numbers, str for printable
strings, OIDs and IP addresses, "0x..." hex for binary strings, None for an absent OID.
"""

from __future__ import annotations

import asyncio
import importlib.util
import ipaddress
from typing import Any, Protocol

from bench.drivers.snmp import MAX_WALK_ROWS, Bind, SnmpError, SnmpTarget, octets_text, parse_oid, still_under

__all__ = ["BACKEND", "FastPoller", "FastSnmpTarget", "GufoPoller", "PysnmpPoller", "gufo_available", "poller_for",
           "snmp_target"]

_GET_CHUNK = 32  # OIDs per GET, as bench.drivers.snmp: well under any agent's tooBig limit


def gufo_available() -> bool:
    return importlib.util.find_spec("gufo.snmp") is not None


BACKEND = "gufo-snmp" if gufo_available() else "pysnmp"


class FastPoller(Protocol):
    """What the burn-in polls through; both backends give identical values."""

    backend: str

    async def get(self, *oids: str) -> dict[str, object]: ...

    async def walk(self, oid: str) -> dict[str, object]: ...

    async def close(self) -> None: ...


def _truncated(exc: BaseException) -> bool:
    """gufo-snmp's error for a response cut short by its receive buffer."""
    return type(exc).__name__.endswith("DecodeError") and "incomplete" in str(exc).lower()


def _dotted(oid: str) -> str:
    return ".".join(str(n) for n in parse_oid(oid))


def _plain(value: Any) -> object:
    # gufo gives bytes for OCTET STRING, str for OIDs and IpAddress, int for every integer type.
    if isinstance(value, bytes | bytearray):
        return octets_text(bytes(value))
    return value


class GufoPoller:
    """One agent over one gufo-snmp session (one UDP socket). Requests to the agent are serialised:
    a session matches one outstanding request at a time, and one per agent is what a burn-in needs."""

    backend = "gufo-snmp"

    def __init__(self, host: str, port: int = 161, community: str = "public", timeout: float = 2.0,
                 retries: int = 1, max_repetitions: int = 25) -> None:
        self.host, self.port, self._community = host, port, community
        self.timeout, self.retries = timeout, max(0, retries)
        self.max_repetitions = max(1, max_repetitions)
        self._session = self._open()
        self._lock = asyncio.Lock()

    def _open(self) -> Any:
        from gufo.snmp.aio import SnmpSession

        return SnmpSession(self.host, self.port, community=self._community, timeout=self.timeout,
                           max_repetitions=self.max_repetitions)

    def __repr__(self) -> str:
        return f"GufoPoller({self.where})"

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"

    def _failed(self, what: str, exc: BaseException) -> SnmpError:
        if isinstance(exc, TimeoutError):
            return SnmpError(f"SNMP timeout from {self.where} after {self.timeout * (self.retries + 1):g} s")
        return SnmpError(f"SNMP {what} to {self.where} failed: {type(exc).__name__}: {exc}"[:300])

    async def get(self, *oids: str) -> dict[str, object]:
        """Values of `oids`; an OID the agent lacks maps to None."""
        wanted = [_dotted(o) for o in oids]
        out: dict[str, object] = {}
        async with self._lock:
            for start in range(0, len(wanted), _GET_CHUNK):
                chunk = wanted[start:start + _GET_CHUNK]
                for attempt in range(self.retries + 1):
                    try:
                        got = await self._session.get_many(chunk)
                        break
                    except TimeoutError as exc:
                        self._session = self._open()  # a late answer must not pass for the next request's
                        if attempt == self.retries:
                            raise self._failed("get", exc) from None
                    except Exception as exc:  # noqa: BLE001 - gufo raises SnmpError, OSError, ValueError
                        raise self._failed("get", exc) from exc
                # get_many leaves out what the agent answered noSuchObject/noSuchInstance for.
                for oid in chunk:
                    out[oid] = _plain(got.get(oid))
        return out

    async def walk(self, oid: str) -> dict[str, object]:
        """Every OID strictly under `oid`, in order (see `walk_bounded`)."""
        return (await self.walk_bounded(oid, MAX_WALK_ROWS))[0]

    async def walk_bounded(self, oid: str, max_rows: int) -> tuple[dict[str, object], bool]:
        """The OIDs strictly under `oid`, in order, at most `max_rows` of them (more than MAX_WALK_ROWS is an
        error); True when the subtree ended within the bound.

        gufo-snmp walks the subtree of the OID it starts from, so a walk cannot resume mid-way: a timeout
        starts it again (`retries` times), and a response too big for gufo-snmp's receive buffer (agents
        send up to their own maximum size) halves max-repetitions for this agent and starts it again."""
        root = parse_oid(oid)
        start = ".".join(map(str, root))
        attempt = 0
        async with self._lock:
            while True:
                out: dict[str, object] = {}
                cursor = root
                try:
                    async for name, value in self._session.getbulk(start, self.max_repetitions):
                        got = tuple(int(n) for n in name.split("."))
                        if len(out) >= max_rows and max_rows < MAX_WALK_ROWS and got[:len(root)] == root:
                            return out, False  # the caller's own bound, short of the subtree's end
                        if not still_under(root, cursor, got, len(out), self.where):
                            return out, True
                        out[name] = _plain(value)
                        cursor = got
                    return out, True
                except SnmpError:
                    raise
                except TimeoutError as exc:
                    self._session = self._open()  # a late answer must not pass for the next request's
                    attempt += 1
                    if attempt > self.retries:
                        raise self._failed("walk", exc) from None
                except Exception as exc:  # noqa: BLE001 - decode errors, OSError: one line, cause named
                    if _truncated(exc) and self.max_repetitions > 1:
                        self.max_repetitions //= 2
                        # A fresh socket: the session must not see any part of the cut-short exchange again.
                        self._session = self._open()
                        continue
                    raise self._failed("walk", exc) from exc

    async def close(self) -> None:
        # The session's socket closes with the object; drop our reference now.
        self._session = None  # type: ignore[assignment]


class PysnmpPoller:
    """The fallback: the bench's pysnmp client behind the same interface."""

    backend = "pysnmp"

    def __init__(self, target: SnmpTarget, max_repetitions: int = 25) -> None:
        self.target = target
        self.max_repetitions = max_repetitions

    async def get(self, *oids: str) -> dict[str, object]:
        return await self.target.get(*oids)

    async def walk(self, oid: str) -> dict[str, object]:
        return await self.target.walk(oid, max_repetitions=self.max_repetitions)

    async def close(self) -> None:
        return None


def _is_address(host: str) -> bool:
    # gufo-snmp takes addresses only; a host name goes through pysnmp, which resolves it.
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def poller_for(channel: Any, backend: str = "auto", max_repetitions: int = 25) -> FastPoller | Any:
    """The fast poller for an SNMP channel (an SnmpTarget): gufo-snmp when installed, else pysnmp.

    A channel that is not an SnmpTarget (a test's stand-in, a recording) is returned unchanged:
    it already has get and walk.
    """
    if not isinstance(channel, SnmpTarget):
        return channel
    if backend not in ("auto", "gufo-snmp", "pysnmp"):
        raise ValueError(f"unknown SNMP poller backend {backend!r}: use auto, gufo-snmp or pysnmp")
    if backend == "gufo-snmp" or (backend == "auto" and BACKEND == "gufo-snmp" and _is_address(channel.host)):
        return GufoPoller(channel.host, channel.port, channel.community, timeout=channel.timeout,
                          retries=channel.retries, max_repetitions=max_repetitions)
    return PysnmpPoller(channel, max_repetitions)


class FastSnmpTarget(SnmpTarget):
    """An SnmpTarget whose GETs and subtree walks go through gufo-snmp (its BER codec is Rust: pysnmp spent
    most of a quick plan's SNMP time in pyasn1). Table columns are walked side by side, one GETBULK carrying a
    var-bind per column, which gufo-snmp cannot send, through bench.drivers.snmp_bulk (walked one by one over
    gufo-snmp they cost up to five times the requests on real agents' recordings: 39 against 8 on a
    280-entity Arista). SET and everything else stay on pysnmp. Values are the same either way."""

    def __init__(self, host: str, port: int = 161, community: str = "public", timeout: float = 2.0,
                 retries: int = 1, max_in_flight: int = 4) -> None:
        super().__init__(host, port, community, timeout, retries, max_in_flight)
        self._fast: GufoPoller | None = None

    def _poller(self, max_repetitions: int = 25) -> GufoPoller:
        if self._fast is None:
            self._fast = GufoPoller(self.host, self.port, self.community, timeout=self.timeout,
                                    retries=self.retries, max_repetitions=max_repetitions)
        return self._fast

    async def get(self, *oids: str) -> dict[str, object]:
        self.requests += -(-len(oids) // _GET_CHUNK)
        return await self._poller().get(*oids)

    async def walk(self, oid: str, max_repetitions: int = 25) -> dict[str, object]:
        poller = self._poller(max_repetitions)
        got = await poller.walk(oid)
        self.requests += len(got) // poller.max_repetitions + 1  # GETBULKs a walk of that many rows takes
        return got


    async def _bulk_columns(self, starts: list[tuple[int, ...]], max_repetitions: int) -> list[Bind]:
        """The side-by-side GETBULK of SnmpTarget.walk_columns, encoded and decoded by bench.drivers.snmp_bulk."""
        from bench.drivers.snmp_bulk import getbulk

        async with self._sem:
            self.requests += 1
            return await getbulk(self.host, self.port, self.community, starts, max_repetitions, self.timeout,
                                 self.retries)


def snmp_target(host: str, port: int = 161, community: str = "public", timeout: float = 2.0) -> SnmpTarget:
    """The SNMP channel of a unit: gufo-snmp's fast path when it is installed and the host is an address."""
    if BACKEND == "gufo-snmp" and _is_address(host):
        return FastSnmpTarget(host, port, community, timeout=timeout)
    return SnmpTarget(host, port, community, timeout=timeout)
