"""The bench grid: one line per slot, rendered once per change and cached as a Strip.

Textual's DataTable re-renders every visible cell on any update (50-90 % of a core for a
300-row bench at 5 Hz, STYLE.md); this Line API widget renders a row only when its SlotView
version or its elapsed text moved, and refreshes only those lines.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from bench.terminal import safe_text
from bench.tui.slots import SlotView, duration_text


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    width: int
    right: bool = False


COLUMNS = (
    Column("slot", "Slot", 5), Column("model", "Model", 20), Column("serial", "Serial", 13),
    Column("profile", "Profile", 17), Column("step", "Step / progress", 26), Column("elapsed", "Elapsed", 8, True),
    Column("pass", "Pass", 4, True), Column("warn", "Warn", 4, True), Column("fail", "Fail", 4, True),
    Column("error", "Err", 3, True), Column("functional", "Func", 4), Column("cosmetic", "Cos", 3),
    Column("letter", "Gr", 2), Column("disposition", "Disposition", 11), Column("last", "Why / last result", 22),
)
GAP = 1
# On a narrow terminal these go first, in this order, until the row fits (slot, serial, step, counts,
# grade and disposition always stay). The reason of a held or failed unit goes last of all.
DROP_ORDER = ("profile", "error", "cosmetic", "model", "elapsed", "last")


def span(columns: tuple[Column, ...]) -> int:
    return sum(c.width for c in columns) + GAP * (len(columns) - 1)


def fit_columns(width: int) -> tuple[Column, ...]:
    columns = COLUMNS
    for key in DROP_ORDER:
        if span(columns) <= width:
            break
        columns = tuple(c for c in columns if c.key != key)
    # The last column (why a unit is held or failed) takes the room that is left: more of the reason shows.
    spare = width - span(columns)
    if spare > 0 and columns[-1].key == "last":
        columns = (*columns[:-1], replace(columns[-1], width=columns[-1].width + spare))
    return columns

OUTCOME_STYLE = {
    "PASS": Style(color="green"), "WARN": Style(color="yellow"), "FAIL": Style(color="red", bold=True),
    "ERROR": Style(color="magenta", bold=True), "NOT_RUN": Style(dim=True),
}
DISPOSITION_STYLE = {
    "RESALE": Style(color="green", bold=True), "HOLD": Style(color="yellow"), "REPAIR": Style(color="red", bold=True),
    "PARTS": Style(color="red"), "RECYCLE": Style(color="red", dim=True),
    "QUARANTINE": Style(color="white", bgcolor="red", bold=True),
}
TONE_STYLE = {
    "quarantine": Style(color="red", bold=True), "fail": Style(color="red"), "error": Style(color="magenta"),
    "warn": Style(color="yellow"), "running": Style(color="cyan"), "pending": Style(dim=True),
    "pass": Style(color="green"),
}
HEADER_STYLE = Style(bold=True, underline=True)
CURSOR_STYLE = Style(reverse=True)


def _fit(text: str, width: int, right: bool = False) -> str:
    if cell_len(text) > width:
        return set_cell_size(text[: width * 2], width - 1) + "…" if width > 1 else text[:width]
    pad = " " * (width - cell_len(text))
    return pad + text if right else text + pad


def _bar(done: int, total: int, width: int = 6) -> str:
    if total <= 0:
        return " " * width
    filled = min(width, round(width * done / total))
    return "█" * filled + "░" * (width - filled)


def step_text(v: SlotView) -> str:
    if v.status == "done":
        return f"done {v.tests_done} tests"
    if v.status != "running":
        return "waiting"
    total = v.step_total
    name = safe_text(v.step or "starting", 40)
    if total:
        return f"{_fit(name, 12)} {v.step_index + 1:>2}/{total:<2} {_bar(v.tests_done, total)}"
    return name


def cells(v: SlotView, now: datetime) -> dict[str, tuple[str, Style | None]]:
    """The row's cells as (text, style); text from a device always passes through safe_text."""
    grade = v.grade or {}
    tone = TONE_STYLE[v.tone()]

    def count(o: str) -> tuple[str, Style | None]:
        n = v.count(o)
        return (str(n) if n or v.tests_done else "", OUTCOME_STYLE[o] if n else Style(dim=True))

    disposition = str(grade.get("disposition") or "")
    last = f"{v.last_test} {v.last_outcome}" if v.last_test else ""
    # A finished unit that is not for resale shows why, where the technician looks, without Enter.
    why = v.why
    return {
        "slot": (v.slot, tone + Style(bold=True)),
        "model": ((safe_text(v.model, 40) or "?") if v.status != "pending" else "", None),
        "serial": (safe_text(v.serial, 40), None),
        "profile": (safe_text(v.profile, 40), Style(dim=True)),
        "step": (step_text(v), Style(color="cyan") if v.status == "running" else Style(dim=True)),
        "elapsed": (duration_text(v.elapsed(now)) if v.started else "", None),
        "pass": count("PASS"), "warn": count("WARN"), "fail": count("FAIL"), "error": count("ERROR"),
        "functional": (str(grade.get("functional") or ("-" if grade else "")), Style(bold=True)),
        "cosmetic": (str(grade.get("cosmetic") or ""), None),
        "letter": (str(grade.get("letter") or ""), Style(bold=True)),
        "disposition": (disposition, DISPOSITION_STYLE.get(disposition)),
        "last": ((why, DISPOSITION_STYLE.get(disposition)) if why
                 else (safe_text(last, 40), OUTCOME_STYLE.get(v.last_outcome))),
    }


def render_row(values: dict[str, tuple[str, Style | None]], base: Style, columns: tuple[Column, ...]) -> Strip:
    segments: list[Segment] = []
    for i, column in enumerate(columns):
        text, style = values[column.key]
        if i:
            segments.append(Segment(" " * GAP, base))
        segments.append(Segment(_fit(text, column.width, column.right), base + style if style else base))
    return Strip(segments, span(columns))


class SlotGrid(ScrollView, can_focus=True):
    """Rows of slots in a given order; the app tells it which slots changed."""

    BINDINGS = [
        Binding("up,k", "cursor(-1)", "Up", show=False),
        Binding("down,j", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last", show=False),
        Binding("enter", "choose", "Detail"),
    ]
    DEFAULT_CSS = "SlotGrid { height: 1fr; }"

    class Chosen(Message):
        """The technician opened a slot (Enter or a click on the selected row)."""

        def __init__(self, slot: str) -> None:
            super().__init__()
            self.slot = slot

    def __init__(self, views: dict[str, SlotView], clock: Callable[[], datetime], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.views = views
        self.clock = clock
        self.order: list[str] = []
        self.cursor = 0
        self._index: dict[str, int] = {}
        self._cache: dict[str, tuple[tuple[object, ...], Strip]] = {}
        self._base: Style | None = None
        self.rendered_rows = 0  # rows actually rendered (not served from cache): for tests and the benchmark
        self.columns = COLUMNS
        self._now = clock()

    # --- data ---------------------------------------------------------------------------
    @property
    def cursor_slot(self) -> str | None:
        return self.order[self.cursor] if 0 <= self.cursor < len(self.order) else None

    def set_order(self, order: list[str]) -> None:
        """Rows to show, in order; the cursor stays on its slot when that slot is still shown."""
        if order == self.order:
            return
        keep = self.cursor_slot
        self.order = order
        self._index = {s: i for i, s in enumerate(order)}
        self.cursor = self._index.get(keep, min(self.cursor, len(order) - 1)) if keep else 0
        self.cursor = max(0, self.cursor)
        self.virtual_size = Size(span(self.columns), len(order) + 1)
        self.refresh()

    def on_resize(self) -> None:
        columns = fit_columns(self.scrollable_content_region.width or self.size.width)
        if columns != self.columns:
            self.columns = columns
            self._cache.clear()
            self.virtual_size = Size(span(columns), len(self.order) + 1)
            self.refresh()

    def forget_rows(self) -> None:
        """Another run: versions start again, so cached strips of same-named slots are stale."""
        self._cache.clear()

    def rows_changed(self, slots: set[str]) -> None:
        """Repaint only the visible lines of these slots."""
        top = int(self.scroll_offset.y)
        visible = range(top, top + self.size.height)
        for slot in slots:
            i = self._index.get(slot)
            if i is not None and i in visible:
                self.refresh_line(i + 1)

    def tick(self, now: datetime) -> None:
        """Once a second: elapsed times move on the visible running rows."""
        self._now = now
        self.rows_changed({s for s in self.order if self.views[s].status == "running"})

    # --- rendering ----------------------------------------------------------------------
    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._base = None
        self._cache.clear()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.size.width
        if self._base is None:
            self._base = self.rich_style
        if y == 0:  # the column titles stay put while rows scroll
            strip = render_row({c.key: (c.title, HEADER_STYLE) for c in self.columns}, self._base, self.columns)
        else:
            i = scroll_y + y - 1
            if i >= len(self.order):
                return Strip.blank(width, self._base)
            strip = self._row(self.order[i], i == self.cursor)
        return strip.crop_extend(scroll_x, scroll_x + width, self._base)

    def _row(self, slot: str, selected: bool) -> Strip:
        v = self.views[slot]
        elapsed = duration_text(v.elapsed(self._now)) if v.started else ""
        key = (v.version, elapsed, selected)
        hit = self._cache.get(slot)
        if hit is not None and hit[0] == key:
            return hit[1]
        assert self._base is not None
        strip = render_row(cells(v, self._now), self._base, self.columns)
        if selected:
            strip = strip.apply_style(CURSOR_STYLE)
        self._cache[slot] = (key, strip)
        self.rendered_rows += 1
        return strip

    # --- keyboard and mouse -------------------------------------------------------------
    def _move_to(self, index: int) -> None:
        if not self.order:
            return
        old, self.cursor = self.cursor, max(0, min(len(self.order) - 1, index))
        self.refresh_line(old + 1)
        self.refresh_line(self.cursor + 1)
        rows_visible = max(1, self.scrollable_content_region.height - 1)
        top = int(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + rows_visible:
            self.scroll_to(y=self.cursor - rows_visible + 1, animate=False, immediate=True)

    def action_cursor(self, delta: int) -> None:
        self._move_to(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        self._move_to(self.cursor + direction * max(1, self.scrollable_content_region.height - 2))

    def action_jump(self, index: int) -> None:
        self._move_to(index if index >= 0 else len(self.order) - 1)

    def action_choose(self) -> None:
        if self.cursor_slot is not None:
            self.post_message(self.Chosen(self.cursor_slot))

    def select(self, slot: str) -> None:
        if slot in self._index:
            self._move_to(self._index[slot])

    def on_click(self, event: Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y == 0:
            return
        index = int(self.scroll_offset.y) + offset.y - 1
        if index >= len(self.order):
            return
        if index == self.cursor or event.chain > 1:
            self.post_message(self.Chosen(self.order[index]))
        self._move_to(index)
