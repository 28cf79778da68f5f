"""Benchmark: what identifying a unit over SNMP costs, in requests and in wall time.

    python benchmarks/identify_cost.py [--units 6] [--rounds 5]

Requests are counted at the bench's SNMP client (SnmpTarget.requests: one per PDU sent, a retry of
the same PDU not counted), for the profile-resolving GET plus bench.tests_hw.snmp_identity's reader:
- on a mixed simulated fleet (`bench sim` devices of every network family, a stack and a sparse
  ENTITY-MIB among them);
- on real devices' recordings of snmpsim-data served by snmpsim (the curated set of `bench sim`).
"identify" counts the requests until the chassis model and serial are known (the budget is 8);
"inventory" adds the FRU details of every serialised entity.

Wall time: `bench probe snmp://` (a process, as a technician runs it) against net-snmp's `snmpget`
of the same objects (the system group, the vendor scalars and the chassis row's cells) on the same
agent in the same run, median of --rounds.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.drivers.snmp import SnmpTarget, close_shared_engine  # noqa: E402
from bench.tests_hw.snmp_identity import (  # noqa: E402
    IDENTIFY_BUDGET,
    SCALARS,
    SYS_DESCR,
    SYS_OBJECT_ID,
    chassis_rows,
    entity_table,
    read_snmp_identity,
)
from simulators.pytest_plugin import start_fleet  # noqa: E402
from simulators.recordings import default_work_dir, start_recordings  # noqa: E402

FAMILIES = ["cisco_ios_switch", "cisco_iosxe_switch", "cisco_ios_router", "arista_eos", "juniper_junos",
            "hp_procurve"]


async def cost(host: str, port: int, community: str) -> tuple[int, int, str, str]:
    """(identify requests, all requests, model, serial), the profile-resolving GET included."""
    target = SnmpTarget(host, port, community, timeout=5.0)
    scalars = await target.get(SYS_OBJECT_ID, SYS_DESCR)  # what the engine asks to pick the profile
    reading = await read_snmp_identity(target, scalars)
    return 1 + reading.identify_requests, target.requests, reading.identity.model, reading.identity.serial


def wall(url: str, host: str, port: int, community: str, chassis_oids: list[str], rounds: int) -> tuple[float, float]:
    bench = shutil.which("bench") or str(Path(sys.executable).parent / "bench")
    probe, snmpget = [], []
    for _ in range(rounds):
        t = time.perf_counter()
        subprocess.run([bench, "probe", url, "--json"], capture_output=True, check=True, timeout=120)
        probe.append(time.perf_counter() - t)
        t = time.perf_counter()
        subprocess.run(["snmpget", "-v2c", "-c", community, "-On", "-t", "5", f"{host}:{port}",
                        *SCALARS, *chassis_oids], capture_output=True, check=True, timeout=60)
        snmpget.append(time.perf_counter() - t)
    return statistics.median(probe), statistics.median(snmpget)


async def chassis_cells(host: str, port: int, community: str) -> list[str]:
    target = SnmpTarget(host, port, community, timeout=5.0)
    cols, _ = await target.walk_columns("1.3.6.1.2.1.47.1.1.1.1", (4, 5, 11), max_repetitions=100)
    rows = chassis_rows(entity_table(cols))[:1]
    return [f"1.3.6.1.2.1.47.1.1.1.1.{c}.{i}" for i in rows for c in (2, 7, 8, 11, 13)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=7)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    print(f"# {datetime.date.today()} on {platform.node()} ({platform.processor() or platform.machine()}, "
          f"Python {platform.python_version()})")
    rows: list[tuple[str, int, int, str, str]] = []
    # Families go round the slots: S1 and S7 are Catalyst IOS switches, the only family with these traits.
    faults = f"S1:stack,S{len(FAMILIES) + 1}:sparse_entity_mib" if args.units > len(FAMILIES) else "S1:stack"
    fleet = start_fleet(Path(tempfile.mkdtemp(prefix="identify-cost-")), count=args.units,
                        families=FAMILIES, faults=faults)
    try:
        slots = [(s, fleet.slot(s)["snmp"], fleet.truth(s)) for s in (f"S{i}" for i in range(1, args.units + 1))]

        async def fleet_costs() -> list[tuple[int, int, str, str]]:
            try:
                return [await cost(s["host"], s["port"], s["community"]) for _, s, _ in slots]
            finally:
                close_shared_engine()

        for (slot, _, truth), got in zip(slots, asyncio.run(fleet_costs()), strict=True):
            ok = "right" if (got[2], got[3]) == (truth["model"], truth["serial"]) else "WRONG"
            rows.append((f"sim {slot} {truth['family']} {','.join(truth.get('faults') or [])}", got[0], got[1],
                         f"{got[2]} {got[3]}", ok))
        s1 = slots[-1][1]  # the sparse ENTITY-MIB unit when there is one
        cells = asyncio.run(chassis_cells(s1["host"], s1["port"], s1["community"]))
        probe_s, snmpget_s = wall(f"snmp://{s1['community']}@{s1['host']}:{s1['port']}", s1["host"], s1["port"],
                                  s1["community"], cells, args.rounds)
    finally:
        fleet.stop()

    async def recording_costs() -> list[tuple[str, int, int, str, str]]:
        server = await start_recordings(default_work_dir())
        try:
            out = []
            for t in server.truths:
                i, a, model, serial = await cost(server.host, server.port, t.community)
                out.append((f"rec {t.recording.path}", i, a, f"{model} {serial}", ""))
            return out
        finally:
            await server.stop()
            close_shared_engine()

    rows += asyncio.run(recording_costs())
    print(f"{'unit':58s} {'identify':>8s} {'all':>4s}  read")
    for name, ident, total, read, ok in rows:
        print(f"{name:58s} {ident:8d} {total:4d}  {read} {ok}")
    worst = max(r[1] for r in rows)
    print(f"identify requests per unit: max {worst}, median {statistics.median(r[1] for r in rows)} "
          f"(budget {IDENTIFY_BUDGET}); all requests: max {max(r[2] for r in rows)}")
    print(f"wall, median of {args.rounds}: bench probe snmp:// {probe_s * 1000:.0f} ms; "
          f"snmpget of the same objects {snmpget_s * 1000:.0f} ms")
    return 0 if worst <= IDENTIFY_BUDGET and all(r[4] != "WRONG" for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
