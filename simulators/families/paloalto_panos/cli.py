"""PAN-OS CLI session for paloalto_panos devices: bytes in, PAN-OS-formatted text out.

Operational mode `admin@PA-850> `, configuration mode `admin@PA-850# ` under an `[edit]` line;
"Unknown command: <word>" for a word PAN-OS does not know and "Invalid syntax." for an incomplete one.
"""

from __future__ import annotations

import hashlib
import math
import time

from simulators.families.paloalto_panos.device import OPTICS, Config, PanosDevice, log_time
from simulators.line import LineSession, ParseError, Reply, resolve
from simulators.line import crlf as _crlf

_RULE = "-" * 79


def _uptime(sec: float) -> str:
    d, rest = divmod(int(sec), 86_400)
    h, rest = divmod(rest, 3_600)
    m, s = divmod(rest, 60)
    return f"{d} days, {h}:{m:02d}:{s:02d}"


def _mac(raw: str) -> str:
    return ":".join(raw[i:i + 2] for i in range(0, 12, 2))


def show_system_info(dev: PanosDevice) -> str:
    s = dev.spec
    t = time.strftime("%a %b %d %H:%M:%S %Y", time.gmtime(dev.clock()))
    return "\n".join([
        "", f"hostname: {dev.hostname}", "ip-address: 192.168.1.1", "public-ip-address: unknown",
        "netmask: 255.255.255.0", "default-gateway: ", "ip-assignment: static", "ipv6-address: unknown",
        "ipv6-link-local-address: fe80::" + _mac(dev.mac())[6:].replace(":", "") + "/64",
        f"mac-address: {_mac(dev.mac())}", f"time: {t}", f"uptime: {_uptime(dev.uptime())}",
        f"family: {s.family}", f"model: {s.pid}", f"serial: {dev.serial}", f"sw-version: {s.version}",
        "global-protect-client-package-version: 0.0.0", "device-dictionary-version: 51-367",
        "app-version: 8744-8373", "app-release-date: 2023/08/29 16:02:43 PDT", "av-version: 0",
        "threat-version: 0", "wildfire-version: 0", "url-filtering-version: 20231201.20240",
        "global-protect-datafile-version: unknown", "logdb-version: 10.1.2", "platform-family: " + s.family,
        "vpn-disable-mode: off", "multi-vsys: off", "operational-mode: normal", "device-certificate-status: None",
        "",
    ])


def show_environmentals(dev: PanosDevice) -> str:
    up = dev.uptime()
    out = [_RULE, "Thermal", _RULE, "Slot   Description                              Alarm  Degrees C  Min C  Max C"]
    for t in dev.temps:
        v = t.value(up)
        out.append(f"1      {t.name:<40} {str(v >= t.max_c):<6} {v:<10.1f} {5.0:<6} {t.max_c:.1f}")
    out += ["", _RULE, "Fans", _RULE, "Slot   Description                              Alarm  RPMs       Min RPM"]
    for f in dev.fans:
        out.append(f"{f.slot}      {f'Fan #{f.number} RPM (Slot {f.slot})':<40} {str(not f.ok):<6} {f.rpm:<10} "
                   f"{f.min_rpm}")
    out += ["", _RULE, "Power", _RULE, "Slot   Description                              Alarm  Volts      Min V  Max V",
            f"1      {'Power: 1.0V (Slot 1)':<40} False  1.01       0.9    1.1",
            f"1      {'Power: 3.3V (Slot 1)':<40} False  3.31       2.97   3.63", "",
            _RULE, "Power Supplies", _RULE, "Slot   Description                              Alarm  Inserted"]
    for p in dev.psus:
        out.append(f"1      {f'Power Supply #{p.number} ({p.side})':<40} {str(not p.ok):<6} True")
    return "\n".join(out + [""])


def show_interface_hardware(dev: PanosDevice) -> str:
    up = dev.uptime()
    out = [f"total configured hardware interfaces: {len(dev.ports)}", "",
           "name                    id    speed/duplex/state        mac address", "-" * 80]
    for p in dev.ports:
        if p.up(up):
            state = f"{1000 if p.kind == 'copper' else 10000}/full/up"
        else:
            state = "ukn/ukn/down(autoneg)"
        out.append(f"{p.name:<23} {p.if_index:<5} {state:<25} {_mac(dev.mac(p.if_index))}")
    return "\n".join(out + ["", "aggregation groups: 0", ""])


def show_interface(dev: PanosDevice, name: str) -> str:
    p = next((x for x in dev.ports if x.name == name.lower()), None)
    if p is None:
        return "Invalid syntax.\n"
    up = dev.uptime()
    c = p.counters(up)
    state = "up" if p.up(up) else "down"
    return "\n".join([
        _RULE, f"Name: {p.name}, ID: {p.if_index}",
        f"Link speed:{1000 if state == 'up' else 'ukn'}, Link duplex:{'full' if state == 'up' else 'ukn'}",
        f"Link state:{state}", "MAC address:", f"  Port MAC address {_mac(dev.mac(p.if_index))}", _RULE,
        "Hardware interface counters read from MAC:", _RULE,
        f"rx-broadcast                  {c['rx_frames'] // 100}", f"rx-bytes                      {c['rx_bytes']}",
        f"rx-multicast                  {c['rx_frames'] // 50}", f"rx-unicast                    {c['rx_frames']}",
        f"rx-crc-errors                 {c['crc']}", "rx-runts                      0",
        "rx-giants                     0",
        f"tx-broadcast                  {c['tx_frames'] // 100}", f"tx-bytes                      {c['tx_bytes']}",
        f"tx-multicast                  {c['tx_frames'] // 50}", f"tx-unicast                    {c['tx_frames']}",
        _RULE, "Logical interface counters read from CPU:", _RULE,
        f"bytes received                {c['rx_bytes']}", f"bytes transmitted             {c['tx_bytes']}",
        f"packets received              {c['rx_frames']}", f"packets transmitted           {c['tx_frames']}",
        f"receive errors                {c['rx_errors']}", "packets dropped               0",
        f"transmit errors               {c['tx_errors']}",
        "", _RULE, "",
    ])


def show_log_system(dev: PanosDevice) -> str:
    out = ["Time                Severity Subtype Object EventID        ID Description", "=" * 79]
    for e in reversed(dev.logs):
        out.append(f"{log_time(dev, e.at)} {e.severity:<8} {e.subtype:<7} {'':<6} {e.event:<14} 0  {e.text}")
    return "\n".join(out + ["", ""])


def show_system_files(dev: PanosDevice) -> str:
    out = ["/opt/dpfs/var/cores/:", "total 4.0K", "drwxrwxrwx 2 root root 4.0K Nov 16 09:12 crashinfo", "",
           "/opt/dpfs/var/cores/crashinfo:", "total 0", "", "/var/cores/:",
           f"total {4 + sum(s for _, s in dev.cores) // 1024}K",
           "drwxrwxrwx 2 root root 4.0K Nov 16 09:12 crashinfo"]
    for name, size in dev.cores:
        out.append(f"-rw-rw-rw- 1 root root {size} Dec  1 03:14 {name}")
    return "\n".join(out + ["", "/var/cores/crashinfo:", "total 0", ""])


def _dom_line(label: str, value: float, limits: tuple[float, float, float, float]) -> str:
    return f"  {label:<19}: {value:.2f} / " + " / ".join(f"{x:.2f}" for x in limits)


def show_transceivers(dev: PanosDevice) -> str:
    out: list[str] = []
    for p in dev.ports:
        if not p.optic:
            continue
        descr, wave = OPTICS[p.optic]
        seed = int(hashlib.md5(p.optic_serial.encode()).hexdigest()[:6], 16)
        drift = math.sin(dev.uptime() / 600.0)
        rx = -21.0 if p.dom_alarm else -3.0 - (seed % 30) / 10
        out += [p.name, "  Vendor name        : PAN", f"  Part number        : {p.optic}",
                f"  Serial number      : {p.optic_serial}", f"  Transceiver type   : {descr}",
                f"  Wavelength (nm)    : {wave}",
                "  Diagnostics        : current / low alarm / low warning / high warning / high alarm",
                _dom_line("Temperature (C)", 31.0 + seed % 9 + drift, (-5.0, 0.0, 70.0, 75.0)),
                _dom_line("Voltage (V)", 3.28 + (seed % 30) / 1000, (2.97, 3.13, 3.46, 3.63)),
                _dom_line("Tx bias (mA)", 6.0 + (seed % 40) / 10, (2.0, 3.0, 12.0, 15.0)),
                _dom_line("Tx power (dBm)", -2.5 + (seed % 10) / 10, (-9.5, -8.5, -1.0, 0.0)),
                _dom_line("Rx power (dBm)", rx, (-13.9, -11.9, -1.0, 0.0)), ""]
    return "\n".join(out) if out else "No transceivers present.\n"


def _phash(pw: str) -> str:
    return "$5$" + hashlib.sha256(pw.encode()).hexdigest()[:40]


def config_set_lines(dev: PanosDevice, cfg: Config) -> list[str]:
    out = []
    for user, pw in cfg.users.items():
        out += [f"set mgt-config users {user} phash {_phash(pw)}",
                f"set mgt-config users {user} permissions role-based superuser yes"]
    out += ["set deviceconfig system type dhcp-client send-hostname yes",
            "set deviceconfig system type dhcp-client send-client-id no",
            "set deviceconfig system type dhcp-client accept-dhcp-hostname no",
            "set deviceconfig system type dhcp-client accept-dhcp-domain no",
            f"set deviceconfig system hostname {cfg.hostname}",
            "set deviceconfig system update-server updates.paloaltonetworks.com",
            "set deviceconfig system update-schedule statistics-service application-reports yes",
            "set deviceconfig setting config rematch yes",
            "set deviceconfig setting management hostname-type-in-syslog FQDN"]
    if cfg.dns:
        out.append(f"set deviceconfig system dns-setting servers primary {cfg.dns}")
    return out + cfg.extra


def show_config(dev: PanosDevice, cfg: Config | None, fmt: str) -> str:
    if cfg is None:
        return "Invalid syntax.\n"
    lines = config_set_lines(dev, cfg)
    if fmt == "set":
        return "\n".join(lines + [""])
    out = ["config {"]  # the default brace format, flattened one statement per block as PAN-OS nests them
    for line in lines:
        words = line.split()[1:]
        out.append("  " + " { ".join(words[:-1]) + f" {{ {words[-1]}; " + "}" * (len(words) - 1))
    return "\n".join(out + ["}", ""])


_SHOW = {
    ("system", "info"): show_system_info, ("system", "environmentals"): show_environmentals,
    ("interface", "hardware"): show_interface_hardware, ("interface", "all"): show_interface_hardware,
    ("log", "system"): show_log_system, ("system", "files"): show_system_files,
    ("transceiver-detail", "all"): show_transceivers,
    ("clock",): lambda d: time.strftime("%a %b %d %H:%M:%S UTC %Y", time.gmtime(d.clock())) + "\n",
}
_OP: list[tuple[str, ...]] = [
    *(("show", *k) for k in _SHOW), ("show", "log", "system", "<rest>"), ("show", "interface", "<rest>"),
    ("show", "config", "running"), ("show", "config", "saved", "<rest>"), ("show", "config", "candidate"),
    ("set", "cli", "scripting-mode", "<rest>"), ("set", "cli", "terminal", "width", "<rest>"),
    ("set", "cli", "terminal", "height", "<rest>"), ("set", "cli", "pager", "<rest>"),
    ("set", "cli", "config-output-format", "<rest>"),
    ("request", "system", "private-data-reset"), ("request", "system", "private-data-reset", "<rest>"),
    ("request", "restart", "system"), ("configure",), ("exit",), ("quit",),
]


class PanosSession(LineSession):
    """One PAN-OS line. SSH arrives logged in (keyboard-interactive); the console asks `login:` first."""

    secret_states = frozenset({"password"})
    mode_marks = {"op": "> ", "config": "# "}

    def __init__(self, device: PanosDevice, *, console: bool) -> None:
        super().__init__(device, console=console, state="login" if console else "cli")
        self.dev: PanosDevice = device
        self.mode = "op"
        self.username = None if console else "admin"
        self.out_format = "default"
        self._login_user = ""

    @property
    def prompt(self) -> str:
        return f"{self.username or 'admin'}@{self.dev.hostname}{self.mode_marks[self.mode]}"

    def _login_prompt(self) -> str:
        return f"\n{self.dev.hostname} login: "

    def banner(self) -> str:
        if self.state == "login":
            return _crlf(self._login_prompt())
        return _crlf("Last login: never\n\nNumber of failed attempts since last successful login: 0\n\n\n") \
            + self.prompt

    def _rebooted(self) -> Reply:
        self.mode, self.state, self._buf, self._pending, self.username = "op", "login", "", None, None
        return Reply(_crlf(boot_text(self.dev) + self._login_prompt()))

    def _ctrl_c(self) -> str:
        self._buf = ""
        return "\r\n" + self.prompt

    def _line(self, line: str) -> tuple[str, bool]:
        if self.state == "login":
            if not line.strip():
                return _crlf(self._login_prompt()), False
            self._login_user, self.state = line.strip(), "password"
            return "\r\nPassword: ", False
        if self.state == "password":
            if self.dev.check_login(self._login_user, line):
                self.username, self.state, self.mode = self._login_user, "cli", "op"
                return "\r\n" + self.banner(), False
            self.state = "login"
            return _crlf("\nLogin incorrect\n" + self._login_prompt()), False
        if self.state == "pending" and self._pending is not None:
            return self._answer(line)
        if not line.strip():
            return "\r\n" + self.prompt, False
        if self._ssh_dropped():
            return "", True
        text = self._config(line) if self.mode == "config" else self._op(line)
        if self.state == "closed":
            return _crlf("\n" + text), True
        if self.state == "rebooting":
            self.generation = self.dev.generation
            return _crlf("\n" + text) + self._rebooted().text, False
        if self.state == "pending":
            return _crlf("\n" + text), False
        return _crlf("\n" + text + "\n") + self.prompt, False

    def _op(self, line: str) -> str:
        try:
            w, rest = resolve(line, _OP)
        except ParseError as err:
            if err.kind == "invalid":
                word = line[err.pos:].split()[0] if line[err.pos:].split() else line.strip()
                return f"Unknown command: {word}\n"
            return "Invalid syntax.\n"
        d = self.dev
        if w[0] == "show":
            if w[1:3] == ("config", "running") or w[1:3] == ("config", "candidate"):
                return show_config(d, d.running, self.out_format)
            if w[1:3] == ("config", "saved"):
                return show_config(d, d.saved if rest.strip() == "running-config.xml" else None, self.out_format)
            if w[1] == "interface" and rest:
                word = rest.split()[0].lower()
                if word in ("hardware", "all"):
                    return show_interface_hardware(d)
                return show_interface(d, word)
            return _SHOW[w[1:3] if w[1:3] in _SHOW else w[1:2]](d)
        if w[:2] == ("set", "cli"):
            if w[2] == "scripting-mode":
                return f"Scripting mode {'enabled' if 'on' in rest else 'disabled'}"  # netmiko waits for "mode on"
            if w[2] == "config-output-format":
                self.out_format = rest.strip() or "default"
            return ""
        if w[:3] == ("request", "system", "private-data-reset"):
            return self._ask("Executing this command will remove all logs and configuration, and will reboot the "
                             "device. Do you want to continue? (y or n) ", self._reset)
        if w == ("request", "restart", "system"):
            return self._ask("Executing this command will disconnect the current session. Do you want to "
                             "continue? (y or n) ", self._restart_answer)
        if w == ("configure",):
            self.mode = "config"
            return "Entering configuration mode\n[edit]"
        if w[0] in ("exit", "quit"):
            if self.console:
                self.state, self.username = "login", None
                return self._login_prompt()
            self.state = "closed"
            return ""
        return "Invalid syntax.\n"

    def _reset(self, answer: str) -> str:
        if answer.strip().lower() not in ("y", "yes"):
            return ""
        self.dev.private_data_reset()
        self.state = "rebooting" if self.console else "closed"
        return ("\nPrivate data reset initiated.\n\nBroadcast message from root (pts/0):\n\n"
                "The system is going down NOW!\n")

    def _restart_answer(self, answer: str) -> str:
        if answer.strip().lower() not in ("y", "yes"):
            return ""
        self.dev.reload("requested by admin")
        self.state = "rebooting" if self.console else "closed"
        return "\nBroadcast message from root (pts/0):\n\nThe system is going down for reboot NOW!\n"

    def _config(self, line: str) -> str:
        words = line.split()
        kw = words[0].lower()
        cfg = self.dev.running
        if kw in ("exit", "quit"):
            self.mode = "op"
            return "Exiting configuration mode"
        if kw == "commit":
            self.dev.commit()
            return "Commit job 2 is in progress. Use Ctrl+C to return to command prompt\n....55%75%98%.......100%\n" \
                   "Configuration committed successfully\n\n[edit]"
        if kw == "show":
            return "\n".join(config_set_lines(self.dev, cfg)) + "\n[edit]"
        if kw == "set" and len(words) > 3:
            if words[1:4] == ["deviceconfig", "system", "hostname"] and len(words) > 4:
                cfg.hostname = words[4]
            elif words[1:3] == ["mgt-config", "users"] and len(words) > 5 and words[4] == "password":
                cfg.users[words[3]] = words[5]
            else:
                cfg.extra.append(line.strip())
            return "\n[edit]"
        return f"Unknown command: {words[0]}\n[edit]"


def boot_text(dev: PanosDevice) -> str:
    """Console output of a PAN-OS boot: the boot loader (maintenance-mode entry), the kernel, the login."""
    s = dev.spec
    return "\n".join([
        "", "", "Palo Alto Networks Bootloader", f"Platform: {s.pid}", "", "Booting from primary partition...",
        "    Entry 0: PANOS (maint-sysroot0)", "    Entry 1: PANOS (sysroot0)", "",
        "Type \"maint\" within 5 seconds to enter maintenance mode (factory reset, disk scrub, revert).", "",
        f"Booting PAN-OS {s.version} ...", "INIT: version 2.88 booting", "Starting udev: [  OK  ]",
        "Setting hostname localhost.localdomain: [  OK  ]", "Checking filesystems",
        "Mounting local filesystems: [  OK  ]",
        "Starting PAN Software: [  OK  ]", "INIT: Entering runlevel: 3", "",
    ])
