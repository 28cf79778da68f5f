"""Shared fixtures (helpers they use live in tests/helpers): a simulated bench served by the real `bench sim`
command, a real sshd, and a throwaway signing key for every test."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from helpers.loop_thread import loop  # noqa: F401 - one background event loop per module
from helpers.pg_cluster import pg, url  # noqa: F401 - the fleet tests' cluster and database fixtures
from helpers.real_sshd import real_sshd  # noqa: F401 - the fixture, for every test module
from helpers.sim_bench import SimBench, start_sim, stop_sim

# Simulated consoles (in-process fleets and `bench sim` children alike) run at 115200 baud with the boot's
# pauses halved: no test here measures console pacing through a fleet (tests/test_sim_console_boot.py checks
# the real 9600-baud boot on a line of its own). Halved, not less: the BREAK window after power-on stays
# over a second, longer than the bench's BREAK interval. `BENCH_SIM_BAUD=9600 pytest` runs at the real pace.
os.environ.setdefault("BENCH_SIM_BAUD", "115200")
os.environ.setdefault("BENCH_SIM_BOOT_SCALE", "0.5")


@pytest.fixture(scope="module")
def spine_sim(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimBench]:
    tmp = tmp_path_factory.mktemp("spine")
    sim = start_sim(tmp, 6, "S2:fan_failed,S3:psu_failed,S4:overtemp,S5:serial_mismatch,S6:parity_crash")
    yield sim
    stop_sim(sim.proc)


@pytest.fixture(autouse=True, scope="session")
def _bench_key_in_a_temp_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Tests sign records with a throwaway key, never the developer's own ~/.config/bench key."""
    key = tmp_path_factory.mktemp("key") / "bench-ed25519.key"
    old = os.environ.get("BENCH_KEY")
    os.environ["BENCH_KEY"] = str(key)
    yield
    if old is None:
        os.environ.pop("BENCH_KEY", None)
    else:
        os.environ["BENCH_KEY"] = old
