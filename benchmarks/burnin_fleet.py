"""Benchmark: a 32-unit burn-in of 10 minutes with faults at offsets; is each reported at the right time?

    python benchmarks/burnin_fleet.py [--count 32] [--duration 600] [--interval 10] [--time-scale 1]

(`--time-scale 0.1 --duration 60` is a one-minute smoke run with every offset scaled alike.)

`bench sim` serves the fleet in its own process, cycling through the six network families; faults come
at offsets counted from the bench's first contact (fan_failed@120s, overtemp@240s, reboot@300s,
crc_errors@420s, each on two units of different families). The bench runs the `burnin` plan in this
process through the real engine (SNMP polling through the fast poller, the CLI over SSH for what SNMP
does not carry), every unit sampled each `--interval` seconds. For every fault: when its finding was
first seen against the window in which the fault happened (from the simulator's start to the identity
test's start, plus the offset); every finding on a unit without a fault is a false alarm. Also the
bench's CPU (share of one core) and the simulator's.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil
import yaml

from bench.model import epoch_seconds
from bench.tests_hw import burnin

FAMILIES = ["cisco_ios_switch", "cisco_iosxe_switch", "cisco_ios_router", "arista_eos", "juniper_junos", "hp_procurve"]
# slot -> (fault, offset s): each kind on two units of different families (slots cycle through FAMILIES).
FAULTS = {"S1": ("fan_failed", 120), "S10": ("fan_failed", 120), "S4": ("overtemp", 240), "S8": ("overtemp", 240),
          "S6": ("reboot", 300), "S15": ("reboot", 300), "S5": ("crc_errors", 420), "S13": ("crc_errors", 420)}


def start_sim(count: int, bench_file: Path) -> subprocess.Popen[bytes]:
    faults = ",".join(f"{slot}:{name}@{offset:g}s" for slot, (name, offset) in FAULTS.items())
    proc = subprocess.Popen([sys.executable, "-m", "bench.cli", "sim", "--count", str(count), "--seed", "7",
                             "--family", ",".join(FAMILIES), "--faults", faults, "--write-bench", str(bench_file)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 300
    while not (bench_file.exists() and bench_file.stat().st_size):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("bench sim did not come up")
        time.sleep(0.2)  # polling for a file the simulator writes once every device listens
    return proc


async def run_bench(doc: dict[str, Any], db: str, duration: float, interval: float) -> list[Any]:
    from bench.config import parse_bench
    from bench.drivers.snmp import close_shared_engine
    from bench.engine import Engine, EngineOptions
    from bench.profiles import Catalog
    from bench.store import Store
    from bench.tests_hw.registry import known_tests

    catalog = Catalog.load(known_tests())
    for profile in catalog.profiles.values():
        if "burnin" in profile.test_params:
            profile.test_params["burnin"] = {**profile.test_params["burnin"], "interval": interval}
    run_doc = {k: v for k, v in doc.items() if k != "slots"}
    run_doc["slots"] = [{k: v for k, v in s.items() if k != "truth"} for s in doc["slots"]]
    engine = Engine(parse_bench(run_doc), Store(db), catalog, EngineOptions(plan="burnin", burnin=duration))
    try:
        return await engine.run()
    finally:
        close_shared_engine()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=32)
    ap.add_argument("--duration", type=float, default=600.0)
    ap.add_argument("--interval", type=float, default=10.0)
    ap.add_argument("--time-scale", type=float, default=1.0, help="multiply every fault offset by this")
    args = ap.parse_args()
    for slot, (name, offset) in FAULTS.items():
        FAULTS[slot] = (name, round(offset * args.time_scale))
    tmp = Path(tempfile.mkdtemp(prefix="bench-burnin-fleet-"))
    sim_started = time.time()
    sim = start_sim(args.count, tmp / "sim.yaml")
    try:
        doc = yaml.safe_load((tmp / "sim.yaml").read_text())
        family = {s["id"]: s["truth"]["family"] for s in doc["slots"]}
        cpu0, wall0 = time.process_time(), time.perf_counter()
        sim_cpu0 = sum(psutil.Process(sim.pid).cpu_times()[:2])
        outcomes = {o.slot: o for o in asyncio.run(run_bench(doc, f"sqlite:///{tmp}/bench.db", args.duration,
                                                             args.interval))}
        wall = time.perf_counter() - wall0
        bench_cpu = time.process_time() - cpu0
        sim_cpu = sum(psutil.Process(sim.pid).cpu_times()[:2]) - sim_cpu0
    finally:
        os.killpg(sim.pid, signal.SIGTERM)
        sim.wait(30)

    rows, false_alarms, missing = [], [], []
    for slot, o in sorted(outcomes.items(), key=lambda kv: int(kv[0][1:])):
        burn = o.results.get("burnin")
        findings = burn.evidence.get("findings", []) if burn else []
        if slot not in FAULTS:
            false_alarms += [(slot, f["finding"]) for f in findings]
            continue
        fault, offset = FAULTS[slot]
        hit = [f for f in findings if burnin.shows(fault, f)]
        if fault == "reboot" and not any(f["finding"] == "unexpected reboot" for f in hit):
            hit = []  # silence alone is not a reboot: the uptime must say so
        if not hit:
            missing.append((slot, fault, burn.summary if burn else "no burn-in result"))
            continue
        seen = epoch_seconds(hit[0]["first_seen"])
        earliest, latest = sim_started + offset, epoch_seconds(o.results["identity"].started) + offset
        rows.append({"slot": slot, "family": family[slot], "fault": fault, "offset_s": offset,
                     "first_seen_offset_s": hit[0]["offset_s"], "lag_max_s": round(seen - earliest, 1),
                     "lag_min_s": round(seen - latest, 1), "on_time": earliest <= seen <= latest + args.interval + 6,
                     "outcome": str(burn.outcome)})
    samples = [o.results["burnin"].evidence.get("samples", 0) for o in outcomes.values() if "burnin" in o.results]
    pollers = {o.results["burnin"].evidence.get("snmp_poller") for o in outcomes.values() if "burnin" in o.results}
    print(f"{time.strftime('%Y-%m-%d')} {platform.machine()}, {os.cpu_count()} CPUs, Python "
          f"{platform.python_version()}; {args.count} units, {args.duration:g} s, interval {args.interval:g} s")
    print(f"{'slot':5} {'family':19} {'fault':11} {'offset':>6} {'seen at':>8} {'lag':>11} on time  outcome")
    for r in rows:
        print(f"{r['slot']:5} {r['family']:19} {r['fault']:11} {r['offset_s']:6} {r['first_seen_offset_s']:8} "
              f"{r['lag_min_s']:5}-{r['lag_max_s']:<5} {str(r['on_time']):8} {r['outcome']}")
    print(f"missed faults: {missing or 'none'}; false alarms on healthy units: {false_alarms or 'none'}")
    print(f"samples per unit: min {min(samples)} max {max(samples)}; SNMP poller: {sorted(map(str, pollers))}")
    print(f"wall {wall:.0f} s; bench CPU {bench_cpu:.1f} s = {100 * bench_cpu / wall:.1f} % of one core; "
          f"simulator CPU {sim_cpu:.1f} s = {100 * sim_cpu / wall:.1f} %")
    print(json.dumps({"rows": rows, "missing": missing, "false_alarms": false_alarms, "wall_s": round(wall, 1),
                      "bench_cpu_s": round(bench_cpu, 1), "sim_cpu_s": round(sim_cpu, 1)}))


if __name__ == "__main__":
    main()
