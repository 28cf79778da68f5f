"""cisco_asa collector against the simulated ASA family over real SSH (netmiko), SNMP and the console.

One fleet serves the module: S1 healthy, S2 environment faults and a saved crash, S3 port faults and a
previous owner's configuration (wiped last, verified over the console after the reload).
"""

from __future__ import annotations

import re
from typing import Any

from helpers import platform_checks as check
from helpers.platform_fleet import Pack

from bench.model import ComponentKind
from bench.platforms.cisco_asa.collector import PLATFORM, config_leftovers, parse_environment
from bench.platforms.cisco_asa.identity import uptime_seconds
from bench.tests_hw.base import TestContext
from simulators.families.cisco_asa.device import AsaDevice
from simulators.pytest_plugin import SimFleet

FAULTS = "S2:fan_failed,S2:psu_failed,S2:overtemp,S2:crashinfo,S3:port_dead,S3:crc_errors,S3:leftover_config"
PACK = Pack("cisco_asa", profile="cisco_asa", driver="cisco_asa", faults=FAULTS, count=3)
fleet, harness = PACK.fixtures()
run = PACK.run


def test_platform_seam_picks_this_module() -> None:
    check.assert_seam_picks(PACK, PLATFORM)


def test_identity_matches_truth(fleet: SimFleet, harness: dict[str, AsaDevice]) -> None:
    truth, dev = fleet.truth("S1"), harness["S1"]
    ident = run(fleet, "S1", PLATFORM.identity)
    assert ident.problems == []
    assert (ident.model, ident.serial) == (truth["model"], truth["serial"])
    assert ident.os_version == dev.spec.version and ident.hostname == "ciscoasa"
    assert ident.config_register == "0x1" and ident.uptime_seconds is not None and ident.uptime_seconds >= 60
    chassis = [c for c in ident.components if c.kind is ComponentKind.CHASSIS]
    assert [(c.pid, c.serial) for c in chassis] == [(truth["model"], truth["serial"])]
    psus = [c for c in ident.components if c.kind is ComponentKind.PSU]
    assert [c.serial for c in psus] == [p.serial for p in dev.psus if p.present and p.pid]


def test_environment_healthy_and_faulty(fleet: SimFleet, harness: dict[str, AsaDevice]) -> None:
    env = run(fleet, "S1", PLATFORM.environment)
    check.assert_environment_healthy(env, absent=True)
    assert len([r for r in env.readings if r.kind == "fan"]) == harness["S1"].spec.fans

    bad = run(fleet, "S2", PLATFORM.environment)
    failed = check.failing(bad.readings)
    assert ("fan", "Cooling Fan 1") in failed and ("temperature", "Ambient 1") in failed
    assert any(k == "psu" for k, _ in failed)


def test_logs_healthy_and_crash(fleet: SimFleet) -> None:
    ok = run(fleet, "S1", PLATFORM.logs)
    assert ok.problems == [] and ok.crash_files == []
    assert any("%ASA-6-199002" in ln for ln in ok.lines)
    crash = run(fleet, "S2", PLATFORM.logs)
    assert crash.crash_files and "crash" in crash.reload_reason
    assert any("735002" in ln for ln in crash.lines)  # the fan failure's syslog message


def test_ports_links_and_errors(fleet: SimFleet, harness: dict[str, AsaDevice]) -> None:
    dev = harness["S3"]
    got = run(fleet, "S3", PLATFORM.ports)
    by = {p.name: p for p in got.ports}
    assert set(by) == {p.name for p in dev.ports}
    for p in dev.ports:
        assert by[p.name].link_up is (p.linked and not p.dead), p.name
    crc = next(p for p in dev.ports if p.crc)
    assert by[crc.name].counters["crc"] > 0 and by[crc.name].counters["input_errors"] > 0


def test_poe_and_optics_not_applicable(fleet: SimFleet) -> None:
    poe, optics = run(fleet, "S1", PLATFORM.poe), run(fleet, "S1", PLATFORM.optics)
    assert poe.supported is False and optics.optics == [] and optics.problems == []


def test_config_leftovers_keep_factory_lines_and_name_the_owners() -> None:
    import re

    text = ("hostname acme-fw01\ninterface GigabitEthernet1/1\n nameif outside\n ip address 203.0.113.4 "
            "255.255.255.0\npager lines 24\nusername netops password x pbkdf2 privilege 15\n"
            "tunnel-group 198.51.100.7 type ipsec-l2l\n")
    left = config_leftovers(text, re.compile("ciscoasa"), [])
    assert left == ["hostname acme-fw01", "ip address 203.0.113.4 255.255.255.0", "username netops",
                    "tunnel-group 198.51.100.7 type ipsec-l2l"]


def test_environment_parser_on_hostile_text() -> None:
    assert parse_environment("\x1b[2J" + "Temperature:\n  x : y\n" * 50) == {"fan": [], "psu": [], "temperature": []}
    assert uptime_seconds("41 days 19 hours") == 41 * 86_400 + 19 * 3_600 and uptime_seconds("") is None


def test_wipe_clears_owner_data_and_verifies_over_the_console(fleet: SimFleet) -> None:
    async def cycle(ctx: TestContext) -> tuple[Any, Any, Any]:
        return await PLATFORM.verify_wiped(ctx), await PLATFORM.wipe(ctx), await PLATFORM.verify_wiped(ctx)

    before, wipe, after = run(fleet, "S3", cycle, params={"reboot_timeout": 120}, console=True)
    assert any(r.startswith("startup_config: hostname acme-fw") for r in before.remaining)
    assert "key pair acme-vpn-key" in before.remaining and "disk0:/acme-backup.cfg" in before.remaining
    commands = [s["command"] for s in wipe.steps]
    assert commands[:2] == ["crypto key zeroize rsa noconfirm", "crypto key zeroize ecdsa noconfirm"]
    assert "delete /noconfirm disk0:/acme-backup.cfg" in commands
    assert {"write erase", "configure factory-default", "reload noconfirm"} <= set(commands)
    assert wipe.verified["post_reload"] == "console" and wipe.problems == [], wipe.problems
    # The console answered from the new boot, not from the old one still up for a moment after `reload`
    # (the simulated line, like a real one, goes down a little after the command): the verification below
    # must inspect the unit as it came back.
    back = [s["output"] for s in wipe.steps if s["command"] == "show version (console, after reload)"]
    up = re.search(r"(?m)^\S+ up (.+)$", back[-1])
    assert up and (uptime_seconds(up.group(1)) or 0) < 120, back
    assert after.remaining == [] and after.verified["channel"] == "console"
    assert after.verified["startup_config"] == "not present" and "flash_files" in after.verified


def test_refusals_as_the_asa_prints_them_are_refusals() -> None:
    from bench.platforms.cisco_asa.collector import DATA
    from simulators.families.cisco_asa.cli import AsaSession
    from simulators.families.cisco_asa.device import AsaDevice

    cli = AsaSession(AsaDevice("S1", 1, 7, "ASA5516"), console=False)
    for line in ("show foo", "crypto key zeroize", "show running-config", "show interface Gi9/9"):
        out = cli.feed(line + "\r").text.replace("\r\n", "\n")
        answer = out.split("\n", 1)[1].rsplit("\n", 1)[0]  # the echo and the prompt dropped
        assert DATA.refusal(answer), (line, answer)
    assert DATA.refusal("Cisco Adaptive Security Appliance Software Version 9.12(4)56\n") == ""
