"""hp_comware collector against the simulated Comware family over real SSH (netmiko's hp_comware driver) and SNMP.

One fleet (seed 4) serves the module: S1 a healthy H3C S5560, S2 environment faults and a parity crash, S3 a
PoE 5130 with port, PoE and optic faults, S4 a Comware 5 A5500 with a previous owner's configuration and a
core file (wiped by `reset saved-configuration` and `delete /unreserved`), S5 a Comware 7 5130 with a previous
owner's configuration (wiped by `restore factory-default`). The simulator's own device objects, rebuilt from
the same seed, are the harness map.
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
from bench.tests_hw.base import SlotInfo, TestContext
from bench.tests_hw.identity import ENT_PHYSICAL, entity_components
from simulators.families.hp_comware.device import ComwareDevice
from simulators.fleet import build_devices
from simulators.pytest_plugin import SimFleet, start_fleet

FAULTS = ("S2:fan_failed,S2:psu_failed,S2:overtemp,S2:parity_crash,"
          "S3:port_dead,S3:crc_errors,S3:link_flap,S3:poe_fault,S3:optic_dom_alarm,"
          "S4:leftover_config,S4:crashinfo,S5:leftover_config")
COUNT, SEED = 5, 4


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimFleet]:
    f = start_fleet(Path(tmp_path_factory.mktemp("cw")), count=COUNT, families=["hp_comware"], faults=FAULTS,
                    seed=SEED)
    yield f
    f.stop()


@pytest.fixture(scope="module")
def harness() -> dict[str, ComwareDevice]:
    return {d.slot: d for d in build_devices(COUNT, SEED, ["hp_comware"], FAULTS)}  # type: ignore[misc]


def run(fleet: SimFleet, slot: str, body: Any, params: dict[str, Any] | None = None) -> Any:
    async def main() -> Any:
        cli = sim_cli(fleet, slot, "hp_comware")
        snmp = fleet.slot(slot)["snmp"]
        ctx = TestContext(slot=SlotInfo(slot), profile_name="hp_comware", params=params or {},
                          identity=Identity(), cli=cli,
                          snmp=SnmpTarget(snmp["host"], int(snmp["port"]), snmp["community"]))
        try:
            return await body(ctx)
        finally:
            await cli.close()
            close_shared_engine()

    return asyncio.run(main())


def test_fleet_models_as_documented(harness: dict[str, ComwareDevice]) -> None:
    assert [harness[f"S{i}"].model for i in range(1, 6)] == ["S5560-30C-EI", "S5560-30C-EI", "JG936A", "JG311A",
                                                              "JG936A"]


def test_platform_seam_picks_this_module() -> None:
    cli = Script().channel(platform="hp_comware")
    ctx = TestContext(slot=SlotInfo("x"), profile_name="hp_comware", params={}, identity=Identity(), cli=cli)
    assert platform_for(ctx) is PLATFORM


def test_identity_matches_truth_and_snmp(fleet: SimFleet, harness: dict[str, ComwareDevice]) -> None:
    for slot in ("S1", "S3", "S4"):
        truth, dev = fleet.truth(slot), harness[slot]

        async def body(ctx: TestContext) -> Any:
            return await PLATFORM.identity(ctx), entity_components(await ctx.snmp.walk(ENT_PHYSICAL))  # type: ignore[union-attr]

        ident, snmp = run(fleet, slot, body)
        assert ident.problems == []
        assert (ident.model, ident.serial) == (truth["model"], truth["serial"])
        assert ident.os_version == dev.spec.version.replace(",", ",") and ident.hostname == dev.spec.default_sysname \
            or ident.hostname.startswith("ACME-")
        assert ident.uptime_seconds is not None and ident.uptime_seconds >= 60
        kinds = {k: [c for c in ident.components if c.kind is k] for k in ComponentKind}
        assert [c.serial for c in kinds[ComponentKind.CHASSIS]] == [truth["serial"]]
        assert {c.serial for c in kinds[ComponentKind.PSU]} == {p.serial for p in dev.psus if p.present and p.pid}
        assert {c.serial for c in kinds[ComponentKind.OPTIC]} == {p.optic_serial for p in dev.ports if p.optic}
        cli_fru = {c.serial: c.pid for c in ident.components if c.serial}
        for c in snmp:  # every FRU SNMP knows by serial, the CLI names with the same serial and PID
            if c.serial:
                assert cli_fru.get(c.serial) == c.pid, c


def test_environment_healthy_and_faulty(fleet: SimFleet) -> None:
    env = run(fleet, "S1", PLATFORM.environment)
    assert env.problems == []
    assert {r.kind for r in env.readings} == {"fan", "psu", "temperature"}
    assert all(r.state is SensorState.OK for r in env.readings), env.readings
    temp = next(r for r in env.readings if r.kind == "temperature")
    assert (temp.warn_at, temp.fail_at) == (70, 80) and temp.value is not None and temp.value < 70

    bad = run(fleet, "S2", PLATFORM.environment)
    failed = {(r.kind, r.name) for r in bad.readings if r.state is SensorState.FAIL}
    assert ("fan", "Slot 1 Fan 1") in failed and ("psu", "Slot 1 Power 1") in failed
    assert ("temperature", "Slot 1 hotspot 1") in failed


def test_logs_healthy_and_crashes(fleet: SimFleet) -> None:
    ok = run(fleet, "S1", PLATFORM.logs)
    assert ok.problems == [] and ok.crash_files == [] and ok.reload_reason == "Cold reboot"
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
    assert ports.problems == []
    assert [p.name for p in ports.ports] == [p.name for p in dev.ports]
    by = {p.name: p for p in ports.ports}
    for p in dev.ports:
        got = by[p.name]
        assert got.link_up is p.up(dev.uptime()), p.name
        assert got.admin_up is True and got.counters["crc"] == 0
        if got.link_up:
            assert got.speed_mbps == p.speed_mbps() and got.duplex == "full" and got.counters["rx_bytes"] > 0

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
    async def body(ctx: TestContext) -> Any:
        before = await PLATFORM.verify_wiped(ctx)
        wiped = await PLATFORM.wipe(ctx)
        after = await PLATFORM.verify_wiped(ctx)
        return before, wiped, after, await PLATFORM.identity(ctx)

    before, wiped, after, ident = run(fleet, slot, body, params={"reboot_timeout": 60})
    text = " ".join(before.remaining)
    assert before.problems == []
    for item in ("sysname ACME-", "local-user netops", "vlan 20", "snmp-agent community read Acm3RO",
                 "flash:/startup.cfg", "flash:/backup-2019.cfg"):
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
                                  settings=LineSettings(), platform="hp_comware", executor=None,
                                  gate=asyncio.Semaphore(1), transcript=Transcript(), recovery=[], power_cycle=None,
                                  walk_timeout=120)
        ctx = TestContext(slot=SlotInfo("S1"), profile_name="hp_comware", params={}, identity=Identity(), cli=cli)
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
        cli = LazyChannel("ssh", lambda: SshSession(host, int(port), "hp_comware", [wrong], timeout=10,
                                                    textfsm_platform="hp_comware"),
                          "hp_comware", None, asyncio.Semaphore(1), SshSession.capabilities)
        ctx = TestContext(slot=SlotInfo("S1"), profile_name="hp_comware", params={"reboot_timeout": 20},
                          identity=Identity(), cli=cli)
        try:
            t0 = time.monotonic()
            return await PLATFORM.wipe(ctx), time.monotonic() - t0
        finally:
            await cli.close()

    rep, took = asyncio.run(main())
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
