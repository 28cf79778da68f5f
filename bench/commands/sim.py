"""`bench sim`: serve simulated devices on loopback until SIGTERM/SIGINT (simulators imported lazily)."""

from __future__ import annotations

import argparse

from bench.errors import BadInput


def sim_command(args: argparse.Namespace) -> int:
    from simulators import faults, fleet

    if args.list_faults:
        for name, where, summary in faults.fault_table():
            print(f"{name:<20} {where:<28} {summary}")
        return 0
    if args.count < 1:
        raise BadInput(f"--count {args.count}: give at least 1 device")
    families = [f.strip() for f in args.family.split(",") if f.strip()] or None
    try:
        fleet.run_fleet(count=args.count, seed=args.seed, families=families, faults=args.faults,
                        write_bench=args.write_bench, recordings=args.recordings)
    except (ValueError, RuntimeError) as e:  # bad --faults/--family, or snmpsim missing
        raise BadInput(str(e)) from None
    return 0
