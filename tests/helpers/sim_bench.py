"""A simulated bench served by the real `bench sim` command in its own process group, stopped by its pid."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import yaml


class SimBench:
    def __init__(self, path: Path, proc: subprocess.Popen[bytes]) -> None:
        self.path = path
        self.proc = proc
        self.doc = yaml.safe_load(path.read_text())
        self.truth = {s["id"]: s["truth"] for s in self.doc["slots"]}

    def run_file(self, tmp: Path, name: str = "run.yaml", keep: tuple[str, ...] = ("ssh", "snmp", "console")) -> Path:
        """The bench file a user would write: no truth, only the channels asked for."""
        doc = yaml.safe_load(self.path.read_text())
        for s in doc["slots"]:
            s.pop("truth", None)
            for k in ("ssh", "snmp", "console"):
                if k not in keep:
                    s.pop(k, None)
        out = tmp / name
        out.write_text(yaml.safe_dump(doc))
        return out


def start_sim(tmp: Path, count: int, faults: str = "", seed: int = 1, family: str = "cisco_ios_switch",
              deadline_s: float = 60.0) -> SimBench:
    bench = tmp / f"sim-{count}-{seed}.yaml"
    log = open(tmp / "sim.log", "wb")
    cmd = [sys.executable, "-m", "bench.cli", "sim", "--count", str(count), "--seed", str(seed),
           "--family", family, "--write-bench", str(bench)]
    if faults:
        cmd += ["--faults", faults]
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        if bench.exists() and bench.stat().st_size > 0:
            return SimBench(bench, proc)
        if proc.poll() is not None:
            raise RuntimeError(f"bench sim exited {proc.returncode}: {(tmp / 'sim.log').read_text()[-500:]}")
        time.sleep(0.1)
    stop_sim(proc)
    raise RuntimeError("bench sim wrote no bench file in time")


def stop_sim(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)
