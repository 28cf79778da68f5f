"""The `cisco_iosxr` family: Cisco ASR 9000 and NCS 540/5500 routers on IOS XR.

One `XrDevice` per unit is the single source of truth; the CLI (simulators.families.cisco_iosxr.cli), the
console and the SNMP view all read and change it. Outputs are shaped after real IOS XR units' (ntc-templates'
fixtures): the timestamp line before every answer, `show version`'s "cisco ASR9K Series" line, `show
inventory`'s "Rack 0" chassis block, `admin show environment power|fan` tables. The configuration is
transactional as on XR: `commit` makes it what the unit boots with, every commit is kept as a rollback point.
"""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from simulators.device_base import DriftingTemperature, SimDeviceBase, system_group
from simulators.families.cisco_nxos.device import cisco_serial
from simulators.faults import FaultSpec
from simulators.ports import IDLE_COUNTERS, HarnessTraffic, flapping_up, link_transitions, pick_cabled
from simulators.snmp_tables import Entity, Interface, put_entities, put_interface

if TYPE_CHECKING:
    from simulators.families.cisco_iosxr.cli import XrSession

FACTORY_USER = "cisco"  # the bench's factory set for every Cisco family (one `factory` credential set)
FACTORY_PASSWORD = "cisco"
FACTORY_ENABLE = "cisco"  # IOS XR has no enable: a root-lr user lands at the # prompt
SERIAL_FORMAT = r"^[A-Z]{3}[0-9]{4}[A-Z0-9]{4}$"
_ALNUM = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
_EPOCH_2023 = 1_672_531_200


@dataclass(frozen=True)
class XrModel:
    pid: str
    family: str
    descr: str  # `show inventory` Rack 0 DESCR
    platform: str  # `show version`: "cisco ASR9K Series (P4040) processor" / "cisco NCS-5500 () processor"
    sys_object_id: str
    classic: bool  # 32-bit IOS XR (ROMMON, confreg) rather than 64-bit eXR
    rp: str  # route processor location: RSP0 or RP0
    rp_pid: str
    ports: int
    port_prefix: str  # TenGigE, GigabitEthernet, HundredGigE
    port_speed: int  # Mb/s
    psu_pid: str
    psu_watts: int
    psus: int
    fan_pid: str
    fans: int
    version: str
    linecards: tuple[tuple[int, str, str], ...] = ()  # (slot, PID, description) of modular chassis
    poe: bool = False


MODELS: dict[str, XrModel] = {m.pid: m for m in (
    XrModel(pid="ASR-9001", family="cisco_iosxr", descr="ASR-9001 Chassis", platform="cisco ASR9K Series (P4040) "
            "processor with 8388608K bytes of memory.", sys_object_id="1.3.6.1.4.1.9.1.1639", classic=True,
            rp="RSP0", rp_pid="ASR-9001-RP", ports=4, port_prefix="TenGigE", port_speed=10_000,
            psu_pid="A9K-750W-AC", psu_watts=750, psus=2, fan_pid="ASR-9001-FAN", fans=1, version="6.4.2"),
    XrModel(pid="ASR-9006", family="cisco_iosxr", descr="ASR 9006 4 Line Card Slot Chassis with V2 AC PEM",
            platform="cisco ASR9K Series (Intel 686 F6M14S4) processor with 12582912K bytes of memory.",
            sys_object_id="1.3.6.1.4.1.9.1.1018", classic=True, rp="RSP0", rp_pid="A9K-RSP440-SE", ports=24,
            port_prefix="TenGigE", port_speed=10_000, psu_pid="A9K-3KW-AC", psu_watts=3000, psus=3,
            fan_pid="ASR-9006-FAN-V2", fans=2, version="6.4.2",
            linecards=((0, "A9K-24X10GE-1G-SE", "24X10G/1G Service Edge Optimized LC"),)),
    XrModel(pid="N540-24Z8Q2C-M", family="cisco_iosxr", descr="NCS540 24x10/25G 8x1/10/25G 2x100G Chassis",
            platform="cisco NCS-540 () processor", sys_object_id="1.3.6.1.4.1.9.1.2906", classic=False, rp="RP0",
            rp_pid="N540-24Z8Q2C-M", ports=24, port_prefix="TwentyFiveGigE", port_speed=25_000,
            psu_pid="N540-PSU-400W-AC", psu_watts=400, psus=2, fan_pid="N540-FAN", fans=3, version="7.5.2"),
    XrModel(pid="NCS-55A1-24H", family="cisco_iosxr", descr="NCS 5500 24x100G Fixed Chassis",
            platform="cisco NCS-5500 () processor", sys_object_id="1.3.6.1.4.1.9.1.2505", classic=False,
            rp="RP0", rp_pid="NCS-55A1-24H", ports=24, port_prefix="HundredGigE", port_speed=100_000,
            psu_pid="NC55-1200W-ACFW", psu_watts=1200, psus=2, fan_pid="NC55-A1-FAN-FW", fans=3, version="7.3.2"),
)}

OPTICS: dict[str, tuple[str, int]] = {  # PID -> (optics type, Mb/s)
    "SFP-10G-SR": ("SFP+ 10G SR", 10_000), "SFP-10G-LR": ("SFP+ 10G LR", 10_000),
    "SFP-25G-SR-S": ("SFP28 25G SR", 25_000), "QSFP-100G-SR4-S": ("QSFP28 100G SR4", 100_000),
    "QSFP-100G-LR4-S": ("QSFP28 100G LR4", 100_000),
}
# (high alarm, low alarm, high warning, low warning) per reading as the module holds them.
DOM_THRESHOLDS = ((2.0, -13.9, -1.0, -9.9), (1.7, -11.3, -1.3, -7.3), (11.80, 4.00, 10.80, 5.00),
                  (75.0, -5.0, 70.0, 0.0), (3.63, 2.97, 3.46, 3.13))  # rx dBm, tx dBm, bias mA, temp C, volt V


@dataclass
class Port:
    name: str  # TenGigE0/0/0/1
    number: int
    if_index: int
    speed: int
    optic: str | None = None
    optic_serial: str = ""
    cabled: bool = False
    dead: bool = False
    crc: bool = False
    flap: bool = False
    dom_alarm: bool = False

    @property
    def location(self) -> str:
        return self.name[self.name.index("0/"):]


@dataclass
class TempSensor(DriftingTemperature):
    location: str
    name: str
    minor: int
    major: int
    critical: int
    base: float
    forced: float | None = None


@dataclass
class Psu:
    module: str  # 0/PM0
    pid: str
    serial: str
    ok: bool = True


@dataclass
class FanTray:
    module: str  # 0/FT0
    pid: str
    serial: str
    ok: bool = True


_TRAFFIC = HarnessTraffic(base=1100, step=31, out_share=0.97, in_size=500, out_size=490, crc_per_s=2.9)


@dataclass
class Config:
    hostname: str = "ios"
    users: dict[str, str] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)  # anything else an owner committed


@dataclass
class LogEntry:
    at: float
    text: str  # "RP/0/RSP0/CPU0:Dec  7 23:50:01.123 UTC: ..."; built when shown


def factory_config() -> Config:
    """What a unit ships with once its first root-system user is made: that user, and SSH."""
    return Config(users={FACTORY_USER: FACTORY_PASSWORD}, lines=["ssh server v2"])


class XrDevice(SimDeviceBase):
    """One IOS XR router. Deterministic from (seed, slot index, model)."""

    def __init__(self, slot: str, index: int, seed: int, model: str, faults: list[FaultSpec] | None = None) -> None:
        super().__init__(slot, index, model, faults)
        self.spec = MODELS[model]
        self.family = "cisco_iosxr"
        rng = random.Random(f"{seed}:{index}:{model}")
        self.serial = cisco_serial(rng, ("FOC", "FOX", "FLM", "SAL"))
        self.rp_serial = cisco_serial(rng, ("FOC",))
        self.mac = bytes([0x00, 0x8A, 0x96, rng.randint(0, 255), rng.randint(0, 255), rng.randrange(0, 256, 64)])
        self._power_on(float(rng.randint(600, 9000)))
        self.reload_reason = "Reload requested by the user"
        self.committed = factory_config()  # what the unit boots with
        self.running = copy.deepcopy(self.committed)
        self.commits: list[str] = ["1000000001"]  # rollback points: the first root-system user's commit
        self.config_register = "0x1922" if self.spec.classic else ""
        self.psus = [Psu(f"0/PM{i}", self.spec.psu_pid, cisco_serial(rng, ("ART", "POG", "LIT")))
                     for i in range(self.spec.psus)]
        self.fans = [FanTray(f"0/FT{i}", self.spec.fan_pid, cisco_serial(rng, ("DCH",)))
                     for i in range(self.spec.fans)]
        self.card_serials = {slot: cisco_serial(rng, ("FOC",)) for slot, _, _ in self.spec.linecards}
        loc = f"0/{self.spec.rp}/CPU0"
        self.temps = [TempSensor(loc, "TEMP_INLET", 55, 65, 70, rng.uniform(24, 30)),
                      TempSensor(loc, "TEMP_OUTLET", 75, 85, 95, rng.uniform(35, 42)),
                      TempSensor(loc, "TEMP_CPU_DIE", 85, 95, 105, rng.uniform(45, 55))]
        self.syslog: list[LogEntry] = []
        self.dumps: dict[str, int] = {}  # harddisk:/dumper core files -> size
        self.files: dict[str, int] = {"asr9k-mini-px.pie-6.4.2" if self.spec.classic else "install_repo": 4096}
        self.ports: list[Port] = []
        self._build_ports(rng)
        self._boot_logs()
        self._apply_boot_faults()

    def _build_ports(self, rng: random.Random) -> None:
        s = self.spec
        slot = s.linecards[0][0] if s.linecards else 0
        for n in range(s.ports):
            self.ports.append(Port(f"{s.port_prefix}0/{slot}/0/{n}", n, 100 + n, s.port_speed))
        port_faults = sum(f.name in ("port_dead", "crc_errors", "link_flap", "optic_dom_alarm") for f in self.faults)
        fitting = [pid for pid, (_, speed) in OPTICS.items() if speed == s.port_speed]
        for p in rng.sample(self.ports, min(len(self.ports), max(rng.randint(1, 4), port_faults + 1))):
            p.optic = rng.choice(fitting)
            p.optic_serial = f"{rng.choice(('FNS', 'AVM', 'INL'))}{rng.randint(15, 23)}{rng.randint(10, 52)}" \
                             f"{''.join(rng.choice(_ALNUM) for _ in range(3))}"
            p.cabled = True

    def _boot_logs(self) -> None:
        self.syslog = [LogEntry(at, text) for at, text in (
            (35.0, "%PKT_INFRA-LINK-3-UPDOWN : Interface MgmtEth0/" + self.spec.rp + "/CPU0/0, changed state to Up"),
            (41.0, "%MGBL-CONFIG-6-DB_COMMIT : Configuration committed by user 'system'."),
            (48.0, "%PLATFORM-SHELFMGR-6-CARD_STATE_CHANGE : Card: 0/" + self.spec.rp + "/CPU0 state: IOS XR RUN"),
        )]
        for p in self.ports:
            if self.linked(p):
                self.syslog.append(LogEntry(52.0, f"%PKT_INFRA-LINK-3-UPDOWN : Interface {p.name}, changed state "
                                                  "to Up"))

    # ---------- faults
    def log(self, text: str, at: float | None = None) -> None:
        self.syslog.append(LogEntry(self.uptime() if at is None else at, text))
        del self.syslog[:-512]

    def clock(self) -> float:
        return _EPOCH_2023 + 86_400 * 90 + self.uptime()

    def _fault(self, name: str, rng: random.Random, at_boot: bool) -> None:
        if name == "fan_failed":
            self.fans[0].ok = False
            self.log(f"%PLATFORM-ENVMON-2-FAN : Fan tray {self.fans[0].module} fan failure detected")
        elif name == "psu_failed":
            self.psus[-1].ok = False
            self.log(f"%PLATFORM-PWR_MGMT-2-MODULE_FAILURE : Power-module {self.psus[-1].module} failure condition "
                     "raised")
        elif name == "overtemp":
            t = self.temps[0]
            t.forced = float(t.major + 3)
            self.log(f"%PLATFORM-ENVMON-2-TEMP : {t.location} {t.name} temperature {t.forced:.0f}C above its major "
                     f"threshold {t.major}C")
        elif name == "serial_mismatch":
            self.snmp_serial_override = cisco_serial(rng)
        elif name == "counterfeit_serial":
            self.serial = f"{rng.randint(10**9, 10**10 - 1)}"
        elif name == "parity_crash":
            self.reload_reason = "Cause: Parity error in memory, kernel panic"
            self.log("%PLATFORM-CPU_PARITY-0-ERROR : Uncorrectable parity error in L2 cache, reloading",
                     30.0 if at_boot else None)
        if name in ("crashinfo", "parity_crash"):
            pid = rng.randint(4000, 30000)
            self.dumps[f"bgp_{pid}.by.11.20230314-101201.{self.spec.rp.lower()}_cpu0.dmp.gz"] = rng.randint(2_000_000,
                                                                                                          9_000_000)
            self.log(f"%OS-DUMPER-7-DUMP_REQUEST : Dump request for process pkg/bin/bgp (PID {pid}), signal 11",
                     60.0 if at_boot else None)
        elif name == "port_dead":
            p = self._cabled(rng)
            p.dead = True
            self.log(f"%PKT_INFRA-LINK-3-UPDOWN : Interface {p.name}, changed state to Down")
        elif name == "crc_errors":
            self._cabled(rng).crc = True
        elif name == "link_flap":
            self._cabled(rng).flap = True
        elif name == "optic_dom_alarm":
            p = next(p for p in self.ports if p.optic)
            p.dom_alarm = True
            self.log(f"%PKT_INFRA-FM-3-FAULT_MAJOR : ALARM_MAJOR :Optics RX POWER LANE-0 LOW ALARM :DECLARE :{p.name}")
        elif name == "leftover_config":
            self.committed.hostname = f"pe{rng.randint(1, 40):02d}-core"
            self.committed.lines += ["snmp-server community Acm3RO RO", "logging 10.20.0.15 vrf MGMT",
                                     "router bgp 64512", "interface Loopback0 ipv4 address 10.255.0.1/32"]
            if "unknown_password" not in {f.name for f in self.faults}:
                self.committed.users["netops"] = f"Pr3v-{rng.randint(10000, 99999)}"
            self.commits += [f"100000{n:04d}" for n in range(len(self.commits) + 1, len(self.commits) + 6)]
            self.files["pe-backup.cfg"] = 18_402
            self.running = copy.deepcopy(self.committed)
        elif name == "unknown_password":
            self.committed.users = {"netops": f"Pr3v-{rng.randint(10000, 99999)}"}
            self.running = copy.deepcopy(self.committed)
        elif name == "reboot" and not at_boot:
            self.reload()

    def _cabled(self, rng: random.Random) -> Port:
        return pick_cabled(rng, self.ports)

    # ---------- ports
    def linked(self, p: Port) -> bool:
        if not p.cabled or p.dead or not p.optic:
            return False
        return flapping_up(self.uptime()) if p.flap else True

    def transitions(self, p: Port) -> int:
        return link_transitions(p, self.uptime())

    def counters(self, p: Port) -> dict[str, int]:
        if not self.linked(p) and not p.flap:
            return dict(IDLE_COUNTERS)
        return _TRAFFIC.counters(self.uptime(), p.number, p.crc)

    def dom(self, p: Port) -> tuple[float, float, float, float, float]:
        """rx dBm, tx dBm, bias mA, temperature C, voltage V."""
        r = random.Random(f"{p.optic_serial}:dom")
        rx = -2.0 - r.random() * 3 if self.linked(p) else -40.0
        if p.dom_alarm:
            rx = -16.8
        return (round(rx, 2), round(-2.4 + r.random(), 2), round(6.2 + r.random() * 2, 2),
                round(29 + r.random() * 8, 2), round(3.26 + r.random() * 0.06, 2))

    # ---------- sessions and configuration
    def open_session(self, console: bool) -> XrSession:
        from simulators.families.cisco_iosxr.cli import XrSession  # the CLI renders this object: import late

        return XrSession(self, console=console)

    def check_login(self, username: str, password: str) -> bool:
        return self.running.users.get(username) == password

    def commit(self, cfg: Config, replace: bool = False) -> str:
        self.committed = copy.deepcopy(cfg)
        self.running = copy.deepcopy(cfg)
        n = f"100000{len(self.commits) + 1:04d}" if not self.commits else str(int(self.commits[-1]) + 1)
        self.commits.append(n)
        self.log(f"%MGBL-CONFIG-6-DB_COMMIT : Configuration committed by user '{'cisco'}'. Use 'show configuration "
                 f"commit changes {n}' to view the changes.")
        return n

    def reload(self, reason: str = "Reload requested by the user") -> None:
        self._restart()
        self.reload_reason = reason
        self.running = copy.deepcopy(self.committed)
        self._boot_logs()

    def boot_script(self) -> object:
        from simulators.boot import BootScript
        from simulators.families.cisco_iosxr.cli import boot_text

        loader, kernel = boot_text(self)
        return BootScript([loader, 0.5], [kernel, 0.5])

    @property
    def hostname(self) -> str:
        return self.running.hostname

    @property
    def prompt_base(self) -> str:
        return f"RP/0/{self.spec.rp}/CPU0:{self.hostname}"

    def snmp_view(self) -> dict[str, tuple[str, object]]:
        self.touch()
        return snmp_view(self)


def sys_descr(dev: XrDevice) -> str:
    s = dev.spec
    series = "ASR9K" if s.pid.startswith("ASR") else "NCS-5500" if s.pid.startswith("NCS") else "NCS540"
    return (f"Cisco IOS XR Software ({series}), Version {s.version}\n"
            "Copyright (c) 2013-2022 by Cisco Systems, Inc.")


def entity_rows(dev: XrDevice) -> list[tuple[int, str, int, int, str, str, str, str, str, bool]]:
    """(index, descr, containedIn, class, name, hwRev, swRev, serial, model, isFRU) per entity."""
    s = dev.spec
    rows = [(24555730, s.descr, 0, 3, "Rack 0", "V02", "", dev.snmp_serial(), s.pid, False),
            (8384513, "Route Processor", 24555730, 9, f"0/{s.rp}/CPU0", "V01", s.version, dev.rp_serial, s.rp_pid,
             True)]
    for slot, pid, descr in s.linecards:
        rows.append((8388608 + slot, descr, 24555730, 9, f"0/{slot}/CPU0", "V01", s.version,
                     dev.card_serials[slot], pid, True))
    for i, p in enumerate(dev.psus):
        rows.append((8417281 + i, "Power Module", 24555730, 6, p.module, "V01", "", p.serial, p.pid, True))
    for i, f in enumerate(dev.fans):
        rows.append((8401921 + i, "Fan Tray", 24555730, 7, f.module, "V01", "", f.serial, f.pid, True))
    for i, t in enumerate(dev.temps):
        rows.append((8384600 + i, f"{t.location} {t.name}", 8384513, 8, f"{t.location}-{t.name}", "", "", "", "",
                     False))
    for p in dev.ports:
        if p.optic:
            rows.append((9000000 + p.number, f"{OPTICS[p.optic][0]} Pluggable Optics Module", 24555730, 10, p.name,
                         "V01", "", p.optic_serial, p.optic, True))
    return rows


def snmp_view(dev: XrDevice) -> dict[str, tuple[str, object]]:
    up = dev.uptime()
    v: dict[str, tuple[str, object]] = {**system_group(sys_descr(dev), dev.spec.sys_object_id, up, dev.hostname, 6)}
    put_entities(v, [Entity(i, d, parent, cls, name, serial, pid, hw, sw, fru)
                     for i, d, parent, cls, name, hw, sw, serial, pid, fru in entity_rows(dev)])
    sens, thr = "1.3.6.1.4.1.9.9.91.1.1.1.1", "1.3.6.1.4.1.9.9.91.1.2.1.1"
    for i, t in enumerate(dev.temps):
        idx, val = 8384600 + i, t.value(up)
        for col, typ, x in ((1, "Integer", 8), (2, "Integer", 9), (3, "Integer", 0), (4, "Integer", val),
                            (5, "Integer", 1)):
            v[f"{sens}.{col}.{idx}"] = (typ, x)
        for n, (sev, limit) in enumerate(((10, t.minor), (20, t.major), (30, t.critical)), 1):
            for col, typ, x in ((2, "Integer", sev), (3, "Integer", 4), (4, "Integer", limit),
                                (5, "Integer", 1 if val >= limit else 2)):
                v[f"{thr}.{col}.{idx}.{n}"] = (typ, x)
    for i, p in enumerate(dev.psus):
        v[f"1.3.6.1.4.1.9.9.117.1.1.2.1.2.{8417281 + i}"] = ("Integer", 2 if p.ok else 8)
    for i, f in enumerate(dev.fans):
        v[f"1.3.6.1.4.1.9.9.117.1.4.1.1.1.{8401921 + i}"] = ("Integer", 2 if f.ok else 3)
    for p in dev.ports:
        c = dev.counters(p)
        mac = (int.from_bytes(dev.mac, "big") + p.number).to_bytes(6, "big")
        put_interface(v, Interface(p.if_index, p.name, p.name, p.speed, mac, dev.linked(p),
                                   c["in_octets"], c["out_octets"], c["in_pkts"], c["out_pkts"], c["in_errors"],
                                   c["out_errors"], mtu=1514, full_counters=True, fcs_errors=c["crc"]))
    return v
