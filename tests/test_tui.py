"""The dashboard driven with Pilot over a real store: grid = export, keyboard grading, filters, detail, follow."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.tui_pilot import SIZE, grid_lines, settle
from helpers.tui_store import FROZEN_NOW, export_units, frozen_clock, make_bench, run_async, ts
from textual import events
from textual.widgets import DataTable, Log, Sparkline

from bench import events as ev
from bench.inputs import current_inputs
from bench.model import Outcome, TestResult
from bench.store import Store
from bench.tui.app import BenchApp
from bench.tui.detail import SlotDetail
from bench.tui.follow import StoreFollower
from bench.tui.grading import GradeModal
from bench.tui.grid import SlotGrid


@pytest.fixture
def bench_store(tmp_path: Path) -> Store:
    store = make_bench(tmp_path / "bench.db")
    yield store
    store.close()


@run_async
async def test_grid_shows_what_export_shows(bench_store: Store) -> None:
    app = BenchApp(bench_store, clock=frozen_clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        lines = grid_lines(app)
        units = export_units(bench_store)
        assert set(lines) == {u["slot"] for u in units}
        for u in units:
            line = lines[u["slot"]]
            if u["serial"]:
                assert u["serial"] in line
            if u["grade"]:
                assert u["grade"]["disposition"] in line
                fails = sum(t["outcome"] == "FAIL" for t in u["tests"])
                assert f" {fails} " in line
        assert "QUARANTINE" in lines["S5"] and "REPAIR" in lines["S2"]
        assert "post" in lines["S3"] and "4/6" in lines["S3"]  # the running slot's current step
        header = str(app.header_text())
        assert "FAIL 2" in header and "1 running" in header and "4 done" in header


@run_async
async def test_grade_cosmetics_and_scan_a_label_with_the_keyboard_alone(bench_store: Store) -> None:
    app = BenchApp(bench_store, clock=frozen_clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("g")  # S1, under the cursor
        await settle(pilot, lambda: isinstance(app.screen, GradeModal))
        await pilot.press(*"JD", "enter", "5", "enter")
        # The scanner: the whole serial, Enter and the next field's text arrive in one burst.
        for ch in "FOC1931X0AB":
            app.post_message(events.Key(ch, ch))
        app.post_message(events.Key("enter", None))
        for ch in "AT-77":
            app.post_message(events.Key("minus" if ch == "-" else ch, ch))
        await pilot.pause()
        await pilot.press("enter", *"scuffed lid", "ctrl+s")
        await settle(pilot, lambda: not isinstance(app.screen, GradeModal))
        run = bench_store.latest_run()
        assert run is not None
        inputs = current_inputs(bench_store, run.id, "S1")
        assert (inputs.cosmetic, inputs.label_serial, inputs.asset_tag, inputs.notes) == (
            "C5", "FOC1931X0AB", "AT-77", "scuffed lid")
        assert inputs.provenance["cosmetic"].startswith("JD ")
        await settle(pilot, lambda: " C5 " in grid_lines(app)["S1"])
        assert app.operator == "JD"  # remembered for the next unit


@run_async
async def test_grade_refuses_a_bad_cosmetic_code_and_stays_open(bench_store: Store) -> None:
    app = BenchApp(bench_store, clock=frozen_clock, operator="JD")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("g")
        await settle(pilot, lambda: isinstance(app.screen, GradeModal))
        await pilot.press("x", "ctrl+s")
        await settle(pilot, lambda: "cosmetic" in str(app.screen.query_one("#grade-error").render()))
        assert isinstance(app.screen, GradeModal)
        await pilot.press("escape")
        await settle(pilot, lambda: not isinstance(app.screen, GradeModal))
        run = bench_store.latest_run()
        assert run is not None and current_inputs(bench_store, run.id, "S1").cosmetic == "C0"


@run_async
async def test_filters_and_sort(bench_store: Store) -> None:
    app = BenchApp(bench_store, clock=frozen_clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        grid = app.query_one(SlotGrid)
        await pilot.press("2")
        assert grid.order == ["S2", "S5"]
        await pilot.press("3")
        assert grid.order == ["S3"]
        await pilot.press("4")
        assert grid.order == ["S1", "S2", "S5", "S6"]
        await pilot.press("5")
        assert grid.order == ["S5"]
        await pilot.press("1", "s")  # all, sorted by severity: quarantine, fail, warn/hold ...
        assert app.sort == "severity"
        assert grid.order == ["S5", "S2", "S1", "S6", "S3", "S4"]
        assert set(grid_lines(app)) == {"S1", "S2", "S3", "S4", "S5", "S6"}


@run_async
async def test_cursor_stays_on_its_slot_when_the_order_changes(bench_store: Store) -> None:
    app = BenchApp(bench_store, clock=frozen_clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down", "down", "down", "down")  # S5
        grid = app.query_one(SlotGrid)
        assert grid.cursor_slot == "S5"
        await pilot.press("2")
        assert grid.cursor_slot == "S5"


@run_async
async def test_open_detail_shows_tests_transcript_charts_inventory_harmlessly(bench_store: Store) -> None:
    app = BenchApp(bench_store, clock=frozen_clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down", "down", "enter")  # S3, mid-run
        await settle(pilot, lambda: isinstance(app.screen, SlotDetail))
        screen = app.screen
        tests = screen.query_one("#tests-table", DataTable)
        assert [str(k.value) for k in tests.rows] == ["identity", "authenticity", "stolen"]
        await settle(pilot, lambda: screen.query_one("#transcript", Log).line_count >= 2)
        transcript = "\n".join(screen.query_one("#transcript", Log).lines)
        assert "\x1b" not in transcript and "\x07" not in transcript and "pwned" not in transcript
        assert "[bold red]markup[/] Switch#" in transcript  # shown as text, never interpreted
        log = "\n".join(screen.query_one("#events-log", Log).lines)
        assert "reading [bold red]markup[/]" in log and "\x1b" not in log
        await settle(pilot, lambda: len(screen.query(Sparkline)) == 2)
        assert list(screen.query(Sparkline).first().data or []) == [38.0, 39.5, 41.0, 40.5, 42.0]
        assert screen.query_one("#inventory-table", DataTable).row_count == 2
        await pilot.press("escape")
        assert not isinstance(app.screen, SlotDetail)


@run_async
async def test_follows_the_store_and_repaints_only_the_changed_row(bench_store: Store) -> None:
    app = BenchApp(bench_store, clock=frozen_clock, poll_s=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        grid = app.query_one(SlotGrid)
        before = grid.rendered_rows
        run = bench_store.latest_run()
        assert run is not None
        r = TestResult("post", Outcome.FAIL, "POST failed: memory", {}, ts(40), ts(45))
        bench_store.save_result(run.id, "S3", 3, r)
        bench_store.add_events(run.id, [(ts(45), "S3", ev.TEST_FINISHED,
                                         {"test": "post", "outcome": "FAIL", "summary": r.summary})])
        await settle(pilot, lambda: "post FAIL" in grid_lines(app)["S3"])
        assert grid.rendered_rows - before == 1  # S3 alone was rendered again
        assert "FAIL 3" in str(app.header_text())


@run_async
async def test_waits_for_a_run_then_shows_it(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "empty.db"))
    app = BenchApp(store, clock=frozen_clock, poll_s=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "waiting for a run" in str(app.header_text())
        run_id, _ = store.open_run("k", "bench-9", "quick", "b.yaml", ["A01", "A02"])
        await settle(pilot, lambda: set(grid_lines(app)) == {"A01", "A02"})
        assert "bench-9" in str(app.header_text())
    store.close()


def test_follower_reads_only_new_events_and_rereads_touched_slots(tmp_path: Path) -> None:
    store = make_bench(tmp_path / "f.db")
    clock = [0.0]
    follower = StoreFollower(store, monotonic=lambda: clock[0], resync_s=60)
    first = follower.poll()
    assert first.run_switched and first.slots == {"S1", "S2", "S3", "S4", "S5", "S6"}
    assert follower.views["S3"].step == "post" and follower.views["S1"].last_outcome == "PASS"
    assert follower.poll().slots == set()  # nothing new
    run = store.latest_run()
    assert run is not None
    store.start_slot(run.id, "S4")
    store.add_events(run.id, [(ts(50), "S4", ev.SLOT_STARTED, {}),
                              (ts(51), "S4", ev.STEP_STARTED, {"test": "identity", "index": 0, "total": 6})])
    change = follower.poll()
    assert change.slots == {"S4"} and change.events == 2
    assert follower.views["S4"].status == "running" and follower.views["S4"].step == "identity"
    # A regrade written without this follower's help shows at the next full resync.
    store.db.execute("UPDATE slots SET grade=? WHERE run_id=? AND slot='S1'",
                     ('{"functional": "F4", "cosmetic": "C5", "letter": "A", "disposition": "RESALE"}', run.id))
    assert follower.poll().slots == set()
    clock[0] = 61
    assert follower.poll().slots == {"S1"}
    assert follower.views["S1"].disposition == "RESALE"
    store.close()


def test_a_slot_added_during_the_run_joins_the_grid_at_the_next_resync(tmp_path: Path) -> None:
    """A stack's members become slots (S1/2 ...) when the stack is graded: an attached dashboard shows them."""
    store = make_bench(tmp_path / "m.db")
    clock = [0.0]
    follower = StoreFollower(store, monotonic=lambda: clock[0], resync_s=3)
    follower.poll()
    run = store.latest_run()
    assert run is not None
    store.add_slot(run.id, "S1/2", 6)
    clock[0] = 4
    change = follower.poll()
    assert change.slots_added and "S1/2" in change.slots and "S1/2" in follower.views
    assert not follower.poll().slots_added
    store.close()


def test_remaining_time_comes_from_each_slots_pace(tmp_path: Path) -> None:
    from bench.tui.slots import totals

    store = make_bench(tmp_path / "r.db")
    follower = StoreFollower(store)
    follower.poll()
    t = totals(follower.views.values(), FROZEN_NOW, follower.run_started, None)
    # S3: 3 of 6 tests in 4:50 -> 4:50 left; S4 waits: a typical finished slot took under a minute.
    assert t.remaining_s == pytest.approx(290.0)
    assert (t.running, t.done, t.pending) == (1, 4, 1)
    store.close()


def test_a_burn_in_counts_its_length_not_the_pace_of_the_quick_tests() -> None:
    from datetime import timedelta

    from bench.tui.slots import SlotView

    t0 = FROZEN_NOW - timedelta(seconds=170)
    # 7 quick tests in 70 s, then a 600 s burn-in (step 8 of 11) started 100 s ago: 500 s of it are left,
    # then 3 more tests at the slot's own pace of 10 s each.
    v = SlotView(slot="S1", position=0, status="running", started=t0, step="burnin", step_index=7, step_total=11,
                 counts={"PASS": 7}, step_started=t0 + timedelta(seconds=70), step_expected_s=600.0)
    assert v.remaining(FROZEN_NOW, None) == pytest.approx(530.0)
    # Past its length (a slow last sample): nothing negative, only the tests after it.
    late = FROZEN_NOW + timedelta(seconds=600)
    assert v.remaining(late, None) == pytest.approx(30.0)



@run_async
async def test_label_and_certificate_are_saved_for_the_selected_unit(bench_store: Store, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    app = BenchApp(bench_store, clock=frozen_clock, documents_dir=out)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down", "l", "p")  # S2
        label, certificate = out / "label-FOC2011Y1CD.zpl", out / "certificate-FOC2011Y1CD.html"
        await settle(pilot, lambda: label.exists() and certificate.exists())
        assert label.read_text().startswith("^XA") and "FOC2011Y1CD" in label.read_text()
        assert "FOC2011Y1CD" in certificate.read_text() and "<html" in certificate.read_text().lower()
        await pilot.press("down", "l")  # S3 is still under test: no label before its grade
        await pilot.press("down", "l")  # S4 has no serial yet: nothing to print
        await pilot.pause()
        assert sorted(p.name for p in out.iterdir()) == [certificate.name, label.name]


@run_async
async def test_a_narrow_terminal_keeps_serial_grade_and_disposition(bench_store: Store) -> None:
    app = BenchApp(bench_store, clock=frozen_clock)
    async with app.run_test(size=(100, 20)) as pilot:
        await pilot.pause()
        line = grid_lines(app)["S2"]
        assert "FOC2011Y1CD" in line and "REPAIR" in line and " D " in line
        assert "cisco_ios_switch" not in line  # the profile made room
        assert len(line) <= 100


def test_bench_tui_refuses_a_missing_store_and_a_missing_terminal(tmp_path: Path) -> None:
    import subprocess
    import sys

    missing = subprocess.run([sys.executable, "-m", "bench.cli", "tui", "--db", f"sqlite:///{tmp_path}/none.db"],
                             capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60)
    assert missing.returncode == 2 and "does not exist" in missing.stderr and "Traceback" not in missing.stderr
    make_bench(tmp_path / "there.db").close()
    no_tty = subprocess.run([sys.executable, "-m", "bench.cli", "tui", "--db", f"sqlite:///{tmp_path}/there.db"],
                            capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60)
    assert no_tty.returncode == 2 and "needs a terminal" in no_tty.stderr
    assert len(no_tty.stderr.strip().splitlines()) == 1


def test_the_dashboards_data_side_and_the_control_path_import_no_textual() -> None:
    import subprocess
    import sys

    modules = ["bench.tui.slots", "bench.tui.follow", "bench.tui.documents", "bench.control", "bench.commands.tui",
               "bench.commands.run", "bench.commands.demo", "bench.engine"]
    code = ("import importlib, sys\n"
            f"for m in {modules!r}: importlib.import_module(m)\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.strip() == "[]"


def test_the_evidence_digest_counts_collections_and_keeps_scalars() -> None:
    from bench.tui.detail import evidence_summary

    assert evidence_summary({"a": 1, "b": {"x": 1, "y": 2}, "c": [1, 2, 3], "d": "s"}) == "a=1, b={2}, c=[3], d=s"
    assert "\x1b" not in evidence_summary({"raw": "\x1b[2Jx"})
