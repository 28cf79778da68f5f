"""`bench verify`: check that no sealed unit record was altered, removed or reordered."""

from __future__ import annotations

import argparse
import sys

from bench.records import load_public_key, verify
from bench.store import Store
from bench.terminal import safe_text


def verify_command(args: argparse.Namespace) -> int:
    # Load the trusted key first: a wrong --key is bad input (exit 2), not a failed check.
    trusted = load_public_key(args.key) if args.key else None
    store = Store(args.db, must_exist=True)
    try:
        verdict = verify(store, trusted)
    finally:
        store.close()
    if verdict.ok:
        print(f"{verdict.checked} records verified")
        return 0
    for f in verdict.findings:
        print(safe_text(f.line()))
    units = {(f.run_id, f.slot, f.serial) for f in verdict.findings}
    print(f"bench verify: {len(units)} unit(s) with a record that does not hold, {verdict.checked} records checked",
          file=sys.stderr)
    return 1
