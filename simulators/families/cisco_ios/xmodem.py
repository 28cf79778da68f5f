"""The XMODEM receiver of the simulated Cisco boot loaders and IOS (`copy xmodem:`, `xmodem -c`): what a unit's
console does with the blocks a terminal program sends. Written apart from the bench's sender on purpose: the
two only share the protocol, as a real unit and the bench do.

`Receiver` is fed the line's bytes and answers with the bytes to send back: 'C' to start (CRC-16 mode), ACK
for a block whose number and CRC are right, NAK for one that is not (the sender sends it again), ACK again for
a repeated block already taken, CAN CAN after too many errors. What arrives is hashed (MD5, SHA-512) as it is
taken, the first bytes kept for the image header; the SUB padding of the last block is dropped.
`receive(...)` drives one over the console line with the real start and timeout behaviour.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

_SOH, _STX, _EOT, _ACK, _NAK, _CAN, _SUB = 1, 2, 4, 6, 0x15, 0x18, 0x1A
_C = b"C"
_MAX_ERRORS = 10
HEADER_KEEP = 256


def _crc(data: bytes) -> int:
    crc = 0
    for b in data:
        for i in range(8):
            bit = (b >> (7 - i)) & 1
            c15 = (crc >> 15) & 1
            crc = (crc << 1) & 0xFFFF
            if c15 ^ bit:
                crc ^= 0x1021
    return crc


@dataclass
class Received:
    size: int = 0
    md5: Any = field(default_factory=hashlib.md5)
    sha512: Any = field(default_factory=hashlib.sha512)
    first: bytes = b""
    blocks: int = 0
    naks: int = 0


class Receiver:
    def __init__(self, capacity: int, corrupt_at: int | None = None) -> None:
        self.capacity = capacity  # bytes of flash free for the file
        self.corrupt_at = corrupt_at  # `image_copy_corrupt`: this byte is written wrong to flash, after the CRC
        self.got = Received()
        self.expect = 1
        self.buf = bytearray()
        self.started = False
        self.done = False
        self.failed = ""
        self._held = b""  # the last block taken: its padding is known only at EOT
        self._errors = 0

    def _take(self, payload: bytes) -> None:
        if self._held:
            self._commit(self._held)
        self._held = payload

    def _commit(self, data: bytes) -> None:
        g = self.got
        at = self.corrupt_at
        if at is not None and g.size <= at < g.size + len(data):
            i = at - g.size
            data = data[:i] + bytes((data[i] ^ 0x10,)) + data[i + 1:]
        g.md5.update(data)
        g.sha512.update(data)
        if len(g.first) < HEADER_KEEP:
            g.first += data[:HEADER_KEEP - len(g.first)]
        g.size += len(data)

    def _error(self) -> bytes:
        self._errors += 1
        self.got.naks += 1
        self.buf.clear()
        if self._errors > _MAX_ERRORS:
            self.failed = "too many errors"
            return bytes((_CAN, _CAN))
        return bytes((_NAK,))

    def feed(self, data: bytes) -> bytes:
        """The line's bytes in, the answer out (b"" while a block is still arriving)."""
        out = bytearray()
        self.buf += data
        while self.buf and not (self.done or self.failed):
            head = self.buf[0]
            if head == _EOT:
                self.buf.clear()
                self._commit(self._held.rstrip(bytes((_SUB,))))
                self._held = b""
                self.done = True
                out.append(_ACK)
                break
            if head == _CAN:
                if len(self.buf) < 2:
                    break
                if self.buf[1] == _CAN:
                    self.failed = "cancelled by the sender"
                    break
                del self.buf[:1]
                continue
            if head not in (_SOH, _STX):
                del self.buf[:1]  # line noise between blocks
                continue
            size = 1024 if head == _STX else 128
            if len(self.buf) < 3 + size + 2:
                break
            self.started = True
            number, complement = self.buf[1], self.buf[2]
            payload = bytes(self.buf[3:3 + size])
            check = int.from_bytes(self.buf[3 + size:5 + size], "big")
            del self.buf[:5 + size]
            if number != 255 - complement or _crc(payload) != check:
                out += self._error()
                continue
            if number == (self.expect - 1) % 256:
                out.append(_ACK)  # our ACK was lost: the block is already taken
                continue
            if number != self.expect % 256:
                self.failed = f"block {number} out of sequence (expected {self.expect % 256})"
                out += bytes((_CAN, _CAN))
                break
            if self.got.size + len(self._held) + len(payload) > self.capacity + 1024:
                self.failed = "not enough space on device"
                out += bytes((_CAN, _CAN))
                break
            self._take(payload)
            self._errors = 0
            self.expect += 1
            self.got.blocks += 1
            out.append(_ACK)
        return bytes(out)


async def receive(receiver: Receiver, inbox: asyncio.Queue[bytes], send: Callable[[bytes], Awaitable[None]],
                  start_tries: int = 60, idle: float = 10.0) -> None:
    """Drive `receiver` over the line: 'C' every second until the first block (a minute at most), then NAK on a
    line silent for `idle` seconds mid-transfer; returns when the receiver is done or failed."""
    tries = 1
    await send(_C)
    while not (receiver.done or receiver.failed):
        try:
            data = await asyncio.wait_for(inbox.get(), 1.0 if not receiver.started else idle)
        except TimeoutError:
            if not receiver.started and not receiver.buf:
                tries += 1
                if tries > start_tries:
                    receiver.failed = "timed out waiting for the sender"
                    return
                await send(_C)
                continue
            if receiver.started:
                answer = receiver._error()
                await send(answer)
            continue
        answer = receiver.feed(data)
        if answer:
            await send(answer)
