"""Shared fixtures (helpers they use live in tests/helpers): a simulated bench served by the real `bench sim`
command, a real sshd, and a throwaway signing key for every test."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from helpers.real_sshd import real_sshd  # noqa: F401 - the fixture, for every test module
from helpers.sim_bench import SimBench, start_sim, stop_sim


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
