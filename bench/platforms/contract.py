"""The platform contract: the facts a collector returns and the `Platform` protocol it implements.

The checks in bench/tests_hw/ (identity, environment, logs, ports, poe, optics, burnin,
sanitization) hold the judgement: thresholds, outcomes, evidence. A platform package holds the
knowledge of one vendor OS: its data file (prompts, refusals, reboot timing, templates), the
commands it runs and how it turns their answers into the plain facts below.

Every collector returns facts plus `problems`: what it could not read and why. A fact that could
not be read is absent or UNKNOWN, never a healthy default.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Protocol

from bench.model import Component, Reading
from bench.platforms.data import PlatformData
from bench.tests_hw.base import TestContext


@dataclass(kw_only=True)
class Facts:
    """Besides its facts, every collector call returns what it could not read and why (last, by keyword)."""

    problems: list[str] = field(default_factory=list)


@dataclass
class CliIdentity(Facts):
    model: str = ""
    serial: str = ""
    os_version: str = ""
    hostname: str = ""
    uptime: str = ""
    uptime_seconds: float | None = None
    config_register: str = ""
    reload_reason: str = ""
    components: list[Component] = field(default_factory=list)


@dataclass
class Environment(Facts):
    readings: list[Reading] = field(default_factory=list)  # kind fan / psu / temperature
    absent: list[str] = field(default_factory=list)  # empty bays: not a reading, not a failure


@dataclass
class LogEvidence(Facts):
    reload_reason: str = ""
    lines: list[str] = field(default_factory=list)  # the log buffer, one entry per line, sanitized
    crash_files: list[str] = field(default_factory=list)  # crashinfo / core dump files found


# Long interface names -> the short form CLIs print in tables (`show interfaces status` says Gi1/0/1).
_ABBREV = {
    "gigabitethernet": "gi",
    "tengigabitethernet": "te",
    "fastethernet": "fa",
    "fortygigabitethernet": "fo",
    "fortygige": "fo",
    "twentyfivegige": "twe",
    "twentyfivegigabitethernet": "twe",
    "hundredgige": "hu",
    "hundredgigabitethernet": "hu",
    "twogigabitethernet": "tw",
    "fivegigabitethernet": "fi",
    "ethernet": "et",
    "management": "ma",
}
_SHORT = set(_ABBREV.values())

def port_key(name: str) -> str:
    """A comparable key for one port however it is spelled: GigabitEthernet1/0/1, Gi1/0/1 -> gi1/0/1."""
    n = "".join(name.split()).lower()
    m = re.fullmatch(r"([a-z]+)(.*)", n)
    if not m or not m.group(2)[:1].isdigit():
        return n  # ge-0/0/0 (Junos), 1 or A1 (ProCurve) are already canonical
    word, rest = m.groups()
    short = word if word in _SHORT else _ABBREV.get(word, word[:2])
    return short + rest


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
class CablePair:
    pair: str  # "A".."D"
    status: str  # Normal, Open, Short, Impedance Mismatch, Not Completed, ...
    length_m: float | None = None
    remote: str = ""


@dataclass
class CableTest(Facts):
    """What a TDR test said about the cable on one port."""

    port: str
    supported: bool = True
    pairs: list[CablePair] = field(default_factory=list)


@dataclass
class Ports(Facts):
    ports: list[PortState] = field(default_factory=list)


@dataclass
class PoePort:
    name: str
    state: str  # on, off, fault, denied, unknown
    poe_class: str = ""
    watts: float | None = None
    detail: str = ""


@dataclass
class Poe(Facts):
    supported: bool  # False: this model has no PoE (the test is NOT_RUN)
    ports: list[PoePort] = field(default_factory=list)
    # The unit's own power budget per PoE module / stack member: name -> (available W, used W); {}: not said.
    budgets: dict[str, tuple[float, float]] = field(default_factory=dict)


@dataclass
class Optic:
    port: str
    pid: str = ""
    serial: str = ""
    readings: list[Reading] = field(default_factory=list)  # temperature, voltage, bias, tx_power, rx_power


@dataclass
class Optics(Facts):
    optics: list[Optic] = field(default_factory=list)

    def add(self, optic: Optic) -> None:
        """Keep `optic`; one without DOM readings is a problem too (its health is unknown, never "ok")."""
        if not optic.readings:
            self.problems.append(f"optic in {optic.port}: no DOM readings")
        self.optics.append(optic)


@dataclass
class WipeReport(Facts):
    """What a wipe did (commands and the unit's answers) and what the verification found."""

    steps: list[dict[str, str]] = field(default_factory=list)  # {"command", "output"}
    remaining: list[str] = field(default_factory=list)  # previous-owner data still present after the wipe
    # check name -> what was seen. Every platform's verify_wiped names its checks of the configuration the
    # unit boots with `startup_config` and of the owner's files on its storage `flash_files`: the
    # sanitization test accepts a wipe as verified only when both were seen.
    verified: dict[str, Any] = field(default_factory=dict)


@dataclass
class PostStep:
    test: str
    switch: str = ""  # stack member or slot it ran on; "" on a standalone unit
    status: str = "incomplete"  # passed, failed, incomplete (began, never ended), or the device's own word


@dataclass
class Post(Facts):
    """Power-on self-test results the unit stored at boot (never a diagnostic started by the bench)."""

    steps: list[PostStep] = field(default_factory=list)
    unsupported: str = ""  # why this unit keeps no POST results (e.g. the command was refused)
    output: str = ""  # the raw output when it held no results, kept as evidence


class Platform(Protocol):
    """A collector is only called with a CLI: `platform_for` refuses a unit without one (ChannelMissing)."""

    name: str  # ntc-templates platform, and the name the registry knows it by
    data: PlatformData  # the package's platform.yaml, loaded and validated once

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

