"""FastIron `show version` read by hand and by ntc-templates: every stack unit, its model and serial.

ntc-templates' ruckus_fastiron template parses Ruckus-branded images only and names no model or unit;
the brocade_fastiron one parses Brocade-branded ones. Both formats carry the same blocks, read here:

    UNIT 1: SL 1: ICX7150-48PF-2X10G_2X1G POE 48-port Management Module
          Serial  #:FEE3816Q018
    UNIT 1: SL 2: ICX7150-2X1GC 2-port 2G Module
    ...
    My stack unit ID = 1, bootup role = active

The model of a unit is the management module's name without its port-licence suffix (ICX7150-48PF);
the chassis serial is the active unit's ("My stack unit ID").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bench.drivers.parsing import sanitize
from bench.model import Component, ComponentKind
from bench.platforms.identity_readers import IdentityRead
from bench.serials import placeholder_reason

_SLOT = re.compile(r"^UNIT\s+(\d+):\s+SL\s+(\d+):\s+(\S+)\s*(.*?)\s*$")
_SERIAL = re.compile(r"^\s*Serial\s*#\s*:\s*(\S*)")
_LICENCE = re.compile(r"-\d+X\d+G\w*$")  # ICX7150-48PF-2X10G_2X1G: the licensed uplinks, not the model
_ACTIVE = re.compile(r"My stack unit ID\s*=\s*(\d+)")
_VERSION = re.compile(r"SW:\s+Version\s+(\S+)")
_HW = re.compile(r"^\s*HW:\s*(.*?)\s*$", re.MULTILINE)
_UPTIME = re.compile(r"^STACKID\s+(\d+)\s+system uptime is\s+(.*?)\s*$", re.MULTILINE)
_STARTED = re.compile(r"^\s*The system\s*:\s*(.*?)\s*$", re.MULTILINE)
_UNITS = {"day": 86_400, "hour": 3_600, "minute": 60, "second": 1}


@dataclass
class Unit:
    number: int
    model: str = ""
    descr: str = ""
    serial: str = ""
    modules: list[tuple[str, str, str]] = field(default_factory=list)  # (slot, model, description)


@dataclass
class Version:
    units: dict[int, Unit] = field(default_factory=dict)
    active: int = 1
    os_version: str = ""
    hw: str = ""  # "Stackable ICX7150-48-POEF"
    uptime: str = ""
    uptime_seconds: float | None = None
    reload_reason: str = ""

    @property
    def chassis(self) -> Unit | None:
        return self.units.get(self.active) or next(iter(self.units.values()), None)


def uptime_seconds(text: str) -> float | None:
    """"24 day(s) 4 hour(s) 11 minute(s) 1 second(s)" -> seconds; None when nothing reads."""
    found = re.findall(r"(\d+)\s*(day|hour|minute|second)", text)
    return float(sum(int(n) * _UNITS[u] for n, u in found)) if found else None


def unit_model(module_name: str) -> str:
    return _LICENCE.sub("", module_name.strip())


def parse_version(text: str) -> Version:
    out = Version()
    unit: Unit | None = None
    slot_of_unit = ""
    for raw in sanitize(text).splitlines():
        m = _SLOT.match(raw.strip())
        if m:
            number = int(m.group(1))
            unit = out.units.setdefault(number, Unit(number))
            slot_of_unit = m.group(2)
            if slot_of_unit == "1":
                unit.model, unit.descr = unit_model(m.group(3)), f"{m.group(3)} {m.group(4)}".strip()
            else:
                unit.modules.append((slot_of_unit, m.group(3), f"{m.group(3)} {m.group(4)}".strip()))
            continue
        s = _SERIAL.match(raw)
        if s and unit is not None and slot_of_unit == "1" and not unit.serial:
            unit.serial = s.group(1).strip()
    a = _ACTIVE.search(text)
    out.active = int(a.group(1)) if a else min(out.units, default=1)
    v = _VERSION.search(text)
    out.os_version = v.group(1) if v else ""
    hw = _HW.search(text)
    out.hw = hw.group(1) if hw else ""
    ups = {int(n): t for n, t in _UPTIME.findall(text)}
    out.uptime = ups.get(out.active) or next(iter(ups.values()), "")
    out.uptime_seconds = uptime_seconds(out.uptime) if out.uptime else None
    st = _STARTED.search(text)
    if st:
        out.reload_reason = re.sub(r"\s+", " ", st.group(1).replace("started=", "").replace("reloaded=", "reloaded "))
    return out


def _part(kind: ComponentKind, name: str, pid: str, serial: str, descr: str) -> Component:
    why = placeholder_reason(serial) if serial else None
    if why:
        descr = f"{descr} (serial unreadable: {why})"
    return Component(kind, name, pid=pid, serial="" if why else serial.upper(), descr=descr, source="cli")


def version_components(v: Version) -> list[Component]:
    """One chassis per stack unit (its serial), then each unit's uplink modules (FastIron shows no serial)."""
    comps: list[Component] = []
    for n, unit in sorted(v.units.items(), key=lambda kv: (kv[0] != v.active, kv[0])):
        where = f"stack unit {n}" + (" (active)" if n == v.active and len(v.units) > 1 else "")
        comps.append(_part(ComponentKind.CHASSIS, f"Unit {n}", unit.model, unit.serial, f"{unit.descr}, {where}"))
    for n, unit in sorted(v.units.items()):
        for slot, model, descr in unit.modules:
            comps.append(Component(ComponentKind.MODULE, f"Unit {n} slot {slot}", pid=model, descr=descr,
                                   source="cli"))
    return comps


def read_show_version(text: str) -> IdentityRead:
    """The identity reader for `show version` (bench.platforms.identity_readers consults it)."""
    out = IdentityRead()
    v = parse_version(text)
    chassis = v.chassis
    if chassis is None:
        out.problems.append("'show version' names no stack unit")
        return out
    out.model = chassis.model
    out.take_serial(chassis.serial, "show version")
    out.components = version_components(v)
    return out
