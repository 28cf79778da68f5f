"""The PAN-OS identity reader over real firewalls' outputs (ntc-templates' fixtures in ../shared/realdata).

ntc-templates keeps one `show system info` of PAN-OS, a PA-VM whose serial reads "unknown": the reader must
state its model and report the serial unreadable, never take "unknown" as a serial. The reader is held to
the same >= 95 % as every family; docs/real-devices.md gives the figures and says how thin this sample is.
"""

from __future__ import annotations

from typing import Any

from helpers.platform_realdata import assert_holds, judged_outputs, print_figures, reads_as
from helpers.realdata import needs_realdata, outputs

from bench.platforms.identity_readers import read

pytestmark = needs_realdata


def expectation(recs: list[dict[str, Any]]) -> tuple[str, str]:
    r = recs[0] if recs else {}
    return r.get("model") or "", r.get("serial") or ""


def outcomes() -> list[tuple[str, bool, str]]:
    return judged_outputs("paloalto_panos", {"show_system_info": "show system info"},
                          lambda folder, got, recs: reads_as(got, *expectation(recs), []))


def test_panos_identity_reader_holds_on_real_outputs() -> None:
    assert_holds(outcomes(), 1, "PAN-OS show system info outputs")


def test_a_hardware_serial_is_read_and_unknown_is_not() -> None:
    _, text, _ = next(outputs("paloalto_panos", "show_system_info"))
    vm = read("paloalto_panos", "show system info", text)
    assert vm.model == "PA-VM" and vm.serial == "" and "unknown" in vm.unreadable
    hw = read("paloalto_panos", "show system info", text.replace("model: PA-VM", "model: PA-3220")
              .replace("serial: unknown", "serial: 013201001234"))
    assert (hw.model, hw.serial) == ("PA-3220", "013201001234")


def test_hostile_output_never_raises() -> None:
    got = read("paloalto_panos", "show system info", "serial: \x1b[2J\x00" * 300)
    assert got.model == ""


if __name__ == "__main__":  # the figures docs/real-devices.md gives
    print_figures("paloalto_panos", outcomes())
