"""poe: Power over Ethernet per port, from the platform's collector.

NOT_RUN on a model without PoE. A port in fault, denied or overload is a FAIL; a port whose state
cannot be read is a WARN. Ports the harness loads (`expect_powered: [ports]`) must be delivering power.
"""

from __future__ import annotations

from typing import Any

from bench.model import Outcome, TestResult
from bench.tests_hw.base import TestContext, result
from bench.tests_hw.cli_check import cli_check
from bench.tests_hw.ports import port_key

NAME = "poe"


@cli_check(NAME)
async def run(ctx: TestContext, platform: Any, started: str) -> TestResult:
    got = await platform.poe(ctx)
    evidence: dict[str, Any] = {"problems": got.problems} if got.problems else {}
    if not got.supported:
        return result(NAME, Outcome.NOT_RUN, "model has no PoE", started, **evidence)
    if not got.ports:
        if got.problems:
            return result(NAME, Outcome.ERROR, f"PoE state unreadable: {got.problems[0]}", started, **evidence)
        return result(NAME, Outcome.WARN, "PoE model reports no PoE ports", started, **evidence)

    fails, warns = [], []
    for p in got.ports:
        if p.state in ("fault", "denied"):
            fails.append(f"{p.name}: {p.state}" + (f" ({p.detail})" if p.detail else ""))
        elif p.state == "unknown":
            warns.append(f"{p.name}: state unknown ({p.detail})")
    by_key = {port_key(p.name): p for p in got.ports}
    for want in ctx.params.get("expect_powered") or []:
        p = by_key.get(port_key(str(want)))
        if p is None:
            warns.append(f"{want}: harness load on a port the unit does not list")
        elif p.state == "off" or (p.state == "on" and not p.watts):
            fails.append(f"{p.name}: harness load attached but no power delivered")
    powered = [p for p in got.ports if p.state != "off"]
    evidence["ports"] = {p.name: {"state": p.state, "class": p.poe_class, "watts": p.watts} for p in powered}
    evidence["ports_off"] = len(got.ports) - len(powered)
    evidence["total_watts"] = round(sum(p.watts or 0.0 for p in got.ports), 1)
    if fails:
        return result(NAME, Outcome.FAIL, "PoE " + "; ".join(fails[:4]), started, **evidence)
    if warns:
        return result(NAME, Outcome.WARN, "; ".join(warns[:4]), started, **evidence)
    on = sum(1 for p in got.ports if p.state == "on")
    return result(NAME, Outcome.PASS, f"{len(got.ports)} PoE ports, {on} powering, no faults", started, **evidence)
