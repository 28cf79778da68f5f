"""The `arista_eos` family: fixed Arista 7050/7280 switches on EOS.

One `AristaDevice` per unit is the single source of truth; the CLI (simulators.families.arista_eos.cli),
the console and the SNMP view all read and change it.
"""

from __future__ import annotations

import copy
import random
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from simulators.device_base import SimDeviceBase, drift, system_group
from simulators.faults import FaultSpec
from simulators.ports import IDLE_COUNTERS, HarnessTraffic, flapping_up, link_transitions, pick_cabled
from simulators.snmp_tables import Entity, Interface, SnmpView, put_entities, put_interface

if TYPE_CHECKING:
    from simulators.families.arista_eos.cli import EosSession

FACTORY_USER = "admin"
FACTORY_PASSWORD = "admin"
FACTORY_ENABLE = ""  # EOS has no enable secret out of the box

_ARISTA_OUIS = ("00:1C:73", "28:99:3A", "44:4C:A8", "74:83:EF", "98:5D:82", "FC:BD:67")
_ALNUM = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
_EPOCH_2023 = 1_672_531_200  # clock of a unit that never saw NTP: the RTC keeps roughly the right date


@dataclass(frozen=True)
class AristaModel:
    pid: str
    family: str
    sys_object_id: str
    descr: str  # `show inventory` description
    ports: int  # front-panel SFP+/10GBASE-T ports
    port_kind: str  # "10gbaset" or "sfp+"
    qsfp: int
    qsfp_kind: str  # "qsfp+" (40G) or "qsfp100"
    psu_pid: str
    psu_watts: int
    fan_pid: str
    fan_trays: int
    hw_rev: str
    version: str
    image: str
    arch: str
    memory_kb: int
    poe: bool = False


_V7050 = dict(family="arista_eos", psu_watts=460, fan_pid="FAN-7000-F", fan_trays=4, hw_rev="01.11",
              version="4.20.15M", image="EOS-4.20.15M.swi", arch="i386", memory_kb=3_978_116,
              qsfp=4, qsfp_kind="qsfp+")
MODELS: dict[str, AristaModel] = {m.pid: m for m in (
    AristaModel(pid="DCS-7050TX-64", sys_object_id="1.3.6.1.4.1.30065.1.3011.7050.1958.64",
                descr="48 10GBASE-T + 4 QSFP+ 1RU", ports=48, port_kind="10gbaset", psu_pid="PWR-460AC-F",
                **_V7050),  # type: ignore[arg-type]
    AristaModel(pid="DCS-7050SX-64", sys_object_id="1.3.6.1.4.1.30065.1.3011.7050.3741.64",
                descr="48 SFP+ + 4 QSFP+ 1RU", ports=48, port_kind="sfp+", psu_pid="PWR-460AC-F",
                **_V7050),  # type: ignore[arg-type]
    AristaModel(pid="DCS-7280SR-48C6", family="arista_eos",
                sys_object_id="1.3.6.1.4.1.30065.1.3011.7280.3735.48.2878.6",
                descr="48 SFP+ + 6 QSFP100 1RU", ports=48, port_kind="sfp+", qsfp=6, qsfp_kind="qsfp100",
                psu_pid="PWR-500AC-F", psu_watts=500, fan_pid="FAN-7000-F", fan_trays=4, hw_rev="11.02",
                version="4.24.6M", image="EOS-4.24.6M.swi", arch="x86_64", memory_kb=8_099_732),
)}

# Optic PID -> (type shown by `show interfaces status`, slot kind, speed in Mb/s, wavelength nm)
OPTICS: dict[str, tuple[str, str, int]] = {
    "SFP-10G-SR": ("10GBASE-SR", "sfp+", 10_000),
    "SFP-10G-LR": ("10GBASE-LR", "sfp+", 10_000),
    "QSFP-40G-SR4": ("40GBASE-SR4", "qsfp+", 40_000),
    "QSFP-40G-LR4": ("40GBASE-LR4", "qsfp+", 40_000),
    "QSFP-100G-SR4": ("100GBASE-SR4", "qsfp100", 100_000),
    "QSFP-100G-LR4": ("100GBASE-LR4", "qsfp100", 100_000),
}

# DOM alarm/warning thresholds per optic family (high alarm, high warn, low warn, low alarm): the
# bench must compare readings with the module's own thresholds, so each optic carries them.
DOM_THRESHOLDS: dict[str, tuple[tuple[float, float, float, float], ...]] = {
    # temperature C, voltage V, bias mA, tx dBm, rx dBm
    "SR": ((75.0, 70.0, 0.0, -5.0), (3.63, 3.46, 3.13, 2.97), (13.0, 12.0, 4.0, 3.0),
           (1.7, 0.7, -7.3, -8.3), (2.0, 1.0, -9.9, -13.9)),
    "LR": ((75.0, 70.0, 0.0, -5.0), (3.63, 3.46, 3.13, 2.97), (85.0, 80.0, 20.0, 15.0),
           (3.5, 2.5, -7.2, -8.2), (3.5, 2.5, -14.4, -18.4)),
}


@dataclass
class Port:
    name: str  # Ethernet1, Ethernet49/1
    short: str  # Et1, Et49/1
    cage: int  # transceiver slot number
    kind: str  # "10gbaset", "sfp+", "qsfp+", "qsfp100"
    if_index: int
    optic: str | None = None
    optic_serial: str = ""
    cabled: bool = False  # a cable/harness is plugged: the port should link
    dead: bool = False
    crc: bool = False
    flap: bool = False
    dom_alarm: bool = False

    @property
    def speed_mbps(self) -> int:
        if self.optic:
            return OPTICS[self.optic][2]
        return {"10gbaset": 10_000, "sfp+": 10_000, "qsfp+": 40_000, "qsfp100": 100_000}[self.kind]


@dataclass
class TempSensor:
    number: int
    descr: str
    base: float
    alert: int
    critical: int
    forced: float | None = None

    def value(self, uptime: float) -> float:
        if self.forced is not None:
            return self.forced
        return round(drift(self.base, uptime, 1.2, self.number), 1)


@dataclass
class Psu:
    slot: int
    pid: str
    serial: str
    watts: int
    ok: bool = True


@dataclass
class FanTray:
    number: int
    pid: str
    ok: bool = True


@dataclass
class FlashFile:
    size: int
    date: str  # as `dir` prints it: "Mar  1  2023" or "Jan 18 22:46"
    is_dir: bool = False
    children: dict[str, FlashFile] = field(default_factory=dict)


_TRAFFIC = HarnessTraffic(base=1200, step=37, out_share=0.97, in_size=512, out_size=498, crc_per_s=3.7)


@dataclass
class Config:
    hostname: str = "localhost"
    users: dict[str, str] = field(default_factory=dict)
    enable_secret: str | None = None
    vlans: dict[int, str] = field(default_factory=dict)
    domain: str | None = None
    extra: list[str] = field(default_factory=list)


@dataclass
class LogEntry:
    at: float  # device uptime (s)
    agent: str  # "Stp", "Launcher", ...
    text: str  # "%FAC-SEV-MNEMONIC: message"


def arista_serial(rng: random.Random, prefix: str = "JPE") -> str:
    """Arista chassis format: 3 letters (factory), 4-digit year/week, 4 characters: JPE14437991."""
    year, week = rng.randint(14, 22), rng.randint(1, 52)
    return f"{prefix}{year:02d}{week:02d}{''.join(rng.choice('0123456789') for _ in range(4))}"


def _psu_serial(rng: random.Random) -> str:
    return f"K{rng.randint(100, 999)}{rng.choice('NA')}{rng.choice('LA')}{rng.randint(0, 999):03d}" \
           f"{''.join(rng.choice(_ALNUM) for _ in range(2))}1CZ"


def _optic_serial(rng: random.Random) -> str:
    return f"XCW{rng.randint(14, 22):02d}{rng.randint(1, 52):02d}{''.join(rng.choice(_ALNUM) for _ in range(4))}"


class AristaDevice(SimDeviceBase):
    """A fixed Arista switch. Deterministic from (seed, slot index, model)."""

    def __init__(self, slot: str, index: int, seed: int, model: str, faults: list[FaultSpec] | None = None) -> None:
        super().__init__(slot, index, model, faults)
        self.spec = MODELS[model]
        self.family = "arista_eos"
        rng = random.Random(f"{seed}:{index}:{model}")
        self.serial = arista_serial(rng, rng.choice(("JPE", "SSJ", "JAS")))
        self.mfg_date = f"20{rng.randint(15, 22)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        mac = [int(x, 16) for x in rng.choice(_ARISTA_OUIS).split(":")] + [rng.randint(0, 255), rng.randint(0, 255),
                                                                            rng.randrange(0, 256, 128)]
        self.mac = bytes(mac)
        self.version = self.spec.version
        self.reload_cause = "The system rebooted due to a Power Loss"
        self._power_on(float(rng.randint(120, 900)))
        self.ztp = False  # booted without startup-config: Zero Touch Provisioning is running

        self.running = Config(users={FACTORY_USER: FACTORY_PASSWORD})
        self.startup: Config | None = copy.deepcopy(self.running)
        self.ports: list[Port] = []
        self.psus = [Psu(i, self.spec.psu_pid, _psu_serial(rng), self.spec.psu_watts) for i in (1, 2)]
        self.fans = [FanTray(i, self.spec.fan_pid) for i in range(1, self.spec.fan_trays + 1)]
        self.temps = [
            TempSensor(1, "Cpu temp sensor", rng.uniform(38, 46), 95, 105),
            TempSensor(2, "Cpu board temp sensor", rng.uniform(30, 36), 75, 85),
            TempSensor(3, "Back-panel temp sensor", rng.uniform(26, 31), 55, 65),
            TempSensor(4, "Front-panel temp sensor", rng.uniform(22, 27), 65, 75),
            TempSensor(5, "Switch chip temp sensor", rng.uniform(48, 58), 105, 115),
        ]
        # Not named `logs`: the shared console prints a device's `logs` in IOS format, and EOS logs
        # to the console only at level errors by default.
        self.syslog: list[LogEntry] = []
        self.flash: dict[str, FlashFile] = {}
        self._build_ports(rng)
        self._build_flash()
        self._boot_logs()
        self._apply_boot_faults()

    # ---------- construction
    def _build_ports(self, rng: random.Random) -> None:
        s = self.spec
        for n in range(1, s.ports + 1):
            self.ports.append(Port(f"Ethernet{n}", f"Et{n}", n, s.port_kind, n))
        for q in range(s.ports + 1, s.ports + s.qsfp + 1):
            self.ports.append(Port(f"Ethernet{q}/1", f"Et{q}/1", q, s.qsfp_kind, q * 1000 + 1))
        want_optic = any(f.name.startswith("optic") for f in self.faults)
        pluggable = [p for p in self.ports if p.kind != "10gbaset"]
        for p in rng.sample(pluggable, rng.randint(2 if want_optic else 1, 4)):
            p.optic = rng.choice([pid for pid, (_, kind, _) in OPTICS.items() if kind == p.kind])
            p.optic_serial = _optic_serial(rng)
            p.cabled = True
        if s.port_kind == "10gbaset":  # copper harness on the first ports
            for p in self.ports[:4]:
                p.cabled = True

    def _build_flash(self) -> None:
        s = self.spec
        self.flash = {
            s.image: FlashFile(612_157_281 if s.arch == "i386" else 812_462_908, "Mar  4  2023"),
            "boot-config": FlashFile(29, "Mar  4  2023"),
            "debug": FlashFile(4096, "Mar  4  2023", is_dir=True),
            "persist": FlashFile(4096, "Mar  4  2023", is_dir=True),
            "schedule": FlashFile(4096, "Mar  4  2023", is_dir=True),
            "startup-config": FlashFile(1204, "Mar  4  2023"),
            "zerotouch-config": FlashFile(13, "Mar  4  2023"),
        }

    def _boot_logs(self) -> None:
        self.syslog = [LogEntry(at, agent, text) for at, agent, text in (
            (21.3, "Launcher", "%LAUNCHER-6-PROCESS_START: Configuring process 'Stp' to start in role "
                               "'AllSupervisors'"),
            (28.7, "Stp", "%SPANTREE-6-INTERFACE_ADD: Interface Ethernet1 has been added to instance MST0"),
            (33.0, "ConfigAgent", "%SYS-5-CONFIG_STARTUP: Startup complete"),
            (34.2, "Ebra", "%LINEPROTO-5-UPDOWN: Line protocol on Interface Management1, changed state to up"),
        )]
        if self.ztp:
            self.syslog.append(LogEntry(35.0, "ZeroTouch", "%ZTP-6-DHCPv4_QUERY: Sending DHCPv4 request on  "
                                      "[ Ethernet1, Management1 ]"))
        for p in self.ports:
            if self.linked(p):
                self.syslog.append(LogEntry(36.0, "Ebra", f"%LINEPROTO-5-UPDOWN: Line protocol on Interface {p.name}, "
                                          "changed state to up"))

    # ---------- time, contact and faults
    def clock(self) -> float:
        return _EPOCH_2023 + 86_400 * 60 + self.uptime()

    def log(self, agent: str, text: str, at: float | None = None) -> None:
        self.syslog.append(LogEntry(self.uptime() if at is None else at, agent, text))
        del self.syslog[:-512]

    def _fault(self, name: str, rng: random.Random, at_boot: bool) -> None:
        if name == "fan_failed":
            self.fans[0].ok = False
            self.log("Fru", "%ENVMON-3-FAN_FAILED: Fan 1/1 has failed")
        elif name == "psu_failed":
            self.psus[-1].ok = False
            self.log("PowerManager", f"%ENVMON-4-POWER_LOSS: Power supply {self.psus[-1].slot} has lost power")
        elif name == "overtemp":
            t = self.temps[3]
            t.forced = float(t.critical + 3)
            self.log("Thermostat", f"%ENVMON-1-TEMPERATURE_CRITICAL: Sensor TempSensor{t.number} ({t.descr}) "
                     f"temperature {t.forced:.1f}C has crossed the critical limit of {t.critical}C")
        elif name == "serial_mismatch":
            self.snmp_serial_override = arista_serial(rng, "JPE")
        elif name == "counterfeit_serial":
            # Not Arista's LLLYYWWNNNN: a relabelled or grey-market unit.
            self.serial = f"{rng.randint(10**9, 10**10 - 1)}"
        elif name == "parity_crash":
            self.reload_cause = "Reload after crash: uncorrectable parity error in switch chip memory"
            self._add_core(rng)
            for at, agent, text in (
                (30.0, "SandCounters", "%HARDWARE-3-ERROR: Uncorrectable parity error detected in MMU memory "
                                       f"table EGR_VLAN at index {rng.randint(1, 4095)}"),
                (30.5, "Fru", "%SYS-2-RELOAD_CAUSE: Previous reload was caused by a hardware parity error"),
            ):
                self.log(agent, text, None if not at_boot else at)
        elif name == "crashinfo":
            self._add_core(rng)
        elif name == "port_dead":
            p = self._cabled(rng)
            p.dead = True
            self.log("Ebra", f"%LINEPROTO-5-UPDOWN: Line protocol on Interface {p.name}, changed state to down")
        elif name == "crc_errors":
            self._cabled(rng).crc = True
        elif name == "link_flap":
            self._cabled(rng).flap = True
        elif name == "optic_dom_alarm":
            p = next(p for p in self.ports if p.optic)
            p.dom_alarm = True
            self.log("Xcvr", f"%TRANSCEIVER-4-RX_POWER_LOW_ALARM: {p.name}: Rx power is below the low alarm "
                             "threshold")
        elif name == "leftover_config":
            self.running.hostname = f"acme-leaf{rng.randint(1, 40):02d}"
            self.running.vlans = {10: "DATA", 20: "VOICE", 99: "MGMT"}
            self.running.domain = "corp.acme.example"
            self.running.extra = ["snmp-server community Acm3RO ro", "logging host 10.20.0.15",
                                  "ntp server 10.20.0.1"]
            if "unknown_password" not in {f.name for f in self.faults}:
                self.running.users["netops"] = f"Pr3v-{rng.randint(10000, 99999)}"
            self.startup = copy.deepcopy(self.running)
        elif name == "unknown_password":
            self.running.users = {"netops": f"Pr3v-{rng.randint(10000, 99999)}"}
            self.running.enable_secret = f"Own3r-{rng.randint(10000, 99999)}"
            self.startup = copy.deepcopy(self.running)
        elif name == "reboot" and not at_boot:
            self.reload("The system rebooted due to a Power Loss")

    def _cabled(self, rng: random.Random) -> Port:
        return pick_cabled(rng, self.ports)

    def _add_core(self, rng: random.Random) -> None:
        debug = self.flash["debug"]
        stamp = 1_677_000_000 + rng.randint(0, 3_000_000)
        pid = rng.randint(1500, 9000)
        debug.children[f"core.{pid}.{stamp}.Sysdb.gz"] = FlashFile(rng.randint(2_000_000, 9_000_000), "Mar  2  2023")
        debug.children["kernel-crash.log"] = FlashFile(rng.randint(20_000, 60_000), "Mar  2  2023")
        self.log("ProcMgr", f"%PROCMGR-6-PROCESS_TERMINATED: 'Sysdb' (PID={pid}, status=134) has terminated.", 31.0)
        self.log("ProcMgr", f"%PROCMGR-6-PROCESS_RESTART: Restarting 'Sysdb' immediately (it had PID={pid})", 31.2)

    # ---------- ports and counters
    def linked(self, p: Port) -> bool:
        if not p.cabled or p.dead:
            return False
        if p.kind != "10gbaset" and not p.optic:
            return False
        return flapping_up(self.uptime()) if p.flap else True

    def link_changes(self, p: Port) -> int:
        return link_transitions(p, self.uptime())

    def counters(self, p: Port) -> dict[str, int]:
        """Counters since boot; they grow with uptime on a cabled, working port."""
        if not p.cabled or p.dead or (p.kind != "10gbaset" and not p.optic):
            return {**IDLE_COUNTERS, "in_bcast": 0, "in_mcast": 0, "out_mcast": 0}
        up = self.uptime()
        return {**_TRAFFIC.counters(up, p.cage, p.crc), "in_bcast": int(up / 2), "in_mcast": int(up / 2),
                "out_mcast": int(up / 2)}

    def dom(self, p: Port) -> tuple[float, float, float, float, float]:
        """temperature C, voltage V, bias mA, tx dBm, rx dBm of an inserted optic."""
        r = random.Random(f"{p.optic_serial}:dom")
        lr = p.optic is not None and p.optic.endswith("LR4") or (p.optic or "").endswith("LR")
        rx = -2.0 - r.random() * 3 if self.linked(p) else -30.0
        if p.dom_alarm:
            rx = -16.2 if not lr else -20.5
        return (round(28 + r.random() * 8, 2), round(3.25 + r.random() * 0.08, 2),
                round((35.0 if lr else 7.0) + r.random() * 3, 2), round(-1.5 + r.random(), 2), round(rx, 2))

    def dom_thresholds(self, p: Port) -> tuple[tuple[float, float, float, float], ...]:
        return DOM_THRESHOLDS["LR" if (p.optic or "").rstrip("4").endswith("LR") else "SR"]

    # ---------- credentials and configuration
    def open_session(self, console: bool) -> EosSession:
        from simulators.families.arista_eos.cli import EosSession  # the CLI renders this object: import late

        return EosSession(self, console=console)

    def check_login(self, username: str, password: str) -> bool:
        return username in self.running.users and self.running.users[username] == password

    def check_enable(self, secret: str) -> bool:
        return self.running.enable_secret is None or secret == self.running.enable_secret

    def write_memory(self) -> None:
        self.startup = copy.deepcopy(self.running)
        self.flash["startup-config"] = FlashFile(900 + 40 * len(self.running.vlans), self.flash_date())

    def write_erase(self) -> None:
        self.startup = None
        self.flash.pop("startup-config", None)

    def flash_date(self) -> str:
        t = time.gmtime(self.clock())
        return time.strftime("%b %d %H:%M", t).replace(" 0", "  ")

    def reload(self, cause: str = "Reload requested by the user.") -> None:
        self._restart()
        self.reload_cause = cause
        self.ztp = self.startup is None
        # Without startup-config EOS comes up with the default admin account (and ZTP running).
        self.running = copy.deepcopy(self.startup) if self.startup else Config(users={FACTORY_USER: FACTORY_PASSWORD})
        self._boot_logs()

    def boot_script(self) -> object:
        """What the console shows on a reboot (simulators/boot.py plays it, then opens a session)."""
        from simulators.boot import BootScript
        from simulators.families.arista_eos.cli import boot_text

        loader, _, kernel = boot_text(self).partition("Booting flash:")
        return BootScript([loader, 0.5], ["Booting flash:" + kernel.split("\n", 1)[0] + "\n", 0.5,
                                          kernel.split("\n", 1)[1]])

    @property
    def hostname(self) -> str:
        return self.running.hostname

    def mac_of(self, offset: int) -> bytes:
        n = int.from_bytes(self.mac, "big") + offset
        return n.to_bytes(6, "big")

    def snmp_view(self) -> dict[str, tuple[str, object]]:
        """OID -> (type, value) for the SNMP agent; reads the same state the CLI shows."""
        self.touch()
        return snmp_view(self)


def sys_descr(dev: AristaDevice) -> str:
    return f"Arista Networks EOS version {dev.version} running on an Arista Networks {dev.model}"


# entPhysicalIndex layout as Arista numbers it: chassis 1, then <class block><slot><item>.
ENT_CHASSIS = 1


def ent_index(kind: str, n: int) -> int:
    return {"fan": 100601000, "psu": 100701000, "sensor": 100004000, "xcvr": 100200000}[kind] + n * (
        1 if kind == "sensor" else 100)


def snmp_view(dev: AristaDevice) -> dict[str, tuple[str, object]]:
    up = dev.uptime()
    v: dict[str, tuple[str, object]] = {
        **system_group(sys_descr(dev), dev.spec.sys_object_id, up, dev.hostname, 78),
    }
    put_entities(v, [Entity(i, d, parent, cls, name, serial, pid, hw, sw, fru)
                     for i, d, parent, cls, name, hw, sw, serial, pid, fru in entity_rows(dev)])
    # ENTITY-SENSOR-MIB entPhySensorTable: Arista's environment lives here (temperatures in 0.1 C).
    sens = "1.3.6.1.2.1.99.1.1.1"
    for t in dev.temps:
        idx = ent_index("sensor", t.number)
        val = t.value(up)
        for col, typ, x in ((1, "Integer", 8), (2, "Integer", 9), (3, "Integer", 1),
                            (4, "Integer", int(round(val * 10))), (5, "Integer", 1 if val < t.critical else 3)):
            v[f"{sens}.{col}.{idx}"] = (typ, x)
    for f in dev.fans:
        idx = ent_index("fan", f.number) + 1
        for col, typ, x in ((1, "Integer", 10), (2, "Integer", 9), (3, "Integer", 0),
                            (4, "Integer", 8600 if f.ok else 0), (5, "Integer", 1 if f.ok else 3)):
            v[f"{sens}.{col}.{idx}"] = (typ, x)
    for p in dev.psus:
        idx = ent_index("psu", p.slot) + 1
        for col, typ, x in ((1, "Integer", 5), (2, "Integer", 8), (3, "Integer", 0),
                            (4, "Integer", 1200 if p.ok else 0), (5, "Integer", 1 if p.ok else 3)):
            v[f"{sens}.{col}.{idx}"] = (typ, x)
    _if_mib(dev, v)
    return v


def entity_rows(dev: AristaDevice) -> list[tuple[int, str, int, int, str, str, str, str, str, bool]]:
    """(index, descr, containedIn, class, name, hwRev, swRev, serial, model, isFRU) per entity."""
    s = dev.spec
    rows = [(ENT_CHASSIS, f"{s.pid} Chassis", 0, 3, "", s.hw_rev, dev.version, dev.snmp_serial(), s.pid, False)]
    for f in dev.fans:
        rows.append((ent_index("fan", f.number), f"Fan Tray {f.number}", ENT_CHASSIS, 7, f"Fan Tray {f.number}",
                     "", "", "", f.pid, True))
    for p in dev.psus:
        rows.append((ent_index("psu", p.slot), f"Power Supply {p.slot}", ENT_CHASSIS, 6, f"PowerSupply{p.slot}",
                     "", "", p.serial, p.pid, True))
    for t in dev.temps:
        rows.append((ent_index("sensor", t.number), t.descr, ENT_CHASSIS, 8, f"TempSensor{t.number}",
                     "", "", "", "", False))
    for p in dev.ports:
        if p.optic:
            rows.append((ent_index("xcvr", p.cage), f"Xcvr for {p.name}", ENT_CHASSIS, 10, f"Xcvr{p.cage}",
                         "0002", "", p.optic_serial, p.optic, True))
    return rows


def _if_mib(dev: AristaDevice, v: SnmpView) -> None:
    for n, p in enumerate(dev.ports, 1):
        c = dev.counters(p)
        # dot3StatsFCSErrors: what `show interfaces counters errors` calls FCS.
        put_interface(v, Interface(p.if_index, p.name, p.name, p.speed_mbps, dev.mac_of(n), dev.linked(p),
                                   c["in_octets"], c["out_octets"], c["in_pkts"], c["out_pkts"], c["in_errors"],
                                   c["out_errors"], mtu=9214, full_counters=True, fcs_errors=c["crc"]))
