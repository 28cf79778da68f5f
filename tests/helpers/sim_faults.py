"""Faults every simulated family answers the same way (counterfeit_serial, slow_response, ssh_drop, reboot@,
link_flap), each checked once here for the family tests."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from helpers.sim_units import run


def assert_counterfeit_serial(make: Callable[..., Any], model: str, serial_format: Any, open_cli: Callable[[Any], Any],
                              show: str) -> Any:
    """counterfeit_serial: a healthy unit's serial has the vendor's format, a counterfeit's has not and the CLI's
    `show` answer carries it; the counterfeit unit, for further checks."""
    assert re.match(serial_format, make(model).serial)
    fake = make(model, "counterfeit_serial")
    assert not re.match(serial_format, fake.serial)
    assert fake.serial in run(open_cli(fake), show)
    return fake


def assert_slow_then_cut(cli: Any, slow: str, then: str, *, before_cut: int = 4, end: str = "\r") -> None:
    """slow_response delays the answer to `slow` by 2 s or more; ssh_drop closes the session at the
    `before_cut`+1-th `then` after it."""
    assert cli.feed(slow + end).delay >= 2.0
    assert [cli.feed(then + end).close for _ in range(before_cut + 1)] == [False] * before_cut + [True]


def assert_reboot_cuts(dev: Any, session: Callable[[Any], Any], cmd: str, end: str = "\r") -> None:
    """reboot@0s: a session opened before first contact, then the first touch reboots the unit (new generation,
    uptime restarts) and the old session is cut at its next line."""
    gen = dev.generation
    cli = session(dev)
    dev.touch()
    assert dev.generation == gen + 1 and dev.uptime() < 5
    assert cli.feed(cmd + end).close


def flapping_port(dev: Any, seconds: int = 10) -> Any:
    """link_flap: the unit's flapping port, seen both up and down within `seconds` of uptime."""
    port = next(p for p in dev.ports if p.flap)
    assert {port.up(t) for t in range(seconds)} == {True, False}
    return port


def assert_session_faults(make: Callable[..., Any], model: str, open_cli: Callable[[Any], Any], slow: str, then: str,
                          session: Callable[[Any], Any], after_reboot: str, *, before_cut: int = 4,
                          end: str = "\r") -> None:
    """The session faults on two units of `model`: slow_response and ssh_drop on a session `open_cli` opens
    (assert_slow_then_cut), reboot@0s on a `session` opened before first contact (assert_reboot_cuts)."""
    assert_slow_then_cut(open_cli(make(model, "slow_response,ssh_drop")), slow, then, before_cut=before_cut, end=end)
    assert_reboot_cuts(make(model, "reboot@0s"), session, after_reboot, end=end)
