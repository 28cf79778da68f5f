"""IOS XR identity readers over real ASR 9000 / NCS / CRS / XRv outputs (ntc-templates' fixtures in
../shared/realdata).

`show version` names the platform but no serial; `show inventory` and `admin show inventory` name the chassis
("Rack 0", "Chassis", "chassis ASR-9006") with its PID and serial, and every part. >= 95 % must be read as the
records ntc-templates parses from them say; the figures are in docs/real-devices.md.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from helpers.platform_realdata import assert_holds, judged_outputs, print_figures
from helpers.realdata import needs_realdata, outputs, parts_ok, serial_ok

from bench.platforms.identity_readers import IdentityRead, read

pytestmark = needs_realdata

PLATFORM = "cisco_xr"
FOLDERS = {"show_version": "show version", "show_inventory": "show inventory",
           "admin_show_inventory": "admin show inventory"}


def _chassis(recs: list[dict[str, Any]]) -> dict[str, Any]:
    return next((r for r in recs if re.match(r"^(?:rack \d+|chassis)\b", str(r.get("name", "")), re.I)), {})


def judged(folder: str, got: IdentityRead, recs: list[dict[str, Any]]) -> tuple[bool, str] | None:
    if folder == "show_version":
        model = (recs[0] if recs else {}).get("hardware") or ""
        return (got.model == model, f"want {model!r}, got {got.model!r}") if model else None
    chassis = _chassis(recs)
    parts = [(r["pid"], r["sn"]) for r in recs if r.get("pid") and r.get("sn")]
    if not (chassis or parts):
        return None
    ok = parts_ok(got, parts) and (not chassis or (got.model == chassis.get("pid")
                                                   and serial_ok(got, chassis.get("sn") or "")))
    return ok, f"want {chassis.get('pid')!r}/{chassis.get('sn')!r}/{len(parts)} parts, got {got.model!r}/" \
               f"{got.serial!r}/{got.unreadable!r}/{len(got.components)} parts"


def outcomes() -> list[tuple[str, bool, str]]:
    return judged_outputs(PLATFORM, FOLDERS, judged)


def test_xr_identity_readers_hold_on_real_outputs() -> None:
    assert_holds(outcomes(), 10, "IOS XR outputs with a model, serial or part")


def test_a_masked_chassis_serial_is_unreadable_not_a_serial() -> None:
    """A real ASR 9906's inventory had its serial masked as FOXXXXXXXX: never taken as the unit's serial."""
    _, text, _ = next(o for o in outputs(PLATFORM, "admin_show_inventory") if "ASR-9906" in o[1])
    got = read(PLATFORM, "admin show inventory", text)
    assert got.model == "ASR-9906" and got.serial == "" and got.unreadable


@pytest.mark.parametrize("text", ["", "\x1b[2J%%%\n" * 50, 'NAME: "Rack 0", DESCR: "x"\nPID: , VID: , SN:\n'])
def test_hostile_text_never_raises(text: str) -> None:
    for command in FOLDERS.values():
        assert isinstance(read(PLATFORM, command, text), IdentityRead)


if __name__ == "__main__":  # the figures docs/real-devices.md gives
    print_figures(PLATFORM, outcomes())
