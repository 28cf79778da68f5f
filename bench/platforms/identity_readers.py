"""Identity readers: one command's output in, the model, serial and components the unit states out.

Pure functions over text, so the same code reads a live session and the real outputs kept for tests
(ntc-templates' fixtures). ntc-templates parse where a template exists; a few lines of hand parsing
cover what no template reads (the "Model number" of an image the template misses, stack members).
A serial that is a placeholder (`<private>`, `XXXXXXXXXX`, all zeros, `N/A`) is never taken as a
serial: `unreadable` says why (bench.serials).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bench.drivers.parsing import ParseError, parse
from bench.model import Component, ComponentKind
from bench.serials import placeholder_reason


@dataclass
class IdentityRead:
    model: str = ""
    serial: str = ""
    unreadable: str = ""  # why the unit's serial field is not a serial ("" when read or absent)
    components: list[Component] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def take_serial(self, raw: str, where: str) -> None:
        """Set the serial from `raw` unless it is a placeholder; then say so instead."""
        raw = (raw or "").strip()
        if not raw:
            return
        why = placeholder_reason(raw)
        if why:
            self.unreadable = self.unreadable or f"{where}: {why}"
        elif not self.serial:
            self.serial = raw.upper()


def _s(row: dict[str, Any], key: str) -> str:
    return str(row.get(key) or "").strip()


def _rows(platform: str, command: str, text: str, out: IdentityRead) -> list[dict[str, Any]]:
    try:
        return parse(platform, command, text) or []
    except ParseError as exc:
        out.problems.append(str(exc))
        return []


def _component(kind: ComponentKind, name: str, pid: str, serial: str, descr: str = "", vid: str = "") -> Component:
    # A placeholder serial stays out of the component (it names no part); the description keeps it visible.
    why = placeholder_reason(serial) if serial else None
    if why:
        descr = f"{descr} (serial unreadable: {why})".strip()
    return Component(kind=kind, name=name, pid=pid, vid=vid, serial="" if why else serial.strip().upper(),
                     descr=descr, source="cli")


def component_kind(name: str, descr: str, pid: str) -> ComponentKind:
    """Guess a `show inventory` entry's kind from its name, description and PID."""
    text = f"{name} {descr} {pid}".lower()
    if re.search(r"power supply|\bpwr-|\bpsu\b|\bps-?\d", text):
        return ComponentKind.PSU
    if re.search(r"\bfan\b|fan tray|\bfan-", text):
        return ComponentKind.FAN
    # Router and uplink cards before optics: a "NIM-1GE-CU-SFP" is a module with an SFP cage, not an optic.
    if re.match(r"(nim|pvdm|sm|ehwic|hwic) subslot|module\b", name.lower()) or re.match(
        r"(NIM|PVDM|SM|EHWIC|HWIC|C\d+-NM)-", pid.upper()
    ):
        return ComponentKind.MODULE
    if re.match(
        r"^(gi|te|fo|tw|hu|fa|gigabitethernet|tengigabitethernet|fortygige|twentyfivegige)\S*\d$",
        name.lower(),
    ) or re.search(r"\bsfp|gbic|xfp|qsfp|base-?[a-z]{1,3}\b", text):
        return ComponentKind.OPTIC
    if re.fullmatch(r"\d+|switch\s*\d+|chassis", name.lower()) or "chassis" in descr.lower():
        return ComponentKind.CHASSIS
    if re.search(r"module|stack|uplink|card|\bnm-|linecard", text):
        return ComponentKind.MODULE
    return ComponentKind.OTHER


# ---- Cisco IOS / IOS-XE --------------------------------------------------------------------------

_IOS_MODEL = [re.compile(r"(?m)^\s*Model [Nn]umber\s*:\s*(\S+)"),
              re.compile(r"(?m)^[Cc]isco\s+(\S+)\s+\([^)\n]*\)\s+(?:processor|with)")]
_IOS_SERIAL = [re.compile(r"(?m)^\s*System [Ss]erial [Nn]umber\s*:\s*(\S+)"),
               re.compile(r"(?m)^Processor board ID\s+([^\s,]+)")]


def ios_show_version(text: str) -> IdentityRead:
    """`show version` of IOS and IOS-XE: the unit's PID and serial; every stack member as a chassis."""
    out = IdentityRead()
    rows = _rows("cisco_ios", "show version", text, out)
    row = rows[0] if rows else {}
    hardware = [str(h).strip() for h in row.get("hardware") or [] if str(h).strip()]
    serials = [str(s).strip() for s in row.get("serial") or [] if str(s).strip()]
    out.model = hardware[0] if hardware else next((m.group(1) for p in _IOS_MODEL if (m := p.search(text))), "")
    first = serials[0] if serials else next((m.group(1) for p in _IOS_SERIAL if (m := p.search(text))), "")
    out.take_serial(first, "show version")
    if len(serials) > 1:  # a stack: one "System serial number" per member, in member order
        for i, sn in enumerate(serials, 1):
            pid = hardware[i - 1] if i - 1 < len(hardware) else out.model
            out.components.append(_component(ComponentKind.CHASSIS, f"Switch {i}", pid, sn,
                                             f"stack member {i}"))
    return out


def ios_show_inventory(text: str) -> IdentityRead:
    from bench.platforms.cisco_ios.collector import inventory_components

    out = IdentityRead()
    rows = _rows("cisco_ios", "show inventory", text, out)
    comps = inventory_components(rows)
    for c in comps:
        why = placeholder_reason(c.serial) if c.serial else None
        if why:
            c.descr, c.serial = f"{c.descr} (serial unreadable: {why})", ""
    out.components = comps
    chassis = next((c for c in comps if c.kind is ComponentKind.CHASSIS), None)
    if chassis is None and rows:  # old routers name the chassis "3640 chassis" with no PID
        first = rows[0]
        if "chassis" in f"{_s(first, 'name')} {_s(first, 'descr')}".lower():
            chassis = comps[0]
            chassis.kind = ComponentKind.CHASSIS
    if chassis is not None:
        out.model = chassis.pid
        raw = next((_s(r, "sn") for r in rows if _s(r, "name") == chassis.name), "")
        out.take_serial(raw, "show inventory")
    return out


def ios_show_module(text: str) -> IdentityRead:
    """`show module` (Catalyst 4500/6500, stacks): every line card and its daughter card with serials."""
    out = IdentityRead()
    for r in _rows("cisco_ios", "show module", text, out):
        where = f"switch {_s(r, 'switch_number')} " if _s(r, "switch_number") else ""
        if _s(r, "model") or _s(r, "serial"):
            out.components.append(_component(ComponentKind.MODULE, f"{where}module {_s(r, 'module')}".strip(),
                                             _s(r, "model"), _s(r, "serial"), _s(r, "cardtype"), _s(r, "mod_hw")))
        if _s(r, "submodule_model") or _s(r, "submodule_serial"):
            out.components.append(_component(ComponentKind.MODULE, f"{where}module {_s(r, 'module')} "
                                             f"{_s(r, 'submodule')}".strip(), _s(r, "submodule_model"),
                                             _s(r, "submodule_serial"), _s(r, "submodule"), _s(r, "submodule_hw")))
    return out


def ios_show_switch(text: str) -> IdentityRead:
    """`show switch` / `show switch detail`: the stack's members (their serials come from show version)."""
    out = IdentityRead()
    for r in _rows("cisco_ios", "show switch detail", text, out):
        if _s(r, "switch"):
            out.components.append(Component(ComponentKind.CHASSIS, f"Switch {_s(r, 'switch')}", pid="",
                                            descr=f"stack member, {_s(r, 'role')} {_s(r, 'state')}".strip(),
                                            source="cli"))
    return out


# ---- Arista EOS ----------------------------------------------------------------------------------


def eos_show_version(text: str) -> IdentityRead:
    out = IdentityRead()
    rows = _rows("arista_eos", "show version", text, out)
    row = rows[0] if rows else {}
    out.model = _s(row, "model") or next(iter(re.findall(r"(?m)^\s*Arista\s+(\S+)", text)), "")
    m = re.search(r"(?m)^Serial number:\s*(\S*)", text)
    out.take_serial(_s(row, "serial_number") or (m.group(1) if m else ""), "show version")
    return out


def eos_show_inventory(text: str) -> IdentityRead:
    from bench.platforms.arista_eos.collector import inventory_components

    out = IdentityRead()
    rows = _rows("arista_eos", "show inventory", text, out)
    out.components, _ = inventory_components(rows)
    if rows and not _s(rows[0], "port"):
        out.model = _s(rows[0], "pid")
        out.take_serial(_s(rows[0], "sn"), "show inventory")
    return out


def eos_show_module(text: str) -> IdentityRead:
    out = IdentityRead()
    for r in _rows("arista_eos", "show module", text, out):
        if _s(r, "model") or _s(r, "serial_num"):
            out.components.append(_component(ComponentKind.MODULE, f"Module {_s(r, 'module')}", _s(r, "model"),
                                             _s(r, "serial_num"), _s(r, "card"), _s(r, "hw_ver")))
    return out


# ---- Juniper Junos -------------------------------------------------------------------------------


def junos_show_version(text: str) -> IdentityRead:
    from bench.platforms.juniper_junos.collector import version_facts

    out = IdentityRead()
    out.model = version_facts(text, out.problems)["model"]
    return out


def junos_chassis_hardware(text: str) -> IdentityRead:
    from bench.platforms.juniper_junos.collector import hardware_components

    out = IdentityRead()
    out.components = hardware_components(text, out.problems)
    for c in out.components:
        why = placeholder_reason(c.serial) if c.serial else None
        if why:
            c.descr, c.serial = f"{c.descr} (serial unreadable: {why})", ""
    m = re.search(r"(?m)^Chassis\s+(?:REV \S+\s+)?(?:\S+\s+)?(\S+)\s+(\S.*?)\s*$", text)
    chassis = next((c for c in out.components if c.kind is ComponentKind.CHASSIS), None)
    if chassis is not None:
        out.model = chassis.pid.upper()
        raw = re.search(r"(?m)^Chassis\s+(\S+)", text)
        out.take_serial(chassis.serial or (raw.group(1) if raw else ""), "show chassis hardware")
    elif m:
        out.problems.append("'show chassis hardware': chassis row not read")
    return out


# ---- HP / Aruba ProVision ------------------------------------------------------------------------


def procurve_show_system(text: str) -> IdentityRead:
    out = IdentityRead()
    rows = _rows("hp_procurve", "show system", text, out)
    raw = _s(rows[0], "serial") if rows else ""
    if not raw:
        m = re.search(r"Serial Number\s*:\s*(\S+)", text)
        raw = m.group(1) if m else ""
    out.take_serial(raw, "show system")
    return out


READERS: dict[tuple[str, str], Callable[[str], IdentityRead]] = {
    ("cisco_ios", "show version"): ios_show_version,
    ("cisco_ios", "show inventory"): ios_show_inventory,
    ("cisco_ios", "show module"): ios_show_module,
    ("cisco_ios", "show switch"): ios_show_switch,
    ("cisco_ios", "show switch detail"): ios_show_switch,
    ("arista_eos", "show version"): eos_show_version,
    ("arista_eos", "show inventory"): eos_show_inventory,
    ("arista_eos", "show module"): eos_show_module,
    ("juniper_junos", "show version"): junos_show_version,
    ("juniper_junos", "show chassis hardware"): junos_chassis_hardware,
    ("hp_procurve", "show system"): procurve_show_system,
}


def read(platform: str, command: str, text: str) -> IdentityRead:
    """The identity facts in one command's output; never raises on hostile text (problems say why)."""
    reader = READERS.get((platform, command)) or _package_reader(platform, command)
    if reader is None:
        return IdentityRead(problems=[f"no identity reader for {command!r} on {platform}"])
    try:
        return reader(text)
    except Exception as exc:  # a reader's bug on odd output is a problem noted, never a crash
        return IdentityRead(problems=[f"{command!r} on {platform}: {type(exc).__name__}: {exc}"[:300]])


def _package_reader(platform: str, command: str) -> Callable[[str], IdentityRead] | None:
    """A platform package may carry its own readers (`identity_readers`: command -> reader), so a family
    is added as one package without editing this table."""
    from bench.platforms import UnknownPlatform, load  # the registry imports this module's users

    try:
        readers = getattr(load(platform), "identity_readers", None) or {}
    except (UnknownPlatform, ImportError):
        return None
    return readers.get(command)
