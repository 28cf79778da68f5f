"""Identity readers of the ASA: one command's output in, the model, serial and parts the unit states out.

Pure functions over text, so a live session and ntc-templates' real outputs are read by the same code
(tests/test_realdata_cisco_asa.py). `show version` names the hardware ("ASA5516, 8192 MB RAM, ...";
"ASAv" with a "Model Id: ASAv10" line on the virtual appliance; "FPR4K-SM-12" on a Firepower module in
ASA mode) and the serial; `show inventory` the chassis PID and serial and the FRUs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from bench.model import ComponentKind
from bench.platforms.identity_readers import IdentityRead, _component, _rows, _s, component_kind

PLATFORM = "cisco_asa"
_UNITS = {"year": 31_536_000, "day": 86_400, "hour": 3_600, "min": 60, "sec": 1}


def uptime_seconds(text: str) -> float | None:
    """ "41 days 19 hours", "2 hours 14 mins", "5 mins 3 secs" -> seconds (to the smallest unit printed)."""
    total, seen = 0.0, False
    for n, unit in re.findall(r"(\d+)\s*([a-z]+)", text.lower()):
        size = next((s for k, s in _UNITS.items() if unit.startswith(k)), None)
        if size is not None:
            total += int(n) * size
            seen = True
    return total if seen else None


def asa_show_version(text: str) -> IdentityRead:
    out = IdentityRead()
    rows = _rows(PLATFORM, "show version", text, out)
    row: dict[str, Any] = rows[0] if rows else {}
    hardware = _s(row, "hardware") or next(iter(re.findall(r"(?m)^Hardware:\s*(.*)$", text)), "")
    model_id = _s(row, "model") or next(iter(re.findall(r"(?m)^Model Id:\s*(\S+)", text)), "")
    out.model = model_id or hardware.split(",")[0].strip()
    serials = row.get("serial") or re.findall(r"(?m)^Serial Number:\s*(\S+)", text)
    out.take_serial(str(serials[0]) if serials else "", "show version")
    return out


def asa_show_inventory(text: str) -> IdentityRead:
    """Every entry with its PID and serial; the "Chassis" entry is the unit's own."""
    out = IdentityRead()
    for r in _rows(PLATFORM, "show inventory", text, out):
        name, descr, pid = _s(r, "name"), _s(r, "descr"), _s(r, "pid")
        kind = ComponentKind.CHASSIS if name.lower() == "chassis" else component_kind(name, descr, pid)
        if re.match(r"(?i)storage device", name):
            kind = ComponentKind.MODULE
        comp = _component(kind, name, pid, _s(r, "sn"), descr, "" if _s(r, "vid") == "N/A" else _s(r, "vid"))
        out.components.append(comp)
        if kind is ComponentKind.CHASSIS and not out.model:
            out.model = pid
            out.take_serial(_s(r, "sn"), "show inventory")
    return out


def asa_show_module(text: str) -> IdentityRead:
    """`show module`: the ASA itself (module 0 or 1) and its service modules (sfr, ips, cxsc)."""
    out = IdentityRead()
    for r in _rows(PLATFORM, "show module", text, out):
        model, serial = _s(r, "model"), _s(r, "serial")
        if model in ("", "N/A") and not serial:
            continue
        out.components.append(_component(ComponentKind.MODULE, f"module {_s(r, 'module')}",
                                         "" if model == "N/A" else model, serial, _s(r, "cardtype"),
                                         "" if _s(r, "mod_hw") == "N/A" else _s(r, "mod_hw")))
        if _s(r, "module").isdigit() and not out.model:
            out.model = model
            out.take_serial(serial, "show module")
    return out


READERS: dict[str, Callable[[str], IdentityRead]] = {
    "show version": asa_show_version,
    "show inventory": asa_show_inventory,
    "show module": asa_show_module,
}
