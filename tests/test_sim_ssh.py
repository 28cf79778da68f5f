"""A real netmiko client against the real asyncssh front end on loopback."""

from __future__ import annotations

import pytest
from helpers.loop_thread import LoopThread
from helpers.sim_clients import netmiko_to, ssh_served

from simulators.families.cisco_ios.device import Device
from simulators.family import family
from simulators.faults import parse_faults


def _catalyst(faults: str = "") -> Device:
    return Device("S1", 1, 9, "WS-C2960X-48FPD-L", parse_faults(faults))


def _connect(port: int, **kw: object):  # type: ignore[no-untyped-def]
    return netmiko_to(port, "cisco_ios", "cisco", "cisco", "cisco", **kw)


def test_netmiko_show_version(loop: LoopThread) -> None:
    with ssh_served(loop, dev := _catalyst()) as fe:
        conn = _connect(fe.port)
        conn.enable()
        assert conn.find_prompt() == "Switch#"
        raw = conn.send_command("show version")
        assert f"Processor board ID {dev.serial}" in raw
        parsed = conn.send_command("show version", use_textfsm=True)
        assert parsed[0]["serial"] == [dev.serial]
        assert parsed[0]["hardware"] == ["WS-C2960X-48FPD-L"]
        inv = conn.send_command("show inventory", use_textfsm=True)
        assert inv[0]["sn"] == dev.serial
        conn.disconnect()


@pytest.mark.parametrize("name", ["cisco_ios_switch", "linux_server"])
def test_factory_credentials_are_refused_under_unknown_password(loop: LoopThread, name: str) -> None:
    from netmiko.exceptions import NetmikoAuthenticationException

    fam = family(name)
    dev = fam.build("S1", 1, 9, next(iter(fam.models)), parse_faults("S1:unknown_password"))
    user, password, secret = fam.factory_credentials
    with ssh_served(loop, dev) as fe, pytest.raises(NetmikoAuthenticationException):
        netmiko_to(fe.port, fam.netmiko_device_type, user, password, secret)


def test_ssh_drop_cuts_the_session(loop: LoopThread) -> None:
    with ssh_served(loop, _catalyst("S1:ssh_drop")) as fe:
        conn = _connect(fe.port)
        conn.enable()
        conn.send_command("show clock")
        with pytest.raises((OSError, EOFError, Exception)):
            for _ in range(3):
                conn.send_command("show clock", read_timeout=5)


def test_reload_drops_ssh_and_resets_uptime(loop: LoopThread) -> None:
    with ssh_served(loop, dev := _catalyst()) as fe:
        conn = _connect(fe.port)
        conn.enable()
        before = dev.uptime()
        out = conn.send_command_timing("reload")
        assert "Proceed with reload? [confirm]" in out
        with pytest.raises(Exception):  # noqa: B017 - netmiko raises several kinds on a dead channel
            conn.send_command_timing("", read_timeout=3)
            conn.send_command("show clock", read_timeout=3)
        assert dev.uptime() < before
        assert dev.reload_reason == "Reload Command"
