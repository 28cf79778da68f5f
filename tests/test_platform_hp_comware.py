"""hp_comware collector against the simulated Comware family over real SSH (netmiko's hp_comware driver) and SNMP.

One fleet (seed 4) serves the module: S1 a healthy H3C S5560, S2 environment faults and a parity crash, S3 a
PoE 5130 with port, PoE and optic faults, S4 a Comware 5 A5500 with a previous owner's configuration and a
core file (wiped by `reset saved-configuration` and `delete /unreserved`), S5 a Comware 7 5130 with a previous
owner's configuration (wiped by `restore factory-default`). The simulator's own device objects, rebuilt from
the same seed, are the harness map.
"""

from __future__ import annotations

import re
import time

import pytest
from helpers import platform_checks as check
from helpers.platform_fleet import Pack, fault_plan

from bench.drivers.channel import Credential
from bench.drivers.ssh import SshSession
from bench.model import ComponentKind, SensorState
from bench.platforms.hp_comware.collector import (
    PLATFORM,
    config_leftovers,
    dom_readings,
    parse_fans,
    parse_log,
    parse_poe,
    parse_power,
    parse_temperatures,
    uptime_seconds,
)
from simulators.families.hp_comware.device import ComwareDevice
from simulators.pytest_plugin import SimFleet

FAULTS = fault_plan(crash="parity_crash", extra="S4:crashinfo,S5:leftover_config")
PACK = Pack("hp_comware", profile="hp_comware", driver="hp_comware", faults=FAULTS, count=5, seed=4)
fleet, harness = PACK.fixtures()
run = PACK.run


def test_fleet_models_as_documented(harness: dict[str, ComwareDevice]) -> None:
    assert [harness[f"S{i}"].model for i in range(1, 6)] == ["S5560-30C-EI", "S5560-30C-EI", "JG936A", "JG311A",
                                                              "JG936A"]


def test_platform_seam_picks_this_module() -> None:
    check.assert_seam_picks(PACK, PLATFORM)


def test_identity_matches_truth_and_snmp(fleet: SimFleet, harness: dict[str, ComwareDevice]) -> None:
    for truth, dev, ident, snmp in check.read_identities(PACK, fleet, harness, PLATFORM, ("S1", "S3", "S4")):
        assert ident.os_version == dev.spec.version.replace(",", ",") and ident.hostname == dev.spec.default_sysname \
            or ident.hostname.startswith("ACME-")
        assert ident.uptime_seconds is not None and ident.uptime_seconds >= 60
        kinds = check.by_kind(ident)
        assert [c.serial for c in kinds[ComponentKind.CHASSIS]] == [truth["serial"]]
        assert {c.serial for c in kinds[ComponentKind.PSU]} == {p.serial for p in dev.psus if p.present and p.pid}
        check.assert_optics_are_the_cabled_ones(ident, dev)
        check.assert_cli_names_snmp_frus(ident, snmp)


def test_environment_healthy_and_faulty(fleet: SimFleet) -> None:
    env = run(fleet, "S1", PLATFORM.environment)
    check.assert_environment_healthy(env, absent=True)
    temp = next(r for r in env.readings if r.kind == "temperature")
    assert (temp.warn_at, temp.fail_at) == (70, 80) and temp.value is not None and temp.value < 70

    bad = run(fleet, "S2", PLATFORM.environment)
    failed = check.failing(bad.readings)
    assert ("fan", "Slot 1 Fan 1") in failed and ("psu", "Slot 1 Power 1") in failed
    assert ("temperature", "Slot 1 hotspot 1") in failed


def test_logs_healthy_and_crashes(fleet: SimFleet) -> None:
    ok = run(fleet, "S1", PLATFORM.logs)
    check.assert_logs_clean(ok, "Cold reboot")
    assert any("SYSTEM_REBOOT" in ln for ln in ok.lines)
    crash = run(fleet, "S2", PLATFORM.logs)
    assert crash.reload_reason == "Exception reboot"
    assert any(f.startswith("flash:/core/node1_ifmgr_") for f in crash.crash_files)
    assert any("PROCESS_CORE" in ln for ln in crash.lines) and any("FAN_FAILED" in ln for ln in crash.lines)
    old = run(fleet, "S4", PLATFORM.logs)  # Comware 5: the reason is `display reboot-type`'s, not the version's
    assert old.reload_reason == "Exception reboot" and old.problems == []


def test_ports_links_counters_and_flaps(fleet: SimFleet, harness: dict[str, ComwareDevice]) -> None:
    dev = harness["S1"]
    ports = run(fleet, "S1", PLATFORM.ports)
    check.ports_as_cabled(ports, dev, linked=lambda p: p.up(dev.uptime()), admin=True, input_errors=False)

    bad = harness["S3"]
    dead, crc, flap = check.faulty_ports(bad)
    a, b = run(fleet, "S3", check.watch_ports(PLATFORM, crc, flap))
    check.assert_port_faults(a, b, dead, crc, flap)


def test_poe_supported_fault_and_absent(fleet: SimFleet, harness: dict[str, ComwareDevice]) -> None:
    poe = run(fleet, "S3", PLATFORM.poe)
    dev = harness["S3"]
    assert poe.supported and poe.problems == [] and len(poe.ports) == dev.spec.copper
    assert {p.name for p in poe.ports if p.state == "fault"} == {p.name for p in dev.ports if p.poe_fault}
    assert all(p.watts and p.poe_class != "0" for p in poe.ports if p.state == "on")
    none = run(fleet, "S1", PLATFORM.poe)  # an S5560-30C-EI has no PoE: the command is refused
    assert none.supported is False and none.ports == []


def test_optics_ok_and_dom_alarm(fleet: SimFleet, harness: dict[str, ComwareDevice]) -> None:
    for slot in ("S1", "S3"):
        check.assert_optics_and_dom(run(fleet, slot, PLATFORM.optics), harness[slot])
    assert any(p.dom_alarm for p in harness["S3"].ports)


def test_parsers_on_comware5_and_hostile_text() -> None:
    # Comware 5 prints fans on one line and temperatures as slot/current/lower/upper.
    assert parse_fans(" Unit 1\n Fan 1 State: Normal\n Fan 2 State: Fault\n") == [
        {"name": "Slot 1 Fan 1", "state": "Normal"}, {"name": "Slot 1 Fan 2", "state": "Fault"}]
    assert parse_temperatures(" 1      45       0      65\n") == [
        {"name": "Slot 1", "current": 45.0, "warning": None, "alarm": 65.0}]
    lines = [" Alarm thresholds:", "    High  75  3.63  15.00  0.00  -1.00", "    Low   -5  2.97  2.00  -20.00  -11.00"]
    readings = dom_readings("XGE1/0/1", [" Current diagnostic parameters:", "   36 3.31 6.13 -21.3 -5.16", *lines])
    assert [r.state for r in readings] == [SensorState.OK] * 3 + [SensorState.FAIL, SensorState.OK]
    junk = "\x00\xff\x1b[31m%Jan 1 xx\r\n-- \n" * 50
    assert parse_log(junk) == [] and parse_power(junk) == [] and parse_poe(junk) == [] and parse_fans(junk) == []
    assert uptime_seconds("garbage") is None and uptime_seconds("1 week, 2 days, 0 hours, 3 minutes") == 777_780
    assert all(isinstance(x, str) for x in config_leftovers(junk, re.compile("^$"), []))


@pytest.mark.parametrize(("slot", "method"), [("S4", "reset saved-configuration + delete /unreserved"),
                                              ("S5", "restore factory-default")])
def test_wipe_clears_leftover_config(fleet: SimFleet, harness: dict[str, ComwareDevice], slot: str,
                                     method: str) -> None:
    before, wiped, after, ident = run(fleet, slot, check.wipe_round(PLATFORM), params={"reboot_timeout": 60})
    owner = ("sysname ACME-", "local-user netops", "vlan 20",
             "snmp-agent community read Acm3RO", "flash:/startup.cfg", "flash:/backup-2019.cfg")
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
    rep, took = check.wipe_with_a_wrong_password(PACK, PLATFORM, fleet, "hp_comware")
    assert rep.steps == [] and took < 30
    assert rep.problems == ["the unit's CLI did not answer 'display version': no wipe attempted"]


def test_a_prompt_left_over_before_a_command_does_not_end_its_answer(fleet: SimFleet) -> None:
    """netmiko's Comware driver does not wait for the echo: a prompt already waiting in the channel (a late
    answer to a bare Enter, as netmiko's own prompt finding leaves under load) ended `display version` at
    once, with nothing read; the answer then went to the next command."""
    host, port = fleet.slot("S1")["ssh"].rsplit(":", 1)
    creds = fleet.credentials("S1")
    session = SshSession(host, int(port), "hp_comware",
                         [Credential("factory", creds["username"], creds["password"], creds.get("enable", ""))],
                         timeout=10)
    session.open()
    try:
        chan = session._conn.remote_conn
        session._conn.write_channel("\n")  # the unit answers with its prompt alone
        deadline = time.monotonic() + 10
        while not chan.recv_ready() and time.monotonic() < deadline:
            time.sleep(0.01)  # until the stray prompt is waiting unread, as under load
        text = session.send("display version", timeout=20)
        assert "Comware Software" in text and "uptime is" in text, text
        assert "Comware Software" not in session.send("display clock", timeout=20)
    finally:
        session.close()
