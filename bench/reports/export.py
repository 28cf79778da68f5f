"""`bench export`: every unit the store holds in the documented JSON shape, or one CSV row per unit.

Every run of the store is covered; a unit tested in several runs appears once, with its latest record
(the newest run that read its serial). Beside the results and the grade each unit carries the
technician's inputs (latest value of each, who entered it and when), its lot and the reason that
decided a disposition other than RESALE.

The CSV columns are a contract with resellers' ERP imports: add columns at the end, never
rename or reorder them. Every CSV cell goes through bench.reports.csv_cells (formula injection, cap).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bench.errors import BadInput
from bench.inputs import latest_entries
from bench.reports.csv_cells import write_csv
from bench.reports.unit import sealed_record
from bench.reports.why import telling_reason
from bench.store import RunInfo, Store, slot_grade, slot_identity, slot_position

CSV_COLUMNS = ["slot", "serial", "model", "profile", "functional", "cosmetic", "letter", "disposition",
               "tests_pass", "tests_warn", "tests_fail", "tests_not_run", "tests_error", "failed_tests",
               "reasons", "started", "finished", "record_hash", "run_id", "bench",
               # since issue 17: the technician's inputs, the lot, the deciding reason
               "why", "lot", "operator", "asset_tag", "notes", "label_serial", "licence_attested", "new_open_box",
               "inputs_entered", "member_of",
               # whether the unit's sealed record still holds against the live rows (yes / no / empty: unsealed)
               "record_holds"]
# Inputs as exported, in this order (the grade's cosmetic and disposition are the graded values).
INPUT_FIELDS = ("lot", "asset_tag", "notes", "label_serial", "cosmetic", "licence_attested", "new_open_box",
                "disposition")


@dataclass(frozen=True)
class Selection:
    """Which units to export: `bench export --bench NAME --since DATE --lot NAME`."""

    bench: str | None = None
    since: str | None = None
    lot: str | None = None


def parse_since(text: str) -> str:
    """`2026-11-23` or `2026-11-23T10:00` (UTC when no zone) as the store's timestamp form, for comparison."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise BadInput(f"--since {text!r} is not a date; write 2026-11-23 or 2026-11-23T10:00") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _slots_newest_first(store: Store, run_id: int | None, bench: str | None) -> Iterator[tuple[RunInfo, Any]]:
    if run_id is not None:
        run = store.run(run_id)
        runs = [run] if run is not None else []
    else:
        runs = sorted(store.runs(), key=lambda r: r.id, reverse=True)
    for run in runs:
        if bench is None or run.bench == bench:
            for row in store.slots(run.id):
                yield run, row


def units(store: Store, run_id: int | None = None, selection: Selection | None = None) -> list[dict[str, Any]]:
    """Every unit of the store (or of one run), latest record of each, in run then slot order."""
    selection = selection or Selection()
    newest_run: dict[str, int] = {}  # serial -> the newest run that read it
    out = []
    for run, row in _slots_newest_first(store, run_id, selection.bench):
        # A unit without a serial cannot be matched across runs: each of its slots stays. Two slots of
        # one run with one serial (a clone next to the genuine unit) are two units and both stay.
        serial = str(row["serial"] or "")
        if serial and newest_run.setdefault(serial, run.id) != run.id:
            continue
        unit = _unit(store, run, row)
        if selection.since and (unit["finished"] or unit["started"] or "") < selection.since:
            continue
        if selection.lot is not None and unit["lot"] != selection.lot:
            continue
        out.append(unit)
    out.sort(key=lambda u: (u["run_id"], u["position"]))
    for u in out:
        del u["position"]
    return out


def _unit(store: Store, run: RunInfo, row: Any) -> dict[str, Any]:
    identity = slot_identity(row)
    results = store.results(run.id, row["slot"])
    grade = slot_grade(row)
    inputs = latest_entries(store.inputs(run.id, row["slot"]))
    last = max(inputs.values(), key=lambda e: e["ts"], default=None)
    return {
        "slot": row["slot"],
        "serial": row["serial"] or None,
        "model": row["model"] or None,
        "profile": row["profile"] or None,
        "os_version": identity.get("os_version") or None,  # after an image step: the release it runs now
        "components": identity.get("components", []),
        "tests": [r.to_dict() for r in results.values()],
        "grade": grade,
        "why": telling_reason(grade, limit=1000) or None,
        "status": row["status"],
        "started": row["started"],
        "finished": row["finished"],
        "record_hash": store.record_hash(run.id, row["slot"]),
        # A grade the sealed record does not back (edited behind the bench's back) must not read as genuine.
        **_record_check(store, run.id, str(row["slot"])),
        "run_id": run.id,
        "bench": run.bench,
        "lot": (inputs.get("lot") or {}).get("value") or None,
        # Who last entered anything about the unit, and each input's latest value with who and when.
        "operator": last["operator"] if last else None,
        "inputs": {name: inputs[name] for name in INPUT_FIELDS if name in inputs},
        # A stack's member is a unit of its own in slot "S1/2": `member_of` names the stack's slot.
        "member_of": str(row["slot"]).rpartition("/")[0] or None,
        "position": slot_position(row),
    }


def _record_check(store: Store, run_id: int, slot: str) -> dict[str, Any]:
    record = sealed_record(store, run_id, slot)
    if record is None:
        return {"record_holds": None}
    return {"record_holds": record.holds, **({"record_problems": record.problems} if record.problems else {})}


def to_json(store: Store, run_id: int | None = None, selection: Selection | None = None) -> str:
    return json.dumps({"units": units(store, run_id, selection)}, indent=2, default=str)


def to_csv(store: Store, run_id: int | None = None, selection: Selection | None = None) -> str:
    return write_csv(CSV_COLUMNS, (csv_row(u) for u in units(store, run_id, selection)))


def csv_row(u: dict[str, Any]) -> dict[str, Any]:
    grade = u["grade"] or {}
    counts = {o: 0 for o in ("PASS", "WARN", "FAIL", "NOT_RUN", "ERROR")}
    for t in u["tests"]:
        counts[t["outcome"]] += 1
    inputs = u["inputs"]

    def value(name: str) -> Any:
        v = (inputs.get(name) or {}).get("value", "")
        return ("yes" if v else "no") if isinstance(v, bool) else v

    return {
        "slot": u["slot"], "serial": u["serial"] or "", "model": u["model"] or "", "profile": u["profile"] or "",
        "functional": grade.get("functional") or "", "cosmetic": grade.get("cosmetic", ""),
        "letter": grade.get("letter", ""), "disposition": grade.get("disposition", ""),
        "tests_pass": counts["PASS"], "tests_warn": counts["WARN"], "tests_fail": counts["FAIL"],
        "tests_not_run": counts["NOT_RUN"], "tests_error": counts["ERROR"],
        "failed_tests": " ".join(t["name"] for t in u["tests"] if t["outcome"] in ("FAIL", "ERROR")),
        "reasons": " | ".join(grade.get("reasons", [])),
        "started": u["started"] or "", "finished": u["finished"] or "",
        "record_hash": u["record_hash"] or "", "run_id": u["run_id"], "bench": u["bench"],
        "why": u["why"] or "", "lot": u["lot"] or "", "operator": u["operator"] or "",
        "asset_tag": value("asset_tag"), "notes": value("notes"), "label_serial": value("label_serial"),
        "licence_attested": value("licence_attested"), "new_open_box": value("new_open_box"),
        # Who entered each input and when: "asset_tag jo 2026-11-23T10:00:00Z; notes ..."
        "inputs_entered": "; ".join(f"{name} {e['operator']} {e['ts']}" for name, e in inputs.items()),
        "member_of": u["member_of"] or "",
        "record_holds": {True: "yes", False: "no"}.get(u.get("record_holds"), ""),
    }
