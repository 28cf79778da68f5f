"""The juniper_junos collector against simulated EX switches over real SSH and SNMP on loopback.

One fleet serves the module (seed 3: S1 a healthy EX2300-48P with two optics, S2 an EX4300-48T);
each fault sits on its own slot so a healthy slot stays a clean reference.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from helpers.cli_channels import sim_cli

from bench.drivers.snmp import SnmpTarget, close_shared_engine
from bench.drivers.testing import Script, ScriptedChannel, line_noise
from bench.model import ComponentKind, Identity, SensorState
from bench.platforms import platform_for
from bench.platforms.juniper_junos.collector import (
    PLATFORM,
    config_tree,
    environment_rows,
    leftovers,
    optic_blocks,
    optic_readings,
    parse_extensive,
    temperature_thresholds,
)
from bench.tests_hw.base import SlotInfo, TestContext
from bench.tests_hw.identity import ENT_PHYSICAL, entity_components
from simulators.pytest_plugin import SimFleet, start_fleet

T = TypeVar("T")
FAULTS = ("S2:fan_failed,S2:psu_failed,S3:overtemp,S3:parity_crash,S4:crashinfo,S4:port_dead,S4:crc_errors,"
          "S4:link_flap,S5:optic_dom_alarm,S6:leftover_config")


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimFleet]:
    f = start_fleet(Path(tmp_path_factory.mktemp("junos")), count=6, families=["juniper_junos"], faults=FAULTS,
                    seed=3)
    yield f
    f.stop()


def run(fleet: SimFleet, slot: str, body: Callable[[TestContext], Awaitable[T]], **params: Any) -> T:
    """Run `body` with a fresh TestContext on `slot`, closing the session and SNMP engine after."""
    cli = sim_cli(fleet, slot, "juniper_junos")

    async def main() -> T:
        ctx = TestContext(SlotInfo(slot), "juniper_junos", dict(params), Identity(), cli=cli)
        try:
            return await body(ctx)
        finally:
            close_shared_engine()

    try:
        return asyncio.run(main())
    finally:
        cli.abandon()


def snmp_components(fleet: SimFleet, slot: str) -> list[Any]:
    s = fleet.slot(slot)["snmp"]

    async def main() -> dict[str, Any]:
        try:
            return await SnmpTarget(s["host"], s["port"], s["community"]).walk(ENT_PHYSICAL)
        finally:
            close_shared_engine()

    return entity_components(asyncio.run(main()))


# ------------------------------------------------------------------------------------------ identity
def test_platform_registry_finds_the_collector(fleet: SimFleet) -> None:
    ctx = TestContext(SlotInfo("S1"), "juniper_junos", {}, Identity(), cli=sim_cli(fleet, "S1", "juniper_junos"))
    assert platform_for(ctx) is PLATFORM


def test_identity_of_a_healthy_unit_matches_truth_and_snmp(fleet: SimFleet) -> None:
    truth = fleet.truth("S1")
    ident = run(fleet, "S1", PLATFORM.identity)
    assert ident.problems == []
    assert (ident.model, ident.serial) == (truth["model"], truth["serial"])
    assert ident.os_version.startswith("21.4R3")
    assert ident.hostname == ""  # factory config: amnesiac, no host-name
    assert ident.uptime_seconds is not None and 60 < ident.uptime_seconds < 3600
    assert ident.uptime and ident.reload_reason == "0x1:power cycle/failure"
    kinds = {c.kind for c in ident.components}
    assert {ComponentKind.CHASSIS, ComponentKind.MODULE, ComponentKind.PSU, ComponentKind.FAN,
            ComponentKind.OPTIC} <= kinds
    optics = [c for c in ident.components if c.kind is ComponentKind.OPTIC]
    assert len(optics) == 2 and all(c.serial and c.pid.startswith("SFP") for c in optics)
    # Every serial the simulator's ENTITY-MIB names is one the CLI collector found, same model names.
    snmp = {(c.serial, c.pid) for c in snmp_components(fleet, "S1") if c.serial and c.serial != "BUILTIN"}
    cli = {(c.serial, c.pid) for c in ident.components}
    assert snmp and snmp <= cli


# ------------------------------------------------------------------------------------------ environment
def test_environment_of_a_healthy_unit_is_all_ok(fleet: SimFleet) -> None:
    env = run(fleet, "S1", PLATFORM.environment)
    assert env.problems == []
    assert {r.kind for r in env.readings} == {"fan", "psu", "temperature"}
    assert all(r.state is SensorState.OK for r in env.readings), env.readings
    temps = [r for r in env.readings if r.kind == "temperature"]
    assert len(temps) == 5 and all(r.value is not None and 20 < r.value < 60 for r in temps)


def test_failed_fan_and_psu_are_fail_readings(fleet: SimFleet) -> None:
    env = run(fleet, "S2", PLATFORM.environment)
    failed = {(r.kind, r.name) for r in env.readings if r.state is SensorState.FAIL}
    assert ("fan", "FPC 0 Fan Tray 0 Fan 0") in failed
    assert ("psu", "FPC 0 Power Supply 1") in failed
    assert all(r.state is SensorState.OK for r in env.readings if r.kind == "temperature")


def test_overtemp_is_a_fail_reading(fleet: SimFleet) -> None:
    env = run(fleet, "S3", PLATFORM.environment)
    hot = [r for r in env.readings if r.state is SensorState.FAIL]
    assert [(r.kind, r.name, r.value) for r in hot] == [("temperature", "FPC 0 Middle", 78.0)]


def test_environment_rows_and_thresholds_parse_realistic_output() -> None:
    text = ("Class Item                           Status     Measurement\n"
            "Power FPC 0 Power Supply 0           OK\n"
            "      FPC 0 Power Supply 1           Absent\n"
            "Temp  FPC 0 GEPHY Front Left         OK         34 degrees C / 93 degrees F\n"
            "      FPC 0 CPU                      Check      81 degrees C / 177 degrees F\n"
            "Fans  FPC 0 Fan Tray 0 Fan 0         Failed\n\x1b[31mgarbage\x00 line\n")
    rows = environment_rows(text)
    assert rows[1] == ("Power", "FPC 0 Power Supply 1", "Absent", "")
    assert rows[3] == ("Temp", "FPC 0 CPU", "Check", "81 degrees C / 177 degrees F")
    limits = temperature_thresholds(
        "                            Fan speed      Yellow alarm      Red alarm      Fire Shutdown\n"
        "                           (degrees C)      (degrees C)     (degrees C)      (degrees C)\n"
        "Item                     Normal  High   Normal  Bad fan   Normal  Bad fan     Normal\n"
        "Chassis default              48    54       65       55       75       65        100\n"
        "FPC 0 CPU                    50    55       70       60       80       70         95\n")
    assert limits["FPC 0 CPU"] == (70.0, 80.0)
    assert environment_rows("\x00\x1b[2J%%%\n}}}{{{\n") == []


# ------------------------------------------------------------------------------------------ logs
def test_logs_of_a_healthy_unit(fleet: SimFleet) -> None:
    ev = run(fleet, "S1", PLATFORM.logs)
    assert ev.problems == [] and ev.crash_files == []
    assert any("JUNOS" in ln for ln in ev.lines)
    assert ev.reload_reason == "0x1:power cycle/failure"


def test_parity_crash_shows_core_files_log_lines_and_reason(fleet: SimFleet) -> None:
    ev = run(fleet, "S3", PLATFORM.logs)
    assert ev.crash_files == ["/var/crash/kernel.0.gz", "/var/crash/vmcore.0.gz"]
    assert any("parity error" in ln for ln in ev.lines)
    assert ev.reload_reason == "0x2:watchdog"


def test_crashinfo_shows_the_core_dump(fleet: SimFleet) -> None:
    ev = run(fleet, "S4", PLATFORM.logs)
    assert ev.crash_files == ["/var/crash/pfex_junos.fpc0.core.0.gz"]
    assert any("Core and context for pfex_junos" in ln for ln in ev.lines)


# ------------------------------------------------------------------------------------------ ports
def test_ports_of_a_healthy_unit_follow_the_harness(fleet: SimFleet) -> None:
    got = run(fleet, "S1", PLATFORM.ports)
    assert got.problems == []
    by = {p.name: p for p in got.ports}
    assert len(by) == 52  # EX2300-48P: 48 copper + 4 SFP+
    linked = {n for n, p in by.items() if p.link_up}
    optic_ports = {c.name for c in snmp_components(fleet, "S1") if c.kind is ComponentKind.OPTIC}
    assert {"ge-0/0/0", "ge-0/0/1", "ge-0/0/2", "ge-0/0/3"} <= linked
    assert len(linked) == 4 + len(optic_ports) == 6
    g = by["ge-0/0/0"]
    assert (g.admin_up, g.speed_mbps, g.duplex, g.media, g.err_disabled) == (True, 1000, "full", "copper", False)
    assert by["xe-0/1/0"].speed_mbps == 10000 and by["xe-0/1/0"].media == "fiber"
    assert all(p.counters["crc"] == 0 and p.counters["input_errors"] == 0 and p.counters["runts"] == 0
               and p.counters["output_errors"] == 0 for p in got.ports)


def test_dead_port_crc_errors_and_flaps_show(fleet: SimFleet) -> None:
    sent: list[str] = []
    cli = sim_cli(fleet, "S4", "juniper_junos", sent)

    async def main() -> tuple[Any, Any]:
        ctx = TestContext(SlotInfo("S4"), "juniper_junos", {}, Identity(), cli=cli)
        first = await PLATFORM.ports(ctx)
        deadline = time.monotonic() + 10
        while True:  # counters must grow between two reads; read again until they do or time runs out
            second = await PLATFORM.ports(ctx)
            crc = {p.name: p.counters.get("crc") for p in second.ports}
            if crc["ge-0/0/1"] > {p.name: p.counters.get("crc") for p in first.ports}["ge-0/0/1"]:
                return first, second
            if time.monotonic() > deadline:
                return first, second
            await asyncio.sleep(0.2)

    try:
        first, second = asyncio.run(main())
    finally:
        cli.abandon()
    a = {p.name: p for p in first.ports}
    b = {p.name: p for p in second.ports}
    assert a["ge-0/0/0"].link_up is False and a["ge-0/0/0"].admin_up is True
    assert b["ge-0/0/1"].counters["crc"] > a["ge-0/0/1"].counters["crc"] > 0
    assert b["ge-0/0/1"].counters["input_errors"] > 0
    assert a["ge-0/0/2"].counters["carrier_transitions"] > 2 >= a["ge-0/0/3"].counters["carrier_transitions"]
    assert sent.count("show interfaces extensive") >= 2  # not served from the session cache


def test_extensive_parser_survives_garbage_and_non_front_panel() -> None:
    text = ("Physical interface: me0, Enabled, Physical link is Up\n  Input errors:\n    Errors: 9\n"
            "Physical interface: ge-0/0/5, Administratively down, Physical link is Down\n"
            "  Link-level type: Ethernet, MTU: 1514, Link-mode: Auto, Speed: Auto, Media type: Copper\n"
            "  Input errors:\n    Errors: 3, Drops: 0, Framing errors: 1, Runts: 2\n"
            "  MAC statistics:                      Receive         Transmit\n"
            "    CRC/Align errors                         7                0\n"
            "    Oversized frames                         4                0\n\x00\x1b[1m}}}}:::\n")
    (port,) = parse_extensive(text)
    assert (port.name, port.admin_up, port.link_up, port.speed_mbps) == ("ge-0/0/5", False, False, None)
    assert port.counters == {"input_errors": 3, "input_drops": 0, "runts": 2, "framing_errors": 1, "crc": 7,
                             "giants": 4}


def test_extensive_reads_receive_only_mac_rows() -> None:
    # Junos prints Oversized/Jabber/Fragment frames and Code violations with a Receive column only.
    text = ("Physical interface: ge-0/0/1, Enabled, Physical link is Up\n"
            "  MAC statistics:                      Receive         Transmit\n"
            "    CRC/Align errors                         0                0\n"
            "    MAC pause frames                         0                0\n"
            "    Oversized frames                         3\n"
            "    Jabber frames                            0\n"
            "    Fragment frames                          1\n"
            "    Code violations                          0\n"
            "    Total errors                             0                0\n")
    (port,) = parse_extensive(text)
    assert port.counters == {"crc": 0, "giants": 3, "jabbers": 0, "fragments": 1, "code_violations": 0}


# ------------------------------------------------------------------------------------------ poe
def test_poe_not_supported_on_a_model_without_poe(fleet: SimFleet) -> None:
    async def body(ctx: TestContext) -> Any:
        ident = await PLATFORM.identity(ctx)
        ctx.identity.model = ident.model
        return await PLATFORM.poe(ctx)

    poe = run(fleet, "S2", body)
    assert poe.supported is False and poe.ports == []


def test_poe_of_a_healthy_poe_model_reads_every_copper_port(fleet: SimFleet) -> None:
    # The simulated EX2300-48P answers `show poe interface` as Junos does; nothing is plugged in.
    poe = run(fleet, "S1", PLATFORM.poe)
    assert poe.supported is True and poe.problems == []
    assert len(poe.ports) == 48 and {p.state for p in poe.ports} == {"off"}
    assert {p.watts for p in poe.ports} == {0.0} and poe.ports[0].poe_class == "0"


def test_poe_reader_takes_consumption_not_max_power() -> None:
    from bench.platforms.juniper_junos.collector import parse_poe_interface
    text = ("Interface    Admin       Oper    Max         Priority       Power          Class\n"
            "             status      status  power                      consumption\n"
            "ge-0/0/0     Enabled     ON      30.0W       Low            6.2W           4\n"
            "ge-0/0/1     Enabled     Fault   30.0W       Low            0.0W           0\n")
    a, b = parse_poe_interface(text)
    assert (a.name, a.state, a.watts, a.poe_class) == ("ge-0/0/0", "on", 6.2, "4")
    assert (b.state, b.watts) == ("fault", 0.0)


# ------------------------------------------------------------------------------------------ optics
def test_optics_of_a_healthy_unit_are_ok_with_module_thresholds(fleet: SimFleet) -> None:
    # S4's faults are on copper ports; its SFP+ optic is a healthy one.
    got = run(fleet, "S4", PLATFORM.optics)
    assert got.problems == [] and len(got.optics) == 1
    snmp = {c.serial for c in snmp_components(fleet, "S4") if c.kind is ComponentKind.OPTIC}
    assert {o.serial for o in got.optics} == snmp
    for o in got.optics:
        assert o.pid.startswith("SFP")
        assert {r.kind for r in o.readings} == {"temperature", "voltage", "bias", "tx_power", "rx_power"}
        assert all(r.state is SensorState.OK and r.value is not None for r in o.readings), o.readings
        rx = next(r for r in o.readings if r.kind == "rx_power")
        assert rx.fail_at is not None and rx.unit == "dBm"


def test_optics_are_judged_by_the_module_not_by_constants(fleet: SimFleet) -> None:
    got = run(fleet, "S1", PLATFORM.optics)
    snmp = {c.serial for c in snmp_components(fleet, "S1") if c.kind is ComponentKind.OPTIC}
    assert len(got.optics) == 2 and {o.serial for o in got.optics} == snmp
    for o in got.optics:
        # The simulated SFP-SX transmits above its own high-warning threshold: the collector says so.
        for r in o.readings:
            assert r.value is not None
            if r.state is not SensorState.OK:
                assert r.warn_at is not None and r.value >= r.warn_at, r


def test_optic_dom_alarm_is_a_fail_reading(fleet: SimFleet) -> None:
    got = run(fleet, "S5", PLATFORM.optics)
    failed = [(o.port, r.kind) for o in got.optics for r in o.readings if r.state is SensorState.FAIL]
    assert len(failed) == 1 and failed[0][1] == "rx_power"
    rx = next(r for o in got.optics for r in o.readings if r.state is SensorState.FAIL)
    assert rx.value == pytest.approx(-24.5) and rx.fail_at is not None and rx.value < rx.fail_at


def test_optic_judged_against_its_own_thresholds() -> None:
    text = ("Physical interface: xe-0/1/3\n"
            "    Module temperature                        :  71 degrees C / 160 degrees F\n"
            "    Receiver signal average optical power     :  0.0000 mW / - Inf dBm\n"
            "    Module temperature high alarm threshold   :  75 degrees C / 167 degrees F\n"
            "    Module temperature high warning threshold :  70 degrees C / 158 degrees F\n"
            "    Laser rx power low alarm threshold        :  0.0100 mW / -20.00 dBm\n")
    readings = {r.kind: r for r in optic_readings("xe-0/1/3", optic_blocks(text)["xe-0/1/3"])}
    assert readings["temperature"].state is SensorState.WARN
    assert (readings["temperature"].warn_at, readings["temperature"].fail_at) == (70.0, 75.0)
    assert readings["rx_power"].state is SensorState.FAIL and readings["rx_power"].value is None


# ------------------------------------------------------------------------------------------ wipe
def test_leftover_config_is_listed_then_gone_after_zeroize(fleet: SimFleet) -> None:
    truth = fleet.truth("S6")

    async def body(ctx: TestContext) -> tuple[Any, Any, Any]:
        before = await PLATFORM.verify_wiped(ctx)
        wiped = await PLATFORM.wipe(ctx)
        after = await PLATFORM.verify_wiped(ctx)
        return before, wiped, after

    before, wiped, after = run(fleet, "S6", body, reboot_poll=0.5, reboot_timeout=60)
    assert before.problems == []
    assert any(x.startswith("hostname ACME-") for x in before.remaining)
    assert {"user netops", "vlan DATA", "vlan VOICE", "snmp community Acm3RO",
            "ge-0/0/0 description uplink-to-core"} <= set(before.remaining)
    assert wiped.problems == [] and wiped.steps[0]["command"] == "request system zeroize"
    assert wiped.verified["uptime_after"] < 60
    assert after.problems == [] and after.remaining == []
    assert after.verified["startup_config"] == "factory-default"
    assert fleet.truth("S6")["serial"] == truth["serial"]
    # The unit is still itself after the reboot.
    ident = run(fleet, "S6", PLATFORM.identity)
    assert ident.serial == truth["serial"] and ident.hostname == ""


def test_verify_wiped_on_a_factory_unit_finds_nothing(fleet: SimFleet) -> None:
    rep = run(fleet, "S1", PLATFORM.verify_wiped)
    assert rep.problems == [] and rep.remaining == []
    assert rep.verified["channel"] == "cli"  # the sanitization summary says "verified ... over cli"


def test_config_parser_and_refusals() -> None:
    tree = config_tree("## Last commit: x\nversion 1;\nsystem {\n    inactive: host-name X;\n    login {\n"
                       "        user bob {\n            uid 2000;\n        }\n    }\n}\n}}}\n"
                       "routing-options {\n    static;\n}\n\x00\x1b[0m")
    assert leftovers(tree) == ["hostname X", "user bob", "configuration stanza routing-options"]
    assert PLATFORM.data.refusal("\n           ^\nsyntax error.\n") == "syntax error."
    assert PLATFORM.data.refusal("error: device ge-9/9/9 not found\n").startswith("error:")
    assert PLATFORM.data.refusal("Nov 23 10:04:18 host /kernel: error: x\n") == ""


def garbage_cli(seed: int) -> ScriptedChannel:
    """A unit off a pallet that answers every command with line noise."""
    alphabet = "ab:{};/-0123456789 \n\t\x00\x1b[m%^ degrees C Physical interface: ge-0/0/0, Up OK Failed"
    return Script([(re.compile(""), line_noise(seed, alphabet, 3000))]).channel(platform="juniper_junos")


@pytest.mark.parametrize("seed", range(5))
def test_collectors_never_crash_on_garbage_and_never_say_healthy(seed: int) -> None:
    async def main() -> list[Any]:
        ctx = TestContext(SlotInfo("G"), "juniper_junos", {}, Identity(), cli=garbage_cli(seed))
        return [await PLATFORM.identity(ctx), await PLATFORM.environment(ctx), await PLATFORM.logs(ctx),
                await PLATFORM.ports(ctx), await PLATFORM.poe(ctx), await PLATFORM.optics(ctx),
                await PLATFORM.verify_wiped(ctx)]

    ident, env, _logs, _ports, _poe, optics, _wiped = asyncio.run(main())
    assert ident.serial == "" and ident.problems
    assert all(r.state is not SensorState.OK for r in env.readings if r.kind == "temperature" and r.value is None)
    assert all(r.state is not SensorState.OK or r.value is not None for o in optics.optics for r in o.readings)
