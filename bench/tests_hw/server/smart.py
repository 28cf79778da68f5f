"""smart: every disk's SMART health from `smartctl --json -a`, judged by the thresholds in docs/domain.md.

ATA attributes (raw values): 5 reallocated 1-4 WARN, >4 FAIL; 187 reported uncorrectable >1 FAIL;
188 command timeouts 1-13 WARN, >13 FAIL; 197 pending >1 FAIL; 198 offline uncorrectable >1 FAIL.
NVMe: critical_warning != 0 FAIL, available_spare below its threshold FAIL, media_errors > 0 WARN,
percentage_used >= 100 WARN. A disk whose SMART cannot be read is unknown, never healthy.
"""

from __future__ import annotations

import json
from typing import Any

from bench.model import Outcome, SensorState, TestResult
from bench.tests_hw.base import TestContext, result
from bench.tests_hw.server.shell import from_output, not_run, sh, shell_check, to_int

NAME = "smart"
# attribute id -> (name, WARN from, FAIL above); None: no WARN band, FAIL above the value.
ATA_RULES: dict[int, tuple[str, int, int]] = {
    5: ("Reallocated_Sector_Ct", 1, 4),
    187: ("Reported_Uncorrect", 1, 1),
    188: ("Command_Timeout", 1, 13),
    197: ("Current_Pending_Sector", 1, 1),
    198: ("Offline_Uncorrectable", 1, 1),
}
_SKIP = ("loop", "ram", "zram", "sr", "fd", "md", "dm-", "nbd")


def disks(lsblk_text: str) -> list[str]:
    """Whole physical disks from `lsblk -J` (no partitions, loops, optical drives or RAM disks)."""
    try:
        doc = json.loads(lsblk_text[lsblk_text.find("{"):])
    except ValueError:
        return []
    devs = doc.get("blockdevices") if isinstance(doc, dict) else None
    names = []
    for dev in devs if isinstance(devs, list) else []:
        if isinstance(dev, dict) and dev.get("type") == "disk":
            name = str(dev.get("name", ""))
            if name and not name.startswith(_SKIP) and name.replace("-", "").replace("_", "").isalnum():
                names.append(name)
    return names


def _json(text: str) -> dict[str, Any] | None:
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end < start:
        return None
    try:
        doc = json.loads(text[start:end + 1])
    except ValueError:
        return None
    return doc if isinstance(doc, dict) else None


def _raw(attr: dict[str, Any]) -> int | None:
    raw = attr.get("raw")
    value = to_int(raw.get("value")) if isinstance(raw, dict) else None
    if value is not None and attr.get("id") == 188 and value > 0xFFFF:
        value &= 0xFFFF  # Seagate packs three 16-bit counters into 188's raw value; the low one is the count
    return value


def judge_ata(doc: dict[str, Any]) -> tuple[SensorState, list[str], dict[str, int]]:
    table = (doc.get("ata_smart_attributes") or {}).get("table")
    if not isinstance(table, list):
        return SensorState.UNKNOWN, ["no ATA SMART attribute table"], {}
    state, why, values = SensorState.OK, [], {}
    for attr in table:
        if not isinstance(attr, dict) or attr.get("id") not in ATA_RULES:
            continue
        name, warn_from, fail_above = ATA_RULES[attr["id"]]
        raw = _raw(attr)
        if raw is None:
            continue
        values[f"{attr['id']}_{name}"] = raw
        if raw > fail_above:
            state = SensorState.FAIL
            why.append(f"{attr['id']} {name} = {raw} (> {fail_above})")
        elif raw >= warn_from:
            state = SensorState.WARN if state is SensorState.OK else state
            why.append(f"{attr['id']} {name} = {raw}")
    return state, why, values


def judge_nvme(doc: dict[str, Any]) -> tuple[SensorState, list[str], dict[str, int]]:
    log = doc.get("nvme_smart_health_information_log")
    if not isinstance(log, dict):
        return SensorState.UNKNOWN, ["no NVMe SMART/health log"], {}
    v = {k: to_int(log.get(k)) for k in ("critical_warning", "available_spare", "available_spare_threshold",
                                          "media_errors", "percentage_used")}
    state, why = SensorState.OK, []
    if v["critical_warning"]:
        state = SensorState.FAIL
        why.append(f"critical_warning = {v['critical_warning']:#x}")
    spare, floor = v["available_spare"], v["available_spare_threshold"]
    if spare is not None and floor is not None and spare < floor:
        state = SensorState.FAIL
        why.append(f"available_spare {spare}% below its threshold {floor}%")
    for key, limit in (("media_errors", 1), ("percentage_used", 100)):
        if v[key] is not None and v[key] >= limit:  # type: ignore[operator]
            state = SensorState.WARN if state is SensorState.OK else state
            why.append(f"{key} = {v[key]}")
    if all(x is None for x in v.values()):
        return SensorState.UNKNOWN, ["NVMe health log has none of the judged fields"], {}
    return state, why, {k: x for k, x in v.items() if x is not None}


def judge(doc: dict[str, Any] | None) -> dict[str, Any]:
    """One disk's verdict: state, reasons, the judged values and what identifies it."""
    if doc is None:
        return {"state": SensorState.UNKNOWN, "why": ["smartctl output is not JSON"]}
    info = {"model": str(doc.get("model_name", ""))[:80], "serial": str(doc.get("serial_number", ""))[:40]}
    if "nvme_smart_health_information_log" in doc or (doc.get("device") or {}).get("type") == "nvme":
        state, why, values = judge_nvme(doc)
    elif "ata_smart_attributes" in doc:
        state, why, values = judge_ata(doc)
    else:
        msgs = [str(m.get("string", ""))[:160] for m in (doc.get("smartctl") or {}).get("messages") or []
                if isinstance(m, dict)]
        return info | {"state": SensorState.UNKNOWN, "why": msgs or ["no SMART data (virtual or RAID-hidden disk?)"]}
    passed = (doc.get("smart_status") or {}).get("passed")
    if passed is False:
        state = SensorState.FAIL
        why.insert(0, "overall-health self-assessment FAILED")
    return info | {"state": state, "why": why, "values": values}


@shell_check(NAME)
async def run(ctx: TestContext, started: str) -> TestResult:
    listing = await sh(ctx, "lsblk -J")
    if not listing.ok:
        return from_output(NAME, started, listing)
    names = disks(listing.text)
    if not names:
        return not_run(NAME, started, "no physical disks found (lsblk lists none)", lsblk=listing.text[:500])
    verdicts: dict[str, dict[str, Any]] = {}
    for name in names:
        out = await sh(ctx, f"smartctl --json -a /dev/{name}", timeout=90)
        if out.error:
            return from_output(NAME, started, out)
        if out.absent:
            if "not installed" in out.absent or "root" in out.absent:
                return not_run(NAME, started, out.absent, disks=names)
            verdicts[name] = {"state": SensorState.UNKNOWN, "why": [out.absent]}
            continue
        verdicts[name] = judge(_json(out.text))
    evidence = {"disks": {n: v | {"state": str(v["state"])} for n, v in verdicts.items()}}
    states = {n: v["state"] for n, v in verdicts.items()}
    bad = [f"{n}: {'; '.join(v['why'])}" for n, v in verdicts.items() if v["state"] is SensorState.FAIL]
    warn = [f"{n}: {'; '.join(v['why'])}" for n, v in verdicts.items() if v["state"] is SensorState.WARN]
    unknown = [f"{n}: {'; '.join(v['why'])}" for n, v in verdicts.items() if v["state"] is SensorState.UNKNOWN]
    if bad:
        return result(NAME, Outcome.FAIL, "; ".join(bad)[:400], started, **evidence)
    if all(s is SensorState.UNKNOWN for s in states.values()):
        return not_run(NAME, started, f"no disk reports SMART: {'; '.join(unknown)}"[:400], **evidence)
    if warn or unknown:
        return result(NAME, Outcome.WARN, "; ".join(warn + [f"unknown {u}" for u in unknown])[:400], started,
                      **evidence)
    return result(NAME, Outcome.PASS, f"{len(states)} disks healthy ({', '.join(states)})", started, **evidence)
