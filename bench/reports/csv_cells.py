"""CSV that a spreadsheet opens safely: every CSV the bench writes goes through `write_csv`.

A cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to Excel and
LibreOffice (CSV injection, OWASP): a unit's serial or a technician's note could then run a command
or leak the sheet. Such a cell gets a leading single quote, which spreadsheets show as text; a plain
negative number (-2.33) stays a number. Every cell is capped at CELL_LIMIT characters and a cut cell
ends with a marker saying how much was cut, so one hostile field cannot swell an ERP import. Other
control characters (ESC, BEL, NUL, DEL, C1) become U+FFFD: the CSV is often printed to a terminal.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence

# Far above any honest cell (notes are at most 2,000 characters) and under Excel's 32,767 per cell.
CELL_LIMIT = 10_000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Full-width forms some spreadsheets also read as formula prefixes.
_WIDE_STARTS = ("\uff1d", "\uff0b", "\uff0d", "\uff20")
_PLAIN_NUMBER = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")
# Control characters but the line feed, tab and carriage return a note holds (CSV quotes them): ESC, BEL,
# NUL, DEL and C1 would drive the terminal `bench export --format csv` prints to (retitle it, clear it).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def truncated(text: str, limit: int = CELL_LIMIT) -> str:
    """`text` within `limit` characters; a cut one ends with '…[cut N characters]'."""
    if len(text) <= limit:
        return text
    # The marker's own length depends on N; N is at most len(text), so size it for that.
    room = limit - len(f"…[cut {len(text)} characters]")
    return f"{text[:room]}…[cut {len(text) - room} characters]"


def safe_cell(value: object, limit: int = CELL_LIMIT) -> str:
    """A cell's text as written: capped, and neutralised when a spreadsheet would read it as a formula."""
    text = _CONTROL.sub("\ufffd", "" if value is None else str(value))
    # Leading spaces or line feeds do not stop every spreadsheet from evaluating what follows.
    head = text.lstrip(" \n")
    if head.startswith(FORMULA_STARTS + _WIDE_STARTS) and not _PLAIN_NUMBER.fullmatch(text):
        text = "'" + text
    return truncated(text, limit)


def write_csv(columns: Sequence[str], rows: Iterable[Mapping[str, object]]) -> str:
    """A header and one line per row, every cell through `safe_cell`."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([safe_cell(c) for c in columns])
    for row in rows:
        writer.writerow([safe_cell(row.get(c, "")) for c in columns])
    return buf.getvalue()
