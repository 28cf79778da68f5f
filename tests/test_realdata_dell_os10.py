"""The dell_os10 identity readers over real Dell outputs (ntc-templates' fixtures in ../shared/realdata).

ntc-templates keeps no OS10 output. It keeps OS9 (FTOS, `dell_force10`) and PowerConnect (`dell_powerconnect`)
outputs: the OS10 `show version` reader also reads OS9's System Type (read-only identity of an OS9 unit), and
PowerConnect's fixtures (`show interfaces status`, `show interfaces description`, `show bridge address-table`)
carry no model or serial. For every output that carries a model and/or serial the reader must state it: >= 95 %.
"""

from __future__ import annotations

from helpers.platform_realdata import assert_holds, print_figures
from helpers.realdata import needs_realdata, outputs

from bench.platforms.identity_readers import read
from bench.profiles import Catalog

pytestmark = needs_realdata

FOLDERS = {("dell_force10", "show_version"): "show version"}


def outcomes() -> list[tuple[str, bool, str]]:
    rows = []
    for (platform, folder), command in FOLDERS.items():
        for path, text, recs in outputs(platform, folder):
            model = str((recs or [{}])[0].get("device_type") or "").upper()
            if not model:
                continue
            got = read("dell_os10", command, text)
            rows.append((f"{platform}/{folder}/{path.name}", got.model == model,
                         f"want {model!r}, got {got.model!r} {got.problems[:1]}"))
    return rows


def test_identity_readers_hold_on_real_outputs() -> None:
    assert_holds(outcomes(), 1, "Dell outputs with a model")


def test_powerconnect_fixtures_carry_no_identity() -> None:
    """What the PowerConnect fixtures hold (ports and MAC tables) names neither a model nor a serial."""
    seen = 0
    for folder in ("show_interfaces_status", "show_interfaces_description", "show_bridge_address_table"):
        for _, text, _ in outputs("dell_powerconnect", folder):
            seen += 1
            got = read("dell_os10", "show version", text)
            assert got.model == "" and got.serial == ""
    assert seen == 3


def test_os9_is_not_claimed_as_os10() -> None:
    """OS9 has another CLI (and no OS10 collector): its banner must not be identified as the OS10 family."""
    catalog = Catalog.load()
    for _, text, _ in outputs("dell_force10", "show_version"):
        found = catalog.identification(show_version=text)
        assert found.profile is None or found.profile.name != "dell_os10"


if __name__ == "__main__":  # the figures docs/real-devices.md gives
    print_figures("dell_os10 readers on Dell outputs", outcomes())
