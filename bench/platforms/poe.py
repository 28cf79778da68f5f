"""Reading a PoE port table: what every collector whose unit lists its PoE ports in one command shares."""

from __future__ import annotations

from collections.abc import Callable

from bench.platforms import contract
from bench.platforms.cli import Reader, Refused
from bench.tests_hw.base import TestContext


def poe_refused(exc: Refused) -> contract.Poe:
    """A unit without PoE does not know the command (refused: not supported); a lost session leaves it unknown."""
    return contract.Poe(supported="rejected" not in str(exc), problems=[str(exc)])


async def poe_table(ctx: TestContext, read: Reader, command: str,
                    ports_of: Callable[[str], list[contract.PoePort]]) -> contract.Poe:
    """`command` read now and its ports parsed by `ports_of`; a table with no port is a problem, not a pass."""
    try:
        text = await read(ctx, command, fresh=True)
    except Refused as exc:
        return poe_refused(exc)
    ports = ports_of(text)
    return contract.Poe(supported=True, ports=ports, problems=[] if ports else [f"{command!r} listed no port"])
