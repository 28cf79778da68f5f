"""The small HTTP server the units pull their images from, on the bench's own address (and TFTP beside it on
the same port number, UDP, for boot loaders and old releases: bench/images/tftp.py).

HTTP/1.1 GET and HEAD of the library's files by name, nothing else: no directory listing, no path outside
the library (a request names a file of the library or gets 404). The body goes out with the kernel's
sendfile, so one bench host feeds dozens of units at once for little CPU. Units of one run share one
server: `serving(library)` starts it on first use in the running event loop and stops it when the last user
leaves.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from bench.images.library import ImageLibrary
from bench.images.tftp import TftpServer

log = logging.getLogger(__name__)

MAX_REQUEST = 8192  # request line and headers; a unit's HTTP client sends a few hundred bytes
READ_TIMEOUT = 30.0


@dataclass
class Stats:
    transfers: int = 0
    bytes_sent: int = 0
    refused: list[str] = field(default_factory=list)


class ImageServer:
    """Serves `files` (name -> path on the bench host) over HTTP on host:port (0: any free port)."""

    def __init__(self, files: dict[str, str], host: str = "127.0.0.1", port: int = 0) -> None:
        self.files = dict(files)
        self.host, self.port = host, port
        self.stats = Stats()
        self._server: asyncio.base_events.Server | None = None
        self.tftp: TftpServer | None = None

    async def start(self) -> ImageServer:
        self._server = await asyncio.start_server(self._serve, self.host, self.port, backlog=256)
        self.port = self._server.sockets[0].getsockname()[1]
        for port in (self.port, 0):  # the same number over UDP when it is free
            try:
                self.tftp = await TftpServer(self.files, self.host, port).start()
                break
            except OSError:
                continue
        return self

    def tftp_url(self, name: str) -> str:
        return self.tftp.url(name) if self.tftp is not None else ""

    async def stop(self) -> None:
        if self.tftp is not None:
            await self.tftp.stop()
            self.tftp = None
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await self._server.wait_closed()
            self._server = None

    def url(self, name: str) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/{name}"

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), READ_TIMEOUT)
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError, ConnectionError):
            writer.close()
            return
        try:
            await self._answer(head[:MAX_REQUEST], writer)
        except (ConnectionError, OSError) as exc:  # the unit hung up mid-transfer: its copy reports it
            log.info("image transfer cut: %s", exc)
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _answer(self, head: bytes, writer: asyncio.StreamWriter) -> None:
        line = head.split(b"\r\n", 1)[0].decode("latin-1")
        parts = line.split()
        if len(parts) != 3 or not parts[2].startswith("HTTP/"):
            await self._status(writer, 400, "Bad Request")
            return
        method, target = parts[0], unquote(urlsplit(parts[1]).path).lstrip("/")
        if method not in ("GET", "HEAD"):
            await self._status(writer, 405, "Method Not Allowed")
            return
        path = self.files.get(target)  # only the library's own names: nothing else on the host is reachable
        if path is None:
            self.stats.refused.append(target[:80])
            await self._status(writer, 404, "Not Found")
            return
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            writer.write(f"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {size}\r\n"
                         "Connection: close\r\n\r\n".encode())
            if method == "GET":
                await writer.drain()
                sent = await asyncio.get_running_loop().sendfile(writer.transport, fh)
                self.stats.bytes_sent += sent
                self.stats.transfers += 1
            await writer.drain()

    @staticmethod
    async def _status(writer: asyncio.StreamWriter, code: int, reason: str) -> None:
        body = f"{code} {reason}\n".encode()
        writer.write(f"HTTP/1.1 {code} {reason}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
                     + body)
        await writer.drain()


_shared: dict[tuple[int, int], tuple[ImageServer, int]] = {}
_lock: dict[int, asyncio.Lock] = {}


@contextlib.asynccontextmanager
async def serving(library: ImageLibrary) -> AsyncIterator[ImageServer]:
    """The run's image server for `library`, shared by every unit of this event loop while any uses it."""
    loop_id = id(asyncio.get_running_loop())
    lock = _lock.setdefault(loop_id, asyncio.Lock())
    key = (loop_id, id(library))
    async with lock:
        if key in _shared:
            server, users = _shared[key]
        else:
            server, users = await ImageServer(library.files(), library.serve_host, library.serve_port).start(), 0
        _shared[key] = (server, users + 1)
    try:
        yield server
    finally:
        async with lock:
            server, users = _shared[key]
            if users <= 1:
                del _shared[key]
                await server.stop()
            else:
                _shared[key] = (server, users - 1)
