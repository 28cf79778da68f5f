"""dell_os10 family: real netmiko over the SSH front end, snmpbulkwalk, console boot (GRUB) and login, faults."""

from __future__ import annotations

import re
from functools import partial

import pytest
from helpers.loop_thread import LoopThread
from helpers.sim_clients import snmp_walk
from helpers.sim_console import console_login, console_port, console_reload
from helpers.sim_faults import (
    assert_counterfeit_serial,
    assert_session_faults,
    flapping_port,
)
from helpers.sim_fleet import ENTITY, assert_bench_file_lists, assert_oper_status, entity_columns, fleet_unit, snmp_get
from helpers.sim_ssh import netmiko_on
from helpers.sim_units import opened, run, unit

from simulators.families.dell_os10.cli import Os10Session, dom_values
from simulators.families.dell_os10.device import MODELS, SERIAL_FORMAT, Os10Device, entities

FAULTS = "leftover_config,crashinfo,optic_dom_alarm,crc_errors,port_dead"


_device = partial(unit, Os10Device)


def _cli(dev: Os10Device, paged: bool = False) -> Os10Session:
    at_login = () if paged else ("terminal length 0",)  # as netmiko does at login
    return opened(Os10Session(dev, console=False, username="admin"), "# ", *at_login)


@pytest.mark.parametrize("model", sorted(MODELS))
def test_netmiko_session_matches_model(loop: LoopThread, model: str) -> None:
    dev = _device(model, FAULTS)
    with netmiko_on(loop, dev, "dell_os10", "admin", "admin") as conn:
        assert conn.find_prompt() == f"{dev.hostname}#"
        version = conn.send_command("show version")
        assert "Dell EMC Networking OS10 Enterprise" in version and f"System Type: {model}" in version
        inv = conn.send_command("show inventory")
        assert re.search(rf"^\* 1\s+{re.escape(model)}\s+\S+\s+A00\s+{re.escape(dev.ppid)}\s+{dev.serial}\b", inv,
                         re.MULTILINE)
        status = conn.send_command("show interface status")
        up = dev.uptime()
        for p in dev.ports:
            assert re.search(rf"^{re.escape(p.short)}\s+{'up' if p.up(up) else 'down'}\b", status, re.MULTILINE)
        crc = next(p for p in dev.ports if p.crc)
        assert re.search(r"[1-9]\d* CRC", conn.send_command(f"show interface {crc.name}"))
        assert "core.dn_eqm." in conn.send_command("dir coredump")
        assert "Rx Power                = 0.011mW" in conn.send_command("show interface transceiver")
        assert conn.send_command("show frobnicate").strip() == "% Error: Unrecognized command."


def test_fleet_serves_family_with_snmp(loop: LoopThread, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with fleet_unit(loop, Os10Device, "dell_os10", "S1:serial_mismatch", tmp_path) as (dev, port):
        ent = snmp_walk(port, ENTITY, quick=True)
        for idx, descr, _parent, cls, name, serial_no, model, _fru in entities(dev):
            assert entity_columns(ent, idx, 2, 5, 7, 11, 13) == (descr, str(cls), name, serial_no, model)
        assert ent[f"{ENTITY}.11.1"] != dev.serial  # serial_mismatch: SNMP differs from CLI/label
        iftab = snmp_walk(port, "1.3.6.1.2.1.2.2", quick=True)
        assert_oper_status(iftab, dev)
        got = snmp_get(port, "1.3.6.1.2.1.1.2.0")[0]
        assert got.strip().lstrip(".") == dev.spec.sys_object_id
        assert dev.snmp_view()["1.3.6.1.2.1.1.1.0"][1].startswith("Dell EMC Networking OS10 Enterprise.")
        assert_bench_file_lists(tmp_path, "dell_os10", "dell_os10", dev.serial, ("admin", "admin", ""))


def test_console_grub_then_login(loop: LoopThread) -> None:
    dev = _device("S4048-ON")
    with console_port(loop, dev) as (port, _line):
        console_login(port, rb"OS10 login: $", "admin", "admin", rb"OS10# $")
        out = console_reload(port, b"reload\r", rb"\[confirm yes/no\]:$", b"yes\r", rb"OS10 login: $", timeout=30)
        # GRUB offers OS10-A, OS10-B and ONIE (where `uninstall` erases the switch), then OS10 boots.
        assert b"GNU GRUB" in out and b"| ONIE" in out and b"Dell EMC Networking Operating System" in out


def test_environment_faults() -> None:
    dev = _device("Z9100-ON", "fan_failed,psu_failed,overtemp")
    cli = _cli(dev)
    system = run(cli, "show system")
    assert re.search(r"^1\s+fail\s", system.split("-- Fan Status --")[1], re.MULTILINE)
    assert re.search(r"^1\s+fail\s", system.split("-- Power Supplies --")[1], re.MULTILINE)
    alarms = run(cli, "show alarms")
    assert "Active-alarm details - 3" in alarms
    assert "EQM_THERMAL_CRIT" in alarms and "/thermal-sensor/3" in alarms
    assert re.search(r"System Inlet Ambient-1 temp sensor\s+6\d", run(cli, "show environment"))
    assert "Active-alarm details - 0" in run(_cli(_device("Z9100-ON")), "show alarms")


def test_identity_faults() -> None:
    fake = assert_counterfeit_serial(_device, "S3048-ON", SERIAL_FORMAT, _cli, "show inventory")
    assert fake.snmp_view()["1.3.6.1.2.1.47.1.1.1.1.11.1"][1] == fake.serial
    owned = _device("S3048-ON", "unknown_password,leftover_config")
    assert not owned.check_login("admin", "admin")
    cfg = run(_cli(owned), "show running-configuration")
    assert "hostname acme-leaf" in cfg and "username netops" in cfg and "interface vlan100" in cfg
    assert "ztd-provision.py" in run(_cli(owned), "dir config")


def test_link_faults_and_dom() -> None:
    dev = _device("S3048-ON", "link_flap,optic_dom_alarm")
    flapping_port(dev)
    optic = next(p for p in dev.ports if p.dom_alarm)
    assert dom_values(optic, dev.uptime())["Rx Power"] < 0.02
    assert run(_cli(dev), "show inline power").splitlines()[1] == "% Error: Unrecognized command."


def test_session_faults_reload_and_wipe() -> None:
    assert_session_faults(_device, "S3048-ON", partial(_cli, paged=True), "show version", "show system",
                          partial(Os10Session, console=False, username="admin"), "show system")

    dev = _device("S3048-ON", "leftover_config")
    cli = _cli(dev)
    assert run(cli, "delete config://nothing.txt").splitlines()[1] == "% Error: File does not exist."
    run(cli, "delete startup-configuration")
    assert "Startup configuration file does not exist" in run(cli, "show startup-configuration")
    assert "Save? [yes/no]:" in run(cli, "reload")
    assert "[confirm yes/no]:" in run(cli, "no")
    assert cli.feed("yes\r").close
    assert dev.hostname == "OS10" and dev.users == {"admin": "admin"} and dev.reload_reason == "Reboot by user"


def test_pager_holds_long_output_until_terminal_length_0() -> None:
    cli = _cli(_device("S3048-ON"), paged=True)
    first = cli.feed("show interface status\r").text
    assert first.endswith("--more--") and cli.state == "more" and "Eth 1/1/40 " not in first
    assert "Eth 1/1/20 " in cli.feed("\r").text  # Enter: one more line
    assert cli.feed("q").text.endswith("OS10# ") and cli.state == "cli"
    run(cli, "terminal length 0")
    assert "--more--" not in run(cli, "show interface status")
