"""AOS-CX CLI session for aruba_aoscx devices: input in, AOS-CX-formatted text out.

Shaped after real AOS-CX 10.x outputs (ntc-templates' fixtures of `show system`, `show module`, `show vsf
detail`, `show interface`, `show interface dom detail`): AOS-CX refuses with `Invalid input: <word>` and
`Command incomplete.`, asks `Continue (y/n)?` before a reboot, and zeroizes with `erase all zeroize`.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable

from simulators.families.aruba_aoscx.device import OPTICS, Config, CxDevice, Port, sys_descr
from simulators.line import ParseError, Reply, resolve
from simulators.line import crlf as _crlf
from simulators.paged_session import PagedSession

_RULE = "-" * 78
_ZEROIZE_WARNING = (
    "This will securely erase all customer data and reset the switch\n"
    "to factory defaults. This will initiate a reboot and render the\n"
    "switch unavailable until the zeroization is complete.\n"
    "This should take several minutes to one hour to complete.\n"
    "Continue (y/n)? ")
_REBOOT_WARNING = ("This will reboot the entire switch and render it unavailable\n"
                   "until the process is complete.\nContinue (y/n)? ")


def _uptime(sec: float) -> str:
    """`show system`: "1 day, 23 hours, 32 minutes" (the largest units, as AOS-CX prints them)."""
    m = int(sec // 60)
    weeks, m = divmod(m, 10_080)
    days, m = divmod(m, 1_440)
    hours, m = divmod(m, 60)
    parts = [f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in ((weeks, "week"), (days, "day"), (hours, "hour"),
                                                                 (m, "minute")) if n]
    return ", ".join(parts) or "under a minute"


def _mac(raw: str, sep: str = ":") -> str:
    h = raw.lower()
    return sep.join(h[i:i + 2] for i in range(0, 12, 2))


# ---------------------------------------------------------------- renderers
def show_version(dev: CxDevice) -> str:
    s = dev.spec
    sha = hashlib.sha1(s.version.encode()).hexdigest()
    return "\n".join([
        "-" * 77, "ArubaOS-CX", "(c) Copyright 2017-2023 Hewlett Packard Enterprise Development LP", "-" * 77,
        f"Version      : {s.version}", "Build Date   : 2023-11-21 10:55:37 UTC",
        f"Build ID     : ArubaOS-CX:{s.version}:{sha[:12]}:202311211054", f"Build SHA    : {sha}",
        "Hot Patches  :", "Active Image : primary", "",
        f"Service OS Version : {s.svos}", f"BIOS Version       : {s.prefix}.01.0002", ""])


def show_system(dev: CxDevice) -> str:
    s = dev.spec
    return "\n".join([
        f"Hostname           : {dev.hostname}", f"System Description : {s.version}",
        f"System Contact     : {dev.running.contact}", f"System Location    : {dev.running.location}", "",
        "Vendor             : Aruba", f"Product Name       : {s.pid} {s.name}",
        f"Chassis Serial Nbr : {dev.serial}", f"Base MAC Address   : {_mac(dev.base_mac, '')[:6]}-"
        f"{_mac(dev.base_mac, '')[6:]}", f"ArubaOS-CX Version : {s.version}", "", "Time Zone          : UTC", "",
        f"Up Time            : {_uptime(dev.uptime())}", f"CPU Util (%)       : {3 + int(dev.uptime()) % 5}",
        "Memory Usage (%)   : 26", ""])


def _module_table(title: str, dev: CxDevice, active: str) -> list[str]:
    s = dev.spec
    out = [title, "=" * len(title), "", "     Product                                        Serial",
           "Name Number  Description                            Number     Status",
           "---- ------- -------------------------------------- ---------- ----------------"]
    for n, serial in enumerate(dev.member_serials, 1):
        status = active if n == 1 else "Standby" if title.startswith("Management") and n == 2 else "Ready"
        # the description column cuts long names, as AOS-CX does
        out.append(f"{n}/1  {s.pid:<7} {s.name[:37]:<38} {serial:<10} {status}")
    return out + [""]


def show_module(dev: CxDevice) -> str:
    return "\n".join(_module_table("Management Modules", dev, "Active (local)") + [""]
                     + _module_table("Line Modules", dev, "Ready"))


def show_vsf_detail(dev: CxDevice) -> str:
    s = dev.spec
    stack = len(dev.member_serials) > 1
    out = [
        "VSF Stack", f"        MAC Address                  : {_mac(dev.base_mac)}",
        f"        Secondary                    :{' 2' if stack else ''}",
        f"        Topology                     : {'chain' if stack else 'standalone'}",
        "        Status                       : No Split", "        Split Detection Method       : None",
        f"        Software Version             : {s.version}", f"        Name                         : "
        f"Aruba-VSF-{s.series}", f"        Contact                      : {dev.running.contact}",
        f"        Location                     : {dev.running.location}", ""]
    for n, serial in enumerate(dev.member_serials, 1):
        link1 = f" Up, connected to peer member {2 if n == 1 else n - 1}, link 1" if stack else ""
        out += [f"Member ID                            : {n}",
                f"        MAC Address                  : {_mac(dev.mac(0x40 * (n - 1)))}",
                f"        Type                         : {s.pid}", f"        Model                        : {s.name}",
                f"        Status                       : {'Conductor' if n == 1 else 'Standby'}",
                f"        ROM Version                  : {s.svos}", f"        Serial Number                : {serial}",
                f"        Uptime                       : {_uptime(dev.uptime())}",
                "        CPU Utilization              : 4%", "        Memory Utilization           : 26%",
                f"        VSF Link 1                   :{link1}", "        VSF Link 2                   :", ""]
    return "\n".join(out)


def show_env_fan(dev: CxDevice) -> str:
    s = dev.spec
    out = ["Fan information", _RULE, "Mbr/Fan       Product  Serial Number  Speed   Direction      Status  RPM",
           "              Name", _RULE]
    for f in dev.fans:
        pid, sn = (s.fan_pid, dev.fan_serial) if s.fan_pid else ("N/A", "N/A")
        speed, status, rpm = ("normal", "ok", 8_700 + 37 * f.number) if f.ok else ("N/A", "fault", 0)
        out.append(f"{f'{f.member}/{f.number}':<13} {pid:<8} {sn:<14} {speed:<7} {'front-to-back':<14} "
                   f"{status:<7} {rpm}")
    return "\n".join(out + [""])


def show_env_power(dev: CxDevice) -> str:
    out = ["         Product  Serial          PSU            Input   Voltage    Wattage",
           "Mbr/PSU  Number   Number          Status         Type    Range      Maximum", _RULE]
    for p in dev.psus:
        status = "OK" if p.ok else "Output Fault"
        out.append(f"{f'{p.member}/{p.bay}':<8} {p.pid or 'N/A':<8} {p.serial or 'N/A':<15} {status:<14} "
                   f"{'AC':<7} {'100-240V':<10} {p.watts}")
    return "\n".join(out + [""])


def temp_status(dev: CxDevice, t: object) -> str:
    from simulators.families.aruba_aoscx.device import Temp

    assert isinstance(t, Temp)
    v = t.value(dev.uptime())
    return "critical" if v >= t.high + 5 else "max" if v >= t.high else "normal"


def show_env_temperature(dev: CxDevice) -> str:
    out = ["Temperature information", _RULE, f"{'':<52}Current",
           "Mbr/Slot-Sensor                 Module Type         temperature  Status", _RULE]
    for t in dev.temps:
        out.append(f"{t.name:<31} {t.module:<19} {t.value(dev.uptime()):>6.2f} C     {temp_status(dev, t)}")
    return "\n".join(out + [""])


def show_env_temperature_detail(dev: CxDevice) -> str:
    out = ["Detailed temperature information", _RULE]
    for t in dev.temps:
        out += [f"Mbr/Slot-Sensor                 : {t.name}", f"Module Type                     : {t.module}",
                f"Module Description              : {dev.spec.name}",
                f"Status                          : {temp_status(dev, t)}",
                f"Current temperature             : {t.value(dev.uptime()):.2f} C",
                f"High threshold                  : {t.high:.2f} C",
                f"Critical threshold              : {t.high + 5:.2f} C", ""]
    return "\n".join(out)


def _iface_type(p: Port) -> str:
    if p.kind == "copper":
        return "1GbT"
    return OPTICS[p.optic].kind if p.optic else "--"


def show_interface_one(dev: CxDevice, p: Port) -> str:
    up = dev.uptime()
    c, is_up = p.counters(up), p.up(up)
    out = [f"Interface {p.name} is {'up' if is_up else 'down'} ", " Admin state is up"]
    if not is_up:
        out.append(" State information: " + ("No XCVR installed" if p.kind != "copper" and not p.optic
                                             else "Waiting for link"))
    out += [f" Link transitions: {int(up // 10) if p.flap else (1 if is_up else 0)}", " Description: ",
            f" Hardware: Ethernet, MAC Address: {_mac(dev.mac(p.if_index))} ", " MTU 1500 ",
            f" Type {_iface_type(p)}", " Full-duplex ", " qos trust none",
            f" Speed {p.speed_mbps() if is_up else 0} Mb/s ", " Auto-negotiation is on",
            " Flow-control: off ", " Error-control: off ", " MDI mode: MDIX " if p.kind == "copper" else
            " MDI mode: --", " VLAN Mode: access", " Access VLAN: 1", " Rate collection interval: 300 seconds", "",
            " Rate                               RX                   TX        Total (RX+TX)",
            " ---------------- -------------------- -------------------- --------------------",
            *(f" {label:<16} {0.0:>20.2f} {0.0:>20.2f} {0.0:>20.2f}" for label in
              ("Mbits / sec", "KPkts / sec", "  Unicast", "  Multicast", "  Broadcast", "Utilization")), "",
            " Statistic                          RX                   TX                Total",
            " ---------------- -------------------- -------------------- --------------------",
            _stat("Packets", c["rx_frames"], c["tx_frames"]), _stat("  Unicast", c["rx_frames"], c["tx_frames"]),
            _stat("  Multicast", 0, 0), _stat("  Broadcast", 0, 0), _stat("Bytes", c["rx_bytes"], c["tx_bytes"]),
            _stat("Jumbos", 0, 0), _stat("Dropped", c["rx_dropped"], c["tx_dropped"]), _stat("Pause Frames", 0, 0),
            _stat("Errors", c["rx_errors"], c["tx_errors"]), _stat("  CRC/FCS", c["crc"], None),
            _stat("  Collision", None, 0), _stat("  Runts", 0, None), _stat("  Giants", 0, None), ""]
    return "\n".join(out)


def _stat(label: str, rx: int | None, tx: int | None) -> str:
    """One row of the Statistic table: `n/a` where the counter has no direction."""
    total = (rx or 0) + (tx or 0)
    return f" {label:<16} {'n/a' if rx is None else rx:>20} {'n/a' if tx is None else tx:>20} {total:>20}"


def show_interface(dev: CxDevice, name: str | None) -> str:
    if name is None:
        return "\n".join(show_interface_one(dev, p) for p in dev.ports)
    p = dev.port(name)
    if p is None:
        return f"Invalid input: {name}\n"
    return show_interface_one(dev, p)


def show_interface_brief(dev: CxDevice) -> str:
    up = dev.uptime()
    out = ["-" * 110, "Port       Native  Mode   Type           Enabled Status  Reason                  Speed   "
           "Description", "           VLAN                                                               (Mb/s)",
           "-" * 110]
    for p in dev.ports:
        is_up = p.up(up)
        reason = "" if is_up else ("No XCVR installed" if p.kind != "copper" and not p.optic else "Waiting for link")
        out.append(f"{p.name:<10} 1       access {_iface_type(p):<14} yes     {'up' if is_up else 'down':<7} "
                   f"{reason:<23} {p.speed_mbps() if is_up else '--':<7} --")
    return "\n".join(out + [""])


def show_transceiver(dev: CxDevice) -> str:
    out = ["-" * 63, "Port    Type        Product      Serial           Part",
           "                    Number       Number           Number", "-" * 63]
    for p in dev.ports:
        if p.optic:
            o = OPTICS[p.optic]
            out.append(f"{p.name:<7} {o.kind:<11} {o.pid:<12} {p.optic_serial:<16} {o.part}")
    return "\n".join(out + [""])


# (high alarm, low alarm, high warning, low warning), as the module's EEPROM gives them
_DOM_LIMITS = {"Temperature": (75.0, -5.0, 70.0, 0.0, "C"), "Voltage": (3.60, 3.00, 3.50, 3.10, "V"),
               "Tx Bias": (12.0, 1.0, 10.5, 2.5, "mA"), "Rx Power": (1.0, 0.05, 0.79, 0.10, "mW"),
               "Tx Power": (1.0, 0.15, 0.79, 0.19, "mW")}


def dom_values(p: Port, uptime: float) -> dict[str, float]:
    seed = int(hashlib.md5(p.optic_serial.encode()).hexdigest()[:6], 16)
    drift = math.sin(uptime / 600.0)
    rx = 0.012 if p.dom_alarm else 0.40 + (seed % 200) / 1000
    return {"Temperature": 31.0 + seed % 9 + drift, "Voltage": 3.28 + (seed % 30) / 1000,
            "Tx Bias": 5.0 + (seed % 40) / 10, "Rx Power": rx, "Tx Power": 0.50 + (seed % 150) / 1000}


def _dom_block(label: str, value: float, indent: str = "  ") -> list[str]:
    hi_a, lo_a, hi_w, lo_w, unit = _DOM_LIMITS[label]
    on = lambda b: "On" if b else "Off"  # noqa: E731
    return [f"{indent}{label}: {value:.2f}{unit}", f"{indent}{label} high alarm: {on(value > hi_a)}",
            f"{indent}{label} low alarm: {on(value < lo_a)}", f"{indent}{label} high warning: {on(value > hi_w)}",
            f"{indent}{label} low warning: {on(value < lo_w)}",
            f"{indent}{label} high alarm threshold: {hi_a:.2f}{unit}",
            f"{indent}{label} low alarm threshold: {lo_a:.2f}{unit}",
            f"{indent}{label} high warning threshold: {hi_w:.2f}{unit}",
            f"{indent}{label} low warning threshold: {lo_w:.2f}{unit}"]


def show_dom_detail(dev: CxDevice) -> str:
    out: list[str] = []
    for p in dev.ports:
        if not p.optic:
            continue
        v = dom_values(p, dev.uptime())
        out += [f"Transceiver in {p.name}", f" Type: {OPTICS[p.optic].kind}"]
        for label in ("Temperature", "Voltage", "Tx Bias", "Rx Power", "Tx Power"):
            out += _dom_block(label, v[label])
        out.append("")
    return "\n".join(out) if out else "No transceivers with DOM support are present\n"


def show_poe(dev: CxDevice) -> str:
    if not dev.spec.poe:
        return "Invalid input: power-over-ethernet\n"
    out = ["", "  Status and Counters - Port Power Status", "",
           f"  Available: {dev.spec.poe_watts} W  Used: 0 W  Remaining: {dev.spec.poe_watts} W", "",
           "  Port     PoE      PoE      Power     PD        PD      Power",
           "           Admin    Status   Drawn     Class     Type    Priority",
           "  -------- -------- -------- --------- --------- ------- --------"]
    for p in dev.ports:
        if p.kind != "copper":
            continue
        status, watts, cls = ("Fault", 0.0, "--") if p.poe_fault else (
            ("Delivering", 6.4, "2") if p.linked and not p.dead else ("Searching", 0.0, "--"))
        out.append(f"  {p.name:<8} {'Enabled':<8} {status:<8} {watts:>5.2f} W   {cls:<9} {'--':<7} low")
    return "\n".join(out + [""])


def _stamp(dev: CxDevice, at: float) -> str:
    t = time.gmtime(dev.clock() - dev.uptime() + at)
    return time.strftime("%Y-%m-%dT%H:%M:%S", t) + f".{int(at * 1000) % 1000:03d}+00:00"


def show_events(dev: CxDevice) -> str:
    out = ["-" * 51, "Event logs from current boot", "-" * 51]
    for e in dev.events:
        out.append(f"{_stamp(dev, e.at)} {dev.hostname} {e.daemon}[{1000 + e.ident % 3000}]: "
                   f"Event|{e.ident}|{e.sev}|AMM|1/1|{e.text}")
    return "\n".join(out + [""])


def show_core_dump(dev: CxDevice) -> str:
    if not dev.cores:
        return "No core dumps are present\n"
    out = ["=" * 89, "Daemon Name         | Instance ID | VSF Member ID | Present | Timestamp           | Build ID",
           "=" * 89]
    for i, (daemon, stamp) in enumerate(dev.cores):
        out.append(f"{daemon:<20}  {1399 + 17 * i:<13} {1:<15} {'Yes':<9} {stamp:<21} 1af0fb3")
    return "\n".join(out + ["=" * 89, f"Total number of core dumps : {len(dev.cores)}", ""])


def show_boot_history(dev: CxDevice) -> str:
    out = ["Management module", "=================", ""]
    for b in reversed(dev.boots):
        out += [f"Index : {b.index}", f"Boot ID : {hashlib.md5(f'{dev.serial}{b.index}'.encode()).hexdigest()}"]
        if b is dev.boots[-1]:
            out.append(f"Current Boot, up for {_uptime(dev.uptime())}")
        stamp = time.strftime("%d %b %y %H:%M:%S", time.gmtime(b.at_clock))
        out += [f"{stamp} : Reboot reason: {b.reason}", ""]
    return "\n".join(out)


def show_checkpoint(dev: CxDevice) -> str:
    if not dev.checkpoints:
        return "No checkpoint found.\n"
    out = ["NAME                                      TYPE        WRITER     DATE(YYYY/MM/DD)   IMAGE VERSION",
           "------------------------------------------------------------------------------------------------"]
    for name in dev.checkpoints:
        kind, writer = ("latest", "System") if name.startswith("CPC") else ("checkpoint", "User")
        out.append(f"{name:<41} {kind:<11} {writer:<10} 2022/06/14 10:00:00 {dev.spec.version}")
    return "\n".join(out + [""])


def show_vlan(dev: CxDevice) -> str:
    out = ["-" * 98, "VLAN  Name                              Status  Reason          Type      Interfaces",
           "-" * 98]
    for vid, name in sorted(dev.running.vlans.items()):
        ifs = ",".join(p.name for p in dev.ports[:1]) + "-" + dev.ports[-1].name if vid == 1 else ""
        out.append(f"{vid:<5} {name:<33} {'up':<7} {'ok':<15} {'default' if vid == 1 else 'static':<9} {ifs}")
    return "\n".join(out + [""])


def config_text(dev: CxDevice, cfg: Config) -> str:
    s = dev.spec
    out = ["Current configuration:", "!", f"!Version ArubaOS-CX {s.version}", "!export-password: default"]
    if cfg.hostname != s.series:
        out.append(f"hostname {cfg.hostname}")
    if cfg.contact:
        out.append(f"snmp-server system-contact {cfg.contact}")
    if cfg.location:
        out.append(f"snmp-server system-location {cfg.location}")
    for user, pw in dev.users.items():
        if user != "admin" or pw:
            digest = hashlib.sha256(pw.encode()).hexdigest()[:40]
            out.append(f"user {user} group administrators password ciphertext AQBapU{digest}")
    out += cfg.extra
    out += ["led locator on", "!", "!", "!", "ssh server vrf mgmt"]
    for vid, name in sorted(cfg.vlans.items()):
        out.append(f"vlan {vid}")
        if vid != 1:
            out.append(f"    name {name}")
    out += ["interface mgmt", "    no shutdown", "    ip dhcp"]
    for p in dev.ports:
        out += [f"interface {p.name}", "    no shutdown", "    vlan access 1"]
    return "\n".join(out + ["!", "https-server vrf mgmt", ""])


# ---------------------------------------------------------------- the session
_EXEC: list[tuple[str, ...]] = [
    ("enable",), ("exit",), ("end",), ("no", "page"), ("page",), ("terminal", "length", "<n>"),
    ("show", "version"), ("show", "system"), ("show", "module"), ("show", "vsf", "detail"), ("show", "vsf"),
    ("show", "environment", "fan"), ("show", "environment", "power-supply"),
    ("show", "environment", "temperature"), ("show", "environment", "temperature", "detail"),
    ("show", "interface", "<rest>"), ("show", "interface"),
    ("show", "power-over-ethernet"), ("show", "events"), ("show", "core-dump", "all"), ("show", "boot-history"),
    ("show", "running-config"), ("show", "startup-config"), ("show", "checkpoint"), ("show", "vlan"),
    ("write", "memory"), ("copy", "running-config", "startup-config"), ("erase", "all", "zeroize"),
    ("erase", "startup-config"), ("boot", "system"), ("configure", "terminal"), ("configure",),
]


class CxSession(PagedSession):
    """One AOS-CX line. Console: `login:`/`Password:`; SSH lands at `switch#` (admin is a manager)."""

    pager_prompt = "-- MORE --, next page: Space, next line: Enter, quit: Control-C"

    mode_marks = {"exec": "#"}
    config_mark = "#"

    def __init__(self, device: CxDevice, *, console: bool, username: str | None = None) -> None:
        super().__init__(device, console=console, username=username)
        self.dev: CxDevice = device

    def banner(self) -> str:
        if self.state == "login":
            return _crlf("\n\nlogin: ")
        return _crlf("\n") + self.prompt

    def _rebooted(self) -> Reply:
        self.state, self.mode = "login", "exec"
        if self.line_boots:  # the console line plays the boot itself (simulators/boot.py), then a new session
            return Reply("")
        return Reply(_crlf(boot_loader_text(self.dev) + boot_kernel_text(self.dev) + "\nlogin: "))

    def _login_again(self) -> str:
        return _crlf("\nlogin: ")

    def _welcome(self) -> str:
        return _crlf("\n\n")

    def _login_failed(self) -> str:
        return _crlf("\nLogin incorrect\nlogin: ")

    def _exec(self, line: str) -> str:
        try:
            w, rest = resolve(line, _EXEC)
        except ParseError as err:
            if err.kind == "incomplete":
                return "Command incomplete.\n"
            bad = line[err.pos:].split()[0] if line[err.pos:].split() else line.strip()
            return f"Invalid input: {bad}\n"
        d = self.dev
        if w[0] == "show":
            return self._show(w[1:], rest)
        if w == ("no", "page"):
            self.page_lines = 0
            return ""
        if w == ("page",):
            self.page_lines = 24
            return ""
        if w[0] == "terminal":
            self.page_lines = int(w[2]) if w[1] == "length" else self.page_lines
            return ""
        if w[0] == "enable":
            return ""
        if w[0] in ("exit", "end"):
            if self.console:
                self.state = "login"
                return "\nlogin: "
            self.state = "closed"
            return ""
        if w[0] == "configure":
            self.mode = "config"
            return ""
        if w in (("write", "memory"), ("copy", "running-config", "startup-config")):
            d.write_memory()
            return "Success\n"
        if w == ("erase", "all", "zeroize"):
            return self._ask(_ZEROIZE_WARNING, self._zeroize)
        if w == ("erase", "startup-config"):
            d.startup = Config(d.spec.series)
            return ""
        if w == ("boot", "system"):
            if d.running != d.startup:
                return self._ask("Do you want to save the current configuration (y/n)? ", self._save_then_reboot)
            return self._ask(_REBOOT_WARNING, self._reboot)
        return f"Invalid input: {line.split()[0]}\n"

    def _show(self, w: tuple[str, ...], rest: str) -> str:
        d = self.dev
        table: dict[tuple[str, ...], Callable[[CxDevice], str]] = {
            ("version",): show_version, ("system",): show_system, ("module",): show_module,
            ("environment", "fan"): show_env_fan, ("environment", "power-supply"): show_env_power,
            ("environment", "temperature"): show_env_temperature,
            ("environment", "temperature", "detail"): show_env_temperature_detail,
            ("power-over-ethernet",): show_poe,
            ("events",): show_events, ("core-dump", "all"): show_core_dump, ("boot-history",): show_boot_history,
            ("checkpoint",): show_checkpoint, ("vlan",): show_vlan,
        }
        if w in table:
            return table[w](d)
        if w[0] == "vsf":
            return show_vsf_detail(d) if d.spec.vsf else "Invalid input: vsf\n"
        if w[0] == "interface":
            return self._show_interface(rest.lower().split())
        if w == ("running-config",):
            return config_text(d, d.running)
        if w == ("startup-config",):
            return config_text(d, d.startup).replace("Current configuration:", "Startup configuration:", 1)
        return f"Invalid input: {w[0]}\n"

    def _show_interface(self, args: list[str]) -> str:
        """`show interface [brief | transceiver | dom detail | <port>]`, words abbreviated as AOS-CX allows."""
        d = self.dev
        if not args:
            return show_interface(d, None)
        if "brief".startswith(args[0]) and len(args[0]) >= 2:
            return show_interface_brief(d)
        if "transceiver".startswith(args[0]) and len(args[0]) >= 2:
            return show_transceiver(d)
        if args[0] == "dom" and len(args) > 1 and "detail".startswith(args[1]):
            return show_dom_detail(d)
        return show_interface(d, args[0])

    def _yes(self, line: str) -> bool:
        return line.strip().lower() in ("y", "yes")

    def _zeroize(self, line: str) -> str:
        if not self._yes(line):
            return ""
        self.dev.zeroize()
        self.state = "rebooting" if self.console else "closed"
        return "The system is going down for zeroization.\n"

    def _save_then_reboot(self, line: str) -> str:
        if self._yes(line):
            self.dev.write_memory()
        return self._ask(_REBOOT_WARNING, self._reboot)

    def _reboot(self, line: str) -> str:
        if not self._yes(line):
            return ""
        self.dev.reload("Reboot requested by user")
        self.state = "rebooting" if self.console else "closed"
        return "Rebooting the switch...\n"

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
        elif kw == "snmp-server" and len(args) > 1 and args[0] in ("system-contact", "system-location"):
            setattr(cfg, "contact" if args[0] == "system-contact" else "location", " ".join(args[1:]))
        elif kw == "vlan" and args and args[0].isdigit():
            cfg.vlans.setdefault(int(args[0]), f"VLAN{args[0]}")
            self.mode = "config-vlan"
        elif kw == "interface" and args:
            self.mode = "config-if"
        elif kw == "user" and len(args) >= 5 and "plaintext" in args:
            self.dev.users[args[0]] = args[args.index("plaintext") + 1]
        elif kw in ("logging", "ntp", "radius-server") and self.mode == "config":
            cfg.extra.append(line.strip())
        elif kw == "no" and args:
            text = " ".join(args)
            cfg.extra = [x for x in cfg.extra if not x.startswith(text)]
        elif kw not in ("name", "description", "shutdown", "vlan"):
            return f"Invalid input: {words[0]}\n"
        return ""


def boot_loader_text(dev: CxDevice) -> str:
    """The Service OS loader and its boot menu (where `0` enters the Service OS for password recovery)."""
    s = dev.spec
    return "\n".join([
        "", "ServiceOS Information:", f"   Version:                  {s.svos}",
        "   Build Date:               2023-06-01 11:22:33 PDT", f"   Build ID:                 ServiceOS:{s.svos}",
        "", "Boot Profiles:", "", "0. Service OS Console", f"1. Primary Software Image [{s.version}]",
        "2. Secondary Software Image [" + s.version + "]", "", "Select profile(primary): ", ""])


def boot_kernel_text(dev: CxDevice) -> str:
    s = dev.spec
    return "\n".join([
        "\nBooting primary software image...", "Verifying Image...", "", "Image Info:", "",
        "    Name: ArubaOS-CX", f"    Version: {s.version}", "    Build Date: 2023-11-21 10:55:37 UTC", "",
        "Extracting Image...", "Loading Image...", "Done.", "", "kexec_core: Starting new kernel",
        "System is initializing", "", f"({s.series}) {sys_descr(dev)}", "",
        "We'd like to keep you up to date about:", "  * Software feature updates",
        "  * New product announcements", "  * Special events", "",
        "Please register your products now at: https://asp.arubanetworks.com", "", ""])
