"""mikrotik_routeros collector against the simulated RouterOS family over real SSH (netmiko) and SNMP.

One fleet serves the module: S1 healthy, S2 environment faults and a kernel-failure dump, S3 port, PoE and
optic faults, S4 a previous owner's configuration, users and files (wiped last). The simulator's own device
objects, rebuilt from the same seed, are the harness map (which ports are cabled, which optics sit where).
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest
from helpers import platform_checks as check
from helpers.platform_fleet import Pack, fault_plan
from helpers.realdata import REAL

from bench.drivers.testing import Script
from bench.model import ComponentKind, SensorState
from bench.platforms.mikrotik_routeros.collector import (
    PLATFORM,
    config_leftovers,
    dom_readings,
    eeprom_limits,
    health_readings,
    health_rows,
    key_values,
    parse_log,
    uptime_seconds,
)
from bench.tests_hw.base import TestContext
from bench.tests_hw.snmp_identity import read_snmp_identity
from simulators.families.mikrotik_routeros.device import RouterOsDevice
from simulators.pytest_plugin import SimFleet

FAULTS = fault_plan()
# Seed 3: S2 lands on a model with fans and two supplies (asserted below), S3 on a PoE model
PACK = Pack("mikrotik_routeros", profile="mikrotik_routeros", driver="mikrotik_routeros", faults=FAULTS, seed=3)
fleet, harness = PACK.fixtures()
run = PACK.run


def test_platform_seam_picks_this_module() -> None:
    check.assert_seam_picks(PACK, PLATFORM)


def test_identity_matches_truth_and_snmp(fleet: SimFleet, harness: dict[str, RouterOsDevice]) -> None:
    for slot in ("S1", "S3"):
        truth, dev = fleet.truth(slot), harness[slot]

        async def body(ctx: TestContext) -> Any:
            return await PLATFORM.identity(ctx), (await read_snmp_identity(ctx.snmp)).identity

        ident, snmp = run(fleet, slot, body)
        assert ident.problems == []
        assert (ident.model, ident.serial) == (truth["model"], truth["serial"])
        assert (snmp.model, snmp.serial) == (truth["model"], truth["serial"])
        assert snmp.serial_source == "MIKROTIK-MIB mtxrSerialNumber"
        assert ident.os_version == "7.12.2 (stable)" and ident.hostname == "MikroTik"
        assert ident.uptime_seconds is not None and ident.uptime_seconds >= 60
        assert ident.reload_reason == "router was rebooted without proper shutdown"
        kinds = check.by_kind(ident)
        assert [c.serial for c in kinds[ComponentKind.CHASSIS]] == [truth["serial"]]
        assert len(kinds[ComponentKind.FAN]) == dev.spec.fans and len(kinds[ComponentKind.PSU]) == dev.spec.psus
        assert {(c.pid, c.serial) for c in kinds[ComponentKind.OPTIC]} == {
            (p.optic, p.optic_serial) for p in dev.ports if p.optic}


def test_environment_healthy_and_faulty(fleet: SimFleet, harness: dict[str, RouterOsDevice]) -> None:
    env = run(fleet, "S1", PLATFORM.environment)
    assert env.problems == []
    assert "temperature" in {r.kind for r in env.readings} and "psu" in {r.kind for r in env.readings}
    assert all(r.state is SensorState.OK for r in env.readings), env.readings
    cpu = next(r for r in env.readings if r.name == "cpu-temperature")
    assert cpu.fail_at == 105 and cpu.value is not None and cpu.value < 105

    assert harness["S2"].spec.fans and harness["S2"].spec.psus == 2
    bad = run(fleet, "S2", PLATFORM.environment)
    failed = check.failing(bad.readings)
    assert failed == {("fan", "fan1"), ("psu", "psu2"), ("temperature", "cpu-temperature")}, bad.readings


def test_single_supply_reads_its_input_voltage() -> None:
    rows = health_rows("Columns: NAME, VALUE, TYPE\n#  NAME         VALUE  TYPE\n0  voltage      8.7    V\n"
                       "1  temperature  35     C\n")
    readings = health_readings(rows, {"cpu-overtemp-threshold": "105C"})
    psu = next(r for r in readings if r.kind == "psu")
    assert psu.state is SensorState.FAIL and psu.value == 8.7
    # RouterOS 6 prints health as key: value lines, and no thresholds: the temperature is then unknown.
    old = health_readings(health_rows("  voltage: 24.1V\n  temperature: 37C\n  fan1-speed: 0RPM\n"), {})
    assert [(r.kind, r.state) for r in old] == [("psu", SensorState.OK), ("temperature", SensorState.UNKNOWN),
                                                ("fan", SensorState.FAIL)]


def test_logs_healthy_and_kernel_failure(fleet: SimFleet) -> None:
    ok = run(fleet, "S1", PLATFORM.logs)
    assert ok.problems == [] and ok.crash_files == []
    assert any("router rebooted" in ln for ln in ok.lines)

    crash = run(fleet, "S2", PLATFORM.logs)
    assert crash.reload_reason == "kernel failure in previous boot"
    assert crash.crash_files == ["autosupout.rif"]


def test_ports_links_counters_and_flaps(fleet: SimFleet, harness: dict[str, RouterOsDevice]) -> None:
    dev = harness["S1"]
    check.ports_as_cabled(run(fleet, "S1", PLATFORM.ports), dev)

    bad = harness["S3"]
    dead, crc, flap = check.faulty_ports(bad)
    a, b = run(fleet, "S3", check.watch_ports(PLATFORM, crc, flap))
    check.assert_port_faults(a, b, dead, crc, flap)


def test_poe_fault_and_boards_without_poe(fleet: SimFleet, harness: dict[str, RouterOsDevice]) -> None:
    dev = harness["S3"]
    poe = run(fleet, "S3", PLATFORM.poe)
    assert poe.supported and poe.problems == []
    assert [p.name for p in poe.ports] == [p.name for p in dev.ports if p.poe]
    assert {p.name for p in poe.ports if p.state == "fault"} == {p.name for p in dev.ports if p.poe_fault}
    assert {p.name for p in poe.ports if p.state == "on"} == {
        p.name for p in dev.ports if p.poe and p.linked and not p.dead and not p.poe_fault}
    for slot, d in harness.items():
        if not d.spec.poe:  # "bad command name poe": the board has no PoE out
            got = run(fleet, slot, PLATFORM.poe)
            assert got.supported is False and "bad command name poe" in got.problems[0]
            break


def test_optics_ok_and_dom_alarm(fleet: SimFleet, harness: dict[str, RouterOsDevice]) -> None:
    for slot in ("S1", "S3"):
        check.assert_optics_and_dom(run(fleet, slot, PLATFORM.optics), harness[slot], "alarm -15.0dBm..1.0dBm")
    assert any(p.dom_alarm for p in harness["S3"].ports)


REAL_MONITOR = REAL / "mikrotik_routeros" / "interface_ethernet_monitor_name_once" / \
    "mikrotik_routeros_interface_ethernet_monitor_name_once3.raw"


@pytest.mark.skipif(not REAL_MONITOR.is_file(), reason=f"real RouterOS output not present at {REAL_MONITOR}")
def test_dom_limits_from_a_real_modules_eeprom() -> None:
    text = REAL_MONITOR.read_text()
    limits = eeprom_limits(text)
    assert limits["temperature"] == (100.0, -40.0, 95.0, -35.0)
    assert limits["bias"] == (15.0, 0.5, 12.0, 1.0)
    assert [round(x, 4) for x in limits["rx_power"]] == [1.2589, 0.0316, 1.0, 0.0398]
    readings = dom_readings("sfp-sfpplus24", key_values(text), limits)
    assert [(r.kind, r.state) for r in readings] == [(k, SensorState.OK) for k in
                                                     ("temperature", "voltage", "bias", "tx_power", "rx_power")]
    assert eeprom_limits(text.replace("0090:", "0099:")) == {}  # a line out of place: no limits, not wrong ones


def test_hostile_text_never_crashes() -> None:
    junk = "\x00\xff\x1b[31m time=xx topics= message=\"\r\n0000: zz\n" * 50
    assert parse_log(junk) == ([], "")
    assert uptime_seconds("garbage") is None and uptime_seconds("1d6h22m") == 109_320.0
    assert uptime_seconds("6w5d11h55m45s") == 6 * 604_800 + 5 * 86_400 + 11 * 3_600 + 55 * 60 + 45
    assert eeprom_limits(junk) == {} and health_rows(junk) == [] and key_values(junk) == {}
    assert all(isinstance(x, str) for x in config_leftovers(junk, []))


def test_wipe_clears_leftover_config(fleet: SimFleet, harness: dict[str, RouterOsDevice]) -> None:
    before, wiped, after, ident = run(fleet, "S4", check.wipe_round(PLATFORM), params={"reboot_timeout": 60})
    text = " ".join(before.remaining)
    assert before.problems == []
    for item in ("set name=acme-edge", "add address=10.20.", "Acm3RO", "user noc", "-backup.backup",
                 "flash/acme-vpn.rsc"):
        assert item in text, item
    assert wiped.problems == [], wiped
    commands = [s["command"] for s in wiped.steps]
    assert commands[-1] == "/system reset-configuration no-defaults=yes skip-backup=yes; y"
    assert sum(c.startswith("/file remove") for c in commands) == 2
    assert wiped.verified["method"].startswith("/system reset-configuration no-defaults=yes")
    assert wiped.verified["uptime_after_s"] < wiped.verified["uptime_before_s"]
    assert after.problems == [] and after.remaining == [], after
    assert after.verified["startup_config"] == "factory default (no-defaults)"
    assert after.verified["flash_files"] == [] and after.verified["users"] == ["admin"]
    assert ident.hostname == "MikroTik"
    assert re.search("reset configuration", ident.reload_reason)


def test_no_wipe_when_the_cli_does_not_answer() -> None:
    """A previous owner's password: the bench cannot log in, so it must not report a reset it never sent."""
    from bench.errors import AccessDenied

    script = Script(refuse_login=AccessDenied("authentication failed with credential sets factory"))
    ctx = PACK.offline(script, params={"reboot_timeout": 1})

    async def body() -> Any:
        return await PLATFORM.wipe(ctx)

    rep = asyncio.run(body())
    assert rep.steps == [] and "was not reset" in rep.problems[0]


def test_environment_over_snmp_reads_mikrotik_gauges(fleet: SimFleet) -> None:
    from bench.tests_hw.environment import read_snmp

    async def body(ctx: TestContext) -> Any:
        return await read_snmp(ctx.snmp)

    healthy, _ = run(fleet, "S1", body)
    assert {(r.kind, r.name, r.state) for r in healthy} == {
        ("fan", "fan1", SensorState.OK), ("fan", "fan2", SensorState.OK),
        ("psu", "psu1", SensorState.OK), ("psu", "psu2", SensorState.OK)}
    faulty, _ = run(fleet, "S2", body)
    assert {(r.kind, r.name) for r in faulty if r.state is SensorState.FAIL} == {("fan", "fan1"), ("psu", "psu2")}
    assert all(r.detail.startswith("snmp: mtxrGaugeValue") for r in faulty)


def test_a_passively_cooled_board_says_so_and_an_unknown_one_does_not() -> None:
    health = ("Columns: NAME, VALUE, TYPE\n#  NAME         VALUE  TYPE\n0  voltage      24.1   V\n"
              "1  temperature  35     C\n")
    settings = "  cpu-overtemp-check: yes\n  cpu-overtemp-threshold: 105C\n"

    def env_of(model: str) -> Any:
        script = Script({"/system health print": health, "/system health settings print": settings,
                         "/system routerboard print": f"  routerboard: yes\n  model: {model}\n"},
                        prompt="[admin@MikroTik] > ")
        return asyncio.run(PLATFORM.environment(PACK.offline(script)))

    fans = [r for r in env_of("CRS326-24G-2S+").readings if r.kind == "fan"]
    assert [(r.name, r.state) for r in fans] == [("cooling", SensorState.OK)] and "passively cooled" in fans[0].detail
    assert not [r for r in env_of("RB5009UG+S+").readings if r.kind == "fan"]  # not catalogued: no claim


def test_renamed_and_disabled_ports_are_read() -> None:
    from bench.platforms.mikrotik_routeros.collector import ethernet_rows

    text = ("Flags: X - disabled, R - running, S - slave\n #    NAME       MTU MAC-ADDRESS       ARP     SWITCH\n"
            " 0 R  ether1-WAN 1500 48:A9:8A:10:20:01 enabled switch1\n"
            " 1 X  uplink     1500 48:A9:8A:10:20:02 enabled switch1\n"
            " 2    ether3     1500 48:A9:8A:10:20:03 enabled switch1\n")
    assert ethernet_rows(text) == [("ether1-WAN", "R"), ("uplink", "X"), ("ether3", "")]
