"""Per-platform collectors: how one vendor's CLI says what the generic tests need to know.

The tests in bench/tests_hw/ (identity, environment, logs, ports, poe, optics, burnin,
sanitization) hold the judgement: thresholds, outcomes, evidence. A platform module holds the
knowledge of one CLI: which commands to run, which ntc-templates parse them, and how to turn
the rows into the plain facts below. A test picks the platform by the session's ntc-templates
platform name (`ctx.cli.platform`): cisco_ios, arista_eos, juniper_junos, hp_procurve.

Every collector returns facts plus `problems`: what it could not read and why. A fact that could
not be read is absent or UNKNOWN, never a healthy default.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any, Protocol

from bench.model import Component, Reading
from bench.tests_hw.base import TestContext


@dataclass
class CliIdentity:
    model: str = ""
    serial: str = ""
    os_version: str = ""
    hostname: str = ""
    uptime: str = ""
    uptime_seconds: float | None = None
    config_register: str = ""
    reload_reason: str = ""
    components: list[Component] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass
class Environment:
    readings: list[Reading] = field(default_factory=list)  # kind fan / psu / temperature
    absent: list[str] = field(default_factory=list)  # empty bays: not a reading, not a failure
    problems: list[str] = field(default_factory=list)


@dataclass
class LogEvidence:
    reload_reason: str = ""
    lines: list[str] = field(default_factory=list)  # the log buffer, one entry per line, sanitized
    crash_files: list[str] = field(default_factory=list)  # crashinfo / core dump files found
    problems: list[str] = field(default_factory=list)


@dataclass
class PortState:
    name: str  # as the CLI names it (GigabitEthernet1/0/1, Ethernet1, ge-0/0/0, 1)
    admin_up: bool | None
    link_up: bool | None  # None: unknown
    speed_mbps: int | None = None
    duplex: str = ""  # full, half, or "" unknown
    media: str = ""  # copper, fiber, or ""
    err_disabled: bool = False
    counters: dict[str, int] = field(default_factory=dict)  # crc, input_errors, runts, giants, output_errors, ...


@dataclass
class Ports:
    ports: list[PortState] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass
class PoePort:
    name: str
    state: str  # on, off, fault, denied, unknown
    poe_class: str = ""
    watts: float | None = None
    detail: str = ""


@dataclass
class Poe:
    supported: bool  # False: this model has no PoE (the test is NOT_RUN)
    ports: list[PoePort] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass
class Optic:
    port: str
    pid: str = ""
    serial: str = ""
    readings: list[Reading] = field(default_factory=list)  # temperature, voltage, bias, tx_power, rx_power


@dataclass
class Optics:
    optics: list[Optic] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass
class WipeReport:
    """What a wipe did (commands and the unit's answers) and what the verification found."""

    steps: list[dict[str, str]] = field(default_factory=list)  # {"command", "output"}
    remaining: list[str] = field(default_factory=list)  # previous-owner data still present after the wipe
    # check name -> what was seen. Every platform's verify_wiped names its checks of the configuration the
    # unit boots with `startup_config` and of the owner's files on its storage `flash_files`: the
    # sanitization test accepts a wipe as verified only when both were seen.
    verified: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


@dataclass
class PostStep:
    test: str
    switch: str = ""  # stack member or slot it ran on; "" on a standalone unit
    status: str = "incomplete"  # passed, failed, incomplete (began, never ended), or the device's own word


@dataclass
class Post:
    """Power-on self-test results the unit stored at boot (never a diagnostic started by the bench)."""

    steps: list[PostStep] = field(default_factory=list)
    unsupported: str = ""  # why this unit keeps no POST results (e.g. the command was refused)
    output: str = ""  # the raw output when it held no results, kept as evidence
    problems: list[str] = field(default_factory=list)


class Platform(Protocol):
    name: str  # ntc-templates platform

    async def identity(self, ctx: TestContext) -> CliIdentity: ...

    async def environment(self, ctx: TestContext) -> Environment: ...

    async def logs(self, ctx: TestContext) -> LogEvidence: ...

    async def ports(self, ctx: TestContext) -> Ports: ...

    async def poe(self, ctx: TestContext) -> Poe: ...

    async def optics(self, ctx: TestContext) -> Optics: ...

    async def wipe(self, ctx: TestContext) -> WipeReport:
        """Clear the unit to factory state (write erase, delete vlan.dat and user files, reset the boot
        config, reload) and wait until it is back; the verification runs after it."""
        ...

    async def verify_wiped(self, ctx: TestContext) -> WipeReport: ...

    # Optional: a platform without stored POST results lacks this method or returns None (the post
    # test is then NOT_RUN); callers use getattr(platform, "post", None).
    async def post(self, ctx: TestContext) -> Post | None: ...


# ntc-templates platform -> module defining PLATFORM
MODULES = {
    "cisco_ios": "bench.tests_hw.platforms.cisco_ios",
    "arista_eos": "bench.tests_hw.platforms.arista_eos",
    "juniper_junos": "bench.tests_hw.platforms.juniper_junos",
    "hp_procurve": "bench.tests_hw.platforms.hp_procurve",
}


def platform_for(ctx: TestContext) -> Platform:
    name = getattr(ctx.cli, "platform", "") or "cisco_ios"
    if name not in MODULES:
        raise LookupError(f"no collector for platform {name!r}; known: {', '.join(MODULES)}")
    return importlib.import_module(MODULES[name]).PLATFORM  # type: ignore[no-any-return]
