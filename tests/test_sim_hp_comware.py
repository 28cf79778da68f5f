"""hp_comware family: real netmiko (hp_comware driver) over the asyncssh front end, snmpbulkwalk, the console
login and BootWare menu, faults."""

from __future__ import annotations

import re
from functools import partial

import pytest
from helpers.loop_thread import LoopThread
from helpers.sim_clients import snmp_walk
from helpers.sim_console import cold_boot, console_login, console_port, converse
from helpers.sim_faults import assert_counterfeit_serial
from helpers.sim_fleet import ENTITY, assert_bench_file_lists, entity_columns, fleet_unit, snmp_get
from helpers.sim_ssh import netmiko_on
from helpers.sim_units import assert_pages_of_23_lines, catalog_identifies, opened, run, unit

from simulators.families.hp_comware.cli import ComwareSession
from simulators.families.hp_comware.device import MODELS, SERIAL_FORMAT, ComwareDevice, entities

FAULTS = "leftover_config,crashinfo,optic_dom_alarm,crc_errors,port_dead"


_device = partial(unit, ComwareDevice)


def _cli(dev: ComwareDevice) -> ComwareSession:
    # the pager off, as netmiko does
    cli = ComwareSession(dev, console=False, username="admin")
    return opened(cli, f"<{dev.hostname}>", "screen-length disable", banner=True)


@pytest.mark.parametrize("model", sorted(MODELS))
def test_netmiko_and_textfsm_read_the_model(loop: LoopThread, model: str) -> None:
    dev = _device(model, FAULTS)
    with netmiko_on(loop, dev, "hp_comware", "admin", dev.running.users["admin"]) as conn:
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


def test_fleet_serves_family_with_snmp(loop: LoopThread, tmp_path) -> None:  # type: ignore[no-untyped-def]
    faults = "S1:serial_mismatch,S1:fan_failed"
    with fleet_unit(loop, ComwareDevice, "hp_comware", faults, tmp_path) as (dev, port):
        ent = snmp_walk(port, ENTITY, quick=True)
        for e in entities(dev):
            assert entity_columns(ent, e.index, 7, 11, 13) == (e.name, e.serial, e.model)
        assert ent[f"{ENTITY}.11.1"] != dev.serial  # serial_mismatch: SNMP differs from the CLI and the label
        system = snmp_walk(port, "1.3.6.1.2.1.1", quick=True)
        assert system["1.3.6.1.2.1.1.2.0"].lstrip(".") == dev.spec.sys_object_id
        assert "Comware Platform Software" in system["1.3.6.1.2.1.1.1.0"]
        ext = snmp_get(port, "1.3.6.1.4.1.25506.2.6.1.1.1.1.19.201", "1.3.6.1.4.1.25506.2.6.1.1.1.1.19.1")
        assert ext == ["41", "2"]  # hh3cEntityExtErrorStatus: fan 1 fanError, chassis normal
        linked = next(p for p in dev.ports if p.up(dev.uptime()))
        iftab = snmp_walk(port, "1.3.6.1.2.1.2.2", quick=True)
        assert iftab[f"1.3.6.1.2.1.2.2.1.2.{linked.if_index}"] == linked.name
        assert int(iftab[f"1.3.6.1.2.1.2.2.1.10.{linked.if_index}"]) > 0
        assert_bench_file_lists(tmp_path, "hp_comware", "hp_comware", dev.serial, ("admin", "admin", "admin"))


def test_console_login_and_bootware_recovery(loop: LoopThread) -> None:
    dev = _device("JG932A", "unknown_password")
    with console_port(loop, dev) as (port, line):
        # a cold boot: the BootWare offers its menu on the way up
        cold_boot(loop, port, line, rb"Press Ctrl\+B to access EXTENDED-BOOTWARE MENU", rb"Press ENTER to get started")
        converse(port, [
            (b"\x02", rb"Enter your choice\(0-9\): $"),  # Ctrl+B right after the boot: the EXTENDED-BOOTWARE menu
            (b"6\r", rb"Flag Set Success"),  # skip the current system configuration on the next boot
            (b"1\r", rb"Press ENTER to get started"),
        ])
        # the factory password: the owner's configuration (and password) was skipped
        console_login(port, rb"login: $", "admin", "admin", rb"<HPE>")
        out = converse(port, [(b"display device manuinfo\r", rb"<HPE>")])
        assert dev.serial.encode() in out


def test_faults_show_where_the_bench_reads() -> None:
    dev = _device("JG936A", "fan_failed,psu_failed,overtemp,poe_fault")
    cli = _cli(dev)
    assert "State    : Fault" in run(cli, "display fan")
    assert re.search(r"^ 1\s+Fault", run(cli, "display power"), re.MULTILINE)
    assert re.search(r"hotspot 1\s+84\s", run(cli, "display environment"))
    assert "Overload" in run(cli, "display poe interface")
    assert SERIAL_FORMAT.match(_device("S5560-30C-EI").serial)
    assert_counterfeit_serial(_device, "JG932A", SERIAL_FORMAT, _cli, "display device manuinfo")
    owned = _device("JG932A", "unknown_password,leftover_config")
    assert not owned.check_login("admin", "admin")
    cfg = run(_cli(owned), "display current-configuration")
    assert "sysname ACME-" in cfg and "local-user netops" in cfg


def test_comware5_refuses_restore_and_questions_guard_the_reboot() -> None:
    dev = _device("JG311A", "leftover_config")
    cli = _cli(dev)
    assert "% Unrecognized command found at '^' position." in run(cli, "restore factory-default")
    assert "Are you sure? [Y/N]:" in run(cli, "reset saved-configuration")
    assert "Configuration file is cleared." in run(cli, "Y")
    assert dev.startup is None
    gen = dev.generation
    assert "save current configuration? [Y/N]:" in run(cli, "reboot")
    assert "Continue? [Y/N]:" in run(cli, "N")
    cli.feed("Y\r")
    assert dev.generation == gen + 1 and dev.hostname == "HP"
    assert "Incomplete command" in run(_cli(dev), "display transceiver")


@pytest.mark.parametrize("model", sorted(MODELS))
def test_profile_auto_names_the_family_and_model_and_no_other(model: str) -> None:
    """What a unit says (sysObjectID + sysDescr over SNMP, `display version` over SSH) names hp_comware only."""
    from bench.profiles import Catalog
    from simulators.families.hp_comware.cli import display_version

    dev = _device(model)
    _by_snmp, by_ssh = catalog_identifies(dev, "hp_comware", display_version(dev))
    if dev.spec.comware == 7:  # Comware 5's `display version` names no product number; manuinfo does
        assert by_ssh.model == model
    huawei = "Huawei Versatile Routing Platform Software\nComware"
    assert Catalog.load().identification(show_version=huawei).profile is None


def test_the_pager_holds_long_answers_until_a_key() -> None:
    dev = _device(next(iter(MODELS)))
    cli = ComwareSession(dev, console=False, username="admin")
    cli.banner()
    prompt = f"<{dev.hostname}>"
    assert_pages_of_23_lines(cli, "display interface brief", "---- More ----", prompt, "screen-length disable")
