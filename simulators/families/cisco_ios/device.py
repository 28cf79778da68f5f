"""One simulated device: the single source of truth every front end reads and changes."""

from __future__ import annotations

import copy
import hashlib
import random
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from simulators.boot import BootScript, ios_script
from simulators.device_base import DriftingTemperature, SimDeviceBase, system_group
from simulators.families.cisco_ios import images, owner_data
from simulators.families.cisco_ios.catalog import MODELS, OPTICS, UNCATALOGUED_SIBLINGS, ModelSpec
from simulators.faults import FAULTS, FaultSpec
from simulators.lazy_view import LazySection, LazyView

if TYPE_CHECKING:
    from simulators.families.cisco_ios.cli import IosSession

FACTORY_USER = "cisco"
FACTORY_PASSWORD = "cisco"
FACTORY_ENABLE = "cisco"

_CISCO_OUIS = ("70:DB:98", "00:1E:F7", "F4:CF:E2", "BC:67:1C", "A0:EC:F9")
_ALNUM = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
# The clock of a switch that never saw NTP starts here at boot (IOS prints it with a '*').
_EPOCH_1993 = 730_944_000  # 1993-03-01 00:00:00 UTC


@dataclass
class InventoryItem:
    index: int  # entPhysicalIndex
    name: str
    descr: str
    pid: str
    vid: str
    serial: str
    cls: int  # entPhysicalClass: 3 chassis, 6 powerSupply, 7 fan, 9 module, 10 port, 11 stack
    contained_in: int
    fru: bool  # listed by `show inventory`


@dataclass
class Fan:
    member: int
    number: int
    ok: bool = True


@dataclass
class Psu:
    member: int
    bay: str  # "A"/"B" for FRU bays, "" for a built-in supply
    pid: str | None  # None: built-in
    serial: str
    watts: int
    ok: bool = True


@dataclass
class TempSensor(DriftingTemperature):
    member: int
    kind: str  # "Inlet" or "Hotspot"
    base: float
    yellow: int
    red: int
    forced: float | None = None

    def state(self, uptime: float) -> str:
        v = self.value(uptime)
        return "RED" if v >= self.red else "YELLOW" if v >= self.yellow else "GREEN"


@dataclass
class Port:
    name: str  # GigabitEthernet1/0/1
    short: str  # Gi1/0/1
    kind: str  # "copper", "sfp", "sfp+"
    optic: str | None = None  # PID of the inserted optic
    ifindex: int = 0
    mac: str = ""
    # The bench harness: "loopback" (a plug), "cable" (patched to `peer`), "none" (nothing attached).
    harness: str = "none"
    peer: str | None = None
    poe_class: int | None = None  # class of the PoE test load on this port, None: no load
    dead: bool = False  # port_dead: the PHY never links
    err_disabled: str | None = None  # err-disable cause, e.g. "gbic-invalid"
    crc_since: float | None = None  # crc_errors: uptime from which CRC errors grow
    flap_since: float | None = None  # link_flap: uptime from which the link bounces
    poe_faulty: bool = False
    dom_hot: bool = False  # optic_dom_alarm: temperature above its high alarm
    shutdown: bool = False  # `shutdown` in interface configuration: administratively down


@dataclass(frozen=True)
class PortCounters:
    in_pkts: int
    in_bytes: int
    out_pkts: int
    out_bytes: int
    broadcasts: int
    multicasts: int
    runts: int
    giants: int
    crc: int
    in_errors: int
    out_errors: int
    resets: int
    in_pps: int
    out_pps: int


# Optic DOM: thresholds (high alarm, high warn, low warn, low alarm) and a typical reading, per PID.
DOM: dict[str, dict[str, tuple[float, float, float, float, float]]] = {
    "GLC-SX-MMD": {"temp": (90.0, 85.0, -5.0, -10.0, 31.0), "volt": (3.60, 3.50, 3.10, 3.00, 3.29),
                   "current": (15.0, 12.0, 2.0, 1.0, 6.2), "tx": (1.0, -1.0, -9.5, -11.5, -5.3),
                   "rx": (1.0, -1.0, -17.0, -20.0, -5.9)},
    "GLC-LH-SMD": {"temp": (85.0, 80.0, -5.0, -10.0, 30.0), "volt": (3.63, 3.46, 3.13, 2.97, 3.28),
                   "current": (70.0, 65.0, 4.0, 2.0, 22.5), "tx": (0.5, -0.5, -10.0, -11.0, -5.8),
                   "rx": (-3.0, -4.0, -22.0, -23.0, -6.4)},
    "SFP-10G-SR": {"temp": (75.0, 70.0, 0.0, -5.0, 29.5), "volt": (3.63, 3.46, 3.13, 2.97, 3.30),
                   "current": (10.5, 10.0, 2.5, 2.0, 6.8), "tx": (1.7, -1.3, -7.3, -11.3, -2.4),
                   "rx": (2.0, -1.0, -9.9, -13.9, -2.9)},
    "SFP-10G-LR": {"temp": (75.0, 70.0, 0.0, -5.0, 33.0), "volt": (3.63, 3.46, 3.13, 2.97, 3.31),
                   "current": (85.0, 80.0, 20.0, 15.0, 38.1), "tx": (3.5, 0.5, -8.2, -12.2, -2.0),
                   "rx": (2.5, 0.5, -14.4, -18.4, -2.6)},
}
FLAP_PERIOD = 30.0  # link_flap: the link drops every 30 s ...
FLAP_DOWN = 4.0  # ... for 4 s
LINK_UP_AT = 45.0  # uptime at which linked ports came up after boot


@dataclass
class FlashFile:
    size: int
    date: str
    is_dir: bool = False
    children: dict[str, FlashFile] = field(default_factory=dict)
    md5: str = ""
    config: Config | None = None  # config.text renamed in ROMMON carries the startup config with it
    sha512: str = ""  # of the bytes a copy received (images.py); "" for files the unit shipped with
    image: tuple[str, str] | None = None  # (family, version) a received image's header names


@dataclass
class Config:
    """The part of the configuration the simulator models; rendered by the CLI."""

    hostname: str = "Switch"
    enable_secret: str | None = None
    users: dict[str, str] = field(default_factory=dict)
    vlans: dict[int, str] = field(default_factory=dict)
    password_recovery: bool = True
    domain: str | None = None
    extra: list[str] = field(default_factory=list)  # other lines kept verbatim


@dataclass
class LogEntry:
    at: float  # device uptime (s) when logged
    text: str  # "%FAC-SEV-MNEMONIC: message"


def _serial(rng: random.Random, prefixes: tuple[str, ...]) -> str:
    year = rng.randint(17, 23)  # Cisco year code: 17 = 2013
    week = rng.randint(1, 52)
    return f"{rng.choice(prefixes)}{year:02d}{week:02d}{''.join(rng.choice(_ALNUM) for _ in range(4))}"


def _flash_date(rng: random.Random) -> str:
    return f"Mar 1 1993 00:{rng.randint(1, 59):02d}:{rng.randint(0, 59):02d} +00:00"


class Device(SimDeviceBase):
    """A Catalyst switch (or stack). Deterministic from (seed, slot index, model)."""

    ssh_drop_commands = 4

    def __init__(self, slot: str, index: int, seed: int, model: str,
                 faults: list[FaultSpec] | None = None) -> None:
        super().__init__(slot, index, model, faults)
        self.spec: ModelSpec = MODELS[model]
        if any(f.name == "stack" for f in (faults or [])):  # the `stack` trait: three members, one unit
            self.spec = replace(self.spec, stack_members=3)
        if any(f.name == "uncatalogued_model" for f in (faults or [])):  # a real PID the bench's catalog lacks
            self.spec = replace(self.spec, pid=UNCATALOGUED_SIBLINGS[model])
        self.family = self.spec.family
        self.model = self.spec.pid
        rng = random.Random(f"{seed}:{index}:{model}")
        self._rng = rng
        self.serial = _serial(rng, self.spec.serial_prefixes)
        if any(f.name == "counterfeit_serial" for f in (faults or [])):
            # Not Cisco's LLLYYWWSSSS: two letters and eight digits, as on a cloned chassis label.
            fake = random.Random(f"{seed}:{index}:{model}:counterfeit")
            self.serial = self.serial[:2] + "".join(str(fake.randint(0, 9)) for _ in range(8))
        self._port_rng = random.Random(f"{seed}:{index}:{model}:ports")
        self._flap_logged = 0.0
        self.tdr_runs: dict[str, float] = {}  # port short name -> uptime of its last TDR test
        self.member_serials = [self.serial] + [
            _serial(rng, self.spec.serial_prefixes) for _ in range(self.spec.stack_members - 1)]
        self.base_mac = f"{rng.choice(_CISCO_OUIS)}:{rng.randint(0, 255):02X}:{rng.randint(0, 255):02X}:" \
                        f"{rng.randrange(0, 256, 128):02X}"
        self.version = self.spec.version
        self.config_register = "0xF" if self.spec.platform == "C2960X" else "0x10F"
        self.next_config_register: str | None = None  # set by `config-register`, applied at the next boot
        self.reload_reason = "power-on"
        self._power_on(float(rng.randint(120, 900)))  # powered on a few minutes before the bench
        self.post_failures: set[str] = set()

        self.running = Config(hostname="Switch", enable_secret=FACTORY_ENABLE,
                              users={FACTORY_USER: FACTORY_PASSWORD})
        self.startup: Config | None = copy.deepcopy(self.running)
        self.ports: list[Port] = []
        self.fans: list[Fan] = []
        self.psus: list[Psu] = []
        self.temps: list[TempSensor] = []
        self.inventory: list[InventoryItem] = []
        self.logs: list[LogEntry] = []
        self.flash: dict[str, FlashFile] = {}
        self.member_flash: dict[int, dict[str, FlashFile]] = {}  # flash2: ... of stack members (images.py)
        self.boot_system = ""  # the BOOT variable (`boot system`); "": the image it shipped with
        # IF-MIB's OIDs by the interfaces that exist (snmp_view's lazy section): one entry, rebuilt on change.
        self._if_mib_keys: dict[tuple[int, tuple[int, ...]], frozenset[str]] = {}
        self._build_hardware(rng)
        self._build_flash(rng)
        self._boot_logs()
        self._apply_boot_faults()
        # Refurbishment (refurb-steps): licences, keys and certificates, genuineness, cold boots (owner_data.py).
        self.owner = owner_data.build(self)
        owner_data.after_boot(self, "")

    # ---------- construction ----------
    def _member_ports(self, m: int) -> list[Port]:
        """Front-panel ports of stack member m (a router overrides this with its slots)."""
        s = self.spec
        out = [Port(f"GigabitEthernet{m}/0/{p}", f"Gi{m}/0/{p}", "copper") for p in range(1, s.access_ports + 1)]
        for u, kind in enumerate(s.uplinks, 1):
            if s.uplink_module:
                name, short = (f"TenGigabitEthernet{m}/1/{u}", f"Te{m}/1/{u}") if kind == "sfp+" else \
                    (f"GigabitEthernet{m}/1/{u}", f"Gi{m}/1/{u}")
            elif kind == "sfp+":
                name, short = f"TenGigabitEthernet{m}/0/{u}", f"Te{m}/0/{u}"
            else:
                n = s.access_ports + u
                name, short = f"GigabitEthernet{m}/0/{n}", f"Gi{m}/0/{n}"
            out.append(Port(name, short, kind))
        return out

    def _ifindex(self, m: int, n: int, p: Port) -> int:
        """Classic IOS numbers switch ports 10101.. per member; IOS-XE counts from 1 (after Vlan1 etc.)."""
        if self.spec.variant == "ios":
            return 10000 * m + 100 + n
        return len(self.ports) + 8 if self.spec.variant == "iosxe_switch" else len(self.ports) + 1

    def _wire_harness(self) -> None:
        """The bench harness as data: copper 1-4 looped by plugs, other ports patched in pairs, rest empty."""
        copper = [p for p in self.ports if p.kind == "copper"]
        for i, p in enumerate(copper[:4]):
            p.harness = "loopback"
            if self.spec.poe and i < 2:
                p.poe_class = 4 - i  # PoE test loads (class 4 and 3) sit behind the first two plugs
        fiber = [p for p in self.ports if p.kind != "copper"]
        for a, b in zip(fiber[0::2], fiber[1::2], strict=False):
            a.harness, a.peer, b.harness, b.peer = "cable", b.short, "cable", a.short
        base = int(self.base_mac.replace(":", ""), 16)
        for n, p in enumerate(self.ports, 1):
            mac = f"{(base + n) % 2**48:012x}"
            p.mac = f"{mac[0:4]}.{mac[4:8]}.{mac[8:12]}"

    def _build_hardware(self, rng: random.Random) -> None:
        s = self.spec
        for m in range(1, s.stack_members + 1):
            for n, port in enumerate(self._member_ports(m), 1):
                port.ifindex = self._ifindex(m, n, port)
                self.ports.append(port)
            for f in range(1, s.fans + 1):
                self.fans.append(Fan(m, f))
            bays = ["A", "B"][: s.psu_bays] if s.psu_pid else [""]
            for b in bays:
                self.psus.append(Psu(m, b, s.psu_pid, _serial(rng, ("LIT", "DCA", "DTN")) if s.psu_pid else "",
                                     s.psu_watts))
            self.temps.append(TempSensor(m, "Inlet", rng.uniform(25, 31), 46, 56))
            self.temps.append(TempSensor(m, "Hotspot", rng.uniform(38, 48), 105, 125))
        uplinks = [p for p in self.ports if p.kind != "copper"]
        optics_wanted = any(FAULTS[f.name].name.startswith("optic") for f in self.faults)
        count = rng.randint(1 if optics_wanted else 0, 2)
        for p in rng.sample(uplinks, min(count, len(uplinks))):
            choices = [pid for pid, (_, kind, _) in OPTICS.items() if kind == p.kind]
            p.optic = rng.choice(choices)
        self._optic_serials = {p.short: _serial(rng, (OPTICS[p.optic][2],)) for p in self.ports if p.optic}
        self._wire_harness()
        self._build_inventory()

    def _build_inventory(self) -> None:
        s = self.spec
        inv: list[InventoryItem] = [InventoryItem(1, f"{s.platform.lower()} Stack", f"{s.platform} Stack",
                                                  "", "", "", 11, 0, False)]
        for m in range(1, s.stack_members + 1):
            base = 1000 * m
            chassis = base + 1
            inv.append(InventoryItem(chassis, str(m), s.pid, s.pid, s.vid, self.member_serials[m - 1], 3, 1, True))
            for i, fan in enumerate([f for f in self.fans if f.member == m], 1):
                inv.append(InventoryItem(base + 10 + i, f"Switch {m} - FAN {fan.number}", "Switch Fan",
                                         s.fan_pid or "", "", "", 7, chassis, False))
            for i, psu in enumerate([p for p in self.psus if p.member == m]):
                inv.append(InventoryItem(base + 20 + i, f"Switch {m} - Power Supply {i}",
                                         "FRU Power Supply" if psu.pid else "Internal Power Supply",
                                         psu.pid or "", "V02" if psu.pid else "", psu.serial, 6, chassis,
                                         psu.pid is not None))
            if s.uplink_module:
                inv.append(InventoryItem(base + 30, f"Switch {m} - FRU Uplink Module 1", "FRULink 1G Module",
                                         s.uplink_module, "V01", f"FOC{self.member_serials[m - 1][3:7]}M{m}0A",
                                         9, chassis, True))
        for n, p in enumerate(self.ports):
            if p.optic:
                member = int(p.short[2:].split("/")[0])
                inv.append(InventoryItem(1000 * member + 100 + n, p.name, OPTICS[p.optic][0], p.optic, "V01",
                                         self._optic_serials[p.short], 10, 1000 * member + 1, True))
        self.inventory = inv

    def _build_flash(self, rng: random.Random) -> None:
        s = self.spec
        md5 = hashlib.md5(f"{s.image_file}:{s.image_size}".encode()).hexdigest()
        self.image_md5 = md5
        self.flash = {
            "multiple-fs": FlashFile(676, _flash_date(rng)),
            s.image_file: FlashFile(s.image_size, _flash_date(rng), md5=md5),
            "vlan.dat": FlashFile(616, _flash_date(rng)),
            "config.text": FlashFile(1864, _flash_date(rng)),
            "private-config.text": FlashFile(2072, _flash_date(rng)),
        }

    def _boot_logs(self) -> None:
        self.logs = []
        for at, text in (
            (32.1, "%SPANTREE-5-EXTENDED_SYSID: Extended SysId enabled for type vlan"),
            (38.4, "%SYS-5-RESTART: System restarted --"),
            (39.0, "%SSH-5-ENABLED: SSH 2.0 has been enabled"),
            (40.2, "%LINK-5-CHANGED: Interface Vlan1, changed state to administratively down"),
            (41.7, "%LINEPROTO-5-UPDOWN: Line protocol on Interface Vlan1, changed state to down"),
        ):
            self.logs.append(LogEntry(at, text))

    # ---------- time, contact and faults ----------
    def _on_tick(self) -> None:
        self._port_events()

    def log(self, text: str) -> None:
        self.logs.append(LogEntry(self.uptime(), text))
        del self.logs[:-512]  # the buffer is finite on a real switch too

    def _fault(self, name: str, rng: random.Random, at_boot: bool) -> None:
        if name == "fan_failed":
            self.fans[0].ok = False
            if at_boot:
                self.post_failures.add("Thermal, Fan Tests")
            self.log("%PLATFORM_ENV-1-FAN: Faulty fan1 detected")
        elif name == "psu_failed":
            psu = self.psus[-1]
            psu.ok = False
            label = f"{psu.member}{psu.bay}" if psu.bay else str(psu.member)
            self.log(f"%PLATFORM_ENV-1-PWR_NONOPERATIONAL: Power supply {label} is not functional")
        elif name == "overtemp":
            t = next(t for t in self.temps if t.kind == "Inlet")
            t.forced = t.red + 5
            self.log("%PLATFORM_ENV-1-TEMP: Switch 1 inlet temperature crossed the RED threshold")
        elif name == "serial_mismatch":
            self.snmp_serial_override = _serial(rng, self.spec.serial_prefixes)
        elif name == "parity_crash":
            pc = f"0x{rng.randrange(0x01000000, 0x02000000, 4):08X}"
            self.reload_reason = f"processor memory parity error at PC {pc}, address 0x00000000"
            self._add_crashinfo(rng)
            for text in (
                "%PLATFORM-1-CRASHED: System previously crashed with the following message:",
                f"%PLATFORM-1-CRASHED: Parity error detected in processor memory at PC {pc}",
                f"%SYS-2-PARITYERR: Parity error (Processor memory) corrected at 0x{rng.randrange(2**24):08X}",
            ):
                self.logs.append(LogEntry(self.uptime() if not at_boot else 35.0, text))
        elif name == "crashinfo":
            self._add_crashinfo(rng)
        elif name == "leftover_config":
            self.running.hostname = f"ACME-IDF{rng.randint(1, 9)}-SW{rng.randint(1, 40):02d}"
            self.running.vlans = {10: "DATA", 20: "VOICE", 30: "PRINTERS", 99: "MGMT"}
            self.running.domain = "corp.acme.example"
            self.running.extra = ["snmp-server community Acm3RO RO", "logging host 10.20.0.15",
                                  "ntp server 10.20.0.1"]
            if "unknown_password" not in {f.name for f in self.faults}:
                self.running.enable_secret = FACTORY_ENABLE
            self.startup = copy.deepcopy(self.running)
            self.flash["vlan.dat"] = FlashFile(3436, "Mar 1 1993 00:05:12 +00:00")
        elif name == "unknown_password":
            self.running.users = {"netops": f"Pr3v-{rng.randint(10000, 99999)}"}
            self.running.enable_secret = f"Own3r-{rng.randint(10000, 99999)}"
            self.startup = copy.deepcopy(self.running)
        elif name == "recovery_disabled":
            self.running.password_recovery = False
            self.startup = copy.deepcopy(self.running)
        elif name == "old_image" and at_boot:
            images.apply_old_image(self)
        elif name == "reboot" and not at_boot:
            self.reload("power-on")
        elif name in ("port_dead", "crc_errors", "link_flap", "poe_fault", "optic_dom_alarm", "optic_security"):
            self._port_fault(name, rng)

    # ---------- ports
    def _port_fault(self, name: str, rng: random.Random) -> None:
        linked = [p for p in self.ports if self.link_up(p)] or [p for p in self.ports if p.harness != "none"]
        optics = [p for p in self.ports if p.optic]
        now = self.uptime()
        if name == "port_dead" and linked:
            port = rng.choice(linked)
            port.dead = True
        elif name == "crc_errors" and linked:
            rng.choice(linked).crc_since = now
        elif name == "link_flap" and linked:
            rng.choice(linked).flap_since = now
            self._flap_logged = max(self._flap_logged, now)
        elif name == "poe_fault":
            powered = [p for p in self.ports if p.poe_class is not None]
            if powered:
                port = powered[-1]
                port.poe_faulty = True
                self.log(f"%ILPOWER-3-CONTROLLER_PORT_ERR: Controller port error, Interface {port.short}: "
                         "Power Controller reports power Imax error detected")
        elif name == "optic_dom_alarm" and optics:
            port = rng.choice(optics)
            port.dom_hot = True
            hi = DOM[port.optic or ""]["temp"][0]
            self.log(f"%SFF8472-5-THRESHOLD_VIOLATION: {port.short}: Temperature high alarm; "
                     f"Operating value: {self.dom(port)['temp']:.1f} C, Threshold value: {hi:.1f} C.")
        elif name == "optic_security" and optics:
            port = rng.choice(optics)
            port.err_disabled = "gbic-invalid"
            self.log(f"%GBIC_SECURITY_CRYPT-4-VN_DATA_CRC_ERROR: GBIC in port {port.short} has bad crc")
            self.log(f"%PM-4-ERR_DISABLE: gbic-invalid error detected on {port.short}, putting {port.short} "
                     "in err-disable state")

    def port(self, name: str) -> Port | None:
        """A port by full or short name, any case (`gi1/0/1`, `GigabitEthernet1/0/1`)."""
        key = name.lower()
        for p in self.ports:
            if key in (p.name.lower(), p.short.lower()):
                return p
        return None

    @property
    def link_up_at(self) -> float:
        """Uptime at which linked ports came up after boot, at the fleet's console pace."""
        return LINK_UP_AT * self.boot_time_scale

    def _plugged(self, p: Port) -> bool:
        """The harness gives the port a partner that can link (optics present on fibre)."""
        if p.harness == "none" or p.dead or p.err_disabled or p.shutdown:
            return False
        if p.kind == "copper":
            return True
        peer = self.port(p.peer) if p.peer else None
        return p.optic is not None and peer is not None and peer.optic is not None and not peer.dead \
            and not peer.err_disabled

    def _flap_down(self, p: Port, at: float) -> bool:
        if p.flap_since is None or at < p.flap_since:
            return False
        return (at - p.flap_since) % FLAP_PERIOD >= FLAP_PERIOD - FLAP_DOWN

    def link_up(self, p: Port, at: float | None = None) -> bool:
        at = self.uptime() if at is None else at
        if not self._plugged(p) or at < self.link_up_at:
            return False
        peer = self.port(p.peer) if p.peer else None
        return not self._flap_down(p, at) and not (peer is not None and self._flap_down(peer, at))

    def status(self, p: Port) -> str:
        """As `show interfaces status` words it."""
        if p.err_disabled:
            return "err-disabled"
        if p.shutdown:
            return "disabled"
        return "connected" if self.link_up(p) else "notconnect"

    def _port_events(self) -> None:
        """Log the link_flap transitions that happened since the last look (with their own timestamps)."""
        now = self.uptime()
        for p in self.ports:
            if p.flap_since is None:
                continue
            k = int((self._flap_logged - p.flap_since) // FLAP_PERIOD)
            while True:
                down = p.flap_since + k * FLAP_PERIOD + FLAP_PERIOD - FLAP_DOWN
                up = down + FLAP_DOWN
                for at, state in ((down, "down"), (up, "up")):
                    if self._flap_logged < at <= now:
                        self.logs.append(LogEntry(at, f"%LINK-3-UPDOWN: Interface {p.name}, changed state to "
                                                      f"{state}"))
                        self.logs.append(LogEntry(at + 0.9, f"%LINEPROTO-5-UPDOWN: Line protocol on Interface "
                                                            f"{p.name}, changed state to {state}"))
                if down > now:
                    break
                k += 1
        del self.logs[:-512]
        self._flap_logged = now

    def cpu_percent(self) -> int:
        """One-minute CPU load: idle box, a steady few percent (IOS-XE's control plane is busier)."""
        return 2 + self.index % 3 + (4 if self.spec.variant != "ios" else 0)

    def memory_pools(self) -> list[tuple[str, str, int, int]]:
        """(pool, head, total, used) bytes as `show memory statistics` lists them."""
        if self.spec.variant == "ios":
            return [("Processor", "7A4C5A0", 283_947_872, 57_322_908 + 4096 * self.index),
                    ("I/O", "4000000", 33_554_432, 13_108_424)]
        return [("Processor", "7F2A5C1048", 1_236_627_560, 266_014_628 + 4096 * self.index),
                ("lsmpi_io", "7F2A1F01A8", 6_295_128, 6_294_304)]

    def speed_mbps(self, p: Port) -> int:
        return 10000 if p.kind == "sfp+" else 1000

    def counters(self, p: Port) -> PortCounters:
        """Counters since boot: traffic only on linked ports; errors from crc_errors."""
        up = self.uptime()
        t = max(0.0, up - self.link_up_at) if self._plugged(p) else 0.0
        if p.flap_since is not None and t:
            t -= FLAP_DOWN * max(0.0, up - p.flap_since) / FLAP_PERIOD
        # Loopback plugs and patch cables carry a steady trickle of keepalive/CDP/test traffic both ways.
        rate = 0 if not t else 3 + (p.ifindex * 7) % 11
        pkts = int(rate * t)
        crc = 0 if p.crc_since is None else int(3.0 * max(0.0, up - p.crc_since)) + 1
        runts = crc // 7
        resets = 1 + (int((up - p.flap_since) // FLAP_PERIOD) * 2 if p.flap_since is not None else 0)
        return PortCounters(in_pkts=pkts, in_bytes=pkts * 412, out_pkts=pkts, out_bytes=pkts * 412,
                            broadcasts=pkts // 20, multicasts=pkts // 10, runts=runts, giants=0, crc=crc,
                            in_errors=crc + runts, out_errors=0, resets=resets,
                            in_pps=rate if self.link_up(p) else 0, out_pps=rate if self.link_up(p) else 0)

    def dom(self, p: Port) -> dict[str, float]:
        """Current DOM readings of the optic in p (temperature driven over its alarm by optic_dom_alarm)."""
        table = DOM[p.optic or ""]
        jitter = (p.ifindex % 7) / 10.0
        out = {k: round(v[4] + (jitter if k == "temp" else jitter / 10), 2) for k, v in table.items()}
        if p.dom_hot:
            out["temp"] = table["temp"][0] + 3.4
        if not self.link_up(p):
            out["rx"] = -40.0
        return out

    def poe_power(self, p: Port) -> float:
        if p.poe_class is None or p.poe_faulty or not self.spec.poe:
            return 0.0
        return {4: 25.5, 3: 13.0, 2: 6.5, 1: 3.8}.get(p.poe_class, 15.4)

    def _add_crashinfo(self, rng: random.Random) -> None:
        d = self.flash.setdefault("crashinfo", FlashFile(512, _flash_date(rng), is_dir=True))
        n = len(d.children) + 1
        d.children[f"crashinfo_{n}"] = FlashFile(rng.randint(90_000, 180_000), _flash_date(rng))
        d.children[f"crashinfo_ext_{n}"] = FlashFile(rng.randint(4_000, 12_000), _flash_date(rng))

    # ---------- credentials and configuration ----------
    def open_session(self, console: bool) -> IosSession:
        from simulators.families.cisco_ios.cli import IosSession  # the CLI renders this object: import late

        return IosSession(self, console=console)

    def check_login(self, username: str, password: str) -> bool:
        return self.running.users.get(username) == password

    def check_enable(self, secret: str) -> bool:
        return self.running.enable_secret is not None and secret == self.running.enable_secret

    def offers_ssh(self) -> bool:
        """SSH needs a local user (and, on a real unit, a hostname, a domain and a host key): a unit wiped by
        `write erase` and a reload has none of them, so its SSH listener turns every client away."""
        return bool(self.running.users)

    def write_memory(self) -> None:
        self.startup = copy.deepcopy(self.running)
        self.flash["config.text"] = FlashFile(900 + 40 * len(self.running.vlans), "Mar 1 1993 00:00:00 +00:00")
        self.flash["private-config.text"] = FlashFile(2072, "Mar 1 1993 00:00:00 +00:00")

    def write_erase(self) -> None:
        self.startup = None
        for name in ("config.text", "private-config.text"):
            self.flash.pop(name, None)

    def reload(self, reason: str = "Reload Command") -> None:
        """Reboot: uptime restarts, RAM state (logs, running config) comes back from startup."""
        self._restart()
        images.boot(self)  # onto the image the boot variable names, when it can be loaded
        self.reload_reason = reason
        nxt = self.next_config_register  # `config-register` takes effect at reload
        if nxt:
            self.config_register, self.next_config_register = nxt, None
        ignore = self.config_register.lower() == "0x2142"  # boot ignoring the startup config (recovery)
        self.running = copy.deepcopy(self.startup) if self.startup and not ignore else Config()
        self._boot_logs()
        owner_data.after_boot(self, reason)  # refurb-steps: cold boots counted, boot-time messages

    def boot_script(self) -> Any:
        """The cold boot `cold_boot_fail@N` stops hangs mid-load (refurb-steps); every other boot is IOS's own."""
        if not owner_data.cold_boot_hangs(self):
            return None
        return BootScript(ios_script(self).loader, ["@" * 16, 0.2, "@" * 16, 0.2, "@" * 7, 10.0 ** 6])

    # ---------- views ----------
    @property
    def hostname(self) -> str:
        return self.running.hostname

    def clock(self) -> float:
        """Device wall clock (epoch seconds): never set, so it counts from 1993-03-01 at boot."""
        return _EPOCH_1993 + self.uptime()

    def snmp_view(self) -> Mapping[str, tuple[str, object]]:
        """OID -> (type, value) for the SNMP agent; reads the same state the CLI shows (IF-MIB when read)."""
        self.touch()
        up = self.uptime()
        s = self.spec
        v: dict[str, tuple[str, object]] = {
            **system_group(sys_descr(s), s.sys_object_id, up, self.hostname, 2),
        }
        ent = "1.3.6.1.2.1.47.1.1.1.1"
        # The `sparse_entity_mib` trait: no stack row, the chassis at 1001 in nothing, no class column.
        sparse = any(f.name == "sparse_entity_mib" for f in self.faults)
        for it in self.inventory:
            if sparse and it.cls == 11:
                continue
            serial = self.snmp_serial() if it.index == self._chassis_index() else it.serial
            parent = 0 if sparse and it.cls == 3 else it.contained_in
            for col, typ, val in ((2, "OctetString", it.descr), (4, "Integer", parent),
                                  (5, "Integer", it.cls), (7, "OctetString", it.name),
                                  (8, "OctetString", it.vid), (11, "OctetString", serial),
                                  (13, "OctetString", it.pid)):
                if not (sparse and col == 5):
                    v[f"{ent}.{col}.{it.index}"] = (typ, val)
        env = "1.3.6.1.4.1.9.9.13.1"
        for i, t in enumerate(self.temps, 1):
            state = {"GREEN": 1, "YELLOW": 2, "RED": 3}[t.state(up)]
            v[f"{env}.3.1.2.{i}"] = ("OctetString", f"SW#{t.member}, Sensor#{1 if t.kind == 'Inlet' else 2}, "
                                                    f"{t.kind}")
            v[f"{env}.3.1.3.{i}"] = ("Gauge32", t.value(up))
            v[f"{env}.3.1.4.{i}"] = ("Integer", t.red)
            v[f"{env}.3.1.6.{i}"] = ("Integer", state)
        for i, f in enumerate(self.fans, 1):
            v[f"{env}.4.1.2.{i}"] = ("OctetString", f"Switch#{f.member}, Fan#{f.number}")
            v[f"{env}.4.1.3.{i}"] = ("Integer", 1 if f.ok else 6)
        for i, p in enumerate(self.psus, 1):
            label = f"Sw{p.member}, PS{p.bay or 1}"
            v[f"{env}.5.1.2.{i}"] = ("OctetString", f"{label} {'Normal' if p.ok else 'Critical'}, RPS NotExist"
                                     if not p.pid else label)
            v[f"{env}.5.1.3.{i}"] = ("Integer", 1 if p.ok else 3)
        return LazyView(v, self._if_mib_section(up))

    def _if_mib_section(self, up: float) -> LazySection:
        """IF-MIB as a lazy section: its OIDs depend only on which interfaces exist, so they are kept."""
        shape = (len(self.virtual_ifaces()), tuple(p.ifindex for p in self.ports))
        keys = self._if_mib_keys.get(shape)
        if keys is None:
            built = self._if_mib(up)
            self._if_mib_keys = {shape: frozenset(built)}
            return LazySection(self._if_mib_keys[shape], lambda: built)
        return LazySection(keys, lambda: self._if_mib(up))


    def _chassis_index(self) -> int:
        return next(it.index for it in self.inventory if it.cls == 3)

    def virtual_ifaces(self) -> list[str]:
        return ["Vlan1"] if self.spec.variant != "iosxe_router" else []

    def _if_mib(self, up: float) -> dict[str, tuple[str, object]]:
        """IF-MIB ifTable/ifXTable: every port (and Vlan1 on switches), from the same counters as the CLI."""
        v: dict[str, tuple[str, object]] = {}
        t, x = "1.3.6.1.2.1.2.2.1", "1.3.6.1.2.1.31.1.1.1"
        rows = []
        for name in self.virtual_ifaces():
            rows.append((1, name, name, 53, 1000, 2, 2,
                         bytes.fromhex(self.base_mac.replace(":", "")), None))
        for p in self.ports:
            rows.append((p.ifindex, p.name, p.short, 6, self.speed_mbps(p), 2 if p.shutdown else 1,
                         1 if self.link_up(p) else 2,
                         bytes.fromhex(p.mac.replace(".", "")), p))
        v["1.3.6.1.2.1.2.1.0"] = ("Integer", len(rows))
        for idx, name, short, typ, mbps, admin, oper, mac, p in rows:
            c = self.counters(p) if p is not None else None
            v[f"{t}.1.{idx}"] = ("Integer", idx)
            v[f"{t}.2.{idx}"] = ("OctetString", name)
            v[f"{t}.3.{idx}"] = ("Integer", typ)
            v[f"{t}.4.{idx}"] = ("Integer", 1500)
            v[f"{t}.5.{idx}"] = ("Gauge32", min(mbps * 1_000_000, 2**32 - 1))
            v[f"{t}.6.{idx}"] = ("OctetString", mac)
            v[f"{t}.7.{idx}"] = ("Integer", admin)
            v[f"{t}.8.{idx}"] = ("Integer", oper)
            v[f"{t}.9.{idx}"] = ("TimeTicks", int(min(up, self.link_up_at) * 100))
            cols = {10: c.in_bytes, 11: c.in_pkts - c.broadcasts - c.multicasts, 13: 0, 14: c.in_errors,
                    16: c.out_bytes, 17: c.out_pkts, 19: 0, 20: c.out_errors} if c else dict.fromkeys(
                        (10, 11, 13, 14, 16, 17, 19, 20), 0)
            for col, val in cols.items():
                v[f"{t}.{col}.{idx}"] = ("Counter32", val % 2**32)
            v[f"{x}.1.{idx}"] = ("OctetString", short)
            hc = {2: c.multicasts, 3: c.broadcasts, 4: 0, 5: 0} if c else dict.fromkeys((2, 3, 4, 5), 0)
            for col, val in hc.items():
                v[f"{x}.{col}.{idx}"] = ("Counter32", val)
            hc64 = {6: c.in_bytes, 7: c.in_pkts - c.broadcasts - c.multicasts, 8: c.multicasts, 9: c.broadcasts,
                    10: c.out_bytes, 11: c.out_pkts, 12: 0, 13: 0} if c else dict.fromkeys(range(6, 14), 0)
            for col, val in hc64.items():
                v[f"{x}.{col}.{idx}"] = ("Counter64", val)
            if c is not None:  # EtherLike-MIB dot3StatsTable: the CRC counter `show interfaces` calls CRC
                v[f"1.3.6.1.2.1.10.7.2.1.1.{idx}"] = ("Integer", idx)
                v[f"1.3.6.1.2.1.10.7.2.1.3.{idx}"] = ("Counter32", c.crc % 2**32)
            v[f"{x}.15.{idx}"] = ("Gauge32", mbps)
            v[f"{x}.17.{idx}"] = ("Integer", 1 if p is not None else 2)
            v[f"{x}.18.{idx}"] = ("OctetString", "")
        return v


def sys_descr(s: ModelSpec) -> str:
    if s.release:  # IOS-XE names its train in brackets
        return (f"Cisco IOS Software [{s.release}], {s.platform} Software ({s.software_image}), Version {s.version}, "
                f"RELEASE SOFTWARE (fc2)\r\nTechnical Support: http://www.cisco.com/techsupport\r\n"
                f"Copyright (c) 1986-20{s.compiled[11:13]} by Cisco Systems, Inc.\r\nCompiled {s.compiled}")
    return (f"Cisco IOS Software, {s.platform} Software ({s.software_image}), Version {s.version}, "
            f"RELEASE SOFTWARE (fc2)\r\nTechnical Support: http://www.cisco.com/techsupport\r\n"
            f"Copyright (c) 1986-20{s.compiled[11:13]} by Cisco Systems, Inc.\r\nCompiled {s.compiled}")
