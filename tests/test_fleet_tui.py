"""`bench tui --db postgresql://...`: the fleet's dashboard over a real PostgreSQL cluster with two benches
synced into it: every bench with its trust, units, state and throughput; a bench's units in the grid;
Enter opens a unit's tests as on a bench; it writes nothing and never shows the password."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from helpers.fleet_units import fleet_rows, seal_units
from helpers.pg_cluster import Cluster
from helpers.tmux import Terminal
from helpers.tui_pilot import SIZE, grid_lines, settle

from bench.cli import main
from bench.fleet.reader import FleetReader
from bench.tui.detail import SlotDetail
from bench.tui.fleet import FleetApp


@pytest.fixture
def two_benches(pg: Cluster, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """bench-a (approved, 3 units) and bench-b (not approved, 2 units) synced into a fresh fleet database."""
    url = pg.new_database("t_" + "".join(c for c in request.node.name.lower() if c.isalnum())[:40])
    seal_units(tmp_path / "a.db", "bench-a", ["FOCA1", "FOCA2", "FOCA3"]).close()
    seal_units(tmp_path / "b.db", "bench-b", ["FOCB1", "FOCB2"]).close()
    for name in ("a", "b"):
        assert main(["sync", "--db", str(tmp_path / f"{name}.db"), "--fleet", url]) == 0
    assert main(["fleet", "approve", "bench-a", "--db", url, "--operator", "jo"]) == 0
    return url


def test_the_reader_answers_like_a_bench_store(two_benches: str) -> None:
    reader = FleetReader(two_benches)
    try:
        benches = {b.name: b for b in reader.benches()}
        assert (benches["bench-a"].units, benches["bench-a"].approved) == (3, True)
        assert (benches["bench-b"].units, benches["bench-b"].approved, benches["bench-b"].per_hour) == (2, False, 2)
        assert reader.latest_run() is None  # no bench chosen yet
        reader.select("bench-b")
        run = reader.latest_run()
        assert run is not None and run.bench == "bench-b"
        rows = reader.slots(run.id)
        assert [(r["slot"], r["serial"], r["status"]) for r in rows] == [("S1", "FOCB1", "done"),
                                                                        ("S2", "FOCB2", "done")]
        assert reader.outcome_counts(run.id) == {"S1": {"PASS": 1}, "S2": {"PASS": 1}}
        assert reader.results(run.id, "S2")["identity"].summary == "serial FOCB2"
        assert "benchpw" not in reader.path
    finally:
        reader.close()


def test_the_fleet_dashboard_shows_each_bench_and_opens_a_unit(two_benches: str, tmp_path: Path) -> None:
    import asyncio

    docs = tmp_path / "docs"
    docs.mkdir()

    async def drive() -> None:
        reader = FleetReader(two_benches)
        app = FleetApp(reader, poll_s=0.1, benches_s=0.5, documents_dir=docs)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, lambda: {"S1", "S2", "S3"} <= set(grid_lines(app)))
            assert "FOCA1" in grid_lines(app)["S1"] and "HOLD" in grid_lines(app)["S1"]
            assert "HELD" not in app.header_text().plain  # bench-a is approved
            await pilot.press("down")  # bench-b
            await settle(pilot, lambda: set(grid_lines(app)) == {"S1", "S2"} and "FOCB2" in grid_lines(app)["S2"])
            assert "HELD: bench not approved" in app.header_text().plain and "bench-b" in app.header_text().plain
            await pilot.press("tab", "down", "enter")
            await settle(pilot, lambda: isinstance(app.screen, SlotDetail))
            assert isinstance(app.screen, SlotDetail) and app.screen.slot == "S2"
            await pilot.press("g")  # read-only: nothing opens
            assert isinstance(app.screen, SlotDetail)
            await pilot.press("l")  # the label from the fleet store: bench-b is not approved
            label = docs / "label-bench-b-FOCB2.zpl"
            await settle(pilot, label.exists)
            assert "FOCB2" in label.read_text() and "NOT VERIFIED" in label.read_text()
        reader.close()

    asyncio.run(drive())


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_bench_tui_shows_both_benches_in_a_real_terminal(two_benches: str, tmp_path: Path) -> None:
    term = Terminal(tmp_path, [sys.executable, "-m", "bench.cli", "tui", "--db", two_benches])
    try:
        screen = term.wait_for("both benches", lambda s: "bench-a" in s and "bench-b" in s and "FOCA3" in s, 60)
        assert "benchpw" not in screen
        a = next(ln for ln in screen.splitlines() if "bench-a" in ln and "approved" in ln)
        b = next(ln for ln in screen.splitlines() if "bench-b" in ln and "HELD" in ln)
        assert " 3 " in a and " 2 " in b and "receiving" in a and "receiving" in b, (a, b)
        term.keys("Down")
        screen = term.wait_for("bench-b's units", lambda s: "FOCB2" in s and "FOCA3" not in s, 30)
        term.keys("Tab", "Down", "Enter")
        screen = term.wait_for("unit S2's tests", lambda s: "serial FOCB2" in s and "identity" in s, 30)
        term.keys("Escape")
        term.wait_for("the grid again", lambda s: "FOCB1" in s and "serial FOCB2" not in s, 30)
        term.keys("q")
        term.wait_for("the dashboard to close", lambda s: "EXITED 0" in s, 30)
    finally:
        term.close()
    # It wrote nothing: the fleet store holds what the benches sent, once.
    assert fleet_rows(two_benches, "SELECT count(*) FROM records") == [(5,)]


def test_the_fleet_dashboard_rides_out_a_fleet_store_that_stops(two_benches: str, pg: Cluster) -> None:
    """The fleet store stops hard while a unit is open: the dashboard keeps its screens and what it showed,
    says it is retrying, and carries on when the store is back."""
    import asyncio

    async def drive() -> None:
        reader = FleetReader(two_benches)
        app = FleetApp(reader, poll_s=0.1, benches_s=0.2)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, lambda: "S3" in grid_lines(app))
            await pilot.press("tab", "enter")
            await settle(pilot, lambda: isinstance(app.screen, SlotDetail))
            pg.stop("immediate")
            try:
                await settle(pilot, lambda: reader._conn is None or reader._conn.closed, 20)
                for _ in range(10):  # several polls against a store that is gone
                    await pilot.pause(0.1)
                assert isinstance(app.screen, SlotDetail) and "identity" in str(app.screen.query_one("#tests-table"
                                                                                                     ).get_row_at(0))
            finally:
                pg.start()
            await pilot.press("escape")
            await settle(pilot, lambda: reader._conn is not None and not reader._conn.closed, 30)
            assert "FOCA3" in grid_lines(app)["S3"]
        reader.close()

    asyncio.run(drive())


@pytest.mark.parametrize(("url", "code", "says"), [
    ("postgresql://u:secretpw@127.0.0.1:notaport/f", 2, "port"),
    ("postgresql://u:secretpw@127.0.0.1:5432/f", 2, "needs a terminal"),  # under pytest: no terminal
])
def test_bench_tui_on_a_bad_fleet_url_or_without_a_terminal_is_one_line(
        url: str, code: int, says: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tui", "--db", url]) == code
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and says in err and "secretpw" not in err


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_bench_tui_on_a_fleet_store_that_does_not_answer_is_one_line_exit_1(tmp_path: Path) -> None:
    term = Terminal(tmp_path, [sys.executable, "-m", "bench.cli", "tui", "--db",
                               "postgresql://u:secretpw@127.0.0.1:1/fleet"])
    try:
        screen = term.wait_for("the exit", lambda s: "EXITED" in s, 30)
        assert "EXITED 1" in screen and "cannot be reached" in screen and "secretpw" not in screen, screen
    finally:
        term.close()
