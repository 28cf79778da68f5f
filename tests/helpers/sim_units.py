"""A simulated family's unit built in-process and driven through its CLI session, and the session faults
(slow_response, ssh_drop, reboot, link_flap) every family answers the same way."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from simulators.faults import parse_faults

Unit = TypeVar("Unit")


def unit(cls: Callable[..., Unit], model: str, faults: str = "", *, index: int = 1, seed: int = 7) -> Unit:
    """Unit `index` of shelf S1 with the named faults (comma-separated, without the `S1:` prefix)."""
    return cls("S1", index, seed, model, parse_faults(",".join(f"S1:{f}" for f in faults.split(",") if f)))


def run(cli: Any, cmd: str, end: str = "\r") -> str:
    """What the session answers to one typed line (ended by `end`, as the client's Enter), with plain newlines."""
    return str(cli.feed(cmd + end).text).replace("\r\n", "\n")


def assert_slow_then_cut(cli: Any, cmd: str, *, before_cut: int = 4) -> None:
    """slow_response delays an answer by 2 s or more; ssh_drop closes the session `before_cut` lines later."""
    assert cli.feed("show version\r").delay >= 2.0
    assert [cli.feed(cmd + "\r").close for _ in range(before_cut + 1)] == [False] * before_cut + [True]


def assert_reboot_cuts(dev: Any, session: Any, cmd: str) -> None:
    """reboot@0s: the next touch reboots the unit (new generation, uptime restarts) and the open session dies."""
    gen = dev.generation
    cli = session(dev)
    dev.touch()
    assert dev.generation == gen + 1 and dev.uptime() < 5
    assert cli.feed(cmd + "\r").close


def assert_flaps(port: Any, seconds: int = 10) -> None:
    """link_flap: the port is seen both up and down within `seconds` of uptime."""
    assert {port.up(t) for t in range(seconds)} == {True, False}
