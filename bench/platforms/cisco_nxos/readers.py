"""NX-OS identity readers: one command's output in, the model, serial and parts the unit states out.

Pure functions over text (a live session and ntc-templates' real fixtures alike), registered on the platform
as `identity_readers` for bench.platforms.identity_readers.read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from bench.drivers.parsing import ParseError, parse
from bench.model import Component, ComponentKind
from bench.platforms.identity_readers import IdentityRead, component_kind
from bench.serials import placeholder_reason


def _rows(command: str, text: str, out: IdentityRead) -> list[dict[str, Any]]:
    try:
        return parse("cisco_nxos", command, text) or []
    except ParseError as exc:
        out.problems.append(str(exc))
        return []


def _s(row: dict[str, Any], key: str) -> str:
    return str(row.get(key) or "").strip()


def _part(kind: ComponentKind, name: str, pid: str, serial: str, descr: str, vid: str = "") -> Component:
    why = placeholder_reason(serial) if serial else None
    if why:
        descr = f"{descr} (serial unreadable: {why})"
    return Component(kind, name, pid, vid, "" if why else serial.upper(), descr, "cli")


def show_version(text: str) -> IdentityRead:
    """The chassis `show version` names ("C93180YC-EX", "5548", "C7010") and its Processor Board ID."""
    out = IdentityRead()
    rows = _rows("show version", text, out)
    row = rows[0] if rows else {}
    out.model = _s(row, "platform")
    m = re.search(r"(?m)^\s*Processor [Bb]oard ID\s+(\S+)", text)
    out.take_serial(_s(row, "serial") or (m.group(1) if m else ""), "show version")
    return out


def _kind(name: str, descr: str, pid: str) -> ComponentKind:
    if name.lower() == "chassis":
        return ComponentKind.CHASSIS
    if re.match(r"^(?:Ethernet|Eth)\d", name):
        return ComponentKind.OPTIC
    if re.match(r"^slot \d+$", name.lower()):
        kind = component_kind(name, descr, pid)
        if kind in (ComponentKind.PSU, ComponentKind.FAN):
            return kind
        return ComponentKind.MODULE
    if re.search(r"fan", f"{name} {descr}", re.IGNORECASE):
        return ComponentKind.FAN
    return component_kind(name, descr, pid)


def show_inventory(text: str) -> IdentityRead:
    """Every NAME/PID block: the chassis (model and serial), supervisors, line cards, PSUs, fans, optics."""
    out = IdentityRead()
    rows = _rows("show inventory", text, out)
    for r in rows:
        name, pid, sn = _s(r, "name"), _s(r, "pid"), _s(r, "sn")
        if not (pid or sn):
            continue
        kind = _kind(name, _s(r, "descr"), pid)
        out.components.append(_part(kind, name, pid, sn, _s(r, "descr"), _s(r, "vid")))
        if kind is ComponentKind.CHASSIS and not out.model:
            out.model = pid
            out.take_serial(sn, "show inventory")
    return out


def module_serials(text: str) -> dict[str, str]:
    """module -> serial from `show module`'s "Mod  MAC-Address(es)  Serial-Num" table (the template stops before)."""
    out: dict[str, str] = {}
    inside = False
    for line in text.splitlines():
        if re.match(r"^\s*Mod\s+MAC-Address\(es\)\s+Serial-Num", line):
            inside = True
            continue
        if inside and re.match(r"^\s*Mod\s", line):
            inside = False  # the next table (online diagnostics, Xbar) began
        m = re.match(r"^\s*(\d+)\s+\S+(?:\s+to\s+\S+)?\s+([A-Z0-9]{6,})\s*$", line) if inside else None
        if m:
            out[m.group(1)] = m.group(2)
    return out


def show_module(text: str) -> IdentityRead:
    """Supervisors, line cards and fabric modules with their serials (the first and third tables joined)."""
    out = IdentityRead()
    serials = module_serials(text)
    for r in _rows("show module", text, out):
        if _s(r, "model"):
            out.components.append(_part(ComponentKind.MODULE, f"module {_s(r, 'module')}", _s(r, "model"),
                                        serials.get(_s(r, "module"), ""), _s(r, "type")))
    return out


READERS: dict[str, Callable[[str], IdentityRead]] = {
    "show version": show_version,
    "show inventory": show_inventory,
    "show module": show_module,
}
