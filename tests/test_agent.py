"""`bench agent` run locally for a few seconds: JSON lines, stress on every core, memory pattern, cost."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from typing import Any

import psutil

from bench.cli import main
from bench.drivers.agent import CHUNK, RESERVE, memory_target, verify_chunk


def agent(*args: str, timeout: float = 30) -> tuple[int, list[dict[str, Any]]]:
    proc = subprocess.run([sys.executable, "-m", "bench.cli", "agent", *args], capture_output=True, text=True,
                          timeout=timeout, check=False)
    lines = [json.loads(line) for line in proc.stdout.splitlines()]  # every line must be JSON
    return proc.returncode, lines


def test_stress_reaches_every_core_and_memory_is_verified() -> None:
    rc, lines = agent("--duration", "4s", "--interval", "1", "--stress-cpu", "--stress-mem", "0.01")
    assert rc == 0
    start, end = lines[0], lines[-1]
    assert start["type"] == "start" and end["type"] == "end"
    assert start["cpus"] == os.cpu_count() and start["stress"]["cpu_workers"] == os.cpu_count()
    samples = [r for r in lines if r["type"] == "sample"]
    assert len(samples) >= 2 and all(len(s["cpu_percent"]) == os.cpu_count() for s in samples)
    # Stress children start while the first interval runs: a later full interval shows every core busy.
    assert any(min(s["cpu_percent"]) >= 90 for s in samples[1:]), [s["cpu_percent"] for s in samples]
    want = memory_target(0.01, psutil.virtual_memory().total, psutil.virtual_memory().available)
    assert want > 0 and start["stress"]["mem_bytes"] == want
    passes = [r for r in lines if r["type"] == "mem"]
    assert passes and all(p["bytes"] == want and p["mismatches"] == [] for p in passes)
    assert end["mem_stress"] == {"passes": len(passes), "bytes": want, "mismatches": 0}
    assert {"mem", "disks", "nics", "temps", "fans"} <= set(samples[0])
    assert samples[0]["mem"]["total"] == psutil.virtual_memory().total


def test_sampling_costs_under_one_percent_of_a_core_at_1hz() -> None:
    rc, lines = agent("--duration", "3s", "--interval", "0.2")
    samples = [r for r in lines if r["type"] == "sample"]
    assert rc == 0 and len(samples) >= 10
    per_sample = (samples[-1]["agent_cpu_s"] - samples[0]["agent_cpu_s"]) / (len(samples) - 1)
    assert per_sample < 0.010  # 10 ms of CPU per sample = 1 % of one core at one sample a second


def test_sigterm_ends_the_stream_cleanly() -> None:
    proc = subprocess.Popen([sys.executable, "-m", "bench.cli", "agent", "--interval", "0.2", "--stress-cpu"],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    deadline = time.monotonic() + 20
    first = ""
    while time.monotonic() < deadline and '"sample"' not in first:
        first = proc.stdout.readline()
    assert '"sample"' in first
    proc.send_signal(signal.SIGTERM)
    rest, _ = proc.communicate(timeout=20)
    end = json.loads(rest.splitlines()[-1])
    assert proc.returncode == 0 and end["type"] == "end" and end["interrupted"] is True
    assert not psutil.Process(os.getpid()).children(recursive=True)  # no stress worker left behind


def test_verify_finds_a_flipped_bit_and_memory_stays_bounded() -> None:
    expected = b"\x55" * (64 * 1024)
    chunk = bytearray(expected)
    assert verify_chunk(chunk, expected) == []
    chunk[5000] ^= 0x04
    assert verify_chunk(chunk, expected) == [4096]
    assert memory_target(2.0, 100 * CHUNK, 100 * CHUNK) <= 0.98 * 100 * CHUNK
    assert memory_target(0.9, 100 * CHUNK, RESERVE + 3 * CHUNK) == 3 * CHUNK
    assert memory_target(0.5, 100 * CHUNK, RESERVE // 2) == 0


def test_bad_options_exit_2() -> None:
    assert main(["agent", "--stress-mem", "2"]) == 2
    assert main(["agent", "--interval", "0"]) == 2
