"""Transport-independent IOS XR CLI session: input in, IOS XR-formatted text out.

As on a real router every answer begins with the router's timestamp line, refusals carry the caret line and
`% Invalid input detected at '^' marker.`, configuration is a two-stage commit (`configure`, changes,
`commit`), `commit replace` asks before replacing the whole configuration, and a router without a single
user (its factory state) greets the console with the Administrative User Dialog instead of a login.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable

from simulators.families.cisco_iosxr.device import DOM_THRESHOLDS, OPTICS, Config, XrDevice
from simulators.line import LineSession, ParseError, Reply, resolve
from simulators.line import crlf as _crlf


def _stamp(dev: XrDevice) -> str:
    t = dev.clock()
    day = time.strftime("%a %b %d %H:%M:%S", time.gmtime(t)).replace(" 0", "  ", 1)
    return f"{day}.{int(t * 1000) % 1000:03d} UTC"


def _uptime(seconds: float) -> str:
    m = int(seconds // 60)
    weeks, m = divmod(m, 10_080)
    days, m = divmod(m, 1_440)
    hours, m = divmod(m, 60)
    parts = [(weeks, "week"), (days, "day"), (hours, "hour"), (m, "minute")]
    shown = [f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in parts if n] or ["0 minutes"]
    return ", ".join(shown)


def show_version(dev: XrDevice) -> str:
    s = dev.spec
    if s.classic:
        return "\n".join([
            "", f"Cisco IOS XR Software, Version {s.version}[Default]", "Copyright (c) 2019 by Cisco Systems, Inc.",
            "", "ROM: System Bootstrap, Version 10.59(c) 1994-2014 by Cisco Systems,  Inc.", "",
            f"{dev.hostname} uptime is {_uptime(dev.uptime())}",
            f'System image file is "disk0:asr9k-os-mbi-{s.version}/0x100305/mbiasr9k-rsp3.vm"', "",
            s.platform, "P4040 processor at 1500MHz, Revision 3.0", s.descr, "",
            f"{len(dev.ports)} {s.port_prefix}", "2 Management Ethernet",
            "8388608K bytes of non-volatile configuration memory.", "",
            f"Configuration register on node 0/{s.rp}/CPU0 is {dev.config_register}",
            f"Boot device on node 0/{s.rp}/CPU0 is disk0:", ""])
    return "\n".join([
        "", f"Cisco IOS XR Software, Version {s.version}", "Copyright (c) 2013-2021 by Cisco Systems, Inc.", "",
        "Build Information:", " Built By     : ingunawa", " Built On     : Wed Oct 13 20:00:33 PDT 2021",
        " Built Host   : iox-ucs-017", f" Workspace    : /auto/srcarchive17/prod/{s.version}/ncs5500/ws",
        f" Version      : {s.version}", " Location     : /opt/cisco/XR/packages/", f" Label        : {s.version}",
        "", s.platform, f"System uptime is {_uptime(dev.uptime())}", ""])


def show_inventory(dev: XrDevice) -> str:
    s = dev.spec
    out: list[str] = []

    def item(name: str, descr: str, pid: str, vid: str, sn: str) -> None:
        out.extend([f'NAME: "{name}", DESCR: "{descr}"', f"PID: {pid:<18}, VID: {vid}, SN: {sn}", ""])

    item("Rack 0", s.descr, s.pid, "V02", dev.serial)
    item(f"0/{s.rp}/CPU0", "Route Processor", s.rp_pid, "V01", dev.rp_serial)
    for slot, pid, descr in s.linecards:
        item(f"0/{slot}/CPU0", descr, pid, "V01", dev.card_serials[slot])
    for p in dev.ports:
        if p.optic:
            item(p.name, f"Cisco {OPTICS[p.optic][0]} Pluggable Optics Module", p.optic, "V01", p.optic_serial)
    for psu in dev.psus:
        item(psu.module, "Power Module", psu.pid, "V01", psu.serial)
    for fan in dev.fans:
        item(fan.module, "Fan Tray", fan.pid, "V01", fan.serial)
    return "\n".join(out) + "\n"


def show_env_fan(dev: XrDevice) -> str:
    out = ["=" * 79, "                        Fan speed (rpm)",
           "Location   FRU Type           FAN_0   FAN_1   FAN_2   FAN_3   FAN_4   FAN_5   ", "-" * 79]
    for f in dev.fans:
        speeds = [0, 0] if not f.ok else [6120 + 40 * int(f.module[-1]), 6090 + 35 * int(f.module[-1])]
        out.append(f"{f.module:<10} {f.pid:<18} " + "".join(f"{x:>5}   " for x in speeds))
    out.append("")
    for p in dev.psus:
        speeds = [0, 0] if not p.ok else [8021, 8537]
        out += [f"{p.module:<10} {p.pid:<18} " + "".join(f"{x:>5}   " for x in speeds), ""]
    return "\n".join(out) + "\n"


def show_env_power(dev: XrDevice) -> str:
    s = dev.spec
    ok = [p for p in dev.psus if p.ok]
    out = ["=" * 80, "CHASSIS LEVEL POWER INFO: 0", "=" * 80,
           f"   Total output power capacity (Group 0 + Group 1) :    {s.psu_watts * len(ok)}W +       0W",
           "   Total output power required                     :     612W",
           "   Total power input                               :     348W",
           "   Total power output                              :     321W", "", "Power Group 0: ", "=" * 80,
           "   Power       Supply      --------Input-------   ----Output----    Status",
           "   Module      Type        Volts A/B   Amps A/B   Volts     Amps    ", "=" * 80]
    for p in dev.psus:
        kind = f"{round(s.psu_watts / 1000, 1):g}kW-AC" if s.psu_watts >= 1000 else f"{s.psu_watts}W-AC"
        if p.ok:
            out.append(f"   {p.module:<11} {kind:<11} {'230.0/0.0':<11} {'0.8/ 0.0':<10} 12.1     {13.3:>4}    OK ")
        else:
            out.append(f"   {p.module:<11} {kind:<11} {'0.0/0.0':<11} {'0.0/ 0.0':<10}  0.0      0.0    Failed ")
    out += ["", "Total of Power Group 0:       348W/  ( 1.5/ 0.0)A     321W/ 26.6A", ""]
    return "\n".join(out) + "\n"


def show_env_temperatures(dev: XrDevice) -> str:
    up = dev.uptime()
    out = ["=" * 80, "Location  TEMPERATURE                 Value   Crit Major Minor Minor Major  Crit",
           "          Sensor                    (deg C)   (Lo) (Lo)  (Lo)  (Hi)  (Hi)   (Hi)", "-" * 80]
    loc = ""
    for t in dev.temps:
        if t.location != loc:
            loc = t.location
            out.append(loc)
        out.append(f"          {t.name:<27} {t.value(up):>5} {-10:>6} {-5:>5} {0:>5} {t.minor:>5} {t.major:>5} "
                   f"{t.critical:>5}")
    return "\n".join(out) + "\n"


def show_interfaces(dev: XrDevice) -> str:
    out: list[str] = []
    for p in dev.ports:
        up = dev.linked(p)
        c = dev.counters(p)
        mac = (int.from_bytes(dev.mac, "big") + p.number).to_bytes(6, "big").hex()
        mac = f"{mac[0:4]}.{mac[4:8]}.{mac[8:12]}"
        state = "up" if up else "down"
        out += [f"{p.name} is {state}, line protocol is {state} ",
                f"  Interface state transitions: {dev.transitions(p)}",
                f"  Hardware is {p.name.split('0/')[0]}, address is {mac} (bia {mac})",
                "  Internet address is Unknown", f"  MTU 1514 bytes, BW {p.speed * 1000} Kbit (Max: {p.speed * 1000} "
                "Kbit)", "     reliability 255/255, txload 0/255, rxload 0/255",
                "  Encapsulation ARPA,", f"  Full-duplex, {p.speed // 1000}Gb/s, {'SR' if p.optic else 'unknown'}, "
                "link type is force-up", "  output flow control is off, input flow control is off",
                "  Carrier delay (up) is 10 msec", "  loopback not set,",
                "  Last link flapped 00:00:07" if p.flap else "  Last link flapped 1w2d",
                "  Last input 00:00:00, output 00:00:00",
                '  Last clearing of "show interface" counters never',
                "  5 minute input rate 0 bits/sec, 0 packets/sec",
                "  5 minute output rate 0 bits/sec, 0 packets/sec",
                f"     {c['in_pkts']} packets input, {c['in_octets']} bytes, 0 total input drops",
                "     0 drops for unrecognized upper-level protocol",
                "     Received 0 broadcast packets, 0 multicast packets",
                "              0 runts, 0 giants, 0 throttles, 0 parity",
                f"     {c['in_errors']} input errors, {c['crc']} CRC, 0 frame, 0 overrun, 0 ignored, 0 abort",
                f"     {c['out_pkts']} packets output, {c['out_octets']} bytes, 0 total output drops",
                "     Output 0 broadcast packets, 0 multicast packets",
                f"     {c['out_errors']} output errors, 0 underruns, 0 applique, 0 resets",
                "     0 output buffer failures, 0 output buffers swapped out",
                f"     {dev.transitions(p)} carrier transitions", ""]
    return "\n".join(out) + "\n"


_SHORT = {"TenGigE": "Te", "TwentyFiveGigE": "TF", "HundredGigE": "Hu", "GigabitEthernet": "Gi"}


def short_name(name: str) -> str:
    """TenGigE0/0/0/1 -> Te0/0/0/1, as `show interfaces brief` prints it."""
    word = name.split("0/", 1)[0]
    return _SHORT.get(word, word[:2]) + name[len(word):]


def show_interfaces_brief(dev: XrDevice) -> str:
    out = ["", "               Intf       Intf        LineP              Encap  MTU        BW",
           "               Name       State       State               Type (byte)    (Kbps)", "-" * 80,
           f"{'Nu0':>19} {'up':>11} {'up':>11} {'Null':>18}  1500          0",
           f"{'Mg0/' + dev.spec.rp + '/CPU0/0':>19} {'up':>11} {'up':>11} {'ARPA':>18}  1514    1000000"]
    for p in dev.ports:
        st = "up" if dev.linked(p) else "down"
        out.append(f"{short_name(p.name):>19} {'up':>11} {st:>11} {'ARPA':>18}  1514 {p.speed * 1000:>10}")
    return "\n".join(out) + "\n"


def show_controllers_optics(dev: XrDevice, location: str) -> str:
    port = next((p for p in dev.ports if p.location == location), None)
    if port is None:
        return None  # type: ignore[return-value]  # the caller answers with the refusal
    if not port.optic:
        return "\n Controller State: Down \n\n Transport Admin State: In Service \n\n Optics not present\n"
    rx, tx, bias, temp, volt = dev.dom(port)
    alarms = "RX-LOS" if rx <= DOM_THRESHOLDS[0][1] else "None"
    out = ["", f" Controller State: {'Up' if dev.linked(port) else 'Down'} ", "",
           " Transport Admin State: In Service ", "", " Laser State: On ", "", " LED State: Green ", "",
           " Optics Status ", "", f"         Optics Type:  {OPTICS[port.optic][0]}",
           "         Wavelength = 850.00 nm ", "", "         Alarm Status:", "         -------------",
           f"         Detected Alarms: {alarms}", "", f"         Laser Bias Current = {bias:.1f} mA",
           f"         Actual TX Power = {tx:.2f} dBm ", f"         RX Power = {rx:.2f} dBm ", "",
           "         Performance Monitoring: Disable ", "", "         THRESHOLD VALUES",
           "         ----------------", "",
           "         Parameter                 High Alarm  Low Alarm  High Warning  Low Warning",
           "         ------------------------  ----------  ---------  ------------  -----------"]
    for label, (ha, la, hw, lw) in zip(("Rx Power Threshold(dBm)", "Tx Power Threshold(dBm)", "LBC Threshold(mA)",
                                        "Temp. Threshold(celsius)", "Voltage Threshold(volt)"), DOM_THRESHOLDS,
                                       strict=True):
        out.append(f"         {label:<25} {ha:>10.2f} {la:>10.2f} {hw:>13.2f} {lw:>12.2f}")
    out += ["", "         Polarization parameters not supported by optics", "",
            f"         Temperature = {temp:.2f} Celsius ", f"         Voltage = {volt:.2f} V ", "",
            " Transceiver Vendor Details", "", "         Form Factor            : SFP+",
            f"         Optics type            : {OPTICS[port.optic][0]}",
            "         Name                   : CISCO-FINISAR",
            "         Part Number            : FTLX8571D3BCL-C2", "         Rev Number             : A",
            f"         Serial Number          : {port.optic_serial}", f"         PID                    : {port.optic}",
            "         VID                    : V03", ""]
    return "\n".join(out) + "\n"


def show_logging(dev: XrDevice) -> str:
    head = ["Syslog logging: enabled (0 messages dropped, 0 flushes, 0 overruns)",
            "    Console logging: level warnings, 12 messages logged", "    Monitor logging: level debugging",
            "    Buffer logging: level debugging, " + f"{len(dev.syslog)} messages logged", "",
            "Log Buffer (2097152 bytes):", ""]
    base = dev.clock() - dev.uptime()
    body = []
    for e in sorted(dev.syslog, key=lambda e: e.at):
        t = base + e.at
        stamp = time.strftime("%b %d %H:%M:%S", time.gmtime(t)).replace(" 0", "  ", 1)
        body.append(f"RP/0/{dev.spec.rp}/CPU0:{stamp}.{int(t * 1000) % 1000:03d} UTC: {e.text}")
    return "\n".join(head + body) + "\n"


def _config_lines(dev: XrDevice, cfg: Config) -> list[str]:
    out = [f"!! IOS XR Configuration {dev.spec.version}", f"!! Last configuration change at {_stamp(dev)} by cisco",
           "!"]
    if cfg.hostname != "ios":
        out.append(f"hostname {cfg.hostname}")
    for user, _pw in cfg.users.items():
        out += [f"username {user}", " group root-lr", " group cisco-support",
                f" secret 10 $6$aJ0Sg1$kWo{abs(hash(user)) % 10**10:010d}", "!"]
    out += [*cfg.lines, "end"]
    return out


def show_running(dev: XrDevice) -> str:
    return "Building configuration...\n" + "\n".join(_config_lines(dev, dev.running)) + "\n"


def show_commit_list(dev: XrDevice) -> str:
    out = ["", "SNo. Label/ID              User      Line                Client      Time Stamp",
           "~~~~ ~~~~~~~~              ~~~~      ~~~~                ~~~~~~      ~~~~~~~~~~"]
    for i, n in enumerate(reversed(dev.commits), 1):
        out.append(f"{i:<4} {n:<21} cisco     vty0:node0_{dev.spec.rp}_  CLI         {_stamp(dev)}")
    return "\n".join(out) + "\n"


def dir_listing(dev: XrDevice, arg: str) -> str:
    path = arg.strip() or "harddisk:"
    if path.rstrip("/") in ("harddisk:/dumper", "harddisk:dumper"):
        entries, where = dev.dumps, "/misc/disk1/dumper"
    elif path.rstrip("/") in ("harddisk:", "harddisk:/"):
        entries, where = dev.files, "/misc/disk1"
    else:
        return None  # type: ignore[return-value]
    out = ["", f"Directory of {where}", ""]
    for i, (name, size) in enumerate(sorted(entries.items()), 11):
        out.append(f"{i:>6} -rw-r--r--. 1 {size:>10} Mar 14 10:12 {name}")
    if not entries:
        out.append("No files in directory")
    out += ["", "3102822400 kbytes total (2881472512 kbytes free)"]
    return "\n".join(out) + "\n"


def show_reboot_history(dev: XrDevice) -> str:
    boot = time.strftime("%a %b %d %H:%M:%S %Y", time.gmtime(dev.clock() - dev.uptime()))
    return "\n".join(["", f"Node: 0/{dev.spec.rp}/CPU0", "",
                      "No  Time                              Cause Code  Reason",
                      "--  --------------------------------  ----------  ------------------------------",
                      f"1   {boot} UTC   0x00000000  {dev.reload_reason}", ""]) + "\n"


def show_platform(dev: XrDevice) -> str:
    s = dev.spec
    out = ["Node              Type                       State             Config state",
           "-" * 77, f"0/{s.rp}/CPU0       {s.rp_pid + '(Active)':<26} IOS XR RUN        NSHUT"]
    for slot, pid, _ in s.linecards:
        out.append(f"0/{slot}/CPU0         {pid:<26} IOS XR RUN        NSHUT")
    for f in dev.fans:
        out.append(f"{f.module:<17} {f.pid:<26} {'OPERATIONAL' if f.ok else 'FAILED':<17} NSHUT")
    for p in dev.psus:
        out.append(f"{p.module:<17} {p.pid:<26} {'OPERATIONAL' if p.ok else 'FAILED':<17} NSHUT")
    return "\n".join(out) + "\n"


_SHOW: dict[tuple[str, ...], Callable[[XrDevice], str]] = {
    ("version",): show_version, ("inventory",): show_inventory, ("interfaces",): show_interfaces,
    ("interfaces", "brief"): show_interfaces_brief, ("interface", "brief"): show_interfaces_brief,
    ("logging",): show_logging, ("running-config",): show_running, ("platform",): show_platform,
    ("configuration", "commit", "list"): show_commit_list, ("reboot", "history"): show_reboot_history,
}
_ADMIN: dict[tuple[str, ...], Callable[[XrDevice], str]] = {
    ("environment", "fan"): show_env_fan, ("environment", "power"): show_env_power,
    ("environment", "temperatures"): show_env_temperatures, ("inventory",): show_inventory,
    ("platform",): show_platform,
}
_EXEC: list[tuple[str, ...]] = [
    *(("show", *k) for k in _SHOW), *(("admin", "show", *k) for k in _ADMIN),
    ("show", "controllers", "optics", "<rest>"), ("exit",), ("terminal", "length", "<rest>"),
    ("terminal", "width", "<rest>"), ("terminal", "exec", "prompt", "<rest>"), ("dir", "<rest>"), ("dir",),
    ("configure",), ("configure", "terminal"), ("configure", "exclusive"), ("delete", "<rest>"), ("reload",),
    ("clear", "configuration", "commits", "oldest", "<n>"),
]


class XrSession(LineSession):
    """One CLI line: SSH starts at the prompt; the console at `Username:`, or at the Administrative User
    Dialog when the router has no user at all (its factory state)."""

    mode_marks = {"exec": "#"}

    def __init__(self, device: XrDevice, *, console: bool) -> None:
        super().__init__(device, console=console, state=self._first_state(device) if console else "cli")
        self.dev: XrDevice = device
        self._login_user = ""
        self._target: Config | None = None  # the candidate configuration while in configuration mode
        self._exclusive = False

    secret_states = frozenset({"password", "root_secret", "root_secret_again"})

    @staticmethod
    def _first_state(dev: XrDevice) -> str:
        return "login" if dev.running.users else "root_user"

    @property
    def prompt(self) -> str:
        base = self.dev.prompt_base
        return f"{base}#" if self.mode == "exec" else f"{base}({self.mode})#"

    def banner(self) -> str:
        if not self.console:
            return _crlf("\n") + self.prompt
        if self.state == "root_user":
            return _crlf("\n\n--- Administrative User Dialog ---\n\n\n  Enter root-system username: ")
        return _crlf("\n\nUser Access Verification\n\n") + "Username: " if self.state == "login" else ""

    def _ctrl_z(self) -> str:
        if self.mode == "exec":
            return ""
        return "\r\n" + self._leave_config()

    def _rebooted(self) -> Reply:
        self.mode, self._buf, self._pending, self.username = "exec", "", None, None
        self.state = self._first_state(self.dev)
        return Reply(_crlf(boot_text(self.dev)[1]) + self.banner())

    def _line(self, line: str) -> tuple[str, bool]:
        nl = "\r\n"
        if self.state == "root_user":
            if not line.strip():
                return nl + "  Enter root-system username: ", False
            self._login_user, self.state = line.strip(), "root_secret"
            return nl + "  Enter secret: ", False
        if self.state == "root_secret":
            self._root_secret, self.state = line, "root_secret_again"
            return nl + "  Enter secret again: ", False
        if self.state == "root_secret_again":
            if line != self._root_secret:
                self.state = "root_secret"
                return _crlf("\n  Secrets do not match\n") + "  Enter secret: ", False
            cfg = copy.deepcopy(self.dev.committed)
            cfg.users[self._login_user] = line
            self.dev.commit(cfg)
            self.state = "login"
            return _crlf("\n  Use the 'configure' command to modify this configuration.\n\n\n"
                         "User Access Verification\n\n") + "Username: ", False
        if self.state == "login":
            if not line.strip():
                return nl + "Username: ", False
            self._login_user, self.state = line.strip(), "password"
            return nl + "Password: ", False
        if self.state == "password":
            if self.dev.check_login(self._login_user, line):
                self.state, self.mode, self.username = "cli", "exec", self._login_user
                self.generation = self.dev.generation
                return nl + nl + self.prompt, False
            self.state = "login"
            return _crlf("\n% Authentication failed\n\n") + "Username: ", False
        if self.state == "pending":
            text, close = self._answer(line)
            return "\r\n" + text, close  # the answer's line ends before what follows
        if not line.strip():
            return nl + self.prompt, False
        if self._ssh_dropped():
            return "", True
        text = self._config(line) if self.mode != "exec" else self._exec(line)
        if self.state == "closed":
            return _crlf("\n" + text), True
        if self.state in ("pending", "rebooting"):
            return _crlf("\n" + text), False
        return _crlf("\n" + text) + self.prompt, False

    def _error(self, line: str, err: ParseError) -> str:
        col = len(self.prompt) + (err.pos if err.kind != "incomplete" else len(line.rstrip()))
        word = {"ambiguous": "Ambiguous command", "incomplete": "Incomplete command"}.get(err.kind,
                                                                                          "Invalid input detected")
        return f"{_stamp(self.dev)}\n" + " " * col + "^\n" + f"% {word} at '^' marker.\n"

    def _exec(self, line: str) -> str:
        try:
            w, rest = resolve(line, _EXEC)
        except ParseError as err:
            return self._error(line, err)
        d = self.dev
        stamp = _stamp(d) + "\n"
        if w[0] == "show" and w[1:3] == ("controllers", "optics"):
            got = show_controllers_optics(d, rest.strip())
            return stamp + got if got is not None else self._error(line, ParseError("invalid", line.index(rest)))
        if w[0] == "show":
            return stamp + _SHOW[w[1:]](d)
        if w[0] == "admin":
            return stamp + _ADMIN[w[2:]](d)
        if w[0] == "exit":
            if self.console:
                self.state, self.username = self._first_state(d), None
                return "\n" + self.banner()
            self.state = "closed"
            return ""
        if w[0] == "terminal":
            return ""
        if w[0] == "dir":
            got = dir_listing(d, rest)
            return stamp + got if got is not None else stamp + f"%Error opening {rest} (No such file or directory)\n"
        if w[0] == "configure":
            self._target = copy.deepcopy(d.running)
            self._exclusive = w[-1] == "exclusive"
            self.mode = "config"
            return stamp
        if w[0] == "delete":
            path = rest.replace("/noprompt", "").strip()
            name = path.split(":", 1)[-1].lstrip("/")
            where = d.dumps if name.startswith("dumper/") else d.files
            name = name.removeprefix("dumper/")
            if name not in where:
                return stamp + f"%Error deleting {path} (No such file or directory)\n"
            del where[name]
            return stamp
        if w[:3] == ("clear", "configuration", "commits"):
            n = min(int(w[-1]), max(0, len(d.commits) - 1))  # the last commit is the running configuration
            del d.commits[:n]
            return stamp + f"Deleting {n} rollback points '{', '.join(d.commits[:0])}'\n" if n else stamp
        if w == ("reload",):
            return stamp + self._ask("Proceed with reload? [confirm]", self._reload)
        return self._error(line, ParseError("invalid"))

    def _reload(self, answer: str) -> str:
        if answer.strip().lower() not in ("", "y", "yes"):
            return ""
        self.dev.reload()
        self.state = "rebooting" if self.console else "closed"
        return "\n"

    # ---------- configuration: a candidate, then commit
    def _leave_config(self) -> str:
        if self._target is not None and self._target != self.dev.running:
            return self._ask("Uncommitted changes found, commit them before exiting(yes/no/cancel)? [cancel]:",
                             self._commit_on_exit)
        self.mode, self._target = "exec", None
        return self.prompt

    def _commit_on_exit(self, answer: str) -> str:
        a = answer.strip().lower()
        if a in ("", "c", "cancel"):
            return ""
        if a in ("y", "yes") and self._target is not None:
            self.dev.commit(self._target)
        self.mode, self._target = "exec", None
        return ""

    def _config(self, line: str) -> str:
        words = line.split()
        kw, args = words[0].lower(), words[1:]
        cfg = self._target if self._target is not None else copy.deepcopy(self.dev.running)
        self._target = cfg
        if kw == "end" or (kw == "exit" and self.mode == "config"):
            text = self._leave_config()
            return text if self.state == "pending" else ""  # the question, or nothing before the exec prompt
        if kw == "exit":
            self.mode = "config"
            return ""
        if kw == "abort":
            self.mode, self._target = "exec", None
            return ""
        if kw == "commit" and args[:1] == ["replace"]:
            return self._ask("This commit will replace or remove the entire running configuration. This\n"
                             "operation can be service affecting.\nDo you wish to proceed? [no]: ", self._replace)
        if kw == "commit":
            self.dev.commit(cfg)
            return ""
        if kw == "show" and args[:1] == ["configuration"]:
            return "\n".join(_config_lines(self.dev, cfg)) + "\n"
        if kw == "hostname" and args:
            cfg.hostname = args[0]
        elif kw == "username" and args:
            cfg.users.setdefault(args[0], "")
            self.mode, self._user = "config-un", args[0]
        elif kw in ("secret", "password") and self.mode == "config-un" and args:
            cfg.users[self._user] = args[-1]
        elif kw == "no" and args[:1] == ["username"] and len(args) > 1:
            cfg.users.pop(args[1], None)
        elif kw == "interface":
            self.mode = "config-if"
        elif self.mode == "config":
            cfg.lines.append(line.strip())
        return ""

    def _replace(self, answer: str) -> str:
        if answer.strip().lower() not in ("y", "yes"):
            return ""
        # The candidate is empty: the committed configuration becomes nothing at all (no user, no SSH server).
        # A session already open stays up; the next login needs the console's Administrative User Dialog.
        self.dev.commit(Config())
        self._target = Config()
        return ""


def boot_text(dev: XrDevice) -> tuple[str, str]:
    """(ROMMON/loader part, OS part) of a console boot."""
    s = dev.spec
    if s.classic:
        loader = "\n".join(["", "", "System Bootstrap, Version 10.59(c) 1994-2014 by Cisco Systems,  Inc.", "",
                            "Board type is 0x100305 (ASR9K Series RSP)",
                            f"Configuration register is {dev.config_register}",
                            "", "Boot device is disk0:", "", ""])
    else:
        loader = "\n".join(["", "", "Cisco BIOS ", "Booting from disk0 ...", "", "GNU GRUB  version 2.00", ""])
    kernel = "\n".join([f"Booting IOS XR {s.version} ...", "", "Initializing IOS XR ...",
                        f"RP/0/{s.rp}/CPU0:{_stamp(dev)}: init[65540]: %OS-INIT-7-MBI_STARTED : total time 7.7 seconds",
                        f"RP/0/{s.rp}/CPU0:{_stamp(dev)}: ifmgr[209]: %PKT_INFRA-LINK-3-UPDOWN : Interface "
                        f"MgmtEth0/{s.rp}/CPU0/0, changed state to Up", "",
                        "", "ios con0/" + s.rp + "/CPU0 is now available", "", "Press RETURN to get started.", ""])
    return loader, kernel
