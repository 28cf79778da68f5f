"""`bench tui [--db URL]`: the dashboard attached to the store of a running or finished run, or with a
postgresql:// URL the fleet's dashboard (every bench of the fleet store, read-only).

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
    from bench.fleet.url import is_fleet_url

    if is_fleet_url(args.db):
        return fleet_tui(args.db)
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


def fleet_tui(url: str) -> int:
    from bench.fleet.reader import FleetReader
    from bench.fleet.url import check_url, target

    check_url(url, "--db")
    if not has_terminal():
        raise BadInput(f"bench tui needs a terminal; for a text summary use 'bench export --db {target(url)}'")
    reader = FleetReader(url)  # an unreachable store is one line before the terminal is taken over
    try:
        from bench.tui.fleet import FleetApp

        FleetApp(reader).run()
    finally:
        reader.close()
    return 0
