"""aruba_aoscx collector against the simulated AOS-CX family over real SSH (netmiko) and SNMP.

One fleet serves the module: S1 healthy, S2 environment faults and a core dump, S3 port, PoE and optic
faults, S4 a previous owner's configuration and checkpoints (wiped last). The simulator's own device
objects, rebuilt from the same seed, are the harness map (which ports are cabled, which optics sit where).
"""

from __future__ import annotations

import asyncio
import re

from helpers import platform_checks as check
from helpers.platform_fleet import Pack, fault_plan

from bench.drivers.testing import Script
from bench.model import ComponentKind, SensorState
from bench.platforms.aruba_aoscx.collector import (
    PLATFORM,
    config_leftovers,
    judge,
    parse_boot_history,
    parse_core_dumps,
    parse_events,
    parse_fans,
    parse_poe,
    parse_psus,
    read_show_system,
    uptime_seconds,
    vsf_members,
)
from bench.platforms.identity_readers import read
from simulators.families.aruba_aoscx.device import CxDevice
from simulators.pytest_plugin import SimFleet

FAULTS = fault_plan()
PACK = Pack("aruba_aoscx", profile="aruba_aoscx", driver="aruba_aoscx", faults=FAULTS)
fleet, harness = PACK.fixtures()
run = PACK.run


def test_platform_seam_picks_this_module() -> None:
    check.assert_seam_picks(PACK, PLATFORM)


def test_identity_matches_truth_and_snmp(fleet: SimFleet, harness: dict[str, CxDevice]) -> None:
    for truth, dev, ident, snmp in check.read_identities(PACK, fleet, harness, PLATFORM):
        assert ident.os_version == dev.spec.version and ident.hostname == dev.spec.series
        assert ident.uptime_seconds is not None and ident.uptime_seconds >= 60
        assert ident.reload_reason == "Power cycle"
        kinds = check.by_kind(ident)
        assert [c.serial for c in kinds[ComponentKind.CHASSIS]] == truth.get("members", [truth["serial"]])
        assert len(kinds[ComponentKind.PSU]) == (len(dev.psus) if dev.spec.psu_pid else 0)
        check.assert_cli_names_snmp_frus(ident, snmp)
        check.assert_optics_are_the_cabled_ones(ident, dev)


def test_environment_healthy_and_faulty(fleet: SimFleet) -> None:
    env = run(fleet, "S1", PLATFORM.environment)
    check.assert_environment_healthy(env)
    inlet = next(r for r in env.readings if r.name == "1/1-Inlet-Air")
    assert inlet.fail_at == 55 and inlet.value is not None and inlet.value < 55

    bad = run(fleet, "S2", PLATFORM.environment)
    failed = check.failing(bad.readings)
    assert ("fan", "Fan 1/1") in failed and ("psu", "Power Supply 1/1") in failed
    assert ("temperature", "1/1-Inlet-Air") in failed


def test_logs_healthy_and_crash(fleet: SimFleet) -> None:
    ok = run(fleet, "S1", PLATFORM.logs)
    check.assert_logs_clean(ok, "Power cycle")
    assert any("System booted" in ln for ln in ok.lines)

    crash = run(fleet, "S2", PLATFORM.logs)
    assert crash.reload_reason == "hpe-fand crashed"
    assert len(crash.crash_files) == 1 and crash.crash_files[0].startswith("hpe-fand core")
    assert any("LOG_ERR" in ln and "Fan 1/1 has failed" in ln for ln in crash.lines)


def test_ports_links_counters_and_flaps(fleet: SimFleet, harness: dict[str, CxDevice]) -> None:
    dev = harness["S1"]
    by = check.ports_as_cabled(run(fleet, "S1", PLATFORM.ports), dev, admin=True)
    assert {"crc", "input_errors", "runts", "giants", "output_errors"} <= set(by[dev.ports[0].name].counters)

    dead, crc, flap = check.faulty_ports(harness["S3"])
    a, b, links = run(fleet, "S3", check.watch_ports(PLATFORM, crc, flap, links=True))  # links: the brief table
    check.assert_port_faults(a, b, dead, crc, flap)
    assert links[dead] is False and b[crc].counters["input_errors"] >= b[crc].counters["crc"]


def test_poe_healthy_fault_and_none(fleet: SimFleet, harness: dict[str, CxDevice]) -> None:
    for slot in ("S1", "S3"):
        dev = harness[slot]
        poe = run(fleet, slot, PLATFORM.poe)
        if not dev.spec.poe:
            assert poe.supported is False
            continue
        assert poe.supported and poe.problems == [] and len(poe.ports) == dev.spec.copper
        assert {p.name for p in poe.ports if p.state == "fault"} == {p.name for p in dev.ports if p.poe_fault}
        powered = {p.name for p in poe.ports if p.state == "on"}
        assert powered == {p.name for p in dev.ports if p.linked and p.kind == "copper" and not p.dead
                           and not p.poe_fault}
    assert parse_poe("\x00\x1b[2J 1/1/1 Enabled\n|||\n") == []


def test_optics_ok_and_dom_alarm(fleet: SimFleet, harness: dict[str, CxDevice]) -> None:
    for slot in ("S1", "S3"):
        check.assert_optics_and_dom(run(fleet, slot, PLATFORM.optics), harness[slot], "alarm 0.05..1")
    assert any(p.dom_alarm for p in harness["S3"].ports)


def test_judge_against_module_thresholds() -> None:
    limits = (1.0, 0.05, 0.79, 0.10)
    assert judge(0.5, limits) is SensorState.OK
    assert judge(0.07, limits) is SensorState.WARN and judge(0.9, limits) is SensorState.WARN
    assert judge(1.5, limits) is SensorState.FAIL and judge(0.01, limits) is SensorState.FAIL
    assert judge(None, limits) is SensorState.UNKNOWN and judge(0.5, (None, 0.1, 1.0, 0.2)) is SensorState.UNKNOWN


def test_hostile_text_never_crashes() -> None:
    junk = "\x00\xff\x1b[31mInterface x is \r\n---- \nMember ID : 1\n" * 50
    assert parse_events(junk) == [] and parse_core_dumps(junk) == [] and parse_boot_history(junk) == ""
    assert parse_fans(junk) == [] and parse_psus(junk) == []
    assert all(c.kind is ComponentKind.CHASSIS for c in vsf_members(junk))
    assert uptime_seconds("garbage") is None and uptime_seconds("1 day, 2 hours") == 93_600
    assert all(isinstance(x, str) for x in config_leftovers(junk, re.compile("^$"), []))
    assert read("aruba_aoscx", "show system", junk).serial == ""


def test_placeholder_serial_is_unreadable() -> None:
    got = read_show_system("Product Name       : JL665A 6300F 48G CL4 PoE 4SFP56 Sw\n"
                           "Chassis Serial Nbr : XXXXXXXXXX\n")
    assert got.model == "JL665A" and got.serial == "" and got.unreadable


def test_wipe_zeroizes_leftover_config(fleet: SimFleet, harness: dict[str, CxDevice]) -> None:
    before, wiped, after, ident = run(fleet, "S4", check.wipe_round(PLATFORM), params={"reboot_timeout": 60})
    text = " ".join(before.remaining)
    assert before.problems == []
    for item in ("hostname acme-core-sw", "user netops", "logging 10.20.0.15", "snmp-server community ***",
                 "radius-server host 10.20.0.9 key ***", "checkpoint before-upgrade", "vlan 10"):
        assert item in text, item
    assert "Acm3RO" not in text and "s3cr" not in text  # secrets are named, never copied
    assert wiped.problems == [], wiped
    assert wiped.steps[0]["command"] == "erase all zeroize; y" and "zeroize" in wiped.verified["method"]
    assert wiped.verified["uptime_after_s"] < wiped.verified["uptime_before_s"]
    assert after.problems == [] and after.remaining == [], after
    assert after.verified["startup_config"] == "factory default" and after.verified["flash_files"] == []
    assert ident.hostname == harness["S4"].spec.series and ident.reload_reason == "Zeroization"


def test_identified_by_family_over_snmp_and_over_ssh(fleet: SimFleet) -> None:
    """`profile: auto`: sysObjectID + sysDescr name the family; so does the first login's `show version`."""
    check.assert_identified_by_family(fleet, ("S1", "S3"), "aruba_aoscx")


def test_wipe_is_not_attempted_blind() -> None:
    """A unit whose CLI cannot be logged into (unknown password) is not waited on for a reboot that never comes."""
    check.assert_wipe_not_attempted_blind(PACK, PLATFORM)


def test_a_unit_refusing_the_credentials_is_told_how_it_is_recovered() -> None:
    rep = check.wipe_refusing_credentials(PACK, PLATFORM, "show system")
    assert rep.steps == [] and "AuthFailed" in rep.problems[0] and "Service OS" in rep.problems[0]


def test_a_vsf_stack_is_every_member_with_its_serial() -> None:
    """A 6300M arrives as a two-member VSF stack: identity lists both chassis, member 1 is the unit's serial."""
    from simulators.families.aruba_aoscx import cli as cx

    dev = CxDevice("S1", 1, 7, "JL661A", [])
    script = Script({"show system": cx.show_system(dev), "show vsf detail": cx.show_vsf_detail(dev),
                     "show module": cx.show_module(dev), "show environment power-supply": cx.show_env_power(dev),
                     "show environment fan": cx.show_env_fan(dev),
                     "show interface transceiver": cx.show_transceiver(dev),
                     "show events": cx.show_events(dev), "show core-dump all": cx.show_core_dump(dev),
                     "show boot-history": cx.show_boot_history(dev)})

    ident = asyncio.run(PLATFORM.identity(PACK.offline(script)))
    chassis = [c for c in ident.components if c.kind is ComponentKind.CHASSIS]
    assert len(dev.member_serials) == 2 and [c.serial for c in chassis] == dev.member_serials
    assert [c.name for c in chassis] == ["VSF member 1", "VSF member 2"] and ident.serial == dev.serial
    assert not [c for c in ident.components if c.kind is ComponentKind.MODULE]  # the members are not modules too
