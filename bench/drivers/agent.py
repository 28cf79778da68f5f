"""The on-unit agent: psutil samples as JSON lines, optionally under CPU and memory stress.

Runs on the server under test (`bench agent`, e.g. from the live image); the bench reads its stdout
over SSH. Every line is one JSON object with a `type`: `start`, `sample`, `mem` (one memory-stress
pass), `error`, and a final `end`. Sampling stays cheap (a handful of /proc and /sys reads per
sample); each sample carries the agent's own CPU use so that cost is measured, not assumed.
Stress runs in child processes so the sampler never competes with it for the GIL.
"""

from __future__ import annotations

import glob
import json
import multiprocessing as mp
import os
import queue
import signal
import socket
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.synchronize import Event as EventType
from typing import IO, Any

import psutil

__all__ = ["AgentOptions", "memory_target", "run_agent", "sample", "verify_chunk"]

CHUNK = 64 * 2**20  # memory is stressed in chunks this big: bounded allocations, progress per chunk
RESERVE = 512 * 2**20  # never take the last of the available memory: the OS and sshd must live on
PATTERNS = (0x55, 0xAA, 0x00, 0xFF)  # alternating bits, then all-zero and all-one cells


@dataclass
class AgentOptions:
    interval: float = 1.0
    duration: float | None = None  # None: until SIGINT/SIGTERM
    stress_cpu: bool = False
    stress_mem: float = 0.0  # share of total RAM to write and verify, 0 = none


# ---- sampling -----------------------------------------------------------------------------------

EDAC_MC = "/sys/devices/system/edac/mc"
# /proc/interrupts rows whose totals are hardware events a burn-in judges (x86 names them so).
_EVENT_ROWS = {"Machine check exceptions": "mce", "Thermal event interrupts": "thermal"}


def edac_counts(controllers: list[str]) -> dict[str, int] | None:
    """Corrected and uncorrected memory errors summed over EDAC controllers; None without EDAC."""
    if not controllers:
        return None
    total = {"ce": 0, "ue": 0}
    for mc in controllers:
        for kind in ("ce", "ue"):
            try:
                with open(f"{mc}/{kind}_count") as f:
                    total[kind] += int(f.read().strip() or 0)
            except (OSError, ValueError):
                return None  # a counter that cannot be read makes the sum unknown, not smaller
    return total


def hardware_events(text: str) -> dict[str, int]:
    """Machine-check and thermal interrupt totals (all CPUs) from /proc/interrupts text."""
    out: dict[str, int] = {}
    for line in text.splitlines():
        for label, key in _EVENT_ROWS.items():
            if line.rstrip().endswith(label):
                out[key] = sum(int(x) for x in line.split(":", 1)[1].split() if x.isdigit())
    return out


def _events() -> dict[str, int]:
    try:
        with open("/proc/interrupts") as f:
            return hardware_events(f.read())
    except OSError:
        return {}


def _sensors(fn: Callable[[], dict[str, list[Any]]]) -> dict[str, list[dict[str, Any]]]:
    """psutil's temperatures or fans as plain dicts; {} where the platform has none."""
    try:
        found = fn()
    except (AttributeError, OSError, RuntimeError):
        return {}
    return {chip: [{k: v for k, v in e._asdict().items() if v is not None} for e in entries]
            for chip, entries in (found or {}).items()}


def sample(me: psutil.Process, edac_controllers: list[str] | None = None) -> dict[str, Any]:
    """One reading of everything psutil offers, EDAC counts and machine-check/thermal event totals;
    a reading it cannot take is absent, never zero."""
    vm = psutil.virtual_memory()
    out: dict[str, Any] = {
        "type": "sample",
        "t": round(time.time(), 3),
        "cpu_percent": psutil.cpu_percent(percpu=True),  # since the previous call: no blocking here
        "mem": {"total": vm.total, "available": vm.available, "used": vm.used, "percent": vm.percent},
        "temps": _sensors(getattr(psutil, "sensors_temperatures", dict)),
        "fans": _sensors(getattr(psutil, "sensors_fans", dict)),
    }
    try:
        freq = psutil.cpu_freq()
        if freq is not None:
            out["cpu_mhz"] = round(freq.current, 1)
    except (OSError, NotImplementedError, FileNotFoundError):
        pass
    disks = psutil.disk_io_counters(perdisk=True) or {}
    out["disks"] = {n: {"read_bytes": d.read_bytes, "write_bytes": d.write_bytes} for n, d in disks.items()
                    if not n.startswith(("loop", "ram", "zram"))}
    nics = psutil.net_io_counters(pernic=True) or {}
    out["nics"] = {n: {"rx": c.bytes_recv, "tx": c.bytes_sent, "errin": c.errin, "errout": c.errout,
                       "dropin": c.dropin} for n, c in nics.items() if n != "lo"}
    edac = edac_counts(edac_controllers or [])
    if edac is not None:
        out["edac"] = edac
    events = _events()
    if events:
        out["events"] = events
    times = me.cpu_times()
    out["agent_cpu_s"] = round(times.user + times.system, 4)
    return out


# ---- stress workers (child processes) -----------------------------------------------------------


def _burn(deadline: float, stop: EventType) -> None:
    """Keep one core busy until the deadline or the stop event; checks the clock rarely to stay busy."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when stress ends
    x = 1.0
    while not stop.is_set() and time.monotonic() < deadline:
        for _ in range(200_000):
            x = x * 1.000001 + 1e-9
    if x < 0:  # keeps the loop from being optimised into nothing in any interpreter
        print(x)


def memory_target(fraction: float, total: int, available: int) -> int:
    """Bytes to stress: the share of total RAM, capped by what is available minus a reserve, in whole chunks."""
    want = int(max(0.0, min(fraction, 0.98)) * total)
    room = max(0, available - RESERVE)
    return min(want, room) // CHUNK * CHUNK


def verify_chunk(chunk: bytearray | memoryview, expected: bytes) -> list[int]:
    """Offsets (first 16) of the 4 KiB pages of `chunk` that differ from `expected`: a DIMM fault shows here."""
    if chunk == expected:  # the common case: one C-speed compare, no copy
        return []
    bad = []
    for off in range(0, len(chunk), 4096):
        if chunk[off:off + 4096] != expected[off:off + 4096]:
            bad.append(off)
            if len(bad) >= 16:
                break
    return bad


def _memory(nbytes: int, deadline: float, stop: EventType, report: Any) -> None:
    """Write then verify a pattern over `nbytes` in chunks, pass after pass, until the deadline."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    chunks: list[bytearray] = []
    try:
        while len(chunks) * CHUNK < nbytes and not stop.is_set():
            chunks.append(bytearray(CHUNK))  # the kernel backs a page only once it is written
    except MemoryError:
        report.put({"type": "error", "what": "mem", "error": f"could allocate only {len(chunks) * CHUNK} bytes"})
    passes = 0
    while chunks and not stop.is_set() and time.monotonic() < deadline:
        pattern = PATTERNS[passes % len(PATTERNS)]
        expected = bytes([pattern]) * CHUNK
        started = time.monotonic()

        def over() -> bool:  # checked per chunk: a pass over hundreds of GB must not outlive the deadline
            return stop.is_set() or time.monotonic() >= deadline

        for c in chunks:
            if over():
                return
            c[:] = expected
        bad: list[dict[str, Any]] = []
        for i, c in enumerate(chunks):
            if over():
                return
            offsets = verify_chunk(c, expected)
            if offsets:
                bad.append({"chunk": i, "offsets": offsets})
        passes += 1
        report.put({"type": "mem", "pass": passes, "pattern": f"{pattern:#04x}", "bytes": len(chunks) * CHUNK,
                    "seconds": round(time.monotonic() - started, 3), "mismatches": bad})


# ---- the agent loop -----------------------------------------------------------------------------


def _drain(reports: Any, wait: float) -> list[dict[str, Any]]:
    got = []
    while True:
        try:
            got.append(reports.get(timeout=wait) if wait else reports.get_nowait())
        except queue.Empty:
            return got


def _count(rec: dict[str, Any], passes: int, stressed: int, mismatches: int) -> tuple[int, int, int]:
    if rec.get("type") != "mem":
        return passes, stressed, mismatches
    return passes + 1, max(stressed, int(rec["bytes"])), mismatches + len(rec["mismatches"])


def _emit(out: IO[str], record: dict[str, Any]) -> None:
    out.write(json.dumps(record, separators=(",", ":")) + "\n")
    out.flush()


def run_agent(opts: AgentOptions, out: IO[str] = sys.stdout) -> int:
    """Sample (and stress) until the duration ends or SIGINT/SIGTERM; returns 1 if memory mismatched."""
    me = psutil.Process()
    stopping = False

    def on_signal(_sig: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    ctx = mp.get_context("spawn")  # no fork of a process that may hold locks in other threads
    stop = ctx.Event()
    reports = ctx.Queue()
    vm = psutil.virtual_memory()
    start = time.monotonic()
    deadline = start + opts.duration if opts.duration is not None else float("inf")
    child_deadline = deadline if opts.duration is not None else start + 10 * 365 * 86400.0
    workers: list[Any] = []
    mem_bytes = memory_target(opts.stress_mem, vm.total, vm.available) if opts.stress_mem > 0 else 0
    if opts.stress_cpu:
        workers += [ctx.Process(target=_burn, args=(child_deadline, stop), daemon=True)
                    for _ in range(os.cpu_count() or 1)]
    if mem_bytes:
        workers.append(ctx.Process(target=_memory, args=(mem_bytes, child_deadline, stop, reports), daemon=True))
    _emit(out, {"type": "start", "t": round(time.time(), 3), "host": socket.gethostname(), "pid": os.getpid(),
                "cpus": os.cpu_count(), "mem_total": vm.total, "psutil": psutil.__version__,
                "interval": opts.interval, "duration": opts.duration,
                "stress": {"cpu_workers": len(workers) - (1 if mem_bytes else 0), "mem_bytes": mem_bytes,
                           "mem_fraction": opts.stress_mem}})
    if opts.stress_mem > 0 and not mem_bytes:
        _emit(out, {"type": "error", "what": "mem", "error": "not enough available memory to stress"})
    for w in workers:
        w.start()
    controllers = sorted(glob.glob(f"{EDAC_MC}/mc[0-9]*"))  # found once: the hardware does not change
    psutil.cpu_percent(percpu=True)  # primes the per-core counters: the first sample is then meaningful
    cpu0 = sum(me.cpu_times()[:2])
    samples, passes, mismatches, stressed = 0, 0, 0, 0
    try:
        next_at = time.monotonic() + opts.interval
        while not stopping:
            # Wait for the next tick in short slices so a signal or the deadline ends the wait promptly.
            while not stopping and time.monotonic() < min(next_at, deadline):
                time.sleep(min(0.2, max(0.0, min(next_at, deadline) - time.monotonic())))
            for rec in _drain(reports, 0.0):
                passes, stressed, mismatches = _count(rec, passes, stressed, mismatches)
                _emit(out, rec)
            if stopping or time.monotonic() >= deadline:
                break
            _emit(out, sample(me, controllers))
            samples += 1
            next_at += opts.interval
    finally:
        stop.set()
        late: list[dict[str, Any]] = []
        for w in workers:
            # Drain while joining: a child blocks on exit until what it queued is read.
            until = time.monotonic() + 10
            while w.is_alive() and time.monotonic() < until:
                late += _drain(reports, 0.1)
                w.join(timeout=0.1)
            if w.is_alive():
                w.terminate()
        late += _drain(reports, 0.2)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    for rec in late:
        passes, stressed, mismatches = _count(rec, passes, stressed, mismatches)
        _emit(out, rec)
    elapsed = time.monotonic() - start
    own = sum(me.cpu_times()[:2]) - cpu0
    _emit(out, {"type": "end", "t": round(time.time(), 3), "samples": samples, "seconds": round(elapsed, 3),
                "agent_cpu_percent": round(100 * own / elapsed, 3) if elapsed > 0 else None,
                "mem_stress": {"passes": passes, "bytes": stressed, "mismatches": mismatches},
                "interrupted": stopping})
    return 1 if mismatches else 0
