"""Benchmark: what `bench agent` costs and what its stress reaches, measured from outside the agent.

    python benchmarks/agent_cost.py [--seconds 20] [--mem-share 0.2]

Three runs of the real `bench agent` (as `python -m bench.cli agent`), one after the other in one
invocation, each watched by this process with psutil (never the agent's own figures):
- `sampling`: --interval 1, no stress. CPU time of the agent process tree over the run / wall time
  = its cost in % of one core (target <= 1 %). The agent's self-reported figure is shown beside it.
- `cpu stress`: --stress-cpu. psutil.cpu_percent(percpu=True) every second after a 2 s ramp-up;
  the figure is the lowest per-core mean over the steady part (target >= 95 % on every core).
- `memory stress`: --stress-mem SHARE. The peak summed RSS of the agent's children against
  SHARE x total RAM (target: reaches the configured share, ratio >= 0.95). The agent caps the
  share by available memory minus a 512 MiB reserve; the run reports that target too.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from typing import Any

import psutil


def start_agent(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "bench.cli", "agent", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)


def tree_cpu(proc: psutil.Process) -> float:
    """User+system seconds of a process and its live children (children that ended are in cpu_times.children_*)."""
    total = 0.0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            t = p.cpu_times()
            total += t.user + t.system + t.children_user + t.children_system
        except psutil.NoSuchProcess:
            pass
    return total


def finish(proc: subprocess.Popen[str]) -> list[dict[str, Any]]:
    out, _ = proc.communicate(timeout=120)
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def sampling_cost(seconds: float) -> dict[str, Any]:
    proc = start_agent("--interval", "1", "--duration", f"{seconds:g}s")
    ps = psutil.Process(proc.pid)
    time.sleep(1.5)  # past interpreter start-up and imports: the steady cost is what runs for hours
    cpu0, t0 = tree_cpu(ps), time.monotonic()
    last_cpu, last_t = cpu0, t0
    while proc.poll() is None:
        try:
            last_cpu, last_t = tree_cpu(ps), time.monotonic()
        except psutil.NoSuchProcess:
            break
        time.sleep(0.5)
    lines = finish(proc)
    end = lines[-1] if lines and lines[-1].get("type") == "end" else {}
    outside = 100 * (last_cpu - cpu0) / max(last_t - t0, 1e-9)
    return {"outside_pct_of_core": round(outside, 3), "self_reported_pct": end.get("agent_cpu_percent"),
            "samples": end.get("samples"), "steady_seconds": round(last_t - t0, 1)}


def cpu_stress(seconds: float) -> dict[str, Any]:
    proc = start_agent("--interval", "1", "--duration", f"{seconds:g}s", "--stress-cpu")
    psutil.cpu_percent(percpu=True)
    time.sleep(2.0)  # the stress workers are spawned processes: give them their start-up
    psutil.cpu_percent(percpu=True)
    readings: list[list[float]] = []
    while proc.poll() is None and len(readings) < seconds - 3:
        time.sleep(1.0)
        readings.append(psutil.cpu_percent(percpu=True))
    finish(proc)
    cores = list(zip(*readings, strict=True)) if readings else []
    means = [sum(c) / len(c) for c in cores]
    return {"cores": len(means), "per_core_mean_pct": [round(m, 1) for m in means],
            "min_core_pct": round(min(means), 1) if means else None, "readings": len(readings)}


def memory_stress(seconds: float, share: float) -> dict[str, Any]:
    from bench.drivers.agent import memory_target

    vm = psutil.virtual_memory()
    configured = int(share * vm.total)
    capped = memory_target(share, vm.total, vm.available)
    proc = start_agent("--interval", "1", "--duration", f"{seconds:g}s", "--stress-mem", f"{share:g}")
    ps = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        try:
            rss = sum(c.memory_info().rss for c in ps.children(recursive=True))
        except psutil.NoSuchProcess:
            break
        peak = max(peak, rss)
        time.sleep(0.2)
    lines = finish(proc)
    passes = [r for r in lines if r.get("type") == "mem"]
    return {"total_bytes": vm.total, "configured_bytes": configured, "agent_target_bytes": capped,
            "peak_children_rss": peak, "reached_vs_configured": round(peak / configured, 3) if configured else None,
            "passes": len(passes), "mismatches": sum(len(p.get("mismatches") or []) for p in passes)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--mem-share", type=float, default=0.2)
    args = ap.parse_args()
    results = {
        "machine": f"{platform.machine()}, {os.cpu_count()} vCPU, {round(psutil.virtual_memory().total / 2**30)} GiB, "
                   f"CPython {platform.python_version()}",
        "sampling": sampling_cost(args.seconds),
        "cpu_stress": cpu_stress(args.seconds),
        "memory_stress": memory_stress(args.seconds, args.mem_share),
    }
    s, c, m = results["sampling"], results["cpu_stress"], results["memory_stress"]
    print(json.dumps(results, indent=2))
    print(f"\nsampling at 1 Hz: {s['outside_pct_of_core']} % of one core (target <= 1 %, ratio "
          f"{s['outside_pct_of_core'] / 1.0:.2f}); agent says {s['self_reported_pct']} %")
    print(f"cpu stress: lowest core {c['min_core_pct']} % (target >= 95 %, ratio {(c['min_core_pct'] or 0) / 95:.2f})")
    print(f"memory stress: peak {m['peak_children_rss'] / 2**30:.2f} GiB of {m['configured_bytes'] / 2**30:.2f} GiB "
          f"configured (ratio {m['reached_vs_configured']}), {m['passes']} passes, {m['mismatches']} mismatches")


if __name__ == "__main__":
    main()
