"""The `hp_procurve` family: HP/Aruba ProVision switches (2530, 2920, 2930F) on ArubaOS-Switch 16.x.

One `ProcurveDevice` per switch holds identity, hardware, ports, logs, configuration and faults;
the CLI (hp_procurve_cli) and the SNMP view both read it, so every channel agrees.
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
    from simulators.families.hp_procurve.cli import ProcurveSession

FACTORY_USER = "manager"
FACTORY_PASSWORD = "manager"

_HP_OUIS = ("9457A5", "40A8F0", "D07E28", "3464A9", "9C8CD8", "B05ADA")
_ALNUM = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
# HP serial: 2-letter country of manufacture, year digit, week/plant code, 6 unit characters (10).
SERIAL_FORMAT = re.compile(r"^(CN|SG|TW|MY|VN)[0-9][0-9A-Z]{7}$")
_EPOCH_1990 = 631_152_000  # a ProVision switch without SNTP starts its clock at 01/01/90


@dataclass(frozen=True)
class Optic:
    pid: str
    descr: str  # as `show interfaces transceivers` prints the type
    kind: str  # "sfp" (1G) or "sfp+" (10G)
    wavelength: int
    reach: str


OPTICS: dict[str, Optic] = {o.pid: o for o in (
    Optic("J4858C", "1000SX", "sfp", 850, "550m"),
    Optic("J4859C", "1000LX", "sfp", 1310, "10km"),
    Optic("J9150A", "SFP+SR", "sfp+", 850, "300m"),
    Optic("J9151A", "SFP+LR", "sfp+", 1310, "10km"),
)}


@dataclass(frozen=True)
class ProcurveModel:
    pid: str
    name: str  # "2530-48G-PoE+"
    brand: str  # "HP" or "Aruba"
    family: str
    sys_object_id: str
    copper: int  # fixed 10/100/1000T ports 1..copper
    fixed_uplinks: tuple[str, ...]  # kinds of fixed SFP/SFP+ ports after the copper ones
    poe: bool
    poe_watts: int
    psu_pid: str | None  # None: built-in supply
    psu_watts: int
    fans: int
    fw_prefix: str  # YA / WB / WC
    version: str
    rom: str
    build_path: str
    build_date: str
    memory_total: int
    default_hostname: str
    hw_rev: str
    module: tuple[str, str, int] | None = None  # (pid, description, SFP+ ports) in slot A

    @property
    def psu_bays(self) -> int:
        return 1


MODELS: dict[str, ProcurveModel] = {m.pid: m for m in (
    ProcurveModel(
        pid="J9772A", name="2530-48G-PoE+", brand="HP", family="hp_procurve",
        sys_object_id="1.3.6.1.4.1.11.2.3.7.11.136", copper=48, fixed_uplinks=("sfp",) * 4,
        poe=True, poe_watts=382, psu_pid=None, psu_watts=480, fans=2, fw_prefix="YA",
        version="YA.16.10.0012", rom="YA.15.20",
        build_path="/ws/swbuildm/rel_yakima_qaoff/code/build/bom(swbuildm_rel_yakima_qaoff_rel_yakima)",
        build_date="Mon Feb  1 10:52:07 PST 2021", memory_total=152_455_168,
        default_hostname="HP-2530-48G-PoEP", hw_rev="B"),
    ProcurveModel(
        pid="J9729A", name="2920-48G-PoE+", brand="HP", family="hp_procurve",
        sys_object_id="1.3.6.1.4.1.11.2.3.7.11.155", copper=48, fixed_uplinks=(),
        poe=True, poe_watts=740, psu_pid="J9739A", psu_watts=1000, fans=3, fw_prefix="WB",
        version="WB.16.10.0012", rom="WB.16.03",
        build_path="/ws/swbuildm/rel_tacoma_qaoff/code/build/anm(swbuildm_rel_tacoma_qaoff_rel_tacoma)",
        build_date="Mon Feb  1 11:35:44 PST 2021", memory_total=394_149_888,
        default_hostname="HP-2920-48G-PoEP", hw_rev="A",
        module=("J9731A", "HP J9731A 2p 10GbE SFP+ Module", 2)),
    ProcurveModel(
        pid="JL255A", name="2930F-24G-PoE+-4SFP+", brand="Aruba", family="hp_procurve",
        sys_object_id="1.3.6.1.4.1.11.2.3.7.11.181.20", copper=24, fixed_uplinks=("sfp+",) * 4,
        poe=True, poe_watts=370, psu_pid=None, psu_watts=550, fans=2, fw_prefix="WC",
        version="WC.16.10.0012", rom="WC.16.01.0008",
        build_path="/ws/swbuildm/rel_richmond_qaoff/code/build/bom(swbuildm_rel_richmond_qaoff_rel_richmond)",
        build_date="Mon Feb  1 12:08:19 PST 2021", memory_total=1_081_491_456,
        default_hostname="Aruba-2930F-24G-PoEP-4SFPP", hw_rev="A"),
)}


def hp_serial(rng: random.Random, countries: tuple[str, ...] = ("CN", "SG", "TW")) -> str:
    return (f"{rng.choice(countries)}{rng.randint(3, 9)}{rng.choice('ABCDEFGHJK')}"
            f"{''.join(rng.choice(_ALNUM) for _ in range(6))}")


@dataclass
class Port(HarnessPort):
    name: str  # "1", "49", "A1"
    kind: str  # copper | sfp | sfp+
    poe_fault: bool = False

    def speed_mbps(self) -> int:
        return 10_000 if self.kind == "sfp+" and (self.optic is None or OPTICS[self.optic].kind == "sfp+") else 1000

    def counters(self, uptime: float) -> dict[str, int]:
        return {**super().counters(uptime), "drops_tx": 0}


@dataclass
class Fan:
    number: int
    ok: bool = True
    failures: int = 0


@dataclass
class Psu:
    bay: int
    pid: str | None
    serial: str
    watts: int
    ok: bool = True


@dataclass
class Temp(DriftingTemperature):
    name: str
    base: float
    threshold: int
    forced: float | None = None
    max_seen: float = 0.0

    def over(self, uptime: float) -> bool:
        return self.value(uptime) >= self.threshold


@dataclass
class Config:
    hostname: str
    contact: str = ""
    location: str = ""
    vlans: dict[int, str] = field(default_factory=lambda: {1: "DEFAULT_VLAN"})
    extra: list[str] = field(default_factory=list)  # other global lines, kept verbatim


@dataclass
class LogEntry:
    at: float  # uptime (s)
    sev: str  # I W M E D
    code: int
    text: str  # "ports: port 1 is now on-line"


@dataclass
class Crash:
    text: str
    at_clock: float


class ProcurveDevice(SavedConfig, NetworkDevice):
    """One ProVision switch. Deterministic from (seed, slot index, model)."""

    def __init__(self, slot: str, index: int, seed: int, model: str, faults: list[FaultSpec] | None = None) -> None:
        super().__init__(slot, index, model, faults)
        self.spec = MODELS[model]
        self.family = self.spec.family
        rng = random.Random(f"{seed}:{index}:{model}")
        self.serial = hp_serial(rng)
        self.base_mac = f"{rng.choice(_HP_OUIS)}{rng.randint(0, 255):02X}{rng.randrange(0, 256, 64):02X}00"
        self.reload_reason = "Power Failure"
        self._power_on(float(rng.randint(120, 900)))
        # Passwords live apart from the config: `erase startup-config` keeps them (a ProVision quirk).
        self.users: dict[str, str] = {FACTORY_USER: FACTORY_PASSWORD}
        self.running = Config(self.spec.default_hostname)
        self.startup: Config = copy.deepcopy(self.running)
        self.crashes: list[Crash] = []
        self.core_files: dict[str, int] = {}
        self.logs: list[LogEntry] = []
        self.ports: list[Port] = []
        self.fans = [Fan(n) for n in range(1, self.spec.fans + 1)]
        self.psus = [Psu(1, self.spec.psu_pid, hp_serial(rng, ("CN", "TW")) if self.spec.psu_pid else "",
                         self.spec.psu_watts)]
        self.temps = [Temp("Chassis", rng.uniform(27, 33), 55)]
        self.module_serial = hp_serial(rng) if self.spec.module else ""
        self._build_ports(rng)
        self._boot_logs()
        self._apply_boot_faults()

    # ---------- construction
    def _build_ports(self, rng: random.Random) -> None:
        s = self.spec
        for n in range(1, s.copper + 1):
            self.ports.append(Port(str(n), n, "copper"))
        for i, kind in enumerate(s.fixed_uplinks, s.copper + 1):
            self.ports.append(Port(str(i), i, kind))
        if s.module:
            for i in range(1, s.module[2] + 1):
                self.ports.append(Port(f"A{i}", s.copper + i, "sfp+"))
        for p in rng.sample(self.ports[: s.copper], 3):  # the harness cables a few copper ports
            p.linked, p.rate = True, rng.randint(2_000, 40_000)
        uplinks = [p for p in self.ports if p.kind != "copper"]
        wants_optic = any(f.name.startswith("optic") for f in self.faults)
        for p in rng.sample(uplinks, min(len(uplinks), rng.randint(1 if wants_optic else 0, 2))):
            p.optic = rng.choice([o.pid for o in OPTICS.values() if o.kind == p.kind])
            p.optic_serial = hp_serial(rng, ("MY", "CN"))
            p.linked, p.rate = True, rng.randint(50_000, 400_000)

    def _boot_logs(self) -> None:
        self.logs = []
        for at, sev, code, text in (
            (8.9, "I", 61, "system: -----------------------------------------------------------------"),
            (8.9, "I", 63, f"system: System went down: {self.clock_text(_EPOCH_1990 + 3_600 + 97 * self.index)}"),
            (8.9, "I", 64, f"system: {self.reload_reason}"),
            (9.4, "I", 68, "chassis: Slot A Ready" if self.spec.module else "chassis: Mgmt Module 1 Ready"),
            (11.2, "I", 690, "udpf: DHCP relay agent feature enabled"),
            (13.0, "I", 410, "SNTP: Client is disabled"),
            (14.1, "I", 66, "system: System Booted"),
        ):
            self.logs.append(LogEntry(at, sev, code, text))
        for p in self.ports:
            if p.linked and not p.dead:
                self.logs.append(LogEntry(16.0 + p.if_index / 100, "I", 76, f"ports: port {p.name} is now on-line"))

    # ---------- time and faults
    def clock(self) -> float:
        return _EPOCH_1990 + self.uptime()

    @staticmethod
    def clock_text(epoch: float) -> str:
        t = time.gmtime(epoch)
        return f"{t.tm_mon:02d}/{t.tm_mday:02d}/{t.tm_year % 100:02d} {t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d}"

    def _link_changed(self, port: Port, up: bool) -> None:
        self.log("I", 76, f"ports: port {port.name} is now {'on-line' if up else 'off-line'}")

    def log(self, sev: str, code: int, text: str) -> None:
        self.logs.append(LogEntry(self.uptime(), sev, code, text))
        del self.logs[:-1000]

    def _fault(self, name: str, rng: random.Random, at_boot: bool) -> None:
        linked = [p for p in self.ports if p.linked and p.kind == "copper"]
        if name == "fan_failed":
            self.fans[0].ok, self.fans[0].failures = False, 1
            self.log("W", 71, "chassis: Fan failure detected on Sys-1")
        elif name == "psu_failed":
            self.psus[0].ok = False
            self.log("W", 71, "chassis: Power Supply 1 failure: power supply is not providing power")
        elif name == "overtemp":
            self.temps[0].forced = self.temps[0].threshold + 6
            self.log("W", 71, "chassis: System Over-Temperature (state: Over-Temperature)")
        elif name in PORT_FAULTS:
            self._break_spread(name, linked)
        elif name == "poe_fault":
            p = self.ports[rng.randrange(self.spec.copper)]
            p.poe_fault = True
            self.log("W", 561, f"ports: port {p.name} PD Over Current indication.")
        elif name == "optic_dom_alarm":
            p = next(p for p in self.ports if p.optic)
            p.dom_alarm = True
            self.log("W", 2236, f"ports: Port {p.name} Rx power low alarm")
        elif name == "serial_mismatch":
            self.snmp_serial_override = hp_serial(rng)
        elif name == "counterfeit_serial":
            self.serial = "".join(rng.choice("0123456789") for _ in range(12))
        elif name == "parity_crash":
            self._crash(rng, "HW Parity Error: Parity error detected in packet buffer memory at 0x"
                        f"{rng.randrange(0x10000000, 0x20000000, 4):08x} -- in 'eDrvPoll'", at_boot)
        elif name == "crashinfo":
            self._crash(rng, f"Software exception at svc_misc.c:{rng.randint(200, 900)} -- in 'mSess1', "
                        f"task ID = 0x{rng.randrange(0x1000000, 0x2000000):x}", at_boot)
        elif name == "leftover_config":
            n = rng.randint(1, 40)
            self.running = Config(f"ACME-IDF{rng.randint(1, 9)}-SW{n:02d}", "noc@acme.example", "Bldg 2 IDF",
                                  {1: "DEFAULT_VLAN", 10: "DATA", 20: "VOICE", 30: "PRINTERS", 99: "MGMT"},
                                  ['snmp-server community "Acm3RO" operator', 'logging 10.20.0.15',
                                   "sntp server priority 1 10.20.0.1"])
            self.startup = copy.deepcopy(self.running)
            self.users.setdefault("operator", f"Acme-{rng.randint(1000, 9999)}")
        elif name == "unknown_password":
            self.users[FACTORY_USER] = f"Pr3v-{rng.randint(10000, 99999)}"
        elif name == "reboot" and not at_boot:
            self.reload("Power Failure")

    def _crash(self, rng: random.Random, text: str, at_boot: bool) -> None:
        when = _EPOCH_1990 + rng.randint(600, 86_400)  # the clock of the run that crashed
        self.crashes.append(Crash(text, when))
        self.core_files[f"mm{len(self.core_files) + 1}.cor"] = rng.randint(2_000_000, 9_000_000)
        self.reload_reason = "System reboot due to Software Exception" if "Parity" not in text \
            else "System reboot due to Hardware Exception"
        at = 9.0 if at_boot else self.uptime()
        self.logs += [LogEntry(at, "M", 64, f"system: {self.reload_reason}"),
                      LogEntry(at, "M", 65, f"system: {text}"),
                      LogEntry(at, "W", 2050, "system: Crash information saved; see 'show boot-history'")]

    # ---------- credentials, config, power
    def check_login(self, username: str, password: str) -> bool:
        if not self.users:
            return True  # no password set: a ProVision switch lets anyone in
        return self.users.get(username) == password

    def open_session(self, console: bool) -> ProcurveSession:
        from simulators.families.hp_procurve.cli import ProcurveSession  # the CLI renders this object

        return ProcurveSession(self, console=console)

    def erase_startup(self) -> None:
        """Factory-default configuration; passwords survive (they are not in the config file)."""
        self.startup = Config(self.spec.default_hostname)
        self.log("I", 67, "mgr: Startup configuration erased")
        self.reload("Operator cold reboot from CONSOLE session.")

    def reload(self, reason: str = "Operator cold reboot from CONSOLE session.") -> None:
        self._restart()
        self.reload_reason = reason
        self.running = copy.deepcopy(self.startup)
        self._flap_state.clear()
        self._boot_logs()

    # ---------- SNMP
    def snmp_values(self) -> SnmpView:
        return _snmp_view(self)


_SENSOR = "1.3.6.1.4.1.11.2.14.11.1.2.6.1"  # HP-ICF-CHASSIS hpicfSensorTable
_SENSOR_TYPE = {"psu": "1.3.6.1.4.1.11.2.3.7.8.3.1", "fan": "1.3.6.1.4.1.11.2.3.7.8.3.2",
                "temp": "1.3.6.1.4.1.11.2.3.7.8.3.3"}


def entities(dev: ProcurveDevice) -> list[Entity]:
    """entPhysicalTable rows; the chassis serial is the SNMP one (serial_mismatch shows here)."""
    s = dev.spec
    rows = [Entity(1, f"{s.brand} {s.pid} {s.name} Switch", 0, 3, s.pid, dev.snmp_serial(), s.pid, s.hw_rev, s.version,
                   False)]
    for p in dev.psus:
        descr = f"{s.brand} {p.pid} Power Supply" if p.pid else "Internal Power Supply"
        rows.append(Entity(100 + p.bay, descr, 1, 6, f"Power Supply {p.bay}", p.serial, p.pid or "", "", "",
                           p.pid is not None))
    for f in dev.fans:
        rows.append(Entity(200 + f.number, "Fan", 1, 7, f"Sys-{f.number}", "", "", "", "", False))
    if s.module:
        rows.append(Entity(300, s.module[1], 1, 9, "Slot A", dev.module_serial, s.module[0], "A", "", True))
    for p in dev.ports:
        if p.optic:
            o = OPTICS[p.optic]
            rows.append(Entity(1000 + p.if_index, f"{s.brand} {o.pid} {o.descr} Transceiver", 1, 10,
                               f"Transceiver {p.name}", p.optic_serial, o.pid, "", "", True))
    return rows


def _snmp_view(dev: ProcurveDevice) -> dict[str, tuple[str, object]]:
    up = dev.uptime()
    v: dict[str, tuple[str, object]] = {
        **system_group(sys_descr(dev), dev.spec.sys_object_id, up, dev.hostname, 74,
                       contact=dev.running.contact,
                       location=dev.running.location),
        "1.3.6.1.2.1.2.1.0": ("Integer", len(dev.ports)),
    }
    put_entities(v, entities(dev))
    for p in dev.ports:
        c = p.counters(up)
        put_interface(v, Interface(p.if_index, p.name, p.name, p.speed_mbps(), dev.mac(p.if_index), p.up(up),
                                   c["rx_bytes"], c["tx_bytes"], c["rx_frames"], c["tx_frames"],
                                   c["rx_errors"], c["tx_errors"]))
    # hpicfSensorStatus: 2 bad, 4 good (HP-ICF-CHASSIS).
    sensors = [("psu", p.ok, f"Power Supply Sensor {p.bay}") for p in dev.psus]
    sensors += [("fan", f.ok, f"Fan Sensor {f.number}") for f in dev.fans]
    sensors += [("temp", not t.over(up), "Over-temperature Sensor") for t in dev.temps]
    for n, (kind, ok, descr) in enumerate(sensors, 1):
        v[f"{_SENSOR}.1.{n}"] = ("Integer", n)
        v[f"{_SENSOR}.2.{n}"] = ("ObjectIdentifier", _SENSOR_TYPE[kind])
        v[f"{_SENSOR}.4.{n}"] = ("Integer", 4 if ok else 2)
        v[f"{_SENSOR}.7.{n}"] = ("OctetString", descr)
    return v


def sys_descr(dev: ProcurveDevice) -> str:
    s = dev.spec
    return f"{s.brand} {s.pid} {s.name} Switch, revision {s.version}, ROM {s.rom} ({s.build_path})"
