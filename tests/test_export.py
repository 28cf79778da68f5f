"""`bench export` over a real store: every run, the latest record of each unit, the technician's inputs with who
and when, the deciding reason, and the selections --bench, --since and --lot (issue 17)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from helpers.tui_store import finish, identify, passing

from bench.cli import main
from bench.model import Outcome, TestResult
from bench.store import Store


def _failing_psu() -> list[TestResult]:
    bad = passing(0)
    bad[4] = TestResult("environment", Outcome.FAIL, "PSU 2 failed", {}, bad[4].started, bad[4].finished)
    return bad


@pytest.fixture
def db(tmp_path: Path) -> str:
    """Run 1 on bench-1: AAA fails a PSU, BBB passes. Run 2 on bench-2 (a day later): AAA again, now passing."""
    store = Store(str(tmp_path / "bench.db"))
    first, _ = store.open_run("k1", "bench-1", "quick", "one.yaml", ["S1", "S2"])
    identify(store, first, "S1", "WS-C2960X-48TS-L", "AAA")
    finish(store, first, "S1", _failing_psu(), 0, 40)
    identify(store, first, "S2", "WS-C2960X-24TS-L", "BBB")
    finish(store, first, "S2", passing(0), 0, 40)
    second, _ = store.open_run("k2", "bench-2", "quick", "two.yaml", ["A01"])
    identify(store, second, "A01", "WS-C2960X-48TS-L", "AAA")
    finish(store, second, "A01", passing(0), 0, 40)
    store.db.execute("UPDATE slots SET finished='2026-11-24T09:00:00.000Z' WHERE run_id=?", (second,))
    store.close()
    return f"sqlite:///{tmp_path / 'bench.db'}"


def _export(capsys: pytest.CaptureFixture[str], db: str, *extra: str) -> dict[str, dict]:
    assert main(["export", "--db", db, *extra]) == 0
    return {u["serial"]: u for u in json.loads(capsys.readouterr().out)["units"]}


def test_every_run_is_exported_with_each_units_latest_record(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    units = _export(capsys, db)
    assert sorted(units) == ["AAA", "BBB"]
    assert (units["AAA"]["run_id"], units["AAA"]["slot"], units["AAA"]["bench"]) == (2, "A01", "bench-2")
    assert units["AAA"]["grade"]["disposition"] == "HOLD"  # quick plan: not sanitized
    assert units["BBB"]["run_id"] == 1 and units["BBB"]["bench"] == "bench-1"
    # The stable shape: the documented keys are all still there.
    assert {"slot", "serial", "model", "profile", "components", "tests", "grade", "record_hash"} <= set(units["AAA"])


def test_selections_by_bench_since_and_lot(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    only_one = _export(capsys, db, "--bench", "bench-1")
    assert sorted(only_one) == ["AAA", "BBB"] and only_one["AAA"]["run_id"] == 1
    assert only_one["AAA"]["grade"]["disposition"] == "REPAIR" and only_one["AAA"]["why"] == "environment: PSU 2 failed"
    assert sorted(_export(capsys, db, "--since", "2026-11-24")) == ["AAA"]
    assert main(["grade", "BBB", "--db", db, "--operator", "jo", "--lot", "PO-4711"]) == 0
    capsys.readouterr()
    lot = _export(capsys, db, "--lot", "PO-4711")
    assert sorted(lot) == ["BBB"] and lot["BBB"]["lot"] == "PO-4711"
    assert _export(capsys, db, "--lot", "PO-0000") == {}


def test_bad_since_is_one_line_and_exit_2(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--db", db, "--since", "yesterday"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--since 'yesterday'" in err[0]


def test_inputs_and_reasons_in_json_and_csv(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["grade", "AAA", "--db", db, "--operator", "jo", "--cosmetic", "C5", "--asset-tag", "AT-7",
                 "--notes", "shelf 3", "--licence-attested", "yes"]) == 0
    assert main(["grade", "AAA", "--db", db, "--operator", "kim", "--notes", "shelf 4"]) == 0
    capsys.readouterr()
    unit = _export(capsys, db)["AAA"]
    assert unit["operator"] == "kim"
    inputs = unit["inputs"]
    assert inputs["asset_tag"]["value"] == "AT-7" and inputs["asset_tag"]["operator"] == "jo"
    assert inputs["notes"]["value"] == "shelf 4" and inputs["notes"]["operator"] == "kim" and inputs["notes"]["ts"]
    assert inputs["cosmetic"]["value"] == "C5" and inputs["licence_attested"]["value"] is True
    assert unit["grade"]["reasons"] and unit["why"].startswith("not sanitized")

    assert main(["export", "--db", db, "--format", "csv"]) == 0
    rows = {r["serial"]: r for r in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    row = rows["AAA"]
    assert (row["operator"], row["asset_tag"], row["notes"], row["licence_attested"]) == ("kim", "AT-7", "shelf 4",
                                                                                          "yes")
    assert row["why"].startswith("not sanitized") and "input cosmetic C5 (entered by jo" in row["reasons"]
    assert "asset_tag jo 20" in row["inputs_entered"] and "notes kim 20" in row["inputs_entered"]
    assert rows["BBB"]["operator"] == "" and rows["BBB"]["notes"] == ""
