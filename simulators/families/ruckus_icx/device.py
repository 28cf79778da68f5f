"""The `ruckus_icx` family: Brocade/Ruckus ICX switches on FastIron 08.0.x (ICX7150, ICX7250, ICX7450, ICX7650).

One `IcxDevice` per switch holds identity, hardware, ports, logs, configuration and faults; the CLI
(cli.py) and the SNMP view both read it, so every channel agrees. Ports are named unit/slot/port
(1/1/1 the first copper port, 1/2/x the uplink module) as FastIron names them.
"""

from __future__ import annotations

import copy
import random
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from simulators.device_base import DriftingTemperature, system_group
from simulators.faults import FaultSpec
from simulators.network_device import PORT_FAULTS, NetworkDevice, SavedConfig
from simulators.ports import HarnessPort
from simulators.snmp_tables import Entity, Interface, SnmpView, put_entities, put_interface

if TYPE_CHECKING:
    from simulators.families.ruckus_icx.cli import IcxSession

# FastIron 08.0.90 and later: a factory-default unit accepts `super` / `sp-admin` on the console and SSH.
FACTORY_USER = "super"
FACTORY_PASSWORD = "sp-admin"

_OUIS = ("609C9F", "CC4E24", "D4C19E", "C0C520", "94B34F", "2C5D93")
_ALNUM = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
# Brocade/Ruckus serial: 3-letter plant code, year+week digits, a letter, 3 characters (BZT3217M025, FEE3816Q018).
SERIAL_FORMAT = re.compile(r"^[A-Z]{3}[0-9]{4}[A-Z][0-9A-Z]{3}$")


@dataclass(frozen=True)
class Optic:
    pid: str  # Ruckus part number as `show media` prints it
    descr: str  # `show media` type
    kind: str  # sfp (1G) | sfp+ (10G)


OPTICS: dict[str, Optic] = {o.pid: o for o in (
    Optic("57-0000075-01", "10GE SR 300m (SFP +)", "sfp+"),
    Optic("57-0000076-01", "10GE LR 10km (SFP +)", "sfp+"),
    Optic("33210-100", "1000Base-SX 550m (SFP)", "sfp"),
)}


@dataclass(frozen=True)
class IcxModel:
    pid: str  # ICX7150-24P
    hw: str  # the `HW:` line of show version ("Stackable ICX7150-24-POE")
    module_descr: str  # slot 1 management module as show version names it
    family: str
    sys_object_id: str
    copper: int
    uplinks: tuple[str, ...]  # kinds of the slot-2 ports
    uplink_descr: str
    poe: bool
    poe_watts: int
    psu_pid: str | None  # None: built-in supply
    psus: int
    fans: int
    image: str  # SPS08095 (switch) or SPR08095 (router)
    version: str
    boot: str
    cpu: str
    dram_mb: int
    default_hostname: str  # the prompt of a unit without a hostname ("ICX7150-24P Router")
    warn_c: float
    shutdown_c: float

    @property
    def psu_bays(self) -> int:
        return self.psus


MODELS: dict[str, IcxModel] = {m.pid: m for m in (
    IcxModel(
        pid="ICX7150-24P", hw="Stackable ICX7150-24-POE", module_descr="ICX7150-24P-4X1G POE 24-port Management Module",
        family="ruckus_icx", sys_object_id="1.3.6.1.4.1.1991.1.3.62.2.2.1.1", copper=24, uplinks=("sfp+",) * 4,
        uplink_descr="ICX7150-4X10GF 4-port 40G Module", poe=True, poe_watts=370, psu_pid=None, psus=1, fans=1,
        image="SPR08095", version="08.0.95bT213", boot="10.1.18T225 (mnz10118)",
        cpu="1000 MHz ARM processor ARMv7 88 MHz bus", dram_mb=1024, default_hostname="ICX7150-24P Router",
        warn_c=85.0, shutdown_c=90.0),
    IcxModel(
        pid="ICX7250-48P", hw="Stackable ICX7250-48-HPOE", module_descr="ICX7250-48P POE 48-port Management Module",
        family="ruckus_icx", sys_object_id="1.3.6.1.4.1.1991.1.3.58.2.2.1.1", copper=48, uplinks=("sfp+",) * 8,
        uplink_descr="ICX7250-SFP-Plus 8-port 80G Module", poe=True, poe_watts=740, psu_pid=None, psus=1, fans=2,
        image="SPR08095", version="08.0.95bT213", boot="10.1.18T215 (spz10118)",
        cpu="1000 MHz ARM processor ARMv7 88 MHz bus", dram_mb=2048, default_hostname="ICX7250-48P Router",
        warn_c=78.0, shutdown_c=85.0),
    IcxModel(
        pid="ICX7450-48P", hw="Stackable ICX7450-48-HPOE", module_descr="ICX7450-48P POE 48-port Management Module",
        family="ruckus_icx", sys_object_id="1.3.6.1.4.1.1991.1.3.59.2.2.1.1", copper=48, uplinks=("sfp+",) * 4,
        uplink_descr="ICX7400-4X10GF 4-port 40G Module", poe=True, poe_watts=748, psu_pid="RPS16-E", psus=2, fans=2,
        image="SPR08095", version="08.0.95bT213", boot="10.1.18T205 (spz10118)",
        cpu="1000 MHz ARM processor ARMv7 88 MHz bus", dram_mb=2048, default_hostname="ICX7450-48P Router",
        warn_c=80.0, shutdown_c=90.0),
    IcxModel(
        pid="ICX7650-48F", hw="Stackable ICX7650-48F", module_descr="ICX7650-48F 48-port Management Module",
        family="ruckus_icx", sys_object_id="1.3.6.1.4.1.1991.1.3.64.2.1.1.1", copper=0, uplinks=("sfp+",) * 48,
        uplink_descr="ICX7650-48F 48-port 10G Module", poe=False, poe_watts=0, psu_pid="RPS23-E", psus=2, fans=2,
        image="TNR08095", version="08.0.95bT233", boot="10.1.18T245 (tnz10118)",
        cpu="1800 MHz ARM processor ARMv8 667 MHz bus", dram_mb=4096, default_hostname="ICX7650-48F Router",
        warn_c=75.0, shutdown_c=85.0),
)}


def icx_serial(rng: random.Random, plants: tuple[str, ...] = ("FEE", "FEK", "EZR", "BZT", "CYU")) -> str:
    return (f"{rng.choice(plants)}{rng.randint(16, 23):02d}{rng.randint(1, 52):02d}"
            f"{rng.choice('LMNQRST')}{''.join(rng.choice(_ALNUM) for _ in range(3))}")


@dataclass
class Port(HarnessPort):
    name: str  # 1/1/1, 1/2/1
    kind: str  # copper | sfp | sfp+
    poe_fault: bool = False

    def speed_mbps(self) -> int:
        return 10_000 if self.kind == "sfp+" and (self.optic is None or OPTICS[self.optic].kind == "sfp+") else 1000


@dataclass
class Fan:
    number: int
    ok: bool = True


@dataclass
class Psu:
    bay: int
    pid: str | None
    serial: str
    ok: bool = True
    present: bool = True


@dataclass
class Temp(DriftingTemperature):
    name: str
    base: float
    forced: float | None = None


@dataclass
class Config:
    hostname: str = ""  # "" : the default prompt
    users: dict[str, str] = field(default_factory=lambda: {FACTORY_USER: FACTORY_PASSWORD})
    vlans: dict[int, str] = field(default_factory=lambda: {1: "DEFAULT-VLAN"})
    extra: list[str] = field(default_factory=list)


@dataclass
class LogEntry:
    at: float  # uptime (s)
    level: str  # A C D M E I N W
    text: str


class IcxDevice(SavedConfig, NetworkDevice):
    """One ICX switch. Deterministic from (seed, slot index, model)."""

    def __init__(self, slot: str, index: int, seed: int, model: str, faults: list[FaultSpec] | None = None) -> None:
        super().__init__(slot, index, model, faults)
        self.spec = MODELS[model]
        self.family = self.spec.family
        rng = random.Random(f"{seed}:{index}:{model}")
        self.serial = icx_serial(rng)
        self.base_mac = f"{rng.choice(_OUIS)}{rng.randint(0, 255):02X}{rng.randrange(0, 256, 64):02X}00"
        self.reload_reason = "cold start"
        self._power_on(float(rng.randint(120, 900)))
        self.running = Config()
        self.startup: Config | None = None  # None: no startup-config (factory default)
        self.ssh_key = True  # the SSH host key; `crypto key zeroize` removes it until the next boot
        self.crash: str = ""
        self.logs: list[LogEntry] = []
        self.ports: list[Port] = []
        self.fans = [Fan(n) for n in range(1, self.spec.fans + 1)]
        self.psus = [Psu(n, self.spec.psu_pid, icx_serial(rng, ("EZR", "FEK")) if self.spec.psu_pid else "")
                     for n in range(1, self.spec.psus + 1)]
        self.temps = [Temp("Sensor 1", rng.uniform(36, 44)), Temp("Sensor 2", rng.uniform(30, 36))]
        self._build_ports(rng)
        self._boot_logs()
        self._apply_boot_faults()

    def _build_ports(self, rng: random.Random) -> None:
        s = self.spec
        for n in range(1, s.copper + 1):
            self.ports.append(Port(f"1/1/{n}", n, "copper"))
        slot = 2 if s.copper else 1
        for i, kind in enumerate(s.uplinks, 1):
            self.ports.append(Port(f"1/{slot}/{i}", (slot - 1) * 64 + i, kind))
        lowers = [p for p in self.ports if p.kind == "copper"] or self.ports[: len(self.ports) // 2]
        for p in rng.sample(lowers, 3):
            p.linked, p.rate = True, rng.randint(2_000, 40_000)
            if p.kind != "copper":
                p.optic = rng.choice([o.pid for o in OPTICS.values() if o.kind == p.kind])
                p.optic_serial = icx_serial(rng, ("ADF", "AAF"))
        uplinks = [p for p in self.ports if p.kind != "copper" and not p.linked]
        wants_optic = any(f.name.startswith("optic") for f in self.faults)
        for p in rng.sample(uplinks, min(len(uplinks), rng.randint(1 if wants_optic else 0, 2))):
            p.optic = rng.choice([o.pid for o in OPTICS.values() if o.kind == p.kind])
            p.optic_serial = icx_serial(rng, ("ADF", "AAF"))
            p.linked, p.rate = True, rng.randint(50_000, 400_000)

    def _boot_logs(self) -> None:
        self.logs = []
        for at, level, text in (
            (6.0, "I", "System: Stack unit 1 Fan 1 (Rear Side Right), ok" if self.fans else "System: no fan"),
            (6.1, "I", "System: Stack unit 1 Power supply 1 is up"),
            (8.0, "I", "Warm start" if self.reload_reason != "cold start" else "Cold start"),
            (9.0, "I", "Security: SSH server is enabled"),
        ):
            self.logs.append(LogEntry(at, level, text))
        for p in self.ports:
            if p.linked and not p.dead:
                self.logs.append(LogEntry(12.0 + p.if_index / 1000, "I", f"PORT: {p.name} is up"))

    # ---------- time and faults
    def _link_changed(self, port: Port, up: bool) -> None:
        self.log("I", f"PORT: {port.name} is {'up' if up else 'down'}")

    def log(self, level: str, text: str) -> None:
        self.logs.append(LogEntry(self.uptime(), level, text))
        del self.logs[:-1000]

    def _fault(self, name: str, rng: random.Random, at_boot: bool) -> None:
        linked = [p for p in self.ports if p.linked and p.optic is None] or [p for p in self.ports if p.linked]
        if name == "fan_failed" and self.fans:
            self.fans[0].ok = False
            self.log("A", "System: Stack unit 1 Fan 1 (Rear Side Right), failed")
        elif name == "psu_failed":
            self.psus[0].ok = False
            self.log("A", "System: Stack unit 1 Power supply 1 is down")
        elif name == "overtemp":
            self.temps[0].forced = self.spec.warn_c + 3
            self.log("W", f"System: Stack unit 1 Temperature {self.spec.warn_c + 3:.1f} C degrees, "
                          "warning level 85.0 C degrees, shutdown level 90.0 C degrees")
        elif name in PORT_FAULTS:
            self._break_spread(name, linked)
        elif name == "poe_fault" and self.spec.poe:
            p = self.ports[rng.randrange(self.spec.copper)]
            p.poe_fault = True
            self.log("W", f"PoE: Port {p.name} PD overload state, power removed")
        elif name == "optic_dom_alarm":
            p = next(p for p in self.ports if p.optic)
            p.dom_alarm = True
            self.log("W", f"OPTICAL MONITORING: port {p.name}: Rx power low alarm")
        elif name == "serial_mismatch":
            self.snmp_serial_override = icx_serial(rng)
        elif name == "counterfeit_serial":
            self.serial = "".join(rng.choice("0123456789") for _ in range(12))
        elif name in ("crashinfo", "parity_crash"):
            what = ("Parity error in packet buffer memory" if name == "parity_crash"
                    else f"Data abort exception in task {rng.choice(['snms', 'appl', 'lacp'])}")
            self.crash = f"{what} at pc 0x{rng.randrange(0x100000, 0xffffff, 4):08x}"
            self.reload_reason = "warm start"
            at = 7.0 if at_boot else self.uptime()
            self.logs.append(LogEntry(at, "A", f"System: Crash: {self.crash}; core saved to flash as core.1"))
        elif name == "leftover_config":
            n = rng.randint(1, 40)
            self.running = Config(f"ACME-IDF{rng.randint(1, 9)}-SW{n:02d}",
                                  {**self.running.users, "netops": f"Acme-{rng.randint(1000, 9999)}"},
                                  {1: "DEFAULT-VLAN", 10: "DATA", 20: "VOICE", 99: "MGMT"},
                                  ["snmp-server community Acm3RO ro", "logging host 10.20.0.15",
                                   "sntp server 10.20.0.1"])
            self.startup = copy.deepcopy(self.running)
        elif name == "unknown_password":
            self.running.users[FACTORY_USER] = f"Pr3v-{rng.randint(10000, 99999)}"
            self.startup = copy.deepcopy(self.running)
        elif name == "reboot" and not at_boot:
            self.reload("reload")

    # ---------- credentials, config, power
    def check_login(self, username: str, password: str) -> bool:
        return self.running.users.get(username) == password

    def open_session(self, console: bool) -> IcxSession:
        from simulators.families.ruckus_icx.cli import IcxSession

        return IcxSession(self, console=console)

    @property
    def hostname(self) -> str:
        return self.running.hostname or self.spec.default_hostname

    def erase_startup(self) -> None:
        self.startup = None
        self.log("I", "System: startup-config was erased")

    def reload(self, how: str = "reload") -> None:
        self._restart()
        self.reload_reason = "warm start" if how == "reload" else "cold start"
        self.crash = ""
        self.running = copy.deepcopy(self.startup) if self.startup is not None else Config()
        self.ssh_key = True  # FastIron generates a host key at boot when none is stored
        self._flap_state.clear()
        self._boot_logs()

    def boot_script(self) -> object:
        """What the console shows on a power-on (simulators/boot.py plays it, then opens a session)."""
        from simulators.boot import BootScript
        from simulators.families.ruckus_icx.cli import boot_text

        loader, _, kernel = boot_text(self).partition("Booting image")
        return BootScript([loader, 1.0], ["Booting image" + kernel.split("\n", 1)[0] + "\n", 1.5,
                                          kernel.split("\n", 1)[1]])

    # ---------- SNMP
    def snmp_values(self) -> SnmpView:
        return _snmp_view(self)


def sys_descr(dev: IcxDevice) -> str:
    s = dev.spec
    return (f"Ruckus Wireless, Inc. {s.pid}, IronWare Version {s.version} Compiled on Mar 26 2021 at 10:47:12 "
            f"labeled as {s.image}b")


_FDRY = "1.3.6.1.4.1.1991.1.1.1"  # FOUNDRY-SN-AGENT-MIB snChassis


def _snmp_view(dev: IcxDevice) -> dict[str, tuple[str, object]]:
    up, s = dev.uptime(), dev.spec
    v: dict[str, tuple[str, object]] = {
        **system_group(sys_descr(dev), s.sys_object_id, up, dev.hostname, 6),
        "1.3.6.1.2.1.2.1.0": ("Integer", len(dev.ports)),
        f"{_FDRY}.1.1.0": ("OctetString", "Stackable"),
        f"{_FDRY}.1.2.0": ("OctetString", dev.snmp_serial()),  # snChasSerNum
        # snChasActualTemperature / WarningTemperature / ShutdownTemperature, in 0.5 C steps.
        f"{_FDRY}.1.18.0": ("Integer", int(dev.temps[0].value(up) * 2)),
        f"{_FDRY}.1.19.0": ("Integer", int(s.warn_c * 2)),
        f"{_FDRY}.1.20.0": ("Integer", int(s.shutdown_c * 2)),
    }
    # ENTITY-MIB: the chassis (stack unit 1), its supplies, fans and optics.
    rows = [(1, f"Ruckus {s.pid} Stackable Switch", 0, 3, "Unit 1", dev.snmp_serial(), s.pid)]
    rows += [(100 + p.bay, f"Power supply {p.bay}", 1, 6, f"Power supply {p.bay}", p.serial, p.pid or "")
             for p in dev.psus]
    rows += [(200 + f.number, f"Fan {f.number}", 1, 7, f"Fan {f.number}", "", "") for f in dev.fans]
    rows += [(1000 + p.if_index, OPTICS[p.optic].descr, 1, 10, f"Media {p.name}", p.optic_serial, p.optic)
             for p in dev.ports if p.optic]
    put_entities(v, [Entity(*row) for row in rows])
    # snChasPwrSupplyTable / snChasFanTable: .2 description, .3 oper status (2 normal, 3 failure).
    for p in dev.psus:
        v[f"{_FDRY}.2.1.1.1.{p.bay}"] = ("Integer", p.bay)
        v[f"{_FDRY}.2.1.1.2.{p.bay}"] = ("OctetString", f"Power supply {p.bay} present, status "
                                                         f"{'ok' if p.ok else 'failed'}")
        v[f"{_FDRY}.2.1.1.3.{p.bay}"] = ("Integer", 2 if p.ok else 3)
    for f in dev.fans:
        v[f"{_FDRY}.3.1.1.1.{f.number}"] = ("Integer", f.number)
        v[f"{_FDRY}.3.1.1.2.{f.number}"] = ("OctetString", f"Fan {f.number}, {'ok' if f.ok else 'failed'}")
        v[f"{_FDRY}.3.1.1.3.{f.number}"] = ("Integer", 2 if f.ok else 3)
    for p in dev.ports:
        c, mbps = p.counters(up), p.speed_mbps()
        name = f"{'GigabitEthernet' if mbps == 1000 else '10GigabitEthernet'}{p.name}"
        put_interface(v, Interface(p.if_index, name, name, mbps, dev.mac(p.if_index), p.up(up),
                                   c["rx_bytes"], c["tx_bytes"], c["rx_frames"], c["tx_frames"],
                                   c["rx_errors"], c["tx_errors"]))
    return v
