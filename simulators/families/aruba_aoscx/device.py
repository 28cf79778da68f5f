"""The `aruba_aoscx` family: Aruba CX switches (6100, 6200F, 6300M, 8320) on AOS-CX 10.x.

One `CxDevice` per unit is the single source of truth; the CLI (simulators.families.aruba_aoscx.cli), the
console and the SNMP view all read and change it. A 6200F/6300M is a VSF stack of one member (its own
serial); the collector reads the members from `show vsf detail` the same way for a stack of eight.
"""

from __future__ import annotations

import copy
import random
import re
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from simulators.device_base import DriftingTemperature, system_group
from simulators.faults import FaultSpec
from simulators.network_device import PORT_FAULTS, NetworkDevice, SavedConfig
from simulators.ports import HarnessPort
from simulators.snmp_tables import Entity, Interface, SnmpView, put_entities, put_interface

if TYPE_CHECKING:
    from simulators.families.aruba_aoscx.cli import CxSession

FACTORY_USER = "admin"
FACTORY_PASSWORD = ""  # AOS-CX ships with `admin` and no password (and `erase all zeroize` returns to it)

_OUIS = ("883A30", "9020C2", "B8D4E7", "EC0273", "10A1DA", "38211D")
_ALNUM = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
# Aruba CX serials: 2-letter country of manufacture, a year digit, 7 characters (SG9ZKW4017, CN8BKW409T).
SERIAL_FORMAT = re.compile(r"^(SG|CN|TW|MY)[0-9][0-9A-Z]{7}$")
_EPOCH_2022 = 1_640_995_200


@dataclass(frozen=True)
class CxOptic:
    pid: str
    kind: str  # "SFP+SR", "SFP28SR", "QSFP+SR4" as `show interface transceiver` prints it
    speed_mbps: int
    part: str  # HPE part number


OPTICS: dict[str, CxOptic] = {o.pid: o for o in (
    CxOptic("J9150D", "SFP+SR", 10_000, "1990-4634"),
    CxOptic("J9151E", "SFP+LR", 10_000, "1990-4635"),
    CxOptic("J4858D", "SFP-SX", 1_000, "1990-4637"),
    CxOptic("JL484A", "SFP28SR", 25_000, "1990-4801"),
    CxOptic("JH231A", "QSFP+SR4", 40_000, "1990-4645"),
)}


@dataclass(frozen=True)
class CxModel:
    pid: str
    name: str  # `show system` product name after the PID
    series: str  # 6100, 6200F, 6300M, 8320: the factory hostname
    family: str
    sys_object_id: str
    copper: int
    uplinks: tuple[str, ...]  # cage kinds after the copper ports: sfp+, sfp56, qsfp+
    poe: bool
    poe_watts: int
    psu_pid: str | None  # None: built-in supply
    psu_bays: int
    psu_watts: int
    fans: int
    fan_pid: str | None  # None: fixed fans
    vsf: bool
    version: str
    svos: str  # Service OS (the loader) version
    prefix: str  # image prefix: PL, ML, FL, TL
    members: int = 1  # VSF members the unit arrives as (a stack is sold and tested as one unit)


MODELS: dict[str, CxModel] = {m.pid: m for m in (
    CxModel("JL675A", "6100 48G CL4 4SFP+ Swch", "6100", "aruba_aoscx", "1.3.6.1.4.1.47196.4.1.1.1.301",
            48, ("sfp+",) * 4, True, 370, None, 1, 600, 2, None, False, "PL.10.13.1010", "PL.01.10.0007", "PL"),
    CxModel("JL725A", "6200F 24G CL4 4SFP+370W Swch", "6200", "aruba_aoscx", "1.3.6.1.4.1.47196.4.1.1.1.256",
            24, ("sfp+",) * 4, True, 370, None, 1, 600, 2, None, True, "ML.10.13.1010", "ML.01.10.0004", "ML"),
    CxModel("JL661A", "6300M 48G CL4 PoE 4SFP56 Swch", "6300", "aruba_aoscx", "1.3.6.1.4.1.47196.4.1.1.1.225",
            48, ("sfp56",) * 4, True, 1440, "JL087A", 2, 1050, 2, "JL669A", True, "FL.10.13.1010",
            "FL.01.11.0001", "FL", members=2),
    CxModel("JL479A", "8320 48p 10G SFP/SFP+ 6p 40G QSFP+ Swch", "8320", "aruba_aoscx",
            "1.3.6.1.4.1.47196.4.1.1.1.113", 0, ("sfp+",) * 48 + ("qsfp+",) * 6, False, 0, "JL480A", 2, 400, 5,
            "JL481A", False, "TL.10.13.1010", "TL.01.07.0005", "TL"),
)}


def cx_serial(rng: random.Random, countries: tuple[str, ...] = ("SG", "CN", "TW")) -> str:
    return f"{rng.choice(countries)}{rng.randint(0, 9)}{''.join(rng.choice(_ALNUM) for _ in range(7))}"


@dataclass
class Port(HarnessPort):
    name: str  # 1/1/1
    kind: str  # copper | sfp+ | sfp56 | qsfp+
    poe_fault: bool = False

    def speed_mbps(self) -> int:
        if self.kind == "copper":
            return 1000
        return OPTICS[self.optic].speed_mbps if self.optic else 0

    def counters(self, uptime: float) -> dict[str, int]:
        return {**super().counters(uptime), "rx_dropped": 0, "tx_dropped": 0}


@dataclass
class Fan:
    member: int
    number: int
    ok: bool = True


@dataclass
class Psu:
    member: int
    bay: int
    pid: str | None
    serial: str
    watts: int
    ok: bool = True


@dataclass
class Temp(DriftingTemperature):
    name: str  # 1/1-Inlet-Air
    module: str  # management-module, line-card-module
    base: float
    high: float  # the unit's own alarm threshold ("max" status at or above it)
    forced: float | None = None


@dataclass
class Config:
    hostname: str
    contact: str = ""
    location: str = ""
    vlans: dict[int, str] = field(default_factory=lambda: {1: "DEFAULT_VLAN_1"})
    extra: list[str] = field(default_factory=list)  # other global lines, kept verbatim


@dataclass
class Event:
    at: float  # uptime (s)
    daemon: str
    ident: int
    sev: str  # LOG_INFO, LOG_WARN, LOG_ERR, LOG_CRIT
    text: str


@dataclass
class Boot:
    index: int
    reason: str
    at_clock: float


class CxDevice(SavedConfig, NetworkDevice):
    """One Aruba CX switch. Deterministic from (seed, slot index, model)."""

    def __init__(self, slot: str, index: int, seed: int, model: str, faults: list[FaultSpec] | None = None) -> None:
        super().__init__(slot, index, model, faults)
        self.spec = MODELS[model]
        self.family = self.spec.family
        rng = random.Random(f"{seed}:{index}:{model}")
        self.serial = cx_serial(rng)
        self.base_mac = f"{rng.choice(_OUIS)}{rng.randint(0, 255):02X}{rng.randrange(0, 256, 64):02X}00"
        self._power_on(float(rng.randint(300, 5_000)))
        self.users: dict[str, str] = {FACTORY_USER: FACTORY_PASSWORD}
        self.running = Config(self.spec.series)
        self.startup = copy.deepcopy(self.running)
        self.checkpoints: list[str] = []  # configuration checkpoints a previous owner saved
        self.cores: list[tuple[str, str]] = []  # (daemon, timestamp) of saved core dumps
        self.boots: list[Boot] = [Boot(1, "Power cycle", _EPOCH_2022 - 86_400 * 30)]
        self.events: list[Event] = []
        self.ports: list[Port] = []
        s = self.spec
        self.fans = [Fan(1, n) for n in range(1, s.fans + 1)]
        self.psus = [Psu(1, b, s.psu_pid, cx_serial(rng, ("CN", "TW")) if s.psu_pid else "", s.psu_watts)
                     for b in range(1, s.psu_bays + 1)]
        self.fan_serial = cx_serial(rng) if s.fan_pid else ""
        self.temps = [Temp("1/1-Inlet-Air", "management-module", rng.uniform(24, 29), 55.0),
                      Temp("1/1-CPU", "management-module", rng.uniform(44, 50), 90.0),
                      Temp("1/1-Switch-ASIC", "line-card-module", rng.uniform(48, 55), 100.0)]
        self._build_ports(rng)
        # Drawn last, so a seed's standalone units stay what they were.
        self.other_members = [cx_serial(rng) for _ in range(s.members - 1)]
        self._boot_events()
        self._apply_boot_faults()

    @property
    def member_serials(self) -> list[str]:
        """VSF members in member order: member 1 (the conductor) is the unit's own serial."""
        return [self.serial, *self.other_members]

    # ---------- construction
    def _build_ports(self, rng: random.Random) -> None:
        s = self.spec
        kinds = ["copper"] * s.copper + list(s.uplinks)
        for n, kind in enumerate(kinds, 1):
            self.ports.append(Port(f"1/1/{n}", n, kind))
        copper = [p for p in self.ports if p.kind == "copper"]
        cages = [p for p in self.ports if p.kind != "copper"]
        for p in rng.sample(copper, min(3, len(copper))):  # the harness plugs loopbacks into a few ports
            p.linked, p.rate = True, rng.randint(2_000, 40_000)
        wants = any(f.name.startswith("optic") for f in self.faults)
        count = rng.randint(1 if wants else 0, 2) if copper else 3  # an all-fibre 8320 is cabled through optics
        for p in rng.sample(cages, min(len(cages), count)):
            fits = [o.pid for o in OPTICS.values() if (o.kind.startswith("QSFP") == (p.kind == "qsfp+"))]
            p.optic = rng.choice(fits)
            p.optic_serial = cx_serial(rng, ("MY", "CN"))
            p.linked, p.rate = True, rng.randint(50_000, 400_000)

    def _boot_events(self) -> None:
        self.events = [Event(6.0, "hpe-sysmond", 4601, "LOG_INFO", "System booted with reboot reason: "
                             f"{self.boots[-1].reason}"),
                       Event(8.5, "hpe-fand", 1401, "LOG_INFO", "Fan subsystem initialised"),
                       Event(9.0, "hpe-powerd", 1301, "LOG_INFO", "Power supply subsystem initialised")]
        for p in self.ports:
            if p.linked and not p.dead:
                self.events.append(Event(20 + p.if_index / 100, "intfd", 403, "LOG_INFO",
                                         f"Link status for interface {p.name} is up"))

    # ---------- time and faults
    def clock(self) -> float:
        return _EPOCH_2022 + 86_400 * 400 + self.uptime()

    def _link_changed(self, port: Port, up: bool) -> None:
        self.event("intfd", 403, "LOG_INFO", f"Link status for interface {port.name} is {'up' if up else 'down'}")

    def event(self, daemon: str, ident: int, sev: str, text: str) -> None:
        self.events.append(Event(self.uptime(), daemon, ident, sev, text))
        del self.events[:-1000]

    def _fault(self, name: str, rng: random.Random, at_boot: bool) -> None:
        if name == "fan_failed":
            self.fans[0].ok = False
            self.event("hpe-fand", 1404, "LOG_ERR", f"Fan 1/{self.fans[0].number} has failed")
        elif name == "psu_failed":
            self.psus[0].ok = False
            self.event("hpe-powerd", 1303, "LOG_ERR", "Power supply 1/1 failed: output fault")
        elif name == "overtemp":
            t = self.temps[0]
            t.forced = t.high + 6
            self.event("hpe-tempd", 1201, "LOG_CRIT", f"Sensor {t.name} temperature above the high threshold")
        elif name in PORT_FAULTS:
            self._break_port(name, self._cabled(rng))
        elif name == "poe_fault":
            p = rng.choice([p for p in self.ports if p.kind == "copper"])
            p.poe_fault = True
            self.event("hpe-poed", 2801, "LOG_WARN", f"PoE fault on interface {p.name}: overload")
        elif name == "optic_dom_alarm":
            p = next(p for p in self.ports if p.optic)
            p.dom_alarm = True
            self.event("pmd", 1003, "LOG_WARN", f"Interface {p.name}: Rx power low alarm")
        elif name == "serial_mismatch":
            self.snmp_serial_override = cx_serial(rng)
        elif name == "counterfeit_serial":
            self.serial = "".join(rng.choice("0123456789") for _ in range(12))
        elif name in ("crashinfo", "parity_crash"):
            daemon = "hpe-fand" if name == "crashinfo" else "ops-switchd"
            stamp = _stamp(self.clock() - rng.randint(3_600, 86_400 * 3))
            self.cores.append((daemon, stamp))
            reason = (f"{daemon} crashed" if name == "crashinfo"
                      else "Uncorrectable memory error (parity) in the switch ASIC")
            self.boots.append(Boot(len(self.boots) + 1, reason, self.clock() - self.uptime() - 60))
            self.event("hpe-sysmond", 4605, "LOG_CRIT", f"Previous boot ended: {reason}")
        elif name == "leftover_config":
            n = rng.randint(1, 40)
            self.running = Config(f"acme-core-sw{n:02d}", "noc@acme.example", "Bldg 2 MDF",
                                  {1: "DEFAULT_VLAN_1", 10: "DATA", 20: "VOICE", 99: "MGMT"},
                                  ["snmp-server community Acm3RO", "logging 10.20.0.15 vrf mgmt",
                                   "ntp server 10.20.0.1 iburst", "radius-server host 10.20.0.9 key plaintext s3cr"])
            self.startup = copy.deepcopy(self.running)
            self.checkpoints = [f"CPC{rng.randint(20200101000000, 20221231000000)}", "before-upgrade"]
            self.users.setdefault("netops", f"Acme-{rng.randint(1000, 9999)}")
        elif name == "unknown_password":
            self.users[FACTORY_USER] = f"Pr3v-{rng.randint(10000, 99999)}"
        elif name == "reboot" and not at_boot:
            self.reload("Power cycle")

    # ---------- credentials, config, power
    def check_login(self, username: str, password: str) -> bool:
        return username in self.users and self.users[username] == password

    def open_session(self, console: bool) -> CxSession:
        from simulators.families.aruba_aoscx.cli import CxSession  # the CLI renders this object

        return CxSession(self, console=console)

    def boot_script(self) -> object:
        from simulators.boot import BootScript
        from simulators.families.aruba_aoscx.cli import boot_kernel_text, boot_loader_text

        return BootScript([boot_loader_text(self), 0.5], [boot_kernel_text(self)])

    def zeroize(self) -> None:
        """`erase all zeroize`: configuration, checkpoints, users, logs and core dumps securely erased."""
        self.startup = Config(self.spec.series)
        self.checkpoints.clear()
        self.cores.clear()
        self.users = {FACTORY_USER: FACTORY_PASSWORD}
        self.reload("Zeroization")

    def reload(self, reason: str = "Reboot requested by user") -> None:
        self._restart()
        self.boots.append(Boot(len(self.boots) + 1, reason, self.clock()))
        self.running = copy.deepcopy(self.startup)
        self._flap_state.clear()
        self._boot_events()

    # ---------- SNMP
    def snmp_values(self) -> SnmpView:
        return _snmp_view(self)


def _stamp(epoch: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(epoch))


def sys_descr(dev: CxDevice) -> str:
    s = dev.spec
    return f"Aruba {s.pid} {s.name} {s.version}"


def entities(dev: CxDevice) -> list[tuple[int, str, int, int, str, str, str, str, bool]]:
    """entPhysicalTable rows (index, descr, contained in, class, name, serial, model, sw rev, FRU); the chassis
    serial is the SNMP one (serial_mismatch shows here)."""
    s = dev.spec
    rows = [(1, f"{s.pid} {s.name}", 0, 3, "1", dev.snmp_serial(), s.pid, s.version, False)]
    rows += [(n, f"{s.pid} {s.name}", 0, 3, str(n), serial, s.pid, s.version, False)
             for n, serial in enumerate(dev.other_members, 2)]  # every VSF member is a chassis
    for p in dev.psus:
        if p.pid:
            rows.append((100 + p.bay, f"{p.pid} Power Supply", 1, 6, f"1/{p.bay}", p.serial, p.pid, "", True))
    if s.fan_pid:
        rows.append((200, f"{s.fan_pid} Fan Tray", 1, 7, "1/1", dev.fan_serial, s.fan_pid, "", True))
    for p in dev.ports:
        if p.optic:
            rows.append((1000 + p.if_index, f"{OPTICS[p.optic].kind} transceiver", 1, 10, p.name, p.optic_serial,
                         p.optic, "", True))
    return rows


def _snmp_view(dev: CxDevice) -> dict[str, tuple[str, object]]:
    up = dev.uptime()
    v: dict[str, tuple[str, object]] = {
        **system_group(sys_descr(dev), dev.spec.sys_object_id, up, dev.hostname, 70,
                       contact=dev.running.contact, location=dev.running.location),
        "1.3.6.1.2.1.2.1.0": ("Integer", len(dev.ports)),
    }
    put_entities(v, [Entity(i, d, parent, cls, name, serial, model, sw_rev=sw, fru=fru)
                     for i, d, parent, cls, name, serial, model, sw, fru in entities(dev)])
    for p in dev.ports:
        c = p.counters(up)
        put_interface(v, Interface(p.if_index, p.name, p.name, p.speed_mbps() or 1000, dev.mac(p.if_index), p.up(up),
                                   c["rx_bytes"], c["tx_bytes"], c["rx_frames"], c["tx_frames"],
                                   c["rx_errors"], c["tx_errors"]))
    return v
