"""poe: Power over Ethernet per port, from the platform's collector.

NOT_RUN on a model without PoE. A port in fault, denied or overload is a FAIL; a port whose state
cannot be read is a WARN. Ports the harness loads (`expect_powered: [ports]`) must be delivering power.

PoE under load (refurb-steps): with a PoE load tester in the slot's harness (`poe_load: {port: class}`), each
loaded port must be on, at the class its load draws, drawing power within that class's limit; the power
used must fit the unit's own budget, and that budget must be the model's figure (the model catalog's): less
is a supply short of power. Over budget, a Catalyst denies power to the lowest-priority ports first, the
highest-numbered ones (Cisco's documented order): a denied port while the budget has room is a FAIL. Without
a load tester the summary says what could not be checked.
"""

from __future__ import annotations

from typing import Any

from bench import model_catalog
from bench.model import Outcome, TestResult
from bench.platforms import Poe
from bench.tests_hw.base import TestContext, declare, result
from bench.tests_hw.cli_check import cli_check
from bench.tests_hw.ports import port_key

NAME = "poe"
# IEEE 802.3af/at/bt: the most a PSE port delivers per class (W); class 0 is the 802.3af default.
CLASS_LIMIT_W = {0: 15.4, 1: 4.0, 2: 7.0, 3: 15.4, 4: 30.0, 5: 45.0, 6: 60.0, 7: 75.0, 8: 90.0}
NO_LOAD = "no PoE load tester in the harness: power per class and the budget under load not checked"


def class_limit(poe_class: int) -> float:
    return CLASS_LIMIT_W.get(poe_class, 15.4)


def under_load(got: Poe, loads: dict[str, int], model: str) -> tuple[list[str], list[str], dict[str, Any]]:
    """(fails, warns, evidence) of the loaded ports and the budget."""
    fails: list[str] = []
    warns: list[str] = []
    by_key = {port_key(p.name): p for p in got.ports}
    ports: dict[str, Any] = {}
    for name, cls in loads.items():
        p = by_key.get(port_key(name))
        if p is None:
            warns.append(f"{name}: load tester on a port the unit does not list")
            continue
        said = int(p.poe_class) if p.poe_class.isdigit() else None
        ok = p.state == "on" and bool(p.watts) and (p.watts or 0) <= class_limit(cls) + 0.5 and said in (None, cls)
        ports[p.name] = {"class": cls, "unit_class": said, "state": p.state, "watts": p.watts,
                         "limit_w": class_limit(cls), "ok": ok}
        if ok:
            continue
        if p.state != "on" or not p.watts:
            fails.append(f"{p.name}: class {cls} load not powered ({p.state})")
        elif said is not None and said != cls:
            fails.append(f"{p.name}: class {cls} load detected as class {said}")
        else:
            fails.append(f"{p.name}: draws {p.watts:g} W, above class {cls}'s {class_limit(cls):g} W")
    evidence: dict[str, Any] = {"ports": ports}
    if got.budgets:
        available = sum(a for a, _ in got.budgets.values())
        used = sum(u for _, u in got.budgets.values())
        known = model_catalog.lookup(model)
        figure = known.poe_watts if known is not None else None
        evidence["budget"] = {"available_w": available, "used_w": used, "model_w": figure,
                              "modules": {m: {"available_w": a, "used_w": u} for m, (a, u) in got.budgets.items()}}
        if used > available + 0.5:
            fails.append(f"PoE used {used:g} W exceeds the unit's budget of {available:g} W")
        per_module = max(a for a, _ in got.budgets.values())
        if figure and per_module + 0.5 < figure:
            warns.append(f"PoE budget {per_module:g} W below the model's {figure} W: a supply short of power?")
        denied = [p.name for p in got.ports if p.state == "denied"]
        if denied and used + max((class_limit(c) for c in loads.values()), default=0.0) <= available:
            fails.append(f"power denied on {', '.join(denied[:4])} with budget to spare (Cisco denies only when "
                         "the budget is spent, the highest-numbered ports first)")
    else:
        warns.append("the unit states no PoE budget: the budget under load not checked")
    return fails, warns, evidence


@declare(run_inputs={"harness": "harness"})
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
    loads = (ctx.params.get("harness") or {}).get("poe_load") or {}
    loaded = ""
    if loads:
        more_fails, more_warns, evidence["under_load"] = under_load(got, loads, ctx.identity.model)
        fails += [f for f in more_fails if not any(f.split(":")[0] == x.split(":")[0] for x in fails)]
        warns += more_warns
        classes = ", ".join(f"class {c}" for c in sorted(set(loads.values()), reverse=True))
        budget = evidence["under_load"].get("budget")
        loaded = f"; {len(loads)} load(s) powered at {classes}" + (
            f", {budget['used_w']:g} of the budget's {budget['available_w']:g} W used" if budget else "")
    if fails:
        return result(NAME, Outcome.FAIL, "PoE " + "; ".join(fails[:4]), started, **evidence)
    if warns:
        return result(NAME, Outcome.WARN, "; ".join(warns[:4]), started, **evidence)
    on = sum(1 for p in got.ports if p.state == "on")
    said = loaded or f"; {NO_LOAD}"
    return result(NAME, Outcome.PASS, f"{len(got.ports)} PoE ports, {on} powering, no faults{said}", started,
                  **evidence)
