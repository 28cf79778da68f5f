"""Stacks (issue 17): the simulator's `stack` trait gives one unit of three chassis; the bench reads each member."""

from __future__ import annotations

import json
from pathlib import Path

from engine_runs import run_engine

from bench.store import Store
from simulators.faults import fault_table
from simulators.pytest_plugin import start_fleet


def test_the_stack_trait_is_listed_and_the_bench_reads_three_member_serials(tmp_path: Path) -> None:
    assert any(name == "stack" and "cisco_ios_switch" in where for name, where, _ in fault_table())
    fleet = start_fleet(tmp_path, count=1, families=["cisco_ios_switch"], faults="S1:stack")
    try:
        truth = fleet.truth("S1")
        run_engine(fleet.run_file(keep=("ssh", "snmp")), tmp_path / "bench.db")
    finally:
        fleet.stop()
    members = truth["members"]
    assert len(members) == 3 == len(set(members)) and members[0] == truth["serial"]
    store = Store(f"sqlite:///{tmp_path / 'bench.db'}")
    try:
        identity = json.loads(store.slots(1)[0]["identity"])
    finally:
        store.close()
    chassis = [c["serial"] for c in identity["components"] if c["kind"] == "chassis"]
    assert chassis == members and identity["serial"] == truth["serial"]
