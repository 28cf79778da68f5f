"""`bench export --db postgresql://...`: every bench's units from the fleet store, in bench export's shape.

Each unit is read from its latest signed record (what its bench sealed) with the fleet store's unit row
for the grade, as a bench's export reads its live rows; `bench verify --db` says whether they agree.
Beside the usual fields each unit carries `fleet`: its bench's store id and whether the bench is approved
(an unapproved bench's units are held, not trusted).
"""

from __future__ import annotations

import json
from typing import Any

import psycopg

from bench.inputs import latest_entries
from bench.reports.csv_cells import write_csv
from bench.reports.export import CSV_COLUMNS, INPUT_FIELDS, Selection, csv_row
from bench.reports.why import telling_reason


def units(conn: psycopg.Connection[Any], selection: Selection | None = None) -> list[dict[str, Any]]:
    """Units of every bench (or of one), latest record of each serial per bench store, bench then run order."""
    selection = selection or Selection()
    sql = ("SELECT u.bench, u.store_id, u.run_id, u.slot, u.serial, u.grade, u.record_hash, r.canonical,"
           " COALESCE(b.approved, false) AS approved FROM units u JOIN records r ON r.hash = u.record_hash"
           " LEFT JOIN benches b ON b.name = u.bench AND b.key_fingerprint = r.key_fingerprint")
    args: list[Any] = []
    if selection.bench is not None:
        sql += " WHERE u.bench = %s"
        args.append(selection.bench)
    rows = conn.execute(sql + " ORDER BY u.bench, u.store_id, u.run_id DESC", args).fetchall()
    newest: dict[tuple[str, str, str], int] = {}
    out = []
    for row in rows:
        serial = str(row["serial"] or "")
        if serial and newest.setdefault((row["bench"], row["store_id"], serial), row["run_id"]) != row["run_id"]:
            continue  # a unit tested in several runs of one bench: its latest, as bench export does
        unit = _unit(row)
        if selection.since and (unit["finished"] or unit["started"] or "") < selection.since:
            continue
        if selection.lot is not None and unit["lot"] != selection.lot:
            continue
        out.append(unit)
    out.sort(key=lambda u: (u["bench"], u["fleet"]["store_id"], u["run_id"], u["position"]))
    for u in out:
        del u["position"]
    return out


def _unit(row: dict[str, Any]) -> dict[str, Any]:
    body = json.loads(row["canonical"])
    grade = row["grade"]
    inputs = latest_entries(body.get("technician_history") or [])
    last = max(inputs.values(), key=lambda e: e["ts"], default=None)
    slots = (body.get("run") or {}).get("slots") or []
    slot = str(row["slot"])
    return {
        "slot": slot,
        "serial": row["serial"] or None,
        "model": body.get("model") or None,
        "profile": body.get("profile") or None,
        "components": body.get("components") or [],
        "tests": body.get("tests") or [],
        "grade": grade,
        "why": telling_reason(grade, limit=1000) or None,
        "status": "done" if body.get("finished") else "sealed",
        "started": body.get("started"),
        "finished": body.get("finished"),
        "record_hash": row["record_hash"],
        "run_id": row["run_id"],
        "bench": row["bench"],
        "lot": (inputs.get("lot") or {}).get("value") or None,
        "operator": last["operator"] if last else None,
        "inputs": {name: inputs[name] for name in INPUT_FIELDS if name in inputs},
        "member_of": slot.rpartition("/")[0] or None,
        "fleet": {"store_id": row["store_id"], "approved": bool(row["approved"]),
                  "trust": "trusted" if row["approved"] else "held: bench not approved, not trusted"},
        "position": slots.index(slot) if slot in slots else len(slots),
    }


def to_json(conn: psycopg.Connection[Any], selection: Selection | None = None) -> str:
    return json.dumps({"units": units(conn, selection)}, indent=2, default=str)


def to_csv(conn: psycopg.Connection[Any], selection: Selection | None = None) -> str:
    """bench export's CSV columns, then `trust` at the end (columns are only ever added at the end)."""
    return write_csv(CSV_COLUMNS + ["trust"], (csv_row(u) | {"trust": u["fleet"]["trust"]}
                                               for u in units(conn, selection)))
