"""dell_os10 collector against the simulated OS10 family over real SSH (netmiko) and SNMP.

One fleet serves the module: S1 healthy, S2 environment faults and a kernel-panic core dump, S3 port and optic
faults, S4 a previous owner's configuration and files (wiped last). The simulator's own device objects, rebuilt
from the same seed, are the harness map (which ports are cabled, which optics sit where).
"""

from __future__ import annotations

import re

from helpers import platform_checks as check
from helpers.platform_fleet import Pack, fault_plan

from bench.model import ComponentKind, SensorState
from bench.platforms.dell_os10.collector import (
    PLATFORM,
    config_leftovers,
    judge,
    parse_alarms,
    parse_dir,
    parse_log,
    port_states,
    transceivers,
    uptime_seconds,
)
from bench.platforms.identity_readers import read
from simulators.families.dell_os10.device import Os10Device
from simulators.pytest_plugin import SimFleet

FAULTS = fault_plan(poe=False)
PACK = Pack("dell_os10", profile="dell_os10", driver="dell_os10", faults=FAULTS)
fleet, harness = PACK.fixtures()
run = PACK.run


def test_platform_seam_picks_this_module() -> None:
    check.assert_seam_picks(PACK, PLATFORM)


def test_identity_matches_truth_and_snmp(fleet: SimFleet, harness: dict[str, Os10Device]) -> None:
    for truth, dev, ident, snmp in check.read_identities(PACK, fleet, harness, PLATFORM):
        assert ident.os_version == dev.spec.version and ident.hostname == "OS10"
        assert ident.uptime_seconds is not None and ident.uptime_seconds >= 60
        assert ident.reload_reason == "Cold reset"
        kinds = check.by_kind(ident)
        assert dev.ppid in kinds[ComponentKind.CHASSIS][0].descr
        assert {c.serial for c in kinds[ComponentKind.PSU]} == {p.ppid for p in dev.psus}
        assert {c.serial for c in kinds[ComponentKind.FAN]} == {f.ppid for f in dev.fans}
        check.assert_chassis_frus_and_optics(ident, truth, dev, snmp)


def test_environment_healthy_and_faulty(fleet: SimFleet) -> None:
    env = run(fleet, "S1", PLATFORM.environment)
    check.assert_environment_healthy(env)

    bad = run(fleet, "S2", PLATFORM.environment)
    failed = check.failing(bad.readings)
    assert ("fan", "Fan tray 1") in failed and ("psu", "PSU 1") in failed
    assert ("temperature", "System Inlet Ambient-1 temp sensor") in failed
    hot = next(r for r in bad.readings if r.name == "System Inlet Ambient-1 temp sensor")
    assert "EQM_THERMAL_CRIT" in hot.detail and hot.value is not None and hot.value >= 61


def test_logs_healthy_and_crash(fleet: SimFleet) -> None:
    ok = run(fleet, "S1", PLATFORM.logs)
    check.assert_logs_clean(ok, "Cold reset")
    assert any("%SYSTEM_STATUS: System is ready" in ln for ln in ok.lines)

    crash = run(fleet, "S2", PLATFORM.logs)
    assert crash.reload_reason == "Kernel panic - not syncing: Fatal exception"
    assert len(crash.crash_files) == 1 and crash.crash_files[0].startswith("coredump:core.dn_eqm.")
    assert any("%EQM_FAN_FAIL" in ln for ln in crash.lines)


def test_ports_links_counters_and_flaps(fleet: SimFleet, harness: dict[str, Os10Device]) -> None:
    dev = harness["S1"]
    by = check.ports_as_cabled(run(fleet, "S1", PLATFORM.ports), dev)
    assert {"crc", "input_errors", "runts", "giants", "output_errors"} <= set(by[dev.ports[0].name].counters)

    dead, crc, flap = check.faulty_ports(harness["S3"])
    a, b, links = run(fleet, "S3", check.watch_ports(PLATFORM, crc, flap, links=True))
    check.assert_port_faults(a, b, dead, crc, flap)
    assert links[dead] is False and b[crc].counters["input_errors"] >= b[crc].counters["crc"]


def test_no_poe_on_s_and_z_series(fleet: SimFleet) -> None:
    poe = run(fleet, "S1", PLATFORM.poe)
    assert poe.supported is False and "Unrecognized command" in poe.problems[0]


def test_optics_ok_and_dom_alarm(fleet: SimFleet, harness: dict[str, Os10Device]) -> None:
    for slot in ("S1", "S3"):
        check.assert_optics_and_dom(run(fleet, slot, PLATFORM.optics), harness[slot], "alarm 0.02..1.78")
    assert any(p.dom_alarm for p in harness["S3"].ports)


def test_judge_against_module_thresholds() -> None:
    lim = {"High Alarm": 1.78, "Low Alarm": 0.02, "High Warning": 1.41, "Low Warning": 0.03}
    assert judge(0.5, lim) is SensorState.OK
    assert judge(0.025, lim) is SensorState.WARN and judge(1.5, lim) is SensorState.WARN
    assert judge(2.0, lim) is SensorState.FAIL and judge(0.01, lim) is SensorState.FAIL
    assert judge(None, lim) is SensorState.UNKNOWN and judge(0.5, {"High Alarm": 1.0}) is SensorState.UNKNOWN


def test_hostile_text_never_crashes() -> None:
    junk = "\x00\xff\x1b[31mEthernet 1/1/1 is up, line protocol is up\r\n---- \n* 1 X Y Z CN-\n" * 50
    assert parse_log(junk) == ([], "") and parse_alarms(junk) == [] and parse_dir(junk) == []
    assert transceivers(junk) == {}
    assert all(p.counters == {} for p in port_states(junk))
    assert uptime_seconds("garbage") is None and uptime_seconds("1 day 00:54:13") == 89_653
    assert uptime_seconds("1 week(s), 2 day(s), 9 hour(s), 5 minute(s)") == 810_300
    assert all(isinstance(x, str) for x in config_leftovers(junk, re.compile("^$"), []))
    assert read("dell_os10", "show inventory", junk).serial == ""


def test_wipe_deletes_startup_and_owner_files(fleet: SimFleet, harness: dict[str, Os10Device]) -> None:
    before, wiped, after, ident = run(fleet, "S4", check.wipe_round(PLATFORM), params={"reboot_timeout": 60})
    text = " ".join(before.remaining)
    assert before.problems == []
    for item in ("hostname acme-leaf", "username netops", "logging server 10.20.0.15", "community *** ro",
                 "radius-server host 10.20.0.9 key 9 ***", "config:ztd-provision.py", "interface vlan100"):
        assert item in text, item
    assert "Acm3RO" not in text and "s3cr3tkey" not in text  # secrets are named, never copied
    assert wiped.problems == [], wiped
    commands = [s["command"] for s in wiped.steps]
    assert "delete config://acme-backup-2022.xml" in commands and "delete startup-configuration" in commands
    assert commands[-3:] == ["reload", "no", "yes"]  # never save the owner's running configuration back
    assert wiped.verified["uptime_after_s"] < wiped.verified["uptime_before_s"]
    assert after.problems == [] and after.remaining == [], after
    assert after.verified["startup_config"].startswith("none saved") and after.verified["flash_files"] == []
    assert after.verified["running_config"] == "factory default"
    assert ident.hostname == "OS10" and ident.reload_reason == "Reboot by user"


def test_a_service_tag_of_any_shape_is_read_for_authenticity_to_judge() -> None:
    """A counterfeit's tag (12 digits) is still the unit's serial: the reader reports it, authenticity fails it."""
    row = "* 1  S3048-ON                  0W1K08      A00  CN-0W1K08-17972-8C5-4723   {tag}  172 637 574 62\n"
    for tag in ("3FCSX20", "370599499599"):
        got = read("dell_os10", "show inventory", row.format(tag=tag))
        assert (got.model, got.serial) == ("S3048-ON", tag)


def test_identified_by_family_over_snmp_and_over_ssh(fleet: SimFleet) -> None:
    """`profile: auto`: sysObjectID + sysDescr name the family; so does the first login's `show version`."""
    check.assert_identified_by_family(fleet, ("S1", "S3"), "dell_os10")


def test_wipe_is_not_attempted_blind() -> None:
    """A unit whose CLI cannot be logged into (unknown password) is not waited on for a reboot that never comes."""
    check.assert_wipe_not_attempted_blind(PACK, PLATFORM)


def test_a_unit_refusing_the_credentials_is_told_how_it_is_recovered() -> None:
    rep = check.wipe_refusing_credentials(PACK, PLATFORM, "show version")
    assert rep.steps == [] and "AuthFailed" in rep.problems[0] and "GRUB" in rep.problems[0]
