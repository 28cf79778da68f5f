"""What only the fleet sees: the same serial graded on another bench.

A read-only question the authenticity test asks while grading (TestContext.slot.fleet). It never blocks
the bench: a short connect timeout, run off the event loop, and any failure is an answer of its own
("not checked", with why) rather than an error.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import psycopg

from bench.fleet import store as fleet_store
from bench.fleet.url import target

LOOKUP_TIMEOUT_S = 5.0


def sightings(conn: psycopg.Connection[Any], serial: str, bench: str, since: str | None) -> list[dict[str, Any]]:
    """Units of other benches with this serial, newest first. `at_once`: that unit was still on its bench
    when this one was put on ours (its test ended after ours began), so two units carry one serial."""
    rows = conn.execute(
        "SELECT u.bench, u.run_id, u.slot, u.started, u.finished, u.grade,"
        " COALESCE(b.approved, false) AS approved FROM units u JOIN records r ON r.hash = u.record_hash"
        " LEFT JOIN benches b ON b.name = u.bench AND b.key_fingerprint = r.key_fingerprint"
        " WHERE upper(u.serial) = upper(%s) AND u.bench <> %s ORDER BY u.finished DESC NULLS LAST LIMIT 20",
        (serial, bench)).fetchall()
    out = []
    for r in rows:
        grade = r["grade"] if isinstance(r["grade"], dict) else {}
        out.append({"bench": r["bench"], "run_id": r["run_id"], "slot": r["slot"], "started": r["started"],
                    "finished": r["finished"], "letter": grade.get("letter"),
                    "disposition": grade.get("disposition"),
                    "at_once": bool(since and (r["finished"] or "") >= since),
                    "trusted": bool(r["approved"])})
    return out


def lookup_for(url: str, bench: str, since: Callable[[], str | None]) -> Callable[[str], Awaitable[dict[str, Any]]]:
    """The hook handed to one slot's tests: serial -> {"checked": bool, "why": str, "sightings": [...]}."""

    def blocking(serial: str, started: str | None) -> dict[str, Any]:
        try:
            with fleet_store.connect(url, migrate_schema=False) as conn:
                return {"checked": True, "why": "", "store": target(url),
                        "sightings": sightings(conn, serial, bench, started)}
        except (fleet_store.FleetUnreachable, psycopg.Error, OSError) as e:
            return {"checked": False, "why": fleet_store.one_line(e, url), "store": target(url), "sightings": []}

    async def ask(serial: str) -> dict[str, Any]:
        try:
            started = since()  # on the loop's thread: the bench's own store connection stays there
            return await asyncio.wait_for(asyncio.to_thread(blocking, serial, started), LOOKUP_TIMEOUT_S)
        except TimeoutError:
            return {"checked": False, "why": f"the fleet store did not answer within {LOOKUP_TIMEOUT_S:g} s",
                    "store": target(url), "sightings": []}

    return ask
