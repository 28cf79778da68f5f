"""dell_os10 collector against the simulated OS10 family over real SSH (netmiko) and SNMP.

One fleet serves the module: S1 healthy, S2 environment faults and a kernel-panic core dump, S3 port and optic
faults, S4 a previous owner's configuration and files (wiped last). The simulator's own device objects, rebuilt
from the same seed, are the harness map (which ports are cabled, which optics sit where).
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers.cli_channels import sim_cli

from bench.drivers.snmp import SnmpTarget, close_shared_engine
from bench.drivers.testing import Script
from bench.model import ComponentKind, Identity, SensorState
from bench.platforms import platform_for
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
from bench.tests_hw.base import SlotInfo, TestContext
from bench.tests_hw.identity import ENT_PHYSICAL, entity_components
from simulators.families.dell_os10.device import Os10Device
from simulators.fleet import build_devices
from simulators.pytest_plugin import SimFleet, start_fleet

FAULTS = ("S2:fan_failed,S2:psu_failed,S2:overtemp,S2:crashinfo,"
          "S3:port_dead,S3:crc_errors,S3:link_flap,S3:optic_dom_alarm,"
          "S4:leftover_config")
COUNT = 4
SEED = 1


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimFleet]:
    f = start_fleet(Path(tmp_path_factory.mktemp("os10")), count=COUNT, families=["dell_os10"], faults=FAULTS)
    yield f
    f.stop()


@pytest.fixture(scope="module")
def harness() -> dict[str, Os10Device]:
    return {d.slot: d for d in build_devices(COUNT, SEED, ["dell_os10"], FAULTS)}  # type: ignore[misc]


def run(fleet: SimFleet, slot: str, body: Any, params: dict[str, Any] | None = None) -> Any:
    async def main() -> Any:
        cli = sim_cli(fleet, slot, "dell_os10")
        snmp = fleet.slot(slot)["snmp"]
        ctx = TestContext(slot=SlotInfo(slot), profile_name="dell_os10", params=params or {},
                          identity=Identity(), cli=cli,
                          snmp=SnmpTarget(snmp["host"], int(snmp["port"]), snmp["community"]))
        try:
            return await body(ctx)
        finally:
            await cli.close()
            close_shared_engine()

    return asyncio.run(main())


def test_platform_seam_picks_this_module() -> None:
    cli = Script().channel(platform="dell_os10")
    ctx = TestContext(slot=SlotInfo("x"), profile_name="dell_os10", params={}, identity=Identity(), cli=cli)
    assert platform_for(ctx) is PLATFORM


def test_identity_matches_truth_and_snmp(fleet: SimFleet, harness: dict[str, Os10Device]) -> None:
    for slot in ("S1", "S3"):
        truth, dev = fleet.truth(slot), harness[slot]

        async def body(ctx: TestContext) -> Any:
            return await PLATFORM.identity(ctx), entity_components(await ctx.snmp.walk(ENT_PHYSICAL))  # type: ignore[union-attr]

        ident, snmp = run(fleet, slot, body)
        assert ident.problems == []
        assert (ident.model, ident.serial) == (truth["model"], truth["serial"])
        assert ident.os_version == dev.spec.version and ident.hostname == "OS10"
        assert ident.uptime_seconds is not None and ident.uptime_seconds >= 60
        assert ident.reload_reason == "Cold reset"
        kinds = {k: [c for c in ident.components if c.kind is k] for k in ComponentKind}
        assert [c.serial for c in kinds[ComponentKind.CHASSIS]] == [truth["serial"]]
        assert dev.ppid in kinds[ComponentKind.CHASSIS][0].descr
        assert {c.serial for c in kinds[ComponentKind.PSU]} == {p.ppid for p in dev.psus}
        assert {c.serial for c in kinds[ComponentKind.FAN]} == {f.ppid for f in dev.fans}
        cli_fru = {c.serial: c.pid for c in ident.components if c.serial}
        for c in snmp:  # every FRU SNMP knows by serial, the CLI names with the same serial and PID
            if c.serial:
                assert cli_fru.get(c.serial) == c.pid, c
        assert {c.serial for c in kinds[ComponentKind.OPTIC]} == {p.optic_serial for p in dev.ports if p.optic}


def test_environment_healthy_and_faulty(fleet: SimFleet) -> None:
    env = run(fleet, "S1", PLATFORM.environment)
    assert env.problems == [] and env.absent == []
    assert {r.kind for r in env.readings} == {"fan", "psu", "temperature"}
    assert all(r.state is SensorState.OK for r in env.readings), env.readings

    bad = run(fleet, "S2", PLATFORM.environment)
    failed = {(r.kind, r.name) for r in bad.readings if r.state is SensorState.FAIL}
    assert ("fan", "Fan tray 1") in failed and ("psu", "PSU 1") in failed
    assert ("temperature", "System Inlet Ambient-1 temp sensor") in failed
    hot = next(r for r in bad.readings if r.name == "System Inlet Ambient-1 temp sensor")
    assert "EQM_THERMAL_CRIT" in hot.detail and hot.value is not None and hot.value >= 61


def test_logs_healthy_and_crash(fleet: SimFleet) -> None:
    ok = run(fleet, "S1", PLATFORM.logs)
    assert ok.problems == [] and ok.crash_files == [] and ok.reload_reason == "Cold reset"
    assert any("%SYSTEM_STATUS: System is ready" in ln for ln in ok.lines)

    crash = run(fleet, "S2", PLATFORM.logs)
    assert crash.reload_reason == "Kernel panic - not syncing: Fatal exception"
    assert len(crash.crash_files) == 1 and crash.crash_files[0].startswith("coredump:core.dn_eqm.")
    assert any("%EQM_FAN_FAIL" in ln for ln in crash.lines)


def test_ports_links_counters_and_flaps(fleet: SimFleet, harness: dict[str, Os10Device]) -> None:
    dev = harness["S1"]
    ports = run(fleet, "S1", PLATFORM.ports)
    assert ports.problems == []
    assert [p.name for p in ports.ports] == [p.name for p in dev.ports]
    by = {p.name: p for p in ports.ports}
    for p in dev.ports:
        got = by[p.name]
        assert got.link_up is p.linked, p.name
        assert got.counters["crc"] == 0 and got.counters["input_errors"] == 0
        if p.linked:
            assert got.speed_mbps == p.speed_mbps() and got.duplex == "full" and got.counters["rx_bytes"] > 0
    assert {"crc", "input_errors", "runts", "giants", "output_errors"} <= set(by[dev.ports[0].name].counters)

    bad = harness["S3"]
    dead = next(p.name for p in bad.ports if p.dead)
    crc = next(p.name for p in bad.ports if p.crc)
    flap = next(p.name for p in bad.ports if p.flap)

    async def twice(ctx: TestContext) -> Any:
        first = await PLATFORM.ports(ctx)
        deadline = time.monotonic() + 15
        while True:
            links = {p.name: p.link_up for p in (await PLATFORM.link_states(ctx)).ports}
            second = await PLATFORM.ports(ctx)
            a = {p.name: p for p in first.ports}
            b = {p.name: p for p in second.ports}
            if (b[crc].counters["crc"] > a[crc].counters["crc"] and a[flap].link_up != b[flap].link_up) \
                    or time.monotonic() > deadline:
                return a, b, links
            first = second if a[flap].link_up == b[flap].link_up else first

    a, b, links = run(fleet, "S3", twice)
    assert a[dead].link_up is False and b[dead].link_up is False and links[dead] is False
    assert b[crc].counters["crc"] > a[crc].counters["crc"] > 0
    assert b[crc].counters["input_errors"] >= b[crc].counters["crc"]
    assert a[flap].link_up != b[flap].link_up


def test_no_poe_on_s_and_z_series(fleet: SimFleet) -> None:
    poe = run(fleet, "S1", PLATFORM.poe)
    assert poe.supported is False and "Unrecognized command" in poe.problems[0]


def test_optics_ok_and_dom_alarm(fleet: SimFleet, harness: dict[str, Os10Device]) -> None:
    for slot in ("S1", "S3"):
        optics = run(fleet, slot, PLATFORM.optics)
        dev = harness[slot]
        assert optics.problems == []
        assert {(o.port, o.serial) for o in optics.optics} == {(p.name, p.optic_serial) for p in dev.ports if p.optic}
        for o in optics.optics:
            port = next(p for p in dev.ports if p.name == o.port)
            assert {r.kind for r in o.readings} == {"temperature", "voltage", "bias", "tx_power", "rx_power"}
            bad = {r.kind for r in o.readings if r.state is not SensorState.OK}
            if port.dom_alarm:
                rx = next(r for r in o.readings if r.kind == "rx_power")
                assert rx.state is SensorState.FAIL and "alarm 0.02..1.78" in rx.detail, rx
                assert bad == {"rx_power"}
            else:
                assert bad == set(), o.readings
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
    async def body(ctx: TestContext) -> Any:
        before = await PLATFORM.verify_wiped(ctx)
        wiped = await PLATFORM.wipe(ctx)
        after = await PLATFORM.verify_wiped(ctx)
        ident = await PLATFORM.identity(ctx)
        return before, wiped, after, ident

    before, wiped, after, ident = run(fleet, "S4", body, params={"reboot_timeout": 60})
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
    from bench import identify
    from bench.drivers.ssh import Credential
    from bench.profiles import Catalog

    catalog = Catalog.load()
    for slot in ("S1", "S3"):
        snmp = fleet.slot(slot)["snmp"]

        async def by_snmp(snmp: dict[str, Any] = snmp) -> Any:
            try:
                return await identify.by_snmp(SnmpTarget(snmp["host"], int(snmp["port"]), snmp["community"]),
                                              catalog)
            finally:
                close_shared_engine()

        profile, why, answered = asyncio.run(by_snmp())
        assert answered and profile is not None and profile.name == "dell_os10", why
        host, port = fleet.slot(slot)["ssh"].rsplit(":", 1)
        c = fleet.credentials(slot)
        answer = identify.by_ssh(host, int(port), [Credential("factory", c["username"], c["password"], "")],
                                 catalog, timeout=10, try_device_types=False)
        try:
            assert answer.profile is not None and answer.profile.name == "dell_os10", answer.why
        finally:
            answer.release()


def test_wipe_is_not_attempted_blind() -> None:
    """A unit whose CLI cannot be logged into (unknown password) is not waited on for a reboot that never comes."""

    async def body() -> Any:
        cli = Script().channel(platform="dell_os10")  # answers nothing: every command fails as a lost session
        ctx = TestContext(slot=SlotInfo("x"), profile_name="dell_os10", params={"reboot_timeout": 600},
                          identity=Identity(), cli=cli)
        t0 = time.monotonic()
        return await PLATFORM.wipe(ctx), time.monotonic() - t0

    rep, took = asyncio.run(body())
    assert took < 5 and rep.steps == [] and rep.problems[0].startswith("nothing wiped: the CLI did not answer")


def test_a_unit_refusing_the_credentials_is_told_how_it_is_recovered() -> None:
    from bench.drivers.ssh import AuthFailed

    async def body() -> Any:
        cli = Script({"show version": AuthFailed("127.0.0.1:22: authentication failed with credential sets factory")}) \
            .channel(platform="dell_os10")
        ctx = TestContext(slot=SlotInfo("x"), profile_name="dell_os10", params={}, identity=Identity(), cli=cli)
        return await PLATFORM.wipe(ctx)

    rep = asyncio.run(body())
    assert rep.steps == [] and "AuthFailed" in rep.problems[0] and "GRUB" in rep.problems[0]
