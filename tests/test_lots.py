"""Lots (issue 17): `lot:` in the bench file (bench-wide, a slot's own overriding it) reaches the store as the unit's
lot entry when a real run records the unit, sealed with its inputs; `bench grade --lot` corrects it; `bench export
--lot` selects by it; a malformed lot stops the bench file before anything connects."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
import yaml
from helpers.engine_runs import run_engine

from bench.cli import main
from bench.config import parse_bench
from bench.errors import BenchFileError
from simulators.pytest_plugin import start_fleet


def test_a_real_run_records_the_bench_files_lot(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fleet = start_fleet(tmp_path, count=2, families=["cisco_ios_switch"])
    try:
        path = fleet.run_file(keep=("ssh", "snmp"))
        doc = yaml.safe_load(path.read_text())
        doc["lot"] = "PO-4711"
        doc["slots"][1]["lot"] = "PO-4712"
        path.write_text(yaml.safe_dump(doc))
        db = tmp_path / "bench.db"
        run_engine(path, db)
        serials = {s: fleet.truth(s)["serial"] for s in ("S1", "S2")}
    finally:
        fleet.stop()
    url = f"sqlite:///{db}"
    assert main(["export", "--db", url, "--lot", "PO-4711"]) == 0
    units = json.loads(capsys.readouterr().out)["units"]
    assert [u["serial"] for u in units] == [serials["S1"]]
    assert units[0]["inputs"]["lot"]["operator"] == "bench file"
    # Sealed: the unit's record carries the lot entry among its inputs.
    con = sqlite3.connect(db)
    canonical = con.execute("SELECT canonical FROM records WHERE slot='S2' ORDER BY seq DESC LIMIT 1").fetchone()[0]
    con.close()
    history = json.loads(canonical)["technician_history"]
    assert [(e["field"], e["value"], e["operator"]) for e in history] == [("lot", "PO-4712", "bench file")]

    # A technician moves S2's unit to another lot: the latest entry is its lot, and it is sealed again.
    assert main(["grade", serials["S2"], "--db", url, "--operator", "jo", "--lot", "PO-4711"]) == 0
    capsys.readouterr()
    assert main(["export", "--db", url, "--lot", "PO-4711", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3 and all(",PO-4711," in line for line in lines[1:])
    assert main(["verify", "--db", url]) == 0


@pytest.mark.parametrize("lot", [["a"], {"a": 1}, "x" * 65, "two\nlines", "", True])
def test_a_malformed_lot_is_refused_with_its_place(lot: object) -> None:
    doc = {"bench": "b", "lot": lot, "slots": [{"id": "S1", "ssh": "127.0.0.1:22"}]}
    with pytest.raises(BenchFileError, match=r"lot"):
        parse_bench(doc, "bench.yaml")
    doc = {"bench": "b", "slots": [{"id": "S1", "ssh": "127.0.0.1:22", "lot": lot}]}
    with pytest.raises(BenchFileError, match=r"slots\[0\] \(S1\)\.lot"):
        parse_bench(doc, "bench.yaml")


def test_a_slots_lot_overrides_the_benchs() -> None:
    doc = {"bench": "b", "lot": 4711, "slots": [{"id": "S1", "ssh": "h:22"}, {"id": "S2", "ssh": "h:23", "lot": "B"}]}
    assert [s.lot for s in parse_bench(doc, "bench.yaml").slots] == ["4711", "B"]


def test_bench_grade_refuses_a_lot_too_long(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from helpers.tui_store import make_bench

    make_bench(tmp_path / "b.db").close()
    assert main(["grade", "S1", "--db", f"sqlite:///{tmp_path / 'b.db'}", "--operator", "jo", "--lot", "L" * 65]) == 2
    assert "lot is 65 characters long" in capsys.readouterr().err
