"""The `linux_server` family: a used rack server booted into a Debian live image, reached over SSH.

One `Server` object holds identity (SMBIOS), CPUs, DIMMs, disks, NICs, BMC sensors, the SEL and the
EDAC counters; the shell in `simulators.families.linux_server.cli` renders real tools' output from it.
The live image runs no SNMP agent: `snmp_view()` answers only a minimal system group.
"""

from __future__ import annotations

import random
import time
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from simulators.block_devices import DISK_BYTES, Backing, Storage
from simulators.device_base import SimDeviceBase, system_group
from simulators.faults import FaultSpec

if TYPE_CHECKING:
    from simulators.families.linux_server.cli import ShellSession

FACTORY_USER = "root"
FACTORY_PASSWORD = "live"
LIVE_USER = "user"  # Debian live's unprivileged account (password "live", sudo without password)
KERNEL = "6.1.0-18-amd64"
KERNEL_BUILD = "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)"

_ALNUM = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
_DIGITS = "0123456789"


@dataclass(frozen=True)
class CpuSpec:
    name: str  # as in /proc/cpuinfo and lscpu "Model name"
    version: str  # dmidecode "Version"
    cores: int
    threads: int
    mhz: int  # base clock
    max_mhz: int
    model: int  # CPU model number (85 = Skylake-SP / Cascade Lake)
    stepping: int
    l3_kib: int


@dataclass(frozen=True)
class DiskSpec:
    kind: str  # "sata_ssd", "sata_hdd", "nvme"
    model: str
    size: int  # bytes
    firmware: str
    serial_prefix: str
    serial_len: int


@dataclass(frozen=True)
class NicSpec:
    name: str
    driver: str
    max_speed: int  # Mb/s
    link_speed: int  # Mb/s the bench cabling gives it; 0: not cabled (down by design)
    port: str  # ethtool "Port:" value


@dataclass(frozen=True)
class ServerModel:
    pid: str
    family: str
    manufacturer: str
    product: str
    sku: str
    product_family: str
    board_manufacturer: str
    board_product: str
    board_version: str
    bios_vendor: str
    bios_version: str
    bios_date: str
    serial_format: str  # "dell" | "hpe" | "supermicro"
    cpu: CpuSpec
    sockets: int
    dimm_locators: tuple[str, ...]  # every slot, socket 1 slots first
    dimms_per_socket: int  # populated slots per socket (the first N locators of each socket)
    dimm_gb: int
    dimm_part: str
    dimm_manufacturer: str
    dimm_speed: int
    disks: tuple[DiskSpec, ...]
    nics: tuple[NicSpec, ...]
    psu_watts: int
    fan_names: tuple[str, ...]
    temp_names: tuple[str, str, str]  # inlet, exhaust, CPU sensor name ({s} = socket)
    psu_names: tuple[str, str]
    poe: bool = False
    psu_pid: str | None = "PSU"  # hot-swap PSUs: psu_failed/sel_psu can happen on every model


_GOLD_6130 = CpuSpec("Intel(R) Xeon(R) Gold 6130 CPU @ 2.10GHz", "Intel(R) Xeon(R) Gold 6130 CPU @ 2.10GHz",
                     16, 32, 2100, 3700, 85, 4, 22528)
_SILVER_4114 = CpuSpec("Intel(R) Xeon(R) Silver 4114 CPU @ 2.20GHz", "Intel(R) Xeon(R) Silver 4114 CPU @ 2.20GHz",
                       10, 20, 2200, 3000, 85, 4, 14080)
_GOLD_5218 = CpuSpec("Intel(R) Xeon(R) Gold 5218 CPU @ 2.30GHz", "Intel(R) Xeon(R) Gold 5218 CPU @ 2.30GHz",
                     16, 32, 2300, 3900, 85, 7, 22528)


def _slots(fmt: str, per_socket: int, sockets: int = 2) -> tuple[str, ...]:
    return tuple(fmt.format(s=s, n=n, a="AB"[s - 1]) for s in range(1, sockets + 1) for n in range(1, per_socket + 1))


MODELS: dict[str, ServerModel] = {m.pid: m for m in (
    ServerModel(
        pid="PowerEdge R640", family="linux_server", manufacturer="Dell Inc.", product="PowerEdge R640",
        sku="SKU=NotProvided;ModelName=PowerEdge R640", product_family="PowerEdge",
        board_manufacturer="Dell Inc.", board_product="0W23H8", board_version="A02",
        bios_vendor="Dell Inc.", bios_version="2.12.2", bios_date="07/09/2021", serial_format="dell",
        cpu=_GOLD_6130, sockets=2, dimm_locators=_slots("{a}{n}", 12), dimms_per_socket=6, dimm_gb=32,
        dimm_part="HMA84GR7AFR4N-VK", dimm_manufacturer="00AD00B300AD", dimm_speed=2666,
        disks=(DiskSpec("sata_ssd", "SSDSC2KB480G8R", 480_103_981_056, "XCV1DL67", "PHYF", 18),
               DiskSpec("sata_hdd", "ST2000NM0055-1V4104", 2_000_398_934_016, "TN05", "ZC2", 8),
               DiskSpec("nvme", "Dell Express Flash PM1725b 1.6TB SFF", 1_600_321_314_816, "1.1.0", "S4D", 15)),
        nics=(NicSpec("eno1", "i40e", 10000, 10000, "Direct Attach Copper"),
              NicSpec("eno2", "i40e", 10000, 0, "Direct Attach Copper"),
              NicSpec("eno3", "igb", 1000, 1000, "Twisted Pair"),
              NicSpec("eno4", "igb", 1000, 0, "Twisted Pair")),
        psu_watts=750, fan_names=("Fan1A", "Fan2A", "Fan3A", "Fan4A", "Fan5A", "Fan6A", "Fan7A", "Fan8A"),
        temp_names=("Inlet Temp", "Exhaust Temp", "Temp"), psu_names=("PS1 Status", "PS2 Status")),
    ServerModel(
        pid="ProLiant DL360 Gen10", family="linux_server", manufacturer="HPE", product="ProLiant DL360 Gen10",
        sku="867959-B21", product_family="ProLiant", board_manufacturer="HPE",
        board_product="ProLiant DL360 Gen10", board_version="Not Specified", bios_vendor="HPE",
        bios_version="U32", bios_date="01/23/2021", serial_format="hpe",
        cpu=_SILVER_4114, sockets=2, dimm_locators=_slots("PROC {s} DIMM {n}", 12), dimms_per_socket=4,
        dimm_gb=16, dimm_part="840756-091", dimm_manufacturer="HPE", dimm_speed=2666,
        disks=(DiskSpec("sata_ssd", "VK000480GWSRR", 480_103_981_056, "HPG4", "S4E", 15),
               DiskSpec("sata_hdd", "MB2000GCWDA", 2_000_398_934_016, "HPGF", "Z1X", 8),
               DiskSpec("nvme", "MO000800KWVNU", 800_166_076_416, "HPK2", "S5R", 15)),
        nics=(NicSpec("eno1", "tg3", 1000, 1000, "Twisted Pair"),
              NicSpec("eno2", "tg3", 1000, 1000, "Twisted Pair"),
              NicSpec("eno3", "tg3", 1000, 0, "Twisted Pair"),
              NicSpec("eno4", "tg3", 1000, 0, "Twisted Pair")),
        psu_watts=800, fan_names=("Fan 1", "Fan 2", "Fan 3", "Fan 4", "Fan 5", "Fan 6", "Fan 7"),
        temp_names=("01-Inlet Ambient", "38-Exhaust", "02-CPU {s}"), psu_names=("Power Supply 1", "Power Supply 2")),
    ServerModel(
        pid="SYS-1029P-WTR", family="linux_server", manufacturer="Supermicro", product="SYS-1029P-WTR",
        sku="To be filled by O.E.M.", product_family="To be filled by O.E.M.", board_manufacturer="Supermicro",
        board_product="X11DDW-NT", board_version="1.10", bios_vendor="American Megatrends Inc.",
        bios_version="3.4", bios_date="11/09/2020", serial_format="supermicro",
        cpu=_GOLD_5218, sockets=2, dimm_locators=_slots("P{s}-DIMM{a}{n}", 6), dimms_per_socket=6,
        dimm_gb=32, dimm_part="M393A4K40DB2-CVF", dimm_manufacturer="Samsung", dimm_speed=2933,
        disks=(DiskSpec("sata_ssd", "SAMSUNG MZ7LH480HAHQ-00005", 480_103_981_056, "HXT7404Q", "S45P", 14),
               DiskSpec("sata_hdd", "HGST HUS726T4TALA6L4", 4_000_787_030_016, "VKGNW40H", "V6G", 8),
               DiskSpec("nvme", "INTEL SSDPE2KX010T8", 1_000_204_886_016, "VDV10131", "PHLJ", 18)),
        nics=(NicSpec("eno1", "i40e", 10000, 10000, "Twisted Pair"),
              NicSpec("eno2", "i40e", 10000, 1000, "Twisted Pair"),
              NicSpec("eno3", "i40e", 10000, 0, "Twisted Pair"),
              NicSpec("eno4", "i40e", 10000, 0, "Twisted Pair")),
        psu_watts=750, fan_names=("FAN1", "FAN2", "FAN3", "FAN4", "FAN5", "FAN6", "FAN7", "FAN8"),
        temp_names=("Inlet Temp", "System Temp", "CPU{s} Temp"), psu_names=("PS1 Status", "PS2 Status")),
)}


@dataclass
class Dimm:
    locator: str
    socket: int  # 1-based; EDAC memory controller mc(socket-1)
    channel: int
    size_gb: int  # 0: empty slot
    part: str
    serial: str
    manufacturer: str
    ce: int = 0  # EDAC corrected errors
    ue: int = 0


@dataclass
class Disk:
    name: str  # sda / nvme0n1
    spec: DiskSpec
    serial: str
    power_on_hours: int
    power_cycles: int
    temperature: int
    wwn: str
    reallocated: int = 0
    pending: int = 0
    uncorrectable: int = 0
    failing: bool = False
    size: int = DISK_BYTES  # what the simulated media holds (real bytes behind it: simulators.block_devices)
    frozen: bool = False  # ATA security frozen by the BIOS at boot (disk_frozen)
    hpa_bytes: int = 0  # a Host Protected Area hides the last bytes (disk_hpa); hdparm -N removes it
    fails_writes: bool = False  # the media gives up half-way through any erase (erase_fails)
    security_password: str = ""  # set by `hdparm --security-set-pass`, cleared by the erase
    sanitize_state: str = "never"  # never | done | failed

    @property
    def visible(self) -> int:
        """Bytes the OS can address: the media less the hidden area."""
        return self.size - self.hpa_bytes

    @property
    def nvme(self) -> bool:
        return self.spec.kind == "nvme"

    @property
    def ctrl(self) -> str:
        """The node smartctl names: /dev/nvme0 for the controller, /dev/sdX for ATA."""
        return self.name[:-2] if self.nvme else self.name


@dataclass
class Nic:
    index: int  # ifindex
    spec: NicSpec
    mac: str
    link: bool

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def speed(self) -> int:
        return self.spec.link_speed if self.link else 0


@dataclass
class SelEntry:
    epoch: float
    sensor_type: str  # "Power Supply"
    number: int  # sensor number (shown as #0x.. by `sel list`)
    sensor: str  # SDR name (shown by `sel elist`)
    event: str
    asserted: bool = True


def _pick(rng: random.Random, chars: str, n: int) -> str:
    return "".join(rng.choice(chars) for _ in range(n))


def vendor_serial(rng: random.Random, fmt: str) -> str:
    if fmt == "dell":  # service tag: 7 alphanumerics
        return _pick(rng, _ALNUM, 7)
    if fmt == "hpe":  # e.g. CZJ9210ABC: country CZ, site J, year+week, 3 alnum
        return f"CZJ{rng.randint(7, 9)}{rng.randint(10, 52):02d}{_pick(rng, _ALNUM, 4)}"
    return f"S{_pick(rng, _DIGITS, 3)}{_pick(rng, 'ABCDEFGHJKLMNPRSTUVWXYZ', 2)}{_pick(rng, _DIGITS, 8)}"


class Server(SimDeviceBase):
    """A rack server under a live image. Deterministic from (seed, slot index, model)."""

    def __init__(self, slot: str, index: int, seed: int, model: str, faults: list[FaultSpec] | None = None) -> None:
        super().__init__(slot, index, model, faults)
        self.spec = MODELS[model]
        self.family = self.spec.family
        rng = random.Random(f"{seed}:{index}:{model}")
        self.serial = vendor_serial(rng, self.spec.serial_format)
        self.fru_serial_override: str | None = None  # serial_mismatch: the BMC FRU disagrees with SMBIOS
        fmt = self.spec.serial_format
        self.board_serial = {"dell": f"CNFCP00{_pick(rng, _DIGITS, 2)}{_pick(rng, _ALNUM, 5)}",
                             "hpe": f"PWARA{_pick(rng, _ALNUM, 5)}{_pick(rng, _DIGITS, 4)}",
                             "supermicro": f"ZM{rng.randint(17, 21)}AS{_pick(rng, _DIGITS, 6)}"}[fmt]
        self.uuid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        self.hostname = "live"
        self.boot_reason = "power-on"
        self._power_on(float(rng.randint(180, 900)))  # booted a few minutes before the bench
        self._boot_epoch = time.time() - self._uptime_offset
        self.users: dict[str, str] = {FACTORY_USER: FACTORY_PASSWORD, LIVE_USER: FACTORY_PASSWORD}
        self.edac_since: float | None = None
        self.edac_base = 0
        self.psu_ok = [True, True]
        self.fan_ok = [True] * len(self.spec.fan_names)
        self.inlet_forced: int | None = None
        self._temps = {"inlet": rng.randint(19, 24), "exhaust": rng.randint(30, 36), "cpu": rng.randint(38, 46)}
        self._fan_rpm = rng.randrange(5400, 7800, 120)
        self.dimms = self._build_dimms(rng)
        self.disks = self._build_disks(rng)
        self.hidden_disks: list[Disk] = []  # raid_hidden_disks: behind a RAID controller, not seen by the OS
        self._storage: Storage | None = None
        self.bmc_users = ["root", "admin", "ops-" + _pick(rng, _ALNUM, 4).lower()]  # a previous owner's
        self.bmc_resets: list[str] = []
        oui = {"dell": "b0:26:28", "hpe": "94:40:c9", "supermicro": "ac:1f:6b"}[self.spec.serial_format]
        base = rng.randrange(0, 2**24, 4)
        self.nics = [Nic(i + 2, n, f"{oui}:{(base >> 16) & 255:02x}:{(base >> 8) & 255:02x}:{(base + i) & 255:02x}",
                         n.link_speed > 0) for i, n in enumerate(self.spec.nics)]
        self.bmc_mac = f"{oui}:{(base >> 16) & 255:02x}:{(base >> 8) & 255:02x}:{(base + 8) & 255:02x}"
        self.psu_serials = [f"{'CNDED' if self.spec.serial_format == 'dell' else '5WBXT'}{_pick(rng, _DIGITS, 9)}"
                            for _ in range(2)]
        self.sel: list[SelEntry] = [
            SelEntry(self._boot_epoch - rng.randint(40, 400) * 86400, "Event Logging Disabled", 0x72, "SEL",
                     "Log area reset/cleared"),
        ]
        self._apply_boot_faults()

    # ---------- construction ----------
    def _build_dimms(self, rng: random.Random) -> list[Dimm]:
        s = self.spec
        per = len(s.dimm_locators) // s.sockets
        out = []
        for n, loc in enumerate(s.dimm_locators):
            socket, pos = n // per + 1, n % per
            filled = pos < s.dimms_per_socket
            out.append(Dimm(loc, socket, pos % 6, s.dimm_gb if filled else 0, s.dimm_part if filled else "",
                            _pick(rng, "0123456789ABCDEF", 8) if filled else "", s.dimm_manufacturer if filled else ""))
        return out

    def _build_disks(self, rng: random.Random) -> list[Disk]:
        out = []
        sd = 0
        for d in self.spec.disks:
            if d.kind == "nvme":
                name = "nvme0n1"
            else:
                name, sd = f"sd{'abcdefgh'[sd]}", sd + 1
            serial = d.serial_prefix + _pick(rng, _ALNUM, d.serial_len - len(d.serial_prefix))
            out.append(Disk(name, d, serial, rng.randint(9_000, 38_000), rng.randint(20, 140), rng.randint(27, 36),
                            f"5 {rng.choice(('000c50', '5cd2e4', '002538'))} {rng.getrandbits(36):09x}"))
        return out

    # ---------- time, contact and faults ----------
    def boot_epoch(self) -> float:
        return self._boot_epoch

    def _fault(self, name: str, rng: random.Random, at_boot: bool) -> None:
        now = time.time() - (300 if at_boot else 0)
        if name == "bad_disk":
            d = next(d for d in self.disks if not d.nvme)
            d.reallocated, d.pending, d.uncorrectable, d.failing = 12, rng.randint(2, 9), rng.randint(1, 4), True
        elif name == "edac_errors":
            # One DIMM on socket 1 logged an uncorrected error; corrected errors keep coming.
            dimm = next(d for d in self.dimms if d.size_gb and d.socket == 1)
            dimm.ue = 1
            self.edac_since = time.monotonic()
            self.edac_base = rng.randint(3, 20)
        elif name in ("sel_psu", "psu_failed"):
            if self.psu_ok[1]:
                self.psu_ok[1] = False
                num = 0x63 if self.spec.serial_format == "dell" else 0x51
                self.sel.append(SelEntry(now, "Power Supply", num, self.spec.psu_names[1], "Failure detected"))
                self.sel.append(SelEntry(now + 1, "Power Supply", num, self.spec.psu_names[1],
                                         "Power Supply AC lost"))
                self.sel.append(SelEntry(now + 2, "Power Supply", 0x77, "PS Redundancy", "Redundancy Lost"))
        elif name == "fan_failed":
            self.fan_ok[2] = False
            self.sel.append(SelEntry(now, "Fan", 0x32, self.spec.fan_names[2], "Lower Critical going low"))
        elif name == "overtemp":
            self.inlet_forced = 47
            self.sel.append(SelEntry(now, "Temperature", 0x04, self.spec.temp_names[0], "Upper Critical going high"))
        elif name == "nic_down":
            nic = next(n for n in self.nics if n.link)
            nic.link = False
        elif name == "serial_mismatch":
            self.fru_serial_override = vendor_serial(rng, self.spec.serial_format)
        elif name == "counterfeit_serial":
            # Not the vendor's format: a 10-digit run that no Dell/HPE/Supermicro label carries.
            self.serial = _pick(rng, _DIGITS, 10)
        elif name == "unknown_password":
            self.users = {FACTORY_USER: f"Own3r-{rng.randint(10000, 99999)}"}
        elif name == "reboot" and not at_boot:
            self.reboot()
        elif name == "disk_frozen":
            for d in self.disks:  # the BIOS freezes every ATA drive's security at boot
                d.frozen = not d.nvme
        elif name == "disk_hpa":
            d = next(d for d in self.disks if not d.nvme)
            d.hpa_bytes = 4 * 2**20
        elif name == "erase_fails":
            next(d for d in self.disks if not d.nvme).fails_writes = True
        elif name == "raid_hidden_disks":
            # A Dell PERC / HPE Smart Array / Broadcom MegaRAID in RAID mode: one logical volume, no disks.
            self.hidden_disks, self.disks = self.disks, [Disk(
                "sda", DiskSpec("raid", {"dell": "PERC H730P Mini", "hpe": "LOGICAL VOLUME"}.get(
                    self.spec.serial_format, "MR9361-8i"), DISK_BYTES, "4.300", "00", 2),
                f"00{rng.getrandbits(60):015x}", 0, 0, 30, "5 000000 000000000")]

    def reboot(self) -> None:
        """Power cycle: uptime restarts and every open session of the old boot is cut."""
        self._restart()
        self._boot_epoch = time.time()
        self.sel.append(SelEntry(self._boot_epoch, "System Event", 0x83, "OS Boot", "OEM System boot event"))

    def backing(self, disk: Disk) -> Backing:
        """The real bytes behind `disk`, created on first use (a loop device when root, else a file)."""
        if self._storage is None:
            self._storage = Storage()
        return self._storage.get(disk.name, disk.serial, disk.size)

    # ---------- readings ----------
    def dimm_ce(self, d: Dimm) -> int:
        if self.edac_since is None or d.ue == 0:
            return d.ce
        return self.edac_base + int((time.monotonic() - self.edac_since) / 5)  # grows every 5 s

    def inlet(self) -> int:
        return self.inlet_forced if self.inlet_forced is not None else self._temps["inlet"]

    def temps(self) -> list[tuple[str, int, int, int]]:
        """(SDR name, sensor number, entity, degrees C)."""
        wobble = int(self.uptime() / 60) % 2
        inlet, exhaust, cpu = self.spec.temp_names
        out = [(inlet, 0x04, 7, self.inlet()), (exhaust, 0x01, 7, self._temps["exhaust"] + wobble + (
            12 if self.inlet_forced else 0))]
        for s in range(self.spec.sockets):
            out.append((cpu.format(s=s + 1), 0x0E + s, 3, self._temps["cpu"] + 2 * s + wobble))
        return out

    def fans(self) -> list[tuple[str, int, bool]]:
        """(SDR name, RPM, ok)."""
        return [(n, (self._fan_rpm + 120 * (i % 3)) if ok else 0, ok)
                for i, (n, ok) in enumerate(zip(self.spec.fan_names, self.fan_ok, strict=True))]

    def total_memory(self) -> int:
        return sum(d.size_gb for d in self.dimms) * 2**30

    def nic_counters(self, nic: Nic) -> tuple[int, int, int, int]:
        """rx bytes, tx bytes, rx packets, tx packets: grow with uptime on a linked port."""
        if not nic.link:
            return 0, 0, 0, 0
        up = self.uptime()
        rx, tx = int(up * 1830 + nic.index * 7919), int(up * 612 + nic.index * 3301)
        return rx, tx, rx // 610, tx // 204

    # ---------- front-end protocol ----------
    def check_login(self, username: str, password: str) -> bool:
        return self.users.get(username) == password

    def open_session(self, console: bool) -> ShellSession:
        from simulators.families.linux_server.cli import ShellSession  # the shell renders this object: import late

        return ShellSession(self, console=console)

    def snmp_view(self) -> dict[str, tuple[str, object]]:
        """What net-snmp's snmpd on the live image answers: the system group and IF-MIB (lo and the
        NICs, counters growing on linked ones). net-snmp implements no ENTITY-MIB on Linux, so a walk
        of it ends at once, as on the real host."""
        self.touch()
        up = self.uptime()
        v: dict[str, tuple[str, object]] = {
            **system_group(f"Linux {self.hostname} {KERNEL} {KERNEL_BUILD} x86_64", "1.3.6.1.4.1.8072.3.2.10", up,
                           self.hostname, 72, contact="Me <me@example.org>",
                           location="Sitting on the Dock of the Bay"),
        }
        rows: list[tuple[int, str, int, int, bytes, bool]] = [(1, "lo", 24, 10, b"", True)]
        rows += [(n.index, n.name, 6, n.spec.link_speed or n.spec.max_speed, bytes.fromhex(n.mac.replace(":", "")),
                  n.link) for n in self.nics]
        t, x = "1.3.6.1.2.1.2.2.1", "1.3.6.1.2.1.31.1.1.1"
        v["1.3.6.1.2.1.2.1.0"] = ("Integer", len(rows))
        for idx, name, typ, mbps, mac, link in rows:
            octets = int(up * 125_000) if link else 0  # ~1 Mbit/s of background traffic on linked ports
            v[f"{t}.1.{idx}"] = ("Integer", idx)
            v[f"{t}.2.{idx}"] = ("OctetString", name)
            v[f"{t}.3.{idx}"] = ("Integer", typ)
            v[f"{t}.4.{idx}"] = ("Integer", 65536 if name == "lo" else 1500)
            v[f"{t}.5.{idx}"] = ("Gauge32", min(mbps * 1_000_000, 2**32 - 1))
            v[f"{t}.6.{idx}"] = ("OctetString", mac)
            v[f"{t}.7.{idx}"] = ("Integer", 1)
            v[f"{t}.8.{idx}"] = ("Integer", 1 if link else 2)
            v[f"{t}.10.{idx}"] = ("Counter32", octets % 2**32)
            v[f"{t}.14.{idx}"] = ("Counter32", 0)
            v[f"{t}.16.{idx}"] = ("Counter32", (octets // 2) % 2**32)
            v[f"{t}.20.{idx}"] = ("Counter32", 0)
            v[f"{x}.1.{idx}"] = ("OctetString", name)
            v[f"{x}.6.{idx}"] = ("Counter64", octets)
            v[f"{x}.10.{idx}"] = ("Counter64", octets // 2)
            v[f"{x}.15.{idx}"] = ("Gauge32", mbps)
        return v
