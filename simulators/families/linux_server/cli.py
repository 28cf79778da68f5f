"""A bash-like shell on a live-booted server: exactly the tools the server tests run, in their real formats."""

from __future__ import annotations

import fnmatch
import json
import shlex
import time
from collections.abc import Callable

from simulators.disk_tools import DiskTools, lspci
from simulators.families.linux_server.device import KERNEL, KERNEL_BUILD, Disk, Nic, Server
from simulators.line import LineSession, Reply
from simulators.line import crlf as _crlf
from simulators.server_bmc import ipmitool as bmc_ipmitool

_TOOLS = {"dmidecode": "/usr/sbin/dmidecode", "lscpu": "/usr/bin/lscpu", "nproc": "/usr/bin/nproc",
          "free": "/usr/bin/free", "lsblk": "/usr/bin/lsblk", "smartctl": "/usr/sbin/smartctl",
          "ipmitool": "/usr/bin/ipmitool", "ethtool": "/usr/sbin/ethtool", "ip": "/usr/sbin/ip",
          "uname": "/usr/bin/uname", "hostname": "/usr/bin/hostname", "cat": "/usr/bin/cat", "ls": "/usr/bin/ls",
          "uptime": "/usr/bin/uptime", "grep": "/usr/bin/grep", "sudo": "/usr/bin/sudo", "echo": "/usr/bin/echo",
          "which": "/usr/bin/which",
          "id": "/usr/bin/id", "bench": "/usr/local/bin/bench", "hdparm": "/usr/sbin/hdparm",
          "nvme": "/usr/sbin/nvme", "blockdev": "/usr/sbin/blockdev", "dd": "/usr/bin/dd", "cmp": "/usr/bin/cmp",
          "lspci": "/usr/bin/lspci", "sg_opcodes": "/usr/bin/sg_opcodes", "sg_sanitize": "/usr/bin/sg_sanitize",
          "sg_format": "/usr/bin/sg_format"}
_ROOT_ONLY = {"dmidecode", "smartctl", "ipmitool", "hdparm", "nvme", "blockdev", "sg_opcodes", "sg_sanitize",
              "sg_format"}


# ---------------------------------------------------------------- dmidecode
_DMI_HEAD = "# dmidecode 3.4\nGetting SMBIOS data from sysfs.\nSMBIOS 3.2.0 present.\n"


def _block(handle: int, dmi_type: int, size: int, title: str, rows: list[tuple[str, str]],
           extra: list[str] | None = None) -> str:
    lines = [f"Handle 0x{handle:04X}, DMI type {dmi_type}, {size} bytes", title]
    lines += [f"\t{k}: {v}" for k, v in rows]
    lines += extra or []
    return "\n".join(lines) + "\n"


def dmi_system(srv: Server) -> str:
    s = srv.spec
    blocks = [
        _block(0x0100, 1, 27, "System Information", [
            ("Manufacturer", s.manufacturer), ("Product Name", s.product), ("Version", "Not Specified"),
            ("Serial Number", srv.serial), ("UUID", srv.uuid), ("Wake-up Type", "Power Switch"),
            ("SKU Number", s.sku), ("Family", s.product_family)]),
        _block(0x0C00, 12, 5, "System Configuration Options", [
            ("Option 1", "NVRAM_CLR:  Clear user settable NVRAM areas and set defaults"),
            ("Option 2", "PWRD_EN:  Close to enable password")]),
        _block(0x2000, 32, 20, "System Boot Information", [("Status", "No errors detected")]),
    ]
    return _DMI_HEAD + "\n" + "\n".join(blocks)


def dmi_baseboard(srv: Server) -> str:
    s = srv.spec
    serial = f".{srv.serial}.{srv.board_serial}." if s.serial_format == "dell" else srv.board_serial
    blocks = [
        _block(0x0200, 2, 8, "Base Board Information", [
            ("Manufacturer", s.board_manufacturer), ("Product Name", s.board_product), ("Version", s.board_version),
            ("Serial Number", serial), ("Asset Tag", "Not Specified")],
            ["\tFeatures:", "\t\tBoard is a hosting board", "\t\tBoard is replaceable",
             "\tLocation In Chassis: Not Specified", "\tChassis Handle: 0x0300", "\tType: Motherboard",
             "\tContained Object Handles: 0"]),
    ]
    for i in range(len(srv.nics)):
        blocks.append(_block(0x2900 + i, 41, 11, "Onboard Device", [
            ("Reference Designation", f"Embedded NIC {i + 1}"), ("Type", "Ethernet"), ("Status", "Enabled"),
            ("Type Instance", str(i + 1)), ("Bus Address", f"0000:{0x18 + i // 2:02x}:00.{i % 2}")]))
    return _DMI_HEAD + "\n" + "\n".join(blocks)


def dmi_memory(srv: Server) -> str:
    s = srv.spec
    blocks = [_block(0x1000, 16, 23, "Physical Memory Array", [
        ("Location", "System Board Or Motherboard"), ("Use", "System Memory"),
        ("Error Correction Type", "Multi-bit ECC"), ("Maximum Capacity", "3 TB"),
        ("Error Information Handle", "Not Provided"), ("Number Of Devices", str(len(srv.dimms)))])]
    for i, d in enumerate(srv.dimms):
        if d.size_gb:
            rows = [("Array Handle", "0x1000"), ("Error Information Handle", "Not Provided"),
                    ("Total Width", "72 bits"), ("Data Width", "64 bits"), ("Size", f"{d.size_gb} GB"),
                    ("Form Factor", "DIMM"), ("Set", str(d.channel + 1)), ("Locator", d.locator),
                    ("Bank Locator", "Not Specified"), ("Type", "DDR4"),
                    ("Type Detail", "Synchronous Registered (Buffered)"),
                    ("Speed", f"{s.dimm_speed} MT/s"), ("Manufacturer", d.manufacturer), ("Serial Number", d.serial),
                    ("Asset Tag", f"{d.locator.replace(' ', '')}_AssetTag"), ("Part Number", d.part), ("Rank", "2"),
                    ("Configured Memory Speed", f"{min(s.dimm_speed, 2666)} MT/s"), ("Minimum Voltage", "1.2 V"),
                    ("Maximum Voltage", "1.2 V"), ("Configured Voltage", "1.2 V"), ("Memory Technology", "DRAM"),
                    ("Memory Operating Mode Capability", "Volatile memory"),
                    ("Firmware Version", "Not Specified"), ("Non-Volatile Size", "None"),
                    ("Volatile Size", f"{d.size_gb} GB"), ("Cache Size", "None"), ("Logical Size", "None")]
        else:
            rows = [("Array Handle", "0x1000"), ("Error Information Handle", "Not Provided"),
                    ("Total Width", "Unknown"), ("Data Width", "Unknown"), ("Size", "No Module Installed"),
                    ("Form Factor", "DIMM"), ("Set", str(d.channel + 1)), ("Locator", d.locator),
                    ("Bank Locator", "Not Specified"), ("Type", "Unknown"), ("Type Detail", "Synchronous"),
                    ("Speed", "Unknown"), ("Manufacturer", "Not Specified"), ("Serial Number", "Not Specified"),
                    ("Asset Tag", "Not Specified"), ("Part Number", "Not Specified"), ("Rank", "Unknown"),
                    ("Configured Memory Speed", "Unknown"), ("Minimum Voltage", "Unknown"),
                    ("Maximum Voltage", "Unknown"), ("Configured Voltage", "Unknown")]
        blocks.append(_block(0x1100 + i, 17, 84, "Memory Device", rows))
    return _DMI_HEAD + "\n" + "\n".join(blocks)


def dmi_processor(srv: Server) -> str:
    c = srv.spec.cpu
    blocks = []
    for n in range(srv.spec.sockets):
        rows = [("Socket Designation", f"CPU{n + 1}"), ("Type", "Central Processor"), ("Family", "Xeon"),
                ("Manufacturer", "Intel"), ("ID", f"5{c.stepping} 06 05 00 FF FB EB BF"),
                ("Signature", f"Type 0, Family 6, Model {c.model}, Stepping {c.stepping}")]
        extra = ["\tFlags:", "\t\tFPU (Floating-point unit on-chip)", "\t\tVME (Virtual mode extension)",
                 "\t\tTSC (Time stamp counter)", "\t\tAPIC (On-chip APIC hardware supported)"]
        rows2 = [("Version", c.version), ("Voltage", "1.8 V"), ("External Clock", "100 MHz"),
                 ("Max Speed", "4000 MHz"), ("Current Speed", f"{c.mhz} MHz"), ("Status", "Populated, Enabled"),
                 ("Upgrade", "Socket LGA3647-1"), ("L1 Cache Handle", f"0x07{n}0"),
                 ("L2 Cache Handle", f"0x07{n}1"), ("L3 Cache Handle", f"0x07{n}2"), ("Serial Number", "Not Specified"),
                 ("Asset Tag", "Not Specified"), ("Part Number", "Not Specified"), ("Core Count", str(c.cores)),
                 ("Core Enabled", str(c.cores)), ("Thread Count", str(c.threads))]
        extra += [f"\t{k}: {v}" for k, v in rows2]
        extra += ["\tCharacteristics:", "\t\t64-bit capable", "\t\tMulti-Core", "\t\tHardware Thread",
                  "\t\tExecute Protection", "\t\tEnhanced Virtualization", "\t\tPower/Performance Control"]
        blocks.append(_block(0x0400 + n, 4, 48, "Processor Information", rows, extra))
    return _DMI_HEAD + "\n" + "\n".join(blocks)


def dmi_bios(srv: Server) -> str:
    s = srv.spec
    bios = _block(0x0000, 0, 26, "BIOS Information", [
        ("Vendor", s.bios_vendor), ("Version", s.bios_version), ("Release Date", s.bios_date),
        ("Address", "0xF0000"), ("Runtime Size", "64 kB"), ("ROM Size", "32 MB")],
        ["\tCharacteristics:", "\t\tISA is supported", "\t\tPCI is supported", "\t\tPNP is supported",
         "\t\tBIOS is upgradeable", "\t\tBIOS shadowing is allowed", "\t\tBoot from CD is supported",
         "\t\tSelectable boot is supported", "\t\tEDD is supported", "\t\tACPI is supported",
         "\t\tUSB legacy is supported", "\t\tBIOS boot specification is supported",
         "\t\tTargeted content distribution is supported", "\t\tUEFI is supported", "\tBIOS Revision: 2.12"])
    lang = _block(0x0D00, 13, 22, "BIOS Language Information", [
        ("Language Description Format", "Long"), ("Installable Languages", "1")],
        ["\t\ten|US|iso8859-1", "\tCurrently Installed Language: en|US|iso8859-1"])
    return _DMI_HEAD + "\n" + bios + "\n" + lang


def dmi_string(srv: Server, key: str) -> str | None:
    s = srv.spec
    return {"system-serial-number": srv.serial, "system-manufacturer": s.manufacturer,
            "system-product-name": s.product, "system-version": "Not Specified", "system-uuid": srv.uuid,
            "system-family": s.product_family, "system-sku-number": s.sku,
            "baseboard-manufacturer": s.board_manufacturer, "baseboard-product-name": s.board_product,
            "baseboard-serial-number": f".{srv.serial}.{srv.board_serial}." if s.serial_format == "dell"
            else srv.board_serial, "bios-vendor": s.bios_vendor, "bios-version": s.bios_version,
            "bios-release-date": s.bios_date, "processor-version": s.cpu.version,
            "chassis-serial-number": srv.serial}.get(key)


# ---------------------------------------------------------------- CPU and memory
def lscpu_fields(srv: Server) -> list[tuple[str, str]]:
    c, n = srv.spec.cpu, srv.spec.sockets
    total = c.threads * n
    half = total // 2
    return [
        ("Architecture:", "x86_64"), ("CPU op-mode(s):", "32-bit, 64-bit"),
        ("Address sizes:", "46 bits physical, 48 bits virtual"), ("Byte Order:", "Little Endian"),
        ("CPU(s):", str(total)), ("On-line CPU(s) list:", f"0-{total - 1}"), ("Vendor ID:", "GenuineIntel"),
        ("BIOS Vendor ID:", "Intel"), ("Model name:", c.name), ("BIOS Model name:", c.version),
        ("CPU family:", "6"), ("Model:", str(c.model)), ("Thread(s) per core:", str(c.threads // c.cores)),
        ("Core(s) per socket:", str(c.cores)), ("Socket(s):", str(n)), ("Stepping:", str(c.stepping)),
        ("CPU(s) scaling MHz:", "54%"), ("CPU max MHz:", f"{c.max_mhz}.0000"), ("CPU min MHz:", "1000.0000"),
        ("BogoMIPS:", f"{c.mhz * 2}.00"),
        ("Flags:", "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush dts acpi mmx "
                   "fxsr sse sse2 ss ht tm pbe syscall nx pdpe1gb rdtscp lm constant_tsc art arch_perfmon pebs bts "
                   "rep_good nopl xtopology nonstop_tsc cpuid aperfmperf pni pclmulqdq dtes64 monitor ds_cpl vmx smx "
                   "est tm2 ssse3 sdbg fma cx16 xtpr pdcm pcid dca sse4_1 sse4_2 x2apic movbe popcnt aes xsave avx "
                   "f16c rdrand lahf_lm abm 3dnowprefetch avx512f avx512dq avx512cd avx512bw avx512vl"),
        ("Virtualization:", "VT-x"), ("L1d cache:", f"{32 * c.cores * n // 1024} MiB ({c.cores * n} instances)"),
        ("L1i cache:", f"{32 * c.cores * n // 1024} MiB ({c.cores * n} instances)"),
        ("L2 cache:", f"{c.cores * n} MiB ({c.cores * n} instances)"),
        ("L3 cache:", f"{c.l3_kib * n // 1024} MiB ({n} instances)"),
        ("NUMA node(s):", str(n)),
        ("NUMA node0 CPU(s):", f"0-{half - 1}"), ("NUMA node1 CPU(s):", f"{half}-{total - 1}"),
        ("Vulnerability Meltdown:", "Not affected"),
        ("Vulnerability Spectre v1:", "Mitigation; usercopy/swapgs barriers and __user pointer sanitization"),
    ]


def lscpu(srv: Server, as_json: bool) -> str:
    fields = lscpu_fields(srv)
    if as_json:
        return json.dumps({"lscpu": [{"field": k, "data": v} for k, v in fields]}, indent=3) + "\n"
    return "".join(f"{k:<34}{v}\n" for k, v in fields)


def meminfo(srv: Server) -> dict[str, int]:
    """kB values: the kernel reserves a little of the installed memory."""
    total = srv.total_memory() // 1024 - 412_388
    free = total - 1_903_224 - int(srv.uptime()) % 997
    return {"MemTotal": total, "MemFree": free, "MemAvailable": free + 1_102_000, "Buffers": 10_240,
            "Cached": 1_196_560, "SwapCached": 0, "Active": 501_776, "Inactive": 900_112, "Shmem": 412_300,
            "SwapTotal": 0, "SwapFree": 0, "Dirty": 12, "Slab": 352_900, "SReclaimable": 90_812}


def proc_meminfo(srv: Server) -> str:
    m = meminfo(srv)
    lines = [f"{k + ':':<16}{v:>8} kB" for k, v in m.items()]
    lines += ["HugePages_Total:       0", "HugePages_Free:        0", "Hugepagesize:       2048 kB"]
    return "\n".join(lines) + "\n"


def free(srv: Server, unit: int) -> str:
    m = {k: v * 1024 // unit for k, v in meminfo(srv).items()}
    buff = m["Buffers"] + m["Cached"] + m["SReclaimable"]
    used = m["MemTotal"] - m["MemFree"] - buff
    head = f"{'':8}{'total':>12}{'used':>12}{'free':>12}{'shared':>12}{'buff/cache':>12}{'available':>12}"
    mem = f"{'Mem:':8}{m['MemTotal']:>12}{used:>12}{m['MemFree']:>12}{m['Shmem']:>12}{buff:>12}{m['MemAvailable']:>12}"
    swap = f"{'Swap:':8}{0:>12}{0:>12}{0:>12}"
    return f"{head}\n{mem}\n{swap}\n"


def uptime_text(srv: Server) -> str:
    up = int(srv.uptime())
    days, rest = divmod(up, 86400)
    hours, minutes = rest // 3600, rest % 3600 // 60
    span = f"{hours}:{minutes:02d}" if hours else f"{minutes} min"
    if days:
        span = f"{days} day{'s' if days > 1 else ''}, {span}"
    now = time.strftime("%H:%M:%S", time.localtime())
    return f" {now} up {span},  1 user,  load average: 0.08, 0.03, 0.01\n"


# ---------------------------------------------------------------- disks
def lsblk_json(srv: Server) -> str:
    devs: list[dict[str, object]] = [
        {"name": d.name, "size": d.visible, "type": "disk", "model": d.spec.model, "serial": d.serial,
         "rota": d.spec.kind == "sata_hdd", "tran": "nvme" if d.nvme else "" if d.spec.kind == "raid" else "sata",
         "mountpoints": [None]} for d in srv.disks]
    # The live image's medium: read-only, mounted at /run/live/medium (never a disk to erase).
    devs.append({"name": "sr0", "size": 987_758_592, "type": "rom", "model": "Virtual CDROM", "serial": "",
                 "rota": True, "tran": "usb", "mountpoints": ["/run/live/medium"]})
    return json.dumps({"blockdevices": devs}, indent=3) + "\n"


def smart_scan(srv: Server) -> str:
    out = []
    for d in srv.disks:
        if d.nvme:
            out.append(f"/dev/{d.ctrl} -d nvme # /dev/{d.ctrl}, NVMe device")
        else:
            out.append(f"/dev/{d.name} -d sat # /dev/{d.name} [SAT], ATA device")
    return "\n".join(out) + "\n"


def _attr(aid: int, name: str, value: int, worst: int, thresh: int, flags: int, fstring: str, raw: int,
          failed: str = "") -> dict[str, object]:
    return {"id": aid, "name": name, "value": value, "worst": worst, "thresh": thresh, "when_failed": failed,
            "flags": {"value": flags, "string": fstring, "prefailure": bool(flags & 1),
                      "updated_online": bool(flags & 2), "performance": bool(flags & 4),
                      "error_rate": bool(flags & 8), "event_count": bool(flags & 16), "auto_keep": bool(flags & 32)},
            "raw": {"value": raw, "string": str(raw)}}


def smart_json(srv: Server, d: Disk, argv: list[str]) -> tuple[str, int]:
    """smartmontools 7.3 `--json -a` shape; returns (text, exit status)."""
    poh = d.power_on_hours + int(srv.uptime() // 3600)
    status = 0
    doc: dict[str, object] = {
        "json_format_version": [1, 0],
        "smartctl": {"version": [7, 3], "svn_revision": "5338", "platform_info": f"x86_64-linux-{KERNEL}",
                     "build_info": "(local build)", "argv": ["smartctl", *argv], "exit_status": 0},
        "local_time": {"time_t": int(time.time()), "asctime": time.strftime("%a %b %e %H:%M:%S %Y UTC",
                                                                            time.gmtime())},
    }
    if d.nvme:
        doc["device"] = {"name": f"/dev/{d.ctrl}", "info_name": f"/dev/{d.ctrl}", "type": "nvme",
                         "protocol": "NVMe"}
        doc.update({
            "model_name": d.spec.model, "serial_number": d.serial, "firmware_version": d.spec.firmware,
            "nvme_pci_vendor": {"id": 5197, "subsystem_id": 4136}, "nvme_total_capacity": d.visible,
            "nvme_number_of_namespaces": 1,
            "nvme_namespaces": [{"id": 1, "size": {"blocks": d.visible // 512, "bytes": d.visible},
                                 "formatted_lba_size": 512}],
            "user_capacity": {"blocks": d.visible // 512, "bytes": d.visible}, "logical_block_size": 512,
            "smart_support": {"available": True, "enabled": True}, "smart_status": {"passed": True, "nvme": {
                "value": 0}},
            "nvme_smart_health_information_log": {
                "critical_warning": 0, "temperature": d.temperature, "available_spare": 100,
                "available_spare_threshold": 10, "percentage_used": 3, "data_units_read": poh * 4211,
                "data_units_written": poh * 3107, "host_reads": poh * 90211, "host_writes": poh * 70177,
                "controller_busy_time": poh // 9, "power_cycles": d.power_cycles, "power_on_hours": poh,
                "unsafe_shutdowns": 11, "media_errors": 0, "num_err_log_entries": 0,
                "warning_temp_time": 0, "critical_comp_time": 0},
            "temperature": {"current": d.temperature}, "power_cycle_count": d.power_cycles,
            "power_on_time": {"hours": poh},
        })
    else:
        hdd = d.spec.kind == "sata_hdd"
        doc["device"] = {"name": f"/dev/{d.name}", "info_name": f"/dev/{d.name} [SAT]", "type": "sat",
                         "protocol": "ATA"}
        realloc_val = 9 if d.failing else 100
        failed = "now" if d.failing else ""
        table = [
            _attr(1, "Raw_Read_Error_Rate", 100 if not hdd else 81, 100 if not hdd else 64, 44 if hdd else 0,
                  0x0F, "POSR--", 0),
            _attr(5, "Reallocated_Sector_Ct", realloc_val, realloc_val, 10, 0x33, "PO--CK", d.reallocated, failed),
            _attr(9, "Power_On_Hours", 64, 64, 0, 0x32, "-O--CK", poh),
            _attr(12, "Power_Cycle_Count", 100, 100, 20 if hdd else 0, 0x32, "-O--CK", d.power_cycles),
            _attr(187, "Reported_Uncorrect", 100 if not d.failing else 96, 100 if not d.failing else 96, 0, 0x32,
                  "-O--CK", d.uncorrectable),
            _attr(188, "Command_Timeout", 100, 100, 0, 0x32, "-O--CK", 0),
            _attr(194, "Temperature_Celsius", 100 - d.temperature, 60, 0, 0x22, "-O---K", d.temperature),
            _attr(197, "Current_Pending_Sector", 100, 100, 0, 0x12, "-O--C-", d.pending),
            _attr(198, "Offline_Uncorrectable", 100, 100, 0, 0x10, "----C-", d.uncorrectable),
            _attr(199, "UDMA_CRC_Error_Count", 200, 200, 0, 0x3E, "-OSRCK", 0),
        ]
        doc.update({
            "model_name": d.spec.model, "serial_number": d.serial,
            "wwn": {"naa": 5, "oui": int(d.wwn.split()[1], 16), "id": int(d.wwn.split()[2], 16)},
            "firmware_version": d.spec.firmware, "user_capacity": {"blocks": d.visible // 512,
                                                                   "bytes": d.visible},
            "logical_block_size": 512, "physical_block_size": 4096 if hdd else 512,
            "rotation_rate": 7200 if hdd else 0,
            "form_factor": {"ata_value": 2 if hdd else 3, "name": "3.5 inches" if hdd else "2.5 inches"},
            "in_smartctl_database": False, "ata_version": {"string": "ACS-3 T13/2161-D revision 5",
                                                           "major_value": 2040, "minor_value": 109},
            "sata_version": {"string": "SATA 3.2", "value": 255},
            "interface_speed": {"max": {"sata_value": 14, "string": "6.0 Gb/s", "units_per_second": 60,
                                        "bits_per_unit": 100000000}},
            "smart_support": {"available": True, "enabled": True},
            "smart_status": {"passed": not d.failing},
            "ata_smart_attributes": {"revision": 1, "table": table},
            "power_on_time": {"hours": poh}, "power_cycle_count": d.power_cycles,
            "temperature": {"current": d.temperature},
        })
        if d.failing:
            status = 8 | 16  # DISK FAILING + prefail attribute at/below threshold
    doc["smartctl"]["exit_status"] = status  # type: ignore[index]
    return json.dumps(doc, indent=2) + "\n", status


# ---------------------------------------------------------------- BMC
def _sdr_rows(srv: Server) -> list[tuple[str, int, str, int, int, str, str]]:
    """(name, number, status, entity, instance, elist reading, list value)."""
    rows = []
    for name, num, ent, deg in srv.temps():
        crit = 42 if num == 0x04 else 90
        st = "cr" if deg >= crit else "ok"
        rows.append((name, num, st, ent, 1 if num < 0x0E else num - 0x0D, f"{deg} degrees C", f"{deg} degrees C"))
    for i, (name, rpm, ok) in enumerate(srv.fans()):
        rows.append((name, 0x30 + i, "ok" if ok else "cr", 7, 1, f"{rpm} RPM", f"{rpm} RPM"))
    for i, name in enumerate(srv.spec.psu_names):
        ok = srv.psu_ok[i]
        rows.append((name, 0x25 + i, "ok" if ok else "cr", 10, i + 1,
                     "Presence detected" if ok else "Presence detected, Failure detected, Power Supply AC lost",
                     "0x01" if ok else "0x0b"))
    redundant = all(srv.psu_ok)
    rows.append(("PS Redundancy", 0x77, "ok" if redundant else "nc", 7, 1,
                 "Fully Redundant" if redundant else "Redundancy Lost", "0x00" if redundant else "0x02"))
    return rows


def sdr(srv: Server, extended: bool) -> str:
    out = []
    for name, num, st, ent, inst, reading, value in _sdr_rows(srv):
        if extended:
            out.append(f"{name:<16} | {num:02X}h | {st:<3} | {ent:>2}.{inst} | {reading}")
        else:
            out.append(f"{name:<16} | {value:<17} | {st}")
    return "\n".join(out) + "\n"


def sel(srv: Server, extended: bool) -> str:
    out = []
    for n, e in enumerate(sorted(srv.sel, key=lambda e: e.epoch), 1):
        t = time.gmtime(e.epoch)
        who = f"{e.sensor_type} {e.sensor}" if extended else f"{e.sensor_type} #0x{e.number:02x}"
        out.append(f"{n:>4x} | {time.strftime('%m/%d/%Y', t)} | {time.strftime('%H:%M:%S', t)} | {who} | "
                   f"{e.event} | {'Asserted' if e.asserted else 'Deasserted'}")
    return "\n".join(out) + "\n"


def fru(srv: Server) -> str:
    s = srv.spec
    mfg = time.strftime("%a %b %e %H:%M:%S %Y", time.gmtime(srv.boot_epoch() - 5 * 365 * 86400))
    rows = [("Board Mfg Date", mfg), ("Board Mfg", s.board_manufacturer.split()[0].upper()),
            ("Board Product", s.product), ("Board Serial", srv.board_serial), ("Board Part Number", s.board_product),
            ("Product Manufacturer", s.manufacturer.split()[0].upper()), ("Product Name", s.product),
            ("Product Version", "01"), ("Product Serial", srv.fru_serial_override or srv.serial)]
    out = ["FRU Device Description : Builtin FRU Device (ID 0)"] + [f" {k:<22}: {v}" for k, v in rows]
    for i, serial in enumerate(srv.psu_serials):
        out += ["", f"FRU Device Description : PS{i + 1} (ID {i + 2})", f" {'Board Mfg':<22}: {s.manufacturer}",
                f" {'Board Product':<22}: PWR SPLY,{s.psu_watts}W,RDNT", f" {'Board Serial':<22}: {serial}"]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- network
def _flags(n: Nic) -> list[str]:
    return ["BROADCAST", "MULTICAST", "UP", "LOWER_UP"] if n.link else ["NO-CARRIER", "BROADCAST", "MULTICAST", "UP"]


def ip_link_json(srv: Server) -> str:
    rows: list[dict[str, object]] = [{
        "ifindex": 1, "ifname": "lo", "flags": ["LOOPBACK", "UP", "LOWER_UP"], "mtu": 65536, "qdisc": "noqueue",
        "operstate": "UNKNOWN", "linkmode": "DEFAULT", "group": "default", "txqlen": 1000, "link_type": "loopback",
        "address": "00:00:00:00:00:00", "broadcast": "00:00:00:00:00:00"}]
    for n in srv.nics:
        rows.append({"ifindex": n.index, "ifname": n.name, "flags": _flags(n), "mtu": 1500, "qdisc": "mq",
                     "operstate": "UP" if n.link else "DOWN", "linkmode": "DEFAULT", "group": "default",
                     "txqlen": 1000, "link_type": "ether", "address": n.mac, "broadcast": "ff:ff:ff:ff:ff:ff",
                     "altnames": [f"enp{0x18 + (n.index - 2) // 2}s0f{(n.index - 2) % 2}"]})
    return json.dumps(rows) + "\n"


def ip_link_brief(srv: Server) -> str:
    out = [f"{'lo':<16} {'UNKNOWN':<14} 00:00:00:00:00:00 <LOOPBACK,UP,LOWER_UP> "]
    out += [f"{n.name:<16} {'UP' if n.link else 'DOWN':<14} {n.mac} <{','.join(_flags(n))}> " for n in srv.nics]
    return "\n".join(out) + "\n"


def ip_link_show(srv: Server) -> str:
    out = ["1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000",
           "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00"]
    for n in srv.nics:
        out += [f"{n.index}: {n.name}: <{','.join(_flags(n))}> mtu 1500 qdisc mq state {'UP' if n.link else 'DOWN'} "
                "mode DEFAULT group default qlen 1000",
                f"    link/ether {n.mac} brd ff:ff:ff:ff:ff:ff"]
    return "\n".join(out) + "\n"


def ethtool(n: Nic) -> str:
    tp = n.spec.port == "Twisted Pair"
    if n.spec.max_speed >= 10000:
        modes = ["10000baseT/Full"] if tp else ["10000baseT/Full"]
        modes = ["1000baseT/Full", "10000baseT/Full"] if tp else modes
    else:
        modes = ["10baseT/Half 10baseT/Full", "100baseT/Half 100baseT/Full", "1000baseT/Full"]
    pad = "\t" + " " * 24
    mode_text = f"\n{pad}".join(modes)
    speed = f"{n.speed}Mb/s" if n.link else "Unknown!"
    duplex = "Full" if n.link else "Unknown! (255)"
    return "\n".join([
        f"Settings for {n.name}:", f"\tSupported ports: [ {'TP' if tp else 'FIBRE'} ]",
        f"\tSupported link modes:   {mode_text}", "\tSupported pause frame use: Symmetric",
        "\tSupports auto-negotiation: Yes", "\tSupported FEC modes: Not reported",
        f"\tAdvertised link modes:  {mode_text}", "\tAdvertised pause frame use: Symmetric",
        "\tAdvertised auto-negotiation: Yes", "\tAdvertised FEC modes: Not reported",
        f"\tSpeed: {speed}", f"\tDuplex: {duplex}", "\tAuto-negotiation: on", f"\tPort: {n.spec.port}",
        "\tPHYAD: 1", "\tTransceiver: internal", "\tSupports Wake-on: g", "\tWake-on: d",
        "\tCurrent message level: 0x00000007 (7)", "\t\t\t       drv probe link",
        f"\tLink detected: {'yes' if n.link else 'no'}",
    ]) + "\n"


# ---------------------------------------------------------------- files (/proc, /sys, /etc)
def vfs(srv: Server) -> dict[str, str]:
    """Path -> content of the pseudo-files the tests read; directories are implied by their children."""
    files: dict[str, str] = {
        "/proc/meminfo": proc_meminfo(srv),
        "/proc/uptime": f"{srv.uptime():.2f} {srv.uptime() * 60:.2f}\n",
        "/etc/hostname": f"{srv.hostname}\n",
        "/etc/os-release": 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\n'
                           'VERSION_ID="12"\nVERSION="12 (bookworm)"\nID=debian\n',
        "/proc/sys/kernel/hostname": f"{srv.hostname}\n",
        "/proc/mounts": "sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0\nproc /proc proc rw,relatime 0 0\n"
                        "/dev/sr0 /run/live/medium iso9660 ro,noatime 0 0\n"
                        "/dev/loop0 /run/live/rootfs/filesystem.squashfs squashfs ro,noatime 0 0\n"
                        "tmpfs /run/live/overlay tmpfs rw,noatime,mode=755 0 0\n"
                        "overlay / overlay rw,noatime,lowerdir=/run/live/rootfs/filesystem.squashfs/,"
                        "upperdir=/run/live/overlay/rw,workdir=/run/live/overlay/work 0 0\n",
    }
    edac = "/sys/devices/system/edac/mc"
    for mc in range(srv.spec.sockets):
        dimms = [d for d in srv.dimms if d.socket == mc + 1 and d.size_gb]
        ce = sum(srv.dimm_ce(d) for d in dimms)
        ue = sum(d.ue for d in dimms)
        base = f"{edac}/mc{mc}"
        files.update({f"{base}/ce_count": f"{ce}\n", f"{base}/ue_count": f"{ue}\n",
                      f"{base}/ce_noinfo_count": "0\n", f"{base}/ue_noinfo_count": "0\n",
                      f"{base}/mc_name": f"Skylake Socket#{mc} IMC#0\n",
                      f"{base}/size_mb": f"{sum(d.size_gb for d in dimms) * 1024}\n",
                      f"{base}/seconds_since_reset": f"{int(srv.uptime())}\n"})
        for r, d in enumerate(dimms):
            c = srv.dimm_ce(d)
            files.update({f"{base}/csrow{r}/ce_count": f"{c}\n", f"{base}/csrow{r}/ue_count": f"{d.ue}\n",
                          f"{base}/csrow{r}/ch0_ce_count": f"{c}\n",
                          f"{base}/csrow{r}/size_mb": f"{d.size_gb * 1024}\n",
                          f"{base}/dimm{r}/dimm_ce_count": f"{c}\n", f"{base}/dimm{r}/dimm_ue_count": f"{d.ue}\n",
                          f"{base}/dimm{r}/dimm_label": f"CPU_SrcID#{mc}_MC#0_Chan#{d.channel}_DIMM#0\n",
                          f"{base}/dimm{r}/size": f"{d.size_gb * 1024}\n",
                          f"{base}/dimm{r}/dimm_location": f"channel {d.channel} slot 0 \n"})
    for n in srv.nics:
        base = f"/sys/class/net/{n.name}"
        rx, tx, _, _ = srv.nic_counters(n)
        files.update({f"{base}/address": f"{n.mac}\n", f"{base}/carrier": f"{int(n.link)}\n",
                      f"{base}/operstate": "up\n" if n.link else "down\n", f"{base}/speed": f"{n.speed or -1}\n",
                      f"{base}/statistics/rx_bytes": f"{rx}\n", f"{base}/statistics/tx_bytes": f"{tx}\n"})
    return files


# ---------------------------------------------------------------- the shell
class ShellSession(LineSession):
    """One bash session: over SSH it starts at the prompt; on the console at `live login:`."""

    def __init__(self, srv: Server, *, console: bool) -> None:
        super().__init__(srv, console=console, state="login" if console else "shell")
        self.srv = srv
        self.users: list[str] = []  # sudo -s pushes root over the login user
        self.status = 0
        self._login_user = ""
        self.hold = 0.0  # seconds the last command takes before its output comes (bench agent)

    # ---------- prompt and banner
    @property
    def user(self) -> str:
        return self.users[-1] if self.users else (self.username or "root")

    @property
    def prompt(self) -> str:
        u = self.user
        cwd = f"/home/{self.username}" if self.users and self.username != "root" else "~"  # sudo -s keeps cwd
        return f"{u}@{self.srv.hostname}:{cwd}{'#' if u == 'root' else '$'} "

    def _login_banner(self) -> str:
        return f"\nDebian GNU/Linux 12 {self.srv.hostname} ttyS0\n\n{self.srv.hostname} login: "

    def _motd(self) -> str:
        return (f"Linux {self.srv.hostname} {KERNEL} {KERNEL_BUILD} x86_64\n\n"
                "The programs included with the Debian GNU/Linux system are free software;\n"
                "Debian GNU/Linux comes with ABSOLUTELY NO WARRANTY, to the extent\npermitted by applicable law.\n")

    def banner(self) -> str:
        if self.console:
            return _crlf(self._login_banner()) if self.state == "login" else ""
        return _crlf(self._motd() if self.username else "") + self.prompt

    # ---------- keys the line hands to the shell
    def _rebooted(self) -> Reply:
        self._logout()
        return Reply(_crlf("\n[  OK  ] Reached target reboot.target - System Reboot.\n" + self._login_banner()))

    def _ctrl_c(self) -> str:
        self._buf = ""
        return "^C\r\n" + self.prompt

    def _command_delay(self) -> float:
        delay, self.hold = max(self.srv.response_delay(), self.hold), 0.0
        return delay

    def _logout(self) -> None:
        self.state, self.users, self.username, self._buf = "login", [], None, ""

    def _line(self, line: str) -> tuple[str, bool]:
        if self.state == "login":
            if not line.strip():
                return _crlf(f"\n{self.srv.hostname} login: "), False
            self._login_user, self.state = line.strip(), "password"
            return "\r\nPassword: ", False
        if self.state == "password":
            if self.srv.check_login(self._login_user, line):
                self.state, self.username = "shell", self._login_user
                return _crlf("\n" + self._motd()) + self.prompt, False
            self.state = "login"
            return _crlf(f"\n\nLogin incorrect\n{self.srv.hostname} login: "), False
        if not line.strip():
            return "\r\n" + self.prompt, False
        if self._ssh_dropped():
            return "", True  # ssh_drop: the link dies mid-session
        text, close = self.run(line.strip())
        if close:
            if self.console:
                self._logout()
                return _crlf("\nlogout\n" + self._login_banner()), False
            return _crlf("\nlogout\n"), True
        return _crlf("\n" + text) + self.prompt, False

    # ---------- commands
    def run(self, line: str) -> tuple[str, bool]:
        """Run one command line (`a; b; c` runs each in turn, as bash does); returns (output, session
        ends?). Sets self.status like $?."""
        parts = split_commands(line)
        if len(parts) > 1:
            out = []
            for part in parts:
                text, close = self._run_one(part)
                out.append(text)
                if close:
                    return "".join(out), True
            return "".join(out), False
        return self._run_one(line)

    def _run_one(self, line: str) -> tuple[str, bool]:
        try:
            words = shlex.split(line)
        except ValueError:
            self.status = 2
            return "-bash: syntax error: unexpected end of file\n", False
        words = [w for w in words if w not in ("2>/dev/null", "2>&1", ">/dev/null")]
        if not words:
            return "", False
        words = [str(self.status) if w == "$?" else w for w in words]
        as_root = self.user == "root"
        if words[0] == "sudo":
            words = [w for w in words[1:] if w != "-n"]  # the live user's sudo needs no password anyway
            if words[:1] in (["-s"], ["-i"], ["su"]) or words == ["su", "-"]:
                self.users.append("root")
                self.status = 0
                return "", False
            as_root = True
            if not words:
                self.status = 1
                return "usage: sudo -h | -K | -k | -V\n", False
        if words[0] in ("exit", "logout"):
            if self.users:
                self.users.pop()
                return "", False
            return "", True
        text, self.status = self._dispatch(words, as_root)
        return text, False

    def _dispatch(self, w: list[str], root: bool) -> tuple[str, int]:
        cmd, args = w[0], w[1:]
        srv = self.srv
        if cmd in _ROOT_ONLY and not root:
            return _denied(cmd), 1
        handlers: dict[str, Callable[[list[str]], tuple[str, int]]] = {
            "dmidecode": self._dmidecode, "lscpu": lambda a: (lscpu(srv, "--json" in a or "-J" in a), 0),
            "nproc": lambda a: (f"{srv.spec.cpu.threads * srv.spec.sockets}\n", 0),
            "free": self._free, "lsblk": self._lsblk, "smartctl": self._smartctl, "ipmitool": self._ipmitool,
            "ethtool": self._ethtool, "ip": self._ip, "uname": self._uname,
            "hostname": lambda a: (f"{srv.hostname}\n", 0), "uptime": self._uptime, "cat": self._cat,
            "ls": self._ls, "grep": self._grep, "echo": lambda a: (" ".join(a) + "\n", 0),
            "which": lambda a: self._which(a, False), "command": lambda a: self._which(a[1:], True),
            "true": lambda a: ("", 0), "false": lambda a: ("", 1),
            "id": self._id, "export": lambda a: ("", 0), "bench": self._bench,
            "lspci": lambda a: (lspci(srv), 0),
        }
        tools = DiskTools(srv)
        handlers.update(tools.handlers())
        h = handlers.get(cmd)
        if h is None or (cmd == "command" and args[:1] != ["-v"]):
            return f"-bash: {cmd}: command not found\n", 127
        return h(args)

    def _id(self, a: list[str]) -> tuple[str, int]:
        uid = 0 if self.user == "root" else 1000
        if "-u" in a:
            return f"{uid}\n", 0
        return f"uid={uid}({self.user}) gid={uid}({self.user}) groups={uid}({self.user})\n", 0

    def _bench(self, a: list[str]) -> tuple[str, int]:
        """The live image ships `bench agent`: its JSON lines come back once the run is over (the
        session waits the run's length, as the real one does)."""
        if a[:1] != ["agent"]:
            return "usage: bench {run,sim,agent,...} ...\nbench: error: the live image only runs 'bench agent'\n", 2
        try:
            opts = agent_options(a[1:])
        except ValueError as exc:
            return f"bench: {exc}\n", 2
        text, seconds, status = agent_run(self.srv, opts)
        self.hold = seconds
        return text, status

    def _dmidecode(self, a: list[str]) -> tuple[str, int]:
        srv = self.srv
        if len(a) == 2 and a[0] in ("-s", "--string"):
            v = dmi_string(srv, a[1])
            return (f"{v}\n", 0) if v is not None else (f'Invalid string keyword: {a[1]}\n', 2)
        if len(a) == 2 and a[0] in ("-t", "--type"):
            fn = {"system": dmi_system, "1": dmi_system, "baseboard": dmi_baseboard, "2": dmi_baseboard,
                  "memory": dmi_memory, "17": dmi_memory, "processor": dmi_processor, "4": dmi_processor,
                  "bios": dmi_bios, "0": dmi_bios}.get(a[1])
            if fn is not None:
                return fn(srv), 0
            return f"Invalid type keyword: {a[1]}\n", 2
        if not a:
            return dmi_bios(srv) + "\n" + dmi_system(srv).split("\n", 3)[3] + "\n" + dmi_memory(srv).split(
                "\n", 3)[3], 0
        return f"dmidecode: unrecognized option '{a[0]}'\n", 2

    def _free(self, a: list[str]) -> tuple[str, int]:
        unit = {"-b": 1, "--bytes": 1, "-k": 1024, "-m": 2**20, "--mega": 2**20, "-g": 2**30}.get(
            a[0] if a else "-k", 1024)
        return free(self.srv, unit), 0

    def _lsblk(self, a: list[str]) -> tuple[str, int]:
        if "-J" in a or "--json" in a:
            return lsblk_json(self.srv), 0
        out = ["NAME      MAJ:MIN RM   SIZE RO TYPE MOUNTPOINTS"]
        for n, d in enumerate(self.srv.disks):
            out.append(f"{d.name:<9} {259 if d.nvme else 8}:{0 if d.nvme else 16 * n:<4}  0 "
                       f"{_human(d.visible):>5}  0 disk ")
        return "\n".join(out) + "\n", 0

    def _smartctl(self, a: list[str]) -> tuple[str, int]:
        if "--scan-open" in a or "--scan" in a:
            return smart_scan(self.srv), 0
        dev = next((x for x in a if x.startswith("/dev/")), None)
        if dev is None:
            return "ERROR: smartctl requires a device name as the final command-line argument.\n", 1
        disk = next((d for d in self.srv.disks if dev in (f"/dev/{d.name}", f"/dev/{d.ctrl}")), None)
        if disk is None:
            msg = f"Smartctl open device: {dev} failed: No such device"
            if "--json" in a or "-j" in a or any(x.startswith("--json") for x in a):
                return json.dumps({"json_format_version": [1, 0], "smartctl": {
                    "version": [7, 3], "argv": ["smartctl", *a], "messages": [{"string": msg, "severity": "error"}],
                    "exit_status": 2}}, indent=2) + "\n", 2
            return msg + "\n", 2
        if disk.spec.kind == "raid":
            return (f"smartctl 7.3 2022-02-28 r5338 [x86_64-linux-{KERNEL}] (local build)\n\n"
                    f"Smartctl open device: {dev} failed: DELL or MegaRaid controller, please try adding "
                    "'-d megaraid,N'\n"), 2
        if any(x.startswith("--json") or x == "-j" for x in a):
            return smart_json(self.srv, disk, a)
        text, status = smart_json(self.srv, disk, a)
        health = "PASSED" if not disk.failing else "FAILED!"
        return (f"smartctl 7.3 2022-02-28 r5338 [x86_64-linux-{KERNEL}] (local build)\n"
                "Copyright (C) 2002-22, Bruce Allen, Christian Franke, www.smartmontools.org\n\n"
                f"=== START OF INFORMATION SECTION ===\nDevice Model:     {disk.spec.model}\n"
                f"Serial Number:    {disk.serial}\nFirmware Version: {disk.spec.firmware}\n\n"
                "=== START OF READ SMART DATA SECTION ===\n"
                f"SMART overall-health self-assessment test result: {health}\n"), status

    def _ipmitool(self, a: list[str]) -> tuple[str, int]:
        srv = self.srv
        handled = bmc_ipmitool(srv, a)  # users, SEL clear and resets: simulators.server_bmc
        if handled is not None:
            return handled
        key = " ".join(a)
        if key in ("sdr elist", "sdr elist all", "sdr elist full"):
            return sdr(srv, True), 0
        if key in ("sdr list", "sdr", "sdr list all", "sdr list full"):
            return sdr(srv, False), 0
        if key == "sel elist":
            return sel(srv, True), 0
        if key in ("sel list", "sel"):
            return sel(srv, False), 0
        if key in ("fru", "fru print"):
            return fru(srv), 0
        if key in ("mc info", "bmc info"):
            return ("Device ID                 : 32\nDevice Revision           : 1\nFirmware Revision         : 4.40\n"
                    "IPMI Version              : 2.0\n"), 0
        if key in ("lan print", "lan print 1"):
            return f"Set in Progress         : Set Complete\nMAC Address             : {srv.bmc_mac}\n", 0
        return f"Invalid command: {key}\n", 1

    def _ethtool(self, a: list[str]) -> tuple[str, int]:
        name = a[-1] if a else ""
        nic = next((n for n in self.srv.nics if n.name == name), None)
        if nic is None:
            if name == "lo":
                return "Settings for lo:\n\tLink detected: yes\n", 0
            return ("netlink error: no device matches name (offset 24)\nnetlink error: No such device\n"
                    if name else "ethtool: bad command line argument(s)\n"), (75 if name else 1)
        return ethtool(nic), 0

    def _ip(self, a: list[str]) -> tuple[str, int]:
        opts = [x for x in a if x.startswith("-")]
        rest = [x for x in a if not x.startswith("-")]
        if rest[:1] not in (["link"], ["l"], ["li"], ["lin"]) or rest[1:] not in ([], ["show"], ["list"]):
            return f'Object "{rest[0] if rest else ""}" is unknown, try "ip help".\n', 1
        if "-j" in opts or "-json" in opts:
            return ip_link_json(self.srv), 0
        if "-br" in opts or "-brief" in opts:
            return ip_link_brief(self.srv), 0
        return ip_link_show(self.srv), 0

    def _uname(self, a: list[str]) -> tuple[str, int]:
        h = self.srv.hostname
        if "-a" in a:
            return f"Linux {h} {KERNEL} {KERNEL_BUILD} x86_64 GNU/Linux\n", 0
        parts = {"-s": "Linux", "-n": h, "-r": KERNEL, "-v": KERNEL_BUILD, "-m": "x86_64", "-o": "GNU/Linux"}
        return " ".join(parts[x] for x in a if x in parts) + "\n" if a else "Linux\n", 0

    def _uptime(self, a: list[str]) -> tuple[str, int]:
        if "-p" in a:
            m = int(self.srv.uptime() // 60)
            h, m = divmod(m, 60)
            hours = f"{h} hour{'s' if h != 1 else ''}, " if h else ""
            return f"up {hours}{m} minute{'s' if m != 1 else ''}\n", 0
        return uptime_text(self.srv), 0

    def _expand(self, files: dict[str, str], pattern: str) -> list[str]:
        if any(c in pattern for c in "*?["):
            dirs = {p.rsplit("/", i)[0] for p in files for i in range(1, p.count("/"))}
            parts = pattern.split("/")
            found = sorted(p for p in set(files) | dirs if len(p.split("/")) == len(parts) and all(
                fnmatch.fnmatchcase(a, b) for a, b in zip(p.split("/"), parts, strict=True)))  # * stops at /
            return found or [pattern]
        return [pattern]

    def _cat(self, a: list[str]) -> tuple[str, int]:
        files = vfs(self.srv)
        out, status = [], 0
        for pat in a:
            for p in self._expand(files, pat):
                if p in files:
                    out.append(files[p])
                else:
                    is_dir = any(f.startswith(p.rstrip("/") + "/") for f in files)
                    out.append(f"cat: {p}: {'Is a directory' if is_dir else 'No such file or directory'}\n")
                    status = 1
        return "".join(out), status

    def _grep(self, a: list[str]) -> tuple[str, int]:
        # Only `grep [-r|-H] . FILES...`: the common way to dump many sysfs counters with their paths.
        files = vfs(self.srv)
        paths = [x for x in a[1:] if not x.startswith("-")] if a and a[0] != "." else a[1:]
        paths = [x for x in paths if x != "."]
        out = []
        targets = [p for pat in paths for p in self._expand(files, pat)]
        for p in targets:
            for f in sorted(files):
                if f == p or f.startswith(p.rstrip("/") + "/") and "-r" in a:
                    prefix = f"{f}:" if len(targets) > 1 or "-r" in a or "-H" in a else ""
                    out += [f"{prefix}{line}\n" for line in files[f].splitlines() if line]
        return "".join(out), 0 if out else 1

    def _ls(self, a: list[str]) -> tuple[str, int]:
        files = vfs(self.srv)
        paths = [x for x in a if not x.startswith("-")] or ["/root"]
        out, status = [], 0
        for p in paths:
            base = p.rstrip("/")
            names = sorted({f[len(base) + 1:].split("/")[0] for f in files if f.startswith(base + "/")},
                           key=lambda n: (n.rstrip("0123456789"), int(n[len(n.rstrip("0123456789")):] or 0)))
            if names:
                out.append("  ".join(names) + "\n")
            elif base in files:
                out.append(p + "\n")
            elif p != "/root":
                out.append(f"ls: cannot access '{p}': No such file or directory\n")
                status = 2
        return "".join(out), status

    def _which(self, a: list[str], builtin: bool) -> tuple[str, int]:
        out, status = [], 0
        for t in a:
            if t in ("echo", "exit", "command") and builtin:
                out.append(t + "\n")
            elif t in _TOOLS:
                out.append(_TOOLS[t] + "\n")
            else:
                status = 1
        return "".join(out), status


def split_commands(line: str) -> list[str]:
    """`a; b 'c;d'` -> ["a", "b 'c;d'"]: splits on semicolons outside quotes."""
    parts, buf, quote = [], "", ""
    for ch in line:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == ";":
            parts.append(buf.strip())
            buf = ""
            continue
        buf += ch
    parts.append(buf.strip())
    return [p for p in parts if p]


# ---------------------------------------------------------------- bench agent
def agent_options(args: list[str]) -> dict[str, float]:
    """The options of `bench agent` the bench passes: --duration, --interval, --stress-cpu, --stress-mem."""
    units = {"s": 1, "m": 60, "h": 3600}
    opts = {"duration": 10.0, "interval": 1.0, "stress_cpu": 0.0, "stress_mem": 0.0}
    it = iter(args)
    for a in it:
        if a == "--stress-cpu":
            opts["stress_cpu"] = 1.0
        elif a in ("--duration", "--interval", "--stress-mem"):
            v = next(it, "")
            scale = units.get(v[-1:], 1) if a != "--stress-mem" else 1
            number = v[:-1] if v[-1:] in units and a != "--stress-mem" else v
            opts[a[2:].replace("-", "_")] = float(number) * scale
        else:
            raise ValueError(f"unrecognized arguments: {a}")
    if opts["interval"] <= 0 or opts["duration"] <= 0:
        raise ValueError("--interval and --duration must be above 0")
    return opts


def agent_run(srv: Server, opts: dict[str, float]) -> tuple[str, float, int]:
    """The JSON lines a real agent would print over the run, from the server model: CPUs at 100 %
    under stress, CPU temperatures climbing with load (and past critical under `overtemp`), EDAC
    counts as the DIMMs report them over the run. Returns (text, seconds, exit status)."""
    cpus = srv.spec.cpu.threads * srv.spec.sockets
    total = srv.total_memory()
    mem_bytes = int(total * min(opts["stress_mem"], 0.98)) // (64 * 2**20) * (64 * 2**20)
    now, duration, interval = time.time(), opts["duration"], opts["interval"]
    start = {"type": "start", "t": round(now, 3), "host": srv.hostname, "pid": 4242, "cpus": cpus,
             "mem_total": total, "psutil": "5.9.4", "interval": interval, "duration": duration,
             "stress": {"cpu_workers": cpus if opts["stress_cpu"] else 0, "mem_bytes": mem_bytes,
                        "mem_fraction": opts["stress_mem"]}}
    lines = [start]
    n = int(duration // interval)
    for i in range(1, n + 1):
        t = now + i * interval
        load = 100.0 if opts["stress_cpu"] else 3.0
        heat = 25 if opts["stress_cpu"] else 0
        heat += 50 if "overtemp" in srv.active else 0
        temps = {"coretemp": [{"label": f"Package id {s}", "current": float(srv.temps()[2 + s][3] + heat),
                               "high": 84.0, "critical": 94.0} for s in range(srv.spec.sockets)]}
        ce = ue = 0
        for d in srv.dimms:
            if d.size_gb:
                grown = srv.dimm_ce(d) + (int(i * interval / 5) if srv.edac_since is not None and d.ue else 0)
                ce, ue = ce + grown, ue + d.ue
        used = min(total, int(total * 0.02) + mem_bytes)
        lines.append({"type": "sample", "t": round(t, 3), "cpu_percent": [load] * cpus,
                      "mem": {"total": total, "available": total - used, "used": used,
                              "percent": round(100 * used / total, 1)},
                      "temps": temps, "fans": {}, "cpu_mhz": float(srv.spec.cpu.mhz),
                      "disks": {}, "nics": {}, "edac": {"ce": ce, "ue": ue}, "events": {"mce": 0, "thermal": 0},
                      "agent_cpu_s": round(0.004 * i, 4)})
        if mem_bytes and i % 2 == 0:
            lines.append({"type": "mem", "pass": i // 2, "pattern": "0x55", "bytes": mem_bytes, "seconds": 1.9,
                          "mismatches": []})
    passes = sum(1 for r in lines if r["type"] == "mem")
    lines.append({"type": "end", "t": round(now + duration, 3), "samples": n, "seconds": duration,
                  "agent_cpu_percent": 0.4, "mem_stress": {"passes": passes, "bytes": mem_bytes, "mismatches": 0},
                  "interrupted": False})
    return "".join(json.dumps(r, separators=(",", ":")) + "\n" for r in lines), duration, 0


def _denied(cmd: str) -> str:
    if cmd == "dmidecode":
        return ("/sys/firmware/dmi/tables/smbios_entry_point: Permission denied\n"
                "Scanning /dev/mem for entry point.\n/dev/mem: Permission denied\n")
    if cmd == "ipmitool":
        return "Could not open device at /dev/ipmi0 or /dev/ipmi/0 or /dev/ipmidev/0: Permission denied\n"
    return "Smartctl open device failed: Permission denied\n"


def _human(size: int) -> str:
    for unit in ("B", "K", "M", "G", "T"):
        if size < 1024 or unit == "T":
            return f"{size:.1f}{unit}" if unit != "B" else f"{size}B"
        size /= 1024  # type: ignore[assignment]
    return str(size)
