"""cisco_xr collector against the simulated IOS XR family over real SSH (netmiko cisco_xr) and SNMP.

One fleet serves the module: S1 healthy (a 32-bit XR ASR-9001), S2 environment faults and a parity crash,
S3 port and optic faults (an ASR-9006 with a line card), S4 a previous owner's configuration and a process
dump (wiped last). The simulator's own device objects, rebuilt from the same seed, are the harness map.
"""

from __future__ import annotations

from typing import Any

from helpers import platform_checks as check
from helpers.platform_fleet import Pack, fault_plan

from bench.model import ComponentKind, SensorState
from bench.platforms.cisco_xr.collector import (
    PLATFORM,
    config_leftovers,
    fan_readings,
    optic_readings,
    temperature_readings,
    uptime_seconds,
)
from bench.tests_hw.base import TestContext
from simulators.families.cisco_iosxr.device import XrDevice
from simulators.pytest_plugin import SimFleet

FAULTS = fault_plan(crash="parity_crash", poe=False, extra="S4:crashinfo")
PACK = Pack("cisco_iosxr", profile="cisco_iosxr", driver="cisco_xr", faults=FAULTS)
fleet, harness = PACK.fixtures()
run = PACK.run


def test_platform_seam_picks_this_module() -> None:
    check.assert_seam_picks(PACK, PLATFORM)


def test_identity_matches_truth_and_snmp(fleet: SimFleet, harness: dict[str, XrDevice]) -> None:
    for truth, dev, ident, snmp in check.read_identities(PACK, fleet, harness, PLATFORM):
        assert ident.os_version == dev.spec.version and ident.uptime_seconds and ident.uptime_seconds >= 600
        assert ident.config_register == ("0x1922" if dev.spec.classic else "")
        kinds = check.by_kind(ident)
        assert len(kinds[ComponentKind.FAN]) == dev.spec.fans and len(kinds[ComponentKind.PSU]) == dev.spec.psus
        check.assert_chassis_frus_and_optics(ident, truth, dev, snmp)


def test_environment_healthy_and_faulty(fleet: SimFleet, harness: dict[str, XrDevice]) -> None:
    env = run(fleet, "S1", PLATFORM.environment)
    assert env.problems == []
    assert {r.kind for r in env.readings} == {"fan", "psu", "temperature"}
    assert all(r.state is SensorState.OK for r in env.readings), env.readings
    inlet = next(r for r in env.readings if r.name.endswith("TEMP_INLET"))
    assert (inlet.warn_at, inlet.fail_at) == (55, 65)

    bad = run(fleet, "S2", PLATFORM.environment)
    dev = harness["S2"]
    failed = check.failing(bad.readings)
    assert ("fan", dev.fans[0].module) in failed and ("psu", dev.psus[-1].module) in failed
    assert ("temperature", f"{dev.temps[0].location} TEMP_INLET") in failed


def test_logs_healthy_and_crashes(fleet: SimFleet) -> None:
    ok = run(fleet, "S1", PLATFORM.logs)
    check.assert_logs_clean(ok, "Reload requested by the user")
    assert any("DB_COMMIT" in ln for ln in ok.lines)
    parity = run(fleet, "S2", PLATFORM.logs)
    assert "Parity" in parity.reload_reason and any("parity" in ln for ln in parity.lines)
    assert any(f.startswith("harddisk:/dumper/bgp_") for f in parity.crash_files)
    crash = run(fleet, "S4", PLATFORM.logs)
    assert len(crash.crash_files) == 1


def test_ports_links_counters_and_flaps(fleet: SimFleet, harness: dict[str, XrDevice]) -> None:
    dev = harness["S1"]
    ports = run(fleet, "S1", PLATFORM.ports)
    assert ports.problems == [] and [p.name for p in ports.ports] == [p.name for p in dev.ports]
    for got, p in zip(ports.ports, dev.ports, strict=True):
        assert got.link_up is dev.linked(p) and got.counters["crc"] == 0
        if dev.linked(p):
            assert got.speed_mbps == p.speed and got.duplex == "full" and got.media == "fiber"
    bad = harness["S3"]
    dead, crc, flap = check.faulty_ports(bad)
    a, b = run(fleet, "S3", check.watch_ports(PLATFORM, crc, flap, seconds=20))
    links = {p.name: p.link_up for p in run(fleet, "S3", PLATFORM.link_states).ports}
    assert set(links) == {p.name for p in bad.ports} and links[dead] is False
    check.assert_port_faults(a, b, dead, crc, flap)
    assert run(fleet, "S1", PLATFORM.poe).supported is False


def test_optics_ok_and_dom_alarm(fleet: SimFleet, harness: dict[str, XrDevice]) -> None:
    for slot in ("S1", "S3"):
        dev = harness[slot]
        for o, port in check.cabled_optics(run(fleet, slot, PLATFORM.optics), dev, pid=True):
            check.assert_dom(o, port.dom_alarm, judged=False)  # every DOM kind read
            bad = {r.kind for r in o.readings if r.state is not SensorState.OK}
            if port.dom_alarm or not dev.linked(port):
                assert "rx_power" in bad
            else:
                assert bad == set(), o.readings
    assert any(p.dom_alarm for p in harness["S3"].ports)


def test_hostile_text_never_crashes() -> None:
    junk = "\x00\xff\x1b[31m 0/RP0/CPU0\n   X 1 2 3 4 5 six 7\n%%%% RX Power = abc\n" * 50
    assert all(isinstance(x, str) for x in config_leftovers(junk))
    assert optic_readings(junk) == ([], "", "")
    assert temperature_readings(junk) == []
    assert fan_readings([{"module": "0/FT0", "fan_speed": ["x"]}])[0].state is SensorState.UNKNOWN
    assert uptime_seconds("garbage") is None and uptime_seconds("ios uptime is 1 week, 2 hours") == 612_000


def test_wipe_commit_replace_clears_leftover_config(fleet: SimFleet) -> None:
    async def body(ctx: TestContext) -> Any:
        before = await PLATFORM.verify_wiped(ctx)
        wiped = await PLATFORM.wipe(ctx)
        after = await PLATFORM.verify_wiped(ctx)
        return before, wiped, after

    before, wiped, after = run(fleet, "S4", body)
    text = " ".join(before.remaining)
    assert before.problems == []
    for item in ("hostname pe", "user netops", "router bgp 64512", "snmp-server community <redacted>",
                 "rollback points", "harddisk:/pe-backup.cfg", "harddisk:/dumper/bgp_"):
        assert item in text, item
    assert "Acm3RO" not in text and "user cisco" not in text  # secrets never recorded; the bench's access is not
    assert wiped.problems == [], wiped
    commands = [s["command"] for s in wiped.steps]
    assert commands[-5:-1] == ["configure exclusive", "commit replace", "yes", "end"]
    assert commands[-1].startswith("clear configuration commits oldest ")
    assert "commit replace" in wiped.verified["method"] and "not needed" in wiped.verified["reload"]
    assert after.problems == [] and after.remaining == [], after
    assert after.verified["startup_config"] == "empty (factory)" and after.verified["flash_files"] == "none"
    assert after.verified["rollback_points"] == 1


def test_the_console_walk_that_identifies_an_unknown_unit_reaches_an_xr_prompt() -> None:
    """Console-only `profile: auto` walks with the cisco_ios console data before the family is known
    (bench/engine.py identify_by_console): it must stop at IOS XR's `RP/0/RSP0/CPU0:ios#` too."""
    from bench.drivers.console.machine import ConsoleProfile
    from bench.platforms import load

    walk = ConsoleProfile.from_dict(load("cisco_ios").data.console_walk({}))
    for prompt in ("RP/0/RSP0/CPU0:ios#", "RP/0/RP0/CPU0:pe01-core#", "Switch#"):
        assert any(p.search(f"show version\r\n{prompt}") for p in walk.prompts["enable"]), prompt
    assert any(p.search("x\r\nRP/0/RSP0/CPU0:ios(config)#") for p in walk.prompts["config"])
    assert not any(p.search("x\r\nRP/0/RSP0/CPU0:ios>") for p in walk.prompts["enable"])


def test_dump_directories_are_not_dumps() -> None:
    from bench.platforms.cisco_xr.collector import dump_files

    rows = [{"name": "bgp.dmp.gz", "permissions": "    11 -rw-r--r--."},
            {"name": "old", "permissions": "12 drwxr-xr-x."}]
    assert dump_files(rows) == ["harddisk:/dumper/bgp.dmp.gz"]
