"""FortiOS CLI session for fortinet_fortios devices: bytes in, vendor-formatted text out.

Shaped after real FortiGate outputs: `get system status` as ntc-templates parses it, `get system
interface physical`, the `<hostname> # ` prompt (`<hostname> (console) # ` inside `config system
console`), the `--More--` pager while `config system console` says `set output more` (the factory
default), `| grep` filters, and FortiOS refusals ("Unknown action 0", "command parse error before
'word'" then "Command fail. Return code -61").
"""

from __future__ import annotations

import math
import re

from simulators.families.fortinet_fortios.device import BUILD, OPTICS, VERSION, FortiDevice, Port, sensor_rows
from simulators.line import LineSession, Reply, crlf

_PAGE = 23
_PARSE_ERROR = "command parse error before '{}'\nCommand fail. Return code -61\n"


def _dhm(sec: float) -> str:
    s = int(sec)
    return f"{s // 86_400} days,  {s % 86_400 // 3_600} hours,  {s % 3_600 // 60} minutes"


def get_system_status(dev: FortiDevice) -> str:
    s = dev.spec
    disk = "Available" if s.disk else "Not available"
    return "\n".join([
        f"Version: {s.pid} v{VERSION},{BUILD}", "First GA patch build date: 220331", "Security Level: 1",
        "Firmware Signature: certified", "Virus-DB: 1.00000(2018-04-09 18:07)",
        "Extended DB: 1.00000(2018-04-09 18:07)", "AV AI/ML Model: 0.00000(2001-01-01 00:00)",
        "IPS-DB: 6.00741(2015-12-01 02:30)", "IPS-ETDB: 0.00000(2001-01-01 00:00)",
        "APP-DB: 6.00741(2015-12-01 02:30)", "INDUSTRIAL-DB: 6.00741(2015-12-01 02:30)",
        "IPS Malicious URL Database: 1.00001(2015-01-01 01:01)", "IoT-Detect: 0.00000(2022-08-17 17:31)",
        f"Serial-Number: {dev.serial}", f"BIOS version: {s.bios}", f"System Part-Number: {s.part_number}",
        f"Log hard disk: {disk}", f"Hostname: {dev.hostname}", "Private Encryption: Disable",
        "Operation Mode: NAT", "Current virtual domain: root", "Max number of virtual domains: 10",
        "Virtual domains status: 1 in NAT mode, 0 in TP mode", "Virtual domain configuration: disable",
        "FIPS-CC mode: disable", "Current HA mode: standalone", f"Branch point: {BUILD[5:9]}",
        "Release Version Information: GA", "System time: Mon Dec  7 23:10:02 2026",
        f"Last reboot reason: {dev.reload_reason}", "",
    ])


def performance_status(dev: FortiDevice) -> str:
    up = dev.uptime()
    return "\n".join([
        "CPU states: 0% user 0% system 0% nice 100% idle 0% iowait 0% irq 0% softirq",
        "CPU0 states: 0% user 0% system 0% nice 100% idle 0% iowait 0% irq 0% softirq",
        "Memory: 2010864k total, 786024k used (39.1%), 1107840k free (55.1%), 117000k freeable (5.8%)",
        "Average network usage: 12 / 9 kbps in 1 minute, 11 / 9 kbps in 10 minutes",
        "Average sessions: 14 sessions in 1 minute, 13 sessions in 10 minutes",
        "Virus caught: 0 total in 1 minute", "IPS attacks blocked: 0 total in 1 minute",
        f"Uptime: {_dhm(up)}", "",
    ])


def sensor_list(dev: FortiDevice) -> str:
    out = []
    for n, (name, value, alarm) in enumerate(sensor_rows(dev), 1):
        out.append(f"{n:>2} {name:<17} alarm={1 if alarm else 0}  value={value}  "
                   f"threshold_status={4 if alarm else 0}")
    return "\n".join(out + [""])


def interface_physical(dev: FortiDevice) -> str:
    up = dev.uptime()
    out = ["== [onboard]"]
    for p in dev.ports:
        is_up = p.up(up)
        speed = f"{p.speed_mbps()}Mbps (Duplex: full)" if is_up else "n/a"
        out += [f"        ==[{p.name}]", "                mode: static", "                ip: 0.0.0.0 0.0.0.0",
                "                ipv6: ::/0", f"                status: {'up' if is_up else 'down'}",
                f"                speed: {speed}"]
    return "\n".join(out + [""])


def nic(dev: FortiDevice, name: str) -> str:
    p = next((x for x in dev.ports if x.name == name), None)
    if p is None:
        return _PARSE_ERROR.format(name)
    c, is_up = p.counters(dev.uptime()), p.up(dev.uptime())
    mac = ":".join(dev.mac(p.if_index)[i:i + 2] for i in range(0, 12, 2))
    return "\n".join([
        "Description     :FortiASIC NP6XLITE Adapter", "Driver Name     :FortiASIC NP6XLITE Driver",
        f"Board           :{dev.spec.pid.split('-')[1]}", f"lif id          :{p.if_index}",
        f"Current_HWaddr   {mac}", f"Permanent_HWaddr {mac}", "========== Link Status ==========",
        "Admin           :up", f"Speed           :{p.speed_mbps() if is_up else 0}",
        f"Duplex          :{'Full' if is_up else 'Half'}", f"link_status     :{'Up' if is_up else 'Down'}",
        "============ Counters ===========", f"Rx Pkts         :{c['rx_frames']}", f"Rx Bytes        :{c['rx_bytes']}",
        f"Tx Pkts         :{c['tx_frames']}", f"Tx Bytes        :{c['tx_bytes']}",
        f"Rx_Errors       :{c['rx_errors']}", f"Rx_CRC_Errors   :{c['crc']}", "Rx_Frame_Errors :0",
        "Rx_Length_Errors:0",
        f"Tx_Errors       :{c['tx_errors']}", "Tx_Collisions   :0", "",
    ])


def _dom(p: Port, uptime: float) -> tuple[float, float, float, float, float]:
    seed = sum(map(ord, p.optic_serial))
    rx_mw = 0.0123 if p.dom_alarm else 0.40 + (seed % 200) / 1000
    tx_mw = 0.50 + (seed % 150) / 1000
    return (31.0 + seed % 9 + math.sin(uptime / 600.0), 3.28 + (seed % 30) / 1000, 6.0 + (seed % 40) / 10,
            10 * math.log10(tx_mw), 10 * math.log10(rx_mw))


def transceivers(dev: FortiDevice) -> str:
    out = []
    for p in dev.ports:
        if p.kind == "copper":
            continue
        if not p.optic:
            out.append(f"Interface {p.name} - Transceiver is not detected.")
            continue
        o = OPTICS[p.optic]
        out += [f"Interface {p.name} - {'SFP/SFP+' if p.kind == 'sfp+' else 'SFP'}",
                f"  Vendor Name  :           {o.vendor}", f"  Part No.     :           {o.pid}",
                f"  Serial No.   :           {p.optic_serial}"]
    out += ["", "Optical       Temperature         Voltage        Tx Bias        Tx Power      Rx Power",
            "Interface     (Celsius)           (Volts)        (mA)           (dBm)         (dBm)",
            "------------  ------------------  -------------  -------------  ------------  -----------"]
    for p in dev.ports:
        if p.optic:
            t, v, b, tx, rx = _dom(p, dev.uptime())
            rx_mark = " --" if p.dom_alarm else ""
            out.append(f"{p.name:<13} {t:6.1f}              {v:5.2f}          {b:5.2f}          {tx:6.1f}        "
                       f"{rx:6.1f}{rx_mark}")
    out += ["  ++ : high alarm, + : high warning, - : low warning, -- : low alarm, ? : suspect.", ""]
    return "\n".join(out)


def crashlog(dev: FortiDevice) -> str:
    return "\n".join(f"{n}: {line}" for n, line in enumerate(dev.crashlog, 1)) + ("\n" if dev.crashlog else "")


def log_display(dev: FortiDevice) -> str:
    rows = sorted(dev.logs, key=lambda e: e.at, reverse=True)[:10]
    out = [f"{len(dev.logs)} logs found.", f"{len(rows)} logs returned.", ""]
    for n, e in enumerate(rows, 1):
        out += [f'{n}: date=2026-12-07 time=23:{int(e.at) // 60 % 60:02d}:{int(e.at) % 60:02d} logid="0100032001" '
                f'type="event" subtype="system" level="{e.level}" vd="root" logdesc="System event" msg="{e.text}"', ""]
    return "\n".join(out)


def flash_list(dev: FortiDevice) -> str:
    s = dev.spec
    return "\n".join([
        "Partition  Image                                     TotalSize(KB)  Used(KB)  Use%  Active",
        f"1          {s.default_hostname}-7.02-FW-build1639-240313        253920    105276   41%  Yes",
        f"2          {s.default_hostname}-7.00-FW-build0632-240401        253920    103552   41%  No",
        "3          ETDB-1.00000                                 3021708    215888    7%  No",
        "Image build at Mar 13 2024 21:26:44 for b1639", "",
    ])


def disk_list(dev: FortiDevice) -> str:
    if not dev.spec.disk:
        return "Disk is not available on this unit.\n"
    used = dev.disk_logs * 0.002
    return "\n".join([
        f"Disk {dev.spec.disk}  ref:  1 447.1GiB  type: SSD [ATA SSD 480GB] dev: /dev/sda",
        f"  partition ref:  3 440.0GiB, {440.0 - used:.1f}GiB free  mounted: Y  label: LOGUSEDX dev: /dev/sda1",
        "",
    ])


def config_text(dev: FortiDevice) -> str:
    s, cfg = dev.spec, dev.config
    out = [f"#config-version={s.default_hostname}-7.2.8-FW-build1639-240313:opmode=0:vdom=0:user=admin",
           "#conf_file_ver=3147552719", "#buildno=1639", "#global_vdom=1", "config system global",
           f'    set alias "{s.pid}"', f'    set hostname "{cfg.hostname}"', "    set timezone 04", "end",
           "config system admin"]
    for user, pw in cfg.admins.items():
        out += [f'    edit "{user}"', '        set accprofile "super_admin"', '        set vdom "root"']
        if pw:
            out.append(f"        set password ENC SH2{abs(hash(pw)) % 10**20:020d}")
        out.append("    next")
    out += ["end", "config system console", f"    set output {'standard' if cfg.output_standard else 'more'}",
            "end", *cfg.blocks, ""]
    return "\n".join(out)


class FortiSession(LineSession):
    """One CLI line. Console: `<host> login:` / `Password:` (and the `maintainer` window after boot);
    SSH: authenticated by the SSH server."""

    mode_marks = {"top": " # "}
    config_mark = " # "

    def __init__(self, device: FortiDevice, *, console: bool, username: str | None = None) -> None:
        super().__init__(device, console=console, username=username, state="login" if console else "cli")
        self.dev: FortiDevice = device
        self.mode = "top"
        self._path: list[str] = []  # config path: ["system console"] or ["system admin", "admin"]
        self._more: list[str] = []

    @property
    def prompt(self) -> str:
        if not self._path:
            return f"{self.dev.hostname} # "
        last = self._path[-1].split()[-1]
        return f"{self.dev.hostname} ({last}) # "

    def banner(self) -> str:
        return crlf(f"\n{self.dev.hostname} login: ") if self.console else self.prompt

    def _intercept(self, ch: str) -> str | None:
        if not self._more:
            return None
        if ch == " ":
            chunk, self._more = self._more[:_PAGE], self._more[_PAGE:]
        elif ch in "\r\n":
            chunk, self._more = self._more[:1], self._more[1:]
        else:
            self._more = []
            return "\r\n" + self.prompt
        text = "\r         \r" + "\r\n".join(chunk)
        return text + ("\r\n--More-- " if self._more else "\r\n" + self.prompt)

    def _rebooted(self) -> Reply:
        self.state, self._path, self._buf, self._pending, self._more = "login", [], "", None, []
        return Reply(crlf(boot_text(self.dev)) + self.banner())

    def _line(self, line: str) -> tuple[str, bool]:
        st = self.state
        if st == "login":
            if not line.strip():
                return crlf(f"\n{self.dev.hostname} login: "), False
            self.username, self.state = line.strip(), "password"
            return "\r\nPassword: ", False
        if st == "password":
            user = self.username or ""
            if self.dev.check_login(user, line) or self.dev.maintainer_ok(user, line):
                self.state = "cli"
                return crlf("\nWelcome!\n\n") + self.prompt, False
            self.state = "login"
            return crlf(f"\nLogin incorrect\n{self.dev.hostname} login: "), False
        if st == "pending" and self._pending is not None:
            return self._answer(line)
        return self._command(line)

    def _output(self, line: str) -> str:
        command, _, grep = line.partition("|")
        text = self._run(command.strip())
        g = re.match(r"\s*grep\s+(?:-\w+\s+)?(\S+)", grep)
        if g:
            text = "\n".join(x for x in text.splitlines() if g.group(1).lower() in x.lower()) + "\n"
        return text

    def _shown(self, text: str) -> str:
        lines = crlf(text).split("\r\n")
        if not self.dev.config.output_standard and len(lines) > _PAGE:
            self._more = lines[_PAGE:]
            return "\r\n".join(lines[:_PAGE]) + "\r\n--More-- "
        return "\r\n".join(lines) + self.prompt

    def _run(self, line: str) -> str:
        words = line.split()
        if self._path:
            return self._config(words, line)
        d = self.dev
        verb = words[0].lower()
        rest = " ".join(words[1:]).lower()
        if verb == "get":
            table = {"system status": get_system_status, "system performance status": performance_status,
                     "system interface physical": interface_physical, "system interface transceiver": transceivers}
            if rest in table:
                return table[rest](d)
            if rest == "system console":
                out = "standard" if d.config.output_standard else "more"
                return (f"mode                : line\nbaudrate            : 9600\noutput              : {out}\n"
                        "login               : enable\nfortiexplorer       : enable\n")
            if rest.startswith("hardware nic "):
                return nic(d, words[3])
            return _PARSE_ERROR.format(words[1] if len(words) > 1 else "")
        if verb == "diagnose":
            if rest == "debug crashlog read":
                return crashlog(d)
            if rest == "sys flash list":
                return flash_list(d)
            if rest.startswith("hardware deviceinfo nic ") and len(words) == 5:
                return nic(d, words[4])
            return _PARSE_ERROR.format(words[1] if len(words) > 1 else "")
        if verb == "execute":
            return self._execute(words[1:], rest)
        if verb == "show":
            return config_text(d) if not rest else self._show_part(rest)
        if verb == "config" and words[1:]:
            self._path = [" ".join(words[1:]).lower()]
            return ""
        if verb == "exit":
            if self.console:
                self.state = "login"
                return f"\n{d.hostname} login: "
            self.state = "closed"
            return ""
        return "Unknown action 0\n"

    def _show_part(self, rest: str) -> str:
        text = config_text(self.dev)
        m = re.match(r"(?:full-configuration )?(system \S+)$", rest)
        if not m:
            return _PARSE_ERROR.format(rest.split()[0])
        blocks = re.findall(rf"^config {re.escape(m.group(1))}\n.*?^end$", text, re.MULTILINE | re.DOTALL)
        return "\n".join(blocks) + "\n"

    def _execute(self, args: list[str], rest: str) -> str:
        d = self.dev
        if rest == "sensor list":
            return sensor_list(d)
        if rest == "log display":
            return log_display(d)
        if rest == "disk list":
            return disk_list(d)
        if rest == "factoryreset":
            return self._ask("This operation will reset the system to factory default!\n"
                             "Do you want to continue? (y/n)", self._factory_reset)
        if args[:1] == ["erase-disk"]:
            if not d.spec.disk:
                return _PARSE_ERROR.format("erase-disk")
            if args[1:] != [d.spec.disk]:
                return _PARSE_ERROR.format(args[1] if len(args) > 1 else "")
            return self._ask(f"This action will permanently erase all data on storage media {d.spec.disk} and "
                             "reboot the system.\nDo you want to continue? (y/n)", self._erase_disk)
        if rest == "reboot":
            return self._ask("This operation will reboot the system !\nDo you want to continue? (y/n)",
                             self._reboot)
        return _PARSE_ERROR.format(args[0] if args else "")

    def _confirmed(self, line: str) -> bool:
        return line.strip().lower() in ("y", "yes")

    def _factory_reset(self, line: str) -> str:
        if not self._confirmed(line):
            return "\n" + self.prompt
        self.dev.factory_reset()
        self.state = "rebooting" if self.console else "closed"
        return "\nSystem is resetting to factory default...\n"

    def _erase_disk(self, line: str) -> str:
        if not self._confirmed(line):
            return "\n" + self.prompt
        self.dev.erase_disk()
        self.dev.reload("warm reboot")
        self.state = "rebooting" if self.console else "closed"
        return "\nErasing disk ... done.\nThe system is going down NOW !!\n"

    def _reboot(self, line: str) -> str:
        if not self._confirmed(line):
            return "\n" + self.prompt
        self.dev.reload("warm reboot")
        self.state = "rebooting" if self.console else "closed"
        return "\nThe system is going down NOW !!\n"

    def _answer(self, line: str) -> tuple[str, bool]:
        handler, self._pending = self._pending, None
        self.state = "cli"
        text = handler(line) if handler is not None else ""
        if self.state == "closed":
            return crlf(text), True
        if self.state == "rebooting":
            self.generation = self.dev.generation
            return crlf(text) + self._rebooted().text, False
        return crlf(text), False

    def _config(self, words: list[str], line: str) -> str:
        cfg = self.dev.config
        verb = words[0].lower()
        where = self._path[0]
        if verb == "end":
            self._path = []
        elif verb in ("next", "abort") and len(self._path) > 1:
            self._path = self._path[:1]
        elif verb == "edit" and len(words) > 1:
            name = words[1].strip('"')
            self._path = [where, name]
            if where == "system admin":
                cfg.admins.setdefault(name, "")
        elif verb == "set" and len(words) > 2:
            key, value = words[1].lower(), " ".join(words[2:]).strip('"')
            if where == "system console" and key == "output":
                cfg.output_standard = value == "standard"
            elif where == "system global" and key == "hostname":
                cfg.hostname = value
            elif where == "system admin" and len(self._path) > 1 and key == "password":
                cfg.admins[self._path[1]] = value
        elif verb == "delete" and where == "system admin" and len(words) > 1:
            cfg.admins.pop(words[1].strip('"'), None)
        elif verb == "show":
            return config_text(self.dev)
        else:
            return _PARSE_ERROR.format(words[0])
        return ""


def boot_text(dev: FortiDevice) -> str:
    s = dev.spec
    return "\n".join([
        "", f"{s.pid} ({s.bios[:2]}:{s.bios[2:4]}-{s.bios[4:]})", f"Ver:{s.bios}", f"Serial number: {dev.serial}",
        "CPU: 1000MHz", "Total RAM: 2 GB", "Initializing boot device...", "Initializing MAC... nplite#0",
        "Please wait for OS to boot, or press any key to display configuration menu......", "",
        "Booting OS...", "Reading boot image 2829673 bytes.", "Initializing firewall...", "",
        "System is starting...", "",
    ])
