"""huawei_vrp family: real netmiko (huawei driver) over the asyncssh front end, snmpget/snmpbulkwalk, the console
login and BootLoad menu, faults."""

from __future__ import annotations

import re
from functools import partial

import pytest
from helpers.loop_thread import LoopThread, read_until
from helpers.sim_clients import snmp_walk
from helpers.sim_console import cold_boot, console_login, console_port, converse
from helpers.sim_faults import assert_counterfeit_serial
from helpers.sim_fleet import ENTITY, assert_bench_file_lists, entity_columns, fleet_unit, snmp_get
from helpers.sim_ssh import netmiko_on
from helpers.sim_units import assert_pages_of_23_lines, catalog_identifies, opened, run, unit

from bench.drivers.parsing import parse
from simulators.families.huawei_vrp.cli import BOOTLOAD_PASSWORD, VrpSession
from simulators.families.huawei_vrp.device import FACTORY_PASSWORD, MODELS, SERIAL_FORMAT, VrpDevice, vrp_entities

FAULTS = "leftover_config,crashinfo,optic_dom_alarm,crc_errors,port_dead"


_device = partial(unit, VrpDevice)


def _cli(dev: VrpDevice) -> VrpSession:
    # the pager off, as netmiko does
    cli = VrpSession(dev, console=False, username="admin")
    return opened(cli, f"<{dev.hostname}>", "screen-length 0 temporary", banner=True)


@pytest.mark.parametrize("model", sorted(MODELS))
def test_netmiko_and_textfsm_read_the_model(loop: LoopThread, model: str) -> None:
    dev = _device(model, FAULTS)
    with netmiko_on(loop, dev, "huawei", "admin", dev.running.users["admin"]) as conn:
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


def test_fleet_serves_family_with_snmp(loop: LoopThread, tmp_path) -> None:  # type: ignore[no-untyped-def]
    faults = "S1:serial_mismatch,S1:fan_failed"
    with fleet_unit(loop, VrpDevice, "huawei_vrp", faults, tmp_path) as (dev, port):
        ent = snmp_walk(port, ENTITY, quick=True)
        for idx, _descr, _inside, cls, name, sn, model, _fru in vrp_entities(dev):
            assert entity_columns(ent, idx, 5, 7, 11, 13) == (str(cls), name, sn, model)
        assert ent[f"{ENTITY}.11.16777216"] != dev.serial  # serial_mismatch: SNMP differs from the CLI and the label
        got = snmp_get(port, "1.3.6.1.2.1.1.2.0", "1.3.6.1.2.1.1.1.0", "1.3.6.1.4.1.2011.5.25.31.1.1.10.1.7.0.1")
        assert got[0].lstrip(".") == dev.spec.sys_object_id
        assert "Huawei Versatile Routing Platform Software" in "\n".join(got)
        assert got[-1] == "2"  # hwEntityFanState of FAN1: abnormal
        assert_bench_file_lists(tmp_path, "huawei_vrp", "huawei", dev.serial, ("admin", FACTORY_PASSWORD, ""))


def test_console_login_and_bootload_recovery(loop: LoopThread) -> None:
    dev = _device("S5720-28X-SI-AC", "unknown_password,leftover_config")
    with console_port(loop, dev) as (port, line):
        cold_boot(loop, port, line, rb"Press Ctrl\+B or Ctrl\+E to enter BootLoad menu", rb"Press ENTER to get started")
        converse(port, [
            (b"\x02", rb"Password: $"),
            (BOOTLOAD_PASSWORD.encode() + b"\r", rb"Enter your choice\(1-7\): $"),
            # startup submenu: clear the next startup configuration (the owner's, and his password)
            (b"2\r", rb"Enter your choice\(1-5\): $"),
            (b"4\r", rb"Clear next startup configuration file successfully"),
            (b"5\r", rb"Enter your choice\(1-7\): $"),
            (b"1\r", rb"Press ENTER to get started"),
        ])
        console_login(port, rb"Username:$", "admin", FACTORY_PASSWORD, rb"<HUAWEI>", rb"Password:")
        port.write(b"display esn\r")
        assert dev.serial.encode() in read_until(port.read_all, rb"<HUAWEI>")


def test_faults_show_where_the_bench_reads() -> None:
    dev = _device("S5720-28P-PWR-LI-AC", "fan_failed,psu_failed,overtemp,poe_fault")
    cli = _cli(dev)
    assert re.search(r"Present\s+Abnormal", run(cli, "display fan"))
    assert "NotSupply" in run(cli, "display power")
    assert re.search(r"MAJOR\s+84\s", run(cli, "display temperature all"))
    assert "Over-current" in run(cli, "display poe power-state")
    for model in MODELS:
        assert SERIAL_FORMAT.match(_device(model).serial), model
    assert_counterfeit_serial(_device, "AR2220", SERIAL_FORMAT, _cli, "display esn")
    owned = _device("CE6850-48S4Q-EI", "unknown_password,leftover_config")
    assert not owned.check_login("admin", FACTORY_PASSWORD)
    cfg = run(_cli(owned), "display current-configuration")
    assert "sysname ACME-" in cfg and "local-user netops" in cfg


def test_old_release_refuses_factory_reset_and_questions_guard_the_reboot() -> None:
    dev = _device("S5720-28X-SI-AC", "leftover_config")
    cli = _cli(dev)
    assert "Error: Unrecognized command found at '^' position." in run(cli, "reset factory-configuration")
    assert "Continue? [Y/N]:" in run(cli, "reset saved-configuration")
    assert "Succeeded in clearing the configuration" in run(cli, "y")
    assert "(y/n)[n]:" in run(cli, "delete /unreserved flash:/backup-2019.cfg")
    assert "succeeded" in run(cli, "y") and "backup-2019.cfg" not in dev.files
    gen = dev.generation
    assert "saved-configuration file. Continue? [Y/N]:" in run(cli, "reboot")
    assert "System will reboot! Continue ? [y/n]:" in run(cli, "n")
    cli.feed("y\r")
    assert dev.generation == gen + 1 and dev.hostname == "HUAWEI"


@pytest.mark.parametrize("model", sorted(MODELS))
def test_profile_auto_names_the_family_and_model_and_no_other(model: str) -> None:
    """What a unit says (sysObjectID + sysDescr over SNMP, `display version` over SSH) names huawei_vrp only."""
    from simulators.families.huawei_vrp.cli import display_version

    dev = _device(model)
    by_snmp, by_ssh = catalog_identifies(dev, "huawei_vrp", display_version(dev))
    assert by_snmp.model == model and by_ssh.model == model


def test_the_pager_holds_long_answers_until_a_key() -> None:
    dev = _device(next(iter(MODELS)))
    cli = VrpSession(dev, console=False, username="admin")
    cli.banner()
    prompt = f"<{dev.hostname}>"
    assert_pages_of_23_lines(cli, "display interface brief", "---- More ----", prompt, "screen-length 0 temporary")
