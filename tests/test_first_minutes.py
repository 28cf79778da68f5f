"""A new user's first minutes: README set-up in a venv, `bench sim` says where its devices answer,
every option explains itself, the palette's Screenshot saves a file, and a barcode scanner's burst
in the grading modal lands in the right fields."""

from __future__ import annotations

import argparse
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from helpers.tui_store import frozen_clock, make_bench, run_async
from textual import events

from bench.cli import _build_parser
from bench.tui.app import BenchApp
from bench.tui.grading import GradeModal

ROOT = Path(__file__).resolve().parent.parent


def test_readme_sets_up_in_a_venv() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "python3 -m venv .venv && . .venv/bin/activate && pip install -e . && bench demo" in readme
    assert re.search(r"python3 -m venv \.venv && \. \.venv/bin/activate && pip install -e \"?\.\[test\]\"? && "
                     r"pytest", readme)


def test_ci_runs_the_readme_test_command_in_parallel_with_xdist_in_the_test_extra() -> None:
    readme = (ROOT / "README.md").read_text()
    command = re.search(r'pip install -e "\.\[test\]" && (pytest[^\n`]*)', readme)
    assert command, "no test command in the README"
    assert re.fullmatch(r"pytest -n (auto|\d+)", command.group(1).strip()), command.group(1)
    assert f'pip install -q -e ".[test]" && {command.group(1).strip()}\n' in (ROOT / ".ci" / "run").read_text()
    extra = re.search(r"(?s)^test = \[(.*?)\]", (ROOT / "pyproject.toml").read_text(), re.M)
    assert extra and '"pytest-xdist' in extra.group(1)


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def test_every_option_of_every_command_has_help_and_plan_lists_the_plans() -> None:
    missing = [f"{name} {'/'.join(a.option_strings) or a.dest}"
               for name, sub in _subparsers(_build_parser()).items() for a in sub._actions
               if not isinstance(a, argparse._HelpAction) and not a.help]
    assert not missing, f"options without help: {missing}"
    run_help = _subparsers(_build_parser())["run"].format_help()
    assert all(plan in run_help for plan in ("quick", "full", "burnin")), run_help


def _read_until(proc: subprocess.Popen[str], pattern: str, deadline_s: float) -> str:
    """stdout up to the line matching `pattern`, read by a thread; fails after the deadline (no fixed sleeps)."""
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout or []], daemon=True).start()
    seen, end = "", time.monotonic() + deadline_s
    while not re.search(pattern, seen):
        try:
            seen += lines.get(timeout=max(0.0, end - time.monotonic()))
        except queue.Empty:
            raise AssertionError(f"no {pattern!r} in time; stdout so far: {seen!r}") from None
    return seen


def test_bench_sim_prints_its_addresses_and_how_to_stop_and_no_warnings(tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("bench")
    proc = subprocess.Popen([str(exe), "sim", "--count", "2", "--write-bench", str(tmp_path / "sim.yaml")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    try:
        out = _read_until(proc, r"Ctrl-C to stop", 60)
        rows = {line.split()[0]: line for line in out.splitlines() if re.match(r"S\d+\s", line)}
        assert set(rows) == {"S1", "S2"}, out
        port = int(re.search(r"127\.0\.0\.1:(\d+)", rows["S1"]).group(1))  # type: ignore[union-attr]
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:  # the printed address answers SSH
            s.settimeout(5)
            assert s.recv(64).startswith(b"SSH-")
        assert f"bench run {tmp_path / 'sim.yaml'}" in out
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "Warning" not in err and "DSA" not in err, err


@run_async
async def test_palette_screenshot_saves_an_svg_where_documents_go(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # no Downloads folder, as on a fresh bench PC
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home" / ".config"))
    store = make_bench(tmp_path / "bench.db")
    docs = tmp_path / "docs"
    docs.mkdir()
    app = BenchApp(store, clock=frozen_clock, documents_dir=docs)
    try:
        async with app.run_test(size=(170, 30)) as pilot:
            await pilot.pause()
            await pilot.press("ctrl+p")
            await pilot.pause()
            await pilot.press(*"screenshot")
            await pilot.pause(0.3)
            await pilot.press("enter")
            end = time.monotonic() + 10
            while not list(docs.glob("*.svg")):
                assert time.monotonic() < end, "no screenshot saved"
                await pilot.pause(0.05)
            svg = next(docs.glob("*.svg"))
            assert svg.read_text().lstrip().startswith("<svg")
    finally:
        store.close()


@run_async
async def test_a_scanner_burst_right_after_g_lands_in_operator_then_cosmetic(tmp_path: Path) -> None:
    """g, `jo`, Enter, `C5`, Enter at full speed, queued before the modal has even opened: no key reaches
    the grid (where o starts a slot and 5 filters) and none is lost."""
    store = make_bench(tmp_path / "bench.db")
    app = BenchApp(store, clock=frozen_clock)
    try:
        async with app.run_test(size=(170, 30)) as pilot:
            await pilot.pause()
            for key, ch in (("g", "g"), ("j", "j"), ("o", "o"), ("enter", None), ("C", "C"), ("5", "5"),
                            ("enter", None)):
                app.post_message(events.Key(key, ch))
            end = time.monotonic() + 10
            while not (isinstance(app.screen, GradeModal) and app.screen.query_one("#cosmetic").value == "C5"):
                assert time.monotonic() < end, f"screen {type(app.screen).__name__}"
                await pilot.pause(0.05)
            modal = app.screen
            assert modal.query_one("#operator").value == "jo"
            assert modal.focused is modal.query_one("#label_serial")
    finally:
        store.close()


@run_async
async def test_a_scanner_burst_in_an_open_modal_keeps_its_fields_apart(tmp_path: Path) -> None:
    store = make_bench(tmp_path / "bench.db")
    app = BenchApp(store, clock=frozen_clock)
    try:
        async with app.run_test(size=(170, 30)) as pilot:
            await pilot.pause()
            await pilot.press("g")
            end = time.monotonic() + 10
            while not isinstance(app.screen, GradeModal):
                assert time.monotonic() < end
                await pilot.pause(0.05)
            await pilot.press("j", "o", "enter", "C", "5", "enter")
            modal = app.screen
            assert (modal.query_one("#operator").value, modal.query_one("#cosmetic").value) == ("jo", "C5")
    finally:
        store.close()


@run_async
async def test_a_scanner_burst_ending_in_ctrl_s_saves_every_key_it_typed(tmp_path: Path) -> None:
    """Operator, Enter, cosmetic, Enter, serial, Enter, Ctrl+S typed the instant the modal opens, with no pause
    anywhere (tmux and a scanner deliver them in one read): the save sees every key typed before it, in its
    field, and nothing else (seen under load: operator shown "JD" yet the save said "enter your operator id")."""
    store = make_bench(tmp_path / "bench.db")
    app = BenchApp(store, clock=frozen_clock)
    try:
        async with app.run_test(size=(170, 30)) as pilot:
            await pilot.pause()
            burst = [("g", "g"), *((c.lower(), c) for c in "JD"), ("enter", None), ("5", "5"), ("enter", None),
                     *((c.lower() if c.isalpha() else c, c) for c in "FOC1931X0AB"), ("enter", None),
                     ("ctrl+s", None)]
            for key, ch in burst:
                app.post_message(events.Key(key, ch))
            end = time.monotonic() + 10
            while isinstance(app.screen, GradeModal) or not store.inputs(1, "S1"):
                error = str(app.screen.query_one("#grade-error").render()) if isinstance(app.screen, GradeModal) \
                    else ""
                assert not error and time.monotonic() < end, f"not saved: {error!r}"
                await pilot.pause(0.05)
        saved = {e["field"]: (e["value"], e["operator"]) for e in store.inputs(1, "S1")}
        assert saved == {"cosmetic": ("C5", "JD"), "label_serial": ("FOC1931X0AB", "JD")}, saved
    finally:
        store.close()


@run_async
async def test_a_poll_timer_firing_while_the_dashboard_shuts_down_does_nothing(tmp_path: Path) -> None:
    """A loaded machine can fire the follow timer after the dashboard's widgets are gone (seen as a NoMatches
    for '#grid' ending the palette test above): that late poll has nothing to draw and must not crash."""
    store = make_bench(tmp_path / "bench.db")
    app = BenchApp(store, clock=frozen_clock)
    try:
        async with app.run_test(size=(170, 30)) as pilot:
            await pilot.pause()
        app.poll()  # what late timers do after the widgets were removed
        app.tick()
    finally:
        store.close()
