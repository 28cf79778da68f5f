"""A simulated family's unit built in-process and driven through its CLI session."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from simulators.faults import parse_faults

Unit = TypeVar("Unit")


def unit(cls: Callable[..., Unit], model: str, faults: str = "", *, index: int = 1, seed: int = 7) -> Unit:
    """Unit `index` of shelf S1 with the named faults (comma-separated, without the `S1:` prefix)."""
    return cls("S1", index, seed, model, parse_faults(",".join(f"S1:{f}" for f in faults.split(",") if f)))


def run(cli: Any, cmd: str, end: str = "\r") -> str:
    """What the session answers to one typed line (ended by `end`, as the client's Enter), with plain newlines."""
    return str(cli.feed(cmd + end).text).replace("\r\n", "\n")


def opened(cli: Any, ready: str, *setup: str) -> Any:
    """An SSH-side session after its first Enter, whose answer must end at `ready`, and the lines a client types
    right after login (pager off, enable)."""
    assert cli.feed("\r").text.endswith(ready)
    for line in setup:
        cli.feed(line + "\r")
    return cli


def spaced_through(cli: Any, more: str, pages: int) -> str:
    """Space through a paged answer until it no longer ends at the `more` prompt (`pages` presses at most);
    what the presses brought."""
    rest = ""
    for _ in range(pages):
        rest += cli.feed(" ").text
        if not rest.endswith(more):
            break
    return rest
