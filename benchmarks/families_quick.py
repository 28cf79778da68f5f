"""Benchmark: the quick plan over a simulated fleet cycling through every registered network family.

    python benchmarks/families_quick.py [--count 128] [--runs 3] [--profile FILE]

`bench sim` serves `--count` units in its own process, slot after slot through every family
`simulators.family.registry()` holds except the servers (S1 the first family, S2 the second, ...), every
slot `profile: auto`. Then `bench run --headless --plan quick` runs `--runs` times, each a whole process
started fresh into a new store, after one unmeasured run (the simulators' first contact with each unit).
Per run: wall time, units graded per minute, the bench process's peak RSS (getrusage of the reaped
child), and the simulator process's peak RSS sampled meanwhile (its own process and children), each also
per unit. From the last run's export: units graded and test errors per family, and the time each test
took summed over the units (where the time goes). `--profile FILE` runs the measured runs under cProfile
(slower) and prints the functions that took the most cumulative time. Not a test: the figures go to
docs/benchmarks.md with date and machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import pstats
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

import psutil
from sim_fleet import simulated_fleet

from simulators.family import family, registry

SERVER_FAMILIES = ("linux_server",)  # the quick plan of a server is another benchmark (benchmarks/erasure_speed.py)


def network_families() -> list[str]:
    out = []
    for name in registry():
        if name in SERVER_FAMILIES:
            continue
        try:
            family(name)
        except ValueError:  # registered but not importable here: not simulated on this checkout
            continue
        out.append(name)
    return out


class PeakRss:
    """Samples a process tree's resident memory until stopped; `peak` is the largest total seen (bytes)."""

    def __init__(self, pid: int, every: float = 0.25) -> None:
        self.proc = psutil.Process(pid)
        self.every = every
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                procs = [self.proc, *self.proc.children(recursive=True)]
                self.peak = max(self.peak, sum(p.memory_info().rss for p in procs))
            except psutil.Error:
                pass  # a child ended between listing and reading
            self._stop.wait(self.every)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _seconds(a: str, b: str) -> float:
    return (datetime.fromisoformat(b.replace("Z", "+00:00")) - datetime.fromisoformat(a.replace("Z", "+00:00"))
            ).total_seconds()


def export(db: str, env: dict[str, str]) -> list[dict[str, Any]]:
    out = subprocess.run([sys.executable, "-m", "bench.cli", "export", "--db", db], capture_output=True, text=True,
                         env=env, check=True)
    return [u for u in json.loads(out.stdout)["units"] if not u.get("member_of")]


def breakdown(units: list[dict[str, Any]]) -> dict[str, Any]:
    """Per family: units graded, test errors; per test: seconds summed over the units."""
    per_family: dict[str, Counter[str]] = defaultdict(Counter)
    per_test: Counter[str] = Counter()
    for u in units:
        fam = u.get("profile") or "(unidentified)"
        per_family[fam]["units"] += 1
        per_family[fam]["graded"] += bool(u.get("grade"))
        for t in u.get("tests") or []:
            per_family[fam][t["outcome"]] += 1
            if t.get("started") and t.get("finished"):
                took = _seconds(t["started"], t["finished"])
                per_test[t["name"]] += took
                per_family[fam]["test_s_per_unit"] += took
    for counts in per_family.values():  # the family's tests' time per unit: which family is slow
        counts["test_s_per_unit"] = round(counts["test_s_per_unit"] / counts["units"], 2)  # type: ignore[assignment]
    return {"families": {k: dict(v) for k, v in sorted(per_family.items())},
            "test_seconds_summed": {k: round(v, 1) for k, v in per_test.most_common()}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=128)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--profile", metavar="FILE", help="run the measured runs under cProfile into FILE")
    args = ap.parse_args()
    fams = network_families()
    tmp = Path(tempfile.mkdtemp(prefix="bench-fq-"))
    env = {**os.environ, "BENCH_KEY": str(tmp / "bench.key")}
    rows: list[dict[str, Any]] = []
    print(f"# {args.count} units cycling through {len(fams)} families: {', '.join(fams)}", flush=True)
    with simulated_fleet(tmp, args.count, family=",".join(fams), seed=args.seed) as (sim, run_file):
        def argv(tag: str, profiled: bool) -> list[str]:
            runner = ["-m", "cProfile", "-o", f"{args.profile}.{tag}", "-m"] if profiled else ["-m"]
            return [sys.executable, *runner, "bench.cli", "run", str(run_file), "--headless", "--plan", "quick",
                    "--db", f"sqlite:///{tmp}/{tag}.db"]

        subprocess.run(argv("warm", False), env=env, capture_output=True)  # first contact: unmeasured
        for i in range(args.runs):
            tag = f"run{i + 1}"
            with PeakRss(sim.pid) as sim_rss:
                load = os.getloadavg()[0]
                t0 = time.monotonic()
                proc = subprocess.run(argv(tag, bool(args.profile)), env=env, capture_output=True, text=True)
                wall = time.monotonic() - t0
            bench_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024  # the largest reaped child
            units = export(f"sqlite:///{tmp}/{tag}.db", env)
            graded = sum(1 for u in units if u.get("grade"))
            row = {"run": i + 1, "wall_s": round(wall, 1), "exit": proc.returncode, "graded": graded,
                   "units_per_minute": round(graded / wall * 60), "load_before": round(load, 1),
                   "bench_peak_rss_mib": round(bench_peak / 2**20, 1),
                   "bench_rss_per_unit_kib": round(bench_peak / 1024 / args.count),
                   "sim_peak_rss_mib": round(sim_rss.peak / 2**20, 1),
                   "sim_rss_per_unit_kib": round(sim_rss.peak / 1024 / args.count)}
            rows.append(row)
            print(json.dumps(row), flush=True)
            if proc.returncode not in (0, 1):
                print(proc.stderr[-600:], file=sys.stderr)
        last = breakdown(units)
    print(json.dumps({"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                      "machine": f"{platform.node()} {platform.machine()} {os.cpu_count()} cpu, "
                                 f"Python {platform.python_version()}",
                      "count": args.count, "families": fams, "runs": rows, "last_run": last}, indent=1))
    if args.profile:
        stats = pstats.Stats(f"{args.profile}.run{args.runs}")
        stats.sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
