"""IOS XR identity readers: one command's output in, the model, serial and parts the unit states out.

Pure functions over text (a live session and ntc-templates' real fixtures alike), registered on the platform
as `identity_readers` for bench.platforms.identity_readers.read. `show version` names the platform
("ASR9K Series", "NCS-5500") but no serial; `show inventory`'s "Rack 0" (or "Chassis") entry names the PID and
serial of the chassis.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from bench.drivers.parsing import ParseError, parse
from bench.model import Component, ComponentKind
from bench.platforms.identity_readers import IdentityRead, component_kind
from bench.serials import placeholder_reason

_HARDWARE = re.compile(r"(?m)^\s*[Cc]isco\s+(.+?)\s\([^)\n]*\)\s*processor")
_CHASSIS_NAMES = re.compile(r"^(?:rack \d+|chassis|\d+)$", re.IGNORECASE)


def _rows(command: str, text: str, out: IdentityRead, quiet: bool = False) -> list[dict[str, Any]]:
    try:
        return parse("cisco_xr", command, text) or []
    except ParseError as exc:
        if not quiet:
            out.problems.append(str(exc))
        return []


def _s(row: dict[str, Any], key: str) -> str:
    return str(row.get(key) or "").strip()


def show_version(text: str) -> IdentityRead:
    """The platform the unit names (`cisco NCS-5500 () processor`); 32-bit XR's longer output, which the template
    stops at, is read by hand."""
    out = IdentityRead()
    rows = _rows("show version", text, out, quiet=True)
    m = _HARDWARE.search(text)
    out.model = (_s(rows[0], "hardware") if rows else "") or (m.group(1).strip() if m else "")
    return out


def _kind(name: str, descr: str, pid: str) -> ComponentKind:
    if _CHASSIS_NAMES.match(name) or re.search(r"\bchassis\b", descr, re.IGNORECASE) and "/" not in name:
        return ComponentKind.CHASSIS
    if re.search(r"optics|transceiver|\bsfp|qsfp|xfp|cfp", f"{descr} {pid}", re.IGNORECASE) or re.match(
            r"^(?:module mau )?\w*(?:GigE|GigabitEthernet)\d", name):
        return ComponentKind.OPTIC
    if re.search(r"/PM\d|power", f"{name} {descr}", re.IGNORECASE):
        return ComponentKind.PSU
    if re.search(r"/FT\d|fan", f"{name} {descr}", re.IGNORECASE):
        return ComponentKind.FAN
    kind = component_kind(name, descr, pid)
    return ComponentKind.MODULE if kind in (ComponentKind.OTHER, ComponentKind.CHASSIS) else kind


def show_inventory(text: str) -> IdentityRead:
    """Every NAME/PID block (both layouts XR prints): the chassis first, then RPs, cards, optics, PSUs, fans."""
    out = IdentityRead()
    for r in _rows("show inventory", text, out):
        name, pid, sn, descr = _s(r, "name"), _s(r, "pid"), _s(r, "sn"), _s(r, "descr")
        if not (pid or sn):
            continue
        kind = _kind(name, descr, pid)
        if kind is ComponentKind.CHASSIS and out.model:
            kind = ComponentKind.MODULE  # one chassis per unit: later "Chassis" rows are its parts
        why = placeholder_reason(sn) if sn else None
        out.components.append(Component(kind, name, pid, _s(r, "vid"), "" if why else sn.upper(),
                                        f"{descr} (serial unreadable: {why})" if why else descr, "cli"))
        if kind is ComponentKind.CHASSIS:
            out.model = pid
            out.take_serial(sn, "show inventory")
    return out


READERS: dict[str, Callable[[str], IdentityRead]] = {
    "show version": show_version,
    "show inventory": show_inventory,
    "admin show inventory": show_inventory,
}
