"""post: the power-on self test results the unit stored at boot (`show post`).

Only reads stored results: on-demand diagnostics can be disruptive and are never started here.
ntc-templates has no `show post` template, hence the small parser below.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from bench.model import Outcome, TestResult, utc_now
from bench.tests_hw.base import TestContext, result
from bench.tests_hw.identity import run_show

NAME = "post"

_SWITCH = re.compile(r"^\s*Switch\s+(\d+)\s*$")
# "POST: Thermal, Fan Tests : Begin" / "POST: TCAM BIST : End, Status Passed"
_LINE = re.compile(
    r"^\s*POST:\s*(?P<test>.+?)\s*:\s*(?:(?P<begin>Begin)|End,\s*Status\s+(?P<status>\w+))\s*$", re.IGNORECASE
)


@dataclass
class PostStep:
    test: str
    switch: str = ""
    status: str = "incomplete"  # passed, failed, incomplete (began, never ended), or the device's word

    @property
    def label(self) -> str:
        return f"switch {self.switch} {self.test}" if self.switch else self.test


def parse_post(text: str) -> list[PostStep]:
    steps: dict[tuple[str, str], PostStep] = {}
    switch = ""
    for line in text.splitlines():
        if m := _SWITCH.match(line):
            switch = m.group(1)
            continue
        m = _LINE.match(line)
        if m is None:
            continue
        key = (switch, m.group("test"))
        step = steps.setdefault(key, PostStep(test=m.group("test"), switch=switch))
        if not m.group("begin"):
            step.status = m.group("status").lower()
    return list(steps.values())


async def run(ctx: TestContext) -> TestResult:
    started = utc_now()
    shown = await run_show(ctx, "show post")
    if shown.missing:
        return result(NAME, Outcome.NOT_RUN, shown.missing, started)
    if shown.error:
        return result(NAME, Outcome.ERROR, shown.error, started)
    if shown.rejected:
        return result(NAME, Outcome.NOT_RUN, f"'show post' not supported: {shown.rejected}", started)
    steps = parse_post(shown.text)
    if not steps:
        return result(
            NAME, Outcome.NOT_RUN, "no POST results in 'show post' output", started, output=shown.text[:2000]
        )
    evidence: dict[str, Any] = {"steps": [asdict(s) for s in steps]}
    failed = [s for s in steps if s.status == "failed"]
    if failed:
        return result(
            NAME, Outcome.FAIL, "POST failed: " + ", ".join(s.label for s in failed), started, **evidence
        )
    odd = [s for s in steps if s.status != "passed"]
    if odd:
        return result(
            NAME,
            Outcome.WARN,
            "POST incomplete: " + ", ".join(f"{s.label} ({s.status})" for s in odd),
            started,
            **evidence,
        )
    return result(NAME, Outcome.PASS, f"{len(steps)} POST tests passed", started, **evidence)
