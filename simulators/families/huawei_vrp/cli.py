"""VRP CLI session for huawei_vrp devices: the Comware line discipline and views, Huawei's words and tables.

`<HUAWEI>` user view, `[HUAWEI]` system view; errors read "Error: Unrecognized command found at '^' position.";
the console adds the boot, "Press ENTER to get started", the login and the BootLoad menu (Ctrl+B at the
countdown, password Admin@huawei.com): Huawei's password recovery.
"""

from __future__ import annotations

import time

from simulators.families.hp_comware.cli import ComwareSession, dom, uptime_text
from simulators.families.hp_comware.device import OPTICS, Config, Port
from simulators.families.huawei_vrp.device import VrpDevice
from simulators.line import ParseError
from simulators.line import crlf as _crlf

BOOTLOAD_PASSWORD = "Admin@huawei.com"
BOOTLOAD_MENU = """

        BootLoad Menu

     1. Boot with default mode
     2. Enter startup submenu
     3. Enter ethernet submenu
     4. Enter filesystem submenu
     5. Enter password submenu
     6. Clear password for console user
     7. Reboot
     (Press Ctrl+E to enter diag menu)

Enter your choice(1-7): """
STARTUP_MENU = """

        Startup Menu

     1. Display startup information
     2. Set next startup system software
     3. Set next startup configuration file
     4. Clear next startup configuration file
     5. Return

Enter your choice(1-5): """


def _mac(raw: str) -> str:
    return f"{raw[0:4]}-{raw[4:8]}-{raw[8:12]}".lower()


def display_version(dev: VrpDevice) -> str:
    s, up = dev.spec, dev.uptime()
    head = [
        "Huawei Versatile Routing Platform Software", f"VRP (R) software, Version {s.version}",
        "Copyright (C) 2000-2020 HUAWEI TECH CO., LTD",
        f"{'Huawei' if s.role == 'router' else 'HUAWEI'} {s.name} uptime is {uptime_text(up, weeks=False)}", ""]
    if s.vrp.startswith("8"):
        return "\n".join(head + [
            f"{s.pid} version information:", "- " * 32, "BKP  version information:",
            "  PCB         Version : CEM48S4QP04 REV B", "  MPU  Slot  Quantity : 1", "  CARD Slot  Quantity : 1",
            "- " * 32, "MPU version information:", "", f"MPU (Master) 1 : uptime is {uptime_text(up, weeks=False)}",
            "  StartupTime 2021/03/01   10:11:12", "  SDRAM Memory Size   : 2048 M bytes",
            "  FLASH Memory Size   : 1024 M bytes", f"  BootROM     Version : {s.bootrom}", ""])
    return "\n".join(head + [
        f"ES5D2T28S000 0(Master) : uptime is {uptime_text(up, weeks=False)}",
        "DDR             Memory Size : 512   M bytes", "FLASH Total     Memory Size : 512   M bytes",
        "FLASH Available Memory Size : 266   M bytes", "Pcb           Version   : VER.B",
        f"BootROM       Version   : {s.bootrom}", f"BootLoad      Version   : {s.bootrom}",
        "CPLD          Version   : 0106",
        f"Software      Version   : VRP (R) Software, Version {s.vrp} ({s.release.split()[-1]})", ""])


def display_esn(dev: VrpDevice) -> str:
    return f"ESN of {'master' if dev.spec.vrp.startswith('8') else 'slot 0'}: {dev.serial}\n"


def display_device(dev: VrpDevice) -> str:
    s = dev.spec
    rule = "-" * 86
    out = [f"{s.pid}'s Device status:", rule,
           "Slot  Card   Type                Online   Power Register     Alarm     Primary", rule,
           f"{'0' if s.vrp.startswith('5') else '1':<5} -      {s.pid[:19]:<19} Present  On    Registered   Normal    "
           "Master"]
    for p in dev.psus:
        if p.present:
            out.append(f"      PWR{p.bay}   {(p.pid or 'POWER')[:19]:<19} Present  {'On' if p.ok else 'Off':<5} "
                       f"Registered   {'Normal' if p.ok else 'Abnormal':<9} NA")
    for f in dev.fans:
        alarm = "Normal" if f.ok else "Abnormal"
        out.append(f"      FAN{f.number}   {'FAN':<19} Present  On    Registered   {alarm:<9} NA")
    return "\n".join(out + [rule, ""])


def display_fan(dev: VrpDevice) -> str:
    rule = "-" * 73
    out = [rule, " Slot  FanID   FanNum  Online    Status    Speed   Mode     Airflow", rule]
    for f in dev.fans:
        out.append(f" 0     {f.number:<7} [1]     Present   {'Normal' if f.ok else 'Abnormal':<9} "
                   f"{'45%' if f.ok else '0%':<7} Auto     Side-to-Back")
    return "\n".join(out + [""])


def display_power(dev: VrpDevice) -> str:
    rule = "-" * 60
    out = [rule, " Slot    PowerID  Online   Mode   State      Power(W)", rule]
    for p in dev.psus:
        if not p.present:
            out.append(f" 0       PWR{p.bay:<5} Absent   -      -          -")
        else:
            out.append(f" 0       PWR{p.bay:<5} Present  AC     {'Supply' if p.ok else 'NotSupply':<10} "
                       f"{p.watts:.2f}")
    return "\n".join(out + [""])


def display_temperature(dev: VrpDevice) -> str:
    rule = "-" * 79
    up = dev.uptime()
    out = [rule, "Slot  Card   Sensor Status     Current(C)  Lower(C)  Lower        Upper(C)  Upper",
           "                                                     Resume(C)              Resume(C)", rule]
    for t in dev.temps:
        cur = t.value(up)
        status = "NORMAL" if cur < t.warning else "MINOR" if cur < t.alarm else "MAJOR"
        out.append(f"0     NA     NA     {status:<10} {cur:<11} 0         4            {t.alarm:<9} {t.alarm - 4}")
    return "\n".join(out + [""])


def display_logbuffer(dev: VrpDevice) -> str:
    out = ["Logging buffer configuration and contents : enabled", "Allowed max buffer size : 1024",
           f"Actual buffer size : {len(dev.logs)}", "Channel number : 4 , Channel name : logbuffer",
           "Dropped messages : 0", "Overwritten messages : 0", f"Current messages : {len(dev.logs)}", ""]
    base = 1_735_689_600 - dev.uptime()
    for e in reversed(dev.logs):
        stamp = time.strftime("%b %d %Y %H:%M:%S", time.gmtime(base + e.at))
        out.append(f"{stamp} {dev.hostname} %%01{e.module}/{e.level}/{e.mnemonic}(l)[{len(out) % 97}]:{e.text}")
    return "\n".join(out + [""])


def display_interface_brief(dev: VrpDevice) -> str:
    up = dev.uptime()
    out = ["PHY: Physical", "*down: administratively down", "^down: standby", "(l): loopback", "(s): spoofing",
           "(E): E-Trunk down", "(b): BFD down", "(e): ETHOAM down", "(dl): DLDP down", "(d): Dampening Suppressed",
           "InUti/OutUti: input utility/output utility",
           "Interface                   PHY   Protocol  InUti OutUti   inErrors  outErrors"]
    for p in dev.ports:
        phy = "*down" if p.shutdown else "up" if p.up(up) else "down"
        c = p.counters(up)
        util = "0.01%" if p.up(up) else "0%"
        out.append(f"{p.name:<27} {phy:<5} {'up' if p.up(up) else 'down':<8} {util:>6} {util:>6} "
                   f"{c['rx_errors']:>10} {c['tx_errors']:>10}")
    out += ["NULL0                       up    up(s)        0%     0%          0          0",
            "Vlanif1                     up    down         --     --          0          0"]
    return "\n".join(out + [""])


def display_interface(dev: VrpDevice, p: Port) -> str:
    up = dev.uptime()
    c, is_up = p.counters(up), p.up(up)
    state = "Administratively DOWN" if p.shutdown else "UP" if is_up else "DOWN"
    speed = p.speed_mbps() if is_up else "AUTO"
    mode = "COMMON COPPER" if p.kind == "copper" else "COMMON FIBER"
    return "\n".join([
        f"{p.name} current state : {state}", f"Line protocol current state : {'UP' if is_up else 'DOWN'}",
        "Description:", "Switch Port, Link-type : access(negotiated),",
        "PVID :    1, TPID : 8100(Hex), The Maximum Frame Length is 9216",
        f"IP Sending Frames' Format is PKTFMT_ETHNT_2, Hardware address is {_mac(dev.mac(p.if_index))}",
        f"Port Mode: {mode}", f"Speed : {speed},  Loopback: NONE",
        f"Duplex: {'FULL' if is_up else 'AUTO'},  Negotiation: ENABLE", "Mdi   : AUTO,  Flow-control: DISABLE",
        f"Last 300 seconds input rate {p.rate * 8 if is_up else 0} bits/sec, {p.rate // 612 if is_up else 0} "
        "packets/sec",
        f"Last 300 seconds output rate {int(p.rate * 6.4) if is_up else 0} bits/sec, "
        f"{p.rate // 590 if is_up else 0} packets/sec", "",
        f"Input:  {c['rx_frames']} packets, {c['rx_bytes']} bytes",
        f"  Unicast:{c['rx_frames'] - c['rx_bcast']:>23},  Multicast:{0:>21}",
        f"  Broadcast:{c['rx_bcast']:>21},  Jumbo:{0:>25}",
        f"  Discard:{0:>23},  Total Error:{c['rx_errors']:>19}", "",
        f"  CRC:{c['crc']:>27},  Giants:{0:>24}", f"  Jabbers:{0:>23},  Throttles:{0:>21}",
        f"  Runts:{0:>25},  Alignments:{0:>20}", f"  Symbols:{0:>23},  Ignoreds:{0:>22}", f"  Frames:{0:>24}", "",
        f"Output:  {c['tx_frames']} packets, {c['tx_bytes']} bytes",
        f"  Unicast:{c['tx_frames'] - c['tx_bcast']:>23},  Multicast:{0:>21}",
        f"  Broadcast:{c['tx_bcast']:>21},  Jumbo:{0:>25}",
        f"  Discard:{0:>23},  Total Error:{c['tx_errors']:>19}", "",
        f"  Collisions:{0:>20},  ExcessiveCollisions:{0:>11}", f"  Late Collisions:{0:>15},  Deferreds:{0:>21}",
        f"  Buffers Purged:{0:>16}", "", "    Input bandwidth utilization threshold : 80.00%",
        "    Output bandwidth utilization threshold: 80.00%", "    Input bandwidth utilization  :    0%",
        "    Output bandwidth utilization :    0%", "",
    ])


# DOM limits a Huawei eSFP reports (high, low) per value; rx power in dBm.
_LIMITS = {"Temp": (95.0, -50.0), "Volt": (3.8, 2.81), "Bias": (14.0, 1.0), "RX Power": (-2.5, -22.5),
           "TX Power": (-2.5, -10.5)}
_ORDERING = {"JD118B": "eSFP-GE-SX-MM850", "JD119B": "eSFP-GE-LX-SM1310", "JD092B": "SFP-10G-SR",
             "JD094B": "SFP-10G-LR"}


def display_transceiver(dev: VrpDevice, ports: list[Port]) -> str:
    up, out = dev.uptime(), []
    rule = "-" * 61
    for p in ports:
        if not p.optic:
            out.append(f"Error: The transceiver of interface {p.name} is absent.")
            continue
        o, d = OPTICS[p.optic], dom(p, up)
        rx = -24.1 if p.dom_alarm else d["rx"]

        def row(label: str, value: float, fmt: str = ".2f") -> str:
            return f"  {label:<38}:{value:{fmt}}"

        out += [f"{p.name} transceiver information:", rule, "Common information:",
                f"  {'Transceiver Type':<38}:{o.descr}", f"  {'Connector Type':<38}:LC",
                f"  {'Wavelength(nm)':<38}:{o.wavelength}", f"  {'Transfer Distance(m)':<38}:{o.reach}",
                f"  {'Digital Diagnostic Monitoring':<38}:YES", f"  {'Vendor Name':<38}:HUAWEI",
                f"  {'Ordering Name':<38}:{_ORDERING[o.pid]}", rule, "Manufacture information:",
                f"  {'Manu. Serial Number':<38}:{p.optic_serial}", f"  {'Manufacturing Date':<38}:2019-03-01",
                f"  {'Vendor Name':<38}:HUAWEI", rule, "Diagnostic information:",
                row("Temperature(C)", d["temp"]), row("Temp High Threshold(C)", _LIMITS["Temp"][0]),
                row("Temp Low  Threshold(C)", _LIMITS["Temp"][1]), row("Voltage(V)", d["volt"]),
                row("Volt High Threshold(V)", _LIMITS["Volt"][0]), row("Volt Low  Threshold(V)", _LIMITS["Volt"][1]),
                row("Bias Current(mA)", d["bias"]), row("Bias High Threshold(mA)", _LIMITS["Bias"][0]),
                row("Bias Low  Threshold(mA)", _LIMITS["Bias"][1]), row("RX Power(dBm)", rx),
                row("RX Power High Threshold(dBm)", _LIMITS["RX Power"][0]),
                row("RX Power Low  Threshold(dBm)", _LIMITS["RX Power"][1]), row("TX Power(dBm)", d["tx"]),
                row("TX Power High Threshold(dBm)", _LIMITS["TX Power"][0]),
                row("TX Power Low  Threshold(dBm)", _LIMITS["TX Power"][1]), rule, ""]
    return "\n".join(out + [""])


def display_poe(dev: VrpDevice) -> str:
    out = ["PortName                  PD-state         Power-status     Class   Power(mW)"]
    for p in dev.ports:
        if p.kind != "copper":
            continue
        powered = p.linked and not p.dead and not p.poe_fault
        state = "Over-current" if p.poe_fault else "Power-on" if powered else "Detecting"
        status = "fault" if p.poe_fault else "on" if powered else "off"
        mw = int((4.4 + p.if_index % 5) * 1000) if powered else 0
        out.append(f"{p.name:<25} {state:<16} {status:<16} {'2' if powered else '-':<7} {mw}")
    return "\n".join(out + [""])


def dir_text(dev: VrpDevice, path: str = "") -> str:
    sub = "corefile" if path.rstrip("/").endswith("corefile") else ""
    head = f"Directory of flash:/{sub + '/' if sub else ''}"
    rows, files = [], ({k.split("/", 1)[1]: v for k, v in dev.files.items() if k.startswith(sub + "/")} if sub else
                       {f"{dev.spec.release.split()[0]}-{dev.spec.release.split()[-1]}.cc": 152_023_104,
                        "$_checkpoint": -1, "$_license": -1, "corefile": -1, "logfile": -1, "device.sys": 34_505,
                        **{k: v for k, v in dev.files.items() if "/" not in k}})
    for i, (name, size) in enumerate(sorted(files.items())):
        attr, shown = ("drw-", "-") if size < 0 else ("-rw-", f"{size:,}")
        rows.append(f"  {i:>3}  {attr} {shown:>14}  Mar 01 2021 10:1{i % 10}:12   {name}")
    if not rows:
        return f"{head}\nInfo: File can't be found in the directory.\n"
    return "\n".join([head, "", "  Idx  Attr     Size(Byte)  Date        Time       FileName", *rows, "",
                      "508,416 KB total available (266,232 KB free)", ""])


def display_startup(dev: VrpDevice) -> str:
    s = dev.spec
    image = f"flash:/{s.release.split()[0]}-{s.release.split()[-1]}.cc"
    cfg = "flash:/vrpcfg.zip" if dev.startup else "NULL"
    return "\n".join([
        "MainBoard: ", f"  Startup system software:                   {image}",
        f"  Next startup system software:              {image}",
        "  Backup system software for next startup:   null",
        f"  Startup saved-configuration file:          {cfg}",
        f"  Next startup saved-configuration file:     {cfg}", "  Startup license file:                      null",
        "  Next startup license file:                 null", "  Startup patch package:                     null",
        "  Next startup patch package:                null", ""])


def config_text(dev: VrpDevice, cfg: Config) -> str:
    out = ["!Software Version " + dev.spec.release.split()[-1], "#", f"sysname {cfg.sysname}", "#"]
    out += [line for line in cfg.extra]
    vids = sorted(v for v in cfg.vlans if v != 1)
    if vids:
        out += ["#", f"vlan batch {' '.join(map(str, vids))}"]
    for vid in vids:
        out += ["#", f"vlan {vid}", f" description {cfg.vlans[vid]}"]
    out += ["#", "aaa"]
    for user, pw in cfg.users.items():
        digest = str(abs(hash(pw)) % 10**12)
        out += [f" local-user {user} password irreversible-cipher $1a${digest}$",
                f" local-user {user} privilege level 15", f" local-user {user} service-type terminal ssh"]
    for p in dev.ports:
        out += ["#", f"interface {p.name}"] + ([" shutdown"] if p.shutdown else [])
    out += ["#", "stelnet server enable", "#", "user-interface con 0", " authentication-mode aaa",
            "user-interface vty 0 4", " authentication-mode aaa", " protocol inbound ssh", "#", "return", ""]
    return "\n".join(out)


def boot_text(dev: VrpDevice) -> str:
    s = dev.spec
    return "\n".join([
        "", "BIOS LOADING ...", "Copyright (c) 2008-2020 HUAWEI TECH CO., LTD", "",
        f"Basic BIOS Version : {s.bootrom}", f"Board Type : {s.pid}", "Board ID   : 1", "", "Press Ctrl+B or Ctrl+E to"
        " enter BootLoad menu: 0", "Booting Normal Extended BIOS......", "Verifying application file ......",
        f"Loading the application file flash:/{s.release.split()[0]}-{s.release.split()[-1]}.cc ......",
        "Now the system is running the application...", "Info: Initializing, please wait......", "", ""])


_USER: list[tuple[str, ...]] = [
    ("display", "version"), ("display", "esn"), ("display", "sn", "license"), ("display", "device"),
    ("display", "fan"), ("display", "power"), ("display", "temperature", "all"), ("display", "logbuffer"),
    ("display", "logbuffer", "<rest>"), ("display", "interface"), ("display", "interface", "<rest>"),
    ("display", "transceiver", "verbose"), ("display", "transceiver", "interface", "<rest>"),
    ("display", "poe", "power-state"), ("display", "startup"), ("display", "saved-configuration"),
    ("display", "current-configuration"), ("screen-length", "0", "temporary"), ("system-view",), ("quit",),
    ("return",), ("save",), ("reset", "saved-configuration"), ("reset", "factory-configuration"), ("reboot",),
    ("dir",), ("dir", "<rest>"), ("delete", "<rest>"), ("undo", "terminal", "monitor"),
]
_SYSTEM: list[tuple[str, ...]] = [
    ("sysname", "<rest>"), ("vlan", "<n>"), ("vlan", "batch", "<rest>"), ("undo", "vlan", "<n>"),
    ("description", "<rest>"), ("aaa",), ("local-user", "<rest>"), ("undo", "local-user", "<rest>"),
    ("interface", "<rest>"), ("shutdown",), ("undo", "shutdown"), ("snmp-agent", "<rest>"), ("info-center", "<rest>"),
    ("ntp-service", "<rest>"), ("undo", "info-center", "<rest>"), ("undo", "snmp-agent", "<rest>"),
]


class VrpSession(ComwareSession):
    """One VRP CLI line (SSH shell or console)."""

    error_lead = "Error: "
    user_table = _USER
    system_table = _SYSTEM
    ask_reboot = "System will reboot! Continue ? [y/n]:"
    ask_save_first = "Warning: The current configuration will be saved to the next startup saved-configuration " \
                     "file. Continue? [Y/N]:"
    ask_reset = "Warning: The action will delete the saved configuration in the device.\nThe configuration will " \
                "be erased to reconfigure. Continue? [Y/N]:"

    def __init__(self, device: VrpDevice, *, console: bool, username: str | None = None) -> None:
        super().__init__(device, console=console, username=username)
        self.dev: VrpDevice = device
        self._bootload_password = False

    def copyright_banner(self) -> str:
        return ("\nInfo: The max number of VTY users is 5, the number of current VTY users online is 1, and total "
                "number of terminal users online is 1.\n      The current login time is 2021-03-01 10:11:12.\n")

    def _intercept(self, ch: str) -> str | None:
        if self._bootware_window and ch == "\x02":
            self._bootware_window = False
            self.state, self._bootload_password = "bootware", True
            return _crlf("\nPassword: ")
        return super()._intercept(ch)

    @property
    def secret(self) -> bool:
        return self.state in self.secret_states or (self.state == "bootware" and self._bootload_password)

    def _bootware(self, choice: str) -> tuple[str, bool]:
        dev = self.dev
        if self._bootload_password:
            if choice != BOOTLOAD_PASSWORD:
                return _crlf("\nError: The password is incorrect.\nPassword: "), False
            self._bootload_password = False
            return _crlf(BOOTLOAD_MENU), False
        if self.mode == "startup-menu":
            if choice == "4":
                dev.reset_saved()
                return _crlf("\nClear next startup configuration file successfully!\n" + STARTUP_MENU), False
            self.mode = "user"
            return _crlf(BOOTLOAD_MENU), False
        if choice == "2":
            self.mode = "startup-menu"
            return _crlf(STARTUP_MENU), False
        if choice == "6":
            self._skip_console_auth = True
            return _crlf("\nClear password for console user successfully.\n" + BOOTLOAD_MENU), False
        if choice in ("1", "7"):
            dev.running = dev.startup if dev.startup else dev.factory_config()
            self.state, self.mode = "press_enter", "user"
            return _crlf("\nBooting from flash ......\nNow the system is running the application...\n\n"
                         "Press ENTER to get started."), False
        return _crlf("\nError: Invalid choice.\n" + BOOTLOAD_MENU), False

    def _after_enter(self) -> str:
        if self._skip_console_auth:
            self.state, self.mode = "cli", "user"
            return "\r\n" + self.prompt
        self.state = "login"
        return _crlf("\n\nLogin authentication\n\n\nUsername:")

    def _line(self, line: str) -> tuple[str, bool]:
        if self.state == "password" and not self.dev.check_login(self._login_user, line):
            self.state = "login"
            return _crlf("\nError: Local authentication is rejected.\n\nLogin authentication\n\n\nUsername:"), False
        return super()._line(line)

    def _do(self, w: tuple[str, ...], rest: str, line: str) -> str:
        d = self.dev
        if w[0] == "display":
            return self._display(w[1:], rest)
        if w[0] == "screen-length":
            self.paging = False
            return "Info: The configuration takes effect on the current user terminal interface only.\n"
        if w == ("undo", "terminal", "monitor"):
            return ""
        if w[0] == "system-view":
            self.mode = "system"
            return "Enter system view, return user view with Ctrl+Z.\n"
        if w == ("reset", "factory-configuration"):
            if not d.spec.factory_reset:
                return self._error(line, ParseError("invalid", line.index("factory")))
            return self._ask("Warning: This operation will restore all the configurations to factory settings and "
                             "restart the device. Continue? [Y/N]:", self._factory_answer)
        if w == ("reset", "saved-configuration"):
            return self._ask(self.ask_reset, self._reset_answer)
        if w[0] == "reboot":
            lead = "Info: The system is comparing the configuration, please wait.\n"
            if d.startup != d.running:
                return lead + self._ask(self.ask_save_first, self._save_then_reboot)
            return lead + self._ask(self.ask_reboot, self._reboot_answer)
        if w[0] == "save":
            return self._ask("The current configuration will be written to the device.\nAre you sure to continue?"
                             "[Y/N]:", self._save_answer)
        if w[0] == "dir":
            return dir_text(d, rest)
        if w[0] == "aaa":
            self.mode = "aaa"
            return ""
        if w[:2] == ("vlan", "batch"):
            for v in rest.split():
                if v.isdigit():
                    d.running.vlans.setdefault(int(v), f"VLAN {int(v):04d}")
            return ""
        if w[0] == "description" and self.mode.startswith("vlan"):
            d.running.vlans[int(self.mode[4:])] = rest
            return ""
        if w[0] == "local-user":
            parts = rest.split()
            if len(parts) >= 3 and parts[1] == "password":
                d.running.users[parts[0]] = parts[-1]
            return ""
        return super()._do(w, rest, line)

    def _display(self, w: tuple[str, ...], rest: str) -> str:
        d = self.dev
        table = {("version",): display_version, ("esn",): display_esn, ("device",): display_device,
                 ("fan",): display_fan, ("power",): display_power, ("temperature", "all"): display_temperature,
                 ("logbuffer",): display_logbuffer, ("startup",): display_startup}
        if w in table:
            return table[w](d)
        if w == ("sn", "license"):
            return f" ESN of device: {d.serial}\n"
        if w[0] == "logbuffer":
            return display_logbuffer(d)
        if w == ("current-configuration",):
            return config_text(d, d.running)
        if w == ("saved-configuration",):
            return config_text(d, d.startup) if d.startup else "Info: The system is now comparing the " \
                "configuration, please wait.\nWarning: The saved configuration file does not exist.\n"
        if w == ("poe", "power-state"):
            if not d.spec.poe:
                return self._error("display poe power-state", ParseError("invalid", len("display ")))
            return display_poe(d)
        if w[0] == "interface":
            if rest.lower().startswith("br"):
                return display_interface_brief(d)
            if not rest:
                return "\n".join(display_interface(d, p) for p in d.ports)
            p = d.port(rest.replace(" ", ""))
            return display_interface(d, p) if p else "Error: Wrong parameter found at '^' position.\n"
        if w[0] == "transceiver":
            if w[1] == "verbose":
                return display_transceiver(d, [p for p in d.ports if p.optic])
            p = d.port(rest.split()[0]) if rest else None
            return display_transceiver(d, [p]) if p else "Error: Wrong parameter found at '^' position.\n"
        return ""

    def _delete(self, rest: str) -> str:
        parts = rest.split()
        names = [p for p in parts if not p.startswith("/")]
        if not names:
            return "Error: Incomplete command found at '^' position.\n"
        name = names[0].removeprefix("flash:/").removeprefix("flash:")
        if name not in self.dev.files:
            return f"Error: File flash:/{name} does not exist.\n"
        unreserved = "/unreserved" in parts

        def answer(line: str) -> str:
            if not self._yes(line):
                return ""
            self.dev.files.pop(name, None)
            if not unreserved:
                self.dev.files[f"$_recycle/{name}"] = 1  # the recycle bin keeps it until `reset recycle-bin`
            return f"Info: Deleting file flash:/{name}...succeeded.\n"

        warn = "Warning: The contents of file flash:/" + name + " cannot be recycled. " if unreserved else ""
        return self._ask(f"{warn}Delete flash:/{name}? (y/n)[n]:", answer)

    def _reset_answer(self, line: str) -> str:
        if not self._yes(line):
            return ""
        self.dev.reset_saved()
        return "Warning: Now clearing the configuration in the device.\n" \
               "Info: Succeeded in clearing the configuration in the device.\n"

    def _save_answer(self, line: str) -> str:
        if not self._yes(line):
            return ""
        self.dev.save()
        return "Now saving the current configuration to the slot 0.\nInfo: Save the configuration successfully.\n"

    def _factory_answer(self, line: str) -> str:
        if not self._yes(line):
            return ""
        self.dev.restore_factory()
        self.state = "rebooting" if self.console else "closed"
        return "Info: Restoring the factory configuration and restarting the device...\n"

    def _reboot_answer(self, line: str) -> str:
        if not self._yes(line):
            return ""
        self.dev.log("SYSTEM", 5, "SYS_REBOOT", "The system will reboot. (Reason=Reboot by user command)")
        self.dev.reload("USER_COMMAND")
        self.state = "rebooting" if self.console else "closed"
        return "Info: system is rebooting ,please wait...\n"

