"""The `cisco_iosxe_switch` family: Catalyst 9300 on IOS-XE 16.x.

The device is the classic Catalyst model (ports, sensors, faults are the same); what differs is the
inventory tree and the text of `show version` / `show inventory` / `show environment all`.
"""

from __future__ import annotations

from collections.abc import Callable

from simulators.families.cisco_ios import owner_data
from simulators.families.cisco_ios.catalog import OPTICS
from simulators.families.cisco_ios.cli import IosSession, _uptime_text, show_env_all
from simulators.families.cisco_ios.device import Device, InventoryItem
from simulators.faults import FaultSpec

_NM_DESCR = {"C9300-NM-8X": "8x10G Uplink Module", "C9300-NM-4G": "4x1G Uplink Module"}

XE_LICENSE_NOTICE = [
    "Cisco IOS-XE software, Copyright (c) 2005-2020 by cisco Systems, Inc.",
    "All rights reserved.  Certain components of Cisco IOS-XE software are",
    'licensed under the GNU General Public License ("GPL") Version 2.0.  The',
    "software code licensed under GPL Version 2.0 is free software that comes",
    "with ABSOLUTELY NO WARRANTY.  You can redistribute and/or modify such",
    "GPL code under the terms of GPL Version 2.0.  For more details, see the",
    "documentation or \"License Notice\" file accompanying the IOS-XE software,",
    "or the applicable URL provided on the flyer accompanying the IOS-XE",
    "software.",
]


def xe_version_head(dev: Device) -> list[str]:
    s = dev.spec
    major, minor, patch = s.version.split(".")
    return [f"Cisco IOS XE Software, Version {int(major):02d}.{int(minor):02d}.{int(patch):02d}",
            f"Cisco IOS Software [{s.release}], {s.platform} Software ({s.software_image}), Version {s.version}, "
            "RELEASE SOFTWARE (fc2)",
            "Technical Support: http://www.cisco.com/techsupport",
            f"Copyright (c) 1986-20{s.compiled[11:13]} by Cisco Systems, Inc.",
            f"Compiled {s.compiled}", "", "", *XE_LICENSE_NOTICE, ""]


def xe_reload_reason(dev: Device) -> str:
    return {"power-on": "PowerOn"}.get(dev.reload_reason, dev.reload_reason)


class XeSwitch(Device):
    def __init__(self, slot: str, index: int, seed: int, model: str, faults: list[FaultSpec] | None = None) -> None:
        super().__init__(slot, index, seed, model, faults)
        self.config_register = "0x102"

    def _build_inventory(self) -> None:
        s = self.spec
        inv = [InventoryItem(1, "c93xx Stack", "c93xx Stack", s.pid, s.vid, self.serial, 11, 0, True)]
        for m in range(1, s.stack_members + 1):
            base = 1000 * m
            inv.append(InventoryItem(base, f"Switch {m}", s.pid, s.pid, s.vid, self.member_serials[m - 1], 3, 1,
                                     True))
            for fan in [f for f in self.fans if f.member == m]:
                inv.append(InventoryItem(base + 10 + fan.number, f"Switch {m} - FAN - T1 {fan.number}",
                                         f"Switch {m} - FAN - T1 {fan.number}", s.fan_pid or "", "V01", "", 7, base,
                                         False))
            for i, psu in enumerate([p for p in self.psus if p.member == m]):
                name = f"Switch {m} - Power Supply {psu.bay}"
                inv.append(InventoryItem(base + 20 + i, name, name, psu.pid or "", "V04", psu.serial, 6, base, True))
            if s.uplink_module:
                inv.append(InventoryItem(base + 30, f"Switch {m} FRU Uplink Module 1", _NM_DESCR[s.uplink_module],
                                         s.uplink_module, "V02", f"FOC{self.member_serials[m - 1][3:7]}H{m}CX",
                                         9, base, True))
        for n, p in enumerate(self.ports):
            if p.optic:
                inv.append(InventoryItem(1000 + 100 + n, p.short, OPTICS[p.optic][0], p.optic, "V03",
                                         self._optic_serials[p.short], 10, 1030, True))
        self.inventory = inv

    def open_session(self, console: bool) -> XeSwitchSession:
        return XeSwitchSession(self, console=console)


def show_version_9300(dev: Device) -> str:
    s = dev.spec
    gig = sum(1 for p in dev.ports if p.name.startswith("Gigabit"))
    ten = sum(1 for p in dev.ports if p.name.startswith("TenGig"))
    up = _uptime_text(dev.uptime())
    lines = xe_version_head(dev) + [
        f"ROM: {s.rommon}", f"BOOTLDR: {s.bootldr}", "",
        f"{dev.hostname} uptime is {up}", f"Uptime for this control processor is {up}",
        f"System returned to ROM by {xe_reload_reason(dev)}", f'System image file is "flash:{s.image_file}"',
        f"Last reload reason: {xe_reload_reason(dev)}", "", "", "",
        "This product contains cryptographic features and is subject to United",
        "States and local country laws governing import, export, transfer and",
        "use. (Export notice shortened by the simulator.)", "", "",
        "Technology Package License Information: ", "",
        "------------------------------------------------------------------------------",
        "Technology-package                                     Technology-package",
        "Current                        Type                       Next reboot  ",
        "------------------------------------------------------------------------------",
        "network-advantage      \tSmart License                 \tnetwork-advantage       ",
        "None                   \tSubscription Smart License    \tNone                    ", "",
        f"Smart Licensing Status: {owner_data.smart_status_word(dev)}", "",
        f"cisco {s.pid} {s.memory}.", f"Processor board ID {dev.serial}",
        "2 Virtual Ethernet interfaces", f"{gig} Gigabit Ethernet interfaces",
    ]
    if ten:
        lines.append(f"{ten} Ten Gigabit Ethernet interfaces")
    recovery = "enabled" if dev.running.password_recovery else "disabled"
    serial = dev.serial
    lines += [
        "2048K bytes of non-volatile configuration memory.", "8388608K bytes of physical memory.",
        "1638400K bytes of Crash Files at crashinfo:.", "11264000K bytes of Flash at flash:.",
        "0K bytes of WebUI ODM Files at webui:.", "",
        f"Base Ethernet MAC Address          : {dev.base_mac.lower()}",
        "Motherboard Assembly Number        : 73-17956-04",
        f"Motherboard Serial Number          : {serial[:3]}{serial[3:7]}3BQW",
        "Model Revision Number              : A0", "Motherboard Revision Number        : A0",
        f"Model Number                       : {s.pid}", f"System Serial Number               : {serial}",
        "CLEI Code Number                   : ", f"The password-recovery mechanism is {recovery}.", "", "",
        "Switch Ports Model              SW Version        SW Image              Mode   ",
        "------ ----- -----              ----------        ----------            ----   ",
        f"*    1 {len(dev.ports):<5} {s.pid:<18} {s.version:<17} {s.software_image:<21} INSTALL", "", "",
        f"Configuration register is {dev.config_register}", "",
    ]
    return "\n".join(lines)


def show_env_all_9300(dev: Device) -> str:
    """9300 wording: the classic fan/temperature/power blocks plus the PSU fans, bay B shown when empty."""
    text = show_env_all(dev)
    psu_fans = "".join(f"FAN PS-{i} is {'OK' if p.ok else 'NOT PRESENT'}\n" for i, p in enumerate(dev.psus, 1))
    head, _, rest = text.partition("Switch 1: SYSTEM TEMPERATURE")
    return head + psu_fans + "Switch 1: SYSTEM TEMPERATURE" + rest


class XeSwitchSession(IosSession):
    def show_table(self) -> dict[tuple[str, ...], Callable[[Device], str]]:
        table = super().show_table()
        table.update({("version",): show_version_9300, ("environment",): show_env_all_9300,
                      ("environment", "all"): show_env_all_9300})
        return table
