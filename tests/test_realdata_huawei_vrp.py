"""The huawei_vrp identity readers over real VRP outputs (ntc-templates' fixtures in ../shared/realdata).

`display version` names the model (after HUAWEI/Huawei/Quidway, without "Routing Switch" or "Router"),
`display sn license` the ESN (the unit's bar code), `display device` the unit's cards, power supplies and
fans. >= 95 % of the outputs that carry a model, a serial or parts must read right.
"""

from __future__ import annotations

import re
from typing import Any

from helpers.platform_realdata import assert_holds, judged_outputs, print_figures
from helpers.realdata import needs_realdata, serial_ok

from bench.platforms.identity_readers import IdentityRead, read

pytestmark = needs_realdata

TAIL = re.compile(r"\s+(?:Terabit Routing Switch|Routing Switch|Router|Switch)\s*$")


def expectation(folder: str, recs: list[dict[str, Any]]) -> tuple[str, str, list[str]]:
    """(model, serial, [part types]) the records say one output carries."""
    r = recs[0] if recs else {}
    if folder == "display_version":
        return TAIL.sub("", r.get("model") or "").strip(), "", []
    if folder == "display_sn_license":
        return "", r.get("serial_number") or "", []
    if folder == "display_device":
        return "", "", [str(x.get("pid") or "").lstrip("*") for x in recs if x.get("pid")]
    return "", "", []


COMMANDS = {"display_version": "display version", "display_sn_license": "display sn license",
            "display_device": "display device"}


def judged(folder: str, got: IdentityRead, recs: list[dict[str, Any]]) -> tuple[bool, str] | None:
    """The model, the serial and every part type the records name (parts by type: `display device` names no
    part serial)."""
    model, serial, parts = expectation(folder, recs)
    if not (model or serial or parts):
        return None
    pids = [c.pid for c in got.components]
    ok = (not model or got.model == model) and (not serial or serial_ok(got, serial)) and all(p in pids for p in parts)
    return ok, f"want {model!r}/{serial!r}/{parts}, got {got.model!r}/{got.serial!r}/{pids} {got.problems[:1]}"


def test_identity_outputs_read_right() -> None:
    results = judged_outputs("huawei_vrp", COMMANDS, judged)
    print_figures("huawei_vrp", results)
    assert_holds(results, 10, "VRP outputs with a model, serial or part")


def test_readers_never_raise_on_hostile_text() -> None:
    for command in COMMANDS.values():
        for text in ("", "\x1b[2J" * 50, "ESN of slot 0: \x00\x01", "HUAWEI \x07 uptime is\n" * 500):
            got = read("huawei_vrp", command, text)
            assert got.serial == "" or got.serial.isprintable()
