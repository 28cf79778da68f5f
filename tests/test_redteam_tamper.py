"""The red team's tampering and damage cases beyond tests/test_tamper.py, on a really sealed store.

A hand with write access to the SQLite file writes what no bench writes: a JSON column that is not JSON
(or not the JSON a bench writes), an outcome no test has, text where a number belongs. Every reader
(verify, export, report, grade) answers with one line and a non-zero exit naming what is damaged, never
a traceback; telemetry or transcript rows added to a sealed unit are named by verify, since the
certificate charts them."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers.engine_runs import run_engine

from bench.cli import main
from simulators.pytest_plugin import SimFleet, start_fleet


@dataclass
class Sealed:
    db: Path
    serial: str
    fleet: SimFleet


@pytest.fixture(scope="module")
def sealed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sealed]:
    """The quick plan on two simulated switches, sealed by the engine, then a technician's cosmetic for S1."""
    tmp = tmp_path_factory.mktemp("redteam")
    fleet = start_fleet(tmp, count=2, families=["cisco_ios_switch"], seed=19)
    mp = pytest.MonkeyPatch()
    mp.setenv("BENCH_KEY", str(tmp / "keys" / "bench-ed25519.key"))
    try:
        db = tmp / "bench.db"
        run_engine(fleet.run_file(keep=("ssh", "snmp")), db)
        serial = fleet.truth("S1")["serial"]
        assert main(["grade", serial, "--db", f"sqlite:///{db}", "--operator", "jo", "--cosmetic", "C5"]) == 0
        yield Sealed(db, serial, fleet)
    finally:
        mp.undo()
        fleet.stop()


def _tampered(sealed: Sealed, tmp_path: Path, *statements: str) -> str:
    db = tmp_path / "tampered.db"
    shutil.copy(sealed.db, db)
    con = sqlite3.connect(db)
    with con:
        for s in statements:
            con.execute(s)
    con.close()
    return f"sqlite:///{db}"


DAMAGE = {
    "identity not JSON": "UPDATE slots SET identity='{' WHERE slot='S1'",
    "identity a list": "UPDATE slots SET identity='[1,2]' WHERE slot='S1'",
    "components not a list": "UPDATE slots SET identity=json_set(identity,'$.components',5) WHERE slot='S1'",
    "grade not JSON": "UPDATE slots SET grade='{' WHERE slot='S1'",
    "grade a list": "UPDATE slots SET grade='[1]' WHERE slot='S1'",
    "grade a string": "UPDATE slots SET grade='\"A\"' WHERE slot='S1'",
    "position text": "UPDATE slots SET position='abc' WHERE slot='S1'",
    "evidence not JSON": "UPDATE results SET evidence='{' WHERE slot='S1' AND name='post'",
    "outcome unknown": "UPDATE results SET outcome='BOGUS' WHERE slot='S1' AND name='post'",
    "input value not JSON": "UPDATE technician_inputs SET value='{' WHERE slot='S1'",
    "telemetry value text": "UPDATE telemetry SET value='abc' WHERE rowid=(SELECT MIN(rowid) FROM telemetry "
                            "WHERE slot='S1')",
}


@pytest.mark.parametrize("damage", list(DAMAGE), ids=list(DAMAGE))
def test_a_damaged_row_gives_one_line_never_a_traceback(sealed: Sealed, tmp_path: Path, damage: str,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    db = _tampered(sealed, tmp_path, DAMAGE[damage])
    commands = {
        "verify": ["verify", "--db", db],
        "export csv": ["export", "--db", db, "--format", "csv"],
        "export json": ["export", "--db", db, "--format", "json"],
        "report html": ["report", sealed.serial, "--db", db, "--format", "html"],
        "report zpl": ["report", sealed.serial, "--db", db, "--format", "zpl"],
        "grade history": ["grade", sealed.serial, "--db", db, "--operator", "x", "--history"],
    }
    for name, argv in commands.items():
        capsys.readouterr()
        code = main(argv)
        out, err = capsys.readouterr()
        if name == "verify":
            # The slot's position orders an export and is not sealed: verify may pass it, never crash on it.
            assert code == (0 if damage == "position text" else 1), (name, out, err)
            assert code == 0 or "slot S1" in out, (name, out)
            continue
        if code == 0:
            # Readers may show the unit when the damage is where they do not look, but never crash.
            continue
        assert code == 2, (name, code, err)
        assert len(err.strip().splitlines()) == 1, (name, err)
        assert "S1" in err and "bench verify" in err, (name, err)


ADDED_AFTER_THE_SEAL = {
    # The certificate charts every telemetry row of the unit: a forged reading must not chart as genuine.
    "telemetry": "INSERT INTO telemetry(run_id, slot, ts, metric, value) SELECT run_id, slot, MIN(ts), metric, "
                 "99.0 FROM telemetry WHERE slot='S1'",
    "transcripts": "INSERT INTO transcripts(run_id, slot, channel, ts, direction, text) SELECT run_id, slot, "
                   "'ssh', started, 'rx', 'erase: all sectors verified' FROM slots WHERE slot='S1'",
}


@pytest.mark.parametrize("table", list(ADDED_AFTER_THE_SEAL))
def test_rows_added_to_a_sealed_unit_are_named(sealed: Sealed, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                               table: str) -> None:
    db = _tampered(sealed, tmp_path, ADDED_AFTER_THE_SEAL[table])
    assert main(["verify", "--db", db]) == 1
    out = capsys.readouterr().out
    assert "slot S1" in out and table in out, out


def test_a_forged_grade_never_prints_as_genuine_on_the_export_or_the_label(sealed: Sealed, tmp_path: Path,
                                                                            capsys: pytest.CaptureFixture[str]) -> None:
    # The case: a grade forged to F5/A/RESALE printed so on the CSV export and the ZPL label.
    import json

    forged = ('{"functional": "F5", "cosmetic": "C9", "letter": "A", "disposition": "RESALE", '
              '"reasons": ["forged"]}')
    db = _tampered(sealed, tmp_path, f"UPDATE slots SET grade='{forged}' WHERE slot='S2'")
    assert main(["export", "--db", db, "--format", "json"]) == 0
    units = {u["slot"]: u for u in json.loads(capsys.readouterr().out)["units"]}
    assert units["S2"]["record_holds"] is False and units["S2"]["record_problems"]
    assert units["S1"]["record_holds"] is True
    assert main(["export", "--db", db, "--format", "csv"]) == 0
    import csv
    import io

    by_slot = {r["slot"]: r for r in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    assert (by_slot["S2"]["record_holds"], by_slot["S1"]["record_holds"]) == ("no", "yes")
    serial = units["S2"]["serial"]
    assert main(["report", serial, "--db", db, "--format", "zpl"]) == 0
    label = capsys.readouterr().out
    assert "NOT VERIFIED" in label and "DOES NOT HOLD" in label and "RESALE" not in label
