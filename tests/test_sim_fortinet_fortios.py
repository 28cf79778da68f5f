"""fortinet_fortios family: real netmiko (fortinet) over the asyncssh front end, snmpwalk, console login and the
maintainer window, faults, factory reset."""

from __future__ import annotations

import re
from functools import partial

import pytest
from helpers.loop_thread import LoopThread, read_until
from helpers.sim_clients import snmp_walk
from helpers.sim_console import console_port, converse
from helpers.sim_faults import assert_counterfeit_serial, assert_reboot_cuts, assert_slow_then_cut, flapping_port
from helpers.sim_fleet import assert_bench_file_lists, fleet_unit, snmp_get
from helpers.sim_ssh import assert_identified_though_paged, netmiko_on
from helpers.sim_units import run, spaced_through, unit

from simulators.families.fortinet_fortios.cli import FortiSession
from simulators.families.fortinet_fortios.device import (
    FACTORY_PASSWORD,
    FACTORY_USER,
    MODELS,
    SERIAL_FORMAT,
    FortiDevice,
)

FAULTS = "leftover_config,crashinfo,optic_dom_alarm,crc_errors,port_dead"


_device = partial(unit, FortiDevice)


def _cli(dev: FortiDevice) -> FortiSession:
    cli = FortiSession(dev, console=False, username=FACTORY_USER)
    assert cli.banner() == f"{dev.hostname} # "
    for line in ("config system console", "set output standard", "end"):
        cli.feed(line + "\r")
    return cli


@pytest.mark.parametrize("model", sorted(MODELS))
def test_netmiko_textfsm_matches_model(loop: LoopThread, model: str) -> None:
    dev = _device(model, FAULTS)
    with netmiko_on(loop, dev, "fortinet", FACTORY_USER, FACTORY_PASSWORD) as conn:
        assert conn.find_prompt() == f"{dev.hostname} #"
        assert dev.config.output_standard  # netmiko turned the pager off through `config system console`
        status = conn.send_command("get system status", use_textfsm=True)
        assert isinstance(status, list), status
        assert status[0]["serial_number"] == dev.serial and status[0]["version"].startswith(f"{model} v7.2.8")
        assert status[0]["hostname"].startswith("ACME-") and status[0]["last_reboot_reason"] == "kernel panic"
        up = dev.uptime()
        phys = conn.send_command("get system interface physical", use_textfsm=True)
        assert [r["name"] for r in phys] == [p.name for p in dev.ports]
        assert [r["status"] for r in phys] == ["up" if p.up(up) else "down" for p in dev.ports]
        crc = next(p for p in dev.ports if p.crc)
        assert re.search(r"Rx_CRC_Errors\s+:[1-9]", conn.send_command(f"diagnose hardware deviceinfo nic {crc.name}"))
        assert "signal 11 (Segmentation fault)" in conn.send_command("diagnose debug crashlog read")
        if any(p.kind != "copper" for p in dev.ports):  # the low alarm mark on Rx power
            assert " --" in conn.send_command("get system interface transceiver")
        assert "command parse error before 'version'" in conn.send_command("show version")
        assert "Unknown action 0" in conn.send_command("bogus")


def test_pager_until_output_standard() -> None:
    dev = _device("FortiGate-600E")
    cli = FortiSession(dev, console=False, username=FACTORY_USER)
    first = run(cli, "get system interface physical")
    assert first.endswith("--More-- ")
    rest = spaced_through(cli, "--More-- ", 20)
    assert rest.endswith(f"{dev.hostname} # ") and f"==[{dev.ports[-1].name}]" in rest
    assert "output              : more" in run(cli, "get system console")


def test_fleet_serves_family_with_snmp(loop: LoopThread, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with fleet_unit(loop, FortiDevice, "fortinet_fortios", "S1:serial_mismatch", tmp_path) as (dev, port):
        ent = snmp_walk(port, "1.3.6.1.2.1.47.1.1.1.1", quick=True)
        base = "1.3.6.1.2.1.47.1.1.1.1"
        assert ent[f"{base}.13.1"] == dev.spec.ent_model and ent[f"{base}.5.1"] == "3"
        assert ent[f"{base}.11.1"] != dev.serial  # serial_mismatch: SNMP differs from CLI and label
        sensors = snmp_walk(port, "1.3.6.1.4.1.12356.101.4.3.2.1.2", quick=True)
        assert "CPU ON-DIE Temp" in sensors.values()
        got = snmp_get(port, "1.3.6.1.2.1.1.2.0", "1.3.6.1.2.1.1.1.0")
        assert got[0].lstrip(".") == dev.spec.sys_object_id
        assert dev.spec.sys_object_id.startswith("1.3.6.1.4.1.12356.101.1.")
        assert got[1].strip('"') == "Fortigate v7.2.8"
        assert_bench_file_lists(tmp_path, "fortinet_fortios", "fortinet", dev.serial, ("admin", "", ""))


def test_console_login_and_maintainer_window(loop: LoopThread) -> None:
    dev = _device("FortiGate-100F", "unknown_password")
    dev._power_on(5.0)  # just booted: the maintainer account is open for MAINTAINER_WINDOW_S
    with console_port(loop, dev) as (port, _line):
        converse(port, [
            (b"\r", rb"login: $"),
            (b"admin\r", rb"Password: $"),
            (b"\r", rb"Login incorrect\r\n\S+ login: $"),  # the factory's empty password no longer works
            (b"maintainer\r", rb"Password: $"),
            (f"bcpb{dev.serial}\r".encode(), re.escape(f"{dev.hostname} # ").encode()),
        ])
        for line in ("config system admin", "edit admin", "set password N3w-pass", "end"):
            port.write(line.encode() + b"\r")
            read_until(port.read_all, re.escape(f"{dev.hostname} ").encode() + rb"(\(\w+\) )?# $")
        assert dev.check_login("admin", "N3w-pass")
    late = _device("FortiGate-100F")
    late._power_on(600.0)
    assert not late.maintainer_ok("maintainer", f"bcpb{late.serial}")  # the window closed after boot


def test_environment_faults() -> None:
    dev = _device("FortiGate-600E", "fan_failed,psu_failed,overtemp")
    sensors = run(_cli(dev), "execute sensor list")
    assert re.search(r"FAN1\s+alarm=1\s+value=0", sensors) and re.search(r"PS1 Status\s+alarm=1", sensors)
    assert re.search(r"CPU ON-DIE Temp\s+alarm=1", sensors)
    healthy = run(_cli(_device("FortiGate-600E")), "execute sensor list")
    assert "alarm=1" not in healthy
    fanless = run(_cli(_device("FortiGate-60E", "fan_failed")), "execute sensor list")
    assert "FAN" not in fanless and "PS1" not in fanless  # the FG-60E has neither to report


def test_identity_faults() -> None:
    assert_counterfeit_serial(_device, "FortiGate-100F", SERIAL_FORMAT, _cli, "get system status")
    owned = _device("FortiGate-100F", "unknown_password,leftover_config")
    assert not owned.check_login(FACTORY_USER, FACTORY_PASSWORD)
    cfg = run(_cli(owned), "show")
    assert 'set hostname "ACME-' in cfg and 'edit "netops"' in cfg and '"Acm3RO"' in cfg


def test_link_and_session_faults() -> None:
    dev = _device("FortiGate-100F", "link_flap,slow_response,ssh_drop")
    flapping_port(dev)
    cli = _cli(dev)  # three commands
    assert_slow_then_cut(cli, "get system status", "get system performance status", before_cut=1)

    dev = _device("FortiGate-100F", "reboot@0s")
    assert_reboot_cuts(dev, partial(FortiSession, console=False, username=FACTORY_USER), "get system status")


def test_erase_disk_then_factory_reset() -> None:
    dev = _device("FortiGate-101F", "leftover_config,unknown_password,crashinfo")
    cli = FortiSession(dev, console=False, username=FACTORY_USER)
    assert "Disk SSD" in run(cli, "execute disk list")
    assert "(y/n)" in run(cli, "execute erase-disk SSD")
    assert cli.feed("y\r").close and dev.disk_logs == 0 and dev.crashlog == []
    cli = FortiSession(dev, console=False, username=FACTORY_USER)
    assert "reset the system to factory default" in run(cli, "execute factoryreset")
    assert cli.feed("y\r").close
    assert dev.hostname == dev.spec.default_hostname and dev.config.admins == {"admin": ""}
    assert dev.reload_reason == "factory reset" and dev.uptime() < 5
    assert "command parse error before 'erase-disk'" in run(_cli(_device("FortiGate-60E")), "execute erase-disk SSD")


def test_profile_auto_identifies_the_family_over_ssh(loop: LoopThread) -> None:
    dev = _device("FortiGate-100F")
    assert_identified_though_paged(loop, dev, "fortinet_fortios", FACTORY_USER, FACTORY_PASSWORD)
