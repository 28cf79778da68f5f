"""fortinet collector against the simulated FortiGate family over real SSH (netmiko) and SNMP.

One fleet (seed 2) serves the module: S1 a healthy fanless FG-60E, S2 an FG-101F with environment faults and a
crash, S3 an FG-600E with port and optic faults, S4 an FG-101F (with a log disk) holding a previous owner's
configuration (wiped last). The simulator's own device objects, rebuilt from the same seed, are the harness map.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from helpers import platform_checks as check
from helpers.platform_fleet import Pack, fault_plan

from bench.model import ComponentKind, SensorState
from bench.platforms.fortinet.collector import (
    PLATFORM,
    config_leftovers,
    parse_crashlog,
    parse_nic,
    parse_sensors,
    parse_transceivers,
    uptime_of,
)
from bench.tests_hw.base import TestContext
from bench.tests_hw.environment import read_snmp
from simulators.families.fortinet_fortios.device import FortiDevice
from simulators.pytest_plugin import SimFleet

FAULTS = fault_plan(poe=False, extra="S4:crashinfo")
PACK = Pack("fortinet_fortios", profile="fortinet_fortios", driver="fortinet", faults=FAULTS, seed=2)
run = PACK.run


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimFleet]:
    yield from PACK.start(tmp_path_factory)


@pytest.fixture(scope="module")
def harness() -> dict[str, FortiDevice]:
    devs = PACK.devices()
    assert [d.model for d in devs.values()] == ["FortiGate-60E", "FortiGate-101F", "FortiGate-600E",
                                                "FortiGate-101F"]
    return devs


def test_platform_seam_picks_this_module() -> None:
    check.assert_seam_picks(PACK, PLATFORM)


def test_identity_matches_truth_and_snmp(fleet: SimFleet, harness: dict[str, FortiDevice]) -> None:
    for truth, dev, ident, snmp in check.read_identities(PACK, fleet, harness, PLATFORM):
        assert ident.os_version.startswith("v7.2.8,build1639") and ident.hostname == dev.spec.default_hostname
        assert ident.reload_reason == "power cycle" and ident.uptime_seconds is not None
        kinds = check.by_kind(ident)
        assert [c.serial for c in kinds[ComponentKind.CHASSIS]] == [truth["serial"]]
        assert len(kinds[ComponentKind.FAN]) == dev.spec.fans and len(kinds[ComponentKind.PSU]) == dev.spec.psus
        check.assert_optics_are_the_cabled_ones(ident, dev)
        assert {c.serial for c in snmp if c.serial} == {truth["serial"]} | {p.optic_serial for p in dev.ports
                                                                             if p.optic}


def test_environment_fanless_healthy_and_faulty(fleet: SimFleet) -> None:
    env = run(fleet, "S1", PLATFORM.environment)
    assert env.problems == [] and {r.kind for r in env.readings} == {"temperature"}  # FG-60E: no fan, no PSU
    assert all(r.state is SensorState.OK for r in env.readings)

    bad = run(fleet, "S2", PLATFORM.environment)
    failed = check.failing(bad.readings)
    assert failed == {("fan", "FAN1"), ("psu", "PS1 Status"), ("temperature", "CPU ON-DIE Temp")}


def test_a_fanless_unit_passes_the_environment_check_as_built(fleet: SimFleet) -> None:
    # The FG-60E has no fan and no internal PSU: the catalog says so, so its "no reading" is the unit as built,
    # not a WARN on every healthy desktop FortiGate. An uncatalogued model keeps the WARN.
    from bench.model import Outcome
    from bench.tests_hw import environment

    def check(model: str) -> Any:
        async def body(ctx: TestContext) -> Any:
            ctx.identity.model = model
            return await environment.run(ctx)
        return run(fleet, "S1", body)

    built = check("FortiGate-60E")
    assert built.outcome is Outcome.PASS, built.summary
    assert set(built.evidence["built_without"]) == {"fan", "psu"}
    unknown = check("FortiGate-60X-UNLISTED")
    assert unknown.outcome is Outcome.WARN and "fans: no reading" in unknown.summary


def test_environment_over_snmp_agrees_with_the_cli(fleet: SimFleet) -> None:
    """fgHwSensorTable (each sensor with the unit's alarm flag): what burn-in polls when the unit answers SNMP."""
    async def body(ctx: TestContext) -> Any:
        return await read_snmp(ctx.snmp)

    ok, _ = run(fleet, "S1", body)
    assert {r.kind for r in ok} == {"temperature"} and all(r.state is SensorState.OK for r in ok)  # fanless FG-60E
    bad, _ = run(fleet, "S2", body)
    assert {(r.kind, r.name) for r in bad if r.state is SensorState.FAIL} == {
        ("fan", "FAN1"), ("psu", "PS1 Status"), ("temperature", "CPU ON-DIE Temp")}


def test_logs_healthy_and_crash(fleet: SimFleet) -> None:
    ok = run(fleet, "S1", PLATFORM.logs)
    check.assert_logs_clean(ok, "power cycle")
    assert any("SSH server is enabled" in ln for ln in ok.lines)
    crash = run(fleet, "S2", PLATFORM.logs)
    assert crash.reload_reason == "kernel panic"
    assert crash.crash_files == ["crashlog: ipsengine: signal 11 (Segmentation fault)"]


def test_ports_links_counters_and_flaps(fleet: SimFleet, harness: dict[str, FortiDevice]) -> None:
    dev = harness["S1"]
    ports = run(fleet, "S1", PLATFORM.ports)
    assert ports.problems == []
    by = {p.name: p for p in ports.ports}
    assert list(by) == [p.name for p in dev.ports]
    for p in dev.ports:
        assert by[p.name].link_up is p.linked and by[p.name].counters["crc"] == 0, p.name
        if p.linked:
            assert by[p.name].speed_mbps == 1000 and by[p.name].duplex == "full"

    bad = harness["S3"]
    dead, crc, flap = check.faulty_ports(bad)
    a, b = run(fleet, "S3", check.watch_ports(PLATFORM, crc, flap, seconds=20))
    check.assert_port_faults(a, b, dead, crc, flap)


def test_poe_not_on_these_models(fleet: SimFleet) -> None:
    poe = run(fleet, "S1", PLATFORM.poe)
    assert not poe.supported and poe.problems == []


def test_optics_ok_and_dom_alarm(fleet: SimFleet, harness: dict[str, FortiDevice]) -> None:
    for slot in ("S2", "S3"):
        optics, dev = run(fleet, slot, PLATFORM.optics), harness[slot]
        assert optics.problems == []
        assert {(o.port, o.serial, o.pid) for o in optics.optics} == {(p.name, p.optic_serial, p.optic)
                                                                       for p in dev.ports if p.optic}
        for o in optics.optics:
            check.assert_dom(o, next(p for p in dev.ports if p.name == o.port).dom_alarm)
    assert any(p.dom_alarm for p in harness["S3"].ports)


def test_hostile_text_never_crashes() -> None:
    junk = "\x00\xff\x1b[31m 1 x alarm=9 value=NaN threshold_status=x\nInterface - \n------\nport1 a b c\n" * 50
    for fn in (parse_sensors, parse_nic, parse_transceivers, parse_crashlog, uptime_of):
        fn(junk)
    assert all(isinstance(x, str) for x in config_leftovers(junk, re.compile("^$"), []))
    assert parse_sensors(" 3 FAN1  alarm=1  value=0  threshold_status=4\n")[0]["kind"] == "fan"
    assert uptime_of("Uptime: 2 days,  3 hours,  4 minutes")[1] == 2 * 86_400 + 3 * 3_600 + 4 * 60


def test_wipe_erases_disk_resets_and_verifies(fleet: SimFleet, harness: dict[str, FortiDevice]) -> None:
    before, wiped, after, ident = run(fleet, "S4", check.wipe_round(PLATFORM), params={"reboot_timeout": 90})
    text = " ".join(before.remaining)
    assert before.problems == []
    for item in ("hostname ACME-FW", "admin netops", "admin with a stored hash", "SNMP v1/v2c access: entry 1",
                 "log syslogd setting: server 10.20.0.15"):
        assert item in text, item
    assert "Acm3RO" not in text and before.verified["crashlog"] == 1
    assert wiped.problems == [], wiped
    assert [s["command"] for s in wiped.steps] == ["execute erase-disk SSD; y", "execute factoryreset; y"]
    assert wiped.verified["method"] == "execute erase-disk SSD + execute factoryreset"
    assert after.problems == [] and after.remaining == [], after
    assert after.verified["startup_config"] == "factory default" and after.verified["crashlog"] == 0
    assert after.verified["flash_files"][0].startswith("FG101F-7.02-FW")
    assert ident.hostname == harness["S4"].spec.default_hostname and ident.reload_reason == "factory reset"
