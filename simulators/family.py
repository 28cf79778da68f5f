"""What every simulated family provides, and the registry the fleet builds devices from.

A family is a package under simulators/families/ (or in any installed distribution) that declares a
`Family` and registers it as an entry point in the group `bench.sim_families`, exactly as profiles
register in `bench.profiles`:

    [project.entry-points."bench.sim_families"]
    arista_eos = "simulators.families.arista_eos:FAMILY"

Names are listed without importing anything; a family is imported the first time it is asked for, so
a family package that is missing or broken leaves the others usable ("family X is not simulated yet").

Every front end (SSH, console, SNMP) talks to a device only through `SimDevice`: one model object per
device that every front end reads and changes (simulators/device_base.py `SimDeviceBase`).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from typing import Any, Protocol

from simulators.faults import NETWORK_FAULTS, FaultSpec


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
    boot_time_scale: float  # the fleet's console pace, set before the unit is served (1.0: real time)

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
    # Fault names the family's model acts on; others are accepted and recorded but inert.
    implemented_faults: frozenset[str] = frozenset()


def vendor_family(name: str, build: Callable[..., SimDevice], models: Mapping[str, Any],
                  credentials: tuple[str, str, str], faults: Iterable[str], netmiko_device_type: str = "",
                  common: frozenset[str] = NETWORK_FAULTS) -> Family:
    """A family pack's `Family`: every model of its device module, the faults every network family's model
    acts on (`common`) plus the family's own, and netmiko's device type (the family's name unless told)."""
    return Family(name=name, netmiko_device_type=netmiko_device_type or name, models=dict(models), build=build,
                  factory_credentials=credentials, implemented_faults=common | frozenset(faults))


ENTRY_POINT_GROUP = "bench.sim_families"
# Installers sort entry points by name; a fleet without `--family` cycles through the built-in families in
# this order (S1 a Catalyst, as documented), then through any other registered family by name.
BUILTIN_ORDER = ("cisco_ios_switch", "cisco_iosxe_switch", "cisco_ios_router", "arista_eos", "juniper_junos",
                 "hp_procurve", "linux_server",
                 # the family packs, in the order refurbishers meet them
                 "cisco_nxos", "cisco_iosxr", "cisco_asa", "aruba_aoscx", "hp_comware",
                 "dell_os10", "fortinet_fortios", "paloalto_panos", "ruckus_icx",
                 "mikrotik_routeros", "huawei_vrp")


def registry() -> dict[str, EntryPoint]:
    """Family name -> its entry point: the built-ins first in BUILTIN_ORDER, then the others by name."""
    found: dict[str, EntryPoint] = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        found.setdefault(ep.name, ep)
    rank = {name: i for i, name in enumerate(BUILTIN_ORDER)}
    return dict(sorted(found.items(), key=lambda item: (rank.get(item[0], len(rank)), item[0])))


_loaded: dict[str, Family] = {}


def family(name: str) -> Family:
    if name not in _loaded:
        eps = registry()
        if not eps:  # a checkout whose metadata predates the group: entry points come from the install
            raise ValueError(f"no simulated family is registered (entry-point group {ENTRY_POINT_GROUP} is empty): "
                             "reinstall the project with `pip install -e .`")
        if name not in eps:
            raise ValueError(f"unknown family {name!r}; families: {', '.join(eps)}")
        try:
            loaded = eps[name].load()
        except ModuleNotFoundError as e:
            if e.name is None or not eps[name].module.startswith(e.name):
                raise
            raise ValueError(f"family {name} is not simulated yet; available: "
                             f"{', '.join(available())}") from None
        if not isinstance(loaded, Family) or loaded.name != name:
            raise ValueError(f"entry point {name} = {eps[name].value} in group {ENTRY_POINT_GROUP} is not "
                             f"the Family named {name!r}; point it at the package's FAMILY")
        _loaded[name] = loaded
    return _loaded[name]


def implemented_faults(name: str) -> frozenset[str]:
    """Fault names the family's model acts on; others are accepted and recorded but inert."""
    return family(name).implemented_faults


def available() -> list[str]:
    out = []
    for name, ep in registry().items():
        if name in _loaded or _findable(ep.module):
            out.append(name)
    return out


def _findable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:  # a parent package is missing
        return False
