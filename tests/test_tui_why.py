"""Why a unit is held or failed, on its dashboard row without pressing Enter (issue 17)."""

from __future__ import annotations

from pathlib import Path

from helpers.tui_pilot import grid_lines
from helpers.tui_store import frozen_clock, make_bench, run_async

from bench.reports.why import telling_reason
from bench.tui.app import BenchApp
from bench.tui.grid import fit_columns


async def rows_at(width: int, tmp_path: Path) -> dict[str, str]:
    """The dashboard's rows by slot, over the standard bench, in a terminal `width` columns wide."""
    store = make_bench(tmp_path / "bench.db")
    try:
        app = BenchApp(store, clock=frozen_clock)
        async with app.run_test(size=(width, 20)) as pilot:
            await pilot.pause()
            return grid_lines(app)
    finally:
        store.close()


@run_async
async def test_the_row_says_why_for_repair_quarantine_and_hold(tmp_path: Path) -> None:
    lines = await rows_at(200, tmp_path)
    assert "environment: PSU 2 failed" in lines["S2"]  # REPAIR
    assert "authenticity: serials disagree: CLI FOC1931X0AB" in lines["S5"]  # QUARANTINE
    assert "not sanitized" in lines["S6"]  # HOLD on the quick plan
    assert "\x1b" not in lines["S3"] and "logs PASS" not in lines["S3"]  # running: no reason yet


@run_async
async def test_a_narrow_row_keeps_a_shortened_reason(tmp_path: Path) -> None:
    line = (await rows_at(106, tmp_path))["S2"]
    assert "REPAIR" in line and "environment: PSU" in line and line.endswith("…")


def test_the_reason_column_takes_the_spare_width() -> None:
    assert fit_columns(220)[-1].width > fit_columns(160)[-1].width == 22


def test_the_telling_reason_is_the_deciding_one_and_safe() -> None:
    hold = {"disposition": "HOLD", "reasons": ["WARN: logs: 1 parity error", "HOLD: bench could not complete "
                                               "ports: \x1b[2Jtimeout; retest", "input cosmetic C0"]}
    assert telling_reason(hold) == "bench could not complete ports: timeout; retest"
    parts = {"disposition": "PARTS", "reasons": ["hardware FAIL: post: POST failed", "PARTS: post failed (the "
                                                 "profile's parts_tests)"]}
    assert telling_reason(parts) == "post: POST failed"
    called = {"disposition": "PARTS", "reasons": ["hardware FAIL: fan", "PARTS: the technician's call overrides "
                                                  "REPAIR"]}
    assert telling_reason(called) == "the technician's call overrides REPAIR"
    assert telling_reason({"disposition": "RESALE", "reasons": ["letter A"]}) == ""
    assert telling_reason(None) == ""
