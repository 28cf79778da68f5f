"""edac: corrected and uncorrected memory errors from the kernel's EDAC counters in sysfs.

Any uncorrected error FAILs. Corrected errors WARN; they FAIL only at a confident rate: at least
`ce_per_hour_fail` (Intel's rule: 10 per hour per rank) on one DIMM over at least an hour of counting.
"""

from __future__ import annotations

import re
from typing import Any

from bench.model import Outcome, TestResult
from bench.tests_hw.base import TestContext, result
from bench.tests_hw.server.shell import from_output, not_run, sh, shell_check, to_int

NAME = "edac"
MC = "/sys/devices/system/edac/mc"
COMMAND = (f"grep -H . {MC}/mc*/ce_count {MC}/mc*/ue_count {MC}/mc*/seconds_since_reset "
           f"{MC}/mc*/dimm*/dimm_ce_count {MC}/mc*/dimm*/dimm_ue_count {MC}/mc*/dimm*/dimm_label")
_LINE = re.compile(rf"^{re.escape(MC)}/(mc\d+)(?:/(dimm\d+))?/(\w+):(.*)$")


def counters(text: str) -> dict[str, dict[str, str]]:
    """`mc0` / `mc0/dimm3` -> {file name: value} from `grep -H` lines; anything else is ignored."""
    out: dict[str, dict[str, str]] = {}
    for line in text.splitlines():
        m = _LINE.match(line.strip())
        if m:
            key = m.group(1) + (f"/{m.group(2)}" if m.group(2) else "")
            out.setdefault(key, {})[m.group(3)] = m.group(4).strip()
    return out


@shell_check(NAME)
async def run(ctx: TestContext, started: str) -> TestResult:
    out = await sh(ctx, COMMAND)
    if out.error:
        return from_output(NAME, started, out)
    found = counters(out.text)
    mcs = {k: v for k, v in found.items() if "/" not in k}
    if not mcs:
        return not_run(NAME, started, "no EDAC memory controller in sysfs: no ECC memory, or its EDAC driver "
                       "is not loaded", output=out.text[:300])
    per_hour_fail = float(ctx.params.get("ce_per_hour_fail", 10))
    min_hours = float(ctx.params.get("min_hours_for_rate", 1))
    ue = {k: to_int(v.get("ue_count")) for k, v in mcs.items()}
    ce = {k: to_int(v.get("ce_count")) for k, v in mcs.items()}
    dimms: dict[str, dict[str, Any]] = {}
    for key, v in found.items():
        if "/" in key:
            dimms[key] = {"label": v.get("dimm_label", ""), "ce": to_int(v.get("dimm_ce_count")),
                          "ue": to_int(v.get("dimm_ue_count"))}
    evidence = {"controllers": {k: {"ce": ce[k], "ue": ue[k],
                                    "seconds_since_reset": to_int(mcs[k].get("seconds_since_reset"))}
                                for k in mcs}, "dimms": {k: d for k, d in dimms.items() if d["ce"] or d["ue"]}}
    unreadable = [k for k in mcs if ue[k] is None or ce[k] is None]
    bad_ue = {k: n for k, n in ue.items() if n}
    if bad_ue:
        where = [f"{k} {d['label'] or ''}".strip() for k, d in dimms.items() if d["ue"]] or list(bad_ue)
        return result(NAME, Outcome.FAIL, f"{sum(bad_ue.values())} uncorrected memory errors ({', '.join(where)})",
                      started, **evidence)
    fast = []
    for k, d in dimms.items():
        secs = to_int(mcs.get(k.split("/")[0], {}).get("seconds_since_reset"))
        if d["ce"] and secs and secs >= min_hours * 3600 and d["ce"] / (secs / 3600) >= per_hour_fail:
            fast.append(f"{k} {d['label']}: {d['ce'] / (secs / 3600):.1f} corrected/h")
    if fast:
        return result(NAME, Outcome.FAIL, "corrected errors at a failing rate: " + "; ".join(fast)[:300],
                      started, **evidence)
    total_ce = sum(n or 0 for n in ce.values())
    if total_ce:
        return result(NAME, Outcome.WARN, f"{total_ce} corrected memory errors, none uncorrected", started,
                      **evidence)
    if unreadable:
        return result(NAME, Outcome.WARN, f"EDAC counters unreadable on {', '.join(unreadable)}", started,
                      **evidence)
    return result(NAME, Outcome.PASS, f"no memory errors on {len(mcs)} memory controllers", started, **evidence)
