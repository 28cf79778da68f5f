"""The `fortinet_fortios` family: FortiGate firewalls on FortiOS 7.2 (FG-60E, FG-100F, FG-101F, FG-600E).

One `FortiDevice` per unit holds identity, hardware sensors, ports, optics, logs, configuration and
faults; the CLI (cli.py) and the SNMP view both read it, so every channel agrees. Ports are named as
FortiOS names them (wan1, internal1, port1, x1).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from simulators.device_base import DriftingTemperature, system_group
from simulators.faults import FaultSpec
from simulators.network_device import PORT_FAULTS, NetworkDevice
from simulators.ports import HarnessPort
from simulators.snmp_tables import Entity, Interface, SnmpView, put_entities, put_interface

if TYPE_CHECKING:
    from simulators.families.fortinet_fortios.cli import FortiSession

# A factory-default FortiGate: user admin, no password (FortiOS 7.x asks for a new one at the first login).
FACTORY_USER = "admin"
FACTORY_PASSWORD = ""
MAINTAINER_WINDOW_S = 60  # the console accepts `maintainer` this long after boot (bcpb + serial)

_ALNUM = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
# FortiGate serial: FG/FGT, model code, 2-4 model characters, then the unit's digits: 16 characters in all
# (FGT60E4Q16000123, FG100FTK20012345, FG6H0ETB19900123).
SERIAL_FORMAT = re.compile(r"^FG[T0-9A-Z]{14}$")


@dataclass(frozen=True)
class Optic:
    pid: str
    vendor: str
    kind: str  # sfp | sfp+


OPTICS: dict[str, Optic] = {o.pid: o for o in (
    Optic("FN-TRAN-SX", "FORTINET", "sfp"),
    Optic("FN-TRAN-SFP+SR", "FORTINET", "sfp+"),
    Optic("FN-TRAN-SFP+LR", "FORTINET", "sfp+"),
)}


@dataclass(frozen=True)
class FortiModel:
    pid: str  # "FortiGate-60E" as `get system status` names it
    ent_model: str  # "FGT_60E" as ENTITY-MIB names it
    serial_prefix: str  # FGT60E, FG100F, FG101F, FG6H0E
    family: str
    sys_object_id: str
    ports: tuple[tuple[str, str], ...]  # (name, kind copper|sfp|sfp+)
    fans: int
    psus: int  # monitored supplies (0: an external adapter the unit cannot see)
    psu_pid: str | None
    disk: str  # "" or the log disk's name for `execute erase-disk`
    poe: bool
    part_number: str
    bios: str
    default_hostname: str
    temp_alarm_c: int

    @property
    def psu_bays(self) -> int:
        return self.psus


def _named(prefix: str, n: int, kind: str, start: int = 1) -> tuple[tuple[str, str], ...]:
    return tuple((f"{prefix}{i}", kind) for i in range(start, start + n))


MODELS: dict[str, FortiModel] = {m.pid: m for m in (
    FortiModel(pid="FortiGate-60E", ent_model="FGT_60E", serial_prefix="FGT60E", family="fortinet_fortios",
               sys_object_id="1.3.6.1.4.1.12356.101.1.641",
               ports=(("wan1", "copper"), ("wan2", "copper"), ("dmz", "copper")) + _named("internal", 7, "copper"),
               fans=0, psus=0, psu_pid=None, disk="", poe=False, part_number="P18043-05", bios="05000013",
               default_hostname="FGT60E", temp_alarm_c=85),
    FortiModel(pid="FortiGate-100F", ent_model="FGT_100F", serial_prefix="FG100F", family="fortinet_fortios",
               sys_object_id="1.3.6.1.4.1.12356.101.1.1041",
               ports=(("wan1", "copper"), ("wan2", "copper"), ("dmz", "copper"), ("mgmt", "copper"),
                      ("ha1", "copper"), ("ha2", "copper")) + _named("port", 12, "copper")
               + _named("port", 4, "sfp", 13) + (("x1", "sfp+"), ("x2", "sfp+")),
               fans=3, psus=2, psu_pid="SP-FG100F-PS", disk="", poe=False, part_number="P24272-04", bios="05000009",
               default_hostname="FG100F", temp_alarm_c=90),
    FortiModel(pid="FortiGate-101F", ent_model="FGT_101F", serial_prefix="FG101F", family="fortinet_fortios",
               sys_object_id="1.3.6.1.4.1.12356.101.1.1042",
               ports=(("wan1", "copper"), ("wan2", "copper"), ("dmz", "copper"), ("mgmt", "copper"),
                      ("ha1", "copper"), ("ha2", "copper")) + _named("port", 12, "copper")
               + _named("port", 4, "sfp", 13) + (("x1", "sfp+"), ("x2", "sfp+")),
               fans=3, psus=2, psu_pid="SP-FG100F-PS", disk="SSD", poe=False, part_number="P24273-04",
               bios="05000009", default_hostname="FG101F", temp_alarm_c=90),
    FortiModel(pid="FortiGate-600E", ent_model="FGT_600E", serial_prefix="FG6H0E", family="fortinet_fortios",
               sys_object_id="1.3.6.1.4.1.12356.101.1.6004",
               ports=(("mgmt", "copper"), ("ha1", "copper"), ("ha2", "copper")) + _named("port", 8, "copper")
               + _named("port", 8, "sfp", 9) + _named("port", 4, "sfp+", 17),
               fans=4, psus=2, psu_pid="SP-FG600E-PS", disk="", poe=False, part_number="P24088-03",
               bios="05000006", default_hostname="FG600E", temp_alarm_c=85),
)}

VERSION = "7.2.8"
BUILD = "build1639,240313 (GA.M)"


def forti_serial(rng: random.Random, prefix: str) -> str:
    return f"{prefix}{rng.choice('34TQ')}{rng.choice('QKTZ')}{rng.randint(16, 23)}{rng.randint(0, 999_999):06d}"


@dataclass
class Port(HarnessPort):
    def speed_mbps(self) -> int:
        return 10_000 if self.kind == "sfp+" else 1000


@dataclass
class Sensor:
    name: str  # as `execute sensor list` names it
    kind: str  # fan | psu | temperature | voltage
    base: float
    failed: bool = False


@dataclass
class Temp(DriftingTemperature):
    name: str
    base: float
    alarm_at: int
    forced: float | None = None


@dataclass
class LogEntry:
    at: float  # uptime (s)
    level: str  # notice, critical, ...
    text: str


@dataclass
class Config:
    hostname: str
    admins: dict[str, str] = field(default_factory=lambda: {FACTORY_USER: FACTORY_PASSWORD})
    blocks: list[str] = field(default_factory=list)  # the previous owner's other config lines, verbatim
    output_standard: bool = False  # `config system console` / `set output standard`


class FortiDevice(NetworkDevice):
    """One FortiGate. Deterministic from (seed, slot index, model)."""

    def __init__(self, slot: str, index: int, seed: int, model: str, faults: list[FaultSpec] | None = None) -> None:
        super().__init__(slot, index, model, faults)
        self.spec = MODELS[model]
        self.family = self.spec.family
        rng = random.Random(f"{seed}:{index}:{model}")
        self.serial = forti_serial(rng, self.spec.serial_prefix)
        self.base_mac = f"{rng.choice(('00090F', '704CA5', '906CAC', 'E81CBA', '085B0E'))}{rng.randint(0, 255):02X}" \
                        f"{rng.randrange(0, 256, 64):02X}00"
        self.reload_reason = "power cycle"
        self._power_on(float(rng.randint(120, 900)))
        self.config = Config(self.spec.default_hostname)
        self.crashlog: list[str] = []
        self.disk_logs = 1_824 if self.spec.disk else 0  # log records on the disk
        self.logs: list[LogEntry] = []
        self.ports: list[Port] = [Port(n, i, k) for i, (n, k) in enumerate(self.spec.ports, 1)]
        self.fans = [Sensor(f"FAN{n}", "fan", 5400 + 120 * n) for n in range(1, self.spec.fans + 1)]
        self.psus = [Sensor(f"PS{n} Status", "psu", 0) for n in range(1, self.spec.psus + 1)]
        self.temps = [Temp("CPU ON-DIE Temp", rng.uniform(48, 56), self.spec.temp_alarm_c),
                      Temp("TD1", rng.uniform(36, 42), self.spec.temp_alarm_c - 15)]
        self._build_ports(rng)
        self._boot_logs()
        self._apply_boot_faults()

    def _build_ports(self, rng: random.Random) -> None:
        copper = [p for p in self.ports if p.kind == "copper" and not p.name.startswith(("mgmt", "ha"))]
        for p in rng.sample(copper, 3):
            p.linked, p.rate = True, rng.randint(2_000, 40_000)
        cages = [p for p in self.ports if p.kind != "copper"]
        wants_optic = any(f.name.startswith("optic") for f in self.faults)
        for p in rng.sample(cages, min(len(cages), rng.randint(1 if wants_optic else 0, 2))):
            p.optic = rng.choice([o.pid for o in OPTICS.values() if o.kind == p.kind])
            p.optic_serial = f"FS{rng.randint(10, 99)}{''.join(rng.choice(_ALNUM) for _ in range(8))}"
            p.linked, p.rate = True, rng.randint(50_000, 400_000)

    def _boot_logs(self) -> None:
        self.logs = [LogEntry(5.0, "notice", f"System is started: reboot reason {self.reload_reason}"),
                     LogEntry(9.0, "information", "SSH server is enabled")]
        self.logs += [LogEntry(12.0, "notice", f"Interface {p.name} is up") for p in self.ports
                      if p.linked and not p.dead]

    def _link_changed(self, port: Port, up: bool) -> None:
        self.logs.append(LogEntry(self.uptime(), "notice", f"Interface {port.name} is {'up' if up else 'down'}"))
        del self.logs[:-1000]

    def _fault(self, name: str, rng: random.Random, at_boot: bool) -> None:
        linked = [p for p in self.ports if p.linked and p.optic is None]
        if name == "fan_failed" and self.fans:  # a fanless FG-60E has no fan to fail
            self.fans[0].failed = True
        elif name == "psu_failed" and self.psus:
            self.psus[0].failed = True
            self.logs.append(LogEntry(self.uptime(), "critical", "Power supply 1 failure detected"))
        elif name == "overtemp":
            self.temps[0].forced = self.temps[0].alarm_at + 4
            self.logs.append(LogEntry(self.uptime(), "critical", f"{self.temps[0].name} is over its alarm threshold"))
        elif name in PORT_FAULTS:
            self._break_spread(name, linked)
        elif name == "optic_dom_alarm":  # a model without a cage (FG-60E) has no optic to alarm
            for p in [p for p in self.ports if p.optic][:1]:
                p.dom_alarm = True
        elif name == "serial_mismatch":
            self.snmp_serial_override = forti_serial(rng, self.spec.serial_prefix)
        elif name == "counterfeit_serial":
            self.serial = "".join(rng.choice("0123456789") for _ in range(12))
        elif name == "crashinfo":
            when = "2026-11-30 04:12:55"
            pid = rng.randint(100, 999)
            self.crashlog += [f"{when} <{pid:05d}> application ipsengine",
                              f"{when} <{pid:05d}> *** signal 11 (Segmentation fault) received ***",
                              f"{when} <{pid:05d}> Register dump:", f"{when} <{pid:05d}> RAX: 0000000000000000"]
            self.reload_reason = "kernel panic"
        elif name == "leftover_config":
            n = rng.randint(1, 40)
            self.config = Config(f"ACME-FW{n:02d}", {**self.config.admins, "netops": f"Acme-{rng.randint(1000, 9999)}"},
                                 ["config system snmp community", '    edit 1', '        set name "Acm3RO"', "    next",
                                  "end", "config log syslogd setting", "    set status enable",
                                  '    set server "10.20.0.15"', "end"])
        elif name == "unknown_password":
            self.config.admins[FACTORY_USER] = f"Pr3v-{rng.randint(10000, 99999)}"
        elif name == "reboot" and not at_boot:
            self.reload("warm reboot")

    # ---------- credentials, config, power
    def check_login(self, username: str, password: str) -> bool:
        return self.config.admins.get(username) == password

    def maintainer_ok(self, username: str, password: str) -> bool:
        """The console's `maintainer` login: only just after boot, password bcpb + the serial."""
        return username == "maintainer" and password == f"bcpb{self.serial}" \
            and self.uptime() < MAINTAINER_WINDOW_S

    def open_session(self, console: bool) -> FortiSession:
        from simulators.families.fortinet_fortios.cli import FortiSession

        return FortiSession(self, console=console)

    @property
    def hostname(self) -> str:
        return self.config.hostname

    def factory_reset(self) -> None:
        """`execute factoryreset`: the configuration, admins and keys back to factory; then a reboot."""
        self.config = Config(self.spec.default_hostname)
        self.reload("factory reset")

    def erase_disk(self) -> None:
        self.disk_logs = 0
        self.crashlog = []

    def reload(self, reason: str = "warm reboot") -> None:
        self._restart()
        self.reload_reason = reason
        self._flap_state.clear()
        self._boot_logs()

    def boot_script(self) -> object:
        """What the console shows on a power-on (simulators/boot.py plays it, then opens a session)."""
        from simulators.boot import BootScript
        from simulators.families.fortinet_fortios.cli import boot_text

        loader, _, kernel = boot_text(self).partition("Booting OS...")
        return BootScript([loader, 1.0], ["Booting OS...\n", 2.0, kernel.split("\n", 1)[1]])

    # ---------- SNMP
    def snmp_values(self) -> SnmpView:
        return _snmp_view(self)


_HW_SENSOR = "1.3.6.1.4.1.12356.101.4.3.2.1"  # FORTINET-FORTIGATE-MIB fgHwSensorTable: .2 name .3 value .4 alarm


def sensor_rows(dev: FortiDevice) -> list[tuple[str, str, bool]]:
    """(name, value, alarm) as `execute sensor list` and fgHwSensorTable show them."""
    up = dev.uptime()
    rows = [(t.name, str(t.value(up)), t.value(up) >= t.alarm_at) for t in dev.temps]
    rows += [(f.name, "0" if f.failed else str(int(f.base)), f.failed) for f in dev.fans]
    rows += [(p.name, "1" if p.failed else "0", p.failed) for p in dev.psus]
    return rows


def _snmp_view(dev: FortiDevice) -> dict[str, tuple[str, object]]:
    up, s = dev.uptime(), dev.spec
    v: dict[str, tuple[str, object]] = {
        # FortiOS serves its SNMP sysinfo description: "Fortigate" and the version unless the owner set one.
        **system_group(f"Fortigate v{VERSION}", s.sys_object_id, up, dev.hostname, 78),
        "1.3.6.1.2.1.2.1.0": ("Integer", len(dev.ports)),
        "1.3.6.1.4.1.12356.100.1.1.1.0": ("OctetString", dev.snmp_serial()),  # FORTINET-CORE-MIB fnSysSerial
        "1.3.6.1.4.1.12356.101.4.1.1.0": ("OctetString", f"v{VERSION},{BUILD}"),  # fgSysVersion
    }
    rows = [(1, f"Fortinet {s.ent_model}, HW Serial#: {dev.snmp_serial()}", 0, 3, s.ent_model, dev.snmp_serial(),
             s.ent_model)]
    rows += [(1000 + p.if_index, f"Transceiver {p.name}", 1, 10, f"{p.name} transceiver", p.optic_serial,
              p.optic) for p in dev.ports if p.optic]
    put_entities(v, [Entity(*row) for row in rows])
    for n, (name, value, alarm) in enumerate(sensor_rows(dev), 1):
        v[f"{_HW_SENSOR}.1.{n}"] = ("Integer", n)
        v[f"{_HW_SENSOR}.2.{n}"] = ("OctetString", name)
        v[f"{_HW_SENSOR}.3.{n}"] = ("OctetString", value)
        v[f"{_HW_SENSOR}.4.{n}"] = ("Integer", 1 if alarm else 0)
    for p in dev.ports:
        c = p.counters(up)
        put_interface(v, Interface(p.if_index, "", p.name, p.speed_mbps(), dev.mac(p.if_index), p.up(up),
                                   c["rx_bytes"], c["tx_bytes"], c["rx_frames"], c["tx_frames"],
                                   c["rx_errors"], c["tx_errors"]))
    return v
