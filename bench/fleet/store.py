"""The fleet store in PostgreSQL: what a bench sends, what an operator approves, what the fleet reads back.

Every write is idempotent: a record is keyed by its hash (ON CONFLICT DO NOTHING), a unit row follows the
latest record of its unit and never goes back to an older one, so a batch sent twice (a sender killed
between the fleet's commit and its own mark) changes nothing the second time.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from bench.errors import BadInput, BenchError
from bench.fleet.schema import migrate
from bench.fleet.url import check_url, target

CONNECT_TIMEOUT_S = 3
# A store that stops answering mid-statement (a dropped network) is noticed in seconds, not hours.
KEEPALIVE = {"keepalives": 1, "keepalives_idle": 5, "keepalives_interval": 2, "keepalives_count": 2}
STATEMENT_TIMEOUT_MS = 15000


class FleetUnreachable(BenchError):
    """The fleet store cannot be reached or refused the work; what was not sent waits in the local store."""


@dataclass(frozen=True)
class SentBatch:
    sent: int  # records new to the fleet store
    already: int  # records it held already (sent before, by this bench or a restarted sender)


def connect(url: str, *, migrate_schema: bool = True) -> psycopg.Connection[dict[str, Any]]:
    """A connection to the fleet store, its schema brought up to date; FleetUnreachable with the URL's
    password left out when the server does not answer or refuses."""
    check_url(url, "fleet store")
    try:
        conn = psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT_S, row_factory=dict_row, autocommit=True,
                               options=f"-c statement_timeout={STATEMENT_TIMEOUT_MS}",
                               application_name="bench", **KEEPALIVE)  # type: ignore[arg-type]
    except psycopg.Error as e:
        raise FleetUnreachable(f"fleet store {target(url)} cannot be reached ({one_line(e)})") from None
    try:
        if migrate_schema:
            migrate(conn)
    except psycopg.Error as e:
        conn.close()
        raise FleetUnreachable(f"fleet store {target(url)}: schema migration failed ({one_line(e)})") from None
    return conn


def one_line(e: BaseException, url: str = "") -> str:
    text = " ".join(str(e).split())[:200]
    return text.replace(url, target(url)) if url else text


def record_fields(row: Mapping[str, Any]) -> dict[str, Any]:
    """A local record row as the fleet keeps it, with its unit facts read from the signed text."""
    body = json.loads(row["canonical"])
    return {"hash": row["hash"], "bench": str(body.get("bench") or ""), "store_id": str(body.get("store_id") or ""),
            "seq": int(row["seq"]), "run_id": int(row["run_id"]), "slot": str(row["slot"]),
            "serial": str(row["serial"]), "canonical": row["canonical"], "prev_hash": row["prev_hash"],
            "signature": row["signature"], "key_fingerprint": row["key_fingerprint"],
            "model": str(body.get("model") or ""), "grade": body.get("grade"),
            "started": body.get("started"), "finished": body.get("finished")}


def push(conn: psycopg.Connection[Any], rows: Iterable[Mapping[str, Any]], public_pems: Mapping[str, str]) -> SentBatch:
    """Send local record rows (oldest first) in one transaction: register each (bench, key) the first time,
    insert the records by hash, move each unit row to its latest record."""
    recs = [record_fields(r) for r in rows]
    sent = 0
    with conn.transaction():
        for fp_bench in {(r["bench"], r["key_fingerprint"]) for r in recs}:
            pem = public_pems.get(fp_bench[1])
            if pem is None:
                raise BadInput(f"the local store has no public key {fp_bench[1][:16]} for its records; "
                               "run 'bench verify' on it")
            conn.execute("INSERT INTO benches(name, key_fingerprint, public_pem) VALUES (%s, %s, %s)"
                         " ON CONFLICT DO NOTHING", (fp_bench[0], fp_bench[1], pem))
        for r in recs:
            cur = conn.execute(
                "INSERT INTO records(hash, bench, store_id, seq, run_id, slot, serial, canonical, prev_hash,"
                " signature, key_fingerprint) VALUES (%(hash)s, %(bench)s, %(store_id)s, %(seq)s, %(run_id)s,"
                " %(slot)s, %(serial)s, %(canonical)s, %(prev_hash)s, %(signature)s, %(key_fingerprint)s)"
                " ON CONFLICT (hash) DO NOTHING", r)
            if cur.rowcount != 1:
                continue
            sent += 1
            conn.execute(
                "INSERT INTO units(bench, store_id, run_id, slot, serial, model, grade, started, finished,"
                " record_hash, record_seq) VALUES (%(bench)s, %(store_id)s, %(run_id)s, %(slot)s, %(serial)s,"
                " %(model)s, %(grade)s, %(started)s, %(finished)s, %(hash)s, %(seq)s)"
                " ON CONFLICT (bench, store_id, run_id, slot) DO UPDATE SET serial=EXCLUDED.serial,"
                " model=EXCLUDED.model, grade=EXCLUDED.grade, started=EXCLUDED.started,"
                " finished=EXCLUDED.finished, record_hash=EXCLUDED.record_hash, record_seq=EXCLUDED.record_seq"
                " WHERE units.record_seq < EXCLUDED.record_seq",
                r | {"grade": Jsonb(r["grade"]) if r["grade"] is not None else None})
    return SentBatch(sent, len(recs) - sent)


def approve(conn: psycopg.Connection[Any], name: str, operator: str, key: str | None = None) -> list[str]:
    """Approve this bench's registered key whose fingerprint starts with `key` (the operator read it on the
    bench), or with no `key` every key registered under the name; the fingerprints approved."""
    with conn.transaction():
        known = [str(r["key_fingerprint"]) for r in conn.execute(
            "SELECT key_fingerprint FROM benches WHERE name=%s ORDER BY registered", (name,))]
        if not known:
            raise BadInput(f"no bench named {name!r} has synced to this fleet store; run 'bench fleet list' for "
                           "the benches it knows")
        wanted = known
        if key is not None:
            prefix = key.strip().lower()
            if len(prefix) < 16 or any(c not in "0123456789abcdef" for c in prefix):
                raise BadInput(f"--key {key!r}: give at least the first 16 hex digits of the key fingerprint "
                               "(bench sync and bench fleet list show it)")
            wanted = [fp for fp in known if fp.startswith(prefix)]
            if not wanted:
                raise BadInput(f"bench {name!r} has no registered key {prefix}; its key(s): {', '.join(known)}. "
                               "Compare with the fingerprint the bench's own 'bench sync' printed")
        rows = conn.execute("UPDATE benches SET approved=true, approved_by=%s, approved_at=now()"
                            " WHERE name=%s AND key_fingerprint = ANY(%s) AND NOT approved RETURNING key_fingerprint",
                            (operator, name, wanted)).fetchall()
    return [str(r["key_fingerprint"]) for r in rows]


def approval(conn: psycopg.Connection[Any], fingerprints: Iterable[str]) -> dict[tuple[str, str], bool]:
    """(bench name, key fingerprint) -> approved, for these keys as the fleet store registered them."""
    rows = conn.execute("SELECT name, key_fingerprint, approved FROM benches WHERE key_fingerprint = ANY(%s)",
                        (list(fingerprints),)).fetchall()
    return {(str(r["name"]), str(r["key_fingerprint"])): bool(r["approved"]) for r in rows}


def benches(conn: psycopg.Connection[Any]) -> list[dict[str, Any]]:
    """Every registered (bench, key) with its approval and how many records and units it sent."""
    return list(conn.execute(
        "SELECT b.name, b.key_fingerprint, b.public_pem, b.approved, b.approved_by, b.approved_at, b.registered,"
        " (SELECT count(*) FROM records r WHERE r.bench=b.name AND r.key_fingerprint=b.key_fingerprint) AS records,"
        " (SELECT count(*) FROM units u JOIN records r ON r.hash=u.record_hash WHERE u.bench=b.name"
        "  AND r.key_fingerprint=b.key_fingerprint) AS units,"
        " (SELECT max(u.finished) FROM units u WHERE u.bench=b.name) AS last_finished"
        " FROM benches b ORDER BY b.name, b.registered").fetchall())


def shared_list_sizes(conn: psycopg.Connection[Any]) -> tuple[int, int]:
    """(blocked serials, known-good image hashes) the fleet store holds for every bench."""
    row = conn.execute("SELECT (SELECT count(*) FROM blocked_serials) AS b, (SELECT count(*) FROM image_hashes) AS i"
                       ).fetchone()
    return (int(row["b"]), int(row["i"])) if row else (0, 0)
