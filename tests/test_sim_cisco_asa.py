"""cisco_asa family: real netmiko (cisco_asa driver) over the asyncssh front end, the pager, `ERROR: %`
refusals, SNMP, the console boot and every fault the family implements."""

from __future__ import annotations

import asyncio
import re

import pytest
import serial
from helpers.loop_thread import LoopThread, read_until
from helpers.sim_clients import snmp_walk
from netmiko import ConnectHandler

from bench.drivers.shell import what_answers
from bench.drivers.ssh import Credential
from bench.profiles import Catalog
from simulators.console import ConsoleLine
from simulators.families.cisco_asa import IMPLEMENTED_FAULTS
from simulators.families.cisco_asa.cli import AsaSession
from simulators.families.cisco_asa.device import MODELS, AsaDevice
from simulators.faults import parse_faults
from simulators.fleet import SimSlot, serve
from simulators.ssh_server import SshFrontEnd

SERIAL = re.compile(r"^[A-Z]{3}[0-9]{4}[A-Z0-9]{4}$")


def _device(model: str, faults: str = "") -> AsaDevice:
    return AsaDevice("S1", 1, 7, model, parse_faults(",".join(f"S1:{f}" for f in faults.split(",") if f)))


def _cli(dev: AsaDevice, enable: bool = True) -> AsaSession:
    cli = AsaSession(dev, console=False)
    if enable:
        cli.feed("enable\r")
        assert cli.feed("cisco\r").text.endswith("#")
    cli.feed("terminal pager 0\r")
    return cli


def _run(cli: AsaSession, cmd: str) -> str:
    return cli.feed(cmd + "\r").text.replace("\r\n", "\n")


@pytest.mark.parametrize("model", sorted(MODELS))
def test_netmiko_asa_driver_and_textfsm(loop: LoopThread, model: str) -> None:
    dev = _device(model, "leftover_config")
    fe = SshFrontEnd(dev)
    loop.run(fe.start())
    try:
        conn = ConnectHandler(device_type="cisco_asa", host="127.0.0.1", port=fe.port, username="cisco",
                              password="cisco", secret="cisco", conn_timeout=10, auth_timeout=10, banner_timeout=10)
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
        conn.disconnect()
    finally:
        loop.run(fe.stop())


def test_first_login_identifies_the_asa_through_its_pager(loop: LoopThread) -> None:
    dev = _device("ASA5516")
    fe = SshFrontEnd(dev)
    loop.run(fe.start())
    try:
        kind, text, _ = what_answers("127.0.0.1", fe.port, [Credential("f", "cisco", "cisco", "cisco")], 10)
    finally:
        loop.run(fe.stop())
    assert kind == "cli" and "<--- More --->" in text  # the default `pager lines 24` stops the answer
    found = Catalog.load().identification(show_version=text)
    assert found.profile is not None and found.profile.name == "cisco_asa" and found.model == "ASA5516"


def test_pager_refusals_and_privilege() -> None:
    dev = _device("ASA5525")
    cli = AsaSession(dev, console=False)
    first = _run(cli, "show version")
    assert first.rstrip().endswith("<--- More --->") and len(first.splitlines()) <= 25
    rest = ""
    while cli.state == "more":
        rest += cli.feed(" ").text
    assert "Serial Number: " + dev.serial in rest.replace("\r\n", "\n") and rest.endswith("ciscoasa>")
    assert "ERROR: % Invalid input detected at '^' marker." in _run(cli, "show running-config")  # not enabled
    cli = _cli(dev)
    assert _run(cli, "show foo").splitlines()[1].strip() == "^"
    assert "ERROR: % Incomplete command" in _run(cli, "crypto key zeroize")
    assert "Current privilege level : 15" in _run(cli, "show curpriv")


def test_fleet_serves_entity_mib_and_counters(loop: LoopThread, tmp_path) -> None:  # type: ignore[no-untyped-def]
    stop, ready = asyncio.Event(), asyncio.Event()
    slots: list[SimSlot] = []
    fut = asyncio.run_coroutine_threadsafe(
        serve(1, 3, ["cisco_asa"], "S1:serial_mismatch", str(tmp_path / "bench.yaml"), ready=ready, stop=stop,
              started=slots), loop.loop)
    try:
        loop.run(asyncio.wait_for(ready.wait(), 15))
        slot = slots[0]
        dev = slot.device
        assert isinstance(dev, AsaDevice) and slot.snmp_port
        base = "1.3.6.1.2.1.47.1.1.1.1"
        ent = snmp_walk(slot.snmp_port, base, quick=True)
        # serial_mismatch: SNMP names another chassis serial than the CLI and the label
        assert ent[f"{base}.13.1"] == dev.spec.pid and ent[f"{base}.11.1"] not in ("", dev.serial)
        assert SERIAL.match(ent[f"{base}.11.1"])
        sysd = snmp_walk(slot.snmp_port, "1.3.6.1.2.1.1", quick=True)
        assert sysd["1.3.6.1.2.1.1.1.0"].startswith("Cisco Adaptive Security Appliance Version")
        assert sysd["1.3.6.1.2.1.1.2.0"].lstrip(".") == dev.spec.sys_object_id
        hc = snmp_walk(slot.snmp_port, "1.3.6.1.2.1.31.1.1.1.6", quick=True)
        assert len(hc) == len(dev.ports)
    finally:
        loop.loop.call_soon_threadsafe(stop.set)
        fut.result(timeout=15)


def test_console_boot_and_prompt(loop: LoopThread) -> None:
    dev = _device("ASA5508")
    con = ConsoleLine(dev, baud=115200, with_pty=False)
    loop.run(con.start())
    port = serial.serial_for_url(f"socket://127.0.0.1:{con.port}", timeout=0.2)
    try:
        port.write(b"\r")
        read_until(port.read_all, rb"ciscoasa> ?$")
        port.write(b"enable\r")
        read_until(port.read_all, rb"Password: $")
        port.write(b"cisco\r")
        read_until(port.read_all, rb"ciscoasa# ?$")
        port.write(b"reload noconfirm\r")
        out = read_until(port.read_all, rb"ciscoasa> ?$", timeout=60)
        assert b"Use BREAK or ESC to interrupt boot." in out and b"Launching BootLoader" in out
    finally:
        port.close()
        loop.run(con.stop())


def test_environment_and_crash_faults() -> None:
    dev = _device("ASA5555", "fan_failed,psu_failed,overtemp,crashinfo")
    cli = _cli(dev)
    env = _run(cli, "show environment")
    assert "Cooling Fan 1                 : 0 RPM - Critical" in env
    assert "Left Slot (PS0)                 : Failure Detected" in env
    assert re.search(r"Ambient 1\s+: 7\d\.0 C - Critical", env)
    assert "Thread Name:" in _run(cli, "show crashinfo") and "%ASA-1-735002" in _run(cli, "show logging")
    assert _run(_cli(_device("ASA5555")), "show crashinfo").split() == ["show", "crashinfo", "ciscoasa#"]


def test_identity_and_owner_faults() -> None:
    good = _device("ASA5516")
    assert SERIAL.match(good.serial)
    fake = _device("ASA5516", "counterfeit_serial")
    assert not SERIAL.match(fake.serial) and fake.serial in _run(_cli(fake), "show inventory")
    owned = _device("ASA5516", "unknown_password,leftover_config")
    assert not owned.check_login("cisco", "cisco")
    assert {"overtemp", "leftover_config", "crc_errors", "port_dead"} <= IMPLEMENTED_FAULTS


def test_link_and_session_faults() -> None:
    dev = _device("ASA5508", "link_flap,crc_errors,port_dead,slow_response,ssh_drop")
    flap = next(p for p in dev.ports if p.flap)
    assert {flap.up(t) for t in range(10)} == {True, False}
    dead = next(p for p in dev.ports if p.dead)
    shown = _run(_cli(dev), f"show interface {dead.name}")
    assert f'Interface {dead.name} "", is down, line protocol is down' in shown
    cli = AsaSession(dev, console=False)
    assert cli.feed("show clock\r").delay >= 2.0
    assert [cli.feed("show clock\r").close for _ in range(5)] == [False] * 4 + [True]

    dev = _device("ASA5508", "reboot@0s")
    gen = dev.generation
    cli = AsaSession(dev, console=False)
    dev.touch()
    assert dev.generation == gen + 1 and cli.feed("show clock\r").close


def test_write_erase_factory_default_and_reload() -> None:
    dev = _device("ASA5525", "leftover_config")
    cli = _cli(dev)
    assert "[confirm]" in _run(cli, "write erase")
    assert "[OK]" in _run(cli, "")
    assert dev.startup is None
    _run(cli, "configure terminal")
    assert "Factory-default configuration is completed" in _run(cli, "configure factory-default")
    assert dev.running.users == {} and not dev.running.ssh
    assert cli.feed("reload noconfirm\r").close
    assert dev.hostname == "ciscoasa" and not dev.check_login("cisco", "cisco")
