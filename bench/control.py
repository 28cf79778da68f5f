"""Technician requests to a running engine, through the store: skip the current test, mark a slot empty.

The dashboard may be another process than the engine, so a request is a row in the store's `control`
table; the engine takes new rows twice a second (with its event flush) and acts on them. Skipping
cancels the slot's current test: it is recorded NOT_RUN with who skipped it, never PASS. Marking a
slot empty does the same and records every remaining test NOT_RUN. A test running in a driver thread
(netmiko, pyserial) is abandoned, not interrupted: its thread ends when its own read times out.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Awaitable
from dataclasses import dataclass

from bench.errors import BadInput
from bench.model import Outcome, TestResult, utc_now
from bench.store import Store

SCHEMA = """
CREATE TABLE IF NOT EXISTS control (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL,
    slot TEXT NOT NULL,
    action TEXT NOT NULL,           -- skip (the current test), empty (the slot holds no unit)
    operator TEXT NOT NULL,
    ts TEXT NOT NULL,
    taken TEXT                      -- when the engine took it
);
CREATE INDEX IF NOT EXISTS control_run ON control(run_id, taken);
"""
ACTIONS = {"skip": "skip the current test", "empty": "mark the slot empty"}


@dataclass(frozen=True)
class Request:
    id: int
    slot: str
    action: str
    operator: str

    def why(self) -> str:
        done = "skipped" if self.action == "skip" else "slot marked empty"
        return f"{done} by operator {self.operator}"


def request(store: Store, run_id: int, slot: str, action: str, operator: str) -> int:
    if action not in ACTIONS:
        raise BadInput(f"unknown slot action {action!r}; one of: {', '.join(ACTIONS)}")
    if not operator.strip():
        raise BadInput("an operator id is needed to skip a test or mark a slot empty")
    store.db.executescript(SCHEMA)
    cur = store.db.execute("INSERT INTO control(run_id, slot, action, operator, ts) VALUES (?,?,?,?,?)",
                           (run_id, slot, action, operator.strip(), utc_now()))
    return int(cur.lastrowid or 0)


class Controller:
    """The engine's side: takes requests and runs each test so that a request can end it."""

    def __init__(self, store: Store, run_id: int) -> None:
        self.store = store
        self.run_id = run_id
        self.store.db.executescript(SCHEMA)
        self._current: dict[str, asyncio.Task[TestResult]] = {}
        self._skip: dict[str, Request] = {}
        self._empty: dict[str, Request] = {}

    def poll(self) -> list[Request]:
        try:
            rows = self.store.db.execute("SELECT * FROM control WHERE run_id=? AND taken IS NULL ORDER BY id",
                                         (self.run_id,)).fetchall()
            taken = [Request(int(r["id"]), str(r["slot"]), str(r["action"]), str(r["operator"])) for r in rows]
            if taken:
                self.store.db.executemany("UPDATE control SET taken=? WHERE id=?",
                                          [(utc_now(), r.id) for r in taken])
        except sqlite3.OperationalError:
            return []  # the store is busy: the requests wait for the next poll, the run goes on
        for r in taken:
            (self._empty if r.action == "empty" else self._skip)[r.slot] = r
            task = self._current.get(r.slot)
            if task is not None and not task.done():
                task.cancel()
            elif r.action == "skip":
                self._skip.pop(r.slot, None)  # nothing running: nothing to skip
        return taken

    def emptied(self, slot: str) -> Request | None:
        return self._empty.get(slot)

    async def run_test(self, slot: str, name: str, test: Awaitable[TestResult]) -> TestResult:
        """`test` as a task this slot's requests can cancel; a cancelled test is NOT_RUN with who did it."""
        started = utc_now()
        task = asyncio.ensure_future(test)
        self._current[slot] = task
        try:
            await asyncio.wait({task})  # the engine's own cancellation comes out of here
        except asyncio.CancelledError:
            task.cancel()
            raise
        finally:
            self._current.pop(slot, None)
        if task.cancelled():
            req = self._skip.pop(slot, None) or self._empty.get(slot)
            if req is None:
                raise asyncio.CancelledError
            return TestResult(name, Outcome.NOT_RUN, req.why(), {"operator": req.operator, "action": req.action},
                              started, utc_now())
        return task.result()
