"""The error tree: a unit's channel or parse failure is a UnitError (that unit's ERROR), never a BenchError
(which stops the whole run), and the engine maps the tree rather than a hand-made list of driver errors."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bench.config import BenchConfig
from bench.drivers.console.machine import ConsoleStuck
from bench.drivers.console.transport import ConsoleError, open_line
from bench.drivers.local import LocalError
from bench.drivers.parsing import ParseError
from bench.drivers.snmp import SnmpError
from bench.drivers.ssh import AuthFailed, SshError
from bench.drivers.telnet import TelnetError
from bench.engine import Engine
from bench.errors import BenchError, ChannelError, UnitError
from bench.model import Identity, Outcome
from bench.profiles import Catalog
from bench.store import Store
from bench.tests_hw import registry
from bench.tests_hw.base import SlotInfo, TestContext
from bench.tests_hw.registry import TestRegistry, known_tests

CHANNEL_ERRORS = [SshError, AuthFailed, TelnetError, LocalError, SnmpError, ConsoleError, ConsoleStuck]


@pytest.mark.parametrize("cls", [*CHANNEL_ERRORS, ParseError], ids=lambda c: c.__name__)
def test_every_driver_error_is_the_units_never_the_benchs(cls: type[Exception]) -> None:
    assert issubclass(cls, UnitError)
    assert not issubclass(cls, BenchError)


@pytest.mark.parametrize("cls", CHANNEL_ERRORS, ids=lambda c: c.__name__)
def test_channel_errors_share_one_root(cls: type[Exception]) -> None:
    assert issubclass(cls, ChannelError)


def test_a_parse_error_is_not_a_channel_error() -> None:
    assert not issubclass(ParseError, ChannelError)


_raised: list[ConsoleError] = []


async def _reads_a_dead_console(ctx: TestContext) -> None:
    """A check whose console line is refused: the real driver raises the real ConsoleError."""
    try:
        open_line("socket://127.0.0.1:1")
    except ConsoleError as e:
        _raised.append(e)
        raise


def test_engine_turns_a_console_error_into_that_units_error_naming_the_cause(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reg = TestRegistry()
    reg.load_builtins()
    reg.register("dead_console", _reads_a_dead_console, origin="tests")
    monkeypatch.setitem(registry._default, registry.NETWORK, reg)
    store = Store(f"sqlite:///{tmp_path / 'bench.db'}")
    try:
        engine = Engine(BenchConfig("b", str(tmp_path / "bench.db"), []), store, Catalog.load(known_tests()))
        ctx = TestContext(SlotInfo("s1"), "none", {}, Identity())
        result = asyncio.run(engine._run_test("dead_console", ctx, timeout=10.0))
    finally:
        store.close()
    assert result.outcome == Outcome.ERROR
    assert result.evidence["cause"] == "ConsoleError"
    # The driver's own one-line message, written for the technician (what to check), as for SSH and SNMP:
    # not the "Type: message" of an unexpected bug.
    assert result.summary == str(_raised[-1]) and "connection refused" in result.summary
