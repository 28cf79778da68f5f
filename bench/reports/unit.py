"""One unit as the certificate and the label show it: found by serial, with its sealed record checked.

The certificate shows the live store (results, telemetry, inputs) and the unit's latest sealed record.
The record is checked here on its own (hash, signature, link to its predecessor, agreement with what the
store holds now) so a certificate never presents a signature over something other than what it shows;
`bench verify` still checks the whole chain.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from bench.errors import BadInput
from bench.inputs import current_inputs, input_history
from bench.model import TechnicianInputs
from bench.records import digest, live_differences, signature_holds
from bench.store import RunInfo, Store, slot_grade, slot_identity


@dataclass
class SealedRecord:
    seq: int
    hash: str
    prev_hash: str
    signature: str
    key_fingerprint: str
    sealed_at: str
    canonical: str = ""  # the signed text itself: the certificate carries it for offline checks
    public_pem: str = ""  # the signing key as the store recorded it
    problems: list[str] = field(default_factory=list)  # empty when the record holds on its own

    @property
    def holds(self) -> bool:
        return not self.problems


@dataclass
class Telemetry:
    ts: str
    metric: str
    value: float


@dataclass
class UnitReport:
    db_url: str
    run: RunInfo
    slot: str
    serial: str
    model: str
    profile: str
    status: str
    started: str
    finished: str
    identity: dict[str, Any]
    components: list[dict[str, Any]]
    tests: list[dict[str, Any]]
    grade: dict[str, Any] | None
    inputs: TechnicianInputs
    input_history: list[dict[str, Any]]
    telemetry: list[Telemetry]
    record: SealedRecord | None
    other_runs: list[int]  # earlier runs that also tested this serial

    def test(self, name: str) -> dict[str, Any] | None:
        return next((t for t in self.tests if t["name"] == name), None)

    @property
    def tested_on(self) -> str:
        return (self.finished or self.started or self.run.started or "")[:10]


def load_unit(store: Store, serial: str, db_url: str) -> UnitReport:
    """The unit with this serial in the latest run that holds it; BadInput naming the serial when none does."""
    wanted = serial.strip()
    row = store.find_unit(wanted) if wanted else None
    if row is None:
        raise BadInput(f"no unit with serial {serial!r} in store {db_url}; "
                       "check the serial (bench export --format csv lists them) or pass the right --db")
    run = store.run(int(row["run_id"]))
    if run is None:
        raise BadInput(f"unit {serial!r} belongs to run {row['run_id']}, which is not in store {db_url}")
    slot = str(row["slot"])
    identity = slot_identity(row)
    components = identity.pop("components", [])
    tests = [r.to_dict() for r in store.results(run.id, slot).values()]
    grade = slot_grade(row)
    others = store.other_runs(row["serial"], run.id)
    return UnitReport(
        db_url=db_url, run=run, slot=slot, serial=str(row["serial"]), model=str(row["model"]),
        profile=str(row["profile"]), status=str(row["status"]), started=row["started"] or "",
        finished=row["finished"] or "", identity=identity, components=components, tests=tests, grade=grade,
        inputs=current_inputs(store, run.id, slot), input_history=input_history(store, run.id, slot),
        telemetry=[Telemetry(str(t["ts"]), str(t["metric"]), float(t["value"]))
                   for t in store.telemetry(run.id, slot) if t["value"] is not None],
        record=sealed_record(store, run.id, slot), other_runs=others)


def sealed_record(store: Store, run_id: int, slot: str) -> SealedRecord | None:
    """The unit's latest sealed record and whether it holds (its problems), or None when it has none."""
    row = store.unit_record(run_id, slot)
    if row is None:
        return None
    try:
        body = json.loads(row["canonical"])
    except ValueError:
        body = None
    body = body if isinstance(body, dict) else {}
    rec = SealedRecord(seq=int(row["seq"]), hash=str(row["hash"]), prev_hash=str(row["prev_hash"]),
                       signature=str(row["signature"]), key_fingerprint=str(row["key_fingerprint"]),
                       sealed_at=str(body.get("sealed_at", "")), canonical=str(row["canonical"]),
                       public_pem=store.public_keys().get(str(row["key_fingerprint"]), ""))
    if digest(row["canonical"]) != row["hash"]:
        rec.problems.append("the record's text no longer matches its hash: it was altered after sealing")
    if not signature_holds(store, row):
        rec.problems.append("the signature does not verify with the bench key recorded in the store")
    prev = store.hash_at(rec.seq - 1)
    if rec.seq > 1 and (prev is None or prev != rec.prev_hash):
        rec.problems.append(f"record {rec.seq - 1}, which this one was sealed after, is missing or changed")
    differ = live_differences(store, body) if body else []
    if differ:
        rec.problems.append(f"the stored {', '.join(differ)} differ from the sealed record")
    return rec


def grade_codes(grade: dict[str, Any] | None) -> tuple[str, str, str, str]:
    """(functional, cosmetic, letter, disposition) with '-' for what the unit has none of yet."""
    g = grade or {}
    return (str(g.get("functional") or "-"), str(g.get("cosmetic") or "-"), str(g.get("letter") or "-"),
            str(g.get("disposition") or "UNGRADED"))
