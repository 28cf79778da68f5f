"""Confirming a slot action (skip the current test, mark the slot empty) with the operator's id."""

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
        what = (f"Skip {self.step or 'the current test'} on {self.slot}? It is recorded NOT_RUN."
                if self.action == "skip" else
                f"Mark {self.slot} empty? Its current and remaining tests are recorded NOT_RUN.")
        with Vertical(id="confirm-box"):
            yield Static(Text(ACTIONS[self.action].capitalize(), style="bold"))
            yield Static(Text(what))
            with Horizontal(classes="grade-row"):
                yield Label("Operator id", classes="grade-label")
                yield Input(self.operator, placeholder="badge or initials", id="confirm-operator", compact=True)
            yield Static(Text("Enter confirms, Esc cancels", style="dim"), id="confirm-hint")

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
