"""Table columns walked side by side (one GETBULK, one var-bind per column) over a small SNMPv2c BER codec.

gufo-snmp sends one var-bind per GETBULK, so walking three ENTITY-MIB columns over it costs three walks (up to
five times the requests on real agents); pysnmp sends them together but spends most of a quick plan's SNMP
CPU decoding the answer in pyasn1. This module encodes that one request and decodes its response itself:
SNMPv2c, GETBULK and its Response only. Values are the same plain Python as bench.drivers.snmp gives.
"""

from __future__ import annotations

import asyncio
import itertools
import os
from typing import Any

from bench.drivers.snmp import END_OF_MIB, Bind, SnmpError, octets_text

__all__ = ["END_OF_MIB", "getbulk", "getbulk_message", "parse_response"]

_IDS = itertools.count(int.from_bytes(os.urandom(2), "big"))  # request ids: a late answer never matches


def _length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(raw)]) + raw


def _tlv(tag: int, body: bytes) -> bytes:
    return bytes([tag]) + _length(len(body)) + body


def _integer(value: int) -> bytes:
    return _tlv(0x02, value.to_bytes(max(1, (value.bit_length() + 8) // 8), "big", signed=True))


def _oid(parts: tuple[int, ...]) -> bytes:
    out = bytearray()
    for n in (40 * parts[0] + parts[1], *parts[2:]):
        chunk = [n & 0x7F]
        n >>= 7
        while n:
            chunk.append(0x80 | (n & 0x7F))
            n >>= 7
        out += bytes(reversed(chunk))
    return _tlv(0x06, bytes(out))


def getbulk_message(community: str, request_id: int, max_repetitions: int, oids: list[tuple[int, ...]]) -> bytes:
    binds = b"".join(_tlv(0x30, _oid(o) + b"\x05\x00") for o in oids)
    pdu = _tlv(0xA5, _integer(request_id) + _integer(0) + _integer(max_repetitions) + _tlv(0x30, binds))
    return _tlv(0x30, _integer(1) + _tlv(0x04, community.encode()) + pdu)


def _read(data: bytes, i: int) -> tuple[int, int, int]:
    """(tag, start, end) of the TLV at `i`; ValueError when it runs past the data."""
    if i + 2 > len(data):
        raise ValueError("truncated")
    tag, n = data[i], data[i + 1]
    i += 2
    if n & 0x80:
        k = n & 0x7F
        n = int.from_bytes(data[i:i + k], "big")
        i += k
    if i + n > len(data):
        raise ValueError("truncated")
    return tag, i, i + n


def _decode_oid(raw: bytes) -> tuple[int, ...]:
    parts, n = [], 0
    for byte in raw:
        n = (n << 7) | (byte & 0x7F)
        if not byte & 0x80:
            parts.append(n)
            n = 0
    if not parts:
        raise ValueError("empty OID")
    head = min(parts[0] // 40, 2)
    return (head, parts[0] - 40 * head, *parts[1:])


def _value(tag: int, raw: bytes) -> object:
    if tag == 0x02:  # INTEGER
        return int.from_bytes(raw, "big", signed=True)
    if tag in (0x41, 0x42, 0x43, 0x46):  # Counter32, Gauge32/Unsigned32, TimeTicks, Counter64
        return int.from_bytes(raw, "big", signed=False)
    if tag in (0x04, 0x44):  # OCTET STRING, Opaque
        return octets_text(raw)
    if tag == 0x06:
        return ".".join(map(str, _decode_oid(raw)))
    if tag == 0x40:  # IpAddress
        return ".".join(str(b) for b in raw)
    if tag == 0x82:
        return END_OF_MIB
    if tag in (0x05, 0x80, 0x81):  # NULL, noSuchObject, noSuchInstance
        return None
    raise ValueError(f"unknown value type 0x{tag:02x}")


def parse_response(data: bytes) -> tuple[int, int, int, list[Bind]]:
    """(request id, error status, error index, var-binds) of an SNMPv2c Response; ValueError if it is not one."""
    tag, i, end = _read(data, 0)
    if tag != 0x30:
        raise ValueError("not a message")
    for expected in (0x02, 0x04):  # version, community
        tag, _, i = _read(data, i)
        if tag != expected:
            raise ValueError("not an SNMPv2c message")
    tag, i, end = _read(data, i)
    if tag != 0xA2:
        raise ValueError("not a Response PDU")
    numbers = []
    for _ in range(3):  # request id, error status, error index
        tag, start, i = _read(data, i)
        if tag != 0x02:
            raise ValueError("bad PDU header")
        numbers.append(int.from_bytes(data[start:i], "big", signed=True))
    tag, i, end = _read(data, i)
    binds: list[Bind] = []
    while i < end:
        _, start, i = _read(data, i)
        tag, o_start, o_end = _read(data, start)
        if tag != 0x06:
            raise ValueError("var-bind without an OID")
        vtag, v_start, v_end = _read(data, o_end)
        binds.append((_decode_oid(data[o_start:o_end]), _value(vtag, data[v_start:v_end])))
    return numbers[0], numbers[1], numbers[2], binds


class _Answers(asyncio.DatagramProtocol):
    def __init__(self) -> None:
        self.waiting: dict[int, asyncio.Future[Any]] = {}

    def datagram_received(self, data: bytes, addr: Any) -> None:
        try:
            answer = parse_response(data)
        except (ValueError, IndexError):
            return  # not an answer to us: the request times out if nothing better comes
        future = self.waiting.pop(answer[0], None)
        if future is not None and not future.done():
            future.set_result(answer)

    def error_received(self, exc: Exception) -> None:
        for future in self.waiting.values():
            if not future.done():
                future.set_exception(exc)
        self.waiting.clear()


async def getbulk(host: str, port: int, community: str, oids: list[tuple[int, ...]], max_repetitions: int,
                  timeout: float, retries: int) -> list[Bind]:
    """One GETBULK of `oids` side by side (retried `retries` times on silence); SnmpError on an agent's error."""
    where = f"{host}:{port}"
    loop = asyncio.get_running_loop()
    transport, answers = await loop.create_datagram_endpoint(_Answers, remote_addr=(host, port))
    try:
        for attempt in range(retries + 1):
            request_id = next(_IDS) & 0x7FFFFFFF
            future = answers.waiting[request_id] = loop.create_future()
            transport.sendto(getbulk_message(community, request_id, max_repetitions, oids))
            try:
                _, status, index, binds = await asyncio.wait_for(future, timeout)
            except TimeoutError:
                answers.waiting.pop(request_id, None)
                if attempt == retries:
                    raise SnmpError(f"SNMP timeout from {where} after {timeout * (retries + 1):g} s") from None
                continue
            except OSError as exc:
                raise SnmpError(f"SNMP walk to {where} failed: {type(exc).__name__}: {exc}") from None
            if status:
                raise SnmpError(f"SNMP walk to {where}: agent answered error status {status} at var-bind {index}")
            return binds
    finally:
        transport.close()
    raise SnmpError(f"SNMP walk to {where}: no answer")  # not reached: the last attempt raises
