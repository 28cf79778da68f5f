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
        if args.action in ("load-blocked", "load-images"):
            from bench.fleet import shared_lists

            if not args.name:
                raise BadInput(f"bench fleet {args.action}: name the list file, e.g. bench fleet {args.action} "
                               "FILE.csv --db URL")
            load = shared_lists.load_blocked_file if args.action == "load-blocked" else shared_lists.load_images_file
            n = load(conn, args.name, args.operator or getpass.getuser())
            what = "blocked serial(s)" if args.action == "load-blocked" else "known-good image hash(es)"
            print(f"{n} {what} from {safe_text(args.name)} in the fleet store; every bench reads them at run start")
            return 0
        for b in fleet_store.benches(conn):
            state = (f"approved by {b['approved_by']} at {b['approved_at']:%Y-%m-%d %H:%M}" if b["approved"]
                     else "NOT APPROVED: records held, not trusted")
            print(f"{safe_text(b['name']):<20} key {b['key_fingerprint']}  {b['units']:>5} units "
                  f"{b['records']:>6} records  {state}")
        lists = fleet_store.shared_list_sizes(conn)
        print(f"shared lists: {lists[0]} blocked serial(s), {lists[1]} known-good image hash(es)")
    return 0
