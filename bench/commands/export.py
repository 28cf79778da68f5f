"""`bench export`: JSON or CSV of every unit of the latest run, to stdout."""

from __future__ import annotations

import argparse
import sys

from bench.reports.export import to_csv, to_json
from bench.store import Store


def export_command(args: argparse.Namespace) -> int:
    store = Store(args.db, must_exist=True, read_only=True)
    try:
        sys.stdout.write(to_json(store) + "\n" if args.format == "json" else to_csv(store))
    finally:
        store.close()
    return 0
