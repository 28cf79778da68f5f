"""The fleet side of `bench export` and `bench verify` (their --db is a postgresql:// URL)."""

from __future__ import annotations

import sys

from bench.errors import BadInput
from bench.fleet import export, store
from bench.fleet.verify import verify
from bench.reports.export import Selection
from bench.terminal import safe_text


def export_fleet(url: str, fmt: str, selection: Selection) -> str:
    with store.connect(url) as conn:
        return export.to_json(conn, selection) + "\n" if fmt == "json" else export.to_csv(conn, selection)


def verify_fleet(url: str, key: str | None) -> int:
    if key:
        raise BadInput("bench verify --db postgresql://...: --key does not apply; the fleet store checks each "
                       "bench with its registered key (approve benches with 'bench fleet approve')")
    with store.connect(url) as conn:
        verdict = verify(conn)
    for note in verdict.notes:
        print(safe_text(note))
    if verdict.ok:
        print(f"{verdict.checked} records of the fleet store verified")
        return 0
    for bench, f in verdict.findings:
        print(safe_text(f"bench {bench}: {f.line()}"))
    named = {(b, f.run_id, f.slot, f.serial) for b, f in verdict.findings}
    print(f"bench verify: {len(named)} unit(s) whose records or rows do not hold in the fleet store, "
          f"{verdict.checked} records checked", file=sys.stderr)
    return 1
