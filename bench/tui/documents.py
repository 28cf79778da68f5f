"""Label (ZPL) and certificate (HTML) of one unit saved from the dashboard, through bench.reports."""

from __future__ import annotations

import os
import re
from pathlib import Path

from bench.store import Store

KINDS = {"label": "zpl", "certificate": "html"}


def save_document(db_path: str, serial: str, kind: str, directory: Path) -> Path:
    """Render and write atomically; returns the file. Runs in a worker thread on its own connection."""
    from bench.reports.unit import load_unit

    store = Store(db_path, read_only=True)
    try:
        unit = load_unit(store, serial, f"sqlite:///{db_path}")
    finally:
        store.close()
    if kind == "label":
        from bench.reports.label import to_zpl

        content = to_zpl(unit)
    else:
        from bench.reports.certificate import render_certificate

        content = render_certificate(unit)
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", serial) or "unit"
    path = directory / f"{kind}-{safe}.{KINDS[kind]}"
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(content, encoding="utf-8")
    tmp.replace(path)  # never half a file where a printer spool might pick it up
    return path
