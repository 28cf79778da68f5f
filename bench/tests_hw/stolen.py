"""stolen: every chassis and FRU serial checked against the reseller's blocked-serial list.

The list is a CSV with a `serial` column, or one serial per line; `#` starts a comment line.
A hit quarantines the unit.
"""

from __future__ import annotations

import asyncio
import csv
import io
from pathlib import Path
from typing import Any

from bench.model import Outcome, TestResult, utc_now
from bench.tests_hw.base import TestContext, result
from bench.tests_hw.identity import ensure_identity

NAME = "stolen"


def load_blocked(path: str) -> dict[str, dict[str, Any]]:
    """Blocked serial (upper case) -> the row it came from. Raises OSError/ValueError when unreadable."""
    raw = Path(path).read_bytes()
    text = raw.decode("utf-8-sig")  # strict: a binary or mis-encoded list is an error, not "no hits"
    lines = [
        (n, ln) for n, ln in enumerate(text.splitlines(), 1) if ln.strip() and not ln.lstrip().startswith("#")
    ]
    if not lines:
        return {}
    first = next(csv.reader([lines[0][1]]))
    header = [h.strip().lower() for h in first]
    blocked: dict[str, dict[str, Any]] = {}
    if "serial" in header:
        reader = csv.DictReader(io.StringIO("\n".join(ln for _, ln in lines)), fieldnames=header)
        next(reader)  # the header row itself
        for (n, _), row in zip(lines[1:], reader, strict=False):
            serial = (row.get("serial") or "").strip().upper()
            if serial:
                clean = {k: v for k, v in row.items() if k is not None}
                blocked[serial] = {"line": n, **clean}
    else:
        for n, ln in lines:
            serial = ln.strip().split(",")[0].strip().upper()
            if serial:
                blocked[serial] = {"line": n, "serial": serial}
    return blocked


async def run(ctx: TestContext) -> TestResult:
    started = utc_now()
    path = ctx.slot.blocked_serials_file
    if not path:
        return result(NAME, Outcome.NOT_RUN, "no blocked-serial list configured", started)
    try:
        blocked = await asyncio.to_thread(load_blocked, path)
    except (OSError, ValueError, csv.Error) as exc:
        return result(
            NAME,
            Outcome.ERROR,
            f"blocked-serial list {path} unreadable: {type(exc).__name__}: {exc}",
            started,
            list_file=path,
        )
    if not blocked:
        # An empty list checks nothing; most likely the export that fills it failed.
        return result(
            NAME,
            Outcome.WARN,
            f"blocked-serial list {path} is empty; nothing checked",
            started,
            list_file=path,
        )
    got = await ensure_identity(ctx)
    ours: dict[str, str] = {}  # serial -> where we saw it
    for channel, serial in ctx.identity.chassis_serials.items():
        if serial.strip():
            ours.setdefault(serial.strip().upper(), f"chassis ({channel})")
    if ctx.slot.label_serial.strip():
        ours.setdefault(ctx.slot.label_serial.strip().upper(), "chassis (label)")
    for c in ctx.identity.components:
        if c.serial.strip():
            ours.setdefault(c.serial.strip().upper(), f"{c.kind} {c.name} ({c.source})")
    evidence: dict[str, Any] = {"list_file": path, "list_size": len(blocked), "checked": sorted(ours)}
    if got and got.problems:
        evidence["problems"] = got.problems

    hits = [{"serial": s, "where": ours[s], "row": blocked[s]} for s in sorted(ours) if s in blocked]
    if hits:
        names = ", ".join(f"{h['serial']} ({h['where']})" for h in hits)
        return result(
            NAME, Outcome.FAIL, f"blocked serial: {names}", started, quarantine=True, matches=hits, **evidence
        )
    if not ours:
        outcome = Outcome.ERROR if got and got.problems else Outcome.WARN
        return result(NAME, outcome, "no serial could be read; nothing checked", started, **evidence)
    return result(
        NAME, Outcome.PASS, f"{len(ours)} serials checked against {len(blocked)} blocked", started, **evidence
    )
