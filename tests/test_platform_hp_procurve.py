"""hp_procurve collector against the simulated ProVision family over real SSH (netmiko) and SNMP.

One fleet serves the module: S1 healthy, S2 environment faults and a parity crash, S3 port, PoE and
optic faults, S4 a previous owner's configuration and a software crash (wiped last). The simulator's
own device objects, rebuilt from the same seed, are the harness map (which ports are cabled, which
optics sit where).
"""

from __future__ import annotations

import re
import time
from typing import Any

from helpers import platform_checks as check
from helpers.platform_fleet import Pack, fault_plan

from bench.model import ComponentKind, SensorState
from bench.platforms.hp_procurve.collector import (
    PLATFORM,
    config_leftovers,
    judge,
    parse_log,
    parse_poe,
    uptime_seconds,
)
from bench.tests_hw.base import TestContext
from simulators.families.hp_procurve.device import ProcurveDevice
from simulators.pytest_plugin import SimFleet

FAULTS = fault_plan(crash="parity_crash", extra="S4:crashinfo")
PACK = Pack("hp_procurve", profile="hp_procurve", driver="hp_procurve", faults=FAULTS)
fleet, harness = PACK.fixtures()
run = PACK.run


def test_platform_seam_picks_this_module() -> None:
    check.assert_seam_picks(PACK, PLATFORM)


def test_identity_matches_truth_and_snmp(fleet: SimFleet, harness: dict[str, ProcurveDevice]) -> None:
    for truth, dev, ident, snmp in check.read_identities(PACK, fleet, harness, PLATFORM):
        assert ident.os_version == dev.spec.version and ident.hostname == dev.spec.default_hostname
        assert ident.uptime and ident.uptime_seconds is not None and ident.uptime_seconds >= 60
        assert ident.reload_reason == "Power Failure"
        kinds = check.by_kind(ident)
        assert len(kinds[ComponentKind.FAN]) == dev.spec.fans and len(kinds[ComponentKind.PSU]) == 1
        # Every FRU SNMP knows by serial, the CLI names with the same serial and PID.
        check.assert_chassis_frus_and_optics(ident, truth, dev, snmp)


def test_environment_healthy_and_faulty(fleet: SimFleet) -> None:
    env = run(fleet, "S1", PLATFORM.environment)
    check.assert_environment_healthy(env)
    temp = next(r for r in env.readings if r.kind == "temperature")
    assert temp.value is not None and temp.fail_at == 55 and temp.value < temp.fail_at

    bad = run(fleet, "S2", PLATFORM.environment)
    failed = check.failing(bad.readings)
    assert ("fan", "Sys-1") in failed and ("psu", "Power Supply 1") in failed
    assert any(k == "temperature" for k, _ in failed)


def test_logs_healthy_and_crashes(fleet: SimFleet) -> None:
    ok = run(fleet, "S1", PLATFORM.logs)
    check.assert_logs_clean(ok, "Power Failure")
    assert any("System Booted" in ln for ln in ok.lines)

    parity = run(fleet, "S2", PLATFORM.logs)
    assert parity.reload_reason == "System reboot due to Hardware Exception"
    assert any("Parity" in ln for ln in parity.lines)
    assert "mm1.cor" in parity.crash_files and any("Parity" in c for c in parity.crash_files)

    crash = run(fleet, "S4", PLATFORM.logs)
    assert crash.reload_reason == "System reboot due to Software Exception"
    assert "mm1.cor" in crash.crash_files


def test_ports_links_counters_and_flaps(fleet: SimFleet, harness: dict[str, ProcurveDevice]) -> None:
    dev = harness["S1"]
    by = check.ports_as_cabled(run(fleet, "S1", PLATFORM.ports), dev, admin=True)
    for p in dev.ports:
        assert by[p.name].media == ("copper" if p.kind == "copper" else "fiber" if p.optic else "")
    assert {"crc", "input_errors", "runts", "giants", "output_errors"} <= set(by[dev.ports[0].name].counters)

    bad = harness["S3"]
    dead, crc, flap = check.faulty_ports(bad)
    a, b = run(fleet, "S3", check.watch_ports(PLATFORM, crc, flap))
    check.assert_port_faults(a, b, dead, crc, flap)
    assert b[crc].counters["input_errors"] >= b[crc].counters["crc"]


def test_poe_healthy_and_fault(fleet: SimFleet, harness: dict[str, ProcurveDevice]) -> None:
    poe = run(fleet, "S1", PLATFORM.poe)
    dev = harness["S1"]
    assert poe.supported and poe.problems == [] and len(poe.ports) == dev.spec.copper
    assert {p.name for p in poe.ports if p.state == "fault"} == set()
    powered = {p.name for p in poe.ports if p.state == "on"}
    assert powered == {p.name for p in dev.ports if p.linked and p.kind == "copper"}
    assert all(p.watts and p.watts > 0 and p.poe_class for p in poe.ports if p.state == "on")

    bad = run(fleet, "S3", PLATFORM.poe)
    assert {p.name for p in bad.ports if p.state == "fault"} == {p.name for p in harness["S3"].ports if p.poe_fault}


def test_poe_not_supported_and_garbage() -> None:
    assert parse_poe("PoE is not supported on this switch.\n") == []
    parse_poe("\x00\x1b[2J | Yes \n|||\n")  # garbage: must not raise
    rows = parse_poe("  5    | Yes    low      usage  17 W   0.0 W              Other Fault 0      off\n")
    assert rows[0].state == "fault" and rows[0].name == "5"


def test_optics_ok_and_dom_alarm(fleet: SimFleet, harness: dict[str, ProcurveDevice]) -> None:
    for slot in ("S1", "S3"):
        check.assert_optics_and_dom(run(fleet, slot, PLATFORM.optics), harness[slot], "alarm 0.02..1")
    assert any(p.dom_alarm for p in harness["S3"].ports)


def test_judge_against_module_thresholds() -> None:
    limits = (1.0, 0.02, 0.794, 0.025)  # hi alarm, lo alarm, hi warn, lo warn
    assert judge(0.5, limits)[0] is SensorState.OK
    assert judge(0.022, limits) == (SensorState.WARN, 0.794, 1.0)  # low side, judged here
    assert judge(0.9, limits) == (SensorState.WARN, 0.794, 1.0)
    assert judge(1.5, limits)[0] is SensorState.FAIL and judge(0.01, limits)[0] is SensorState.FAIL
    assert judge(None, limits)[0] is SensorState.UNKNOWN and judge(0.5, None)[0] is SensorState.UNKNOWN


def test_hostile_text_never_crashes() -> None:
    junk = "\x00\xff\x1b[31mI 99/99/99 xx\r\n---- \n" * 50
    assert parse_log(junk) == ([], "")
    assert uptime_seconds("garbage") is None and uptime_seconds("3 days") == 3 * 86_400
    assert all(isinstance(x, str) for x in config_leftovers(junk, re.compile("^$"), []))


def test_wipe_clears_leftover_config(fleet: SimFleet, harness: dict[str, ProcurveDevice]) -> None:
    async def body(ctx: TestContext) -> Any:
        before = await PLATFORM.verify_wiped(ctx)
        t0 = time.monotonic()
        wiped = await PLATFORM.wipe(ctx)
        took = time.monotonic() - t0
        after = await PLATFORM.verify_wiped(ctx)
        ident = await PLATFORM.identity(ctx)
        return before, wiped, took, after, ident

    before, wiped, took, after, ident = run(fleet, "S4", body, params={"reboot_timeout": 60})
    text = " ".join(before.remaining)
    assert before.problems == []
    for item in ("hostname ACME-", "VOICE", "logging 10.20.0.15", "Acm3RO", "password operator", "vlans: 10"):
        assert item in text, item
    assert wiped.problems == [], wiped
    commands = " ".join(s["command"] for s in wiped.steps)
    assert "no password all; y" in commands and "erase startup-config; y" in commands
    assert wiped.verified["uptime_after_s"] < wiped.verified["uptime_before_s"]
    assert took < 40
    assert after.problems == [] and after.remaining == [], after
    assert after.verified["startup_config"] == "factory default" and after.verified["vlans"] == [1]
    assert after.verified["flash_files"] == ["Primary Image", "Secondary Image"]
    assert ident.hostname == harness["S4"].spec.default_hostname
    assert ident.reload_reason.startswith("Operator cold reboot")
