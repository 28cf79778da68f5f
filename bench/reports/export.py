"""`bench export`: every unit of a run in the documented JSON shape, or one CSV row per unit.

The CSV columns are a contract with resellers' ERP imports: add columns at the end, never
rename or reorder them.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from bench.store import Store

CSV_COLUMNS = ["slot", "serial", "model", "profile", "functional", "cosmetic", "letter", "disposition",
               "tests_pass", "tests_warn", "tests_fail", "tests_not_run", "tests_error", "failed_tests",
               "reasons", "started", "finished", "record_hash", "run_id", "bench"]


def units(store: Store, run_id: int | None = None) -> list[dict[str, Any]]:
    run = store.run(run_id) if run_id is not None else store.latest_run()
    if run is None:
        return []
    out = []
    for row in store.slots(run.id):
        identity = json.loads(row["identity"]) if row["identity"] else {}
        results = store.results(run.id, row["slot"])
        out.append({
            "slot": row["slot"],
            "serial": row["serial"] or None,
            "model": row["model"] or None,
            "profile": row["profile"] or None,
            "components": identity.get("components", []),
            "tests": [r.to_dict() for r in results.values()],
            "grade": json.loads(row["grade"]) if row["grade"] else None,
            "status": row["status"],
            "started": row["started"],
            "finished": row["finished"],
            "record_hash": store.record_hash(run.id, row["slot"]),
            "run_id": run.id,
            "bench": run.bench,
        })
    return out


def to_json(store: Store, run_id: int | None = None) -> str:
    return json.dumps({"units": units(store, run_id)}, indent=2, default=str)


def to_csv(store: Store, run_id: int | None = None) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for u in units(store, run_id):
        grade = u["grade"] or {}
        counts = {o: 0 for o in ("PASS", "WARN", "FAIL", "NOT_RUN", "ERROR")}
        for t in u["tests"]:
            counts[t["outcome"]] += 1
        writer.writerow({
            "slot": u["slot"], "serial": u["serial"] or "", "model": u["model"] or "", "profile": u["profile"] or "",
            "functional": grade.get("functional") or "", "cosmetic": grade.get("cosmetic", ""),
            "letter": grade.get("letter", ""), "disposition": grade.get("disposition", ""),
            "tests_pass": counts["PASS"], "tests_warn": counts["WARN"], "tests_fail": counts["FAIL"],
            "tests_not_run": counts["NOT_RUN"], "tests_error": counts["ERROR"],
            "failed_tests": " ".join(t["name"] for t in u["tests"] if t["outcome"] in ("FAIL", "ERROR")),
            "reasons": " | ".join(grade.get("reasons", [])),
            "started": u["started"] or "", "finished": u["finished"] or "",
            "record_hash": u["record_hash"] or "", "run_id": u["run_id"], "bench": u["bench"],
        })
    return buf.getvalue()
