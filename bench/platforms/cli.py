"""Run one CLI command and classify the answer: output, refused by the unit, lost by the bench, or no CLI.

Every collector reads the unit through these two functions, so "the unit refused" (a fact about the
unit, decided by the platform's own refusal patterns) is never confused with "the bench lost the
session" (the bench's problem) or "there is no CLI" (the check does not apply).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from bench.drivers.parsing import ParseError, parse, sanitize
from bench.platforms.data import PlatformData
from bench.tests_hw.base import ChannelMissing, TestContext

Kind = Literal["output", "refused", "lost", "no_cli"]
Row = TypeVar("Row")


@dataclass
class Shown:
    """Outcome of one CLI command: exactly one of text, rejected, error, missing is meaningful."""

    command: str
    text: str = ""
    rejected: str = ""  # the device's refusal line
    error: str = ""  # the bench's problem: lost session, timeout
    missing: str = ""  # no CLI channel

    @property
    def ok(self) -> bool:
        return not (self.rejected or self.error or self.missing)

    @property
    def kind(self) -> Kind:
        if self.missing:
            return "no_cli"
        if self.error:
            return "lost"
        return "refused" if self.rejected else "output"

    @property
    def problem(self) -> str:
        """One line for a collector's `problems`; '' when the command answered."""
        if self.missing or self.error:
            return self.missing or self.error
        return f"{self.command!r} rejected: {self.rejected}" if self.rejected else ""


def failure(command: str, exc: BaseException) -> str:
    return f"{command!r}: {type(exc).__name__}: {exc}"[:300]


def classify(data: PlatformData, command: str, text: str) -> Shown:
    text = sanitize(text)
    return Shown(command, text=text, rejected=data.refusal(text))


async def run_classified(ctx: TestContext, data: PlatformData, command: str, *, fresh: bool = False,
                         timeout: float = 30.0) -> Shown:
    """`command` through the session's shared cache. `fresh` reads the unit now (readings that change over
    time); an answer that is not output is dropped from the cache, so no later check inherits it."""
    if fresh:
        ctx.cache.pop(command, None)
    try:
        shown = classify(data, command, await ctx.show(command, timeout=timeout))
    except ChannelMissing as exc:
        return Shown(command, missing=str(exc))
    except Exception as exc:  # failures are data: a dead session becomes the check's ERROR, not a crash
        return Shown(command, error=failure(command, exc))
    if not shown.ok:
        ctx.cache.pop(command, None)
    return shown


async def send_classified(channel: Any, data: PlatformData, command: str, timeout: float = 30.0) -> Shown:
    """`command` on one given channel (a console, or a wipe step), bypassing the cache."""
    try:
        return classify(data, command, await channel.send(command, timeout=timeout))
    except Exception as exc:  # a lost session is the bench's problem: reported, never raised
        return Shown(command, error=failure(command, exc))


class Refused(Exception):
    """The command could not be read: rejected by the unit or lost by the bench."""


Reader = Callable[..., Awaitable[str]]


def command_reader(data: PlatformData, tidy: Callable[[str, str], str] | None = None) -> Reader:
    """A collector's `_read(ctx, command, fresh=False, timeout=30.0)`: the output of one command, or Refused
    with why. `fresh` re-runs it (live state must not come from cache); `tidy(text, command)` cleans what the
    unit echoes around the answer."""

    async def read(ctx: TestContext, command: str, fresh: bool = False, timeout: float = 30.0) -> str:
        shown = await run_classified(ctx, data, command, fresh=fresh, timeout=timeout)
        if not shown.ok:
            raise Refused(shown.problem)
        return tidy(shown.text, command) if tidy else shown.text

    return read


async def read_rows(ctx: TestContext, read: Reader, command: str, parse: Callable[[str], list[Row]],
                    what: str) -> list[Row]:
    """`command` read now and parsed into rows; Refused when it lists no `what`: an empty table is a reading
    not taken, never a unit with nothing wrong."""
    rows = parse(await read(ctx, command, fresh=True))
    if not rows:
        raise Refused(f"{command!r} lists no {what}")
    return rows


class NotingReader:
    """Runs commands and parses them by the platform's templates, turning each failure into one problem line
    (`problems`) and a None, so a collector goes on to its next reading."""

    def __init__(self, ctx: TestContext, data: PlatformData) -> None:
        self.ctx = ctx
        self.data = data
        self.problems: list[str] = []

    async def text(self, command: str, fresh: bool = False) -> str | None:
        shown = await run_classified(self.ctx, self.data, command, fresh=fresh)
        if not shown.ok:
            self.problems.append(shown.problem)
            return None
        return shown.text

    def parsed(self, command: str, text: str) -> list[dict[str, Any]] | None:
        try:
            rows = parse(self.data.template_platform, self.data.template(command), text)
        except ParseError as exc:
            self.problems.append(str(exc))
            return None
        if rows is None:
            self.problems.append(f"no ntc-template for {command!r} on {self.data.name}")
        return rows

    async def rows(self, command: str, fresh: bool = False) -> list[dict[str, Any]] | None:
        text = await self.text(command, fresh)
        return None if text is None else self.parsed(command, text)


async def read_now(ctx: TestContext, data: PlatformData, command: str) -> Shown:
    """`command` as the unit answers it now (after a wipe, say), left out of the cache for later readers."""
    shown = await run_classified(ctx, data, command, fresh=True)
    ctx.cache.pop(command, None)
    return shown
