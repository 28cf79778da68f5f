"""The background sender: sealed records go from the bench's SQLite journal to the fleet store.

It runs in its own thread with its own connections, so grading never waits on it: the engine seals into
SQLite as always and the sender picks up what the fleet store has not acknowledged (Store.unsent_records),
oldest first, in batches. A record leaves the outbox only after the fleet store committed it; a sender
killed in between sends it again and the fleet store keeps it once (by hash). When the store is down the
records wait, and the sender tries again with a growing pause.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import psycopg

from bench.errors import BadInput
from bench.fleet import store as fleet_store
from bench.fleet.url import target
from bench.store import Store

BATCH = 500
POLL_S = 0.25  # how soon a sealed record is picked up while the store answers
RETRY_MIN_S, RETRY_MAX_S = 0.5, 5.0


@dataclass
class SyncReport:
    sent: int = 0
    already: int = 0
    pending: int = 0


def sync_once(local: Store, conn: psycopg.Connection, fleet_target: str, batch: int = BATCH) -> SyncReport:
    """Send everything pending, batch by batch, marking each batch once the fleet store committed it."""
    report = SyncReport()
    while True:
        rows = local.unsent_records(fleet_target, batch)
        if not rows:
            return report
        got = fleet_store.push(conn, rows, local.public_keys())
        local.mark_sent(fleet_target, rows)
        report.sent += got.sent
        report.already += got.already


class FleetSender:
    """`bench run --fleet URL`: a daemon thread sending sealed records as the run goes."""

    def __init__(self, db_path: str, url: str, note: Callable[[str], None] = lambda _line: None) -> None:
        self.db_path = db_path
        self.url = url
        self.target = target(url)
        self.note = note  # one line when the fleet store goes away or comes back (never the password)
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._drain_until = 0.0
        self._thread = threading.Thread(target=self._loop, name="fleet-sender", daemon=True)
        self.sent = 0
        self.pending = 0
        self.up: bool | None = None  # None until the first attempt
        self.latencies: list[float] = []  # seconds from a batch's pick-up to the fleet's commit

    def start(self) -> FleetSender:
        self._thread.start()
        return self

    def wake(self) -> None:
        self._wake.set()

    def stop(self, drain_s: float = 10.0) -> int:
        """Stop after sending what is pending, waiting at most `drain_s`; the records still pending."""
        self._drain_until = time.monotonic() + drain_s
        self._stop.set()
        self._wake.set()
        self._thread.join(drain_s + fleet_store.CONNECT_TIMEOUT_S + 2)
        return self.pending

    def _loop(self) -> None:
        local = Store(self.db_path)  # a connection of this thread's own: the engine's transactions stay its own
        conn: psycopg.Connection | None = None
        pause = RETRY_MIN_S
        try:
            while True:
                try:
                    if conn is None or conn.closed:
                        conn = fleet_store.connect(self.url)
                    t0 = time.monotonic()
                    report = sync_once(local, conn, self.target)
                    if report.sent or report.already:
                        self.latencies.append(time.monotonic() - t0)
                    self.sent += report.sent
                    self.pending = 0
                    self._went(True, "")
                    pause = RETRY_MIN_S
                    if self._stop.is_set():
                        return
                    self._wake.wait(POLL_S)
                    self._wake.clear()
                    continue
                except (fleet_store.FleetUnreachable, psycopg.Error, OSError) as e:
                    if conn is not None:
                        conn.close()
                    conn = None
                    self.pending = local.unsent_count(self.target)
                    self._went(False, fleet_store.one_line(e, self.url))
                except BadInput as e:  # a local store that cannot be sent as it stands: say so, keep grading
                    self.pending = local.unsent_count(self.target)
                    self._went(False, str(e))
                if self._stop.is_set() and time.monotonic() >= self._drain_until:
                    return
                self._wake.wait(pause if not self._stop.is_set() else min(pause, 1.0))
                self._wake.clear()
                pause = min(pause * 2, RETRY_MAX_S)
        finally:
            if conn is not None:
                conn.close()
            local.close()

    def _went(self, up: bool, why: str) -> None:
        if up == self.up:
            return
        self.up = up
        if up:
            self.note(f"fleet: sending to {self.target}")
        else:
            self.note(f"fleet: {why}; {self.pending} record(s) wait in the local store and go when it answers")
