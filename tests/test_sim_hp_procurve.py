"""hp_procurve family: real netmiko over the asyncssh front end, snmpbulkwalk, console login, faults."""

from __future__ import annotations

import re
from functools import partial

import pytest
from helpers.loop_thread import LoopThread
from helpers.sim_clients import snmp_walk
from helpers.sim_console import console_login, console_port, converse
from helpers.sim_faults import (
    assert_counterfeit_serial,
    assert_session_faults,
)
from helpers.sim_fleet import (
    ENTITY,
    IF_ENTRY,
    assert_bench_file_lists,
    assert_oper_status,
    entity_columns,
    fleet_unit,
    snmp_get,
)
from helpers.sim_ssh import netmiko_on
from helpers.sim_units import opened, run, unit
from textfsm.parser import TextFSMError

from simulators.families.hp_procurve.cli import ProcurveSession, dom
from simulators.families.hp_procurve.device import MODELS, SERIAL_FORMAT, ProcurveDevice, entities

FAULTS = "leftover_config,parity_crash,optic_dom_alarm,crc_errors,port_dead"


_device = partial(unit, ProcurveDevice)


def _cli(dev: ProcurveDevice) -> ProcurveSession:
    return opened(ProcurveSession(dev, console=False, username="manager"), "# ")


@pytest.mark.parametrize("model", sorted(MODELS))
def test_netmiko_textfsm_matches_model(loop: LoopThread, model: str) -> None:
    dev = _device(model, FAULTS)
    with netmiko_on(loop, dev, "hp_procurve", "manager", "manager", secret="manager") as conn:
        assert conn.find_prompt() == f"{dev.hostname}#"
        system = conn.send_command("show system", use_textfsm=True)
        assert isinstance(system, list), system
        row = system[0]
        assert (row["serial"], row["name"], row["software_version"], row["rom_version"]) == (
            dev.serial, dev.hostname, dev.spec.version, dev.spec.rom)
        assert row["mac_address"] == f"{dev.base_mac[:6]}-{dev.base_mac[6:]}".lower()
        assert row["contact"].strip() == dev.running.contact

        up = dev.uptime()
        brief = conn.send_command("show interfaces brief", use_textfsm=True)
        assert [r["port"] for r in brief] == [p.name for p in dev.ports]
        assert [r["status"] for r in brief] == ["Up" if p.up(up) else "Down" for p in dev.ports]
        dead = next(p for p in dev.ports if p.dead)
        assert next(r for r in brief if r["port"] == dead.name)["status"] == "Down"

        counters = conn.send_command("show interfaces", use_textfsm=True)
        assert [r["port"] for r in counters] == [p.name for p in dev.ports]
        crc = next(p for p in dev.ports if p.crc)
        assert int(next(r for r in counters if r["port"] == crc.name)["errors_rx"].replace(",", "")) > 0

        vlans = conn.send_command("show vlans", use_textfsm=True)
        assert {(int(r["vlan_id"]), r["vlan_name"]) for r in vlans} == set(dev.running.vlans.items())

        # ntc-templates' hp_procurve "show version" is written for ArubaOS Instant APs, not ProVision switches:
        # on the real switch output (and ours) it raises. The raw text carries the version.
        with pytest.raises(TextFSMError):
            conn.send_command("show version", use_textfsm=True)
        assert dev.spec.version in conn.send_command("show version")

        detail = conn.send_command(f"show interfaces {crc.name}")
        assert re.search(r"FCS Rx\s+: [1-9]", detail)
        logs = conn.send_command("show logging -r")
        assert "Parity error" in logs and "System reboot due to Hardware Exception" in logs
        assert "mm1.cor" in conn.send_command("show core-dump")
        xcvr = conn.send_command("show interfaces transceivers detail")
        assert "Rx power low alarm" in xcvr


def test_fleet_serves_family_with_snmp(loop: LoopThread, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with fleet_unit(loop, ProcurveDevice, "hp_procurve", "S1:serial_mismatch", tmp_path) as (dev, port):
        ent = snmp_walk(port, ENTITY, quick=True)
        for e in entities(dev):
            assert entity_columns(ent, e.index, 2, 5, 7, 11, 13) == (e.descr, str(e.cls), e.name, e.serial, e.model)
        serial_no, software = entity_columns(ent, 1, 11, 10)
        assert serial_no != dev.serial  # serial_mismatch: SNMP differs from CLI/label
        assert software == dev.spec.version
        iftab = snmp_walk(port, "1.3.6.1.2.1.2.2", quick=True)
        assert [iftab[f"{IF_ENTRY}.2.{p.if_index}"] for p in dev.ports] == [p.name for p in dev.ports]
        assert_oper_status(iftab, dev)
        linked = next(p for p in dev.ports if p.linked)
        before = int(iftab[f"1.3.6.1.2.1.2.2.1.10.{linked.if_index}"])
        assert before > 0
        sysobj = snmp_get(port, "1.3.6.1.2.1.1.2.0", "1.3.6.1.2.1.1.1.0")
        assert sysobj[0].lstrip(".") == dev.spec.sys_object_id
        assert sysobj[1].strip('"').startswith(f"{dev.spec.brand} {dev.model} {dev.spec.name} Switch, revision")
        assert_bench_file_lists(tmp_path, "hp_procurve", "hp_procurve", dev.serial, ("manager", "manager", "manager"))


def test_console_login_shows_prompt(loop: LoopThread) -> None:
    dev = _device("JL255A")
    with console_port(loop, dev) as (port, _line):
        prompt = re.escape(f"{dev.hostname}# ").encode()
        converse(port, [(b"", rb"any key to continue")])
        console_login(port, rb"Username: $", "manager", "manager", prompt)
        out = converse(port, [(b"show system\r", prompt)])
        assert dev.serial.encode() in out


def test_environment_faults() -> None:
    dev = _device("J9729A", "fan_failed,psu_failed,overtemp")
    cli = _cli(dev)
    assert "Sys-1  | Fan Failed" in run(cli, "show system fans")
    assert "1 / 3 Fans in Failure State" in run(cli, "show system fans")
    psu = run(cli, "show system power-supply")
    assert "J9739A" in psu and "0 / 1 supply bays delivering power" in psu
    assert re.search(r"Chassis\s+6\dC.*YES", run(cli, "show system temperature"))
    view = dev.snmp_view()
    status = {view[f"1.3.6.1.4.1.11.2.14.11.1.2.6.1.7.{n}"][1]: view[f"1.3.6.1.4.1.11.2.14.11.1.2.6.1.4.{n}"][1]
              for n in range(1, 6)}
    assert status == {"Power Supply Sensor 1": 2, "Fan Sensor 1": 2, "Fan Sensor 2": 4, "Fan Sensor 3": 4,
                      "Over-temperature Sensor": 2}
    healthy = _device("J9729A")
    assert "0 / 3 Fans in Failure State" in run(_cli(healthy), "show system fans")
    assert "J9731A" in run(cli, "show modules")


def test_identity_faults() -> None:
    fake = assert_counterfeit_serial(_device, "J9772A", SERIAL_FORMAT, _cli, "show system")
    assert fake.snmp_view()["1.3.6.1.2.1.47.1.1.1.1.11.1"][1] == fake.serial
    owned = _device("J9772A", "unknown_password,leftover_config")
    assert not owned.check_login("manager", "manager")
    cli = ProcurveSession(owned, console=False, username="manager")
    cli.feed("\r")
    cfg = run(cli, "show running-config")
    assert 'hostname "ACME-' in cfg and 'name "VOICE"' in cfg and 'user-name "operator"' in cfg


def test_link_faults_and_dom() -> None:
    dev = _device("JL255A", "link_flap,optic_dom_alarm,poe_fault")
    flap = next(p for p in dev.ports if p.flap)
    states = {flap.up(t) for t in range(0, 10)}
    assert states == {True, False}
    optic = next(p for p in dev.ports if p.dom_alarm)
    assert dom(optic, dev.uptime()).rx_mw < 0.02
    assert "Fault" in run(_cli(dev), "show power-over-ethernet brief")


def test_session_faults_reload_and_erase() -> None:
    assert_session_faults(_device, "J9772A", _cli, "show version", "show flash",
                          partial(ProcurveSession, console=False, username="manager"), "show system")

    dev = _device("J9772A", "leftover_config")
    cli = _cli(dev)
    assert "continue [y/n]?" in run(cli, "erase startup-config")
    assert cli.feed("y\r").close
    assert dev.hostname == dev.spec.default_hostname and set(dev.running.vlans) == {1}
    assert "operator" in dev.users  # ProVision keeps passwords across erase startup-config

    con = ProcurveSession(dev, console=True)
    assert "any key" in con.banner()
    con.feed("\r")
    con.feed("manager\r")
    assert con.feed("manager\r").text.endswith("# ")
    run(con, "config")
    run(con, 'hostname "bench-test"')
    run(con, "write memory")
    run(con, "end")
    assert dev.startup.hostname == "bench-test"
    assert "continue [y/n]?" in run(con, "reload")
    out = con.feed("y\r").text
    assert "Booting Primary Software Image" in out and "any key" in out
