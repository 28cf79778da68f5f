"""`bench sync (FILE | --db URL) [--fleet URL]`: send what a bench has not yet sent to the fleet store, by hand
(a bench that was offline for a week, or a run that ended while the fleet store was down)."""

from __future__ import annotations

import argparse

from bench.errors import BadInput
from bench.fleet import store as fleet_store
from bench.fleet.sender import sync_once
from bench.fleet.url import check_url, target
from bench.store import Store
from bench.terminal import safe_text


def sync_command(args: argparse.Namespace) -> int:
    db, fleet = args.db, args.fleet
    if args.bench_file:
        from bench.config import load_bench

        config = load_bench(args.bench_file)
        db, fleet = db or config.store, fleet or config.fleet
    if not db:
        raise BadInput("bench sync: give the bench file, or --db with the bench's store")
    if not fleet:
        raise BadInput("bench sync: no fleet store; pass --fleet postgresql://... or set 'fleet:' in the bench file")
    check_url(fleet)
    from bench.config import store_problem

    problem = store_problem(db, must_exist=True)
    if problem:
        raise BadInput(f"--db {problem}")
    local = Store(db, must_exist=True)
    try:
        with fleet_store.connect(fleet) as conn:
            try:
                report = sync_once(local, conn, target(fleet))
                trust = fleet_store.approval(conn, local.public_keys())
            except Exception as e:  # noqa: BLE001 - psycopg's errors: the store went away mid-sync
                if isinstance(e, BadInput):
                    raise
                raise fleet_store.FleetUnreachable(
                    f"fleet store {target(fleet)} failed mid-sync ({fleet_store.one_line(e, fleet)}); what was "
                    f"not sent waits in {db}: run 'bench sync' again") from None
        print(f"{report.sent} record(s) sent to {target(fleet)}, {report.already} already there; "
              f"{local.unsent_count(target(fleet))} pending")
        for (name, fp), approved in sorted(trust.items()):
            if not approved:  # what the operator compares before approving: shown where the bench is
                print(f"bench {safe_text(name)}: key {fp} is not approved in the fleet store yet; its records are "
                      f"held, not trusted. An operator compares this fingerprint and runs 'bench fleet approve "
                      f"{safe_text(name)} --key {fp[:16]} --db {target(fleet)}'")
    finally:
        local.close()
    return 0
