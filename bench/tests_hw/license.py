"""license: what the unit is licensed for and who holds it, since the licence decides resale value.

Licence level and feature set, Smart Licensing registration (a unit still registered to a previous owner's
Smart Account is WARN, saying what must be done), reservations, expired evaluation licences. A platform
without a licence reader is NOT_RUN with that reason; a reading that cannot be taken is never a PASS.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from bench.model import Outcome, TestResult
from bench.platforms.licensing import Licensing
from bench.tests_hw.base import TestContext, result
from bench.tests_hw.cli_check import cli_check

NAME = "license"
DEREGISTER = ("deregister it on the unit (`license smart deregister`, then `no license smart enable` where the "
              "platform allows it; the refurb wipe does both) and have the previous owner remove the product "
              "instance from their Smart Account")


CLEAR = ("clear the unit's licence data (`license smart factory reset`, then reload; the refurb wipe does) and "
         "have the previous owner remove the product instance from their Smart Account")


def _smart(facts: Licensing) -> dict[str, Any]:
    return {"enabled": facts.smart_enabled, "registration": facts.registration, "registered": facts.registered,
            "smart_account": facts.smart_account, "virtual_account": facts.virtual_account,
            "authorization": facts.authorization, "reservation": facts.reservation, "using_policy": facts.policy,
            "trust_code": facts.trust_code}


def findings(facts: Licensing) -> list[str]:
    """What a buyer or the refurbisher must act on."""
    out = []
    if facts.registered:
        account = f"Smart Account {facts.smart_account!r}" if facts.smart_account else "a Smart Account"
        virtual = f" (virtual account {facts.virtual_account!r})" if facts.virtual_account else ""
        if facts.policy:
            out.append(f"Smart Licensing Using Policy tied to {account}{virtual}, a previous owner's: {CLEAR}")
        else:
            out.append(f"Smart Licensing registered to {account}{virtual}, a previous owner's: {DEREGISTER}")
    if facts.reservation:
        out.append(f"licence reservation in force ({facts.reservation}): the previous owner must return it "
                   "(`license smart reservation return`) before the licence can move to a buyer")
    expired_in_use = [e.feature for e in facts.entries if e.expired and e.in_use]
    if expired_in_use:
        out.append(f"evaluation licence {', '.join(expired_in_use)} expired and in use: the feature set runs on "
                   "an expired evaluation; a buyer needs a permanent licence")
    if facts.smart_enabled and not facts.registered and "EXPIRED" in facts.authorization.upper():
        out.append("Smart Licensing evaluation period expired: the buyer registers the unit in their own account")
    return out


def _summary(facts: Licensing) -> str:
    parts = []
    if facts.level:
        kind = next((e.kind for e in facts.entries if e.feature == facts.level and e.kind), "")
        parts.append(f"licence level {facts.level}" + (f" ({kind.lower()})" if kind else ""))
        if facts.next_level and facts.next_level != facts.level:
            parts.append(f"{facts.next_level} at next reload")
    others = [e for e in facts.entries if e.feature != facts.level]
    if others:
        parts.append("also " + ", ".join(f"{e.feature} {e.kind.lower() or '?'}"
                                         + (" (expired)" if e.expired else "") for e in others[:4]))
    if facts.smart_enabled is True:
        parts.append(f"Smart Licensing {facts.registration.lower() or 'enabled'}"
                     + (f", {facts.authorization.lower()}" if facts.authorization else ""))
    elif facts.smart_enabled is False:
        parts.append("Smart Licensing disabled")
    return "; ".join(parts)


@cli_check(NAME)
async def run(ctx: TestContext, platform: Any, started: str) -> TestResult:
    reader = getattr(platform, "license", None)
    if reader is None:
        return result(NAME, Outcome.NOT_RUN, f"the {platform.name} platform reads no licences", started)
    facts: Licensing = await reader(ctx)
    evidence: dict[str, Any] = {
        "level": facts.level, "next_level": facts.next_level, "entries": [asdict(e) for e in facts.entries],
        "smart_licensing": _smart(facts), "expired_evaluations": [e.feature for e in facts.entries if e.expired],
        "output": facts.evidence}
    if facts.problems:
        evidence["problems"] = facts.problems
    if not facts.level and not facts.entries and facts.smart_enabled is None:
        if facts.problems:
            return result(NAME, Outcome.ERROR, f"licences unreadable: {facts.problems[0]}", started, **evidence)
        return result(NAME, Outcome.NOT_RUN, "the unit names no licence (no licence level, no licence commands)",
                      started, **evidence)
    said = _summary(facts)
    todo = findings(facts)
    if todo:
        return result(NAME, Outcome.WARN, "; ".join([*todo, said]), started, **evidence)
    if facts.problems:  # read in part: what was read is said, the gap keeps it from a PASS
        return result(NAME, Outcome.WARN, f"{said}; not all read: {facts.problems[0]}", started, **evidence)
    return result(NAME, Outcome.PASS, said, started, **evidence)
