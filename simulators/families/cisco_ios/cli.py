"""Transport-independent Cisco IOS CLI session: bytes in, vendor-formatted text out."""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable

from simulators.families.cisco_ios import images, owner_data
from simulators.families.cisco_ios.catalog import OPTICS
from simulators.families.cisco_ios.device import Config, Device, FlashFile, Port
from simulators.line import LineSession, ParseError, Reply, resolve
from simulators.line import crlf as _crlf

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_FLASH_TOTAL = {"C2960X": 122_185_728, "C3750E": 57_931_776, **images.FLASH_TOTAL}


# ---------------------------------------------------------------- formatting helpers
def _uptime_text(seconds: float) -> str:
    minutes = int(seconds // 60)
    parts = []
    for unit, size in (("year", 525_600), ("week", 10_080), ("day", 1_440), ("hour", 60), ("minute", 1)):
        n, minutes = divmod(minutes, size)
        if n:
            parts.append(f"{n} {unit}{'s' if n != 1 else ''}")
    return ", ".join(parts) or "0 minutes"


def _clock_parts(epoch: float) -> tuple[time.struct_time, int]:
    return time.gmtime(epoch), int((epoch % 1) * 1000)


def _log_stamp(dev: Device, at: float) -> str:
    t, ms = _clock_parts(dev.clock() - dev.uptime() + at)
    return f"*{_MONTHS[t.tm_mon - 1]} {t.tm_mday:>2} {t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d}.{ms:03d}"


def _secret_hash(secret: str) -> str:
    digest = hashlib.md5(secret.encode()).hexdigest()
    return f"$1${digest[:4]}${digest[4:26]}"


def show_version(dev: Device) -> str:
    s = dev.spec
    members = range(1, s.stack_members + 1)
    gig = s.access_ports + sum(1 for u in s.uplinks if u == "sfp")
    ten = sum(1 for u in s.uplinks if u == "sfp+")
    recovery = "enabled" if dev.running.password_recovery else "disabled"
    lines = [
        f"Cisco IOS Software, {s.platform} Software ({s.software_image}), Version {s.version}, "
        "RELEASE SOFTWARE (fc2)",
        "Technical Support: http://www.cisco.com/techsupport",
        f"Copyright (c) 1986-20{s.compiled[11:13]} by Cisco Systems, Inc.",
        f"Compiled {s.compiled}",
        "",
        f"ROM: Bootstrap program is {s.platform} boot loader",
        f"BOOTLDR: {s.bootldr}",
        "",
        f"{dev.hostname} uptime is {_uptime_text(dev.uptime())}",
        f"System returned to ROM by {dev.reload_reason}",
        f'System image file is "flash:{s.image_file}"',
        "",
        "",
        "This product contains cryptographic features and is subject to United",
        "States and local country laws governing import, export, transfer and",
        "use. (Export notice shortened by the simulator.)",
        "",
        "License Level: lanbase" if s.platform == "C2960X" else "License Level: ipbase",
        "License Type: Permanent",
        "Next reload license Level: lanbase" if s.platform == "C2960X" else "Next reload license Level: ipbase",
        "",
        f"cisco {s.pid} {s.memory}.",
        f"Processor board ID {dev.serial}",
        f"Last reset from {'power-on' if dev.reload_reason == 'power-on' else 'warm-reset'}",
        "1 Virtual Ethernet interface",
        "1 FastEthernet interface",
        f"{gig * s.stack_members} Gigabit Ethernet interfaces",
    ]
    if ten:
        lines.append(f"{ten * s.stack_members} Ten Gigabit Ethernet interfaces")
    lines += [f"The password-recovery mechanism is {recovery}.", "",
              "512K bytes of flash-simulated non-volatile configuration memory."]
    lines += _board_block(dev, 1)
    lines += ["", "", "Switch Ports Model                     SW Version            SW Image",
              "------ ----- -----                     ----------            ----------"]
    for m in members:
        mark = "*" if m == 1 else " "
        lines.append(f"{mark}{m:>5} {gig + ten:<5} {s.pid:<25} {s.version:<21} {s.software_image}")
    for m in members[1:]:
        lines += ["", "", f"Switch {m:02d}", "---------",
                  f"Switch uptime                   : {_uptime_text(dev.uptime())}"]
        lines += _board_block(dev, m)
    nxt = dev.next_config_register  # set by `config-register`, applied at the next boot
    lines += ["", "", f"Configuration register is {dev.config_register}"
              + (f" (will be {nxt} at next reload)" if nxt else ""), "", ""]
    return "\n".join(lines)


def _board_block(dev: Device, member: int) -> list[str]:
    s = dev.spec
    serial = dev.member_serials[member - 1]
    mac = dev.base_mac[:-2] + f"{(int(dev.base_mac[-2:], 16) + 128 * (member - 1)) % 256:02X}"
    rows = [("Base ethernet MAC Address", mac),
            ("Motherboard assembly number", "73-15256-06" if s.platform == "C2960X" else "73-12554-08"),
            ("Power supply part number", "341-0528-02" if s.psu_pid is None else "341-0384-01"),
            ("Motherboard serial number", serial[:3] + serial[3:7] + "M" + serial[8:]),
            ("Power supply serial number", next((p.serial for p in dev.psus if p.member == member and p.serial),
                                                "LIT" + serial[3:])),
            ("Model revision number", "B0"), ("Motherboard revision number", "A0"),
            ("Model number", s.pid), ("System serial number", serial),
            ("Top Assembly Part Number", "68-5022-03"), ("Top Assembly Revision Number", "A0"),
            ("Version ID", s.vid), ("CLEI Code Number", "CMM1Z00ARA"),
            ("Hardware Board Revision Number", "0x13")]
    return [f"{k:<32}: {v}" for k, v in rows]


def show_inventory(dev: Device) -> str:
    out = []
    for it in dev.inventory:
        if not it.fru:
            continue
        out.append(f'NAME: "{it.name}", DESCR: "{it.descr}"')
        out.append(f"PID: {it.pid:<18}, VID: {it.vid:<4} , SN: {it.serial}")
        out.append("")
    return "\n".join(out) + "\n"


def show_env_fan(dev: Device) -> str:
    lines = [f"Switch {f.member} FAN {f.number} is {'OK' if f.ok else 'FAULTY'}" for f in dev.fans]
    return "\n".join(lines) + "\n"


def show_env_temperature(dev: Device) -> str:
    up = dev.uptime()
    out = []
    for m in range(1, dev.spec.stack_members + 1):
        sensors = [t for t in dev.temps if t.member == m]
        states = [t.state(up) for t in sensors]
        worst = "RED" if "RED" in states else "YELLOW" if "YELLOW" in states else "OK"
        out.append(f"Switch {m}: SYSTEM TEMPERATURE is {worst}")
        for i, t in enumerate(sensors):
            if i:
                out.append("")
            out += [f"{t.kind} Temperature Value: {t.value(up)} Degree Celsius",
                    f"Temperature State: {t.state(up)}",
                    f"Yellow Threshold : {t.yellow} Degree Celsius",
                    f"Red Threshold    : {t.red} Degree Celsius"]
        out.append("")
    return "\n".join(out)


def show_env_power(dev: Device) -> str:
    out = ["SW  PID                 Serial#     Status           Sys Pwr  PoE Pwr  Watts",
           "--  ------------------  ----------  ---------------  -------  -------  -----"]
    poe = dev.spec.poe_watts
    for p in dev.psus:
        good = "Good" if p.ok else "Bad"
        if p.pid is None:
            out.append(f"{p.member:<3} {'Built-in':<48} {good}")
        else:
            status = "OK" if p.ok else "No Input Power"
            watts = f"{p.watts}/{poe}" if p.ok else f"{p.watts}"
            out.append(f"{p.member}{p.bay:<2} {p.pid:<19} {p.serial:<11} {status:<16} {good:<8} {good:<8} {watts}")
    return "\n".join(out) + "\n"


def show_env_all(dev: Device) -> str:
    return show_env_fan(dev) + show_env_temperature(dev) + show_env_power(dev)


def show_post(dev: Device) -> str:
    tests = ("MA BIST", "TCAM BIST", "Thermal, Fan Tests", "PortASIC Stack Port Loopback Tests",
             "PortASIC Port Loopback Tests", "EMAC Loopback Tests")
    out = ["Stored system POST messages:", ""]
    for m in range(1, dev.spec.stack_members + 1):
        out += [f"Switch {m}", "---------", ""]
        for t in tests:
            status = "Failed" if (m == 1 and t in dev.post_failures) else "Passed"
            out += [f"POST: {t} : Begin", f"POST: {t} : End, Status {status}", ""]
    return "\n".join(out)


def show_logging(dev: Device) -> str:
    n = len(dev.logs)
    head = [
        "Syslog logging: enabled (0 messages dropped, 0 messages rate-limited, 0 flushes, 0 overruns, "
        "xml disabled, filtering disabled)",
        "", "No Active Message Discriminator.", "", "", "No Inactive Message Discriminator.", "", "",
        f"    Console logging: level debugging, {n} messages logged, xml disabled,",
        "                     filtering disabled",
        "    Monitor logging: level debugging, 0 messages logged, xml disabled,",
        "                     filtering disabled",
        f"    Buffer logging:  level debugging, {n} messages logged, xml disabled,",
        "                    filtering disabled",
        "    Exception Logging: size (4096 bytes)",
        "    Count and timestamp logging messages: disabled",
        "    File logging: disabled",
        "    Persistent logging: disabled",
        "", "No active filter modules.", "",
        f"    Trap logging: level informational, {n} message lines logged",
        "        Logging Source-Interface:       VRF Name:", "",
        "Log Buffer (4096 bytes):", "",
    ]
    return "\n".join(head + [f"{_log_stamp(dev, e.at)}: {e.text}" for e in sorted(dev.logs, key=lambda e: e.at)]) + "\n"


def show_clock(dev: Device) -> str:
    t, ms = _clock_parts(dev.clock())
    return (f"*{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d}.{ms:03d} UTC {_DAYS[t.tm_wday]} "
            f"{_MONTHS[t.tm_mon - 1]} {t.tm_mday} {t.tm_year}\n")


# ---------------------------------------------------------------- ports
def _port_type(p: Port) -> str:
    if p.kind == "copper":
        return "10/100/1000BaseTX"
    return OPTICS[p.optic][0] if p.optic else "Not Present"


def _hms(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def interface_block(dev: Device, p: Port) -> list[str]:
    """One interface of `show interfaces` in the IOS format, counters from the device model."""
    up = dev.link_up(p)
    c = dev.counters(p)
    router = dev.spec.variant == "iosxe_router"
    if p.err_disabled:
        head, why = "down, line protocol is down", " (err-disabled)"
    elif up:
        head, why = "up, line protocol is up", " (connected)"
    else:
        head, why = "down, line protocol is down", " (notconnect)"
    mbps = dev.speed_mbps(p)
    hw = {"copper": "Gigabit Ethernet", "sfp": "Gigabit Ethernet", "sfp+": "Ten Gigabit Ethernet"}[p.kind]
    if router:
        why, hw = "", "ISR4331-3x1GE" if p.name.startswith("GigabitEthernet0/0/") else p.kind == "copper" and \
            "NIM-ES2-4" or "NIM-1GE-CU-SFP"
    media = "10/100/1000BaseTX" if p.kind == "copper" else (OPTICS[p.optic][0] if p.optic else "unknown")
    if up:
        duplex = f"  Full-duplex, {mbps // 1000}Gb/s, media type is {media}" if mbps >= 10000 else \
            f"  Full-duplex, 1000Mb/s, media type is {media}"
    else:
        duplex = f"  Auto-duplex, Auto-speed, media type is {media}"
    rate_bits = c.in_pps * 412 * 8
    last = "00:00:00" if up else "never"
    return [
        f"{p.name} is {head}{why} ",
        f"  Hardware is {hw}, address is {p.mac} (bia {p.mac})",
        f"  MTU 1500 bytes, BW {mbps * 1000} Kbit/sec, DLY 10 usec, ",
        "     reliability 255/255, txload 1/255, rxload 1/255",
        "  Encapsulation ARPA, loopback not set",
        "  Keepalive set (10 sec)" if p.kind == "copper" else "  Keepalive not set",
        duplex,
        "  input flow-control is off, output flow-control is unsupported ",
        "  ARP type: ARPA, ARP Timeout 04:00:00",
        f"  Last input {last}, output {last}, output hang never",
        '  Last clearing of "show interface" counters never',
        "  Input queue: 0/75/0/0 (size/max/drops/flushes); Total output drops: 0",
        "  Queueing strategy: fifo",
        "  Output queue: 0/40 (size/max)",
        f"  5 minute input rate {rate_bits} bits/sec, {c.in_pps} packets/sec",
        f"  5 minute output rate {rate_bits} bits/sec, {c.out_pps} packets/sec",
        f"     {c.in_pkts} packets input, {c.in_bytes} bytes, 0 no buffer",
        f"     Received {c.broadcasts} broadcasts ({c.multicasts} multicasts)",
        f"     {c.runts} runts, {c.giants} giants, 0 throttles ",
        f"     {c.in_errors} input errors, {c.crc} CRC, 0 frame, 0 overrun, 0 ignored",
        f"     0 watchdog, {c.multicasts} multicast, 0 pause input",
        "     0 input packets with dribble condition detected",
        f"     {c.out_pkts} packets output, {c.out_bytes} bytes, 0 underruns",
        f"     {c.out_errors} output errors, 0 collisions, {c.resets} interface resets",
        "     0 unknown protocol drops",
        "     0 babbles, 0 late collision, 0 deferred",
        "     0 lost carrier, 0 no carrier, 0 pause output",
        "     0 output buffer failures, 0 output buffers swapped out",
    ]


def _svi_block(dev: Device, name: str) -> list[str]:
    mac = dev.base_mac.replace(":", "").lower()
    mac = f"{mac[0:4]}.{mac[4:8]}.{mac[8:12]}"
    return [
        f"{name} is administratively down, line protocol is down ",
        f"  Hardware is EtherSVI, address is {mac} (bia {mac})",
        "  MTU 1500 bytes, BW 1000000 Kbit/sec, DLY 10 usec, ",
        "     reliability 255/255, txload 1/255, rxload 1/255",
        "  Encapsulation ARPA, loopback not set",
        "  Keepalive not supported ",
        "  ARP type: ARPA, ARP Timeout 04:00:00",
        "  Last input never, output never, output hang never",
        '  Last clearing of "show interface" counters never',
        "  Input queue: 0/75/0/0 (size/max/drops/flushes); Total output drops: 0",
        "  Queueing strategy: fifo",
        "  Output queue: 0/40 (size/max)",
        "  5 minute input rate 0 bits/sec, 0 packets/sec",
        "  5 minute output rate 0 bits/sec, 0 packets/sec",
        "     0 packets input, 0 bytes, 0 no buffer",
        "     Received 0 broadcasts (0 IP multicasts)",
        "     0 runts, 0 giants, 0 throttles ",
        "     0 input errors, 0 CRC, 0 frame, 0 overrun, 0 ignored",
        "     0 packets output, 0 bytes, 0 underruns",
        "     0 output errors, 0 interface resets",
        "     0 unknown protocol drops",
        "     0 output buffer failures, 0 output buffers swapped out",
    ]


def show_interfaces(dev: Device, only: Port | None = None) -> str:
    if only is not None:
        return "\n".join(interface_block(dev, only)) + "\n"
    out: list[str] = []
    for name in dev.virtual_ifaces():
        out += _svi_block(dev, name)
    for p in dev.ports:
        out += interface_block(dev, p)
    return "\n".join(out) + "\n"


def show_interfaces_status(dev: Device) -> str:
    out = ["", "Port         Name               Status       Vlan       Duplex  Speed Type "]
    for p in dev.ports:
        up = dev.link_up(p)
        duplex, speed = ("a-full", "a-10G" if p.kind == "sfp+" else "a-1000") if up else ("auto", "auto")
        vlan = "routed" if dev.spec.variant == "iosxe_router" and p.name.startswith("GigabitEthernet0/0/") else "1"
        out.append(f"{p.short:<12} {'':<18} {dev.status(p):<12} {vlan:<10} {duplex:>6} {speed:>6} {_port_type(p)}")
    return "\n".join(out) + "\n"


def show_counters_errors(dev: Device) -> str:
    out = ["", "Port        Align-Err     FCS-Err    Xmit-Err     Rcv-Err  UnderSize  OutDiscards"]
    for p in dev.ports:
        c = dev.counters(p)
        out.append(f"{p.short:<11} {0:>10} {c.crc:>11} {c.out_errors:>11} {c.in_errors:>11} {c.runts:>10} "
                   f"{0:>12}")
    out += ["", "Port       Single-Col  Multi-Col   Late-Col  Excess-Col  Carri-Sen      Runts"]
    for p in dev.ports:
        c = dev.counters(p)
        out.append(f"{p.short:<10} {0:>10} {0:>10} {0:>10} {0:>11} {0:>10} {c.runts:>10}")
    return "\n".join(out) + "\n"


def show_interfaces_summary(dev: Device) -> str:
    out = [
        "", " *: interface is up",
        " IHQ: pkts in input hold queue     IQD: pkts dropped from input queue",
        " OHQ: pkts in output hold queue    OQD: pkts dropped from output queue",
        " RXBS: rx rate (bits/sec)          RXPS: rx rate (pkts/sec)",
        " TXBS: tx rate (bits/sec)          TXPS: tx rate (pkts/sec)",
        " TRTL: throttle count", "",
        "  Interface                   IHQ       IQD       OHQ       OQD      RXBS      RXPS      TXBS      TXPS"
        "      TRTL",
        "-" * 113,
    ]
    # IOS abbreviates the long 10G+ names in this table (Te1/1/1) to keep the columns.
    names = [(n, None) for n in dev.virtual_ifaces()] + [
        (p.short if p.name.startswith("TenGig") else p.name, p) for p in dev.ports]
    for name, p in names:
        c = dev.counters(p) if p is not None else None
        pps = c.in_pps if c else 0
        mark = "*" if p is not None and dev.link_up(p) else " "
        out.append(f"{mark} {name:<26} {0:>4} {0:>9} {0:>9} {0:>9} {pps * 3296:>9} {pps:>9} {pps * 3296:>9} "
                   f"{pps:>9} {0:>9}")
    return "\n".join(out) + "\n"


def show_ip_interface_brief(dev: Device) -> str:
    out = ["Interface              IP-Address      OK? Method Status                Protocol"]
    mgmt = getattr(dev, "mgmt_address", None)
    for name in dev.virtual_ifaces():
        if mgmt and name == "Vlan1":
            out.append(f"{name:<22} {mgmt[0]:<15} YES manual up                    up      ")
        else:
            out.append(f"{name:<22} unassigned      YES unset  administratively down down    ")
    for p in dev.ports:
        st = "up" if dev.link_up(p) else "down"
        status = "administratively down" if p.shutdown else st
        out.append(f"{p.name:<22} unassigned      YES unset  {status:<21} {st:<8}")
    return "\n".join(out) + "\n"


def show_power_inline(dev: Device) -> str:
    powered = [p for p in dev.ports if p.kind == "copper"]
    used = sum(dev.poe_power(p) for p in powered)
    budget = float(dev.spec.poe_watts)
    out = ["", "Module   Available     Used     Remaining", "          (Watts)     (Watts)    (Watts) ",
           "------   ---------   --------   ---------",
           f"{1:<8} {budget:>9.1f} {used:>10.1f} {budget - used:>11.1f}",
           "Interface Admin  Oper       Power   Device              Class Max",
           "                            (Watts)                            ",
           "--------- ------ ---------- ------- ------------------- ----- ----"]
    for p in powered:
        if p.poe_faulty:
            oper, device, cls = "fault", "n/a", "n/a"
        elif p.poe_class is not None:
            oper, device, cls = "on", "Ieee PD", str(p.poe_class)
        else:
            oper, device, cls = "off", "n/a", "n/a"
        out.append(f"{p.short:<9} {'auto':<6} {oper:<10} {dev.poe_power(p):>7.1f} {device:<19} {cls:<5} 30.0 ")
    out += ["--------- ------ ---------- ------- ------------------- ----- ----",
            f"Totals:          {sum(1 for p in powered if dev.poe_power(p)):>3}    on module 1     {used:>5.1f}", ""]
    return "\n".join(out)


def show_transceiver(dev: Device) -> str:
    """The summary table (`show interfaces transceiver`)."""
    out = ["If device is externally calibrated, only calibrated values are printed.",
           "++ : high alarm, +  : high warning, -  : low warning, -- : low alarm.",
           "NA or N/A: not applicable, Tx: transmit, Rx: receive.",
           "mA: milliamperes, dBm: decibels (milliwatts).", "",
           "                                           Optical   Optical",
           "           Temperature  Voltage  Current   Tx Power  Rx Power",
           "Port       (Celsius)    (Volts)  (mA)      (dBm)     (dBm)",
           "---------  -----------  -------  --------  --------  --------"]
    for p in dev.ports:
        if p.optic:
            d = dev.dom(p)
            out.append(f"{p.short:<10} {d['temp']:>9.1f}    {d['volt']:>6.2f}  {d['current']:>7.1f}  "
                       f"{d['tx']:>8.1f}  {d['rx']:>8.1f}")
    return "\n".join(out) + "\n"


def _flag(value: float, th: tuple[float, float, float, float, float]) -> str:
    ha, hw, lw, la = th[:4]
    return "++" if value >= ha else "+" if value >= hw else "--" if value <= la else "-" if value <= lw else ""


def show_transceiver_detail(dev: Device) -> str:
    """Per-optic DOM with the optic's own thresholds; a reading past one is flagged as IOS does."""
    from simulators.families.cisco_ios.device import DOM

    optics = [p for p in dev.ports if p.optic]
    out = ["ITU Channel not available (Wavelength not available),",
           "Transceiver is internally calibrated.",
           "mA: milliamperes, dBm: decibels (milliwatts), NA or N/A: not applicable.",
           "++ : high alarm, +  : high warning, -  : low warning, -- : low alarm.",
           "A2D readouts (if they differ), are reported in parentheses.",
           "The threshold values are calibrated.", ""]
    tables = (("temp", "Temperature", "(Celsius)", "(Celsius)", 1), ("volt", "Voltage", "(Volts)", "(Volts)", 2),
              ("current", "Current", "(milliamperes)", "(mA)", 1), ("tx", "Transmit Power", "(dBm)", "(dBm)", 1),
              ("rx", "Receive Power", "(dBm)", "(dBm)", 1))
    for key, title, unit, tunit, prec in tables:
        optical = key in ("tx", "rx")
        out.append(f"{'':<11}{'Optical' if optical else '':<19}High Alarm  High Warn  Low Warn   Low Alarm")
        out.append(f"{'':<11}{title:<19}Threshold   Threshold  Threshold  Threshold")
        out.append(f"Port       {unit:<19}{tunit:<12}{tunit:<11}{tunit:<11}{tunit}")
        out.append("---------  -----------------  ----------  ---------  ---------  ---------")
        for p in optics:
            th = DOM[p.optic or ""][key]
            val = dev.dom(p)[key]
            reading = f"{val:.{prec}f} {_flag(val, th)}".rstrip()
            out.append(f"{p.short:<10} {reading:>8}{'':<11}{th[0]:>8.{prec}f}   {th[1]:>8.{prec}f}   "
                       f"{th[2]:>8.{prec}f}   {th[3]:>8.{prec}f}")
        out.append("")
    return "\n".join(out) + "\n"


def tdr_pairs(dev: Device, p: Port) -> list[tuple[str, str, str, str]]:
    """(local pair, length, remote pair, status) as the PHY sees the cable."""
    if p.harness == "loopback" and not p.dead:
        swap = {"A": "B", "B": "A", "C": "D", "D": "C"}  # a loopback plug crosses the pairs
        return [(f"Pair {x}", "1    +/- 1  meters", f"Pair {swap[x]}", "Normal") for x in "ABCD"]
    return [(f"Pair {x}", "0    +/- 1  meters", "N/A", "Open") for x in "ABCD"]


def show_tdr(dev: Device, p: Port, ran_at: float | None) -> str:
    if ran_at is None:
        return f"% TDR test was never issued on {p.short}\n"
    t, _ = _clock_parts(dev.clock() - dev.uptime() + ran_at)
    speed = "1000M" if dev.link_up(p) else "auto"
    out = [f"TDR test last run on: {time.strftime('%B %d %H:%M:%S', t)}", "",
           "Interface Speed Local pair Pair length        Remote pair Pair status",
           "--------- ----- ---------- ------------------ ----------- --------------------"]
    for i, (local, length, remote, status) in enumerate(tdr_pairs(dev, p)):
        lead = f"{p.short:<9} {speed:<5}" if i == 0 else " " * 15
        out.append(f"{lead} {local:<10} {length:<18} {remote:<11} {status:<20}")
    return "\n".join(out) + "\n"


def show_hosts(dev: Device) -> str:
    dom = dev.running.domain
    return "\n".join([f"Default domain is {dom}" if dom else "Default domain is not set",
                      "Name/address lookup uses domain service", "Name servers are 255.255.255.255", "",
                      "Codes: UN - unknown, EX - expired, OK - OK, ?? - revalidate",
                      "       temp - temporary, perm - permanent", "       NA - Not Applicable None - Not defined", "",
                      "Host                      Port  Flags      Age Type   Address(es)", ""])


def show_proc_cpu(dev: Device) -> str:
    one = dev.cpu_percent()
    return "\n".join([
        f"CPU utilization for five seconds: {one + 1}%/0%; one minute: {one}%; five minutes: {one}%",
        " PID Runtime(ms)     Invoked      uSecs   5Sec   1Min   5Min TTY Process ",
        "   1          12         412         29  0.00%  0.00%  0.00%   0 Chunk Manager    ",
        "   2        1448       53719         26  0.00%  0.00%  0.00%   0 Load Meter       ",
        "   3       91243      412031        221  0.07%  0.05%  0.05%   0 Check heaps      ", ""])


def show_memory_statistics(dev: Device) -> str:
    out = ["                Head    Total(b)     Used(b)     Free(b)   Lowest(b)  Largest(b)"]
    for name, head, total, used in dev.memory_pools():
        free = total - used
        out.append(f"{name:>9} {head:>10} {total:>11} {used:>11} {free:>11} {free - 1_204_112:>11} "
                   f"{free - 3_307_216:>11}")
    return "\n".join(out) + "\n"


def _config_text(dev: Device, cfg: Config) -> list[str]:
    s = dev.spec
    out = ["!", "version " + s.version.split("(")[0], "no service pad",
           "service timestamps debug datetime msec", "service timestamps log datetime msec",
           "no service password-encryption"]
    if not cfg.password_recovery:
        out.append("no service password-recovery")
    out += ["!", f"hostname {cfg.hostname}", "!", "boot-start-marker", "boot-end-marker", "!"]
    if cfg.enable_secret is not None:
        out += [f"enable secret 5 {_secret_hash(cfg.enable_secret)}", "!"]
    for user, pw in cfg.users.items():
        out.append(f"username {user} password 0 {pw}")
    out += ["no aaa new-model"]
    for m in range(1, s.stack_members + 1):
        out.append(f"switch {m} provision {s.pid.lower()}")
    if cfg.domain:
        out.append(f"ip domain-name {cfg.domain}")
    out += ["!", "spanning-tree mode rapid-pvst", "spanning-tree extend system-id", "!"]
    if cfg.vlans:
        out += ["vtp mode transparent", "!"]
        for vid, name in sorted(cfg.vlans.items()):
            out += [f"vlan {vid}", f" name {name}", "!"]
    for p in dev.ports:
        out += [f"interface {p.name}", "!"]
    out += ["interface Vlan1", " no ip address", " shutdown", "!", "ip http server", "ip http secure-server"]
    out += owner_data.config_lines(dev) if cfg is dev.running or cfg is dev.startup else []  # refurb-steps
    out += [*cfg.extra, "!", "line con 0", "line vty 0 4"]
    if cfg.users:
        out += [" login local", " transport input ssh", "line vty 5 15", " login local", " transport input ssh"]
    else:
        out += [" login", "line vty 5 15", " login"]
    out += ["!", "end", ""]
    return out


def show_running(dev: Device) -> str:
    body = _config_text(dev, dev.running)
    size = sum(len(x) + 1 for x in body)
    return "\n".join(["Building configuration...", "", f"Current configuration : {size} bytes", *body])


def show_startup(dev: Device) -> str:
    if dev.startup is None:
        return "startup-config is not present\n"
    body = _config_text(dev, dev.startup)
    return "\n".join([f"Using {sum(len(x) + 1 for x in body)} out of 524288 bytes", *body])


def _resolve(dev: Device, arg: str) -> tuple[str, dict[str, FlashFile] | None, FlashFile | None]:
    """`flash:/crashinfo/x` -> (display path, containing dir, file or None)."""
    path = arg.split(":", 1)[1] if ":" in arg else arg
    parts = [p for p in path.split("/") if p]
    here: dict[str, FlashFile] | None = dev.flash
    node: FlashFile | None = None
    for i, part in enumerate(parts):
        if here is None or part not in here:
            return "flash:/" + "/".join(parts), (here if i == len(parts) - 1 else None), None
        node = here[part]
        if i < len(parts) - 1:
            here = node.children if node.is_dir else None
    return "flash:/" + "/".join(parts), here, node


def dir_listing(dev: Device, arg: str = "") -> str:
    arg = arg or "flash:"
    if arg.startswith("crashinfo:"):
        arg = "flash:/crashinfo/" + arg.split(":", 1)[1]
    if not (arg.startswith("flash:") or ":" not in arg):
        return f"%Error opening {arg} (No such device)\n"
    shown, _, node = _resolve(dev, arg)
    if shown == "flash:/":
        entries = dev.flash
    elif node is not None and node.is_dir:
        entries = node.children
        shown += "/"
    elif node is not None:
        entries = {shown.rsplit("/", 1)[1]: node}
        shown = shown.rsplit("/", 1)[0] + "/"
    else:
        return f"%Error opening {shown} (No such file or directory)\n"
    total = _FLASH_TOTAL.get(dev.spec.platform, 64_016_384)
    used = sum(f.size + sum(c.size for c in f.children.values()) for f in dev.flash.values())
    out = [f"Directory of {shown}", ""]
    for i, (name, f) in enumerate(entries.items(), 2):
        perm = "drwx" if f.is_dir else "-rwx"
        out.append(f"{i:>5}  {perm} {f.size:>12}  {f.date:>26}  {name}")
    out += ["", f"{total} bytes total ({total - used} bytes free)"]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- the session
# Exec command patterns; "<n>" a number, "<rest>" the rest of the line (optional).
_EXEC: list[tuple[str, ...]] = [
    ("enable",), ("disable",), ("exit",), ("logout",), ("quit",),
    ("terminal", "length", "<n>"), ("terminal", "width", "<n>"), ("terminal", "no", "monitor"),
    ("terminal", "monitor"),
    ("show", "version"), ("show", "inventory"), ("show", "environment"), ("show", "environment", "all"),
    ("show", "environment", "temperature"), ("show", "environment", "temperature", "status"),
    ("show", "environment", "power"), ("show", "environment", "power", "all"),
    ("show", "environment", "fan"), ("show", "post"), ("show", "logging"), ("show", "clock"),
    ("show", "interfaces", "status"), ("show", "running-config"), ("show", "startup-config"),
    ("show", "privilege"), ("show", "interfaces"), ("show", "interfaces", "counters", "errors"),
    ("show", "interfaces", "summary"), ("show", "interfaces", "transceiver"),
    ("show", "interfaces", "transceiver", "detail"), ("show", "ip", "interface", "brief"), ("show", "hosts"),
    ("show", "processes", "cpu"), ("show", "memory", "statistics"), ("show", "power", "inline"),
    ("show", "platform"), ("show", "boot"), ("show", "cable-diagnostics", "tdr", "interface", "<rest>"),
    ("test", "cable-diagnostics", "tdr", "interface", "<rest>"),
    ("dir", "<rest>"), ("write",), ("write", "memory"), ("write", "erase"), ("delete", "<rest>"),
    ("reload",), ("verify", "<rest>"), ("configure", "terminal"), ("copy", "running-config", "startup-config"),
    ("erase", "startup-config"), ("erase", "nvram:"),
    *owner_data.EXEC,  # refurb-steps: licences, crypto material, factory reset
]
_USER_OK = {"enable", "disable", "exit", "logout", "quit", "terminal"}
_USER_SHOW_OK = {"version", "inventory", "environment", "clock", "interfaces", "post", "privilege", "hosts",
                 "processes", "memory", "ip", "power", "platform"}
# `show interfaces Gi1/0/1`: the interface word abbreviated as IOS allows, then a port name.
_SHOW_ONE_IF = re.compile(r"^\s*sh(?:o|ow)?\s+int(?:e|er|erf|erfa|erfac|erface|erfaces)?\s+(\S+)\s*$", re.I)
_CONFIG_WORDS = ("end", "exit", "do", "hostname", "enable", "username", "service", "no", "vlan", "name",
                 "interface", "config-register", "line", "login", "transport", "ip", "logging", "snmp-server",
                 "ntp", "spanning-tree", "banner", "crypto", "aaa", "clock", "description", "shutdown",
                 "switchport", "password", "exec-timeout", "vtp", "boot", "license")


class Match:
    def __init__(self, words: tuple[str, ...], rest: str) -> None:
        self.words, self.rest = words, rest


def parse_exec(line: str) -> Match:
    """Resolve IOS abbreviations (`sh env all`) against _EXEC; ParseError tells what IOS would say."""
    return Match(*resolve(line, _EXEC))


class IosSession(LineSession):
    """One CLI line (a vty over SSH or the console). Feed input, get a Reply.

    The console starts at the "Press RETURN" stage; a boot stage (ROMMON, setup dialog) can be
    added as another state in front of it.
    """

    secret_states = frozenset({"password", "enable_password"})

    def __init__(self, device: Device, *, console: bool, username: str | None = None) -> None:
        super().__init__(device, console=console, username=username, state="press_return" if console else "cli")
        self.dev: Device = device
        self.mode = "exec"  # exec | priv | config | config-if | config-vlan | config-line
        self._enable_tries = 0
        self._login_tries = 0
        self._login_user = ""
        self._vlan: int | None = None

    # ---------- prompts
    def banner(self) -> str:
        """What the line shows when a client attaches."""
        if self.console:
            return _crlf("\n\nPress RETURN to get started!\n\n\n") if self.state == "press_return" else ""
        return _crlf("\n") + self.prompt

    # ---------- keys the line hands to IOS
    def _ctrl_z(self) -> str:
        if not self.mode.startswith("config"):
            return ""
        self._buf = ""
        return "^Z" + _crlf("\n" + self._leave_config()) + self.prompt

    def _rebooted(self) -> Reply:
        self._reset_to_boot()
        if self.line_boots:  # the console line plays the boot itself (simulators/boot.py)
            return Reply("")
        return Reply(_crlf(boot_text(self.dev)) + self.banner())

    def _reset_to_boot(self) -> None:
        self.mode, self.state, self._buf, self._pending = "exec", "press_return", "", None
        if self.dev.startup is None:
            self.state = "setup"

    # ---------- one line
    def _line(self, line: str) -> tuple[str, bool]:
        """Handle one entered line; returns (CRLF text including the next prompt, hang up?)."""
        nl = "\r\n"
        st = self.state
        if st == "press_return":
            return self._to_login(), False
        if st == "setup":
            self.state = "press_return"
            return _crlf("\n\nPress RETURN to get started!\n\n"), False
        if st == "username":
            if not line.strip():
                return nl + "Username: ", False
            self._login_user, self.state = line.strip(), "password"
            return nl + "Password: ", False
        if st == "password":
            if self.dev.check_login(self._login_user, line):
                self.state, self.mode, self.username = "cli", "exec", self._login_user
                return nl + nl + self.prompt, False
            self._login_tries += 1
            self.state = "username"
            return _crlf("\n% Login invalid\n\nUsername: "), False
        if st == "enable_password":
            if self.dev.check_enable(line):
                self.state, self.mode, self._enable_tries = "cli", "priv", 0
                return nl + self.prompt, False
            self._enable_tries += 1
            if self._enable_tries >= 3:
                self.state, self._enable_tries = "cli", 0
                return _crlf("\n% Bad secrets\n\n") + self.prompt, False
            return _crlf("\n% Access denied\n\nPassword: "), False
        if st == "pending" and self._pending is not None:
            return self._answer(line)
        return self._command(line)

    def _to_login(self) -> str:
        self.generation = self.dev.generation
        if not self.dev.running.users:
            self.state, self.mode = "cli", "exec"
            return "\r\n" + self.prompt
        self.state = "username"
        return _crlf("\n\nUser Access Verification\n\nUsername: ")

    def _command(self, line: str) -> tuple[str, bool]:
        if not line.strip():
            return "\r\n" + self.prompt, False
        if self._ssh_dropped():
            return "", True  # ssh_drop: the link dies mid-session
        if self.mode.startswith("config"):
            text = self._config(line)
        else:
            text = self._exec(line)
        if self.state == "closed":
            return _crlf(text), True
        if self.state in ("pending", "enable_password") or self.work is not None:
            return _crlf("\n" + text), False
        return _crlf("\n" + text) + self.prompt, False

    def _error(self, line: str, err: ParseError) -> str:
        if err.kind == "ambiguous":
            return f'% Ambiguous command:  "{line.strip()}"\n'
        if err.kind == "incomplete":
            return "% Incomplete command.\n\n"
        return " " * (len(self.prompt) + err.pos) + "^\n% Invalid input detected at '^' marker.\n\n"

    # ---------- exec / privileged
    def _exec(self, line: str) -> str:
        imaged = images.exec_line(self, line)  # copy from the image server, verify, flashN: of stack members
        if imaged is not None:
            return imaged
        one = _SHOW_ONE_IF.match(line)
        if one and self.dev.port(one.group(1)) is not None:
            return show_interfaces(self.dev, self.dev.port(one.group(1)))
        try:
            m = parse_exec(line)
        except ParseError as err:
            return self._error(line, err)
        w = m.words
        if self.mode == "exec" and not (w[0] in _USER_OK or (w[0] == "show" and w[1] in _USER_SHOW_OK)):
            return self._error(line, ParseError("invalid", line.index(line.split()[0])))
        d = self.dev
        if w == ("enable",):
            if self.mode == "priv":
                return ""
            if d.running.enable_secret is None:
                if self.console:
                    self.mode = "priv"
                    return ""
                return "% No password set\n"
            self.state = "enable_password"
            return "Password: "
        if w == ("disable",):
            self.mode = "exec"
            return ""
        if w[0] in ("exit", "logout", "quit"):
            if self.console:
                self._reset_to_boot()
                self.state = "press_return"
                return f"\n\n{d.hostname} con0 is now available\n\n\n\n\n\nPress RETURN to get started.\n\n\n"
            self.state = "closed"
            return ""
        if w[0] == "terminal":
            return ""
        owned = owner_data.exec_command(self, w, m.rest)  # refurb-steps: licences, keys, factory reset
        if owned is not None:
            return owned
        if w[0] == "test" or w[:2] == ("show", "cable-diagnostics"):
            return self._tdr_command(w[0] == "test", m.rest)
        if w[0] == "show":
            return self._show(w[1:])
        if w[0] == "dir":
            return dir_listing(d, _path_arg(m.rest))
        if w == ("configure", "terminal"):
            self.mode = "config"
            return "Enter configuration commands, one per line.  End with CNTL/Z.\n"
        if w in (("write",), ("write", "memory"), ("copy", "running-config", "startup-config")):
            if w[0] == "copy":
                return self._ask("Destination filename [startup-config]? ", self._save)
            return self._save("")
        if w in (("write", "erase"), ("erase", "startup-config"), ("erase", "nvram:")):
            return self._ask("Erasing the nvram filesystem will remove all configuration files! "
                             "Continue? [confirm]", self._erase)
        if w[0] == "delete":
            return self._delete(m.rest)
        if w[0] == "verify":
            return self._verify(m.rest)
        if w == ("reload",):
            if not _same(d.running, d.startup):
                return self._ask("System configuration has been modified. Save? [yes/no]: ", self._reload_save)
            return self._ask("Proceed with reload? [confirm]", self._reload)
        return self._error(line, ParseError("invalid", 0))

    def _tdr_command(self, run: bool, arg: str) -> str:
        port = self.dev.port(arg.strip()) if arg.strip() else None
        if port is None:
            return " " * (len(self.prompt) + 0) + "^\n% Invalid input detected at '^' marker.\n\n"
        if port.kind != "copper":
            return f"% TDR test is not supported on {port.short}\n"
        if run:
            self.dev.tdr_runs[port.short] = self.dev.uptime()
            return (f"TDR test started on interface {port.short}\n"
                    "A TDR test can take a few seconds to run on an interface\n"
                    "Use 'show cable-diagnostics tdr' to read the TDR results.\n")
        return show_tdr(self.dev, port, self.dev.tdr_runs.get(port.short))

    def show_table(self) -> dict[tuple[str, ...], Callable[[Device], str]]:
        """`show` commands this session answers; IOS-XE variants override or extend it."""
        table: dict[tuple[str, ...], Callable[[Device], str]] = {
            ("version",): show_version, ("inventory",): show_inventory,
            ("environment",): show_env_all, ("environment", "all"): show_env_all,
            ("environment", "temperature"): show_env_temperature,
            ("environment", "temperature", "status"): show_env_temperature,
            ("environment", "power"): show_env_power, ("environment", "power", "all"): show_env_power,
            ("environment", "fan"): show_env_fan, ("post",): show_post, ("logging",): show_logging,
            ("clock",): show_clock, ("interfaces", "status"): show_interfaces_status,
            ("running-config",): show_running, ("startup-config",): show_startup,
            ("interfaces",): show_interfaces, ("interfaces", "counters", "errors"): show_counters_errors,
            ("interfaces", "summary"): show_interfaces_summary, ("interfaces", "transceiver"): show_transceiver,
            ("interfaces", "transceiver", "detail"): show_transceiver_detail,
            ("ip", "interface", "brief"): show_ip_interface_brief, ("hosts",): show_hosts,
            ("processes", "cpu"): show_proc_cpu, ("memory", "statistics"): show_memory_statistics,
            ("boot",): images.show_boot,
        }
        if self.dev.spec.poe:
            table[("power", "inline")] = show_power_inline
        table.update(owner_data.SHOW)  # refurb-steps: licences, keys, certificates
        return table

    def _show(self, w: tuple[str, ...]) -> str:
        if w == ("privilege",):
            return f"Current privilege level is {15 if self.mode != 'exec' else 1}\n"
        fn = self.show_table().get(w)
        if fn is None:
            return " " * (len(self.prompt) + 5) + "^\n% Invalid input detected at '^' marker.\n\n"
        return fn(self.dev)

    def _save(self, _line: str) -> str:
        self.dev.write_memory()
        return "Building configuration...\n[OK]\n"

    def _erase(self, line: str) -> str:
        if line.strip().lower() not in ("", "y", "yes"):
            return "\n"
        self.dev.write_erase()
        self.dev.log("%SYS-7-NV_BLOCK_INIT: Initialized the geometry of nvram")
        return "[OK]\nErase of nvram: complete\n"

    def _delete(self, rest: str) -> str:
        args = rest.split()
        force = "/force" in args
        recursive = "/recursive" in args
        paths = [a for a in args if not a.startswith("/") or ":" in a]
        target = paths[0] if paths else ""

        def do_delete(path: str) -> str:
            shown, parent, node = _resolve(self.dev, path)
            if node is None or parent is None:
                return f"%Error deleting {shown} (No such file or directory)\n"
            if node.is_dir and not recursive:
                return f"%Error deleting {shown} (Is a directory)\n"
            del parent[shown.rsplit("/", 1)[1]]
            return ""

        if force:
            return do_delete(target)

        def confirm(path: str) -> Callable[[str], str]:
            def handler(answer: str) -> str:
                if answer.strip().lower() not in ("", "y", "yes"):
                    return ""
                return do_delete(path)
            return handler

        def name_given(answer: str) -> str:
            path = answer.strip() or target
            shown = _resolve(self.dev, path if ":" in path else "flash:" + path)[0]
            return self._ask(f"\nDelete {shown}? [confirm]", confirm(shown))

        name = target.split(":", 1)[-1].lstrip("/")
        return self._ask(f"Delete filename [{name}]? ", name_given)

    def _verify(self, rest: str) -> str:
        args = rest.split()
        algo = next((a for a in args if a in ("/md5", "/sha512")), None)
        path = next((a for a in args if not a.startswith("/") or ":" in a), "")
        if algo is None or not path:
            return "% Incomplete command.\n\n"
        shown, _, node = _resolve(self.dev, path if ":" in path else "flash:" + path)
        if node is None or node.is_dir:
            return f"%Error opening {shown} (No such file or directory)\n"
        seed = node.md5 or f"{shown}:{node.size}"
        digest = node.md5 if algo == "/md5" and node.md5 else (
            hashlib.md5(seed.encode()).hexdigest() if algo == "/md5" else hashlib.sha512(seed.encode()).hexdigest())
        dots = "." * max(1, min(60, node.size // 400_000))
        return f"{dots}Done!\nverify {algo} ({shown.replace(':/', ':')}) = {digest}\n\n"

    def _reload_save(self, line: str) -> str:
        ans = line.strip().lower()
        if ans in ("y", "yes"):
            self.dev.write_memory()
            return "Building configuration...\n[OK]\n" + self._ask("Proceed with reload? [confirm]", self._reload)
        if ans in ("n", "no"):
            return self._ask("Proceed with reload? [confirm]", self._reload)
        return "% Please answer 'yes' or 'no'.\n" + self._ask(
            "System configuration has been modified. Save? [yes/no]: ", self._reload_save)

    def _reload(self, line: str) -> str:
        if line.strip().lower() not in ("", "y", "yes"):
            return "\n"
        self.dev.log("%SYS-5-RELOAD: Reload requested by console. Reload Reason: Reload Command.")
        self.dev.reload("Reload Command")
        self.state = "rebooting" if self.console else "closed"
        return "\n"

    # ---------- configuration mode
    def _leave_config(self) -> str:
        self.mode = "priv"
        who = "console" if self.console else f"{self.username or 'vty'} on vty0 (127.0.0.1)"
        self.dev.log(f"%SYS-5-CONFIG_I: Configured from console by {who}")
        return ""

    def _config(self, line: str) -> str:
        words = line.split()
        first = words[0].lower()
        matches = [w for w in _CONFIG_WORDS if w.startswith(first)]
        if first in _CONFIG_WORDS:
            matches = [first]
        if len(matches) != 1:
            if matches:
                return f'% Ambiguous command:  "{line.strip()}"\n'
            return self._error(line, ParseError("invalid", line.index(words[0])))
        kw, args = matches[0], words[1:]
        cfg = self.dev.running
        owned = owner_data.config_command(self, kw, args)  # refurb-steps: keys, trustpoints, Smart Licensing
        if owned is not None:
            return owned
        if kw == "end":
            return self._leave_config()
        if kw == "exit":
            if self.mode == "config":
                return self._leave_config()
            self.mode = "config"
            return ""
        if kw == "do":
            saved = self.mode
            self.mode = "priv"
            try:
                return self._exec(" ".join(args))
            finally:
                self.mode = saved if self.mode == "priv" else self.mode
        if kw == "hostname" and args:
            cfg.hostname = args[0]
        elif kw == "enable" and len(args) >= 2 and args[0] in ("secret", "password"):
            cfg.enable_secret = args[-1]
        elif kw == "username" and len(args) >= 3:
            cfg.users[args[0]] = args[-1]
        elif kw == "service" and args[:1] == ["password-recovery"]:
            cfg.password_recovery = True
        elif kw == "no":
            self._negate(cfg, args)
        elif kw == "vlan" and args and args[0].isdigit():
            self._vlan = int(args[0])
            cfg.vlans.setdefault(self._vlan, f"VLAN{self._vlan:04d}")
            self.mode = "config-vlan"
        elif kw == "name" and self.mode == "config-vlan" and args and self._vlan is not None:
            cfg.vlans[self._vlan] = args[0]
        elif kw == "interface" and args:
            self.mode = "config-if"
            self._iface = " ".join(args)
        elif self.mode == "config-if" and kw == "shutdown":
            self._set_shutdown(True)
        elif self.mode == "config-if" and kw == "ip" and args[:1] == ["address"] and len(args) == 3:
            if self._iface.lower().replace(" ", "") in ("vlan1", "vl1"):
                self.dev.mgmt_address = (args[1], args[2])
        elif kw == "boot" and self.mode == "config":
            return images.configure_boot(self.dev, args)
        elif kw == "line" and args:
            self.mode = "config-line"
            self._line_name = " ".join(args).lower()
        elif self.mode == "config-line" and kw == "speed":
            return images.configure_speed(self, getattr(self, "_line_name", ""), args)
        elif kw == "config-register" and args:
            # Takes effect at the next reload, as on the real thing; sanitization reads it from there.
            same = args[0].lower() == self.dev.config_register.lower()
            self.dev.next_config_register = None if same else args[0]
        elif self.mode == "config":
            cfg.extra.append(line.strip())
        return ""

    def _set_shutdown(self, down: bool) -> None:
        port = self.dev.port(getattr(self, "_iface", "").replace(" ", ""))
        if port is not None:
            port.shutdown = down
            state = "administratively down" if down else "up"
            self.dev.log(f"%LINK-5-CHANGED: Interface {port.name}, changed state to {state}")

    def _negate(self, cfg: Config, args: list[str]) -> None:
        if self.mode == "config-if" and args[:1] == ["shutdown"]:
            self._set_shutdown(False)
            return
        if self.mode == "config-if" and args[:2] == ["ip", "address"]:
            self.dev.mgmt_address = None
            return
        if args[:2] == ["boot", "system"]:
            images.configure_boot(self.dev, args[1:], negate=True)
        elif args[:2] == ["service", "password-recovery"]:
            cfg.password_recovery = False
        elif args[:1] == ["username"] and len(args) > 1:
            cfg.users.pop(args[1], None)
        elif args[:1] == ["vlan"] and len(args) > 1 and args[1].isdigit():
            cfg.vlans.pop(int(args[1]), None)
        elif args[:2] == ["enable", "secret"]:
            cfg.enable_secret = None
        else:
            text = " ".join(args)
            cfg.extra = [x for x in cfg.extra if not x.startswith(text)]


def _path_arg(rest: str) -> str:
    parts = [p for p in rest.split() if not p.startswith("/") or ":" in p]
    return parts[0] if parts else ""


def _same(a: Config, b: Config | None) -> bool:
    return b is not None and a == b


def boot_text(dev: Device) -> str:
    """Console output of a boot, from the boot loader to the IOS banner."""
    s = dev.spec
    return "\n".join([
        "", "", "Using driver version 3 for media type 1",
        f"Base ethernet MAC Address: {dev.base_mac.lower()}",
        "Xmodem file system is available.",
        f"The password-recovery mechanism is {'enabled' if dev.running.password_recovery else 'disabled'}.",
        "Initializing Flash...", "flashfs[0]: 6 files, 1 directories", "...done Initializing Flash.",
        f'Loading "flash:/{s.image_file}"...@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@',
        f'File "flash:/{s.image_file}" uncompressed and installed, entry point: 0x3000',
        "executing...", "",
        f"Cisco IOS Software, {s.platform} Software ({s.software_image}), Version {s.version}, "
        "RELEASE SOFTWARE (fc2)",
        "Technical Support: http://www.cisco.com/techsupport",
        f"Compiled {s.compiled}", "",
        f"cisco {s.pid} {s.memory}.", f"Processor board ID {dev.serial}", "",
        *([] if dev.startup is not None else [
            "", "         --- System Configuration Dialog ---", "",
            "Would you like to enter the initial configuration dialog? [yes/no]: "]),
    ]) + ("" if dev.startup is None else "\n")
