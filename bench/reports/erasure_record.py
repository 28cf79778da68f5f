"""Servers' per-disk erasure records (the `erasure` test's evidence) as a buyer, a certificate and an
ITAD ERP read them: one line on the buyer page, a table in the appendix, and an export of its own
(`bench export --format erasure-csv | erasure-json`)."""

from __future__ import annotations

import json
from typing import Any

from bench.reports.csv_cells import write_csv

TEST = "erasure"
COLUMNS = ("unit_serial", "unit_model", "slot", "device", "disk_model", "disk_serial", "capacity_bytes", "method",
           "nist_category", "verification", "verification_result", "sample_positions", "hidden_area", "started",
           "ended", "result", "reason", "operator", "standard", "disposition", "disposition_reason")


def records_of(test: dict[str, Any] | None) -> list[dict[str, Any]]:
    ev = test.get("evidence") if isinstance(test, dict) and isinstance(test.get("evidence"), dict) else {}
    return [r for r in ev.get("records") or [] if isinstance(r, dict)]


def erasure_test(unit: dict[str, Any]) -> dict[str, Any] | None:
    return next((t for t in unit.get("tests") or [] if isinstance(t, dict) and t.get("name") == TEST), None)


def rows(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per disk of every unit that ran the erasure test, from `bench export`'s JSON document."""
    out = []
    for unit in doc.get("units") or []:
        test = erasure_test(unit) if isinstance(unit, dict) else None
        for r in records_of(test):
            v = r.get("verification") if isinstance(r.get("verification"), dict) else {}
            hidden = r.get("hidden_area") if isinstance(r.get("hidden_area"), dict) else {}
            out.append({
                "unit_serial": unit.get("serial", ""), "unit_model": unit.get("model", ""),
                "slot": unit.get("slot", ""),
                "device": r.get("device", ""), "disk_model": r.get("model", ""), "disk_serial": r.get("serial", ""),
                "capacity_bytes": r.get("capacity_bytes", ""), "method": r.get("method", ""),
                "nist_category": r.get("nist_category", ""),
                "verification": f"{v.get('mode', '')} read-back against {v.get('pattern', '')}" if v else "none",
                "verification_result": v.get("result", ""),
                "sample_positions": " ".join(str(p) for p in v.get("positions") or []),
                "hidden_area": ("HPA removed" if hidden.get("removed") else "HPA reported, not removed")
                if hidden.get("hpa") else "",
                "started": r.get("started", ""), "ended": r.get("ended", ""), "result": r.get("result", ""),
                "reason": r.get("reason", ""), "operator": r.get("operator", ""),
                "standard": (test or {}).get("evidence", {}).get("standard", ""),
                "disposition": r.get("disposition", ""), "disposition_reason": r.get("disposition_reason", ""),
            })
    return out


def to_erasure_json(doc: dict[str, Any]) -> str:
    return json.dumps({"erasure_records": rows(doc)}, indent=2, sort_keys=True) + "\n"


def to_erasure_csv(doc: dict[str, Any]) -> str:
    return write_csv(COLUMNS, rows(doc))


def buyer_rows(test: dict[str, Any]) -> list[tuple[str, str]]:
    """The buyer page's lines for a server's disks."""
    recs = records_of(test)
    if not recs:
        return [("Erasure", f"not done: {str(test.get('summary', ''))[:200] or 'no disk erased'}")]
    done = [r for r in recs if r.get("result") == "PASS"]
    cats = sorted({str(r.get("nist_category")) for r in done if r.get("nist_category")})
    modes = sorted({str((r.get("verification") or {}).get("mode", "")) for r in done})
    line = (f"{len(done)} of {len(recs)} disks erased per NIST SP 800-88 ({'/'.join(cats) or 'none'}), "
            f"verified by reading back ({'/'.join(m for m in modes if m) or 'none'})")
    out = [("Erasure", line)]
    for r in recs:
        if r.get("result") != "PASS":
            then = f", {r['disposition']}" if r.get("disposition") else ""
            out.append((str(r.get("device", "disk")), f"{r.get('result')}{then}: {str(r.get('reason', ''))[:200]}"))
    when = str(test.get("finished") or "")[:10]
    if when:
        out.append(("Date", when))
    return out
