"""What every simulated family provides, and the registry the fleet builds devices from.

A family lives in its own module and exposes `FAMILY: Family`. The registry maps family names
to those modules and imports them lazily, so a family module that is missing or broken leaves
the others usable ("family X is not simulated yet").

Every front end (SSH, console, SNMP) talks to a device only through `SimDevice`: one model
object per device that every front end reads and changes.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from simulators.faults import FaultSpec


class Reply(Protocol):
    text: str
    delay: float
    close: bool


class CliSession(Protocol):
    """One interactive session (an SSH shell or the console line) on a device."""

    username: str | None

    def banner(self) -> str:
        """What the line shows when a client attaches."""
        ...

    def feed(self, data: str) -> Reply:
        """Input typed by the client; returns what the device prints back (echo included)."""
        ...


class ModelInfo(Protocol):
    """The attributes of a model that fault placement looks at."""

    pid: str
    family: str
    poe: bool
    psu_pid: str | None


class SimDevice(Protocol):
    slot: str
    family: str
    model: str
    serial: str
    faults: list[FaultSpec]
    generation: int  # bumped on every reload/power cycle; sessions of an older generation are cut

    def touch(self) -> None:
        """First contact by the bench starts the clock of faults with an offset."""
        ...

    def tick(self) -> None:
        """Called about once a second: apply faults whose offset has come."""
        ...

    def check_login(self, username: str, password: str) -> bool: ...

    def snmp_view(self) -> dict[str, tuple[str, object]]: ...

    def open_session(self, console: bool) -> CliSession: ...


@dataclass(frozen=True)
class Family:
    name: str
    netmiko_device_type: str
    models: dict[str, Any]  # PID -> model spec (satisfying ModelInfo)
    build: Callable[[str, int, int, str, list[FaultSpec]], SimDevice]  # (slot, index, seed, model, faults)
    # Credentials the bench file offers for this family (username, password, enable).
    factory_credentials: tuple[str, str, str] = ("cisco", "cisco", "cisco")


# Family name -> module that defines FAMILY. Order is the order `--family` defaults cycle through.
REGISTRY: dict[str, str] = {
    "cisco_ios_switch": "simulators.families.cisco_ios",
    "cisco_iosxe_switch": "simulators.families.cisco_ios.iosxe",
    "cisco_ios_router": "simulators.families.cisco_ios.router",
    "arista_eos": "simulators.families.arista_eos",
    "juniper_junos": "simulators.families.juniper_junos",
    "hp_procurve": "simulators.families.hp_procurve",
    "linux_server": "simulators.families.linux_server",
}

_loaded: dict[str, Family] = {}
_implemented: dict[str, frozenset[str]] = {}


def family(name: str) -> Family:
    if name not in _loaded:
        if name not in REGISTRY:
            raise ValueError(f"unknown family {name!r}; families: {', '.join(REGISTRY)}")
        try:
            module = importlib.import_module(REGISTRY[name])
        except ModuleNotFoundError as e:
            if e.name != REGISTRY[name]:
                raise
            raise ValueError(f"family {name} is not simulated yet; available: "
                             f"{', '.join(available())}") from None
        _loaded[name] = module.FAMILY
        _implemented[name] = frozenset(getattr(module, "IMPLEMENTED_FAULTS", ()))
    return _loaded[name]


def implemented_faults(name: str) -> frozenset[str]:
    """Fault names the family's model acts on; others are accepted and recorded but inert."""
    family(name)
    return _implemented[name]


def available() -> list[str]:
    out = []
    for name, module in REGISTRY.items():
        if name in _loaded or importlib.util.find_spec(module) is not None:
            out.append(name)
    return out
