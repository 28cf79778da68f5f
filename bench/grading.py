"""Grading v0: test outcomes + technician inputs + profile rules -> grade, disposition, reasons.

Pure: no I/O, no clock. The rules follow R2v3 (functional F3..F6, cosmetic C0..C9) as
described in docs/domain.md; the letter grade is a profile-configurable mapping on top.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import Any

from bench.model import Disposition, Grade, Outcome, TechnicianInputs, TestResult

DEFAULT_HARDWARE_TESTS = ("identity", "post", "environment", "logs", "ports", "poe", "optics", "burnin",
                          "smart", "edac", "bmc", "nic")
# F3 asks for identity and port link; the other key functions (power, boot, console) are implied by a
# unit that answered at all.
F3_REQUIRED = ("identity", "ports")
COSMETIC_CODES = {f"C{i}" for i in range(10)}


def _cosmetic_rank(code: str) -> int:
    return int(code[1:]) if code in COSMETIC_CODES else 0


def _is_sanitization_record(r: TestResult, wipe_test: str | tuple[str, ...] = "sanitization") -> bool:
    """A sanitization WARN that verified the wipe records a cleared previous owner: a fact about the unit's
    past, not a finding about the unit now. It neither withholds F5 nor letter A."""
    names = (wipe_test,) if isinstance(wipe_test, str) else wipe_test
    return r.name in names and r.outcome == Outcome.WARN and r.evidence.get("verified") is True


def _f3_tests(rules: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(rules.get("f3_tests") or F3_REQUIRED)


def _names(results: Mapping[str, TestResult], outcome: Outcome, among: tuple[str, ...] | None = None) -> list[str]:
    return [n for n, r in results.items() if r.outcome == outcome and (among is None or n in among)]


# A grade's reasons are read by technicians, buyers and auditors: the bench's own error text (exception
# names, addresses, credential set names, a library's words) stays in the result's summary and evidence;
# a reason says the kind of cause. The first pattern that matches names it.
_CAUSES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"AuthFailed|authentication failed|credential set|login refused|NeedRecovery", re.I),
     "login refused with every credential set"),
    (re.compile(r"SSH not available"), "SSH not available"),
    (re.compile(r"session dropped|session lost|connection closed|SessionDropped", re.I),
     "the unit dropped the session"),
    (re.compile(r"watchdog", re.I), "no result within the step's time limit"),
    (re.compile(r"connection refused", re.I), "connection refused"),
    (re.compile(r"ROMMON|no bootable image|does not boot|UnitNotBooted", re.I), "the unit does not boot"),
    (re.compile(r"console", re.I), "the console did not reach a prompt"),
    (re.compile(r"SnmpError|\bSNMP\b"), "no SNMP answer"),
    (re.compile(r"timed out|timeout|no prompt|no answer|did not answer|not answer", re.I),
     "the unit did not answer in time"),
    (re.compile(r"OperationalError|database|disk is full|Interrupted", re.I), "a bench-side fault"),
)
# Raw error text inside a summary: "'show logging': AuthFailed: 10.0.0.5:22: authentication failed with
# credential sets factory" up to the next ';' or ')'.
_RAW_ERROR = re.compile(r"(?:'[^'\n]{1,80}': )?\b[A-Z][A-Za-z]*(?:Error|Exception|Failed|Stuck|Dropped|Missing)\b"
                        r"(?::[^;)]*)?")


def cause_class(text: str) -> str:
    """The kind of cause an ERROR's (or a raw error's) text names, in words fit for a grade's reasons."""
    for pattern, words in _CAUSES:
        if pattern.search(text):
            return words
    return "a bench error; see the test's evidence"


def _plain(summary: str) -> str:
    """A result's summary with any raw error text in it replaced by its kind of cause."""
    return _RAW_ERROR.sub(lambda m: cause_class(m.group(0)), summary)


def _describe(results: Mapping[str, TestResult], names: list[str]) -> str:
    return "; ".join(f"{n}: {_plain(results[n].summary)}" for n in names)


def _could_not_complete(results: Mapping[str, TestResult], names: list[str]) -> str:
    """ERRORs grouped by their kind of cause: "post, logs could not be completed (login refused ...)"."""
    by_cause: dict[str, list[str]] = {}
    for n in names:
        r = results[n]
        by_cause.setdefault(cause_class(f"{r.evidence.get('cause', '')} {r.summary}"), []).append(n)
    return "; ".join(f"{', '.join(ns)} could not be completed ({cause})" for cause, ns in by_cause.items())


# The default mapping (docs/domain.md), as data a profile may replace under grading.letters: the first rule
# whose conditions hold gives the letter. Conditions: functional (codes allowed), min_cosmetic (rank),
# cosmetic (codes allowed), no_warn (true: any WARN disqualifies).
DEFAULT_LETTERS: tuple[dict[str, Any], ...] = (
    {"letter": "D", "cosmetic": ["C1", "C2"]},
    {"letter": "C", "functional": ["F3"]},
    {"letter": "A", "functional": ["F4", "F5", "F6"], "min_cosmetic": 5, "no_warn": True},
    {"letter": "B", "functional": ["F4", "F5", "F6"], "min_cosmetic": 4},
    {"letter": "B", "functional": ["F4", "F5", "F6"], "cosmetic": ["C0"]},
    {"letter": "C", "functional": ["F4", "F5", "F6"]},
)


def _letter_rule_holds(rule: Mapping[str, Any], functional: str | None, cosmetic: str, warned: bool) -> bool:
    if "functional" in rule and functional not in rule["functional"]:
        return False
    if "cosmetic" in rule and cosmetic not in rule["cosmetic"]:
        return False
    if "min_cosmetic" in rule and _cosmetic_rank(cosmetic) < int(rule["min_cosmetic"]):
        return False
    return not (rule.get("no_warn") and warned)


def letter_for(functional: str | None, cosmetic: str, warned: bool,
               letters: tuple[Mapping[str, Any], ...] | list[Mapping[str, Any]] = DEFAULT_LETTERS) -> str:
    """A = F4+ with C5 or better and no WARN; B = F4+ with C4 or a WARN (or cosmetics not yet
    categorized, C0); C = F3 or C3; D = damaged (C1/C2) or not functional (docs/domain.md's default)."""
    if functional is None:
        return "D"
    for rule in letters:
        if _letter_rule_holds(rule, functional, cosmetic, warned):
            return str(rule["letter"])
    return "D"


def _inputs_reasons(inputs: TechnicianInputs) -> list[str]:
    """The technician's part of a grade, each value with who entered it."""
    def by(name: str) -> str:
        who = inputs.provenance.get(name)
        return f" (entered by {who})" if who else ""
    out = []
    if inputs.cosmetic in COSMETIC_CODES and inputs.cosmetic != "C0":
        out.append(f"input cosmetic {inputs.cosmetic}{by('cosmetic')}")
    else:
        out.append("input cosmetic not categorized (C0): enter a cosmetic code")
    if inputs.licence_attested:
        out.append(f"input licence transfer attested{by('licence_attested')}")
    if inputs.new_open_box:
        out.append(f"input new open box{by('new_open_box')}")
    if inputs.label_serial:
        out.append(f"input label serial {inputs.label_serial}{by('label_serial')}")
    if inputs.disposition:
        out.append(f"input disposition {inputs.disposition}{by('disposition')}")
    return out


def _technician_call(g: Grade, inputs: TechnicianInputs) -> Grade:
    """A technician's PARTS or RECYCLE overrides REPAIR or RESALE; never QUARANTINE (the evidence decides)
    nor HOLD (the unit is not yet judged)."""
    wanted = inputs.disposition
    if wanted not in ("PARTS", "RECYCLE") or g.disposition in (Disposition.QUARANTINE, Disposition.HOLD):
        return g
    return Grade(g.functional, g.cosmetic, "D", Disposition(wanted),
                 g.reasons + [f"{wanted}: the technician's call overrides {g.disposition}"])


def grade(results: Mapping[str, TestResult], inputs: TechnicianInputs | None = None,
          rules: Mapping[str, Any] | None = None, unit_serials: Collection[str] = ()) -> Grade:
    inputs = inputs or TechnicianInputs()
    return _technician_call(_by_the_rules(results, inputs, rules, unit_serials), inputs)


def _by_the_rules(results: Mapping[str, TestResult], inputs: TechnicianInputs,
                  rules: Mapping[str, Any] | None, unit_serials: Collection[str]) -> Grade:
    """`unit_serials`: the chassis serials the bench read from the unit; a scanned label that matches
    none of them is a swapped or relabelled unit."""
    rules = rules or {}
    hardware = tuple(rules.get("hardware_tests") or DEFAULT_HARDWARE_TESTS)
    parts_tests = tuple(rules.get("parts_tests") or ())
    letters = rules.get("letters") or DEFAULT_LETTERS
    cosmetic = inputs.cosmetic if inputs.cosmetic in COSMETIC_CODES else "C0"
    reasons: list[str] = []

    suspicious = [n for n, r in results.items()
                  if r.outcome == Outcome.FAIL and r.evidence.get("quarantine")]
    if suspicious:
        reasons.append(f"QUARANTINE: {_describe(results, suspicious)}; do not sell, keep the evidence")
    known = {s for s in unit_serials if s}
    if inputs.label_serial and known and inputs.label_serial not in known:
        who = inputs.provenance.get("label_serial")
        reasons.append(f"QUARANTINE: scanned label serial {inputs.label_serial}"
                       f"{f' (entered by {who})' if who else ''} matches none of the unit's serials "
                       f"({', '.join(sorted(known))}); do not sell, keep the evidence")
    if reasons:
        return Grade(None, cosmetic, "-", Disposition.QUARANTINE, reasons)

    failed = _names(results, Outcome.FAIL, hardware)
    if failed:
        reasons.append(f"hardware FAIL: {_describe(results, failed)}")
        for_parts = [n for n in failed if n in parts_tests]
        if for_parts or _cosmetic_rank(cosmetic) == 2:
            why = (f"{', '.join(for_parts)} failed (the profile's parts_tests)" if for_parts
                   else "cosmetic C2: critical parts missing")
            reasons.append(f"PARTS: {why}")
            return Grade(None, cosmetic, "D", Disposition.PARTS, reasons + _inputs_reasons(inputs))
        return Grade(None, cosmetic, "D", Disposition.REPAIR, reasons + _inputs_reasons(inputs))

    errors = _names(results, Outcome.ERROR)
    # Findings: every WARN but the record of a verified wipe of a previous owner's data.
    # The profile names the tests whose PASS sanitizes the unit (servers: erasure and bmc_reset).
    named = rules.get("sanitization_test") or "sanitization"
    wipe_test = (named,) if isinstance(named, str) else tuple(named)
    warned = [n for n in _names(results, Outcome.WARN) if not _is_sanitization_record(results[n], wipe_test)]
    if warned:
        reasons.append(f"WARN: {_describe(results, warned)}")
    records = [n for n in _names(results, Outcome.WARN) if n not in warned]
    if records:
        reasons.append(f"sanitization record (not a finding): {_describe(results, records)}")
    if errors:
        reasons.append(f"HOLD: {_could_not_complete(results, errors)}; retest")
        return Grade(None, cosmetic, "-", Disposition.HOLD, reasons + _inputs_reasons(inputs))

    passed = set(_names(results, Outcome.PASS))
    # A WARN is a test that ran and found the function working with something worth noting (a value near
    # its limit, a counter that could not be read): it names the finding in the reasons and keeps the
    # letter from A, but it is not a failure, so it does not withhold a functional code (issue: healthy
    # stock with only WARNs reaches F4, and F5 with a licence attestation).
    working = passed | set(_names(results, Outcome.WARN))
    hw_run = [n for n in hardware if n in results and results[n].outcome != Outcome.NOT_RUN]
    all_hw_working = bool(hw_run) and all(n in working for n in hw_run)
    f3_tests = _f3_tests(rules)
    missing_f3 = [n for n in f3_tests if n not in working]
    # PASS, or WARN that still verified the wipe (the unit arrived with a previous owner's data).
    unsanitized = [n for n in wipe_test if n not in results
                   or not (results[n].outcome == Outcome.PASS or _is_sanitization_record(results[n], wipe_test))]
    sanitized = not unsanitized

    functional: str | None = None
    if not missing_f3:
        functional = "F3"
        if all_hw_working and sanitized:
            functional = "F4"
            if inputs.licence_attested:
                functional = "F5"
                if inputs.new_open_box:
                    functional = "F6"
        elif not sanitized:
            reasons.append("F4 needs a verified wipe")
    else:
        reasons.append(f"no functional code: {', '.join(missing_f3)} not PASS or WARN "
                       f"(F3 needs {' and '.join(f3_tests)} working)")
    if functional:
        reasons.append(f"functional {functional}: " + ", ".join(sorted(passed)) + " PASS")
        if warned:
            reasons[-1] += f"; {', '.join(warned)} WARN"
        if functional == "F4" and not inputs.licence_attested:
            reasons.append("F5 needs a licence transfer attestation")
    licence = results.get("license")
    if licence is not None and licence.outcome == Outcome.PASS:  # the licence decides resale value: always said
        reasons.append(f"licence: {_plain(licence.summary)}")
    reasons += _inputs_reasons(inputs)

    if not sanitized:
        if len(wipe_test) > 1:  # say which of the profile's sanitization tests is missing
            reasons.append("not sanitized: " + "; ".join(
                f"{n} {results[n].outcome.value}" if n in results else f"{n} not run" for n in unsanitized))
        reasons.append("HOLD: not sanitized (R2v3: no resale grade before a verified wipe)")
        # No letter until it may be sold: a letter on a held unit reads like a resale grade.
        return Grade(functional, cosmetic, "-", Disposition.HOLD, reasons)
    letter = letter_for(functional, cosmetic, bool(warned), letters)
    disposition = Disposition.RESALE if functional else Disposition.REPAIR
    reasons.append(f"letter {letter}: functional {functional or 'none'}, cosmetic {cosmetic}"
                   f"{', with WARN' if warned else ''}")
    return Grade(functional, cosmetic, letter, disposition, reasons)
