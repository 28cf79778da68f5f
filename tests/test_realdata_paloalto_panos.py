"""The PAN-OS identity reader over real firewalls' outputs (ntc-templates' fixtures in ../shared/realdata).

ntc-templates keeps one `show system info` of PAN-OS, a PA-VM whose serial reads "unknown": the reader must
state its model and report the serial unreadable, never take "unknown" as a serial. The reader is held to
the same >= 95 % as every family; docs/real-devices.md gives the figures and says how thin this sample is.
"""

from __future__ import annotations

from typing import Any

from helpers.realdata import needs_realdata, outputs, serial_ok, share_right

from bench.platforms.identity_readers import read

pytestmark = needs_realdata


def expectation(recs: list[dict[str, Any]]) -> tuple[str, str]:
    r = recs[0] if recs else {}
    return r.get("model") or "", r.get("serial") or ""


def outcomes() -> list[tuple[str, bool, str]]:
    rows = []
    for path, text, recs in outputs("paloalto_panos", "show_system_info"):
        model, serial = expectation(recs)
        if not (model or serial):
            continue
        got = read("paloalto_panos", "show system info", text)
        ok = (not model or got.model == model) and (not serial or serial_ok(got, serial))
        rows.append((path.name, ok, f"want {model!r}/{serial!r}, got {got.model!r}/{got.serial!r}/{got.unreadable!r}"))
    return rows


def test_panos_identity_reader_holds_on_real_outputs() -> None:
    rows = outcomes()
    assert rows, "no PAN-OS show system info outputs found"
    share, bad = share_right(rows)
    assert share >= 95, f"{share:.0f} % read right: " + "; ".join(bad)


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
    rows = outcomes()
    print(f"paloalto_panos: {sum(ok for _, ok, _ in rows)}/{len(rows)}")
    for name, ok, why in rows:
        if not ok:
            print("   ", name, why)
