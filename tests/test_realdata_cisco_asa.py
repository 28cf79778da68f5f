"""The ASA identity readers over real ASAs' outputs (ntc-templates' fixtures in ../shared/realdata).

Each output comes with the records ntc-templates parses from it; for every output that carries a model
and/or serial the reader must state the same (>= 95 %). docs/real-devices.md gives the figures.
"""

from __future__ import annotations

from typing import Any

import pytest
from helpers.platform_realdata import assert_holds, by_expectation, judged_outputs, print_figures
from helpers.realdata import needs_realdata, outputs

from bench.platforms.identity_readers import read

pytestmark = needs_realdata

COMMANDS = {"show_version": "show version", "show_inventory": "show inventory", "show_module": "show module"}


def expectation(folder: str, recs: list[dict[str, Any]]) -> tuple[str, str, list[tuple[str, str]]]:
    """(model, serial, [(pid, serial) of parts]) the records say the output carries."""
    r = recs[0] if recs else {}
    if folder == "show_version":
        model = r.get("model") or (r.get("hardware") or "").split(",")[0].strip()
        return model, next(iter(r.get("serial") or []), ""), []
    if folder == "show_inventory":
        chassis = next((x for x in recs if (x.get("name") or "").lower() == "chassis"), {})
        parts = [(x["pid"], x["sn"]) for x in recs if x.get("pid") and x.get("sn")]
        return chassis.get("pid", ""), chassis.get("sn", ""), parts
    parts = [("" if x.get("model") == "N/A" else x.get("model", ""), x["serial"]) for x in recs if x.get("serial")]
    return "", "", parts


def outcomes() -> list[tuple[str, bool, str]]:
    return judged_outputs("cisco_asa", COMMANDS, by_expectation(expectation, fold_case=True))


def test_asa_identity_readers_hold_on_real_outputs() -> None:
    assert_holds(outcomes(), 10, "ASA outputs with a model or serial")


def test_a_placeholder_serial_is_unreadable_not_a_serial() -> None:
    _, text, _ = next(outputs("cisco_asa", "show_version"))
    got = read("cisco_asa", "show version", text.replace("9AT1L9EX0DF", "XXXXXXXXXXX"))
    assert got.serial == "" and got.unreadable


@pytest.mark.parametrize("folder", list(COMMANDS))
def test_hostile_output_never_raises(folder: str) -> None:
    got = read("cisco_asa", COMMANDS[folder], "\x1b[31mPID: \x00" * 500)
    assert got.serial == ""


if __name__ == "__main__":  # the figures docs/real-devices.md gives
    print_figures("cisco_asa", outcomes())
