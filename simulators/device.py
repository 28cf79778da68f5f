"""One simulated device: the single source of truth every front end reads and changes."""

from __future__ import annotations

import copy
import hashlib
import math
import random
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from simulators.catalog import MODELS, OPTICS, ModelSpec
from simulators.faults import FAULTS, FaultSpec

if TYPE_CHECKING:
    from simulators.ios_cli import IosSession

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
class TempSensor:
    member: int
    kind: str  # "Inlet" or "Hotspot"
    base: float
    yellow: int
    red: int
    forced: float | None = None

    def value(self, uptime: float) -> int:
        if self.forced is not None:
            return int(self.forced)
        # A slow drift so burn-in sampling sees plausible, bounded variation.
        return int(round(self.base + 1.5 * math.sin(uptime / 900.0)))

    def state(self, uptime: float) -> str:
        v = self.value(uptime)
        return "RED" if v >= self.red else "YELLOW" if v >= self.yellow else "GREEN"


@dataclass
class Port:
    name: str  # GigabitEthernet1/0/1
    short: str  # Gi1/0/1
    kind: str  # "copper", "sfp", "sfp+"
    optic: str | None = None  # PID of the inserted optic


@dataclass
class FlashFile:
    size: int
    date: str
    is_dir: bool = False
    children: dict[str, FlashFile] = field(default_factory=dict)
    md5: str = ""


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


class Device:
    """A Catalyst switch (or stack). Deterministic from (seed, slot index, model)."""

    def __init__(self, slot: str, index: int, seed: int, model: str,
                 faults: list[FaultSpec] | None = None) -> None:
        self.slot = slot
        self.index = index
        self.spec: ModelSpec = MODELS[model]
        self.family = self.spec.family
        self.model = model
        rng = random.Random(f"{seed}:{index}:{model}")
        self._rng = rng
        self.serial = _serial(rng, self.spec.serial_prefixes)
        self.member_serials = [self.serial] + [
            _serial(rng, self.spec.serial_prefixes) for _ in range(self.spec.stack_members - 1)]
        self.base_mac = f"{rng.choice(_CISCO_OUIS)}:{rng.randint(0, 255):02X}:{rng.randint(0, 255):02X}:" \
                        f"{rng.randrange(0, 256, 128):02X}"
        self.version = self.spec.version
        self.config_register = "0xF" if self.spec.platform == "C2960X" else "0x10F"
        self.reload_reason = "power-on"
        self.generation = 0  # bumped on every reload; sessions of an older generation are cut
        self._uptime_offset = float(rng.randint(120, 900))  # powered on a few minutes before the bench
        self._started = time.monotonic()
        self.first_contact: float | None = None
        self.faults: list[FaultSpec] = list(faults or [])
        self._applied: set[int] = set()
        self.active: set[str] = set()
        self.snmp_serial_override: str | None = None
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
        self._build_hardware(rng)
        self._build_flash(rng)
        self._boot_logs()
        for i, f in enumerate(self.faults):
            if f.offset is None:
                self._apply(i, at_boot=True)

    # ---------- construction ----------
    def _build_hardware(self, rng: random.Random) -> None:
        s = self.spec
        for m in range(1, s.stack_members + 1):
            for p in range(1, s.access_ports + 1):
                self.ports.append(Port(f"GigabitEthernet{m}/0/{p}", f"Gi{m}/0/{p}", "copper"))
            for u, kind in enumerate(s.uplinks, 1):
                if s.uplink_module:
                    name, short = f"GigabitEthernet{m}/1/{u}", f"Gi{m}/1/{u}"
                elif kind == "sfp+":
                    name, short = f"TenGigabitEthernet{m}/0/{u}", f"Te{m}/0/{u}"
                else:
                    n = s.access_ports + u
                    name, short = f"GigabitEthernet{m}/0/{n}", f"Gi{m}/0/{n}"
                self.ports.append(Port(name, short, kind))
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
    def uptime(self) -> float:
        return self._uptime_offset + (time.monotonic() - self._started)

    def touch(self) -> None:
        """Any client request: records the first contact (fault offsets count from it), applies due faults."""
        if self.first_contact is None:
            self.first_contact = time.monotonic()
        self.tick()

    def tick(self) -> None:
        if self.first_contact is None:
            return
        elapsed = time.monotonic() - self.first_contact
        for i, f in enumerate(self.faults):
            if i not in self._applied and f.offset is not None and elapsed >= f.offset:
                self._apply(i, at_boot=False)

    def log(self, text: str) -> None:
        self.logs.append(LogEntry(self.uptime(), text))
        del self.logs[:-512]  # the buffer is finite on a real switch too

    def _apply(self, i: int, at_boot: bool) -> None:
        self._applied.add(i)
        name = self.faults[i].name
        self.active.add(name)
        rng = random.Random(f"{self.serial}:{name}")
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
        elif name == "reboot" and not at_boot:
            self.reload("power-on")

    def _add_crashinfo(self, rng: random.Random) -> None:
        d = self.flash.setdefault("crashinfo", FlashFile(512, _flash_date(rng), is_dir=True))
        n = len(d.children) + 1
        d.children[f"crashinfo_{n}"] = FlashFile(rng.randint(90_000, 180_000), _flash_date(rng))
        d.children[f"crashinfo_ext_{n}"] = FlashFile(rng.randint(4_000, 12_000), _flash_date(rng))

    def response_delay(self) -> float:
        return 2.0 if "slow_response" in self.active else 0.0

    def ssh_drop_after(self) -> int | None:
        """Commands an SSH session may run before the link is cut (ssh_drop)."""
        return 4 if "ssh_drop" in self.active else None

    # ---------- credentials and configuration ----------
    def open_session(self, console: bool) -> IosSession:
        from simulators.ios_cli import IosSession  # the CLI renders this object: import late

        return IosSession(self, console=console)

    def check_login(self, username: str, password: str) -> bool:
        return self.running.users.get(username) == password

    def check_enable(self, secret: str) -> bool:
        return self.running.enable_secret is not None and secret == self.running.enable_secret

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
        self.generation += 1
        self.reload_reason = reason
        self._uptime_offset = 0.0
        self._started = time.monotonic()
        self.running = copy.deepcopy(self.startup) if self.startup else Config()
        self._boot_logs()

    # ---------- views ----------
    @property
    def hostname(self) -> str:
        return self.running.hostname

    def clock(self) -> float:
        """Device wall clock (epoch seconds): never set, so it counts from 1993-03-01 at boot."""
        return _EPOCH_1993 + self.uptime()

    def snmp_serial(self) -> str:
        return self.snmp_serial_override or self.serial

    def snmp_view(self) -> dict[str, tuple[str, object]]:
        """OID -> (type, value) for the SNMP agent; reads the same state the CLI shows."""
        self.touch()
        up = self.uptime()
        s = self.spec
        v: dict[str, tuple[str, object]] = {
            "1.3.6.1.2.1.1.1.0": ("OctetString", sys_descr(s)),
            "1.3.6.1.2.1.1.2.0": ("ObjectIdentifier", s.sys_object_id),
            "1.3.6.1.2.1.1.3.0": ("TimeTicks", int(up * 100) % 2**32),
            "1.3.6.1.2.1.1.4.0": ("OctetString", ""),
            "1.3.6.1.2.1.1.5.0": ("OctetString", self.hostname),
            "1.3.6.1.2.1.1.6.0": ("OctetString", ""),
            "1.3.6.1.2.1.1.7.0": ("Integer", 2),
        }
        ent = "1.3.6.1.2.1.47.1.1.1.1"
        for it in self.inventory:
            serial = self.snmp_serial() if it.index == 1001 else it.serial
            for col, typ, val in ((2, "OctetString", it.descr), (4, "Integer", it.contained_in),
                                  (5, "Integer", it.cls), (7, "OctetString", it.name),
                                  (8, "OctetString", it.vid), (11, "OctetString", serial),
                                  (13, "OctetString", it.pid)):
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
        return v


def sys_descr(s: ModelSpec) -> str:
    return (f"Cisco IOS Software, {s.platform} Software ({s.software_image}), Version {s.version}, "
            f"RELEASE SOFTWARE (fc2)\r\nTechnical Support: http://www.cisco.com/techsupport\r\n"
            f"Copyright (c) 1986-20{s.compiled[11:13]} by Cisco Systems, Inc.\r\nCompiled {s.compiled}")
