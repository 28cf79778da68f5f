"""bmc: the BMC's sensor states (`ipmitool sdr elist`) and event log (`ipmitool sel elist`).

SDR status cr/nr and their threshold forms (lcr ucr lnr unr) FAIL; nc/lnc/unc WARN; ns (no reading)
is unknown and only reported. An asserted power-supply failure in the SEL FAILs; other critical
events in the SEL WARN (they may predate this owner), with the entries as evidence.
"""

from __future__ import annotations

import re
from typing import Any

from bench.model import Outcome, TestResult
from bench.tests_hw.base import TestContext, result
from bench.tests_hw.server.shell import from_output, not_run, sh, shell_check

NAME = "bmc"
FAIL_STATES = {"cr", "nr", "lcr", "ucr", "lnr", "unr"}
WARN_STATES = {"nc", "lnc", "unc"}
_PSU_FAILURE = re.compile(r"fail|ac lost|input lost|predictive failure|redundancy lost", re.I)
_CRITICAL = re.compile(r"critical|non-recoverable|uncorrectable|fail|lost|thermal trip|ierr|machine check", re.I)


def sdr(text: str) -> list[dict[str, str]]:
    """Rows of `ipmitool sdr elist`: name | id | status | entity | reading."""
    rows = []
    for line in text.splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) == 5 and re.fullmatch(r"[0-9A-Fa-f]{2}h", cells[1]):
            rows.append({"name": cells[0], "status": cells[2].lower(), "reading": cells[4]})
    return rows


def sel(text: str) -> list[dict[str, str]]:
    """Rows of `ipmitool sel elist`: id | date | time | sensor | event | direction."""
    rows = []
    for line in text.splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) >= 5 and re.fullmatch(r"[0-9a-fA-F]+", cells[0]):
            rows.append({"id": cells[0], "when": f"{cells[1]} {cells[2]}", "sensor": cells[3], "event": cells[4],
                         "direction": cells[5] if len(cells) > 5 else ""})
    return rows


def psu_failures(events: list[dict[str, str]]) -> list[dict[str, str]]:
    return [e for e in events if e["direction"].lower() != "deasserted"
            and re.search(r"power supply|\bps\d|psu", e["sensor"], re.I) and _PSU_FAILURE.search(e["event"])]


async def firmware_versions(ctx: TestContext) -> dict[str, str]:
    """The BMC's firmware (`ipmitool mc info`) and the BIOS version (dmidecode); "" when unreadable."""
    mc = await sh(ctx, "ipmitool mc info")
    bios = await sh(ctx, "dmidecode -s bios-version")
    m = re.search(r"^Firmware Revision\s*:\s*(\S+)", mc.text, re.M) if mc.ok else None
    line = bios.text.strip().splitlines()[0][:40] if bios.ok and bios.text.strip() else ""
    return {"bmc": m.group(1) if m else "", "bios": line}


@shell_check(NAME)
async def run(ctx: TestContext, started: str) -> TestResult:
    sensors = await sh(ctx, "ipmitool sdr elist")
    if not sensors.ok:
        return from_output(NAME, started, sensors)
    log = await sh(ctx, "ipmitool sel elist")
    if log.error:
        return from_output(NAME, started, log)
    rows = sdr(sensors.text)
    events = sel(log.text) if log.ok else []
    firmware = await firmware_versions(ctx)
    if not rows and not events:
        return not_run(NAME, started, "the BMC reports no sensors and no events", sdr=sensors.text[:300])
    failing = [f"{r['name']} {r['status']} ({r['reading']})" for r in rows if r["status"] in FAIL_STATES]
    warning = [f"{r['name']} {r['status']} ({r['reading']})" for r in rows if r["status"] in WARN_STATES]
    no_reading = [r["name"] for r in rows if r["status"] == "ns"]
    psu = psu_failures(events)
    critical = [e for e in events if e not in psu and e["direction"].lower() != "deasserted"
                and _CRITICAL.search(e["event"])]
    evidence: dict[str, Any] = {
        "sensors": len(rows), "failing": failing, "warning": warning, "no_reading": no_reading,
        "sel_entries": len(events), "sel_psu_failures": psu, "sel_critical": critical[-20:],
        "sel_note": log.absent, "firmware": firmware,
    }
    if failing or psu:
        what = failing + [f"SEL: {e['sensor']} {e['event']} at {e['when']}" for e in psu]
        return result(NAME, Outcome.FAIL, "; ".join(what)[:400], started, **evidence)
    if warning or critical or log.absent:
        what = warning + [f"SEL: {e['sensor']} {e['event']}" for e in critical]
        what += [f"SEL unreadable: {log.absent}"] if log.absent else []
        return result(NAME, Outcome.WARN, "; ".join(what)[:400], started, **evidence)
    return result(NAME, Outcome.PASS, f"{len(rows)} sensors ok ({len(no_reading)} without reading), "
                  f"{len(events)} SEL entries, none critical", started, **evidence)
