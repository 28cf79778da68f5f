"""The `juniper_junos` family: EX2300 / EX3400 / EX4300 switches on Junos (ELS).

One `JunosDevice` per switch is the single source of truth; the CLI (juniper_junos_cli) and the
SNMP view read and change it. Configuration is a Junos tree (nested dicts) built from `set` paths.
"""

from __future__ import annotations

import copy
import hashlib
import random
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from simulators.device_base import DriftingTemperature, SimDeviceBase, system_group
from simulators.faults import FaultSpec
from simulators.snmp_tables import Entity, Interface, put_entities, put_interface

if TYPE_CHECKING:
    from simulators.families.juniper_junos.cli import JunosSession

FACTORY_USER = "root"
FACTORY_PASSWORD = "Juniper1"
_JUNIPER_OUIS = ("2c:6b:f5", "88:e0:f3", "f4:b5:2f", "40:b4:f0", "cc:e1:94")


@dataclass(frozen=True)
class JunosModel:
    pid: str
    sys_object_id: str
    poe: bool
    psu_pid: str | None  # None: built-in supply
    psu_bays: int
    psu_part: str
    fan_pid: str | None  # None: fixed fans
    fans: int
    serial_prefix: str
    fpc_part: str
    version: str
    build_date: str
    pics: tuple[tuple[str, str, int], ...]  # (description, port prefix, port count) per PIC
    family: str = "juniper_junos"

    @property
    def psu_watts(self) -> int:
        return int(self.psu_pid.split("-")[1]) if self.psu_pid else 0


MODELS: dict[str, JunosModel] = {m.pid: m for m in (
    JunosModel("EX2300-48P", "1.3.6.1.4.1.2636.1.1.1.2.132", True, None, 1, "BUILTIN", None, 2, "JW",
               "650-059884", "21.4R3-S5.4", "2023-09-29 01:41:52 UTC",
               (("48x10/100/1000 Base-T", "ge", 48), ("4x10G SFP/SFP+", "xe", 4))),
    JunosModel("EX3400-48T", "1.3.6.1.4.1.2636.1.1.1.2.131", False, "JPSU-150-AC-AFO", 2, "640-060603",
               "EX3400-FAN-AFO", 2, "NW", "650-059879", "21.4R3-S5.4", "2023-09-29 01:41:52 UTC",
               (("48x10/100/1000 Base-T", "ge", 48), ("2x40G QSFP", "et", 2), ("4x10G SFP/SFP+", "xe", 4))),
    JunosModel("EX4300-48T", "1.3.6.1.4.1.2636.1.1.1.2.63", False, "JPSU-350-AC-AFO", 2, "740-046873",
               "EX4300-FAN", 2, "PE", "650-044930", "20.4R3-S9.2", "2023-11-14 19:05:10 UTC",
               (("48x 10/100/1000 Base-T", "ge", 48), ("4x 40GE QSFP+", "et", 4), ("4x 1G/10G SFP/SFP+", "xe", 4))),
)}

# Optics: name -> (Juniper part, DOM thresholds: tx high/low alarm dBm, rx high/low alarm dBm)
OPTICS: dict[str, tuple[str, tuple[float, float, float, float]]] = {
    "SFP+-10G-SR": ("740-021308", (1.50, -7.30, 1.50, -11.10)),
    "SFP+-10G-LR": ("740-021309", (2.00, -8.20, 2.50, -18.01)),
    "SFP-SX": ("740-011613", (-2.50, -11.50, 0.50, -18.00)),
}


@dataclass
class Port:
    name: str  # ge-0/0/0
    kind: str  # ge | xe | et
    pic: int
    ifindex: int
    mac: str
    linked: bool = False  # cabled to the bench harness (or the optic has light)
    optic: str | None = None
    optic_serial: str = ""
    dead: bool = False
    crc_since: float | None = None  # uptime when CRC errors began
    flapping: bool = False

    @property
    def speed_mbps(self) -> int:
        return {"ge": 1000, "xe": 10000, "et": 40000}[self.kind]


@dataclass
class Fan:
    tray: int
    ok: bool = True


@dataclass
class Psu:
    slot: int
    pid: str | None
    part: str
    serial: str
    present: bool = True
    ok: bool = True


@dataclass
class TempSensor(DriftingTemperature):
    name: str
    base: float
    forced: float | None = None


@dataclass
class LogEntry:
    wall: float  # epoch seconds
    process: str  # "chassisd[1813]" or "/kernel"
    text: str


@dataclass
class CrashFile:
    name: str
    size: int
    wall: float


@dataclass
class EntItem:
    index: int
    descr: str
    contained_in: int
    cls: int
    name: str
    hw_rev: str
    serial: str
    model: str
    fru: bool


Tree = dict[str, "Tree"]

# Tokens that take one value in a `set` path ("host-name X" is one statement).
VALUE_KW = frozenset({"host-name", "vlan-id", "class", "uid", "encrypted-password", "any", "authorization",
                      "interactive-commands", "domain-name", "location", "contact", "description",
                      "storm-control", "time-zone", "full-name", "source-address"})
# Tokens naming an instance ("user netops {", "unit 0 {").
NAMED = frozenset({"user", "file", "community", "host", "server", "unit", "family", "interface", "vlan",
                   "name-server"})


def path_keys(tokens: list[str]) -> list[str]:
    """`set` tokens -> keys of the config tree (keyword and value joined where Junos joins them)."""
    keys: list[str] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if (tok in VALUE_KW or tok in NAMED) and i + 1 < len(tokens):
            keys.append(f"{tok} {tokens[i + 1]}")
            i += 2
        else:
            keys.append(tok)
            i += 1
    return keys


def tree_set(tree: Tree, tokens: list[str]) -> None:
    node = tree
    for key in path_keys(tokens):
        kw = key.split(" ", 1)[0]
        if kw in VALUE_KW:  # a single-valued statement replaces its old value
            for old in [k for k in node if k.split(" ", 1)[0] == kw and k != key]:
                del node[old]
        node = node.setdefault(key, {})


def tree_delete(tree: Tree, tokens: list[str]) -> bool:
    keys = path_keys(tokens)
    node = tree
    for n, key in enumerate(keys):
        match = key if key in node else next((k for k in node if k.split(" ", 1)[0] == key), None)
        if match is None:
            return False
        if n == len(keys) - 1:
            del node[match]
            return True
        node = node[match]
    return False


def tree_get(tree: Tree, *keys: str) -> Tree | None:
    node: Tree | None = tree
    for key in keys:
        if node is None or key not in node:
            return None
        node = node[key]
    return node


def tree_value(node: Tree | None, kw: str) -> str | None:
    if node is None:
        return None
    for k in node:
        if k.split(" ", 1)[0] == kw and " " in k:
            return k.split(" ", 1)[1].strip('"')
    return None


def password_hash(user: str, password: str) -> str:
    """A deterministic `$6$` crypt-like hash: the config shows a hash, logins compare hashes."""
    salt = hashlib.sha256(f"salt:{user}".encode()).hexdigest()[:8]
    digest = hashlib.sha512(f"{salt}:{password}".encode()).hexdigest()[:86]
    return f"$6${salt}${digest}"


def _serial(rng: random.Random, prefix: str) -> str:
    # Juniper chassis serials: two letters and ten digits (e.g. NW3619xxxxxx).
    return f"{prefix}{rng.randint(35, 37)}{rng.randint(10, 52):02d}{rng.randint(0, 999999):06d}"


def _fru_serial(rng: random.Random) -> str:
    return "1ED" + "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ0123456789") for _ in range(8))


def _optic_serial(rng: random.Random) -> str:
    return rng.choice(("AN", "AJ", "MY", "FS")) + "".join(rng.choice("0123456789ABCDEFGHJKLMNPRSTUVWXYZ")
                                                           for _ in range(5))


class JunosDevice(SimDeviceBase):
    """An EX switch. Deterministic from (seed, slot index, model)."""

    def __init__(self, slot: str, index: int, seed: int, model: str, faults: list[FaultSpec] | None = None) -> None:
        super().__init__(slot, index, model, faults)
        self.spec = MODELS[model]
        self.family = "juniper_junos"
        rng = random.Random(f"{seed}:{index}:{model}")
        self.serial = _serial(rng, self.spec.serial_prefix)
        oui = rng.choice(_JUNIPER_OUIS)
        self._mac_base = int(oui.replace(":", ""), 16) << 24 | rng.randint(0, 0xFFFF) << 8
        self.base_mac = self.mac(0)
        self.version = self.spec.version
        self.reboot_reason = "0x1:power cycle/failure"
        self._power_on(float(rng.randint(120, 900)))
        self.last_commit = (self.boot_wall() - 3600 * 24 * 30, "root")
        self.ports: list[Port] = []
        self.fans = [Fan(i) for i in range(self.spec.fans)]
        self.psus: list[Psu] = []
        self.temps: list[TempSensor] = []
        self.logs: list[LogEntry] = []
        self.crash_files: list[CrashFile] = []
        self._flap_down = False
        self._build_hardware(rng)
        self.committed: Tree = self.factory_config(with_root=True)
        self._boot_logs()
        self._apply_boot_faults()

    # ---------- construction
    def mac(self, n: int) -> str:
        v = self._mac_base + n
        return ":".join(f"{(v >> s) & 0xFF:02x}" for s in range(40, -8, -8))

    def _build_hardware(self, rng: random.Random) -> None:
        s = self.spec
        ifindex = 513
        for pic, (_, prefix, count) in enumerate(s.pics):
            for p in range(count):
                self.ports.append(Port(f"{prefix}-0/{pic}/{p}", prefix, pic, ifindex, self.mac(ifindex - 500)))
                ifindex += 2  # the odd neighbour is the port's logical unit .0
        for p in self.ports[:4]:
            p.linked = True  # the bench harness cables the first four copper ports
        sfp = [p for p in self.ports if p.kind == "xe"]
        optics_wanted = any(f.name == "optic_dom_alarm" for f in self.faults)
        for p in rng.sample(sfp, rng.randint(1 if optics_wanted else 0, 2)):
            p.optic = rng.choice(sorted(OPTICS))
            p.optic_serial = _optic_serial(rng)
            p.linked = True
        for b in range(s.psu_bays if s.psu_pid else 1):
            self.psus.append(Psu(b, s.psu_pid, s.psu_part, _fru_serial(rng) if s.psu_pid else "BUILTIN",
                                 present=(b == 0 or rng.random() < 0.7)))
        self.temps = [TempSensor(name, rng.uniform(lo, hi)) for name, lo, hi in (
            ("FPC 0 GEPHY Front Left", 28, 33), ("FPC 0 GEPHY Front Right", 28, 33), ("FPC 0 Uplink Conn", 27, 32),
            ("FPC 0 Middle", 32, 37), ("FPC 0 CPU", 44, 52))]

    def factory_config(self, with_root: bool) -> Tree:
        t: Tree = {}
        sets = []
        if with_root:
            sets.append(f"system root-authentication encrypted-password {password_hash('root', FACTORY_PASSWORD)}")
        sets += ["system services ssh", "system services netconf ssh", "system syslog user * any emergency",
                 "system syslog file messages any notice", "system syslog file messages authorization info",
                 "system syslog file interactive-commands interactive-commands any"]
        for p in self.ports:
            sets.append(f"interfaces {p.name} unit 0 family ethernet-switching storm-control default")
        if self.spec.poe:
            sets.append("poe interface all")
        sets += ["protocols lldp interface all", "protocols lldp-med interface all",
                 "protocols igmp-snooping vlan default", "protocols rstp interface all", "vlans default vlan-id 1"]
        for line in sets:
            tree_set(t, line.split())
        return t

    def _boot_logs(self) -> None:
        b = self.boot_wall()
        self.logs = [LogEntry(b + at, proc, text) for at, proc, text in (
            (1.0, "/kernel", f"Copyright (c) 1996-2023, Juniper Networks, Inc. JUNOS {self.version}"),
            (18.2, "chassisd[1813]", "CHASSISD_IFDEV_DETACH_ALL_PSEUDO: ifdev_detach(pseudo devices: all)"),
            (31.7, "mgd[1991]", "UI_COMMIT: User 'root' requested 'commit' operation (comment: none)"),
            (44.0, "mib2d[2012]", "SNMP_TRAP_LINK_UP: ifIndex 513, ifAdminStatus up(1), ifOperStatus up(1), "
                                  "ifName ge-0/0/0"),
            (52.4, "sshd[2203]", "Server listening on 0.0.0.0 port 22."),
        )]

    # ---------- time, contact and faults
    def boot_wall(self) -> float:
        return time.time() - self.uptime()

    def _on_tick(self) -> None:
        self._flap_tick()

    def log(self, process: str, text: str) -> None:
        self.logs.append(LogEntry(time.time(), process, text))
        del self.logs[:-1000]

    def port_up(self, p: Port) -> bool:
        if p.dead or not p.linked:
            return False
        if p.flapping:
            return (self.uptime() % 20.0) >= 4.0  # down 4 s of every 20 s
        return True

    def flaps(self, p: Port) -> int:
        return 2 * int(self.uptime() // 20.0) if p.flapping else 0

    def _flap_tick(self) -> None:
        for p in self.ports:
            if p.flapping:
                down = not self.port_up(p)
                if down != self._flap_down:
                    self._flap_down = down
                    state = "down(2)" if down else "up(1)"
                    trap = "SNMP_TRAP_LINK_DOWN" if down else "SNMP_TRAP_LINK_UP"
                    self.log("mib2d[2012]", f"{trap}: ifIndex {p.ifindex}, ifAdminStatus up(1), "
                                            f"ifOperStatus {state}, ifName {p.name}")

    def _fault(self, name: str, rng: random.Random, at_boot: bool) -> None:
        if name == "fan_failed":
            self.fans[0].ok = False
            self.log("chassisd[1813]", "CHASSISD_FAN_FAILURE: Fan Tray 0 Fan 0 failed")
            self.log("craftd[1807]", " Major alarm set, Fan Tray 0 Fan 0 Failure")
        elif name == "psu_failed":
            psu = self.psus[-1]
            psu.present, psu.ok = True, False
            self.log("chassisd[1813]", f"CHASSISD_PSU_FAILURE: Power Supply {psu.slot} failed")
            self.log("craftd[1807]", f" Major alarm set, FPC 0 PEM {psu.slot} Not OK")
        elif name == "overtemp":
            t = self.temps[3]
            t.forced = 78.0
            self.log("chassisd[1813]", f"CHASSISD_OVER_TEMP_CONDITION: {t.name} temperature 78 C over threshold")
            self.log("craftd[1807]", " Major alarm set, FPC 0 Temperature Hot")
        elif name == "serial_mismatch":
            self.snmp_serial_override = _serial(rng, self.spec.serial_prefix)
        elif name == "counterfeit_serial":
            # Not Juniper's two letters + ten digits: the label, CLI and SNMP all carry it.
            self.serial = f"{self.spec.serial_prefix}{rng.randint(1000, 9999)}X{rng.randint(100, 999)}"
        elif name == "parity_crash":
            self.reboot_reason = "0x2:watchdog"
            addr = f"0x{rng.randrange(0x10000000, 0x7FFFFFFF, 64):08x}"
            self.crash_files += [CrashFile("vmcore.0.gz", rng.randint(40_000_000, 90_000_000), self.boot_wall() - 5),
                                 CrashFile("kernel.0.gz", rng.randint(9_000_000, 12_000_000), self.boot_wall() - 5)]
            b = self.boot_wall()
            self.logs.insert(0, LogEntry(b - 8, "/kernel", f"Machine check: DRAM parity error at physical address "
                                                            f"{addr}"))
            self.logs.insert(1, LogEntry(b - 6, "/kernel", "panic: machine check (parity error)"))
            self.logs.insert(2, LogEntry(b - 5, "/kernel", "Dumping 1023 MB: ... dump complete"))
        elif name == "crashinfo":
            self.crash_files.append(CrashFile("pfex_junos.fpc0.core.0.gz", rng.randint(2_000_000, 9_000_000),
                                              self.boot_wall() - 3600 * rng.randint(2, 90)))
            self.log("dumpd[1790]", "Core and context for pfex_junos saved in /var/crash/pfex_junos.fpc0.core.0.gz")
        elif name == "leftover_config":
            host = f"ACME-IDF{rng.randint(1, 9)}-EX{rng.randint(1, 40):02d}"
            for line in (f"system host-name {host}", "system domain-name corp.acme.example",
                         "system ntp server 10.20.0.1", "system syslog host 10.20.0.15 any notice",
                         "snmp community Acm3RO authorization read-only",
                         "system login user netops uid 2001", "system login user netops class super-user",
                         f"system login user netops authentication encrypted-password "
                         f"{password_hash('netops', 'Acme-2019!')}",
                         "vlans DATA vlan-id 10", "vlans VOICE vlan-id 20", "vlans PRINTERS vlan-id 30",
                         "vlans MGMT vlan-id 99", "interfaces ge-0/0/0 description uplink-to-core"):
                tree_set(self.committed, line.split())
            self.last_commit = (self.boot_wall() - 3600 * 24 * 200, "netops")
        elif name == "unknown_password":
            for line in (f"system root-authentication encrypted-password "
                         f"{password_hash('root', f'Own3r-{rng.randint(10000, 99999)}')}",
                         "system login user netops class super-user",
                         f"system login user netops authentication encrypted-password "
                         f"{password_hash('netops', f'Pr3v-{rng.randint(10000, 99999)}')}"):
                tree_set(self.committed, line.split())
        elif name == "port_dead":
            self.ports[0].dead = True
        elif name == "crc_errors":
            self.ports[1].crc_since = self.uptime() - (600 if at_boot else 0)
        elif name == "link_flap":
            self.ports[2].flapping = True
        elif name == "optic_dom_alarm":
            p = next(p for p in self.ports if p.optic)
            self.log("chassisd[1813]", f"CHASSISD_XCVR_DIAG_ALARM: {p.name}: Receiver power low alarm set")
        elif name == "reboot" and not at_boot:
            self.reload("0x1:power cycle/failure")

    def crc_errors(self, p: Port) -> int:
        if p.crc_since is None or not self.port_up(p):
            return 0
        return int((self.uptime() - p.crc_since) * 7)

    def octets(self, p: Port, direction: int) -> int:
        """Counters grow with uptime on linked ports (a steady trickle of bench traffic)."""
        if not p.linked or p.dead:
            return 0
        rate = (1200 + 37 * (p.ifindex % 11)) * (1 if direction == 0 else 2)
        return int(self.uptime() * rate)

    def dom(self, p: Port) -> dict[str, float]:
        rng = random.Random(f"{self.serial}:{p.name}:dom")
        rx = -2.6 - rng.random() * 2
        if "optic_dom_alarm" in self.active and p is next(q for q in self.ports if q.optic):
            rx = -24.5
        # A healthy laser transmits inside its own module's window, well clear of the warnings: an SX
        # optic's -2.5 dBm high alarm is below an LR's normal output, so one fixed range fits no family.
        tx_hi, tx_lo = OPTICS[p.optic][1][:2] if p.optic else (1.0, -7.0)
        tx = (tx_hi + tx_lo) / 2 + (rng.random() - 0.5) * (tx_hi - tx_lo - 2) / 2
        return {"bias": 6.0 + rng.random() * 2, "tx": tx, "rx": rx,
                "temp": 31 + rng.random() * 8, "volt": 3.28 + rng.random() * 0.04}

    # ---------- credentials, configuration and reboots
    def open_session(self, console: bool) -> JunosSession:
        from simulators.families.juniper_junos.cli import JunosSession  # the CLI renders this object: import late

        return JunosSession(self, console=console)

    def user_hash(self, username: str, cfg: Tree | None = None) -> str | None:
        cfg = cfg if cfg is not None else self.committed
        if username == "root":
            return tree_value(tree_get(cfg, "system", "root-authentication"), "encrypted-password")
        return tree_value(tree_get(cfg, "system", "login", f"user {username}", "authentication"),
                          "encrypted-password")

    def check_login(self, username: str, password: str) -> bool:
        h = self.user_hash(username)
        return h is not None and h == password_hash(username, password)

    @property
    def hostname(self) -> str | None:
        return tree_value(tree_get(self.committed, "system"), "host-name")

    def vlans(self) -> dict[str, int]:
        out = {}
        for name, node in (tree_get(self.committed, "vlans") or {}).items():
            vid = tree_value(node, "vlan-id")
            out[name] = int(vid) if vid and vid.isdigit() else 0
        return out

    def commit(self, candidate: Tree, user: str) -> None:
        self.committed = copy.deepcopy(candidate)
        self.last_commit = (time.time(), user)
        self.log("mgd[1991]", f"UI_COMMIT: User '{user}' requested 'commit' operation (comment: none)")

    def reload(self, reason: str = "0x1:power cycle/failure") -> None:
        self._restart()
        self.reboot_reason = reason
        old = self.logs
        self._boot_logs()
        self.logs = [e for e in old if e.wall < self.boot_wall()] + self.logs  # /var/log survives a reboot

    def zeroize(self) -> None:
        """`request system zeroize`: config, logs and crash files are erased; the factory set comes back."""
        self.committed = self.factory_config(with_root=True)
        self.crash_files = []
        self.reload("0x20:power-button soft power off")
        self.logs = [e for e in self.logs if e.wall >= self.boot_wall()]
        self.last_commit = (self.boot_wall() + 31.7, "root")

    # ---------- SNMP
    def entities(self) -> list[EntItem]:
        s = self.spec
        items = [EntItem(1, f"Juniper {s.pid} chassis", 0, 3, "Chassis", "", self.snmp_serial(), s.pid, False),
                 EntItem(2, f"FPC: {s.pid} @ 0/*/*", 1, 9, "FPC 0", "REV 12", self.serial, s.pid, True)]
        for n, (descr, _, _) in enumerate(s.pics):
            items.append(EntItem(10 + n, f"PIC: {descr} @ 0/{n}/*", 2, 9, f"PIC {n}", "", "BUILTIN", "BUILTIN",
                                 False))
        for psu in self.psus:
            if psu.present:
                items.append(EntItem(20 + psu.slot, f"Power Supply {psu.slot} @ 0/{psu.slot}/*", 1, 6,
                                     f"Power Supply {psu.slot}", "REV 04" if psu.pid else "", psu.serial,
                                     psu.pid or "BUILTIN", psu.pid is not None))
        for fan in self.fans:
            items.append(EntItem(30 + fan.tray, f"Fan Tray {fan.tray} @ 0/{fan.tray}/*", 1, 7, f"Fan Tray {fan.tray}",
                                 "", "", s.fan_pid or "BUILTIN", s.fan_pid is not None))
        for p in self.ports:
            if p.optic:
                items.append(EntItem(100 + p.ifindex % 400, f"Xcvr {p.name.rsplit('/', 1)[1]} @ {p.name[3:]}",
                                     10 + p.pic, 10, f"Xcvr {p.name.rsplit('/', 1)[1]}", "REV 01", p.optic_serial,
                                     p.optic, True))
        return items

    def snmp_view(self) -> dict[str, tuple[str, object]]:
        self.touch()
        up = self.uptime()
        s = self.spec
        v: dict[str, tuple[str, object]] = {
            **system_group(sys_descr(self), s.sys_object_id, up, self.hostname or "", 6,
                           contact=tree_value(tree_get(self.committed, "snmp"), "contact") or "",
                           location=tree_value(tree_get(self.committed, "snmp"), "location") or ""),
        }
        put_entities(v, [Entity(it.index, it.descr, it.contained_in, it.cls, it.name, it.serial, it.model,
                                it.hw_rev, self.version if it.cls == 3 else "", it.fru) for it in self.entities()])
        for p in self.ports:
            put_interface(v, Interface(p.ifindex, p.name, p.name, p.speed_mbps, p.mac.replace(":", ""),
                                       self.port_up(p), self.octets(p, 0), self.octets(p, 1), None, None,
                                       self.crc_errors(p), 0, mtu=1514, alias=self.port_description(p)))
        v.update(self._jnx_operating(up))
        return v

    def port_description(self, p: Port) -> str:
        node = tree_get(self.committed, "interfaces", p.name)
        return tree_value(node, "description") or ""

    def _jnx_operating(self, up: float) -> dict[str, tuple[str, object]]:
        """JUNIPER-MIB jnxOperatingTable (descr, state, temp) and the box's red/yellow alarm state."""
        v: dict[str, tuple[str, object]] = {}
        op = "1.3.6.1.4.1.2636.3.1.13.1"
        rows: list[tuple[str, str, int, int]] = []
        for psu in self.psus:
            if psu.present:
                rows.append((f"2.{psu.slot + 1}.0.0", f"Power Supply {psu.slot} @ 0/{psu.slot}/*",
                             2 if psu.ok else 6, 0))
        for fan in self.fans:
            rows.append((f"4.{fan.tray + 1}.1.0", f"Fan Tray {fan.tray} Fan 0 @ 0/{fan.tray}/0", 2 if fan.ok else 6, 0))
        rows.append(("7.1.0.0", f"FPC: {self.spec.pid} @ 0/*/*", 2, self.temps[3].value(up)))
        rows.append(("9.1.0.0", "Routing Engine 0", 2, self.temps[4].value(up)))
        for idx, descr, state, temp in rows:
            v[f"{op}.5.{idx}"] = ("OctetString", descr)
            v[f"{op}.6.{idx}"] = ("Integer", state)
            v[f"{op}.7.{idx}"] = ("Gauge32", temp)
        major = bool(alarms(self))
        v["1.3.6.1.4.1.2636.3.4.2.2.1.0"] = ("Integer", 2)  # jnxYellowAlarmState off
        v["1.3.6.1.4.1.2636.3.4.2.3.1.0"] = ("Integer", 3 if major else 2)  # jnxRedAlarmState
        return v


def temp_state(t: TempSensor, up: float) -> str:
    return "Check" if t.value(up) >= 70 else "OK"


def alarms(dev: JunosDevice) -> list[str]:
    """Active chassis alarms (all Major): what `show chassis alarms` and jnxRedAlarmState report."""
    out = [f"Fan Tray {f.tray} Fan 0 Failure" for f in dev.fans if not f.ok]
    out += [f"FPC 0 PEM {p.slot} Not OK" for p in dev.psus if p.present and not p.ok]
    if any(temp_state(t, dev.uptime()) != "OK" for t in dev.temps):
        out.append("FPC 0 Temperature Hot")
    return out


def sys_descr(dev: JunosDevice) -> str:
    year = dev.spec.build_date[:4]
    return (f"Juniper Networks, Inc. {dev.model.lower()} Ethernet Switch, kernel JUNOS {dev.version}, "
            f"Build date: {dev.spec.build_date[:19]} UTC Copyright (c) 1996-{year} Juniper Networks, Inc.")
