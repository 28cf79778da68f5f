"""mikrotik_routeros family: real netmiko over the asyncssh front end, snmpget/snmpwalk, console login, faults."""

from __future__ import annotations

import re
from functools import partial

import pytest
from helpers.loop_thread import LoopThread
from helpers.sim_clients import snmp_walk, ssh_served
from helpers.sim_console import console_login, console_port, console_reload, converse
from helpers.sim_faults import assert_session_faults, flapping_port
from helpers.sim_fleet import IF_ENTRY, assert_bench_file_lists, assert_oper_status, fleet_unit, snmp_get
from helpers.sim_ssh import netmiko_on
from helpers.sim_units import run, unit

from simulators.families.mikrotik_routeros.cli import RouterOsSession, dom
from simulators.families.mikrotik_routeros.device import MODELS, SERIAL_FORMAT, SYS_OBJECT_ID, RouterOsDevice

FAULTS = "leftover_config,crashinfo,optic_dom_alarm,crc_errors,port_dead"


_device = partial(unit, RouterOsDevice)
_run = partial(run, end="\r\n")  # RouterOS clients end a line with CR LF


def _cli(dev: RouterOsDevice, user: str = "admin+ct511w4098h") -> RouterOsSession:
    cli = RouterOsSession(dev, console=False, username=user)
    assert cli.banner().endswith(f"[{user.split('+')[0]}@{dev.hostname}] > ")
    return cli


@pytest.mark.parametrize("model", sorted(MODELS))
def test_netmiko_textfsm_matches_model(loop: LoopThread, model: str) -> None:
    dev = _device(model, FAULTS)
    # netmiko's driver logs in as admin+ct511w4098h (dumb terminal, no colours) with the empty factory password.
    with netmiko_on(loop, dev, "mikrotik_routeros", "admin", "") as conn:
        assert conn.find_prompt() == f"[admin@{dev.hostname}] >"
        rb = conn.send_command("/system routerboard print", use_textfsm=True)
        assert isinstance(rb, list), rb
        assert (rb[0]["hardware_model"], rb[0]["serial_number"]) == (model, dev.serial)
        res = conn.send_command("/system resource print", use_textfsm=True)
        assert isinstance(res, list), res
        assert (res[0]["board_name"], res[0]["platform"], res[0]["version"]) == (
            dev.spec.board_name, "MikroTik", "7.12.2 (stable)")
        eth = conn.send_command("/interface ethernet print", use_textfsm=True)
        assert [r["name"] for r in eth] == [p.name for p in dev.ports]
        up = dev.uptime()
        assert [r["status"] == "R" for r in eth] == [p.up(up) for p in dev.ports]

        crc = next(p for p in dev.ports if p.crc)
        stats = conn.send_command(f"/interface ethernet print stats where name={crc.name}")
        assert re.search(r"rx-fcs-error: [1-9]", stats)
        optic = next(p for p in dev.ports if p.dom_alarm)
        mon = conn.send_command(f"/interface ethernet monitor {optic.name} once", use_textfsm=True)
        assert mon[0]["sfp_vendor_serial"] == optic.optic_serial and mon[0]["sfp_rx_power"] == "-23.500dBm"
        logs = conn.send_command("/log print detail without-paging", use_textfsm=True)
        assert any("kernel failure" in r["message"] for r in logs)
        assert "autosupout.rif" in conn.send_command("/file print")
        assert "bad command name show (line 1 column 1)" in conn.send_command("show version")
        assert "set name=acme-edge" in conn.send_command("/export")


def test_fleet_serves_family_with_snmp(loop: LoopThread, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with fleet_unit(loop, RouterOsDevice, "mikrotik_routeros", "S1:serial_mismatch", tmp_path) as (dev, port):
        got = snmp_get(port, "1.3.6.1.2.1.1.2.0", "1.3.6.1.2.1.1.1.0", "1.3.6.1.4.1.14988.1.1.7.3.0",
                       "1.3.6.1.4.1.14988.1.1.7.8.0")
        assert got[0].lstrip(".") == SYS_OBJECT_ID
        assert got[1].strip('"') == f"RouterOS {dev.model}"
        assert got[2].strip('"') != dev.serial and SERIAL_FORMAT.match(got[2].strip('"'))  # serial_mismatch
        assert got[3].strip('"') == dev.model
        gauges = snmp_walk(port, "1.3.6.1.4.1.14988.1.1.3.100.1", quick=True)
        names = [v for k, v in gauges.items() if ".100.1.2." in k]
        assert "cpu-temperature" in names
        iftab = snmp_walk(port, "1.3.6.1.2.1.2.2", quick=True)
        assert [iftab[f"{IF_ENTRY}.2.{p.if_index}"] for p in dev.ports] == [p.name for p in dev.ports]
        assert_oper_status(iftab, dev)
        assert_bench_file_lists(tmp_path, "mikrotik_routeros", "mikrotik_routeros", dev.serial, ("admin", "", ""))


def test_console_boot_and_login(loop: LoopThread) -> None:
    dev = _device("CRS326-24G-2S+")
    with console_port(loop, dev) as (port, _line):
        console_login(port, rb"MikroTik Login: $", "admin", "", re.escape(b"[admin@MikroTik] > "))
        out = converse(port, [(b"/system routerboard print\r", re.escape(b"[admin@MikroTik] > "))])
        assert dev.serial.encode() in out
        # the confirmation is one key, no Enter
        out = console_reload(port, b"/system reboot\r", rb"Reboot, yes\? \[y/N\]: $", b"y", rb"MikroTik Login: $")
        assert b"RouterBOOT booter" in out and b"CRS326-24G-2S+" in out


def test_environment_faults() -> None:
    dev = _device("CCR2004-1G-12S+2XS", "fan_failed,psu_failed,overtemp")
    health = _run(_cli(dev), "/system health print")
    assert re.search(r"fan1-speed\s+0\s+RPM", health) and re.search(r"psu2-state\s+fail", health)
    assert re.search(r"cpu-temperature\s+111\s+C", health)
    assert "cpu-overtemp-threshold: 105C" in _run(_cli(dev), "/system health settings print")
    fanless = _device("RB4011iGS+", "psu_failed")
    health = _run(_cli(fanless), "/system health print")
    assert re.search(r"voltage\s+8.7\s+V", health) and "fan" not in health
    view = dev.snmp_view()
    gauges = {view[k][1]: view[k.replace(".100.1.2.", ".100.1.3.")][1] for k in view if ".100.1.2." in k}
    assert gauges["fan1-speed"] == 0 and gauges["psu2-state"] == 0 and gauges["psu1-state"] == 1


def test_identity_faults_and_refusals() -> None:
    good = _device("CRS326-24G-2S+")
    assert SERIAL_FORMAT.match(good.serial) and SERIAL_FORMAT.match(_device("CCR2004-1G-12S+2XS").serial)
    fake = _device("CRS326-24G-2S+", "counterfeit_serial")
    assert not SERIAL_FORMAT.match(fake.serial) and fake.serial in _run(_cli(fake), "/system routerboard print")
    owned = _device("RB4011iGS+", "unknown_password,leftover_config")
    assert not owned.check_login("admin+ct511w4098h", "")
    cli = _cli(owned, user="noc")
    assert re.search(r"1 noc\s+full", _run(cli, "/user print"))
    assert "bad command name poe (line 1 column 21)" not in _run(cli, "/interface ethernet poe print")
    assert "bad command name poe (line 1 column 21)" in _run(_cli(good), "/interface ethernet poe print")
    assert "bad command name frobnicate (line 1 column 2)" in _run(cli, "/frobnicate")


def test_link_faults_and_dom() -> None:
    dev = _device("CRS328-24P-4S+", "link_flap,optic_dom_alarm,poe_fault")
    flapping_port(dev)
    optic = next(p for p in dev.ports if p.dom_alarm)
    assert dom(optic, dev.uptime())[4] < -20
    bad = next(p for p in dev.ports if p.poe_fault)
    assert "poe-out-status: short-circuit" in _run(_cli(dev), f"/interface ethernet poe monitor {bad.name} once")


def test_session_faults_reboot_and_reset() -> None:
    assert_session_faults(_device, "CRS326-24G-2S+", _cli, "/system resource print", "/system identity print",
                          partial(RouterOsSession, console=False, username="admin"), "/system resource print",
                          end="\r\n")

    dev = _device("CCR2004-1G-12S+2XS", "leftover_config,unknown_password")
    cli = _cli(dev)
    assert _run(cli, "/system reset-configuration no-defaults=yes skip-backup=yes").endswith("[y/N]: ")
    assert cli.feed("y").close  # one key answers; the unit resets and drops the session
    assert dev.hostname == "MikroTik" and dev.config.lines == [] and dev.users == {"admin": ""}
    assert dev.reboot_reason == "reset configuration by user" and dev.uptime() < 5


def test_identified_over_ssh_alone_in_one_login(loop: LoopThread) -> None:
    """RouterOS refuses `show version`: the profile's identify commands name the family on the first login, and
    that login goes on as the plan's session (one login per unit)."""
    from bench.drivers.ssh import Credential, SshSession
    from bench.identify import by_ssh
    from bench.profiles import Catalog

    dev = _device("RB4011iGS+")
    logins: list[str] = []
    check = dev.check_login

    def counted(user: str, password: str) -> bool:
        logins.append(user)
        return check(user, password)

    dev.check_login = counted  # type: ignore[method-assign]
    with ssh_served(loop, dev) as fe:
        cred = [Credential("factory_mikrotik_routeros", "admin", "")]
        answer = by_ssh("127.0.0.1", fe.port, cred, Catalog.load(), timeout=10, try_device_types=False)
        assert answer.profile is not None and answer.profile.name == "mikrotik_routeros", answer.why
        assert answer.found.model == "RB4011iGS+"
        session = SshSession("127.0.0.1", fe.port, "mikrotik_routeros", cred, timeout=10, handover=answer.handover)
        try:
            session.open()
            assert dev.serial in session.send("/system routerboard print")
        finally:
            session.close()
    assert logins == ["admin"]


def test_a_refused_console_login_is_what_the_profile_recognises() -> None:
    from bench.drivers.console.machine import ConsoleProfile
    from bench.profiles import Catalog

    dev = _device("RB4011iGS+", "unknown_password")
    con = RouterOsSession(dev, console=True)
    assert con.banner().endswith("MikroTik Login: ")
    con.feed("admin\r")
    said = con.feed("\r").text
    profile = ConsoleProfile.from_dict(Catalog.load().get("mikrotik_routeros").console)
    assert any(p.search(said) for p in profile.failures["bad_password"]), said
    assert said.endswith("MikroTik Login: ")


def test_fan_failed_lands_only_on_models_with_fans() -> None:
    from simulators.faults import models_for
    from simulators.fleet import build_devices

    assert sorted(models_for("mikrotik_routeros", ["fan_failed"])) == ["CCR2004-1G-12S+2XS", "CRS328-24P-4S+"]
    for seed in range(1, 9):  # whatever the seed draws, the faulted unit has a fan that failed
        dev = build_devices(1, seed, ["mikrotik_routeros"], "S1:fan_failed")[0]
        assert isinstance(dev, RouterOsDevice) and [f.ok for f in dev.fans][:1] == [False]
