"""A read-only TFTP server for the image library (RFC 1350, with the blksize and tsize options of RFC 2348 and
RFC 2349): what a unit's boot loader (`tftpdnld` in ROMMON) and older IOS releases pull images with.

Only read requests of the library's own file names are served; a write request or any other name is refused
with TFTP's error packet. Each transfer gets its own UDP port (the TFTP "transfer ID"), blocks are sent one at
a time and resent when their ACK does not come within a second (five tries); the block number rolls over
past 65535, so images larger than 32 MiB at 512-byte blocks still go through.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import struct
from typing import Any

RRQ, WRQ, DATA, ACK, ERROR, OACK = 1, 2, 3, 4, 5, 6
MAX_BLKSIZE = 65464
RETRIES = 5
TIMEOUT = 1.0


def error_packet(code: int, message: str) -> bytes:
    return struct.pack("!HH", ERROR, code) + message.encode()[:200] + b"\0"


def parse_request(packet: bytes) -> tuple[int, str, str, dict[str, str]] | None:
    """(opcode, file name, mode, options) of an RRQ/WRQ; None when malformed."""
    if len(packet) < 4:
        return None
    opcode = struct.unpack("!H", packet[:2])[0]
    fields = packet[2:].split(b"\0")
    if opcode not in (RRQ, WRQ) or len(fields) < 3:
        return None
    try:
        words = [f.decode("ascii") for f in fields[:-1]]
    except UnicodeDecodeError:
        return None
    options = {k.lower(): v for k, v in zip(words[2::2], words[3::2], strict=False)}
    return opcode, words[0], words[1].lower(), options


class _Transfer(asyncio.DatagramProtocol):
    """One file to one client from a port of its own."""

    def __init__(self, server: TftpServer, path: str, peer: Any, options: dict[str, str]) -> None:
        self.server, self.path, self.peer = server, path, peer
        self.options = options
        self.acks: asyncio.Queue[int] = asyncio.Queue()
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def datagram_received(self, data: bytes, addr: Any) -> None:
        if addr != self.peer or len(data) < 4:
            return  # another host's packet on this transfer's port: not ours to answer
        opcode, number = struct.unpack("!HH", data[:4])
        if opcode == ACK:
            self.acks.put_nowait(number)
        elif opcode == ERROR:
            self.acks.put_nowait(-1)

    async def _send_until_acked(self, packet: bytes, number: int) -> bool:
        assert self.transport is not None
        for _ in range(RETRIES):
            self.transport.sendto(packet, self.peer)
            deadline = asyncio.get_running_loop().time() + TIMEOUT
            while True:
                left = deadline - asyncio.get_running_loop().time()
                if left <= 0:
                    break
                try:
                    got = await asyncio.wait_for(self.acks.get(), left)
                except TimeoutError:
                    break
                if got == -1:
                    return False  # the client gave up
                if got == number:
                    return True  # a duplicate ACK of an earlier block is ignored (no sorcerer's apprentice)
        return False

    async def run(self) -> None:
        size = os.path.getsize(self.path)
        blksize = 512
        accepted: dict[str, str] = {}
        if "blksize" in self.options and self.options["blksize"].isdigit():
            blksize = max(8, min(int(self.options["blksize"]), MAX_BLKSIZE))
            accepted["blksize"] = str(blksize)
        if "tsize" in self.options:
            accepted["tsize"] = str(size)
        if accepted and not await self._send_until_acked(
                struct.pack("!H", OACK) + b"".join(f"{k}\0{v}\0".encode() for k, v in accepted.items()), 0):
            return
        with open(self.path, "rb") as fh:
            block = 1
            while True:
                chunk = fh.read(blksize)
                if not await self._send_until_acked(struct.pack("!HH", DATA, block % 65536) + chunk, block % 65536):
                    return
                self.server.bytes_sent += len(chunk)
                if len(chunk) < blksize:
                    self.server.transfers += 1
                    return
                block += 1


class TftpServer(asyncio.DatagramProtocol):
    """Serves `files` (name -> path) to TFTP read requests on host:port (UDP; 0: any free port)."""

    def __init__(self, files: dict[str, str], host: str = "127.0.0.1", port: int = 0) -> None:
        self.files = dict(files)
        self.host, self.port = host, port
        self.transfers = 0
        self.bytes_sent = 0
        self._transport: asyncio.DatagramTransport | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> TftpServer:
        loop = asyncio.get_running_loop()
        self._transport, _ = await loop.create_datagram_endpoint(lambda: self, local_addr=(self.host, self.port))
        self.port = self._transport.get_extra_info("sockname")[1]
        return self

    async def stop(self) -> None:
        if self._transport is not None:
            self._transport.close()
        for t in list(self._tasks):
            t.cancel()
        for t in list(self._tasks):
            with contextlib.suppress(BaseException):
                await t

    def url(self, name: str) -> str:
        return f"tftp://{self.host}:{self.port}/{name}"

    def datagram_received(self, data: bytes, addr: Any) -> None:
        request = parse_request(data)
        assert self._transport is not None
        if request is None:
            self._transport.sendto(error_packet(4, "illegal TFTP operation"), addr)
            return
        opcode, name, mode, options = request
        if opcode == WRQ:
            self._transport.sendto(error_packet(2, "read-only: the bench serves its image library"), addr)
            return
        path = self.files.get(name.lstrip("/"))
        if path is None or mode not in ("octet", "netascii"):
            self._transport.sendto(error_packet(1, "file not found"), addr)
            return
        task = asyncio.get_running_loop().create_task(self._transfer(path, addr, options))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _transfer(self, path: str, peer: Any, options: dict[str, str]) -> None:
        loop = asyncio.get_running_loop()
        transport, proto = await loop.create_datagram_endpoint(lambda: _Transfer(self, path, peer, options),
                                                               local_addr=(self.host, 0))
        try:
            await proto.run()
        finally:
            transport.close()
