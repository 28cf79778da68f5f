"""cisco_nxos family: real netmiko (cisco_nxos driver) over the asyncssh front end, snmpwalk, console, faults."""

from __future__ import annotations

import re
from functools import partial

import pytest
from helpers.loop_thread import LoopThread
from helpers.sim_clients import snmp_walk
from helpers.sim_console import console_login, console_port, converse
from helpers.sim_faults import (
    assert_counterfeit_serial,
    assert_session_faults,
)
from helpers.sim_fleet import ENTITY, assert_bench_file_lists, entity_columns, fleet_unit, snmp_get
from helpers.sim_ssh import netmiko_on
from helpers.sim_units import opened, run, unit

from simulators.families.cisco_nxos.cli import NxosSession, has_factory_reset
from simulators.families.cisco_nxos.device import MODELS, SERIAL_FORMAT, NxosDevice, entity_rows

FAULTS = "leftover_config,parity_crash,optic_dom_alarm,crc_errors,port_dead"


_device = partial(unit, NxosDevice)


def _cli(dev: NxosDevice) -> NxosSession:
    return opened(NxosSession(dev, console=False), "# ")


@pytest.mark.parametrize("model", sorted(MODELS))
def test_netmiko_textfsm_matches_model(loop: LoopThread, model: str) -> None:
    dev = _device(model, FAULTS)
    with netmiko_on(loop, dev, "cisco_nxos", "cisco", "cisco") as conn:
        assert conn.find_prompt() == f"{dev.hostname}#"
        version = conn.send_command("show version", use_textfsm=True)[0]
        assert (version["serial"], version["os"], version["hostname"]) == (dev.serial, dev.spec.version, dev.hostname)
        assert version["platform"] in dev.spec.chassis
        inventory = conn.send_command("show inventory", use_textfsm=True)
        assert (inventory[0]["name"], inventory[0]["pid"], inventory[0]["sn"]) == ("Chassis", dev.model, dev.serial)
        assert {r["sn"] for r in inventory if r["name"].startswith("Power")} == {p.serial for p in dev.psus}
        env = conn.send_command("show environment", use_textfsm=True)
        assert len([r for r in env if r["power_supply"]]) == len(dev.psus)
        assert {r["temperature_sensor"] for r in env if r["temperature_sensor"]} == {t.name for t in dev.temps}
        status = conn.send_command("show interface status", use_textfsm=True)
        assert [r["port"] for r in status][1:] == [p.short for p in dev.ports]
        dead = next(p for p in dev.ports if p.dead)
        assert next(r for r in status if r["port"] == dead.short)["status"] == "notconnec"
        counters = conn.send_command("show interface", use_textfsm=True)
        crc = next(p for p in dev.ports if p.crc)
        assert int(next(r for r in counters if r["interface"] == crc.name)["crc"]) > 0
        dom = conn.send_command("show interface transceiver details", use_textfsm=True)
        alarm = next(p for p in dev.ports if p.dom_alarm)
        assert float(next(r for r in dom if r["interface"] == alarm.name)["rx_value"]) < -13.9
        files = conn.send_command("dir bootflash:", use_textfsm=True)
        assert dev.spec.image in {r["item_name"] for r in files}
        assert "Kernel Panic" in conn.send_command("show version")
        assert "kernel" in conn.send_command("show cores")
        # NX-OS's refusal: the caret line, then the marker message
        bad = conn.send_command("show bogus")
        assert re.search(r"\^\n% Invalid command at '\^' marker\.", bad), bad


def test_fleet_serves_family_with_snmp(loop: LoopThread, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with fleet_unit(loop, NxosDevice, "cisco_nxos", "S1:serial_mismatch,S1:fan_failed", tmp_path) as (dev, port):
        ent = snmp_walk(port, ENTITY, quick=True)
        for idx, descr, _parent, cls, name, _hw, _sw, serial_no, pid, _fru in entity_rows(dev):
            assert entity_columns(ent, idx, 2, 5, 7, 11, 13) == (descr, str(cls), name, serial_no, pid)
        serial_no, model = entity_columns(ent, 149, 11, 13)
        assert serial_no != dev.serial and model == dev.model  # serial_mismatch
        fan_oids = [f"1.3.6.1.4.1.9.9.117.1.4.1.1.1.{534 + f.number}" for f in dev.fans]
        fans = snmp_get(port, *fan_oids)
        assert fans == ["3"] + ["2"] * (len(dev.fans) - 1)  # fan_failed: the first tray is down
        temps = snmp_walk(port, "1.3.6.1.4.1.9.9.91.1.2.1.1.4", quick=True)
        assert {int(v) for v in temps.values()} >= {dev.temps[0].major, dev.temps[0].minor}
        iftab = snmp_walk(port, "1.3.6.1.2.1.2.2.1.2", quick=True)
        assert sorted(iftab.values()) == sorted(p.name for p in dev.ports)
        got = snmp_get(port, "1.3.6.1.2.1.1.2.0", "1.3.6.1.2.1.1.1.0")
        assert got[0].lstrip(".") == dev.spec.sys_object_id and "Cisco NX-OS(tm)" in got[1]
        assert_bench_file_lists(tmp_path, "cisco_nxos", "cisco_nxos", dev.serial, ("cisco", "cisco", "cisco"))


def test_console_login_shows_prompt(loop: LoopThread) -> None:
    dev = _device("N5K-C5548UP")
    with console_port(loop, dev) as (port, _line):
        console_login(port, rb"switch login: $", "cisco", "cisco", rb"switch# $")
        out = converse(port, [(b"show version\r", rb"switch# $")])
        assert dev.serial.encode() in out and b"Cisco Nexus Operating System" in out


def test_identity_and_login_faults() -> None:
    assert_counterfeit_serial(_device, "N9K-C93180YC-EX", SERIAL_FORMAT, _cli, "show version")
    owned = _device("N7K-C7010", "unknown_password,leftover_config")
    assert not owned.check_login("cisco", "cisco")
    cfg = run(_cli(owned), "show running-config")
    assert "hostname dc1-leaf" in cfg and "feature vpc" in cfg and "username netops" in cfg


def test_environment_and_link_faults() -> None:
    dev = _device("N3K-C3048TP-1GE", "fan_failed,psu_failed,overtemp,link_flap")
    env = run(_cli(dev), "show environment")
    assert re.search(r"Fan1\(sys_fan1\).*Failure", env) and "Fail/Shutdown" in env
    assert re.search(r"FRONT\s+80\s+70\s+84\s+Major", env)
    assert "TestFan ----" in run(_cli(dev), "show diagnostic result module all")
    flap = next(p for p in dev.ports if p.flap)
    dev._power_on(0.0)
    seen = set()
    for t in range(0, 15, 3):
        dev._uptime_offset = float(t)
        seen.add(dev.linked(flap))
    assert seen == {True, False}


def test_session_faults_reload_and_erase() -> None:
    assert_session_faults(_device, "N9K-C93180YC-EX", _cli, "show version", "dir", partial(NxosSession, console=False),
                          "show version")

    dev = _device("N5K-C5548UP", "leftover_config")
    assert not has_factory_reset(dev)
    cli = _cli(dev)
    assert re.search(r"% Invalid command at '\^' marker", run(cli, "factory-reset preserve-image"))
    assert "(y/n)  [n]" in run(cli, "write erase")
    run(cli, "y")
    assert "No startup configuration" in run(cli, "show startup-config")
    assert "(y/n)  [n]" in run(cli, "write erase boot")
    run(cli, "y")
    assert "No boot variable set" in run(cli, "show boot")
    assert "(y/n)?  [n]" in run(cli, "reload")
    assert cli.feed("y\r").close
    assert dev.hostname == "switch" and dev.check_login("cisco", "cisco")

    nine = _device("N9K-C93180YC-EX", "leftover_config,crashinfo")
    assert has_factory_reset(nine)
    cli = _cli(nine)
    assert "Continue? (y/n)  [n]" in run(cli, "factory-reset preserve-image")
    assert cli.feed("y\r").close
    assert nine.secure_erased and list(nine.flash) == [nine.spec.image] and nine.cores == []


def test_console_reload_shows_the_boot_to_the_login() -> None:
    dev = _device("N9K-C93180YC-EX")
    con = NxosSession(dev, console=True)
    assert con.banner().endswith("switch login: ")
    for typed in ("cisco", "cisco"):
        con.feed(typed + "\r")
    assert "(y/n)?  [n]" in run(con, "reload")
    out = con.feed("y\r").text.replace("\r\n", "\n")
    assert dev.uptime() < 5 and "Starting system POST" in out and "System is coming up" in out
    assert out.endswith("User Access Verification\nswitch login: ")
