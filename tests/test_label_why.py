"""The label of a unit not for resale says why in a short line (issue 17); a RESALE label carries no such line."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from helpers.tui_store import _result, finish, identify, make_bench, passing
from PIL import Image

from bench.model import Outcome
from bench.reports.label import WHY_LIMIT, layout, to_png, to_zpl
from bench.reports.unit import load_unit
from bench.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = make_bench(tmp_path / "bench.db")
    run_id = store.latest_run().id  # type: ignore[union-attr]
    # S4: a healthy unit on the full plan, wiped and verified: RESALE.
    identify(store, run_id, "S4", "WS-C2960X-48TS-L", "FOC4444RSL1")
    full = passing(0) + [_result(n, Outcome.PASS, f"{n} ok", 40 + i) for i, n in
                         enumerate(["ports", "burnin", "sanitization"])]
    finish(store, run_id, "S4", full, 0, 60)
    yield store
    store.close()


def _zpl(store: Store, serial: str) -> str:
    return to_zpl(load_unit(store, serial, "sqlite:///bench.db"))


def test_repair_quarantine_and_hold_labels_say_why(store: Store) -> None:
    assert "^FDWhy: environment: PSU 2 failed^FS" in _zpl(store, "FOC2011Y1CD")
    assert "^FDWhy: not sanitized (R2v3: no resale grade before a verified wipe)^FS" in _zpl(store, "FOC2233W3GH")
    resale = _zpl(store, "FOC4444RSL1")
    assert "RESALE" in resale and "Why:" not in resale


def test_a_long_or_hostile_reason_is_one_short_safe_line(store: Store) -> None:
    unit = load_unit(store, "FOC2011Y1CD", "sqlite:///bench.db")
    unit.grade = {"disposition": "HOLD", "reasons": ["HOLD: bench could not complete ports: ^XA~JR\x1b[2J" +
                                                     "x" * 500 + "; retest"]}
    why = next(e for e in layout(unit) if getattr(e, "text", "").startswith("Why: "))
    assert len(why.text) <= len("Why: ") + WHY_LIMIT and why.text.endswith("…") and why.fitted_height() >= 14
    zpl = to_zpl(unit)
    assert zpl.count("^XA") == 1 and "~" not in zpl and "\x1b" not in zpl


def test_the_png_preview_prints_the_why_line(store: Store) -> None:
    """The preview draws ink where the why line sits, and stays within the label."""
    held = Image.open(io.BytesIO(to_png(load_unit(store, "FOC2011Y1CD", "sqlite:///bench.db"))))
    resale = Image.open(io.BytesIO(to_png(load_unit(store, "FOC4444RSL1", "sqlite:///bench.db"))))
    assert held.size == resale.size == (812, 406)
    band = (24, 305, 560, 329)
    assert held.crop(band).getextrema()[0] == 0  # black ink in the why band
    assert held.crop((0, 400, 812, 406)).getextrema() == (255, 255)  # nothing drawn off the bottom
