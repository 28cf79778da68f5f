"""The huawei_vrp identity readers over real VRP outputs (ntc-templates' fixtures in ../shared/realdata).

`display version` names the model (after HUAWEI/Huawei/Quidway, without "Routing Switch" or "Router"),
`display sn license` the ESN (the unit's bar code), `display device` the unit's cards, power supplies and
fans. >= 95 % of the outputs that carry a model, a serial or parts must read right.
"""

from __future__ import annotations

import re
from typing import Any

from helpers.realdata import needs_realdata, outputs, serial_ok, share_right

from bench.platforms.identity_readers import read

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


def test_identity_outputs_read_right() -> None:
    results: list[tuple[str, bool, str]] = []
    for folder, command in COMMANDS.items():
        for path, text, recs in outputs("huawei_vrp", folder):
            model, serial, parts = expectation(folder, recs)
            if not (model or serial or parts):
                continue
            got = read("huawei_vrp", command, text)
            pids = [c.pid for c in got.components]
            ok = (not model or got.model == model) and (not serial or serial_ok(got, serial)) and \
                all(p in pids for p in parts)
            results.append((f"{folder}/{path.name}", ok, f"want {model!r}/{serial!r}/{parts}, got {got.model!r}/"
                                                         f"{got.serial!r}/{pids} {got.problems[:1]}"))
    share, wrong = share_right(results)
    print(f"huawei_vrp: {share:.1f} % of {len(results)} outputs read right")
    assert len(results) >= 10
    assert share >= 95, wrong


def test_readers_never_raise_on_hostile_text() -> None:
    for command in COMMANDS.values():
        for text in ("", "\x1b[2J" * 50, "ESN of slot 0: \x00\x01", "HUAWEI \x07 uptime is\n" * 500):
            got = read("huawei_vrp", command, text)
            assert got.serial == "" or got.serial.isprintable()
