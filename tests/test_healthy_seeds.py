"""Healthy units of every family pass every test, for 20 simulator seeds, on the full plan.

Two engine runs over ten fleets each (one per seed, one unit of every family each): a FAIL or ERROR on a
healthy unit is a defect in the simulator or in the judgement, never the unit. What "pass" means:
- PASS, or one of the NOT_RUNs below that a healthy unit has by nature (no blocked-serial list on the
  bench, a model without PoE, no optic in its cages, a router that keeps no POST results);
- the one explained WARN: `sanitization` found a previous owner's data, cleared it and verified the
  wipe (the erasure record, not a finding: docs/grading.md);
- after the technician's inputs (cosmetic C5, licence attested) every unit is RESALE at F5, letter A
  (a linux_server too: the erasure test erases and verifies its disks).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers.engine_runs import run_engine

from bench import grading
from bench.model import Disposition, Outcome, TechnicianInputs, TestResult
from bench.profiles import Catalog
from bench.tests_hw.registry import known_tests

NETWORK = ["cisco_ios_switch", "cisco_iosxe_switch", "cisco_ios_router", "arista_eos", "juniper_junos",
           "hp_procurve"]
FAMILIES = [*NETWORK, "linux_server"]
# The family packs: one unit of each of the eleven per fleet, for fewer seeds (their models vary less).
PACKS = ["cisco_nxos", "cisco_iosxr", "cisco_asa", "aruba_aoscx", "hp_comware", "dell_os10", "fortinet_fortios",
         "paloalto_panos", "ruckus_icx", "mikrotik_routeros", "huawei_vrp"]
PACK_SEEDS = [1, 2, 3, 4]
SEEDS = range(1, 21)
# Two engine runs of ten seeds: 140 simulated units and their bench sessions in one process would come
# near 1024 file descriptors, past which pyserial's socket:// console cannot select(). Two tests, not one
# loop, so that pytest-xdist runs the halves side by side.
BATCHES = [list(SEEDS)[:10], list(SEEDS)[10:]]

# test -> why a healthy unit may not run it (summary patterns)
NOT_RUN_BY_NATURE = {
    "stolen": r"^no blocked-serial list configured$",
    "poe": r"^model has no PoE$",
    "optics": r"^no optics inserted$",
    "post": r"^'show post' not supported",  # IOS-XE routers keep no POST results to read
}


def _one_bench_file(seeds: list[int], fleets: list[Any], out: Path) -> Path:
    """The fleets' bench files as one: slot ids prefixed with the seed, every profile found by probing."""
    doc: dict[str, Any] = {}
    slots, creds = [], {}
    for seed, fleet in zip(seeds, fleets, strict=True):
        doc = yaml.safe_load(fleet.run_file(name=f"run-{seed}.yaml").read_text())
        for s in doc["slots"]:
            slots.append(s | {"id": f"seed{seed}-{s['id']}", "profile": "auto"})
        creds.update(doc.get("credentials") or {})
    out.write_text(yaml.safe_dump(doc | {"slots": slots, "credentials": creds}))
    return out


def _unexplained(name: str, r: TestResult) -> str | None:
    if r.outcome is Outcome.PASS:
        return None
    if r.outcome is Outcome.NOT_RUN and name in NOT_RUN_BY_NATURE and re.search(NOT_RUN_BY_NATURE[name], r.summary):
        return None
    if r.outcome is Outcome.WARN and name == "sanitization" and r.evidence.get("verified") is True:
        return None
    return f"{name} {r.outcome}: {r.summary[:200]}"


def test_the_batches_cover_the_20_seeds_once() -> None:
    assert sorted(seed for batch in BATCHES for seed in batch) == list(SEEDS)


@pytest.mark.parametrize("batch", BATCHES, ids=lambda b: f"seeds{b[0]}-{b[-1]}")
def test_healthy_units_of_every_family_pass_for_20_seeds(batch: list[int], bench_sim: Any, tmp_path: Path) -> None:
    _healthy_fleets_pass(FAMILIES, batch, bench_sim, tmp_path)


def test_healthy_units_of_the_family_packs_pass(bench_sim: Any, tmp_path: Path) -> None:
    _healthy_fleets_pass(PACKS, PACK_SEEDS, bench_sim, tmp_path)


def _healthy_fleets_pass(families: list[str], batch: list[int], bench_sim: Any, tmp_path: Path) -> None:
    catalog = Catalog.load(known_tests())
    fleets = [bench_sim(count=len(families), families=families, seed=seed) for seed in batch]
    bench_file = _one_bench_file(batch, fleets, tmp_path / f"seeds-{batch[0]}.yaml")
    outcomes = run_engine(bench_file, tmp_path / "store.db", "full", catalog, burnin=5.0)[1]
    for fleet in fleets:
        fleet.stop()
    assert len(outcomes) == len(batch) * len(families)
    inputs = TechnicianInputs(cosmetic="C5", licence_attested=True)
    problems: list[str] = []
    families_seen = set()
    for o in outcomes:
        families_seen.add(o.profile)
        where = f"{o.slot} {o.profile} {o.model}"
        problems += [f"{where}: {why}" for n, r in o.results.items() if (why := _unexplained(n, r))]
        g = grading.grade(o.results, inputs, catalog.get(o.profile).grading if o.profile else {})
        want = ("F5", "A", Disposition.RESALE)  # servers too: their disks erased and verified (the erasure test)
        if (g.functional, g.letter, g.disposition) != want:
            problems.append(f"{where}: {g.functional} {g.letter} {g.disposition} (want {want}): "
                            + "; ".join(g.reasons)[:300])
    assert families_seen == set(families)
    assert not problems, "\n".join(problems)
