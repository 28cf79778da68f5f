"""nic: link state and speed of every Ethernet port (`ip link show` via ntc-templates, `ethtool`).

Which ports the bench cables is the profile's or the slot's knowledge (`cabled: [eno1]`): a cabled
port without link FAILs; an uncabled one without link is only reported. `min_speed` (Mb/s) WARNs a
cabled port that negotiated slower.
"""

from __future__ import annotations

import re
from typing import Any

from bench.drivers.parsing import ParseError, parse
from bench.model import Outcome, TestResult
from bench.tests_hw.base import TestContext, result
from bench.tests_hw.server.shell import from_output, key_values, not_run, sh, shell_check

NAME = "nic"
_SAFE_NAME = re.compile(r"^[A-Za-z0-9_.:-]{1,15}$")  # what the kernel allows; never pass other text to a shell


def ethtool_link(text: str) -> dict[str, Any]:
    kv = key_values(text)
    speed = re.match(r"(\d+)\s*Mb/s", kv.get("Speed", ""))
    detected = kv.get("Link detected", "").lower()
    return {"speed": int(speed.group(1)) if speed else None,
            "link": True if detected == "yes" else False if detected == "no" else None,
            "duplex": kv.get("Duplex", "")}


@shell_check(NAME)
async def run(ctx: TestContext, started: str) -> TestResult:
    links = await sh(ctx, "ip link show")
    if not links.ok:
        return from_output(NAME, started, links)
    try:
        rows = parse("linux", "ip link show", links.text) or []
    except ParseError as exc:
        return result(NAME, Outcome.ERROR, str(exc), started, output=links.text[:500])
    ports = [r for r in rows if r.get("type") == "ether" and _SAFE_NAME.match(r.get("interface", "").split("@")[0])]
    if not ports:
        return not_run(NAME, started, "no Ethernet ports found", output=links.text[:300])
    cabled = {str(p) for p in ctx.params.get("cabled") or []}
    min_speed = int(ctx.params.get("min_speed", 0))
    report: dict[str, dict[str, Any]] = {}
    for row in ports:
        name = row["interface"].split("@")[0]
        flags = row.get("flags", "").split(",")
        info: dict[str, Any] = {"state": row.get("state", ""), "mac": row.get("mac_address", ""),
                                "carrier": "NO-CARRIER" not in flags and "LOWER_UP" in flags}
        out = await sh(ctx, f"ethtool {name}")
        if out.error:
            return from_output(NAME, started, out)
        info |= ethtool_link(out.text) if out.ok else {"speed": None, "link": None, "note": out.absent}
        if info["link"] is None:
            info["link"] = info["carrier"]  # ethtool absent: the kernel's carrier flag is the next best evidence
        report[name] = info
    evidence = {"ports": report, "cabled": sorted(cabled), "min_speed": min_speed}
    unknown_cabled = sorted(cabled - set(report))
    down = [n for n in sorted(cabled & set(report)) if not report[n]["link"]]
    slow = [f"{n} at {report[n]['speed']} Mb/s" for n in sorted(cabled & set(report))
            if report[n]["link"] and min_speed and (report[n]["speed"] or 0) < min_speed]
    up = [f"{n} {report[n]['speed'] or '?'} Mb/s" for n in report if report[n]["link"]]
    summary = f"link up: {', '.join(up) or 'none'}; {len(report) - len(up)} of {len(report)} ports without link"
    if down:
        return result(NAME, Outcome.FAIL, f"no link on cabled port(s) {', '.join(down)}; {summary}", started,
                      **evidence)
    if unknown_cabled or slow:
        problems = [f"cabled port(s) {', '.join(unknown_cabled)} not on the unit"] if unknown_cabled else []
        problems += [f"slower than {min_speed} Mb/s: {', '.join(slow)}"] if slow else []
        return result(NAME, Outcome.WARN, f"{'; '.join(problems)}; {summary}", started, **evidence)
    if not up:
        return result(NAME, Outcome.WARN, f"no port has link (is the unit cabled?); {summary}", started, **evidence)
    return result(NAME, Outcome.PASS, summary, started, **evidence)
