"""The aruba_aoscx identity readers over real AOS-CX outputs (ntc-templates' fixtures in ../shared/realdata).

For every output that carries a model and/or serial (`show system`, `show module`, `show vsf detail`), the
readers must state what ntc-templates' records say (a masked serial such as XXXXXXXXXX reported unreadable,
never as a serial): >= 95 %.
"""

from __future__ import annotations

from typing import Any

import pytest
from helpers.platform_realdata import assert_holds, judged_outputs, print_figures, reads_as
from helpers.realdata import needs_realdata, outputs

from bench.platforms.identity_readers import IdentityRead, read

pytestmark = needs_realdata

COMMANDS = {"show_system": "show system", "show_module": "show module", "show_vsf_detail": "show vsf detail"}


def expectation(folder: str, recs: list[dict[str, Any]]) -> tuple[str, str, list[tuple[str, str]]]:
    """(model, serial, [(pid, serial) of parts]) the records say the output carries."""
    if folder == "show_system":
        r = recs[0] if recs else {}
        return (str(r.get("product") or "").split() or [""])[0], str(r.get("serial") or ""), []
    if folder == "show_module":
        return "", "", [(r["model"], r["serial"]) for r in recs if r.get("model") and r.get("serial")]
    members = [r for r in recs if str(r.get("member_id") or "").isdigit()]
    first = members[0]["serial_number"] if members else ""
    return "", first, []


def members_ok(got: IdentityRead, recs: list[dict[str, Any]]) -> bool:
    """`show vsf detail`: every member the records list is a chassis with its serial, in member order."""
    want = [str(r.get("serial_number") or "").upper() for r in recs if str(r.get("member_id") or "").isdigit()]
    return [c.serial for c in got.components] == want


def judged(folder: str, got: IdentityRead, recs: list[dict[str, Any]]) -> tuple[bool, str] | None:
    model, serial, parts = expectation(folder, recs)
    verdict = reads_as(got, model.upper(), serial, parts)
    if verdict is None or folder != "show_vsf_detail":
        return verdict
    return verdict[0] and members_ok(got, recs), verdict[1]


def outcomes() -> list[tuple[str, bool, str]]:
    return judged_outputs("aruba_aoscx", COMMANDS, judged)


def test_identity_readers_hold_on_real_outputs() -> None:
    assert_holds(outcomes(), 9, "AOS-CX outputs with a model, serial or part")  # 5 system, 2 module, 2 vsf


def test_masked_serials_are_unreadable_not_serials() -> None:
    masked = [text for _, text, recs in outputs("aruba_aoscx", "show_system")
              if str((recs or [{}])[0].get("serial", "")).upper() == "XXXXXXXXXX"]
    assert masked
    for text in masked:
        got = read("aruba_aoscx", "show system", text)
        assert got.serial == "" and "masked" in got.unreadable and got.model


@pytest.mark.parametrize("command", sorted(COMMANDS.values()))
def test_other_families_output_is_not_misread(command: str) -> None:
    """A ProVision `show system` (another family sharing the brand) names no AOS-CX product or serial."""
    for _, text, _ in outputs("hp_procurve", "show_system"):
        got = read("aruba_aoscx", command, text)
        assert got.model == "" and got.serial == ""


if __name__ == "__main__":  # the figures docs/real-devices.md gives
    print_figures("aruba_aoscx", outcomes())
