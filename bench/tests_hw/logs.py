"""logs: crash evidence — reload reason, crashinfo files and hardware-error syslog messages.

One parity event can be a cosmic ray (WARN); more than the profile's `parity_reloads_transient`,
or any other crash evidence, means hardware (FAIL).
"""

from __future__ import annotations

import re
from typing import Any

from bench.drivers.parsing import ParseError, parse
from bench.model import Outcome, TestResult, utc_now
from bench.tests_hw.base import TestContext, result
from bench.tests_hw.identity import Shown, run_show

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
_CRASH_FILE = re.compile(r"crash|\.dmp$|\.core$", re.IGNORECASE)
_RELOAD_LINE = re.compile(r"^(?:Last reload reason:|System returned to ROM by)\s*(.+?)\s*$", re.MULTILINE)


def _log_lines(platform: str, text: str) -> tuple[list[str], str]:
    """One string per syslog message (continuation lines joined), and a note if parsing failed."""
    try:
        rows = parse(platform, "show logging", text)
    except ParseError as exc:
        rows, note = None, str(exc)
    else:
        note = ""
    if rows is None:
        # No usable template: scan raw lines, which the caller must treat as a weaker reading.
        return [ln.strip() for ln in text.splitlines() if ln.strip()], note or "no show logging template"
    return [f"%{r['facility']}-{r['severity']}-{r['mnemonic']}: {' | '.join(r['message'])}" for r in rows], ""


def _crash_files(platform: str, shown: list[Shown]) -> tuple[list[str], list[str]]:
    files, notes = [], []
    for s in shown:
        if not s.ok:
            continue
        try:
            rows = parse(platform, "dir", s.text) or []
        except ParseError as exc:
            notes.append(str(exc))
            continue
        for r in rows:
            name, perms = r.get("name", ""), r.get("permissions", "")
            if name and not perms.startswith("d") and _CRASH_FILE.search(name):
                files.append(f"{r.get('file_system', '')}{name}")
    return sorted(set(files)), notes


async def run(ctx: TestContext) -> TestResult:
    started = utc_now()
    if ctx.cli is None:
        return result(NAME, Outcome.NOT_RUN, "no CLI channel (SSH or console) to this unit", started)
    platform = getattr(ctx.cli, "platform", "cisco_ios")
    errors: list[str] = []
    unread: list[str] = []

    reload_reason = ctx.identity.reload_reason
    if not reload_reason:
        ver = await run_show(ctx, "show version")
        if ver.error:
            return result(NAME, Outcome.ERROR, ver.error, started)
        found = _RELOAD_LINE.findall(ver.text) if ver.ok else []
        reload_reason = found[-1] if found else ""
        if not reload_reason:
            unread.append("reload reason")

    logging = await run_show(ctx, "show logging")
    if logging.error:
        return result(NAME, Outcome.ERROR, logging.error, started)
    lines, log_note = _log_lines(platform, logging.text) if logging.ok else ([], "")
    if not logging.ok:
        unread.append(f"show logging ({logging.rejected})")
    elif log_note:
        unread.append(f"show logging parsed line by line ({log_note})")

    # flash: always; crashinfo: exists on routers, flash:/crashinfo/ on Catalyst switches.
    dirs = [await run_show(ctx, c) for c in ("dir", "dir crashinfo:", "dir flash:/crashinfo/")]
    if any(d.error for d in dirs):
        errors += [d.error for d in dirs if d.error]
    if not dirs[0].ok:
        unread.append(f"dir ({dirs[0].rejected or dirs[0].error})")
    files, dir_notes = _crash_files(platform, dirs)
    errors += dir_notes

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
