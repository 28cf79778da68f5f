"""cisco_nxos collector against the simulated Nexus family over real SSH (netmiko) and SNMP.

One fleet serves the module: S1 healthy, S2 environment faults and a parity crash, S3 port and optic faults,
S4 (a Nexus 9000: factory-reset) and S5 (a
Nexus 3048 on 7.0: write erase) a previous owner's configuration and a crashed service (wiped last). The
simulator's own device objects, rebuilt from the same seed, are the harness map.
"""

from __future__ import annotations

import pytest
from helpers import platform_checks as check
from helpers.platform_fleet import Pack, fault_plan

from bench.model import ComponentKind, SensorState
from bench.platforms.cisco_nxos.collector import (
    PLATFORM,
    config_leftovers,
    core_files,
    environment_readings,
    post_steps,
    transceiver_ids,
    uptime_seconds,
)
from simulators.families.cisco_nxos.device import NxosDevice
from simulators.pytest_plugin import SimFleet

FAULTS = fault_plan(crash="parity_crash", poe=False, extra="S4:crashinfo,S5:leftover_config,S5:crashinfo")
PACK = Pack("cisco_nxos", profile="cisco_nxos", driver="cisco_nxos", faults=FAULTS, count=5)
fleet, harness = PACK.fixtures()
run = PACK.run


def test_platform_seam_picks_this_module() -> None:
    check.assert_seam_picks(PACK, PLATFORM)


def test_identity_matches_truth_and_snmp(fleet: SimFleet, harness: dict[str, NxosDevice]) -> None:
    for truth, dev, ident, snmp in check.read_identities(PACK, fleet, harness, PLATFORM):
        assert ident.os_version == dev.spec.version and ident.hostname == "switch"
        assert ident.uptime_seconds is not None and ident.uptime_seconds >= 300
        assert ident.reload_reason == "Reset Requested by CLI command reload"
        kinds = check.by_kind(ident)
        assert len(kinds[ComponentKind.FAN]) == dev.spec.fans and len(kinds[ComponentKind.PSU]) == dev.spec.psus
        check.assert_chassis_frus_and_optics(ident, truth, dev, snmp)


def test_environment_healthy_and_faulty(fleet: SimFleet, harness: dict[str, NxosDevice]) -> None:
    env = run(fleet, "S1", PLATFORM.environment)
    check.assert_environment_healthy(env)
    front = next(r for r in env.readings if r.name == "module 1 FRONT")
    assert (front.warn_at, front.fail_at) == (70, 80) and front.value is not None and front.value < 70

    bad = run(fleet, "S2", PLATFORM.environment)
    failed = check.failing(bad.readings)
    last_psu = harness["S2"].psus[-1].slot
    assert ("fan", "Fan1(sys_fan1)") in failed and ("psu", f"PowerSupply{last_psu}") in failed
    assert ("temperature", "module 1 FRONT") in failed


def test_environment_rows_judged_by_their_own_thresholds() -> None:
    rows = [{"temperature_module": "1", "temperature_sensor": "CPU", "temperature_major_thresh": "90",
             "temperature_minor_thresh": "80", "temperature_current": "85", "temperature_status": "Ok"},
            {"power_supply": "2", "power_supply_status": "Absent"},
            {"fan": "Fan_in_PS2", "fan_status": "None"}]
    readings, absent = environment_readings(rows)
    assert absent == ["PowerSupply2"] and len(readings) == 1
    assert readings[0].state is SensorState.WARN  # the unit still says Ok; its own minor threshold says warn


def test_logs_post_healthy_and_crashes(fleet: SimFleet) -> None:
    ok = run(fleet, "S1", PLATFORM.logs)
    check.assert_logs_clean(ok, "Reset Requested by CLI command reload")
    assert any("VDC_ONLINE" in ln for ln in ok.lines)
    parity = run(fleet, "S2", PLATFORM.logs)
    assert parity.reload_reason == "Kernel Panic" and any("parity" in ln for ln in parity.lines)
    assert any("kernel" in c for c in parity.crash_files)
    crash = run(fleet, "S4", PLATFORM.logs)
    assert any("ethpm" in c for c in crash.crash_files)

    post = run(fleet, "S1", PLATFORM.post)
    assert post.problems == [] and len(post.steps) == 11 and {s.status for s in post.steps} == {"passed"}
    bad = run(fleet, "S2", PLATFORM.post)
    assert {s.test for s in bad.steps if s.status == "failed"} == {"TestFan", "TestPowerSupply"}


def test_ports_links_counters_and_flaps(fleet: SimFleet, harness: dict[str, NxosDevice]) -> None:
    dev = harness["S1"]
    ports = run(fleet, "S1", PLATFORM.ports)
    assert ports.problems == []
    assert [p.name for p in ports.ports] == [p.name for p in dev.ports]
    by = {p.name: p for p in ports.ports}
    for p in dev.ports:
        got = by[p.name]
        assert got.link_up is dev.linked(p), p.name
        assert got.admin_up is True and got.counters["crc"] == 0
        if dev.linked(p):
            assert got.speed_mbps == p.speed_mbps and got.duplex == "full"

    bad = harness["S3"]
    dead, crc, flap = check.faulty_ports(bad)
    a, b = run(fleet, "S3", check.watch_ports(PLATFORM, crc, flap, seconds=20))
    links = {p.name: p.link_up for p in run(fleet, "S3", PLATFORM.link_states).ports}
    assert set(links) == {p.name for p in bad.ports} and links[dead] is False
    check.assert_port_faults(a, b, dead, crc, flap)


def test_poe_does_not_apply(fleet: SimFleet) -> None:
    assert run(fleet, "S1", PLATFORM.poe).supported is False


def test_optics_ok_and_dom_alarm(fleet: SimFleet, harness: dict[str, NxosDevice]) -> None:
    for slot in ("S1", "S3"):
        dev = harness[slot]
        for o, port in check.cabled_optics(run(fleet, slot, PLATFORM.optics), dev, pid=True):
            check.assert_dom(o, port.dom_alarm, "alarm -13.9..2.0", judged=port.dom_alarm or dev.linked(port))
    assert any(p.dom_alarm for p in harness["S3"].ports)


def test_hostile_text_never_crashes() -> None:
    junk = "\x00\xff\x1b[31m 1) Test ---> \r\n%%%% Mod \n" * 50
    assert core_files(junk) == [] and transceiver_ids(junk) == {}
    assert all(s.test for s in post_steps(junk))
    assert uptime_seconds("garbage") is None and uptime_seconds("2 day(s), 1 hour(s)") == 2 * 86_400 + 3_600
    assert all(isinstance(x, str) for x in config_leftovers(junk))
    assert environment_readings([{"fan": "x", "fan_status": "\x00"}])[0][0].state is SensorState.UNKNOWN


@pytest.mark.parametrize("slot", ["S4", "S5"])
def test_wipe_clears_leftover_config(fleet: SimFleet, harness: dict[str, NxosDevice], slot: str) -> None:
    before, wiped, after, ident = run(fleet, slot, check.wipe_round(PLATFORM),
                                      params={"reboot_timeout": 90, "reboot_poll": 1})
    text = " ".join(before.remaining)
    assert before.problems == []
    for item in ("hostname dc1-leaf", "vlan 10", "feature vpc", "snmp-server community <redacted>", "user netops",
                 "bootflash:dc1-backup.cfg", "ethpm"):
        assert item in text, item
    assert "Acm3RO" not in text  # the previous owner's secrets never reach the record
    assert wiped.problems == [], wiped
    dev = harness[slot]
    commands = [s["command"] for s in wiped.steps]
    if dev.spec.pid.startswith(("N9K", "N3K")) and dev.spec.version.startswith(("9.", "10.")):
        assert "factory-reset preserve-image" in commands and "secure erase" in wiped.verified["method"]
    else:
        assert {"write erase", "clear cores", "reload"} <= set(commands) and "write erase" in wiped.verified["method"]
    assert "back after reload" in wiped.verified
    assert after.problems == [] and after.remaining == [], after
    assert after.verified["startup_config"] == "absent" and after.verified["flash_files"] == "none"
    assert ident.hostname == "switch" and ident.reload_reason
