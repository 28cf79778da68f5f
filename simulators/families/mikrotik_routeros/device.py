"""The `mikrotik_routeros` family: MikroTik CRS switches, CCR and RB routers on RouterOS 7.

One `RouterOsDevice` per unit holds identity (the RouterBOARD's model and serial), health sensors,
ethernet ports with their SFP modules, the log, the configuration and users, and the faults; the CLI
(cli.py) and the SNMP view both read it, so every channel agrees.
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
from simulators.snmp_tables import Interface, SnmpView, put_interface

if TYPE_CHECKING:
    from simulators.families.mikrotik_routeros.cli import RouterOsSession

FACTORY_USER = "admin"
FACTORY_PASSWORD = ""  # RouterOS leaves the factory with user admin and no password (or the sticker's)
SYS_OBJECT_ID = "1.3.6.1.4.1.14988.1"  # every RouterOS unit answers MikroTik's one product id
# RouterBOARD serials: 12 hex digits on older boards (CC210E592C82), 11 characters from H on newer
# ones (HCQ08FX50J7, HD7089E2P3K).
SERIAL_FORMAT = re.compile(r"^(?:[0-9A-F]{12}|H[0-9A-Z]{10})$")
_ALNUM = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
_MT_OUIS = ("48A98A", "DC2C6E", "B869F4", "2CC81B", "74DAD1", "18FD74")


@dataclass(frozen=True)
class Optic:
    pid: str  # sfp-vendor-part-number
    vendor: str
    kind: str  # sfp (1G) / sfp+ (10G) / sfp28 (25G)
    wavelength: int
    reach: str  # what monitor prints as sfp-link-length-*


OPTICS: dict[str, Optic] = {o.pid: o for o in (
    Optic("S-85DLC05D", "MikroTik", "sfp", 850, "sfp-link-length-50um: 550m"),
    Optic("S+85DLC03D", "MikroTik", "sfp+", 850, "sfp-link-length-50um: 80m"),
    Optic("S+31DLC10D", "MikroTik", "sfp+", 1310, "sfp-link-length-9um: 10km"),
    Optic("XS+31LC10D", "MikroTik", "sfp28", 1310, "sfp-link-length-9um: 10km"),
)}


@dataclass(frozen=True)
class RosModel:
    pid: str  # what `/system routerboard print` says as model
    board_name: str  # what `/system resource print` says as board-name
    family: str
    copper: int  # ether1..N
    sfp: tuple[str, ...]  # cage kinds after the copper ports: sfp / sfp+ / sfp28
    poe_out: tuple[int, ...]  # ether ports with PoE out
    fans: int
    psus: int  # hot-swap supplies with a state sensor; 0: one DC input, read as a voltage
    arch: str
    cpu: str
    cpu_count: int
    cpu_mhz: int
    memory_mib: int
    hdd_mib: int
    firmware_type: str
    factory_software: str
    overtemp_threshold: int  # /system health settings cpu-overtemp-threshold
    serial_style: str  # "hex" (12 hex digits) or "h" (H + 10)
    poe_watts: int = 0

    @property
    def psu_pid(self) -> str | None:
        return "PSU" if self.psus else None

    @property
    def poe(self) -> bool:
        return bool(self.poe_out)


MODELS: dict[str, RosModel] = {m.pid: m for m in (
    RosModel(pid="CCR2004-1G-12S+2XS", board_name="CCR2004-1G-12S+2XS", family="mikrotik_routeros", copper=1,
             sfp=("sfp+",) * 12 + ("sfp28",) * 2, poe_out=(), fans=2, psus=2, arch="arm64", cpu="ARM64",
             cpu_count=4, cpu_mhz=1700, memory_mib=4096, hdd_mib=128, firmware_type="al2",
             factory_software="7.1.5", overtemp_threshold=105, serial_style="h"),
    RosModel(pid="CRS326-24G-2S+", board_name="CRS326-24G-2S+", family="mikrotik_routeros", copper=24,
             sfp=("sfp+",) * 2, poe_out=(), fans=0, psus=0, arch="arm", cpu="ARMv7", cpu_count=1,
             cpu_mhz=800, memory_mib=512, hdd_mib=16, firmware_type="dx3230L", factory_software="6.44.3",
             overtemp_threshold=105, serial_style="hex"),
    RosModel(pid="RB4011iGS+", board_name="RB4011iGS+", family="mikrotik_routeros", copper=10, sfp=("sfp+",),
             poe_out=(10,), fans=0, psus=0, arch="arm", cpu="ARMv7", cpu_count=4, cpu_mhz=1400,
             memory_mib=1024, hdd_mib=512, firmware_type="al2", factory_software="6.45.9",
             overtemp_threshold=105, serial_style="hex", poe_watts=25),
    RosModel(pid="CRS328-24P-4S+", board_name="CRS328-24P-4S+", family="mikrotik_routeros", copper=24,
             sfp=("sfp+",) * 4, poe_out=tuple(range(1, 25)), fans=2, psus=1, arch="arm", cpu="ARMv7",
             cpu_count=1, cpu_mhz=800, memory_mib=512, hdd_mib=16, firmware_type="dx3230L",
             factory_software="6.45.9", overtemp_threshold=105, serial_style="h", poe_watts=450),
)}
VERSION = "7.12.2"
BUILD_TIME = "Dec/20/2023 08:41:00"


def ros_serial(rng: random.Random, style: str) -> str:
    if style == "hex":
        return "".join(rng.choice("0123456789ABCDEF") for _ in range(12))
    return "H" + rng.choice("CDE") + "".join(rng.choice(_ALNUM) for _ in range(9))


def optic_serial(rng: random.Random) -> str:
    return f"S{rng.choice('TM')}{rng.choice('ST')}{rng.randint(10, 99)}S{rng.randint(10**7, 10**8 - 1)}"


@dataclass
class Port(HarnessPort):
    name: str  # ether1, sfp-sfpplus1, sfp28-1
    kind: str  # copper | sfp | sfp+ | sfp28
    poe: bool = False
    poe_fault: bool = False
    link_downs: int = 0

    def rate_text(self) -> str:
        if self.kind == "copper":
            return "1Gbps"
        kind = OPTICS[self.optic].kind if self.optic else self.kind
        return {"sfp": "1Gbps", "sfp+": "10Gbps", "sfp28": "25Gbps"}[kind]

    def speed_mbps(self) -> int:
        return {"1Gbps": 1000, "10Gbps": 10_000, "25Gbps": 25_000}[self.rate_text()]

    def counters(self, uptime: float) -> dict[str, int]:
        """The common counters under the names `/interface ethernet print stats` gives them."""
        c = super().counters(uptime)
        return {"rx_bytes": c["rx_bytes"], "tx_bytes": c["tx_bytes"], "rx_packets": c["rx_frames"],
                "tx_packets": c["tx_frames"], "rx_broadcast": c["rx_bcast"], "tx_broadcast": c["tx_bcast"],
                "rx_fcs_error": c["crc"], "rx_align_error": 0, "rx_too_short": 0, "rx_too_long": 0, "tx_drop": 0}


@dataclass
class Fan:
    number: int
    rpm: int
    ok: bool = True


@dataclass
class Psu:
    number: int
    ok: bool = True


@dataclass
class Temp(DriftingTemperature):
    name: str  # cpu-temperature, board-temperature1, sfp-temperature, switch-temperature
    base: float
    forced: float | None = None


@dataclass
class Config:
    identity: str = "MikroTik"
    lines: list[str] = field(default_factory=list)  # `/export` lines below the header, kept verbatim


@dataclass
class LogEntry:
    at: float  # uptime (s)
    topics: str  # "system,info"
    text: str


class RouterOsDevice(NetworkDevice):
    mac_format = "012X"  # RouterOS prints MACs in upper case
    """One RouterOS unit. Deterministic from (seed, slot index, model)."""

    def __init__(self, slot: str, index: int, seed: int, model: str, faults: list[FaultSpec] | None = None) -> None:
        super().__init__(slot, index, model, faults)
        self.spec = MODELS[model]
        self.family = self.spec.family
        rng = random.Random(f"{seed}:{index}:{model}")
        self.serial = ros_serial(rng, self.spec.serial_style)
        self.software_id = "-".join("".join(rng.choice(_ALNUM) for _ in range(4)) for _ in range(2))
        self.base_mac = f"{rng.choice(_MT_OUIS)}{rng.randint(0, 255):02X}{rng.randrange(0, 256, 32):02X}00"
        self.revision = f"r{rng.randint(1, 3)}"
        self._power_on(float(rng.randint(120, 900)))
        self.users: dict[str, str] = {FACTORY_USER: FACTORY_PASSWORD}
        self.config = Config()
        self.files: dict[str, int] = {}  # owner files on flash: name -> bytes
        self.logs: list[LogEntry] = []
        self.reboot_reason = "router was rebooted without proper shutdown"
        self.ports: list[Port] = []
        self.fans = [Fan(n, 4_400 + rng.randrange(0, 900, 30)) for n in range(1, self.spec.fans + 1)]
        self.psus = [Psu(n) for n in range(1, self.spec.psus + 1)]
        self.input_volts = round(rng.uniform(23.6, 24.4), 1)
        self.temps = [Temp("cpu-temperature", rng.uniform(44, 52))]
        self.temps += [Temp("board-temperature1", rng.uniform(33, 39))] if self.spec.fans else \
            [Temp("temperature", rng.uniform(33, 39))]
        if self.spec.sfp:
            self.temps.append(Temp("sfp-temperature", rng.uniform(35, 41)))
        self._build_ports(rng)
        self._boot_logs()
        self._apply_boot_faults()

    # ---------- construction
    def _build_ports(self, rng: random.Random) -> None:
        s = self.spec
        for n in range(1, s.copper + 1):
            self.ports.append(Port(f"ether{n}", n, "copper", poe=n in s.poe_out))
        plus = twenty_five = one = 0
        for kind in s.sfp:
            if kind == "sfp28":
                twenty_five += 1
                name = f"sfp28-{twenty_five}"
            elif kind == "sfp+":
                plus += 1
                name = f"sfp-sfpplus{plus}"
            else:
                one += 1
                name = f"sfp{one}"
            self.ports.append(Port(name, len(self.ports) + 1, kind))
        copper = [p for p in self.ports if p.kind == "copper"]
        for p in rng.sample(copper, min(len(copper), 3)):  # the harness cables a few copper ports
            p.linked, p.rate = True, rng.randint(2_000, 40_000)
        cages = [p for p in self.ports if p.kind != "copper"]
        wants_optic = any(f.name.startswith("optic") for f in self.faults)
        wanted = rng.randint(1 if wants_optic else 0, 2)
        wanted = max(wanted, 3 - sum(p.linked for p in copper))  # a CCR2004 has one copper port: fibre the rest
        for p in rng.sample(cages, min(len(cages), wanted)):
            p.optic = rng.choice([o.pid for o in OPTICS.values() if o.kind == p.kind])
            p.optic_serial = optic_serial(rng)
            p.linked, p.rate = True, rng.randint(50_000, 400_000)

    def _boot_logs(self) -> None:
        self.logs = [LogEntry(6.0, "system,info", "router rebooted"),
                     LogEntry(6.1, "system,error,critical", self.reboot_reason)]
        for p in self.ports:
            if p.linked and not p.dead:
                self.logs.append(LogEntry(12.0 + p.if_index / 100, "interface,info", f"{p.name} link up "
                                          f"(speed {p.rate_text().replace('bps', '')}, full duplex)"))

    # ---------- time and faults
    def _link_changed(self, port: Port, up: bool) -> None:
        if not up:
            port.link_downs += 1
        self.log("interface,info", f"{port.name} link {'up' if up else 'down'}")

    def log(self, topics: str, text: str) -> None:
        self.logs.append(LogEntry(self.uptime(), topics, text))
        del self.logs[:-1000]

    def _fault(self, name: str, rng: random.Random, at_boot: bool) -> None:
        # Copper first; a router with one copper port has its other cabled ports in SFP cages.
        linked = sorted((p for p in self.ports if p.linked), key=lambda p: p.kind != "copper")
        if name == "fan_failed" and self.fans:  # the fanless CRS326 and RB4011 have no fan to fail
            self.fans[0].ok, self.fans[0].rpm = False, 0
            self.log("system,error,critical", "fan1 failure detected")
        elif name == "psu_failed":
            if self.psus:
                self.psus[-1].ok = False
                self.log("system,error,critical", f"psu{self.psus[-1].number} failed")
            else:  # one DC input: a failing adapter sags below the board's input range
                self.input_volts = 8.7
                self.log("system,error,critical", "voltage too low")
        elif name == "overtemp":
            self.temps[0].forced = self.spec.overtemp_threshold + 6
            self.log("system,error,critical", "cpu temperature too high")
        elif name in PORT_FAULTS:
            self._break_spread(name, linked)
        elif name == "poe_fault":
            p = next(p for p in self.ports if p.poe)
            p.poe_fault = True
            self.log("poe-out,error", f"{p.name} poe-out status: short_circuit")
        elif name == "optic_dom_alarm":
            p = next(p for p in self.ports if p.optic)
            p.dom_alarm = True
            self.log("interface,warning", f"{p.name} sfp rx power low")
        elif name == "serial_mismatch":
            self.snmp_serial_override = ros_serial(rng, self.spec.serial_style)
        elif name == "counterfeit_serial":
            self.serial = "".join(rng.choice("0123456789") for _ in range(9))
        elif name == "crashinfo":
            self.files["autosupout.rif"] = rng.randint(300_000, 900_000)
            self.reboot_reason = "kernel failure in previous boot"
            self._boot_logs()
        elif name == "leftover_config":
            n = rng.randint(1, 40)
            self.config = Config(f"acme-edge{n:02d}", [
                "/interface bridge", "add name=bridge-lan",
                "/ip address", f"add address=10.20.{n}.1/24 interface=bridge-lan network=10.20.{n}.0",
                "/ip dns", "set servers=10.20.0.53",
                "/snmp community", "set [ find default=yes ] name=Acm3RO",
                "/system identity", f"set name=acme-edge{n:02d}",
            ])
            self.users.setdefault("noc", f"Acme-{rng.randint(1000, 9999)}")
            self.files[f"acme-edge{n:02d}-backup.backup"] = rng.randint(20_000, 60_000)
            self.files["flash/acme-vpn.rsc"] = rng.randint(1_000, 9_000)
        elif name == "unknown_password":
            self.users[FACTORY_USER] = f"Pr3v-{rng.randint(10000, 99999)}"
        elif name == "reboot" and not at_boot:
            self.reboot_reason = "router was rebooted without proper shutdown"
            self.reload()

    # ---------- credentials, config, power
    def check_login(self, username: str, password: str) -> bool:
        # netmiko appends terminal options to the user name (admin+ct511w4098h); RouterOS strips them.
        user = username.split("+", 1)[0]
        return user in self.users and self.users[user] == password

    def open_session(self, console: bool) -> RouterOsSession:
        from simulators.families.mikrotik_routeros.cli import RouterOsSession  # the CLI renders this object

        return RouterOsSession(self, console=console)

    @property
    def hostname(self) -> str:
        return self.config.identity

    def reset_configuration(self, keep_users: bool) -> None:
        """`/system reset-configuration no-defaults=yes`: an empty configuration, users (unless kept) back to
        admin without password, the owner's files gone; then the unit reboots."""
        self.config = Config()
        if not keep_users:
            self.users = {FACTORY_USER: FACTORY_PASSWORD}
        self.files = {k: v for k, v in self.files.items() if k == "autosupout.rif"}
        self.reboot_reason = "reset configuration by user"
        self.reload()

    def boot_script(self) -> object:
        """What the console shows on a power cycle (simulators/boot.py plays it, then opens a session): RouterBOOT
        and its setup window, then the kernel up to RouterOS's login."""
        from simulators.boot import BootScript
        from simulators.families.mikrotik_routeros.cli import boot_text

        loader, _, kernel = boot_text(self).partition("loading kernel")
        return BootScript([loader, 2.0], ["loading kernel" + kernel])

    def reload(self) -> None:
        self._restart()
        self._flap_state.clear()
        self._boot_logs()

    # ---------- SNMP
    def snmp_values(self) -> SnmpView:
        return _snmp_view(self)


_MTXR = "1.3.6.1.4.1.14988.1.1"
_GAUGE = f"{_MTXR}.3.100.1"  # MIKROTIK-MIB mtxrGaugeTable (RouterOS 7): name, value, unit
_GAUGE_UNIT = {"C": 1, "RPM": 2, "V": 3, "status": 6}


def health(dev: RouterOsDevice) -> list[tuple[str, str, str]]:
    """`/system health print` rows: (name, value, unit); a state's unit is ""."""
    up = dev.uptime()
    rows = [(t.name, str(t.value(up)), "C") for t in dev.temps[:1]]
    rows += [(f"fan{f.number}-speed", str(f.rpm), "RPM") for f in dev.fans]
    rows += [(f"psu{p.number}-state", "ok" if p.ok else "fail", "") for p in dev.psus]
    if not dev.psus:
        rows.insert(0, ("voltage", f"{dev.input_volts:.1f}", "V"))
    rows += [(t.name, str(t.value(up)), "C") for t in dev.temps[1:]]
    return rows


def _snmp_view(dev: RouterOsDevice) -> dict[str, tuple[str, object]]:
    up = dev.uptime()
    s = dev.spec
    v: dict[str, tuple[str, object]] = {
        **system_group(sys_descr(dev), SYS_OBJECT_ID, up, dev.hostname, 78),
        "1.3.6.1.2.1.2.1.0": ("Integer", len(dev.ports)),
        # MIKROTIK-MIB mtxrSystem: serial, firmware, board name; mtxrLicense software id and version.
        f"{_MTXR}.7.3.0": ("OctetString", dev.snmp_serial()),
        f"{_MTXR}.7.4.0": ("OctetString", VERSION),
        f"{_MTXR}.7.7.0": ("OctetString", VERSION),
        f"{_MTXR}.7.8.0": ("OctetString", s.pid),
        f"{_MTXR}.4.1.0": ("OctetString", dev.software_id),
        f"{_MTXR}.4.4.0": ("OctetString", VERSION),
    }
    for n, (name, value, unit) in enumerate(health(dev), 1):
        number = 1 if value == "ok" else 0 if value == "fail" else float(value)
        scaled = int(round(number * 10)) if unit == "V" else int(number)
        v[f"{_GAUGE}.1.{n}"] = ("Integer", n)
        v[f"{_GAUGE}.2.{n}"] = ("OctetString", name)
        v[f"{_GAUGE}.3.{n}"] = ("Integer", scaled)
        v[f"{_GAUGE}.4.{n}"] = ("Integer", _GAUGE_UNIT[unit or "status"])
    for p in dev.ports:
        c = p.counters(up)
        put_interface(v, Interface(p.if_index, p.name, p.name, p.speed_mbps(), dev.mac(p.if_index), p.up(up),
                                   c["rx_bytes"], c["tx_bytes"], c["rx_packets"], c["tx_packets"],
                                   c["rx_fcs_error"], 0))
    return v


def sys_descr(dev: RouterOsDevice) -> str:
    return f"RouterOS {dev.spec.pid}"
