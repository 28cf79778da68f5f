"""aruba_aoscx family: real netmiko over the SSH front end, snmpbulkwalk, console boot and login, faults."""

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

from simulators.families.aruba_aoscx.cli import CxSession, dom_values
from simulators.families.aruba_aoscx.device import MODELS, SERIAL_FORMAT, CxDevice, entities

FAULTS = "leftover_config,crashinfo,optic_dom_alarm,crc_errors,port_dead"


_device = partial(unit, CxDevice)


def _cli(dev: CxDevice, paged: bool = False) -> CxSession:
    at_login = () if paged else ("no page",)  # as netmiko does at login
    return opened(CxSession(dev, console=False, username="admin"), "#", *at_login)


@pytest.mark.parametrize("model", sorted(MODELS))
def test_netmiko_textfsm_matches_model(loop: LoopThread, model: str) -> None:
    dev = _device(model, FAULTS)
    with netmiko_on(loop, dev, "aruba_aoscx", "admin", "") as conn:
        assert conn.find_prompt() == f"{dev.hostname}#"
        row = conn.send_command("show system", use_textfsm=True)[0]
        assert (row["serial"], row["hostname"], row["version"]) == (dev.serial, dev.hostname, dev.spec.version)
        assert row["product"].split()[0] == dev.model
        mods = conn.send_command("show module", use_textfsm=True)
        assert {(r["model"], r["serial"]) for r in mods} == {(dev.model, sn) for sn in dev.member_serials}
        vsf = conn.send_command("show vsf detail", use_textfsm=True)
        if dev.spec.vsf:
            assert [r["serial_number"] for r in vsf if r["member_id"].isdigit()] == dev.member_serials
        else:
            assert "Invalid input: vsf" in vsf
        up = dev.uptime()
        ifs = conn.send_command("show interface", use_textfsm=True)
        assert [r["interface"] for r in ifs] == [p.name for p in dev.ports]
        assert [r["link_status"] for r in ifs] == ["up" if p.up(up) else "down" for p in dev.ports]
        crc = next(p for p in dev.ports if p.crc)
        assert int(next(r for r in ifs if r["interface"] == crc.name)["rx_crc_fcs"]) > 0
        dom = conn.send_command("show interface dom detail", use_textfsm=True)
        assert {r["interface"] for r in dom} == {p.name for p in dev.ports if p.optic}
        alarm = next(r for r in dom if r["interface"] == next(p.name for p in dev.ports if p.dom_alarm))
        assert alarm["rx_low_alarm_trig"] == ["On"]
        assert "ArubaOS-CX" in conn.send_command("show version")
        assert "hpe-fand" in conn.send_command("show core-dump all")
        assert "Invalid input: frobnicate" in conn.send_command("show frobnicate")


def test_fleet_serves_family_with_snmp(loop: LoopThread, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with fleet_unit(loop, CxDevice, "aruba_aoscx", "S1:serial_mismatch", tmp_path) as (dev, port):
        ent = snmp_walk(port, ENTITY, quick=True)
        for idx, descr, _parent, cls, name, serial_no, model, _sw, _fru in entities(dev):
            assert entity_columns(ent, idx, 2, 5, 7, 11, 13) == (descr, str(cls), name, serial_no, model)
        assert ent[f"{ENTITY}.11.1"] != dev.serial  # serial_mismatch: SNMP differs from CLI/label
        iftab = snmp_walk(port, "1.3.6.1.2.1.2.2", quick=True)
        assert_oper_status(iftab, dev)
        linked = next(p for p in dev.ports if p.linked)
        assert int(iftab[f"1.3.6.1.2.1.2.2.1.10.{linked.if_index}"]) > 0
        got = snmp_get(port, "1.3.6.1.2.1.1.2.0", "1.3.6.1.2.1.1.1.0")
        assert got[0].lstrip(".") == dev.spec.sys_object_id and got[0].lstrip(".").startswith("1.3.6.1.4.1.47196.")
        assert got[1].strip('"') == f"Aruba {dev.model} {dev.spec.name} {dev.spec.version}"
        assert_bench_file_lists(tmp_path, "aruba_aoscx", "aruba_aoscx", dev.serial, ("admin", "", ""))


def test_console_boot_menu_then_login(loop: LoopThread) -> None:
    dev = _device("JL661A")
    with console_port(loop, dev) as (port, _line):
        console_login(port, rb"login: $", "admin", "", rb"6300# $|6300#$")
        out = console_reload(port, b"boot system\r", rb"Continue \(y/n\)\? $", b"y\r", rb"login: $", timeout=30)
        # The Service OS loader offers its menu (0: Service OS console, where passwords are reset), then AOS-CX boots.
        assert b"0. Service OS Console" in out and b"Booting primary software image" in out


def test_environment_faults() -> None:
    dev = _device("JL661A", "fan_failed,psu_failed,overtemp")
    cli = _cli(dev)
    assert re.search(r"1/1\s+JL669A\s+\S+\s+N/A\s+front-to-back\s+fault", run(cli, "show environment fan"))
    assert re.search(r"1/1\s+JL087A\s+\S+\s+Output Fault", run(cli, "show environment power-supply"))
    assert re.search(r"1/1-Inlet-Air\s+management-module\s+6\d\.00 C\s+critical", run(cli, "sh env temp"))
    healthy = _cli(_device("JL661A"))
    assert "fault" not in run(healthy, "show environment fan") and "Fault" not in run(healthy, "show env power")


def test_identity_faults() -> None:
    fake = assert_counterfeit_serial(_device, "JL675A", SERIAL_FORMAT, _cli, "show system")
    assert fake.snmp_view()["1.3.6.1.2.1.47.1.1.1.1.11.1"][1] == fake.serial
    owned = _device("JL675A", "unknown_password,leftover_config")
    assert not owned.check_login("admin", "")
    cfg = run(_cli(owned), "show running-config")
    assert "hostname acme-core-sw" in cfg and "user netops" in cfg and "name VOICE" in cfg
    assert "before-upgrade" in run(_cli(owned), "show checkpoint")


def test_link_faults_and_dom() -> None:
    dev = _device("JL725A", "link_flap,optic_dom_alarm,poe_fault")
    flapping_port(dev)
    optic = next(p for p in dev.ports if p.dom_alarm)
    assert dom_values(optic, dev.uptime())["Rx Power"] < 0.05
    assert re.search(r"\d+/\d+/\d+\s+Enabled\s+Fault", run(_cli(dev), "show power-over-ethernet"))
    assert "Invalid input: power-over-ethernet" in run(_cli(_device("JL479A")), "show power-over-ethernet")


def test_session_faults_reload_and_zeroize() -> None:
    assert_session_faults(_device, "JL675A", partial(_cli, paged=True), "show version", "show system",
                          partial(CxSession, console=False, username="admin"), "show system")

    dev = _device("JL675A", "leftover_config,crashinfo")
    cli = _cli(dev)
    assert "Command incomplete." in run(cli, "erase all")
    assert "Continue (y/n)?" in run(cli, "erase all zeroize")
    assert cli.feed("y\r").close
    assert dev.hostname == dev.spec.series and set(dev.running.vlans) == {1}
    assert dev.users == {"admin": ""} and dev.checkpoints == [] and dev.cores == []
    assert dev.boots[-1].reason == "Zeroization"


def test_pager_holds_long_output_until_no_page() -> None:
    cli = _cli(_device("JL675A"), paged=True)
    first = cli.feed("show interface brief\r").text
    assert first.endswith("-- MORE --, next page: Space, next line: Enter, quit: Control-C") and cli.state == "more"
    assert "1/1/30 " not in first and "1/1/30 " in cli.feed(" ").text
    assert cli.feed("\x03").text.endswith("6100#") and cli.state == "cli"
    run(cli, "no page")
    assert run(cli, "show interface brief").rstrip().endswith("6100#") and "MORE" not in run(cli, "show system")
