"""The TUI's one action table: every slot command has the same key on the grid and on the slot detail
screen, names an action the app has, and stands in the command palette."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from bench.store import Store
from bench.tui.actions import SLOT_COMMANDS, palette_commands
from bench.tui.app import BenchApp
from bench.tui.detail import SlotDetail


def _bound(bindings: list[object]) -> dict[str, tuple[str, str]]:
    return {b.key: (b.action, b.description) for b in bindings}  # type: ignore[attr-defined]


def test_every_slot_command_is_bound_alike_on_the_grid_and_the_detail_screen() -> None:
    grid, detail = _bound(BenchApp.BINDINGS), _bound(SlotDetail.BINDINGS)
    for c in SLOT_COMMANDS:
        assert detail[c.key] == (f"app.{c.action}", c.footer), c
        if c.on_grid:
            assert grid[c.key] == (c.action, c.grid_footer or c.footer), c
        else:
            assert c.key not in grid, c
        assert callable(getattr(BenchApp, f"action_{c.method}")), c
    assert len({c.key for c in SLOT_COMMANDS}) == len(SLOT_COMMANDS)
    assert [b.key for b in BenchApp.BINDINGS if b.priority] == ["g"]  # a scanner's burst after g reaches grading


def test_every_slot_command_is_in_the_command_palette_calling_its_action(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "s.db"))
    try:
        app = BenchApp(store)
        commands = {title: callback for title, _help, callback in palette_commands(app)}
    finally:
        store.close()
    assert list(commands) == [c.palette for c in SLOT_COMMANDS]
    skip = commands["Skip the current test"]
    assert isinstance(skip, partial) and skip.func == app.action_slot_action and skip.args == ("skip",)
    assert commands["Grade slot"] == app.action_grade

