"""Telnet to units without a crypto image (no SSH at all), with real option negotiation.

`TelnetChannel` is a TCP connection that speaks the telnet protocol (RFC 854/855) and behaves like a
paramiko channel (recv, recv_ready, sendall, settimeout, closed), so netmiko's prompt-reading CLI driver
runs over it unchanged (`TelnetSession`). Options, answered once per change of state so a peer
cannot start a negotiation loop (the idea of RFC 1143):

    the unit's WILL ECHO, WILL SUPPRESS-GO-AHEAD   -> DO (the unit echoes; no go-aheads)
    the unit's DO SUPPRESS-GO-AHEAD                -> WILL
    the unit's DO NAWS, DO TERMINAL-TYPE, any other DO -> WONT (the unit keeps its defaults;
                                                      netmiko sets length and width itself)
    any other WILL                                 -> DONT
    DONT / WONT                                    -> acknowledged only if the option was on

Subnegotiations are skipped (bounded: a peer that never ends one cannot grow memory), IAC IAC is a data
byte 0xFF, every other command (NOP, GA, AYT, ...) is dropped, CR NUL is CR. What reaches the caller is
the unit's data only: no IAC sequence ever does, whatever the peer sends.

Errors are bench.drivers.ssh's (SshError, AuthFailed): the engine treats every CLI channel alike.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from bench.drivers.channel import Credential, first_login
from bench.drivers.parsing import sanitize
from bench.drivers.reader import ClosedFlagTransport, read_for
from bench.drivers.ssh import AuthFailed, SshError, SshSession, _notice_drops, attach_channel

__all__ = ["TelnetChannel", "TelnetError", "TelnetSession", "login", "what_answers"]

IAC, DONT, DO, WONT, WILL, SB, SE = 255, 254, 253, 252, 251, 250, 240
ECHO, SGA, TTYPE, NAWS = 1, 3, 24, 31
_WE_ACCEPT_FROM_PEER = {ECHO, SGA}  # the unit may do these (WILL -> DO)
_WE_OFFER = {SGA}  # we do these when asked (DO -> WILL)
_SB_LIMIT = 4096  # a subnegotiation longer than this is the peer's garbage: dropped, parsing goes on
_READ = 65536


class TelnetError(SshError):
    """The unit could not be reached over telnet (refused, timed out, closed)."""


class TelnetChannel:
    """One telnet connection with paramiko.Channel's blocking surface. `close` is safe from any thread."""

    def __init__(self, host: str, port: int, timeout: float) -> None:
        self.where = f"{host}:{port}"
        try:
            self._sock = socket.create_connection((host, port), timeout=timeout)
        except ConnectionRefusedError:
            raise TelnetError(f"{self.where}: telnet connection refused") from None
        except (TimeoutError, OSError) as e:
            raise TelnetError(f"{self.where}: telnet connection failed ({type(e).__name__}: {e})") from None
        self._sock.settimeout(None)
        self._timeout: float | None = None
        self._data = bytearray()  # decoded unit data not yet read
        self._state = "data"  # data | iac | option | sb | sb_iac | cr
        self._verb = 0
        self._sb_len = 0
        self._peer_on: set[int] = set()  # options the unit does (it said WILL, we said DO)
        self._we_on: set[int] = set()  # options we do (it said DO, we said WILL)
        self._refused: set[tuple[int, int]] = set()  # (verb, option) we already refused
        self._write_lock = threading.Lock()
        self.closed = False
        self.eof_received = False
        self.transport = ClosedFlagTransport(self)
        self.negotiated: list[str] = []  # what was agreed, for the evidence ("DO ECHO", "WONT NAWS", ...)

    # ---- paramiko.Channel's surface -------------------------------------------------------------
    def settimeout(self, timeout: float | None) -> None:
        self._timeout = timeout

    def get_transport(self) -> ClosedFlagTransport:
        return self.transport

    @property
    def pending(self) -> int:
        """Decoded data bytes waiting to be read."""
        return len(self._data)

    def recv_ready(self) -> bool:
        """Data waiting (decoded now if the socket has bytes: a read of only IAC replies is not data)."""
        if not self._data and not self.closed:
            self._pull(0.0)
        return bool(self._data)

    def recv(self, size: int) -> bytes:
        """Up to `size` data bytes; b"" when the unit closed; TimeoutError past the timeout."""
        deadline = None if self._timeout is None else time.monotonic() + self._timeout
        while not self._data:
            if self.closed:
                return b""
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                raise TimeoutError("timed out")
            self._pull(left)
        out = bytes(self._data[:size])
        del self._data[:size]
        return out

    def sendall(self, data: bytes) -> None:
        if self.closed:
            raise OSError("the telnet connection is closed")
        # A 0xFF data byte is doubled; the end of a line is CR LF (netmiko types a bare LF), a bare CR is
        # CR NUL (RFC 854).
        body = bytes(data).replace(b"\xff", b"\xff\xff")
        body = re.sub(rb"\r(?!\n)", b"\r\0", re.sub(rb"(?<!\r)\n", b"\r\n", body))
        self._send(body)

    send = sendall

    def close(self) -> None:
        if self.closed and self.eof_received:
            return
        self.closed = self.eof_received = True
        try:
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._sock.close()

    # ---- the protocol ---------------------------------------------------------------------------
    def _send(self, raw: bytes) -> None:
        with self._write_lock:
            try:
                self._sock.sendall(raw)
            except OSError as e:
                self.close()
                raise OSError(f"telnet connection lost ({e})") from None

    def _pull(self, timeout: float | None) -> None:
        """Read what the socket has (waiting up to `timeout`) and decode it."""
        if self.closed:
            return
        try:
            self._sock.settimeout(timeout)
            chunk = self._sock.recv(_READ)
        except (TimeoutError, BlockingIOError):
            return
        except OSError:
            self.close()
            return
        if not chunk:
            self.close()
            return
        self.feed(chunk)

    def feed(self, chunk: bytes) -> None:
        """Decode bytes from the unit: data to the buffer, commands answered or dropped."""
        replies = bytearray()
        for b in chunk:
            st = self._state
            if st == "data":
                if b == IAC:
                    self._state = "iac"
                elif b == 13:
                    self._state = "cr"
                else:
                    self._data.append(b)
            elif st == "cr":
                self._data.append(13)
                self._state = "data"
                if b == IAC:
                    self._state = "iac"
                elif b == 13:
                    self._state = "cr"
                elif b != 0:  # CR NUL is a bare CR
                    self._data.append(b)
            elif st == "iac":
                if b == IAC:
                    self._data.append(IAC)
                    self._state = "data"
                elif b in (DO, DONT, WILL, WONT):
                    self._verb, self._state = b, "option"
                elif b == SB:
                    self._sb_len, self._state = 0, "sb"
                else:
                    self._state = "data"  # NOP, GA, AYT, DM, a stray SE, garbage: not data
            elif st == "option":
                replies += self._answer(self._verb, b)
                self._state = "data"
            elif st == "sb":
                self._sb_len += 1
                if b == IAC:
                    self._state = "sb_iac"
                elif self._sb_len > _SB_LIMIT:
                    self._state = "data"  # never ended: give up on it, keep reading data
            elif st == "sb_iac":
                self._state = "data" if b == SE else "sb"  # IAC IAC inside is a data byte of the SB
        if replies:
            try:
                self._send(bytes(replies))
            except OSError:
                pass  # the read side reports the closed connection

    def _answer(self, verb: int, opt: int) -> bytes:
        if verb == WILL:
            if opt in _WE_ACCEPT_FROM_PEER:
                if opt in self._peer_on:
                    return b""
                self._peer_on.add(opt)
                self.negotiated.append(f"DO {_name(opt)}")
                return bytes((IAC, DO, opt))
            return self._refuse(DONT, opt)
        if verb == DO:
            if opt in _WE_OFFER:
                if opt in self._we_on:
                    return b""
                self._we_on.add(opt)
                self.negotiated.append(f"WILL {_name(opt)}")
                return bytes((IAC, WILL, opt))
            return self._refuse(WONT, opt)
        if verb == WONT:
            if opt in self._peer_on:
                self._peer_on.discard(opt)
                return bytes((IAC, DONT, opt))
            return b""
        if opt in self._we_on:  # DONT
            self._we_on.discard(opt)
            return bytes((IAC, WONT, opt))
        return b""

    def _refuse(self, verb: int, opt: int) -> bytes:
        if (verb, opt) in self._refused:
            return b""  # refused once: a repeated request gets no new answer (no loop)
        self._refused.add((verb, opt))
        self.negotiated.append(f"{'DONT' if verb == DONT else 'WONT'} {_name(opt)}")
        return bytes((IAC, verb, opt))


def _name(opt: int) -> str:
    return {ECHO: "ECHO", SGA: "SUPPRESS-GO-AHEAD", TTYPE: "TERMINAL-TYPE", NAWS: "NAWS"}.get(opt, f"option {opt}")


# ---- logging in -----------------------------------------------------------------------------------

_USER = re.compile(r"(?:user ?name|login|user)\s*:\s*$", re.IGNORECASE)
_PASSWORD = re.compile(r"password\s*:\s*$", re.IGNORECASE)
_PROMPT = re.compile(r"[\w.\-/()@:~\[\] ]{0,64}[>#%$]\s*$")
_REFUSED = re.compile(r"(?i)login invalid|authentication failed|login incorrect|access denied|bad password")


def _read_until(chan: TelnetChannel, pattern: re.Pattern[str], deadline: float) -> str:
    """Text from the unit until `pattern` matches its end, the unit closes, or the deadline."""
    chan.settimeout(0.2)
    return read_for(chan, deadline - time.monotonic(), pattern)


def login(chan: TelnetChannel, cred: Credential, timeout: float) -> bool:
    """Answer the unit's login (username and password, password only, or none) until a CLI prompt.
    True when logged in, False when the unit refused `cred`; TelnetError when it never asked or answered."""
    deadline = time.monotonic() + timeout
    either = re.compile(f"{_USER.pattern}|{_PASSWORD.pattern}|{_PROMPT.pattern}", re.IGNORECASE)
    text = _read_until(chan, either, deadline)
    if not text:
        chan.sendall(b"\r\n")  # some lines say nothing until they get a keystroke
        text = _read_until(chan, either, deadline)
    sent_password = False
    for _ in range(4):
        tail = text.rstrip()[-200:]
        if sent_password and (_REFUSED.search(text) or _USER.search(tail) or _PASSWORD.search(tail)):
            return False  # refused, or asked again: the credential set is wrong
        if chan.closed:
            if sent_password:
                return False  # hung up after the password: refused
            raise TelnetError(f"{chan.where}: the unit closed the telnet connection before logging in")
        if _USER.search(tail):
            chan.sendall(cred.username.encode() + b"\r\n")
        elif _PASSWORD.search(tail):
            chan.sendall(cred.password.encode() + b"\r\n")
            sent_password = True
        elif _PROMPT.search(tail):
            return True
        else:
            break
        text = _read_until(chan, either, deadline)
    raise TelnetError(f"{chan.where}: no login prompt or CLI prompt over telnet within {timeout:g}s "
                      f"(last: {text.strip()[-60:]!r})")


class TelnetSession(SshSession):
    """A logged-in, enabled CLI session over telnet: netmiko's driver of `device_type` over TelnetChannel."""

    def __repr__(self) -> str:
        return f"TelnetSession({self.host}:{self.port}, {self.device_type}, {'open' if self._conn else 'closed'})"

    @property
    def transport(self) -> dict[str, Any]:
        return {"protocol": "telnet", "options": list(self.options)}

    options: list[str] = []

    def _adopt(self, handover: dict[str, Any], refused: list[str]) -> bool:
        self.options = list(getattr(handover["channel"], "negotiated", []))
        return super()._adopt(handover, refused)

    def _params(self, cred: Credential) -> dict[str, Any]:
        # netmiko's SSH class of the family drives the line: its *_telnet classes would open their own socket.
        return super()._params(cred) | {"device_type": self.device_type.removesuffix("_telnet")}

    def _connect(self, cred: Credential, refused: list[str]) -> Any:
        chan = TelnetChannel(self.host, self.port, self.timeout)
        try:
            ok = login(chan, cred, self.timeout)
        except TelnetError:
            chan.close()
            raise
        except OSError as exc:
            chan.close()
            raise TelnetError(f"{self.where}: telnet connection lost while logging in ({exc})") from None
        if not ok:
            chan.close()
            refused.append(cred.name)
            return None
        self.options = list(chan.negotiated)
        try:
            return _notice_drops(attach_channel(self._params(cred), chan, chan))
        except Exception as exc:  # noqa: BLE001 - netmiko's session setup over a line that went wrong
            chan.close()
            raise TelnetError(f"{self.where}: no CLI prompt over telnet ({type(exc).__name__}: "
                              f"{' '.join(str(exc).split())[:120]})") from None



def what_answers(host: str, port: int, credentials: list[Credential], timeout: float = 20.0,
                 handover: dict[str, Any] | None = None, commands: Sequence[str] = ("show version",),
                 recognised: Callable[[str], bool] | None = None) -> tuple[str, str, str]:
    """Log in over telnet, type `show version` and return ("cli", its text, the credential set's name): what
    identification needs, in one login (a CLI that does not recognise itself in it is asked the next of
    `commands`, as over SSH). Raises TelnetError, AuthFailed. `handover`, when given, receives the
    line still logged in at its prompt ("client", "channel", "credential"): TelnetSession(handover=) goes on
    over it. Otherwise the line is closed here."""
    from bench.drivers.shell import _ANSWER_DONE, _AT_PROMPT, ask_in_turn

    where = f"{host}:{port}"

    def logged_in(cred: Credential, refused: list[str]) -> TelnetChannel | None:
        chan = TelnetChannel(host, port, timeout)
        try:
            if login(chan, cred, timeout):
                return chan
        except BaseException:
            chan.close()
            raise
        chan.close()
        refused.append(cred.name)
        return None

    chan, cred = first_login(credentials, logged_in, where, AuthFailed)
    kept = False
    try:
        chan.settimeout(0.5)
        chan.sendall(b"terminal length 0\n")  # IOS pages at 24 lines; other CLIs refuse it harmlessly
        read_for(chan, min(timeout, 5.0), _ANSWER_DONE, after_echo=True)
        first = commands[0] if commands else "show version"
        chan.sendall(first.encode() + b"\n")
        answer = ask_in_turn(chan, read_for(chan, timeout, _ANSWER_DONE, after_echo=True), commands[1:],
                             recognised, timeout)
        if handover is not None and _AT_PROMPT.search(answer):
            handover.update(client=chan, channel=chan, credential=cred)
            kept = True
        return "cli", sanitize(answer.replace("\r\n", "\n").replace("\r", "\n")), cred.name
    except OSError as exc:
        raise TelnetError(f"{where}: telnet connection lost while reading show version ({exc})") from None
    finally:
        if not kept:
            chan.close()
