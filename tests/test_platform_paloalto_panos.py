"""paloalto_panos collector against the simulated PAN-OS family over real SSH (netmiko, keyboard-interactive).

One fleet serves the module: S1 healthy, S2 environment faults and a core file, S3 port and optic faults,
S4 a previous owner's configuration (reset last: private-data-reset, verified after the reboot).
"""

from __future__ import annotations

import re
from typing import Any

from helpers import platform_checks as check
from helpers.platform_fleet import Pack, fault_plan

from bench.model import ComponentKind, SensorState
from bench.platforms.paloalto_panos.collector import PLATFORM, config_leftovers, parse_environmentals
from bench.platforms.paloalto_panos.identity import uptime_seconds
from bench.tests_hw.base import TestContext
from bench.tests_hw.ports import ERROR_COUNTERS
from simulators.families.paloalto_panos.device import PanosDevice
from simulators.pytest_plugin import SimFleet

FAULTS = fault_plan(poe=False, flap=False)
PACK = Pack("paloalto_panos", profile="paloalto_panos", driver="paloalto_panos", faults=FAULTS)
fleet, harness = PACK.fixtures()
run = PACK.run


def test_platform_seam_picks_this_module() -> None:
    check.assert_seam_picks(PACK, PLATFORM)


def test_identity_matches_truth(fleet: SimFleet, harness: dict[str, PanosDevice]) -> None:
    truth, dev = fleet.truth("S1"), harness["S1"]
    ident = run(fleet, "S1", PLATFORM.identity)
    assert ident.problems == []
    assert (ident.model, ident.serial) == (truth["model"], truth["serial"])
    assert ident.os_version == dev.spec.version and ident.hostname == truth["model"]
    assert ident.uptime_seconds is not None and ident.uptime_seconds >= 600
    kinds = check.by_kind(ident)
    assert [c.serial for c in kinds[ComponentKind.CHASSIS]] == [truth["serial"]]
    assert len(kinds[ComponentKind.FAN]) == dev.spec.fans and len(kinds[ComponentKind.PSU]) == dev.spec.psus
    assert {c.serial for c in kinds[ComponentKind.OPTIC]} == {p.optic_serial for p in dev.ports if p.optic}


def test_environment_healthy_and_faulty(fleet: SimFleet) -> None:
    env = run(fleet, "S1", PLATFORM.environment)
    assert env.problems == [] and {r.kind for r in env.readings} == {"fan", "psu", "temperature"}
    assert all(r.state is SensorState.OK for r in env.readings), env.readings
    bad = run(fleet, "S2", PLATFORM.environment)
    failed = check.failing(bad.readings)
    assert ("fan", "Fan #1 RPM (Slot 1)") in failed and ("psu", "Power Supply #1 (left)") in failed
    hot = [r for r in bad.readings if r.kind == "temperature" and r.state is SensorState.FAIL]
    assert hot and hot[0].value is not None and hot[0].fail_at is not None and hot[0].value > hot[0].fail_at


def test_logs_healthy_and_core_file(fleet: SimFleet) -> None:
    ok = run(fleet, "S1", PLATFORM.logs)
    check.assert_logs_clean(ok, "power cycle")
    crash = run(fleet, "S2", PLATFORM.logs)
    assert crash.crash_files and crash.reload_reason.startswith("crash: core file all_pktproc_3")


def test_ports_and_optics(fleet: SimFleet, harness: dict[str, PanosDevice]) -> None:
    dev = harness["S3"]
    got = run(fleet, "S3", PLATFORM.ports)
    by = {p.name: p for p in got.ports}
    assert set(by) == {p.name for p in dev.ports} and got.problems == []
    for p in dev.ports:
        assert by[p.name].link_up is (p.linked and not p.dead), p.name
    crc = next(p for p in dev.ports if p.crc)
    assert by[crc.name].counters["crc"] > 0
    assert all(set(ERROR_COUNTERS) <= set(p.counters) for p in got.ports)  # every error counter the test judges
    optics = run(fleet, "S3", PLATFORM.optics)
    alarmed = next(p for p in dev.ports if p.dom_alarm)
    rx = {o.port: r for o in optics.optics for r in o.readings if r.kind == "rx_power"}
    assert rx[alarmed.name].state is SensorState.FAIL
    assert all(r.state is SensorState.OK for port, r in rx.items() if port != alarmed.name)


def test_parsers_on_hostile_text_and_leftovers() -> None:
    assert parse_environmentals("Thermal\n1 x True abc\n" * 40)["Thermal"] == []
    assert uptime_seconds("2 days, 2:38:49") == 2 * 86_400 + 2 * 3_600 + 38 * 60 + 49
    left = config_leftovers("set deviceconfig system hostname acme-fw1\nset mgt-config users netops phash x\n"
                            "set deviceconfig setting config rematch yes\nset address a ip-netmask 10.0.0.1/32\n",
                            re.compile(r"PA-[\w-]+"), [])
    assert left == ["hostname acme-fw1", "administrator netops", "set address a ip-netmask 10.0.0.1/32"]


def test_private_data_reset_clears_the_owners_data(fleet: SimFleet) -> None:
    async def cycle(ctx: TestContext) -> tuple[Any, Any, Any]:
        return await PLATFORM.verify_wiped(ctx), await PLATFORM.wipe(ctx), await PLATFORM.verify_wiped(ctx)

    before, wipe, after = run(fleet, "S4", cycle, params={"reboot_timeout": 120})
    assert any(r.startswith("startup_config: hostname acme-edge-fw") for r in before.remaining)
    assert "startup_config: administrator netops" in before.remaining
    assert before.verified["running_config"] != "factory default"
    assert [s["command"] for s in wipe.steps][:2] == ["request system private-data-reset", "y"]
    assert wipe.problems == [] and wipe.verified["uptime_after_s"] < wipe.verified["uptime_before_s"]
    assert after.remaining == [] and after.verified["startup_config"] == "factory default"
    assert after.verified["running_config"] == "factory default" and after.verified["flash_files"] == []


def test_refusals_as_panos_prints_them_are_refusals() -> None:
    from bench.platforms.paloalto_panos.collector import DATA
    from simulators.families.paloalto_panos.cli import PanosSession
    from simulators.families.paloalto_panos.device import PanosDevice

    cli = PanosSession(PanosDevice("S1", 1, 7, "PA-850"), console=False)
    for line in ("show version", "show", "show config saved acme.xml"):
        out = cli.feed(line + "\r").text.replace("\r\n", "\n")
        answer = out.split("\n", 1)[1].rsplit("\n", 1)[0]
        assert DATA.refusal(answer), (line, answer)
    assert DATA.refusal("hostname: PA-850\nmodel: PA-850\n") == ""
