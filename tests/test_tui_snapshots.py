"""Screenshots of the dashboard at a fixed size over a fixed store with a frozen clock (pytest-textual-snapshot).

Refresh after a deliberate change of the look: pytest tests/test_tui_snapshots.py --snapshot-update
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.tui_store import frozen_clock, make_bench

from bench.tui.app import BenchApp

pytest.importorskip("pytest_textual_snapshot")
SIZE = (160, 24)


def app_for(tmp_path: Path) -> BenchApp:
    # A fixed theme: the look must not depend on the machine's terminal settings.
    app = BenchApp(make_bench(tmp_path / "snap.db"), clock=frozen_clock, operator="JD")
    app.theme = "textual-dark"
    return app


def test_main_screen(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_for(tmp_path), terminal_size=SIZE)


def test_failing_filter_sorted_by_severity(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_for(tmp_path), press=["2", "s"], terminal_size=SIZE)


def test_detail_of_a_failed_unit(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_for(tmp_path), press=["down", "enter"], terminal_size=SIZE)


def test_grading_modal(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_for(tmp_path), press=["g", "6", "enter"], terminal_size=SIZE)
