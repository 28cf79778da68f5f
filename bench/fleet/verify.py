"""`bench verify --db postgresql://...`: every bench's chain in the fleet store, checked with its registered key.

A bench's records form a chain per store it sealed into (bench, store_id), by sequence number and
previous hash, each record's hash covering its canonical text and signed with the bench's Ed25519 key
(bench.records' own canonical, digest and signature check). Each unit row must restate its latest record
(serial, model, grade): a grade changed in the fleet store behind the bench's back names the unit. A bench
not yet approved is not a finding; its records are held, not trusted, and a note says so.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import psycopg
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from bench.records import Finding, _signed, digest, fingerprint


@dataclass
class FleetVerdict:
    checked: int = 0
    findings: list[tuple[str, Finding]] = field(default_factory=list)  # (bench, finding)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings


def _keys(conn: psycopg.Connection[Any]) -> dict[tuple[str, str], tuple[Ed25519PublicKey | None, bool]]:
    out: dict[tuple[str, str], tuple[Ed25519PublicKey | None, bool]] = {}
    for b in conn.execute("SELECT name, key_fingerprint, public_pem, approved FROM benches"):
        try:
            key = serialization.load_pem_public_key(str(b["public_pem"]).encode())
        except ValueError:
            key = None
        good = isinstance(key, Ed25519PublicKey) and fingerprint(key) == b["key_fingerprint"]
        out[(b["name"], b["key_fingerprint"])] = (key if good else None, bool(b["approved"]))  # type: ignore[arg-type]
    return out


def verify(conn: psycopg.Connection[Any]) -> FleetVerdict:
    v = FleetVerdict()
    keys = _keys(conn)
    chains: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in conn.execute("SELECT * FROM records ORDER BY bench, store_id, seq, id"):
        chains.setdefault((r["bench"], r["store_id"]), []).append(r)
    latest: dict[tuple[str, str, int, str], dict[str, Any]] = {}
    for (bench, store_id), rows in chains.items():
        by_seq: dict[int, dict[str, Any]] = {}
        for r in rows:
            v.checked += 1
            if int(r["seq"]) in by_seq:
                v.findings.append((bench, _finding(r, None, "altered", f"record {r['seq']} appears twice")))
                continue
            by_seq[int(r["seq"])] = r
        for _seq, r in sorted(by_seq.items()):
            body = _body(r)
            for f in _check(r, body, by_seq, keys):
                v.findings.append((bench, f))
            if body is not None and digest(r["canonical"]) == r["hash"]:
                latest[(bench, store_id, int(body.get("run_id", -1)), str(body.get("slot", "")))] = r
        if by_seq and min(by_seq) != 1:
            first = by_seq[min(by_seq)]
            v.findings.append((bench, _finding(first, _body(first), "removed",
                                               f"records 1-{min(by_seq) - 1} of this chain are missing")))
    v.findings.extend(_units(conn, latest))
    for (name, fp), (_key, approved) in sorted(keys.items()):
        if not approved:
            n = sum(len(rows) for (b, _), rows in chains.items() if b == name)
            v.notes.append(f"bench {name} (key {fp[:16]}) is not approved: its records ({n}) are held, not trusted;"
                           f" approve it with 'bench fleet approve {name} --db URL'")
    return v


def _body(r: dict[str, Any]) -> dict[str, Any] | None:
    try:
        body = json.loads(r["canonical"])
    except (ValueError, TypeError):
        return None
    return body if isinstance(body, dict) else None


def _finding(r: dict[str, Any], body: dict[str, Any] | None, what: str, detail: str) -> Finding:
    intact = body is not None and digest(r["canonical"]) == r["hash"]
    src = body if intact and body is not None else r
    run = src.get("run_id")
    return Finding(run if isinstance(run, int) else None, str(src.get("slot", "")), str(src.get("serial", "")),
                   what, detail)


def _check(r: dict[str, Any], body: dict[str, Any] | None, by_seq: dict[int, dict[str, Any]],
           keys: dict[tuple[str, str], tuple[Ed25519PublicKey | None, bool]]) -> list[Finding]:
    out: list[Finding] = []
    seq = int(r["seq"])

    def note(what: str, detail: str) -> None:
        out.append(_finding(r, body, what, detail))

    if digest(r["canonical"]) != r["hash"]:
        note("altered", f"record {seq}: its text no longer matches its hash (changed in the fleet store)")
    elif body is None:
        note("altered", f"record {seq}: its text is not a record")
    key, _approved = keys.get((r["bench"], r["key_fingerprint"]), (None, False))
    if key is None:
        note("unsigned", f"record {seq}: no registered key {str(r['key_fingerprint'])[:16]} of bench {r['bench']}")
    elif not _signed(key, r):  # type: ignore[arg-type]  # a mapping with the same keys as a record row
        note("altered", f"record {seq}: signature does not match the bench's registered key")
    if body is None:
        return out
    for col in ("seq", "run_id", "slot", "serial", "prev_hash", "key_fingerprint", "bench", "store_id"):
        if body.get(col) != r[col]:
            note("altered", f"record {seq}: the fleet store's {col} {r[col]!r} differs from the record's own")
    if seq > 1:
        pred = by_seq.get(seq - 1)
        if pred is None:
            note("removed", f"record {seq - 1} (sealed before record {seq}) is missing from the fleet store")
        elif pred["hash"] != body.get("prev_hash"):
            note("altered", f"record {seq - 1} is not the record {seq} was sealed after")
    return out


def _units(conn: psycopg.Connection[Any], latest: dict[tuple[str, str, int, str], dict[str, Any]]
           ) -> list[tuple[str, Finding]]:
    """Each unit row against its unit's latest intact record: a grade or serial changed in the fleet store."""
    out: list[tuple[str, Finding]] = []
    seen: set[tuple[str, str, int, str]] = set()
    for u in conn.execute("SELECT * FROM units ORDER BY bench, store_id, run_id, slot"):
        k = (u["bench"], u["store_id"], int(u["run_id"]), str(u["slot"]))
        seen.add(k)
        rec = latest.get(k)
        who = Finding(int(u["run_id"]), str(u["slot"]), str(u["serial"]), "contradicted", "")
        if rec is None:
            who.what, who.detail = "missing", "the fleet store has a unit row but no intact record for it"
            out.append((k[0], who))
            continue
        body = _body(rec) or {}
        differ = [name for name, live, sealed in (
            ("serial", u["serial"], body.get("serial")), ("model", u["model"], body.get("model") or ""),
            ("grade", u["grade"], body.get("grade")), ("record", u["record_hash"], rec["hash"]))
            if live != sealed]
        if differ:
            who.detail = (f"the fleet store's {', '.join(differ)} differ(s) from record {rec['seq']} of the bench's "
                          f"signed chain (changed in the fleet store); the record says serial {body.get('serial')!r}")
            out.append((k[0], who))
    for k, rec in latest.items():
        if k not in seen:
            body = _body(rec) or {}
            out.append((k[0], Finding(k[2], k[3], str(body.get("serial", "")), "removed",
                                      f"its unit row is gone from the fleet store (record {rec['seq']})")))
    return out
