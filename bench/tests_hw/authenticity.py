"""authenticity: serials agree across label, CLI and SNMP; serial format; optic security messages; what the unit
says of its own genuineness (an %ILET authentication failure, "may not be a genuine Cisco product", a failed
ID-PROM check) and a chassis PID that differs from the model its software reports.

Disagreement is counterfeit suspicion: FAIL with `quarantine: true`. One channel alone proves
nothing (entPhysicalSerialNum is writable on some agents), so a single channel is a WARN.
"""

from __future__ import annotations

import re
from typing import Any

from bench.model import ComponentKind, Outcome, TestResult, utc_now
from bench.tests_hw.base import TestContext, result
from bench.tests_hw.identity import ensure_identity, gather

NAME = "authenticity"

# Counterfeit or tampered optics (the EEPROM fails Cisco's check) versus merely third-party ones.
_OPTIC_COUNTERFEIT = re.compile(r"%GBIC_SECURITY(?:_CRYPT)?-\d-(?:VN_DATA_CRC_ERROR|\w*ID_MISMATCH\w*)")
_OPTIC_UNSUPPORTED = re.compile(r"%PHY-\d-UNSUPPORTED_TRANSCEIVER|%GBIC_SECURITY(?:_CRYPT)?-\d-\w+")
# The unit doubting its own hardware (refurb-steps): Cisco's Image Licensing Enforcement (%ILET), the genuineness
# wording, an ID-PROM that fails its check, a chip/module authentication failure (never a user's login failure).
_NOT_GENUINE = re.compile(
    r"%ILET-\d-\w+|may not be a genuine|not (?:have been )?manufactured by Cisco|counterfeit"
    r"|%\w*IDPROM\w*-\d-\w*(?:FAIL|ERR|INVALID|CORRUPT|MISMATCH)\w*"
    r"|ID-?PROM.{0,60}(?:fail|invalid|corrupt|checksum|mismatch)"
    r"|(?:chip|hardware|ACT2|quack|module|SUDI)\s+authentication\s+(?:fail|error)", re.IGNORECASE)


def _fru_mismatches(ctx: TestContext) -> list[dict[str, str]]:
    """FRUs listed by both CLI and SNMP under the same name whose serials differ."""
    comps = ctx.identity.components
    cli = {
        c.name.lower(): c
        for c in comps
        if c.source == "cli" and c.serial and c.kind is not ComponentKind.CHASSIS
    }
    out = []
    for c in comps:
        if c.source != "snmp" or not c.serial:
            continue
        other = cli.get(c.name.lower())
        if other is not None and other.serial != c.serial:
            out.append({"name": c.name, "cli": other.serial, "snmp": c.serial})
    return out


async def _log_lines(ctx: TestContext) -> tuple[list[str], str]:
    """(the unit's log buffer, why it could not be read), from the collector's logs."""
    if ctx.cli is None:
        return [], "no CLI channel (SSH or console) to this unit"
    got = await gather(ctx, "logs")
    lines = list(got.facts.lines) if got.facts is not None else []
    if not lines and (got.errors or got.notes):
        return [], "; ".join(got.errors + got.notes)[:300]
    return lines, ""


def _optic_messages(lines: list[str]) -> tuple[list[str], list[str]]:
    """(counterfeit lines, unsupported lines) of the log buffer."""
    fake = [ln for ln in lines if _OPTIC_COUNTERFEIT.search(ln)]
    third_party = [ln for ln in lines if _OPTIC_UNSUPPORTED.search(ln) and ln not in fake]
    return fake[:50], third_party[:50]


def _pid_mismatch(ctx: TestContext) -> str:
    """The model the software reports against the chassis PIDs the unit's ID-PROMs give (a stack lists one per
    member: the software's model must be one of them)."""
    model = (ctx.identity.model or "").strip().upper()
    pids = {c.pid.strip().upper() for c in ctx.identity.components
            if c.kind is ComponentKind.CHASSIS and c.source == "cli" and c.pid.strip()}
    if not model or not pids or model in pids:
        return ""
    return f"chassis PID {', '.join(sorted(pids))} does not match the model the software reports ({model})"


async def _fleet(ctx: TestContext, serials: dict[str, str], evidence: dict[str, Any]) -> tuple[str, str, str]:
    """(clone finding, returned-unit note, why not checked) from the fleet store (`bench run --fleet`)."""
    serial = next(iter(serials.values()), "")
    if ctx.slot.fleet is None or not serial:
        return "", "", ""
    got = await ctx.slot.fleet(serial)
    evidence["fleet"] = got
    if not got.get("checked"):
        return "", "", f"fleet store ({got.get('why', 'no answer')})"
    seen = got.get("sightings") or []
    if not seen:
        return "", "", ""

    def said(s: dict[str, Any]) -> str:
        held = "" if s.get("trusted") else ", bench not approved: held, not trusted"
        return f"{s.get('bench')} at {s.get('finished') or s.get('started')} (grade {s.get('letter')}{held})"

    at_once = [s for s in seen if s.get("at_once")]
    if at_once:
        return (f"serial {serial} was on bench {', '.join(said(s) for s in at_once)} at the same time: "
                "two units carry one serial (clone or counterfeit)"), "", ""
    return "", f"serial {serial} graded before on bench {said(seen[0])}: a returned or re-tested unit", ""


async def run(ctx: TestContext) -> TestResult:
    started = utc_now()
    if ctx.cli is None and ctx.snmp is None:
        return result(NAME, Outcome.NOT_RUN, "no CLI or SNMP channel to this unit", started)
    got = await ensure_identity(ctx)
    serials = {k: v.strip().upper() for k, v in ctx.identity.chassis_serials.items() if v and v.strip()}
    if ctx.slot.label_serial:
        serials["label"] = ctx.slot.label_serial.strip().upper()
    evidence: dict[str, Any] = {"chassis_serials": serials}
    if got and got.problems:
        evidence["problems"] = got.problems

    pattern = ctx.params.get("serial_pattern")
    bad_format = {}
    if pattern:
        try:
            rx = re.compile(pattern)
        except re.error as exc:
            return result(
                NAME, Outcome.ERROR, f"profile serial_pattern is not a regex: {exc}", started, **evidence
            )
        bad_format = {ch: s for ch, s in serials.items() if not rx.search(s)}
        evidence["serial_pattern"] = pattern
    fru_diff = _fru_mismatches(ctx)
    lines, not_checked = await _log_lines(ctx)
    fake, third_party = _optic_messages(lines)
    doubts = [ln for ln in lines if _NOT_GENUINE.search(ln) and ln not in fake][:20]
    pid_mismatch = _pid_mismatch(ctx)
    evidence |= {"fru_mismatches": fru_diff, "optic_security": fake, "optic_unsupported": third_party,
                 "genuineness": doubts}
    if pid_mismatch:
        evidence["pid_mismatch"] = pid_mismatch
    if not_checked:
        evidence["optic_log_not_checked"] = not_checked

    fleet_clone, fleet_seen, fleet_unknown = await _fleet(ctx, serials, evidence)

    problems = []
    if fleet_clone:
        problems.append(fleet_clone)
    if len(set(serials.values())) > 1:
        problems.append(
            "chassis serial differs: " + ", ".join(f"{ch} {s}" for ch, s in sorted(serials.items()))
        )
    if bad_format:
        problems.append(
            "serial format wrong: " + ", ".join(f"{ch} {s}" for ch, s in sorted(bad_format.items()))
        )
    if fru_diff:
        problems.append(
            "FRU serial differs: "
            + ", ".join(f"{d['name']} cli {d['cli']} snmp {d['snmp']}" for d in fru_diff)
        )
    if fake:
        problems.append(f"optic security errors ({len(fake)} lines)")
    if doubts:
        problems.append(f"the unit says it may not be genuine ({len(doubts)} log lines: {doubts[0][:160]})")
    if pid_mismatch:
        problems.append(pid_mismatch)
    if problems:
        return result(NAME, Outcome.FAIL, "; ".join(problems), started, quarantine=True, **evidence)

    if not serials:
        outcome = Outcome.ERROR if got and got.problems else Outcome.WARN
        return result(
            NAME, outcome, "no chassis serial could be read; not cross-checked", started, **evidence
        )
    serial = next(iter(serials.values()))
    if len(serials) == 1:
        only = next(iter(serials))
        seen = f"; {fleet_seen}" if fleet_seen else ""
        return result(
            NAME, Outcome.WARN, f"only {only} serial available; not cross-checked{seen}", started, **evidence
        )
    order = ["cli", "snmp", "label"]
    channels = sorted(serials, key=lambda ch: (order.index(ch) if ch in order else len(order), ch))
    summary = f"serial {serial} agrees on {', '.join(channels)}"
    # A returned unit is not a counterfeit, and an unanswered fleet store is unknown: notes, never a pass.
    notes = [fleet_seen] if fleet_seen else []
    if not_checked:
        notes.append(f"optic log not checked ({not_checked})")
    if fleet_unknown:
        notes.append(f"not checked against the {fleet_unknown}")
    if notes:
        return result(NAME, Outcome.WARN, "; ".join([summary, *notes]), started, **evidence)
    if third_party:
        return result(NAME, Outcome.WARN, f"{summary}; unsupported transceiver logged", started, **evidence)
    return result(NAME, Outcome.PASS, summary, started, **evidence)
