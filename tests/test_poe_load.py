"""PoE under load: a load tester in the harness (per port, the class it draws) powers each port at its class, the
unit's budget is checked against its own figure; without one the check says what it could not check."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from helpers.engine_runs import run_engine

from bench.config import load_bench
from bench.errors import BenchFileError
from bench.model import Outcome
from bench.profiles import Catalog
from bench.tests_hw.poe import class_limit
from bench.tests_hw.registry import known_tests


def _poe_run(fleet, tmp_path: Path, edit=None) -> dict[str, object]:
    catalog = Catalog.load(known_tests())
    catalog.get("cisco_ios_switch").plans["p"] = ["identity", "poe"]
    path = fleet.run_file()
    if edit is not None:
        doc = yaml.safe_load(path.read_text())
        for s in doc["slots"]:
            edit(s)
        path.write_text(yaml.safe_dump(doc))
    _, slots = run_engine(path, tmp_path / "r.db", plan="p", catalog=catalog)
    return {s.slot: s.results["poe"] for s in slots}


def test_bench_sim_states_its_poe_load_tester_per_port(bench_sim) -> None:
    fleet = bench_sim(count=1, families=["cisco_ios_switch"], faults="S1:poe_fault", baud=115200, time_scale=0.1)
    loads = fleet.slot("S1")["harness"]["poe_load"]
    assert sorted(loads.values()) == [3, 4]


def test_each_loaded_port_is_powered_at_its_class_within_the_units_budget(bench_sim, tmp_path: Path) -> None:
    fleet = bench_sim(count=2, families=["cisco_ios_switch"], faults="S1:poe_fault,S2:stack", baud=115200,
                      time_scale=0.1)
    got = _poe_run(fleet, tmp_path)
    faulty = got["S1"]
    assert faulty.outcome is Outcome.FAIL, faulty.summary
    loaded = faulty.evidence["under_load"]
    assert {p["class"] for p in loaded["ports"].values()} == {3, 4}
    assert any(not p["ok"] for p in loaded["ports"].values())
    healthy = got["S2"]
    assert healthy.outcome is Outcome.PASS, healthy.summary
    under = healthy.evidence["under_load"]
    assert all(p["ok"] for p in under["ports"].values())
    assert under["budget"]["available_w"] >= under["budget"]["used_w"] > 0
    assert under["budget"]["model_w"] == 390  # the catalog's figure for the WS-C3750X-48P-S
    assert "class 4" in healthy.summary and "budget" in healthy.summary


def test_without_a_load_tester_it_says_what_it_could_not_check(bench_sim, tmp_path: Path) -> None:
    fleet = bench_sim(count=1, families=["cisco_ios_switch"], faults="S1:stack", baud=115200, time_scale=0.1)
    got = _poe_run(fleet, tmp_path, edit=lambda s: s["harness"].pop("poe_load", None))
    r = got["S1"]
    assert r.outcome is Outcome.PASS, r.summary
    assert "no PoE load tester" in r.summary and "under_load" not in r.evidence


def test_class_limits_follow_the_standard() -> None:
    assert [class_limit(c) for c in (0, 1, 2, 3, 4, 8)] == [15.4, 4.0, 7.0, 15.4, 30.0, 90.0]


@pytest.mark.parametrize("load, said", [
    ({"Gi1/0/1": 9}, "a class from 0 to 8"),
    (["Gi1/0/1"], "harness.poe_load"),
])
def test_a_bad_load_map_is_one_line(tmp_path: Path, load: object, said: str) -> None:
    path = tmp_path / "b.yaml"
    path.write_text(yaml.safe_dump({"bench": "b", "slots": [
        {"id": "A1", "ssh": "127.0.0.1:22", "harness": {"loopback": ["Gi1/0/1"], "poe_load": load}}]}))
    with pytest.raises(BenchFileError) as e:
        load_bench(path)
    assert said in str(e.value) and "\n" not in str(e.value)
