"""Benchmark: `bench sim --count N` from one process: time to ready, memory per device, idle CPU.

    python benchmarks/sim_scale.py [--count 256] [--idle 20]

Every family is cycled through (as `bench sim` does by default). After the bench file appears,
every device's SNMP agent is asked for sysObjectID and a sample of SSH ports is opened, then the
process is left idle and its CPU time measured. Targets (issue 3): ready under 60 s, under
2 MiB RSS per device, under 5 % of one core idle.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import yaml


def snmp_answers(host: str, port: int) -> bool:
    r = subprocess.run(["snmpget", "-v2c", "-c", "public", "-r", "1", "-t", "2", "-Oqv", f"{host}:{port}",
                        "1.3.6.1.2.1.1.2.0"], capture_output=True, text=True)
    return r.returncode == 0 and r.stdout.strip() != ""


def ssh_banner(host: str, port: int) -> bool:
    with socket.create_connection((host, port), timeout=5) as s:
        return s.recv(64).startswith(b"SSH-2.0")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=256)
    ap.add_argument("--idle", type=float, default=20.0)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-simscale-"))
    bench_file = tmp / "sim.yaml"
    t0 = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "bench.cli", "sim", "--count", str(args.count), "--seed", "4",
                             "--write-bench", str(bench_file)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        while not (bench_file.exists() and bench_file.stat().st_size):
            if proc.poll() is not None or time.monotonic() - t0 > 300:
                raise SystemExit("bench sim did not come up")
            time.sleep(0.1)
        ready_s = time.monotonic() - t0
        doc = yaml.safe_load(bench_file.read_text())
        slots = doc["slots"]
        snmp_ok = sum(snmp_answers(s["snmp"]["host"], s["snmp"]["port"]) for s in slots if s.get("snmp"))
        snmp_total = sum(1 for s in slots if s.get("snmp"))
        ssh_sample = slots[:: max(1, len(slots) // 32)]
        ssh_ok = sum(ssh_banner(*s["ssh"].rsplit(":", 1)[:1], int(s["ssh"].rsplit(":", 1)[1])) for s in ssh_sample)
        p = psutil.Process(proc.pid)
        procs = [p, *p.children(recursive=True)]
        rss = sum(x.memory_info().rss for x in procs)
        cpu0 = sum(sum(x.cpu_times()[:2]) for x in procs)
        time.sleep(args.idle)  # measuring idle CPU means leaving it alone for a while
        cpu1 = sum(sum(x.cpu_times()[:2]) for x in procs)
        families: dict[str, int] = {}
        for s in slots:
            families[s["truth"]["family"]] = families.get(s["truth"]["family"], 0) + 1
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(30)
    print(json.dumps({
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()} {os.cpu_count()} cpu, CPython {platform.python_version()}",
        "devices": args.count, "families": families, "ready_s": round(ready_s, 1),
        "snmp_answered": f"{snmp_ok}/{snmp_total}", "ssh_sampled": f"{ssh_ok}/{len(ssh_sample)}",
        "rss_mib_total": round(rss / 2**20, 1), "rss_mib_per_device": round(rss / 2**20 / args.count, 2),
        "idle_cpu_pct_of_one_core": round((cpu1 - cpu0) / args.idle * 100, 2),
    }, indent=2))


if __name__ == "__main__":
    main()
