"""The one reason a person needs beside a disposition that is not RESALE: on the dashboard row, the label, the export.

Grading lists every reason (bench.grading); the telling one is the reason that decided the disposition:
the quarantine evidence, the hardware FAIL behind a REPAIR or PARTS, what keeps a unit on HOLD. The
disposition's own prefix is dropped ("HOLD: not sanitized" reads "not sanitized" next to HOLD), and the
text is made one safe line: it may quote a device's output.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bench.terminal import safe_text

NEEDS_WHY = ("HOLD", "REPAIR", "QUARANTINE", "PARTS", "RECYCLE")
# For each disposition, the reason prefixes that decided it, most telling first.
_DECIDING = {
    "QUARANTINE": ("QUARANTINE:",),
    "REPAIR": ("hardware FAIL:", "REPAIR:", "no functional code:"),
    "PARTS": ("PARTS: the technician", "hardware FAIL:", "PARTS:"),
    "RECYCLE": ("RECYCLE:",),
    "HOLD": ("HOLD:",),
}


def telling_reason(grade: Mapping[str, Any] | None, limit: int = 200) -> str:
    """The deciding reason of a HOLD, REPAIR, QUARANTINE, PARTS or RECYCLE, one safe line; '' otherwise."""
    if not grade:
        return ""
    disposition = str(grade.get("disposition") or "")
    reasons = [str(r) for r in grade.get("reasons") or []]
    if disposition not in NEEDS_WHY or not reasons:
        return ""
    chosen = next((r for prefix in _DECIDING[disposition] for r in reasons if r.startswith(prefix)), reasons[0])
    for prefix in (f"{disposition}:", "hardware FAIL:"):
        if chosen.startswith(prefix):
            chosen = chosen[len(prefix):]
    return safe_text(chosen.strip(), limit)
