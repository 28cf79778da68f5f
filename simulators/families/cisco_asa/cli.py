"""ASA CLI session for cisco_asa devices: bytes in, ASA-formatted text out (prompts, pager, `ERROR: %` lines)."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

from simulators.families.cisco_asa.device import FACTORY_HOSTNAME, AsaDevice, Config, log_stamp
from simulators.line import LineSession, ParseError, Reply, resolve
from simulators.line import crlf as _crlf

_MORE = "<--- More --->"
_WELCOME = "Type help or '?' for a list of available commands.\n"


def _uptime_text(sec: float) -> str:
    d, rest = divmod(int(sec), 86_400)
    h, rest = divmod(rest, 3_600)
    m, s = divmod(rest, 60)
    if d:
        return f"{d} days {h} hours"
    if h:
        return f"{h} hours {m} mins"
    return f"{m} mins {s} secs"


def _dotted(raw: str) -> str:
    return f"{raw[0:4]}.{raw[4:8]}.{raw[8:12]}"


# ---------------------------------------------------------------- renderers
def show_version(dev: AsaDevice) -> str:
    s = dev.spec
    out = [f"Cisco Adaptive Security Appliance Software Version {s.version}",
           f"Firepower Extensible Operating System Version 2.6(1.{200 + dev.index % 50})",
           f"Device Manager Version {s.asdm}", "",
           "Compiled on Wed 18-Jan-23 09:15 PST by builders", f'System image file is "disk0:/{s.image}"',
           'Config file at boot was "startup-config"', "",
           f"{dev.hostname} up {_uptime_text(dev.uptime())}", "",
           f"Hardware:   {s.pid}, {s.ram_mb} MB RAM, {s.cpu}",
           f"Internal ATA Compact Flash, {s.flash_mb}MB", "BIOS Flash M25P64 @ 0xfed01000, 16384KB", "",
           "Encryption hardware device : Cisco ASA Crypto on-board accelerator (revision 0x1)",
           "                             Number of accelerators: 1", ""]
    for i, p in enumerate(dev.ports, 1):
        out.append(f" {i}: Ext: {p.name:<20}: address is {_dotted(dev.mac(p.if_index))}, irq 255")
    out += ["", "Licensed features for this platform:",
            "Maximum Physical Interfaces       : Unlimited      perpetual",
            "Maximum VLANs                     : 150            perpetual",
            "Inside Hosts                      : Unlimited      perpetual",
            "Failover                          : Active/Active  perpetual",
            "Encryption-DES                    : Enabled        perpetual",
            "Encryption-3DES-AES               : Enabled        perpetual",
            "Security Contexts                 : 2              perpetual",
            "Carrier                           : Disabled       perpetual",
            "AnyConnect Premium Peers          : 4              perpetual",
            "Total VPN Peers                   : 300            perpetual", "",
            f"This platform has an {s.pid} Security Plus license.", "",
            f"Serial Number: {dev.serial}",
            f"Running Permanent Activation Key: {dev.activation_key}",
            f"Configuration register is {dev.config_register}", "",
            "Image type          : Release", "Key Version         : A", "",
            "Configuration has not been modified since last system restart.", ""]
    return "\n".join(out)


def show_inventory(dev: AsaDevice) -> str:
    s = dev.spec
    out = [f'Name: "Chassis", DESCR: "{s.descr}"', f"PID: {s.pid:<18}, VID: V06     , SN: {dev.serial}", ""]
    for i, p in enumerate(dev.psus):
        if p.present and p.pid:
            out += [f'Name: "power supply {i}", DESCR: "ASA 5545-X/5555-X AC Power Supply"',
                    f"PID: {p.pid:<18}, VID: V02     , SN: {p.serial}", ""]
    out += [f'Name: "Storage Device 1", DESCR: "{s.pid[:3]} {s.pid[3:]}-X SSD"',
            f"PID: {s.ssd_pid:<18}, VID: N/A     , SN: {dev.ssd_serial}", ""]
    return "\n".join(out)


def show_environment(dev: AsaDevice) -> str:
    up = dev.uptime()
    out = ["", "Cooling Fans:", "-----------------------------------", "  Chassis Fans:",
           "  --------------------------------"]
    for f in dev.fans:
        state = "OK (Fan Speed Normal)" if f.ok else "Critical (Fan Stopped)"
        out.append(f"    {f.name:<30}: {f.rpm} RPM - {state}")
    redundant = len(dev.psus) > 1 and all(p.ok and p.present for p in dev.psus)
    out += ["", "Power Supplies:", "-----------------------------------",
            f"  Power Supply Unit Redundancy    : {'OK' if redundant else 'N/A'}", ""]
    for i, p in enumerate(dev.psus):
        out.append(f"  {p.slot if dev.spec.psu_pid else f'Power Supply {i + 1}':<32}: "
                   f"{'Present' if p.present else 'Not Present'}")
    out.append("")
    for i, p in enumerate(dev.psus):
        if p.present:
            out.append(f"  {p.slot if dev.spec.psu_pid else f'Power Supply {i + 1}':<32}: "
                       f"{'OK' if p.ok else 'Failure Detected'}")
    out += ["", "Temperature:", "-----------------------------------"]
    groups = (("Processors", [t for t in dev.temps if t.name.startswith("Processor")]),
              ("Chassis", [t for t in dev.temps if not t.name.startswith("Processor")]))
    for title, temps in groups:
        out += [f"  {title}:", "  --------------------------------"]
        for t in temps:
            out.append(f"    {t.name:<30}: {t.value(up):.1f} C - {t.state(up)} ({t.descr})")
    out += ["", "Voltage:", "-----------------------------------",
            "    Channel 1                     :  3.300 V - OK (3.3V Main)",
            "    Channel 2                     :  1.498 V - OK (1.5V)", ""]
    return "\n".join(out)


def _port_block(dev: AsaDevice, p: object) -> list[str]:
    from simulators.families.cisco_asa.device import Port

    assert isinstance(p, Port)
    up, cfg = dev.uptime(), dev.running
    c = p.counters(up)
    nameif, addr = cfg.nameifs.get(p.name, (p.nameif, ""))
    state = "up" if p.up(up) else "down"
    admin = "up" if nameif or p.linked else "administratively down"
    head = f'Interface {p.name} "{nameif}", is {admin if admin != "up" else state}, line protocol is {state}'
    out = [head, "  Hardware is i211, BW 1000 Mbps, DLY 10 usec",
           "\tAuto-Duplex(Full-duplex), Auto-Speed(1000 Mbps)" if state == "up" else "\tAuto-Duplex, Auto-Speed",
           "\tInput flow control is unsupported, output flow control is off",
           f"\tMAC address {_dotted(dev.mac(p.if_index))}, MTU {'1500' if nameif else 'not set'}",
           "\tIP address " + (", subnet mask ".join(addr.split()) if addr else "unassigned"),
           f"\t{c['rx_frames']} packets input, {c['rx_bytes']} bytes, 0 no buffer",
           f"\tReceived {c['rx_bcast']} broadcasts, 0 runts, 0 giants",
           f"\t{c['rx_errors']} input errors, {c['crc']} CRC, 0 frame, 0 overrun, 0 ignored, 0 abort",
           "\t0 pause input, 0 resume input", "\t0 L2 decode drops",
           f"\t{c['tx_frames']} packets output, {c['tx_bytes']} bytes, 0 underruns",
           "\t0 pause output, 0 resume output",
           f"\t{c['tx_errors']} output errors, 0 collisions, {p.resets} interface resets",
           "\t0 late collisions, 0 deferred", "\t0 input reset drops, 0 output reset drops",
           "\tinput queue (blocks free curr/low): hardware (2039/2039)",
           "\toutput queue (blocks free curr/low): hardware (2047/2047)"]
    if nameif:
        out += [f'  Traffic Statistics for "{nameif}":', f"\t{c['rx_frames']} packets input, {c['rx_bytes']} bytes",
                f"\t{c['tx_frames']} packets output, {c['tx_bytes']} bytes", "\t0 packets dropped"]
    return out


def show_interface(dev: AsaDevice, name: str = "") -> str:
    if name:
        p = next((x for x in dev.ports if x.name.lower() == name.lower()
                  or x.name.lower().replace("gigabitethernet", "gi") == name.lower()
                  or x.name.lower().replace("gigabitethernet", "g") == name.lower()), None)
        if p is None:
            return f"ERROR: {name}: No such interface\n"
        return "\n".join(_port_block(dev, p) + [""])
    out: list[str] = []
    for p in dev.ports:
        out += _port_block(dev, p)
    return "\n".join(out + [""])


def show_logging(dev: AsaDevice) -> str:
    out = ["Syslog logging: enabled", "    Facility: 20", "    Timestamp logging: enabled",
           "    Hide Username logging: enabled", "    Standby logging: disabled", "    Debug-trace logging: disabled",
           "    Console logging: disabled", "    Monitor logging: disabled",
           f"    Buffer logging: level informational, {len(dev.logs)} messages logged",
           "    Trap logging: disabled", "    Permit-hostdown logging: disabled",
           "    History logging: disabled", "    Device ID: disabled", "    Mail logging: disabled",
           "    ASDM logging: level informational, 0 messages logged"]
    for e in dev.logs:
        out.append(f"{log_stamp(dev, e.at)}: %ASA-{e.severity}-{e.msg_id}: {e.text}")
    return "\n".join(out + [""])


def show_crashinfo(dev: AsaDevice) -> str:
    if not dev.crashes:
        return ""
    out = []
    for c in dev.crashes:
        out += ["", "------------------ Crashinfo collected on disk0:/crashinfo ------------------", "",
                f"Cisco Adaptive Security Appliance Software Version {dev.spec.version}", "", c, ""]
    return "\n".join(out)


def dir_disk(dev: AsaDevice) -> str:
    out = ["", "Directory of disk0:/", ""]
    for n, (name, f) in enumerate(sorted(dev.disk.items()), 11):
        t = time.gmtime(f.epoch)
        out.append(f"{n:<6} {'drwx' if f.is_dir else '-rwx'}  {f.size:<12} "
                   f"{time.strftime('%H:%M:%S %b %d %Y', t)}  {name}")
    total = dev.spec.flash_mb * 1_000_000
    used = sum(f.size for f in dev.disk.values())
    return "\n".join(out + ["", f"{total} bytes total ({total - used} bytes free)", ""])


def show_crypto_keys(dev: AsaDevice) -> str:
    out = []
    for k in dev.crypto_keys:
        digest = hashlib.sha256(f"{dev.serial}:{k}".encode()).hexdigest()
        out += [f"Key pair was generated at: 10:22:11 UTC {time.strftime('%b %d %Y', time.gmtime(dev.clock()))}",
                f"Key name: {k}", " Usage: General Purpose Key", " Modulus Size (bits): 2048", " Storage: config",
                " Key Data:", "",
                f"  30820122 300d0609 2a864886 f70d0101 01050003 82010f00 {digest[:8]} {digest[8:16]}",
                ""]
    return "\n".join(out)


def _hash(pw: str) -> str:
    return hashlib.sha256(pw.encode()).hexdigest()[:16]


def config_text(dev: AsaDevice, cfg: Config) -> str:
    s = dev.spec
    out = [": Saved", "", ":", f": Serial Number: {dev.serial}", f": Hardware:   {s.pid}, {s.ram_mb} MB RAM, {s.cpu}",
           ":", f"ASA Version {s.version}", "!", f"hostname {cfg.hostname}"]
    if cfg.enable_password is not None:
        out.append(f"enable password {_hash(cfg.enable_password)} pbkdf2")
    out += ["names", "no mac-address auto", ""]
    for p in dev.ports:
        out += ["!", f"interface {p.name}"]
        nameif, addr = cfg.nameifs.get(p.name, (p.nameif, ""))
        if p.name == s.mgmt:
            out += [" management-only", " nameif management", " security-level 100",
                    f" ip address {addr or '192.168.45.1 255.255.255.0'}"]
        elif nameif:
            out += [f" nameif {nameif}", f" security-level {0 if nameif == 'outside' else 100}",
                    f" ip address {addr}"]
        else:
            out += [" shutdown", " no nameif", " no security-level", " no ip address"]
    out += ["!", "ftp mode passive", f"pager lines {cfg.pager}", "logging enable", "logging timestamp",
            "logging buffered informational", "mtu management 1500", "no failover", "icmp unreachable rate-limit 1 "
            "burst-size 1", "no arp permit-nonconnected", "arp rate-limit 16384", "timeout xlate 3:00:00"]
    out += cfg.extra
    out += ["user-identity default-domain LOCAL"]
    if cfg.users:
        out.append("aaa authentication ssh console LOCAL")
    out += ["http server enable", "http 192.168.45.0 255.255.255.0 management", "no snmp-server location",
            "no snmp-server contact"]
    if cfg.snmp:
        out.append("snmp-server community *****")
    if cfg.ssh:
        out += ["ssh stricthostkeycheck", "ssh 0.0.0.0 0.0.0.0 management", "ssh timeout 5",
                "ssh key-exchange group dh-group14-sha256"]
    out += ["console timeout 0", "threat-detection basic-threat", "dynamic-access-policy-record DfltAccessPolicy"]
    for user, pw in cfg.users.items():
        out.append(f"username {user} password {_hash(pw)} pbkdf2 privilege 15")
    out += ["!", "class-map inspection_default", " match default-inspection-traffic", "!", "prompt hostname context",
            "no call-home reporting anonymous",
            f"Cryptochecksum:{hashlib.md5(repr(cfg).encode()).hexdigest()}", ": end", ""]
    return "\n".join(out)


def show_curpriv(session: AsaSession) -> str:
    priv = session.mode != "exec"
    user = "enable_15" if priv else (session.username or "enable_1")
    return (f"Username : {user}\nCurrent privilege level : {15 if priv else 1}\n"
            f"Current Mode/s : {'P_PRIV' if priv else 'P_UNPR'}\n")


_SHOW: dict[tuple[str, ...], Callable[[AsaDevice], str]] = {
    ("version",): show_version, ("inventory",): show_inventory, ("environment",): show_environment,
    ("interface",): show_interface, ("logging",): show_logging, ("crashinfo",): show_crashinfo,
    ("crypto", "key", "mypubkey", "rsa"): show_crypto_keys,
    ("running-config",): lambda d: config_text(d, d.running),
    ("startup-config",): lambda d: config_text(d, d.startup) if d.startup else "",
    ("clock",): lambda d: time.strftime("%H:%M:%S.000 UTC %a %b %d %Y", time.gmtime(d.clock())) + "\n",
}
_EXEC: list[tuple[str, ...]] = [
    *(("show", *k) for k in _SHOW), ("show", "interface", "<rest>"), ("show", "curpriv"),
    ("enable",), ("disable",), ("exit",), ("logout",), ("quit",), ("login",),
    ("terminal", "pager", "<rest>"), ("terminal", "width", "<rest>"), ("dir",), ("dir", "<rest>"),
    ("write", "memory"), ("write", "erase"), ("copy", "running-config", "startup-config"),
    ("delete", "<rest>"), ("reload",), ("reload", "noconfirm"), ("configure", "terminal"),
    ("crypto", "key", "zeroize", "<rest>"),
]
_UNPRIV = {"enable", "exit", "logout", "quit", "login", "show"}
_UNPRIV_SHOW = {"version", "inventory", "curpriv", "clock"}


def _exec_word(word: str) -> bool:
    """An exec command's first word (`show`, `write`, `reload`, ...), abbreviated or not."""
    return len(word) >= 2 and any(w.startswith(word.lower()) for w in ("show", "write", "reload", "dir", "copy",
                                                                       "delete"))


class AsaSession(LineSession):
    """One ASA CLI line. SSH logs in with the configured user; the console (no `aaa authentication serial
    console`) goes straight to the prompt. Long answers stop at the pager until a key is pressed."""

    secret_states = frozenset({"password", "enable_password"})
    mode_marks = {"exec": ">", "priv": "#"}
    config_mark = "#"

    def __init__(self, device: AsaDevice, *, console: bool) -> None:
        super().__init__(device, console=console, state="cli")
        self.dev: AsaDevice = device
        self.mode = "exec"
        self.pager: int | None = None  # `terminal pager N` for this session; None: the configuration's
        self._held: list[str] = []  # lines the pager holds back

    def banner(self) -> str:
        return _crlf(_WELCOME + "\n") + self.prompt

    def _rebooted(self) -> Reply:
        self.mode, self.state, self._buf, self._pending, self._held = "exec", "cli", "", None, []
        return Reply(_crlf(boot_text(self.dev) + _WELCOME + "\n") + self.prompt)

    # ---------- the pager
    def _intercept(self, ch: str) -> str | None:
        if self.state != "more":
            return None
        wipe = "\r" + " " * len(_MORE) + "\r"
        if ch in "qQ\x03":
            self._held, self.state = [], "cli"
            return wipe + self.prompt
        if ch == "\n" and self._after_cr:
            return ""
        return wipe + self._page(1 if ch in "\r\n" else None)

    def _page(self, lines: int | None) -> str:
        size = self.pager if self.pager is not None else self.dev.running.pager
        n = lines or max(1, size - 1)
        shown, self._held = self._held[:n], self._held[n:]
        text = _crlf("\n".join(shown) + "\n")
        if self._held:
            self.state = "more"
            return text + _MORE
        self.state = "cli"
        return text + self.prompt

    def _paged(self, text: str) -> tuple[str, bool]:
        size = self.pager if self.pager is not None else self.dev.running.pager
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        if size <= 0 or len(lines) < size:
            return _crlf("\n" + text) + self.prompt, False
        self._held = lines
        return "\r\n" + self._page(None), False

    # ---------- lines
    def _line(self, line: str) -> tuple[str, bool]:
        if self.state == "enable_password":
            self.state = "cli"
            if self.dev.check_enable(line):
                self.mode = "priv"
                return "\r\n" + self.prompt, False
            return _crlf("\nInvalid password\n") + self.prompt, False
        if self.state == "pending" and self._pending is not None:
            return self._answer(line)
        if not line.strip():
            return "\r\n" + self.prompt, False
        if self._ssh_dropped():
            return "", True
        text = self._config(line) if self.mode.startswith("config") else self._exec(line)
        if self.state == "closed":
            return _crlf("\n" + text), True
        if self.state == "rebooting":
            self.generation = self.dev.generation
            return _crlf("\n" + text) + self._rebooted().text, False
        if self.state in ("pending", "enable_password"):
            return _crlf("\n" + text), False
        return self._paged(text)

    def _error(self, line: str, err: ParseError) -> str:
        if err.kind == "incomplete":
            return "ERROR: % Incomplete command\n"
        if err.kind == "ambiguous":
            return f'ERROR: % Ambiguous command:  "{line.strip()}"\n'
        return " " * (len(self.prompt) + err.pos) + "^\nERROR: % Invalid input detected at '^' marker.\n"

    def _exec(self, line: str) -> str:
        try:
            w, rest = resolve(line, _EXEC)
        except ParseError as err:
            return self._error(line, err)
        d = self.dev
        if self.mode == "exec" and (w[0] not in _UNPRIV or w[0] == "show" and w[1] not in _UNPRIV_SHOW):
            return self._error(line, ParseError("invalid", line.index(line.split()[0 if w[0] != "show" else 1])))
        if w[:2] == ("show", "curpriv"):
            return show_curpriv(self)
        if w[:2] == ("show", "interface") and rest:
            return show_interface(d, rest.split()[0])
        if w[0] == "show":
            return _SHOW[w[1:]](d)
        if w == ("enable",):
            if self.mode == "exec":
                self.state = "enable_password"
                return "Password: "
            return ""
        if w == ("disable",):
            self.mode = "exec"
            return ""
        if w[0] in ("exit", "logout", "quit"):
            if self.console:
                self.mode = "exec"
                return "\nLogoff\n\n" + _WELCOME
            self.state = "closed"
            return "\nLogoff\n"
        if w == ("login",):
            return ""
        if w[:2] == ("terminal", "pager"):
            try:
                self.pager = int(rest.split()[-1])
            except (ValueError, IndexError):
                return self._error(line, ParseError("incomplete"))
            return ""
        if w[0] == "terminal":
            return ""
        if w[0] == "dir":
            return dir_disk(d)
        if w in (("write", "memory"), ("copy", "running-config", "startup-config")):
            d.write_memory()
            return (f"Building configuration...\nCryptochecksum: {hashlib.md5(repr(d.running).encode()).hexdigest()}"
                    "\n\n4216 bytes copied in 0.210 secs\n[OK]\n")
        if w == ("write", "erase"):
            return self._ask("Erase configuration in flash memory? [confirm]", self._erase)
        if w[0] == "delete":
            return self._delete(rest)
        if w[0] == "crypto":
            return self._zeroize(rest)
        if w == ("reload", "noconfirm"):
            return self._reload("")
        if w == ("reload",):
            if d.startup is None or d.running != d.startup:
                return self._ask("System config has been modified. Save? [Y]es/[N]o: ", self._reload_save)
            return self._ask("Proceed with reload? [confirm]", self._reload)
        if w[0] == "configure":
            self.mode = "config"
            return ""
        return self._error(line, ParseError("invalid"))

    def _erase(self, answer: str) -> str:
        if answer.strip().lower() not in ("", "y", "yes"):
            return "\n"
        self.dev.write_erase()
        return "\n[OK]\n"

    def _delete(self, rest: str) -> str:
        words = rest.split()
        quiet = "/noconfirm" in words
        target = next((x for x in words if not x.startswith("/") or ":" in x), "")
        name = target.split(":", 1)[-1].strip("/")
        f = self.dev.disk.get(name)
        if f is None:
            return f"\n%Error deleting disk0:/{name} (No such file or directory)\n"
        if f.is_dir:
            return f"\n%Error deleting disk0:/{name} (Is a directory)\n"
        del self.dev.disk[name]
        return "" if quiet else f"\nDelete disk0:/{name}? [confirm]\n"

    def _zeroize(self, rest: str) -> str:
        kind = (rest.split() or [""])[0].lower()
        if kind not in ("rsa", "ecdsa", "eddsa"):
            return "ERROR: % Incomplete command\n"
        if kind == "rsa":
            self.dev.crypto_keys.clear()
        return "" if "noconfirm" in rest else "WARNING: All RSA keys will be removed.\n"

    def _reload_save(self, answer: str) -> str:
        a = answer.strip().lower()
        if a in ("y", "yes"):
            self.dev.write_memory()
            return "Cryptochecksum: ok\n" + self._ask("Proceed with reload? [confirm]", self._reload)
        return self._ask("Proceed with reload? [confirm]", self._reload)

    def _reload(self, answer: str) -> str:
        if answer.strip().lower() not in ("", "y", "yes"):
            return "\n"
        self.dev.reload("reload command")
        self.dev.crypto_keys = self.dev.crypto_keys or ["<Default-RSA-Key>"]  # regenerated at boot
        self.state = "rebooting" if self.console else "closed"
        return "\n\n***\n*** --- START GRACEFUL SHUTDOWN ---\n***\n*** Message to all terminals:\n***\n" \
               "***   reload command\nShutting down isakmp\nShutting down webvpn\nShutting down File system\n\n" \
               "***\n*** --- SHUTDOWN NOW ---\n***\n"

    # ---------- configuration mode
    def _config(self, line: str) -> str:
        words = line.split()
        kw, args = words[0].lower(), words[1:]
        cfg = self.dev.running
        if kw == "end" or kw == "exit" and self.mode == "config":
            self.mode = "priv"
            return ""
        if kw == "exit":
            self.mode = "config"
            return ""
        # The ASA runs exec commands in configuration mode as they are (`crypto key` is exec, `crypto map` not).
        if kw == "do" or _exec_word(kw) or kw.startswith("cry") and args[:1] == ["key"]:
            saved, self.mode = self.mode, "priv"
            try:
                return self._exec(" ".join(args if kw == "do" else words))
            finally:
                if self.mode == "priv":
                    self.mode = saved
        if kw == "configure" and args[:1] and "factory-default".startswith(args[0].lower()):
            self.dev.factory_default()
            return ("WARNING: The boot system configuration will be cleared.\nThe first image found in disk0:/ will "
                    "be used to boot the\nsystem on the next reload.\nVerify there is a valid image on disk0:/ or "
                    "the system will\nnot boot.\n\nBegin to apply factory-default configuration:\n"
                    "Clear all configuration\n"
                    f"Executing command: interface {self.dev.spec.mgmt.lower()}\n"
                    "Executing command: nameif management\nINFO: Security level for \"management\" set to 0 by "
                    "default.\nExecuting command: ip address 192.168.45.1 255.255.255.0\n"
                    "Executing command: security-level 100\nExecuting command: no shutdown\nExecuting command: exit\n"
                    "Executing command: http server enable\n"
                    "Executing command: http 192.168.45.0 255.255.255.0 management\n"
                    "Factory-default configuration is completed\n")
        if kw == "terminal":
            return ""
        if kw == "hostname" and args:
            cfg.hostname = args[0]
        elif kw == "username" and len(args) >= 3 and args[1] == "password":
            cfg.users[args[0]] = args[2]
        elif kw == "enable" and args[:1] == ["password"] and len(args) >= 2:
            cfg.enable_password = args[1]
        elif kw == "pager" and args[:1] == ["lines"] and len(args) > 1 and args[1].isdigit():
            cfg.pager = int(args[1])
        elif kw == "interface" and args:
            self.mode = "config-if"
        elif kw == "no" and args:
            if args[0] == "username" and len(args) > 1:
                cfg.users.pop(args[1], None)
            else:
                text = " ".join(args)
                cfg.extra = [x for x in cfg.extra if not x.startswith(text)]
        elif self.mode == "config":
            cfg.extra.append(line.strip())
        return ""


def boot_text(dev: AsaDevice) -> str:
    """Console output of an ASA 5500-X boot: ROMMON's BREAK window, the boot loader, the image, the banner."""
    s = dev.spec
    lines = ["", "", "Rom image verified correctly", "", "Cisco Systems ROMMON, Version 1.1.15, RELEASE SOFTWARE",
             "Copyright (c) 1994-2019  by Cisco Systems, Inc.", "", f"Platform {s.pid} with {s.ram_mb} Mbytes of main "
             "memory", f"MAC Address: {_dotted(dev.mac())}", "", "Use BREAK or ESC to interrupt boot.",
             "Use SPACE to begin boot immediately.", "Boot in 10 seconds.", "",
             "Located '.boot_string' @ cluster 1607965.", "", f"Attempt autoboot: \"boot disk0:/{s.image}\"",
             "Launching BootLoader...",
             "Boot configuration file contains 1 entry.", "", f"Loading disk0:/{s.image}... Booting...",
             "Platform " + s.pid, "", "Cisco Adaptive Security Appliance Software Version " + s.version, "",
             "Total NICs found: 14", "Verify the activation-key, it might take a while...",
             f"Running Permanent Activation Key: {dev.activation_key}", "",
             "Cisco Adaptive Security Appliance Software Version " + s.version, "",
             "  ****************************** Warning *******************************",
             "  This product contains cryptographic features and is subject to United",
             "  States and local country laws governing, import, export, transfer, and",
             "  use. Delivery of Cisco cryptographic products does not imply",
             "  third-party authority to import, export, distribute, or use encryption.",
             "  ****************************** Warning *******************************", "",
             "Copyright (c) 1996-2023 by Cisco Systems, Inc.", ""]
    if dev.startup is None:
        lines += ["INFO: Startup configuration is empty: the unit boots with no configuration.", ""]
    lines.append(f"Cryptochecksum (unchanged): {hashlib.md5(dev.serial.encode()).hexdigest()[:8]}")
    lines += ["", f"{FACTORY_HOSTNAME if dev.startup is None else dev.hostname} up 0 secs", ""]
    return "\n".join(lines)
