"""Label (ZPL) and certificate (HTML) of a fleet unit saved from the fleet dashboard, through
bench.fleet.report (the unit as its bench sealed it, checked in the fleet store)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from bench.fleet.report import load_fleet_unit

KINDS = {"label": "zpl", "certificate": "html"}


def save_fleet_document(url: str, bench: str, serial: str, kind: str, directory: Path) -> Path:
    """Render and write atomically; returns the file. Runs in a worker thread with its own connection."""
    unit = load_fleet_unit(url, serial, bench)
    if kind == "label":
        from bench.reports.label import to_zpl

        content = to_zpl(unit)
    else:
        from bench.reports.certificate import render_certificate

        content = render_certificate(unit)
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", f"{bench}-{serial}") or "unit"
    path = directory / f"{kind}-{safe}.{KINDS[kind]}"
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(content, encoding="utf-8")
    tmp.replace(path)  # never half a file where a printer spool might pick it up
    return path
