"""optics: each transceiver's DOM readings against that module's own alarm and warning thresholds.

Alarm -> FAIL, warning -> WARN, an optic without DOM -> WARN (its health is unknown, never "ok"),
no optics inserted -> NOT_RUN. Low alarms and warnings are judged in the low direction, high ones in the
high direction (the readers judge all four; `_crossed` re-checks only the high limits a Reading carries).
Low receive power on a port without link is no light on the fibre (nothing patched): it says nothing
about the optic, so that rx is recorded as not judged (evidence `rx_not_judged`, named in the summary)
and the optic is judged on its other readings; patch a loopback to judge its receiver.
"""

from __future__ import annotations

from typing import Any

from bench.model import Outcome, Reading, SensorState, TestResult
from bench.platforms import Optic
from bench.tests_hw.base import TestContext, result
from bench.tests_hw.cli_check import cli_check
from bench.tests_hw.ports import port_key

NAME = "optics"


def _crossed(r: Reading) -> SensorState:
    """The collector's state, double-checked against the high thresholds it passed along."""
    if r.value is not None and r.fail_at is not None and r.value >= r.fail_at:
        return SensorState.FAIL
    if r.state is SensorState.OK and r.value is not None and r.warn_at is not None and r.value >= r.warn_at:
        return SensorState.WARN
    return r.state


async def _unlinked(ctx: TestContext, platform: Any) -> set[str] | None:
    probe = getattr(platform, "link_states", None) or platform.ports
    try:
        states = await probe(ctx)
    except Exception:  # link state is only context for rx power; its absence leaves the FAIL standing
        return None
    return {port_key(p.name) for p in states.ports if p.link_up is False}


@cli_check(NAME)
async def run(ctx: TestContext, platform: Any, started: str) -> TestResult:
    got = await platform.optics(ctx)
    evidence: dict[str, Any] = {"problems": got.problems} if got.problems else {}
    if not got.optics:
        if got.problems:
            return result(NAME, Outcome.ERROR, f"optics unreadable: {got.problems[0]}", started, **evidence)
        return result(NAME, Outcome.NOT_RUN, "no optics inserted", started, **evidence)

    fails: list[str] = []
    warns: list[str] = []
    unpatched: list[str] = []
    dark: set[str] | None = None
    per: dict[str, Any] = {}
    for o in got.optics:
        per[o.port] = _optic_evidence(o)
        if not o.readings:
            warns.append(f"{o.port} {o.pid or 'optic'}: no DOM readings (module without diagnostics)")
            continue
        for r in o.readings:
            state = _crossed(r)
            what = f"{o.port} {r.kind} {r.value}{r.unit}"
            if state is SensorState.FAIL and r.kind == "rx_power" and r.value is not None and (
                    r.fail_at is None or r.value < r.fail_at):
                dark = await _unlinked(ctx, platform) if dark is None else dark
                if dark is not None and port_key(o.port) in dark:
                    unpatched.append(o.port)
                    continue
            if state is SensorState.FAIL:
                fails.append(f"{what} past its alarm threshold")
            elif state is SensorState.WARN:
                warns.append(f"{what} past its warning threshold")
            elif state is SensorState.UNKNOWN:
                warns.append(f"{what}: unreadable or no thresholds")
    evidence["optics"] = per
    if unpatched:
        evidence["rx_not_judged"] = {"ports": unpatched, "why": "no light received and the port has no link"}
    if fails:
        return result(NAME, Outcome.FAIL, "; ".join(fails[:4]), started, **evidence, warnings=warns)
    if warns:
        return result(NAME, Outcome.WARN, "; ".join(warns[:4]), started, **evidence)
    note = f"; rx not judged on {', '.join(unpatched)} (no link: not patched)" if unpatched else ""
    return result(NAME, Outcome.PASS, f"{len(got.optics)} optics within their DOM thresholds{note}", started,
                  **evidence)


def _optic_evidence(o: Optic) -> dict[str, Any]:
    return {"pid": o.pid, "serial": o.serial,
            "dom": {r.kind: {"value": r.value, "unit": r.unit, "state": str(r.state), "thresholds": r.detail}
                    for r in o.readings}}
