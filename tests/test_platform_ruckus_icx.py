"""ruckus_fastiron collector against the simulated ICX family over real SSH (netmiko) and SNMP.

One fleet serves the module: S1 healthy, S2 environment faults and a crash, S3 port, PoE and optic
faults, S4 a previous owner's configuration (wiped last). The simulator's own device objects, rebuilt
from the same seed, are the harness map (which ports are cabled, which optics sit where).
"""

from __future__ import annotations

import re
from typing import Any

from helpers import platform_checks as check
from helpers.platform_fleet import Pack, fault_plan

from bench.model import ComponentKind, SensorState
from bench.platforms.ruckus_fastiron.collector import (
    PLATFORM,
    config_leftovers,
    parse_chassis,
    parse_inline_power,
    parse_interfaces,
    parse_log,
    parse_media,
    parse_optic,
)
from bench.tests_hw.base import TestContext
from bench.tests_hw.environment import read_snmp
from simulators.families.ruckus_icx.device import IcxDevice
from simulators.pytest_plugin import SimFleet

FAULTS = fault_plan()
PACK = Pack("ruckus_icx", profile="ruckus_icx", driver="ruckus_fastiron", faults=FAULTS)
fleet, harness = PACK.fixtures()
run = PACK.run


def test_platform_seam_picks_this_module() -> None:
    check.assert_seam_picks(PACK, PLATFORM)


def test_identity_matches_truth_and_snmp(fleet: SimFleet, harness: dict[str, IcxDevice]) -> None:
    for truth, dev, ident, snmp in check.read_identities(PACK, fleet, harness, PLATFORM):
        assert ident.os_version == dev.spec.version and ident.reload_reason == "cold start"
        assert ident.uptime_seconds is not None and ident.uptime_seconds >= 60
        kinds = check.by_kind(ident)
        assert len(kinds[ComponentKind.FAN]) == dev.spec.fans and len(kinds[ComponentKind.PSU]) == dev.spec.psus
        check.assert_chassis_frus_and_optics(ident, truth, dev, snmp)


def test_environment_healthy_and_faulty(fleet: SimFleet, harness: dict[str, IcxDevice]) -> None:
    env = run(fleet, "S1", PLATFORM.environment)
    assert env.problems == []
    assert {r.kind for r in env.readings} == {"fan", "psu", "temperature"}
    assert all(r.state is SensorState.OK for r in env.readings), env.readings
    temp = next(r for r in env.readings if r.kind == "temperature")
    assert temp.warn_at == harness["S1"].spec.warn_c and temp.fail_at == harness["S1"].spec.shutdown_c

    bad = run(fleet, "S2", PLATFORM.environment)
    failed = check.failing(bad.readings)
    assert ("fan", "Fan 1") in failed and ("psu", "Power supply 1") in failed
    hot = [r for r in bad.readings if r.kind == "temperature" and r.state is SensorState.WARN]
    assert hot and hot[0].value is not None and hot[0].value > harness["S2"].spec.warn_c


def test_environment_over_snmp_agrees_with_the_cli(fleet: SimFleet, harness: dict[str, IcxDevice]) -> None:
    """FOUNDRY-SN-AGENT-MIB (supplies, fans, the chassis temperature against the unit's levels): what burn-in
    polls when the unit answers SNMP."""
    async def body(ctx: TestContext) -> Any:
        return await read_snmp(ctx.snmp)

    ok, _ = run(fleet, "S1", body)
    assert {r.kind for r in ok} == {"fan", "psu", "temperature"} and all(r.state is SensorState.OK for r in ok)
    temp = next(r for r in ok if r.kind == "temperature")
    assert (temp.warn_at, temp.fail_at) == (harness["S1"].spec.warn_c, harness["S1"].spec.shutdown_c)
    bad, _ = run(fleet, "S2", body)
    assert {(r.kind, r.name, r.state) for r in bad if r.state is not SensorState.OK} == {
        ("fan", "Fan 1", SensorState.FAIL), ("psu", "Power supply 1", SensorState.FAIL),
        ("temperature", "chassis", SensorState.WARN)}


def test_logs_healthy_and_crash(fleet: SimFleet) -> None:
    ok = run(fleet, "S1", PLATFORM.logs)
    check.assert_logs_clean(ok, "cold start")
    assert any("SSH server is enabled" in ln for ln in ok.lines)
    crash = run(fleet, "S2", PLATFORM.logs)
    assert crash.reload_reason.startswith('warm start reloaded by "crash: Data abort exception')
    assert crash.crash_files == ["core.1"] and any(":A:System: Crash" in ln for ln in crash.lines)


def test_ports_links_counters_and_flaps(fleet: SimFleet, harness: dict[str, IcxDevice]) -> None:
    dev = harness["S1"]
    check.ports_as_cabled(run(fleet, "S1", PLATFORM.ports), dev, admin=True)

    bad = harness["S3"]
    dead, crc, flap = check.faulty_ports(bad)
    a, b = run(fleet, "S3", check.watch_ports(PLATFORM, crc, flap))
    check.assert_port_faults(a, b, dead, crc, flap)


def test_poe_healthy_and_fault(fleet: SimFleet, harness: dict[str, IcxDevice]) -> None:
    for slot in ("S1", "S3"):
        poe, dev = run(fleet, slot, PLATFORM.poe), harness[slot]
        if not dev.spec.poe:
            assert not poe.supported
            continue
        assert poe.supported and poe.problems == [] and len(poe.ports) == dev.spec.copper
        assert {p.name for p in poe.ports if p.state == "fault"} == {p.name for p in dev.ports if p.poe_fault}
        powered = {p.name for p in poe.ports if p.state == "on"}
        assert powered == {p.name for p in dev.ports if p.linked and not p.dead and not p.poe_fault
                           and p.kind == "copper"}
        assert all(p.watts and p.poe_class == "4" for p in poe.ports if p.state == "on")
    assert harness["S3"].spec.poe  # the fault was placed on a PoE model


def test_optics_ok_and_dom_alarm(fleet: SimFleet, harness: dict[str, IcxDevice]) -> None:
    for slot in ("S1", "S3"):
        check.assert_optics_and_dom(run(fleet, slot, PLATFORM.optics), harness[slot],
                              kinds={"temperature", "tx_power", "rx_power", "bias"})
    assert any(p.dom_alarm for p in harness["S3"].ports)


def test_hostile_text_never_crashes() -> None:
    junk = "\x00\xff\x1b[31m0d00h:A:\r\nPort 1/1/1: Type :\nFan 1\nPower supply\n 1/1/1 On On x\n" * 50
    for fn in (parse_chassis, parse_inline_power, parse_interfaces, parse_log, parse_media, parse_optic):
        fn(junk)
    assert all(isinstance(x, str) for x in config_leftovers(junk, []))
    chassis = parse_chassis("Power supply 2 not present\nFan 1 ok, speed (auto)\n"
                            "Current temperature : 41.5 deg-C\n        Warning level.......: 85.0 deg-C\n")
    assert chassis["psus"][0]["present"] is False and chassis["temps"] == [{"name": "Chassis", "value": 41.5}]
    assert chassis["warn"] == 85.0 and chassis["fans"] == [{"fan": "1", "state": "ok"}]


def test_wipe_clears_leftover_config(fleet: SimFleet, harness: dict[str, IcxDevice]) -> None:
    before, wiped, after, ident = run(fleet, "S4", check.wipe_round(PLATFORM), params={"reboot_timeout": 60})
    text = " ".join(before.remaining)
    assert before.problems == []
    for item in ("hostname ACME-", "vlan 20 name VOICE", "logging host 10.20.0.15", "Acm3RO", "username netops",
                 "flash file startup-config.txt"):
        assert item in text, item
    assert not re.search(r"\$1\$", text)  # a password hash is named by its user, never repeated
    assert wiped.problems == [], wiped
    assert wiped.steps[0]["command"].startswith("erase startup-config; configure terminal; crypto key zeroize")
    assert wiped.verified["uptime_after_s"] < wiped.verified["uptime_before_s"]
    assert after.problems == [] and after.remaining == [], after
    assert after.verified["startup_config"] == "none (factory default)" and after.verified["flash_files"] == []
    assert ident.hostname == "" and ident.reload_reason.startswith("warm start")
    assert ident.serial == harness["S4"].serial
