"""`bench report SERIAL --format html|pdf|zpl|png [--output FILE]`: the certificate or label of one unit."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bench.bounded_yaml import special_kind
from bench.errors import BadInput
from bench.store import Store

if TYPE_CHECKING:
    from bench.reports.unit import UnitReport


def report_command(args: argparse.Namespace) -> int:
    output = Path(args.output) if args.output else None
    if output is None and args.format in ("png", "pdf") and sys.stdout.isatty():
        raise BadInput(f"a {args.format.upper()} on a terminal is unreadable; add --output FILE.{args.format}")
    if args.format == "pdf":
        from bench.reports.pdf import find_chromium

        if find_chromium() is None:  # before the store is opened: nothing to undo
            raise BadInput("--format pdf needs Chromium, which is not installed; install it (Debian: apt-get "
                           "install chromium) or use --format html")
    if output is not None and special_kind(output):
        # The certificate is renamed into place: over a FIFO or a device (/dev/null) it would replace the node.
        raise BadInput(f"--output {output}: is not a regular file ({special_kind(output)}); give a file path, or "
                       "leave --output out to write to stdout")
    if output is not None and not output.parent.is_dir():
        raise BadInput(f"--output {output}: directory {output.parent} does not exist; create it or pick another path")
    from bench.fleet.url import is_fleet_url

    if is_fleet_url(args.db):  # the fleet store: the unit as its bench sealed it (bench.fleet.report)
        from bench.fleet.report import load_fleet_unit

        content = render_unit(load_fleet_unit(args.db, args.serial), args.format)
    else:
        store = Store(args.db, must_exist=True, read_only=True)
        try:
            content = render(store, args.serial, args.db, args.format)
        finally:
            store.close()
    if output is not None:
        _write(output, content)
    elif isinstance(content, bytes):
        sys.stdout.flush()
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(content)
    return 0


def render(store: Store, serial: str, db_url: str, fmt: str) -> str | bytes:
    # Imported here: each format pulls in only what it needs (Pillow and segno for labels).
    from bench.reports.unit import load_unit

    return render_unit(load_unit(store, serial, db_url), fmt)


def render_unit(unit: UnitReport, fmt: str) -> str | bytes:
    if fmt in ("html", "pdf"):
        from bench.reports.certificate import render_certificate

        page = render_certificate(unit)
        if fmt == "html":
            return page
        from bench.reports.certificate_pdf import certificate_pdf

        return certificate_pdf(page)
    from bench.reports.label import to_png, to_zpl

    return to_zpl(unit) if fmt == "zpl" else to_png(unit)


def _write(path: Path, content: str | bytes) -> None:
    data = content if isinstance(content, bytes) else content.encode("utf-8")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        tmp.replace(path)  # a reader never sees half a certificate
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise BadInput(f"--output {path}: {e.strerror}; pick a path you can write") from e
