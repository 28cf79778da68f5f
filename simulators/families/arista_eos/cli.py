"""Transport-independent Arista EOS CLI session: input in, EOS-formatted text out."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

from simulators.families.arista_eos.device import OPTICS, AristaDevice, Config, Port
from simulators.line import LineSession, ParseError, Reply, resolve
from simulators.line import crlf as _crlf

_RULE = "-" * 16


def _mac_dotted(b: bytes) -> str:
    h = b.hex()
    return f"{h[0:4]}.{h[4:8]}.{h[8:12]}"


def _uptime_text(seconds: float) -> str:
    m = int(seconds // 60)
    weeks, m = divmod(m, 10_080)
    days, m = divmod(m, 1_440)
    hours, m = divmod(m, 60)
    return f"{weeks} weeks, {days} days, {hours} hours and {m} minutes"


def _log_stamp(dev: AristaDevice, at: float) -> str:
    t = time.gmtime(dev.clock() - dev.uptime() + at)
    return time.strftime("%b %d %H:%M:%S", t).replace(" 0", "  ", 1)


# ---------------------------------------------------------------- renderers
def show_version(dev: AristaDevice) -> str:
    s = dev.spec
    build = hashlib.md5(f"{s.version}:{s.arch}".encode()).hexdigest()
    free = s.memory_kb // 2 + int(dev.uptime()) % 4096
    return "\n".join([
        f"Arista {s.pid}", f"Hardware version:    {s.hw_rev}", f"Serial number:       {dev.serial}",
        f"System MAC address:  {_mac_dotted(dev.mac)}", "",
        f"Software image version: {s.version}", f"Architecture:           {s.arch}",
        f"Internal build version: {s.version}-{int(build[:7], 16) % 30_000_000}.{s.version.replace('.', '')}",
        f"Internal build ID:      {build[:8]}-{build[8:12]}-{build[12:16]}-{build[16:20]}-{build[20:32]}", "",
        f"Uptime:                 {_uptime_text(dev.uptime())}", f"Total memory:           {s.memory_kb} kB",
        f"Free memory:            {free} kB", "", ""])


def show_inventory(dev: AristaDevice) -> str:
    s = dev.spec
    out = ["System information", "  Model                    Description",
           "  ------------------------ ----------------------------------------------------",
           f"  {s.pid:<24} {s.descr}", "",
           "  HW Version  Serial Number  Mfg Date   Epoch", "  ----------- -------------- ---------- -----",
           f"  {s.hw_rev:<11} {dev.serial:<14} {dev.mfg_date} 00.00", "",
           f"System has {len(dev.psus)} power supply slots", "  Slot Model            Serial Number",
           "  ---- ---------------- ----------------"]
    out += [f"  {p.slot:<4} {p.pid:<16} {p.serial}" for p in dev.psus]
    out += ["", f"System has {len(dev.fans)} fan modules", "  Module  Number of Fans  Model            Serial Number",
            "  ------- --------------- ---------------- ----------------"]
    out += [f"  {f.number:<7} {1:<15} {f.pid:<16} N/A" for f in dev.fans]
    out += ["", f"System has {len(dev.ports) + 1} ports", "  Type             Count", "  ---------------- ----",
            f"  {'Management':<16} 1", f"  {'Switched':<16} {len(dev.ports)}", "",
            f"System has {len(dev.ports)} transceiver slots",
            "  Port Manufacturer     Model            Serial Number    Rev",
            "  ---- ---------------- ---------------- ---------------- ----"]
    for p in dev.ports:
        if p.kind == "10gbaset":
            continue
        if p.optic:
            out.append(f"  {p.cage:<4} {'Arista Networks':<16} {p.optic:<16} {p.optic_serial:<16} 0002")
        else:
            out.append(f"  {p.cage:<4} Not Present")
    return "\n".join(out) + "\n"


def show_env_cooling(dev: AristaDevice) -> str:
    ok = all(f.ok for f in dev.fans)
    ambient = dev.temps[3].value(dev.uptime())
    out = [f"System cooling status is: {'Ok' if ok else 'Insufficient fans'}", f"Ambient temperature: {ambient:.0f}C",
           "Airflow: front-to-back",
           "Fan              Status          Configured Speed     Actual Speed",
           "---------------- --------------- ---------------- ----------------"]
    speed = 40 if ok else 100  # the remaining fans spin up when one fails
    for f in dev.fans:
        actual = f"{speed - 1}%" if f.ok else "N/A"
        cfg = f"{speed}%" if f.ok else "N/A"
        out.append(f"{f'{f.number}/1':<16} {'Ok' if f.ok else 'Failed':<15} {cfg:>16} {actual:>16}")
    for p in dev.psus:
        st, cfg, act = ("Ok", f"{speed + 30}%", f"{speed + 29}%") if p.ok else ("Failed", "N/A", "N/A")
        out.append(f"{f'PowerSupply{p.slot}/1':<16} {st:<15} {cfg:>16} {act:>16}")
    return "\n".join(out) + "\n"


def show_env_power(dev: AristaDevice) -> str:
    out = ["Power                      Input  Output  Output",
           "Supply Model            Capacity Current Current  Power Status      Uptime",
           "------ ---------------- -------- ------- ------- ------ ----------- ----------------"]
    total = 0.0
    up = int(dev.uptime())
    up_text = f"{up // 86400} days, {up % 86400 // 3600}:{up % 3600 // 60:02d}:{up % 60:02d}"
    working = [p for p in dev.psus if p.ok]
    for p in dev.psus:
        if p.ok:
            watts = round(180.0 / max(1, len(working)), 1)
            total += watts
            out.append(f"{p.slot:<6} {p.pid:<16} {p.watts:>7}W {watts / 230:>6.2f}A {watts / 12:>6.2f}A "
                       f"{watts:>5.1f}W {'Ok':<11} {up_text}")
        else:
            out.append(f"{p.slot:<6} {p.pid:<16} {p.watts:>7}W {0:>6.2f}A {0:>6.2f}A {0:>5.1f}W Power Loss")
    out.append(f"Total  {'--':<16} {sum(p.watts for p in dev.psus):>7}W {'--':>7} {'--':>7} {total:>5.1f}W --")
    return "\n".join(out) + "\n"


def show_env_temperature(dev: AristaDevice) -> str:
    up = dev.uptime()
    hot = any(t.value(up) >= t.critical for t in dev.temps)
    out = [f"System temperature status is: {'Overheating' if hot else 'Ok'}", "",
           "                                                                 Alert  Critical",
           "                                               Temp    Setpoint  Limit     Limit",
           "Sensor  Description                             (C)         (C)    (C)       (C)",
           "------- ----------------------------------- ------- ----------- ------ ---------"]
    for t in dev.temps:
        setpoint = t.alert - 10
        out.append(f"{t.number:<7} {t.descr:<35} {t.value(up):>7.1f}   ({setpoint}) {setpoint - 1.2:.1f} "
                   f"{t.alert:>6} {t.critical:>9}")
    return "\n".join(out) + "\n\n"


def _status(dev: AristaDevice, p: Port) -> tuple[str, str, str, str]:
    """(status, duplex, speed, type) as `show interfaces status` prints them."""
    if p.kind == "10gbaset":
        kind = "10GBASE-T"
    else:
        kind = OPTICS[p.optic][0] if p.optic else "Not Present"
    if dev.linked(p):
        speed = f"{p.speed_mbps // 1000}G"
        return "connected", "full", speed, kind
    return "notconnect", "full" if p.optic else "auto", f"{p.speed_mbps // 1000}G" if p.optic else "auto", kind


def show_interfaces_status(dev: AristaDevice) -> str:
    out = ["Port       Name                   Status       Vlan        Duplex  Speed Type         Flags"]
    for p in dev.ports:
        st, dup, spd, kind = _status(dev, p)
        out.append(f"{p.short:<10} {'':<22} {st:<12} {'1':<11} {dup:<7} {spd:>5} {kind}")
    out.append(f"{'Ma1':<10} {'':<22} {'connected':<12} {'routed':<11} {'a-full':<7} {'a-1G':>5} 10/100/1000")
    return "\n".join(out) + "\n"


def _ago(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


def show_interfaces(dev: AristaDevice) -> str:
    out: list[str] = []
    for n, p in enumerate(dev.ports, 1):
        up = dev.linked(p)
        c = dev.counters(p)
        mac = _mac_dotted(dev.mac_of(n))
        if up:
            head = f"{p.name} is up, line protocol is up (connected)"
        else:
            head = f"{p.name} is down, line protocol is notpresent (notconnect)" if (
                p.kind != "10gbaset" and not p.optic) else f"{p.name} is down, line protocol is down (notconnect)"
        kbit = p.speed_mbps * 1000
        since = dev.uptime() % 7 if p.flap else dev.uptime() - 36
        out += [head, f"  Hardware is Ethernet, address is {mac} (bia {mac})",
                "  Ethernet MTU 9214 bytes , BW " + f"{kbit} kbit",
                f"  Full-duplex, {p.speed_mbps // 1000}Gb/s, auto negotiation: off, uni-link: disabled",
                f"  {'Up' if up else 'Down'} {_ago(max(0.0, since))}" if dev.link_changes(p) else
                "  Down 0:00:00", f"  {dev.link_changes(p)} link status changes since last clear",
                '  Last clearing of "show interface" counters never']
        rate_in = int(c["in_octets"] * 8 / max(1.0, dev.uptime())) if up else 0
        pps = int(c["in_pkts"] / max(1.0, dev.uptime())) if up else 0
        out += [f"  5 minutes input rate {rate_in} bps (0.1% with framing overhead), {pps} packets/sec",
                f"  5 minutes output rate {rate_in} bps (0.1% with framing overhead), {pps} packets/sec",
                f"     {c['in_pkts']} packets input, {c['in_octets']} bytes",
                f"     Received {c['in_bcast']} broadcasts, {c['in_mcast']} multicast",
                "     0 runts, 0 giants",
                f"     {c['in_errors']} input errors, {c['crc']} CRC, 0 alignment, 0 symbol, 0 input discards",
                "     0 PAUSE input",
                f"     {c['out_pkts']} packets output, {c['out_octets']} bytes",
                f"     Sent 0 broadcasts, {c['out_mcast']} multicast",
                f"     {c['out_errors']} output errors, 0 collisions",
                "     0 late collision, 0 deferred, 0 output discards", "     0 PAUSE output"]
    return "\n".join(out) + "\n"


def show_transceiver(dev: AristaDevice) -> str:
    out = ["If device is externally calibrated, only calibrated values are printed.",
           "N/A: not applicable, Tx: transmit, Rx: receive.", "mA: milliamperes, dBm: decibels (milliwatts).",
           "                               Bias      Optical   Optical                ",
           "          Temp       Voltage   Current   Tx Power  Rx Power               ",
           "Port      (Celsius)  (Volts)   (mA)      (dBm)     (dBm)     Last Update  ",
           "-----     ---------  --------  --------  --------  --------  -------------------"]
    for p in dev.ports:
        if p.optic:
            t, v, b, tx, rx = dev.dom(p)
            out.append(f"{p.short:<9} {t:>6.2f}    {v:>6.2f}    {b:>6.2f}    {tx:>6.2f}    {rx:>6.2f}     "
                       f"0:00:0{int(dev.uptime()) % 10} ago")
    return "\n".join(out) + "\n"


def show_transceiver_detail(dev: AristaDevice) -> str:
    out = ["mA: milliamperes, dBm: decibels (milliwatts), NA or N/A: not applicable.",
           "++ : high alarm, +  : high warning, -  : low warning, -- : low alarm.",
           "A2D readouts (if they differ), are reported in parentheses.", "The threshold values are calibrated."]
    optics = [p for p in dev.ports if p.optic]
    for k, (label, unit) in enumerate((("Temperature", "Celsius"), ("Voltage", "Volts"), ("Current", "mA"),
                                       ("Tx Power", "dBm"), ("Rx Power", "dBm"))):
        out += ["                         High Alarm  High Warn   Low Alarm   Low Warn    ",
                f"           {label:<13} Threshold   Threshold   Threshold   Threshold   ",
                f"Port       {'(' + unit + ')':<13} {'(' + unit + ')':<11} {'(' + unit + ')':<11} "
                f"{'(' + unit + ')':<11} {'(' + unit + ')':<11} ",
                "-------    ------------  ----------  ----------  ----------  ----------  "]
        for p in optics:
            ha, hw, lw, la = dev.dom_thresholds(p)[k]
            cur = dev.dom(p)[k]
            out.append(f"{p.short:<10} {cur:<13.2f} {ha:<11.2f} {hw:<11.2f} {la:<11.2f} {lw:<11.2f} ")
    return "\n".join(out) + "\n"


def show_logging(dev: AristaDevice) -> str:
    head = ["Syslog logging: enabled", "    Buffer logging: level debugging", "    Console logging: level errors",
            "    Persistent logging: disabled", "    Monitor logging: level errors",
            "    Synchronous logging: disabled", "    Trap logging: level informational",
            "    Sequence numbers: Disabled", "    Syslog facility: local4", "    Hostname format: Hostname only",
            "    Repeat logging interval: disabled", "    Repeat messages: disabled", "", "Log Buffer:"]
    entries = sorted(dev.syslog, key=lambda e: e.at)
    body = [f"{_log_stamp(dev, e.at)} {dev.hostname} {e.agent}: {e.text}" for e in entries]
    return "\n".join(head + body) + "\n"


def show_clock(dev: AristaDevice) -> str:
    t = time.gmtime(dev.clock())
    return time.strftime("%a %b %d %H:%M:%S %Y", t) + "\nTimezone: UTC\nClock source: local\n"


def show_hostname(dev: AristaDevice) -> str:
    fqdn = f"{dev.hostname}.{dev.running.domain}" if dev.running.domain else dev.hostname
    return f"Hostname: {dev.hostname}\nFQDN:     {fqdn}\n"


def show_reload_cause(dev: AristaDevice) -> str:
    crash = "crash" in dev.reload_cause
    t = time.gmtime(dev.clock() - dev.uptime() - 60)
    return "\n".join([
        "Reload Cause 1:", "-------------------", dev.reload_cause, "",
        "Reload Time:", "------------", time.strftime("%Y-%m-%d %H:%M:%S", t), "",
        "Recommended Action:", "-------------------",
        "Contact Arista Networks Technical Support" if crash else "No action necessary.", "",
        "Debugging Information:", "----------------------",
        "Core dump saved to flash:/debug/" if crash else "None available.", ""])


def _config_text(dev: AristaDevice, cfg: Config) -> list[str]:
    s = dev.spec
    out = ["! Command: show running-config", f"! device: {cfg.hostname} ({s.pid}, EOS-{s.version})", "!",
           f"! boot system flash:/{s.image}", "!"]
    if s.qsfp_kind == "qsfp+":
        out += ["transceiver qsfp default-mode 4x10G", "!"]
    out += [f"hostname {cfg.hostname}"]
    if cfg.domain:
        out.append(f"ip domain-name {cfg.domain}")
    out += ["!", "spanning-tree mode mstp", "!", "no aaa root", "!"]
    if cfg.enable_secret is not None:
        out += [f"enable secret sha512 {_sha512(cfg.enable_secret)}", "!"]
    for user, pw in cfg.users.items():
        out.append(f"username {user} privilege 15 role network-admin secret sha512 {_sha512(pw)}")
    out.append("!")
    for vid, name in sorted(cfg.vlans.items()):
        out += [f"vlan {vid}", f"   name {name}", "!"]
    for p in dev.ports:
        out += [f"interface {p.name}", "!"]
    out += ["interface Management1", "!", *cfg.extra, "!", "no ip routing", "!", "end"]
    return out


def _sha512(pw: str) -> str:
    d = hashlib.sha512(pw.encode()).hexdigest()
    return f"$6${d[:16]}${d[16:102]}"


def show_running(dev: AristaDevice) -> str:
    return "\n".join(_config_text(dev, dev.running)) + "\n"


def show_startup(dev: AristaDevice) -> str:
    if dev.startup is None:
        return "% Error displaying flash:/startup-config (No such file or directory)\n"
    return "\n".join(_config_text(dev, dev.startup)) + "\n"


def dir_listing(dev: AristaDevice, arg: str) -> str:
    path = (arg.split(":", 1)[1] if ":" in arg else arg).strip("/")
    entries = dev.flash
    if path:
        node = dev.flash.get(path)
        if node is None or not node.is_dir:
            return f"%Error opening flash:/{path} (No such file or directory)\n"
        entries = node.children
    total = 3_519_041_536
    used = sum(f.size + sum(c.size for c in f.children.values()) for f in dev.flash.values())
    out = [f"Directory of flash:/{path + '/' if path else ''}", ""]
    for name, f in sorted(entries.items()):
        out.append(f"       {'drwx' if f.is_dir else '-rwx'} {f.size:>11} {f.date:>22}  {name}")
    if not entries:
        out.append("No files in directory")
    out += ["", f"{total} bytes total ({total - used} bytes free)"]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- the session
_SHOW: dict[tuple[str, ...], Callable[[AristaDevice], str]] = {
    ("version",): show_version, ("inventory",): show_inventory,
    ("environment", "cooling"): show_env_cooling, ("environment", "power"): show_env_power,
    ("environment", "temperature"): show_env_temperature, ("interfaces", "status"): show_interfaces_status,
    ("interfaces",): show_interfaces, ("interfaces", "transceiver"): show_transceiver,
    ("interfaces", "transceiver", "detail"): show_transceiver_detail, ("logging",): show_logging,
    ("running-config",): show_running, ("startup-config",): show_startup, ("hostname",): show_hostname,
    ("clock",): show_clock, ("reload", "cause"): show_reload_cause,
}
# Exec commands; "<rest>" takes the rest of the line.
_EXEC: list[tuple[str, ...]] = [
    *(("show", *k) for k in _SHOW), ("enable",), ("disable",), ("exit",), ("logout",), ("quit",),
    ("terminal", "length", "<rest>"), ("terminal", "width", "<rest>"), ("terminal", "monitor"),
    ("dir", "<rest>"), ("dir",), ("write",), ("write", "memory"), ("write", "erase"), ("delete", "<rest>"),
    ("reload",), ("reload", "now"), ("configure",), ("configure", "terminal"),
    ("copy", "running-config", "startup-config"), ("show", "privilege"),
]
_UNPRIV = {"enable", "disable", "exit", "logout", "quit", "terminal", "show"}


def parse(line: str) -> tuple[tuple[str, ...], str]:
    """Resolve EOS abbreviations (`sh int st`) against _EXEC: (words, rest of line)."""
    return resolve(line, _EXEC)


class EosSession(LineSession):
    """One CLI line (SSH shell or console). The console starts at `login:`, SSH at the prompt."""

    secret_states = frozenset({"password", "enable_password"})

    def __init__(self, device: AristaDevice, *, console: bool) -> None:
        super().__init__(device, console=console, state="login" if console else "cli")
        self.dev: AristaDevice = device
        self.mode = "exec"  # exec | priv | config | config-if-Et1 | config-vlan-10
        self._login_user = ""

    def _login_prompt(self) -> str:
        return f"{self.dev.hostname} login: "

    def banner(self) -> str:
        if self.console:
            return _crlf("\n\n") + self._login_prompt() if self.state == "login" else ""
        return _crlf("Last login: never\n") + self.prompt

    # ---------- keys the line hands to EOS
    def _ctrl_z(self) -> str:
        if not self.mode.startswith("config"):
            return ""
        self._buf, self.mode = "", "priv"
        return "^Z\r\n" + self.prompt

    def _ctrl_c(self) -> str:
        self._buf = ""
        return "^C\r\n" + self.prompt

    def _rebooted(self) -> Reply:
        self._to_login()
        return Reply(_crlf(boot_text(self.dev)) + self._login_prompt())

    def _to_login(self) -> None:
        self.mode, self.state, self._buf, self._pending, self.username = "exec", "login", "", None, None

    def _line(self, line: str) -> tuple[str, bool]:
        nl = "\r\n"
        if self.state == "login":
            if not line.strip():
                return nl + self._login_prompt(), False
            self._login_user, self.state = line.strip(), "password"
            return nl + "Password: ", False
        if self.state == "password":
            if self.dev.check_login(self._login_user, line):
                self.state, self.mode, self.username = "cli", "exec", self._login_user
                self.generation = self.dev.generation
                return _crlf("\nLast login: never\n") + self.prompt, False
            self.state = "login"
            return _crlf("\nLogin incorrect\n") + self._login_prompt(), False
        if self.state == "enable_password":
            self.state = "cli"
            if self.dev.check_enable(line):
                self.mode = "priv"
                return nl + self.prompt, False
            return _crlf("\n% Authentication failed\n") + self.prompt, False
        if self.state == "pending" and self._pending is not None:
            handler, self._pending = self._pending, None
            self.state = "cli"
            text = handler(line)
            return self._finish(text)
        if not line.strip():
            return nl + self.prompt, False
        if self._ssh_dropped():
            return "", True  # ssh_drop: the link dies mid-session
        text = self._config(line) if self.mode.startswith("config") else self._exec(line)
        return self._finish(text, lead="\n")

    def _finish(self, text: str, lead: str = "") -> tuple[str, bool]:
        if self.state == "closed":
            return _crlf(lead + text), True
        if self.state == "rebooting" and self.line_boots:
            return _crlf(lead + text), False
        if self.state == "rebooting":
            self.generation = self.dev.generation
            self._to_login()
            return _crlf(lead + text + boot_text(self.dev)) + self._login_prompt(), False
        if self.state in ("pending", "enable_password"):
            return _crlf(lead + text), False
        return _crlf(lead + text) + self.prompt, False

    def _error(self, line: str, err: ParseError) -> str:
        if err.kind == "ambiguous":
            return "% Ambiguous command\n"
        if err.kind == "incomplete":
            return "% Incomplete command\n"
        return "% Invalid input\n"

    def _exec(self, line: str) -> str:
        try:
            w, rest = parse(line)
        except ParseError as err:
            return self._error(line, err)
        d = self.dev
        if self.mode == "exec" and w[0] not in _UNPRIV:
            return "% Invalid input (privileged mode required)\n"
        if w[0] == "show":
            if w[1:] == ("privilege",):
                return f"Current privilege level is {15 if self.mode != 'exec' else 1}\n"
            if self.mode == "exec" and w[1] in ("running-config", "startup-config", "logging"):
                return "% Invalid input (privileged mode required)\n"
            return _SHOW[w[1:]](d)
        if w == ("enable",):
            if self.mode == "exec":
                if d.running.enable_secret is None:
                    self.mode = "priv"
                    return ""
                self.state = "enable_password"
                return "Password: "
            return ""
        if w == ("disable",):
            self.mode = "exec"
            return ""
        if w[0] in ("exit", "logout", "quit"):
            if self.console:
                self._to_login()
                return "\n\n" + self._login_prompt()
            self.state = "closed"
            return ""
        if w[:2] == ("terminal", "length"):
            return "Pagination disabled.\n" if rest.strip() == "0" else ""
        if w[:2] == ("terminal", "width"):
            return f"Width set to {rest.strip()} columns.\n"
        if w[0] == "terminal":
            return ""
        if w[0] == "dir":
            return dir_listing(d, rest or "flash:")
        if w[0] == "configure":
            self.mode = "config"
            return ""
        if w in (("write",), ("write", "memory"), ("copy", "running-config", "startup-config")):
            d.write_memory()
            return "Copy completed successfully.\n"
        if w == ("write", "erase"):
            return self._ask("Proceed with erasing startup configuration? [confirm]", self._erase)
        if w[0] == "delete":
            return self._delete(rest)
        if w[0] == "reload":
            if w == ("reload", "now"):
                return self._reload("y")
            if d.startup is not None and d.running != d.startup or d.startup is None and d.running != Config(
                    users={"admin": "admin"}):
                return self._ask("System configuration has been modified. Save? [yes/no/cancel/diff]:",
                                 self._reload_save)
            return self._ask("Proceed with reload? [confirm]", self._reload)
        return self._error(line, ParseError("invalid"))

    def _erase(self, answer: str) -> str:
        if answer.strip().lower() not in ("", "y", "yes"):
            return "\n"
        self.dev.write_erase()
        self.dev.log("FileMgr", "%SYS-5-CONFIG_ERASE: startup-config erased")
        return "\n"

    def _delete(self, rest: str) -> str:
        path = (rest.split(":", 1)[1] if ":" in rest else rest).strip().strip("/")
        parts = path.split("/")
        here = self.dev.flash
        for part in parts[:-1]:
            node = here.get(part)
            if node is None or not node.is_dir:
                return f"% Error deleting flash:/{path} (No such file or directory)\n"
            here = node.children
        if not path or parts[-1] not in here:
            return f"% Error deleting flash:/{path} (No such file or directory)\n"
        if here[parts[-1]].is_dir:
            return f"% Error deleting flash:/{path} (Is a directory)\n"
        del here[parts[-1]]
        if path == "startup-config":
            self.dev.startup = None
        return ""

    def _reload_save(self, answer: str) -> str:
        a = answer.strip().lower()
        if a in ("y", "yes"):
            self.dev.write_memory()
        elif a in ("c", "cancel"):
            return ""
        elif a not in ("n", "no"):
            return self._ask("System configuration has been modified. Save? [yes/no/cancel/diff]:",
                             self._reload_save)
        return self._ask("\nProceed with reload? [confirm]", self._reload)

    def _reload(self, answer: str) -> str:
        if answer.strip().lower() not in ("", "y", "yes"):
            return "\n"
        self.dev.log("Reload", "%SYS-5-RELOAD: Reload requested by user")
        self.dev.reload("Reload requested by the user.")
        self.state = "rebooting" if self.console else "closed"
        return "\nBroadcast message from root@" + self.dev.hostname + "\n\tThe system is going down for reboot NOW!\n"

    # ---------- configuration mode
    def _config(self, line: str) -> str:
        words = line.split()
        kw, args = words[0].lower(), words[1:]
        cfg = self.dev.running
        if kw == "end":
            self.mode = "priv"
            self.dev.log("ConfigAgent", f"%SYS-5-CONFIG_I: Configured from console by {self.username or 'admin'} "
                         f"on {'con0' if self.console else 'vty3 (127.0.0.1)'}")
            return ""
        if kw == "exit":
            self.mode = "priv" if self.mode == "config" else "config"
            return ""
        if kw == "do":
            saved, self.mode = self.mode, "priv"
            try:
                return self._exec(" ".join(args))
            finally:
                if self.mode == "priv":
                    self.mode = saved
        if kw == "hostname" and args:
            cfg.hostname = args[0]
        elif kw == "username" and len(args) >= 3:
            cfg.users[args[0]] = args[-1]
        elif kw == "enable" and args[:1] == ["secret"] and len(args) >= 2:
            cfg.enable_secret = args[-1]
        elif kw == "vlan" and args and args[0].isdigit():
            cfg.vlans.setdefault(int(args[0]), f"VLAN{int(args[0]):04d}")
            self.mode = f"config-vlan-{args[0]}"
        elif kw == "name" and self.mode.startswith("config-vlan-") and args:
            cfg.vlans[int(self.mode.rsplit("-", 1)[1])] = args[0]
        elif kw == "interface" and args:
            self.mode = f"config-if-{args[0][:2].capitalize()}{''.join(args[1:]) or args[0].lstrip('EeThrnt')}"
        elif kw == "no" and args:
            if args[0] == "username" and len(args) > 1:
                cfg.users.pop(args[1], None)
            elif args[0] == "vlan" and len(args) > 1 and args[1].isdigit():
                cfg.vlans.pop(int(args[1]), None)
            else:
                text = " ".join(args)
                cfg.extra = [x for x in cfg.extra if not x.startswith(text)]
        elif self.mode == "config" and kw not in ("!",):
            cfg.extra.append(line.strip())
        return ""


def boot_text(dev: AristaDevice) -> str:
    """Console output of a boot: Aboot, the kernel, EOS agents, ZTP when there is no startup-config."""
    s = dev.spec
    lines = ["", "", "Aboot 2.1.0-4515468", "", "", "Press Control-C now to enter Aboot shell",
             f"Booting flash:/{s.image}", "Starting new kernel", "", "Welcome to Arista Networks EOS "
             f"{s.version}", "Starting udev:                                             [  OK  ]",
             "Starting EOS initialization stage 1:                      [  OK  ]",
             "Completing EOS initialization:                            [  OK  ]"]
    if dev.ztp:
        lines += ["", "ZeroTouch: %ZTP-6-DHCPv4_QUERY: Sending DHCPv4 request on  [ Ethernet1, Management1 ]",
                  "ZeroTouch: %ZTP-5-CANCEL: ZTP cancel requested by 'zerotouch cancel' or a login"]
    return "\n".join(lines + ["", ""])
