"""Dell EMC OS10 CLI session for dell_os10 devices: input in, OS10-formatted text out.

OS10 refuses with `% Error: Unrecognized command.` / `% Error: Incomplete command.`, answers `reload` with
`Proceed to reboot the system? [confirm yes/no]:`, and keeps its configuration as startup.xml in `config:`.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable

from simulators.families.dell_os10.device import OPTICS, Config, Os10Device, Port
from simulators.line import ParseError, Reply, resolve
from simulators.line import crlf as _crlf
from simulators.paged_session import PagedSession

_RULE = "-" * 98
_UNRECOGNIZED = "% Error: Unrecognized command.\n"


def _uptime(sec: float) -> str:
    """OS10's "1 day 00:54:13" / "3 weeks 2 days 04:01:09"."""
    s = int(sec)
    weeks, s = divmod(s, 604_800)
    days, s = divmod(s, 86_400)
    h, s = divmod(s, 3_600)
    m, s = divmod(s, 60)
    lead = (f"{weeks} week{'s' if weeks != 1 else ''} " if weeks else "") + \
           (f"{days} day{'s' if days != 1 else ''} " if days or weeks else "")
    return f"{lead}{h:02d}:{m:02d}:{s:02d}"


def _mac(raw: str) -> str:
    h = raw.lower()
    return ":".join(h[i:i + 2] for i in range(0, 12, 2))


# ---------------------------------------------------------------- renderers
def show_version(dev: Os10Device) -> str:
    s = dev.spec
    return "\n".join([
        "Dell EMC Networking OS10 Enterprise", "Copyright (c) 1999-2021 by Dell Inc. All Rights Reserved.",
        f"OS Version: {s.version}", f"Build Version: {s.build}", "Build Time: 2021-11-05T11:36:12+0000",
        f"System Type: {s.pid}", "Architecture: x86_64", f"Up Time: {_uptime(dev.uptime())}", ""])


def show_inventory(dev: Os10Device) -> str:
    s = dev.spec
    out = [f"Product               : {s.pid}", f"Description           : {s.descr}",
           f"Software version      : {s.version}", "Product Base          : ", "Product Serial Number : ",
           "Product Part Number   : ",
           "Unit Type                      Part Number Rev  Piece Part ID              Svc Tag  Exprs Svc Code",
           _RULE,
           f"* 1  {s.pid:<25} {s.part:<11} A00  {dev.ppid:<26} {dev.serial:<8} {dev.express_code}"]
    out += [f"  1  {p.pid:<25} {p.part:<11} A00  {p.ppid:<26}" for p in dev.psus]
    out += [f"  1  {f.pid:<25} {f.part:<11} A00  {f.ppid:<26}" for f in dev.fans]
    return "\n".join(out + [""])


def show_system(dev: Os10Device) -> str:
    s = dev.spec
    out = ["", "Node Id              : 1", f"MAC                  : {_mac(dev.base_mac)}",
           "Number of MACs       : 256", f"Up Time              : {_uptime(dev.uptime())}", "",
           "-- Unit 1 --", "Status                     : up", "System Identifier          : 1",
           "Down Reason                : unknown", "Digital Optical Monitoring : disable",
           "System Location LED        : off", f"Required Type              : {s.pid.removesuffix('-ON')}",
           f"Current Type               : {s.pid.removesuffix('-ON')}", "Hardware Revision          : A00",
           f"Software Version           : {s.version}", "BIOS                       : 3.33.0.1-7",
           "System CPLD                : 0.4", "Master CPLD                : 0.10", "",
           "-- Power Supplies --", "PSU-ID  Status      Type    AirFlow   Fan  Speed(rpm)  Status",
           "-" * 64]
    for p in dev.psus:
        if p.ok:
            out.append(f"{p.slot:<7} {'up':<11} {'AC':<7} {'NORMAL':<9} {1:<4} {13_312 - 41 * p.slot:<11} up")
        else:
            out.append(f"{p.slot:<7} {'fail':<11} {'AC':<7} {'NORMAL':<9} {1:<4} {0:<11} fail")
    out += ["", "-- Fan Status --", "FanTray  Status      AirFlow   Fan  Speed(rpm)  Status", "-" * 64]
    for f in dev.fans:
        st, rpm = ("up", 13_195 - 37 * f.slot) if f.ok else ("fail", 0)
        out.append(f"{f.slot:<8} {st:<11} {'NORMAL':<9} {1:<4} {rpm:<11} {st}")
    return "\n".join(out + [""])


def show_environment(dev: Os10Device) -> str:
    up = dev.uptime()
    hottest = max(t.value(up) for t in dev.temps)
    out = ["", "Unit    State          Temperature", "-" * 37, f"{1:<7} {'up':<14} {hottest}", "",
           "Thermal sensors", "Unit   Sensor-Id       Sensor-name                                        "
           "Temperature", "-" * 90]
    for t in dev.temps:
        out.append(f"{1:<6} {t.sensor:<15} {t.name:<50} {t.value(up)}")
    return "\n".join(out + [""])


def show_alarms(dev: Os10Device) -> str:
    alarms = dev.alarms()
    out = ["Active-alarm details - " + str(len(alarms)),
           "Sq No  Severity  Name                           Timestamp                   Source", "-" * 90]
    for i, (sev, name, source) in enumerate(alarms, 1):
        stamp = time.strftime("%a %b %d %H:%M:%S %Y", time.gmtime(dev.clock() - 30))
        out.append(f"{i:<6} {sev:<9} {name:<30} {stamp:<27} {source}")
    return "\n".join(out + [""])


def show_logging(dev: Os10Device) -> str:
    out = []
    base = dev.clock() - dev.uptime()
    for e in dev.events:
        t = base + e.at
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + f".{int(t * 1e6) % 1_000_000:06d}+00:00"
        out.append(f"<165>1 {stamp} {dev.hostname} {e.process} 1{e.at:04.0f} - - Node.1-Unit.1:PRI [event], "
                   f"Dell EMC (OS10) {e.tag}: {e.text}")
    return "\n".join(out + [""])


def dir_listing(names: list[tuple[str, int]], where: str) -> str:
    out = ["", f"Directory contents for folder: {where}", "Date (modified)        Size (bytes)  Name",
           "---------------------  ------------  -----------"]
    for name, size in names:
        out.append(f"2022-06-14T10:00:00Z   {size:<12}  {name}")
    return "\n".join(out + [""])


def dir_config(dev: Os10Device) -> str:
    files = [("startup.xml", 31_204)] if dev.startup is not None else []
    files += [(f, 2_048 + 97 * i) for i, f in enumerate(dev.files)]
    return dir_listing(files, "config")


def dir_coredump(dev: Os10Device) -> str:
    return dir_listing([(c, 1_834_112 + 1024 * i) for i, c in enumerate(dev.cores)], "coredump")


def show_interface_status(dev: Os10Device) -> str:
    up = dev.uptime()
    out = [_RULE, "Port            Description     Status   Speed    Duplex   Mode Vlan Tagged-Vlans", _RULE]
    for p in dev.ports:
        is_up = p.up(up)
        speed = f"{p.speed_mbps() // 1000}G" if is_up and p.speed_mbps() >= 1000 else "0"
        out.append(f"{p.short:<15} {'':<15} {'up' if is_up else 'down':<8} {speed:<8} {'full':<8} A    1    -")
    return "\n".join(out + [""])


def show_interface_one(dev: Os10Device, p: Port) -> str:
    up = dev.uptime()
    is_up, c = p.up(up), p.counters(up)
    media = (f"Pluggable media present, {OPTICS[p.optic].media.split()[0]} type is {OPTICS[p.optic].media}"
             if p.optic else "Pluggable media not present" if p.kind != "copper" else "")
    speed = p.speed_mbps() if is_up else 0
    line_speed = f"{speed // 1000}G" if speed >= 1000 else "auto"
    rx_f, tx_f = c["rx_frames"], c["tx_frames"]
    out = [f"Ethernet {p.name.removeprefix('ethernet')} is {'up' if is_up else 'down'}, line protocol is "
           f"{'up' if is_up else 'down'}", f"Hardware is Eth, address is {_mac(dev.mac(p.if_index))}",
           f"    Current address is {_mac(dev.mac(p.if_index))}"]
    out += [media] if media else []
    out += [f"Interface index is {17_305_088 + p.if_index * 4}", "Internet address is not set",
            "Mode of IPv4 Address Assignment: not set", "Interface IPv6 oper status: Disabled",
            "MTU 1532 bytes, IP MTU 1500 bytes", f"LineSpeed {line_speed}, Auto-Negotiation on",
            "Flowcontrol rx off tx off", "ARP type: ARPA, ARP Timeout: 60",
            f'Last clearing of "show interface" counters: {_uptime(up)}', "Queuing strategy: fifo",
            "Input statistics:", f"     {rx_f} packets, {c['rx_bytes']} octets",
            f"     {rx_f // 2} 64-byte pkts, {rx_f // 4} over 64-byte pkts, {rx_f // 8} over 127-byte pkts",
            f"     {rx_f // 16} over 255-byte pkts, 0 over 511-byte pkts, 0 over 1023-byte pkts",
            f"     {rx_f // 50} Multicasts, {rx_f // 100} Broadcasts, {rx_f - rx_f // 50 - rx_f // 100} Unicasts",
            "     0 runts, 0 giants, 0 throttles", f"     {c['crc']} CRC, 0 overrun, 0 discarded",
            "Output statistics:", f"     {tx_f} packets, {c['tx_bytes']} octets",
            f"     {tx_f // 2} 64-byte pkts, {tx_f // 4} over 64-byte pkts, {tx_f // 8} over 127-byte pkts",
            f"     {tx_f // 16} over 255-byte pkts, 0 over 511-byte pkts, 0 over 1023-byte pkts",
            f"     {tx_f // 50} Multicasts, {tx_f // 100} Broadcasts, {tx_f - tx_f // 50 - tx_f // 100} Unicasts",
            "     0 throttles, 0 discarded, 0 Collisions,  wreddrops",
            "Rate Info(interval 30 seconds):",
            f"     Input {p.rate * 8 // 1_000_000 if is_up else 0} Mbits/sec, 0 packets/sec, 0% of line rate",
            f"     Output {p.rate * 8 // 1_250_000 if is_up else 0} Mbits/sec, 0 packets/sec, 0% of line rate",
            f"Time since last interface status change: {_uptime(up % 10 if p.flap else up)}", ""]
    return "\n".join(out)


# (high alarm, low alarm, high warning, low warning) from the module's EEPROM
_DOM = (("Temp", "Temperature", "C", (78.0, -8.0, 73.0, -3.0)), ("Voltage", "Voltage", "V", (3.7, 2.9, 3.6, 3.0)),
        ("Bias", "Tx Bias Current", "mA", (15.0, 1.0, 12.0, 2.0)),
        ("TX Power", "Tx Power", "mW", (1.78, 0.12, 1.41, 0.15)),
        ("RX Power", "Rx Power", "mW", (1.78, 0.02, 1.41, 0.03)))


def dom_values(p: Port, uptime: float) -> dict[str, float]:
    seed = int(hashlib.md5(p.optic_serial.encode()).hexdigest()[:6], 16)
    drift = math.sin(uptime / 600.0)
    return {"Temperature": 32.0 + seed % 9 + drift, "Voltage": 3.29 + (seed % 20) / 1000,
            "Tx Bias Current": 6.5 + (seed % 30) / 10, "Tx Power": 0.55 + (seed % 120) / 1000,
            "Rx Power": 0.011 if p.dom_alarm else 0.45 + (seed % 200) / 1000}


def show_transceiver(dev: Os10Device) -> str:
    out: list[str] = []
    for p in dev.ports:
        if not p.optic:
            continue
        o, tag = OPTICS[p.optic], p.name.removeprefix("ethernet")
        kind = o.media.split()[0]
        v = dom_values(p, dev.uptime())
        out += [f"{kind} {tag} Serial Base ID fields", f"{kind} {tag} Id                      = 0x03",
                f"{kind} {tag} Vendor Name             = DELL EMC", f"{kind} {tag} Vendor PN               = {o.pid}",
                f"{kind} {tag} Vendor SN               = {p.optic_serial}",
                f"{kind} {tag} Media Type              = {o.media}", f"{kind} {tag} Diagnostic Information",
                f"{kind} {tag} Rx Power measurement type = Average"]
        for short, _label, unit, (hi_a, lo_a, hi_w, lo_w) in _DOM:
            out += [f"{kind} {tag} {short} High Alarm threshold   = {hi_a:.3f}{unit}",
                    f"{kind} {tag} {short} Low Alarm threshold    = {lo_a:.3f}{unit}",
                    f"{kind} {tag} {short} High Warning threshold = {hi_w:.3f}{unit}",
                    f"{kind} {tag} {short} Low Warning threshold  = {lo_w:.3f}{unit}"]
        for _short, label, unit, _lim in _DOM:
            out.append(f"{kind} {tag} {label:<23} = {v[label]:.3f}{unit}")
        out.append("")
    return "\n".join(out) if out else "No transceivers present\n"


def config_text(dev: Os10Device, cfg: Config) -> str:
    out = ["! Version " + dev.spec.version, "! Last configuration change at "
           + time.strftime("%b %d %H:%M:%S %Y", time.gmtime(dev.clock() - 600)), "!"]
    if cfg.hostname != "OS10":
        out.append(f"hostname {cfg.hostname}")
    out += ["ip vrf default", "!", "iscsi target port 860", "iscsi target port 3260"]
    for user, pw in dev.users.items():
        digest = hashlib.sha512(pw.encode()).hexdigest()[:43]
        role = "sysadmin" if user == "admin" or user == "netops" else "netoperator"
        out.append(f"username {user} password $6$rounds=656000${digest} role {role} priv-lvl 15")
    if cfg.contact:
        out.append(f"snmp-server contact {cfg.contact}")
    if cfg.location:
        out.append(f"snmp-server location {cfg.location}")
    out += cfg.extra
    for vid, name in sorted(cfg.vlans.items()):
        out += ["!", f"interface vlan{vid}", " no shutdown"] + ([f" description {name}"] if name else [])
    for p in dev.ports:
        out += ["!", f"interface {p.name}", " no shutdown", " switchport access vlan 1", " flowcontrol receive on"]
    out += ["!", "interface mgmt1/1/1", " no shutdown", " no ip address dhcp", " ipv6 address autoconfig", "!",
            "support-assist", "!", "policy-map type application policy-iscsi", "!", "class-map type application "
            "class-iscsi", ""]
    return "\n".join(out)


# ---------------------------------------------------------------- the session
_EXEC: list[tuple[str, ...]] = [
    ("exit",), ("end",), ("terminal", "length", "<n>"), ("terminal", "width", "<n>"),
    ("show", "version"), ("show", "inventory"), ("show", "system"), ("show", "environment"), ("show", "alarms"),
    ("show", "logging", "log-file"), ("show", "interface", "<rest>"), ("show", "interface"),
    ("show", "running-configuration"), ("show", "startup-configuration"), ("dir", "config"), ("dir", "coredump"),
    ("delete", "<rest>"), ("write", "memory"),
    ("copy", "running-configuration", "startup-configuration"),
    ("reload",), ("configure", "terminal"),
]


class Os10Session(PagedSession):
    """One OS10 line. Console: `OS10 login:` / `Password:`; SSH lands at `OS10#` (admin is sysadmin)."""

    pager_prompt = "--more--"

    mode_marks = {"exec": "# "}
    config_mark = "# "

    def __init__(self, device: Os10Device, *, console: bool, username: str | None = None) -> None:
        super().__init__(device, console=console, username=username)
        self.dev: Os10Device = device

    @property
    def prompt(self) -> str:
        h = self.dev.hostname
        return f"{h}# " if self.mode == "exec" else f"{h}({self.mode})# "

    def banner(self) -> str:
        if self.state == "login":
            return _crlf(f"\n{self.dev.hostname} login: ")
        return _crlf("\n") + self.prompt

    def _rebooted(self) -> Reply:
        self.state, self.mode = "login", "exec"
        if self.line_boots:
            return Reply("")
        return Reply(_crlf(grub_text(self.dev) + kernel_text(self.dev)) + self.banner())

    def _login_again(self) -> str:
        return self.banner()

    def _welcome(self) -> str:
        return _crlf("\nLast login: never\n")

    def _login_failed(self) -> str:
        return _crlf("\n\nLogin incorrect") + self.banner()

    def _exec(self, line: str) -> str:
        try:
            w, rest = resolve(line, _EXEC)
        except ParseError as err:
            return "% Error: Incomplete command.\n" if err.kind == "incomplete" else _UNRECOGNIZED
        d = self.dev
        if w[0] == "show":
            return self._show(w[1:], rest)
        if w[0] == "terminal":
            if w[1] == "length":
                self.page_lines = int(w[2])
            return ""
        if w[0] in ("exit", "end"):
            if self.console:
                self.state = "login"
                return f"\n{d.hostname} login: "
            self.state = "closed"
            return ""
        if w[0] == "configure":
            self.mode = "config"
            return ""
        if w == ("dir", "config"):
            return dir_config(d)
        if w == ("dir", "coredump"):
            return dir_coredump(d)
        if w in (("write", "memory"), ("copy", "running-configuration", "startup-configuration")):
            d.write_memory()
            return ""
        if w[0] == "delete" and len(rest) >= 3 and "startup-configuration".startswith(rest.lower()):
            d.startup = None
            return ""
        if w[0] == "delete":
            name = rest.split(":", 1)[-1].lstrip("/").strip()
            if rest.startswith("config://") and name in d.files:
                d.files.remove(name)
                return ""
            if rest.startswith("coredump://") and name in d.cores:
                d.cores.remove(name)
                return ""
            return "% Error: File does not exist.\n"
        if w == ("reload",):
            if d.startup != d.running:
                return self._ask("System configuration has been modified. Save? [yes/no]:", self._save_then_reload)
            return self._ask("Proceed to reboot the system? [confirm yes/no]:", self._reload)
        return _UNRECOGNIZED

    def _show(self, w: tuple[str, ...], rest: str) -> str:
        d = self.dev
        table: dict[tuple[str, ...], Callable[[Os10Device], str]] = {
            ("version",): show_version, ("inventory",): show_inventory, ("system",): show_system,
            ("environment",): show_environment, ("alarms",): show_alarms, ("logging", "log-file"): show_logging,
        }
        if w in table:
            return table[w](d)
        if w[0] == "interface":
            return self._show_interface(rest.lower().split())
        if w == ("running-configuration",):
            return config_text(d, d.running)
        if w == ("startup-configuration",):
            if d.startup is None:
                return "% Error: Startup configuration file does not exist.\n"
            return config_text(d, d.startup)
        return _UNRECOGNIZED

    def _show_interface(self, args: list[str]) -> str:
        d = self.dev
        if not args:
            return "\n".join(show_interface_one(d, p) for p in d.ports)
        if "status".startswith(args[0]) and len(args[0]) >= 2:
            return show_interface_status(d)
        if "transceiver".startswith(args[0]) and len(args[0]) >= 2:
            return show_transceiver(d)
        name = "".join(args)
        name = name if name.startswith("ethernet") else "ethernet" + name.removeprefix("eth").removeprefix("e")
        p = d.port(name)
        return show_interface_one(d, p) if p is not None else "% Error: Interface not found.\n"

    def _yes(self, line: str) -> bool:
        return line.strip().lower() in ("y", "yes")

    def _save_then_reload(self, line: str) -> str:
        if self._yes(line):
            self.dev.write_memory()
        return self._ask("Proceed to reboot the system? [confirm yes/no]:", self._reload)

    def _reload(self, line: str) -> str:
        if not self._yes(line):
            return ""
        self.dev.reload("Reboot by user")
        self.state = "rebooting" if self.console else "closed"
        return "\n"

    def _config(self, line: str) -> str:
        words = line.split()
        kw, args = words[0].lower(), words[1:]
        cfg = self.dev.running
        if kw == "end":
            self.mode = "exec"
        elif kw == "exit":
            self.mode = "exec" if self.mode == "config" else "config"
        elif kw == "do":
            return self._exec(" ".join(args))
        elif kw == "hostname" and args:
            cfg.hostname = args[0]
        elif kw == "snmp-server" and len(args) > 1 and args[0] in ("contact", "location"):
            setattr(cfg, args[0], " ".join(args[1:]))
        elif kw == "interface" and args:
            if args[0].startswith("vlan") and args[0][4:].isdigit():
                cfg.vlans.setdefault(int(args[0][4:]), "")
            self.mode = "conf-if"
        elif kw == "username" and "password" in args:
            self.dev.users[args[0]] = args[args.index("password") + 1]
        elif kw in ("logging", "ntp", "radius-server", "snmp-server") and self.mode == "config":
            cfg.extra.append(line.strip())
        elif kw == "no" and args:
            text = " ".join(args)
            cfg.extra = [x for x in cfg.extra if not x.startswith(text)]
        elif kw not in ("description", "shutdown", "switchport"):
            return _UNRECOGNIZED
        return ""


def grub_text(dev: Os10Device) -> str:
    """GRUB's menu: OS10-A / OS10-B / ONIE (ONIE's `uninstall` wipes the switch; editing an OS10 entry is how
    the admin password is recovered)."""
    return "\n".join([
        "", "                             GNU GRUB  version 2.02~beta3", "",
        " +----------------------------------------------------------------------------+",
        " |*OS10-A                                                                     |",
        " | OS10-B                                                                     |",
        " | ONIE                                                                       |",
        " +----------------------------------------------------------------------------+", "",
        "      Use the ^ and v keys to select which entry is highlighted.",
        "      Press enter to boot the selected OS, `e' to edit the commands",
        "      before booting or `c' for a command-line.", ""])


def kernel_text(dev: Os10Device) -> str:
    s = dev.spec
    return "\n".join([
        "Booting `OS10-A'", "", "Loading OS10 ...", "[    0.000000] Linux version 4.9.189 (Debian 4.9.189-3+deb9u2)",
        f"[    2.310511] {s.cpu} CPU detected", "[   14.902317] systemd[1]: Detected architecture x86-64.",
        "Debian GNU/Linux 9 OS10 ttyS0", "", "Dell EMC Networking Operating System (OS10)", ""])
