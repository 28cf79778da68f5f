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
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.drivers.adapter import LazyChannel, console_cli_channel
from bench.drivers.channel import Credential
from bench.drivers.console.expect import Transcript
from bench.drivers.console.machine import ConsoleProfile
from bench.drivers.console.transport import LineSettings
from bench.drivers.snmp import SnmpTarget, close_shared_engine
from bench.drivers.ssh import SshSession
from bench.drivers.testing import Script
from bench.model import ComponentKind, Identity, SensorState
from bench.platforms import platform_for
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
from bench.tests_hw.base import SlotInfo, TestContext
from bench.tests_hw.identity import ENT_PHYSICAL, entity_components
from simulators.families.huawei_vrp.device import VrpDevice
from simulators.fleet import build_devices
from simulators.pytest_plugin import SimFleet, start_fleet

FAULTS = ("S2:fan_failed,S2:psu_failed,S2:overtemp,S2:crashinfo,"
          "S3:port_dead,S3:crc_errors,S3:link_flap,S3:poe_fault,S3:optic_dom_alarm,"
          "S4:leftover_config,S4:crashinfo,S5:leftover_config")
COUNT, SEED = 5, 3


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimFleet]:
    f = start_fleet(Path(tmp_path_factory.mktemp("vrp")), count=COUNT, families=["huawei_vrp"], faults=FAULTS,
                    seed=SEED)
    yield f
    f.stop()


@pytest.fixture(scope="module")
def harness() -> dict[str, VrpDevice]:
    return {d.slot: d for d in build_devices(COUNT, SEED, ["huawei_vrp"], FAULTS)}  # type: ignore[misc]


def sim_cli(fleet: SimFleet, slot: str) -> LazyChannel:
    """The engine's SSH channel to the slot with netmiko's `huawei` driver and the huawei_vrp templates."""
    host, port = fleet.slot(slot)["ssh"].rsplit(":", 1)
    c = fleet.credentials(slot)
    cred = Credential("factory", c["username"], c["password"], c.get("enable", ""))
    return LazyChannel("ssh", lambda: SshSession(host, int(port), "huawei", [cred], timeout=10,
                                                 textfsm_platform="huawei_vrp"),
                       "huawei_vrp", None, asyncio.Semaphore(1), SshSession.capabilities)


def run(fleet: SimFleet, slot: str, body: Any, params: dict[str, Any] | None = None) -> Any:
    async def main() -> Any:
        cli = sim_cli(fleet, slot)
        snmp = fleet.slot(slot)["snmp"]
        ctx = TestContext(slot=SlotInfo(slot), profile_name="huawei_vrp", params=params or {},
                          identity=Identity(), cli=cli,
                          snmp=SnmpTarget(snmp["host"], int(snmp["port"]), snmp["community"]))
        try:
            return await body(ctx)
        finally:
            await cli.close()
            close_shared_engine()

    return asyncio.run(main())


def test_fleet_models_as_documented(harness: dict[str, VrpDevice]) -> None:
    assert [harness[f"S{i}"].model for i in range(1, 6)] == ["S5720-28X-SI-AC", "AR2220", "S5720-28P-PWR-LI-AC",
                                                              "S5720-28X-SI-AC", "AR2220"]


def test_platform_seam_picks_this_module() -> None:
    cli = Script().channel(platform="huawei_vrp")
    ctx = TestContext(slot=SlotInfo("x"), profile_name="huawei_vrp", params={}, identity=Identity(), cli=cli)
    assert platform_for(ctx) is PLATFORM


def test_identity_matches_truth_and_snmp(fleet: SimFleet, harness: dict[str, VrpDevice]) -> None:
    for slot in ("S1", "S3", "S4"):
        truth, dev = fleet.truth(slot), harness[slot]

        async def body(ctx: TestContext) -> Any:
            return await PLATFORM.identity(ctx), entity_components(await ctx.snmp.walk(ENT_PHYSICAL))  # type: ignore[union-attr]

        ident, snmp = run(fleet, slot, body)
        assert ident.problems == []
        assert (ident.model, ident.serial) == (truth["model"], truth["serial"])
        assert ident.os_version == dev.spec.version
        assert ident.hostname == dev.spec.default_sysname or ident.hostname.startswith("ACME-")
        assert ident.uptime_seconds is not None and ident.uptime_seconds >= 60
        kinds = {k: [c for c in ident.components if c.kind is k] for k in ComponentKind}
        assert [c.serial for c in kinds[ComponentKind.CHASSIS]] == [truth["serial"]]
        # `display device` names supplies and fans by type; their serials come from ENTITY-MIB (merged by the test)
        assert {c.name for c in kinds[ComponentKind.PSU]} == {f"PWR{p.bay}" for p in dev.psus if p.present}
        assert {c.serial for c in kinds[ComponentKind.OPTIC]} == {p.optic_serial for p in dev.ports if p.optic}
        cli_fru = {c.serial for c in ident.components if c.serial}
        for c in snmp:  # every chassis and optic SNMP knows by serial, the CLI names with the same serial
            if c.serial and c.kind in (ComponentKind.CHASSIS, ComponentKind.OPTIC):
                assert c.serial in cli_fru, c


def test_environment_healthy_and_faulty(fleet: SimFleet) -> None:
    env = run(fleet, "S1", PLATFORM.environment)
    assert env.problems == []
    assert {r.kind for r in env.readings} == {"fan", "psu", "temperature"}
    assert all(r.state is SensorState.OK for r in env.readings), env.readings
    temp = next(r for r in env.readings if r.kind == "temperature")
    assert temp.fail_at == 80 and temp.value is not None and temp.value < 70

    bad = run(fleet, "S2", PLATFORM.environment)
    failed = {(r.kind, r.name) for r in bad.readings if r.state is SensorState.FAIL}
    assert failed == {("fan", "Slot 0 FAN1"), ("psu", "Slot 0 PWR1"), ("temperature", "Slot 0")}


def test_logs_healthy_and_crashes(fleet: SimFleet) -> None:
    ok = run(fleet, "S1", PLATFORM.logs)
    assert ok.problems == [] and ok.crash_files == [] and ok.reload_reason == "Cold reboot"
    assert any("SYS_RESTART" in ln for ln in ok.lines)
    crash = run(fleet, "S2", PLATFORM.logs)
    assert crash.reload_reason == "Exception"
    assert any(f.startswith("flash:/corefile/node1_snmpd_") for f in crash.crash_files)
    assert any("hwSysCoreDump" in ln for ln in crash.lines) and any("hwFanInvalid" in ln for ln in crash.lines)


def test_ports_links_counters_and_flaps(fleet: SimFleet, harness: dict[str, VrpDevice]) -> None:
    dev = harness["S1"]
    ports = run(fleet, "S1", PLATFORM.ports)
    assert ports.problems == []
    assert [p.name for p in ports.ports] == [p.name for p in dev.ports]
    by = {p.name: p for p in ports.ports}
    for p in dev.ports:
        got = by[p.name]
        assert got.link_up is p.up(dev.uptime()), p.name
        assert got.admin_up is True and got.counters["crc"] == 0
        if got.link_up:
            assert got.speed_mbps == p.speed_mbps() and got.duplex == "full" and got.counters["rx_bytes"] > 0
        assert {"crc", "input_errors", "output_errors", "runts", "giants"} <= set(got.counters)

    bad = harness["S3"]
    dead = next(p.name for p in bad.ports if p.dead)
    crc = next(p.name for p in bad.ports if p.crc)
    flap = next(p.name for p in bad.ports if p.flap)

    async def twice(ctx: TestContext) -> Any:
        first = await PLATFORM.ports(ctx)
        deadline = time.monotonic() + 15
        while True:  # until the flapping port has been seen both up and down, and CRCs grew
            second = await PLATFORM.ports(ctx)
            a, b = {p.name: p for p in first.ports}, {p.name: p for p in second.ports}
            if (b[crc].counters["crc"] > a[crc].counters["crc"] and a[flap].link_up != b[flap].link_up) \
                    or time.monotonic() > deadline:
                return a, b
            first = second if a[flap].link_up == b[flap].link_up else first

    a, b = run(fleet, "S3", twice)
    assert a[dead].link_up is False and b[dead].link_up is False
    assert b[crc].counters["crc"] > a[crc].counters["crc"] > 0
    assert a[flap].link_up != b[flap].link_up


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
        optics = run(fleet, slot, PLATFORM.optics)
        dev = harness[slot]
        assert optics.problems == []
        assert {(o.port, o.serial) for o in optics.optics} == {(p.name, p.optic_serial) for p in dev.ports if p.optic}
        for o in optics.optics:
            port = next(p for p in dev.ports if p.name == o.port)
            assert {r.kind for r in o.readings} == {"temperature", "voltage", "bias", "tx_power", "rx_power"}
            bad = {r.kind for r in o.readings if r.state is not SensorState.OK}
            assert bad == ({"rx_power"} if port.dom_alarm else set()), o.readings
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
    async def body(ctx: TestContext) -> Any:
        before = await PLATFORM.verify_wiped(ctx)
        wiped = await PLATFORM.wipe(ctx)
        after = await PLATFORM.verify_wiped(ctx)
        return before, wiped, after, await PLATFORM.identity(ctx)

    before, wiped, after, ident = run(fleet, slot, body, params={"reboot_timeout": 60})
    text = " ".join(before.remaining)
    assert before.problems == []
    for item in ("sysname ACME-", "local-user netops", "vlan batch 10 20 99", "snmp-agent community read Acm3RO",
                 "startup configuration flash:/vrpcfg.zip", "flash:/backup-2019.cfg"):
        assert item in text, item
    assert wiped.problems == [], wiped
    assert wiped.verified["method"] == method
    assert wiped.verified["uptime_after_s"] < wiped.verified["uptime_before_s"]
    assert after.problems == [] and after.remaining == [], after
    assert after.verified["startup_config"] == "none (factory default)"
    assert after.verified["flash_files"] == "no configuration files"
    assert ident.hostname == harness[slot].spec.default_sysname


def test_console_walk_reaches_the_prompt_and_reads_identity(fleet: SimFleet) -> None:
    """Over the console line: the walk answers "Press ENTER to get started" and the login (platform.yaml)."""
    slot, c = fleet.slot("S1"), fleet.credentials("S1")

    async def main() -> Any:
        cli = console_cli_channel(slot["console"], [Credential("factory", c["username"], c["password"], "")],
                                  profile=ConsoleProfile.from_dict(PLATFORM.data.console_walk({})),
                                  settings=LineSettings(), platform="huawei_vrp", executor=None,
                                  gate=asyncio.Semaphore(1), transcript=Transcript(), recovery=[], power_cycle=None,
                                  walk_timeout=120)
        ctx = TestContext(slot=SlotInfo("S1"), profile_name="huawei_vrp", params={}, identity=Identity(), cli=cli)
        try:
            return await PLATFORM.identity(ctx), await PLATFORM.environment(ctx)
        finally:
            await cli.close()

    ident, env = asyncio.run(main())
    truth = fleet.truth("S1")
    assert (ident.model, ident.serial) == (truth["model"], truth["serial"]) and ident.problems == []
    assert env.problems == [] and all(r.state is SensorState.OK for r in env.readings)


def test_wipe_without_a_cli_does_nothing_and_says_so(fleet: SimFleet) -> None:
    """Credentials the unit refuses (a previous owner's password): no steps, no waiting for a reboot."""
    host, port = fleet.slot("S1")["ssh"].rsplit(":", 1)
    wrong = Credential("factory", "admin", "not-the-password", "")

    async def main() -> Any:
        cli = LazyChannel("ssh", lambda: SshSession(host, int(port), "huawei", [wrong], timeout=10,
                                                    textfsm_platform="huawei_vrp"),
                          "huawei_vrp", None, asyncio.Semaphore(1), SshSession.capabilities)
        ctx = TestContext(slot=SlotInfo("S1"), profile_name="huawei_vrp", params={"reboot_timeout": 20},
                          identity=Identity(), cli=cli)
        try:
            t0 = time.monotonic()
            return await PLATFORM.wipe(ctx), time.monotonic() - t0
        finally:
            await cli.close()

    rep, took = asyncio.run(main())
    assert rep.steps == [] and took < 30
    assert rep.problems == ["the unit's CLI did not answer 'display version': no wipe attempted"]
