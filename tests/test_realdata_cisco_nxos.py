"""NX-OS identity readers over real Nexus outputs (ntc-templates' fixtures in ../shared/realdata).

Every `show version`, `show inventory` and `show module` output that carries a model, a serial or parts must be
read as the records ntc-templates parses from it say (>= 95 %); the figures are in docs/real-devices.md.
"""

from __future__ import annotations

from typing import Any

import pytest
from helpers.platform_realdata import assert_holds, judged_outputs, print_figures
from helpers.realdata import needs_realdata, outputs, parts_ok, serial_ok

from bench.platforms.identity_readers import IdentityRead, read

pytestmark = needs_realdata

PLATFORM = "cisco_nxos"
FOLDERS = {"show_version": "show version", "show_inventory": "show inventory", "show_module": "show module"}


def judged(folder: str, got: IdentityRead, recs: list[dict[str, Any]]) -> tuple[bool, str] | None:
    """(read right, why) for one output; None when the output names no model, serial or part."""
    if folder == "show_version":
        r = recs[0] if recs else {}
        model, serial = r.get("platform") or "", r.get("serial") or ""
        if not (model or serial):
            return None
        ok = got.model.upper() == model.upper() and (not serial or serial_ok(got, serial))
        return ok, f"want {model!r}/{serial!r}, got {got.model!r}/{got.serial!r}/{got.unreadable!r}"
    if folder == "show_inventory":
        chassis = next((r for r in recs if str(r.get("name", "")).lower() == "chassis"), {})
        parts = [(r["pid"], r["sn"]) for r in recs if r.get("pid") and r.get("sn")]
        if not (chassis or parts):
            return None
        ok = parts_ok(got, parts) and (not chassis or (got.model == chassis.get("pid", "")
                                                       and serial_ok(got, chassis.get("sn", ""))))
        return ok, f"want {chassis.get('pid')!r}/{chassis.get('sn')!r}/{len(parts)} parts, got {got.model!r}/" \
                   f"{got.serial!r}/{len(got.components)} parts"
    models = [r["model"] for r in recs if r.get("model")]
    if not models:
        return None
    have = [c.pid for c in got.components]
    return sorted(have) == sorted(models), f"want modules {models}, got {have}"


def outcomes() -> list[tuple[str, bool, str]]:
    return judged_outputs(PLATFORM, FOLDERS, judged)


def test_nxos_identity_readers_hold_on_real_outputs() -> None:
    assert_holds(outcomes(), 15, "NX-OS outputs with a model, serial or part")


def test_module_serials_come_from_the_mac_table() -> None:
    """`show module`'s serials sit in its third table, which the template does not read."""
    path, text, _ = next(iter(outputs(PLATFORM, "show_module")))
    got = read(PLATFORM, "show module", text)
    assert {c.serial for c in got.components} >= {"TM6017D760B", "TM6017D760C"}, got.components


def test_a_placeholder_serial_is_unreadable() -> None:
    _, text, recs = next(iter(outputs(PLATFORM, "show_version")))
    got = read(PLATFORM, "show version", text.replace(recs[0]["serial"], "XXXXXXXXXXX"))
    assert got.serial == "" and got.unreadable


@pytest.mark.parametrize("text", ["", "\x1b[2J%%%\n" * 50, "cisco Nexus9000 C9504 chassis\n"])
def test_hostile_text_never_raises(text: str) -> None:
    for command in FOLDERS.values():
        got = read(PLATFORM, command, text)
        assert isinstance(got, IdentityRead)


if __name__ == "__main__":  # the figures docs/real-devices.md gives
    print_figures(PLATFORM, outcomes())


def test_profile_identifies_the_real_nexus_snmp_recordings_and_nothing_else() -> None:
    """snmpsim-data's real NX-OS walks (Nexus 5548UP, UCS 6248UP fabric interconnects) are identified as
    cisco_nxos from sysObjectID + sysDescr, and no other recording is."""
    from simulators.recordings import all_recordings, recording_name, recording_values, snmpsim_available

    if not snmpsim_available():
        pytest.skip("snmpsim-data not installed (pip install -e .[test])")
    from bench.profiles import Catalog

    catalog = Catalog.load()
    oid, descr = "1.3.6.1.2.1.1.2.0", "1.3.6.1.2.1.1.1.0"
    claimed = set()
    for path in all_recordings():
        got = recording_values(path, (oid, descr), ())
        profile = catalog.identify(sys_object_id=str(got.get(oid) or ""), show_version=str(got.get(descr) or ""))
        if profile is not None and profile.name in ("cisco_nxos", "cisco_iosxr"):
            claimed.add((recording_name(path), profile.name))
    assert claimed == {("network/appliance/cisco-ucs-6100", "cisco_nxos"),
                       ("network/appliance/cisco-ucs-6100-k9", "cisco_nxos"),
                       ("network/switch/cisco-n5000", "cisco_nxos"), ("network/switch/cisco-n5000-uk9", "cisco_nxos")}
