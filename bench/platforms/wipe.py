"""What the CLI wipes of the vendor collectors share: sending a wipe step, and waiting for the unit to come back.

Each collector keeps its own wipe commands and its own reading of uptime (vendor text); these helpers are the
mechanics around them, so a dropped session, a refusal and a unit that never returns are reported the same way
on every platform.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any

from bench.platforms import contract
from bench.platforms.cli import Reader, Refused, Shown, send_classified
from bench.platforms.data import PlatformData
from bench.tests_hw.base import TestContext

# A collector's uptime reader: seconds since boot, or None while the CLI does not answer.
UptimeReader = Callable[[TestContext], Awaitable[float | None]]


async def wipe_step(ctx: TestContext, data: PlatformData, rep: contract.WipeReport, command: str,
                    expect_drop: bool = False) -> None:
    """Send one wipe step (answers may travel with it, one a line) and note it in the report. A dropped session
    is the reboot when `expect_drop`, else a problem; a refusal is always one."""
    shown = await send_classified(ctx.cli, data, command, timeout=30)
    first = command.splitlines()[0]
    text = shown.text
    if shown.kind == "lost":  # a dropped session is the reboot, or the bench's problem: both are data
        text = f"(session ended: {shown.error.removeprefix(repr(command) + ': ')[:200]})"
        if not expect_drop:
            rep.problems.append(f"{first!r}: {text}")
    elif shown.rejected:
        rep.problems.append(f"{first!r} rejected: {shown.rejected}")
    rep.steps.append({"command": command.replace("\n", "; "), "output": text[:2000]})


async def wait_back(ctx: TestContext, uptime: UptimeReader, deadline: float, longest_pause: float,
                    forget: str = "") -> float | None:
    """Poll until `uptime` answers again (the channel logs in anew); that uptime, or None at `deadline`.
    `forget` is a command to drop from the session cache before each try."""
    pause = 1.0
    while time.monotonic() < deadline:
        if forget:
            ctx.cache.pop(forget, None)
        got = await uptime(ctx)
        if got is not None:
            return got
        await asyncio.sleep(min(pause, max(0.0, deadline - time.monotonic())))
        pause = min(pause * 2, longest_pause)  # back off: the unit is booting, not worth hammering
    return None


async def come_back(ctx: TestContext, data: PlatformData, rep: contract.WipeReport, uptime: UptimeReader,
                    before: float | None, what: str, *, forget: str = "", same_is_restart: bool = True) -> bool:
    """Wait (the platform's reboot timing) for the unit to answer after `what`, and record the uptimes before
    and after. False when it never came back. An uptime that went on growing means no reboot was seen;
    `same_is_restart=False` also counts an equal uptime as no reboot."""
    timing = data.reboot_timing(ctx.params)
    back = await wait_back(ctx, uptime, time.monotonic() + timing.timeout_s, timing.poll_s, forget=forget)
    if back is None:
        rep.problems.append(f"unit did not come back after {what} within the deadline")
        return False
    rep.verified["uptime_before_s"] = before
    rep.verified["uptime_after_s"] = back
    if before is not None and (back > before or (back == before and not same_is_restart)):
        rep.problems.append("uptime did not restart: the unit may not have rebooted")
    return True


def judge_config(rep: contract.WipeReport, shown: Shown, label: str, prefix: str,
                 leftovers: Callable[[str], list[str]], *, absent: str = "", clean: str = "factory default") -> None:
    """One configuration read after the wipe, as `rep.verified[label]`: "absent" where the unit says so (the
    `absent` pattern), `clean` or the owner's lines left (each also in `remaining`, after `prefix`), or why
    it could not be read."""
    if shown.ok and absent and re.search(absent, shown.text[:300], re.IGNORECASE):
        rep.verified[label] = "absent"
    elif shown.ok:
        left = leftovers(shown.text)
        rep.verified[label] = left or clean
        rep.remaining += [f"{prefix}: {x}" for x in left]
    else:
        rep.problems.append(shown.problem)


def config_rules(params: dict[str, Any], factory_hostname: str) -> tuple[re.Pattern[str], list[re.Pattern[str]]]:
    """What a verification accepts in a wiped configuration: the factory hostname (the profile's
    `factory_hostname`, else the platform's) and the lines the profile's `allowed_config` lets stay."""
    factory = re.compile(params.get("factory_hostname", factory_hostname))
    return factory, [re.compile(p) for p in params.get("allowed_config", [])]


def uptime_poll(read: Reader, command: str, seconds: Callable[[str], float | None],
                pattern: str = "") -> UptimeReader:
    """A collector's uptime reader for `wait_back`: `command` read now, its text (or `pattern`'s first group
    in it) through `seconds`; None while the CLI does not answer or the uptime is not there."""

    async def uptime(ctx: TestContext) -> float | None:
        try:
            text = await read(ctx, command, fresh=True, timeout=20)
        except Refused:
            return None
        if not pattern:
            return seconds(text)
        m = re.search(pattern, text)
        return seconds(m.group(1)) if m else None

    return uptime
