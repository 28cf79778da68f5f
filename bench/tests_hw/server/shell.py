"""Running one shell command on a server and telling "the tool or hardware is absent" from
"the bench lost the session" from "here is the output"."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bench.drivers.parsing import sanitize
from bench.model import Outcome, TestResult, utc_now
from bench.tests_hw.base import ChannelMissing, TestContext, TestFunction, result

# What bash, coreutils and the tools print when a tool, a file or a device is not there.
_ABSENT = re.compile(
    r"(?P<nf>command not found|^\S*sh: (?:\d+: )?\S+: not found$)"  # bash, then dash/busybox
    r"|(?P<nofile>No such file or directory)"
    r"|(?P<denied>Permission denied)"
    r"|(?P<noipmi>Could not open device at /dev/ipmi)",
    re.MULTILINE,
)


@dataclass
class Output:
    command: str
    text: str = ""
    absent: str = ""  # a missing tool, file, device or right: the test is NOT_RUN with this reason
    error: str = ""  # the bench's problem (lost session, timeout): ERROR

    @property
    def ok(self) -> bool:
        return not (self.absent or self.error)


def absent_reason(command: str, text: str) -> str:
    """Why `text` is a refusal rather than output, or "" when it is output."""
    head = "\n".join(text.strip().splitlines()[:3])
    m = _ABSENT.search(head)
    if m is None:
        return ""
    tool = command.split()[0]
    if m.group("nf"):
        return f"{tool} is not installed on the unit ({tool}: command not found)"
    if m.group("noipmi") and "Permission denied" not in head:
        return "no IPMI device (/dev/ipmi0): no BMC, or the ipmi_si/ipmi_devintf drivers are not loaded"
    if m.group("denied") or m.group("noipmi"):
        return f"{tool} needs root on the unit (permission denied)"
    return f"{command!r}: {head.splitlines()[0][:200]}"


async def sh(ctx: TestContext, command: str, timeout: float = 60.0) -> Output:
    """Run `command` once per session (cached); ChannelMissing propagates (the test is NOT_RUN)."""
    try:
        text = sanitize(await ctx.show(command, timeout=timeout))
    except ChannelMissing:
        raise
    except Exception as exc:  # failures are data: a lost session is ERROR, not a crash
        return Output(command, error=f"{command!r}: {type(exc).__name__}: {exc}"[:300])
    reason = absent_reason(command, text)
    return Output(command, text=text, absent=reason)


def not_run(name: str, started: str, why: str, **evidence: object) -> TestResult:
    return result(name, Outcome.NOT_RUN, why, started, **evidence)


def from_output(name: str, started: str, out: Output) -> TestResult:
    """The result for a command that did not give output: NOT_RUN when absent, ERROR when lost."""
    if out.error:
        return result(name, Outcome.ERROR, out.error, started)
    return not_run(name, started, out.absent, command=out.command)


def shell_check(name: str) -> Callable[[Callable[[TestContext, str], Awaitable[TestResult]]], TestFunction]:
    """Turns `async body(ctx, started)` into the registry's `run(ctx)`: a unit without a shell to it
    (ChannelMissing from any `sh`) is NOT_RUN with why, as the engine would record it."""
    def wrap(body: Callable[[TestContext, str], Awaitable[TestResult]]) -> TestFunction:
        async def run(ctx: TestContext) -> TestResult:
            started = now()
            try:
                return await body(ctx, started)
            except ChannelMissing as exc:
                return not_run(name, started, str(exc))

        # Not functools.wraps: the registry checks the signature of run(ctx), not of the body.
        run.__doc__, run.__module__, run.__qualname__ = body.__doc__, body.__module__, body.__qualname__
        return run

    return wrap


def key_values(text: str) -> dict[str, str]:
    """`Key: value` lines (lscpu, dmidecode blocks, ethtool); the first occurrence of a key wins."""
    out: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() and key.strip() not in out:
            out[key.strip()] = value.strip()
    return out


def to_int(text: object) -> int | None:
    try:
        return int(str(text).strip())
    except (TypeError, ValueError):
        return None


def now() -> str:
    return utc_now()
