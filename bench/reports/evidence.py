"""Test evidence as a person reads it: labelled values, small tables, capped lengths; never a JSON dump.

Evidence is whatever a test stored, much of it device text: every string is cleaned of control
characters and escape sequences and HTML-escaped; sizes are capped so one chatty test cannot bury
the rest of the certificate.
"""

from __future__ import annotations

from typing import Any

from bench.reports.charts import esc, fmt
from bench.reports.plain import internal_error

MAX_ITEMS = 16  # list items or dict keys shown per level
MAX_ROWS = 12  # rows of a table made from a list of dicts
MAX_TEXT = 240
MAX_LINES = 8
MAX_DEPTH = 3
# Shown elsewhere on the certificate (identity section, sanitization record, charts).
SKIP = {"identity": {"identity", "components"}, "sanitization": {"steps", "before", "after", "wipe"},
        "burnin": {"metrics"}}


BENCH_SIDE = "[a problem on the bench's side; the bench's own log has the details]"


def scrub(value: object) -> str:
    """Text with bench-side error talk (exception names, login failures) cut off: a certificate shows the
    unit, not the bench's troubles."""
    s = str(value or "")
    m = internal_error(s)
    if m is None:
        return s
    head = s[: m.start()].rstrip()  # "identity: AuthFailed ..." keeps "identity:"
    return f"{head} {BENCH_SIDE}".strip()


def label(key: object) -> str:
    return esc(str(key).replace("_", " "))


def text(value: str) -> str:
    lines = scrub(value).strip().splitlines() or [""]
    if len(lines) > 1:
        shown = [line[:MAX_TEXT] for line in lines[:MAX_LINES]]
        more = f"\n… {len(lines) - MAX_LINES} more lines" if len(lines) > MAX_LINES else ""
        return f"<pre>{esc(chr(10).join(shown) + more)}</pre>"
    line = lines[0]
    return esc(line if len(line) <= MAX_TEXT else line[: MAX_TEXT - 1] + "…")


def scalar(value: Any) -> str:
    if value is None:
        return '<span class="muted">unknown</span>'
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return esc(fmt(float(value)))
    return text(str(value))


def value_html(value: Any, depth: int = 0) -> str:
    if isinstance(value, dict):
        return dict_html(value, depth + 1) if value else '<span class="muted">none</span>'
    if isinstance(value, list | tuple):
        return list_html(list(value), depth + 1)
    return scalar(value)


def list_html(items: list[Any], depth: int) -> str:
    if not items:
        return '<span class="muted">none</span>'
    more = f' <span class="muted">(+{len(items) - MAX_ITEMS} more)</span>' if len(items) > MAX_ITEMS else ""
    if all(isinstance(i, dict) for i in items) and depth <= MAX_DEPTH:
        return table_html(items)
    if all(not isinstance(i, dict | list) for i in items):
        return ", ".join(scalar(i) for i in items[:MAX_ITEMS]) + more
    return "<ul>" + "".join(f"<li>{value_html(i, depth)}</li>" for i in items[:MAX_ITEMS]) + "</ul>" + more


def table_html(rows: list[dict[str, Any]]) -> str:
    cols: list[str] = []
    for r in rows[:MAX_ROWS]:
        cols.extend(k for k in r if k not in cols)
    cols = cols[:8]
    head = "".join(f"<th>{label(c)}</th>" for c in cols)
    body = "".join("<tr>" + "".join(f"<td>{compact(r.get(c))}</td>" for c in cols) + "</tr>" for r in rows[:MAX_ROWS])
    more = (f'<tr><td colspan="{len(cols)}" class="muted">… {len(rows) - MAX_ROWS} more</td></tr>'
            if len(rows) > MAX_ROWS else "")
    return f'<table class="mini"><tr>{head}</tr>{body}{more}</table>'


def compact(value: Any) -> str:
    """A nested value squeezed into one table cell."""
    if isinstance(value, dict):
        parts = [f"{label(k)}: {compact(v)}" for k, v in list(value.items())[:6]]
        return "; ".join(parts) + (" …" if len(value) > 6 else "")
    if isinstance(value, list | tuple):
        return ", ".join(compact(v) for v in list(value)[:8]) + (" …" if len(value) > 8 else "")
    return scalar(value) if not isinstance(value, str) else esc(value[:80])


def dict_html(d: dict[str, Any], depth: int = 1) -> str:
    if depth > MAX_DEPTH:
        return compact(d)
    items = list(d.items())
    rows = "".join(f"<dt>{label(k)}</dt><dd>{value_html(v, depth)}</dd>" for k, v in items[:MAX_ITEMS])
    more = f'<dt class="muted">…</dt><dd class="muted">{len(items) - MAX_ITEMS} more</dd>' if len(items) > MAX_ITEMS \
        else ""
    return f"<dl>{rows}{more}</dl>"


def evidence_html(test: str, evidence: dict[str, Any]) -> str:
    """The evidence of one test; sections the certificate shows elsewhere are left out here."""
    if not isinstance(evidence, dict):
        return value_html(evidence)
    if test == "environment" and isinstance(evidence.get("readings"), list):
        rest = {k: v for k, v in evidence.items() if k != "readings" and v not in ([], {}, None, "")}
        return readings_html(evidence["readings"]) + (dict_html(rest) if rest else "")
    shown = {k: v for k, v in evidence.items() if k not in SKIP.get(test, set())}
    return dict_html(shown) if shown else '<span class="muted">no further evidence</span>'


def readings_html(readings: list[Any]) -> str:
    rows = []
    for r in readings:
        if not isinstance(r, dict):
            continue
        unit = "°C" if r.get("unit") == "C" else str(r.get("unit") or "")
        value = "" if r.get("value") is None else f"{fmt(float(r['value']))} {unit}".strip()
        limits = " / ".join(f"{w} {fmt(float(r[k]))}" for k, w in (("warn_at", "warn"), ("fail_at", "fail"))
                            if isinstance(r.get(k), int | float))
        state = str(r.get("state", "unknown"))
        rows.append(f"<tr><td>{esc(r.get('kind', ''))}</td><td>{esc(r.get('name', ''))}</td>"
                    f'<td><span class="state {esc(state)}">{esc(state)}</span></td><td>{esc(value)}</td>'
                    f"<td>{esc(limits)}</td><td>{esc(str(r.get('detail', ''))[:100])}</td></tr>")
    return ('<table class="mini"><tr><th>kind</th><th>sensor</th><th>state</th><th>value</th>'
            f"<th>device thresholds</th><th>detail</th></tr>{''.join(rows)}</table>")
