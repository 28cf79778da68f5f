"""The real program in a real terminal (tmux): the demo grades live and takes a keyboard grade; the dashboard
attached to a headless run shows its units, shows what `bench export` says, and detaching leaves the run going."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.sim_bench import start_sim, stop_sim
from helpers.tmux import Terminal

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
DISPOSITION = re.compile(r"\b(RESALE|HOLD|REPAIR|PARTS|RECYCLE|QUARANTINE)\b")


@pytest.fixture
def terminals() -> Iterator[list[Terminal]]:
    opened: list[Terminal] = []
    yield opened
    for t in opened:
        t.close()


def rows(screen: str) -> dict[str, str]:
    return {line.split()[0]: line for line in screen.splitlines() if re.match(r"S\d+\s", line)}


def bench(*args: str) -> list[str]:
    return [sys.executable, "-m", "bench.cli", *args]


def test_demo_grades_live_and_takes_a_keyboard_grade(tmp_path: Path, terminals: list[Terminal]) -> None:
    term = Terminal(tmp_path, bench("demo", "--count", "4", "--db", "sqlite:///demo.db", "--plan", "quick"))
    terminals.append(term)
    screen = term.wait_for("four graded units", lambda s: sum(bool(DISPOSITION.search(r)) for r in rows(s).values())
                           == 4 and "(done)" in s, 240)
    serial = rows(screen)["S1"].split()[2]
    term.keys("g")
    term.wait_for("the grading modal", lambda s: "Operator id" in s)
    term.type("JD")
    term.keys("Enter")
    term.type("5")
    term.keys("Enter")
    term.type(serial)  # a scanner: the serial then Enter
    term.keys("Enter", "C-s")
    term.wait_for("S1 graded C5", lambda s: " C5 " in rows(s).get("S1", "") and "Operator id" not in s)
    term.keys("q")
    term.wait_for("the demo to end", lambda s: "EXITED 0" in s, 60)


def test_attached_dashboard_matches_export_and_detaching_leaves_the_run_going(
        tmp_path: Path, terminals: list[Terminal]) -> None:
    sim = start_sim(tmp_path, 3, seed=5)
    run = None
    try:
        bench_file = sim.run_file(tmp_path)
        db = f"sqlite:///{tmp_path / 'run.db'}"
        run = subprocess.Popen(bench("run", str(bench_file), "--headless", "--db", db, "--plan", "burnin",
                                     "--burnin", "25s"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
        end = time.monotonic() + 60
        while not (tmp_path / "run.db").exists() and time.monotonic() < end:
            time.sleep(0.1)
        term = Terminal(tmp_path, bench("tui", "--db", db))
        terminals.append(term)
        serials = [t["serial"] for t in sim.truth.values()]
        term.wait_for("every serial and a burn-in under way",
                      lambda s: all(x in s for x in serials) and "burnin" in s, 120)
        term.keys("q")
        term.wait_for("the dashboard to close", lambda s: "EXITED 0" in s, 30)
        assert run.poll() is None, "the headless run stopped when the dashboard detached"
        assert run.wait(300) in (0, 1)
        units = {u["slot"]: u for u in json.loads(subprocess.run(
            bench("export", "--db", db), capture_output=True, text=True, check=True).stdout)["units"]}
        again = Terminal(tmp_path, bench("tui", "--db", db))
        terminals.append(again)
        screen = again.wait_for("the finished run", lambda s: "(done)" in s and len(rows(s)) == 3, 60)
        for slot, line in rows(screen).items():
            u = units[slot]
            assert u["serial"] in line and u["grade"]["disposition"] in line
            counts = [sum(t["outcome"] == o for t in u["tests"]) for o in ("PASS", "WARN", "FAIL", "ERROR")]
            assert re.search(r"\s+".join(str(n) for n in counts), line), (counts, line)
        again.keys("q")
    finally:
        if run is not None and run.poll() is None:
            os.killpg(run.pid, 9)
        stop_sim(sim.proc)


def test_in_process_run_goes_on_headless_after_the_dashboard_closes(tmp_path: Path,
                                                                    terminals: list[Terminal]) -> None:
    sim = start_sim(tmp_path, 2, seed=9)
    try:
        bench_file = sim.run_file(tmp_path)
        term = Terminal(tmp_path, bench("run", str(bench_file), "--db", "sqlite:///inproc.db", "--plan", "burnin",
                                        "--burnin", "20s"))
        terminals.append(term)
        term.wait_for("a burn-in under way in the dashboard", lambda s: "burnin" in s and "Step / progress" in s, 120)
        term.keys("q")
        term.wait_for("the run carrying on headless", lambda s: "the run goes on headless" in s, 30)
        screen = term.wait_for("the run's summary", lambda s: re.search(r"EXITED [01]\b", s) is not None, 300)
        assert re.search(r"S1\s+burnin\s+(PASS|WARN|FAIL)", screen), screen
        assert "disposition" in screen  # the summary table after the last progress line
    finally:
        stop_sim(sim.proc)
