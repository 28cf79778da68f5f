"""The `paloalto_panos` family: Palo Alto Networks firewalls (PA-820, PA-850, PA-3220, PA-5220) on PAN-OS 10.x.

One `PanosDevice` per unit holds identity, hardware, interfaces, the system log, configuration, core files
and faults; the CLI (cli.py), the console and the SNMP view all read it, so every channel agrees. The
fanless PA-220 and PA-440 are identified by the bench but not simulated here: every simulated model must be
able to carry the fan fault.
"""

from __future__ import annotations

import copy
import random
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from simulators.device_base import DriftingTemperature, SimDeviceBase, system_group
from simulators.faults import FaultSpec

if TYPE_CHECKING:
    from simulators.families.paloalto_panos.cli import PanosSession

FACTORY_USER = "admin"
FACTORY_PASSWORD = "admin"
_PAN_OUIS = ("001b17", "b40c25", "d41d71", "8c367a", "e4a749", "7c89c1")
_EPOCH_2024 = 1_704_067_200


@dataclass(frozen=True)
class PanModel:
    pid: str  # PA-850: what `show system info` names as model
    family: str  # PAN-OS platform family ("800", "3200", "5200")
    # Under PAN-PRODUCTS-MIB (25461.2.3; the PA-5050's agent gives .9); the bench identifies by the enterprise
    # subtree and sysDescr, never by these product numbers.
    sys_object_id: str
    data_ports: int  # ethernet1/1..
    sfp_ports: tuple[int, ...]  # which of them are SFP/SFP+ cages
    fans: int
    psus: int
    psu_pid: str
    temps: tuple[str, ...]
    version: str = "10.1.11-h1"
    serial_prefix: str = "0120"


MODELS: dict[str, PanModel] = {m.pid: m for m in (
    PanModel("PA-820", "800", "1.3.6.1.4.1.25461.2.3.33", 12, (9, 10, 11, 12), 2, 1, "",
             ("Temperature near Cavium (Slot 1)", "Temperature @ Switch (Slot 1)")),
    PanModel("PA-850", "800", "1.3.6.1.4.1.25461.2.3.34", 12, (9, 10, 11, 12), 2, 2, "PAN-PA-850-AC-PWR",
             ("Temperature near Cavium (Slot 1)", "Temperature @ Switch (Slot 1)")),
    PanModel("PA-3220", "3200", "1.3.6.1.4.1.25461.2.3.41", 16, (13, 14, 15, 16), 4, 2, "PAN-PSU-650W-AC",
             ("Temperature near CPU (Slot 1)", "Temperature @ Switch (Slot 1)", "Temperature Inlet (Slot 1)"),
             serial_prefix="0132"),
    PanModel("PA-5220", "5200", "1.3.6.1.4.1.25461.2.3.38", 20, (5, 6, 7, 8, 9, 10, 11, 12), 6, 2,
             "PAN-PSU-1200-AC",
             ("Temperature near CPU (Slot 1)", "Temperature @ Switch (Slot 1)", "Temperature Inlet (Slot 1)"),
             serial_prefix="0131"),
)}

OPTICS = {"PAN-SFP-PLUS-SR": ("10GBASE-SR", 850), "PAN-SFP-SX": ("1000BASE-SX", 850)}


def pan_serial(rng: random.Random, prefix: str) -> str:
    """Palo Alto serials are 12 digits; the first four say the platform line (0120 PA-800, 0132 PA-3200)."""
    return prefix + "".join(rng.choice("0123456789") for _ in range(8))


@dataclass
class Port:
    name: str  # ethernet1/1
    if_index: int
    kind: str  # copper | sfp
    linked: bool = False
    rate: int = 0
    dead: bool = False
    crc: bool = False
    flap: bool = False
    optic: str | None = None
    optic_serial: str = ""
    dom_alarm: bool = False

    def up(self, uptime: float) -> bool:
        if self.dead or not self.linked:
            return False
        if self.flap:
            return uptime % 10 < 6
        return True

    def counters(self, uptime: float) -> dict[str, int]:
        t = uptime * (0.6 if self.flap else 1.0)
        moving = self.linked and not self.dead
        rx = int(self.rate * t) if moving else 0
        tx = int(self.rate * 0.8 * t) if moving else 0
        crc = int(uptime * 0.7) if self.crc and moving else 0
        return {"rx_bytes": rx, "tx_bytes": tx, "rx_pkts": rx // 612, "tx_pkts": tx // 590, "crc": crc,
                "rx_errors": crc, "tx_errors": 0}


@dataclass
class Fan:
    slot: int
    number: int
    rpm: int
    min_rpm: int = 2500
    ok: bool = True


@dataclass
class Psu:
    number: int
    side: str
    ok: bool = True


@dataclass
class Temp(DriftingTemperature):
    name: str
    base: float
    max_c: float
    forced: float | None = None


@dataclass
class Config:
    hostname: str
    users: dict[str, str] = field(default_factory=lambda: {FACTORY_USER: FACTORY_PASSWORD})
    extra: list[str] = field(default_factory=list)  # the previous owner's set-format lines
    dns: str = ""


@dataclass
class LogEntry:
    at: float
    severity: str
    subtype: str
    event: str
    text: str


class PanosDevice(SimDeviceBase):
    """One PAN-OS firewall. Deterministic from (seed, slot index, model)."""

    def __init__(self, slot: str, index: int, seed: int, model: str, faults: list[FaultSpec] | None = None) -> None:
        super().__init__(slot, index, model, faults)
        self.spec = MODELS[model]
        self.family = "paloalto_panos"
        rng = random.Random(f"{seed}:{index}:{model}")
        self.serial = pan_serial(rng, self.spec.serial_prefix)
        self.base_mac = f"{rng.choice(_PAN_OUIS)}{rng.randint(0, 255):02x}{rng.randrange(0, 256, 64):02x}00"
        self._power_on(float(rng.randint(600, 5_000)))
        self.running = Config(self.spec.pid)
        self.saved: Config | None = copy.deepcopy(self.running)
        self.cores: list[tuple[str, int]] = []
        self.logs: list[LogEntry] = []
        self.traffic_logs = 0  # entries in the traffic log (the owner's data; private-data-reset clears it)
        self.reload_reason = "power cycle"
        s = self.spec
        self.fans = [Fan(1, n, 4_400 + rng.randrange(0, 600, 10)) for n in range(1, s.fans + 1)]
        self.psus = [Psu(n, ("left", "right")[n - 1]) for n in range(1, s.psus + 1)]
        # An inlet reads the room (its red line is 45 C): a healthy unit's inlet sits well below it, with the
        # drift's few degrees of headroom; the sensors inside run hotter against their own 60 C.
        self.temps = [Temp(name, rng.uniform(24, 33), 45.0) if "Inlet" in name
                      else Temp(name, rng.uniform(34, 44), 60.0) for name in s.temps]
        self.ports: list[Port] = []
        self._build_ports(rng)
        self._flap_state: dict[str, bool] = {}
        self._boot_logs()
        self._apply_boot_faults()

    def _build_ports(self, rng: random.Random) -> None:
        s = self.spec
        for n in range(1, s.data_ports + 1):
            self.ports.append(Port(f"ethernet1/{n}", 15 + n, "sfp" if n in s.sfp_ports else "copper"))
        copper = [p for p in self.ports if p.kind == "copper"]
        for p in rng.sample(copper, 3):
            p.linked, p.rate = True, rng.randint(5_000, 60_000)
        cages = [p for p in self.ports if p.kind == "sfp"]
        wants = any(f.name.startswith("optic") for f in self.faults)
        for p in rng.sample(cages, rng.randint(1 if wants else 0, 2)):
            p.optic = rng.choice(sorted(OPTICS))
            p.optic_serial = f"AGM{rng.randint(1700, 2399)}{''.join(rng.choice('0123456789') for _ in range(4))}"
            p.linked, p.rate = True, rng.randint(50_000, 400_000)

    def _boot_logs(self) -> None:
        self.logs = [LogEntry(3.0, "info", "general", "general", f"The system is starting up ({self.reload_reason})."),
                     LogEntry(40.0, "info", "general", "general", "Chassis Master Alarm: Cleared"),
                     LogEntry(60.0, "info", "general", "general", "Dataplane is now up")]
        for p in self.ports:
            if p.linked and not p.dead:
                self.logs.append(LogEntry(62.0 + p.if_index / 100, "info", "port", "link-change",
                                          f"Port {p.name.removeprefix('ethernet')}: Up 1Gb/s-full duplex"))

    def clock(self) -> float:
        return _EPOCH_2024 + 86_400 * 320 + self.uptime()

    def log(self, severity: str, subtype: str, event: str, text: str) -> None:
        self.logs.append(LogEntry(self.uptime(), severity, subtype, event, text))
        del self.logs[:-2000]

    def _on_tick(self) -> None:
        up = self.uptime()
        for p in self.ports:
            if p.flap:
                now = p.up(up)
                if self._flap_state.get(p.name, True) != now:
                    self._flap_state[p.name] = now
                    self.log("info", "port", "link-change",
                             f"Port {p.name.removeprefix('ethernet')}: {'Up 1Gb/s-full duplex' if now else 'Down'}")

    def _fault(self, name: str, rng: random.Random, at_boot: bool) -> None:
        linked = [p for p in self.ports if p.linked and p.kind == "copper"]
        if name == "fan_failed":
            self.fans[0].ok, self.fans[0].rpm = False, 0
            self.log("critical", "hw", "fan-failed", f"Fan #{self.fans[0].number} (Slot 1) failed")
        elif name == "psu_failed":
            self.psus[0].ok = False
            self.log("critical", "hw", "psu-failed", f"Power Supply #1 ({self.psus[0].side}) failed")
        elif name == "overtemp":
            t = self.temps[0]
            t.forced = t.max_c + 8
            self.log("critical", "hw", "temp-high", f"{t.name}: {t.forced:.1f} C exceeds {t.max_c:.1f} C")
        elif name == "port_dead":
            linked[0].dead = True
        elif name == "crc_errors":
            linked[-1].crc = True
        elif name == "link_flap":
            linked[1 % len(linked)].flap = True
        elif name == "optic_dom_alarm":
            p = next(p for p in self.ports if p.optic)
            p.dom_alarm = True
            self.log("high", "port", "transceiver", f"Port {p.name.removeprefix('ethernet')}: RX power low alarm")
        elif name == "serial_mismatch":
            self.snmp_serial_override = pan_serial(rng, self.spec.serial_prefix)
        elif name == "counterfeit_serial":
            self.serial = "PA" + "".join(rng.choice("ABCDEFXYZ0123456789") for _ in range(7))
        elif name in ("crashinfo", "parity_crash"):
            proc = "all_pktproc_3" if name == "crashinfo" else "mprelay"
            self.cores.append((f"{proc}_10.1.11_{rng.randint(1, 9)}.core", rng.randint(200_000, 9_000_000)))
            self.reload_reason = f"{proc} crashed"
            self.log("critical", "general", "general", f"{proc} crashed: core file saved in /var/cores")
        elif name == "leftover_config":
            n = rng.randint(1, 40)
            cfg = self.running
            cfg.hostname = f"acme-edge-fw{n:02d}"
            cfg.users["netops"] = f"Acme-{rng.randint(1000, 9999)}"
            cfg.dns = f"10.{n}.0.53"
            cfg.extra = [
                f"set network interface ethernet ethernet1/1 layer3 ip 203.0.113.{n}/24",
                "set zone untrust network layer3 ethernet1/1",
                f"set address web-srv-{n} ip-netmask 10.{n}.20.10/32",
                "set rulebase security rules allow-web from untrust to trust destination web-srv action allow",
                "set network ike gateway branch-gw peer-address ip 198.51.100.7",
                "set deviceconfig system syslog-server 10.20.0.15",
            ]
            self.saved = copy.deepcopy(cfg)
            self.traffic_logs = rng.randint(10_000, 90_000)
        elif name == "unknown_password":
            self.running.users[FACTORY_USER] = f"Pr3v-{rng.randint(10000, 99999)}"
            self.saved = copy.deepcopy(self.running)
        elif name == "reboot" and not at_boot:
            self.reload("power cycle")

    # ---------- credentials, config, power
    def check_login(self, username: str, password: str) -> bool:
        return self.running.users.get(username) == password

    keyboard_interactive = True  # PAN-OS asks for the password with keyboard-interactive (netmiko expects it)

    def open_session(self, console: bool) -> PanosSession:
        from simulators.families.paloalto_panos.cli import PanosSession

        return PanosSession(self, console=console)

    @property
    def hostname(self) -> str:
        return self.running.hostname

    def commit(self) -> None:
        self.saved = copy.deepcopy(self.running)

    def private_data_reset(self) -> None:
        """`request system private-data-reset`: logs and configuration gone, the factory default on the reboot."""
        self.saved = None
        self.traffic_logs = 0
        self.cores.clear()
        self.reload("private data reset")

    def reload(self, reason: str = "requested by admin") -> None:
        self._restart()
        self.reload_reason = reason
        if self.saved is None:  # the factory default is written as the saved configuration at first boot
            self.saved = Config(self.spec.pid)
        self.running = copy.deepcopy(self.saved)
        self._flap_state.clear()
        self._boot_logs()

    def boot_script(self) -> object:
        from simulators.boot import BootScript
        from simulators.families.paloalto_panos.cli import boot_text

        loader, _, kernel = boot_text(self).partition("Booting PAN-OS")
        return BootScript([loader, 0.5], ["Booting PAN-OS", 0.5, kernel])

    def mac(self, offset: int = 0) -> str:
        return f"{int(self.base_mac, 16) + offset:012x}"

    def snmp_view(self) -> dict[str, tuple[str, object]]:
        self.touch()
        return _snmp_view(self)


_ENT = "1.3.6.1.2.1.47.1.1.1.1"
_SENSOR = "1.3.6.1.2.1.99.1.1.1"  # ENTITY-SENSOR-MIB entPhySensorTable, as the PA-5050's agent serves it
_IF = "1.3.6.1.2.1.2.2.1"
_IFX = "1.3.6.1.2.1.31.1.1.1"


def sys_descr(dev: PanosDevice) -> str:
    return f"Palo Alto Networks PA-{dev.spec.family} series firewall"


def _snmp_view(dev: PanosDevice) -> dict[str, tuple[str, object]]:
    s, up = dev.spec, dev.uptime()
    v: dict[str, tuple[str, object]] = {
        **system_group(sys_descr(dev), s.sys_object_id, up, dev.hostname, 72),
        "1.3.6.1.2.1.2.1.0": ("Integer", len(dev.ports)),
    }
    # As the real agent: the chassis at index 1 (descr, name and model the PID), then one sensor row each.
    rows: list[tuple[int, str, int, str, str, str]] = [(1, s.pid, 3, s.pid, dev.snmp_serial(), s.pid)]
    sensors: list[tuple[int, int, int]] = []  # (index, type, value): 10 rpm, 8 celsius
    i = 2
    for f in dev.fans:
        rows.append((i, f"Fan #{f.number} RPM", 8, f"Fan #{f.number} RPM", "", ""))
        sensors.append((i, 10, f.rpm))
        i += 1
    for t in dev.temps:
        rows.append((i, t.name, 8, t.name, "", ""))
        sensors.append((i, 8, t.value(up)))
        i += 1
    for idx, descr, cls, name, serial, model in rows:
        for col, typ, val in ((2, "OctetString", descr), (4, "Integer", 0 if idx == 1 else 1), (5, "Integer", cls),
                              (7, "OctetString", name), (11, "OctetString", serial), (13, "OctetString", model),
                              (16, "Integer", 2)):
            v[f"{_ENT}.{col}.{idx}"] = (typ, val)
    for idx, kind, value in sensors:
        for col, val in ((1, kind), (2, 9), (3, 0), (4, value), (5, 1)):
            v[f"{_SENSOR}.{col}.{idx}"] = ("Integer", val)
    for p in dev.ports:
        n, c = p.if_index, p.counters(up)
        for col, typ, val in (
            (1, "Integer", n), (2, "OctetString", p.name), (3, "Integer", 6), (4, "Integer", 1500),
            (5, "Gauge32", 1_000_000_000 if p.kind == "copper" else 4_294_967_295),
            (6, "OctetString", bytes.fromhex(dev.mac(n))), (7, "Integer", 1), (8, "Integer", 1 if p.up(up) else 2),
            (10, "Counter32", c["rx_bytes"] % 2**32), (11, "Counter32", c["rx_pkts"] % 2**32),
            (14, "Counter32", c["rx_errors"] % 2**32), (16, "Counter32", c["tx_bytes"] % 2**32),
            (17, "Counter32", c["tx_pkts"] % 2**32), (20, "Counter32", c["tx_errors"] % 2**32),
        ):
            v[f"{_IF}.{col}.{n}"] = (typ, val)
        for col, typ, val in ((1, "OctetString", p.name), (6, "Counter64", c["rx_bytes"]),
                              (10, "Counter64", c["tx_bytes"]), (15, "Gauge32", 1000 if p.kind == "copper" else 10000),
                              (18, "OctetString", "")):
            v[f"{_IFX}.{col}.{n}"] = (typ, val)
    return v


def log_time(dev: PanosDevice, at: float) -> str:
    return time.strftime("%Y/%m/%d %H:%M:%S", time.gmtime(dev.clock() - dev.uptime() + at))
