"""The `cisco_asa` family: Cisco ASA 5500-X firewalls (5508-X, 5516-X, 5525-X, 5555-X) on ASA 9.x.

One `AsaDevice` per unit holds identity, hardware, interfaces, the syslog buffer, configuration,
disk0: and faults; the CLI (cli.py), the console and the SNMP view all read it, so every channel agrees.
"""

from __future__ import annotations

import copy
import random
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from simulators.device_base import DriftingTemperature, system_group
from simulators.faults import FaultSpec
from simulators.network_device import PORT_FAULTS, NetworkDevice, SavedConfig
from simulators.ports import HarnessPort
from simulators.snmp_tables import Entity, Interface, SnmpView, put_entities, put_interface

if TYPE_CHECKING:
    from simulators.families.cisco_asa.cli import AsaSession

FACTORY_USER = "cisco"
FACTORY_PASSWORD = "cisco"
FACTORY_HOSTNAME = "ciscoasa"
_CISCO_OUIS = ("00a742", "70695a", "e4d3f1", "5897bd", "f87b20", "bc16f5")
_ALNUM = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
_EPOCH_2024 = 1_704_067_200


@dataclass(frozen=True)
class AsaModel:
    pid: str  # ASA5516: what `show inventory` and `show version` name
    descr: str  # the chassis DESCR of `show inventory`
    family: str
    # Under CISCO-PRODUCTS-MIB (1.3.6.1.4.1.9.1); the bench identifies by the enterprise subtree and sysDescr,
    # never by these product numbers.
    sys_object_id: str
    data_ports: int  # GigabitEthernet1/1.. (5506-X class) or GigabitEthernet0/0.. (5500-X midrange)
    slot: int  # 1 on 5506/5508/5516, 0 on 5525/5545/5555
    mgmt: str  # Management1/1 or Management0/0
    ram_mb: int
    cpu: str
    flash_mb: int
    fans: int
    psu_pid: str | None  # None: a built-in supply the inventory does not list
    psu_bays: int
    ssd_pid: str
    serial_prefix: str  # the factory code the serials of this model begin with
    image: str = "asa9-12-4-56-lfbff-k8.SPA"
    version: str = "9.12(4)56"
    asdm: str = "7.18(1)152"
    poe: bool = False


MODELS: dict[str, AsaModel] = {m.pid: m for m in (
    AsaModel("ASA5508", "ASA 5508-X with FirePOWER services, 8GE, AC, DES", "cisco_asa",
             "1.3.6.1.4.1.9.1.2114", 8, 1, "Management1/1", 8192, "CPU Atom C2000 series 2000 MHz, 1 CPU (8 cores)",
             8000, 2, None, 1, "ASA5508-SSD", "JAD"),
    AsaModel("ASA5516", "ASA 5516-X with FirePOWER services, 8GE, AC, DES", "cisco_asa",
             "1.3.6.1.4.1.9.1.2132", 8, 1, "Management1/1", 8192, "CPU Atom C2000 series 2416 MHz, 1 CPU (8 cores)",
             8000, 2, None, 1, "ASA5516-SSD", "JAD"),
    AsaModel("ASA5525", "ASA 5525-X with SW, 8 GE Data, 1 GE Mgmt, AC", "cisco_asa",
             "1.3.6.1.4.1.9.1.1408", 8, 0, "Management0/0", 8192,
             "CPU Lynnfield 2394 MHz, 1 CPU (4 cores)", 8192, 3, "ASA-PWR-AC", 1, "ASA5500X-SSD120", "FCH"),
    AsaModel("ASA5555", "ASA 5555-X with SW, 8 GE Data, 1 GE Mgmt, AC", "cisco_asa",
             "1.3.6.1.4.1.9.1.1410", 8, 0, "Management0/0", 16384,
             "CPU Lynnfield 2792 MHz, 1 CPU (8 cores)", 8192, 6, "ASA-PWR-AC", 2, "ASA5500X-SSD120", "FTX"),
)}


def cisco_serial(rng: random.Random, prefix: str) -> str:
    """LLLYYWWSSSS: 3-letter factory code, year since 1996, week, 4 characters (11 in all)."""
    return f"{prefix}{rng.randint(18, 24)}{rng.randint(1, 52):02d}{''.join(rng.choice(_ALNUM) for _ in range(4))}"


@dataclass
class Port(HarnessPort):
    name: str  # GigabitEthernet1/1
    kind: str = "copper"  # the ASA 5500-X here carry no SFP cages: no optics
    nameif: str = ""
    resets: int = 0


@dataclass
class Fan:
    name: str
    rpm: int
    ok: bool = True


@dataclass
class Psu:
    slot: str  # "Left Slot (PS0)"
    pid: str | None
    serial: str
    present: bool = True
    ok: bool = True


@dataclass
class Temp(DriftingTemperature):
    name: str
    descr: str
    base: float
    warn: int
    critical: int
    forced: float | None = None

    def state(self, uptime: float) -> str:
        v = self.value(uptime)
        return "Critical" if v >= self.critical else "Warning" if v >= self.warn else "OK"


@dataclass
class Config:
    hostname: str = FACTORY_HOSTNAME
    enable_password: str | None = FACTORY_PASSWORD
    users: dict[str, str] = field(default_factory=lambda: {FACTORY_USER: FACTORY_PASSWORD})
    ssh: bool = True  # `ssh 0.0.0.0 0.0.0.0 management` + `aaa authentication ssh console LOCAL`
    snmp: bool = True  # `snmp-server community ...` (the bench reads SNMP); a factory default has none
    nameifs: dict[str, tuple[str, str]] = field(default_factory=dict)  # port -> (nameif, ip/mask)
    extra: list[str] = field(default_factory=list)  # the previous owner's other lines, verbatim
    pager: int = 24


@dataclass
class LogEntry:
    at: float
    severity: int
    msg_id: int
    text: str


@dataclass
class DiskFile:
    size: int
    epoch: float
    factory: bool = False  # shipped on disk0: (images, ASDM, the system directories)
    is_dir: bool = False


class AsaDevice(SavedConfig, NetworkDevice):
    """One ASA. Deterministic from (seed, slot index, model)."""

    def __init__(self, slot: str, index: int, seed: int, model: str, faults: list[FaultSpec] | None = None) -> None:
        super().__init__(slot, index, model, faults)
        self.spec = MODELS[model]
        self.family = self.spec.family
        rng = random.Random(f"{seed}:{index}:{model}")
        self.serial = cisco_serial(rng, self.spec.serial_prefix)
        self.base_mac = f"{rng.choice(_CISCO_OUIS)}{rng.randint(0, 255):02x}{rng.randrange(0, 256, 16):02x}00"
        self.ssd_serial = f"MSA{rng.randint(2000, 2399)}{''.join(rng.choice('0123456789') for _ in range(4))}"
        self.activation_key = " ".join(f"0x{rng.getrandbits(32):08x}" for _ in range(5))
        self._power_on(float(rng.randint(300, 3_000)))
        self.config_register = "0x1"
        self.running = Config()
        self.startup: Config | None = copy.deepcopy(self.running)
        self.crypto_keys: list[str] = ["<Default-RSA-Key>"]
        self.crashes: list[str] = []
        self.logs: list[LogEntry] = []
        s = self.spec
        self.fans = [Fan(f"Cooling Fan {n}", 7_600 + rng.randrange(0, 800, 32)) for n in range(1, s.fans + 1)]
        bays = ("Left Slot (PS0)", "Right Slot (PS1)")
        self.psus = [Psu(bays[i], s.psu_pid, cisco_serial(rng, "ART") if s.psu_pid else "", present=True)
                     for i in range(s.psu_bays)]
        if s.psu_pid and s.psu_bays == 1:  # the 5525-X's second bay ships empty
            self.psus.append(Psu(bays[1], None, "", present=False))
        self.temps = [Temp("Processor 1", "CPU1 Core Temperature", rng.uniform(40, 46), 85, 95),
                      Temp("Ambient 1", "Chassis Front Temperature", rng.uniform(25, 30), 60, 70),
                      Temp("Ambient 2", "Chassis Back Temperature", rng.uniform(30, 35), 65, 75)]
        self.disk: dict[str, DiskFile] = {}
        self.ports: list[Port] = []
        self._build_ports(rng)
        self._build_disk()
        self._boot_logs()
        self._apply_boot_faults()

    # ---------- construction
    def _build_ports(self, rng: random.Random) -> None:
        s = self.spec
        first = 1 if s.slot == 1 else 0
        for n in range(s.data_ports):
            self.ports.append(Port(f"GigabitEthernet{s.slot}/{first + n}", n + 1))
        for p in rng.sample(self.ports, 3):  # the harness cables a few data ports
            p.linked, p.rate = True, rng.randint(5_000, 60_000)
        self.ports.append(Port(s.mgmt, len(self.ports) + 1, nameif="management"))

    def _build_disk(self) -> None:
        s, when = self.spec, _EPOCH_2024 + 86_400 * (self.index % 90)
        for name, size in ((s.image, 111_505_136), (f"asdm-{s.asdm.replace('(', '').replace(')', '-')}.bin",
                                                     29_197_128), (".boot_string", 63)):
            self.disk[name] = DiskFile(size, when, factory=True)
        for d in ("log", "crypto_archive", "coredumpinfo"):
            self.disk[d] = DiskFile(4096, when, factory=True, is_dir=True)

    def _boot_logs(self) -> None:
        self.logs = [LogEntry(5.0, 6, 199002, "Startup completed.  Beginning operation."),
                     LogEntry(5.1, 5, 111008, "User 'enable_15' executed the 'enable' command.")]
        for p in self.ports:
            if p.linked and not p.dead:
                self.logs.append(LogEntry(8.0 + p.if_index / 10, 4, 411001,
                                          f"Line protocol on Interface {p.name}, changed state to up"))

    # ---------- time and faults
    def clock(self) -> float:
        return _EPOCH_2024 + 86_400 * 300 + self.uptime()

    def log(self, severity: int, msg_id: int, text: str) -> None:
        self.logs.append(LogEntry(self.uptime(), severity, msg_id, text))
        del self.logs[:-2000]

    def _link_changed(self, port: Port, up: bool) -> None:
        port.resets += 1
        self.log(4, 411002 if not up else 411001,
                 f"Line protocol on Interface {port.name}, changed state to {'up' if up else 'down'}")

    def _fault(self, name: str, rng: random.Random, at_boot: bool) -> None:
        linked = [p for p in self.ports if p.linked]
        if name == "fan_failed":
            self.fans[0].ok, self.fans[0].rpm = False, 0
            self.log(1, 735002, f"{self.fans[0].name}: Failure Detected")
        elif name == "psu_failed":
            self.psus[0].ok = False
            self.log(1, 735004, f"Power Supply {self.psus[0].slot}: Failure Detected")
        elif name == "overtemp":
            t = self.temps[1]
            t.forced = t.critical + 4
            self.log(1, 735019, f"Chassis {t.name}: Temp: {t.forced:.1f} C, Critical")
        elif name in PORT_FAULTS:
            self._break_spread(name, linked)
        elif name == "serial_mismatch":
            self.snmp_serial_override = cisco_serial(rng, self.spec.serial_prefix)
        elif name == "counterfeit_serial":
            self.serial = "".join(rng.choice("0123456789") for _ in range(11))
        elif name in ("crashinfo", "parity_crash"):
            thread = "DATAPATH-1-2153" if name == "crashinfo" else "lina"
            self.crashes.append(f"Thread Name: {thread}\nPage fault: Address not mapped\n"
                                f"vector 0x0000000e\n   edi 0x{rng.getrandbits(32):08x}\n"
                                f"Traceback:\n0: 0x{rng.getrandbits(40):010x}\n1: 0x{rng.getrandbits(40):010x}")
            self.disk["crashinfo"] = DiskFile(rng.randint(200_000, 900_000), self.clock() - 3_600)
            self.log(1, 199010, "Signal 11 caught in process/fiber(rtcli async executor process)/(rtcli "
                     "async executor) at address 0xf1d2c0e0, corrective action at 0xf1d2c0e0")
        elif name == "leftover_config":
            n = rng.randint(1, 40)
            cfg = self.running
            cfg.hostname = f"acme-fw{n:02d}"
            cfg.users["netops"] = f"Acme-{rng.randint(1000, 9999)}"
            cfg.nameifs = {self.ports[0].name: ("outside", f"203.0.113.{n} 255.255.255.0"),
                           self.ports[1].name: ("inside", f"10.{n}.0.1 255.255.0.0")}
            cfg.extra = [f"access-list OUTSIDE_IN extended permit tcp any host 203.0.113.{n} eq https",
                         "tunnel-group 198.51.100.7 type ipsec-l2l",
                         "tunnel-group 198.51.100.7 ipsec-attributes",
                         " ikev1 pre-shared-key *****", "logging host inside 10.20.0.15"]
            self.startup = copy.deepcopy(cfg)
            self.crypto_keys.append("acme-vpn-key")
            self.disk["acme-backup.cfg"] = DiskFile(18_204, self.clock() - 86_400 * 40)
        elif name == "unknown_password":
            self.running.users[FACTORY_USER] = f"Pr3v-{rng.randint(10000, 99999)}"
            self.running.enable_password = f"En-{rng.randint(10000, 99999)}"
            self.startup = copy.deepcopy(self.running)
        elif name == "reboot" and not at_boot:
            self.reload("power failure")

    # ---------- credentials, config, power
    def check_login(self, username: str, password: str) -> bool:
        return self.running.ssh and self.running.users.get(username) == password

    def check_enable(self, secret: str) -> bool:
        # A blank configuration has no enable password: the ASA takes an empty one (any, in this model).
        return self.running.enable_password is None or secret == self.running.enable_password

    def open_session(self, console: bool) -> AsaSession:
        from simulators.families.cisco_asa.cli import AsaSession  # the CLI renders this object

        return AsaSession(self, console=console)

    def write_erase(self) -> None:
        self.startup = None

    def factory_default(self) -> None:
        """`configure factory-default`: the running configuration back to Cisco's default (no users, no SSH)."""
        self.running = Config(enable_password=None, users={}, ssh=False, snmp=False)

    def reload(self, reason: str = "reload command") -> None:
        self._restart()
        self.reload_reason = reason
        self.running = copy.deepcopy(self.startup) if self.startup else Config(enable_password=None, users={},
                                                                               ssh=False, snmp=False)
        self._flap_state.clear()
        self._boot_logs()

    def boot_script(self) -> object:
        from simulators.boot import BootScript
        from simulators.families.cisco_asa.cli import boot_text

        rommon, _, kernel = boot_text(self).partition("Launching BootLoader...")
        return BootScript([rommon, 0.5], ["Launching BootLoader...", 0.5, kernel])

    # ---------- SNMP
    def snmp_values(self) -> SnmpView:
        return _snmp_view(self)


_SENSOR = "1.3.6.1.4.1.9.9.91.1.1.1.1"  # CISCO-ENTITY-SENSOR-MIB entSensorValueTable


def sys_descr(dev: AsaDevice) -> str:
    return f"Cisco Adaptive Security Appliance Version {dev.spec.version}"


def _snmp_view(dev: AsaDevice) -> dict[str, tuple[str, object]]:
    s, up = dev.spec, dev.uptime()
    v: dict[str, tuple[str, object]] = {
        **system_group(sys_descr(dev), s.sys_object_id, up, dev.hostname, 4),
        "1.3.6.1.2.1.2.1.0": ("Integer", len(dev.ports)),
    }
    rows = [(1, s.descr, 0, 3, "Chassis", "V06", s.version, dev.snmp_serial(), s.pid, False)]
    for i, p in enumerate(dev.psus):
        if p.present and p.pid:
            rows.append((10 + i, "ASA 5545-X/5555-X AC Power Supply", 1, 6, f"Power Supply {i}", "V01", "",
                         p.serial, p.pid, True))
    for i, f in enumerate(dev.fans):
        rows.append((20 + i, f"Chassis {f.name}", 1, 7, f.name, "", "", "", "", False))
    sensors = [(30 + i, t) for i, t in enumerate(dev.temps)]
    for idx, t in sensors:
        rows.append((idx, f"{t.name} ({t.descr})", 1, 8, t.name, "", "", "", "", False))
    for p in dev.ports:
        rows.append((100 + p.if_index, p.name, 1, 10, p.name, "", "", "", "", False))
    put_entities(v, [Entity(i, d, parent, cls, name, serial, model, hw, sw, fru)
                     for i, d, parent, cls, name, hw, sw, serial, model, fru in rows])
    # entSensorType 8 celsius, scale 9 units, precision 0, status 1 ok; fans: type 10 rpm.
    for idx, t in sensors:
        for col, val in ((1, 8), (2, 9), (3, 0), (4, t.value(up)), (5, 1)):
            v[f"{_SENSOR}.{col}.{idx}"] = ("Integer", val)
    for p in dev.ports:
        c = p.counters(up)
        put_interface(v, Interface(p.if_index, f"Adaptive Security Appliance '{p.name}' interface", p.name, 1000,
                                   dev.mac(p.if_index), p.up(up), c["rx_bytes"], c["tx_bytes"], c["rx_frames"],
                                   c["tx_frames"], c["rx_errors"], c["tx_errors"]))
    return v


def log_stamp(dev: AsaDevice, at: float) -> str:
    """`logging timestamp` style: Dec 07 2026 10:22:11."""
    return time.strftime("%b %d %Y %H:%M:%S", time.gmtime(dev.clock() - dev.uptime() + at))
