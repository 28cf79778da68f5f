"""Confirming a slot action (skip, mark empty, stop, retest, start) with the operator's id."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from bench.control import ACTIONS


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
