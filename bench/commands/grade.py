"""`bench grade UNIT --operator ID [--cosmetic C5 --label-serial ... ]`: technician inputs, regrade, reseal."""

from __future__ import annotations

import argparse

from bench.errors import BadInput
from bench.inputs import input_history, set_inputs
from bench.store import Store
from bench.terminal import safe_text


def grade_command(args: argparse.Namespace) -> int:
    store = Store(args.db, must_exist=True)
    try:
        row = store.find_unit(args.unit)
        if row is None:
            raise BadInput(f"no unit with serial or slot {args.unit!r} in {args.db}; see 'bench export --db {args.db}'")
        run_id, slot = int(row["run_id"]), str(row["slot"])
        if args.history:
            for e in input_history(store, run_id, slot):
                print(safe_text(f"{e['ts']}  {e['operator']:<12} {e['field']:<16} {e['value']}"))
            return 0
        grade = set_inputs(store, run_id, slot, args.operator, cosmetic=args.cosmetic,
                           label_serial=args.label_serial, asset_tag=args.asset_tag, notes=args.notes, lot=args.lot,
                           licence_attested=args.licence_attested, new_open_box=args.new_open_box,
                           disposition=args.disposition)
        who = safe_text(f"{row['serial'] or '?'} (slot {slot}, run {run_id})")
        if grade is None:
            print(f"{who}: recorded; the unit is still under test and is graded when it finishes")
            return 0
        print(f"{who}: {grade.functional or '-'} {grade.cosmetic} {grade.letter} {grade.disposition}")
        for reason in grade.reasons:
            print(safe_text(f"  - {reason}"))
        return 0
    finally:
        store.close()
