"""Benchmark: the bench's quick plan against Nornir + NAPALM on the same simulated fleet, in the same run.

    pip install -e ".[bench]"
    python benchmarks/quick_plan.py [--count 64] [--runs 3] [--threads 20]

`bench sim` serves `--count` simulated Catalysts (classic IOS) in its own process. Then, alternating,
`--runs` times each, as whole processes started fresh:
- bench: `bench run --headless --plan quick` (profile auto: identify, then identity, authenticity,
  stolen, post, environment, logs; grade; sealed record) into a new store each time;
- nornir: Nornir with `--threads` threads running NAPALM's get_facts, get_environment, get_interfaces
  and get_interfaces_counters on every unit (`benchmarks/quick_plan.py --nornir FILE`).
One unmeasured run of each side comes first (the simulators' first contact with every unit), then
the side that goes first alternates. Each run is measured as a whole process: wall time and CPU (user +
system of it and its reaped children, from getrusage(RUSAGE_CHILDREN) before and after). The
simulators' process is not counted; its own CPU during each run is printed beside it, and so is the
load average (the machine may be shared). Not a test: the figures go to docs/benchmarks.md with date and machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml
from sim_fleet import simulated_fleet

GETTERS = ["get_facts", "get_environment", "get_interfaces", "get_interfaces_counters"]


def nornir_run(bench_file: str, threads: int) -> None:
    """The peer: what a network engineer would run against the same units (child process entry point)."""
    from nornir import InitNornir
    from nornir_napalm.plugins.tasks import napalm_get

    doc = yaml.safe_load(Path(bench_file).read_text())
    cred = next(iter(doc["credentials"].values()))
    hosts: dict[str, Any] = {}
    for s in doc["slots"]:
        host, port = s["ssh"].rsplit(":", 1)
        hosts[s["id"]] = {"hostname": host, "port": int(port), "platform": "ios", "username": cred["username"],
                          "password": cred["password"],
                          "connection_options": {"napalm": {"extras": {"optional_args": {
                              "secret": cred.get("enable", ""), "port": int(port)}}}}}
    inventory = Path(bench_file).with_name("nornir-hosts.yaml")
    inventory.write_text(yaml.safe_dump(hosts))
    nr = InitNornir(runner={"plugin": "threaded", "options": {"num_workers": threads}},
                    inventory={"plugin": "SimpleInventory", "options": {"host_file": str(inventory)}},
                    logging={"enabled": False})
    result = nr.run(task=napalm_get, getters=GETTERS)
    ok = sum(1 for r in result.values() if not r.failed)
    print(json.dumps({"units": len(hosts), "ok": ok,
                      "failed": {h: str(r.exception)[:120] for h, r in result.items() if r.failed}}))


def measured(argv: list[str], env: dict[str, str], sim_pid: int) -> dict[str, Any]:
    """Run one whole process: its wall time, and the simulators' CPU meanwhile (its own CPU: the caller)."""
    import psutil

    sim = psutil.Process(sim_pid)

    def sim_cpu() -> float:
        procs = [sim, *sim.children(recursive=True)]
        return sum(p.cpu_times().user + p.cpu_times().system for p in procs)

    load = os.getloadavg()[0]
    sim0, t0 = sim_cpu(), time.monotonic()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    out, err = proc.communicate()  # reaped here: its CPU (and its reaped children's) joins RUSAGE_CHILDREN
    wall = time.monotonic() - t0
    return {"wall": wall, "status": proc.returncode, "out": out.decode(errors="replace"),
            "err": err.decode(errors="replace")[-400:], "sim_cpu": sim_cpu() - sim0, "load": load}


def cpu_of_children() -> float:
    import resource

    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=64)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=20)
    ap.add_argument("--only", choices=["bench", "nornir"], help="run one side only (profiling)")
    ap.add_argument("--nornir", metavar="BENCH_FILE", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.nornir:
        nornir_run(args.nornir, args.threads)
        return
    tmp = Path(tempfile.mkdtemp(prefix="bench-qp-"))
    rows: list[dict[str, Any]] = []
    with simulated_fleet(tmp, args.count) as (sim, run_file):
        env = {**os.environ, "BENCH_KEY": str(tmp / "bench.key")}
        sides = [args.only] if args.only else ["bench", "nornir"]
        for side in sides:  # unmeasured: the simulators' first contact with each unit (keys, caches) for neither
            subprocess.run(_argv(side, run_file, tmp, "warm", args.threads), env=env, capture_output=True)
        for i in range(args.runs):
            for side in sides if i % 2 == 0 else sides[::-1]:  # who goes first alternates
                argv = _argv(side, run_file, tmp, str(i), args.threads)
                before = cpu_of_children()
                row = measured(argv, env, sim.pid)
                row |= {"side": side, "run": i + 1, "cpu": cpu_of_children() - before}
                if side == "bench":
                    row["graded"] = _graded(tmp / f"run{i}.db", env)
                else:
                    row["graded"] = json.loads(row["out"].strip().splitlines()[-1])["ok"] if row["out"] else 0
                rows.append(row)
                print(f"{side:6} run {i + 1}: wall {row['wall']:.1f} s  cpu {row['cpu']:.1f} s  "
                      f"units ok {row['graded']}/{args.count}  exit {row['status']}  "
                      f"sim cpu {row['sim_cpu']:.1f} s  load {row['load']:.1f}", flush=True)
                if row["status"] not in (0, 1):
                    print(row["err"], file=sys.stderr)
    _summary(rows, args.count)


def _argv(side: str, run_file: Path, tmp: Path, run: str, threads: int) -> list[str]:
    if side == "bench":
        return [sys.executable, "-m", "bench.cli", "run", str(run_file), "--headless", "--plan", "quick",
                "--db", f"sqlite:///{tmp}/run{run}.db"]
    return [sys.executable, __file__, "--nornir", str(run_file), "--threads", str(threads)]


def _graded(db: Path, env: dict[str, str]) -> int:
    out = subprocess.run([sys.executable, "-m", "bench.cli", "export", "--db", f"sqlite:///{db}"],
                         capture_output=True, text=True, env=env)
    if out.returncode != 0:
        return 0
    return sum(1 for u in json.loads(out.stdout)["units"] if u.get("grade") and not u.get("member_of"))


def _summary(rows: list[dict[str, Any]], count: int) -> None:
    print(f"# {time.strftime('%Y-%m-%d %H:%M')} UTC {platform.node()} {platform.machine()} {os.cpu_count()} cpu "
          f"Python {platform.python_version()}; load before runs {[round(r['load'], 1) for r in rows]}")
    by: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by.setdefault(r["side"], []).append(r)
    for side, rs in by.items():
        walls, cpus = [r["wall"] for r in rs], [r["cpu"] for r in rs]
        print(f"{side:6} wall {min(walls):.1f}-{max(walls):.1f} s  cpu {min(cpus):.1f}-{max(cpus):.1f} s  "
              f"units/min {count / max(walls) * 60:.0f}-{count / min(walls) * 60:.0f}  "
              f"cpu per unit {min(cpus) / count * 1000:.0f}-{max(cpus) / count * 1000:.0f} ms")
    if {"bench", "nornir"} <= by.keys():
        pairs = list(zip(by["bench"], by["nornir"], strict=False))
        ratios = [n["wall"] / b["wall"] for b, n in pairs]
        cpu_ratios = [b["cpu"] / n["cpu"] for b, n in pairs]
        print(f"units/min bench / nornir, run by run: {', '.join(f'{x:.2f}' for x in ratios)}")
        print(f"cpu per unit bench / nornir, run by run: {', '.join(f'{x:.2f}' for x in cpu_ratios)}")


if __name__ == "__main__":
    main()
