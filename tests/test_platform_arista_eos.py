"""The arista_eos collector against the simulated family over real SSH, and its parsers on hostile text.

One simulated fleet serves every slot; a twin built from the same seed is the model the readings must
equal (serials, optics, harness), since the bench file's `truth` only names model, serial and faults.
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

from bench.drivers.ssh import SshError
from bench.drivers.testing import Script
from bench.model import ComponentKind, Identity, SensorState
from bench.platforms import Ports, platform_for
from bench.platforms.arista_eos.collector import (
    PLATFORM,
    config_leftovers,
    dom_reading,
    inventory_components,
    log_lines,
    port_states,
    uptime_seconds,
)
from bench.profiles import load_profile_file
from bench.tests_hw.base import SlotInfo, TestContext
from simulators.families.arista_eos.device import MODELS
from simulators.fleet import build_devices
from simulators.pytest_plugin import SimFleet, start_fleet

# One port fault per slot: a unit may have a single cabled port, and a dead port shows no CRC growth.
FAULTS = ("S2:fan_failed,S2:psu_failed,S2:overtemp,S3:parity_crash,S4:crashinfo,S4:port_dead,S5:optic_dom_alarm,"
          "S6:leftover_config,S7:crc_errors,S8:link_flap")
COUNT, SEED = 8, 1


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimFleet]:
    f = start_fleet(Path(tmp_path_factory.mktemp("eos")), count=COUNT, families=["arista_eos"], faults=FAULTS,
                    seed=SEED)
    yield f
    f.stop()


@pytest.fixture(scope="module")
def twins() -> dict[str, Any]:
    """Devices built from the same seed and faults as the fleet's: the model the bench must read."""
    return {d.slot: d for d in build_devices(COUNT, SEED, ["arista_eos"], FAULTS)}


def run(fleet: SimFleet, slot: str, call: Any) -> Any:
    cli = sim_cli(fleet, slot, "arista_eos")
    ctx = TestContext(slot=SlotInfo(slot), profile_name="arista_eos", params={"reload_poll": 0.5},
                      identity=Identity(), cli=cli)

    async def go() -> Any:
        return await call(ctx)

    try:
        return asyncio.run(go())
    finally:
        cli.abandon()


def _short(name: str) -> str:
    return name.replace("Ethernet", "Et")


# ---------------------------------------------------------------- identity
def test_identity_equals_the_model(fleet: SimFleet, twins: dict[str, Any]) -> None:
    truth, twin = fleet.truth("S1"), twins["S1"]
    cli = sim_cli(fleet, "S1", "arista_eos")  # never opened: only its platform name matters here
    assert platform_for(TestContext(SlotInfo("x"), "p", {}, Identity(), cli=cli)) is PLATFORM
    ident = run(fleet, "S1", PLATFORM.identity)
    assert ident.problems == []
    assert (ident.model, ident.serial, ident.os_version) == (truth["model"], truth["serial"], twin.version)
    assert ident.hostname == "localhost"
    assert ident.uptime_seconds is not None and 60 <= ident.uptime_seconds <= 3600
    assert ident.reload_reason == twin.reload_cause
    kinds = {k: [c for c in ident.components if c.kind is k] for k in ComponentKind}
    assert [(c.pid, c.serial) for c in kinds[ComponentKind.CHASSIS]] == [(truth["model"], truth["serial"])]
    assert [(c.pid, c.serial) for c in kinds[ComponentKind.PSU]] == [(p.pid, p.serial) for p in twin.psus]
    assert [c.pid for c in kinds[ComponentKind.FAN]] == [f.pid for f in twin.fans]
    assert sorted((c.pid, c.serial) for c in kinds[ComponentKind.OPTIC]) == sorted(
        (p.optic, p.optic_serial) for p in twin.ports if p.optic)
    assert all(c.source == "cli" for c in ident.components)


# ---------------------------------------------------------------- environment
def test_environment_healthy_is_all_ok_with_the_units_limits(fleet: SimFleet, twins: dict[str, Any]) -> None:
    env = run(fleet, "S1", PLATFORM.environment)
    assert env.problems == [] and env.absent == []
    assert env.readings and all(r.state is SensorState.OK for r in env.readings), env.readings
    by_kind = {k: [r for r in env.readings if r.kind == k] for k in ("fan", "psu", "temperature")}
    assert len(by_kind["psu"]) == 2 and len(by_kind["fan"]) == 4 + 2  # trays and each PSU's fan
    limits = [(r.warn_at, r.fail_at) for r in by_kind["temperature"]]
    assert limits == [(float(t.alert), float(t.critical)) for t in twins["S1"].temps]


def test_environment_faults_are_fail_readings(fleet: SimFleet) -> None:
    env = run(fleet, "S2", PLATFORM.environment)
    failed = {(r.kind, r.name) for r in env.readings if r.state is SensorState.FAIL}
    assert ("fan", "1/1") in failed
    assert ("psu", "PowerSupply2") in failed
    hot = [r for r in env.readings if r.kind == "temperature" and r.state is SensorState.FAIL]
    assert len(hot) == 1 and "Front-panel" in hot[0].name and hot[0].value >= hot[0].fail_at == 75.0
    assert not any(r.state is SensorState.OK for r in env.readings if r.name in ("1/1", "PowerSupply2"))


# ---------------------------------------------------------------- logs
def test_logs_healthy_has_no_crash(fleet: SimFleet) -> None:
    logs = run(fleet, "S1", PLATFORM.logs)
    assert logs.problems == [] and logs.crash_files == []
    assert any("%SYS-5-CONFIG_STARTUP" in line for line in logs.lines)
    assert "Power Loss" in logs.reload_reason


def test_logs_parity_crash_and_crashinfo(fleet: SimFleet) -> None:
    parity = run(fleet, "S3", PLATFORM.logs)
    assert any("parity error" in line for line in parity.lines)
    assert "crash" in parity.reload_reason
    assert any(f.startswith("flash:/debug/core.") for f in parity.crash_files)
    crash = run(fleet, "S4", PLATFORM.logs)
    assert {f.rsplit("/", 1)[1].split(".")[0] for f in crash.crash_files} >= {"core", "kernel-crash"}


# ---------------------------------------------------------------- ports
def test_ports_healthy_link_per_the_harness(fleet: SimFleet, twins: dict[str, Any]) -> None:
    twin = twins["S1"]
    got = run(fleet, "S1", PLATFORM.ports)
    assert got.problems == []
    assert [p.name for p in got.ports] == [p.name for p in twin.ports]
    linked = {p.name for p in got.ports if p.link_up}
    assert linked == {p.name for p in twin.ports if p.cabled} and linked
    for p, t in zip(got.ports, twin.ports, strict=True):
        assert p.admin_up is True and p.err_disabled is False
        assert p.counters["crc"] == p.counters["input_errors"] == p.counters["runts"] == 0
        assert p.counters["link_status_changes"] == (1 if p.link_up else 0)
        if p.link_up:
            assert (p.speed_mbps, p.duplex) == (t.speed_mbps, "full")
            assert p.media == ("copper" if t.kind == "10gbaset" else "fiber")


def test_port_faults_dead_crc_growing_and_flapping(fleet: SimFleet, twins: dict[str, Any]) -> None:
    dead = next(p.name for p in twins["S4"].ports if p.dead)
    crc = next(p.name for p in twins["S7"].ports if p.crc)
    flap = next(p.name for p in twins["S8"].ports if p.flap)
    assert {p.name: p for p in run(fleet, "S4", PLATFORM.ports).ports}[dead].link_up is False
    flapping = {p.name: p for p in run(fleet, "S8", PLATFORM.ports).ports}[flap]
    assert flapping.counters["link_status_changes"] > 1

    async def twice(ctx: TestContext) -> tuple[Ports, Ports]:
        first = await PLATFORM.ports(ctx)
        deadline = time.monotonic() + 10
        while True:  # re-read until the counter moves; the deadline fails the test if it never does
            ctx.cache.clear()
            second = await PLATFORM.ports(ctx)
            grown = {p.name: p.counters["crc"] for p in second.ports}[crc] > {
                p.name: p.counters["crc"] for p in first.ports}[crc]
            if grown or time.monotonic() > deadline:
                return first, second

    first, second = run(fleet, "S7", twice)
    before, after = {p.name: p for p in first.ports}[crc].counters, {p.name: p for p in second.ports}[crc].counters
    assert after["crc"] > before["crc"] > 0 and after["input_errors"] > 0
    assert all(p.counters["crc"] == 0 for p in second.ports if p.name != crc)


# ---------------------------------------------------------------- PoE
def test_poe_not_supported_on_these_models(fleet: SimFleet) -> None:
    poe = run(fleet, "S1", PLATFORM.poe)
    assert poe.supported is False and poe.ports == [] and poe.problems == []


# ---------------------------------------------------------------- optics
def test_optics_healthy_all_ok(fleet: SimFleet, twins: dict[str, Any]) -> None:
    got = run(fleet, "S1", PLATFORM.optics)
    assert got.problems == []
    assert sorted((o.port, o.pid, o.serial) for o in got.optics) == sorted(
        (p.name, p.optic, p.optic_serial) for p in twins["S1"].ports if p.optic)
    for o in got.optics:
        assert [r.kind for r in o.readings] == ["temperature", "voltage", "bias", "tx_power", "rx_power"]
        assert all(r.state is SensorState.OK and r.value is not None for r in o.readings), o


def test_optic_dom_alarm_is_a_fail_against_the_modules_own_threshold(fleet: SimFleet,
                                                                      twins: dict[str, Any]) -> None:
    twin = twins["S5"]
    bad = next(p for p in twin.ports if p.dom_alarm)
    got = run(fleet, "S5", PLATFORM.optics)
    optic = next(o for o in got.optics if o.port == bad.name)
    rx = next(r for r in optic.readings if r.kind == "rx_power")
    low_alarm = twin.dom_thresholds(bad)[4][3]
    assert rx.state is SensorState.FAIL and rx.value <= low_alarm and f"alarm {low_alarm}.." in rx.detail
    others = [r for o in got.optics if o.port != bad.name for r in o.readings]
    assert others and all(r.state is SensorState.OK for r in others)


# ---------------------------------------------------------------- wipe
def test_factory_unit_verifies_clean(fleet: SimFleet) -> None:
    rep = run(fleet, "S1", PLATFORM.verify_wiped)
    assert rep.problems == [] and rep.remaining == []
    assert rep.verified["startup_config"] == "factory default"
    assert rep.verified["channel"] == "cli"  # the sanitization summary says "verified ... over cli"


def test_wipe_removes_a_previous_owners_config(fleet: SimFleet) -> None:
    async def wipe_cycle(ctx: TestContext) -> tuple[Any, Any, Any]:
        return await PLATFORM.verify_wiped(ctx), await PLATFORM.wipe(ctx), await PLATFORM.verify_wiped(ctx)

    before, wipe, after = run(fleet, "S6", wipe_cycle)
    left = " | ".join(before.remaining)
    for owner in ("hostname acme-leaf", "user netops", "vlan 10", "ip domain-name corp.acme.example",
                  "snmp-server community <redacted>", "logging host"):
        assert owner in left
    assert "Acm3RO" not in left  # the community string itself is not copied into the record
    assert wipe.problems == [], wipe
    assert [s["command"] for s in wipe.steps][-3:-1] == ["delete flash:startup-config", "reload now"]
    assert "back after reload" in wipe.verified
    assert after.problems == [] and after.remaining == [], after
    assert after.verified["startup_config"] == "absent"
    ident = run(fleet, "S6", PLATFORM.identity)
    assert ident.hostname == "localhost" and ident.uptime_seconds is not None and ident.uptime_seconds < 120


# ---------------------------------------------------------------- profile
def test_profile_identifies_every_simulated_model_and_has_the_plans() -> None:
    profile = load_profile_file(Path(__file__).parent.parent / "profiles" / "arista_eos.yaml")
    for m in MODELS.values():
        assert profile.matches(sys_object_id=m.sys_object_id) and profile.matches(pid=m.pid)
        assert profile.matches(show_version=f"Arista {m.pid}\nHardware version:    {m.hw_rev}\n")
    assert not profile.matches(sys_object_id="1.3.6.1.4.1.9.1.1208", pid="WS-C2960X-48TS-L")
    assert profile.plan("quick") == ["identity", "authenticity", "stolen", "environment", "logs"]
    assert profile.plan("full") == profile.plan("quick") + ["ports", "poe", "optics", "burnin", "sanitization"]
    assert profile.plan("burnin") == ["identity", "burnin"]
    assert all(profile.matches(show_version=m) is False for m in ("Cisco IOS Software", "JUNOS"))


# ---------------------------------------------------------------- hostile and odd output
GARBAGE = "\x1b[2J\x00%%%% \xff\n  is is is\nEthernet1 is\n---- ----\n" + "x" * 5000


def test_parsers_do_not_crash_on_garbage() -> None:
    assert uptime_seconds(GARBAGE) is None
    assert uptime_seconds("1 week, 2 days, 3 hours and 1 minute") == 604_800 + 2 * 86_400 + 3 * 3600 + 60
    assert log_lines("Log Buffer:\n\nMar 1 a: b\n") == ["Mar 1 a: b"]
    assert isinstance(log_lines(GARBAGE), list)
    assert port_states([{"interface": "Ethernet1", "link_status": "", "protocol_status": ""}], GARBAGE, []) == [
        port_states([{"interface": "Ethernet1"}], "", [])[0]]
    p = port_states([{"interface": "Ethernet1", "link_status": "down", "protocol_status": "down (errdisabled)"}],
                    "Ethernet1 is down, line protocol is down (errdisabled)\n", [])[0]
    assert (p.err_disabled, p.link_up, p.counters) == (True, False, {})
    assert isinstance(config_leftovers(GARBAGE), list)
    comps, absent = inventory_components([{"port": "", "pid": "DCS-X", "sn": "JPE1"},
                                          {"port": "2", "pid": "Not", "sn": "Present"}])
    assert [c.kind for c in comps] == [ComponentKind.CHASSIS] and absent == ["bay 2"]


def test_dom_without_value_or_thresholds_is_unknown_never_ok() -> None:
    na = dom_reading("rx_power", {"current_value": "N/A", "high_alarm_threshold": "2.0"})
    assert na.state is SensorState.UNKNOWN
    bare = dom_reading("temperature", {"current_value": "30.0"})
    assert bare.state is SensorState.UNKNOWN
    warn = dom_reading("temperature", {"current_value": "71", "high_alarm_threshold": "75",
                                       "high_warn_threshold": "70", "low_alarm_threshold": "-5",
                                       "low_warn_threshold": "0"})
    assert (warn.state, warn.warn_at, warn.fail_at) == (SensorState.WARN, 70.0, 75.0)


def test_lost_session_is_a_problem_not_a_healthy_reading() -> None:
    dead = Script([(re.compile(""), SshError("127.0.0.1:1: session lost"))]).channel(platform="arista_eos")
    ctx = TestContext(SlotInfo("S9"), "arista_eos", {}, Identity(), cli=dead)
    env = asyncio.run(PLATFORM.environment(ctx))
    assert env.readings == [] and len(env.problems) == 3
    ports = asyncio.run(PLATFORM.ports(ctx))
    assert ports.ports == [] and ports.problems
    poe = asyncio.run(PLATFORM.poe(ctx))
    assert poe.supported is False and poe.problems  # unknown model: said so, not silently "no PoE"


def test_every_collector_survives_garbage_and_claims_nothing_healthy() -> None:
    garbage = Script([(re.compile(""), GARBAGE)]).channel(platform="arista_eos")

    async def all_of(ctx: TestContext) -> list[Any]:
        return [await PLATFORM.identity(ctx), await PLATFORM.environment(ctx), await PLATFORM.logs(ctx),
                await PLATFORM.ports(ctx), await PLATFORM.optics(ctx), await PLATFORM.verify_wiped(ctx)]

    ident, env, logs, ports, optics, wiped = asyncio.run(
        all_of(TestContext(SlotInfo("S9"), "arista_eos", {}, Identity(), cli=garbage)))
    assert ident.problems and not ident.serial
    assert env.problems and not any(r.state is SensorState.OK for r in env.readings)
    assert logs.problems and logs.crash_files == []
    assert ports.problems and ports.ports == []
    assert optics.problems and optics.optics == []
    assert wiped.remaining or wiped.problems  # unreadable config is never "nothing left"
