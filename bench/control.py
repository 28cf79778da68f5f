"""Technician requests to a running engine, through the store: skip, empty, stop, retest, start a slot.

The dashboard may be another process than the engine, so a request is a row in the store's `control`
table; the engine takes new rows twice a second (with its event flush) and acts on them. Skipping
cancels the slot's current test: it is recorded NOT_RUN with who skipped it, never PASS. Marking a
slot empty, or stopping it, does the same and records every remaining test NOT_RUN. A retest or a
start (bench.tui.retest clears the results to redo first) makes the engine run the slot again inside
the same run. A test running in a driver thread (netmiko, pyserial) is abandoned, not interrupted:
its thread ends when its own read times out.
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
    action TEXT NOT NULL,           -- skip, empty, stop, retest, start (ACTIONS)
    operator TEXT NOT NULL,
    ts TEXT NOT NULL,
    taken TEXT                      -- when the engine took it
);
CREATE INDEX IF NOT EXISTS control_run ON control(run_id, taken);
"""
ACTIONS = {"skip": "skip the current test", "empty": "mark the slot empty", "stop": "stop the slot",
           "retest": "retest", "start": "start the slot"}
# Requests that end the slot's current test and record its remaining tests NOT_RUN.
ENDING = frozenset({"empty", "stop"})
# Requests that make the engine run the slot again (its results to redo were cleared by bench.tui.retest).
REQUEUE = frozenset({"retest", "start"})
_DONE_BY = {"skip": "skipped", "empty": "slot marked empty", "stop": "stopped", "retest": "retest asked",
            "start": "started"}


@dataclass(frozen=True)
class Request:
    id: int
    slot: str
    action: str
    operator: str

    def why(self) -> str:
        return f"{_DONE_BY.get(self.action, self.action)} by operator {self.operator}"


def request(store: Store, run_id: int, slot: str, action: str, operator: str) -> int:
    if action not in ACTIONS:
        raise BadInput(f"unknown slot action {action!r}; one of: {', '.join(ACTIONS)}")
    if not operator.strip():
        raise BadInput(f"an operator id is needed to {ACTIONS[action]}")
    store.db.executescript(SCHEMA)
    return insert(store, run_id, slot, action, operator.strip())


def insert(store: Store, run_id: int, slot: str, action: str, operator: str, taken: str | None = None) -> int:
    """The row itself, without a transaction of its own (bench.tui.retest writes it inside one)."""
    cur = store.db.execute("INSERT INTO control(run_id, slot, action, operator, ts, taken) VALUES (?,?,?,?,?,?)",
                           (run_id, slot, action, operator, utc_now(), taken))
    return int(cur.lastrowid or 0)


def ensure_schema(store: Store) -> None:
    store.db.executescript(SCHEMA)


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
            if r.action in REQUEUE:
                # The slot runs again: an earlier stop or mark-empty no longer holds for it.
                self._empty.pop(r.slot, None)
                self._skip.pop(r.slot, None)
                continue
            (self._empty if r.action in ENDING else self._skip)[r.slot] = r
            task = self._current.get(r.slot)
            if task is not None and not task.done():
                task.cancel()
            elif r.action == "skip":
                self._skip.pop(r.slot, None)  # nothing running: nothing to skip
        return taken

    def close_run(self) -> bool:
        """Mark the run done unless a request is waiting (then False: take it first). One write transaction,
        so a dashboard that saw the run 'running' and wrote a retest in its own transaction is never lost."""
        with self.store.transaction():
            waiting = self.store.db.execute("SELECT COUNT(*) AS n FROM control WHERE run_id=? AND taken IS NULL",
                                            (self.run_id,)).fetchone()
            if int(waiting["n"]):
                return False
            self.store.finish_run(self.run_id)
        return True

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
