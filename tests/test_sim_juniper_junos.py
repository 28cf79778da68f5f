"""The juniper_junos family: netmiko + ntc-templates over real SSH, SNMP walks, console login, faults."""

from __future__ import annotations

import re
import socket
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest
import serial
from helpers.loop_thread import LoopThread, read_until
from helpers.sim_clients import snmp_walk
from netmiko import ConnectHandler

from simulators.console import ConsoleLine
from simulators.families.juniper_junos.device import MODELS, JunosDevice, password_hash
from simulators.faults import parse_faults
from simulators.snmp_agent import SnmpAgent
from simulators.ssh_server import SshFrontEnd

FAULTS = ("leftover_config,fan_failed,psu_failed,overtemp,serial_mismatch,parity_crash,crashinfo,port_dead,"
          "crc_errors,link_flap,optic_dom_alarm")


def _dev(model: str, faults: str = "", index: int = 1) -> JunosDevice:
    return JunosDevice("S1", index, 7, model, parse_faults(",".join(f"S1:{f}" for f in faults.split(",") if f)))


def _free_udp() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def served() -> Iterator[dict[str, Any]]:
    loop = LoopThread()
    dev = _dev("EX3400-48T", FAULTS)
    ssh = SshFrontEnd(dev)
    console = ConsoleLine(dev, baud=115200, with_pty=False)
    port = _free_udp()
    agent = SnmpAgent(host="127.0.0.1", port=port, community="public", view=dev.snmp_view)

    async def start() -> None:
        await ssh.start()
        await console.start()
        await agent.start()

    loop.run(start())
    conn = ConnectHandler(device_type="juniper_junos", host="127.0.0.1", port=ssh.port, username="root",
                          password="Juniper1", fast_cli=False)
    yield {"dev": dev, "conn": conn, "ssh": ssh, "console": console, "snmp": port}
    conn.disconnect()

    async def stop() -> None:
        await ssh.stop()
        await console.stop()
        await agent.stop()

    loop.run(stop())
    loop.close()


def test_textfsm_show_version_and_hardware(served: dict[str, Any]) -> None:
    dev, conn = served["dev"], served["conn"]
    ver = conn.send_command("show version", use_textfsm=True)
    assert isinstance(ver, list) and ver, ver
    assert ver[0]["hostname"] == dev.hostname and dev.hostname.startswith("ACME-")
    assert ver[0]["model"] == dev.model.lower()
    assert ver[0]["junos_version"] == dev.version

    hw = conn.send_command("show chassis hardware", use_textfsm=True)
    assert isinstance(hw, list), hw
    assert hw[0]["chassis_serial_number"] == dev.serial and hw[0]["chassis_description"] == dev.model
    optics = {(r["xcvr_part"], r["xcvr_serial_number"], r["xcvr_description"]) for r in hw if r["xcvr_part"]}
    assert optics == {("740-021308" if p.optic == "SFP+-10G-SR" else "740-021309" if p.optic == "SFP+-10G-LR"
                       else "740-011613", p.optic_serial, p.optic) for p in dev.ports if p.optic}
    psus = {(r["ps_part"], r["ps_serial_number"], r["ps_description"]) for r in hw if r["ps_part"]}
    assert psus == {(p.part, p.serial, p.pid) for p in dev.psus if p.present}
    assert len([r for r in hw if r["fan_number"] != ""]) == len(dev.fans)


def test_textfsm_interfaces_uptime_vlans(served: dict[str, Any]) -> None:
    dev, conn = served["dev"], served["conn"]
    rows = conn.send_command("show interfaces", use_textfsm=True, read_timeout=30)
    assert isinstance(rows, list), rows[:300]
    phys = {r["interface"]: r for r in rows if "." not in r["interface"]}
    assert list(phys) == [p.name for p in dev.ports]
    for p in dev.ports:
        assert phys[p.name]["link_status"] == ("Up" if dev.port_up(p) else "Down"), p.name
        assert phys[p.name]["mtu"] == "1514" and phys[p.name]["hardware_type"] == "Ethernet"
    assert phys["ge-0/0/0"]["link_status"] == "Down"  # port_dead: cabled but never links
    assert phys["ge-0/0/0"]["description"] == "uplink-to-core"  # leftover_config

    up = conn.send_command("show system uptime", use_textfsm=True)
    assert isinstance(up, list) and up[0]["last_config_user"] == "netops", up

    vlans = conn.send_command("show vlans", use_textfsm=True)
    assert isinstance(vlans, list), vlans
    assert {r["vlan_name"]: int(r["tag"]) for r in vlans} == dev.vlans()
    assert {"DATA", "VOICE", "MGMT"} <= set(dev.vlans())
    default = next(r for r in vlans if r["vlan_name"] == "default")
    assert len(default["interfaces"]) == len(dev.ports)


def test_faults_visible_in_cli(served: dict[str, Any]) -> None:
    dev, conn = served["dev"], served["conn"]
    env = conn.send_command("show chassis environment")
    assert re.search(r"FPC 0 Fan Tray 0 Fan 0\s+Failed", env)
    assert re.search(r"FPC 0 Power Supply 1\s+Failed", env)
    assert re.search(r"FPC 0 Middle\s+Check\s+78 degrees C", env)
    alarms = conn.send_command("show chassis alarms")
    assert "3 alarms currently active" in alarms and "Major  FPC 0 Temperature Hot" in alarms
    assert "Last reboot reason             0x2:watchdog" in conn.send_command("show chassis routing-engine")
    crash = conn.send_command("file list /var/crash/")
    assert "vmcore.0.gz" in crash and "pfex_junos.fpc0.core.0.gz" in crash
    logs = conn.send_command("show log messages")
    assert "DRAM parity error" in logs and "CHASSISD_FAN_FAILURE" in logs
    ext = conn.send_command("show interfaces ge-0/0/1 extensive")
    crc = int(re.search(r"CRC/Align errors\s+(\d+)", ext).group(1))  # type: ignore[union-attr]
    assert crc > 0
    optics = conn.send_command("show interfaces diagnostics optics")
    assert re.search(r"Laser rx power low alarm\s+:\s+On", optics)
    assert re.search(r"Laser rx power low alarm threshold\s+:\s+\S+ mW / -\d+\.\d+ dBm", optics)
    assert "Carrier transitions" in conn.send_command("show interfaces ge-0/0/2 extensive")
    assert dev.ports[2].flapping




def _s(v: str) -> str:
    """net-snmp prints an empty string as "" and others as STRING: "x"."""
    return v.removeprefix("STRING: ").strip('"')


def test_snmp_entity_and_iftable(served: dict[str, Any]) -> None:
    dev, port = served["dev"], served["snmp"]
    ent = snmp_walk(port, "1.3.6.1.2.1.47.1.1.1.1")
    base = "1.3.6.1.2.1.47.1.1.1.1"
    for it in dev.entities():
        assert _s(ent[f"{base}.11.{it.index}"]) == it.serial
        assert _s(ent[f"{base}.13.{it.index}"]) == it.model
        assert _s(ent[f"{base}.2.{it.index}"]) == it.descr
        assert ent[f"{base}.5.{it.index}"] == f"INTEGER: {it.cls}"
    assert _s(ent[f"{base}.11.1"]) == dev.snmp_serial() and dev.snmp_serial() != dev.serial
    assert _s(ent[f"{base}.10.1"]) == dev.version
    classes = {v for k, v in ent.items() if k.startswith(f"{base}.5.")}
    assert {"INTEGER: 3", "INTEGER: 6", "INTEGER: 7", "INTEGER: 9", "INTEGER: 10"} <= classes

    ift = snmp_walk(port, "1.3.6.1.2.1.2.2")
    for p in dev.ports:
        assert _s(ift[f"1.3.6.1.2.1.2.2.1.2.{p.ifindex}"]) == p.name
        assert ift[f"1.3.6.1.2.1.2.2.1.8.{p.ifindex}"] == f"INTEGER: {1 if dev.port_up(p) else 2}"
    first = int(ift[f"1.3.6.1.2.1.2.2.1.10.{dev.ports[3].ifindex}"].split()[-1])
    assert first > 0
    assert int(ift[f"1.3.6.1.2.1.2.2.1.14.{dev.ports[1].ifindex}"].split()[-1]) > 0  # crc_errors
    sysobj = snmp_walk(port, "1.3.6.1.2.1.1.2")
    assert sysobj["1.3.6.1.2.1.1.2.0"].endswith(MODELS["EX3400-48T"].sys_object_id.split(".", 6)[-1])
    red = subprocess.run(["snmpget", "-v2c", "-c", "public", "-On", f"127.0.0.1:{port}",
                          "1.3.6.1.4.1.2636.3.4.2.3.1.0"], capture_output=True, text=True, timeout=30).stdout
    assert red.strip().endswith("INTEGER: 3")  # jnxRedAlarmState on: fan, PSU and temperature alarms


def test_console_login_shell_then_cli(served: dict[str, Any]) -> None:
    dev, console = served["dev"], served["console"]
    port = serial.serial_for_url(f"socket://127.0.0.1:{console.port}", timeout=0.2)
    try:
        port.write(b"\r")
        read_until(port.read_all, rb"login: ")
        port.write(b"root\r")
        read_until(port.read_all, rb"Password:")
        port.write(b"Juniper1\r")
        read_until(port.read_all, re.escape(f"root@{dev.hostname}:RE:0% ".encode()))
        port.write(b"cli\r")
        read_until(port.read_all, re.escape(f"root@{dev.hostname}> ".encode()))
        port.write(b"exit\r")
        read_until(port.read_all, rb"RE:0% ")
        port.write(b"exit\r")
        read_until(port.read_all, rb"login: ")
    finally:
        port.close()


def test_config_commit_over_netmiko(served: dict[str, Any]) -> None:
    dev, conn = served["dev"], served["conn"]
    out = conn.send_config_set(["set system host-name bench-ex", "set vlans LAB vlan-id 55"], exit_config_mode=False)
    assert "[edit]" in out
    assert "commit complete" in conn.commit()
    conn.exit_config_mode()
    assert dev.hostname == "bench-ex" and dev.vlans()["LAB"] == 55
    conn.set_base_prompt()
    ver = conn.send_command("show version", use_textfsm=True)
    assert ver[0]["hostname"] == "bench-ex"


# ---------------------------------------------------------------- faults without the network
def _op(dev: JunosDevice, *lines: str, console: bool = False) -> tuple[Any, str]:
    s = dev.open_session(console=console)
    s.username = "root"
    text = ""
    for line in lines:
        text += s.feed(line + "\r").text
    return s, text.replace("\r\n", "\n")


def test_counterfeit_and_unknown_password() -> None:
    ok = _dev("EX2300-48P")
    assert re.fullmatch(r"[A-Z]{2}\d{10}", ok.serial)
    fake = _dev("EX2300-48P", "counterfeit_serial")
    assert not re.fullmatch(r"[A-Z]{2}\d{10}", fake.serial)
    assert fake.serial in _op(fake, "show chassis hardware")[1]
    assert fake.entities()[0].serial == fake.serial
    locked = _dev("EX4300-48T", "unknown_password")
    assert not locked.check_login("root", "Juniper1")
    assert ok.check_login("root", "Juniper1")


def test_slow_response_and_ssh_drop() -> None:
    slow = _dev("EX3400-48T", "slow_response")
    s = slow.open_session(console=False)
    assert s.feed("show chassis alarms\r").delay == pytest.approx(2.0)
    drop = _dev("EX3400-48T", "ssh_drop")
    s = drop.open_session(console=False)
    replies = [s.feed("show version\r") for _ in range(6)]
    assert [r.close for r in replies] == [False] * 5 + [True]


def test_reboot_fault_resets_uptime_and_cuts_sessions() -> None:
    dev = _dev("EX3400-48T", "reboot@0s")
    s = dev.open_session(console=False)
    before = dev.uptime()
    assert before > 100
    dev.touch()
    assert dev.uptime() < 5 and dev.generation == 1
    assert s.feed("show version\r").close


def test_zeroize_wipes_previous_owner() -> None:
    dev = _dev("EX3400-48T", "leftover_config,crashinfo")
    assert dev.hostname and "DATA" in dev.vlans()
    s, text = _op(dev, "request system zeroize", "yes")
    assert "Erase all data" in text and "(no) yes\nwarning: zeroizing fpc0" in text
    assert s.feed("show version\r").close  # the SSH session died with the reboot
    assert dev.hostname is None and dev.vlans() == {"default": 1} and dev.crash_files == []
    assert dev.check_login("root", "Juniper1")
    assert "No alarms currently active" in _op(dev, "show chassis alarms")[1]


def test_factory_commit_needs_root_password() -> None:
    dev = _dev("EX2300-48P")
    _, text = _op(dev, "configure", "load factory-default", "commit")
    assert "Missing mandatory statement: 'root-authentication'" in text
    s, text = _op(dev, "configure", "load factory-default", "set system root-authentication plain-text-password",
                  "N3wPass!", "N3wPass!", "commit")
    assert "commit complete" in text
    assert dev.user_hash("root") == password_hash("root", "N3wPass!")
    assert dev.check_login("root", "N3wPass!")


@pytest.mark.parametrize("model", sorted(MODELS))
def test_every_model_parses(model: str) -> None:
    from ntc_templates.parse import parse_output

    dev = _dev(model, "leftover_config")
    s = dev.open_session(console=False)
    s.username = "root"

    def run(cmd: str) -> str:
        lines = s.feed(cmd + "\r").text.replace("\r\n", "\n").split("\n")
        return "\n".join(lines[1:-2])  # drop the echo, {master:0} and the prompt

    hw = parse_output(platform="juniper_junos", command="show chassis hardware", data=run("show chassis hardware"))
    assert hw[0]["chassis_serial_number"] == dev.serial and hw[0]["chassis_description"] == model
    assert {r["ps_serial_number"] for r in hw if r["ps_number"]} == {p.serial for p in dev.psus if p.present}
    ver = parse_output(platform="juniper_junos", command="show version", data=run("show version"))
    assert ver[0]["model"] == model.lower() and ver[0]["hostname"] == dev.hostname
