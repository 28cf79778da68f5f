"""Telnet to units without a crypto image: option negotiation, login, enable and prompt reading against the
simulator's telnet front end, and a hostile peer whose garbage IAC sequences never crash the driver nor
reach the caller."""

from __future__ import annotations

import socket
import threading

import pytest
from helpers.loop_thread import LoopThread

from bench.drivers.ssh import AuthFailed, Credential, SshError
from bench.drivers.telnet import DO, DONT, ECHO, IAC, NAWS, SB, SE, SGA, TTYPE, WILL, WONT, TelnetChannel, TelnetSession
from simulators.families.cisco_ios.device import Device
from simulators.faults import parse_faults
from simulators.telnet_server import TelnetFrontEnd

CISCO = [Credential("factory", "cisco", "cisco", "cisco")]


def _serve(loop: LoopThread, faults: str = "") -> tuple[Device, TelnetFrontEnd]:
    dev = Device("S1", 1, 7, "WS-C2960X-48FPD-L", parse_faults(faults))
    fe = TelnetFrontEnd(dev)
    loop.run(fe.start())
    return dev, fe


def test_cli_over_telnet_negotiates_logs_in_and_enables(loop: LoopThread) -> None:
    dev, fe = _serve(loop)
    try:
        s = TelnetSession("127.0.0.1", fe.port, "cisco_ios", CISCO, timeout=10)
        with s:
            assert f"Processor board ID {dev.serial}" in s.send("show version")
            assert "#" in s.send_expect("show clock", r"#\s*$")
        # What the driver agreed to, and what the unit saw it answer.
        assert {"DO ECHO", "DO SUPPRESS-GO-AHEAD", "WONT TERMINAL-TYPE", "WONT NAWS"} <= set(s.options)
        assert s.transport["protocol"] == "telnet"
        answers = set(fe.negotiation[-1])
        assert {(DO, ECHO), (DO, SGA), (WONT, TTYPE), (WONT, NAWS)} <= answers
    finally:
        loop.run(fe.stop())


def test_wrong_password_over_telnet_is_auth_failed(loop: LoopThread) -> None:
    _, fe = _serve(loop, "S1:unknown_password")
    try:
        with pytest.raises(AuthFailed, match="factory"):
            TelnetSession("127.0.0.1", fe.port, "cisco_ios", CISCO, timeout=10).open()
    finally:
        loop.run(fe.stop())


def test_refused_port_is_one_clear_error() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(SshError, match="telnet connection refused"):
        TelnetSession("127.0.0.1", port, "cisco_ios", CISCO, timeout=5).open()


# ---- the protocol decoder, byte by byte --------------------------------------------------------


class _Sink(TelnetChannel):
    """A channel without a socket: what it would send is kept, so the decoder can be fed directly."""

    def __init__(self) -> None:  # noqa: D107 - no connection on purpose
        self.sent = bytearray()
        self._data = bytearray()
        self._state, self._verb, self._sb_len = "data", 0, 0
        self._peer_on, self._we_on, self._refused = set(), set(), set()
        self.negotiated = []
        self.closed = False

    def _send(self, raw: bytes) -> None:
        self.sent += raw


def test_iac_split_across_reads_and_escaped_ff() -> None:
    ch = _Sink()
    for piece in (b"ab", bytes((IAC,)), bytes((WILL,)), bytes((ECHO,)), b"c", bytes((IAC, IAC)), b"d\r\0e\r\nf"):
        ch.feed(piece)
    assert bytes(ch._data) == b"abc\xffd\re\r\nf"
    assert bytes(ch.sent) == bytes((IAC, DO, ECHO))


def test_repeated_requests_are_answered_once() -> None:
    """A peer that repeats DO NAWS / WILL X forever gets one answer each: no negotiation loop."""
    ch = _Sink()
    ch.feed(bytes((IAC, DO, NAWS, IAC, WILL, 42)) * 500 + bytes((IAC, WILL, ECHO)) * 50)
    assert bytes(ch.sent) == bytes((IAC, WONT, NAWS, IAC, DONT, 42, IAC, DO, ECHO))
    assert bytes(ch._data) == b""


def test_subnegotiation_garbage_never_reaches_data() -> None:
    ch = _Sink()
    ch.feed(b"x" + bytes((IAC, SB, TTYPE, 1, IAC, IAC, 7, IAC, SE)) + b"y")
    ch.feed(bytes((IAC, SB)) + b"\x1b[2J" * 3000 + b"z")  # never ended, longer than the limit
    assert bytes(ch._data).startswith(b"xy") and b"\x1b[2J" not in bytes(ch._data)[:4]
    ch2 = _Sink()
    ch2.feed(bytes((IAC, 241, IAC, 249, IAC, 246, IAC, 1, IAC, SE)) + b"ok")  # NOP, GA, AYT, garbage, stray SE
    assert bytes(ch2._data) == b"ok"


# ---- a hostile telnet peer ----------------------------------------------------------------------

_GARBAGE = (bytes((IAC, DO, NAWS, IAC, SB, NAWS, 0, 80, 0, 24, IAC, SE, IAC, WILL, 200, IAC, 7, IAC, DO, 255))
            + bytes((IAC, SB, 1)) + bytes(range(255)) * 3 + bytes((IAC, SE)) + bytes((IAC, DONT, ECHO, IAC, WONT, SGA)))


def _hostile_server() -> tuple[int, threading.Thread, list[bytes]]:
    """A unit that wraps every answer in garbage IAC sequences, then logs in and answers one command."""
    srv = socket.create_server(("127.0.0.1", 0))
    port = srv.getsockname()[1]
    heard: list[bytes] = []

    def run() -> None:
        conn, _ = srv.accept()
        srv.close()
        conn.settimeout(10)
        try:
            conn.sendall(_GARBAGE + b"\r\nUser Access Verification\r\n\r\nUser" + bytes((IAC, 241)) + b"name: ")
            buf = b""
            stage = 0
            while True:
                data = conn.recv(4096)
                if not data:
                    break
                heard.append(data)
                buf += data
                while b"\r" in buf:
                    line, _, buf = buf.partition(b"\r")
                    buf = buf.lstrip(b"\n\0")
                    line = line.split(bytes((IAC,)))[0].strip()  # the client's option answers are not typed text
                    if stage == 0:
                        conn.sendall(_GARBAGE + b"Password: ")
                    elif stage == 1:
                        conn.sendall(b"\r\n" + _GARBAGE + b"unit#")
                    else:
                        reply = b"Serial" + bytes((IAC, IAC)) + b" FOC1234X0YZ\r\n" if b"show" in line else b""
                        conn.sendall(line + b"\r\n" + _GARBAGE + reply + _GARBAGE + b"unit#")
                    stage += 1
        except OSError:
            pass
        finally:
            conn.close()

    t = threading.Thread(target=run, daemon=True)
    t.start()
    return port, t, heard


def test_hostile_peer_never_crashes_the_driver_nor_reaches_the_caller() -> None:
    port, t, heard = _hostile_server()
    s = TelnetSession("127.0.0.1", port, "cisco_ios", [Credential("x", "admin", "pw", "pw")], timeout=10)
    try:
        s.open()
        out = s.send("show serial", timeout=10)
    except SshError:
        out = ""  # a unit that garbles its answers may be refused by the driver, never crash it
    finally:
        s.close()
    t.join(10)
    assert out, "the hostile peer's prompt and answer were readable through the garbage"
    assert "FOC1234X0YZ" in out and "\xff" not in out and "\ufffd" not in out
    assert not any(ord(c) < 32 and c not in "\r\n\t" for c in out), repr(out)
    # The client answered each option once, and never echoed garbage back as typed text.
    sent = b"".join(heard)
    assert sent.count(bytes((IAC, WONT, NAWS))) == 1


def test_console_server_plain_telnet_port(loop: LoopThread) -> None:
    """A `console: telnet://` port that refuses RFC 2217 is read as plain telnet: options negotiated, the
    console text arrives without IAC bytes, and typed text reaches the line."""
    from bench.drivers.console.expect import Expect
    from bench.drivers.console.transport import TelnetLine, open_line, send_break

    dev, fe = _serve(loop)
    try:
        port = open_line(f"telnet://127.0.0.1:{fe.port}")
        assert isinstance(port, TelnetLine)
        x = Expect(port)
        import re

        assert x.expect([re.compile(r"Username: ")], 15) is not None
        x.write("cisco\r")
        assert x.expect([re.compile(r"Password: ")], 10) is not None
        x.write("cisco\r", secret=True)
        assert x.expect([re.compile(r"Switch>")], 10) is not None
        assert send_break(port) == "telnet BRK"
        assert "\xff" not in "".join(t.text for t in x.transcript.lines)
        port.close()
    finally:
        loop.run(fe.stop())
