"""The opening every CLI check shares: a CLI channel and the unit's platform collector, or NOT_RUN saying why not.

`@cli_check(NAME)` turns `async body(ctx, platform, started)` into the registry's `async run(ctx)`;
the body is only called when the unit has a CLI channel and a collector for its platform.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from bench.model import Outcome, TestResult, utc_now
from bench.platforms import platform_for
from bench.tests_hw.base import TestContext, TestFunction, result

CheckBody = Callable[[TestContext, Any, str], Awaitable[TestResult]]


def cli_check(name: str) -> Callable[[CheckBody], TestFunction]:
    def wrap(body: CheckBody) -> TestFunction:
        async def run(ctx: TestContext) -> TestResult:
            started = utc_now()
            if ctx.cli is None:
                return result(name, Outcome.NOT_RUN, "no CLI channel to this unit", started)
            try:
                platform = platform_for(ctx)
            except LookupError as exc:
                return result(name, Outcome.NOT_RUN, str(exc), started)
            return await body(ctx, platform, started)

        # Not functools.wraps: the registry checks the signature of run(ctx), not of the body.
        run.__doc__, run.__module__, run.__qualname__ = body.__doc__, body.__module__, body.__qualname__
        return run

    return wrap
