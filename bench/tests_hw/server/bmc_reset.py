"""bmc_reset: the BMC handed over clean - a previous owner's BMC accounts and event log gone, read back.

Two ways, the stronger first:
- **Redfish**, when the bench file gives the BMC's address (`bmc:` of the slot, passed as the `redfish`
  parameter): the manager's factory reset (DMTF `Manager.ResetToDefaults` ResetAll, iDRAC's
  `DellManager.ResetToDefaults` All, iLO's `HpeiLO.ResetToFactoryDefaults` Default: users, network and
  settings to the factory's), and `LogService.ClearLog` on the manager's logs.
- **In-band** over the live image's shell with ipmitool (`/dev/ipmi0`): every account but the vendor's
  factory one (Dell root, HPE Administrator, Supermicro ADMIN) is emptied - name cleared, privilege NO
  ACCESS, disabled (`ipmitool user set name / user priv / user disable`) - and the SEL cleared
  (`ipmitool sel clear`).
Then the bench reads back in-band (`ipmitool user list 1`, `ipmitool sel elist`): no account but the factory
one has a name or access, the SEL holds at most its "Log area reset/cleared" entry. Only then PASS; the
BMC is then restarted (`ipmitool mc reset cold`) and waited for. A BMC that refuses (lockdown, privilege),
one that cannot be read back, or none reachable: WARN or NOT_RUN saying what to do, never PASS; the grade
holds the unit (profile `grading.sanitization_test` lists this test with erasure).

Params: `redfish` ({url, username, password}, from the slot), `restart_wait_s` (default 300).
"""

from __future__ import annotations

import asyncio
import re
import time
from typing import Any

from bench.model import Outcome, TestResult
from bench.tests_hw.base import TestContext, declare, result
from bench.tests_hw.server.erasure import Unit, on_the_unit
from bench.tests_hw.server.redfish import Redfish, RedfishError
from bench.tests_hw.server.shell import not_run

NAME = "bmc_reset"
FACTORY_ACCOUNT = {"dell": "root", "hpe": "Administrator", "supermicro": "ADMIN"}
VENDOR = (("dell", re.compile(r"\bDell\b", re.I)), ("hpe", re.compile(r"\bHPE?\b|Hewlett", re.I)),
          ("supermicro", re.compile(r"Supermicro", re.I)))
NO_BMC = ("no BMC answered in-band (no /dev/ipmi0: load ipmi_si and ipmi_devintf, or the unit has none) and "
          "the bench file gives no BMC address (bmc: url, username, password): give one, or reset the BMC "
          "from its own setup screen, then retest")
REFUSED_TODO = ("the BMC refused ({why}): turn off its lockdown (iDRAC: System Lockdown; others: the BMC's "
                "configuration lock) or reset it to factory defaults from the BIOS/BMC setup screen (F2/F10/Del), "
                "then retest")
_USER_ROW = re.compile(r"^(\d{1,3})\s{1,3}(\S{0,16}?)\s+(true|false)\s+(true|false)\s+(true|false)\s+(.+?)\s*$", re.M)
_CLEARED = re.compile(r"Log area reset/cleared|SEL has no entries", re.I)


def parse_users(text: str) -> list[dict[str, Any]]:
    """`ipmitool user list 1`: id, name, IPMI messaging, channel privilege."""
    out = []
    for m in _USER_ROW.finditer(text):
        name = m.group(2) if re.fullmatch(r"[\x21-\x7e]{0,16}", m.group(2)) else "?"
        out.append({"id": int(m.group(1)), "name": name, "ipmi_msg": m.group(5) == "true",
                    "priv": m.group(6).strip()[:20]})
    return out


def sel_rows(text: str) -> list[str]:
    return [ln.strip()[:160] for ln in text.splitlines() if re.match(r"\s*[0-9a-fA-F]+\s*\|", ln)]


def left_over(users: list[dict[str, Any]], keep: str) -> list[str]:
    """Accounts a previous owner could still use: named or with access, other than the factory account."""
    return [f"{u['id']}:{u['name'] or '(no name)'}" for u in users
            if u["id"] > 1 and not (keep and u["name"] == keep and u["id"] == 2)
            and (u["name"] or u["priv"] != "NO ACCESS")]


def sel_cleared(rows: list[str], text: str) -> bool:
    return not rows and bool(_CLEARED.search(text) or not text.strip()) or (
        len(rows) == 1 and bool(_CLEARED.search(rows[0])))


# A manager's factory reset, and the ResetType that also resets its accounts: DMTF's action (Redfish 2020.3),
# iDRAC9's OEM action (All: root back to the label's password), iLO 5's OEM action (Default).
RESET_ACTIONS = (((), "#Manager.ResetToDefaults", "ResetAll"), (("Oem",), "#DellManager.ResetToDefaults", "All"),
                 (("Oem", "Hpe"), "#HpeiLO.ResetToFactoryDefaults", "Default"))


def factory_reset_action(actions: Any) -> tuple[str, str, str] | None:
    """(action name, target, ResetType) of the first factory reset the manager lists, else None."""
    for where, name, kind in RESET_ACTIONS:
        place = actions
        for key in where:
            place = place.get(key) if isinstance(place, dict) else None
        action = place.get(name) if isinstance(place, dict) else None
        if isinstance(action, dict) and isinstance(action.get("target"), str):
            allowed = action.get("ResetType@Redfish.AllowableValues")
            if not isinstance(allowed, list) or kind in allowed:
                return name.lstrip("#"), action["target"], kind
    return None


async def redfish_reset(bmc: Redfish, done: list[str]) -> str:
    """Manager.ResetToDefaults (ResetAll) and ClearLog on every manager; "" when sent, else why not."""
    try:
        for manager in await bmc.members("/redfish/v1/Managers"):
            doc = await bmc.get(manager)
            actions = doc.get("Actions") or {} if isinstance(doc, dict) else {}
            for service in await bmc.members(f"{manager}/LogServices"):
                log = await bmc.get(service)
                target = ((log.get("Actions") or {}).get("#LogService.ClearLog") or {}).get("target")
                if target:
                    await bmc.post(str(target), {})
                    done.append(f"Redfish LogService.ClearLog {service}")
            found = factory_reset_action(actions)
            if found is None:
                return f"{manager} offers no factory reset action (the vendor's own tool or setup screen is needed)"
            name, target, kind = found
            await bmc.post(target, {"ResetType": kind})
            done.append(f"Redfish {name} {kind} {manager}")
    except RedfishError as exc:
        return str(exc)
    return "" if done else "the Redfish service lists no manager"


async def wait_back(unit: Unit, inband: bool, bmc: Redfish | None, deadline_s: float) -> bool:
    """Ask until the restarted BMC answers again (in-band `mc info`, else the Redfish service root)."""
    end, wait = time.monotonic() + deadline_s, 0.25
    while time.monotonic() < end:
        if inband:
            status, _ = await unit.run("ipmitool mc info", timeout=60)
            if status == 0:
                return True
        elif bmc is not None:
            try:
                await bmc.get("/redfish/v1", auth=False)
                return True
            except RedfishError:
                pass
        await asyncio.sleep(wait)  # the BMC restarts on its own; its answer is the thing waited on
        wait = min(wait * 2, 15.0)
    return False


@declare(run_inputs={"redfish": "bmc"})  # the slot's `bmc:` (Redfish), when the bench file gives one
async def run(ctx: TestContext) -> TestResult:
    return await on_the_unit(ctx, NAME, "resets the BMC", lambda unit, started: _reset(ctx, unit, started))


async def _reset(ctx: TestContext, unit: Unit, started: str) -> TestResult:
    _s, maker = await unit.run("dmidecode -s system-manufacturer")
    vendor = next((v for v, rx in VENDOR if rx.search(maker)), "")
    keep = FACTORY_ACCOUNT.get(vendor, "")
    status, _info = await unit.run("ipmitool mc info", timeout=60)
    inband = status == 0
    given = ctx.params.get("redfish") or {}
    bmc = Redfish(str(given["url"]), str(given.get("username", "")), str(given.get("password", ""))) \
        if isinstance(given, dict) and given.get("url") else None
    if not inband and bmc is None:
        return not_run(NAME, started, NO_BMC)
    done: list[str] = []
    refused: list[str] = []
    ev: dict[str, Any] = {"vendor": vendor or "unknown", "factory_account": keep, "paths": [], "reset": done}
    before: list[dict[str, Any]] = []
    if inband:
        _s, text = await unit.run("ipmitool user list 1")
        before = parse_users(text)
        ev["users_before"] = [u["name"] for u in before if u["name"]]
    if bmc is not None:
        ev["paths"].append("redfish")
        ev["redfish_url"] = bmc.url
        why = await redfish_reset(bmc, done)
        if why:
            refused.append(f"Redfish: {why}")
        elif not await wait_back(unit, False, bmc, float(ctx.params.get("restart_wait_s", 300))):
            refused.append("Redfish: the BMC did not come back after its reset")
    reset_by_redfish = any(d.startswith("Redfish") and "ClearLog" not in d for d in done)
    if inband:
        ev["paths"].append("ipmitool")
        if reset_by_redfish:
            await wait_back(unit, True, None, float(ctx.params.get("restart_wait_s", 300)))
        else:
            await _inband_clear(unit, before, keep, done, refused)
        _s, text = await unit.run("ipmitool user list 1")
        after = parse_users(text)
        _s, log = await unit.run("ipmitool sel elist")
        rows = sel_rows(log)
        leftover = left_over(after, keep)
        ev |= {"users_after": [u["name"] for u in after if u["name"]], "left_over": leftover,
               "sel_after": rows[:5], "sel_cleared": sel_cleared(rows, log), "read_back": bool(after)}
    else:
        leftover, ev["read_back"] = [], False
    ev["refused"] = refused  # also a way that did not work when another did (e.g. a Redfish login refused)
    if refused and not done:
        return result(NAME, Outcome.WARN, "BMC not reset: " + REFUSED_TODO.format(why="; ".join(refused)[:240]),
                      started, **ev)
    if not ev["read_back"]:
        return result(NAME, Outcome.WARN, "BMC reset sent but not read back (no in-band IPMI to list its users): "
                      "log in to the BMC with its factory password, check no previous account is left and the "
                      "event log is empty, then retest", started, **ev)
    problems = ([f"previous owner's accounts still there ({', '.join(leftover)[:160]})"] if leftover else []) + (
        [] if ev["sel_cleared"] else [f"the event log still holds {len(rows)} entries"])
    if problems:
        why = "; ".join(problems + refused)[:300]
        return result(NAME, Outcome.WARN, "BMC not reset: " + REFUSED_TODO.format(why=why), started, **ev)
    if inband and not reset_by_redfish:
        # Restart so the BMC runs on the cleared configuration; it must answer again.
        await unit.run("ipmitool mc reset cold", timeout=60)
        done.append("ipmitool mc reset cold")
        ev["restarted"] = await wait_back(unit, True, None, float(ctx.params.get("restart_wait_s", 300)))
    cleared = [u for u in ev.get("users_before", []) if u != keep]
    kept = keep if keep and keep in ev.get("users_after", []) else ""
    how = " and ".join(w for w in ("Redfish", "ipmitool") if any(d.startswith(w) for d in done))
    return result(NAME, Outcome.PASS, f"BMC reset ({how}): {len(cleared)} previous accounts "
                  f"cleared{f', {kept} kept as the factory account' if kept else ', no account left'}, event log "
                  "cleared; read back", started, **ev)


async def _inband_clear(unit: Unit, before: list[dict[str, Any]], keep: str, done: list[str],
                        refused: list[str]) -> None:
    for u in before:
        if u["id"] <= 1 or (keep and u["name"] == keep and u["id"] == 2):
            continue
        if not u["name"] and u["priv"] == "NO ACCESS":
            continue
        for command in (f"ipmitool user disable {u['id']}", f"ipmitool user priv {u['id']} 15 1",
                        f'ipmitool user set name {u["id"]} ""'):
            status, out = await unit.run(command)
            if status != 0:
                refused.append(f"{command}: {out.strip().splitlines()[-1][:120] if out.strip() else status}")
                break
        else:
            done.append(f"ipmitool: account {u['id']} ({u['name'] or 'no name'}) emptied and disabled")
    status, out = await unit.run("ipmitool sel clear")
    if status == 0:
        done.append("ipmitool sel clear")
    else:
        refused.append(f"ipmitool sel clear: {out.strip().splitlines()[-1][:120] if out.strip() else status}")
