"""Console front end: one serial line per device, reachable as a TCP port and as a pty.

Output is paced at the line's baud rate (10 bits per byte) by a token bucket, so a
9600-baud console delivers ~960 bytes/s as a real one does.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
import tty

from simulators.family import SimDevice as Device

log = logging.getLogger(__name__)


class TokenBucket:
    """Bytes allowed per second with a small burst (a UART FIFO's worth, not a whole screen)."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate = rate
        self.burst = burst
        self._tokens = float(burst)
        self._last = time.monotonic()

    def _refill(self) -> None:
        now = time.monotonic()
        self._tokens = min(float(self.burst), self._tokens + (now - self._last) * self.rate)
        self._last = now

    async def take(self, wanted: int) -> int:
        """Wait until at least one byte may go; return how many of `wanted` may go now."""
        while True:
            self._refill()
            if self._tokens >= 1:
                n = min(int(self._tokens), wanted)
                self._tokens -= n
                return n
            await asyncio.sleep((min(wanted, self.burst) - self._tokens) / self.rate)


class ConsoleLine:
    """The console port of one device. `start()` returns (tcp_port, pty_path)."""

    def __init__(self, device: Device, baud: int = 9600, host: str = "127.0.0.1", port: int = 0,
                 with_pty: bool = True) -> None:
        self.device = device
        self.baud = baud
        self.host = host
        self.port = port
        self.with_pty = with_pty
        self.pty_path: str | None = None
        self.session = device.open_session(console=True)
        rate = baud / 10.0
        self._bucket = TokenBucket(rate, max(16, int(rate / 20)))
        self._in: asyncio.Queue[bytes] = asyncio.Queue()
        self._out: asyncio.Queue[bytes] = asyncio.Queue()
        self._clients: set[asyncio.StreamWriter] = set()
        self._server: asyncio.Server | None = None
        self._master: int | None = None
        self._slave: int | None = None
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> tuple[int, str | None]:
        loop = asyncio.get_running_loop()
        self._server = await asyncio.start_server(self._client, self.host, self.port)
        self.port = self._server.sockets[0].getsockname()[1]
        if self.with_pty:
            self._master, self._slave = os.openpty()
            tty.setraw(self._slave)  # the device does its own echo, like a UART
            self.pty_path = os.ttyname(self._slave)
            os.set_blocking(self._master, False)
            loop.add_reader(self._master, self._pty_readable)
        self._tasks = [loop.create_task(self._input_pump()), loop.create_task(self._output_pump())]
        return self.port, self.pty_path

    async def stop(self) -> None:
        for t in self._tasks:
            t.cancel()
        for w in list(self._clients):
            w.close()
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 2)
        if self._master is not None:
            asyncio.get_running_loop().remove_reader(self._master)
            for fd in (self._master, self._slave):
                with contextlib.suppress(OSError):
                    os.close(fd)  # type: ignore[arg-type]
            self._master = self._slave = None

    # ---------- input side
    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.device.touch()
        self._clients.add(writer)
        self._send(self.session.banner())
        try:
            while data := await reader.read(1024):
                self._in.put_nowait(data)
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            self._clients.discard(writer)
            writer.close()

    def _pty_readable(self) -> None:
        assert self._master is not None
        try:
            data = os.read(self._master, 1024)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            return
        if data:
            self._in.put_nowait(data)

    async def _input_pump(self) -> None:
        while True:
            data = await self._in.get()
            try:
                reply = self.session.feed(data.decode("latin-1"))
            except Exception:  # one bad line must not kill the console
                log.exception("console of %s failed", self.device.slot)
                continue
            if reply.delay:
                await asyncio.sleep(reply.delay)
            self._send(reply.text)

    # ---------- output side
    def _send(self, text: str) -> None:
        if text:
            self._out.put_nowait(text.encode("latin-1", "replace"))

    async def _output_pump(self) -> None:
        while True:
            data = await self._out.get()
            while data:
                n = await self._bucket.take(len(data))
                chunk, data = data[:n], data[n:]
                self._broadcast(chunk)

    def _broadcast(self, chunk: bytes) -> None:
        for w in list(self._clients):
            if w.is_closing():
                self._clients.discard(w)
                continue
            w.write(chunk)
        if self._master is not None:
            with contextlib.suppress(OSError):  # nobody reading the pty: the bytes are lost, as on a wire
                os.write(self._master, chunk)
