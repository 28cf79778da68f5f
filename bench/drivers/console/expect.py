"""Reading a console until a pattern arrives, with a deadline and never a fixed sleep.

Device output is untrusted: bytes are decoded with replacement, NULs, escape sequences and
other controls are dropped before matching, storing or showing. Every byte read or written is
kept in a timestamped transcript; what the bench types at a password prompt is masked.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import serial

from bench.drivers.parsing import sanitize
from bench.model import utc_now

from .transport import ConsoleError

MASK = "********"


@dataclass
class TranscriptLine:
    ts: str
    direction: str  # "rx" from the unit, "tx" from the bench
    text: str


@dataclass
class Transcript:
    lines: list[TranscriptLine] = field(default_factory=list)
    max_lines: int = 20000

    def add(self, direction: str, text: str) -> None:
        """Chunks of one direction join until a line ends: a 9600-baud console delivers bytes one by one."""
        if not text:
            return
        last = self.lines[-1] if self.lines else None
        if last is not None and last.direction == direction and not last.text.endswith("\n"):
            head, nl, rest = text.partition("\n")
            last.text += head + nl
            text = rest
            if not text:
                return
        for piece in text.splitlines(keepends=True):
            self.lines.append(TranscriptLine(utc_now(), direction, piece))
            if len(self.lines) > self.max_lines:
                del self.lines[: len(self.lines) - self.max_lines]

    def text(self) -> str:
        return "".join(line.text for line in self.lines if line.direction == "rx")

    def to_list(self) -> list[dict[str, str]]:
        return [{"ts": x.ts, "dir": x.direction, "text": x.text} for x in self.lines]


@dataclass
class Match:
    index: int  # which pattern matched
    match: re.Match[str]
    before: str  # cleaned text up to and including the match


class Expect:
    """Pattern-driven reads over one console line."""

    def __init__(self, port: serial.SerialBase, transcript: Transcript | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.port = port
        self.transcript = transcript or Transcript()
        self.buffer = ""  # cleaned text received and not yet consumed by a match
        self.bytes_in = 0
        self.bytes_out = 0
        self._carry = b""
        self._clock = clock

    def write(self, text: str, *, secret: bool = False) -> None:
        data = text.encode()
        try:
            self.port.write(data)
            self.port.flush()
        except (serial.SerialException, OSError) as e:
            raise ConsoleError(f"console write failed: {e}") from None
        self.bytes_out += len(data)
        self.transcript.add("tx", MASK + text[len(text.rstrip("\r\n")):] if secret else text)

    def _read_some(self) -> str:
        try:
            waiting = self.port.in_waiting
            data = self.port.read(waiting or 1)  # blocks at most the port timeout (50 ms)
        except (serial.SerialException, OSError) as e:
            raise ConsoleError(f"console read failed: {e}") from None
        if not data:
            return ""
        self.bytes_in += len(data)
        # At 9600 baud a CRLF often arrives split across reads: hold a trailing CR for the next read
        # so it is not taken for a lone CR (which would become a second newline).
        data, self._carry = self._carry + data, b""
        if data.endswith(b"\r"):
            data, self._carry = data[:-1], b"\r"
        text = sanitize(data.replace(b"\r\n", b"\n"))
        self.transcript.add("rx", text)
        return text

    def expect(self, patterns: Sequence[re.Pattern[str]], timeout: float) -> Match | None:
        """Read until one of `patterns` matches the buffered text; None when the deadline passes."""
        deadline = self._clock() + timeout
        while True:
            best: tuple[int, int, re.Match[str]] | None = None
            for i, pat in enumerate(patterns):
                m = pat.search(self.buffer)
                if m and (best is None or m.start() < best[1]):
                    best = (i, m.start(), m)
            if best is not None:
                i, _, m = best
                before = self.buffer[: m.end()]
                self.buffer = self.buffer[m.end():]
                return Match(i, m, before)
            if self._clock() >= deadline:
                return None
            chunk = self._read_some()
            if chunk:
                self.buffer = (self.buffer + chunk)[-65536:]  # a spewing console cannot grow it forever

    def drain(self) -> str:
        """Take what is buffered (used before sending a command whose output we want alone)."""
        text, self.buffer = self.buffer, ""
        return text
