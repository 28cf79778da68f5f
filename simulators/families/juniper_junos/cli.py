"""Transport-independent Junos session: console login, the `%` shell, operational and configuration mode."""

from __future__ import annotations

import copy
import time
from collections.abc import Callable

from simulators.families.juniper_junos.device import (
    OPTICS,
    JunosDevice,
    Port,
    Tree,
    alarms,
    password_hash,
    path_keys,
    temp_state,
    tree_delete,
    tree_get,
    tree_set,
)
from simulators.line import LineSession, Reply
from simulators.line import crlf as _crlf

_RULE = "-" * 74


def _stamp(epoch: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(epoch))


def _ago(seconds: float) -> str:
    s = int(seconds)
    d, s = divmod(s, 86400)
    h, s = divmod(s, 3600)
    m, s = divmod(s, 60)
    return (f"{d}d " if d else "") + f"{h:02d}:{m:02d}:{s:02d}"


def _mw(dbm: float) -> str:
    return f"{10 ** (dbm / 10):.4f} mW / {dbm:.2f} dBm"


def _fpc(body: str) -> str:
    """EX switches (virtual-chassis capable) prefix many outputs with the member header."""
    return f"fpc0:\n{_RULE}\n{body}"


# ---------------------------------------------------------------- renderers
def show_version(d: JunosDevice) -> str:
    v, s = d.version, d.spec
    build = "20230929.0c6b6de_builder_stable_12" if v.startswith("21") else "20231114.a01c36f_builder_stable_11"
    pkgs = [f"JUNOS OS Kernel 32-bit  [{build}]", f"JUNOS OS libs [{build}]", f"JUNOS OS runtime [{build}]",
            f"JUNOS OS time zone information [{build}]", f"JUNOS network stack and utilities [{v}]",
            f"JUNOS libs [{v}]", f"JUNOS runtime [{v}]", f"JUNOS Web Management Platform Package [{v}]",
            f"JUNOS ex libs [{v}]", f"JUNOS ex runtime [{v}]", f"JUNOS SQL Sync Daemon [{v}]",
            f"JUNOS py extensions [{v}]", f"JUNOS Packet Forwarding Engine Support (EX Common) [{v}]",
            f"JUNOS Kernel Software Suite [{v}]", f"JUNOS Routing Software Suite [{v}]"]
    # An amnesiac switch (no host-name configured) prints no Hostname line.
    body = ([f"Hostname: {d.hostname}"] if d.hostname else []) + [f"Model: {s.pid.lower()}", f"Junos: {v}", *pkgs]
    return _fpc("\n".join(body) + "\n")


def show_chassis_hardware(d: JunosDevice) -> str:
    s = d.spec
    row = "{:<17}{:<9}{:<13}{:<18}{}"
    out = ["Hardware inventory:", row.format("Item", "Version", "Part number", "Serial number", "Description"),
           row.format("Chassis", "", "", d.serial, s.pid), "Pseudo CB 0",
           row.format("Routing Engine 0", "", "BUILTIN", "BUILTIN", f"RE-{s.pid}"),
           row.format("FPC 0", "REV 12", s.fpc_part, d.serial, s.pid),
           row.format("  CPU", "", "BUILTIN", "BUILTIN", "FPC CPU")]
    for n, (descr, _, _) in enumerate(s.pics):
        out.append(row.format(f"  PIC {n}", "", "BUILTIN", "BUILTIN", descr))
        for p in d.ports:
            if p.pic == n and p.optic:
                out.append(row.format(f"    Xcvr {p.name.rsplit('/', 1)[1]}", "REV 01", OPTICS[p.optic][0],
                                      p.optic_serial, p.optic))
    for psu in d.psus:
        if psu.present:
            out.append(row.format(f"Power Supply {psu.slot}", "REV 04" if psu.pid else "", psu.part, psu.serial,
                                  psu.pid or "Internal AC PSU"))
    for f in d.fans:
        descr = "Fan Module, Airflow Out (AFO)" if s.fan_pid else "Fan"
        out.append(row.format(f"Fan Tray {f.tray}", "", "", "", descr))
    return "\n".join(x.rstrip() for x in out) + "\n"


def show_chassis_environment(d: JunosDevice) -> str:
    up = d.uptime()
    out = ["Class Item                           Status     Measurement"]
    first = True
    for psu in d.psus:
        status = "Absent" if not psu.present else "OK" if psu.ok else "Failed"
        out.append(f"{'Power' if first else '':<6}{f'FPC 0 Power Supply {psu.slot}':<31}{status}")
        first = False
    for i, t in enumerate(d.temps):
        c = t.value(up)
        out.append(f"{'Temp' if i == 0 else '':<6}{t.name:<31}{temp_state(t, up):<11}"
                   f"{c} degrees C / {c * 9 // 5 + 32} degrees F")
    for i, f in enumerate(d.fans):
        status, meas = ("OK", "Spinning at normal speed") if f.ok else ("Failed", "")
        out.append(f"{'Fans' if i == 0 else '':<6}{f'FPC 0 Fan Tray {f.tray} Fan 0':<31}{status:<11}{meas}".rstrip())
    return "\n".join(out) + "\n"


def show_chassis_alarms(d: JunosDevice) -> str:
    active = alarms(d)
    if not active:
        return "No alarms currently active\n"
    when = _stamp(d.boot_wall() + 60)
    out = [f"{len(active)} alarm{'s' if len(active) > 1 else ''} currently active",
           "Alarm time               Class  Description"]
    out += [f"{when}  Major  {a}" for a in active]
    return "\n".join(out) + "\n"


def show_chassis_re(d: JunosDevice) -> str:
    up = d.uptime()
    cpu_t = d.temps[4].value(up)
    mem = {"EX2300-48P": 2048, "EX3400-48T": 2048, "EX4300-48T": 2048}[d.model]
    lines = ["Routing Engine status:", "  Slot 0:", "    Current state                  Master",
             f"    Temperature                 {cpu_t} degrees C / {cpu_t * 9 // 5 + 32} degrees F",
             f"    CPU temperature             {cpu_t} degrees C / {cpu_t * 9 // 5 + 32} degrees F",
             f"    DRAM                      {mem} MB (2048 MB installed)",
             "    Memory utilization          58 percent",
             "    5 sec CPU utilization:", "      User                       9 percent",
             "      Background                 0 percent", "      Kernel                     6 percent",
             "      Interrupt                  0 percent", "      Idle                      85 percent",
             f"    Model                          RE-{d.model}", f"    Serial ID                      {d.serial}",
             f"    Start time                     {_stamp(d.boot_wall())}",
             f"    Uptime                         {_uptime_words(up)}",
             f"    Last reboot reason             {d.reboot_reason}",
             "    Load averages:                 1 minute   5 minute  15 minute",
             "                                       0.42       0.37       0.33"]
    return _fpc("\n".join(lines) + "\n")


def _uptime_words(up: float) -> str:
    s = int(up)
    d, s = divmod(s, 86400)
    h, s = divmod(s, 3600)
    m, s = divmod(s, 60)
    parts = [f"{d} days" if d else "", f"{h} hours" if h else "", f"{m} minutes", f"{s} seconds"]
    return ", ".join(p for p in parts if p)


def show_system_uptime(d: JunosDevice) -> str:
    now = time.time()
    boot = d.boot_wall()
    commit_at, commit_by = d.last_commit
    mins = int(d.uptime() // 60)
    clock = time.strftime("%I:%M%p", time.gmtime(now)).lstrip("0")
    return "\n".join([
        f"Current time: {_stamp(now)}", "Time Source:  LOCAL CLOCK ",
        f"System booted: {_stamp(boot)} ({_ago(now - boot)} ago)",
        f"Protocols started: {_stamp(boot + 40)} ({_ago(now - boot - 40)} ago)",
        f"Last configured: {_stamp(commit_at)} ({_ago(max(0.0, now - commit_at))} ago) by {commit_by}",
        f"{clock}  up {mins // 60}:{mins % 60:02d}, 1 users, load averages: 0.42, 0.37, 0.33", ""])


def show_interfaces_terse(d: JunosDevice, name: str = "") -> str:
    out = ["Interface               Admin Link Proto    Local                 Remote"]
    for p in d.ports:
        if name and p.name != name:
            continue
        link = "up" if d.port_up(p) else "down"
        out.append(f"{p.name:<24}up    {link}".rstrip())
        out.append(f"{p.name + '.0':<24}up    {link} eth-switch")
    return "\n".join(out) + "\n"


def _phys_block(d: JunosDevice, p: Port, extensive: bool) -> list[str]:
    up = d.port_up(p)
    speed = {"ge": "1000mbps", "xe": "10Gbps", "et": "40Gbps"}[p.kind]
    media = "Copper" if p.kind == "ge" else "Fiber"
    flapped = d.boot_wall() + 44 + (d.flaps(p) * 10 if p.flapping else 0)
    descr = d.port_description(p)
    lines = [f"Physical interface: {p.name}, Enabled, Physical link is {'Up' if up else 'Down'}",
             f"  Interface index: {p.ifindex - 365}, SNMP ifIndex: {p.ifindex}"]
    if descr:
        lines.append(f"  Description: {descr}")
    lines += [f"  Link-level type: Ethernet, MTU: 1514, Link-mode: Full-duplex, Speed: {speed}, BPDU Error: None, "
              "Loop Detect PDU Error: None, Ethernet-Switching Error: None, MAC-REWRITE Error: None, "
              f"Loopback: Disabled, Source filtering: Disabled, Flow control: Enabled, Auto-negotiation: Enabled, "
              f"Remote fault: Online, Media type: {media}",
              f"  Device flags   : Present Running{'' if up else ' Down'}",
              "  Interface flags: SNMP-Traps Internal: 0x4000" if up else "  Interface flags: Hardware-Down "
              "SNMP-Traps Internal: 0x4000",
              "  Link flags     : None", "  CoS queues     : 12 supported, 12 maximum usable queues",
              f"  Current address: {p.mac}, Hardware address: {p.mac}",
              f"  Last flapped   : {_stamp(flapped)} ({_ago(time.time() - flapped)} ago)" if p.linked
              else "  Last flapped   : Never"]
    if extensive:
        crc = d.crc_errors(p)
        ib, ob = d.octets(p, 0), d.octets(p, 1)
        lines += ["  Statistics last cleared: Never", "  Traffic statistics:",
                  f"   Input  bytes  : {ib:>20}                 {0 if not up else 9600} bps",
                  f"   Output bytes  : {ob:>20}                {0 if not up else 19200} bps",
                  f"   Input  packets: {ib // 512:>20}                   {0 if not up else 2} pps",
                  f"   Output packets: {ob // 512:>20}                   {0 if not up else 4} pps",
                  "  Input errors:",
                  f"    Errors: {crc}, Drops: 0, Framing errors: {crc}, Runts: 0, Policed discards: 0, "
                  "L3 incompletes: 0, L2 channel errors: 0, L2 mismatch timeouts: 0, FIFO errors: 0, "
                  "Resource errors: 0",
                  "  Output errors:",
                  f"    Carrier transitions: {d.flaps(p) + (1 if p.linked and not p.dead else 0)}, Errors: 0, "
                  "Drops: 0, Collisions: 0, Aged packets: 0, FIFO errors: 0, HS link CRC errors: 0, MTU errors: 0, "
                  "Resource errors: 0",
                  "  MAC statistics:                      Receive         Transmit",
                  f"    Total octets                  {ib:>12}     {ob:>12}",
                  f"    Total packets                 {ib // 512:>12}     {ob // 512:>12}",
                  f"    Unicast packets               {ib // 512:>12}     {ob // 512:>12}",
                  f"    Broadcast packets             {0:>12}     {0:>12}",
                  f"    Multicast packets             {0:>12}     {0:>12}",
                  f"    CRC/Align errors              {crc:>12}     {0:>12}",
                  f"    FIFO errors                   {0:>12}     {0:>12}",
                  f"    MAC control frames            {0:>12}     {0:>12}",
                  f"    MAC pause frames              {0:>12}     {0:>12}",
                  f"    Oversized frames              {0:>12}",
                  f"    Jabber frames                 {0:>12}",
                  f"    Fragment frames               {0:>12}",
                  f"    VLAN tagged frames            {0:>12}",
                  f"    Code violations               {0:>12}",
                  f"    Total errors                  {crc:>12}     {0:>12}"]
    else:
        lines += ["  Input rate     : 0 bps (0 pps)" if not up else "  Input rate     : 9600 bps (2 pps)",
                  "  Output rate    : 0 bps (0 pps)" if not up else "  Output rate    : 19200 bps (4 pps)"]
    lines += ["  Active alarms  : None" if up else "  Active alarms  : LINK",
              "  Active defects : None" if up else "  Active defects : LINK",
              "  PCS statistics                      Seconds", "    Bit errors                             0",
              "    Errored blocks                         0", "  Interface transmit statistics: Disabled", "",
              f"  Logical interface {p.name}.0 (Index {p.ifindex - 200}) (SNMP ifIndex {p.ifindex + 1})",
              f"    Flags: {'Up' if up else 'Device-Down'} SNMP-Traps 0x0 Encapsulation: Ethernet-Bridge",
              "    Input packets : 0", "    Output packets: 0", "    Protocol eth-switch, MTU: 1514",
              "      Flags: Is-Primary", ""]
    return lines


def show_interfaces(d: JunosDevice, name: str = "", extensive: bool = False) -> str | None:
    ports = [p for p in d.ports if not name or p.name == name]
    if not ports:
        return None
    out: list[str] = []
    for p in ports:
        out += _phys_block(d, p, extensive)
    return "\n".join(out) + "\n"


def show_optics(d: JunosDevice, name: str = "") -> str:
    out: list[str] = []
    for p in d.ports:
        if not p.optic or (name and p.name != name):
            continue
        m = d.dom(p)
        tx_hi, tx_lo, rx_hi, rx_lo = OPTICS[p.optic][1]

        def flag(on: bool) -> str:
            return "On" if on else "Off"
        out += [f"Physical interface: {p.name}",
                f"    Laser bias current                        :  {m['bias']:.3f} mA",
                f"    Laser output power                        :  {_mw(m['tx'])}",
                f"    Module temperature                        :  {m['temp']:.0f} degrees C / "
                f"{m['temp'] * 9 / 5 + 32:.0f} degrees F",
                f"    Module voltage                            :  {m['volt']:.4f} V",
                f"    Receiver signal average optical power     :  {_mw(m['rx'])}",
                "    Laser bias current high alarm             :  Off",
                "    Laser bias current low alarm              :  Off",
                "    Laser bias current high warning           :  Off",
                "    Laser bias current low warning            :  Off",
                f"    Laser output power high alarm             :  {flag(m['tx'] > tx_hi)}",
                f"    Laser output power low alarm              :  {flag(m['tx'] < tx_lo)}",
                "    Laser output power high warning           :  Off",
                "    Laser output power low warning            :  Off",
                "    Module temperature high alarm             :  Off",
                "    Module temperature low alarm              :  Off",
                "    Module voltage high alarm                 :  Off",
                "    Module voltage low alarm                  :  Off",
                f"    Laser rx power high alarm                 :  {flag(m['rx'] > rx_hi)}",
                f"    Laser rx power low alarm                  :  {flag(m['rx'] < rx_lo)}",
                "    Laser rx power high warning               :  Off",
                f"    Laser rx power low warning                :  {flag(m['rx'] < rx_lo + 3)}",
                "    Laser bias current high alarm threshold   :  11.800 mA",
                "    Laser bias current low alarm threshold    :  2.000 mA",
                f"    Laser output power high alarm threshold   :  {_mw(tx_hi)}",
                f"    Laser output power low alarm threshold    :  {_mw(tx_lo)}",
                f"    Laser output power high warning threshold :  {_mw(tx_hi - 1)}",
                f"    Laser output power low warning threshold  :  {_mw(tx_lo + 1)}",
                "    Module temperature high alarm threshold   :  75 degrees C / 167 degrees F",
                "    Module temperature low alarm threshold    :  -5 degrees C / 23 degrees F",
                "    Module voltage high alarm threshold       :  3.6000 V",
                "    Module voltage low alarm threshold        :  3.0000 V",
                f"    Laser rx power high alarm threshold       :  {_mw(rx_hi)}",
                f"    Laser rx power low alarm threshold        :  {_mw(rx_lo)}",
                f"    Laser rx power high warning threshold     :  {_mw(rx_hi - 1)}",
                f"    Laser rx power low warning threshold      :  {_mw(rx_lo + 3)}", ""]
    return "\n".join(out) + "\n" if out else ""


def show_poe_interface(d: JunosDevice) -> str | None:
    """`show poe interface` as Junos prints it on an EX PoE model; None on a model without PoE."""
    if not d.spec.poe:
        return None
    out = ["Interface    Admin       Oper    Max         Priority       Power          Class",
           "             status      status  power                      consumption"]
    for p in d.ports:
        if p.kind != "ge":
            continue
        # The bench harness powers nothing: a healthy port searches for a powered device and draws 0 W.
        out.append(f"{p.name:<12} {'Enabled':<11} {'Searching':<7} {'30.0W':<11} {'Low':<14} {'0.0W':<14} 0")
    return "\n".join(out) + "\n"


def show_log_messages(d: JunosDevice) -> str:
    host = d.hostname or ""
    out = []
    for e in sorted(d.logs, key=lambda e: e.wall):
        t = time.gmtime(e.wall)
        stamp = time.strftime("%b ", t) + f"{t.tm_mday:>2} " + time.strftime("%H:%M:%S", t)
        out.append(f"{stamp}  {host} {e.process}: {e.text}".replace("  :", " :"))
    return "\n".join(out) + "\n"


def file_list(d: JunosDevice, path: str, detail: bool) -> str:
    path = path or "/var/tmp/"
    if path.rstrip("/") not in ("/var/crash", "/var/tmp", "/var/log"):
        return f"{path}: No such file or directory\n"
    shown = path.rstrip("/") + "/"
    if shown == "/var/crash/":
        files = [(".snap/", 512, d.boot_wall()), ("bounds", 2, d.boot_wall()), ("minfree", 5, d.boot_wall())]
        files += [(c.name, c.size, c.wall) for c in d.crash_files]
    elif shown == "/var/log/":
        files = [("messages", 40_000 + 120 * len(d.logs), time.time()), ("interactive-commands", 4_200, time.time())]
    else:
        files = [(".snap/", 512, d.boot_wall())]
    files.sort(key=lambda f: f[0])
    out = [f"{shown}:"]
    for name, size, wall in files:
        if detail:
            perm = "drwxr-xr-x  2" if name.endswith("/") else "-rw-r--r--  1"
            out.append(f"{perm} root  wheel {size:>10} {time.strftime('%b %d %H:%M', time.gmtime(wall))} {name}")
        else:
            out.append(name)
    if detail:
        out.append(f"total files: {sum(1 for f in files if not f[0].endswith('/'))}")
    return "\n".join(out) + "\n"


def show_vlans(d: JunosDevice) -> str:
    out = ["", "Routing instance        VLAN name             Tag          Interfaces"]
    for name, vid in sorted(d.vlans().items(), key=lambda x: x[0].lower()):
        out.append(f"{'default-switch':<24}{name:<22}{vid}")
        if name == "default":
            out += [f"{'':<59}{p.name}.0{'*' if d.port_up(p) else ''}" for p in d.ports]
        else:
            out.append("")
    return "\n".join(out) + "\n"


def render_tree(tree: Tree, indent: int = 0) -> list[str]:
    out = []
    pad = "    " * indent
    for key, child in tree.items():
        if key.startswith("encrypted-password "):
            out.append(f'{pad}encrypted-password "{key.split(" ", 1)[1]}"; ## SECRET-DATA')
        elif child:
            out += [f"{pad}{key} {{", *render_tree(child, indent + 1), f"{pad}}}"]
        else:
            out.append(f"{pad}{key};")
    return out


def show_configuration(d: JunosDevice, cfg: Tree, header: bool = True) -> str:
    when, who = d.last_commit
    head = [f"## Last commit: {_stamp(when)} by {who}", f"version {d.version};"] if header else []
    return "\n".join(head + render_tree(cfg)) + "\n"


# ---------------------------------------------------------------- the session
_OPS: list[tuple[str, ...]] = [
    ("show", "version"), ("show", "chassis", "hardware"), ("show", "chassis", "environment"),
    ("show", "chassis", "alarms"), ("show", "chassis", "routing-engine"), ("show", "system", "uptime"),
    ("show", "system", "alarms"), ("show", "interfaces", "terse", "<rest>"),
    ("show", "interfaces", "diagnostics", "optics", "<rest>"), ("show", "interfaces", "extensive", "<rest>"),
    ("show", "interfaces", "<rest>"), ("show", "log", "messages"), ("show", "configuration", "<rest>"),
    ("show", "vlans"), ("show", "system", "core-dumps"), ("show", "poe", "interface"),
    ("file", "list", "<rest>"), ("set", "cli", "screen-length", "<rest>"), ("set", "cli", "screen-width", "<rest>"),
    ("set", "cli", "complete-on-space", "<rest>"), ("set", "cli", "terminal", "<rest>"),
    ("configure", "<rest>"), ("request", "system", "zeroize", "<rest>"), ("request", "system", "reboot", "<rest>"),
    ("start", "shell", "<rest>"), ("exit",), ("quit",),
]


class _Err(Exception):
    def __init__(self, kind: str, pos: int) -> None:
        super().__init__(kind)
        self.kind, self.pos = kind, pos


def parse(line: str, table: list[tuple[str, ...]]) -> tuple[tuple[str, ...], str]:
    """Junos keyword completion: unique prefixes resolve; `<rest>` takes the remainder."""
    tokens: list[tuple[int, str]] = []
    col = 0
    for tok in line.split():
        col = line.index(tok, col)
        tokens.append((col, tok))
        col += len(tok)
    cands = table
    words: list[str] = []
    for i, (pos, tok) in enumerate(tokens):
        if any(len(c) > i and c[i] == "<rest>" for c in cands) and not any(
                len(c) > i and c[i] != "<rest>" and c[i].startswith(tok) for c in cands):
            return tuple(words), line[pos:].strip()
        nxt = [c for c in cands if len(c) > i and c[i] != "<rest>" and c[i].startswith(tok)]
        exact = [c for c in nxt if c[i] == tok]
        nxt = exact or nxt
        if not nxt or len({c[i] for c in nxt}) > 1:
            raise _Err("unknown command." if i == 0 else "syntax error." if nxt == [] else "syntax error, "
                       "ambiguous.", pos)
        words.append(nxt[0][i])
        cands = nxt
    if any(len(c) == len(words) or (len(c) == len(words) + 1 and c[-1] == "<rest>") for c in cands):
        return tuple(words), ""
    raise _Err("syntax error, expecting <command>.", len(line.rstrip()))


class JunosSession(LineSession):
    """One login on the console or over SSH. Feed input, get a Reply."""

    secret_states = frozenset({"password", "newpw", "newpw2"})

    def __init__(self, device: JunosDevice, *, console: bool, username: str | None = None) -> None:
        # state: login | password | shell | cli | config | confirm | newpw | newpw2
        super().__init__(device, console=console, username=username, state="login" if console else "cli")
        self.dev: JunosDevice = device
        self.shell_parent = False  # the CLI was started from the shell (`cli`)
        self.cli_parent = False  # the shell was started from the CLI (`start shell`)
        self.candidate: Tree | None = None
        self.edit: list[str] = []
        self._login_user = ""
        self._pw_path: list[str] = []
        self._pw_first = ""

    # ---------- prompts
    @property
    def user(self) -> str:
        return self.username or "root"

    @property
    def prompt(self) -> str:
        host = self.dev.hostname
        at = f"{self.user}@{host}" if host else self.user
        if self.state == "shell":
            return f"{self.user}@{host or ''}:RE:0% "
        if self.state == "config":
            where = "[edit" + (" " + " ".join(self.edit) if self.edit else "") + "]"
            return f"\n{where}\n{at}# "
        return f"\n{{master:0}}\n{at}> "

    def banner(self) -> str:
        if self.console:
            return self._login_banner() if self.state == "login" else ""
        return _crlf(f"--- JUNOS {self.dev.version} built {self.dev.spec.build_date}\n{self.prompt}")

    def _login_banner(self) -> str:
        return _crlf(f"\n\n{self.dev.hostname or 'Amnesiac'} (ttyu0)\n\nlogin: ")

    def _rebooted(self) -> Reply:
        self._reset()
        return Reply(_crlf(boot_text(self.dev)) + self._login_banner())

    def _reset(self) -> None:
        self.state, self.shell_parent, self.cli_parent = "login", False, False
        self.candidate, self.edit, self._buf, self._pending = None, [], "", None

    def _line(self, line: str) -> tuple[str, bool]:
        st = self.state
        if st == "login":
            if not line.strip():
                return _crlf("\nlogin: "), False
            self._login_user, self.state = line.strip(), "password"
            return _crlf("\nPassword:"), False
        if st == "password":
            if self.dev.check_login(self._login_user, line):
                self.username = self._login_user
                head = f"\n\n--- JUNOS {self.dev.version} built {self.dev.spec.build_date}\n"
                if self.username == "root":
                    self.state = "shell"
                    return _crlf(head + self.prompt), False
                self.state = "cli"
                return _crlf(head + self.prompt.lstrip("\n")), False
            self.state = "login"
            return _crlf("\nLogin incorrect\nlogin: "), False
        if st in ("confirm", "newpw", "newpw2") and self._pending is not None:
            handler, self._pending = self._pending, None
            self.state = "cli" if st == "confirm" and self.candidate is None else "config" if \
                self.candidate is not None else "cli"
            text = "\n" + handler(line)
            if self.state == "closed":
                return _crlf(text), True
            if self.state == "rebooting":
                self._reset()
                return _crlf(text + boot_text(self.dev)) + self._login_banner(), False
            if self.state in ("confirm", "newpw", "newpw2"):
                return _crlf(text), False
            return _crlf(text + self.prompt), False
        if not line.strip():
            return _crlf("\n" + self.prompt.lstrip("\n") if st == "shell" else self.prompt), False
        if self._ssh_dropped():
            return "", True  # ssh_drop: the link dies mid-session
        if st == "shell":
            return self._shell(line)
        line = line.split("|")[0].rstrip() if "| no-more" in line or "| display" not in line else line
        text = self._config(line) if st == "config" else self._op(line)
        if self.state == "closed":
            return _crlf("\n" + text), True
        if self.state == "login":
            return _crlf("\n" + text) + self._login_banner(), False
        if self.state == "rebooting":
            self._reset()
            return _crlf("\n" + text + boot_text(self.dev)) + self._login_banner(), False
        if self.state in ("confirm", "newpw", "newpw2"):
            return _crlf("\n" + text), False
        if self.state == "shell":
            return _crlf("\n" + text + self.prompt.lstrip("\n")), False
        return _crlf("\n" + text + self.prompt), False

    def _ask(self, prompt: str, handler: Callable[[str], str], state: str = "confirm") -> str:
        self.state, self._pending = state, handler
        return prompt

    # ---------- shell
    def _shell(self, line: str) -> tuple[str, bool]:
        cmd = line.split()[0]
        if cmd == "cli":
            self.state, self.shell_parent = "cli", not self.cli_parent
            self.cli_parent = False
            return _crlf("\n" + self.prompt.lstrip("\n")), False
        if cmd in ("exit", "logout"):
            if self.cli_parent:
                self.state, self.cli_parent = "cli", False
                return _crlf("\nexit\n" + self.prompt.lstrip("\n")), False
            if self.console:
                self._reset()
                return self._login_banner(), False
            return "", True
        return _crlf(f"\n{cmd}: Command not found.\n" + self.prompt.lstrip("\n")), False

    # ---------- operational mode
    def _op(self, line: str) -> str:
        try:
            words, rest = parse(line, _OPS)
        except _Err as e:
            return " " * (len(self.prompt.rsplit("\n", 1)[-1]) + e.pos) + "^\n" + e.kind + "\n"
        d = self.dev
        if words[0] == "set":
            if words[2] == "screen-length":
                return f"Screen length set to {rest or 0}\n"
            if words[2] == "screen-width":
                return f"Screen width set to {rest or 80}\n"
            if words[2] == "complete-on-space":
                return "Disabling complete-on-space\n" if rest == "off" else "Enabling complete-on-space\n"
            return ""
        if words in (("exit",), ("quit",)):
            if self.shell_parent:
                self.state, self.shell_parent = "shell", False
                return ""
            if self.console:
                self._reset()
                self.state = "login"
                return ""
            self.state = "closed"
            return ""
        if words[0] == "start":
            self.state, self.cli_parent = "shell", True
            return ""
        if words[0] == "configure":
            self.state, self.candidate, self.edit = "config", copy.deepcopy(d.committed), []
            return "Entering configuration mode\n"
        if words[0] == "file":
            args = rest.split()
            return file_list(d, next((a for a in args if a.startswith("/")), ""), "detail" in args)
        if words[0] == "request":
            if words[2] == "zeroize":
                return self._ask("warning: System will be rebooted and may not boot without configuration\n"
                                 "Erase all data, including configuration and log files? [yes,no] (no) ",
                                 self._zeroize)
            return self._ask("Reboot the system ? [yes,no] (no) ", self._reboot)
        return self._show(words[1:], rest)

    def _show(self, w: tuple[str, ...], rest: str) -> str:
        d = self.dev
        simple: dict[tuple[str, ...], Callable[[JunosDevice], str]] = {
            ("version",): show_version, ("chassis", "hardware"): show_chassis_hardware,
            ("chassis", "environment"): show_chassis_environment, ("chassis", "alarms"): show_chassis_alarms,
            ("chassis", "routing-engine"): show_chassis_re, ("system", "uptime"): show_system_uptime,
            ("system", "alarms"): show_chassis_alarms, ("log", "messages"): show_log_messages, ("vlans",): show_vlans,
        }
        if w in simple:
            return simple[w](d)
        if w == ("poe", "interface"):
            poe = show_poe_interface(d)
            return poe if poe is not None else "error: syntax error, expecting <command>: poe\n"
        if w == ("system", "core-dumps"):
            return file_list(d, "/var/crash/", True)
        if w == ("configuration",):
            return show_configuration(d, d.committed)
        if w[:2] == ("interfaces", "terse"):
            return show_interfaces_terse(d, rest)
        if w[:2] == ("interfaces", "diagnostics"):
            return show_optics(d, rest)
        if w[:1] == ("interfaces",):
            extensive = w[1:] == ("extensive",) or rest.endswith(" extensive")
            name = rest.replace("extensive", "").strip()
            out = show_interfaces(d, name, extensive)
            return out if out is not None else f"error: device {name} not found\n"
        return "error: command not supported\n"

    def _zeroize(self, answer: str) -> str:
        if answer.strip().lower() not in ("y", "yes"):
            return ""
        self.dev.zeroize()
        self.state = "rebooting" if self.console else "closed"
        return "warning: zeroizing fpc0\n"

    def _reboot(self, answer: str) -> str:
        if answer.strip().lower() not in ("y", "yes"):
            return ""
        self.dev.log("mgd[1991]", f"UI_REBOOT_EVENT: User '{self.user}' initiated reboot")
        self.dev.reload("0x20:power-button soft power off")
        self.state = "rebooting" if self.console else "closed"
        when = time.strftime("%a %b %d %H:%M:%S %Y", time.gmtime())
        who = f"{self.user}@{self.dev.hostname or ''}"
        return (f"Shutdown NOW!\n[pid 4212]\n\n*** FINAL System shutdown message from {who} ***\n\n"
                f"System going down IMMEDIATELY\n\n{when}\n")

    # ---------- configuration mode
    def _config(self, line: str) -> str:
        words = line.split()
        cmd = words[0]
        cand = self.candidate
        assert cand is not None
        d = self.dev
        if cmd == "set" and len(words) > 1:
            if words[-1] == "plain-text-password":
                self._pw_path = self.edit + words[1:-1]
                return self._ask("New password:", self._newpw, "newpw")
            tree_set(cand, self.edit + words[1:])
            return ""
        if cmd == "delete":
            if len(words) == 1:
                return self._ask("Delete everything under this level? [yes,no] (no) ", self._delete_all)
            if not tree_delete(cand, self.edit + words[1:]):
                return "warning: statement not found\n"
            return ""
        if cmd == "edit" and len(words) > 1:
            self.edit += words[1:]
            return ""
        if cmd == "top":
            self.edit = []
            return ""
        if cmd == "up":
            self.edit = self.edit[:-1]
            return ""
        if cmd == "show":
            keys = path_keys(self.edit + words[1:])
            node = tree_get(cand, *keys) if keys else cand
            return "\n".join(render_tree(node or {})) + "\n"
        if cmd == "load" and words[1:2] == ["factory-default"]:
            self.candidate = d.factory_config(with_root=False)
            return "warning: activating factory configuration\n"
        if cmd == "rollback":
            self.candidate = copy.deepcopy(d.committed)
            return "load complete\n"
        if cmd == "commit":
            if tree_get(cand, "system", "root-authentication") is None:
                return ("[edit]\n  'system'\n    Missing mandatory statement: 'root-authentication'\n"
                        "error: commit failed: (missing mandatory statements)\n")
            d.commit(cand, self.user)
            if "and-quit" in words:
                self.state, self.candidate = "cli", None
                return "commit complete\nExiting configuration mode\n"
            return "commit complete\n"
        if cmd in ("exit", "quit"):
            if self.edit and words[1:] != ["configuration-mode"]:
                self.edit = self.edit[:-1]
                return ""
            if cand != d.committed:
                return self._ask("The configuration has been changed but not committed\n"
                                 "Exit with uncommitted changes? [yes,no] (yes) ", self._exit_uncommitted)
            self.state, self.candidate = "cli", None
            return "Exiting configuration mode\n"
        if cmd == "run":
            return self._op(" ".join(words[1:]))
        return " " * (len(self.prompt.rsplit("\n", 1)[-1])) + "^\nunknown command.\n"

    def _exit_uncommitted(self, answer: str) -> str:
        if answer.strip().lower() in ("", "y", "yes"):
            self.state, self.candidate = "cli", None
            return "Exiting configuration mode\n"
        return ""

    def _delete_all(self, answer: str) -> str:
        if answer.strip().lower() in ("y", "yes") and self.candidate is not None:
            if self.edit:
                tree_delete(self.candidate, self.edit)
            else:
                self.candidate.clear()
        return ""

    def _newpw(self, pw: str) -> str:
        self._pw_first = pw
        return self._ask("\nRetype new password:", self._newpw2, "newpw2")

    def _newpw2(self, pw: str) -> str:
        if pw != self._pw_first or self.candidate is None:
            return "\nerror: Passwords do not match\n"
        path = self._pw_path
        user = "root" if "root-authentication" in path else next(
            (path[i + 1] for i, t in enumerate(path[:-1]) if t == "user"), "root")
        tree_set(self.candidate, [*path, "encrypted-password", password_hash(user, pw)])
        return "\n"


def boot_text(d: JunosDevice) -> str:
    """What the console prints while an EX reboots, from U-Boot to the login prompt."""
    return "\n".join([
        "", "U-Boot 2016.01 (Mar 14 2019 - 06:05:29 +0000)", "", "DRAM:  2 GiB", "Booting JUNOS...",
        f"Copyright (c) 1996-{d.spec.build_date[:4]}, Juniper Networks, Inc.", f"JUNOS {d.version} "
        f"#0: {d.spec.build_date}", "Starting cron.", "Local package initialization:.",
        f"{time.strftime('%a %b %d %H:%M:%S UTC %Y', time.gmtime())}", ""])
