"""ProVision (ArubaOS-Switch) CLI session for hp_procurve devices: bytes in, vendor-formatted text out."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from dataclasses import dataclass

from simulators.families.hp_procurve.device import OPTICS, Config, Port, ProcurveDevice
from simulators.line import LineSession, Reply
from simulators.line import crlf as _crlf
from simulators.word_table import WordError, resolve_words

# What the switch paints after "Press any key": clear screen, scroll region, cursor home.
_CLEAR = "\x1b[2J\x1b[?7l\x1b[3;23r\x1b[?6l\x1b[1;1H\x1b[?25h"
_SAVE = "Do you want to save current configuration [y/n/^C]? "
_KEYS = " Keys:   W=Warning   I=Information\n         M=Major     D=Debug E=Error\n"


def _n(x: int) -> str:
    return f"{x:,}"


def _uptime_short(sec: float) -> str:
    """`show system` style: the largest whole unit (`42 secs`, `23 mins`, `5 hours`, `15 days`)."""
    for unit, size in (("days", 86_400), ("hours", 3_600), ("mins", 60)):
        if sec >= size:
            return f"{int(sec // size)} {unit}"
    return f"{int(sec)} secs"


def _mac(raw: str) -> str:
    return f"{raw[:6]}-{raw[6:]}"


def _ranges(names: list[str]) -> str:
    nums = sorted(int(n) for n in names if n.isdigit())
    out: list[str] = []
    i = 0
    while i < len(nums):
        j = i
        while j + 1 < len(nums) and nums[j + 1] == nums[j] + 1:
            j += 1
        out.append(str(nums[i]) if i == j else f"{nums[i]}-{nums[j]}")
        i = j + 1
    out += [n for n in names if not n.isdigit()]
    return ",".join(out)


# ---------------------------------------------------------------- renderers
def banner_text(dev: ProcurveDevice) -> str:
    s = dev.spec
    return (f"\n{s.brand} {s.pid} {s.name} Switch\nSoftware revision {s.version}\n\n"
            "(C) Copyright 2021 Hewlett Packard Enterprise Development LP\n\n"
            "                   RESTRICTED RIGHTS LEGEND\n"
            " Confidential computer software. Valid license from Hewlett Packard Enterprise\n"
            " Development LP required for possession, use or copying. Consistent with FAR\n"
            " 12.211 and 12.212, Commercial Computer Software, Computer Software\n"
            " Documentation, and Technical Data for Commercial Items are licensed to the\n"
            " U.S. Government under vendor's standard commercial license.\n\n"
            "We'd like to keep you up to date about:\n"
            "  * Software feature updates\n  * New product announcements\n  * Special events\n\n"
            "Please register your products now at:  https://asp.arubanetworks.com\n\n\n"
            "Press any key to continue\n")


def show_system(dev: ProcurveDevice) -> str:
    s, up = dev.spec, dev.uptime()
    free = int(s.memory_total * 0.53) - int(up) % 4096
    rx = sum(p.counters(up)["rx_frames"] for p in dev.ports) // 500
    tx = rx * 4 // 7
    return "\n".join([
        "", " Status and Counters - General System Information", "",
        f"  System Name        : {dev.hostname:<41}",
        f"  System Contact     : {dev.running.contact:<41}",
        f"  System Location    : {dev.running.location:<41}", "",
        "  MAC Age Time (sec) : 300    ", "",
        "  Time Zone          : 0  ",
        "  Daylight Time Rule : None ", "",
        f"  Software revision  : {s.version:<20} Base MAC Addr      : {_mac(dev.base_mac.lower())}",
        f"  ROM Version        : {s.rom:<20} Serial Number      : {dev.serial:<12}", "",
        f"  Up Time            : {_uptime_short(up):<20} Memory   - Total   : {_n(s.memory_total)}",
        f"  CPU Util (%)       : {1 + int(up) % 3:<20}            Free    : {_n(free)}", "",
        f"  IP Mgmt  - Pkts Rx : {_n(rx):<20} Packet   - Total   : 6600",
        f"             Pkts Tx : {_n(tx):<20} Buffers    Free    : 4338",
        "                                                       Lowest  : 4255",
        "                                                       Missed  : 0", "",
    ])


def show_version(dev: ProcurveDevice) -> str:
    s = dev.spec
    build = int(hashlib.md5(s.version.encode()).hexdigest()[:4], 16) % 900 + 1000
    return "\n".join([
        f"Image stamp:    {s.build_path}", f"                {s.build_date}", f"                {s.version}",
        f"                {build}", "Boot Image:     Primary", "",
        f"Boot ROM Version:    {s.rom}", "Active Boot ROM:     Primary", "",
    ])


def show_modules(dev: ProcurveDevice) -> str:
    s = dev.spec
    out = ["", " Status and Counters - Module Information", "",
           f"  Chassis: {s.name} {s.pid:<14} Serial Number:   {dev.serial}", "",
           "  Slot     Module Description                                  Serial Number    Status",
           "  -------- --------------------------------------------------- ---------------- -------"]
    if s.module:
        out.append(f"  A        {s.module[1]:<51} {dev.module_serial:<16} Up")
    return "\n".join(out + [""])


def show_power_supply(dev: ProcurveDevice) -> str:
    out = ["", " Power Supply Status:", "",
           "  PS#   Model     Serial      State           AC/DC  + V        Wattage   Max",
           "  ----- --------- ----------- --------------- ----------------- --------- ------"]
    used = 0
    for p in dev.psus:
        state, watts = ("Powered", 61 + dev.index % 17) if p.ok else ("Aux Failed", 0)
        ac = "AC 120V/240V"
        used += watts
        out.append(f"  {p.bay:<5} {p.pid or 'Internal':<9} {p.serial or 'N/A':<11} {state:<15} {ac:<17} "
                   f"{watts:>7}   {p.watts:>5}")
    good = sum(1 for p in dev.psus if p.ok)
    total = sum(p.watts for p in dev.psus if p.ok)
    out += ["", f"  {good} / {len(dev.psus)} supply bays delivering power.",
            f"  Currently supplying {used} W / {total} W total power.", ""]
    return "\n".join(out)


def show_fans(dev: ProcurveDevice) -> str:
    out = ["", " Fan Information", "  Num  | State        | Failures  ", "-------+--------------+----------"]
    for f in dev.fans:
        out.append(f"Sys-{f.number:<2} | {'Fan OK' if f.ok else 'Fan Failed':<12} | {f.failures}")
    bad = sum(1 for f in dev.fans if not f.ok)
    hist = sum(1 for f in dev.fans if f.failures)
    out += ["", f"{bad} / {len(dev.fans)} Fans in Failure State",
            f"{hist} / {len(dev.fans)} Fans have been in Failure State", ""]
    return "\n".join(out)


def show_temperature(dev: ProcurveDevice) -> str:
    up = dev.uptime()
    out = ["", " System Air Temperatures", " Temp   | Current  Max  Min  Threshold  OverTemp",
           " Sensor | Temp     Temp Temp", " ------ + -------  ---- ---- ---------- ---------"]
    for t in dev.temps:
        cur = t.value(up)
        t.max_seen = max(t.max_seen, cur)
        out.append(f" {t.name:<8} {cur:>2}C      {int(t.max_seen):>2}C  {int(t.base) - 6:>2}C  {t.threshold}C        "
                   f"{'YES' if t.over(up) else 'NO'}")
    return "\n".join(out + [""])


def _port_type(p: Port) -> str:
    if p.kind == "copper":
        return "100/1000T"
    return OPTICS[p.optic].descr if p.optic else ""


def _port_mode(p: Port, up: bool) -> str:
    if p.kind == "copper":
        return "1000FDx"
    if not p.optic:
        return "."
    return "10GigFD" if p.speed_mbps() == 10_000 else "1000FDx"


def _port_table(title: str, head: tuple[str, str, str], rows: list[str]) -> str:
    """A `Status and Counters` table: its title, three heading lines, one row per port."""
    return "\n".join(["", f" Status and Counters - {title}", "", *head, *rows, ""])


def show_interfaces_brief(dev: ProcurveDevice) -> str:
    up = dev.uptime()
    rows = []
    for p in dev.ports:
        is_up = p.up(up)
        mdi = ("MDIX" if is_up else "Auto") if p.kind == "copper" else "NA"
        rows.append(f"  {p.name:<12} {_port_type(p):<10} | No        Yes     {'Up' if is_up else 'Down':<6} "
                    f"{_port_mode(p, is_up):<10} {mdi:<4} off  0")
    return _port_table("Port Status", (
        "                          | Intrusion                           MDI  Flow Bcast",
        "  Port         Type       | Alert     Enabled Status Mode       Mode Ctrl Limit",
        "  ------------ ---------- + --------- ------- ------ ---------- ---- ---- -----"), rows)


def show_interfaces_counters(dev: ProcurveDevice) -> str:
    up = dev.uptime()
    rows = []
    for p in dev.ports:
        c = p.counters(up)
        rows.append(f"  {p.name:<12} {_n(c['rx_bytes'] + c['tx_bytes']):<14} "
                    f"{_n(c['rx_frames'] + c['tx_frames']):<14} {_n(c['rx_errors']):<9} {_n(c['drops_tx']):<9} "
                    "off  0")
    return _port_table("Port Counters", (
        "                                                                 Flow Bcast",
        "  Port         Total Bytes    Total Frames   Errors Rx Drops Tx  Ctrl Limit",
        "  ------------ -------------- -------------- --------- --------- ---- -----"), rows)


def show_interface(dev: ProcurveDevice, name: str) -> str:
    p = next((x for x in dev.ports if x.name.lower() == name.lower()), None)
    if p is None:
        return f"Module not present for port or invalid port: {name}\n"
    up, c = dev.uptime(), p.counters(dev.uptime())
    is_up = p.up(up)
    rate = (p.rate if is_up else 0) * 8 // 1000
    util = f"{min(100.0, rate / (p.speed_mbps() * 10)):.1f}"
    return "\n".join([
        "", f" Status and Counters - Port Counters for port {p.name}", "",
        "  Name  :  ", f"  MAC Address      : {_mac(dev.mac(p.if_index))}",
        f"  Link Status      : {'Up' if is_up else 'Down'}",
        "  Totals (Since boot or last clear) :",
        f"   Bytes Rx        : {_n(c['rx_bytes']):<20} Bytes Tx        : {_n(c['tx_bytes'])}",
        f"   Unicast Rx      : {_n(c['rx_frames'] - c['rx_bcast']):<20} "
        f"Unicast Tx      : {_n(c['tx_frames'] - c['tx_bcast'])}",
        f"   Bcast/Mcast Rx  : {_n(c['rx_bcast']):<20} Bcast/Mcast Tx  : {_n(c['tx_bcast'])}",
        "  Errors (Since boot or last clear) :",
        f"   FCS Rx          : {_n(c['crc']):<20} Drops Tx        : {_n(c['drops_tx'])}",
        f"   Alignment Rx    : {0:<20} Collisions Tx   : 0",
        f"   Runts Rx        : {0:<20} Late Colln Tx   : 0",
        f"   Giants Rx       : {0:<20} Excessive Colln : 0",
        f"   Total Rx Errors : {_n(c['rx_errors']):<20} Deferred Tx     : 0",
        "  Others (Since boot or last clear) :",
        f"   Discard Rx      : {0:<20} Out Queue Len   : 0",
        f"   Unknown Protos  : {0:<20}",
        "  Rates (5 minute weighted average) :",
        f"   Total Rx  (bps) : {rate * 1000:<20} Total Tx  (bps) : {rate * 800}",
        f"   Unicast Rx (Pkts/sec) : {rate // 5:<14} Unicast Tx (Pkts/sec) : {rate // 6}",
        f"   B/Mcast Rx (Pkts/sec) : {0:<14} B/Mcast Tx (Pkts/sec) : 0",
        f"   Utilization Rx  : {util:>6} %{'':<12} Utilization Tx  : {util:>6} %", "",
    ])


@dataclass(frozen=True)
class Dom:
    temp: float
    volt: float
    bias: float
    tx_mw: float
    rx_mw: float


# Alarm and warning thresholds as the optic's EEPROM gives them: (high alarm, high warn, low warn, low alarm).
_THRESH = {"temp": (75.0, 70.0, 0.0, -5.0), "volt": (3.63, 3.465, 3.135, 2.97), "bias": (15.0, 12.0, 3.0, 2.0),
           "tx": (1.0, 0.794, 0.158, 0.126), "rx": (1.0, 0.794, 0.025, 0.02)}


def dom(p: Port, uptime: float) -> Dom:
    seed = int(hashlib.md5(p.optic_serial.encode()).hexdigest()[:6], 16)
    drift = math.sin(uptime / 600.0)
    rx = 0.0123 if p.dom_alarm else 0.40 + (seed % 200) / 1000
    return Dom(31.0 + seed % 9 + drift, 3.28 + (seed % 30) / 1000, 6.0 + (seed % 40) / 10,
               0.50 + (seed % 150) / 1000, rx)


def _dbm(mw: float) -> str:
    return f"{10 * math.log10(mw):.3f}dBm" if mw > 0 else "-inf"


def show_transceivers(dev: ProcurveDevice) -> str:
    out = ["", "Transceiver Technical Information:", "",
           " Port    Type      Prod #     Serial #          Part #",
           " ------- --------- ---------- ----------------- ----------"]
    for p in dev.ports:
        if p.optic:
            o = OPTICS[p.optic]
            part = {"J4858C": "1990-3657", "J4859C": "1990-3659", "J9150A": "1990-4634", "J9151A": "1990-4635"}
            out.append(f" {p.name:<7} {o.descr:<9} {o.pid:<10} {p.optic_serial:<17} {part[o.pid]}")
    return "\n".join(out + [""])


def show_transceivers_detail(dev: ProcurveDevice) -> str:
    up = dev.uptime()
    out: list[str] = []
    for p in dev.ports:
        if not p.optic:
            continue
        o, d = OPTICS[p.optic], dom(p, up)
        alarms = ["Rx power low alarm", "Rx power low warning"] if d.rx_mw < _THRESH["rx"][3] else []
        t = _THRESH
        out += [
            "", f"Transceiver in {p.name}", f"   Interface Index    : {p.if_index}",
            f"   Type               : {o.descr}", f"   Model              : {o.pid}",
            "   Connector type     : LC", f"   Wavelength         : {o.wavelength}nm",
            f"   Transfer distance  : {o.reach}", "   Diagnostic support : DOM",
            f"   Serial number      : {p.optic_serial}", "", "   Status",
            f"   Temperature : {d.temp:.3f}C", f"   Voltage     : {d.volt:.4f}V",
            f"   TX Bias     : {d.bias:.3f}mA", f"   TX Power    : {d.tx_mw:.4f}mW, {_dbm(d.tx_mw)}",
            f"   RX Power    : {d.rx_mw:.4f}mW, {_dbm(d.rx_mw)}", "",
            "   Recent Alarms          : " + (alarms[0] if alarms else ""), *(f"   {a}" for a in alarms[1:]),
            "   Recent Errors          : ", "",
            "                  |      Alarm      |      Warning    ",
            "   Parameter      |   High    Low   |   High    Low   ",
            "   -------------- + ------- ------- + ------- ------- ",
            f"   Temperature C  | {t['temp'][0]:7.2f} {t['temp'][3]:7.2f} | {t['temp'][1]:7.2f} {t['temp'][2]:7.2f} ",
            f"   Voltage V      | {t['volt'][0]:7.4f} {t['volt'][3]:7.4f} | {t['volt'][1]:7.4f} {t['volt'][2]:7.4f} ",
            f"   TX Bias mA     | {t['bias'][0]:7.3f} {t['bias'][3]:7.3f} | {t['bias'][1]:7.3f} {t['bias'][2]:7.3f} ",
            f"   TX Power mW    | {t['tx'][0]:7.4f} {t['tx'][3]:7.4f} | {t['tx'][1]:7.4f} {t['tx'][2]:7.4f} ",
            f"   RX Power mW    | {t['rx'][0]:7.4f} {t['rx'][3]:7.4f} | {t['rx'][1]:7.4f} {t['rx'][2]:7.4f} ",
        ]
    if not out:
        return "\nThe transceiver information is not available on any port.\n"
    return "\n".join(out + [""])


def show_poe_brief(dev: ProcurveDevice) -> str:
    s = dev.spec
    if not s.poe:
        return "PoE is not supported on this switch.\n"
    rows, used = [], 0.0
    for p in dev.ports[: s.copper]:
        powered = p.linked and not p.dead and not p.poe_fault
        w = 6.4 + (p.if_index % 5) if powered else 0.0
        used += w
        status = "Fault" if p.poe_fault else "Delivering" if powered else "Searching"
        cls = str(2 + p.if_index % 3) if powered else "0"
        rows.append(f"  {p.name:<4} | Yes    low      usage  {int(w) + 1 if powered else 0:>2} W   {w:4.1f} W"
                    f"             {status:<11} {cls:<6} off")
    head = ["", " Status and Counters - Port Power Status", "",
            "  Chassis power-over-ethernet:", "",
            f"    Total Available Power  : {s.poe_watts:>5} W",
            f"    Total Power Drawn      : {used:5.1f} W +/- 6W",
            f"    Total Power Reserved   : {used:5.1f} W",
            f"    Total Remaining Power  : {s.poe_watts - used:5.1f} W", "",
            "  Internal Power", "    Main Power", "    PS   (Watts)   Status", "    ---- --------- -------------",
            f"    1       {s.poe_watts:>4}   {'POE+ Connected' if dev.psus[0].ok else 'Failed'}", "",
            "  PoE  | Power  Power    Alloc  Alloc  Actual Configured  Detection   Power  Pre-std",
            "  Port | Enable Priority By     Power  Power  Type        Status      Class  Detect",
            "  ---- + ------ -------- ------ ------ ------ ----------- ----------- ------ -------"]
    return "\n".join(head + rows + [""])


def show_logging(dev: ProcurveDevice, reverse: bool) -> str:
    base = dev.clock() - dev.uptime()
    lines = [f"{e.sev} {dev.clock_text(base + e.at)} {e.code:05d} {e.text}"
             for e in sorted(dev.logs, key=lambda e: e.at)]
    if reverse:
        lines.reverse()
    title = "Reverse event Log listing" if reverse else "Event Log listing"
    return _KEYS + f"---- {title}: Events Since Boot ----\n" + "\n".join(lines) + "\n"


def show_flash(dev: ProcurveDevice) -> str:
    s = dev.spec
    prev = s.version[:3] + "16.08.0001"
    return "\n".join([
        "Image           Size (bytes) Date     Version", "--------------- ------------ -------- --------------",
        f"Primary Image   :   {16_345_472 + dev.index % 7 * 1024:>9} 02/01/21 {s.version}",
        f"Secondary Image :   {15_890_016:>9} 07/15/19 {prev}", "",
        "Boot ROM Version", "----------------", f"Primary Boot ROM Version   : {s.rom}", "",
        "Default Boot Image   : Primary", "Default Boot ROM     : Primary", "",
    ])


def show_boot_history(dev: ProcurveDevice) -> str:
    out = ["Mgmt Module 1 -- Saved Crash Information (most recent first):",
           "=============================================================="]
    if not dev.crashes:
        out.append("No crash information found.")
    for c in reversed(dev.crashes):
        out += ["", f"Mgmt Module 1 crashed on {dev.clock_text(c.at_clock)}", c.text, "",
                "Crash saved to core file (see 'show core-dump')"]
    return "\n".join(out + [""])


def show_core_dump(dev: ProcurveDevice) -> str:
    if not dev.core_files:
        return "\nNo core dump files present.\n"
    out = ["", " Core dump files", "", "  File Name    Size (bytes)", "  ------------ ------------"]
    out += [f"  {name:<12} {size:>12}" for name, size in dev.core_files.items()]
    return "\n".join(out + [""])


def show_vlans(dev: ProcurveDevice) -> str:
    out = ["", " Status and Counters - VLAN Information", "",
           "  Maximum VLANs to support : 256                 ", "  Primary VLAN : DEFAULT_VLAN",
           "  Management VLAN :             ", "",
           "  VLAN ID Name                             | Status     Voice Jumbo",
           "  ------- -------------------------------- + ---------- ----- -----"]
    for vid, name in sorted(dev.running.vlans.items()):
        out.append(f"  {vid:<7} {name:<32} | Port-based {'Yes' if name == 'VOICE' else 'No':<5} No   ")
    return "\n".join(out + [""])


def _sha1(secret: str) -> str:
    return hashlib.sha1(secret.encode()).hexdigest()


def config_text(dev: ProcurveDevice, cfg: Config) -> str:
    s = dev.spec
    ports = [p.name for p in dev.ports]
    out = [f"; {s.pid} Configuration Editor; Created on release #{s.version}",
           "; Ver #14:01.44.00.04.19.02.13.98.82.34.61.18.28.f3.84.9c.63.ff.37.27:05", "",
           f'hostname "{cfg.hostname}"']
    if cfg.contact:
        out.append(f'snmp-server contact "{cfg.contact}"')
    if cfg.location:
        out.append(f'snmp-server location "{cfg.location}"')
    out.append(f"module 1 type {s.pid.lower()}")
    if s.module:
        out.append(f"module A type {s.module[0].lower()}")
    out += [*cfg.extra, 'snmp-server community "public" unrestricted', "oobm", "   ip address dhcp-bootp", "   exit"]
    for vid, name in sorted(cfg.vlans.items()):
        out += [f"vlan {vid}", f'   name "{name}"']
        if vid == 1:
            out += [f"   untagged {_ranges(ports)}", "   ip address dhcp-bootp"]
        else:
            out.append("   no ip address")
        out.append("   exit")
    out += ["spanning-tree", "no tftp server", "no autorun", "no dhcp config-file-update",
            "no dhcp image-file-update"]
    for user, pw in dev.users.items():
        level = "manager" if user == "manager" else "operator"
        out.append(f'password {level} user-name "{user}" sha1 "{_sha1(pw)}"')
    return "\n".join(out + [""])


# ---------------------------------------------------------------- the session
_EXEC: list[tuple[str, ...]] = [
    ("enable",), ("disable",), ("exit",), ("logout",), ("end",), ("no", "page"), ("page",),
    ("terminal", "length", "<n>"), ("terminal", "width", "<n>"),
    ("show", "system"), ("show", "system", "power-supply"), ("show", "system", "fans"),
    ("show", "system", "temperature"), ("show", "version"), ("show", "modules"), ("show", "vlans"),
    ("show", "interfaces"), ("show", "interfaces", "brief"), ("show", "interfaces", "transceivers"),
    ("show", "interfaces", "transceivers", "detail"), ("show", "interfaces", "<port>"),
    ("show", "power-over-ethernet", "brief"), ("show", "logging"), ("show", "logging", "-r"),
    ("show", "log"), ("show", "log", "-r"), ("show", "flash"), ("show", "running-config"), ("show", "config"),
    ("show", "boot-history"), ("show", "core-dump"),
    ("write", "memory"), ("erase", "startup-config"), ("boot",), ("boot", "system", "flash", "primary"),
    ("reload",), ("configure",), ("configure", "terminal"), ("config",),
]
_CONFIG_WORDS = ("hostname", "vlan", "name", "no", "snmp-server", "password", "exit", "end", "interface",
                 "write", "show", "logging", "sntp", "untagged", "tagged", "ip", "disable", "enable")


class ParseError(Exception):
    pass


def _is_port(t: str) -> bool:
    return t.isdigit() or (len(t) > 1 and t[0] in "ab" and t[1:].isdigit())


def parse(line: str) -> tuple[str, ...]:
    """Resolve ProVision abbreviations (`sh int br`; `conf` is config/configure: the same thing)."""
    try:
        return resolve_words(line, _EXEC, _is_port, nested_prefixes=True)
    except WordError as err:
        raise ParseError(err.token or "incomplete") from None


class ProcurveSession(LineSession):
    """One CLI line (SSH shell or console). Console: banner, any key, Username/Password, then CLI."""

    accepts_tab = False
    mode_marks = {"manager": "# ", "operator": "> "}
    config_mark = "# "

    def __init__(self, device: ProcurveDevice, *, console: bool, username: str | None = None) -> None:
        super().__init__(device, console=console, username=username, state="any_key")
        self.dev: ProcurveDevice = device
        self.mode = "manager"  # operator | manager | config | vlan-N | eth-N
        self._login_user = ""
        self._vlan = 0

    def banner(self) -> str:
        return _crlf(banner_text(self.dev)) if self.state == "any_key" else ""

    # ---------- keys the line hands to ProVision
    def _intercept(self, ch: str) -> str | None:
        return self._after_key() if self.state == "any_key" else None

    def _ctrl_c(self) -> str:
        return ""  # ProVision ignores ^C at the prompt: the typed line stays

    def _rebooted(self) -> Reply:
        self.state, self.mode, self._buf, self._pending = "any_key", "manager", "", None
        return Reply(_crlf(boot_text(self.dev)) + self.banner())

    def _after_key(self) -> str:
        if self.console and self.dev.users:
            self.state = "username"
            return _crlf("\nUsername: ")
        self.state = "cli"
        self.mode = "manager" if self.console or self.username in (None, "manager") or not self.dev.users \
            else "operator"
        return _CLEAR + self.prompt

    def _line(self, line: str) -> tuple[str, bool]:
        st = self.state
        if st == "username":
            self._login_user, self.state = line.strip(), "password"
            return "\r\nPassword: ", False
        if st == "password":
            if self.dev.check_login(self._login_user, line):
                self.username, self.state = self._login_user, "cli"
                self.mode = "manager" if self._login_user == "manager" else "operator"
                return "\r\n" + _CLEAR + self.prompt, False
            self.state = "username"
            return _crlf("\nInvalid password\n\nUsername: "), False
        if st == "enable_user":
            self._login_user, self.state = line.strip(), "enable_password"
            return "\r\nPassword: ", False
        if st == "enable_password":
            self.state = "cli"
            if self.dev.users.get("manager") == line and self._login_user == "manager":
                self.mode = "manager"
                return "\r\n" + self.prompt, False
            return _crlf("\nInvalid password\n") + self.prompt, False
        if st == "pending" and self._pending is not None:
            return self._answer(line)
        return self._command(line)

    waiting_states = frozenset({"pending", "enable_user", "enable_password"})

    def _output(self, line: str) -> str:
        return self._config(line) if self.mode not in ("operator", "manager") else self._exec(line)

    def _exec(self, line: str) -> str:
        try:
            w = parse(line)
        except ParseError as err:
            if str(err) == "incomplete":
                return f"Incomplete input: {line.split()[-1]}\n"
            return f"Invalid input: {err}\n"
        d = self.dev
        if self.mode == "operator" and w[0] not in ("enable", "exit", "logout", "show", "no", "page", "terminal"):
            return f"Invalid input: {line.split()[0]}\n"
        if w == ("enable",):
            if self.mode == "manager":
                return ""
            if not d.users:
                self.mode = "manager"
                return ""
            self.state = "enable_user"
            return "Username: "
        if w == ("disable",):
            self.mode = "operator"
            return ""
        if w[0] in ("exit", "logout", "end"):
            if self.mode == "manager" and w[0] == "exit" and d.users and not self.console:
                pass  # ProVision: `exit` at the top context logs out like `logout`
            if d.running != d.startup:
                return self._ask(_SAVE, self._save_then("Do you want to log out [y/n]? ", self._logout))
            return self._ask("Do you want to log out [y/n]? ", self._logout)
        if w[0] in ("no", "page", "terminal"):
            return ""
        if w[0] == "show":
            return self._show(w[1:])
        if w[0] in ("configure", "config"):
            self.mode = "config"
            return ""
        if w == ("write", "memory"):
            d.write_memory()
            return ""
        if w == ("erase", "startup-config"):
            return self._ask("Configuration will be deleted and device rebooted, continue [y/n]? ", self._erase)
        if w[0] in ("boot", "reload"):
            if d.running != d.startup:
                return self._ask(_SAVE, self._save_then("Device will be rebooted, do you want to continue [y/n]? ",
                                                         self._reboot))
            return self._ask("This will reboot the system from the primary image, continue [y/n]? "
                             if len(w) > 1 else "Device will be rebooted, do you want to continue [y/n]? ",
                             self._reboot)
        return f"Invalid input: {line.split()[0]}\n"

    def _show(self, w: tuple[str, ...]) -> str:
        d = self.dev
        table: dict[tuple[str, ...], Callable[[ProcurveDevice], str]] = {
            ("system",): show_system, ("system", "power-supply"): show_power_supply,
            ("system", "fans"): show_fans, ("system", "temperature"): show_temperature,
            ("version",): show_version, ("modules",): show_modules, ("vlans",): show_vlans,
            ("interfaces",): show_interfaces_counters, ("interfaces", "brief"): show_interfaces_brief,
            ("interfaces", "transceivers"): show_transceivers,
            ("interfaces", "transceivers", "detail"): show_transceivers_detail,
            ("power-over-ethernet", "brief"): show_poe_brief, ("flash",): show_flash,
            ("boot-history",): show_boot_history, ("core-dump",): show_core_dump,
        }
        if w in table:
            return table[w](d)
        if w[0] in ("logging", "log"):
            return show_logging(d, reverse=w[-1] == "-r")
        if w == ("running-config",):
            return "\nRunning configuration:\n\n" + config_text(d, d.running)
        if w == ("config",):
            return "\nStartup configuration:\n\n" + config_text(d, d.startup)
        if w[0] == "interfaces":
            return show_interface(d, w[1])
        return f"Invalid input: {w[0]}\n"

    def _yes(self, line: str) -> bool:
        return line.strip().lower() in ("y", "yes")

    def _erase(self, line: str) -> str:
        if not self._yes(line):
            return ""
        self.dev.erase_startup()
        self.state = "rebooting" if self.console else "closed"
        return "\n"

    def _save_then(self, question: str, then: Callable[[str], str]) -> Callable[[str], str]:
        """The answer to "save current configuration?": save on yes, then ask `question` for `then`."""
        def answer(line: str) -> str:
            if self._yes(line):
                self.dev.write_memory()
            return self._ask(question, then)
        return answer

    def _logout(self, line: str) -> str:
        if not self._yes(line):
            return ""
        if self.console:
            self.state, self.mode = "any_key", "manager"
            return "\n" + banner_text(self.dev)
        self.state = "closed"
        return ""

    def _reboot(self, line: str) -> str:
        if not self._yes(line):
            return ""
        who = "CONSOLE" if self.console else "SSH"
        self.dev.log("I", 64, f"system: Operator cold reboot from {who} session.")
        self.dev.reload(f"Operator cold reboot from {who} session.")
        self.state = "rebooting" if self.console else "closed"
        return "\n"

    # ---------- configuration context
    def _config(self, line: str) -> str:
        words = line.split()
        kw = words[0].lower()
        args = words[1:]
        cfg = self.dev.running
        match = [c for c in _CONFIG_WORDS if c.startswith(kw)]
        if kw in _CONFIG_WORDS:
            match = [kw]
        if len(match) != 1:
            return f"Invalid input: {words[0]}\n"
        kw = match[0]
        if kw == "end" or (kw == "exit" and self.mode == "config"):
            self.mode = "manager"
        elif kw == "exit":
            self.mode = "config"
        elif kw == "show":
            return self._exec(line)
        elif kw == "write" and args[:1] == ["memory"]:
            self.dev.write_memory()
        elif kw == "hostname" and args:
            cfg.hostname = " ".join(args).strip('"')
        elif kw == "snmp-server" and len(args) > 1 and args[0] in ("contact", "location"):
            setattr(cfg, args[0], " ".join(args[1:]).strip('"'))
        elif kw == "vlan" and args and args[0].isdigit():
            self._vlan = int(args[0])
            cfg.vlans.setdefault(self._vlan, f"VLAN{self._vlan}")
            self.mode = f"vlan-{self._vlan}"
        elif kw == "name" and self.mode.startswith("vlan-") and args:
            cfg.vlans[self._vlan] = " ".join(args).strip('"')
        elif kw == "interface" and args:
            self.mode = f"eth-{args[0]}"
        elif kw == "password" and len(args) >= 1 and args[0] in ("manager", "operator"):
            # password manager user-name NAME plaintext SECRET
            user = args[args.index("user-name") + 1].strip('"') if "user-name" in args else args[0]
            secret = args[-1].strip('"') if "plaintext" in args else ""
            if secret:
                self.dev.users[user] = secret
        elif kw == "no" and args[:1] == ["vlan"] and len(args) > 1 and args[1].isdigit() and args[1] != "1":
            cfg.vlans.pop(int(args[1]), None)
        elif kw == "no" and args[:2] == ["password", "all"]:
            self.dev.users.clear()
        elif kw == "no" and args:
            text = " ".join(args)
            cfg.extra = [x for x in cfg.extra if not x.startswith(text)]
        elif self.mode == "config" and kw in ("logging", "sntp", "snmp-server", "ip"):
            cfg.extra.append(line.strip())
        return ""


def boot_text(dev: ProcurveDevice) -> str:
    """Console output of a ProVision boot, up to the point the login banner follows."""
    s = dev.spec
    return "\n".join([
        "", "", "ROM information:", f"  Build directory: {s.build_path}", f"  Build date:      {s.build_date}",
        f"  Build version:   {s.rom}", "", "Boot Profiles:", "", "0. Monitor ROM Console",
        "1. Primary Software Image   [" + s.version + "]", "2. Secondary Software Image", "",
        "Select profile (primary):  0 ", "", "Booting Primary Software Image...",
        "Validating...", "Decompressing...done.", "", "Initializing...done.", "",
        f"{s.brand} {s.pid} {s.name} Switch booting from Primary", "",
    ])
