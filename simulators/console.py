"""Console front end: one serial line per device, reachable as a TCP port and as a pty.

Output is paced at the line's baud rate (10 bits per byte) by a token bucket, so a
9600-baud console delivers ~960 bytes/s as a real one does. What the line shows (boot, ROMMON,
setup dialog, the CLI) comes from simulators/boot.py; this module is transport: a TCP port that
understands telnet IAC BRK and RFC 2217 break (and answers a client's RFC 2217 negotiation), and
a pty where a NUL during the boot window is the BREAK (see boot.py for why).
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
import termios
import time
import tty

from simulators.boot import BootController
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


IAC, SB, SE, WILL, WONT, DO, DONT, BRK = 255, 250, 240, 251, 252, 253, 254, 243
_COM_PORT = 44  # RFC 2217 COM-PORT-OPTION
_SET_CONTROL, _BREAK_ON = 5, 5
_TELNET_OK = {0, 1, 3, _COM_PORT}  # BINARY, ECHO, SGA, COM-PORT: the options a console server agrees to
_PTY_BACKLOG = 2048  # bytes kept for a pty reader that is not there; the rest is lost, as on a wire


class TelnetFilter:
    """Strips telnet commands from a TCP console stream; reports BREAKs and the answers owed.

    A raw `socket://` client never sends IAC, so it sees no negotiation; an `rfc2217://` client gets
    the agreement it asks for and its SET-BAUDRATE etc. are acknowledged with the value echoed.
    """

    def __init__(self) -> None:
        self._state = "data"
        self._opt_cmd = 0
        self._sb: bytearray = bytearray()
        self._answered: set[tuple[int, int]] = set()

    def feed(self, data: bytes) -> tuple[bytes, int, bytes]:
        """Returns (data bytes, number of BREAKs, bytes to send back)."""
        out, reply = bytearray(), bytearray()
        breaks = 0
        for b in data:
            st = self._state
            if st == "data":
                if b == IAC:
                    self._state = "iac"
                else:
                    out.append(b)
            elif st == "iac":
                self._state = "data"
                if b == IAC:
                    out.append(IAC)
                elif b == BRK:
                    breaks += 1
                elif b in (WILL, WONT, DO, DONT):
                    self._opt_cmd, self._state = b, "opt"
                elif b == SB:
                    self._sb, self._state = bytearray(), "sb"
            elif st == "opt":
                self._state = "data"
                reply += self._negotiate(self._opt_cmd, b)
            elif st == "sb":
                if b == IAC:
                    self._state = "sb_iac"
                else:
                    self._sb.append(b)
            elif st == "sb_iac":
                if b == SE:
                    self._state = "data"
                    got, answer = self._subneg(bytes(self._sb))
                    breaks += got
                    reply += answer
                else:
                    self._sb.append(b)
                    self._state = "sb"
        return bytes(out), breaks, bytes(reply)

    def _negotiate(self, cmd: int, opt: int) -> bytes:
        if (cmd, opt) in self._answered:
            return b""  # answer each request once: no negotiation loops
        self._answered.add((cmd, opt))
        ok = opt in _TELNET_OK
        if cmd == WILL:
            return bytes((IAC, DO if ok else DONT, opt))
        if cmd == DO:
            return bytes((IAC, WILL if ok else WONT, opt))
        return b""

    @staticmethod
    def _subneg(sb: bytes) -> tuple[int, bytes]:
        if len(sb) < 2 or sb[0] != _COM_PORT:
            return 0, b""
        cmd, value = sb[1], sb[2:]
        brk = int(cmd == _SET_CONTROL and value[:1] == bytes((_BREAK_ON,)))
        if cmd >= 100:
            return brk, b""
        escaped = value.replace(bytes((IAC,)), bytes((IAC, IAC)))
        return brk, bytes((IAC, SB, _COM_PORT, cmd + 100)) + escaped + bytes((IAC, SE))


class ConsoleLine:
    """The console port of one device. `start()` returns (tcp_port, pty_path).

    `time_scale` shortens the boot's pauses (tests); the text itself is always paced at `baud`.
    """

    def __init__(self, device: Device, baud: int = 9600, host: str = "127.0.0.1", port: int = 0,
                 with_pty: bool = True, time_scale: float = 1.0) -> None:
        self.device = device
        self.baud = baud
        self.host = host
        self.port = port
        self.with_pty = with_pty
        self.pty_path: str | None = None
        self.time_scale = time_scale
        rate = baud / 10.0
        self._bucket = TokenBucket(rate, max(16, int(rate / 20)))
        self._in: asyncio.Queue[bytes] = asyncio.Queue()
        self._out: asyncio.Queue[tuple[bytes, asyncio.Future[None] | None]] = asyncio.Queue()
        self._clients: dict[asyncio.StreamWriter, TelnetFilter] = {}
        self._server: asyncio.Server | None = None
        self._master: int | None = None
        self._slave: int | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self.boot = BootController(device, self.send, time_scale, set_baud=self.set_baud, baud=baud)

    def set_baud(self, baud: int) -> None:
        """The unit changed its console speed (a boot loader's BAUD, an XMODEM download's -s): output is paced
        at the new rate from now on."""
        self.baud = baud
        rate = baud / 10.0
        self._bucket = TokenBucket(rate, max(16, int(rate / 20)))

    @property
    def session(self) -> object:
        """The family's CLI session behind the line (None while booting or in ROMMON)."""
        return self.boot.session

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
        self._tasks = [loop.create_task(self._input_pump()), loop.create_task(self._output_pump()),
                       loop.create_task(self._poll())]
        return self.port, self.pty_path

    async def stop(self) -> None:
        self.boot.stop()
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

    # ---------- power (the PDU outlet)
    def power_off(self) -> None:
        self._discard_output()
        self.boot.power_off()

    def power_on(self) -> None:
        self.boot.power_on()

    @property
    def powered(self) -> bool:
        return self.boot.stage != "off"

    # ---------- input side
    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.device.touch()
        self._clients[writer] = TelnetFilter()
        if self.powered:
            self._send(self.boot.banner())
        try:
            while data := await reader.read(1024):
                data, breaks, answer = self._clients[writer].feed(data)
                if answer:
                    writer.write(answer)
                for _ in range(breaks):
                    self.boot.break_received()
                if data:
                    self._in.put_nowait(data)
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            self._clients.pop(writer, None)
            writer.close()

    def _pty_readable(self) -> None:
        assert self._master is not None
        try:
            data = os.read(self._master, 1024)
        except OSError:  # EAGAIN, or EIO while no one has the slave open
            return
        if b"\x00" in data and self.boot.stage == "loader":
            self.boot.break_received()  # a UART reads a line break as NUL (framing error)
        if data:
            self._in.put_nowait(data)

    async def _input_pump(self) -> None:
        while True:
            data = await self._in.get()
            if not self.powered:
                continue  # a dark device hears nothing
            try:
                text, delay = self.boot.feed(data.decode("latin-1"))
            except Exception:  # one bad line must not kill the console
                log.exception("console of %s failed", self.device.slot)
                continue
            if delay:
                await asyncio.sleep(delay)
            self._send(text)

    async def _poll(self) -> None:
        while True:
            await asyncio.sleep(0.5)
            try:
                self.boot.poll()
            except Exception:
                log.exception("console poll of %s failed", self.device.slot)

    # ---------- output side
    def _send(self, text: str) -> None:
        if text:
            self._out.put_nowait((text.encode("latin-1", "replace"), None))

    def send(self, text: str) -> asyncio.Future[None]:
        """Queue text; the future is done once the last byte has gone out at the line's baud."""
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if not text:
            fut.set_result(None)
            return fut
        self._out.put_nowait((text.encode("latin-1", "replace"), fut))
        return fut

    def _discard_output(self) -> None:
        while not self._out.empty():
            _, fut = self._out.get_nowait()
            if fut is not None and not fut.done():
                fut.cancel()

    async def _output_pump(self) -> None:
        while True:
            data, fut = await self._out.get()
            while data and self.powered:
                n = await self._bucket.take(len(data))
                chunk, data = data[:n], data[n:]
                self._broadcast(chunk)
            if fut is not None and not fut.done():
                fut.set_result(None)

    def _broadcast(self, chunk: bytes) -> None:
        for w in list(self._clients):
            if w.is_closing():
                self._clients.pop(w, None)
                continue
            w.write(chunk)
        if self._master is not None:
            self._bound_pty_backlog()
            with contextlib.suppress(OSError):  # buffer full: the bytes are lost, as on a wire
                os.write(self._master, chunk)

    def _bound_pty_backlog(self) -> None:
        # With nobody reading the slave, the kernel would keep the first 4 KB forever and a later
        # reader would see a stale boot; drop what waits beyond a couple of KB instead.
        assert self._slave is not None
        try:
            pending = int.from_bytes(fcntl.ioctl(self._slave, termios.FIONREAD, b"\0\0\0\0"), "little")
        except OSError:
            return
        if pending > _PTY_BACKLOG:
            with contextlib.suppress(termios.error):
                termios.tcflush(self._slave, termios.TCIFLUSH)
