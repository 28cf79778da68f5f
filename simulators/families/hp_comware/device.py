"""The `hp_comware` family: HPE/H3C switches on Comware 5 and 7 (5130 EI, A5500 HI, 5900AF, 5940, H3C S5560).

One `ComwareDevice` per switch holds identity, hardware, ports, logs, configuration files and faults; the CLI
(cli.py) and the SNMP view both read it, so every channel agrees. Huawei VRP (simulators/families/huawei_vrp)
shares this model, its heritage (H3C began as Huawei-3Com), and renders it with its own words.
"""

from __future__ import annotations

import copy
import random
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from simulators.device_base import DriftingTemperature, system_group
from simulators.faults import FaultSpec
from simulators.network_device import PORT_FAULTS, NetworkDevice
from simulators.ports import HarnessPort
from simulators.snmp_tables import Entity, Interface, SnmpView, put_entities, put_interface

if TYPE_CHECKING:
    from simulators.families.hp_comware.cli import ComwareSession

FACTORY_USER = "admin"
FACTORY_PASSWORD = "admin"

_ALNUM = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
# HPE units: country of manufacture, year digit, week/plant letters, unit characters: 10 (CN43GG2001).
# H3C units: a 20-character bar code: 6-digit BOM prefix, 4 item characters, year, month, 6-digit unit.
SERIAL_FORMAT = re.compile(r"^(?:(?:CN|SG|TW|MY)[0-9][0-9A-Z]{7}|210235[0-9A-Z]{4}H[0-9]{2}[0-9A-C][0-9]{6})$")


@dataclass(frozen=True)
class Optic:
    pid: str
    kind: str  # "sfp" (1G) or "sfp+" (10G)
    descr: str  # transceiver type as `display transceiver` prints it
    wavelength: int
    reach: str


OPTICS: dict[str, Optic] = {o.pid: o for o in (
    Optic("JD118B", "sfp", "1000_BASE_SX_SFP", 850, "550(50um),270(62.5um)"),
    Optic("JD119B", "sfp", "1000_BASE_LX_SFP", 1310, "10000"),
    Optic("JD092B", "sfp+", "10G_BASE_SR_SFP", 850, "300(50um)"),
    Optic("JD094B", "sfp+", "10G_BASE_LR_SFP", 1310, "10000"),
)}


@dataclass(frozen=True)
class ComwareModel:
    pid: str  # the model key: HPE product number, or the H3C model name
    name: str  # "5130-24G-4SFP+ EI Switch"
    brand: str  # HPE, HP, H3C
    family: str
    comware: int  # 5 or 7
    version: str  # "7.1.070, Release 3506P08"
    sys_object_id: str
    copper: int  # GigabitEthernet1/0/1..copper
    uplinks: tuple[str, ...]  # kinds of the cages after the copper ports
    poe: bool
    poe_watts: int
    psu_pid: str | None  # None: built-in supply
    psu_bays: int
    psu_watts: int
    fans: int
    default_sysname: str
    boot_file: str
    bootrom: str
    memory_mb: int
    ten_gig_only: bool = False  # a data-centre switch: every port Ten-GigabitEthernet

    @property
    def copyright(self) -> str:
        if self.brand == "H3C":
            return "Copyright (c) 2004-2021 New H3C Technologies Co., Ltd. All rights reserved."
        if self.comware == 5:
            return "Copyright (c) 2010-2015 Hewlett-Packard Development Company, L.P."
        return "Copyright (c) 2010-2021 Hewlett Packard Enterprise Development LP"

    @property
    def long_name(self) -> str:
        return f"{self.brand} {self.name}"

    @property
    def manuinfo_name(self) -> str:
        """DEVICE_NAME of the chassis in `display device manuinfo`: HPE names the product number in it."""
        return self.name.removesuffix(" Switch") + ("" if self.brand == "H3C" else f" {self.pid}")


_H3C = "1.3.6.1.4.1.25506"  # HPE's Comware units keep H3C's enterprise (hh3cProductId under 25506.11.1)
MODELS: dict[str, ComwareModel] = {m.pid: m for m in (
    ComwareModel("JG932A", "5130-24G-4SFP+ EI Switch", "HPE", "hp_comware", 7, "7.1.070, Release 3506P08",
                 f"{_H3C}.11.1.1693", 24, ("sfp+",) * 4, False, 0, None, 1, 65, 1, "HPE",
                 "5130ei-cmw710-boot-r3506p08.bin", "149", 1024),
    ComwareModel("JG936A", "5130-24G-PoE+-4SFP+ (370W) EI Switch", "HPE", "hp_comware", 7,
                 "7.1.070, Release 3506P08", f"{_H3C}.11.1.1697", 24, ("sfp+",) * 4, True, 370, "JD362B", 2, 370,
                 2, "HPE", "5130ei-cmw710-boot-r3506p08.bin", "149", 1024),
    ComwareModel("JG311A", "A5500-24G-4SFP HI Switch with 2 Interface Slots", "HP", "hp_comware", 5,
                 "5.20.99, Release 5501P21", f"{_H3C}.11.1.1010", 24, ("sfp",) * 4, False, 0, "JD362A", 2, 150, 2,
                 "HP", "A5500HI-CMW520-R5501P21.bin", "721", 256),
    ComwareModel("JC772A", "5900AF-48XG-4QSFP+ Switch", "HPE", "hp_comware", 7, "7.1.045, Release 2432P06",
                 f"{_H3C}.11.1.1320", 0, ("sfp+",) * 48, False, 0, "JC680A", 2, 650, 4, "HPE",
                 "5900-cmw710-boot-r2432p06.bin", "718", 2048, ten_gig_only=True),
    ComwareModel("S5560-30C-EI", "S5560-30C-EI", "H3C", "hp_comware", 7, "7.1.064, Release 1117P05",
                 f"{_H3C}.1.1.2.1.1290", 24, ("sfp+",) * 4, False, 0, "PSR150-A1", 2, 150, 2, "H3C",
                 "S5560EI-CMW710-BOOT-R1117P05.bin", "120", 1024),
)}


def hpe_serial(rng: random.Random, countries: tuple[str, ...] = ("CN", "SG", "TW")) -> str:
    return (f"{rng.choice(countries)}{rng.randint(3, 9)}{rng.choice('ABCDEFGHJK')}"
            f"{''.join(rng.choice(_ALNUM) for _ in range(6))}")


def h3c_serial(rng: random.Random) -> str:
    """An H3C bar code: 210235 + item + H + year + month + unit (210235A1BSH185000012)."""
    item = "".join(rng.choice(_ALNUM) for _ in range(4))
    return f"210235{item}H{rng.randint(15, 23)}{rng.choice('123456789ABC')}{rng.randint(0, 999_999):06d}"


@dataclass
class Port(HarnessPort):
    name: str  # GigabitEthernet1/0/1, Ten-GigabitEthernet1/0/25
    kind: str  # copper | sfp | sfp+
    poe_fault: bool = False
    shutdown: bool = False

    def carrying(self) -> bool:
        return super().carrying() and not self.shutdown

    def up(self, uptime: float) -> bool:
        if self.kind != "copper" and not self.optic:  # an empty cage never links
            return False
        return super().up(uptime)

    @property
    def short(self) -> str:
        """The name `display interface brief` prints (GE1/0/1, XGE1/0/25)."""
        return self.name.replace("Ten-GigabitEthernet", "XGE").replace("GigabitEthernet", "GE")

    def speed_mbps(self) -> int:
        if self.kind == "sfp+" and (self.optic is None or OPTICS[self.optic].kind == "sfp+"):
            return 10_000
        return 1000


@dataclass
class Fan:
    number: int
    ok: bool = True


@dataclass
class Psu:
    bay: int
    pid: str | None
    serial: str
    watts: int
    present: bool = True
    ok: bool = True


@dataclass
class Temp(DriftingTemperature):
    name: str
    base: float
    warning: int
    alarm: int
    forced: float | None = None


@dataclass
class Config:
    sysname: str
    vlans: dict[int, str] = field(default_factory=lambda: {1: "VLAN 0001"})
    users: dict[str, str] = field(default_factory=dict)  # local-user -> password (in the config on Comware)
    extra: list[str] = field(default_factory=list)  # other global lines, kept verbatim


@dataclass
class LogEntry:
    at: float  # uptime (s)
    level: int  # syslog severity 0..7
    module: str  # DEV, SHELL, IFNET
    mnemonic: str  # SYSTEM_REBOOT, FAN_FAILED
    text: str


class ComwareDevice(NetworkDevice):
    """One Comware switch. Deterministic from (seed, slot index, model)."""

    vendor_log_host = ""  # the word a log line carries after the timestamp: the sysname

    def __init__(self, slot: str, index: int, seed: int, model: str, faults: list[FaultSpec] | None = None) -> None:
        super().__init__(slot, index, model, faults)
        self.spec: Any = self.models()[model]
        self.family = self.spec.family
        rng = random.Random(f"{seed}:{index}:{model}")
        self.serial = self.draw_serial(rng)
        self.base_mac = f"{rng.choice(self.ouis())}{rng.randint(0, 255):02X}{rng.randrange(0, 256, 64):02X}00"
        self.reload_reason = "Cold reboot"
        self._power_on(float(rng.randint(120, 900)))
        self.running = self.factory_config()
        self.startup: Config | None = None  # no saved configuration: the unit boots factory defaults
        self.startup_skipped = False  # BootWare menu <6>: the next boot ignores the saved configuration
        self.files: dict[str, int] = {}  # flash:/ files beyond the images (name -> bytes)
        self.crashes: list[str] = []
        self.logs: list[LogEntry] = []
        self.ports: list[Port] = []
        self.fans = [Fan(n) for n in range(1, self.spec.fans + 1)]
        self.psus = [Psu(b, self.spec.psu_pid, self.draw_serial(rng) if self.spec.psu_pid else "", self.spec.psu_watts,
                         present=b == 1 or self.spec.psu_bays == 1 or rng.random() < 0.7)
                     for b in range(1, self.spec.psu_bays + 1)]
        self.temps = [Temp("hotspot 1", rng.uniform(33, 40), 70, 80)]
        self._build_ports(rng)
        self._boot_logs()
        self._apply_boot_faults()

    # ---------- what a sibling family (huawei_vrp) replaces
    @classmethod
    def models(cls) -> dict[str, Any]:
        return MODELS

    def ouis(self) -> tuple[str, ...]:
        return ("5477" + "8A", "9C8E99", "D07E28", "94572A") if self.spec.brand != "H3C" else ("741F4A", "70BAEF")

    def draw_serial(self, rng: random.Random) -> str:
        return h3c_serial(rng) if self.spec.brand == "H3C" else hpe_serial(rng)

    def factory_config(self) -> Config:
        return Config(self.spec.default_sysname, users={FACTORY_USER: FACTORY_PASSWORD})

    def port_names(self) -> list[tuple[str, str]]:
        s = self.spec
        out = [(f"GigabitEthernet1/0/{n}", "copper") for n in range(1, s.copper + 1)]
        first = s.copper + 1
        for i, kind in enumerate(s.uplinks, first):
            prefix = "Ten-GigabitEthernet" if kind == "sfp+" else "GigabitEthernet"
            out.append((f"{prefix}1/0/{i}", kind))
        return out

    # ---------- construction
    def _build_ports(self, rng: random.Random) -> None:
        for i, (name, kind) in enumerate(self.port_names(), 1):
            self.ports.append(Port(name, i, kind))
        copper = [p for p in self.ports if p.kind == "copper"]
        for p in rng.sample(copper, min(3, len(copper))):  # the harness cables a few copper ports
            p.linked, p.rate = True, rng.randint(2_000, 40_000)
        uplinks = [p for p in self.ports if p.kind != "copper"]
        wants = 3 if not copper else rng.randint(1, 2)  # a 10G-only switch needs optics to link anything
        for p in rng.sample(uplinks, min(len(uplinks), wants)):
            p.optic = rng.choice([o.pid for o in OPTICS.values() if o.kind == p.kind])
            p.optic_serial = self.draw_serial(rng)
            p.linked, p.rate = True, rng.randint(50_000, 400_000)

    def port(self, name: str) -> Port | None:
        key = name.lower()
        return next((p for p in self.ports if key in (p.name.lower(), p.short.lower())), None)

    def _boot_logs(self) -> None:
        self.logs = []
        self.log("DEV", 5, "SYSTEM_REBOOT", "System is rebooting now." if self.reload_reason != "Cold reboot"
                 else "System is starting.", at=0.5)
        self.log("DEV", 5, "BOARD_STATE_NORMAL", "Board state changed to Normal on slot 1, type is "
                 f"{self.spec.name}.", at=9.0)
        for p in self.ports:
            if p.up(20.0):
                self.log("IFNET", 3, "PHY_UPDOWN", f"Physical state on the interface {p.name} changed to up.",
                         at=16.0 + p.if_index / 100)

    # ---------- time and faults
    def _link_changed(self, port: Port, up: bool) -> None:
        self.log("IFNET", 3, "PHY_UPDOWN",
                 f"Physical state on the interface {port.name} changed to {'up' if up else 'down'}.")

    def log(self, module: str, level: int, mnemonic: str, text: str, at: float | None = None) -> None:
        self.logs.append(LogEntry(self.uptime() if at is None else at, level, module, mnemonic, text))
        del self.logs[:-1000]

    def _fault(self, name: str, rng: random.Random, at_boot: bool) -> None:
        linked = [p for p in self.ports if p.linked and (p.kind == "copper" or not any(
            q.kind == "copper" for q in self.ports))]
        if name == "fan_failed":
            self.fans[0].ok = False
            self.log("DEV", 2, "FAN_FAILED", "Chassis 1 slot 1: Fan 1 failed.")
        elif name == "psu_failed":
            self.psus[0].ok = False
            self.log("DEV", 2, "POWER_FAILED", "Chassis 1 slot 1: Power 1 failed.")
        elif name == "overtemp":
            t = self.temps[0]
            t.forced = t.alarm + 4
            self.log("DEV", 1, "TEMPERATURE_ALARM", "Temperature is greater than the high-temperature alarming "
                     f"threshold on slot 1 sensor {t.name}. Current temperature is {int(t.forced)} degrees "
                     "centigrade.")
        elif name in PORT_FAULTS:
            self._break_spread(name, linked)
        elif name == "poe_fault":
            p = self.ports[rng.randrange(self.spec.copper)]
            p.poe_fault = True
            self.log("POE", 4, "POE_PSE_FAULT", f"The PoE port {p.name} has an overcurrent fault.")
        elif name == "optic_dom_alarm":
            p = next(p for p in self.ports if p.optic)
            p.dom_alarm = True
            self.log("OPTMOD", 4, "RX_POW_LOW", f"{p.name}: RX power is low.")
        elif name == "serial_mismatch":
            self.snmp_serial_override = self.draw_serial(rng)
        elif name == "counterfeit_serial":
            self.serial = "".join(rng.choice("0123456789") for _ in range(12))
        elif name in ("crashinfo", "parity_crash"):
            self._crash(rng, name)
        elif name == "leftover_config":
            n = rng.randint(1, 40)
            self.running = Config(f"ACME-IDF{rng.randint(1, 9)}-SW{n:02d}",
                                  {1: "VLAN 0001", 10: "DATA", 20: "VOICE", 99: "MGMT"},
                                  {FACTORY_USER: self.running.users.get(FACTORY_USER, FACTORY_PASSWORD),
                                   "netops": f"Acme-{rng.randint(1000, 9999)}"},
                                  ["snmp-agent community read Acm3RO", "info-center loghost 10.20.0.15",
                                   "ntp-service unicast-server 10.20.0.1"])
            self.startup = copy.deepcopy(self.running)
            self.files["startup.cfg"] = 6_143
            self.files["backup-2019.cfg"] = 5_877  # a second saved configuration the owner kept
        elif name == "unknown_password":
            self.running.users[FACTORY_USER] = f"Pr3v-{rng.randint(10000, 99999)}"
            self.startup = copy.deepcopy(self.running)
            self.files.setdefault("startup.cfg", 2_210)
        elif name == "reboot" and not at_boot:
            self.reload("Cold reboot")

    def _crash(self, rng: random.Random, name: str) -> None:
        stamp = f"{rng.randint(2019, 2023)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        proc = "ifmgr" if name == "parity_crash" else "snmpd"
        self.files[f"core/node1_{proc}_{rng.randint(100, 999)}_{stamp}.core"] = rng.randint(2_000_000, 9_000_000)
        self.crashes.append(proc)
        self.reload_reason = "Exception reboot"
        self.log("DEV", 2, "PROCESS_CORE", f"Process {proc} exited abnormally, a core file was generated.", at=0.3)

    # ---------- credentials, config, power
    def check_login(self, username: str, password: str) -> bool:
        return self.running.users.get(username) == password

    def open_session(self, console: bool) -> ComwareSession:
        from simulators.families.hp_comware.cli import ComwareSession  # the CLI renders this object

        return ComwareSession(self, console=console)

    @property
    def hostname(self) -> str:
        return self.running.sysname

    def save(self) -> None:
        self.startup = copy.deepcopy(self.running)
        self.files.setdefault("startup.cfg", 2_210)

    def reset_saved(self) -> None:
        """`reset saved-configuration`: the next boot has no saved configuration (other .cfg files stay)."""
        self.startup = None
        self.files.pop("startup.cfg", None)
        self.files.pop("startup.mdb", None)

    def restore_factory(self) -> None:
        """`restore factory-default`: configuration files, logs and other operation data go; the unit reboots."""
        self.startup = None
        self.files = {k: v for k, v in self.files.items() if not (k.endswith((".cfg", ".mdb")) or "/" in k)}
        self.crashes = []
        self.reload("Cold reboot")

    def reload(self, reason: str = "Cold reboot") -> None:
        self._restart()
        self.reload_reason = reason
        self.running = copy.deepcopy(self.startup) if self.startup else self.factory_config()
        self._flap_state.clear()
        self._boot_logs()

    def boot_script(self) -> object:
        """What the console shows on a reboot (simulators/boot.py plays it, then opens a session)."""
        from simulators.boot import BootScript
        from simulators.families.hp_comware.cli import boot_text

        loader, mark, kernel = boot_text(self).partition("Press Ctrl+B")
        return BootScript([loader, 0.5], [mark + kernel, 0.5])

    # ---------- SNMP
    def sys_descr(self) -> str:
        s = self.spec
        return (f"{s.brand} Comware Platform Software, Software Version {s.version}\r\n{s.long_name}\r\n"
                f"{s.copyright}")

    def snmp_values(self) -> SnmpView:
        return snmp_view(self)


# HH3C-ENTITY-EXT-MIB hh3cEntityExtStateTable: temperature (.12), its threshold (.13), error status (.19).
_EXT = "1.3.6.1.4.1.25506.2.6.1.1.1.1"


def entities(dev: ComwareDevice) -> list[Entity]:
    """entPhysicalTable rows; the chassis serial is the SNMP one (serial_mismatch shows here)."""
    s = dev.spec
    rows = [Entity(1, s.long_name, 0, 3, "Chassis 1", dev.snmp_serial(), s.pid, "VER.B", s.version, False)]
    for p in dev.psus:
        if p.present:
            rows.append(Entity(100 + p.bay, f"{p.pid or 'Internal'} Power Supply", 1, 6, f"PSU {p.bay}", p.serial,
                               p.pid or "", "", "", p.pid is not None))
    for f in dev.fans:
        rows.append(Entity(200 + f.number, "Fan", 1, 7, f"FAN {f.number}", "", "", "", "", False))
    for p in dev.ports:
        if p.optic:
            o = OPTICS[p.optic]
            rows.append(Entity(1000 + p.if_index, f"{o.descr} Transceiver", 1, 10, p.name, p.optic_serial, o.pid, "",
                               "", True))
    return rows


def snmp_view(dev: ComwareDevice) -> dict[str, tuple[str, object]]:
    up = dev.uptime()
    v: dict[str, tuple[str, object]] = {
        **system_group(dev.sys_descr(), dev.spec.sys_object_id, up, dev.hostname, 6),
        "1.3.6.1.2.1.2.1.0": ("Integer", len(dev.ports)),
    }
    put_entities(v, entities(dev))
    for p in dev.ports:
        c = p.counters(up)
        put_interface(v, Interface(p.if_index, p.name, p.name, p.speed_mbps(), dev.mac(p.if_index), p.up(up),
                                   c["rx_bytes"], c["tx_bytes"], c["rx_frames"], c["tx_frames"],
                                   c["rx_errors"], c["tx_errors"], admin_up=not p.shutdown))
    # hh3cEntityExtErrorStatus: 2 normal, 41 fanError, 51 psuError; an over-temperature shows as the
    # board's hh3cEntityExtTemperature at or above its hh3cEntityExtTemperatureThreshold.
    t = dev.temps[0]
    status = {1: 2}
    status |= {100 + p.bay: 2 if p.ok else 51 for p in dev.psus if p.present}
    status |= {200 + f.number: 2 if f.ok else 41 for f in dev.fans}
    for idx, st in status.items():
        v[f"{_EXT}.19.{idx}"] = ("Integer", st)
    v[f"{_EXT}.12.1"] = ("Integer", t.value(up))
    v[f"{_EXT}.13.1"] = ("Integer", t.alarm)
    return v
