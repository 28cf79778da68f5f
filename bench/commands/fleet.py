"""`bench fleet approve NAME [--key FINGERPRINT] --db URL`, `bench fleet list --db URL`: an operator's view of
the fleet's benches.

A bench registers its key the first time it syncs (and `bench sync` prints its fingerprint); until an
operator compares that fingerprint and approves it, its records are held, not trusted, and every view says so.
"""

from __future__ import annotations

import argparse
import getpass

from bench.errors import BadInput
from bench.fleet import store as fleet_store
from bench.terminal import safe_text


def fleet_command(args: argparse.Namespace) -> int:
    with fleet_store.connect(args.db) as conn:
        if args.action == "approve":
            if not args.name:
                raise BadInput("bench fleet approve: name the bench to approve, e.g. bench fleet approve bench-3")
            operator = args.operator or getpass.getuser()
            done = fleet_store.approve(conn, args.name, operator, getattr(args, "key", None))
            if not done:
                print(f"bench {safe_text(args.name)}: every registered key is approved already")
            for fp in done:
                print(f"bench {safe_text(args.name)}: key {fp} approved by {safe_text(operator)}")
            return 0
        for b in fleet_store.benches(conn):
            state = (f"approved by {b['approved_by']} at {b['approved_at']:%Y-%m-%d %H:%M}" if b["approved"]
                     else "NOT APPROVED: records held, not trusted")
            print(f"{safe_text(b['name']):<20} key {b['key_fingerprint']}  {b['units']:>5} units "
                  f"{b['records']:>6} records  {state}")
    return 0
