"""The XMODEM sender the bench uses to put an image on a unit over its console line (no network: a boot loader's
`copy xmodem:` / `xmodem -c`, or IOS's `copy xmodem:`).

XMODEM-1K with CRC-16 (the receiver asks for it with 'C'), falling back to 128-byte blocks with the 8-bit
checksum when the receiver asks with NAK, as the original protocol. Each block waits for the receiver's ACK;
a NAK (the receiver's CRC did not match: noise on the line) sends the same block again, up to MAX_RETRIES
times; CAN CAN from the receiver stops the transfer. The last block is padded with SUB (0x1A), which the
receiver drops: a file that itself ends in SUB cannot be told apart from its padding (`ends_ambiguous`), so its
copy is only as good as the unit's hash check after it.

Blocking, over any object with pyserial's `read(n)` (returning b"" after its timeout) and `write(data)`. A
console server's TCP port in telnet mode (pyserial `socket://`) takes 0xFF as the telnet IAC: `escape_iac`
doubles it, as a telnet client in binary mode does (pyserial's rfc2217:// does so itself).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

SOH, STX, EOT, ACK, NAK, CAN, SUB = 0x01, 0x02, 0x04, 0x06, 0x15, 0x18, 0x1A
CRC_REQUEST = ord("C")
MAX_RETRIES = 10
START_TIMEOUT = 60.0  # a receiver repeats its 'C' every few seconds for about a minute
ACK_TIMEOUT = 10.0


class Port(Protocol):
    def read(self, size: int = 1) -> bytes: ...

    def write(self, data: bytes) -> int | None: ...


class XmodemError(Exception):
    """The transfer did not complete; the message says where it stopped."""


def crc16(data: bytes, crc: int = 0) -> int:
    """CRC-16/XMODEM (polynomial 0x1021, initial 0, no reflection): what the receiver checks each block with."""
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
        crc &= 0xFFFF
    return crc


def padding(size: int, use_crc: bool = True) -> int:
    """How many SUB bytes `send` adds after `size` bytes: a receiver that keeps them stores size + this."""
    block = 1024 if use_crc else 128
    tail = size % block
    if tail == 0:
        return 0
    return (128 if tail <= 128 else block) - tail


def packet(number: int, payload: bytes, use_crc: bool) -> bytes:
    """One block on the wire: SOH/STX, number, its complement, the payload padded with SUB, CRC or checksum."""
    size = 1024 if len(payload) > 128 else 128
    body = payload.ljust(size, bytes((SUB,)))
    n = number % 256
    head = bytes((STX if size == 1024 else SOH, n, 255 - n))
    tail = crc16(body).to_bytes(2, "big") if use_crc else bytes((sum(body) % 256,))
    return head + body + tail


@dataclass
class SendReport:
    bytes_sent: int = 0  # payload bytes acknowledged (without padding)
    blocks: int = 0
    retransmits: int = 0  # blocks sent again after a NAK or a missing ACK
    crc: bool = True
    seconds: float = 0.0
    ends_ambiguous: bool = False  # the data ends in SUB: the receiver cannot tell it from padding


class _Reader:
    """The receiver's control bytes, one at a time, with a deadline."""

    def __init__(self, port: Port, initial: bytes, clock: Callable[[], float]) -> None:
        self.port, self.pending, self.clock = port, bytearray(initial), clock

    def next(self, timeout: float) -> int | None:
        deadline = self.clock() + timeout
        while not self.pending:
            if self.clock() >= deadline:
                return None
            self.pending += self.port.read(1)
        return self.pending.pop(0)


def send(port: Port, data: bytes, *, escape_iac: bool = False, initial: bytes = b"",
         start_timeout: float = START_TIMEOUT, ack_timeout: float = ACK_TIMEOUT,
         progress: Callable[[int], None] | None = None, clock: Callable[[], float] = time.monotonic) -> SendReport:
    """Send `data`; `initial` is what the caller already read of the receiver's start ('C's or NAKs)."""
    reader = _Reader(port, initial, clock)
    report = SendReport(ends_ambiguous=data.endswith(bytes((SUB,))))
    t0 = clock()

    def write(raw: bytes) -> None:
        port.write(raw.replace(b"\xff", b"\xff\xff") if escape_iac else raw)

    deadline = clock() + start_timeout
    while True:  # the receiver's start: 'C' asks for CRC-16, NAK for the checksum
        got = reader.next(max(0.0, deadline - clock()))
        if got is None:
            raise XmodemError(f"the receiver did not start within {start_timeout:g} s (no 'C' or NAK)")
        if got in (CRC_REQUEST, NAK):
            report.crc = got == CRC_REQUEST
            break
        if got == CAN:
            raise XmodemError("the receiver cancelled before the first block")
    block = 1024 if report.crc else 128
    offset, number = 0, 1
    while offset < len(data):
        payload = data[offset:offset + block]
        raw = packet(number, payload, report.crc)
        for _attempt in range(MAX_RETRIES + 1):
            write(raw)
            answer = _answer(reader, ack_timeout)
            if answer == ACK:
                break
            if answer == CAN:
                raise XmodemError(f"the receiver cancelled at block {number}")
            report.retransmits += 1
        else:
            write(bytes((CAN, CAN)))
            raise XmodemError(f"block {number} not acknowledged after {MAX_RETRIES} retries; the line is too noisy "
                              "at this speed")
        offset += len(payload)
        number += 1
        report.blocks += 1
        report.bytes_sent = offset
        if progress is not None:
            progress(offset)
    for _ in range(MAX_RETRIES):
        write(bytes((EOT,)))
        if _answer(reader, ack_timeout) == ACK:
            report.seconds = clock() - t0
            return report
    raise XmodemError("end of transmission not acknowledged")


def _answer(reader: _Reader, timeout: float) -> int | None:
    """ACK, NAK or CAN (CAN only when doubled, as the protocol wants); stray 'C's from the start are skipped."""
    deadline = reader.clock() + timeout
    while True:
        got = reader.next(max(0.0, deadline - reader.clock()))
        if got is None or got in (ACK, NAK):
            return got
        if got == CAN:
            if reader.next(1.0) == CAN:
                return CAN
