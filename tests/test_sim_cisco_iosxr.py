"""cisco_iosxr family: real netmiko (cisco_xr driver) over the asyncssh front end, snmpget/walk, console, faults."""

from __future__ import annotations

import re
from functools import partial

import pytest
from helpers.loop_thread import LoopThread
from helpers.sim_clients import snmp_walk
from helpers.sim_console import console_port, converse
from helpers.sim_faults import (
    assert_counterfeit_serial,
    assert_session_faults,
)
from helpers.sim_fleet import ENTITY, assert_bench_file_lists, entity_columns, fleet_unit, snmp_get
from helpers.sim_ssh import netmiko_on
from helpers.sim_units import opened, run, unit

from bench.drivers.parsing import parse
from simulators.families.cisco_iosxr.cli import XrSession
from simulators.families.cisco_iosxr.device import MODELS, SERIAL_FORMAT, XrDevice, entity_rows

FAULTS = "leftover_config,crashinfo,optic_dom_alarm,crc_errors,port_dead,psu_failed"


_device = partial(unit, XrDevice)


def _cli(dev: XrDevice) -> XrSession:
    return opened(XrSession(dev, console=False), "#")


@pytest.mark.parametrize("model", sorted(MODELS))
def test_netmiko_textfsm_matches_model(loop: LoopThread, model: str) -> None:
    dev = _device(model, FAULTS)
    with netmiko_on(loop, dev, "cisco_xr", "cisco", "cisco") as conn:
        assert conn.find_prompt() == f"RP/0/{dev.spec.rp}/CPU0:{dev.hostname}#"
        version = conn.send_command("show version")
        assert f"Cisco IOS XR Software, Version {dev.spec.version}" in version
        if not dev.spec.classic:  # the template reads 64-bit XR's show version; 32-bit XR's is read by hand
            assert parse("cisco_xr", "show version", version)[0]["version"] == dev.spec.version
        inventory = conn.send_command("show inventory", use_textfsm=True)
        assert (inventory[0]["name"], inventory[0]["pid"], inventory[0]["sn"]) == ("Rack 0", dev.model, dev.serial)
        power = conn.send_command("admin show environment power", use_textfsm=True)
        assert [(r["power_module"], r["status"]) for r in power] == [
            (p.module, "OK" if p.ok else "Failed") for p in dev.psus]
        fans = conn.send_command("admin show environment fan", use_textfsm=True)
        assert {r["module"] for r in fans} == {f.module for f in dev.fans} | {p.module for p in dev.psus}
        ifs = conn.send_command("show interfaces", use_textfsm=True)
        crc = next(p for p in dev.ports if p.crc)
        assert int(next(r for r in ifs if r["interface"] == crc.name)["crc"]) > 0
        dead = next(p for p in dev.ports if p.dead)
        assert next(r for r in ifs if r["interface"] == dead.name)["link_status"] == "down"
        alarm = next(p for p in dev.ports if p.dom_alarm)
        assert "Detected Alarms: RX-LOS" in conn.send_command(f"show controllers optics {alarm.location}")
        dumps = conn.send_command("dir harddisk:/dumper", use_textfsm=True)
        assert [r["name"] for r in dumps] == list(dev.dumps)
        bad = conn.send_command("show bogus")
        assert re.search(r"\^\n% Invalid input detected at '\^' marker\.", bad), bad


def test_fleet_serves_family_with_snmp(loop: LoopThread, tmp_path) -> None:  # type: ignore[no-untyped-def]
    faults = "S1:serial_mismatch,S1:psu_failed"
    with fleet_unit(loop, XrDevice, "cisco_iosxr", faults, tmp_path, units=2) as (dev, port):
        ent = snmp_walk(port, ENTITY, quick=True)
        for idx, descr, _parent, cls, name, _hw, _sw, serial_no, pid, _fru in entity_rows(dev):
            assert entity_columns(ent, idx, 2, 5, 7, 11, 13) == (descr, str(cls), name, serial_no, pid)
        serial_no, model = entity_columns(ent, 24555730, 11, 13)
        assert serial_no != dev.serial and model == dev.model
        psus = [f"1.3.6.1.4.1.9.9.117.1.1.2.1.2.{8417281 + i}" for i in range(len(dev.psus))]
        got = snmp_get(port, *psus, "1.3.6.1.2.1.1.2.0", "1.3.6.1.2.1.1.1.0")
        assert got[:len(psus)] == ["2"] * (len(psus) - 1) + ["8"]  # psu_failed: the last supply failed
        descr = "\n".join(got[len(psus) + 1:])
        assert got[len(psus)].lstrip(".") == dev.spec.sys_object_id and "Cisco IOS XR Software" in descr
        assert_bench_file_lists(tmp_path, "cisco_iosxr", "cisco_xr", dev.serial, ("cisco", "cisco", "cisco"))


def test_console_login_and_the_factory_user_dialog(loop: LoopThread) -> None:
    """After `commit replace` leaves no user, the console's next login is the Administrative User Dialog."""
    dev = _device("ASR-9001", "leftover_config")
    cli = _cli(dev)
    run(cli, "configure exclusive")
    assert "Do you wish to proceed? [no]:" in run(cli, "commit replace")
    run(cli, "yes")
    run(cli, "end")
    assert not dev.committed.users and not dev.check_login("cisco", "cisco")
    with console_port(loop, dev) as (port, _line):
        out = converse(port, [
            (b"\r", rb"Enter root-system username: $"),
            (b"admin\r", rb"Enter secret: $"),
            (b"Fresh-1\r", rb"Enter secret again: $"),
            (b"Fresh-1\r", rb"Username: $"),
            (b"admin\r", rb"Password: $"),
            (b"Fresh-1\r", rb"RP/0/RSP0/CPU0:ios#$"),
            (b"show inventory\r", rb"RP/0/RSP0/CPU0:ios#$"),
        ])
        assert dev.serial.encode() in out


def test_identity_environment_and_link_faults() -> None:
    assert_counterfeit_serial(_device, "NCS-55A1-24H", SERIAL_FORMAT, _cli, "show inventory")
    owned = _device("N540-24Z8Q2C-M", "unknown_password")
    assert not owned.check_login("cisco", "cisco")
    hot = _device("ASR-9006", "fan_failed,overtemp,link_flap,parity_crash")
    cli = _cli(hot)
    assert re.search(r"0/FT0\s+\S+\s+0\s+0", run(cli, "admin show environment fan"))
    assert re.search(r"TEMP_INLET\s+68\s", run(cli, "admin show environment temperatures"))
    assert "Parity error" in run(cli, "show reboot history")
    flap = next(p for p in hot.ports if p.flap)
    seen = set()
    for t in range(0, 15, 3):
        hot._power_on(float(t))
        seen.add(hot.linked(flap))
    assert seen == {True, False}


def test_session_faults_commits_and_reload() -> None:
    assert_session_faults(_device, "NCS-55A1-24H", _cli, "show version", "show platform",
                          partial(XrSession, console=False), "show version")

    dev = _device("ASR-9006")
    cli = _cli(dev)
    run(cli, "configure terminal")
    run(cli, "hostname edge1")
    assert "Uncommitted changes found" in run(cli, "end")
    run(cli, "yes")
    assert dev.committed.hostname == "edge1" and cli.prompt == "RP/0/RSP0/CPU0:edge1#"
    points = len(dev.commits)
    assert f"{points} " in run(cli, "show configuration commit list")
    run(cli, f"clear configuration commits oldest {points - 1}")
    assert len(dev.commits) == 1
    assert "Proceed with reload? [confirm]" in run(cli, "reload")
    assert cli.feed("\r").close and dev.hostname == "edge1"  # the committed configuration is what it boots with


def test_console_reload_shows_the_boot_to_the_login() -> None:
    dev = _device("ASR-9001")
    con = XrSession(dev, console=True)
    assert con.banner().endswith("Username: ")
    for typed in ("cisco", "cisco"):
        con.feed(typed + "\r")
    assert "[confirm]" in run(con, "reload")
    out = con.feed("\r").text.replace("\r\n", "\n")
    assert dev.uptime() < 5 and "Initializing IOS XR" in out and "Press RETURN to get started." in out
    assert out.endswith("User Access Verification\n\nUsername: ")
