"""huawei_vrp collector against the simulated VRP family over real SSH (netmiko's huawei driver) and SNMP.

One fleet (seed 3) serves the module: S1 a healthy S5720-28X-SI, S2 an AR2220 router with environment faults
and a core file, S3 a PoE S5720-28P with port, PoE and optic faults, S4 an S5720-28X-SI (V200R011: no
`reset factory-configuration`) with a previous owner's configuration and a core file (wiped by `reset
saved-configuration` and `delete /unreserved`), S5 an AR2220 with a previous owner's configuration (wiped by
`reset factory-configuration`). The simulator's own device objects, rebuilt from the same seed, are the
harness map.
"""

from __future__ import annotations

import asyncio
import re

import pytest
from helpers import platform_checks as check
from helpers.platform_fleet import Pack, fault_plan

from bench.drivers.adapter import LazyChannel
from bench.drivers.channel import Credential
from bench.drivers.ssh import SshSession
from bench.model import ComponentKind, SensorState
from bench.platforms.huawei_vrp.collector import (
    PLATFORM,
    config_leftovers,
    dom_readings,
    parse_fans,
    parse_log,
    parse_poe,
    parse_power,
    parse_temperatures,
)
from simulators.families.huawei_vrp.device import VrpDevice
from simulators.pytest_plugin import SimFleet

FAULTS = fault_plan(extra="S4:crashinfo,S5:leftover_config")


def sim_cli(fleet: SimFleet, slot: str) -> LazyChannel:
    """The engine's SSH channel to the slot with netmiko's `huawei` driver and the huawei_vrp templates."""
    host, port = fleet.slot(slot)["ssh"].rsplit(":", 1)
    c = fleet.credentials(slot)
    cred = Credential("factory", c["username"], c["password"], c.get("enable", ""))
    return LazyChannel("ssh", lambda: SshSession(host, int(port), "huawei", [cred], timeout=10,
                                                 textfsm_platform="huawei_vrp"),
                       "huawei_vrp", None, asyncio.Semaphore(1), SshSession.capabilities)


PACK = Pack("huawei_vrp", profile="huawei_vrp", driver="huawei_vrp", faults=FAULTS, count=5, seed=3,
            channel=sim_cli)
fleet, harness = PACK.fixtures()
run = PACK.run


def test_fleet_models_as_documented(harness: dict[str, VrpDevice]) -> None:
    assert [harness[f"S{i}"].model for i in range(1, 6)] == ["S5720-28X-SI-AC", "AR2220", "S5720-28P-PWR-LI-AC",
                                                              "S5720-28X-SI-AC", "AR2220"]


def test_platform_seam_picks_this_module() -> None:
    check.assert_seam_picks(PACK, PLATFORM)


def test_identity_matches_truth_and_snmp(fleet: SimFleet, harness: dict[str, VrpDevice]) -> None:
    for truth, dev, ident, snmp in check.read_identities(PACK, fleet, harness, PLATFORM, ("S1", "S3", "S4")):
        assert ident.os_version == dev.spec.version
        assert ident.hostname == dev.spec.default_sysname or ident.hostname.startswith("ACME-")
        assert ident.uptime_seconds is not None and ident.uptime_seconds >= 60
        kinds = check.by_kind(ident)
        assert [c.serial for c in kinds[ComponentKind.CHASSIS]] == [truth["serial"]]
        # `display device` names supplies and fans by type; their serials come from ENTITY-MIB (merged by the test)
        assert {c.name for c in kinds[ComponentKind.PSU]} == {f"PWR{p.bay}" for p in dev.psus if p.present}
        check.assert_optics_are_the_cabled_ones(ident, dev)
        cli_fru = {c.serial for c in ident.components if c.serial}
        for c in snmp:  # every chassis and optic SNMP knows by serial, the CLI names with the same serial
            if c.serial and c.kind in (ComponentKind.CHASSIS, ComponentKind.OPTIC):
                assert c.serial in cli_fru, c


def test_environment_healthy_and_faulty(fleet: SimFleet) -> None:
    env = run(fleet, "S1", PLATFORM.environment)
    check.assert_environment_healthy(env, absent=True)
    temp = next(r for r in env.readings if r.kind == "temperature")
    assert temp.fail_at == 80 and temp.value is not None and temp.value < 70

    bad = run(fleet, "S2", PLATFORM.environment)
    failed = check.failing(bad.readings)
    assert failed == {("fan", "Slot 0 FAN1"), ("psu", "Slot 0 PWR1"), ("temperature", "Slot 0")}


def test_logs_healthy_and_crashes(fleet: SimFleet) -> None:
    ok = run(fleet, "S1", PLATFORM.logs)
    check.assert_logs_clean(ok, "Cold reboot")
    assert any("SYS_RESTART" in ln for ln in ok.lines)
    crash = run(fleet, "S2", PLATFORM.logs)
    assert crash.reload_reason == "Exception"
    assert any(f.startswith("flash:/corefile/node1_snmpd_") for f in crash.crash_files)
    assert any("hwSysCoreDump" in ln for ln in crash.lines) and any("hwFanInvalid" in ln for ln in crash.lines)


def test_ports_links_counters_and_flaps(fleet: SimFleet, harness: dict[str, VrpDevice]) -> None:
    dev = harness["S1"]
    ports = run(fleet, "S1", PLATFORM.ports)
    by = check.ports_as_cabled(ports, dev, linked=lambda p: p.up(dev.uptime()), admin=True, input_errors=False)
    assert all({"crc", "input_errors", "output_errors", "runts", "giants"} <= set(p.counters) for p in by.values())

    bad = harness["S3"]
    dead, crc, flap = check.faulty_ports(bad)
    a, b = run(fleet, "S3", check.watch_ports(PLATFORM, crc, flap))
    check.assert_port_faults(a, b, dead, crc, flap)


def test_poe_supported_fault_and_absent(fleet: SimFleet, harness: dict[str, VrpDevice]) -> None:
    poe = run(fleet, "S3", PLATFORM.poe)
    dev = harness["S3"]
    assert poe.supported and poe.problems == [] and len(poe.ports) == dev.spec.copper
    assert {p.name for p in poe.ports if p.state == "fault"} == {p.name for p in dev.ports if p.poe_fault}
    assert all(p.watts and p.poe_class for p in poe.ports if p.state == "on")
    none = run(fleet, "S1", PLATFORM.poe)  # an S5720-28X-SI has no PoE: the command is refused
    assert none.supported is False and none.ports == []


def test_optics_ok_and_dom_alarm(fleet: SimFleet, harness: dict[str, VrpDevice]) -> None:
    for slot in ("S1", "S3"):
        check.assert_optics_and_dom(run(fleet, slot, PLATFORM.optics), harness[slot])
    assert any(p.dom_alarm for p in harness["S3"].ports)


def test_parsers_on_real_layouts_and_hostile_text() -> None:
    # VRP 8 words a fan row with its online state; an absent supply has dashes.
    assert parse_fans(" 1     1       [1]     Present   Normal    45%     Auto     Side-to-Back\n") == [
        {"name": "Slot 1 FAN1", "online": "Present", "state": "Normal"}]
    assert parse_power(" 0       PWR2     Absent   -      -          -\n")[0]["watts"] is None
    assert parse_temperatures("0     NA     NA     MINOR      71          0         4            80        76\n")[0][
        "status"] == "MINOR"
    fields = {"RX Power(dBm)": "-24.10", "RX Power High Threshold(dBm)": "-2.50",
              "RX Power Low Threshold(dBm)": "-22.50"}
    assert [r.state for r in dom_readings("GE0/0/1", fields)] == [SensorState.FAIL]
    junk = "\x00\xff\x1b[31mDec 1 xx %%01\r\n-- \n" * 50
    assert parse_log(junk) == ([], "") and parse_power(junk) == [] and parse_poe(junk) == [] and parse_fans(junk) == []
    assert all(isinstance(x, str) for x in config_leftovers(junk, re.compile("^$")))


@pytest.mark.parametrize(("slot", "method"), [("S4", "reset saved-configuration + delete /unreserved"),
                                              ("S5", "reset factory-configuration")])
def test_wipe_clears_leftover_config(fleet: SimFleet, harness: dict[str, VrpDevice], slot: str,
                                     method: str) -> None:
    before, wiped, after, ident = run(fleet, slot, check.wipe_round(PLATFORM), params={"reboot_timeout": 60})
    owner = ("sysname ACME-", "local-user netops", "vlan batch 10 20 99",
             "snmp-agent community read Acm3RO", "startup configuration flash:/vrpcfg.zip", "flash:/backup-2019.cfg")
    factory = {"startup_config": "none (factory default)", "flash_files": "no configuration files"}
    check.assert_wipe_left_nothing(before, wiped, after, owner, factory)
    assert wiped.verified["method"] == method
    assert ident.hostname == harness[slot].spec.default_sysname


def test_console_walk_reaches_the_prompt_and_reads_identity(fleet: SimFleet) -> None:
    """Over the console line: the walk answers "Press ENTER to get started" and the login (platform.yaml)."""
    ident, env = check.over_console_walk(PACK, PLATFORM, fleet)
    truth = fleet.truth("S1")
    assert (ident.model, ident.serial) == (truth["model"], truth["serial"]) and ident.problems == []
    assert env.problems == [] and all(r.state is SensorState.OK for r in env.readings)


def test_wipe_without_a_cli_does_nothing_and_says_so(fleet: SimFleet) -> None:
    """Credentials the unit refuses (a previous owner's password): no steps, no waiting for a reboot."""
    rep, took = check.wipe_with_a_wrong_password(PACK, PLATFORM, fleet, "huawei")
    assert rep.steps == [] and took < 30
    assert rep.problems == ["the unit's CLI did not answer 'display version': no wipe attempted"]
