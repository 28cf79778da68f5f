"""hp_comware family: real netmiko (hp_comware driver) over the asyncssh front end, snmpbulkwalk, the console
login and BootWare menu, faults."""

from __future__ import annotations

import asyncio
import re
import subprocess

import pytest
import serial
from helpers.loop_thread import LoopThread, read_until
from helpers.sim_clients import snmp_walk
from netmiko import ConnectHandler

from simulators.console import ConsoleLine
from simulators.families.hp_comware.cli import ComwareSession
from simulators.families.hp_comware.device import MODELS, SERIAL_FORMAT, ComwareDevice, entities
from simulators.family import family
from simulators.faults import parse_faults
from simulators.fleet import SimSlot, serve
from simulators.ssh_server import SshFrontEnd

FAULTS = "leftover_config,crashinfo,optic_dom_alarm,crc_errors,port_dead"


def _device(model: str, faults: str = "") -> ComwareDevice:
    return ComwareDevice("S1", 1, 7, model, parse_faults(",".join(f"S1:{f}" for f in faults.split(",") if f)))


def _cli(dev: ComwareDevice) -> ComwareSession:
    cli = ComwareSession(dev, console=False, username="admin")
    assert cli.banner().endswith(f"<{dev.hostname}>")
    cli.feed("screen-length disable\r")  # as netmiko does: no pager
    return cli


def _run(cli: ComwareSession, cmd: str) -> str:
    return cli.feed(cmd + "\r").text.replace("\r\n", "\n")


@pytest.mark.parametrize("model", sorted(MODELS))
def test_netmiko_and_textfsm_read_the_model(loop: LoopThread, model: str) -> None:
    dev = _device(model, FAULTS)
    fe = SshFrontEnd(dev)
    loop.run(fe.start())
    try:
        password = dev.running.users["admin"]
        conn = ConnectHandler(device_type="hp_comware", host="127.0.0.1", port=fe.port, username="admin",
                              password=password, conn_timeout=10, auth_timeout=10, banner_timeout=10)
        assert conn.find_prompt() == f"<{dev.hostname}>"
        conn.enable()  # system view: netmiko's "enable" on Comware
        assert conn.find_prompt() == f"[{dev.hostname}]"
        manu = conn.send_command("display device manuinfo", use_textfsm=True)
        assert isinstance(manu, list) and manu[0]["device_serial_number"] == dev.serial
        brief = conn.send_command("display interface brief", use_textfsm=True)
        assert isinstance(brief, list), brief
        ports = [r for r in brief if re.match(r"X?GE\d", r["interface"])]
        up = dev.uptime()
        assert [r["interface"] for r in ports] == [p.short for p in dev.ports]
        assert [r["link"] for r in ports] == ["UP" if p.up(up) else "DOWN" for p in dev.ports]
        assert "Unrecognized command" in conn.send_command("show version")
        crc = next(p for p in dev.ports if p.crc)
        assert re.search(r"[1-9]\d* CRC", conn.send_command(f"display interface {crc.name}"))
        assert "core" in conn.send_command("display logbuffer") or dev.crashes
        assert "RX power(dBm)" in conn.send_command("display transceiver diagnosis interface")
        conn.disconnect()
    finally:
        loop.run(fe.stop())


def test_fleet_serves_family_with_snmp(loop: LoopThread, tmp_path) -> None:  # type: ignore[no-untyped-def]
    stop, ready = asyncio.Event(), asyncio.Event()
    started: list[SimSlot] = []
    fut = asyncio.run_coroutine_threadsafe(
        serve(1, 3, ["hp_comware"], "S1:serial_mismatch,S1:fan_failed", str(tmp_path / "bench.yaml"), ready=ready,
              stop=stop, started=started), loop.loop)
    try:
        loop.run(asyncio.wait_for(ready.wait(), 15))
        slot = started[0]
        dev = slot.device
        assert isinstance(dev, ComwareDevice) and slot.snmp_port
        base = "1.3.6.1.2.1.47.1.1.1.1"
        ent = snmp_walk(slot.snmp_port, base, quick=True)
        for e in entities(dev):
            assert (ent[f"{base}.7.{e.index}"], ent[f"{base}.11.{e.index}"], ent[f"{base}.13.{e.index}"]) == (
                e.name, e.serial, e.model)
        assert ent[f"{base}.11.1"] != dev.serial  # serial_mismatch: SNMP differs from the CLI and the label
        system = snmp_walk(slot.snmp_port, "1.3.6.1.2.1.1", quick=True)
        assert system["1.3.6.1.2.1.1.2.0"].lstrip(".") == dev.spec.sys_object_id
        assert "Comware Platform Software" in system["1.3.6.1.2.1.1.1.0"]
        ext = subprocess.run(["snmpget", "-v2c", "-c", "public", "-On", "-Oqv", f"127.0.0.1:{slot.snmp_port}",
                              "1.3.6.1.4.1.25506.2.6.1.1.1.1.19.201", "1.3.6.1.4.1.25506.2.6.1.1.1.1.19.1"],
                             capture_output=True, text=True, timeout=10, check=True).stdout.split()
        assert ext == ["41", "2"]  # hh3cEntityExtErrorStatus: fan 1 fanError, chassis normal
        linked = next(p for p in dev.ports if p.up(dev.uptime()))
        iftab = snmp_walk(slot.snmp_port, "1.3.6.1.2.1.2.2", quick=True)
        assert iftab[f"1.3.6.1.2.1.2.2.1.2.{linked.if_index}"] == linked.name
        assert int(iftab[f"1.3.6.1.2.1.2.2.1.10.{linked.if_index}"]) > 0
        text = (tmp_path / "bench.yaml").read_text()
        assert "netmiko_device_type: hp_comware" in text and f"serial: {dev.serial}" in text
        assert family("hp_comware").factory_credentials == ("admin", "admin", "admin")
    finally:
        loop.call(stop.set)
        fut.result(15)


def test_console_login_and_bootware_recovery(loop: LoopThread) -> None:
    dev = _device("JG932A", "unknown_password")
    con = ConsoleLine(dev, baud=115200, with_pty=False)
    loop.run(con.start())
    port = serial.serial_for_url(f"socket://127.0.0.1:{con.port}", timeout=0.2)
    try:
        loop.call(con.power_off)  # a cold boot: the BootWare offers its menu on the way up
        loop.call(con.power_on)
        read_until(port.read_all, rb"Press Ctrl\+B to access EXTENDED-BOOTWARE MENU")
        read_until(port.read_all, rb"Press ENTER to get started")
        port.write(b"\x02")  # Ctrl+B right after the boot: the EXTENDED-BOOTWARE menu
        read_until(port.read_all, rb"Enter your choice\(0-9\): $")
        port.write(b"6\r")  # skip the current system configuration on the next boot (password recovery)
        read_until(port.read_all, rb"Flag Set Success")
        port.write(b"1\r")
        read_until(port.read_all, rb"Press ENTER to get started")
        port.write(b"\r")
        read_until(port.read_all, rb"login: $")
        port.write(b"admin\r")
        read_until(port.read_all, rb"Password: $")
        port.write(b"admin\r")  # the factory password: the owner's configuration was skipped
        read_until(port.read_all, rb"<HPE>")
        port.write(b"display device manuinfo\r")
        out = read_until(port.read_all, rb"<HPE>")
        assert dev.serial.encode() in out
    finally:
        port.close()
        loop.run(con.stop())


def test_faults_show_where_the_bench_reads() -> None:
    dev = _device("JG936A", "fan_failed,psu_failed,overtemp,poe_fault")
    cli = _cli(dev)
    assert "State    : Fault" in _run(cli, "display fan")
    assert re.search(r"^ 1\s+Fault", _run(cli, "display power"), re.MULTILINE)
    assert re.search(r"hotspot 1\s+84\s", _run(cli, "display environment"))
    assert "Overload" in _run(cli, "display poe interface")
    good = _device("JG932A")
    assert SERIAL_FORMAT.match(good.serial) and SERIAL_FORMAT.match(_device("S5560-30C-EI").serial)
    fake = _device("JG932A", "counterfeit_serial")
    assert not SERIAL_FORMAT.match(fake.serial) and fake.serial in _run(_cli(fake), "display device manuinfo")
    owned = _device("JG932A", "unknown_password,leftover_config")
    assert not owned.check_login("admin", "admin")
    cfg = _run(_cli(owned), "display current-configuration")
    assert "sysname ACME-" in cfg and "local-user netops" in cfg


def test_comware5_refuses_restore_and_questions_guard_the_reboot() -> None:
    dev = _device("JG311A", "leftover_config")
    cli = _cli(dev)
    assert "% Unrecognized command found at '^' position." in _run(cli, "restore factory-default")
    assert "Are you sure? [Y/N]:" in _run(cli, "reset saved-configuration")
    assert "Configuration file is cleared." in _run(cli, "Y")
    assert dev.startup is None
    gen = dev.generation
    assert "save current configuration? [Y/N]:" in _run(cli, "reboot")
    assert "Continue? [Y/N]:" in _run(cli, "N")
    cli.feed("Y\r")
    assert dev.generation == gen + 1 and dev.hostname == "HP"
    assert "Incomplete command" in _run(_cli(dev), "display transceiver")


@pytest.mark.parametrize("model", sorted(MODELS))
def test_profile_auto_names_the_family_and_model_and_no_other(model: str) -> None:
    """What a unit says (sysObjectID + sysDescr over SNMP, `display version` over SSH) names hp_comware only."""
    from bench.profiles import Catalog
    from simulators.families.hp_comware.cli import display_version

    catalog = Catalog.load()
    dev = _device(model)
    by_snmp = catalog.identification(sys_object_id=dev.spec.sys_object_id, sys_descr=dev.sys_descr())
    by_ssh = catalog.identification(show_version=display_version(dev))
    assert by_snmp.profile is not None and by_snmp.profile.name == "hp_comware"
    assert by_ssh.profile is not None and by_ssh.profile.name == "hp_comware"
    if dev.spec.comware == 7:  # Comware 5's `display version` names no product number; manuinfo does
        assert by_ssh.model == model
    assert catalog.identification(show_version="Huawei Versatile Routing Platform Software\nComware").profile is None


def test_the_pager_holds_long_answers_until_a_key() -> None:
    dev = _device(next(iter(MODELS)))
    cli = ComwareSession(dev, console=False, username="admin")
    cli.banner()
    first = cli.feed("display interface brief\r").text
    assert first.endswith("  ---- More ----") and cli.state == "more"
    assert first.count("\r\n") == 24  # the echo's line end and 23 lines of the answer, then More
    rest = cli.feed(" ").text
    while rest.endswith("---- More ----"):
        rest = cli.feed(" ").text
    assert rest.endswith(f"<{dev.hostname}>") and cli.state == "cli"
    assert cli.feed("display interface brief\r").text.endswith("---- More ----")
    assert cli.feed("q").text.endswith(f"<{dev.hostname}>")  # any other key ends it
    cli.feed("screen-length disable\r")
    assert cli.feed("display interface brief\r").text.endswith(f"<{dev.hostname}>")
