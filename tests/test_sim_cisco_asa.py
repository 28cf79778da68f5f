"""cisco_asa family: real netmiko (cisco_asa driver) over the asyncssh front end, the pager, `ERROR: %`
refusals, SNMP, the console boot and every fault the family implements."""

from __future__ import annotations

import re
from functools import partial

import pytest
from helpers.loop_thread import LoopThread
from helpers.sim_clients import snmp_walk, ssh_served
from helpers.sim_console import console_port, converse
from helpers.sim_faults import assert_counterfeit_serial, assert_reboot_cuts, assert_slow_then_cut, flapping_port
from helpers.sim_fleet import ENTITY, entity_columns, fleet_unit
from helpers.sim_ssh import netmiko_on
from helpers.sim_units import run, unit

from bench.drivers.shell import what_answers
from bench.drivers.ssh import Credential
from bench.profiles import Catalog
from simulators.families.cisco_asa import IMPLEMENTED_FAULTS
from simulators.families.cisco_asa.cli import AsaSession
from simulators.families.cisco_asa.device import MODELS, AsaDevice

SERIAL = re.compile(r"^[A-Z]{3}[0-9]{4}[A-Z0-9]{4}$")


_device = partial(unit, AsaDevice)


def _cli(dev: AsaDevice, enable: bool = True) -> AsaSession:
    cli = AsaSession(dev, console=False)
    if enable:
        cli.feed("enable\r")
        assert cli.feed("cisco\r").text.endswith("#")
    cli.feed("terminal pager 0\r")
    return cli


@pytest.mark.parametrize("model", sorted(MODELS))
def test_netmiko_asa_driver_and_textfsm(loop: LoopThread, model: str) -> None:
    dev = _device(model, "leftover_config")
    with netmiko_on(loop, dev, "cisco_asa", "cisco", "cisco", secret="cisco") as conn:
        assert conn.find_prompt() == f"{dev.hostname}#"  # enabled, pager off, width set (session_preparation)
        ver = conn.send_command("show version", use_textfsm=True)
        assert isinstance(ver, list), ver
        assert ver[0]["hardware"].split(",")[0] == model and ver[0]["serial"] == [dev.serial]
        inv = conn.send_command("show inventory", use_textfsm=True)
        assert isinstance(inv, list) and (inv[0]["pid"], inv[0]["sn"]) == (model, dev.serial)
        ints = conn.send_command("show interface", use_textfsm=True)
        assert isinstance(ints, list) and [r["interface"] for r in ints] == [p.name for p in dev.ports]
        logs = conn.send_command("show logging", use_textfsm=True)
        assert isinstance(logs, list) and logs[0]["mnemonic"] == "199002"
        files = conn.send_command("dir", use_textfsm=True)
        assert isinstance(files, list) and "acme-backup.cfg" in {r["name"] for r in files}
        assert "hostname acme-fw" in conn.send_command("show running-config")


def test_first_login_identifies_the_asa_through_its_pager(loop: LoopThread) -> None:
    dev = _device("ASA5516")
    with ssh_served(loop, dev) as fe:
        kind, text, _ = what_answers("127.0.0.1", fe.port, [Credential("f", "cisco", "cisco", "cisco")], 10)
    assert kind == "cli" and "<--- More --->" in text  # the default `pager lines 24` stops the answer
    found = Catalog.load().identification(show_version=text)
    assert found.profile is not None and found.profile.name == "cisco_asa" and found.model == "ASA5516"


def test_pager_refusals_and_privilege() -> None:
    dev = _device("ASA5525")
    cli = AsaSession(dev, console=False)
    first = run(cli, "show version")
    assert first.rstrip().endswith("<--- More --->") and len(first.splitlines()) <= 25
    rest = ""
    while cli.state == "more":
        rest += cli.feed(" ").text
    assert "Serial Number: " + dev.serial in rest.replace("\r\n", "\n") and rest.endswith("ciscoasa>")
    assert "ERROR: % Invalid input detected at '^' marker." in run(cli, "show running-config")  # not enabled
    cli = _cli(dev)
    assert run(cli, "show foo").splitlines()[1].strip() == "^"
    assert "ERROR: % Incomplete command" in run(cli, "crypto key zeroize")
    assert "Current privilege level : 15" in run(cli, "show curpriv")


def test_fleet_serves_entity_mib_and_counters(loop: LoopThread, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with fleet_unit(loop, AsaDevice, "cisco_asa", "S1:serial_mismatch", tmp_path) as (dev, port):
        serial_no, model = entity_columns(snmp_walk(port, ENTITY, quick=True), 1, 11, 13)
        # serial_mismatch: SNMP names another chassis serial than the CLI and the label
        assert model == dev.spec.pid and serial_no not in ("", dev.serial) and SERIAL.match(serial_no)
        sysd = snmp_walk(port, "1.3.6.1.2.1.1", quick=True)
        assert sysd["1.3.6.1.2.1.1.1.0"].startswith("Cisco Adaptive Security Appliance Version")
        assert sysd["1.3.6.1.2.1.1.2.0"].lstrip(".") == dev.spec.sys_object_id
        hc = snmp_walk(port, "1.3.6.1.2.1.31.1.1.1.6", quick=True)
        assert len(hc) == len(dev.ports)


def test_console_boot_and_prompt(loop: LoopThread) -> None:
    dev = _device("ASA5508")
    with console_port(loop, dev) as (port, _line):
        out = converse(port, [
            (b"\r", rb"ciscoasa> ?$"),
            (b"enable\r", rb"Password: $"),
            (b"cisco\r", rb"ciscoasa# ?$"),
            (b"reload noconfirm\r", rb"ciscoasa> ?$"),
        ], timeout=60)
        assert b"Use BREAK or ESC to interrupt boot." in out and b"Launching BootLoader" in out


def test_environment_and_crash_faults() -> None:
    dev = _device("ASA5555", "fan_failed,psu_failed,overtemp,crashinfo")
    cli = _cli(dev)
    env = run(cli, "show environment")
    assert "Cooling Fan 1                 : 0 RPM - Critical" in env
    assert "Left Slot (PS0)                 : Failure Detected" in env
    assert re.search(r"Ambient 1\s+: 7\d\.0 C - Critical", env)
    assert "Thread Name:" in run(cli, "show crashinfo") and "%ASA-1-735002" in run(cli, "show logging")
    assert run(_cli(_device("ASA5555")), "show crashinfo").split() == ["show", "crashinfo", "ciscoasa#"]


def test_identity_and_owner_faults() -> None:
    assert_counterfeit_serial(_device, "ASA5516", SERIAL, _cli, "show inventory")
    owned = _device("ASA5516", "unknown_password,leftover_config")
    assert not owned.check_login("cisco", "cisco")
    assert {"overtemp", "leftover_config", "crc_errors", "port_dead"} <= IMPLEMENTED_FAULTS


def test_link_and_session_faults() -> None:
    dev = _device("ASA5508", "link_flap,crc_errors,port_dead,slow_response,ssh_drop")
    flapping_port(dev)
    dead = next(p for p in dev.ports if p.dead)
    shown = run(_cli(dev), f"show interface {dead.name}")
    assert f'Interface {dead.name} "", is down, line protocol is down' in shown
    assert_slow_then_cut(AsaSession(dev, console=False), "show clock", "show clock")

    assert_reboot_cuts(_device("ASA5508", "reboot@0s"), partial(AsaSession, console=False), "show clock")


def test_write_erase_factory_default_and_reload() -> None:
    dev = _device("ASA5525", "leftover_config")
    cli = _cli(dev)
    assert "[confirm]" in run(cli, "write erase")
    assert "[OK]" in run(cli, "")
    assert dev.startup is None
    run(cli, "configure terminal")
    assert "Factory-default configuration is completed" in run(cli, "configure factory-default")
    assert dev.running.users == {} and not dev.running.ssh
    assert cli.feed("reload noconfirm\r").close
    assert dev.hostname == "ciscoasa" and not dev.check_login("cisco", "cisco")
