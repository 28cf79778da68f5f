"""Driving the dashboard with Pilot: its size, what the grid shows as text, waiting for it with a deadline."""

from __future__ import annotations

import asyncio

from bench.tui.app import BenchApp
from bench.tui.grid import SlotGrid

SIZE = (170, 30)


def grid_lines(app: BenchApp) -> dict[str, str]:
    """What the grid shows, per slot, as plain text (the strips the terminal receives)."""
    grid = app.query_one(SlotGrid)
    lines = {}
    for y in range(1, grid.size.height):
        text = "".join(seg.text for seg in grid.render_line(y)).rstrip()
        if text:
            lines[text.split()[0]] = text
    return lines


async def settle(pilot, until, deadline: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    """Let the app poll until `until()` holds; generous deadline, no fixed sleeps."""
    loop = asyncio.get_running_loop()
    end = loop.time() + deadline
    while not until():
        if loop.time() > end:
            raise AssertionError("the dashboard did not catch up in time")
        await pilot.pause(0.05)
