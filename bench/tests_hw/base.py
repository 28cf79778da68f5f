"""What a hardware test sees: a context with channels to the unit, its parameters and its identity.

Tests never open connections themselves and never know about the UI or the store. A channel
that is absent (no SNMP on this slot) is None; a test that needs it returns NOT_RUN with why.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from bench.errors import ChannelMissing, UnitNotBooted
from bench.model import Identity, Outcome, TestResult, utc_now

__all__ = ["ChannelMissing", "CliChannel", "SlotInfo", "SnmpChannel", "TestContext", "TestFunction", "UnitNotBooted",
           "result"]


class CliChannel(Protocol):
    """A logged-in, enabled CLI session (SSH or console) on the unit."""

    platform: str  # ntc-templates platform, e.g. "cisco_ios"

    async def send(self, command: str, timeout: float = 30.0) -> str:
        """Run one command and return its output (without echo and prompt)."""
        ...


class SnmpChannel(Protocol):
    """SNMP access to the unit. Values come back as Python str/int/bytes; OIDs as dotted strings."""

    async def get(self, *oids: str) -> dict[str, Any]:
        """Values of the given OIDs; an OID the agent does not have maps to None."""
        ...

    async def walk(self, oid: str) -> dict[str, Any]:
        """Every OID under `oid` (bulk walk) mapped to its value."""
        ...


@dataclass
class SlotInfo:
    """What the bench file says about the slot that a test may use."""

    id: str
    label_serial: str = ""
    blocked_serials_file: str = ""
    # `bench run --fleet`: serial -> what the fleet store knows of it on other benches (bench.fleet.lookup);
    # read-only, and it answers "not checked" rather than fail or wait when the store is down.
    fleet: Callable[[str], Awaitable[dict[str, Any]]] | None = None


@dataclass
class TestContext:
    slot: SlotInfo
    profile_name: str
    params: dict[str, Any]
    identity: Identity
    cli: CliChannel | None = None
    snmp: SnmpChannel | None = None
    # The unit's console as a second CLI channel when the slot has one besides SSH: what a wipe
    # needs after `write erase` + reload leaves the unit without users or an address.
    console: CliChannel | None = None
    # Output of commands already run on this unit in this session, so tests share it.
    cache: dict[str, str] = field(default_factory=dict)
    log: Callable[[str], None] = lambda _msg: None
    record_telemetry: Callable[[str, float], Awaitable[None]] | None = None

    __test__ = False

    async def show(self, command: str, timeout: float = 30.0) -> str:
        """Run a CLI command once per session; later callers get the cached output."""
        if self.cli is None:
            raise ChannelMissing("no CLI channel (SSH or console) to this unit")
        if command not in self.cache:
            self.cache[command] = await self.cli.send(command, timeout=timeout)
        return self.cache[command]


def result(name: str, outcome: Outcome, summary: str, started: str, **evidence: Any) -> TestResult:
    return TestResult(name=name, outcome=outcome, summary=summary, evidence=evidence,
                      started=started, finished=utc_now())


TestFunction = Callable[[TestContext], Awaitable[TestResult]]


@dataclass(frozen=True)
class Declaration:
    """What a check tells the engine about its run; a check that declares nothing gets the defaults.

    watchdog    seconds the check may take, from its params (a burn-in's duration); None: the run's step timeout
    run_inputs  params the run itself sets over the profile's: param -> run input ("burnin": `--burnin`,
                "harness": the slot's cabling in the bench file)
    """

    watchdog: Callable[[dict[str, Any]], float] | None = None
    run_inputs: dict[str, str] = field(default_factory=dict)


def declare(watchdog: Callable[[dict[str, Any]], float] | None = None,
            run_inputs: dict[str, str] | None = None) -> Callable[[TestFunction], TestFunction]:
    """`@declare(...)` above a check's `run`: its Declaration."""
    def mark(fn: TestFunction) -> TestFunction:
        fn.declaration = Declaration(watchdog, dict(run_inputs or {}))  # type: ignore[attr-defined]
        return fn
    return mark


def declaration_of(check: TestFunction) -> Declaration:
    return getattr(check, "declaration", None) or Declaration()
