"""Transport-independent NX-OS CLI session: input in, NX-OS-formatted text out.

Shaped after real Nexus outputs (ntc-templates' fixtures): the SSH banner and `switch#` prompt, the
`% Invalid command at '^' marker.` refusal with its caret line, `(y/n)?  [n]` questions, and the show
commands the bench reads, each parsed by ntc-templates' cisco_nxos templates where one exists.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from simulators.families.cisco_nxos.device import DOM_THRESHOLDS, OPTICS, Config, NxosDevice, Port
from simulators.line import LineSession, ParseError, Reply, resolve
from simulators.line import crlf as _crlf

BANNER = ("Cisco Nexus Operating System (NX-OS) Software\nTAC support: http://www.cisco.com/tac\n"
          "Copyright (C) 2002-2022, Cisco and/or its affiliates.\nAll rights reserved.\n"
          "The copyrights to certain works contained in this software are\n"
          "owned by other third parties and used and distributed under their own\n"
          "licenses, such as open source.  This software is provided \"as is,\" and unless\n"
          "otherwise stated, there is no warranty, express or implied, including but not\n"
          "limited to warranties of merchantability and fitness for a particular purpose.\n")


def _uptime(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 86400} day(s), {s % 86400 // 3600} hour(s), {s % 3600 // 60} minute(s), {s % 60} second(s)"


def _mac(b: bytes) -> str:
    h = b.hex()
    return f"{h[0:4]}.{h[4:8]}.{h[8:12]}"


def show_version(dev: NxosDevice) -> str:
    s = dev.spec
    boot = time.strftime("%a %b %d %H:%M:%S %Y", time.gmtime(dev.clock() - dev.uptime()))
    if s.pid.startswith(("N5K", "N7K")):
        kick = s.image.replace("uk9.", "uk9-kickstart.").replace("s2-dk9.", "s2-kickstart.")
        software = ["Software", f"  BIOS:      version {s.bios}", "  loader:    version N/A",
                    f"  kickstart: version {s.version}", f"  system:    version {s.version}",
                    "  BIOS compile time:       05/09/2017", f"  kickstart image file is: bootflash:///{kick}",
                    "  kickstart compile time:  6/12/2021 8:00:00 [06/12/2021 16:49:40]",
                    f"  system image file is:    bootflash:///{s.image}",
                    "  system compile time:     6/12/2021 8:00:00 [06/12/2021 18:20:02]"]
    else:
        software = ["Software", f"  BIOS: version {s.bios}", f"  NXOS: version {s.version}",
                    "  BIOS compile time:  05/17/2019", f"  NXOS image file is: bootflash:///{s.image}",
                    "  NXOS compile time:  5/20/2022 1:00:00 [05/20/2022 11:04:58]"]
    return "\n".join([
        *BANNER.splitlines(), "", *software, "", "", "Hardware", f"  {s.chassis}",
        f"  {s.cpu} with {s.memory_kb} kB of memory.", f"  Processor Board ID {dev.serial}", "",
        f"  Device name: {dev.hostname}", "  bootflash:   53298520 kB",
        f"Kernel uptime is {_uptime(dev.uptime())}", "", f"Last reset at 412330 usecs after {boot}", "",
        f"  Reason: {dev.reload_reason}", f"  System version: {s.version}", "  Service: ", "", "plugin",
        "  Core Plugin, Ethernet Plugin", "", "Active Package(s):", "", ""])


def show_inventory(dev: NxosDevice) -> str:
    s = dev.spec
    out: list[str] = []

    def item(name: str, descr: str, pid: str, vid: str, sn: str) -> None:
        out.extend([f'NAME: "{name}",  DESCR: "{descr}"', f"PID: {pid:<18},  VID: {vid} ,  SN: {sn}", ""])

    item("Chassis", s.inv_descr, s.pid, "V02", dev.serial)
    if s.linecards:
        for slot, sn in sorted(dev.module_serials.items()):
            lc = next((c for c in s.linecards if c.slot == slot), None)
            item(f"Slot {slot}", lc.descr if lc else "Supervisor Module-2", lc.pid if lc else s.sup, "V01", sn)
    else:
        item("Slot 1", f"{s.ports}x{'1GE' if s.port_kind == 'copper' else '10/25G'} Ethernet Module", s.pid, "V02",
             dev.serial)
    for p in dev.psus:
        item(f"Power Supply {p.slot}", f"{s.inv_descr} Power Supply", p.pid, "V01", p.serial)
    for f in dev.fans:
        item(f"Fan {f.number}", f"{s.inv_descr} Fan Module", f.pid, "V01", f.serial)
    for p in dev.ports:
        if p.optic:
            item(p.name, f"CISCO-FINISAR {OPTICS[p.optic][0]}", p.optic, "V02", p.optic_serial)
    return "\n".join(out) + "\n"


def show_module(dev: NxosDevice) -> str:
    s = dev.spec
    rows: list[tuple[int, int, str, str, str, str]] = []  # slot, ports, type, model, status, serial
    if s.linecards:
        rows.append((5, 0, "Supervisor Module-2", s.sup, "active *", dev.module_serials[5]))
        rows += [(lc.slot, lc.ports, lc.descr, lc.pid, "ok", dev.module_serials[lc.slot]) for lc in s.linecards]
        rows.sort()
    else:
        rows.append((1, s.ports + s.uplinks, f"{s.ports}x{'1GE' if s.port_kind == 'copper' else '10/25G'} "
                     "Ethernet Module", s.pid, "active *", dev.serial))
    out = ["Mod  Ports  Module-Type                         Model              Status",
           "---  -----  ----------------------------------- ------------------ ----------"]
    out += [f"{m:<4} {n:<6} {t:<35} {pid:<18} {st}" for m, n, t, pid, st, _ in rows]
    out += ["", "Mod  Sw               Hw      Slot", "---  ---------------  ------  ----"]
    out += [f"{m:<4} {s.version:<16} 1.0     NA" for m, *_ in rows]
    out += ["", "Mod  MAC-Address(es)                         Serial-Num",
            "---  --------------------------------------  ----------"]
    for m, *_, sn in rows:
        out.append(f"{m:<4} {_mac(dev.mac).replace('.', '-')} to {_mac(dev.mac_of(127)).replace('.', '-')}  {sn}")
    out += ["", "Mod  Online Diag Status", "---  ------------------"]
    out += [f"{m:<4} Pass" for m, *_ in rows]
    return "\n".join(out + ["", "* this terminal session", ""])


def show_environment(dev: NxosDevice) -> str:
    s = dev.spec
    up = dev.uptime()
    working = [p for p in dev.psus if p.ok]
    draw = 180 + 10 * len(dev.ports) // 8
    out = ["Power Supply:", "Voltage: 12 Volts",
           "Power                             Actual      Actual        Total",
           "Supply    Model                   Output      Input      Capacity    Status",
           "                                (Watts )    (Watts )     (Watts )",
           "-------  -------------------  ----------  ----------  ----------  --------------"]
    for p in dev.psus:
        w = draw // max(1, len(working)) if p.ok else 0
        out.append(f"{p.slot:<8} {p.pid:<19} {w:>8} W {w + 4 if p.ok else 0:>9} W {p.watts:>9} W     "
                   f"{'Ok' if p.ok else 'Fail/Shutdown'}")
    out += ["", "", "Power Usage Summary:", "--------------------",
            "Power Supply redundancy mode (configured)                PS-Redundant",
            f"Power Supply redundancy mode (operational)               "
            f"{'PS-Redundant' if len(working) == len(dev.psus) else 'Non-Redundant'}", "",
            f"Total Power Capacity (based on configured mode)             {s.psu_watts:.2f} W",
            f"Total Power Output (actual draw)                            {draw:.2f} W", "",
            "Fan:", "---------------------------------------------------------------------------",
            "Fan             Model                Hw     Direction       Status",
            "---------------------------------------------------------------------------"]
    for f in dev.fans:
        out.append(f"{f'Fan{f.number}(sys_fan{f.number})':<15} {f.pid:<20} --     front-to-back   "
                   f"{'Ok' if f.ok else 'Failure'}")
    for p in dev.psus:
        out.append(f"{f'Fan_in_PS{p.slot}':<15} {'--':<20} --     front-to-back   {'Ok' if p.ok else 'None'}")
    out += [f"Fan Zone Speed: Zone 1: 0x{0x80 if all(f.ok for f in dev.fans) else 0xff:02x}",
            "Fan Air Filter : NotSupported", "", "",
            "Temperature:", "-" * 68,
            "Module   Sensor        MajorThresh   MinorThres   CurTemp     Status",
            "                       (Celsius)     (Celsius)    (Celsius)", "-" * 68]
    for t in dev.temps:
        v = t.value(up)
        st = "Major" if v >= t.major else "Minor" if v >= t.minor else "Ok"
        out.append(f"{t.module:<8} {t.name:<13} {t.major:>5} {t.minor:>14} {v:>13}         {st}")
    return "\n".join(out) + "\n\n"


def _status(dev: NxosDevice, p: Port) -> tuple[str, str, str, str]:
    kind = OPTICS[p.optic][0] if p.optic else ("10/100/1000BaseT" if p.kind == "copper" else "--")
    if dev.linked(p):
        sp = p.speed_mbps
        return "connected", "full", (f"{sp // 1000}G" if sp >= 10_000 else str(sp)), kind
    if p.kind != "copper" and not p.optic:
        return "xcvrAbsen", "auto", "auto", kind
    return "notconnec", "auto", "auto", kind


def show_interface_status(dev: NxosDevice) -> str:
    out = ["", "-" * 80, "Port          Name               Status    Vlan      Duplex  Speed   Type", "-" * 80,
           "mgmt0         --                 connected routed    full    1000    --"]
    for p in dev.ports:
        st, dup, sp, kind = _status(dev, p)
        out.append(f"{p.short:<13} {'--':<18} {st:<9} {'1':<9} {dup:<7} {sp:<7} {kind}")
    return "\n".join(out) + "\n"


def show_interface(dev: NxosDevice) -> str:
    out: list[str] = []
    up_s = dev.uptime()
    for n, p in enumerate(dev.ports, 1):
        up = dev.linked(p)
        c = dev.counters(p)
        mac = _mac(dev.mac_of(n))
        absent = p.kind != "copper" and not p.optic
        reason = "" if up else (" (SFP not inserted)" if absent else " (Link not connected)")
        media = {"copper": "1G", "sfp": "10G", "qsfp": "100G"}[p.kind]
        hw = {"copper": "100/1000 Ethernet", "sfp": "1000/10000 Ethernet", "qsfp": "40000/100000 Ethernet"}[p.kind]
        flaps = dev.link_changes(p)
        last = int(up_s % 7) if p.flap else int(up_s - 48)
        out += [f"{p.name} is {'up' if up else 'down'}{reason}", "admin state is up, Dedicated Interface",
                f"  Hardware: {hw}, address: {mac} (bia {mac})",
                f"  MTU 1500 bytes, BW {p.speed_mbps * 1000} Kbit, DLY 10 usec",
                "  reliability 255/255, txload 1/255, rxload 1/255", "  Encapsulation ARPA, medium is broadcast",
                "  Port mode is access",
                f"  {'full-duplex' if up else 'auto-duplex'}, {f'{p.speed_mbps // 1000} Gb/s' if up else 'auto-speed'}"
                f", media type is {media}", "  Beacon is turned off", "  Auto-Negotiation is turned on",
                "  Input flow-control is off, output flow-control is off", "  Auto-mdix is turned off",
                "  Switchport monitor is off", "  EtherType is 0x8100", "  EEE (efficient-ethernet) : n/a",
                f"  Last link flapped {max(0, last) // 3600:02d}:{max(0, last) % 3600 // 60:02d}:"
                f"{max(0, last) % 60:02d}" if flaps else "  Last link flapped never",
                "  Last clearing of \"show interface\" counters never", f"  {flaps} interface resets",
                "  30 seconds input rate 0 bits/sec, 0 packets/sec",
                "  30 seconds output rate 0 bits/sec, 0 packets/sec", "  Load-Interval #2: 5 minute (300 seconds)",
                "    input rate 0 bps, 0 pps; output rate 0 bps, 0 pps", "  RX",
                f"    {c['in_pkts']} unicast packets  0 multicast packets  0 broadcast packets",
                f"    {c['in_pkts']} input packets  {c['in_octets']} bytes",
                "    0 jumbo packets  0 storm suppression packets",
                "    0 runts  0 giants  " + f"{c['crc']} CRC  0 no buffer",
                f"    {c['in_errors']} input error  0 short frame  0 overrun   0 underrun  0 ignored",
                "    0 watchdog  0 bad etype drop  0 bad proto drop  0 if down drop",
                "    0 input with dribble  0 input discard", "    0 Rx pause", "  TX",
                f"    {c['out_pkts']} unicast packets  0 multicast packets  0 broadcast packets",
                f"    {c['out_pkts']} output packets  {c['out_octets']} bytes", "    0 jumbo packets",
                f"    {c['out_errors']} output error  0 collision  0 deferred  0 late collision",
                "    0 lost carrier  0 no carrier  0 babble  0 output discard", "    0 Tx pause", ""]
    return "\n".join(out) + "\n"


def show_transceiver_details(dev: NxosDevice) -> str:
    out: list[str] = []
    for p in dev.ports:
        if p.kind == "copper":
            continue
        out.append(p.name)
        if not p.optic:
            out += ["    transceiver is not present", ""]
            continue
        kind = OPTICS[p.optic][0]
        out += ["    transceiver is present", f"    type is {kind}", "    name is CISCO-FINISAR   ",
                "    part number is FTLX8571D3BCL-C2", "    revision is A   ", f"    serial number is {p.optic_serial}",
                "    nominal bitrate is 10300 MBit/sec", "    cisco id is 3", "    cisco extended id number is 4",
                f"    cisco product id is {p.optic}", "    cisco vendor id is V03 ", "",
                "           SFP Detail Diagnostics Information (internal calibration)",
                "  " + "-" * 76,
                "                Current              Alarms                  Warnings",
                "                Measurement     High        Low         High          Low",
                "  " + "-" * 76]
        values = dev.dom(p)
        for (label, unit), value, (ha, la, hw, lw) in zip(
                (("Temperature", "C"), ("Voltage", "V"), ("Current", "mA"), ("Tx Power", "dBm"),
                 ("Rx Power", "dBm")), values, DOM_THRESHOLDS, strict=True):
            mark = "--" if value <= la else "++" if value >= ha else "-" if value <= lw else "+" if value >= hw else ""
            cur = f"{value:.2f} {unit}"
            out.append(f"  {label:<12} {cur:>10} {mark:<3} {ha:>7.2f} {unit:<4} {la:>7.2f} {unit:<4} "
                       f"{hw:>7.2f} {unit:<4} {lw:>7.2f} {unit}")
        out += ["  Transmit Fault Count = 0", "  " + "-" * 76,
                "  Note: ++  high-alarm; +  high-warning; --  low-alarm; -  low-warning", ""]
    return "\n".join(out) + "\n"


def show_logging(dev: NxosDevice) -> str:
    base = dev.clock() - dev.uptime()
    lines = []
    for e in sorted(dev.syslog, key=lambda e: e.at):
        stamp = time.strftime("%Y %b %d %H:%M:%S", time.gmtime(base + e.at))
        lines.append(f"{stamp} {dev.hostname} {e.text}")
    return "\n".join(lines) + "\n"


def show_cores(dev: NxosDevice) -> str:
    out = ["VDC  Module  Instance  Process-name     PID       Date(Year-Month-Day Time)",
           "---  ------  --------  ---------------  --------  -------------------------"]
    stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(dev.clock() - dev.uptime() + 60))
    out += [f"1    {m:<7} 1         {proc:<16} {pid:<9} {stamp}" for m, proc, pid in dev.cores]
    return "\n".join(out) + "\n"


def show_diagnostic(dev: NxosDevice) -> str:
    """GOLD's boot-up diagnostics: what the unit ran at its last boot, per module."""
    tests = ("TestUSBFlash", "TestSPROM", "TestFabricPort", "TestPCIe", "TestLED", "TestOBFL", "TestNVRAM",
             "TestPowerSupply", "TestTemperatureSensor", "TestFan", "TestVoltage")
    out = ["Current bootup diagnostic level: complete", "Test results: (. = Pass, F = Fail, I = Incomplete,",
           "U = Untested, A = Abort, E = Error disabled)", "", "Module 1: " + dev.spec.chassis.removeprefix("cisco "),
           "", "\tDiagnostic level at card bootup: complete", ""]
    for i, t in enumerate(tests, 1):
        state = "."
        if t == "TestFan" and not all(f.ok for f in dev.fans):
            state = "F"
        elif t == "TestPowerSupply" and not all(p.ok for p in dev.psus):
            state = "F"
        out.append(f"\t{i:>2}) {t + ' ':-<36}> {state}")
    return "\n".join(out) + "\n\n"


def _config_text(dev: NxosDevice, cfg: Config) -> list[str]:
    s = dev.spec
    out = ["", "!Command: show running-config", f"!Running configuration last done at: "
           f"{time.strftime('%a %b %d %H:%M:%S %Y', time.gmtime(dev.clock()))}",
           f"!Time: {time.strftime('%a %b %d %H:%M:%S %Y', time.gmtime(dev.clock()))}", "",
           f"version {s.version} Bios:version {s.bios}", f"hostname {cfg.hostname}", "policy-map type network-qos "
           "jumbo", "vdc " + cfg.hostname + " id 1", "  limit-resource vlan minimum 16 maximum 4094", "",
           *cfg.features, ""]
    for user in cfg.users:
        out.append(f"username {user} password 5 $5$KOGHOB$7Y{abs(hash(user)) % 10**12:012d}  role network-admin")
    out += ["ip domain-lookup", *cfg.extra, "", "vlan 1" + "".join(f",{v}" for v in sorted(cfg.vlans))]
    for vid, name in sorted(cfg.vlans.items()):
        out += [f"vlan {vid}", f"  name {name}"]
    out += ["", "vrf context management", ""]
    for p in dev.ports:
        out += [f"interface {p.name}", ""]
    out += ["interface mgmt0", "  vrf member management", "line console", "line vty"]
    if dev.boot_var:
        out.append(f"boot nxos {dev.boot_var}")
    return out + [""]


def show_running(dev: NxosDevice) -> str:
    return "\n".join(_config_text(dev, dev.running)) + "\n"


def show_startup(dev: NxosDevice) -> str:
    if dev.startup is None:
        return "No startup configuration found.\n"  # NX-OS's answer right after `write erase`
    return "\n".join(_config_text(dev, dev.startup)).replace("show running-config", "show startup-config") + "\n"


def show_boot(dev: NxosDevice) -> str:
    cur = nxt = dev.boot_variable()
    return "\n".join(["", "Current Boot Variables:", "", "sup-1", f"NXOS variable = {cur}" if cur else
                      "No boot variable set", "", "Boot Variables on next reload:", "", "sup-1",
                      f"NXOS variable = {nxt}" if nxt else "No boot variable set", ""]) + "\n"


def dir_listing(dev: NxosDevice, arg: str) -> str:
    fs = arg.split(":", 1)[0] if ":" in arg else "bootflash"
    if fs not in ("bootflash", "logflash", "volatile", "usb1"):
        return f"Invalid filesystem or directory {arg}\n"
    entries = dev.flash if fs == "bootflash" else {}
    out = [f"{f.size:>11}    {f.date}  {name}" for name, f in sorted(entries.items())]
    used = sum(f.size for f in entries.values())
    total = 53_298_520_064
    out += ["", f"Usage for {fs}://sup-local", f"{used:>11} bytes used", f"{total - used:>11} bytes free",
            f"{total:>11} bytes total"]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- the session
_SHOW: dict[tuple[str, ...], Callable[[NxosDevice], str]] = {
    ("version",): show_version, ("inventory",): show_inventory, ("module",): show_module,
    ("environment",): show_environment, ("interface",): show_interface, ("interface", "status"): show_interface_status,
    ("interface", "transceiver", "details"): show_transceiver_details, ("logging", "logfile"): show_logging,
    ("logging", "last", "<n>"): show_logging, ("cores",): show_cores, ("running-config",): show_running,
    ("startup-config",): show_startup, ("boot",): show_boot,
    ("diagnostic", "result", "module", "all"): show_diagnostic,
    ("hostname",): lambda d: f"{d.hostname}\n",
    ("clock",): lambda d: time.strftime("%H:%M:%S.000 UTC %a %b %d %Y", time.gmtime(d.clock())) + "\n",
}
_EXEC: list[tuple[str, ...]] = [
    *(("show", *k) for k in _SHOW), ("exit",), ("end",), ("terminal", "length", "<rest>"),
    ("terminal", "width", "<rest>"), ("terminal", "session-timeout", "<rest>"), ("dir", "<rest>"), ("dir",),
    ("copy", "running-config", "startup-config"), ("write", "erase"), ("write", "erase", "boot"),
    ("delete", "<rest>"), ("reload",), ("configure",), ("configure", "terminal"), ("factory-reset", "<rest>"),
    ("factory-reset",), ("clear", "cores"),
]
_FACTORY_RESET_FROM = (9, 3, 5)  # NX-OS releases with `factory-reset` (secure erase of persistent storage)


def _release(version: str) -> tuple[int, ...]:
    nums = [int(x) for x in version.replace("(", ".").replace(")", ".").split(".") if x.isdigit()]
    return tuple(nums[:3])


def has_factory_reset(dev: NxosDevice) -> bool:
    return dev.spec.pid.startswith(("N9K", "N3K")) and _release(dev.spec.version) >= _FACTORY_RESET_FROM


class NxosSession(LineSession):
    """One CLI line. The console starts at `login:`, SSH at the prompt (netmiko has logged in)."""

    mode_marks = {"exec": "#"}

    def __init__(self, device: NxosDevice, *, console: bool) -> None:
        super().__init__(device, console=console, state="login" if console else "cli")
        self.dev: NxosDevice = device
        self._login_user = ""

    @property
    def prompt(self) -> str:
        return f"{self.dev.hostname}# " if self.mode == "exec" else f"{self.dev.hostname}({self.mode})# "

    def _login_prompt(self) -> str:
        return f"{self.dev.hostname} login: "

    def banner(self) -> str:
        if self.console:
            return _crlf("\nUser Access Verification\n") + self._login_prompt() if self.state == "login" else ""
        return _crlf(BANNER) + self.prompt

    def _ctrl_z(self) -> str:
        if self.mode == "exec":
            return ""
        self._buf, self.mode = "", "exec"
        return "\r\n" + self.prompt

    def _ctrl_c(self) -> str:
        self._buf = ""
        return "\r\n" + self.prompt

    def _rebooted(self) -> Reply:
        self.mode, self.state, self._buf, self._pending, self.username = "exec", "login", "", None, None
        return Reply(_crlf(boot_text(self.dev)[1]) + _crlf("\nUser Access Verification\n") + self._login_prompt())

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
                return _crlf("\n" + BANNER) + self.prompt, False
            self.state = "login"
            return _crlf("\nLogin incorrect\n") + self._login_prompt(), False
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
        word = {"ambiguous": "Ambiguous", "incomplete": "Incomplete"}.get(err.kind, "Invalid")
        col = len(self.prompt) + (err.pos if err.kind != "incomplete" else len(line.rstrip()))
        return " " * col + "^\n" + f"% {word} command at '^' marker.\n"

    def _exec(self, line: str) -> str:
        try:
            w, rest = resolve(line, _EXEC)
        except ParseError as err:
            return self._error(line, err)
        d = self.dev
        if w[0] == "show":
            key = tuple("<n>" if x.isdigit() else x for x in w[1:])
            return _SHOW[key](d)
        if w[0] in ("exit", "end"):
            if self.console:
                self.mode, self.state, self.username = "exec", "login", None
                return "\n" + self._login_prompt()
            self.state = "closed"
            return ""
        if w[0] == "terminal":
            return ""
        if w[0] == "dir":
            return dir_listing(d, rest or "bootflash:")
        if w[0] == "configure":
            self.mode = "config"
            return "Enter configuration commands, one per line. End with CNTL/Z.\n"
        if w == ("copy", "running-config", "startup-config"):
            d.copy_run_start()
            return ("[########################################] 100%\n"
                    "Copy complete, now saving to disk (please wait)...\nCopy complete.\n")
        if w == ("write", "erase"):
            return self._ask("Warning: This command will erase the startup-configuration.\n"
                             "Do you wish to proceed anyway? (y/n)  [n] ", self._erase)
        if w == ("write", "erase", "boot"):
            return self._ask("This command will erase the boot variables and the ip configuration of interface "
                             "mgmt 0.\nDo you wish to proceed anyway? (y/n)  [n] ", self._erase_boot)
        if w[0] == "delete":
            return self._delete(rest)
        if w[0] == "factory-reset":
            return self._factory_reset(line, rest)
        if w == ("clear", "cores"):
            d.cores.clear()
            return ""
        if w == ("reload",):
            return self._ask("This command will reboot the system. (y/n)?  [n] ", self._reload)
        return self._error(line, ParseError("invalid"))

    def _erase(self, answer: str) -> str:
        if answer.strip().lower() not in ("y", "yes"):
            return ""
        self.dev.write_erase()
        self.dev.log("%VSHD-5-VSHD_SYSLOG_CONFIG_I: Startup configuration erased")
        return ""

    def _erase_boot(self, answer: str) -> str:
        if answer.strip().lower() not in ("y", "yes"):
            return ""
        self.dev.write_erase(boot=True)
        return ""

    def _delete(self, rest: str) -> str:
        words = rest.split()
        path = words[0] if words else ""
        name = path.split(":", 1)[1].lstrip("/") if ":" in path else path
        if name not in self.dev.flash:
            return "No such file or directory\n"
        if "no-prompt" not in words:
            return self._ask(f"Do you want to delete \"/{name}\" ? (yes/no/abort)   [y] ",
                             lambda a: self._delete_now(name) if a.strip().lower() in ("", "y", "yes") else "")
        return self._delete_now(name)

    def _delete_now(self, name: str) -> str:
        self.dev.flash.pop(name, None)
        return ""

    def _factory_reset(self, line: str, rest: str) -> str:
        if not has_factory_reset(self.dev):
            return self._error(line, ParseError("invalid", 0))
        words = rest.split()
        if "bypass-prompt" in words:
            return self._reset_now("preserve-image" in words)
        return self._ask("!!!! WARNING !!!!\nThe factory reset operation will erase ALL persistent storage on the "
                         "specified module.\nThis includes configuration, all log data, and the full contents of "
                         "flash and SSDs.\nSpecial steps are taken in an effort to render data non-recoverable. "
                         "Please, proceed with caution and understanding that this operation cannot be undone and "
                         "will leave the system in a fresh-from-factory state.\n!!!! WARNING !!!!\n"
                         "Continue? (y/n)  [n] ",
                         lambda a: self._reset_now("preserve-image" in words) if a.strip().lower() in ("y", "yes")
                         else "")

    def _reset_now(self, keep_image: bool) -> str:
        d = self.dev
        d.factory_reset(keep_image)
        self.state = "rebooting" if self.console else "closed"
        return "Resetting module 1\nfactory-reset: started\nfactory-reset: secure erase of bootflash: done\n" \
               "factory-reset: reloading\n"

    def _reload(self, answer: str) -> str:
        if answer.strip().lower() not in ("y", "yes"):
            return ""
        self.dev.reload()
        self.state = "rebooting" if self.console else "closed"
        return "\n"

    # ---------- configuration mode
    def _config(self, line: str) -> str:
        words = line.split()
        kw, args = words[0].lower(), words[1:]
        cfg = self.dev.running
        if kw == "end":
            self.mode = "exec"
            return ""
        if kw == "exit":
            self.mode = "exec" if self.mode == "config" else "config"
            return ""
        if kw == "hostname" and args:
            cfg.hostname = args[0]
        elif kw == "username" and len(args) >= 3:
            cfg.users[args[0]] = args[2]
        elif kw == "vlan" and args and args[0].isdigit():
            cfg.vlans.setdefault(int(args[0]), f"VLAN{int(args[0]):04d}")
            self.mode = "config-vlan"
        elif kw == "feature" and args:
            cfg.features.append(line.strip())
        elif kw == "boot" and args[:1] == ["nxos"] and len(args) > 1:
            self.dev.boot_var = args[1]
        elif kw == "interface" and args:
            self.mode = "config-if"
        elif kw == "no" and args[:1] == ["username"] and len(args) > 1:
            cfg.users.pop(args[1], None)
        elif self.mode == "config":
            cfg.extra.append(line.strip())
        return ""


def boot_text(dev: NxosDevice) -> tuple[str, str]:
    """(loader part, kernel part) of a console boot: the loader, the image, the kickstart and system start."""
    s = dev.spec
    image = dev.boot_variable() or ""
    loader = "\n".join(["", "", f"Loader Version {s.bios}", "", "", "Checking all filesystems....... done.",
                        f"Booting {image or 'bootflash:/' + s.image}" if image else "No autoboot or failed "
                        "autoboot. falling to loader", "", ""])
    kernel = "\n".join([
        "Trying to load image... ", "Filesystem type is ext2fs, partition type 0x83", "Image valid", "",
        "INIT: version 2.88 booting", "Starting system POST.....", "  Executing Mod 1 1 SEEPROM Test......done",
        "  Executing Mod 1 1 GigE Port Test.......done", "  Executing Mod 1 1 PCIE Test.................done",
        "  Mod 1 1 Post Completed Successfully", "POST is completed",
        "Checking all filesystems......r.r.r.. done.", "", "System is coming up ... Please wait ...", "",
        "Nexus9000 Software" if s.pid.startswith("N9K") else "Cisco Nexus Operating System (NX-OS) Software",
        "", "Abort Auto Provisioning and continue with normal setup ?(yes/no)[n]: yes" if dev.startup is None
        else "", ""])
    return loader, kernel
