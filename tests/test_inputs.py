"""Technician inputs on a real simulated run: each entry kept with operator and time, a change regrades and
reseals the unit, the record stays verifiable, a scanned label that is not the unit's quarantines it, and
bad input is refused with one line and nothing written."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers.sealed_stores import quick_run_of_catalysts

from bench.cli import main
from bench.reports.export import units
from bench.store import Store


@dataclass
class Graded:
    db: Path
    serials: dict[str, str]


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Graded]:
    tmp = tmp_path_factory.mktemp("inputs")
    with quick_run_of_catalysts(tmp, 2, "S2:fan_failed") as run:
        yield Graded(run.db, {s: run.fleet.truth(s)["serial"] for s in ("S1", "S2")})


@pytest.fixture
def db(graded: Graded, tmp_path: Path) -> str:
    copy = tmp_path / "bench.db"
    shutil.copy(graded.db, copy)
    return f"sqlite:///{copy}"


def _unit(db: str, slot: str) -> dict:
    store = Store(db)
    try:
        return next(u for u in units(store) if u["slot"] == slot)
    finally:
        store.close()


def _records(db: str, slot: str) -> list[dict]:
    con = sqlite3.connect(db.removeprefix("sqlite:///"))
    rows = con.execute("SELECT canonical FROM records WHERE slot=? ORDER BY seq", (slot,)).fetchall()
    con.close()
    return [json.loads(r[0]) for r in rows]


def test_cosmetic_entry_regrades_reseals_and_names_the_operator(graded: Graded, db: str,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    serial = graded.serials["S1"]
    before = _records(db, "S1")
    assert main(["grade", serial, "--db", db, "--operator", "jo", "--cosmetic", "c5", "--notes", "lid scuffed"]) == 0
    out = capsys.readouterr().out
    assert f"{serial} (slot S1" in out and " C5 " in out

    unit = _unit(db, "S1")
    assert unit["grade"]["cosmetic"] == "C5"
    assert any(r.startswith("input cosmetic C5 (entered by jo at ") for r in unit["grade"]["reasons"])
    after = _records(db, "S1")
    assert len(after) == len(before) + 1, "a regrade seals a new record"
    latest = after[-1]
    assert latest["technician"]["cosmetic"] == "C5" and latest["technician"]["notes"] == "lid scuffed"
    assert [(e["field"], e["value"], e["operator"]) for e in latest["technician_history"]] == [
        ("cosmetic", "C5", "jo"), ("notes", "lid scuffed", "jo")]
    assert unit["record_hash"] != before[-1].get("hash")
    assert main(["verify", "--db", db]) == 0


def test_a_change_keeps_history_and_the_latest_value_wins(graded: Graded, db: str,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    serial = graded.serials["S1"]
    assert main(["grade", serial, "--db", db, "--operator", "jo", "--cosmetic", "C6"]) == 0
    assert main(["grade", "S1", "--db", db, "--operator", "ana", "--cosmetic", "C3"]) == 0
    capsys.readouterr()
    assert _unit(db, "S1")["grade"]["cosmetic"] == "C3"
    assert main(["grade", serial, "--db", db, "--operator", "x", "--history"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[1:4] for line in lines] == [["jo", "cosmetic", "C6"], ["ana", "cosmetic", "C3"]]
    assert main(["verify", "--db", db]) == 0


def test_a_scanned_label_that_is_not_the_unit_quarantines_it(graded: Graded, db: str) -> None:
    assert main(["grade", "S1", "--db", db, "--operator", "jo", "--label-serial", "FOC0000SWAP\r"]) == 0
    grade = _unit(db, "S1")["grade"]
    assert grade["disposition"] == "QUARANTINE"
    assert any("FOC0000SWAP" in r and graded.serials["S1"] in r and "jo" in r for r in grade["reasons"])
    # The right label clears it again: the history keeps both scans.
    assert main(["grade", "S1", "--db", db, "--operator", "jo", "--label-serial", graded.serials["S1"]]) == 0
    assert _unit(db, "S1")["grade"]["disposition"] != "QUARANTINE"


def test_a_failed_unit_stays_failed_whatever_its_cosmetics(graded: Graded, db: str) -> None:
    assert main(["grade", "S2", "--db", db, "--operator", "jo", "--cosmetic", "C9"]) == 0
    grade = _unit(db, "S2")["grade"]
    assert grade["disposition"] == "REPAIR" and grade["letter"] == "D"
    assert any(r.startswith("hardware FAIL: ") and "environment: " in r for r in grade["reasons"]), grade


def test_a_technician_sends_a_failed_unit_to_recycling_and_back(graded: Graded, db: str) -> None:
    assert main(["grade", "S2", "--db", db, "--operator", "jo", "--disposition", "recycle"]) == 0
    assert _unit(db, "S2")["grade"]["disposition"] == "RECYCLE"
    assert main(["grade", "S2", "--db", db, "--operator", "ana", "--disposition", "auto"]) == 0
    assert _unit(db, "S2")["grade"]["disposition"] == "REPAIR"
    assert main(["verify", "--db", db]) == 0


@pytest.mark.parametrize("argv, message", [
    (["--cosmetic", "C12"], "cosmetic 'C12' is not an R2v3 cosmetic code"),
    (["--label-serial", "FOC 12;DROP"], "holds characters a serial cannot"),
    ([], "nothing to enter"),
    (["--operator", " "], "an operator id is needed"),
    (["--operator", "j" * 65, "--cosmetic", "C4"], "operator id is 65 characters long"),
])
def test_bad_input_is_one_line_exit_2_and_nothing_written(graded: Graded, db: str, argv: list[str], message: str,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    before = _records(db, "S1")
    args = ["grade", "S1", "--db", db, "--operator", "jo", *argv]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
    assert _records(db, "S1") == before
    con = sqlite3.connect(db.removeprefix("sqlite:///"))
    assert con.execute("SELECT COUNT(*) FROM technician_inputs").fetchone()[0] == 0
    con.close()


def test_unknown_unit_is_bad_input(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["grade", "NOSUCHSERIAL", "--db", db, "--operator", "jo", "--cosmetic", "C4"]) == 2
    assert "NOSUCHSERIAL" in capsys.readouterr().err
