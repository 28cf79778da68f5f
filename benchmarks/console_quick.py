"""Benchmark: the `quick` plan over a 9600-baud simulated console, against line rate and netmiko.

    python benchmarks/console_quick.py [--baud 9600]

1. bench: one simulated Catalyst switch, console only (`socket://`), `quick` plan through the
   engine; wall time and bytes moved on the line.
2. line rate: those bytes / (baud / 10) seconds, the floor any console client has.
3. netmiko: `cisco_ios_serial` on the same unit's console (its pty), logging in and sending the
   very commands the bench sent, in the same run.
Targets (issue 4): bench within 1.2x of line rate, and at most half of netmiko's time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import tempfile
import time
from pathlib import Path

from bench.config import load_bench
from bench.engine import Engine, EngineOptions
from bench.events import EventBus
from bench.profiles import Catalog
from bench.store import Store
from bench.tests_hw.registry import known_tests
from simulators.pytest_plugin import start_fleet

LOGIN_WORDS = {"enable", "terminal length 0", "terminal width 511", ""}


def bench_run(fleet, tmp: Path) -> tuple[float, int, list[str]]:
    config = load_bench(fleet.run_file(keep=("console",)))
    store = Store(f"sqlite:///{tmp}/console.db")
    bus = EventBus()
    seen: list[int] = []
    bus.subscribe(lambda e: seen.append(e.data["console_bytes"]) if "console_bytes" in e.data else None)
    engine = Engine(config, store, Catalog.load(known_tests()), EngineOptions(plan="quick"), bus)
    t0 = time.monotonic()
    asyncio.run(engine.run())
    wall = time.monotonic() - t0
    rows = store.transcript(engine.run_id, "S1")
    commands = [r["text"].strip() for r in rows if r["direction"] == "tx"]
    commands = [c for c in commands if c not in LOGIN_WORDS and not c.startswith("*") and c != "cisco"]
    return wall, sum(seen), commands


def netmiko_run(pty: str, baud: int, commands: list[str]) -> float:
    import netmiko.base_connection
    from netmiko import ConnectHandler

    # netmiko only accepts ports that pyserial's list_ports enumerates, which leaves out ptys;
    # the simulated console is a pty, so its check is bypassed (the serial I/O path is netmiko's own).
    netmiko.base_connection.check_serial_port = lambda name: name
    t0 = time.monotonic()
    conn = ConnectHandler(device_type="cisco_ios_serial", username="cisco", password="cisco", secret="cisco",
                          serial_settings={"port": pty, "baudrate": baud})
    conn.enable()
    for c in commands:
        conn.send_command(c, read_timeout=120)
    conn.disconnect()
    return time.monotonic() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--baud", type=int, default=9600)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-console-bm-"))
    # Each client gets a freshly powered unit (same seed: the same device), so both start at its
    # "Press RETURN" banner and log in.
    fleet = start_fleet(tmp / "a" if (tmp / "a").mkdir() is None else tmp, count=1,
                        families=["cisco_ios_switch"], baud=args.baud)
    try:
        wall, nbytes, commands = bench_run(fleet, tmp)
    finally:
        fleet.stop()
    fleet = start_fleet(tmp / "b" if (tmp / "b").mkdir() is None else tmp, count=1,
                        families=["cisco_ios_switch"], baud=args.baud)
    try:
        nm = netmiko_run(fleet.truth("S1")["console_pty"], args.baud, commands)
    finally:
        fleet.stop()
    line = nbytes / (args.baud / 10)
    print(json.dumps({
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()} {os.cpu_count()} cpu, CPython {platform.python_version()}",
        "baud": args.baud, "commands": commands, "bytes": nbytes,
        "bench_s": round(wall, 1), "line_rate_s": round(line, 1), "bench_over_line_rate": round(wall / line, 2),
        "netmiko_cisco_ios_serial_s": round(nm, 1), "bench_over_netmiko": round(wall / nm, 2),
    }, indent=2))


if __name__ == "__main__":
    main()
