"""What every simulated unit shares: identity, its uptime clock, reboots and the fault clock.

A family's device subclasses `SimDeviceBase`, draws its own serial, MACs and parts from its seeded
random generator (the draw order is what keeps a seed's units the same), then calls
`_power_on(seconds)` and `_apply_boot_faults()`. It supplies `_fault(name, rng, at_boot)`: what one
named fault does to this model. The base decides *when*: faults without an offset at power-on,
the others once that many seconds have passed since the bench first touched the unit.

The attributes the console's boot player reads (simulators/boot.py `BootTarget`) are declared here
with the answer of a unit that has no boot stages of its own.
"""

from __future__ import annotations

import math
import random
import time
from typing import Any, ClassVar

from simulators.faults import FaultSpec


class SimDeviceBase:
    """One simulated unit. Deterministic from (seed, slot index, model); faults from its FaultSpecs."""

    family: str = ""
    slow_response_s: ClassVar[float] = 2.0  # slow_response: every command waits this long
    ssh_drop_commands: ClassVar[int] = 5  # ssh_drop: an SSH session is cut after this many commands

    def __init__(self, slot: str, index: int, model: str, faults: list[FaultSpec] | None) -> None:
        self.slot = slot
        self.index = index
        self.model = model
        self.serial = ""
        self.generation = 0  # bumped on every reload/power cycle; sessions of an older generation are cut
        self.faults: list[FaultSpec] = list(faults or [])
        self.active: set[str] = set()  # names of the faults in effect
        self.snmp_serial_override: str | None = None
        self.first_contact: float | None = None
        self._applied: set[int] = set()
        self._uptime_offset = 0.0
        self._started = time.monotonic()
        # The boot contract (simulators/boot.py): the console line drives these; "up" serves SSH and SNMP.
        self.boot_stage = "up"
        self.boot_generation: int | None = None
        self.logs: list[Any] = []  # what the console prints as it is logged (a family's entries with `.text`)
        # The fleet's console pace (BENCH_SIM_BOOT_SCALE): what takes seconds after a boot (links coming up)
        # is scaled with the boot's own pauses, so a fast suite does not wait a real unit's 45 s for its links.
        self.boot_time_scale = 1.0

    # ---------- the clock
    def _power_on(self, seconds_ago: float) -> None:
        """The unit was switched on `seconds_ago` before the simulator started (the bench finds it running)."""
        self._uptime_offset = seconds_ago
        self._started = time.monotonic()

    def _restart(self) -> None:
        """A reload or power cycle: uptime starts again from zero and sessions of the old boot are cut."""
        self.generation += 1
        self._power_on(0.0)

    def uptime(self) -> float:
        return self._uptime_offset + (time.monotonic() - self._started)

    # ---------- the fault clock
    def touch(self) -> None:
        """Any client request: records the first contact (fault offsets count from it), applies due faults."""
        if self.first_contact is None:
            self.first_contact = time.monotonic()
        self.tick()

    def tick(self) -> None:
        """Called about once a second and on every request: time-driven state, then the faults now due."""
        self._on_tick()
        if self.first_contact is None:
            return
        elapsed = time.monotonic() - self.first_contact
        for i, f in enumerate(self.faults):
            if i not in self._applied and f.offset is not None and elapsed >= f.offset:
                self._apply(i, at_boot=False)

    def _apply_boot_faults(self) -> None:
        for i, f in enumerate(self.faults):
            if f.offset is None:
                self._apply(i, at_boot=True)

    def _apply(self, i: int, at_boot: bool) -> None:
        self._applied.add(i)
        name = self.faults[i].name
        self.active.add(name)
        self._fault(name, random.Random(f"{self.serial}:{name}"), at_boot)

    def _fault(self, name: str, rng: random.Random, at_boot: bool) -> None:
        """What the named fault does to this model; a fault the family does not model stays inert."""

    def _on_tick(self) -> None:
        """Time-driven state a family keeps (link flaps logging their trail)."""

    # ---------- what the faults change for every family
    def response_delay(self) -> float:
        return self.slow_response_s if "slow_response" in self.active else 0.0

    def ssh_drop_after(self) -> int | None:
        """Commands an SSH session may run before the link is cut (ssh_drop)."""
        return self.ssh_drop_commands if "ssh_drop" in self.active else None

    def snmp_serial(self) -> str:
        return self.snmp_serial_override or self.serial

    def boot_script(self) -> Any:
        """What the console shows on a reboot (a simulators.boot.BootScript); None: the generic short boot."""
        return None


def drift(base: float, uptime: float, swing: float, phase: float = 0.0) -> float:
    """A sensor's slow drift around `base` (a 90-minute cycle): burn-in sampling sees plausible, bounded variation."""
    return base + swing * math.sin(uptime / 900.0 + phase)


class DriftingTemperature:
    """A temperature sensor's reading (mixed into a family's sensor dataclass, which declares `base` and
    `forced`): a slow drift around `base`, or what a fault forced it to."""

    base: float
    forced: float | None

    def value(self, uptime: float) -> int:
        if self.forced is not None:
            return int(self.forced)
        return int(round(drift(self.base, uptime, 1.5)))


def system_group(descr: str, object_id: str, uptime: float, name: str, services: int, contact: str = "",
                 location: str = "") -> dict[str, tuple[str, object]]:
    """The MIB-2 system group (sysDescr .. sysServices) as the SNMP agent serves it."""
    return {
        "1.3.6.1.2.1.1.1.0": ("OctetString", descr),
        "1.3.6.1.2.1.1.2.0": ("ObjectIdentifier", object_id),
        "1.3.6.1.2.1.1.3.0": ("TimeTicks", int(uptime * 100) % 2**32),
        "1.3.6.1.2.1.1.4.0": ("OctetString", contact),
        "1.3.6.1.2.1.1.5.0": ("OctetString", name),
        "1.3.6.1.2.1.1.6.0": ("OctetString", location),
        "1.3.6.1.2.1.1.7.0": ("Integer", services),
    }
