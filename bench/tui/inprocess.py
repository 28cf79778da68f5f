"""The dashboard and a run in one process: the run is an asyncio task in the app's loop.

The app still follows the store, exactly as when attached from another process. What quitting
means is the caller's choice: `bench demo` ends the demo; `bench run` keeps the run going
headless (see docs/tui.md).
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

from bench.store import Store

T = TypeVar("T")


def newer_than(store: Store) -> int:
    """Runs up to this id are someone else's: show the next one, or the unfinished latest (it may be resumed)."""
    latest = store.latest_run()
    if latest is None:
        return 0
    return latest.id if latest.status == "done" else latest.id - 1


async def run_beside_tui(db: str, work: Coroutine[Any, Any, T], note: str) -> asyncio.Task[T]:
    """Start `work`, show the dashboard until the technician quits; returns the (maybe unfinished) task.

    A run that fails while the dashboard is up closes the dashboard, so its error is seen.
    """
    from bench.tui.app import BenchApp

    store = Store(db)
    app = BenchApp(store, after_run=newer_than(store), note=note)
    task = asyncio.create_task(work)

    def ended(t: asyncio.Task[T]) -> None:
        if t.cancelled() or t.exception() is not None:
            app.exit()
        else:
            app.notify("the run finished; grade units or q to quit", title="bench")

    task.add_done_callback(ended)
    try:
        await app.run_async()
    finally:
        task.remove_done_callback(ended)
        store.close()
    return task
