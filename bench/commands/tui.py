"""`bench tui [--db URL]`: the dashboard attached to the store of a running or finished run.

It only reads the store (and writes technician inputs), so quitting it never touches the run:
a headless `bench run` in another process goes on.
"""

from __future__ import annotations

import argparse
import sys

from bench.errors import BadInput
from bench.store import Store


def has_terminal() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def tui_command(args: argparse.Namespace) -> int:
    store = Store(args.db, must_exist=True)
    try:
        if not has_terminal():
            raise BadInput("bench tui needs a terminal; for a text summary use "
                           f"'bench export --db {args.db} --format csv'")
        from bench.tui.app import BenchApp

        BenchApp(store, note="attached: q detaches, the run goes on").run()
    finally:
        store.close()
    return 0
