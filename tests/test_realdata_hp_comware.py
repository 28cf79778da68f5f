"""The hp_comware identity readers over real Comware outputs (ntc-templates' fixtures in ../shared/realdata).

`display device manuinfo` is the Comware command that names the unit and its parts with serials: the unit is
the chassis row, else the first slot (a fixed switch calls itself "Slot 1 CPU 0"); its model is HPE's product
number where the name carries one (JG726A, R9L62A), else the name (S5560-54C-EI, LS-12511-X-AC). >= 95 % of
the outputs that carry a model and/or serial must read right.
"""

from __future__ import annotations

import re
from typing import Any

from helpers.platform_realdata import assert_holds, judged_outputs, print_figures
from helpers.realdata import needs_realdata, serial_ok

from bench.platforms.identity_readers import IdentityRead, read
from bench.serials import placeholder_reason

pytestmark = needs_realdata

PRODUCT = re.compile(r"\b((?:J[A-Z]|JQ)\d{3}[A-Z]|R\d[A-Z]\d{2}A)\b")


def expectation(recs: list[dict[str, Any]], text: str) -> tuple[str, str, list[tuple[str, str]]]:
    """(model, serial, [(name, serial) of parts]) the records say one output carries. A chassis that refuses to
    name itself ("Only new chassis support this command") names only its cards: no model, no serial."""
    named = [r for r in recs if (r.get("device_name") or "").strip() or (r.get("device_serial_number") or "").strip()]
    if not named:
        return "", "", []
    unit: dict[str, Any] = next((r for r in named if (r.get("slot_type") or "").lower() == "chassis"), None) or (
        {} if "Only new chassis support" in text else
        next((r for r in named if (r.get("slot_type") or "").lower() in ("slot", "")), named[0]))
    name = (unit.get("device_name") or "").strip()
    m = PRODUCT.search(name)
    parts = [(r["device_name"].strip(), r["device_serial_number"]) for r in named
             if r is not unit and (r.get("device_name") or "").strip() not in ("", "NONE")
             and (r.get("device_serial_number") or "").strip()]
    return (m.group(1) if m else name), str(unit.get("device_serial_number") or ""), parts


def _parts_by_name(got: Any, wanted: list[tuple[str, str]]) -> bool:
    """Every part the records list is among the components, by its DEVICE_NAME and serial (a placeholder serial:
    the part named, no serial taken)."""
    have = {(c.descr.split(" (serial unreadable")[0].strip().upper(), c.serial) for c in got.components}
    names = {n for n, _ in have}
    for name, sn in wanted:
        if placeholder_reason(sn):
            if name.upper() not in names:
                return False
        elif (name.upper(), sn.strip().upper()) not in have:
            return False
    return True


def judged(folder: str, got: IdentityRead, recs: list[dict[str, Any]], text: str) -> tuple[bool, str] | None:
    model, serial, parts = expectation(recs, text)
    if not (model or serial or parts):
        return None
    ok = got.model.upper() == model.upper() and (not serial or serial_ok(got, serial)) and _parts_by_name(got, parts)
    return ok, f"want {model!r}/{serial!r}/{len(parts)} parts, got {got.model!r}/{got.serial!r}/{got.unreadable!r} " \
               f"{got.problems[:1]}"


@needs_realdata
def test_manuinfo_reads_right() -> None:
    results = judged_outputs("hp_comware", {"display_device_manuinfo": "display device manuinfo"}, judged,
                             with_text=True)
    print_figures("hp_comware display device manuinfo", results)
    assert_holds(results, 10, "Comware manuinfo outputs with a model, serial or part")


def test_reader_never_raises_on_hostile_text() -> None:
    for text in ("", "\x1b[2J" * 50, "DEVICE_NAME : \x00\x01\nDEVICE_SERIAL_NUMBER :", "Slot 1:\n" * 1000):
        got = read("hp_comware", "display device manuinfo", text)
        assert got.serial == "" or got.serial.isprintable()
