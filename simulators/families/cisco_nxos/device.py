"""The `cisco_nxos` family: Cisco Nexus 3000/5000/7000/9000 switches on NX-OS.

One `NxosDevice` per unit is the single source of truth; the CLI (simulators.families.cisco_nxos.cli), the
console and the SNMP view all read and change it. Outputs are shaped after real NX-OS units' (ntc-templates'
fixtures): `show version`'s "cisco Nexus9000 C93180YC-EX chassis" line, `show inventory`'s NAME/PID blocks,
one `show environment` for PSUs, fans and temperatures with each sensor's own major/minor thresholds.
"""

from __future__ import annotations

import copy
import random
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from simulators.device_base import DriftingTemperature, SimDeviceBase, system_group
from simulators.faults import FaultSpec
from simulators.ports import IDLE_COUNTERS, HarnessTraffic, flapping_up, link_transitions, pick_cabled
from simulators.snmp_tables import Entity, Interface, SnmpView, put_entities, put_interface

if TYPE_CHECKING:
    from simulators.families.cisco_nxos.cli import NxosSession

FACTORY_USER = "cisco"  # the bench's factory set for every Cisco family (one `factory` credential set)
FACTORY_PASSWORD = "cisco"
FACTORY_ENABLE = "cisco"  # NX-OS has no enable: an admin role lands at `switch#`

_CISCO_OUIS = ("00:2A:6A", "50:87:89", "A0:36:9F", "00:3A:9C", "F8:C2:88")
_ALNUM = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
_EPOCH_2023 = 1_672_531_200
SERIAL_FORMAT = r"^[A-Z]{3}[0-9]{4}[A-Z0-9]{4}$"  # Cisco: factory code, year+week, unit id (SAL1819S6LU)


@dataclass(frozen=True)
class LineCard:
    slot: int
    pid: str
    descr: str  # `show module` Module-Type
    ports: int


@dataclass(frozen=True)
class NxosModel:
    pid: str  # N9K-C93180YC-EX
    family: str
    chassis: str  # `show version`: "cisco Nexus9000 C93180YC-EX chassis"
    inv_descr: str  # `show inventory` chassis DESCR
    sys_object_id: str
    ports: int  # front-panel ports on module 1 (or each line card)
    port_kind: str  # copper | sfp
    uplinks: int  # faster cages after the front panel (Ethernet1/49..)
    uplink_kind: str  # sfp | qsfp
    psu_pid: str
    psu_watts: int
    psus: int
    fan_pid: str
    fans: int
    version: str  # 9.3(10)
    image: str  # bootflash file
    bios: str
    cpu: str
    memory_kb: int
    sup: str = ""  # modular: supervisor PID in slot 1..2 / 5..6
    linecards: tuple[LineCard, ...] = ()
    poe: bool = False


MODELS: dict[str, NxosModel] = {m.pid: m for m in (
    NxosModel(pid="N3K-C3048TP-1GE", family="cisco_nxos", chassis='cisco Nexus 3048 Chassis ("48x1GE + 4x10G '
              'Supervisor")', inv_descr="Nexus 3048 Chassis", sys_object_id="1.3.6.1.4.1.9.12.3.1.3.1106",
              ports=48, port_kind="copper", uplinks=4, uplink_kind="sfp", psu_pid="N2200-PAC-400W", psu_watts=400,
              psus=2, fan_pid="N3K-C3048-FAN", fans=1, version="7.0(3)I7(9)", image="nxos.7.0.3.I7.9.bin",
              bios="4.5.0", cpu="Intel(R) Celeron(R) CPU        P4505  @ 1.87GHz", memory_kb=3_903_216),
    NxosModel(pid="N5K-C5548UP", family="cisco_nxos", chassis='cisco Nexus 5548 Chassis ("O2 32X10GE/Modular '
              'Universal Platform Supervisor")', inv_descr="Nexus 5548 Chassis",
              sys_object_id="1.3.6.1.4.1.9.12.3.1.3.1084", ports=32, port_kind="sfp", uplinks=0, uplink_kind="sfp",
              psu_pid="N55-PAC-750W", psu_watts=750, psus=2, fan_pid="N5548P-FAN", fans=2, version="7.3(8)N1(1)",
              image="n5000-uk9.7.3.8.N1.1.bin", bios="3.6.0",
              cpu="Intel(R) Xeon(R) CPU         @ 1.70GHz", memory_kb=8_263_848),
    NxosModel(pid="N7K-C7010", family="cisco_nxos", chassis='cisco Nexus7000 C7010 (10 Slot) Chassis ("Supervisor '
              'Module-2")', inv_descr="Nexus7000 C7010 (10 Slot) Chassis",
              sys_object_id="1.3.6.1.4.1.9.12.3.1.3.612", ports=32, port_kind="sfp", uplinks=0, uplink_kind="sfp",
              psu_pid="N7K-AC-6.0KW", psu_watts=6000, psus=3, fan_pid="N7K-C7010-FAN-S", fans=2,
              version="8.4(7)", image="n7000-s2-dk9.8.4.7.bin", bios="2.12.0",
              cpu="Intel(R) Xeon(R) CPU         E5-2403 @ 1.80GHz", memory_kb=32_745_060, sup="N7K-SUP2E",
              linecards=(LineCard(3, "N7K-M132XP-12L", "10 Gbps Ethernet XL Module", 32),
                         LineCard(4, "N7K-M132XP-12L", "10 Gbps Ethernet XL Module", 32))),
    NxosModel(pid="N9K-C93180YC-EX", family="cisco_nxos", chassis="cisco Nexus9000 C93180YC-EX chassis",
              inv_descr="Nexus9000 C93180YC-EX chassis", sys_object_id="1.3.6.1.4.1.9.12.3.1.3.1812", ports=48,
              port_kind="sfp", uplinks=6, uplink_kind="qsfp", psu_pid="NXA-PAC-650W-PE", psu_watts=650, psus=2,
              fan_pid="NXA-FAN-30CFM-F", fans=4, version="9.3(10)", image="nxos.9.3.10.bin", bios="05.47",
              cpu="Intel(R) Xeon(R) CPU  @ 1.80GHz", memory_kb=24_571_164),
)}

# Optic PID -> (type as `show interface status`/transceiver print it, cage kind, speed Mb/s)
OPTICS: dict[str, tuple[str, str, int]] = {
    "SFP-10G-SR": ("10Gbase-SR", "sfp", 10_000),
    "SFP-10G-LR": ("10Gbase-LR", "sfp", 10_000),
    "SFP-25G-SR-S": ("SFP-25G-SR", "sfp", 25_000),
    "QSFP-40G-SR4": ("QSFP-40G-SR4", "qsfp", 40_000),
    "QSFP-100G-SR4-S": ("QSFP-100G-SR4", "qsfp", 100_000),
}
# (high alarm, low alarm, high warning, low warning) per reading, as the SFP's EEPROM holds them.
DOM_THRESHOLDS = ((75.0, -5.0, 70.0, 0.0), (3.63, 2.97, 3.46, 3.13), (11.80, 4.00, 10.80, 5.00),
                  (1.69, -11.30, -1.30, -7.30), (2.00, -13.90, -1.00, -9.90))


@dataclass
class Port:
    name: str  # Ethernet1/1
    module: int
    number: int
    kind: str  # copper | sfp | qsfp
    if_index: int
    optic: str | None = None
    optic_serial: str = ""
    cabled: bool = False
    dead: bool = False
    crc: bool = False
    flap: bool = False
    dom_alarm: bool = False

    @property
    def short(self) -> str:
        return "Eth" + self.name.removeprefix("Ethernet")

    @property
    def speed_mbps(self) -> int:
        if self.optic:
            return OPTICS[self.optic][2]
        return {"copper": 1_000, "sfp": 10_000, "qsfp": 100_000}[self.kind]


@dataclass
class TempSensor(DriftingTemperature):
    module: int
    name: str  # FRONT, BACK, CPU, ...
    major: int
    minor: int
    base: float
    forced: float | None = None


@dataclass
class Psu:
    slot: int
    pid: str
    serial: str
    watts: int
    ok: bool = True


@dataclass
class Fan:
    number: int
    pid: str
    serial: str
    ok: bool = True


@dataclass
class FlashFile:
    size: int
    date: str  # "Sep 22 15:27:34 2019"


_TRAFFIC = HarnessTraffic(base=900, step=29, out_share=0.98, in_size=480, out_size=470, crc_per_s=3.1)


@dataclass
class Config:
    hostname: str = "switch"
    users: dict[str, str] = field(default_factory=dict)
    vlans: dict[int, str] = field(default_factory=dict)
    features: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)


@dataclass
class LogEntry:
    at: float  # uptime s
    text: str  # "%ETHPORT-5-IF_UP: ..."


def cisco_serial(rng: random.Random, prefixes: tuple[str, ...] = ("SAL", "FOC", "FDO", "JAF", "FLM")) -> str:
    return f"{rng.choice(prefixes)}{rng.randint(14, 23):02d}{rng.randint(1, 52):02d}" \
           f"{''.join(rng.choice(_ALNUM) for _ in range(4))}"


class NxosDevice(SimDeviceBase):
    """One Nexus switch. Deterministic from (seed, slot index, model)."""

    def __init__(self, slot: str, index: int, seed: int, model: str, faults: list[FaultSpec] | None = None) -> None:
        super().__init__(slot, index, model, faults)
        self.spec = MODELS[model]
        self.family = "cisco_nxos"
        rng = random.Random(f"{seed}:{index}:{model}")
        self.serial = cisco_serial(rng)
        mac = [int(x, 16) for x in rng.choice(_CISCO_OUIS).split(":")] + [rng.randint(0, 255), rng.randint(0, 255),
                                                                           rng.randrange(0, 256, 64)]
        self.mac = bytes(mac)
        self.reload_reason = "Reset Requested by CLI command reload"
        self._power_on(float(rng.randint(300, 5000)))
        self.running = Config(users={FACTORY_USER: FACTORY_PASSWORD})
        # The boot variable lives beside the configuration: `write erase` keeps it, `write erase boot` clears it.
        self.boot_var = f"bootflash:/{self.spec.image}"
        self.secure_erased = False  # `factory-reset` ran: persistent storage was zeroized
        self.startup: Config | None = copy.deepcopy(self.running)
        self.psus = [Psu(i, self.spec.psu_pid, cisco_serial(rng, ("DCB", "LIT", "ART")), self.spec.psu_watts)
                     for i in range(1, self.spec.psus + 1)]
        self.fans = [Fan(i, self.spec.fan_pid, "N/A" if self.spec.fans > 2 else cisco_serial(rng, ("DCH",)))
                     for i in range(1, self.spec.fans + 1)]
        self.module_serials = {lc.slot: cisco_serial(rng, ("JAF",)) for lc in self.spec.linecards}
        if self.spec.sup:
            self.module_serials[5] = cisco_serial(rng, ("JAF",))
        self.temps = [
            TempSensor(1, "FRONT", 80, 70, rng.uniform(24, 29)),
            TempSensor(1, "BACK", 70, 42, rng.uniform(27, 33)),
            TempSensor(1, "CPU", 90, 80, rng.uniform(38, 46)),
            TempSensor(1, "Homewood" if self.spec.pid.startswith("N9K") else "ASIC", 110, 90, rng.uniform(45, 55)),
        ]
        self.syslog: list[LogEntry] = []
        self.cores: list[tuple[int, str, int]] = []  # (module, process, pid): what `show cores` lists
        self.ports: list[Port] = []
        self.flash: dict[str, FlashFile] = {}
        self._build_ports(rng)
        self._build_flash()
        self._boot_logs()
        self._apply_boot_faults()

    # ---------- construction
    def _build_ports(self, rng: random.Random) -> None:
        s = self.spec
        cards = s.linecards or (LineCard(1, s.pid, "", s.ports),)
        for lc in cards:
            kind = s.port_kind
            for n in range(1, lc.ports + 1):
                self.ports.append(Port(f"Ethernet{lc.slot}/{n}", lc.slot, n, kind, 436_207_616 + ((lc.slot - 1) << 12)
                                       + ((n - 1) << 9)))
        for n in range(s.ports + 1, s.ports + s.uplinks + 1):
            self.ports.append(Port(f"Ethernet1/{n}", 1, n, s.uplink_kind, 436_207_616 + ((n - 1) << 9)))
        pluggable = [p for p in self.ports if p.kind != "copper"]
        # Enough cabled cages that each port fault lands on a port of its own, and one healthy link remains.
        port_faults = sum(f.name in ("port_dead", "crc_errors", "link_flap", "optic_dom_alarm") for f in self.faults)
        wanted = max(rng.randint(1, 4), port_faults + 1)
        for p in rng.sample(pluggable, min(len(pluggable), wanted)):
            p.optic = rng.choice([pid for pid, (_, kind, _) in OPTICS.items() if kind == p.kind])
            p.optic_serial = f"{rng.choice(('FNS', 'AVD', 'OPM'))}{rng.randint(15, 23)}{rng.randint(10, 52)}" \
                             f"{''.join(rng.choice(_ALNUM) for _ in range(3))}"
            p.cabled = True
        if s.port_kind == "copper":
            for p in self.ports[:4]:
                p.cabled = True

    def _build_flash(self) -> None:
        s = self.spec
        self.flash = {
            s.image: FlashFile(1_978_203_648 if s.pid.startswith("N9K") else 612_331_520, "Mar 14 10:21:07 2023"),
            ".rpmstore/": FlashFile(4096, "Mar 14 10:30:12 2023"),
            "lost+found/": FlashFile(4096, "Mar 14 10:02:17 2023"),
            "scripts/": FlashFile(4096, "Mar 14 10:30:40 2023"),
        }

    def _boot_logs(self) -> None:
        self.syslog = [LogEntry(at, text) for at, text in (
            (18.2, "%USER-2-SYSTEM_MSG: <<%USBHSD-2-MOUNT>> logflash: online  - usbhsd"),
            (24.6, "%PLATFORM-5-PS_FOUND: Power supply 1 found (Serial number " + self.psus[0].serial + ")"),
            (26.0, "%PLATFORM-5-FAN_DETECT: Fan module 1 (Fan1(sys_fan1) fan) detected"),
            (41.3, "%VDC_MGR-2-VDC_ONLINE: vdc 1 has come online"),
        )]
        for p in self.ports:
            if self.linked(p):
                self.syslog.append(LogEntry(48.0, f"%ETHPORT-5-IF_UP: Interface {p.name} is up in mode access"))

    # ---------- time, contact and faults
    def clock(self) -> float:
        return _EPOCH_2023 + 86_400 * 80 + self.uptime()

    def log(self, text: str, at: float | None = None) -> None:
        self.syslog.append(LogEntry(self.uptime() if at is None else at, text))
        del self.syslog[:-512]

    def _fault(self, name: str, rng: random.Random, at_boot: bool) -> None:
        if name == "fan_failed":
            self.fans[0].ok = False
            self.log("%PLATFORM-2-FAN_FAIL: Fan module 1 (Fan1(sys_fan1) fan) failed")
        elif name == "psu_failed":
            self.psus[-1].ok = False
            self.log(f"%PLATFORM-2-PS_FAIL: Power supply {self.psus[-1].slot} failed or shut down (Serial number "
                     f"{self.psus[-1].serial})")
        elif name == "overtemp":
            t = self.temps[0]
            t.forced = float(t.major + 4)
            self.log(f"%PLATFORM-0-SYS_SHUTDOWN_MAJOR_TEMP_ALARM: Module {t.module} {t.name} temperature "
                     f"{t.forced:.0f}C exceeds its major threshold {t.major}C")
        elif name == "serial_mismatch":
            self.snmp_serial_override = cisco_serial(rng)
        elif name == "counterfeit_serial":
            self.serial = f"{rng.randint(10**9, 10**10 - 1)}"  # not Cisco's LLLYYWWXXXX: relabelled or grey
        elif name == "parity_crash":
            self.reload_reason = "Kernel Panic"
            self.cores.append((1, "kernel", 0))
            self.log("%KERN-0-SYSTEM_MSG: Uncorrectable parity error in ASIC memory - kernel", None if not at_boot
                     else 12.0)
        elif name == "crashinfo":
            pid = rng.randint(3000, 29000)
            self.cores.append((1, "ethpm", pid))
            self.log(f"%SYSMGR-2-SERVICE_CRASHED: Service \"ethpm\" (PID {pid}) hasn't caught signal 6 "
                     "(core will be saved).", None if not at_boot else 60.0)
        elif name == "port_dead":
            p = self._cabled(rng)
            p.dead = True
            self.log(f"%ETHPORT-5-IF_DOWN_LINK_FAILURE: Interface {p.name} is down (Link failure)")
        elif name == "crc_errors":
            self._cabled(rng).crc = True
        elif name == "link_flap":
            self._cabled(rng).flap = True
        elif name == "optic_dom_alarm":
            p = next(p for p in self.ports if p.optic)
            p.dom_alarm = True
            self.log(f"%ETHPORT-3-IF_SFP_ALARM: Interface {p.name}, Low Rx Power Alarm")
        elif name == "leftover_config":
            self.running.hostname = f"dc1-leaf{rng.randint(1, 40):02d}"
            self.running.vlans = {10: "SERVERS", 20: "STORAGE", 99: "OOB"}
            self.running.features = ["feature lacp", "feature vpc", "feature lldp"]
            self.running.extra = ["snmp-server community Acm3RO group network-operator",
                                  "ntp server 10.20.0.1 use-vrf management", "logging server 10.20.0.15"]
            if "unknown_password" not in {f.name for f in self.faults}:
                self.running.users["netops"] = f"Pr3v-{rng.randint(10000, 99999)}"
            self.startup = copy.deepcopy(self.running)
            self.flash["dc1-backup.cfg"] = FlashFile(18_402, "Feb  2 09:14:55 2023")
        elif name == "unknown_password":
            self.running.users = {"netops": f"Pr3v-{rng.randint(10000, 99999)}"}
            self.startup = copy.deepcopy(self.running)
        elif name == "reboot" and not at_boot:
            self.reload("Reset due to power failure")

    def _cabled(self, rng: random.Random) -> Port:
        return pick_cabled(rng, self.ports)

    # ---------- ports and counters
    def linked(self, p: Port) -> bool:
        if not p.cabled or p.dead or (p.kind != "copper" and not p.optic):
            return False
        return flapping_up(self.uptime()) if p.flap else True

    def link_changes(self, p: Port) -> int:
        return link_transitions(p, self.uptime())

    def counters(self, p: Port) -> dict[str, int]:
        if not p.cabled or p.dead or (p.kind != "copper" and not p.optic):
            return dict(IDLE_COUNTERS)
        return _TRAFFIC.counters(self.uptime(), p.number, p.crc)

    def dom(self, p: Port) -> tuple[float, float, float, float, float]:
        """temperature C, voltage V, bias mA, tx dBm, rx dBm of the optic in `p`."""
        r = random.Random(f"{p.optic_serial}:dom")
        rx = -2.0 - r.random() * 3 if self.linked(p) else -30.0
        if p.dom_alarm:
            rx = -17.4
        return (round(30 + r.random() * 8, 2), round(3.25 + r.random() * 0.08, 2), round(6.5 + r.random() * 2, 2),
                round(-2.5 + r.random(), 2), round(rx, 2))

    # ---------- credentials and configuration
    def open_session(self, console: bool) -> NxosSession:
        from simulators.families.cisco_nxos.cli import NxosSession  # the CLI renders this object: import late

        return NxosSession(self, console=console)

    def check_login(self, username: str, password: str) -> bool:
        return self.running.users.get(username) == password

    def copy_run_start(self) -> None:
        self.startup = copy.deepcopy(self.running)

    def write_erase(self, boot: bool = False) -> None:
        """`write erase` clears the startup configuration; `write erase boot` the boot variable only."""
        if boot:
            self.boot_var = ""
        else:
            self.startup = None

    def boot_variable(self) -> str:
        return self.boot_var

    def factory_reset(self, keep_image: bool) -> None:
        """NX-OS `factory-reset [preserve-image]`: persistent storage is securely erased, the unit reloads."""
        self.startup = None
        self.flash = {k: v for k, v in self.flash.items() if keep_image and k == self.spec.image}
        self.cores.clear()
        self.secure_erased = True
        self.reload("Reset due to factory-reset")

    def reload(self, reason: str = "Reset Requested by CLI command reload") -> None:
        self._restart()
        self.reload_reason = reason
        # Without startup-config the unit comes up with the factory admin set (POAP aborted). The simulator
        # boots its image even when `write erase boot` emptied the boot variable; a real unit stops at loader>.
        self.running = copy.deepcopy(self.startup) if self.startup is not None else Config(
            users={FACTORY_USER: FACTORY_PASSWORD})
        self._boot_logs()

    def boot_script(self) -> object:
        from simulators.boot import BootScript
        from simulators.families.cisco_nxos.cli import boot_text

        loader, kernel = boot_text(self)
        return BootScript([loader, 0.5], [kernel, 0.5])

    @property
    def hostname(self) -> str:
        return self.running.hostname

    def mac_of(self, offset: int) -> bytes:
        return (int.from_bytes(self.mac, "big") + offset).to_bytes(6, "big")

    def snmp_view(self) -> dict[str, tuple[str, object]]:
        self.touch()
        return snmp_view(self)

    def flash_date(self) -> str:
        return time.strftime("%b %d %H:%M:%S %Y", time.gmtime(self.clock())).replace(" 0", "  ", 1)


def sys_descr(dev: NxosDevice) -> str:
    s = dev.spec
    platform = "n9000" if s.pid.startswith("N9K") else "n3000" if s.pid.startswith("N3K") else (
        "n5000" if s.pid.startswith("N5K") else "n7000")
    return (f"Cisco NX-OS(tm) {platform}, Software ({platform}-dk9), Version {s.version}, RELEASE SOFTWARE "
            "Copyright (c) 2002-2022 by Cisco Systems, Inc.")


# ENTITY-MIB indexes as NX-OS numbers them: chassis 10, slots 22+n, modules 22+n, PSUs 470+n, fans 534+n,
# sensors 21590+, ports 5000+.
def entity_rows(dev: NxosDevice) -> list[tuple[int, str, int, int, str, str, str, str, str, bool]]:
    """(index, descr, containedIn, class, name, hwRev, swRev, serial, model, isFRU) per entity."""
    s = dev.spec
    rows = [(149, s.inv_descr, 0, 3, "Chassis", "V02", "", dev.snmp_serial(), s.pid, False)]
    if s.linecards:
        for slot, sn in sorted(dev.module_serials.items()):
            lc = next((c for c in s.linecards if c.slot == slot), None)
            pid, descr = (lc.pid, lc.descr) if lc else (s.sup, "Supervisor Module-2")
            rows.append((22 + slot, descr, 149, 9, f"Slot {slot}", "V01", s.version, sn, pid, True))
    else:
        rows.append((22, f"{s.ports}x{'1GE' if s.port_kind == 'copper' else '10/25G'} Ethernet Module", 149, 9,
                     "Slot 1", "V02", s.version, dev.snmp_serial(), s.pid, False))
    for p in dev.psus:
        rows.append((470 + p.slot, f"{s.inv_descr} Power Supply", 149, 6, f"PowerSupply-{p.slot}", "V01", "",
                     p.serial, p.pid, True))
    for f in dev.fans:
        rows.append((534 + f.number, f"{s.inv_descr} Fan Module", 149, 7, f"Fan Module-{f.number}", "V01", "",
                     "" if f.serial == "N/A" else f.serial, f.pid, True))
    for i, t in enumerate(dev.temps):
        rows.append((21590 + i, f"module-{t.module} {t.name}", 22 + (0 if not s.linecards else 5), 8,
                     f"module-{t.module} {t.name}", "", "", "", "", False))
    for p in dev.ports:
        if p.optic:
            rows.append((300_000_000 + p.if_index % 1_000_000, f"{OPTICS[p.optic][0]} transceiver", 149, 10,
                         p.name, "A", "", p.optic_serial, p.optic, True))
    return rows


def snmp_view(dev: NxosDevice) -> dict[str, tuple[str, object]]:
    up = dev.uptime()
    v: dict[str, tuple[str, object]] = {**system_group(sys_descr(dev), dev.spec.sys_object_id, up, dev.hostname, 70)}
    put_entities(v, [Entity(i, d, parent, cls, name, serial, pid, hw, sw, fru)
                     for i, d, parent, cls, name, hw, sw, serial, pid, fru in entity_rows(dev)])
    # CISCO-ENTITY-SENSOR-MIB: temperatures in C with their minor (10) and major (20) rising thresholds.
    sens, thr = "1.3.6.1.4.1.9.9.91.1.1.1.1", "1.3.6.1.4.1.9.9.91.1.2.1.1"
    for i, t in enumerate(dev.temps):
        idx = 21590 + i
        val = t.value(up)
        for col, typ, x in ((1, "Integer", 8), (2, "Integer", 9), (3, "Integer", 0), (4, "Integer", val),
                            (5, "Integer", 1)):
            v[f"{sens}.{col}.{idx}"] = (typ, x)
        for n, (sev, limit) in enumerate(((10, t.minor), (20, t.major)), 1):
            for col, typ, x in ((2, "Integer", sev), (3, "Integer", 4), (4, "Integer", limit),
                                (5, "Integer", 1 if val >= limit else 2)):
                v[f"{thr}.{col}.{idx}.{n}"] = (typ, x)
    # CISCO-ENTITY-FRU-CONTROL-MIB: PSU power state (2 on, 8 failed), fan tray state (2 up, 3 down).
    for p in dev.psus:
        v[f"1.3.6.1.4.1.9.9.117.1.1.2.1.2.{470 + p.slot}"] = ("Integer", 2 if p.ok else 8)
    for f in dev.fans:
        v[f"1.3.6.1.4.1.9.9.117.1.4.1.1.1.{534 + f.number}"] = ("Integer", 2 if f.ok else 3)
    _if_mib(dev, v)
    return v


def _if_mib(dev: NxosDevice, v: SnmpView) -> None:
    for n, p in enumerate(dev.ports, 1):
        c = dev.counters(p)
        put_interface(v, Interface(p.if_index, p.name, p.name, p.speed_mbps, dev.mac_of(n), dev.linked(p),
                                   c["in_octets"], c["out_octets"], c["in_pkts"], c["out_pkts"], c["in_errors"],
                                   c["out_errors"], full_counters=True, fcs_errors=c["crc"]))
