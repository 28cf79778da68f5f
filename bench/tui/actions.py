"""What a technician can do to a slot, in one table, and the confirmation of the actions that change a run.

SLOT_COMMANDS is the one place a slot command is declared: its key (on the grid and on the slot detail
screen, through `slot_bindings`), its footer label and its command-palette entry (`palette_commands`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from bench.control import ACTIONS


@dataclass(frozen=True)
class SlotCommand:
    key: str
    method: str  # the app's action_<method>
    arg: str | None  # its one argument, if any
    footer: str
    palette: str  # the command palette's title and help
    help: str
    show: bool = True  # in the footer
    on_grid: bool = True  # bound on the grid too, not only on the slot detail screen
    grid_footer: str = ""  # a shorter footer label on the grid, where nothing else is retested
    priority: bool = False

    @property
    def action(self) -> str:
        """As a binding names it: "slot_action('skip')"."""
        return f"{self.method}({self.arg!r})" if self.arg is not None else self.method


SLOT_COMMANDS: tuple[SlotCommand, ...] = (
    # Priority: handled in the order typed, so a scanner's burst after g reaches the grading modal
    # and not the grid (where o, r, x, 1-5 are commands).
    SlotCommand("g", "grade", None, "Grade", "Grade slot",
                "cosmetic code, label serial, asset tag, notes, attestations", priority=True),
    SlotCommand("l", "save", "label", "Label", "Save label (ZPL)",
                "the unit's label, written to the working directory"),
    SlotCommand("p", "save", "certificate", "Certificate", "Save certificate (HTML)",
                "the unit's test certificate, written to the working directory"),
    SlotCommand("x", "slot_action", "skip", "Skip test", "Skip the current test",
                "recorded NOT_RUN with your operator id"),
    SlotCommand("X", "slot_action", "empty", "Mark empty", "Mark slot empty", "current and remaining tests NOT_RUN",
                show=False),
    SlotCommand("r", "redo", "retest", "Retest slot", "Retest slot (r)",
                "clear its results and run every test again; graded and sealed again", grid_footer="Retest"),
    SlotCommand("R", "redo_test", None, "Retest test", "Retest the selected test (R, slot detail)",
                "clear that result and run it again", on_grid=False),
    SlotCommand("o", "redo", "start", "Start", "Start slot (o)", "run the tests that were stopped or never ran"),
    SlotCommand("O", "slot_action", "stop", "Stop", "Stop slot (O)",
                "current and remaining tests NOT_RUN, stopped by you; graded"),
)


def slot_bindings(keys: str = "", *, on_detail: bool = False) -> list[Binding]:
    """The bindings of the slot commands (of those `keys`, in that order, when given): the app's, on the grid,
    or the slot detail screen's, which name the app's actions (`app.` prefix; the app's priority binding
    already comes first on every screen)."""
    chosen = [c for k in keys for c in SLOT_COMMANDS if c.key == k] if keys else list(SLOT_COMMANDS)
    if on_detail:
        return [Binding(c.key, f"app.{c.action}", c.footer, show=c.show) for c in chosen]
    return [Binding(c.key, c.action, c.grid_footer or c.footer, show=c.show, priority=c.priority)
            for c in chosen if c.on_grid]


def palette_commands(app: Any) -> Iterator[tuple[str, str, Callable[[], Any]]]:
    """(title, help, callback) for the command palette, calling the app's action methods."""
    for c in SLOT_COMMANDS:
        method = getattr(app, f"action_{c.method}")
        yield c.palette, c.help, partial(method, c.arg) if c.arg is not None else method


class ConfirmAction(ModalScreen[str | None]):
    """Dismisses with the operator id on Enter, None on Esc."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, slot: str, action: str, step: str, operator: str) -> None:
        super().__init__()
        self.slot, self.action, self.step, self.operator = slot, action, step, operator

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(Text(self.title_text(), style="bold"))
            yield Static(Text(self.question()))
            with Horizontal(classes="grade-row"):
                yield Label("Operator id", classes="grade-label")
                yield Input(self.operator, placeholder="badge or initials", id="confirm-operator", compact=True)
            yield Static(Text("Enter confirms, Esc cancels", style="dim"), id="confirm-hint")

    def title_text(self) -> str:
        if self.action == "retest":
            return f"Retest {self.step}" if self.step else "Retest the slot"
        return ACTIONS[self.action].capitalize()

    def question(self) -> str:
        slot, step = self.slot, self.step
        return {
            "skip": f"Skip {step or 'the current test'} on {slot}? It is recorded NOT_RUN.",
            "empty": f"Mark {slot} empty? Its current and remaining tests are recorded NOT_RUN.",
            "stop": f"Stop {slot}? Its current and remaining tests are recorded NOT_RUN, stopped by you; "
                    "start (o) runs them later.",
            "retest": (f"Retest {step} on {slot}? Its result is cleared (the sealed record keeps it) and it runs "
                       "again; the slot is graded again." if step else
                       f"Retest every test of {slot}? Its results are cleared (the sealed record keeps them) and "
                       "the slot runs again."),
            "start": f"Start {slot}? The tests that were stopped, skipped or never ran are run, then it is graded.",
        }[self.action]

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        operator = event.value.strip()
        if not operator:
            self.query_one("#confirm-hint", Static).update(Text("enter your operator id first", style="bold red"))
            return
        self.dismiss(operator)

    def action_cancel(self) -> None:
        self.dismiss(None)
