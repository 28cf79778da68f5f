"""The RouterOS identity readers over real units' outputs (ntc-templates' fixtures in ../shared/realdata).

Every output that carries a model and/or serial (`/system routerboard print`: model and serial;
`/system resource print`: the board name; `/interface ethernet monitor <port> once`: an SFP's part
number and serial) must read as the records ntc-templates parses from it say; >= 95 %.
"""

from __future__ import annotations

from typing import Any

from helpers.platform_realdata import assert_holds, by_expectation, judged_outputs, print_figures
from helpers.realdata import needs_realdata, outputs

from bench.platforms.identity_readers import read

pytestmark = needs_realdata

PLATFORM = "mikrotik_routeros"
FOLDERS = {"system_routerboard_print": "/system routerboard print",
           "system_resource_print": "/system resource print",
           "interface_ethernet_monitor_name_once": "/interface ethernet monitor"}


def expectation(folder: str, recs: list[dict[str, Any]]) -> tuple[str, str, list[tuple[str, str]]]:
    """(model, serial, [(pid, serial) of parts]) the records say the output carries."""
    r = recs[0] if recs else {}
    if folder == "system_routerboard_print":
        return r.get("hardware_model") or "", r.get("serial_number") or "", []
    if folder == "system_resource_print":
        return r.get("board_name") or "", "", []
    return "", "", [(x.get("sfp_vendor_part_number") or "", x["sfp_vendor_serial"]) for x in recs
                    if x.get("sfp_vendor_serial")]


def outcomes() -> list[tuple[str, bool, str]]:
    """Outputs with nothing identifying (a copper port's link state) are not judged."""
    return judged_outputs(PLATFORM, FOLDERS, by_expectation(expectation))


def test_identity_readers_hold_on_real_routeros_outputs() -> None:
    # 3 routerboard, 4 resource, 1 SFP monitor at the time of writing
    assert_holds(outcomes(), 8, "RouterOS outputs with a model, serial or part")


def test_a_masked_serial_is_unreadable_not_a_serial() -> None:
    path, text, _ = next(outputs(PLATFORM, "system_routerboard_print"))
    got = read(PLATFORM, "/system routerboard print", text.replace("CC210E592C82", "XXXXXXXXXXXX"))
    assert got.serial == "" and got.unreadable and got.model == "RB750Gr3", path


def test_hostile_output_is_a_problem_not_a_crash() -> None:
    got = read(PLATFORM, "/system routerboard print", "\x00\x1b[2J serial-number:\n model:\n" * 30)
    assert got.serial == "" and got.model == ""


if __name__ == "__main__":  # the figures docs/real-devices.md gives
    print_figures(PLATFORM, outcomes())


def test_the_collectors_parsers_read_real_routeros_tables() -> None:
    """Beyond identity: the ethernet table's running flags, the PoE table and its refusal on a board without
    PoE, and the detailed log, as real units print them."""
    from bench.platforms.mikrotik_routeros.collector import DATA, ethernet_names, parse_log, poe_names

    for _path, text, recs in outputs(PLATFORM, "interface_ethernet_print"):
        assert ethernet_names(text) == [(r["name"], "R" in r["status"]) for r in recs]
    poe = {p.name: t for p, t, _ in outputs(PLATFORM, "interface_ethernet_poe_print_without-paging")}
    for name, text in poe.items():
        if "no_poe" in name:
            assert DATA.refusal(text).startswith("bad command name po"), name
        else:
            assert not DATA.refusal(text)
            assert poe_names(text) == ["ether2", "ether3", "ether4", "ether5"]
    for _path, text, _recs in outputs(PLATFORM, "log_print_detail_without-paging"):
        lines, _reason = parse_log(text)
        assert len(lines) == text.count(" time=") and "lte1 link down" in " ".join(lines)
