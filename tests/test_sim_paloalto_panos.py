"""paloalto_panos family: real netmiko (paloalto_panos driver, keyboard-interactive login) over the asyncssh
front end, PAN-OS refusals, SNMP as a PA-series agent serves it, the console login and boot, every fault."""

from __future__ import annotations

import re
from functools import partial

import pytest
from helpers.loop_thread import LoopThread
from helpers.sim_clients import snmp_walk
from helpers.sim_console import console_login, console_port, console_reload
from helpers.sim_faults import assert_reboot_cuts, assert_slow_then_cut, flapping_port
from helpers.sim_fleet import fleet_unit
from helpers.sim_ssh import identified, netmiko_on
from helpers.sim_units import run, unit
from netmiko import ConnectHandler

from bench.drivers.ssh import Credential
from bench.tests_hw.snmp_identity import identity_from
from simulators.families.paloalto_panos.cli import PanosSession
from simulators.families.paloalto_panos.device import MODELS, PanosDevice
from simulators.ssh_server import SshFrontEnd

SERIAL = re.compile(r"^[0-9]{12}$")


_device = partial(unit, PanosDevice)


@pytest.mark.parametrize("model", sorted(MODELS))
def test_netmiko_panos_driver_and_textfsm(loop: LoopThread, model: str) -> None:
    dev = _device(model, "leftover_config")
    with netmiko_on(loop, dev, "paloalto_panos", "admin", "admin", use_keys=False, allow_agent=False) as conn:
        assert conn.find_prompt() == f"admin@{dev.hostname}>"
        info = conn.send_command("show system info", use_textfsm=True)
        assert isinstance(info, list) and (info[0]["model"], info[0]["serial"]) == (model, dev.serial)
        hw = conn.send_command("show interface hardware", use_textfsm=True)
        assert isinstance(hw, list) and [r["interface"] for r in hw] == [p.name for p in dev.ports]
        assert "Unknown command: version" in conn.send_command("show version")
        conn.send_command("set cli config-output-format set")
        assert "set deviceconfig system hostname acme-edge-fw" in conn.send_command("show config running")


def test_first_login_identifies_panos_by_show_system_info(loop: LoopThread) -> None:
    dev = _device("PA-3220")
    with identified(loop, dev, [Credential("f", "admin", "admin", "")]) as answer:
        assert answer.profile is not None and answer.profile.name == "paloalto_panos"
        assert answer.found.model == "PA-3220" and f"serial: {dev.serial}" in answer.text
        assert dev.ssh_logins == 1  # `show version` refused, `show system info` asked on the same login


def test_wrong_password_is_refused_over_keyboard_interactive(loop: LoopThread) -> None:
    dev = _device("PA-850", "unknown_password")
    fe = SshFrontEnd(dev)
    loop.run(fe.start())
    try:
        with pytest.raises(Exception, match="(?i)auth"):
            ConnectHandler(device_type="paloalto_panos", host="127.0.0.1", port=fe.port, username="admin",
                           password="admin", use_keys=False, allow_agent=False, conn_timeout=10, auth_timeout=10)
    finally:
        loop.run(fe.stop())


def test_fleet_serves_a_pa_series_agent(loop: LoopThread, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with fleet_unit(loop, PanosDevice, "paloalto_panos", "S1:serial_mismatch", tmp_path, units=5) as (dev, port):
        values = {**snmp_walk(port, "1.3.6.1.2.1.1", quick=True),
                  **snmp_walk(port, "1.3.6.1.2.1.47.1.1.1.1", quick=True)}
        assert values["1.3.6.1.2.1.1.1.0"] == f"Palo Alto Networks PA-{dev.spec.family} series firewall"
        got = identity_from({k.lstrip("."): v for k, v in values.items()})
        assert got.model == dev.spec.pid and got.serial != dev.serial and SERIAL.match(got.serial)  # serial_mismatch
        sensors = snmp_walk(port, "1.3.6.1.2.1.99.1.1.1.4", quick=True)
        assert len(sensors) == len(dev.fans) + len(dev.temps)
        assert len(snmp_walk(port, "1.3.6.1.2.1.31.1.1.1.6", quick=True)) == len(dev.ports)


def test_console_login_boot_and_maintenance_hint(loop: LoopThread) -> None:
    dev = _device("PA-820")
    with console_port(loop, dev) as (port, _line):
        console_login(port, rb"login: $", "admin", "admin", rb"admin@PA-820> $")
        out = console_reload(port, b"request restart system\r", rb"\(y or n\) $", b"y\r", rb"login: $", timeout=60)
        assert b'Type "maint"' in out and b"Booting PAN-OS" in out


def test_environment_faults_and_core_files() -> None:
    dev = _device("PA-3220", "fan_failed,psu_failed,overtemp,crashinfo")
    cli = PanosSession(dev, console=False)
    env = run(cli, "show system environmentals")
    assert re.search(r"Fan #1 RPM \(Slot 1\)\s+True\s+0\s", env)
    assert re.search(r"Power Supply #1 \(left\)\s+True\s+True", env)
    assert re.search(r"Temperature near CPU \(Slot 1\)\s+True\s+6\d\.\d", env)
    assert ".core" in run(cli, "show system files") and "fan-failed" in run(cli, "show log system")


def test_identity_link_and_optic_faults() -> None:
    assert SERIAL.match(_device("PA-850").serial)
    fake = _device("PA-850", "counterfeit_serial")
    assert not SERIAL.match(fake.serial) and f"serial: {fake.serial}" in run(PanosSession(fake, console=False),
                                                                              "show system info")
    dev = _device("PA-5220", "link_flap,optic_dom_alarm,crc_errors,port_dead")
    flapping_port(dev)
    optic = next(p for p in dev.ports if p.dom_alarm)
    shown = run(PanosSession(dev, console=False), "show transceiver-detail all")
    assert re.search(rf"{optic.name}\n(?:.*\n)*?\s+Rx power \(dBm\)\s+: -21\.00", shown)


def test_session_faults_and_private_data_reset() -> None:
    dev = _device("PA-820", "slow_response,ssh_drop")
    cli = PanosSession(dev, console=False)
    assert_slow_then_cut(cli, "show clock", "show clock")

    dev = _device("PA-820", "reboot@0s")
    assert_reboot_cuts(dev, partial(PanosSession, console=False), "show clock")

    dev = _device("PA-850", "leftover_config")
    cli = PanosSession(dev, console=False)
    assert "(y or n)" in run(cli, "request system private-data-reset")
    assert cli.feed("y\r").close
    assert dev.hostname == "PA-850" and set(dev.running.users) == {"admin"} and dev.running.extra == []
    assert dev.traffic_logs == 0 and dev.check_login("admin", "admin")
