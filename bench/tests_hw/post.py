"""post: the power-on self test results the unit stored at boot.

Only reads stored results (the platform collector's `post`): on-demand diagnostics can be
disruptive and are never started here. A platform without POST is NOT_RUN, never PASS.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from bench.model import Outcome, TestResult, utc_now
from bench.platforms import PostStep
from bench.tests_hw.base import TestContext, UnitNotBooted, result
from bench.tests_hw.identity import gather

NAME = "post"


def label(step: PostStep) -> str:
    return f"switch {step.switch} {step.test}" if step.switch else step.test


async def run(ctx: TestContext) -> TestResult:
    started = utc_now()
    if ctx.cli is None:
        return result(NAME, Outcome.NOT_RUN, "no CLI channel (SSH or console) to this unit", started)
    try:
        got = await gather(ctx, "post")
    except UnitNotBooted as e:
        # A unit that never gets past its boot loader has failed its power-on, whatever the cause.
        return result(NAME, Outcome.FAIL, f"unit does not boot its OS: {e}".replace("no CLI: ", ""), started)
    found = got.facts
    if got.errors:
        return result(NAME, Outcome.ERROR, got.errors[0], started, notes=got.notes)
    if found is None:
        why = "; ".join(got.notes) or "this platform keeps no POST results"
        return result(NAME, Outcome.NOT_RUN, why, started)
    if found.unsupported:
        return result(NAME, Outcome.NOT_RUN, found.unsupported, started)
    if not found.steps:
        why = "; ".join(got.notes) or "no POST results in the unit's output"
        return result(NAME, Outcome.NOT_RUN, why, started, output=found.output[:2000])
    evidence: dict[str, Any] = {"steps": [asdict(s) for s in found.steps]}
    if got.notes:
        evidence["notes"] = got.notes
    failed = [s for s in found.steps if s.status == "failed"]
    if failed:
        return result(NAME, Outcome.FAIL, "POST failed: " + ", ".join(label(s) for s in failed), started, **evidence)
    odd = [s for s in found.steps if s.status != "passed"]
    if odd:
        summary = "POST incomplete: " + ", ".join(f"{label(s)} ({s.status})" for s in odd)
        return result(NAME, Outcome.WARN, summary, started, **evidence)
    return result(NAME, Outcome.PASS, f"{len(found.steps)} POST tests passed", started, **evidence)
