"""Turn raw device output into rows: sanitising, rejection detection and TextFSM via ntc-templates.

Device output is untrusted: a unit off a pallet may spew escape sequences, NULs or line noise.
`sanitize` makes it safe to store and display; `parse` never lets a TextFSM exception escape.
"""

from __future__ import annotations

import functools
import os
import re
import tempfile
import threading
from pathlib import Path
from typing import Any

import ntc_templates
import textfsm
from textfsm import clitable

from bench.errors import UnitError

__all__ = ["ParseError", "parse", "sanitize"]


class ParseError(UnitError):
    """A template exists for the command but the output does not fit it."""


# CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), DCS/PM/APC strings, and two-byte ESC sequences.
_ESCAPES = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]            # CSI: colours, cursor moves, erase line
    | \x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?   # OSC: window titles, hyperlinks
    | \x1b[PX^_][^\x1b]*(?:\x1b\\)?       # DCS, SOS, PM, APC strings
    | \x1b[ -/]*[0-~]                   # two-byte escapes (charset selection, keypad mode, ...)
    | \x1b                              # a lone ESC left at the end of a chunk
    """,
    re.VERBOSE,
)
# C0 controls except \t and \n, DEL, and C1 controls (0x9b is an 8-bit CSI some terminals honour).
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

# How IOS-style CLIs refuse a command; the first line of the output starts with one of these.


def sanitize(text: str | bytes) -> str:
    """Clean device output so it is safe to store, log and show on a terminal.

    Bytes are decoded as UTF-8 with replacement (never raises). CRLF and lone CR become LF
    (a lone CR would let a line overwrite itself on a terminal); escape sequences, NULs and
    other control characters except tab and newline are removed.
    """
    if isinstance(text, bytes | bytearray):
        text = bytes(text).decode("utf-8", errors="replace")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ESCAPES.sub("", text)
    return _CONTROLS.sub("", text)


def _template_dir() -> str:
    # Same rule as ntc_templates.parse: NTC_TEMPLATES_DIR overrides the bundled templates.
    return os.environ.get("NTC_TEMPLATES_DIR") or str(Path(ntc_templates.__file__).parent / "templates")


def _table() -> clitable.CliTable:
    # CliTable caches the parsed index at class level behind a lock, so one per call is cheap
    # and keeps parsing safe across the engine's worker threads.
    return clitable.CliTable("index", _template_dir())


# Matching a command against the index (a regex per row, about a thousand rows) and compiling its template
# cost milliseconds each; a unit's quick plan parses a dozen outputs and a fleet repeats the same ones. So the
# index answer and the compiled template are kept per (templates directory, platform, command), and a parse
# of an output already parsed (the tests share command output) is answered from the last few.
_FSM_LOCK = threading.Lock()  # a compiled TextFSM holds its parse state: one parse at a time through it


@functools.lru_cache(maxsize=1024)
def _templates(template_dir: str, platform: str, command: str) -> tuple[str, ...]:
    index = _platform_index(template_dir, platform)
    with _INDEX_LOCK:  # GetRowMatch reads the table's rows; one reader at a time, as CliTable does
        row = index.GetRowMatch({"Command": command, "Platform": platform})
        return tuple(index.index[row]["Template"].split(":")) if row else ()


_INDEX_LOCK = threading.RLock()


@functools.lru_cache(maxsize=32)
def _platform_index(template_dir: str, platform: str) -> clitable.IndexTable:
    """The index rows that can match `platform`, in the index's order, parsed as CliTable parses the whole.

    Parsing the whole index (about a thousand rows of every vendor, a regex each) cost 0.24 s of CPU per
    process, for the few rows of the platforms a bench meets; the first matching row is the same here."""
    lines = Path(template_dir, "index").read_text().splitlines(keepends=True)
    kept: list[str] = []
    header_seen = False
    for line in lines:
        if not header_seen or not line.strip() or line.lstrip().startswith("#"):
            header_seen = header_seen or bool(line.strip() and not line.lstrip().startswith("#"))
            kept.append(line)
        elif _may_match(line, platform):
            kept.append(line)
    with _INDEX_LOCK:
        parser = clitable.CliTable(None, template_dir)  # its row pre-processing, without reading an index
        with tempfile.TemporaryDirectory(prefix="bench-index-") as tmp:
            path = Path(tmp, "index")
            path.write_text("".join(kept))
            index = clitable.IndexTable(parser._PreParse, parser._PreCompile, str(path))
            index._index_handle.close()
    return index


def _may_match(line: str, platform: str) -> bool:
    """Whether an index row's Platform column (a regex) matches `platform`; a row not understood is kept."""
    columns = line.split(",")
    if len(columns) != 4:
        return True
    try:
        return re.match(columns[2].strip(), platform) is not None
    except re.error:
        return True


@functools.lru_cache(maxsize=256)
def _fsm(path: str) -> textfsm.TextFSM:
    with open(path) as f:
        return textfsm.TextFSM(f)


_Table = tuple[tuple[str, ...], tuple[Any, ...]]  # (header, rows)
_MEMO_CHARS = 16384  # outputs longer than this (a burn-in's `show interfaces` each sample) are parsed afresh


@functools.lru_cache(maxsize=256)  # at most 256 x 16 KiB of outputs held
def _parsed_memo(template_dir: str, platform: str, command: str, output: str) -> _Table:
    return _parsed(template_dir, platform, command, output)


def _parsed(template_dir: str, platform: str, command: str, output: str) -> _Table:
    names = _templates(template_dir, platform, command)
    if len(names) > 1:  # several templates merged on their keys: CliTable's own rules
        table = _table()
        table.ParseCmd(output, {"Command": command, "Platform": platform})
        return tuple(table.header), tuple(tuple(row.values) for row in table)
    with _FSM_LOCK:
        fsm = _fsm(os.path.join(template_dir, names[0]))
        fsm.Reset()
        records = fsm.ParseText(output)
        return tuple(fsm.header), tuple(tuple(r) for r in records)


def has_template(platform: str, command: str) -> bool:
    """Whether ntc-templates has a template for this command on this platform."""
    return bool(_templates(_template_dir(), platform, command))


def parse(platform: str, command: str, output: str) -> list[dict[str, Any]] | None:
    """Rows parsed by the ntc-templates template for `command`, or None when there is none.

    An empty list means the template ran and found nothing (an empty log buffer, say).
    Raises ParseError naming the command and the cause when the output does not fit.
    """
    template_dir = _template_dir()
    if not _templates(template_dir, platform, command):
        return None
    try:
        text = sanitize(output)
        header, rows = (_parsed_memo if len(text) <= _MEMO_CHARS else _parsed)(template_dir, platform, command, text)
    except Exception as exc:  # textfsm raises its own errors and, on hostile input, plain ones
        cause = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise ParseError(f"{command!r} on {platform}: output does not parse ({cause})") from exc
    names = [h.lower() for h in header]
    # Fresh rows each call: a caller may change what it got without changing the next caller's answer.
    return [dict(zip(names, (list(v) if isinstance(v, list) else v for v in row), strict=False)) for row in rows]
