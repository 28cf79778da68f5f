"""`bench verify`: check that no sealed unit record was altered, removed or reordered, that the chain reaches
the head this bench witnessed, and that the live store still says what the records say."""

from __future__ import annotations

import argparse
import sys

from bench.records import load_public_key, verify
from bench.store import Store
from bench.terminal import safe_text


def verify_command(args: argparse.Namespace) -> int:
    if args.db.split("://", 1)[0] in ("postgresql", "postgres"):
        from bench.fleet.commands import verify_fleet

        return verify_fleet(args.db, args.key)
    # Load the trusted key first: a wrong --key is bad input (exit 2), not a failed check.
    trusted = load_public_key(args.key) if args.key else None
    store = Store(args.db, must_exist=True, read_only=True)
    try:
        verdict = verify(store, trusted, args.key)
    finally:
        store.close()
    if verdict.ok:
        print(f"{verdict.checked} records verified")
        for note in verdict.notes:
            print(safe_text(note))
        return 0
    for note in verdict.notes:
        print(safe_text(note))
    for f in verdict.findings:
        print(safe_text(f.line()))
    units = {(f.run_id, f.slot, f.serial) for f in verdict.findings}
    print(f"bench verify: {len(units)} unit(s), run(s) or table(s) whose records do not hold, "
          f"{verdict.checked} records checked", file=sys.stderr)
    return 1
