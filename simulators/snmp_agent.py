"""A light SNMP v1/v2c command responder for simulated devices.

One UDP socket per agent and pysnmp's protocol layer only (message/PDU classes and the BER
codec): a full SnmpEngine per agent is far too heavy when 256 devices share one process.

The device supplies `view()`: dotted OID -> (type name, value). It is called once per request
so changing values (sysUpTime, counters) are always current; the sorted OID order is cached
and rebuilt only when the key set changes, so finding a successor is one bisect.

Requests are decoded with pysnmp's message classes. Responses are framed by hand from
per-OID cached BER (each value still encoded by pyasn1 from pysnmp's types): building a
pyasn1 response object costs ~0.3 ms per var-bind, which 256 agents being walked at
once cannot afford, while the framing is three SEQUENCE headers.
"""

from __future__ import annotations

import asyncio
import logging
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from typing import Any

from pyasn1.codec.ber import decoder, encoder
from pysnmp.proto import api

log = logging.getLogger(__name__)

View = dict[str, tuple[str, object]]
Oid = tuple[int, ...]

_V1 = api.PROTOCOL_MODULES[api.SNMP_VERSION_1]
_V2C = api.PROTOCOL_MODULES[api.SNMP_VERSION_2C]

# Error-status codes (RFC 1157 / RFC 3416).
_TOO_BIG = 1
_NO_SUCH_NAME = 2
_GEN_ERR = 5
_NO_ACCESS = 6
# SET errors a device's on_set may answer (RFC 3416); v1 managers see them as badValue/noSuchName.
WRONG_TYPE = 7
WRONG_VALUE = 10
NOT_WRITABLE = 17
_V1_ERROR = {WRONG_TYPE: 3, WRONG_VALUE: 3, NOT_WRITABLE: _NO_SUCH_NAME}
# pysnmp value classes -> the type names views use.
_TYPE_NAMES = {"Integer": "Integer", "Integer32": "Integer", "OctetString": "OctetString",
               "ObjectIdentifier": "ObjectIdentifier", "TimeTicks": "TimeTicks", "Counter32": "Counter32",
               "Counter64": "Counter64", "Gauge32": "Gauge32", "Unsigned32": "Unsigned32", "IpAddress": "IpAddress"}

# Bounds that keep one request from monopolising the shared event loop.
_MAX_BULK_VARBINDS = 2048
_MAX_RESPONSE_BYTES = 65000  # under the 65507-byte UDP payload limit

_TYPES: dict[str, Any] = {
    "Integer": _V2C.Integer32,
    "Integer32": _V2C.Integer32,
    "OctetString": _V2C.OctetString,
    "ObjectIdentifier": _V2C.ObjectIdentifier,
    "TimeTicks": _V2C.TimeTicks,
    "Counter32": _V2C.Counter32,
    "Counter64": _V2C.Counter64,
    "Gauge32": _V2C.Gauge32,
    "Unsigned32": _V2C.Unsigned32,
    "IpAddress": _V2C.IpAddress,
}
# SNMPv1 cannot carry Counter64: such OIDs are skipped (RFC 3584 section 4.2.2.1).
_NOT_IN_V1 = frozenset({"Counter64"})

_END_OF_MIB = encoder.encode(_V2C.EndOfMibView())
_NO_SUCH_OBJECT = encoder.encode(_V2C.NoSuchObject())
_NO_SUCH_INSTANCE = encoder.encode(_V2C.NoSuchInstance())
_NULL = encoder.encode(_V2C.null)
_RESPONSE_PDU_TAG = 0xA2  # GetResponse-PDU, [2] IMPLICIT SEQUENCE, in both v1 and v2c


def _ber_len(n: int) -> bytes:
    if n < 0x80:
        return bytes((n,))
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes((0x80 | len(raw),)) + raw


def _tlv(tag: int, payload: bytes) -> bytes:
    return bytes((tag,)) + _ber_len(len(payload)) + payload


def _ber_uint(n: int) -> bytes:
    """INTEGER for the non-negative error-status and error-index."""
    return _tlv(0x02, n.to_bytes(n.bit_length() // 8 + 1, "big"))


def _parse_oid(text: str) -> Oid | None:
    try:
        oid = tuple(int(part) for part in text.strip(".").split("."))
    except ValueError:
        return None
    return oid if len(oid) >= 2 and all(n >= 0 for n in oid) else None


class _Protocol(asyncio.DatagramProtocol):
    def __init__(self, agent: SnmpAgent) -> None:
        self.agent = agent
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        try:
            reply = self.agent.handle(data)
        except Exception:  # noqa: BLE001 - a bad datagram or view must never kill the endpoint
            self.agent.dropped += 1
            log.debug("SNMP agent %s:%s dropped a datagram from %s", self.agent.host, self.agent.port, addr,
                      exc_info=True)
            return
        if reply is not None and self.transport is not None:
            self.transport.sendto(reply, addr)

    def error_received(self, exc: Exception) -> None:
        # ICMP unreachable from a manager that went away: nothing to do, keep serving.
        log.debug("SNMP agent %s:%s: %s", self.agent.host, self.agent.port, exc)


class SnmpAgent:
    """SNMP v1/v2c agent answering GET, GETNEXT and GETBULK from a device's MIB view."""

    def __init__(self, host: str, port: int, community: str, view: Callable[[], View],
                 on_request: Callable[[], None] | None = None,
                 on_set: Callable[[str, str, object], int | None] | None = None,
                 available: Callable[[], bool] | None = None) -> None:
        self.host = host
        self.port = port
        self.community = community.encode()
        self.view = view
        self.on_request = on_request
        # on_set(oid, type name, value) -> None (done) or an error status (WRONG_TYPE, NOT_WRITABLE, ...).
        self.on_set = on_set
        self.available = available  # False: stay silent, as a device that is booting or powered off
        self.answered = 0
        self.dropped = 0  # malformed, wrong community, or not a request
        self._transport: asyncio.DatagramTransport | None = None
        # Sorted-order cache, rebuilt only when the view's key set changes.
        self._keyset: frozenset[str] = frozenset()
        self._oids: list[Oid] = []
        self._names: list[str] = []
        self._enc_oid: list[bytes] = []  # BER of self._oids[i]
        # name -> (type name, value, BER of the value): values that did not change are not re-encoded.
        self._enc_val: dict[str, tuple[str, object, bytes]] = {}

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        transport, _ = await loop.create_datagram_endpoint(lambda: _Protocol(self),
                                                           local_addr=(self.host, self.port))
        self._transport = transport
        self.port = transport.get_extra_info("sockname")[1]

    async def stop(self) -> None:
        if self._transport is not None:
            self._transport.close()
            self._transport = None

    # -- request handling ---------------------------------------------------------------

    def handle(self, data: bytes) -> bytes | None:
        """Answer one datagram; None means stay silent (garbage, wrong community, not a request)."""
        version = int(api.decodeMessageVersion(data))
        if version not in api.PROTOCOL_MODULES:
            self.dropped += 1
            return None
        mod = api.PROTOCOL_MODULES[version]
        msg, rest = decoder.decode(data, asn1Spec=mod.Message())
        if rest:
            self.dropped += 1
            return None
        if bytes(mod.apiMessage.get_community(msg)) != self.community:
            self.dropped += 1  # real agents stay silent (and at most count snmpInBadCommunityNames)
            return None
        if self.available is not None and not self.available():
            return None
        pdu = mod.apiMessage.get_pdu(msg)
        tag = pdu.tagSet
        v1 = version == api.SNMP_VERSION_1
        if tag == mod.GetRequestPDU.tagSet:
            kind = "get"
        elif tag == mod.GetNextRequestPDU.tagSet:
            kind = "next"
        elif not v1 and tag == _V2C.GetBulkRequestPDU.tagSet:
            kind = "bulk"
        elif tag == mod.SetRequestPDU.tagSet:
            kind = "set"
        else:
            self.dropped += 1  # responses, traps, reports: not for a command responder
            return None

        if self.on_request is not None:
            try:
                self.on_request()
            except Exception:  # noqa: BLE001 - the device's bookkeeping must not stop answers
                log.exception("SNMP agent %s:%s: on_request failed", self.host, self.port)

        # Everything but the var-bind list and error fields is echoed from the request.
        head = encoder.encode(msg[0]) + encoder.encode(msg[1])
        request_id = encoder.encode(mod.apiPDU.get_request_id(pdu))
        req_oids = [tuple(name) for name, _ in mod.apiPDU.get_varbinds(pdu)]

        def reply(binds: list[bytes], status: int = 0, index: int = 0) -> bytes:
            body = request_id + _ber_uint(status) + _ber_uint(index) + _tlv(0x30, b"".join(binds))
            self.answered += 1
            return _tlv(0x30, head + _tlv(_RESPONSE_PDU_TAG, body))

        def echo() -> list[bytes]:
            # Error responses carry the request's var-binds unchanged (values as Null).
            return [_tlv(0x30, encoder.encode(_V2C.ObjectIdentifier(oid)) + _NULL) for oid in req_oids]

        try:
            view = self.view()
            self._refresh(view)
        except Exception:  # noqa: BLE001 - a broken device answers genErr rather than nothing
            log.exception("SNMP agent %s:%s: view() failed", self.host, self.port)
            return reply(echo(), _GEN_ERR, 0)

        if kind == "set" and self.on_set is None:
            # Read-only agent: v2c says noAccess, v1 only knows noSuchName.
            return reply(echo(), _NO_SUCH_NAME if v1 else _NO_ACCESS, 1)
        if kind == "set":
            return self._set(mod, pdu, v1, reply, echo)
        if kind == "bulk":
            binds = self._bulk(view, pdu, req_oids)
        else:
            binds = []
            for i, oid in enumerate(req_oids, start=1):
                found = self._get(view, oid, v1) if kind == "get" else self._next(view, oid, v1)
                if found is None:
                    if v1:
                        return reply(echo(), _NO_SUCH_NAME, i)
                    found = self._exception(oid) if kind == "get" else self._bind(oid, _END_OF_MIB)
                binds.append(found)
        size = sum(len(b) for b in binds)
        if size > _MAX_RESPONSE_BYTES:
            if kind != "bulk":
                return reply([], _TOO_BIG, 0)
            # GETBULK drops trailing var-binds until the response fits (RFC 3416 section 4.2.3).
            while binds and size > _MAX_RESPONSE_BYTES:
                size -= len(binds.pop())
        return reply(binds)

    def _set(self, mod: Any, pdu: Any, v1: bool, reply: Callable[..., bytes],
             echo: Callable[[], list[bytes]]) -> bytes:
        """Each var-bind goes to on_set in order; the first error is answered with its index."""
        assert self.on_set is not None
        binds = []
        for i, (name, value) in enumerate(mod.apiPDU.get_varbinds(pdu), start=1):
            oid = ".".join(str(n) for n in tuple(name))
            type_name = _TYPE_NAMES.get(type(value).__name__, type(value).__name__)
            py: object = bytes(value) if type_name == "OctetString" else (
                str(value) if type_name in ("ObjectIdentifier", "IpAddress") else int(value))
            try:
                err = self.on_set(oid, type_name, py)
            except Exception:  # noqa: BLE001 - a failing device answers genErr, never silence
                log.exception("SNMP agent %s:%s: on_set failed", self.host, self.port)
                err = _GEN_ERR
            if err:
                return reply(echo(), _V1_ERROR.get(err, err) if v1 else err, i)
            binds.append(_tlv(0x30, encoder.encode(_V2C.ObjectIdentifier(tuple(name))) + encoder.encode(value)))
        return reply(binds)

    def _refresh(self, view: View) -> None:
        # Comparing key sets is O(n) on cached str hashes; re-sorting is the cost avoided.
        if len(view) == len(self._keyset) and view.keys() == self._keyset:
            return
        parsed: list[tuple[Oid, str]] = []
        for name in view:
            oid = _parse_oid(name)
            if oid is None:
                log.warning("SNMP agent %s:%s: ignoring bad OID %r in view", self.host, self.port, name)
                continue
            parsed.append((oid, name))
        parsed.sort()
        self._oids = [p[0] for p in parsed]
        self._names = [p[1] for p in parsed]
        self._enc_oid = [encoder.encode(_V2C.ObjectIdentifier(p[0])) for p in parsed]
        self._enc_val = {k: v for k, v in self._enc_val.items() if k in view}
        self._keyset = frozenset(view.keys())

    def _value(self, view: View, idx: int, v1: bool) -> bytes | None:
        """BER of the value at sorted position idx, or None if it cannot be sent."""
        name = self._names[idx]
        type_name, value = view[name]
        cached = self._enc_val.get(name)
        if cached is not None and cached[0] == type_name and type(cached[1]) is type(value) \
                and cached[1] == value:
            enc = cached[2]
        else:
            cls = _TYPES.get(type_name)
            if cls is None:
                log.warning("SNMP agent %s:%s: unknown type %r for %s", self.host, self.port, type_name, name)
                return None
            try:
                enc = encoder.encode(cls(value))
            except Exception:  # noqa: BLE001 - a bad value in the view is skipped, not fatal
                log.warning("SNMP agent %s:%s: bad %s value %r for %s", self.host, self.port, type_name,
                            value, name)
                return None
            self._enc_val[name] = (type_name, value, enc)
        if v1 and type_name in _NOT_IN_V1:
            return None
        return enc

    @staticmethod
    def _bind(oid: Oid, value: bytes) -> bytes:
        return _tlv(0x30, encoder.encode(_V2C.ObjectIdentifier(oid)) + value)

    def _get(self, view: View, oid: Oid, v1: bool) -> bytes | None:
        idx = bisect_left(self._oids, oid)
        if idx < len(self._oids) and self._oids[idx] == oid:
            value = self._value(view, idx, v1)
            if value is not None:
                return _tlv(0x30, self._enc_oid[idx] + value)
        return None

    def _next_index(self, view: View, oid: Oid, v1: bool) -> tuple[int, bytes] | None:
        idx = bisect_right(self._oids, oid)
        while idx < len(self._oids):
            value = self._value(view, idx, v1)
            if value is not None:
                return idx, value
            idx += 1
        return None

    def _next(self, view: View, oid: Oid, v1: bool) -> bytes | None:
        found = self._next_index(view, oid, v1)
        if found is None:
            return None
        return _tlv(0x30, self._enc_oid[found[0]] + found[1])

    def _exception(self, oid: Oid) -> bytes:
        # The view has no object definitions, so guess like a real agent would answer: the
        # object exists (noSuchInstance) when the view holds an OID sharing the request's
        # parent, e.g. sysDescr without .0 or a missing row of a known column.
        parent = oid[:-1] if len(oid) > 2 else oid
        idx = bisect_left(self._oids, parent)
        if idx < len(self._oids) and self._oids[idx][: len(parent)] == parent:
            return self._bind(oid, _NO_SUCH_INSTANCE)
        return self._bind(oid, _NO_SUCH_OBJECT)

    def _bulk(self, view: View, pdu: Any, req_oids: list[Oid]) -> list[bytes]:
        # RFC 3416 section 4.2.3: N non-repeaters get one successor each, then up to M rows of
        # successors for the R repeaters.
        n = min(max(int(_V2C.apiBulkPDU.get_non_repeaters(pdu)), 0), len(req_oids))
        m = max(int(_V2C.apiBulkPDU.get_max_repetitions(pdu)), 0)
        r = len(req_oids) - n
        binds: list[bytes] = []
        for oid in req_oids[:n]:
            binds.append(self._next(view, oid, False) or self._bind(oid, _END_OF_MIB))
        if r == 0:
            return binds
        m = min(m, max((_MAX_BULK_VARBINDS - n) // r, 1))
        cursor = list(req_oids[n:])
        for _ in range(m):
            ended = 0
            for j, oid in enumerate(cursor):
                found = self._next_index(view, oid, False)
                if found is None:
                    binds.append(self._bind(oid, _END_OF_MIB))
                    ended += 1
                else:
                    idx, value = found
                    binds.append(_tlv(0x30, self._enc_oid[idx] + value))
                    cursor[j] = self._oids[idx]
            if ended == r:
                break  # the whole row is endOfMibView: further rows would only repeat it
        return binds
