"""powercycle: N cold boots through the slot's PDU outlet, each watched on the console.

A boot passes when the console reaches the unit's first prompt (Press RETURN, a login, the setup dialog or a
CLI prompt) within the family's boot time (the platform's reboot timeout, or `boot_time`), with no POST
failure printed on the way. A line silent for `silence` seconds mid-boot is a boot that stopped. The time of
each boot, from the power-cycle command to its prompt, is evidence. The first boot that does not come up
fails the test naming it; one more power cycle then tries to leave the unit running for the rest of the plan.
After the last boot, the ports that had link before the first must link again within `settle` seconds (a port
lost to a cold boot is a finding; and the checks after this one find the unit as it was).
No PDU outlet in the bench file, or no console to watch the boot on: NOT_RUN with the reason.
"""

from __future__ import annotations

import asyncio
import re
import time
from typing import Any

from bench.drivers.pdu import PduOutlet
from bench.model import Outcome, TestResult, utc_now
from bench.platforms import UnknownPlatform, load, platform_for
from bench.tests_hw.base import TestContext, declare, result

NAME = "powercycle"
DEFAULT_CYCLES = 3
DEFAULT_BOOT_TIME = 600.0  # seconds, when the platform names none
DEFAULT_SILENCE = 120.0  # a Catalyst's quietest stretch of a healthy boot is well under a minute
DEFAULT_SETTLE = 180.0  # seconds for the links to come back after the last boot (spanning tree, PoE, optics)
# The unit's first prompt after a boot, as the console walk knows them (bench/drivers/console/machine.py).
READY = re.compile(r"Press RETURN to get started|initial configuration dialog\?\s*\[yes/no\]|^(?:Username|login):\s*$"
                   r"|^[\w.\-/]{1,64}[>#]\s*$", re.MULTILINE)
POST_FAILED = re.compile(r"(?m)^.*POST:.*(?:FAIL|Failed).*$|POST failed.*$")
_ANY = r"[\s\S]+"  # whatever has arrived: the boot is read as it comes, so a silent line is seen as one


def _number(value: Any, default: float) -> float:
    try:
        n = float(value)
    except (TypeError, ValueError):
        return default
    return n if n > 0 else default


def _boot_time(ctx: TestContext) -> float:
    if "boot_time" in ctx.params:
        return _number(ctx.params["boot_time"], DEFAULT_BOOT_TIME)
    try:
        platform = load(getattr(ctx.cli, "platform", "") or "")
    except (UnknownPlatform, LookupError):
        return DEFAULT_BOOT_TIME
    return float(platform.data.reboot_timing(ctx.params).timeout_s)


def _poll(ctx: TestContext) -> float:
    try:
        return float(platform_for(ctx).data.reboot_timing(ctx.params).poll_s)
    except Exception:  # noqa: BLE001 - no collector: the default polling interval
        return 5.0


def _watchdog(params: dict[str, Any]) -> float:
    cycles = int(_number(params.get("cycles"), DEFAULT_CYCLES))
    per_boot = _number(params.get("boot_time"), DEFAULT_BOOT_TIME) + 120.0  # the walk back to enable
    settle = _number(params.get("settle"), DEFAULT_SETTLE)
    return (cycles + 1) * per_boot + settle + 120.0  # one recovery cycle after a failed boot, links settling


async def _watch(console: Any, boot_time: float, silence: float) -> dict[str, Any]:
    """Read the boot as it comes until the unit's first prompt; what was seen, and how long it took."""
    t0 = last = time.monotonic()
    seen = ""
    why = ""
    while True:
        left = t0 + boot_time - time.monotonic()
        if left <= 0:
            why = f"no prompt within the boot time of {boot_time:g} s"
            break
        try:
            seen += await console.read_until(_ANY, timeout=min(silence, left))
            last = time.monotonic()
        except Exception as exc:  # noqa: BLE001 - a silent or lost line is this boot's finding, not a crash
            why = (f"the console went silent {last - t0:.0f} s into the boot and stayed silent "
                   f"{time.monotonic() - last:.0f} s" if "within" in str(exc)
                   else f"console lost during the boot: {type(exc).__name__}")
            break
        if READY.search(seen[-4096:]):
            return {"reached_prompt": True, "seconds": round(time.monotonic() - t0, 1),
                    "post_failures": POST_FAILED.findall(seen)[:10], "tail": seen.strip()[-300:]}
    return {"reached_prompt": False, "seconds": round(time.monotonic() - t0, 1), "why": why,
            "post_failures": POST_FAILED.findall(seen)[:10], "tail": seen.strip()[-300:]}


async def _cycle(ctx: TestContext, console: Any, outlet: PduOutlet, boot_time: float, silence: float) -> dict[str, Any]:
    """One cold boot: sessions of the old boot closed, the outlet cycled, the boot read on the console."""
    if ctx.cli is not None and ctx.cli is not console:
        await ctx.cli.close()  # SSH dies with the power: the next check opens a fresh session
    ctx.cache.clear()  # everything read before is of the previous boot
    await console.ensure_open()  # at the prompt, so what follows the power cycle is the boot alone
    await console.read_until(r"[\s\S]*", timeout=0.1)  # what was buffered is not part of the boot
    await outlet.power_cycle()
    boot = await _watch(console, boot_time, silence)
    await console.close()  # the next use walks from the fresh prompt to enable
    return boot


async def _linked(ctx: TestContext) -> tuple[set[str] | None, str]:
    """(ports with link now, or None and why they could not be read), by the platform's cheap link read."""
    try:
        platform = platform_for(ctx)
    except Exception as exc:  # noqa: BLE001 - no CLI or no collector: links are not read, never guessed
        return None, str(exc)
    read = getattr(platform, "link_states", None) or platform.ports
    try:
        got = await read(ctx)
    except Exception as exc:  # noqa: BLE001 - a link read that fails says nothing about the boots
        return None, f"{type(exc).__name__}: {exc}"
    if not got.ports:
        return None, "; ".join(got.problems) or "no ports listed"
    return {p.name for p in got.ports if p.link_up}, ""


async def _settle(ctx: TestContext, before: set[str], settle: float,
                  poll: float) -> tuple[list[str], float, str]:
    """Read link states until every port linked before the cycles links again, or `settle` seconds pass;
    (ports still down, seconds waited, why the links could not be read at all: "" when they were)."""
    t0 = time.monotonic()
    read_once = False
    while True:
        now, why = await _linked(ctx)
        read_once = read_once or now is not None
        missing = sorted(before - now) if now is not None else sorted(before)
        if not missing or time.monotonic() - t0 >= settle:
            return missing, round(time.monotonic() - t0, 1), "" if read_once else why[:200]
        # The platform's own polling interval: links come up in their own time, reading faster changes nothing.
        await asyncio.sleep(min(poll, max(0.0, t0 + settle - time.monotonic())))


async def _recover(console: Any, outlet: PduOutlet, boot_time: float) -> dict[str, Any]:
    """A power cycle of a unit that is not at a prompt: the console walk follows the boot to enable."""
    await console.close()
    await outlet.power_cycle()
    t0 = time.monotonic()
    try:
        await asyncio.wait_for(console.ensure_open(), boot_time + 120.0)
    except Exception as exc:  # noqa: BLE001 - a unit that stays down is what this says, not a crash
        return {"reached_prompt": False, "seconds": round(time.monotonic() - t0, 1), "why": f"{exc}"[:200]}
    return {"reached_prompt": True, "seconds": round(time.monotonic() - t0, 1)}


@declare(watchdog=_watchdog, run_inputs={"pdu": "pdu"})
async def run(ctx: TestContext) -> TestResult:
    started = utc_now()
    pdu = ctx.params.get("pdu")
    if pdu is None:
        return result(NAME, Outcome.NOT_RUN, "no PDU outlet for this slot in the bench file (give the slot "
                      "pdu: {host, port, outlet}); a cold boot needs the power switched", started)
    console = ctx.console
    if console is None:
        return result(NAME, Outcome.NOT_RUN, "no console on this slot: a cold boot is watched on the console",
                      started)
    cycles = int(_number(ctx.params.get("cycles"), DEFAULT_CYCLES))
    boot_time, silence = _boot_time(ctx), _number(ctx.params.get("silence"), DEFAULT_SILENCE)
    outlet = PduOutlet(pdu.host, pdu.port, pdu.outlet, pdu.community)
    evidence: dict[str, Any] = {"cycles": cycles, "boot_time_s": boot_time, "silence_s": silence,
                                "outlet": outlet.where, "boots": []}
    linked_before, _ = await _linked(ctx)
    failed = ""
    for n in range(1, cycles + 1):
        ctx.log(f"powercycle: cold boot {n} of {cycles}")
        boot = {"boot": n, **await _cycle(ctx, console, outlet, boot_time, silence)}
        evidence["boots"].append(boot)
        if not boot["reached_prompt"]:
            failed = f"cold boot {n} of {cycles} (boot {n}) did not come up: {boot['why']}"
            break
        if boot["post_failures"]:
            failed = f"cold boot {n} of {cycles} (boot {n}): POST failed: {boot['post_failures'][0].strip()}"
            break
    if failed:
        # One more cold boot so the rest of the plan finds the unit running (the finding stands either way).
        again = await _recover(console, outlet, boot_time)
        evidence["recovery_boot"] = again
        back = ("a further power cycle brought it back" if again["reached_prompt"]
                else f"a further power cycle did not bring it back either ({again['why']})")
        if again["reached_prompt"] and linked_before:  # the rest of the plan finds its links up, if they come
            down, waited, unread = await _settle(ctx, linked_before, _number(ctx.params.get("settle"),
                                                                              DEFAULT_SETTLE), _poll(ctx))
            evidence["links"] = {"before": sorted(linked_before), "not_back": down, "waited_s": waited,
                                 **({"unreadable": unread} if unread else {})}
        return result(NAME, Outcome.FAIL, f"{failed}; {back}", started, **evidence)
    times = [b["seconds"] for b in evidence["boots"]]
    evidence["slowest_s"] = max(times)
    if linked_before:
        settle = _number(ctx.params.get("settle"), DEFAULT_SETTLE)
        down, waited, unread = await _settle(ctx, linked_before, settle, _poll(ctx))
        evidence["links"] = {"before": sorted(linked_before), "not_back": down, "waited_s": waited}
        if unread:  # the boots passed; whether the links came back is unknown, never assumed
            evidence["links"]["unreadable"] = unread
            return result(NAME, Outcome.WARN, f"{cycles} cold boots reached the prompt with POST passing "
                          f"({', '.join(f'{t:g}' for t in times)} s); link states could not be read after them "
                          f"within {settle:g} s: {unread}", started, **evidence)
        if down:
            return result(NAME, Outcome.FAIL, f"{len(down)} port(s) linked before the cold boots and not within "
                          f"{settle:g} s after them: {', '.join(down[:6])}", started, **evidence)
    return result(NAME, Outcome.PASS, f"{cycles} cold boots through the PDU reached the prompt with POST passing "
                  f"({', '.join(f'{t:g}' for t in times)} s; boot time {boot_time:g} s)", started, **evidence)
