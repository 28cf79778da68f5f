"""Grading v0: test outcomes + technician inputs + profile rules -> grade, disposition, reasons.

Pure: no I/O, no clock. The rules follow R2v3 (functional F3..F6, cosmetic C0..C9) as
described in DOMAIN.md; the letter grade is a profile-configurable mapping on top.
"""

from __future__ import annotations

from collections.abc import Mapping
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


def _names(results: Mapping[str, TestResult], outcome: Outcome, among: tuple[str, ...] | None = None) -> list[str]:
    return [n for n, r in results.items() if r.outcome == outcome and (among is None or n in among)]


def _describe(results: Mapping[str, TestResult], names: list[str]) -> str:
    return "; ".join(f"{n}: {results[n].summary}" for n in names)


def letter_for(functional: str | None, cosmetic: str, warned: bool) -> str:
    """DOMAIN.md's example mapping: A = F4+ with C5 or better and no WARN; B = F4+ with C4 or a WARN
    (or cosmetics not yet categorized, C0); C = F3 or C3; D = damaged (C1/C2) or not functional."""
    rank = _cosmetic_rank(cosmetic)
    if functional is None or rank in (1, 2):
        return "D"
    if functional == "F3":
        return "C"
    if rank >= 5 and not warned:
        return "A"
    if rank >= 4 or rank == 0:
        return "B"
    return "C"


def grade(results: Mapping[str, TestResult], inputs: TechnicianInputs | None = None,
          rules: Mapping[str, Any] | None = None) -> Grade:
    inputs = inputs or TechnicianInputs()
    rules = rules or {}
    hardware = tuple(rules.get("hardware_tests") or DEFAULT_HARDWARE_TESTS)
    cosmetic = inputs.cosmetic if inputs.cosmetic in COSMETIC_CODES else "C0"
    reasons: list[str] = []

    suspicious = [n for n, r in results.items()
                  if r.outcome == Outcome.FAIL and r.evidence.get("quarantine")]
    if suspicious:
        reasons.append(f"QUARANTINE: {_describe(results, suspicious)}; do not sell, keep the evidence")
        return Grade(None, cosmetic, "-", Disposition.QUARANTINE, reasons)

    failed = _names(results, Outcome.FAIL, hardware)
    if failed:
        reasons.append(f"hardware FAIL: {_describe(results, failed)}")
        return Grade(None, cosmetic, "D", Disposition.REPAIR, reasons)

    errors = _names(results, Outcome.ERROR)
    warned = _names(results, Outcome.WARN)
    if warned:
        reasons.append(f"WARN: {_describe(results, warned)}")
    if errors:
        reasons.append(f"HOLD: bench could not complete {_describe(results, errors)}; retest")
        return Grade(None, cosmetic, "-", Disposition.HOLD, reasons)

    passed = set(_names(results, Outcome.PASS))
    hw_run = [n for n in hardware if n in results and results[n].outcome != Outcome.NOT_RUN]
    all_hw_pass = bool(hw_run) and all(results[n].outcome == Outcome.PASS for n in hw_run)
    missing_f3 = [n for n in F3_REQUIRED if n not in passed]
    wipe = results.get("sanitization")
    # PASS, or WARN that still verified the wipe (the unit arrived with a previous owner's data).
    sanitized = wipe is not None and (wipe.outcome == Outcome.PASS or (
        wipe.outcome == Outcome.WARN and wipe.evidence.get("verified") is True))

    functional: str | None = None
    if not missing_f3:
        functional = "F3"
        if all_hw_pass and sanitized:
            functional = "F4"
            if inputs.licence_attested and not warned:
                functional = "F5"
                if inputs.new_open_box:
                    functional = "F6"
    else:
        reasons.append(f"no functional code: {', '.join(missing_f3)} not passed (F3 needs identity and port link)")
    if functional:
        reasons.append(f"functional {functional}: " + ", ".join(sorted(passed)) + " PASS")

    if not sanitized:
        reasons.append("HOLD: not sanitized (R2v3: no resale grade before a verified wipe)")
        # No letter until it may be sold: a letter on a held unit reads like a resale grade.
        return Grade(functional, cosmetic, "-", Disposition.HOLD, reasons)
    letter = letter_for(functional, cosmetic, bool(warned))
    disposition = Disposition.RESALE if functional else Disposition.REPAIR
    reasons.append(f"cosmetic {cosmetic} -> letter {letter}")
    return Grade(functional, cosmetic, letter, disposition, reasons)
