"""The `dell_os10` family: Dell EMC S/Z series switches (S3048-ON, S4048-ON, S5248F-ON, Z9100-ON) on OS10.

One `Os10Device` per unit is the single source of truth; the CLI (simulators.families.dell_os10.cli), the
console and the SNMP view all read and change it. The unit's serial is its Service Tag (what Dell's label,
support and `show inventory` name); every part also carries its PPID (piece part identifier).
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
    from simulators.families.dell_os10.cli import Os10Session

FACTORY_USER = "admin"
FACTORY_PASSWORD = "admin"

_OUIS = ("141877", "3C2C30", "F48E38", "D89EF3", "E4F004", "509A4C")
# Dell Service Tags: 7 characters of digits and consonants (no vowels, so no words and no O/0 confusion).
_TAG_CHARS = "0123456789BCDFGHJKLMNPQRSTVWXYZ"
SERIAL_FORMAT = re.compile(r"^[0-9B-DF-HJ-NP-TV-Z]{7}$")
_EPOCH_2021 = 1_609_459_200


@dataclass(frozen=True)
class Os10Optic:
    pid: str  # Dell part description as OS10 prints "Vendor PN"
    media: str  # SFP+ 10GBASE-SR, QSFP28 100GBASE-SR4 ...
    cage: str  # sfp+ | sfp28 | qsfp+ | qsfp28
    speed_mbps: int


OPTICS: dict[str, Os10Optic] = {o.pid: o for o in (
    Os10Optic("FTLX8571D3BCL", "SFP+ 10GBASE-SR", "sfp+", 10_000),
    Os10Optic("FTLX1471D3BCL", "SFP+ 10GBASE-LR", "sfp+", 10_000),
    Os10Optic("FTLF8536P4BCL", "SFP28 25GBASE-SR", "sfp28", 25_000),
    Os10Optic("FTL410QE2C", "QSFP+ 40GBASE-SR4", "qsfp+", 40_000),
    Os10Optic("FTLC9551REPM", "QSFP28 100GBASE-SR4", "qsfp28", 100_000),
)}


@dataclass(frozen=True)
class Os10Model:
    pid: str  # System Type
    family: str
    sys_object_id: str
    descr: str  # `show inventory` description
    copper: int  # 1000BASE-T ports first
    cages: tuple[str, ...]  # then these cage kinds
    part: str  # Dell part number of the chassis (6 characters, leading 0)
    psus: int
    fan_trays: int
    version: str
    build: str
    cpu: str
    poe: bool = False  # no S/Z model delivers PoE
    psu_pid: str = "FRU"  # every model here takes field-replaceable supplies (<pid>-PWR-<n>-AC)


_V = dict(family="dell_os10", version="10.5.2.3", build="10.5.2.3.264")
MODELS: dict[str, Os10Model] = {m.pid: m for m in (
    Os10Model("S3048-ON", sys_object_id="1.3.6.1.4.1.674.11000.5000.100.2.1.4",
              descr="S3048-ON 48x1GbE, 4x10GbE SFP+ Interface Module", copper=48, cages=("sfp+",) * 4,
              part="0W1K08", psus=2, fan_trays=3, cpu="Intel Atom C2338", **_V),  # type: ignore[arg-type]
    Os10Model("S4048-ON", sys_object_id="1.3.6.1.4.1.674.11000.5000.100.2.1.2",
              descr="S4048-ON 48x10GbE SFP+, 6x40GbE QSFP+ Interface Module", copper=0,
              cages=("sfp+",) * 48 + ("qsfp+",) * 6, part="0GJ39D", psus=2, fan_trays=3,
              cpu="Intel Atom C2538", **_V),  # type: ignore[arg-type]
    Os10Model("S5248F-ON", sys_object_id="1.3.6.1.4.1.674.11000.5000.100.2.1.11",
              descr="S5248F-ON 48x25GbE SFP28, 4x100GbE QSFP28-DD, 2x100GbE QSFP28 Interface Module", copper=0,
              cages=("sfp28",) * 48 + ("qsfp28",) * 6, part="0F9KJK", psus=2, fan_trays=4,
              cpu="Intel Xeon D-1527", **_V),  # type: ignore[arg-type]
    Os10Model("Z9100-ON", sys_object_id="1.3.6.1.4.1.674.11000.5000.100.2.1.1",
              descr="Z9100-ON 32x100GbE QSFP28 Interface Module", copper=0, cages=("qsfp28",) * 32,
              part="0J3KNP", psus=2, fan_trays=5, cpu="Intel Atom C2538", **_V),  # type: ignore[arg-type]
)}


def service_tag(rng: random.Random) -> str:
    return "".join(rng.choice(_TAG_CHARS) for _ in range(7))


def ppid(rng: random.Random, part: str) -> str:
    """Dell's piece part identifier: country, part number, supplier, date code, sequence (CN-0T9FNW-28298-59G-0093)."""
    return (f"{rng.choice(('CN', 'TW', 'MY'))}-{part}-{rng.choice(('28298', '17972', '82635'))}-"
            f"{rng.randint(5, 9)}{rng.choice('ABC')}{rng.choice('0123456789ABCDEFGHJKL')}-{rng.randint(1, 9999):04d}")


@dataclass
class Port(HarnessPort):
    name: str  # ethernet1/1/1
    kind: str  # copper | sfp+ | sfp28 | qsfp+ | qsfp28

    @property
    def short(self) -> str:
        return "Eth " + self.name.removeprefix("ethernet")

    def speed_mbps(self) -> int:
        if self.kind == "copper":
            return 1000
        return OPTICS[self.optic].speed_mbps if self.optic else 0


@dataclass
class Fru:
    slot: int
    pid: str
    part: str
    ppid: str
    ok: bool = True


@dataclass
class Temp(DriftingTemperature):
    sensor: int
    name: str
    base: float
    major: float  # the unit's own alarm thresholds (show alarms raises EQM_THERMAL_* at them)
    forced: float | None = None


@dataclass
class Config:
    hostname: str = "OS10"
    contact: str = ""
    location: str = ""
    vlans: dict[int, str] = field(default_factory=lambda: {1: ""})
    extra: list[str] = field(default_factory=list)


@dataclass
class Event:
    at: float
    process: str
    tag: str  # %EQM_FAN_FAIL ...
    severity: str  # critical, major, minor, warning, informational
    text: str


class Os10Device(SavedConfig, NetworkDevice):
    """One OS10 switch. Deterministic from (seed, slot index, model)."""

    def __init__(self, slot: str, index: int, seed: int, model: str, faults: list[FaultSpec] | None = None) -> None:
        super().__init__(slot, index, model, faults)
        self.spec = MODELS[model]
        self.family = self.spec.family
        rng = random.Random(f"{seed}:{index}:{model}")
        self.serial = service_tag(rng)
        self.ppid = ppid(rng, self.spec.part)
        self.express_code = f"{rng.randint(100, 999)} {rng.randint(100, 999)} {rng.randint(100, 999)} " \
                            f"{rng.randint(10, 99)}"
        self.base_mac = f"{rng.choice(_OUIS)}{rng.randint(0, 255):02X}{rng.randrange(0, 256, 64):02X}00"
        self._power_on(float(rng.randint(300, 5_000)))
        self.users: dict[str, str] = {FACTORY_USER: FACTORY_PASSWORD}
        self.running = Config()
        # The factory image ships a saved default; after `delete startup-configuration` there is none, and OS10
        # boots its factory default until `write memory` saves one again.
        self.startup: Config | None = copy.deepcopy(self.running)
        self.files: list[str] = []  # user files in config: (home) a previous owner left
        self.cores: list[str] = []
        self.reload_reason = "Cold reset"
        self.events: list[Event] = []
        s = self.spec
        self.psus = [Fru(n, f"{s.pid}-PWR-{n}-AC", "0T9FNW", ppid(rng, "0T9FNW")) for n in range(1, s.psus + 1)]
        self.fans = [Fru(n, f"{s.pid}-FANTRAY-{n}", "0MGDH8", ppid(rng, "0MGDH8")) for n in range(1, s.fan_trays + 1)]
        self.temps = [Temp(1, "CPU On-Board temp sensor", rng.uniform(38, 46), 90.0),
                      Temp(2, "Switch board temp sensor", rng.uniform(30, 36), 75.0),
                      Temp(3, "System Inlet Ambient-1 temp sensor", rng.uniform(24, 29), 55.0),
                      Temp(4, "NPU temp sensor", rng.uniform(48, 56), 100.0)]
        self.ports: list[Port] = []
        self._build_ports(rng)
        self._boot_events()
        self._apply_boot_faults()

    # ---------- construction
    def _build_ports(self, rng: random.Random) -> None:
        s = self.spec
        for n, kind in enumerate(["copper"] * s.copper + list(s.cages), 1):
            self.ports.append(Port(f"ethernet1/1/{n}", n, kind))
        copper = [p for p in self.ports if p.kind == "copper"]
        cages = [p for p in self.ports if p.kind != "copper"]
        for p in rng.sample(copper, min(3, len(copper))):
            p.linked, p.rate = True, rng.randint(2_000, 40_000)
        wants = any(f.name.startswith("optic") for f in self.faults)
        count = rng.randint(1 if wants else 0, 2) if copper else 3
        for p in rng.sample(cages, min(len(cages), count)):
            p.optic = rng.choice([o.pid for o in OPTICS.values() if o.cage == p.kind]
                                 or [o.pid for o in OPTICS.values() if o.cage.startswith(p.kind[:4])])
            p.optic_serial = "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ0123456789") for _ in range(8))
            p.linked, p.rate = True, rng.randint(50_000, 400_000)

    def _boot_events(self) -> None:
        self.events = [Event(5.0, "dn_sm", "%NODE_REBOOT_REASON", "informational",
                             f"Last reboot reason: {self.reload_reason}"),
                       Event(30.0, "dn_alm", "%SYSTEM_STATUS", "informational", "System is ready")]
        for p in self.ports:
            if p.linked and not p.dead:
                self.events.append(Event(40 + p.if_index / 100, "dn_ifm", "%IFM_OSTATE_UP", "informational",
                                         f"Interface operational state is up :{p.name}"))

    # ---------- time and faults
    def clock(self) -> float:
        return _EPOCH_2021 + 86_400 * 700 + self.uptime()

    def _link_changed(self, port: Port, up: bool) -> None:
        state = "up" if up else "down"
        self.event("dn_ifm", f"%IFM_OSTATE_{state.upper()}", "informational" if up else "warning",
                   f"Interface operational state is {state} :{port.name}")

    def event(self, process: str, tag: str, severity: str, text: str) -> None:
        self.events.append(Event(self.uptime(), process, tag, severity, text))
        del self.events[:-1000]

    def alarms(self) -> list[tuple[str, str, str]]:
        """Active alarms (severity, name, source) as `show alarms` lists them: derived from the hardware now."""
        out = [("critical", "EQM_PSU_FAULT", f"/psu/{p.slot}") for p in self.psus if not p.ok]
        out += [("major", "EQM_FAN_FAULT", f"/fantray/{f.slot}") for f in self.fans if not f.ok]
        up = self.uptime()
        out += [("critical", "EQM_THERMAL_CRIT", f"/thermal-sensor/{t.sensor}") for t in self.temps
                if t.value(up) >= t.major]
        return out

    def _fault(self, name: str, rng: random.Random, at_boot: bool) -> None:
        if name == "fan_failed":
            self.fans[0].ok = False
            self.event("dn_eqm", "%EQM_FAN_FAIL", "major", "Fan tray 1 failed")
        elif name == "psu_failed":
            self.psus[0].ok = False
            self.event("dn_eqm", "%EQM_PSU_FAIL", "critical", "PSU 1 output failure")
        elif name == "overtemp":
            t = self.temps[2]
            t.forced = t.major + 6
            self.event("dn_eqm", "%EQM_THERMAL_CRIT", "critical", f"Temperature of {t.name} crossed critical")
        elif name in PORT_FAULTS:
            self._break_port(name, self._cabled(rng))
        elif name == "optic_dom_alarm":
            p = next(p for p in self.ports if p.optic)
            p.dom_alarm = True
            self.event("dn_pm", "%PM_MEDIA_RX_POWER_LOW_ALARM", "major", f"Rx power low alarm :{p.name}")
        elif name == "serial_mismatch":
            self.snmp_serial_override = service_tag(rng)
        elif name == "counterfeit_serial":
            self.serial = "".join(rng.choice("0123456789") for _ in range(12))
        elif name in ("crashinfo", "parity_crash"):
            proc = "dn_eqm" if name == "crashinfo" else "dn_nas"
            stamp = time.strftime("%Y%m%d.%H%M%S", time.gmtime(self.clock() - rng.randint(3_600, 200_000)))
            self.cores.append(f"core.{proc}.{rng.randint(1000, 9999)}.{stamp}.gz")
            self.reload_reason = ("Kernel panic - not syncing: Fatal exception" if name == "crashinfo"
                                  else "Hardware watchdog: uncorrectable parity error in NPU memory")
            self.events[0].text = f"Last reboot reason: {self.reload_reason}"  # the boot that followed the crash
        elif name == "leftover_config":
            n = rng.randint(1, 40)
            self.running = Config(f"acme-leaf{n:02d}", "noc@acme.example", "DC1 row 4",
                                  {1: "", 100: "APP", 200: "STORAGE"},
                                  ["snmp-server community Acm3RO ro", "logging server 10.20.0.15",
                                   "ntp server 10.20.0.1", "radius-server host 10.20.0.9 key 9 s3cr3tkey"])
            self.startup = copy.deepcopy(self.running)
            self.files = ["acme-backup-2022.xml", "ztd-provision.py"]
            self.users.setdefault("netops", f"Acme-{rng.randint(1000, 9999)}")
        elif name == "unknown_password":
            self.users[FACTORY_USER] = f"Pr3v-{rng.randint(10000, 99999)}"
        elif name == "reboot" and not at_boot:
            self.reload("Cold reset")

    # ---------- credentials, config, power
    def check_login(self, username: str, password: str) -> bool:
        return self.users.get(username) == password

    def open_session(self, console: bool) -> Os10Session:
        from simulators.families.dell_os10.cli import Os10Session  # the CLI renders this object

        return Os10Session(self, console=console)

    def boot_script(self) -> object:
        from simulators.boot import BootScript
        from simulators.families.dell_os10.cli import grub_text, kernel_text

        return BootScript([grub_text(self), 0.5], [kernel_text(self)])

    def reload(self, reason: str = "Reboot by user") -> None:
        self._restart()
        self.reload_reason = reason
        self.running = copy.deepcopy(self.startup) if self.startup is not None else Config()
        if self.startup is None:
            # Without a startup configuration OS10 boots its factory default: the local users go with it.
            self.users = {FACTORY_USER: FACTORY_PASSWORD}
        self._flap_state.clear()
        self._boot_events()

    # ---------- SNMP
    def snmp_values(self) -> SnmpView:
        return _snmp_view(self)


def sys_descr(dev: Os10Device) -> str:
    s = dev.spec
    return (f"Dell EMC Networking OS10 Enterprise.\r\nCopyright (c) 1999-2021 by Dell Inc. All Rights Reserved.\r\n"
            f"System Description: OS10 Enterprise.\r\nOS Version: {s.version}.\r\nSystem Type: {s.pid}")


def entities(dev: Os10Device) -> list[tuple[int, str, int, int, str, str, str, bool]]:
    """entPhysicalTable rows (index, descr, contained in, class, name, serial, model, FRU)."""
    s = dev.spec
    rows = [(1, s.descr, 0, 3, "Chassis", dev.snmp_serial(), s.pid, False)]
    rows += [(100 + p.slot, "Power Supply", 1, 6, f"PSU {p.slot}", p.ppid, p.pid, True) for p in dev.psus]
    rows += [(200 + f.slot, "Fan Tray", 1, 7, f"Fan Tray {f.slot}", f.ppid, f.pid, True) for f in dev.fans]
    rows += [(1000 + p.if_index, OPTICS[p.optic].media, 1, 10, p.name, p.optic_serial, p.optic, True)
             for p in dev.ports if p.optic]
    return rows


def _snmp_view(dev: Os10Device) -> dict[str, tuple[str, object]]:
    up = dev.uptime()
    v: dict[str, tuple[str, object]] = {
        **system_group(sys_descr(dev), dev.spec.sys_object_id, up, dev.hostname, 72,
                       contact=dev.running.contact, location=dev.running.location),
        "1.3.6.1.2.1.2.1.0": ("Integer", len(dev.ports)),
    }
    put_entities(v, [Entity(i, d, parent, cls, name, serial, model, fru=fru)
                     for i, d, parent, cls, name, serial, model, fru in entities(dev)])
    for p in dev.ports:
        c = p.counters(up)
        put_interface(v, Interface(p.if_index, p.name, p.name, p.speed_mbps() or 1000, dev.mac(p.if_index), p.up(up),
                                   c["rx_bytes"], c["tx_bytes"], c["rx_frames"], c["tx_frames"],
                                   c["crc"], 0, mtu=1532))
    return v
