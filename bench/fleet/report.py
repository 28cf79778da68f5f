"""`bench report SERIAL --db postgresql://...`: a unit's certificate or label from the fleet store.

The fleet store keeps each unit's signed record and a unit row restating it, so the unit is built from
the record as its bench sealed it (results, components, the technician's inputs and their history) and
checked the way a bench's certificate checks its own record: hash, signature with the bench's key as the
fleet store registered it, its predecessor in the chain, and agreement with the unit row. A bench not
yet approved is a problem of the record too: its certificate and label say it does not hold instead of
presenting a grade nobody trusts. Telemetry stays in the bench's own store, so there are no burn-in charts.
"""

from __future__ import annotations

import json
from typing import Any

import psycopg
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from bench.errors import BadInput
from bench.fleet import store as fleet_store
from bench.fleet.url import target
from bench.model import TechnicianInputs
from bench.records import _signed, digest, fingerprint
from bench.reports.unit import SealedRecord, UnitReport
from bench.store import RunInfo


def load_fleet_unit(url: str, serial: str, bench: str | None = None) -> UnitReport:
    """The newest unit with this serial across the fleet's benches (or of one bench); BadInput naming the
    serial when none."""
    shown = target(url)
    with fleet_store.connect(url, migrate_schema=False) as conn:
        try:
            row = conn.execute(
                "SELECT u.bench, u.store_id, u.run_id, u.slot, u.serial, u.model, u.grade, u.record_hash,"
                " r.seq, r.hash, r.prev_hash, r.signature, r.key_fingerprint, r.canonical,"
                " b.public_pem, COALESCE(b.approved, false) AS approved"
                " FROM units u JOIN records r ON r.hash = u.record_hash"
                " LEFT JOIN benches b ON b.name = u.bench AND b.key_fingerprint = r.key_fingerprint"
                " WHERE upper(u.serial) = upper(%s) AND (%s::text IS NULL OR u.bench = %s)"
                " ORDER BY u.finished DESC NULLS LAST, r.received DESC LIMIT 1",
                (serial.strip(), bench, bench)).fetchone()
        except psycopg.errors.UndefinedTable:
            row = None
        if row is None:
            raise BadInput(f"no unit with serial {serial!r} in fleet store {shown}; check the serial "
                           f"(bench export --db {shown} --format csv lists them)")
        prev = conn.execute("SELECT hash FROM records WHERE bench=%s AND store_id=%s AND seq=%s",
                            (row["bench"], row["store_id"], int(row["seq"]) - 1)).fetchone()
        others = [int(r["run_id"]) for r in conn.execute(
            "SELECT DISTINCT run_id FROM units WHERE bench=%s AND store_id=%s AND upper(serial)=upper(%s)"
            " AND run_id <> %s ORDER BY run_id", (row["bench"], row["store_id"], row["serial"], row["run_id"]))]
    return _unit(row, prev["hash"] if prev else None, others, shown)


def _unit(row: dict[str, Any], prev_hash: str | None, others: list[int], shown: str) -> UnitReport:
    try:
        body = json.loads(row["canonical"])
    except ValueError:
        body = None
    body = body if isinstance(body, dict) else {}
    run = body.get("run") or {}
    record = SealedRecord(seq=int(row["seq"]), hash=str(row["hash"]), prev_hash=str(row["prev_hash"]),
                          signature=str(row["signature"]), key_fingerprint=str(row["key_fingerprint"]),
                          sealed_at=str(body.get("sealed_at", "")), canonical=str(row["canonical"]),
                          public_pem=str(row["public_pem"] or ""))
    record.problems = _problems(row, body, prev_hash)
    identity = dict(body.get("identity") or {})
    technician = body.get("technician") if isinstance(body.get("technician"), dict) else {}
    try:
        inputs = TechnicianInputs(**technician)
    except TypeError:
        inputs = TechnicianInputs()
    return UnitReport(
        db_url=shown,
        run=RunInfo(id=int(row["run_id"]), key=str(run.get("key", "")), bench=str(row["bench"]),
                    plan=str(run.get("plan") or body.get("plan") or ""), status="done" if body.get("finished")
                    else "sealed", started=str(run.get("started") or ""), finished=None,
                    source=str(run.get("source") or "")),
        slot=str(row["slot"]), serial=str(row["serial"]), model=str(row["model"] or ""),
        profile=str(body.get("profile") or ""), status="done" if body.get("finished") else "sealed",
        started=str(body.get("started") or ""), finished=str(body.get("finished") or ""), identity=identity,
        components=list(body.get("components") or []), tests=list(body.get("tests") or []),
        grade=row["grade"] if isinstance(row["grade"], dict) else None, inputs=inputs,
        input_history=list(body.get("technician_history") or []), telemetry=[], record=record,
        other_runs=others)


def _problems(row: dict[str, Any], body: dict[str, Any], prev_hash: str | None) -> list[str]:
    problems = []
    if digest(row["canonical"]) != row["hash"]:
        problems.append("the record's text no longer matches its hash: it was altered in the fleet store")
    key = _key(row["public_pem"], str(row["key_fingerprint"]))
    if key is None:
        problems.append(f"the fleet store has no registered key {str(row['key_fingerprint'])[:16]} of bench "
                        f"{row['bench']}")
    elif not _signed(key, row):  # type: ignore[arg-type]  # a mapping with a record row's keys
        problems.append("the signature does not verify with the bench's key as the fleet store registered it")
    elif not row["approved"]:
        problems.append(f"bench {row['bench']} is not approved in the fleet store: its records are held, not "
                        "trusted (bench fleet approve)")
    if int(row["seq"]) > 1 and prev_hash != row["prev_hash"]:
        problems.append(f"record {int(row['seq']) - 1}, which this one was sealed after, is missing from the fleet "
                        "store or changed")
    differ = [name for name, live, sealed in (("serial", row["serial"], body.get("serial")),
                                              ("model", row["model"] or "", body.get("model") or ""),
                                              ("grade", row["grade"], body.get("grade"))) if live != sealed]
    if differ:
        problems.append(f"the fleet store's {', '.join(differ)} differ from the sealed record")
    return problems


def _key(pem: str | None, fp: str) -> Ed25519PublicKey | None:
    try:
        key = serialization.load_pem_public_key(str(pem or "").encode())
    except ValueError:
        return None
    return key if isinstance(key, Ed25519PublicKey) and fingerprint(key) == fp else None
