"""Stacks (issue 17): the simulator's `stack` trait gives one unit of three chassis; the bench reads each member."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from helpers.engine_runs import run_engine

from bench.cli import main
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


def test_each_member_of_a_stack_is_a_unit_graded_labelled_and_certified(tmp_path: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    fleet = start_fleet(tmp_path, count=1, families=["cisco_ios_switch"], faults="S1:stack")
    try:
        truth = fleet.truth("S1")
        path = fleet.run_file(keep=("ssh", "snmp"))
        doc = yaml.safe_load(path.read_text())
        doc["lot"] = "PO-9"
        path.write_text(yaml.safe_dump(doc))
        run_engine(path, tmp_path / "bench.db")
    finally:
        fleet.stop()
    db = f"sqlite:///{tmp_path / 'bench.db'}"
    assert main(["export", "--db", db]) == 0
    units = {u["slot"]: u for u in json.loads(capsys.readouterr().out)["units"]}
    assert sorted(units) == ["S1", "S1/2", "S1/3"]
    assert [units[s]["serial"] for s in ("S1", "S1/2", "S1/3")] == truth["members"]
    stack, second = units["S1"], units["S1/2"]
    assert second["member_of"] == "S1" and stack["member_of"] is None and second["model"] == truth["model"]
    assert second["tests"] == stack["tests"] and second["record_hash"] and second["record_hash"] != stack["record_hash"]
    assert second["grade"]["disposition"] == stack["grade"]["disposition"] and second["lot"] == "PO-9"

    # Each member is graded on its own: a cosmetic code for member 2 leaves member 3 and the stack alone.
    assert main(["grade", truth["members"][1], "--db", db, "--operator", "jo", "--cosmetic", "C3"]) == 0
    out = capsys.readouterr().out
    assert "(slot S1/2, run 1)" in out
    assert main(["export", "--db", db]) == 0
    units = {u["slot"]: u for u in json.loads(capsys.readouterr().out)["units"]}
    assert units["S1/2"]["grade"]["cosmetic"] == "C3"
    assert units["S1/3"]["grade"]["cosmetic"] == units["S1"]["grade"]["cosmetic"] == "C0"

    # Its own label and certificate, found by its serial; the records of the whole store still verify.
    assert main(["report", truth["members"][2], "--db", db, "--format", "zpl"]) == 0
    assert f"^FDS/N {truth['members'][2]}^FS" in capsys.readouterr().out
    assert main(["report", truth["members"][1], "--db", db, "--format", "html"]) == 0
    assert truth["members"][1] in capsys.readouterr().out
    assert main(["verify", "--db", db]) == 0


def test_a_cli_and_an_snmp_chassis_that_disagree_are_one_unit_not_a_stack() -> None:
    # serial_mismatch: the CLI names one serial, ENTITY-MIB another. That is authenticity's evidence; before,
    # the SNMP chassis became a phantom member S1/1 with its own grade, label and certificate.
    from bench.model import Component, ComponentKind, Identity
    from bench.stack import members

    def chassis(name: str, serial: str, source: str) -> Component:
        return Component(kind=ComponentKind.CHASSIS, name=name, pid="JL675A", serial=serial, source=source)

    one_box = Identity(model="JL675A", serial="SG9ZK1234A",
                       components=[chassis("Chassis", "SG9ZK1234A", "cli"), chassis("1", "CN0AB5678Z", "snmp")])
    assert members(one_box) == []
    stack = Identity(model="JL675A", serial="SG9ZK1234A",
                     components=[chassis("Member 1", "SG9ZK1234A", "cli"), chassis("Member 2", "SG9ZK9999B", "cli"),
                                 chassis("1", "SG9ZK1234A", "snmp")])
    assert [(m.number, m.chassis.serial) for m in members(stack)] == [(2, "SG9ZK9999B")]
    snmp_only = Identity(model="JL675A", serial="SG9ZK1234A",
                         components=[chassis("1", "SG9ZK1234A", "snmp"), chassis("2", "SG9ZK9999B", "snmp")])
    assert [m.chassis.serial for m in members(snmp_only)] == ["SG9ZK9999B"]
