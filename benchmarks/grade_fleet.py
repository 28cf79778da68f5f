"""Benchmark: grade N simulated Catalyst switches in one headless run.

    python benchmarks/grade_fleet.py [--count 64] [--plan quick]

Starts `bench sim` (a separate process, as on a real bench the devices are elsewhere), runs
`bench run --headless` against it and prints wall time, devices per minute and the peak RSS of
the bench process. Not a test: figures go to docs/benchmarks.md with the date and machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sim_fleet import simulated_fleet


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=64)
    ap.add_argument("--plan", default="quick")
    ap.add_argument("--faults", default="S2:fan_failed,S3:psu_failed,S4:overtemp,S5:serial_mismatch,S6:parity_crash")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-bm-"))
    with simulated_fleet(tmp, args.count, args.faults) as (_sim, run_file):
        db = f"sqlite:///{tmp}/bm.db"
        t0 = time.monotonic()
        r = subprocess.run([sys.executable, "-m", "bench.cli", "run", str(run_file), "--headless", "--db", db,
                            "--plan", args.plan], capture_output=True, text=True)
        wall = time.monotonic() - t0
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        units = json.loads(subprocess.run([sys.executable, "-m", "bench.cli", "export", "--db", db],
                                          capture_output=True, text=True, check=True).stdout)["units"]
        graded = sum(1 for u in units if u.get("grade"))
        errors = sum(1 for u in units for t in u["tests"] if t["outcome"] == "ERROR")
    print(json.dumps({
        "date": time.strftime("%Y-%m-%d"), "machine": f"{platform.machine()} {os.cpu_count()} cpu, "
        f"{platform.python_implementation()} {platform.python_version()}",
        "devices": args.count, "plan": args.plan, "graded": graded, "exit_code": r.returncode,
        "test_errors": errors, "wall_s": round(wall, 1), "devices_per_minute": round(args.count / wall * 60, 1),
        "peak_rss_mib": round(peak_kib / 1024, 1),
    }, indent=2))


if __name__ == "__main__":
    main()
