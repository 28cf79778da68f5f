"""RouterOS CLI session for mikrotik_routeros devices: bytes in, RouterOS-formatted text out.

RouterOS is a tree of menus (`/system resource`, `/interface ethernet`) with commands at each
(`print`, `monitor`, `set`); a word may be shortened while it stays unique. It refuses what it does
not know with "bad command name X (line 1 column N)" or "syntax error (line 1 column N)", asks
"[y/N]" questions that take one key, and has no pager on a dumb terminal (netmiko logs in as
`admin+ct511w4098h`).
"""

from __future__ import annotations

import hashlib
import math
import struct
import time
from collections.abc import Callable

from simulators.families.mikrotik_routeros.device import (
    BUILD_TIME,
    OPTICS,
    VERSION,
    Port,
    RouterOsDevice,
    health,
)
from simulators.line import LineSession, Reply
from simulators.line import crlf as _crlf

_LOGO = """

  MMM      MMM       KKK                          TTTTTTTTTTT      KKK
  MMMM    MMMM       KKK                          TTTTTTTTTTT      KKK
  MMM MMMM MMM  III  KKK  KKK  RRRRRR     OOOOOO      TTT     III  KKK  KKK
  MMM  MM  MMM  III  KKKKK     RRR  RRR  OOO  OOO     TTT     III  KKKKK
  MMM      MMM  III  KKK KKK   RRRRRR    OOO  OOO     TTT     III  KKK KKK
  MMM      MMM  III  KKK  KKK  RRR  RRR   OOOOOO      TTT     III  KKK  KKK

  MikroTik RouterOS {version} (c) 1999-2023       https://www.mikrotik.com/

Press F1 for help

"""
_EPOCH = 1_765_000_000  # the clock the unit keeps (set by NTP before it reached the bench)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _uptime(sec: float) -> str:
    """RouterOS durations: 6w5d11h55m45s, 1d6h22m, 4m12s."""
    s = int(sec)
    parts = [(s // 604_800, "w"), (s % 604_800 // 86_400, "d"), (s % 86_400 // 3_600, "h"),
             (s % 3_600 // 60, "m"), (s % 60, "s")]
    text = "".join(f"{n}{u}" for n, u in parts if n)
    return text or "0s"


def _stamp(epoch: float, year: bool = True) -> str:
    t = time.gmtime(epoch)
    day = f"{_MONTHS[t.tm_mon - 1]}/{t.tm_mday:02d}" + (f"/{t.tm_year}" if year else "")
    return f"{day} {t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d}"


def _spaced(n: int) -> str:
    """RouterOS groups digits by three with spaces: 41 476 235 869."""
    return f"{n:,}".replace(",", " ")


def _kv(rows: list[tuple[str, str]]) -> str:
    """A `print` of one item: keys right-aligned on the colon."""
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"  {k:>{width}}: {v}" for k, v in rows) + "\n"


def _mib(n: float) -> str:
    return f"{n:.1f}MiB"


# ---------------------------------------------------------------- renderers
def system_resource(dev: RouterOsDevice) -> str:
    s, up = dev.spec, dev.uptime()
    rows = [("uptime", _uptime(up)), ("version", f"{VERSION} (stable)"), ("build-time", BUILD_TIME),
            ("factory-software", s.factory_software), ("free-memory", _mib(s.memory_mib * 0.82 - int(up) % 7)),
            ("total-memory", _mib(s.memory_mib)), ("cpu", s.cpu), ("cpu-count", str(s.cpu_count))]
    if s.arch != "arm64":  # the CCR2004 prints no cpu-frequency
        rows.append(("cpu-frequency", f"{s.cpu_mhz}MHz"))
    rows += [("cpu-load", f"{1 + int(up) % 4}%"), ("free-hdd-space", _mib(s.hdd_mib * 0.78)),
             ("total-hdd-space", _mib(s.hdd_mib)), ("write-sect-since-reboot", str(1_970 + int(up) // 60)),
             ("write-sect-total", str(77_652 + dev.index * 131)), ("bad-blocks", "0%"),
             ("architecture-name", s.arch), ("board-name", s.board_name), ("platform", "MikroTik")]
    return _kv(rows)


def system_routerboard(dev: RouterOsDevice) -> str:
    s = dev.spec
    return _kv([("routerboard", "yes"), ("model", s.pid), ("revision", dev.revision),
                ("serial-number", dev.serial), ("firmware-type", s.firmware_type),
                ("factory-firmware", s.factory_software), ("current-firmware", VERSION),
                ("upgrade-firmware", VERSION)])


def system_health(dev: RouterOsDevice) -> str:
    rows = health(dev)
    w = max(len(n) for n, _, _ in rows)
    out = ["Columns: NAME, VALUE, TYPE", f"#  {'NAME':<{w}}  VALUE  TYPE"]
    out += [f"{i:<2} {n:<{w}}  {v:<5}  {u}".rstrip() for i, (n, v, u) in enumerate(rows)]
    return "\n".join(out) + "\n"


def system_health_settings(dev: RouterOsDevice) -> str:
    rows = [("cpu-overtemp-check", "yes"), ("cpu-overtemp-threshold", f"{dev.spec.overtemp_threshold}C"),
            ("cpu-overtemp-startup-delay", "1m")]
    if dev.fans:
        rows += [("fan-full-speed-temperature", "65C"), ("fan-target-temperature", "58C"),
                 ("fan-min-speed-percent", "0%"), ("fan-control-interval", "30s")]
    return _kv(rows)


def interface_ethernet_print(dev: RouterOsDevice) -> str:
    up = dev.uptime()
    out = ["Flags: R - RUNNING; S - SLAVE", "Columns: NAME, MTU, MAC-ADDRESS, ARP, SWITCH",
           " #    NAME             MTU  MAC-ADDRESS        ARP      SWITCH"]
    for i, p in enumerate(dev.ports):
        flag = "R" if p.up(up) else " "
        mac = ":".join(dev.mac(p.if_index)[j:j + 2] for j in range(0, 12, 2))
        out.append(f"{i:>2} {flag}   {p.name:<16} 1500  {mac}  enabled  switch1")
    return "\n".join(out) + "\n"


def ethernet_stats(dev: RouterOsDevice, port: Port) -> str:
    c = port.counters(dev.uptime())
    return _kv([("name", port.name), ("rx-broadcast", _spaced(c["rx_broadcast"])),
                ("rx-pause", "0"), ("rx-multicast", _spaced(c["rx_broadcast"] // 3)),
                ("rx-fcs-error", _spaced(c["rx_fcs_error"])), ("rx-align-error", _spaced(c["rx_align_error"])),
                ("rx-fragment", "0"), ("rx-overflow", "0"), ("rx-too-short", _spaced(c["rx_too_short"])),
                ("rx-too-long", _spaced(c["rx_too_long"])), ("rx-jabber", "0"),
                ("rx-bytes", _spaced(c["rx_bytes"])), ("rx-packet", _spaced(c["rx_packets"])),
                ("tx-broadcast", _spaced(c["tx_broadcast"])), ("tx-pause", "0"),
                ("tx-bytes", _spaced(c["tx_bytes"])), ("tx-packet", _spaced(c["tx_packets"])),
                ("tx-drop", _spaced(c["tx_drop"])), ("tx-collision", "0"),
                ("tx-late-collision", "0"), ("tx-excessive-collision", "0")])


# DOM limits the modules' EEPROM (page A2h) carries: (high alarm, low alarm, high warning, low warning).
_LIMITS = {"temp": (100.0, -40.0, 95.0, -35.0), "volt": (3.6, 2.8, 3.5, 2.9), "bias": (15.0, 0.5, 12.0, 1.0),
           "tx": (1.2589, 0.1258, 1.0, 0.1584), "rx": (1.2589, 0.0316, 1.0, 0.0398)}


def dom(p: Port, uptime: float) -> tuple[float, float, float, float, float]:
    """(temperature C, voltage V, bias mA, tx dBm, rx dBm) of the module in `p`."""
    seed = int(hashlib.md5(p.optic_serial.encode()).hexdigest()[:6], 16)
    drift = math.sin(uptime / 600.0)
    rx = -23.5 if p.dom_alarm else -1.2 - (seed % 300) / 100
    return (31.0 + seed % 9 + drift, 3.25 + (seed % 30) / 1000, 6.0 + (seed % 40) / 10,
            -2.8 + (seed % 150) / 100, rx)


def _eeprom(p: Port) -> bytes:
    """The module's EEPROM as RouterOS dumps it: page A0h's first 128 bytes, then A2h's (the DOM limits)."""
    o = OPTICS[p.optic or ""]
    a0 = bytearray(128)
    a0[0:3] = b"\x03\x04\x07"
    a0[20:36] = o.vendor.ljust(16).encode()
    a0[40:56] = o.pid.ljust(16).encode()
    a0[56:60] = b"A   "
    a0[60:62] = o.wavelength.to_bytes(2, "big")
    a0[68:84] = p.optic_serial.ljust(16).encode()
    a0[84:92] = b"211207  "
    a2 = bytearray(128)
    scale = {"temp": 256, "volt": 10_000, "bias": 500, "tx": 10_000, "rx": 10_000}
    for i, key in enumerate(("temp", "volt", "bias", "tx", "rx")):
        for j, limit in enumerate(_LIMITS[key]):
            raw = int(round(limit * scale[key]))
            a2[i * 8 + j * 2:i * 8 + j * 2 + 2] = struct.pack(">h" if key == "temp" else ">H", raw)
    return bytes(a0 + a2)


def _dump(data: bytes) -> list[str]:
    lines = []
    for off in range(0, len(data), 16):
        row = data[off:off + 16]
        hexes = " ".join(f"{b:02x}" for b in row[:8]) + "  " + " ".join(f"{b:02x}" for b in row[8:])
        text = "".join(chr(b) if 32 <= b < 127 else "." for b in row)
        lines.append(f"{off:04x}: {hexes}  {text[:8]} {text[8:]}")
    return lines


def ethernet_monitor(dev: RouterOsDevice, p: Port) -> str:
    up = dev.uptime()
    linked = p.up(up)
    rows = [("name", p.name), ("status", "link-ok" if linked else "no-link"), ("auto-negotiation", "done")]
    if linked:
        rows += [("rate", p.rate_text()), ("full-duplex", "yes"), ("tx-flow-control", "no"),
                 ("rx-flow-control", "no")]
    if p.kind == "copper":
        rows += [("advertising", "10M-baseT-half,10M-baseT-full,100M-baseT-half,100M-baseT-full,"
                                 "1G-baseT-half,1G-baseT-full"),
                 ("link-partner-advertising", "10M-baseT-full,100M-baseT-full,1G-baseT-full" if linked else "")]
        return _kv(rows)
    rows += [("advertising", ""), ("link-partner-advertising", "")]
    if not p.optic:
        return _kv(rows + [("sfp-module-present", "no")])
    o = OPTICS[p.optic]
    t, v, bias, tx, rx = dom(p, up)
    reach_key, reach = o.reach.split(": ")
    rows += [("sfp-module-present", "yes"), ("sfp-rx-loss", "no"), ("sfp-tx-fault", "no"),
             ("sfp-type", "SFP-or-SFP+"), ("sfp-connector-type", "LC"), (reach_key, reach),
             ("sfp-vendor-name", o.vendor), ("sfp-vendor-part-number", o.pid), ("sfp-vendor-revision", "A"),
             ("sfp-vendor-serial", p.optic_serial), ("sfp-manufacturing-date", "21-12-07"),
             ("sfp-wavelength", f"{o.wavelength}nm"), ("sfp-temperature", f"{t:.0f}C"),
             ("sfp-supply-voltage", f"{v:.3f}V"), ("sfp-tx-bias-current", f"{bias:.0f}mA"),
             ("sfp-tx-power", f"{tx:.3f}dBm"), ("sfp-rx-power", f"{rx:.3f}dBm"), ("eeprom-checksum", "good")]
    text = _kv(rows)
    width = max(len(k) for k, _ in rows)
    dump = _dump(_eeprom(p))
    pad = " " * (width + 4)
    return text + f"  {'eeprom':>{width}}: {dump[0]}\n" + "".join(f"{pad}{ln}\n" for ln in dump[1:])


def poe_print(dev: RouterOsDevice) -> str:
    ports = [p for p in dev.ports if p.poe]
    out = ["Columns: NAME, POE-OUT, POE-PRIORITY, POE-LLDP-ENABLED, POWER-CYCLE-PING-ENABLED, POWER-CYCLE-INTERVAL",
           " # NAME      POE-OUT  POE-PRIORITY  POE-LLDP-ENABLED  POWER-CYCLE-PING-ENABLED  POWER-CYCLE-INTERVAL"]
    out += [f"{i:>2} {p.name:<9} auto-on  10            no                no                        none"
            for i, p in enumerate(ports)]
    return "\n".join(out) + "\n"


def poe_monitor(dev: RouterOsDevice, p: Port) -> str:
    powered = p.linked and not p.dead and not p.poe_fault
    status = "short-circuit" if p.poe_fault else "powered-on" if powered else "waiting-for-load"
    rows = [("name", p.name), ("poe-out", "auto-on"), ("poe-out-status", status)]
    if powered:
        watts = 3.1 + p.if_index % 5
        rows += [("poe-out-voltage", "53.4V"), ("poe-out-current", f"{int(watts / 53.4 * 1000)}mA"),
                 ("poe-out-power", f"{watts:.1f}W")]
    return _kv(rows)


def log_detail(dev: RouterOsDevice) -> str:
    base = _EPOCH + dev.index * 7_919 - dev.uptime()
    out = []
    for e in sorted(dev.logs, key=lambda x: x.at):
        out.append(f' time={_stamp(base + e.at, year=False)} topics={e.topics} message="{e.text}"')
        out.append("")
    return "\n".join(out) + "\n"


def file_print(dev: RouterOsDevice) -> str:
    files = [("skins", "directory", 0), ("pub", "directory", 0)]
    files += [(name, "backup" if name.endswith(".backup") else ".rif file" if name.endswith(".rif")
               else ".rsc file", size) for name, size in sorted(dev.files.items())]
    out = ["Columns: NAME, TYPE, SIZE, CREATION-TIME", " #  NAME                                 TYPE       "
           "SIZE       CREATION-TIME"]
    for i, (name, kind, size) in enumerate(files):
        size_text = f"{size / 1024:.1f}KiB" if size else ""
        out.append(f"{i:>2}  {name:<36} {kind:<10} {size_text:<10} {_stamp(_EPOCH - 86_400 * (i + 3))}")
    return "\n".join(out) + "\n"


def user_print(dev: RouterOsDevice) -> str:
    out = ["Columns: NAME, GROUP, LAST-LOGGED-IN", "# NAME   GROUP  LAST-LOGGED-IN"]
    out += [f"{i} {name:<6} full   {_stamp(_EPOCH - 3_600 * (i + 1))}" for i, name in enumerate(dev.users)]
    return "\n".join(out) + "\n"


def export(dev: RouterOsDevice) -> str:
    s = dev.spec
    t = time.gmtime(_EPOCH)
    head = [f"# {t.tm_year}-{t.tm_mon:02d}-{t.tm_mday:02d} {t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} "
            f"by RouterOS {VERSION}", f"# software id = {dev.software_id}", "#",
            f"# model = {s.pid}", f"# serial number = {dev.serial}"]
    return "\n".join(head + dev.config.lines) + "\n"


# ---------------------------------------------------------------- parsing
# Menu paths and the commands each offers; a command word may be shortened while it stays unique.
_MENUS: dict[tuple[str, ...], tuple[str, ...]] = {
    (): ("export", "quit"),
    ("system",): ("reboot", "reset-configuration", "shutdown"),
    ("system", "resource"): ("print",),
    ("system", "routerboard"): ("print",),
    ("system", "identity"): ("print", "set"),
    ("system", "health"): ("print",),
    ("system", "health", "settings"): ("print",),
    ("system", "clock"): ("print",),
    ("interface",): ("print",),
    ("interface", "ethernet"): ("print", "monitor"),
    ("interface", "ethernet", "poe"): ("print", "monitor"),
    ("log",): ("print",),
    ("file",): ("print", "remove"),
    ("user",): ("print", "set", "remove"),
}


class CommandError(Exception):
    """What RouterOS prints for a line it cannot run."""


def _column(line: str, word: str) -> int:
    return line.find(word) + 1


_NO_POE = {path: cmds for path, cmds in _MENUS.items() if "poe" not in path}  # a board without PoE out


def parse(line: str, menus: dict[tuple[str, ...], tuple[str, ...]] = _MENUS) -> tuple[tuple[str, ...], str, list[str]]:
    """(menu path, command, arguments) of one typed line; CommandError says what RouterOS would."""
    words = line.strip().lstrip("/").split()
    path: tuple[str, ...] = ()
    for i, word in enumerate(words):
        w = word.lower()
        subs = sorted({m[len(path)] for m in menus if len(m) > len(path) and m[:len(path)] == path})
        cmds = menus.get(path, ())
        choices = [x for x in (*subs, *cmds) if x.startswith(w)]
        exact = [x for x in choices if x == w]
        pick = exact or choices
        if not pick:
            raise CommandError(f"bad command name {word} (line 1 column {_column(line, word)})")
        if len(pick) > 1:
            raise CommandError(f"ambiguous value of command name {word}, more than one possible value matches "
                               f"(line 1 column {_column(line, word)})")
        if pick[0] in subs:
            path = (*path, pick[0])
            continue
        return path, pick[0], words[i + 1:]
    raise CommandError("syntax error (line 1 column 1)" if not path else
                       f"expected end of command (line 1 column {len(line.rstrip()) + 1})")


def _args(args: list[str]) -> tuple[dict[str, str], list[str]]:
    named: dict[str, str] = {}
    bare: list[str] = []
    for a in args:
        k, eq, v = a.partition("=")
        if eq:
            named[k.lower()] = v.strip('"')
        else:
            bare.append(a)
    return named, bare


class RouterOsSession(LineSession):
    """One CLI line. SSH: the logo, then `[admin@MikroTik] > `. Console: `MikroTik Login:` first."""

    mode_marks = {"exec": " > "}

    def __init__(self, device: RouterOsDevice, *, console: bool, username: str | None = None) -> None:
        super().__init__(device, console=console, username=username, state="login" if console else "cli")
        self.dev: RouterOsDevice = device
        self._login_user = ""

    @property
    def prompt(self) -> str:
        user = (self.username or "admin").split("+", 1)[0]
        return f"[{user}@{self.dev.hostname}] > "

    def banner(self) -> str:
        if self.state == "login":
            return _crlf(f"\n\n{self.dev.hostname} Login: ")
        return _crlf(_LOGO.format(version=VERSION)) + self.prompt

    def _rebooted(self) -> Reply:
        self.state, self._buf, self._pending = "login", "", None
        return Reply(_crlf(boot_text(self.dev)) + self.banner())

    def _intercept(self, ch: str) -> str | None:
        """A [y/N] question takes one key, without Enter."""
        if self.state != "pending" or self._pending is None or ch in "\r\n":
            return None
        text, close = self._answer(ch)
        if close:
            self.state = "closed"
        return text

    def feed(self, data: str) -> Reply:
        reply = super().feed(data)
        if self.state == "closed":
            reply.close = True
        return reply

    def _line(self, line: str) -> tuple[str, bool]:
        if self.state == "closed":  # the Enter after a one-key answer that ended the session
            return "", True
        if self.state == "login":
            if not line.strip():
                return _crlf(f"\n{self.dev.hostname} Login: "), False
            self._login_user, self.state = line.strip(), "password"
            return "\r\nPassword: ", False
        if self.state == "password":
            if self.dev.check_login(self._login_user, line):
                self.username, self.state = self._login_user, "cli"
                return _crlf(_LOGO.format(version=VERSION)) + self.prompt, False
            self.state = "login"
            return _crlf(f"\n\nLogin failed, incorrect username or password\n\n{self.dev.hostname} Login: "), False
        if not line.strip():
            return "\r\n" + self.prompt, False
        if self._ssh_dropped():
            return "", True  # ssh_drop: the link dies mid-session
        try:
            text = self._run(line)
        except CommandError as err:
            text = f"{err}\n"
        if self.state == "closed":
            return _crlf("\n" + text), True
        if self.state == "pending":
            return _crlf("\n" + text), False
        return _crlf("\n" + text) + self.prompt, False

    def _run(self, line: str) -> str:
        path, cmd, args = parse(line, _MENUS if self.dev.spec.poe else _NO_POE)
        named, bare = _args(args)
        d = self.dev
        if cmd == "quit":
            if self.console:
                self.state = "login"
                return f"interrupted\n\n{d.hostname} Login: "
            self.state = "closed"
            return "interrupted\n"
        if cmd == "export":
            return export(d)
        if cmd == "reboot":
            return self._ask("Reboot, yes? [y/N]: ", self._reboot)
        if cmd == "reset-configuration":
            keep = named.get("keep-users", "no") == "yes"
            return self._ask("Dangerous! Reset anyway? [y/N]: ", lambda key: self._reset(key, keep))
        if cmd == "shutdown":
            raise CommandError("not permitted on the bench (line 1 column 8)")
        renders: dict[tuple[str, ...], Callable[[RouterOsDevice], str]] = {
            ("system", "resource"): system_resource, ("system", "routerboard"): system_routerboard,
            ("system", "health"): system_health, ("system", "health", "settings"): system_health_settings,
            ("system", "identity"): lambda x: _kv([("name", x.hostname)]),
            ("system", "clock"): lambda x: _kv([("time", _stamp(_EPOCH)[12:]), ("date", _stamp(_EPOCH)[:11]),
                                               ("time-zone-name", "UTC")]),
            ("log",): log_detail, ("file",): file_print, ("user",): user_print,
            ("interface",): interface_ethernet_print, ("interface", "ethernet", "poe"): poe_print,
        }
        if cmd == "print" and path == ("interface", "ethernet"):
            if "stats" in [b.lower() for b in bare]:
                port = self._port(named.get("name", ""), line)
                return ethernet_stats(d, port)
            return interface_ethernet_print(d)
        if cmd == "print" and path in renders:
            return renders[path](d)
        if cmd == "monitor":
            if not bare or bare[-1] != "once":
                raise CommandError("monitor needs `once` on the bench (line 1 column 1)")
            port = self._port(bare[0], line)
            if path[-1] == "poe":
                if not port.poe:
                    raise CommandError(f"no such item (line 1 column {_column(line, bare[0])})")
                return poe_monitor(d, port)
            return ethernet_monitor(d, port)
        if cmd == "set" and path == ("system", "identity") and "name" in named:
            d.config.identity = named["name"]
            d.config.lines = [ln for ln in d.config.lines if not ln.startswith("set name=")]
            return ""
        if cmd == "set" and path == ("user",) and bare and "password" in named:
            if bare[0] not in d.users:
                raise CommandError(f"no such item (line 1 column {_column(line, bare[0])})")
            d.users[bare[0]] = named["password"]
            return ""
        if cmd == "remove" and path == ("file",):
            for name in bare:
                d.files.pop(name.strip('"'), None)
            return ""
        if cmd == "remove" and path == ("user",):
            for name in bare:
                if name != "admin":
                    d.users.pop(name, None)
            return ""
        raise CommandError(f"expected end of command (line 1 column {len(line.rstrip()) + 1})")

    def _port(self, name: str, line: str) -> Port:
        port = next((p for p in self.dev.ports if p.name == name), None)
        if port is None:
            raise CommandError(f"no such item (line 1 column {max(1, _column(line, name))})")
        return port

    def _reboot(self, key: str) -> str:
        if key.lower() != "y":
            return "\n"
        self.dev.reboot_reason = "router rebooted by user"
        self.dev.reload()
        self.state = "rebooting" if self.console else "closed"
        return "y\nsystem will reboot shortly\n"

    def _reset(self, key: str, keep_users: bool) -> str:
        if key.lower() != "y":
            return "\n"
        self.dev.reset_configuration(keep_users)
        self.state = "rebooting" if self.console else "closed"
        return "y\nsystem configuration will be reset\n"


def boot_text(dev: RouterOsDevice) -> str:
    """Console output of a RouterBOOT start up to RouterOS's login."""
    s = dev.spec
    return "\n".join([
        "", "", f"RouterBOOT booter {VERSION}", "", s.pid, "",
        f"CPU frequency: {s.cpu_mhz} MHz", f"  Memory size: {s.memory_mib} MiB", f"    NAND size: {s.hdd_mib} MiB",
        "", "Press Ctrl+E to enter etherboot mode", "Press any key within 2 seconds to enter setup",
        "loading kernel... OK", "setting up elf image... OK", "jumping to kernel code", "",
        f"MikroTik {VERSION} (stable)", "",
    ])
