"""A signed unit record told in a buyer's words: what each test checked, what came of it, why the grade.

Everything here is a pure function of the record: the verifier rebuilds the same sentences from the
record a certificate carries and compares them with what the page shows. Bench-side errors (an SSH
login refused, a timeout, an exception) are the bench's business, never a buyer's: they read
"could not be tested", and their text never reaches the page.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from bench.reports.erasure_record import buyer_rows
from bench.terminal import safe_text

# What each test checks, in the words of someone buying the unit. An unknown (plugin) test keeps its name.
TEST_TITLES = {
    "identity": "Identity: model, serial, parts",
    "authenticity": "Authenticity: serial agrees everywhere",
    "stolen": "Stolen-unit check",
    "post": "Power-on self test",
    "environment": "Temperatures, fans, power supplies",
    "logs": "Crash and hardware-error logs",
    "ports": "Network ports: link and errors",
    "poe": "Power over Ethernet",
    "optics": "Optical transceivers: light levels",
    "burnin": "Burn-in: running under power",
    "sanitization": "Data erasure",
    "license": "Software licence and who holds it",  # refurb-steps
    "powercycle": "Cold boots through the power outlet",  # refurb-steps
    "smart": "Disk health (SMART)",
    "edac": "Memory error counters",
    "bmc": "Management controller and its event log",
    "nic": "Network interfaces",
}
OUTCOME_WORDS = {"PASS": "Passed", "WARN": "Passed with a note", "FAIL": "Failed", "NOT_RUN": "Not tested",
                 "ERROR": "Could not be tested"}
ERROR_LINE = "the bench could not complete this test (a problem on the bench's side, not a finding about the unit)"
COSMETIC = {"C0": "not yet categorized", "C1": "damaged", "C2": "used, poor (critical parts missing)",
            "C3": "used, fair", "C4": "used, good", "C5": "used, very good", "C6": "used, excellent",
            "C7": "certified pre-owned", "C8": "unused", "C9": "new, open box"}
FUNCTIONAL = {"F6": "like new: every test passed, new or open box",
              "F5": "refurbished: every test passed, data erased, software licence transferable",
              "F4": "hardware functional: every hardware test passed and the data was erased",
              "F3": "key functions work (identity and port links); other functions may be untested"}
KIND_NAMES = {"chassis": "chassis", "module": "module", "psu": "power supply", "fan": "fan",
              "transceiver": "transceiver", "optic": "transceiver", "disk": "disk", "dimm": "memory module",
              "cpu": "processor", "nic": "network card", "other": "other part"}

# Bench-side text: exception names, login and credential talk, timeouts, file paths, addresses.
_INTERNAL = re.compile(
    r"Traceback|Exception|\b\w*Error\b|\b[A-Z]\w*Failed\b|(?i:credential|password|errno|\.py\b|timed out|"
    r"timeout|refused|\bbench\b)|\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b")
LINE_LIMIT = 110
# The narrower test for evidence in the appendix, where device text (addresses, configs) stays.
_ERROR_TALK = re.compile(r"Traceback|\b\w*(?:Exception|Error)\b(?=:)|\b[A-Z]\w*Failed\b|credential sets?\b|"
                         r"\b(?:Connection|Timeout|OSError|PermissionError|OperationalError)\w*")


def internal_error(text: str) -> re.Match[str] | None:
    """Where bench-side error text starts in `text`, or None."""
    return _ERROR_TALK.search(text)


def bench_side(text: str) -> bool:
    """True for text that speaks of the bench's own troubles rather than the unit."""
    return bool(_INTERNAL.search(text))


def buyer_text(text: object, limit: int = LINE_LIMIT) -> str:
    """Device or test text fit for a buyer: one clean line, capped at a word; '' when it is bench-side."""
    s = safe_text(text, 10_000).strip()
    if not s or bench_side(s):
        return ""
    if len(s) > limit:
        cut = s[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:(")
        s = cut + "…"
    return s


@dataclass(frozen=True)
class TestLine:
    name: str
    title: str
    outcome: str
    words: str  # the outcome in words
    detail: str  # one plain sentence; never bench-side text


@dataclass(frozen=True)
class BuyerFacts:
    """What page one of a certificate states, each a pure function of the signed record."""

    serial: str
    model: str
    parts: str
    tested_on: str
    bench: str
    functional: str
    cosmetic: str
    letter: str
    disposition: str
    reasons: list[str]
    tests: list[TestLine]
    erasure: list[tuple[str, str]]


def _s(value: Any) -> str:
    return safe_text("" if value is None else value, 200)


def facts(record: dict[str, Any]) -> BuyerFacts:
    grade = record.get("grade") if isinstance(record.get("grade"), dict) else {}
    tests = [t for t in record.get("tests") or [] if isinstance(t, dict)]
    lines = [test_line(t) for t in tests]
    finished = _s(record.get("finished") or record.get("started") or record.get("sealed_at"))
    return BuyerFacts(
        serial=_s(record.get("serial")) or "unknown", model=_s(record.get("model")) or "unknown model",
        parts=parts_summary(record.get("components") or []), tested_on=finished[:10] or "unknown",
        bench=_s(record.get("bench")) or "unknown", functional=_s(grade.get("functional")) or "none",
        cosmetic=_s(grade.get("cosmetic")) or "C0", letter=_s(grade.get("letter")) or "-",
        disposition=_s(grade.get("disposition")) or "UNGRADED", reasons=reasons(grade, lines, record),
        tests=lines, erasure=_erasure_of(tests))


def _erasure_of(tests: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """A server's per-disk erasure when it ran one, else the network units' sanitization."""
    disks = next((t for t in tests if t.get("name") == "erasure"), None)
    if disks is not None:
        return buyer_rows(disks)
    return erasure(next((t for t in tests if t.get("name") == "sanitization"), None))


def test_line(t: dict[str, Any]) -> TestLine:
    name, outcome = _s(t.get("name")), _s(t.get("outcome"))
    title = TEST_TITLES.get(name, name.replace("_", " ").capitalize())
    summary = buyer_text(t.get("summary"))
    if outcome == "ERROR":
        detail = ERROR_LINE
    elif outcome == "NOT_RUN":
        detail = summary or "not part of this test plan, or not applicable to this unit"
    else:
        detail = summary or {"PASS": "passed", "WARN": "details in the appendix",
                             "FAIL": "details in the appendix"}.get(outcome, "")
    return TestLine(name, title, outcome, OUTCOME_WORDS.get(outcome, outcome), detail)


def parts_summary(components: list[Any]) -> str:
    """'1 chassis, 2 power supplies (C3KX-PWR-715WAC), 3 fans': FRUs by kind, with their part numbers."""
    kinds: Counter[str] = Counter()
    pids: dict[str, list[str]] = {}
    for c in components:
        if not isinstance(c, dict):
            continue
        kind = KIND_NAMES.get(str(c.get("kind", "other")), "other part")
        kinds[kind] += 1
        pid = _s(c.get("pid"))
        if pid and kind != "chassis" and pid not in pids.setdefault(kind, []):
            pids[kind].append(pid)
    if not kinds:
        return "none read"
    out = []
    for kind, n in kinds.items():
        name = kind if n == 1 or kind == "chassis" else kind.removesuffix("y") + ("ies" if kind.endswith("y")
                                                                                   else "s")
        shown = pids.get(kind, [])
        models = f" ({', '.join(shown[:3])}{', …' if len(shown) > 3 else ''})" if shown else ""
        out.append(f"{n} {name}{models}")
    return ", ".join(out)


def _titles(lines: list[TestLine], outcome: str) -> str:
    return ", ".join(line.title.split(":")[0].lower() for line in lines if line.outcome == outcome)


def reasons(grade: dict[str, Any], lines: list[TestLine], record: dict[str, Any]) -> list[str]:
    """Why the unit has its grade, from the grade codes and the outcomes; never the grader's raw text."""
    disposition = str(grade.get("disposition") or "")
    functional, cosmetic = grade.get("functional"), str(grade.get("cosmetic") or "C0")
    tech = record.get("technician") if isinstance(record.get("technician"), dict) else {}
    failed, errors, warned = (_titles(lines, o) for o in ("FAIL", "ERROR", "WARN"))
    erased = any(line.name in ("sanitization", "erasure") and line.outcome in ("PASS", "WARN") for line in lines)
    if disposition == "RESALE":
        first = "Ready for resale."
    elif disposition == "REPAIR":
        first = f"Needs repair before resale: {failed or 'a test'} failed."
    elif disposition == "PARTS":
        first = ("For parts: the technician's decision." if tech.get("disposition") == "PARTS"
                 else f"For parts: {failed or 'a key part'} failed.")
    elif disposition == "RECYCLE":
        first = "For recycling: the technician's decision."
    elif disposition == "QUARANTINE":
        first = "Withheld from sale: the unit's identity could not be confirmed (possible counterfeit or stolen unit)."
    elif disposition == "HOLD":
        bmc_left = any(line.name == "bmc_reset" and line.outcome != "PASS" for line in lines)
        why = (f"{errors} could not be tested and will be retested" if errors
               else "the data erasure is not yet verified" if not erased
               else "its BMC still holds a previous owner's accounts" if bmc_left else "testing is not complete")
        first = f"Not yet graded for sale: {why}."
    else:
        first = "Not graded yet."
    out = [first]
    if functional in FUNCTIONAL:
        out.append(f"Functional grade {functional}: {FUNCTIONAL[str(functional)]}.")
    else:
        out.append("No functional grade: " + ("a test failed." if failed else "not every required test passed."
                                              if disposition != "QUARANTINE" else "withheld."))
    out.append(f"Cosmetic grade {cosmetic}: {COSMETIC.get(cosmetic, 'as entered by the technician')}.")
    if warned:
        out.append(f"Noted: {warned} passed with a note (see the appendix).")
    if functional == "F4" and not tech.get("licence_attested"):
        out.append("Software licence transfer not attested (needed for F5).")
    return out


def erasure(t: dict[str, Any] | None) -> list[tuple[str, str]]:
    """The sanitization test as a buyer reads it: method, what was found, what was verified, when."""
    if t is None:
        return [("Erasure", "not done by this bench: the unit cannot be graded for resale until it is")]
    outcome = str(t.get("outcome", ""))
    e = t.get("evidence") if isinstance(t.get("evidence"), dict) else {}
    if outcome == "ERROR":
        return [("Erasure", "could not be completed by the bench; the unit is held until it is")]
    if outcome == "NOT_RUN":
        return [("Erasure", "not done: " + (buyer_text(t.get("summary")) or "not part of this test plan"))]
    before = e.get("before") if isinstance(e.get("before"), dict) else {}
    after = e.get("after") if isinstance(e.get("after"), dict) else {}
    found = before.get("remaining")
    remaining = after.get("remaining")
    rows = [("Method", buyer_text(e.get("method")) or "manufacturer reset")]
    if isinstance(found, list):
        rows.append(("Found before", f"{len(found)} item(s) of the previous owner's data (configuration, files)"
                     if found else "nothing of a previous owner"))
    if remaining == [] or (remaining is None and e.get("verified") is True):
        rows.append(("Result", "erased and verified: nothing of the previous owner remains"))
    elif isinstance(remaining, list):
        rows.append(("Result", f"NOT clean: {len(remaining)} item(s) remain after the erasure"))
    else:
        rows.append(("Result", f"{OUTCOME_WORDS.get(outcome, outcome).lower()}; erasure not verified"))
    when = _s(e.get("finished") or t.get("finished"))[:10]
    if when:
        rows.append(("Date", when))
    return rows
