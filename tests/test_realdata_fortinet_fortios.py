"""The fortinet identity reader over real FortiGate outputs (ntc-templates' fixtures in ../shared/realdata).

`get system status` is the command that names a FortiGate's model and serial (FortiOS refuses `show
version`). For every real output, the reader must state the model of the `Version:` line and the serial
ntc-templates parses; a masked serial (FG6H0Exxxxxxxxx) must be reported unreadable, never as a serial;
>= 95 % read right. Every output must also be identified as `fortinet_fortios` by `profile: auto`.
"""

from __future__ import annotations

from typing import Any

import pytest
from helpers.platform_realdata import assert_holds, judged_outputs, print_figures, probe_recording
from helpers.realdata import REAL, needs_realdata, outputs, serial_ok

from bench.platforms.identity_readers import IdentityRead, read
from bench.profiles import Catalog

pytestmark = needs_realdata


def judged(folder: str, got: IdentityRead, recs: list[dict[str, Any]]) -> tuple[bool, str] | None:
    """The model of the `Version:` line and the serial, both (an output naming one only: the other empty)."""
    r = recs[0] if recs else {}
    model, serial = str(r.get("version") or "").split(" v")[0], str(r.get("serial_number") or "")
    if not (model or serial):
        return None
    return got.model == model and serial_ok(got, serial), \
        f"want {model!r}/{serial!r}, got {got.model!r}/{got.serial!r}/{got.unreadable!r}"


def outcomes() -> list[tuple[str, bool, str]]:
    return judged_outputs("fortinet", {"get_system_status": "get system status"}, judged)


def test_system_status_reads_model_and_serial_on_real_outputs() -> None:
    assert_holds(outcomes(), 8, "FortiGate get system status outputs with a model or serial")


def test_masked_serials_are_unreadable() -> None:
    masked = [(p.name, read("fortinet", "get system status", t)) for p, t, _ in outputs("fortinet", "get_system_status")
              if "xxxxxxx" in t.lower()]
    assert len(masked) >= 3
    assert all(not got.serial and "masked" in got.unreadable for _, got in masked), masked


def test_every_real_status_is_identified_as_fortios() -> None:
    catalog = Catalog.load()
    found = {p.name: catalog.identification(show_version=t) for p, t, _ in outputs("fortinet", "get_system_status")}
    assert {k: v.profile.name if v.profile else None for k, v in found.items()} == dict.fromkeys(found,
                                                                                                 "fortinet_fortios")
    assert found["fortinet_get_system_status_7.4.raw"].model == "FortiGate-60E-POE"


def test_the_real_fortigate_snmp_recording_is_fortios(capsys: pytest.CaptureFixture[str]) -> None:
    """snmpsim-data's FortiGate-3000D (its sysDescr is the owner's text "xcu"): `bench probe` over SNMP names the
    family by FortiGate's sysObjectID subtree, and reads its model and serial from ENTITY-MIB."""
    from simulators.recordings import Recording, snmpsim_available

    if not snmpsim_available():
        pytest.skip("snmpsim-data not installed (pip install -e .[test])")
    doc = probe_recording(Recording("R1", "network/firewall/fortinet-xcu", "fortinet_fortios", "FortiGate 3000D"),
                          capsys)
    assert (doc["profile"], doc["generic"], doc["model"], doc["serial"]) == (
        "fortinet_fortios", False, "FGT_3000D", "FGT3KD3Z16800461")


def test_no_other_familys_real_output_is_claimed() -> None:
    """Every other platform's real `show version` (and the like) in the fixtures: none is taken for fortinet_fortios."""
    catalog = Catalog.load()
    claimed = [str(raw.relative_to(REAL)) for raw in sorted(REAL.glob("*/*version*/*.raw")) + sorted(
        REAL.glob("*/get_system_status/*.raw")) if raw.parts[-3] not in ('fortinet',)
        and (found := catalog.identify(show_version=raw.read_text(errors="replace"))) is not None
        and found.name == "fortinet_fortios"]
    assert claimed == []


@pytest.mark.parametrize("junk", ["", "Version:", "Version: FortiGate-", "\x1b[2J" * 50,
                                  "Serial-Number: " + "A" * 5000])
def test_hostile_output_never_raises(junk: str) -> None:
    assert isinstance(read("fortinet", "get system status", junk), IdentityRead)


if __name__ == "__main__":  # the figures docs/real-devices.md gives
    print_figures("fortinet", outcomes())
