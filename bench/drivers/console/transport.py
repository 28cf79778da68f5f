"""Opening a console line through pyserial's `serial_for_url`, with errors a technician can act on."""

from __future__ import annotations

import re
import socket
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import serial

from bench.errors import ChannelError

SCHEMES = ("rfc2217", "socket", "telnet", "loop")


class ConsoleError(ChannelError):
    """The console line could not be opened or was lost; the message says what to do."""


@dataclass(frozen=True)
class LineSettings:
    baudrate: int = 9600
    parity: str = "N"  # N, E, O
    bytesize: int = 8
    stopbits: float = 1
    rtscts: bool = False
    xonxoff: bool = False

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> LineSettings:
        d = dict(d or {})
        flow = str(d.pop("flow", "none")).lower()
        s = cls(**{k: d[k] for k in ("baudrate", "parity", "bytesize", "stopbits") if k in d},
                rtscts=flow in ("rtscts", "hardware"), xonxoff=flow in ("xonxoff", "software"))
        if s.parity not in ("N", "E", "O"):
            raise ValueError(f"parity {s.parity!r}: use N, E or O")
        if s.baudrate not in serial.Serial.BAUDRATES:
            raise ValueError(f"baudrate {s.baudrate}: use a standard rate such as 9600 or 115200")
        return s


def normalise_url(url: str) -> str:
    """Local device paths stay paths; ser2net's RFC 2217 needs `ign_set_control` (it does not ack them)."""
    if url.startswith("/") or re.match(r"^COM\d+$", url):
        return url
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES:
        raise ValueError(f"console {url!r}: use /dev/ttyUSB0, rfc2217://host:port, socket://host:port "
                         f"or telnet://host:port")
    if parts.scheme == "telnet":
        # pyserial speaks telnet option negotiation through its rfc2217 handler.
        url = "rfc2217://" + url[len("telnet://"):]
        parts = urlsplit(url)
    if parts.scheme == "rfc2217" and "ign_set_control" not in parts.query:
        url += ("&" if parts.query else "?") + "ign_set_control"
    if parts.scheme == "rfc2217" and "timeout=" not in parts.query:
        url += "&timeout=5"
    return url


class TelnetLine:
    """A console server's plain telnet port (no RFC 2217) as the serial port the console driver reads:
    bench.drivers.telnet negotiates the options (IAC never reaches the console text); the line speed is the
    console server's setting. A BREAK is the telnet BRK command, which console servers turn into a line break."""

    def __init__(self, host: str, port: int) -> None:
        from bench.drivers.telnet import TelnetChannel

        self._chan = TelnetChannel(host, port, timeout=10)
        self._chan.settimeout(0.05)  # as the serial ports: a read blocks at most 50 ms
        self.baudrate = 9600  # not the line's: the console server sets it; kept so a slow-NUL break is a no-op

    @property
    def in_waiting(self) -> int:
        return self._chan.pending if self._chan.recv_ready() else 0

    def read(self, size: int = 1) -> bytes:
        try:
            return self._chan.recv(max(size, 1))
        except TimeoutError:
            return b""

    def write(self, data: bytes) -> int:
        self._chan.sendall(data)
        return len(data)

    def flush(self) -> None:
        pass

    def send_break(self, duration: float = 0.5) -> None:
        self._chan._send(b"\xff\xf3")  # IAC BRK, unescaped: a command, not data

    def close(self) -> None:
        self._chan.close()


def open_line(url: str, settings: LineSettings | None = None) -> serial.SerialBase:
    settings = settings or LineSettings()
    target = normalise_url(url)
    # pyserial's RFC 2217 client refuses a write timeout; a local UART with flow control needs one.
    extra = {} if target.startswith(("rfc2217://", "socket://", "loop://")) else {"write_timeout": 10}
    try:
        port = serial.serial_for_url(
            target, baudrate=settings.baudrate, parity=settings.parity, bytesize=settings.bytesize,
            stopbits=settings.stopbits, rtscts=settings.rtscts, xonxoff=settings.xonxoff, timeout=0.05, **extra)
    except (serial.SerialException, OSError, ValueError, NotImplementedError) as e:
        plain = _plain_telnet(url, e)
        if plain is not None:
            return plain  # type: ignore[return-value]
        if "://" in target:
            # A console server that hangs up says why first ("Port already in use"); pyserial reports
            # only the broken negotiation, so ask the port itself.
            said = _refusal(target)
            if re.search(r"(?i)in use|busy", said):
                raise ConsoleError(f"console {url}: the line is held by another session ({said.strip()}); "
                                   f"close that session or clear the line on the console server "
                                   f"(e.g. 'clear line N'), then retry") from None
        if isinstance(e, serial.SerialException):
            raise ConsoleError(_explain(url, e)) from None
        raise ConsoleError(f"console {url}: {e}") from None
    return port


def _plain_telnet(url: str, e: Exception) -> TelnetLine | None:
    """A `telnet://` console server that answers but refuses RFC 2217: its plain telnet port, or None."""
    parts = urlsplit(url)
    if parts.scheme != "telnet" or not parts.hostname or not parts.port:
        return None
    if not isinstance(e, serial.SerialException) or re.search(r"(?i)refused|errno 111|in use|busy", str(e)):
        return None
    from bench.drivers.ssh import SshError  # TelnetChannel's connect errors are the CLI channels' kind

    try:
        return TelnetLine(parts.hostname, parts.port)
    except (OSError, SshError):
        return None


def _refusal(target: str, limit: float = 3.0) -> str:
    """What a TCP console port prints to a new client before closing (printable text only)."""
    parts = urlsplit(target)
    if not parts.hostname or not parts.port:
        return ""
    data = b""
    try:
        with socket.create_connection((parts.hostname, parts.port), timeout=limit) as s:
            s.settimeout(limit)
            while len(data) < 512:
                chunk = s.recv(512)
                if not chunk:
                    break
                data += chunk
    except OSError:
        pass
    return re.sub(rb"\xff[\xfb-\xfe].|\xff.", b"", data).decode("ascii", "replace")


def _explain(url: str, e: Exception) -> str:
    text = str(e)
    if "Connection refused" in text or "[Errno 111]" in text:
        return (f"console {url}: connection refused; is the console server port enabled and the "
                f"port number right?")
    if "busy" in text.lower() or "in use" in text.lower() or "[Errno 16]" in text:
        return (f"console {url}: the line is held by another session; close it or clear the line on the "
                f"console server (e.g. 'clear line N'), then retry")
    if "No such file" in text or "[Errno 2]" in text:
        return f"console {url}: no such device; check the USB serial adapter is plugged in (ls /dev/ttyUSB*)"
    if "Permission denied" in text or "[Errno 13]" in text:
        return f"console {url}: permission denied; add the bench user to the 'dialout' group"
    return f"console {url}: {' '.join(text.split())[:160]}"


def send_break(port: serial.SerialBase, duration: float = 0.5) -> str:
    """Send a BREAK as the transport allows; returns how, or "" when it cannot carry one.

    A local UART gets a real line break. RFC 2217 gets the SET-CONTROL break on/off, and then the
    classic fallback for lines that lose breaks on the way (a console server in front of a pty,
    a USB adapter without break support): a NUL sent at an eighth of the line speed, which the
    unit's UART reads as a long space with a framing error, i.e. a break. pyserial's socket://
    handler silently ignores breaks, so raw TCP ports get the telnet BRK command, which console
    servers in telnet mode turn into a line break.
    """
    kind = type(port).__module__.rsplit(".", 1)[-1]
    try:
        if isinstance(port, TelnetLine):
            port.send_break()
            return "telnet BRK"
        if kind == "protocol_socket":
            port.write(b"\xff\xf3")
            return "telnet BRK"
        port.send_break(duration)
        if kind == "serialposix" or kind == "serialwin32":
            return "serial break"
        baud = port.baudrate
        port.baudrate = max(50, baud // 8)
        port.write(b"\x00")
        port.flush()
        port.baudrate = baud
        return "rfc2217 break + slow NUL"
    except (serial.SerialException, OSError, NotImplementedError, ValueError):
        return ""
