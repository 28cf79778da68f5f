"""The ruckus_fastiron identity reader over real ICX outputs (ntc-templates' fixtures in ../shared/realdata).

Both folders hold FastIron `show version`: ruckus_fastiron (Ruckus-branded images) and brocade_fastiron
(Brocade-branded). What each output carries comes from the records ntc-templates parses from it: every
stack unit's serial (the active unit's is the chassis serial) and, where the brocade template names them,
the management modules' models. The reader must state the same for >= 95 % of them.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any
from urllib.parse import quote

import pytest
from helpers.platform_realdata import assert_holds, print_figures
from helpers.realdata import REAL, needs_realdata, outputs, parts_ok, serial_ok

from bench.model import ComponentKind
from bench.platforms.identity_readers import IdentityRead, read
from bench.profiles import Catalog

pytestmark = needs_realdata

FOLDERS = (("ruckus_fastiron", "show_version"), ("brocade_fastiron", "show_version"))


def _list(v: Any) -> list[str]:
    return [str(x) for x in v] if isinstance(v, list) else [str(v)] if v else []


def expectation(recs: list[dict[str, Any]]) -> tuple[str, str, list[tuple[str, str]], list[str]]:
    """(model, chassis serial, [(pid, serial) of the units], every unit serial) the records name."""
    r = recs[0] if recs else {}
    serials = _list(r.get("serial"))
    models, slots = _list(r.get("model")), _list(r.get("slot"))
    unit_models = [m for m, s in zip(models, slots, strict=False) if s == "1"]  # slot 1: the management module
    parts = list(zip(unit_models, serials, strict=False)) if len(unit_models) == len(serials) else []
    return (unit_models[0] if unit_models else ""), (serials[0] if serials else ""), parts, serials


def judged(got: IdentityRead, recs: list[dict[str, Any]], hardware: str) -> tuple[bool, str]:
    model, serial, parts, serials = expectation(recs)
    chassis = {c.serial for c in got.components if c.kind is ComponentKind.CHASSIS}
    # The Ruckus template names no model, only the `HW:` family line (ICX7150-48-POEF for an ICX7150-48PF):
    # the reader's model must belong to it (same series and port count).
    series = "-".join(hardware.replace("Stackable", "").strip().split("-")[:2])
    ok = ((got.model == model) if model else bool(series) and got.model.startswith(series)) \
        and serial_ok(got, serial) and parts_ok(got, parts) and set(s.upper() for s in serials) <= chassis
    return ok, f"want {model or series!r}/{serial!r}/{len(serials)} units, got {got.model!r}/{got.serial!r}/" \
               f"{sorted(chassis)} {got.problems[:1]}"


def outcomes() -> list[tuple[str, bool, str]]:
    rows = []
    for platform, folder in FOLDERS:
        for path, text, recs in outputs(platform, folder):
            if not recs or not _list(recs[0].get("serial")):
                continue
            ok, why = judged(read("ruckus_fastiron", "show version", text), recs, str(recs[0].get("hw")
                                                                                    or recs[0].get("hardware") or ""))
            rows.append((f"{platform}/{folder}/{path.name}", ok, why))
    return rows


def test_show_version_reads_every_stack_unit_on_real_outputs() -> None:
    assert_holds(outcomes(), 2, "FastIron show version outputs (expected the Ruckus and the Brocade samples)")


def test_stack_of_six_names_each_unit_and_the_active_one_first() -> None:
    path, text, recs = next(iter(outputs("brocade_fastiron", "show_version")))
    got = read("ruckus_fastiron", "show version", text)
    chassis = [c for c in got.components if c.kind is ComponentKind.CHASSIS]
    assert [c.serial for c in chassis] == [s.upper() for s in recs[0]["serial"]]
    assert got.model == "ICX6450-48P" and got.serial == "BZT3217M025"
    assert [c.pid for c in got.components if c.kind is ComponentKind.MODULE] == ["ICX6450-SFP-Plus"] * 6


def test_model_is_the_management_module_without_its_port_licence() -> None:
    _, text, _ = next(iter(outputs("ruckus_fastiron", "show_version")))
    got = read("ruckus_fastiron", "show version", text)  # "ICX7150-48PF-2X10G_2X1G POE 48-port Management Module"
    assert got.model == "ICX7150-48PF" and got.serial == "FEE3816Q018"


def test_masked_serial_is_unreadable_not_a_serial() -> None:
    _, text, _ = next(iter(outputs("ruckus_fastiron", "show_version")))
    got = read("ruckus_fastiron", "show version", text.replace("FEE3816Q018", "XXXXXXXXXXX"))
    assert got.serial == "" and got.unreadable


def test_the_real_icx_snmp_recording_is_ruckus_icx(capsys: pytest.CaptureFixture[str]) -> None:
    """snmpsim-data's Brocade ICX6430-24 (no ENTITY-MIB chassis): `bench probe` over SNMP names the family by
    Foundry's enterprise and its IronWare sysDescr, the serial from snChasSerNum, the model from sysDescr."""
    from bench.cli import main
    from simulators.recordings import Recording, default_work_dir, snmpsim_available, start_recordings

    if not snmpsim_available():
        pytest.skip("snmpsim-data not installed (pip install -e .[test])")
    icx = Recording("R1", "network/switch/brocade-icx6430-24", "ruckus_icx", "Brocade ICX6430-24")

    async def run() -> int:
        server = await start_recordings(default_work_dir(), curated=(icx,))
        try:
            return await asyncio.to_thread(main, ["probe", f"snmp://{quote(icx.path, safe='')}@{server.host}:"
                                                  f"{server.port}", "--json"])
        finally:
            await server.stop()

    assert asyncio.run(run()) == 0
    doc = json.loads(capsys.readouterr().out)
    doc = doc["probes"][0] if "probes" in doc else doc
    assert (doc["profile"], doc["model"], doc["serial"]) == ("ruckus_icx", "ICX6430-24", "BZN3215N09A")


def test_no_other_familys_real_output_is_claimed() -> None:
    """Every other platform's real `show version` (and the like) in the fixtures: none is taken for ruckus_icx."""
    catalog = Catalog.load()
    claimed = [str(raw.relative_to(REAL)) for raw in sorted(REAL.glob("*/*version*/*.raw")) + sorted(
        REAL.glob("*/get_system_status/*.raw")) if raw.parts[-3] not in ('ruckus_fastiron', 'brocade_fastiron')
        and (found := catalog.identify(show_version=raw.read_text(errors="replace"))) is not None
        and found.name == "ruckus_icx"]
    assert claimed == []


@pytest.mark.parametrize("junk", ["", "UNIT 1: SL 1:", "\x1b[2J" * 50, "Serial  #:" + "A" * 5000])
def test_hostile_output_never_raises(junk: str) -> None:
    got = read("ruckus_fastiron", "show version", junk)
    assert isinstance(got, IdentityRead)


if __name__ == "__main__":  # the figures docs/real-devices.md gives
    print_figures("ruckus_fastiron", outcomes())
