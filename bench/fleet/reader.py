"""A read-only, store-like reader over the fleet store: what `bench tui --db postgresql://...` follows.

The dashboard's follower and slot detail call a bench store's read methods (latest_run, slots, results,
...); FleetReader answers the same calls from the fleet store for one chosen bench, so the existing
screens show that bench's units as they arrive. The fleet store keeps sealed records only, so every unit
here is done, and events, transcripts and telemetry are empty (they stay in each bench's own store).
`benches()` is the fleet's own table: each bench with its trust, units, state and throughput.

A fleet store that goes away raises StoreBusy, which the dashboard shows as "retrying"; the next call
connects again. Nothing here writes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg

from bench.fleet import store as fleet_store
from bench.fleet.url import target
from bench.model import TestResult
from bench.store import RunInfo, StoreBusy

ACTIVE_WINDOW = timedelta(minutes=5)  # a bench whose last record arrived within this is "receiving"
THROUGHPUT_WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class BenchSummary:
    name: str
    approved: bool
    key_fingerprint: str
    units: int
    runs: int
    last_received: datetime | None
    per_hour: int  # units whose record arrived in the last hour

    def state(self, now: datetime) -> str:
        if self.last_received is None:
            return "registered, nothing sent"
        if now - self.last_received <= ACTIVE_WINDOW:
            return "receiving"
        return f"idle since {self.last_received:%Y-%m-%d %H:%M} UTC"

    @property
    def trust(self) -> str:
        return "approved" if self.approved else "HELD: not approved"


class FleetReader:
    """The fleet store, read like a bench store for one bench at a time (`select`)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.path = target(url)  # shown in the dashboard: never the password
        self.bench: str | None = None
        self._conn: psycopg.Connection[Any] | None = None
        self._runs: dict[int, tuple[str, str, int]] = {}  # run id shown -> (bench, store_id, run_id)
        self._last_results: dict[tuple[int, str], dict[str, TestResult]] = {}
        self.connect()  # fails fast (FleetUnreachable: one line, exit 1) before a terminal is taken over

    # --- the connection ---------------------------------------------------------------------
    def connect(self) -> psycopg.Connection[Any]:
        if self._conn is None or self._conn.closed:
            self._conn = fleet_store.connect(self.url, migrate_schema=False)
        return self._conn

    def _rows(self, sql: str, args: Iterable[Any] = ()) -> list[dict[str, Any]]:
        try:
            return list(self.connect().execute(sql, list(args)).fetchall())  # type: ignore[arg-type]
        except psycopg.errors.UndefinedTable:
            return []  # no bench has synced yet: the schema comes with the first sync
        except (psycopg.Error, fleet_store.FleetUnreachable, OSError) as e:
            if self._conn is not None:
                self._conn.close()
            raise StoreBusy(f"fleet store {self.path}: {fleet_store.one_line(e, self.url)}") from None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()

    # --- the fleet's own view ---------------------------------------------------------------
    def benches(self, now: datetime | None = None) -> list[BenchSummary]:
        since = (now or datetime.now(UTC)) - THROUGHPUT_WINDOW
        rows = self._rows(
            "SELECT b.name, bool_and(b.approved) AS approved, min(b.key_fingerprint) AS fp,"
            " (SELECT count(*) FROM units u WHERE u.bench = b.name) AS units,"
            " (SELECT count(DISTINCT (u.store_id, u.run_id)) FROM units u WHERE u.bench = b.name) AS runs,"
            " (SELECT max(r.received) FROM records r WHERE r.bench = b.name) AS last_received,"
            " (SELECT count(*) FROM units u JOIN records r ON r.hash = u.record_hash"
            "   WHERE u.bench = b.name AND r.received >= %s) AS per_hour"
            " FROM benches b GROUP BY b.name ORDER BY b.name", [since])
        return [BenchSummary(str(r["name"]), bool(r["approved"]), str(r["fp"]), int(r["units"]), int(r["runs"]),
                             r["last_received"], int(r["per_hour"])) for r in rows]

    def select(self, bench: str) -> None:
        """Follow this bench's runs from now on (the dashboard re-reads on the next poll)."""
        self.bench = bench
        self._runs.clear()

    # --- what a bench store answers, for the chosen bench -------------------------------------
    def latest_run(self) -> RunInfo | None:
        if self.bench is None:
            return None
        rows = self._rows("SELECT u.store_id, u.run_id FROM units u JOIN records r ON r.hash = u.record_hash"
                          " WHERE u.bench = %s GROUP BY u.store_id, u.run_id ORDER BY max(r.received) DESC LIMIT 1",
                          [self.bench])
        if not rows:
            return None
        # The dashboard shows the bench's own run id. A bench that was reinstalled (a new store) may reuse
        # a run id; the newest store's run is the one shown.
        run_id = int(rows[0]["run_id"])
        self._runs[run_id] = (self.bench, str(rows[0]["store_id"]), run_id)
        return self.run(run_id)

    def run(self, run_id: int) -> RunInfo | None:
        key = self._runs.get(run_id)
        if key is None:
            return None
        rows = self._rows("SELECT r.canonical FROM units u JOIN records r ON r.hash = u.record_hash"
                          " WHERE u.bench = %s AND u.store_id = %s AND u.run_id = %s ORDER BY r.received DESC LIMIT 1",
                          key)
        if not rows:
            return None
        run = json.loads(rows[0]["canonical"]).get("run") or {}
        return RunInfo(id=run_id, key=str(run.get("key", "")), bench=key[0], plan=str(run.get("plan", "")),
                       status="done", started=str(run.get("started") or ""), finished=None,
                       source=str(run.get("source") or ""))

    def _units(self, run_id: int, slots: Iterable[str] | None = None) -> list[dict[str, Any]]:
        key = self._runs.get(run_id)
        if key is None:
            return []
        sql = ("SELECT u.slot, r.canonical FROM units u JOIN records r ON r.hash = u.record_hash"
               " WHERE u.bench = %s AND u.store_id = %s AND u.run_id = %s")
        args: list[Any] = list(key)
        if slots is not None:
            sql += " AND u.slot = ANY(%s)"
            args.append(list(slots))
        out = []
        for r in self._rows(sql, args):
            try:
                body = json.loads(r["canonical"])
            except ValueError:
                body = {}
            body = body if isinstance(body, dict) else {}
            body.setdefault("slot", r["slot"])
            out.append(body)
        return out

    def slots(self, run_id: int) -> list[dict[str, Any]]:
        units = self._units(run_id)
        order = {s: i for u in units for i, s in enumerate((u.get("run") or {}).get("slots") or [])}
        return sorted((_slot_row(u, order) for u in units), key=lambda r: (r["position"], r["slot"]))

    def slots_named(self, run_id: int, slots: Iterable[str]) -> list[dict[str, Any]]:
        slots = list(slots)
        try:
            units = self._units(run_id, slots)
        except StoreBusy:  # the slot detail asks outside the dashboard's poll: what it showed stays
            return []
        order = {s: i for u in units for i, s in enumerate((u.get("run") or {}).get("slots") or [])}
        return [_slot_row(u, order) for u in units]

    def outcome_counts(self, run_id: int, slots: Iterable[str] | None = None) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for u in self._units(run_id, slots):
            counts = out.setdefault(str(u.get("slot", "")), {})
            for t in u.get("tests") or []:
                outcome = str(t.get("outcome", "")) if isinstance(t, dict) else ""
                counts[outcome] = counts.get(outcome, 0) + 1
        return out

    def results(self, run_id: int, slot: str) -> dict[str, TestResult]:
        out: dict[str, TestResult] = {}
        try:
            units = self._units(run_id, [slot])
        except StoreBusy:  # the slot detail asks outside the dashboard's poll: the last answer stays shown
            return dict(self._last_results.get((run_id, slot), {}))
        for u in units:
            for t in u.get("tests") or []:
                try:
                    out[str(t["name"])] = TestResult.from_dict(t)
                except (KeyError, TypeError, ValueError):
                    continue  # a sealed record is signed; one that does not parse is bench verify's finding
        self._last_results[(run_id, slot)] = out
        return out

    # Events, transcripts and telemetry stay in each bench's own store.
    def events(self, run_id: int, after_id: int = 0, limit: int = 10000) -> list[dict[str, Any]]:
        return []

    def last_event_id(self, run_id: int) -> int:
        return 0

    def latest_event_per_slot(self, run_id: int, kind: str) -> list[dict[str, Any]]:
        return []

    def slot_events(self, run_id: int, slot: str, kind: str, limit: int = 500) -> list[dict[str, Any]]:
        return []

    def transcript_after(self, run_id: int, slot: str, after_rowid: int = 0, limit: int = 5000) -> list[Any]:
        return []

    def telemetry_after(self, run_id: int, slot: str, after_rowid: int = 0, limit: int = 5000) -> list[Any]:
        return []

    def request_waiting(self, request_id: int) -> bool:
        return False


def _slot_row(body: dict[str, Any], order: dict[str, int]) -> dict[str, Any]:
    """A unit's signed record as a bench store's slot row (the columns SlotView and the detail read)."""
    slot = str(body.get("slot", ""))
    identity = dict(body.get("identity") or {}) | {"components": body.get("components") or []}
    grade = body.get("grade")
    return {"slot": slot, "status": "done" if body.get("finished") else "running",
            "model": body.get("model") or "", "serial": body.get("serial") or "",
            "profile": body.get("profile") or "", "grade": json.dumps(grade) if grade else None,
            "started": body.get("started"), "finished": body.get("finished"),
            "position": order.get(slot, len(order)), "identity": json.dumps(identity)}
