"""logs: crash evidence — reload reason, crashinfo files and hardware-error syslog messages.

The platform's collector reads the log buffer, the last reload reason and the crash files; the
judgement is here. One parity event can be a cosmic ray (WARN); more than the profile's
`parity_reloads_transient`, or any other crash evidence, means hardware (FAIL).
"""

from __future__ import annotations

import re
from typing import Any

from bench.model import Outcome, TestResult, utc_now
from bench.tests_hw.base import TestContext, result
from bench.tests_hw.identity import gather

NAME = "logs"
MAX_LINES = 50

_PARITY = re.compile(r"parity", re.IGNORECASE)
# Crash evidence beyond parity: each (label, pattern over "%FAC-SEV-MNEMONIC: message").
_CRASH = [
    ("malloc failure", re.compile(r"%SYS-2-MALLOCFAIL")),
    ("traceback", re.compile(r"Traceback=")),
    ("platform hardware error", re.compile(r"%PLATFORM[A-Z_]*-[0-3]-")),
    ("fatal system error", re.compile(r"%SYS-[0-2]-(?!MALLOCFAIL)\w+")),
    ("ASIC error", re.compile(r"%(?:ASIC|HW|HARDWARE)[A-Z_]*-[0-3]-")),
]
# Worth a look but usually software or load, not a broken unit.
_SOFT = [
    ("CPU hog", re.compile(r"%SYS-3-CPUHOG")),
    ("memory low", re.compile(r"%SYS-[34]-\w*(?:LOWMEM|NOMEM)")),
]
# Reload reasons that mean the unit crashed rather than was reloaded or power-cycled.
_CRASH_RELOAD = re.compile(
    r"crash|exception|bus error|address error|watchdog|signal|abort|fatal|"
    r"illegal|segv|stack overflow",
    re.IGNORECASE,
)
async def run(ctx: TestContext) -> TestResult:
    started = utc_now()
    if ctx.cli is None:
        return result(NAME, Outcome.NOT_RUN, "no CLI channel (SSH or console) to this unit", started)
    got = await gather(ctx, "logs")
    errors, unread = got.errors, got.notes
    ev = got.facts
    reload_reason = ctx.identity.reload_reason or (ev.reload_reason if ev is not None else "")
    lines = list(ev.lines) if ev is not None else []
    files = sorted(set(ev.crash_files)) if ev is not None else []
    if not reload_reason and not any("reload reason" in n for n in unread):
        unread.append("reload reason")

    parity_lines = [ln for ln in lines if _PARITY.search(ln)]
    parity_events = len(parity_lines) + (1 if _PARITY.search(reload_reason) else 0)
    crash: dict[str, list[str]] = {}
    for label, rx in _CRASH:
        hits = [ln for ln in lines if rx.search(ln) and not _PARITY.search(ln)]
        if hits:
            crash[label] = hits[:MAX_LINES]
    if reload_reason and _CRASH_RELOAD.search(reload_reason) and not _PARITY.search(reload_reason):
        crash["crash reload"] = [reload_reason]
    if files:
        crash["crashinfo files"] = files
    soft = {label: hits[:MAX_LINES] for label, rx in _SOFT if (hits := [ln for ln in lines if rx.search(ln)])}

    transient = int(ctx.params.get("parity_reloads_transient", 1))
    matched = (
        parity_lines + [ln for v in crash.values() for ln in v] + [ln for v in soft.values() for ln in v]
    )
    evidence: dict[str, Any] = {
        "reload_reason": reload_reason,
        "crashinfo_files": files,
        "parity_events": parity_events,
        "parity_reloads_transient": transient,
        "crash_evidence": crash,
        "other_findings": soft,
        "matched_lines": list(dict.fromkeys(matched))[:MAX_LINES],
    }
    if errors:
        evidence["errors"] = errors
    if unread:
        evidence["not_read"] = unread

    what = [f"{k} ({len(v)})" for k, v in crash.items()]
    if parity_events > transient or crash:
        if parity_events:
            what.insert(0, f"{parity_events} parity event(s)")
        return result(NAME, Outcome.FAIL, "crash evidence: " + ", ".join(what), started, **evidence)
    if errors:
        return result(NAME, Outcome.ERROR, errors[0], started, **evidence)
    if parity_events:
        return result(
            NAME,
            Outcome.WARN,
            f"{parity_events} parity event (transient up to {transient})",
            started,
            **evidence,
        )
    if soft or unread:
        bits = [f"{k} ({len(v)})" for k, v in soft.items()] + [f"not read: {u}" for u in unread]
        return result(NAME, Outcome.WARN, "; ".join(bits), started, **evidence)
    return result(
        NAME, Outcome.PASS, f"no crash evidence (reload reason: {reload_reason})", started, **evidence
    )
