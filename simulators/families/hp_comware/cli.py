"""Comware CLI session for hp_comware devices: bytes in, vendor-formatted text out.

User view `<HPE>`, system view `[HPE]` (netmiko's "enable" on Comware), views below it `[HPE-vlan10]`.
Commands resolve by unique prefix (`dis ver`); an error puts a caret under the word it stopped at, as
Comware prints it. The console adds the boot, "Press ENTER to get started", the login and the
EXTENDED-BOOTWARE menu (Ctrl+B right after a boot): Comware's password recovery.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable

from simulators.families.hp_comware.device import OPTICS, ComwareDevice, Config, Port
from simulators.line import LineSession, ParseError, Reply, resolve
from simulators.line import crlf as _crlf

_WEEK = 604_800


def uptime_text(sec: float, weeks: bool = True) -> str:
    """`0 weeks, 0 days, 2 hours, 17 minutes` (Comware 7; Comware 5 says `week`/`day`/`hour`)."""
    s = int(sec)
    w, s = divmod(s, _WEEK)
    d, s = divmod(s, 86_400)
    h, s = divmod(s, 3_600)
    m = s // 60
    return f"{w} weeks, {d} days, {h} hours, {m} minutes" if weeks else \
        f"{w} week, {d} day, {h} hour{'s' if h != 1 else ''}, {m} minute{'s' if m != 1 else ''}"


def _mac(raw: str) -> str:
    return f"{raw[0:4]}-{raw[4:8]}-{raw[8:12]}".lower()


# ---------------------------------------------------------------- renderers
def display_version(dev: ComwareDevice) -> str:
    s, up = dev.spec, dev.uptime()
    release = s.version.split("Release ")[-1]
    if s.comware == 5:
        return "\n".join([
            f"{s.brand} Comware Platform Software", f"Comware Software, Version {s.version}", s.copyright,
            f"{s.long_name} uptime is {uptime_text(up, weeks=False)}", "",
            f"{s.long_name} with 1 Processor", f"{s.memory_mb}M    bytes SDRAM", "32M     bytes Flash Memory",
            "Config Register points to Flash", "", "Hardware Version is REV.B", "CPLD Version is 002",
            f"Bootrom Version is {s.bootrom}", "[SubSlot 0] 24GE+4SFP HI", "[SubSlot 1] No Module",
            "[SubSlot 2] No Module", ""])
    system = s.boot_file.replace("boot", "system").replace("BOOT", "SYSTEM")
    return "\n".join([
        f"{s.brand} Comware Software, Version {s.version}", s.copyright,
        f"{s.long_name} uptime is {uptime_text(up)}", f"Last reboot reason : {dev.reload_reason}", "",
        f"Boot image: flash:/{s.boot_file}", f"Boot image version: {s.version}", "  Compiled Apr 14 2021 15:00:00",
        f"System image: flash:/{system}", f"System image version: {s.version}", "  Compiled Apr 14 2021 15:00:00",
        "", "Slot 1:", f"Uptime is {uptime_text(up).replace(', ', ',')}", f"{s.long_name} with 1 Processor",
        f"BOARD TYPE:         {s.name}", f"DRAM:               {s.memory_mb}M bytes", "FLASH:              256M bytes",
        "PCB 1 Version:      VER.B", f"Bootrom Version:    {s.bootrom}", "CPLD 1 Version:     002",
        f"Release Version:    {s.long_name} {s.pid if s.brand != 'H3C' else s.name}-{release}",
        "Patch Version  :    None", f"Reboot Cause  :     {''.join(w.capitalize() for w in dev.reload_reason.split())}",
        "[SubSlot 0] 24GE+4SFP Plus", ""])


def display_manuinfo(dev: ComwareDevice) -> str:
    s = dev.spec
    vendor = s.brand if s.brand != "HP" else "HP"
    head = "Slot 1:" if s.comware == 5 else " Slot 1 CPU 0:"
    out = [head, f"DEVICE_NAME          : {s.manuinfo_name}", f"DEVICE_SERIAL_NUMBER : {dev.serial}",
           f"MAC_ADDRESS          : {_mac(dev.base_mac).upper()}", "MANUFACTURING_DATE   : 2019-05-14",
           f"VENDOR_NAME          : {vendor}"]
    for f in dev.fans:
        out += [f"Fan {f.number}:", "The operation is not supported on the specified fan."]
    for p in dev.psus:
        out.append(f"Power {p.bay}:")
        if not p.present:
            out.append("The operation is not supported on the specified power.")
        elif p.pid:
            out += [f"DEVICE_NAME          : {p.pid}", f"DEVICE_SERIAL_NUMBER : {p.serial}",
                    "MANUFACTURING_DATE   : 2019-04-02", f"VENDOR_NAME          : {vendor}"]
        else:
            out.append("The operation is not supported on the specified power.")
    return "\n".join(out + [""])


def display_fan(dev: ComwareDevice) -> str:
    out = ["Slot 1:"]
    for f in dev.fans:
        out += [f" Fan {f.number}:", f" State    : {'Normal' if f.ok else 'Fault'}",
                " Airflow Direction: Port-to-power", " Prefer Airflow Direction: Port-to-power"]
    return "\n".join(out + [""])


def display_power(dev: ComwareDevice) -> str:
    out = ["Slot 1:", " PowerID State    Mode   Current(A)  Voltage(V)  Power(W)"]
    for p in dev.psus:
        if not p.present:
            out.append(f" {p.bay:<7} Absent   --     --          --          --")
        else:
            watts = 38.0 + dev.index % 11 if p.ok else 0.0
            out.append(f" {p.bay:<7} {'Normal' if p.ok else 'Fault':<8} AC     {watts / 220:<11.2f} "
                       f"{'220.00' if p.ok else '0.00':<11} {watts:.2f}")
    return "\n".join(out + [""])


def display_environment(dev: ComwareDevice) -> str:
    up = dev.uptime()
    out = [" System temperature information (degree centigrade):",
           " -----------------------------------------------------------------------",
           " Slot  Sensor    Temperature  Lower  Warning  Alarm  Shutdown"]
    for t in dev.temps:
        out.append(f" 1     {t.name:<10} {t.value(up):<12} 0      {t.warning:<8} {t.alarm:<6} NA")
    return "\n".join(out + [""])


def display_device(dev: ComwareDevice) -> str:
    s = dev.spec
    return "\n".join(["Slot Type                          State    Subslot  Soft Ver             Patch Ver",
                      f"1    {s.name[:29]:<29} Master   0        {s.pid}-{s.version.split()[-1]:<8} None", ""])


def display_logbuffer(dev: ComwareDevice) -> str:
    out = ["Log buffer: Enabled", "Max buffer size: 1024", f"Actual buffer size: {len(dev.logs)}",
           "Dropped messages: 0", "Overwritten messages: 0", f"Current messages: {len(dev.logs)}"]
    base = 1_735_689_600 - dev.uptime()  # the unit's clock: boot was this long ago
    import time as _t
    for e in reversed(dev.logs):
        t = _t.gmtime(base + e.at)
        stamp = _t.strftime("%b %d %H:%M:%S", t) + f":{int(e.at * 1000) % 1000:03d} {t.tm_year}"
        out.append(f"%{stamp} {dev.hostname} {e.module}/{e.level}/{e.mnemonic}: {e.text}")
    return "\n".join(out + [""])


def display_interface_brief(dev: ComwareDevice) -> str:
    up = dev.uptime()
    out = ["Brief information on interfaces in route mode:", "Link: ADM - administratively down; Stby - standby",
           "Protocol: (s) - spoofing", "Interface            Link Protocol Primary IP      Description",
           "InLoop0              UP   UP(s)    --", "NULL0                UP   UP(s)    --",
           "Vlan1                UP   UP       --", "",
           "Brief information on interfaces in bridge mode:", "Link: ADM - administratively down; Stby - standby",
           "Speed: (a) - auto", "Duplex: (a)/A - auto; H - half; F - full", "Type: A - access; T - trunk; H - hybrid",
           "Interface            Link Speed   Duplex Type PVID Description"]
    for p in dev.ports:
        if p.shutdown:
            link, speed, duplex = "ADM", "auto", "A"
        elif p.up(up):
            link, speed, duplex = "UP", ("10G(a)" if p.speed_mbps() == 10_000 else "1G(a)"), "F(a)"
        else:
            link, speed, duplex = "DOWN", "auto", "A"
        out.append(f"{p.short:<20} {link:<4} {speed:<7} {duplex:<6} A    1")
    return "\n".join(out + [""])


def display_interface(dev: ComwareDevice, p: Port) -> str:
    up, c = dev.uptime(), p.counters(dev.uptime())
    is_up = p.up(up)
    state = "Administratively DOWN" if p.shutdown else "UP" if is_up else "DOWN"
    media = "twisted pair" if p.kind == "copper" else "optical fiber" if p.optic else "not connected"
    speed = "10Gbps-speed mode, full-duplex mode" if p.speed_mbps() == 10_000 else \
        "1000Mbps-speed mode, full-duplex mode"
    rate = p.rate if is_up else 0
    return "\n".join([
        p.name, f"Current state: {state}", f"Line protocol state: {'UP' if is_up else 'DOWN'}",
        f"IP packet frame type: Ethernet II, hardware address: {_mac(dev.mac(p.if_index))}",
        f"Description: {p.name} Interface", f"Bandwidth: {p.speed_mbps() * 1000} kbps", "Loopback is not set",
        f"Media type is {media}", "Port hardware type is " + ("1000_BASE_T" if p.kind == "copper" else "SFP"),
        speed if is_up else "Unknown-speed mode, unknown-duplex mode",
        "Link speed type is autonegotiation, link duplex type is autonegotiation", "PVID: 1",
        "Port link-type: Access", " Tagged VLANs:   None", " Untagged VLANs: 1",
        "Last clearing of counters: Never",
        f"Last 300 seconds input:  {rate // 612} packets/sec {rate} bytes/sec 0%",
        f"Last 300 seconds output:  {rate // 590} packets/sec {int(rate * 0.8)} bytes/sec 0%",
        f"Input (total):  {c['rx_frames']} packets, {c['rx_bytes']} bytes",
        f"        {c['rx_frames'] - c['rx_bcast']} unicasts, {c['rx_bcast']} broadcasts, 0 multicasts, 0 pauses",
        f"Input (normal):  {c['rx_frames'] - c['rx_errors']} packets, - bytes",
        f"        {c['rx_frames'] - c['rx_bcast']} unicasts, {c['rx_bcast']} broadcasts, 0 multicasts, 0 pauses",
        f"Input:  {c['rx_errors']} input errors, 0 runts, 0 giants, 0 throttles",
        f"        {c['crc']} CRC, 0 frame, - overruns, 0 aborts", "        - ignored, - parity errors",
        f"Output (total): {c['tx_frames']} packets, {c['tx_bytes']} bytes",
        f"        {c['tx_frames'] - c['tx_bcast']} unicasts, {c['tx_bcast']} broadcasts, 0 multicasts, 0 pauses",
        f"Output (normal): {c['tx_frames']} packets, - bytes",
        f"        {c['tx_frames'] - c['tx_bcast']} unicasts, {c['tx_bcast']} broadcasts, 0 multicasts, 0 pauses",
        f"Output: {c['tx_errors']} output errors, - underruns, 0 buffer failures",
        "        0 aborts, 0 deferred, 0 collisions, 0 late collisions", "        0 lost carrier, - no carrier", "",
    ])


# Alarm and warning thresholds a module's EEPROM holds: (high alarm, low alarm, high warn, low warn).
DOM_LIMITS = {"temp": (75.0, -5.0, 70.0, 0.0), "volt": (3.63, 2.97, 3.46, 3.13), "bias": (15.0, 2.0, 12.0, 3.0),
              "rx": (0.0, -20.0, -1.0, -18.0), "tx": (-1.0, -11.0, -2.0, -10.0)}


def dom(p: Port, uptime: float) -> dict[str, float]:
    seed = int(hashlib.md5(p.optic_serial.encode()).hexdigest()[:6], 16)
    drift = math.sin(uptime / 600.0)
    return {"temp": 31.0 + seed % 9 + drift, "volt": 3.28 + (seed % 30) / 1000, "bias": 6.0 + (seed % 40) / 10,
            "rx": -25.3 if p.dom_alarm else -4.0 - (seed % 40) / 10, "tx": -5.0 - (seed % 20) / 10}


def _optic_port(dev: ComwareDevice, rest: str) -> tuple[list[Port], str]:
    """The ports a transceiver command names (all with an optic when none is named), or an error."""
    if not rest:
        return [p for p in dev.ports if p.optic], ""
    p = dev.port(rest.split()[-1])
    if p is None:
        return [], "wrong"
    return [p], ""


def display_transceiver(dev: ComwareDevice, ports: list[Port], what: str) -> str:
    up, out = dev.uptime(), []
    for p in ports:
        if not p.optic:
            out.append(f"Error: The transceiver is absent on interface {p.name}.")
            continue
        o = OPTICS[p.optic]
        if what == "info":
            out += [f"{p.name} transceiver information:", f"  Transceiver Type              : {o.descr}",
                    "  Connector Type                : LC", f"  Wavelength(nm)                : {o.wavelength}",
                    f"  Transfer Distance(m)          : {o.reach}", "  Digital Diagnostic Monitoring : YES",
                    "  Vendor Name                   : HP", f"  Ordering Name                 : {o.pid}", ""]
        elif what == "manuinfo":
            out += [f"{p.name} transceiver manufacture information:",
                    f"  Manu. Serial Number  : {p.optic_serial}", "  Manufacturing Date   : 2018-09-01",
                    "  Vendor Name          : HP", ""]
        else:
            d, lim = dom(p, up), DOM_LIMITS
            row = "    {:<9} {:<11} {:<9} {:<14} {}"
            out += [f"{p.name} transceiver diagnostic information:", "  Current diagnostic parameters:",
                    row.format("Temp.(C)", "Voltage(V)", "Bias(mA)", "RX power(dBm)", "TX power(dBm)"),
                    row.format(f"{d['temp']:.0f}", f"{d['volt']:.2f}", f"{d['bias']:.2f}", f"{d['rx']:.2f}",
                               f"{d['tx']:.2f}"),
                    "  Alarm thresholds:",
                    "          Temp.(C)  Voltage(V)  Bias(mA)  RX power(dBm)  TX power(dBm)"]
            for label, k in (("High", 0), ("Low", 1)):
                out.append(f"    {label:<5} {lim['temp'][k]:<9.0f} {lim['volt'][k]:<11.2f} {lim['bias'][k]:<9.2f} "
                           f"{lim['rx'][k]:<14.2f} {lim['tx'][k]:.2f}")
            out += ["  Warning thresholds:", "          Temp.(C)  Voltage(V)  Bias(mA)  RX power(dBm)  TX power(dBm)"]
            for label, k in (("High", 2), ("Low", 3)):
                out.append(f"    {label:<5} {lim['temp'][k]:<9.0f} {lim['volt'][k]:<11.2f} {lim['bias'][k]:<9.2f} "
                           f"{lim['rx'][k]:<14.2f} {lim['tx'][k]:.2f}")
            out.append("")
    return "\n".join(out + [""])


def display_poe_interface(dev: ComwareDevice) -> str:
    out = ["Interface  Status     Priority CurPower Operating IEEE  Detection",
           "                               (W)      Status    Class Status"]
    for p in dev.ports:
        if p.kind != "copper":
            continue
        powered = p.linked and not p.dead and not p.poe_fault
        w = 4.4 + p.if_index % 5 if powered else 0.0
        status = "Overload" if p.poe_fault else "Delivering power" if powered else "Detecting"
        op = "faulty" if p.poe_fault else "on" if powered else "off"
        out.append(f"{p.short:<10} enabled    low      {w:<8.1f} {op:<9} {2 if powered else 0:<5} {status}")
    return "\n".join(out + [""])


def dir_text(dev: ComwareDevice, path: str = "") -> str:
    s = dev.spec
    system = s.boot_file.replace("boot", "system").replace("BOOT", "SYSTEM")
    if path.rstrip("/").endswith("core"):
        cores = sorted(k.split("/", 1)[1] for k in dev.files if k.startswith("core/"))
        if not cores:
            return "Directory of flash:/core\nThe directory is empty.\n\n259948 KB total (117804 KB free)\n"
        rows = [f"   {i} -rw-     {dev.files['core/' + n]:>9} Mar 03 2021 10:11:{i:02d}   {n}"
                for i, n in enumerate(cores)]
        return "\n".join(["Directory of flash:/core", *rows, "", "259948 KB total (117804 KB free)", ""])
    files = {s.boot_file: 13_011_968, system: 61_437_952, "core": -1, "diagfile": -1, "logfile": -1,
             "license": -1, "ifindex.dat": 72, **{k: v for k, v in dev.files.items() if "/" not in k}}
    rows = []
    for i, (name, size) in enumerate(sorted(files.items())):
        attr, shown = ("drw-", "-") if size < 0 else ("-rw-", str(size))
        rows.append(f"   {i:<2} {attr} {shown:>11} Jan 02 2021 08:1{i % 10}:05   {name}")
    return "\n".join(["Directory of flash:", *rows, "", "259948 KB total (117804 KB free)", ""])


def display_startup(dev: ComwareDevice) -> str:
    name = "flash:/startup.cfg" if dev.startup else "NULL"
    return "\n".join([f" Current startup saved-configuration file: {name}",
                      f" Next main startup saved-configuration file: {name}",
                      " Next backup startup saved-configuration file: NULL", ""])


def config_text(dev: ComwareDevice, cfg: Config) -> str:
    s = dev.spec
    out = ["#", f" version {s.version}", "#", f" sysname {cfg.sysname}", "#", " password-recovery enable", "#"]
    out += [f" {line}" for line in cfg.extra]
    for vid, name in sorted(cfg.vlans.items()):
        out += ["#", f"vlan {vid}"] + ([f" name {name}"] if vid != 1 else [])
    for p in dev.ports:
        out += ["#", f"interface {p.name}", " port link-mode bridge"] + ([" shutdown"] if p.shutdown else [])
    out += ["#", " scheme login", "#"]
    for user, pw in cfg.users.items():
        digest = hashlib.sha512(pw.encode()).hexdigest()[:40]
        out += ["#", f"local-user {user} class manage", f" password hash $h$6${digest}==",
                " service-type ssh terminal", " authorization-attribute user-role network-admin"]
    out += ["#", "line vty 0 63", " authentication-mode scheme", " user-role network-operator", "#",
            " ssh server enable", "#", "return", ""]
    return "\n".join(out)


def boot_text(dev: ComwareDevice) -> str:
    s = dev.spec
    return "\n".join([
        "", "Starting......", "Press Ctrl+D to access BASIC-BOOTWARE MENU...", "Booting Normal Extended BootWare",
        "The Extended BootWare is self-decompressing....Done.", "",
        "****************************************************************************",
        f"*                     {s.long_name[:44]:<44}         *",
        f"*                   Bootware Version {s.bootrom:<8}                              *",
        "****************************************************************************", s.copyright, "",
        "Press Ctrl+B to access EXTENDED-BOOTWARE MENU...", "Loading the main image files...",
        f"Loading file flash:/{s.boot_file}...........Done.", "Image file flash:/" + s.boot_file +
        " is self-decompressing...Done.", "System image is starting...",
        "Line con0 is available.", "", ""])


BOOTWARE_MENU = """
===========================<EXTENDED-BOOTWARE MENU>===========================
|<1> Boot System                                                             |
|<2> Enter Serial SubMenu                                                    |
|<3> Enter Ethernet SubMenu                                                  |
|<4> File Control                                                            |
|<5> Restore to Factory Default Configuration                                |
|<6> Skip Current System Configuration                                       |
|<7> BootWare Operation Menu                                                 |
|<8> Skip authentication for console login                                   |
|<9> Storage Device Operation                                                |
|<0> Reboot                                                                  |
==============================================================================
Ctrl+Z: Access EXTENDED ASSISTANT MENU
Ctrl+F: Format File System
Enter your choice(0-9): """


# ---------------------------------------------------------------- the command table
_USER: list[tuple[str, ...]] = [
    ("display", "version"), ("display", "device"), ("display", "device", "manuinfo"), ("display", "fan"),
    ("display", "power"), ("display", "environment"), ("display", "logbuffer"), ("display", "logbuffer", "<rest>"),
    ("display", "interface"), ("display", "interface", "brief"), ("display", "interface", "<rest>"),
    ("display", "transceiver", "interface"), ("display", "transceiver", "interface", "<rest>"),
    ("display", "transceiver", "diagnosis", "interface"),
    ("display", "transceiver", "diagnosis", "interface", "<rest>"),
    ("display", "transceiver", "manuinfo", "interface"),
    ("display", "transceiver", "manuinfo", "interface", "<rest>"),
    ("display", "poe", "interface"), ("display", "startup"), ("display", "saved-configuration"),
    ("display", "current-configuration"), ("display", "vlan"), ("display", "vlan", "brief"),
    ("display", "boot-loader"), ("display", "reboot-type"), ("screen-length", "disable"), ("system-view",),
    ("quit",), ("return",),
    ("save",), ("save", "force"), ("reset", "saved-configuration"), ("restore", "factory-default"), ("reboot",),
    ("dir",), ("dir", "<rest>"), ("delete", "<rest>"), ("undo", "terminal", "monitor"),
]
_SYSTEM: list[tuple[str, ...]] = [
    ("sysname", "<rest>"), ("vlan", "<n>"), ("undo", "vlan", "<n>"), ("name", "<rest>"), ("local-user", "<rest>"),
    ("undo", "local-user", "<rest>"), ("password", "simple", "<rest>"), ("interface", "<rest>"), ("shutdown",),
    ("undo", "shutdown"), ("snmp-agent", "<rest>"), ("info-center", "<rest>"), ("ntp-service", "<rest>"),
    ("undo", "info-center", "<rest>"), ("undo", "snmp-agent", "<rest>"),
]
_ANYWHERE = {"display", "save", "quit", "return"}  # what Comware accepts in every view


class ComwareSession(LineSession):
    """One CLI line (SSH shell or console)."""

    accepts_tab = False
    mode_marks = {"user": ">"}
    # Questions Comware asks; a sibling family (VRP) words them its own way.
    ask_reboot = "This command will reboot the device. Continue? [Y/N]:"
    ask_save_first = "Current configuration may be lost after the reboot, save current configuration? [Y/N]:"
    ask_reset = "The saved configuration file will be erased. Are you sure? [Y/N]:"

    def __init__(self, device: ComwareDevice, *, console: bool, username: str | None = None) -> None:
        super().__init__(device, console=console, username=username, state="press_enter" if console else "cli")
        self.dev: ComwareDevice = device
        self.mode = "user"  # user | system | vlan-N | <interface> | luser-<name>
        self._login_user = ""
        self._bootware_window = console  # right after a boot, Ctrl+B opens the EXTENDED-BOOTWARE menu
        self.paging = True  # screen-length 24 until the session turns it off
        self._more: list[str] = []
        self._skip_console_auth = False

    # ---------- prompts and banners
    @property
    def prompt(self) -> str:
        h = self.dev.hostname
        if self.mode == "user":
            return f"<{h}>"
        return f"[{h}]" if self.mode == "system" else f"[{h}-{self.mode}]"

    def copyright_banner(self) -> str:
        s = self.dev.spec
        return ("\n" + "*" * 78 + f"\n* {s.copyright:<75}*\n* Without the owner's prior written consent,"
                + " " * 33 + "*\n* no decompiling or reverse-engineering shall be allowed." + " " * 20 + "*\n"
                + "*" * 78 + "\n\n")

    def banner(self) -> str:
        if self.console:
            return _crlf("\nPress ENTER to get started.") if self.state == "press_enter" else ""
        return _crlf(self.copyright_banner()) + self.prompt

    # ---------- keys
    def _intercept(self, ch: str) -> str | None:
        if self.state == "more":  # the line already dropped the LF of a CR LF
            return self._page_key(ch)
        if self._bootware_window and ch == "\x02":
            self._bootware_window = False
            self.state = "bootware"
            return _crlf(BOOTWARE_MENU)
        if self.state == "press_enter" and ch in "\r\n":
            self._bootware_window = False
            self._after_cr = ch == "\r"
            return self._after_enter()
        if self.state == "press_enter":
            return ""
        return None

    def _ctrl_z(self) -> str:
        if self.mode == "user":
            return ""
        self.mode = "user"
        return "\r\n" + self.prompt

    def _rebooted(self) -> Reply:
        self.state, self.mode, self._buf, self._pending = "press_enter", "user", "", None
        self._bootware_window = True
        if self.line_boots:  # the console line plays the boot (boot_script) and opens a new session
            return Reply("")
        return Reply(_crlf(boot_text(self.dev)) + self.banner())

    def _after_enter(self) -> str:
        if self._skip_console_auth:
            self.state, self.mode = "cli", "user"
            return "\r\n" + self.prompt
        self.state = "login"
        return _crlf("\n\nlogin: ")

    # ---------- lines
    def _line(self, line: str) -> tuple[str, bool]:
        st = self.state
        if st == "login":
            self._login_user, self.state = line.strip(), "password"
            return "\r\nPassword: ", False
        if st == "password":
            if self.dev.check_login(self._login_user, line):
                self.username, self.state, self.mode = self._login_user, "cli", "user"
                return "\r\n" + self.prompt, False
            self.state = "login"
            return _crlf("\nPassword error.\n\nlogin: "), False
        if st == "bootware":
            return self._bootware(line.strip())
        if st == "pending" and self._pending is not None:
            text, close = self._answer(line)
            return "\r\n" + text, close
        return self._command(line)

    def _bootware(self, choice: str) -> tuple[str, bool]:
        dev = self.dev
        if choice == "5":
            dev.reset_saved()
            return _crlf("\nThe current configuration file will be deleted. Done.\n" + BOOTWARE_MENU), False
        if choice == "6":
            dev.startup_skipped = True
            return _crlf("\nFlag Set Success.\n" + BOOTWARE_MENU), False
        if choice == "8":
            self._skip_console_auth = True
            return _crlf("\nClear Image Password Success!\n" + BOOTWARE_MENU), False
        if choice in ("0", "1"):
            if getattr(dev, "startup_skipped", False):  # the next boot ignores the saved configuration once
                dev.running = dev.factory_config()
                dev.startup_skipped = False
            self.state = "press_enter"
            return _crlf("\nStarting to get the main application file...\nSystem image is starting...\n"
                         "Line con0 is available.\n\n\nPress ENTER to get started."), False
        return _crlf("\nInvalid choice.\n" + BOOTWARE_MENU), False

    def _command(self, line: str) -> tuple[str, bool]:
        if not line.strip():
            return "\r\n" + self.prompt, False
        if self._ssh_dropped():
            return "", True  # ssh_drop: the link dies mid-session
        text = self._run(line)
        if self.state == "closed":
            return _crlf("\n" + text), True
        if self.state == "rebooting":
            self.generation = self.dev.generation
            return _crlf("\n" + text) + self._rebooted().text, False
        if self.state == "pending":
            return _crlf("\n" + text), False
        return self._paged("\n" + text), False

    # ---------- the pager: on until `screen-length disable` (VRP: `screen-length 0 temporary`)
    PAGE_LINES = 24
    MORE = "  ---- More ----"
    _ERASE = "\r" + " " * 16 + "\r"

    def _paged(self, text: str) -> str:
        """The answer and the prompt, or its first page and the pager's More (the rest waits for a key)."""
        lines = text.replace("\r\n", "\n").split("\n")
        if not self.paging or len(lines) <= self.PAGE_LINES:
            return _crlf(text) + self.prompt
        self._more = lines[self.PAGE_LINES:]
        self.state = "more"
        return _crlf("\n".join(lines[:self.PAGE_LINES])) + "\r\n" + self.MORE

    def _page_key(self, ch: str) -> str:
        """Space: the next page; Enter: the next line; anything else (q, Ctrl+C): stop, back at the prompt."""
        take = self.PAGE_LINES if ch == " " else 1 if ch in "\r\n" else 0
        shown, self._more = self._more[:take], self._more[take:]
        out = self._ERASE + _crlf("\n".join(shown))
        if take and self._more:
            return out + "\r\n" + self.MORE
        self._more, self.state = [], "cli"
        return out + ("\r\n" if shown and shown[-1] else "") + self.prompt

    error_lead = " % "  # Comware: " % Unrecognized command ..."; VRP: "Error: Unrecognized command ..."
    user_table = _USER
    system_table = _SYSTEM

    def _error(self, line: str, err: ParseError) -> str:
        word = {"ambiguous": "Ambiguous command", "incomplete": "Incomplete command"}.get(err.kind,
                                                                                         "Unrecognized command")
        pos = len(self.prompt) + (err.pos if err.kind != "incomplete" else len(line.rstrip()))
        return " " * pos + "^\n" + f"{self.error_lead}{word} found at '^' position.\n"

    def _run(self, line: str) -> str:
        user = self.user_table
        table = user if self.mode == "user" else [c for c in user if c[0] in _ANYWHERE] + self.system_table
        try:
            words, rest = resolve(line, table)
        except ParseError as err:
            return self._error(line, err)
        return self._do(words, rest, line)

    # ---------- what the commands do
    def _do(self, w: tuple[str, ...], rest: str, line: str) -> str:
        d = self.dev
        head = w[0]
        if head == "display":
            return self._display(w[1:], rest)
        if head == "screen-length":
            self.paging = False
            return "" if d.spec.comware == 7 else "% Screen-length configuration is disabled for current user.\n"
        if w == ("undo", "terminal", "monitor"):
            return ""
        if head == "system-view":
            self.mode = "system"
            return "System View: return to User View with Ctrl+Z.\n"
        if head == "quit":
            if self.mode == "user":
                if self.console:
                    self.state = "press_enter"
                    return "\nPress ENTER to get started."
                self.state = "closed"
                return ""
            self.mode = "user" if self.mode == "system" else "system"
            return ""
        if head == "return":
            self.mode = "user"
            return ""
        if head == "save":
            if w == ("save", "force"):
                d.save()
                return ("Validating file. Please wait...\n"
                        "Saved the current configuration to mainboard device successfully.\n")
            return self._ask("The current configuration will be written to the device. Are you sure? [Y/N]:",
                             self._save_answer)
        if w == ("reset", "saved-configuration"):
            return self._ask(self.ask_reset, self._reset_answer)
        if w == ("restore", "factory-default"):
            if d.spec.comware == 5:
                return self._error(line, ParseError("invalid", line.index("restore")))
            return self._ask("This command will restore the system to the factory default configuration and "
                             "clear the operation data. Continue [Y/N]:", self._restore_answer)
        if head == "reboot":
            lead = "Start to check configuration with next startup configuration file, please wait.........DONE!\n"
            if d.startup != d.running:
                return lead + self._ask(self.ask_save_first, self._save_then_reboot)
            return lead + self._ask(self.ask_reboot, self._reboot_answer)
        if head == "dir":
            return dir_text(d, rest)
        if head == "delete":
            return self._delete(rest)
        return self._system(w, rest)

    def _display(self, w: tuple[str, ...], rest: str) -> str:
        d = self.dev
        simple: dict[tuple[str, ...], Callable[[ComwareDevice], str]] = {
            ("version",): display_version, ("device",): display_device, ("device", "manuinfo"): display_manuinfo,
            ("fan",): display_fan, ("power",): display_power, ("environment",): display_environment,
            ("logbuffer",): display_logbuffer, ("interface", "brief"): display_interface_brief,
            ("startup",): display_startup, ("vlan", "brief"): _vlan_brief, ("vlan",): _vlan_brief,
        }
        if w in simple:
            return simple[w](d)
        if w[0] == "logbuffer":
            return display_logbuffer(d)
        if w == ("current-configuration",):
            return config_text(d, d.running)
        if w == ("saved-configuration",):
            return config_text(d, d.startup) if d.startup else "The config file does not exist!\n"
        if w == ("reboot-type",):
            if d.spec.comware != 5:  # Comware 7 says it in `display version` (Last reboot reason)
                return self._error("display reboot-type", ParseError("invalid", len("display ")))
            kind = "Cold" if d.reload_reason == "Cold reboot" else "Warm" if "User" in d.reload_reason else "Exception"
            return f"The rebooting type this time is: {kind}\n"
        if w == ("boot-loader",):
            return (f"Software images on slot 1:\nCurrent software images:\n  flash:/{d.spec.boot_file}\n"
                    f"Main startup software images:\n  flash:/{d.spec.boot_file}\nBackup startup software images:"
                    "\n  None\n")
        if w == ("poe", "interface"):
            if not d.spec.poe:
                return self._error("display poe interface", ParseError("invalid", len("display ")))
            return display_poe_interface(d)
        if w[0] == "interface" and rest.lower().startswith("br"):
            return display_interface_brief(d)
        if w[0] == "interface":
            if not rest:
                return "".join(display_interface(d, p) for p in d.ports)
            p = d.port(rest.replace(" ", ""))
            return display_interface(d, p) if p else " % Wrong parameter found at '^' position.\n"
        if w[0] == "transceiver":
            ports, err = _optic_port(d, rest)
            if err:
                return " % Wrong parameter found at '^' position.\n"
            what = {"diagnosis": "dom", "manuinfo": "manuinfo"}.get(w[1], "info")
            return display_transceiver(d, ports, what)
        return ""

    def _delete(self, rest: str) -> str:
        parts = rest.split()
        unreserved = "/unreserved" in parts
        names = [p for p in parts if not p.startswith("/")]
        if not names:
            return " % Incomplete command found at '^' position.\n"
        name = names[0].removeprefix("flash:/").removeprefix("flash:")
        if name not in self.dev.files:
            return f"Error: File flash:/{name} does not exist.\n"

        def answer(line: str) -> str:
            if not self._yes(line):
                return ""
            self.dev.files.pop(name, None)
            if unreserved:
                return (f"Deleting the file permanently will take a long time. Please wait...\n"
                        f"Deleting file flash:/{name}... Done.\n")
            self.dev.files[f".trash/{name}"] = 1  # the recycle bin keeps it until `reset recycle-bin`
            return f"Deleting file flash:/{name}... Done.\n"

        question = f"The file cannot be restored. Delete flash:/{name}? [Y/N]:" if unreserved \
            else f"Delete flash:/{name}? [Y/N]:"
        return self._ask(question, answer)

    def _system(self, w: tuple[str, ...], rest: str) -> str:
        cfg = self.dev.running
        head = w[0]
        if head == "sysname":
            cfg.sysname = rest.split()[0]
        elif head == "vlan":
            vid = int(w[1])
            cfg.vlans.setdefault(vid, f"VLAN {vid:04d}")
            self.mode = f"vlan{vid}"
        elif head == "name" and self.mode.startswith("vlan"):
            cfg.vlans[int(self.mode[4:])] = rest
        elif head == "local-user":
            user = rest.split()[0]
            cfg.users.setdefault(user, "")
            self.mode = f"luser-manage-{user}"
        elif head == "password" and self.mode.startswith("luser-manage-"):
            cfg.users[self.mode.removeprefix("luser-manage-")] = rest
        elif head == "interface":
            p = self.dev.port(rest.replace(" ", ""))
            if p is None:
                return " % Wrong parameter found at '^' position.\n"
            self.mode = p.name
        elif head == "shutdown" or w == ("undo", "shutdown"):
            p = self.dev.port(self.mode)
            if p is not None:
                p.shutdown = head == "shutdown"
        elif w[:2] == ("undo", "vlan"):
            if w[2] != "1":
                cfg.vlans.pop(int(w[2]), None)
        elif w[:2] == ("undo", "local-user"):
            cfg.users.pop(rest.split()[0], None)
        elif head == "undo":
            cfg.extra = [x for x in cfg.extra if not x.startswith(f"{w[1]} {rest}".strip())]
        else:
            cfg.extra.append(f"{head} {rest}".strip())
        return ""

    # ---------- answers to questions
    def _yes(self, line: str) -> bool:
        return line.strip().lower() in ("y", "yes")

    def _save_answer(self, line: str) -> str:
        if not self._yes(line):
            return ""
        self.dev.save()
        return "Please input the file name(*.cfg)[flash:/startup.cfg]\n(To leave the existing filename unchanged, " \
               "press the enter key):\nValidating file. Please wait...\nSaved the current configuration to " \
               "mainboard device successfully.\n"

    def _reset_answer(self, line: str) -> str:
        if not self._yes(line):
            return ""
        self.dev.reset_saved()
        where = "flash:" if self.dev.spec.comware == 7 else "flash"
        return (f"Configuration file in {where} is being cleared.\nPlease wait ...\n....\n"
                "Configuration file is cleared.\n")

    def _restore_answer(self, line: str) -> str:
        if not self._yes(line):
            return ""
        self.dev.startup = None
        self.dev.files = {k: v for k, v in self.dev.files.items()
                          if not (k.endswith((".cfg", ".mdb")) or "/" in k)}
        self.dev.crashes = []
        return ("Restoring the factory default configuration. This process might take a few minutes. Please "
                "wait..........................................Done.\n"
                "Please reboot the system to place the factory default configuration into effect.\n")

    def _save_then_reboot(self, line: str) -> str:
        if self._yes(line):
            self.dev.save()
        return self._ask(self.ask_reboot, self._reboot_answer)

    def _reboot_answer(self, line: str) -> str:
        if not self._yes(line):
            return ""
        self.dev.log("DEV", 5, "SYSTEM_REBOOT", "System is rebooting now.")
        self.dev.reload("User reboot")
        self.state = "rebooting" if self.console else "closed"
        return "Now rebooting, please wait...\n"


def _vlan_brief(dev: ComwareDevice) -> str:
    out = ["Brief information about all VLANs:", "Supported Minimum VLAN ID: 1", "Supported Maximum VLAN ID: 4094",
           "Default VLAN ID: 1", "VLAN ID   Name                             Port"]
    for vid, name in sorted(dev.running.vlans.items()):
        out.append(f"{vid:<9} {name:<32} {' '.join(p.short for p in dev.ports[:2]) if vid == 1 else ''}")
    return "\n".join(out + [""])

