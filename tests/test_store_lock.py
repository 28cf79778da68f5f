"""One writer per store: a second `bench run` on a store in use is refused at once, naming who holds it;
readers still work; a holder killed with SIGKILL leaves no stale lock."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers.processes import read_lines_until
from helpers.sim_bench import start_sim, stop_sim

from bench import store_lock
from bench.errors import StoreInUse
from bench.store_lock import StoreLock


def bench(*args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bench.cli", *args], capture_output=True, text=True,
                          timeout=timeout)


def test_a_second_run_on_a_store_in_use_is_refused_and_a_killed_holder_leaves_no_lock(tmp_path: Path) -> None:
    sim = start_sim(tmp_path, 1, seed=3)
    run_file, db = sim.run_file(tmp_path), tmp_path / "busy.db"
    first = subprocess.Popen([sys.executable, "-m", "bench.cli", "run", str(run_file), "--headless", "--db",
                              f"sqlite:///{db}", "--plan", "burnin", "--burnin", "60s"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        read_lines_until(first, " identity ", 1)  # the run is under way
        t0 = time.monotonic()
        second = bench("run", str(run_file), "--headless", "--db", f"sqlite:///{db}", "--plan", "burnin",
                       "--burnin", "60s")
        assert time.monotonic() - t0 < 10
        assert second.returncode == 2
        lines = second.stderr.strip().splitlines()
        assert len(lines) == 1 and "in use" in lines[0] and f"pid {first.pid}" in lines[0], second.stderr
        assert str(run_file) in lines[0] and "Traceback" not in second.stderr
        # the second run wrote nothing: still one run in the store
        assert '"units"' in bench("export", "--db", f"sqlite:///{db}").stdout  # readers are not locked out
        verify = bench("verify", "--db", f"sqlite:///{db}")
        assert "in use" not in verify.stderr
        demo = bench("demo", "--headless", "--count", "1", "--plan", "quick", "--db", f"sqlite:///{db}")
        assert demo.returncode == 2 and "in use" in demo.stderr

        os.kill(first.pid, signal.SIGKILL)
        first.wait(10)
        assert store_lock.holder(str(db)) is None  # the kernel dropped it with the process
        with StoreLock(str(db), "again"):
            assert store_lock.holder(str(db)) is not None
            with pytest.raises(StoreInUse, match="in use .* pid"):
                StoreLock(str(db)).acquire()
    finally:
        if first.poll() is None:
            first.kill()
            first.wait(10)
        stop_sim(sim.proc)
