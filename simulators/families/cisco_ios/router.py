"""The `cisco_ios_router` family: ISR 4331 on IOS-XE 16.x with NIM modules and a PVDM.

Ports: three on-board (Gi0/0/0-1 copper, Gi0/0/2 SFP), a NIM-ES2-4 in 0/1 (Gi0/1/0-3) and a
NIM-1GE-CU-SFP in 0/2 (Gi0/2/0). Router-style `show environment`, `show platform` and inventory.
"""

from __future__ import annotations

from collections.abc import Callable

from simulators.families.cisco_ios.catalog import OPTICS
from simulators.families.cisco_ios.cli import IosSession, _uptime_text
from simulators.families.cisco_ios.device import (
    Device,
    InventoryItem,
    Port,
    TempSensor,
)
from simulators.families.cisco_ios.iosxe import xe_reload_reason, xe_version_head
from simulators.faults import FaultSpec


class IsrRouter(Device):
    def __init__(self, slot: str, index: int, seed: int, model: str, faults: list[FaultSpec] | None = None) -> None:
        super().__init__(slot, index, seed, model, faults)
        self.config_register = "0x2102"
        self.running.hostname = self.running.hostname if self.running.hostname != "Switch" else "Router"
        if self.startup is not None and self.startup.hostname == "Switch":
            self.startup.hostname = "Router"

    def _member_ports(self, m: int) -> list[Port]:
        ports = [Port("GigabitEthernet0/0/0", "Gi0/0/0", "copper"), Port("GigabitEthernet0/0/1", "Gi0/0/1", "copper"),
                 Port("GigabitEthernet0/0/2", "Gi0/0/2", "sfp")]
        for subslot, pid, _ in self.spec.modules:
            bay = subslot.split("/")[1]
            if pid == "NIM-ES2-4":
                ports += [Port(f"GigabitEthernet0/{bay}/{n}", f"Gi0/{bay}/{n}", "copper") for n in range(4)]
            elif pid == "NIM-1GE-CU-SFP":
                ports.append(Port(f"GigabitEthernet0/{bay}/0", f"Gi0/{bay}/0", "sfp"))
        return ports

    def _build_hardware(self, rng: object) -> None:
        super()._build_hardware(rng)  # type: ignore[arg-type]
        # Router sensors: inlet and CPU (hotspot) of R0; thresholds as the ISR 4300 reports them (minor, major).
        for t in self.temps:
            t.yellow, t.red = (45, 55) if t.kind == "Inlet" else (70, 80)
        self.temps.append(TempSensor(1, "Outlet", self.temps[0].base + 8, 55, 65))

    def _build_inventory(self) -> None:
        s = self.spec
        psu = self.psus[0]
        inv = [InventoryItem(1, "Chassis", "Cisco ISR4331 Chassis", s.pid, s.vid, self.serial, 3, 0, True),
               InventoryItem(2, "Power Supply Module 0", "250W AC Power Supply for Cisco ISR 4330", psu.pid or "",
                             "V02", psu.serial, 6, 1, True),
               InventoryItem(3, "Fan Tray", "Cisco ISR4330 Fan Assembly", s.fan_pid or "", "", "", 7, 1, True),
               InventoryItem(4, "module 0", "Cisco ISR4331 Built-In NIM controller", s.pid, "", "", 9, 1, True),
               InventoryItem(5, "NIM subslot 0/0", "Front Panel 3 ports Gigabitethernet Module", "ISR4331-3x1GE",
                             "V01", "", 9, 4, True)]
        for i, (subslot, pid, descr) in enumerate(s.modules):
            serial = f"FOC{self.serial[3:7]}{'NPQ'[i]}{i}{self.serial[-2:]}"
            name = f"PVDM subslot {subslot}" if pid.startswith("PVDM") else f"NIM subslot {subslot}"
            inv.append(InventoryItem(6 + i, name, descr, pid, "V01", serial, 9, 4, True))
        inv += [InventoryItem(20, "module 1", "Cisco ISR4331 Built-In SM controller", s.pid, "", "", 9, 1, True),
                InventoryItem(30, "module R0", "Cisco ISR4331 Route Processor", s.pid, s.vid,
                              f"FLM{self.serial[3:7]}W0N8", 9, 1, True),
                InventoryItem(40, "module F0", "Cisco ISR4331 Forwarding Processor", s.pid, "", "", 9, 1, True)]
        for n, p in enumerate(self.ports):
            if p.optic:
                inv.append(InventoryItem(100 + n, f"subslot {p.short[2:].rsplit('/', 1)[0]} transceiver "
                                                  f"{p.short.rsplit('/', 1)[1]}", OPTICS[p.optic][0], p.optic, "V01",
                                         self._optic_serials[p.short], 10, 5, True))
        self.inventory = inv

    def open_session(self, console: bool) -> RouterSession:
        return RouterSession(self, console=console)


def show_version_isr(dev: Device) -> str:
    s = dev.spec
    up = _uptime_text(dev.uptime())
    lines = xe_version_head(dev) + [
        f"ROM: {s.rommon}", "",
        f"{dev.hostname} uptime is {up}", f"Uptime for this control processor is {up}",
        f"System returned to ROM by {xe_reload_reason(dev)}",
        f'System image file is "bootflash:{s.image_file}"', f"Last reload reason: {xe_reload_reason(dev)}",
        "", "", "",
        "This product contains cryptographic features and is subject to United",
        "States and local country laws governing import, export, transfer and",
        "use. (Export notice shortened by the simulator.)", "", "",
        "Technology Package License Information: ", "",
        "-----------------------------------------------------------------",
        "Technology    Technology-package           Technology-package",
        "              Current       Type           Next reboot  ",
        "------------------------------------------------------------------",
        "appxk9           None             None             None",
        "uck9             None             None             None",
        "securityk9       None             None             None",
        "ipbase           ipbasek9         Permanent        ipbasek9", "",
        f"cisco {s.pid} {s.memory}.", f"Processor board ID {dev.serial}",
        f"{len(dev.ports)} Gigabit Ethernet interfaces",
        "32768K bytes of non-volatile configuration memory.", "4194304K bytes of physical memory.",
        "3223551K bytes of flash memory at bootflash:.", "0K bytes of WebUI ODM Files at webui:.", "",
        f"Configuration register is {dev.config_register}", "",
    ]
    return "\n".join(lines)


def show_env_isr(dev: Device) -> str:
    up = dev.uptime()
    crit = sum(1 for t in dev.temps if t.value(up) >= t.red) + sum(1 for p in dev.psus if not p.ok)
    major = sum(1 for f in dev.fans if not f.ok)
    out = ["", f"Number of Critical alarms:  {crit}", f"Number of Major alarms:     {major}",
           "Number of Minor alarms:     0", "",
           " Slot    Sensor          Current State       Reading        Threshold(Minor,Major,Critical,Shutdown)",
           " ----    ------          -------------       -------        ---------------------------------------"]
    for p in dev.psus:
        state = "Normal" if p.ok else "Critical"
        for sensor, reading in (("Vin", "228 V AC" if p.ok else "0 V AC"), ("Iin", "1 A" if p.ok else "0 A"),
                                ("Vout", "12 V DC" if p.ok else "0 V DC"), ("Iout", "3 A" if p.ok else "0 A")):
            out.append(f" P0      {sensor:<15} {state:<19} {reading:<14} na")
    for f in dev.fans:
        out.append(f" P2      Fan{f.number:<12} {'Normal' if f.ok else 'Fan Failure':<19} "
                   f"{(4480 + 32 * f.number) if f.ok else 0} RPM{'':<5} na")
    for t in dev.temps:
        v = t.value(up)
        state = "Critical" if v >= t.red else "Minor" if v >= t.yellow else "Normal"
        name = {"Inlet": "Temp: Inlet 1", "Hotspot": "Temp: CPU Die", "Outlet": "Temp: Outlet 1"}[t.kind]
        out.append(f" R0      {name:<15} {state:<19} {f'{v} Celsius':<14} ({t.yellow:<3},{t.red:<3},"
                   f"{t.red + 10:<3},{t.red + 20:<3})(Celsius)")
    return "\n".join(out) + "\n"


def show_platform_isr(dev: Device) -> str:
    s = dev.spec
    ago = _ago(dev.uptime())
    rows = [("0", s.pid, "ok"), (" 0/0", "ISR4331-3x1GE", "ok")]
    rows += [(f" {sub}", pid, "ok") for sub, pid, _ in s.modules if not pid.startswith("PVDM")]
    rows += [("1", s.pid, "ok"), ("R0", s.pid, "ok, active"), ("F0", "ISR4331-FP", "ok, active")]
    rows += [("P0", p.pid or "", "ok" if p.ok else "fail") for p in dev.psus]
    rows.append(("P2", s.fan_pid or "", "ok" if all(f.ok for f in dev.fans) else "fail"))
    out = [f"Chassis type: {s.pid:<20}", "", "Slot      Type                State                 Insert time (ago) ",
           "--------- ------------------- --------------------- ----------------- "]
    out += [f"{slot:<9} {typ:<19} {state:<21} {ago:<17} " for slot, typ, state in rows]
    out += ["", "Slot      CPLD Version        Firmware Version                        ",
            "--------- ------------------- --------------------------------------- "]
    out += [f"{slot:<9} {'1709280E':<19} {s.rommon:<39} " for slot in ("0", "1", "R0", "F0")]
    return "\n".join(out) + "\n"


def _ago(seconds: float) -> str:
    d, rem = divmod(int(seconds), 86400)
    h, rem = divmod(rem, 3600)
    m, sec = divmod(rem, 60)
    w, d = divmod(d, 7)
    return f"{w}w{d}d" if w else f"{d}d{h:02d}h" if d else f"{h:02d}:{m:02d}:{sec:02d}"


class RouterSession(IosSession):
    def show_table(self) -> dict[tuple[str, ...], Callable[[Device], str]]:
        table = super().show_table()
        for key in [k for k in table if k[0] in ("environment", "post")]:
            del table[key]  # the ISR has its own environment format and no Catalyst POST
        table.update({("version",): show_version_isr, ("environment",): show_env_isr,
                      ("environment", "all"): show_env_isr, ("platform",): show_platform_isr})
        return table
