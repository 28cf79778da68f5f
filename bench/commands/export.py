"""`bench export [--bench NAME] [--since DATE] [--lot NAME]`: JSON or CSV of every unit of the store, to stdout."""

from __future__ import annotations

import argparse
import json
import sys

from bench.reports.erasure_record import to_erasure_csv, to_erasure_json
from bench.reports.export import Selection, parse_since, to_csv, to_json
from bench.store import Store


def export_command(args: argparse.Namespace) -> int:
    selection = Selection(bench=args.bench, since=parse_since(args.since) if args.since else None, lot=args.lot)
    if args.db.split("://", 1)[0] in ("postgresql", "postgres"):
        from bench.fleet.commands import export_fleet

        sys.stdout.write(export_fleet(args.db, args.format, selection))
        return 0
    store = Store(args.db, must_exist=True, read_only=True)
    try:
        if args.format in ("erasure-json", "erasure-csv"):  # servers' per-disk erasure records only
            doc = json.loads(to_json(store, selection=selection))
            text = to_erasure_json(doc) if args.format == "erasure-json" else to_erasure_csv(doc)
        elif args.format == "json":
            text = to_json(store, selection=selection) + "\n"
        else:
            text = to_csv(store, selection=selection)
    finally:
        store.close()
    sys.stdout.write(text)
    return 0
