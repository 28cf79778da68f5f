"""The CLI identity readers over real devices' outputs (ntc-templates' fixtures in ../shared/realdata).

Each output comes with the records ntc-templates parses from it. For every output of a family the bench
claims that carries a model and/or serial, the readers must state the same (a placeholder serial such as
XXXXXXXXXX must be reported unreadable, not as a serial); >= 95 % per family.
"""

from __future__ import annotations

import glob
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers.realdata import REAL, needs_realdata, parts_ok, serial_ok

from bench.platforms.identity_readers import read

pytestmark = needs_realdata

FAMILIES = ("cisco_ios", "arista_eos", "juniper_junos", "hp_procurve")
COMMANDS = {"show_version": "show version", "show_inventory": "show inventory", "show_module": "show module",
            "show_switch_detail": "show switch detail", "show_chassis_hardware": "show chassis hardware",
            "show_system": "show system"}


def expectation(platform: str, folder: str, recs: list[dict[str, Any]]) -> tuple[str, str, list[tuple[str, str]]]:
    """(model, serial, [(pid, serial) of parts]) the records say the output carries."""
    r = recs[0] if recs else {}
    first = lambda v: (v[0] if isinstance(v, list) and v else v if isinstance(v, str) else "") or ""  # noqa: E731
    if folder == "show_version":
        if platform == "cisco_ios":
            return first(r.get("hardware")), first(r.get("serial")), []
        if platform == "arista_eos":
            return r.get("model") or "", r.get("serial_number") or "", []
        if platform == "juniper_junos":
            return (r.get("model") or "").upper(), "", []
        return "", "", []  # hp_procurve's only `show version` sample is an Aruba access point, not ProVision
    if folder == "show_inventory":
        if platform == "arista_eos":
            chassis = r if not r.get("port") else {}
            parts = [(x["pid"], x["sn"]) for x in recs[1:] if x.get("pid") and x.get("sn") and x.get("port")
                     and x["pid"].lower() != "not"]
            return chassis.get("pid", ""), chassis.get("sn", ""), parts
        return "", "", [(x.get("pid", ""), x["sn"]) for x in recs if x.get("pid") and x.get("sn")]
    if folder == "show_module":
        key = "serial" if platform == "cisco_ios" else "serial_num"
        parts = [(x.get("model", ""), x[key]) for x in recs if x.get("model") and x.get(key)]
        parts += [(x["submodule_model"], x["submodule_serial"]) for x in recs
                  if x.get("submodule_model") and x.get("submodule_serial")]
        return "", "", parts
    if folder == "show_chassis_hardware":
        chassis = next((x for x in recs if x.get("chassis_serial_number")), {})
        return (chassis.get("chassis_description") or "").upper(), chassis.get("chassis_serial_number", ""), []
    if folder == "show_system":
        return "", r.get("serial", ""), []
    return "", "", []


def outcomes() -> dict[str, list[tuple[str, bool, str]]]:
    by_family: dict[str, list[tuple[str, bool, str]]] = defaultdict(list)
    for platform in FAMILIES:
        for folder, command in COMMANDS.items():
            for raw in sorted(glob.glob(str(REAL / platform / folder / "*.raw"))):
                recs = (yaml.safe_load(open(raw[:-4] + ".yml", encoding="utf-8")) or {}).get("parsed_sample") or []
                model, serial, parts = expectation(platform, folder, recs)
                if not (model or serial or parts):
                    continue  # nothing identifying in this output (a virtual unit, an AP, member states only)
                got = read(platform, command, open(raw, encoding="utf-8", errors="replace").read())
                ok = (not model or got.model.upper() == model.upper()) and (not serial or serial_ok(got, serial)) \
                    and parts_ok(got, parts)
                why = f"want {model!r}/{serial!r}/{len(parts)} parts, got {got.model!r}/{got.serial!r}" \
                      f"/{got.unreadable!r} {got.problems[:1]}"
                by_family[platform].append((f"{folder}/{Path(raw).name}", ok, why))
    return by_family


@pytest.fixture(scope="module")
def results() -> dict[str, list[tuple[str, bool, str]]]:
    return outcomes()


@pytest.mark.parametrize("family", FAMILIES)
def test_identity_readers_hold_on_real_outputs(results: dict[str, list[tuple[str, bool, str]]],
                                               family: str) -> None:
    got = results[family]
    assert got, f"no {family} outputs with a model or serial found"
    bad = [f"{name}: {why}" for name, ok, why in got if not ok]
    share = 100 * (len(got) - len(bad)) / len(got)
    assert share >= 95, f"{family}: {len(got) - len(bad)}/{len(got)} read right ({share:.0f} %): " + "; ".join(bad)


def test_placeholder_serial_is_unreadable_not_a_serial() -> None:
    raw = next(iter(sorted(glob.glob(str(REAL / "cisco_ios" / "show_version" / "*.raw")))), None)
    assert raw is not None
    text = open(raw, encoding="utf-8", errors="replace").read()
    got = read("cisco_ios", "show version", text.replace("CAT1451S15C", "XXXXXXXXXXX"))
    assert got.serial == "" and "masked" in got.unreadable


if __name__ == "__main__":  # the figures docs/real-devices.md gives
    for fam, rows in outcomes().items():
        print(f"{fam}: {sum(ok for _, ok, _ in rows)}/{len(rows)}")
        for name, ok, why in rows:
            if not ok:
                print("   ", name, why)
