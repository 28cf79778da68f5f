"""Telnet front end of a unit without a crypto image (the `telnet_only` trait): one TCP listener per device.

It negotiates as an IOS vty does (IAC WILL ECHO, WILL SUPPRESS-GO-AHEAD, DO TERMINAL-TYPE, DO NAWS),
asks `Username:`/`Password:` (Junos: `login:`) checked against the device's users, then hands the line
to the device's CLI session as the SSH front end does. The client's option answers and subnegotiations
are parsed and never reach the CLI; `negotiation` keeps what each client answered (tests read it).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from simulators.family import SimDevice as Device

log = logging.getLogger(__name__)

IAC, DONT, DO, WONT, WILL, SB, SE = 255, 254, 253, 252, 251, 250, 240
ECHO, SGA, TTYPE, NAWS = 1, 3, 24, 31
# What IOS sends first on a vty.
OPENING = bytes((IAC, WILL, ECHO, IAC, WILL, SGA, IAC, DO, TTYPE, IAC, DO, NAWS))


class _Decoder:
    """Client bytes -> (text, the client's option answers); CR NUL and CR LF become one CR."""

    def __init__(self) -> None:
        self.state = "data"
        self.verb = 0
        self.answers: list[tuple[int, int]] = []

    def feed(self, chunk: bytes) -> str:
        out = bytearray()
        for b in chunk:
            if self.state == "data":
                if b == IAC:
                    self.state = "iac"
                elif b != 0:
                    out.append(b)
            elif self.state == "iac":
                if b == IAC:
                    out.append(IAC)
                    self.state = "data"
                elif b in (DO, DONT, WILL, WONT):
                    self.verb, self.state = b, "option"
                elif b == SB:
                    self.state = "sb"
                else:
                    self.state = "data"
            elif self.state == "option":
                self.answers.append((self.verb, b))
                self.state = "data"
            elif self.state == "sb":
                self.state = "sb_iac" if b == IAC else "sb"
            elif self.state == "sb_iac":
                self.state = "data" if b == SE else "sb"
        return out.decode("utf-8", errors="replace")


class _Line:
    """One telnet client: login, then the device's CLI."""

    def __init__(self, device: Device, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.device = device
        self.reader = reader
        self.writer = writer
        self.decoder = _Decoder()
        self.pending = ""

    def write(self, text: str) -> None:
        self.writer.write(text.replace("\xff", "\xff\xff").encode("utf-8", errors="replace"))

    async def _line(self, secret: bool) -> str | None:
        """One typed line, echoed unless secret (the server echoes: it said WILL ECHO)."""
        while True:
            for sep in ("\r", "\n"):
                if sep in self.pending:
                    line, _, rest = self.pending.partition(sep)
                    self.pending = rest.removeprefix("\n") if sep == "\r" else rest
                    self.write("\r\n")
                    return line
            data = await self.reader.read(4096)
            if not data:
                return None
            text = self.decoder.feed(data)
            if not secret:
                self.write(text.replace("\r", "").replace("\n", ""))
            self.pending += text

    async def serve(self) -> None:
        dev = self.device
        self.writer.write(OPENING)
        ask_user = "login: " if dev.family == "juniper_junos" else "Username: "
        self.write("\r\n\r\nUser Access Verification\r\n\r\n" + ask_user)
        for _ in range(3):
            user = await self._line(secret=False)
            if user is None:
                return
            self.write("Password: ")
            password = await self._line(secret=True)
            if password is None:
                return
            if dev.check_login(user.strip(), password):
                break
            self.write("% Login invalid\r\n\r\n" + ask_user)
        else:
            self.write("% Bad passwords\r\n")
            return
        dev.touch()
        cli = dev.open_session(console=False)
        cli.username = user.strip()
        self.write(cli.banner())
        rest, self.pending = self.pending, ""
        if rest:
            await self._feed(cli, rest)
        while True:
            data = await self.reader.read(4096)
            if not data:
                return
            if not await self._feed(cli, self.decoder.feed(data)):
                return

    async def _feed(self, cli: Any, text: str) -> bool:
        reply = cli.feed(text)
        if reply.delay:
            await asyncio.sleep(reply.delay)
        if reply.text:
            self.write(reply.text)
            await self.writer.drain()
        return not reply.close


class TelnetFrontEnd:
    """The telnet listener of one device; start/stop/port as SshFrontEnd's (the fleet powers both alike)."""

    def __init__(self, device: Device, host: str = "127.0.0.1", port: int = 0) -> None:
        self.device = device
        self.host = host
        self.port = port
        self._acceptor: asyncio.Server | None = None
        self._live: set[asyncio.StreamWriter] = set()
        self.negotiation: list[list[tuple[int, int]]] = []  # each client's option answers

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.device.touch()
        self._live.add(writer)
        line = _Line(self.device, reader, writer)
        self.negotiation.append(line.decoder.answers)
        try:
            await line.serve()
        except (ConnectionError, asyncio.CancelledError):
            pass
        except Exception:  # a bug in one session must not take the device down
            log.exception("telnet session of %s failed", self.device.slot)
        finally:
            self._live.discard(writer)
            writer.close()

    async def start(self) -> int:
        self._acceptor = await asyncio.start_server(self._client, self.host, self.port)
        self.port = self._acceptor.sockets[0].getsockname()[1]
        return self.port

    async def stop(self) -> None:
        for writer in list(self._live):
            writer.transport.abort()
        self._live.clear()
        if self._acceptor is not None:
            self._acceptor.close()
            await self._acceptor.wait_closed()
            self._acceptor = None
