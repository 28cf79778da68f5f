"""ruckus_icx family: real netmiko (ruckus_fastiron) over the asyncssh front end, snmpwalk, console login, faults."""

from __future__ import annotations

import re
from functools import partial

import pytest
from helpers.loop_thread import LoopThread
from helpers.sim_clients import snmp_walk
from helpers.sim_console import console_login, console_port, converse
from helpers.sim_faults import assert_counterfeit_serial, assert_reboot_cuts, assert_slow_then_cut, flapping_port
from helpers.sim_fleet import assert_bench_file_lists, assert_oper_status, fleet_unit, snmp_get
from helpers.sim_ssh import assert_identified_though_paged, netmiko_on
from helpers.sim_units import run, spaced_through, unit

from simulators.families.ruckus_icx.cli import IcxSession
from simulators.families.ruckus_icx.device import FACTORY_PASSWORD, FACTORY_USER, MODELS, SERIAL_FORMAT, IcxDevice

FAULTS = "leftover_config,crashinfo,optic_dom_alarm,crc_errors,port_dead"


_device = partial(unit, IcxDevice)


def _cli(dev: IcxDevice) -> IcxSession:
    cli = IcxSession(dev, console=False, username=FACTORY_USER)
    assert cli.banner() == f"SSH@{dev.hostname}>"
    cli.feed("skip-page-display\r")
    cli.feed("enable\r")
    assert cli.feed(FACTORY_PASSWORD + "\r").text.endswith("#")
    return cli


@pytest.mark.parametrize("model", sorted(MODELS))
def test_netmiko_textfsm_matches_model(loop: LoopThread, model: str) -> None:
    dev = _device(model, FAULTS)
    with netmiko_on(loop, dev, "ruckus_fastiron", FACTORY_USER, FACTORY_PASSWORD, secret=FACTORY_PASSWORD) as conn:
        assert conn.find_prompt() == f"SSH@{dev.hostname}#"  # netmiko entered enable and turned paging off
        version = conn.send_command("show version", use_textfsm=True)
        assert isinstance(version, list), version
        assert version[0]["serial"] == [dev.serial] and version[0]["hardware"] == dev.spec.hw
        assert version[0]["version"] == [dev.spec.version]

        up = dev.uptime()
        brief = conn.send_command("show interfaces brief", use_textfsm=True)
        assert [r["port"] for r in brief] == [p.name for p in dev.ports]
        assert [r["link"] for r in brief] == ["Up" if p.up(up) else "Down" for p in dev.ports]
        dead = next(p for p in dev.ports if p.dead)
        assert next(r for r in brief if r["port"] == dead.name)["link"] == "Down"

        full = conn.send_command("show interfaces", use_textfsm=True)
        assert [r["interface"][-len(p.name):] for r, p in zip(full, dev.ports, strict=True)] == \
            [p.name for p in dev.ports]
        crc = next(p for p in dev.ports if p.crc)
        assert re.search(r"[1-9]\d* CRC", conn.send_command(f"show interfaces ethernet {crc.name}"))
        assert "crash: Data abort" in conn.send_command("show version")
        assert "core.1" in conn.send_command("show files")
        optic = next(p for p in dev.ports if p.dom_alarm)
        assert "Low-Alarm" in conn.send_command(f"show optic {optic.name}")
        assert "Invalid input -> bogus" in conn.send_command("show bogus")


def test_pager_until_skip_page_display() -> None:
    dev = _device("ICX7250-48P")
    cli = IcxSession(dev, console=False, username=FACTORY_USER)
    first = run(cli, "show interfaces brief")
    assert first.endswith("--More--, next page: Space, next line: Return key, quit: Control-c")
    rest = spaced_through(cli, "Control-c", 5)
    assert rest.endswith(f"SSH@{dev.hostname}>") and dev.ports[-1].name in rest
    run(cli, "skip-page-display")
    assert run(cli, "show interfaces brief").endswith(f"SSH@{dev.hostname}>")


def test_fleet_serves_family_with_snmp(loop: LoopThread, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with fleet_unit(loop, IcxDevice, "ruckus_icx", "S1:serial_mismatch,S1:psu_failed", tmp_path) as (dev, port):
        ent = snmp_walk(port, "1.3.6.1.2.1.47.1.1.1.1", quick=True)
        base = "1.3.6.1.2.1.47.1.1.1.1"
        assert ent[f"{base}.13.1"] == dev.model and ent[f"{base}.5.1"] == "3"
        assert ent[f"{base}.11.1"] != dev.serial  # serial_mismatch: SNMP differs from CLI and label
        psu = snmp_walk(port, "1.3.6.1.4.1.1991.1.1.1.2.1.1.3", quick=True)
        assert psu["1.3.6.1.4.1.1991.1.1.1.2.1.1.3.1"] == "3"  # snChasPwrSupplyOperStatus failure
        iftab = snmp_walk(port, "1.3.6.1.2.1.2.2", quick=True)
        assert_oper_status(iftab, dev)
        got = snmp_get(port, "1.3.6.1.2.1.1.2.0", "1.3.6.1.2.1.1.1.0", "1.3.6.1.4.1.1991.1.1.1.1.2.0")
        assert got[0].lstrip(".").startswith("1.3.6.1.4.1.1991.1.3.")
        assert got[1].strip('"').startswith(f"Ruckus Wireless, Inc. {dev.model}, IronWare Version")
        assert got[2].strip('"') == dev.snmp_serial()
        creds = ("super", "sp-admin", "sp-admin")
        assert_bench_file_lists(tmp_path, "ruckus_icx", "ruckus_fastiron", dev.serial, creds)


def test_console_login_shows_prompt(loop: LoopThread) -> None:
    dev = _device("ICX7150-24P")
    with console_port(loop, dev) as (port, _line):
        prompt = re.escape(f"{dev.hostname}>").encode()
        console_login(port, rb"Please Enter Login Name: $", "super", "sp-admin", prompt, rb"Please Enter Password: $")
        out = converse(port, [(b"show version\r", rb"--More--|" + prompt)])
        assert dev.serial.encode() in out


def test_environment_faults() -> None:
    dev = _device("ICX7450-48P", "fan_failed,psu_failed,overtemp")
    chassis = run(_cli(dev), "show chassis")
    assert "Fan 1 failed" in chassis and "Power supply 1 (AC - PoE) present, status failed" in chassis
    assert "RPS16-E" in chassis
    m = re.search(r"Current Temperature: ([\d.]+) deg-C", chassis)
    assert m and float(m.group(1)) > dev.spec.warn_c
    healthy = run(_cli(_device("ICX7450-48P")), "show chassis")
    assert "failed" not in healthy


def test_identity_faults() -> None:
    assert_counterfeit_serial(_device, "ICX7150-24P", SERIAL_FORMAT, _cli, "show version")
    owned = _device("ICX7150-24P", "unknown_password,leftover_config")
    assert not owned.check_login(FACTORY_USER, FACTORY_PASSWORD)
    cfg = owned.running
    assert cfg.hostname.startswith("ACME-") and "netops" in cfg.users and 20 in cfg.vlans


def test_link_poe_and_session_faults() -> None:
    dev = _device("ICX7150-24P", "link_flap,poe_fault,slow_response,ssh_drop")
    flapping_port(dev)
    cli = _cli(dev)
    assert "overload state" in run(cli, "show inline power")
    # ssh_drop: the link dies after the fifth command
    assert_slow_then_cut(cli, "show version", "show chassis", before_cut=1)

    dev = _device("ICX7150-24P", "reboot@0s")
    assert_reboot_cuts(dev, partial(IcxSession, console=False, username=FACTORY_USER), "show version")


def test_wipe_erases_config_zeroizes_keys_and_reloads() -> None:
    dev = _device("ICX7150-24P", "leftover_config,unknown_password")
    cli = IcxSession(dev, console=False, username=FACTORY_USER)
    cli.feed("skip-page-display\r")
    cli.feed("enable\r")
    assert cli.feed(dev.running.users[FACTORY_USER] + "\r").text.endswith("#")
    assert run(cli, "erase startup-config").endswith("#")
    run(cli, "configure terminal")
    assert "zeroized" in run(cli, "crypto key zeroize")
    assert not dev.ssh_key
    run(cli, "end")
    assert "(enter 'y' or 'n')" in run(cli, "reload")
    assert cli.feed("y\r").close
    assert dev.startup is None and dev.hostname == dev.spec.default_hostname and dev.ssh_key
    assert dev.check_login(FACTORY_USER, FACTORY_PASSWORD) and "netops" not in dev.running.users
    con = IcxSession(dev, console=True)
    con.feed("super\r")
    assert con.feed("sp-admin\r").text.endswith(f"{dev.hostname}>")
    assert "Invalid input -> erase" in run(con, "erase startup-config")  # user EXEC refuses it


def test_profile_auto_identifies_the_family_over_ssh(loop: LoopThread) -> None:
    dev = _device("ICX7450-48P")
    assert_identified_though_paged(loop, dev, "ruckus_icx", FACTORY_USER, FACTORY_PASSWORD)
