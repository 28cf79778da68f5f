"""The grading modal: cosmetic code, scanned label, asset tag, notes, attestations, operator; keyboard only.

A barcode scanner types like a fast keyboard and ends with Enter, so Enter in any field moves to
the next one; Ctrl+S saves from anywhere, Escape cancels. Only the fields that changed are sent to
bench.inputs.set_inputs, so the unit's input history records what the technician actually did.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Static

from bench.errors import BenchError
from bench.model import Grade, TechnicianInputs
from bench.terminal import safe_text

# (operator, changed fields) -> the unit's new grade, or None while it is still under test
SaveInputs = Callable[[str, dict[str, Any]], Grade | None]
TEXT_INPUTS = (("label_serial", "Label serial", "scan the chassis sticker"),
               ("asset_tag", "Asset tag", "customer or internal tag"),
               ("notes", "Notes", "scratches, missing rack ears ..."))


def _row(title: str, field: Input) -> ComposeResult:
    with Horizontal(classes="grade-row"):
        yield Label(title, classes="grade-label")
        yield field


@dataclass
class GradeSaved:
    slot: str
    fields: list[str]
    grade: Grade | None


def cosmetic_code(text: str) -> str:
    """'5', 'c5' and 'C5' all mean C5; anything else is passed on for bench.inputs to refuse."""
    text = text.strip().upper()
    return f"C{text}" if text.isdigit() else text


class GradeModal(ModalScreen[GradeSaved | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save", priority=True),
        # A priority binding moves focus while the key itself is dispatched: the scanner's next
        # characters, already on their way, land in the next field and not after the Enter.
        Binding("enter", "enter", "Next field", priority=True, show=False),
    ]

    def __init__(self, slot: str, serial: str, current: TechnicianInputs, operator: str, save: SaveInputs) -> None:
        super().__init__()
        self.slot = slot
        self.serial = serial
        self.current = current
        self.operator = operator
        self._save_inputs = save
        self._ready = False  # True once the first field has focus

    def compose(self) -> ComposeResult:
        c = self.current
        with Vertical(id="grade-box"):
            yield Static(Text(f"Grade {self.slot}  serial {safe_text(self.serial) or '?'}", style="bold"),
                         id="grade-title")
            yield from _row("Operator id", Input(self.operator, placeholder="badge or initials", id="operator",
                                                 compact=True))
            yield from _row("Cosmetic", Input("" if c.cosmetic in ("", "C0") else c.cosmetic, id="cosmetic",
                                              placeholder="C1 damaged .. C5 very good .. C9 new open box",
                                              max_length=3, compact=True))
            for name, title, hint in TEXT_INPUTS:
                yield from _row(title, Input(str(getattr(c, name) or ""), placeholder=hint, id=name, compact=True))
            with Horizontal(classes="grade-row"):
                yield Checkbox("Licence attested", c.licence_attested, id="licence_attested", compact=True)
                yield Checkbox("New, open box", c.new_open_box, id="new_open_box", compact=True)
            yield Static(id="grade-error")
            with Horizontal(id="grade-buttons"):
                yield Button("Save ^S", variant="primary", id="save", compact=True)
                yield Button("Cancel Esc", id="cancel", compact=True)

    def on_mount(self) -> None:
        # Screen.set_focus takes effect now (Widget.focus would wait a turn): keys a scanner sent while the
        # modal opened, queued behind this, land in the first field.
        self.set_focus(self.query_one("#cosmetic" if self.operator else "#operator", Input))
        self._ready = True

    def on_key(self, event: events.Key) -> None:
        """Printable keys that reached the screen itself: sent before any field had focus (a scanner
        typing while the modal opened). They belong to the field that has focus now, in order."""
        ch = event.character
        if not ch or not ch.isprintable() or event.key == "enter" or not isinstance(self.focused, Input):
            return
        event.stop()
        event.prevent_default()
        self.focused.insert_text_at_cursor(ch)

    class _Advance(Message):
        """Enter, queued behind the keys typed before it (a priority binding runs ahead of them)."""

    def action_enter(self) -> None:
        if not self._ready:
            self.post_message(self._Advance())
            return
        self._advance()

    def on_grade_modal__advance(self, _: _Advance) -> None:
        self._advance()

    def _advance(self) -> None:
        focused = self.focused
        if isinstance(focused, Button):
            focused.press()
        else:
            self.focus_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def changes(self) -> dict[str, Any]:
        c = self.current
        out: dict[str, Any] = {}
        cosmetic = cosmetic_code(self.query_one("#cosmetic", Input).value)
        if cosmetic and cosmetic != c.cosmetic:
            out["cosmetic"] = cosmetic
        for name, _, _ in TEXT_INPUTS:
            value = self.query_one(f"#{name}", Input).value.strip()
            if value != (getattr(c, name) or ""):
                out[name] = value
        for name in ("licence_attested", "new_open_box"):
            value = self.query_one(f"#{name}", Checkbox).value
            if value != getattr(c, name):
                out[name] = value
        return out

    def _error(self, text: str) -> None:
        self.query_one("#grade-error", Static).update(Text(text, style="bold red"))

    def action_save(self) -> None:
        """Ctrl+S is a priority binding: it runs as the app reads it, while keys typed before it may still wait
        in their fields' queues. Read the fields only once each of them (and the screen) has handled those."""
        self._after_queued_keys(self._save_fields)

    def _after_queued_keys(self, then: Callable[[], None]) -> None:
        # call_later queues behind the messages already posted to that widget: when every field's callback
        # has run, every key sent before this point has landed.
        widgets: list[Any] = [self, *self.query(Input), *self.query(Checkbox)]
        waiting = len(widgets)

        def one_done() -> None:
            nonlocal waiting
            waiting -= 1
            if waiting == 0:
                self.call_later(then)

        for widget in widgets:
            widget.call_later(one_done)

    def _save_fields(self) -> None:
        operator = self.query_one("#operator", Input).value.strip()
        if not operator:
            self._error("enter your operator id (badge or initials)")
            self.query_one("#operator", Input).focus()
            return
        changes = self.changes()
        if not changes:
            self._error("nothing changed; Esc to close")
            return
        self.run_worker(self._save(operator, changes), exclusive=True, group="grade-save")

    async def _save(self, operator: str, changes: dict[str, Any]) -> None:
        try:
            grade = await asyncio.to_thread(self._save_inputs, operator, changes)
        except BenchError as e:
            self._error(str(e))
            return
        self.app.operator = operator  # type: ignore[attr-defined]
        self.dismiss(GradeSaved(self.slot, sorted(changes), grade))
