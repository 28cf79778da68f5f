"""A simulated fleet for a benchmark: `bench sim` in its own process group and a bench file to run against it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml


@contextmanager
def simulated_fleet(tmp: Path, count: int, faults: str = "", family: str = "cisco_ios_switch",
                    seed: int = 7) -> Iterator[tuple[subprocess.Popen[bytes], Path]]:
    """Start `count` simulated units and yield (the simulator process, a bench file for them without the
    simulator's truth); the simulators stop, by process group, however the benchmark ends."""
    bench_file = tmp / "sim.yaml"
    argv = [sys.executable, "-m", "bench.cli", "sim", "--count", str(count), "--seed", str(seed),
            "--family", family, "--write-bench", str(bench_file)] + (["--faults", faults] if faults else [])
    sim = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while not (bench_file.exists() and bench_file.stat().st_size) and time.monotonic() < deadline:
            if sim.poll() is not None:
                raise SystemExit(f"bench sim exited with {sim.returncode} before writing {bench_file}")
            time.sleep(0.2)
        doc = yaml.safe_load(bench_file.read_text())
        for s in doc["slots"]:
            s.pop("truth", None)
        run_file = tmp / "run.yaml"
        run_file.write_text(yaml.safe_dump(doc))
        yield sim, run_file
    finally:
        if sim.poll() is None:
            os.killpg(sim.pid, signal.SIGTERM)
            sim.wait(10)
