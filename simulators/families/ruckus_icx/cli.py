"""FastIron (ICX) CLI session for ruckus_icx devices: bytes in, vendor-formatted text out.

Shaped after real ICX outputs: `show version` with its UNIT/SL blocks, `show interfaces brief` and
`show interfaces` as ntc-templates parse them, `Invalid input -> word` refusals, the
`--More--, next page: Space, next line: Return key, quit: Control-c` pager until `skip-page-display`,
and `SSH@` before the prompt of an SSH session.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from simulators.families.ruckus_icx.device import OPTICS, Config, IcxDevice, Port
from simulators.line import LineSession, Reply, crlf
from simulators.word_table import WordError, resolve_words

_MORE = "--More--, next page: Space, next line: Return key, quit: Control-c"
_PAGE = 23  # lines per page while paging is on


def _dhms(sec: float) -> str:
    s = int(sec)
    return f"{s // 86_400} day(s) {s % 86_400 // 3_600} hour(s) {s % 3_600 // 60} minute(s) {s % 60} second(s)"


def _dotted(mac: str) -> str:
    m = mac.lower()
    return f"{m[0:4]}.{m[4:8]}.{m[8:12]}"


def show_version(dev: IcxDevice) -> str:
    s, up = dev.spec, dev.uptime()
    started = time.gmtime(946_684_800 - 86_400 + 66_495)  # an ICX without NTP counts from Dec 31 1999
    reason = "started=cold start" if dev.reload_reason == "cold start" else \
        'started=warm start  reloaded=by "reload"' if not dev.crash else \
        f'started=warm start  reloaded=by "crash: {dev.crash}"'
    out = [
        "  Copyright (c) Ruckus Networks, Inc. All rights reserved.",
        f"    UNIT 1: compiled on Mar 26 2021 at 10:47:12 labeled as {s.image}b",
        f"      (30187344 bytes) from Primary {s.image}b.bin (UFI)",
        f"        SW: Version {s.version}",
        f"      Compressed Primary Boot Code size = 786944, Version:{s.boot}",
        "       Compiled on Wed Jan 27 01:08:55 2021", "",
        f"  HW: {s.hw}",
        "=" * 74,
        f"UNIT 1: SL 1: {s.module_descr}",
        f"      Serial  #:{dev.serial}",
        "      Software Package: BASE_SOFT_PACKAGE",
        "      Current License: 4X10GR",
        "      P-ASIC  0: type B160, rev 11  Chip BCM56160_B0",
        "=" * 74,
        f"UNIT 1: SL 2: {s.uplink_descr}" if s.copper else "UNIT 1: SL 2: ICX7650-Q28-2X100G 2-port 200G Module",
        "=" * 74,
        f" {s.cpu}", " 8192 KB boot flash memory", " 2048 MB code flash memory", f" {s.dram_mb} MB DRAM",
        f"STACKID 1  system uptime is {_dhms(up)}",
        f"The system started at {time.strftime('%H:%M:%S', started)} GMT+00 "
        f"{time.strftime('%a %b %d %Y', started)}", "",
        f"The system : {reason}", "",
        "My stack unit ID = 1, bootup role = active", "",
    ]
    return "\n".join(out)


def show_chassis(dev: IcxDevice) -> str:
    s, up = dev.spec, dev.uptime()
    out = ["", "The stack unit 1 chassis info:", ""]
    for p in dev.psus:
        kind = "AC - PoE" if s.poe else "AC - Regular"
        out.append(f"Power supply {p.bay} ({kind}) present, status {'ok' if p.ok else 'failed'}")
        if p.pid:
            out += [f"        Model Number:   {p.pid}", f"        Serial Number:  {p.serial}",
                    "        Firmware Ver:   A1"]
    if len(dev.psus) < 2:
        out.append(f"Power supply {len(dev.psus) + 1} not present")
    out.append("")
    for f in dev.fans:
        out.append(f"Fan {f.number} {'ok' if f.ok else 'failed'}, speed (auto): [[1]]<->2")
    temps = [t.value(up) for t in dev.temps]
    out += ["", f"Fan controlled temperature: {temps[0]:.1f} deg-C", "",
            "Fan speed switching temperature thresholds:",
            f"                Speed 1: NM<----->{int(s.warn_c) - 10}       deg-C",
            f"                Speed 2:       {int(s.warn_c) - 15}<-----> {int(s.shutdown_c)} deg-C", ""]
    out += [f"Fan {f.number} Air Flow Direction:  Front to Back" for f in dev.fans]
    sensors = ", ".join(f"{v:.1f} deg-C ({t.name})" for t, v in zip(dev.temps, temps, strict=True))
    out += [f"Slot 1 Current Temperature: {sensors}", "Slot 2 Current Temperature: NA",
            f"        Warning level.......: {s.warn_c:.1f} deg-C",
            f"        Shutdown level......: {s.shutdown_c:.1f} deg-C",
            f"Boot Prom MAC : {_dotted(dev.base_mac)}", f"Management MAC: {_dotted(dev.base_mac)}", ""]
    return "\n".join(out)


def _speed(p: Port) -> str:
    return "10G" if p.speed_mbps() == 10_000 else "1G"


def show_interfaces_brief(dev: IcxDevice) -> str:
    up = dev.uptime()
    out = ["", "Port       Link    State   Dupl Speed Trunk Tag Pvid Pri MAC             Name"]
    for p in dev.ports:
        if p.up(up):
            out.append(f"{p.name:<10} Up      Forward Full {_speed(p):<5} None  No  1    0   "
                       f"{_dotted(dev.mac(p.if_index))}")
        else:
            out.append(f"{p.name:<10} Down    None    None None  None  No  1    0   {_dotted(dev.mac(p.if_index))}")
    return "\n".join(out + [""])


def _one_interface(dev: IcxDevice, p: Port) -> list[str]:
    up, c = dev.uptime(), p.counters(dev.uptime())
    is_up = p.up(up)
    kind = "10GigabitEthernet" if p.speed_mbps() == 10_000 else "GigabitEthernet"
    state = "up" if is_up else "down"
    speed = "10Gbit" if p.speed_mbps() == 10_000 else "1Gbit"
    rate = (p.rate if is_up else 0) * 8
    return [
        f"{kind}{p.name} is {state}, line protocol is {state}",
        f"  Port {'up' if is_up else 'down'} for {_dhms(max(0.0, up - 12))}",
        f"  Hardware is {kind}, address is {_dotted(dev.mac(p.if_index))} (bia {_dotted(dev.mac(p.if_index))})",
        f"  Configured speed auto, actual {speed if is_up else 'unknown'}, configured duplex fdx, "
        f"actual {'fdx' if is_up else 'unknown'}",
        "  Configured mdi mode AUTO, actual " + ("MDI" if is_up else "unknown"),
        "  Member of L2 VLAN ID 1, port is untagged, port state is " + ("FORWARDING" if is_up else "BLOCKING"),
        "  BPDU guard is Disabled, ROOT protect is Disabled, Designated protect is Disabled",
        "  Link Error Dampening is Disabled",
        "  STP configured to ON, priority is level0, mac-learning is enabled",
        "  Flow Control is config enabled, oper enabled, negotiation disabled",
        "  Mirror disabled, Monitor disabled", "  Mac-notification is disabled",
        "  Not member of any active trunks", "  Not member of any configured trunks", "  No port name",
        "  IPG MII 96 bits-time, IPG GMII 96 bits-time", "  MTU 1500 bytes, encapsulation ethernet",
        "  MMU Mode is Store-and-forward",
        f"  300 second input rate: {rate} bits/sec, {rate // 4896} packets/sec, 0.00% utilization",
        f"  300 second output rate: {rate * 4 // 5} bits/sec, {rate // 4720} packets/sec, 0.00% utilization",
        f"  {c['rx_frames']} packets input, {c['rx_bytes']} bytes, 0 no buffer",
        f"  Received {c['rx_bcast']} broadcasts, 0 multicasts, {c['rx_frames'] - c['rx_bcast']} unicasts",
        f"  {c['rx_errors']} input errors, {c['crc']} CRC, 0 frame, 0 ignored",
        "  0 runts, 0 giants",
        f"  {c['tx_frames']} packets output, {c['tx_bytes']} bytes, 0 underruns",
        f"  Transmitted {c['tx_bcast']} broadcasts, 0 multicasts, {c['tx_frames'] - c['tx_bcast']} unicasts",
        f"  {c['tx_errors']} output errors, 0 collisions",
        "  Relay Agent Information option: Disabled", "  Protected: No", "  MAC Port Security: Disabled", "",
    ]


def show_interfaces(dev: IcxDevice, port: str = "") -> str:
    ports = [p for p in dev.ports if not port or p.name == port]
    if not ports:
        return f"Error - invalid port {port}\n"
    return "\n".join(line for p in ports for line in _one_interface(dev, p))


def show_media(dev: IcxDevice, port: str = "") -> str:
    out = []
    for p in dev.ports:
        if port and p.name != port:
            continue
        if p.kind == "copper":
            out.append(f"Port {p.name}: Type  : 1G M-C (Gig-Copper)")
        elif not p.optic:
            out.append(f"Port {p.name}: Type  : EMPTY")
        else:
            o = OPTICS[p.optic]
            out += [f"Port {p.name}: Type  : {o.descr}", "            Vendor: RUCKUS           Version: A",
                    f"            Part# : {o.pid:<16} Serial#: {p.optic_serial}"]
    return "\n".join(out + [""]) if out else f"Error - invalid port {port}\n"


def _dbm(mw: float) -> str:
    return f"{10 * math.log10(mw):+08.4f}".replace("+", "0", 1) if mw > 0 else "-Inf"


def show_optic(dev: IcxDevice, port: str) -> str:
    p = next((x for x in dev.ports if x.name == port), None)
    if p is None:
        return f"Error - invalid port {port}\n"
    if not p.optic:
        return f"Port {port}: no optic inserted or not supported\n"
    seed = sum(map(ord, p.optic_serial))
    temp = 30.0 + seed % 9 + math.sin(dev.uptime() / 600.0)
    tx = 0.50 + (seed % 150) / 1000
    rx = 0.0123 if p.dom_alarm else 0.40 + (seed % 200) / 1000
    bias = 6.0 + (seed % 40) / 10
    rx_state = "Low-Alarm" if p.dom_alarm else "Normal"
    return "\n".join([
        " Port  Temperature    Tx Power     Rx Power       Tx Bias Current",
        "+----+-----------+--------------+--------------+---------------+",
        f"{p.name:<7} {temp:8.4f} C  {_dbm(tx)} dBm {_dbm(rx)} dBm    {bias:5.3f} mA",
        f"        Normal      Normal        {rx_state:<14} Normal", "",
    ])


def show_inline_power(dev: IcxDevice) -> str:
    s = dev.spec
    rows, used = [], 0
    for p in dev.ports[: s.copper]:
        powered = p.linked and not p.dead and not p.poe_fault
        mw = 5200 + p.if_index * 37 if powered else 0
        used += mw
        oper, pd, cls, err = ("On", "802.3at", "Class 4", "n/a") if powered else (
            ("Off", "n/a", "n/a", "overload state") if p.poe_fault else ("Off", "n/a", "n/a", "n/a"))
        rows.append(f" {p.name:<6} On      {oper:<7} {mw:<9} {mw + 1000 if powered else 0:<10} {pd:<8} {cls:<9} "
                    f"3    {err}")
    return "\n".join([
        "", f"Power Capacity:         Total is {s.poe_watts * 1000} mWatts. Current Free is "
        f"{s.poe_watts * 1000 - used} mWatts.", "",
        f"Power Allocations:      Requests Honored {sum(1 for p in dev.ports if p.linked)} times", "",
        " Port   Admin   Oper    ---Power(mWatts)---  PD Type  PD Class  Pri  Fault/",
        "        State   State   Consumed  Allocated                          Error",
        "-" * 76, *rows, "-" * 76, f" Total                   {used}", "",
    ])


def show_logging(dev: IcxDevice) -> str:
    def stamp(at: float) -> str:
        s = int(at)
        return f"{s // 86_400}d{s % 86_400 // 3_600:02d}h{s % 3_600 // 60:02d}m{s % 60:02d}s"

    lines = [f"{stamp(e.at)}:{e.level}:{e.text}" for e in sorted(dev.logs, key=lambda e: e.at, reverse=True)]
    return "\n".join([
        "Syslog logging: enabled ( 0 messages dropped, 0 flushes, 0 overruns)",
        f"    Buffer logging: level ACDMEINW, {len(lines)} messages logged",
        "    level code: A=alert C=critical D=debugging M=emergency E=error",
        "                I=informational N=notification W=warning", "",
        f"Dynamic Log Buffer ({max(50, len(lines))} lines):", *lines, "",
    ])


def show_flash(dev: IcxDevice) -> str:
    s = dev.spec
    return "\n".join([
        "Stack unit 1:", f"  Compressed Pri Code size = 30187344, Version:{s.version} ({s.image}b.bin)",
        f"  Compressed Sec Code size = 29871232, Version:08.0.90dT213 ({s.image[:3]}08090d.bin)",
        f"  Compressed Boot-Monitor Image size = 786944, Version:{s.boot}",
        "  Code Flash Free Space = 1394434048", "",
    ])


def show_files(dev: IcxDevice) -> str:
    """`dir`-like listing of the user file system: the startup-config and, after a crash, its core file."""
    rows = [("startup-config.txt", 2_841)] if dev.startup is not None else []
    rows += [("core.1", 3_412_992)] if dev.crash else []
    out = ["Type       Size   Name", "----------------------"]
    out += [f"F    {size:>9}   {name}" for name, size in rows]
    total = sum(size for _, size in rows)
    out += ["", f"{total} bytes {len(rows)} File(s) in FI root", "", "1394434048 bytes free in FI root", ""]
    return "\n".join(out)


def config_text(dev: IcxDevice, cfg: Config) -> str:
    s = dev.spec
    out = ["Current configuration:", "!", f"ver {s.version}", "!", "stack unit 1",
           f"  module 1 {s.pid.lower()}-port-management-module",
           f"  module 2 {s.pid.lower().split('-')[0]}-uplink-module", "!", "!"]
    for vid, name in sorted(cfg.vlans.items()):
        out += [f"vlan {vid} name {name} by port", "!"]
    if cfg.hostname:
        out += [f"hostname {cfg.hostname}"]
    for user, pw in cfg.users.items():
        if (user, pw) != ("super", "sp-admin"):
            out.append(f"username {user} password 8 $1$Gb2..uQ3${abs(hash(pw)) % 10**12:012d}")
    out += [*cfg.extra, "!", "!", "end", ""]
    return "\n".join(out)


# ---------------------------------------------------------------- the session
_EXEC: list[tuple[str, ...]] = [
    ("enable",), ("exit",), ("logout",), ("quit",), ("skip-page-display",), ("page-display",),
    ("terminal", "length", "<n>"),
    ("show", "version"), ("show", "chassis"), ("show", "interfaces"), ("show", "interfaces", "brief"),
    ("show", "interfaces", "ethernet", "<port>"), ("show", "media"), ("show", "media", "ethernet", "<port>"),
    ("show", "optic", "<port>"), ("show", "inline", "power"), ("show", "logging"), ("show", "flash"),
    ("show", "files"), ("show", "running-config"), ("show", "configuration"), ("show", "vlan"),
    ("write", "memory"), ("erase", "startup-config"), ("reload",), ("configure", "terminal"),
]


class ParseError(Exception):
    pass


def _is_port(t: str) -> bool:
    parts = t.split("/")
    return len(parts) == 3 and all(x.isdigit() for x in parts)


def parse(line: str) -> tuple[str, ...]:
    """Resolve FastIron abbreviations (`sh int br`)."""
    try:
        return resolve_words(line, _EXEC, _is_port)
    except WordError as err:
        raise ParseError({"ambiguous": f"Ambiguous input -> {err.token}", "invalid": f"Invalid input -> {err.token}",
                          "incomplete": "Incomplete command."}[err.kind]) from None


class IcxSession(LineSession):
    """One CLI line. Console: `Please Enter Login Name:` / `Please Enter Password:`; SSH: authenticated by
    the SSH server, the prompt carries `SSH@`. Both start in user EXEC (`>`); `enable` asks the password."""

    mode_marks = {"exec": ">", "priv": "#"}
    config_mark = "#"

    def __init__(self, device: IcxDevice, *, console: bool, username: str | None = None) -> None:
        super().__init__(device, console=console, username=username, state="login" if console else "cli")
        self.dev: IcxDevice = device
        self.paging = True
        self._more: list[str] = []

    @property
    def prompt(self) -> str:
        base = super().prompt
        return base if self.console else f"SSH@{base}"

    def banner(self) -> str:
        if self.console:
            return crlf("\n\nUser Access Verification\n\nPlease Enter Login Name: ")
        return self.prompt

    # ---------- the pager
    def _intercept(self, ch: str) -> str | None:
        if not self._more:
            return None
        if ch == " ":
            return self._page(_PAGE)
        if ch in "\r\n":
            return self._page(1)
        self._more = []  # ^C, q: the rest is dropped
        return "\r\n" + self.prompt

    def _page(self, n: int) -> str:
        chunk, self._more = self._more[:n], self._more[n:]
        text = "\r" + " " * len(_MORE) + "\r" + crlf("\n".join(chunk))
        return text + ("\r\n" + _MORE if self._more else "\r\n" + self.prompt)

    def _paged(self, text: str) -> str:
        lines = crlf(text).split("\r\n")
        if not self.paging or len(lines) <= _PAGE:
            return crlf(text)
        self._more = lines[_PAGE:]
        return "\r\n".join(lines[:_PAGE]) + "\r\n" + _MORE

    def _rebooted(self) -> Reply:
        self.state, self.mode, self._buf, self._pending, self._more = "login", "exec", "", None, []
        return Reply(crlf(boot_text(self.dev)) + self.banner())

    def _line(self, line: str) -> tuple[str, bool]:
        st = self.state
        if st == "login":
            if not line.strip():
                return "\r\nPlease Enter Login Name: ", False
            self.username, self.state = line.strip(), "password"
            return "\r\nPlease Enter Password: ", False
        if st == "password":
            if self.dev.check_login(self.username or "", line):
                self.state = "cli"
                return "\r\nUser login successful.\r\n\r\n" + self.prompt, False
            self.state = "login"
            return crlf("\nError - Incorrect username or password.\nPlease Enter Login Name: "), False
        if st == "enable_password":
            self.state = "cli"
            if self.dev.check_login(self.username or "", line):
                self.mode = "priv"
                return "\r\n" + self.prompt, False
            return crlf("\nError - Incorrect username or password.\n") + self.prompt, False
        if st == "pending" and self._pending is not None:
            return self._answer(line)
        return self._command(line)

    waiting_states = frozenset({"pending", "enable_password"})

    def _output(self, line: str) -> str:
        return self._config(line) if self.mode not in ("exec", "priv") else self._exec(line)

    def _shown(self, text: str) -> str:
        shown = self._paged(text)
        return shown if self._more else shown + self.prompt

    def _exec(self, line: str) -> str:
        try:
            w = parse(line)
        except ParseError as err:
            return f"{err}\nType ? for a list\n" if "Invalid" in str(err) else f"{err}\n"
        d = self.dev
        if w == ("enable",):
            if self.mode == "priv":
                return ""
            self.state = "enable_password"
            return "Password:"
        if w[0] in ("exit", "logout", "quit"):
            if self.mode == "priv" and w[0] == "exit":
                self.mode = "exec"
                return ""
            if self.console:
                self.state, self.mode = "login", "exec"
                return "\n\nUser Access Verification\n\nPlease Enter Login Name: "
            self.state = "closed"
            return ""
        if w == ("skip-page-display",):
            self.paging = False
            return "Disable page display mode\n"
        if w == ("page-display",):
            self.paging = True
            return "Enable page display mode\n"
        if w[0] == "terminal":
            return ""
        if w[0] == "show":
            return self._show(w[1:])
        if self.mode != "priv":
            return f"Invalid input -> {line.split()[0]}\nType ? for a list\n"
        if w == ("configure", "terminal"):
            self.mode = "config"
            return ""
        if w == ("write", "memory"):
            d.write_memory()
            return "Write startup-config done.\n"
        if w == ("erase", "startup-config"):
            d.erase_startup()
            return ""
        if w == ("reload",):
            return self._ask("Are you sure? (enter 'y' or 'n'): ", self._reload)
        return f"Invalid input -> {line.split()[0]}\nType ? for a list\n"

    def _show(self, w: tuple[str, ...]) -> str:
        d = self.dev
        table: dict[tuple[str, ...], Callable[[IcxDevice], str]] = {
            ("version",): show_version, ("chassis",): show_chassis, ("interfaces",): show_interfaces,
            ("interfaces", "brief"): show_interfaces_brief, ("media",): show_media, ("logging",): show_logging,
            ("flash",): show_flash, ("files",): show_files,
        }
        if w in table:
            return table[w](d)
        if w[:2] == ("interfaces", "ethernet"):
            return show_interfaces(d, w[2])
        if w[:2] == ("media", "ethernet"):
            return show_media(d, w[2])
        if w[0] == "optic":
            return show_optic(d, w[1])
        if w == ("inline", "power"):
            return show_inline_power(d) if d.spec.poe else "Invalid input -> inline\nType ? for a list\n"
        if w == ("running-config",):
            return config_text(d, d.running)
        if w == ("configuration",):
            return config_text(d, d.startup).replace("Current configuration:", "Startup-config data location is "
                                                     "flash memory\nStartup configuration:") if d.startup else ""
        if w == ("vlan",):
            return "\n".join(f"PORT-VLAN {v}, Name {n}, Priority level0, Spanning tree Off"
                             for v, n in sorted(d.running.vlans.items())) + "\n"
        return f"Invalid input -> {w[0]}\nType ? for a list\n"

    def _reload(self, line: str) -> str:
        if line.strip().lower() not in ("y", "yes"):
            return ""
        self.dev.reload("reload")
        self.state = "rebooting" if self.console else "closed"
        return "Halt and reboot\n"

    def _config(self, line: str) -> str:
        words = line.split()
        kw, args = words[0].lower(), words[1:]
        cfg = self.dev.running
        if kw == "end":
            self.mode = "priv"
        elif kw == "exit":
            self.mode = "priv" if self.mode == "config" else "config"
        elif kw == "show":
            return self._exec(line)
        elif kw == "write" and args[:1] == ["memory"]:
            self.dev.write_memory()
            return "Write startup-config done.\n"
        elif kw == "hostname" and args:
            cfg.hostname = args[0]
        elif kw == "crypto" and args[:2] == ["key", "zeroize"]:
            self.dev.ssh_key = False
            return "\nKey zeroized. SSH server is disabled until a new key is generated or the unit boots.\n"
        elif kw == "crypto-ssl" and args[:2] == ["certificate", "zeroize"]:
            return ""
        elif kw == "username" and len(args) >= 3 and args[1] == "password":
            cfg.users[args[0]] = args[2]
        elif kw == "no" and args[:1] == ["username"] and len(args) > 1:
            cfg.users.pop(args[1], None)
        elif kw == "vlan" and args and args[0].isdigit():
            cfg.vlans.setdefault(int(args[0]), f"VLAN{args[0]}")
            self.mode = f"config-vlan-{args[0]}"
        elif kw == "no" and args[:1] == ["vlan"] and len(args) > 1 and args[1].isdigit() and args[1] != "1":
            cfg.vlans.pop(int(args[1]), None)
        elif kw in ("logging", "sntp", "snmp-server", "ip"):
            cfg.extra.append(line.strip())
        elif kw == "no" and args:
            text = " ".join(args)
            cfg.extra = [x for x in cfg.extra if not x.startswith(text)]
        else:
            return f"Invalid input -> {words[0]}\nType ? for a list\n"
        return ""


def boot_text(dev: IcxDevice) -> str:
    """Console output of an ICX boot (U-Boot, then FastIron), up to the login prompt."""
    s = dev.spec
    return "\n".join([
        "", f"U-Boot {s.boot.split()[0]} (Jan 27 2021 - 01:08:55)", "", "DRAM:  " + f"{s.dram_mb} MiB",
        "Hit any key to stop autoboot:  0", "", f"Booting image from Primary {s.image}b.bin",
        "ICX Boot Code Version " + s.boot, "", "Starting kernel ...", "",
        f"Ruckus Wireless {s.pid} FastIron {s.version}", "Stack unit 1 ready", "",
    ])
