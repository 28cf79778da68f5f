"""huawei_vrp family: real netmiko (huawei driver) over the asyncssh front end, snmpget/snmpbulkwalk, the console
login and BootLoad menu, faults."""

from __future__ import annotations

import asyncio
import re
import subprocess

import pytest
import serial
from helpers.loop_thread import LoopThread, read_until
from helpers.sim_clients import snmp_walk
from netmiko import ConnectHandler

from bench.drivers.parsing import parse
from simulators.console import ConsoleLine
from simulators.families.huawei_vrp.cli import BOOTLOAD_PASSWORD, VrpSession
from simulators.families.huawei_vrp.device import FACTORY_PASSWORD, MODELS, SERIAL_FORMAT, VrpDevice, vrp_entities
from simulators.family import family
from simulators.faults import parse_faults
from simulators.fleet import SimSlot, serve
from simulators.ssh_server import SshFrontEnd

FAULTS = "leftover_config,crashinfo,optic_dom_alarm,crc_errors,port_dead"


def _device(model: str, faults: str = "") -> VrpDevice:
    return VrpDevice("S1", 1, 7, model, parse_faults(",".join(f"S1:{f}" for f in faults.split(",") if f)))


def _cli(dev: VrpDevice) -> VrpSession:
    cli = VrpSession(dev, console=False, username="admin")
    assert cli.banner().endswith(f"<{dev.hostname}>")
    cli.feed("screen-length 0 temporary\r")  # as netmiko does: no pager
    return cli


def _run(cli: VrpSession, cmd: str) -> str:
    return cli.feed(cmd + "\r").text.replace("\r\n", "\n")


@pytest.mark.parametrize("model", sorted(MODELS))
def test_netmiko_and_textfsm_read_the_model(loop: LoopThread, model: str) -> None:
    dev = _device(model, FAULTS)
    fe = SshFrontEnd(dev)
    loop.run(fe.start())
    try:
        conn = ConnectHandler(device_type="huawei", host="127.0.0.1", port=fe.port, username="admin",
                              password=dev.running.users["admin"], conn_timeout=10, auth_timeout=10,
                              banner_timeout=10)
        assert conn.find_prompt() == f"<{dev.hostname}>"
        # netmiko's `huawei` type is ntc-templates' `huawei_vrp` platform: parse as the bench does
        version = parse("huawei_vrp", "display version", conn.send_command("display version"))
        assert version[0]["model"].startswith(dev.spec.pid) and version[0]["vrp_version"] == dev.spec.vrp
        device = parse("huawei_vrp", "display device", conn.send_command("display device"))
        assert device[0]["pid"] == dev.spec.pid[:19]
        brief = parse("huawei_vrp", "display interface brief", conn.send_command("display interface brief"))
        up = dev.uptime()
        ports = [r for r in brief if not r["interface"].startswith(("NULL", "Vlanif"))]
        assert [r["interface"] for r in ports] == [p.name for p in dev.ports]
        assert [r["phy"] for r in ports] == ["up" if p.up(up) else "down" for p in dev.ports]
        assert "Error: Unrecognized command found at '^' position." in conn.send_command("show version")
        assert dev.serial in conn.send_command("display esn")
        crc = next(p for p in dev.ports if p.crc)
        assert re.search(r"CRC:\s+[1-9]", conn.send_command(f"display interface {crc.name}"))
        assert "RX Power(dBm)" in conn.send_command("display transceiver verbose")
        conn.disconnect()
    finally:
        loop.run(fe.stop())


def test_fleet_serves_family_with_snmp(loop: LoopThread, tmp_path) -> None:  # type: ignore[no-untyped-def]
    stop, ready = asyncio.Event(), asyncio.Event()
    started: list[SimSlot] = []
    fut = asyncio.run_coroutine_threadsafe(
        serve(1, 3, ["huawei_vrp"], "S1:serial_mismatch,S1:fan_failed", str(tmp_path / "bench.yaml"), ready=ready,
              stop=stop, started=started), loop.loop)
    try:
        loop.run(asyncio.wait_for(ready.wait(), 15))
        slot = started[0]
        dev = slot.device
        assert isinstance(dev, VrpDevice) and slot.snmp_port
        base = "1.3.6.1.2.1.47.1.1.1.1"
        ent = snmp_walk(slot.snmp_port, base, quick=True)
        for idx, _descr, _inside, cls, name, sn, model, _fru in vrp_entities(dev):
            assert (ent[f"{base}.5.{idx}"], ent[f"{base}.7.{idx}"], ent[f"{base}.11.{idx}"],
                    ent[f"{base}.13.{idx}"]) == (str(cls), name, sn, model)
        assert ent[f"{base}.11.16777216"] != dev.serial  # serial_mismatch: SNMP differs from the CLI and the label
        got = subprocess.run(["snmpget", "-v2c", "-c", "public", "-On", "-Oqv", f"127.0.0.1:{slot.snmp_port}",
                              "1.3.6.1.2.1.1.2.0", "1.3.6.1.2.1.1.1.0",
                              "1.3.6.1.4.1.2011.5.25.31.1.1.10.1.7.0.1"],
                             capture_output=True, text=True, timeout=10, check=True).stdout
        assert got.split("\n")[0].lstrip(".") == dev.spec.sys_object_id
        assert "Huawei Versatile Routing Platform Software" in got
        assert got.strip().split("\n")[-1] == "2"  # hwEntityFanState of FAN1: abnormal
        text = (tmp_path / "bench.yaml").read_text()
        assert "netmiko_device_type: huawei" in text and f"serial: {dev.serial}" in text
        assert family("huawei_vrp").factory_credentials == ("admin", FACTORY_PASSWORD, "")
    finally:
        loop.call(stop.set)
        fut.result(15)


def test_console_login_and_bootload_recovery(loop: LoopThread) -> None:
    dev = _device("S5720-28X-SI-AC", "unknown_password,leftover_config")
    con = ConsoleLine(dev, baud=115200, with_pty=False)
    loop.run(con.start())
    port = serial.serial_for_url(f"socket://127.0.0.1:{con.port}", timeout=0.2)
    try:
        loop.call(con.power_off)
        loop.call(con.power_on)
        read_until(port.read_all, rb"Press Ctrl\+B or Ctrl\+E to enter BootLoad menu")
        read_until(port.read_all, rb"Press ENTER to get started")
        port.write(b"\x02")
        read_until(port.read_all, rb"Password: $")
        port.write(BOOTLOAD_PASSWORD.encode() + b"\r")
        read_until(port.read_all, rb"Enter your choice\(1-7\): $")
        port.write(b"2\r")  # startup submenu: clear the next startup configuration (the owner's, and his password)
        read_until(port.read_all, rb"Enter your choice\(1-5\): $")
        port.write(b"4\r")
        read_until(port.read_all, rb"Clear next startup configuration file successfully")
        port.write(b"5\r")
        read_until(port.read_all, rb"Enter your choice\(1-7\): $")
        port.write(b"1\r")
        read_until(port.read_all, rb"Press ENTER to get started")
        port.write(b"\r")
        read_until(port.read_all, rb"Username:$")
        port.write(b"admin\r")
        read_until(port.read_all, rb"Password:")
        port.write(FACTORY_PASSWORD.encode() + b"\r")
        read_until(port.read_all, rb"<HUAWEI>")
        port.write(b"display esn\r")
        assert dev.serial.encode() in read_until(port.read_all, rb"<HUAWEI>")
    finally:
        port.close()
        loop.run(con.stop())


def test_faults_show_where_the_bench_reads() -> None:
    dev = _device("S5720-28P-PWR-LI-AC", "fan_failed,psu_failed,overtemp,poe_fault")
    cli = _cli(dev)
    assert re.search(r"Present\s+Abnormal", _run(cli, "display fan"))
    assert "NotSupply" in _run(cli, "display power")
    assert re.search(r"MAJOR\s+84\s", _run(cli, "display temperature all"))
    assert "Over-current" in _run(cli, "display poe power-state")
    for model in MODELS:
        assert SERIAL_FORMAT.match(_device(model).serial), model
    fake = _device("AR2220", "counterfeit_serial")
    assert not SERIAL_FORMAT.match(fake.serial) and fake.serial in _run(_cli(fake), "display esn")
    owned = _device("CE6850-48S4Q-EI", "unknown_password,leftover_config")
    assert not owned.check_login("admin", FACTORY_PASSWORD)
    cfg = _run(_cli(owned), "display current-configuration")
    assert "sysname ACME-" in cfg and "local-user netops" in cfg


def test_old_release_refuses_factory_reset_and_questions_guard_the_reboot() -> None:
    dev = _device("S5720-28X-SI-AC", "leftover_config")
    cli = _cli(dev)
    assert "Error: Unrecognized command found at '^' position." in _run(cli, "reset factory-configuration")
    assert "Continue? [Y/N]:" in _run(cli, "reset saved-configuration")
    assert "Succeeded in clearing the configuration" in _run(cli, "y")
    assert "(y/n)[n]:" in _run(cli, "delete /unreserved flash:/backup-2019.cfg")
    assert "succeeded" in _run(cli, "y") and "backup-2019.cfg" not in dev.files
    gen = dev.generation
    assert "saved-configuration file. Continue? [Y/N]:" in _run(cli, "reboot")
    assert "System will reboot! Continue ? [y/n]:" in _run(cli, "n")
    cli.feed("y\r")
    assert dev.generation == gen + 1 and dev.hostname == "HUAWEI"


@pytest.mark.parametrize("model", sorted(MODELS))
def test_profile_auto_names_the_family_and_model_and_no_other(model: str) -> None:
    """What a unit says (sysObjectID + sysDescr over SNMP, `display version` over SSH) names huawei_vrp only."""
    from bench.profiles import Catalog
    from simulators.families.huawei_vrp.cli import display_version

    catalog = Catalog.load()
    dev = _device(model)
    by_snmp = catalog.identification(sys_object_id=dev.spec.sys_object_id, sys_descr=dev.sys_descr())
    by_ssh = catalog.identification(show_version=display_version(dev))
    assert by_snmp.profile is not None and by_snmp.profile.name == "huawei_vrp" and by_snmp.model == model
    assert by_ssh.profile is not None and by_ssh.profile.name == "huawei_vrp" and by_ssh.model == model


def test_the_pager_holds_long_answers_until_a_key() -> None:
    dev = _device(next(iter(MODELS)))
    cli = VrpSession(dev, console=False, username="admin")
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
    cli.feed("screen-length 0 temporary\r")
    assert cli.feed("display interface brief\r").text.endswith(f"<{dev.hostname}>")
