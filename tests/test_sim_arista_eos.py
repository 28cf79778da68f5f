"""The arista_eos family: netmiko + ntc-templates over the real SSH front end, SNMP walks, faults, console."""

from __future__ import annotations

import re
import socket
import time
from collections.abc import Iterator

import pytest
from helpers.loop_thread import LoopThread, read_until
from helpers.sim_clients import netmiko_to, snmp_walk, ssh_served

from simulators.console import ConsoleLine
from simulators.families.arista_eos.device import AristaDevice, entity_rows
from simulators.faults import parse_faults
from simulators.snmp_agent import SnmpAgent
from simulators.ssh_server import SshFrontEnd


def _dev(faults: str = "", model: str = "DCS-7050SX-64", seed: int = 9) -> AristaDevice:
    return AristaDevice("S1", 1, seed, model, parse_faults(",".join(f"S1:{f}" for f in faults.split(",") if f)))


def _cli(dev: AristaDevice, *cmds: str) -> str:
    s = dev.open_session(console=False)
    s.feed("enable\n")
    return "".join(s.feed(c + "\n").text for c in cmds)


def _connect(port: int, **kw: object):  # type: ignore[no-untyped-def]
    return netmiko_to(port, "arista_eos", "admin", "admin", **kw)


@pytest.fixture(scope="module")
def served(loop: LoopThread) -> Iterator[tuple[AristaDevice, SshFrontEnd, int]]:
    dev = _dev("crc_errors", model="DCS-7280SR-48C6")
    fe = SshFrontEnd(dev)
    loop.run(fe.start())
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    agent = SnmpAgent(host="127.0.0.1", port=port, community="public", view=dev.snmp_view)
    loop.run(agent.start())
    yield dev, fe, port
    loop.run(fe.stop())
    loop.run(agent.stop())


def test_netmiko_textfsm_matches_the_model(served: tuple[AristaDevice, SshFrontEnd, int]) -> None:
    dev, fe, _ = served
    conn = _connect(fe.port)
    conn.enable()
    assert conn.find_prompt() == "localhost#"

    def parsed(cmd: str) -> list[dict[str, str]]:
        rows = conn.send_command(cmd, use_textfsm=True)
        assert isinstance(rows, list), f"{cmd}: not parsed: {rows!r}"
        return rows

    ver = parsed("show version")[0]
    assert (ver["model"], ver["serial_number"], ver["image"]) == (dev.model, dev.serial, dev.version)
    inv = parsed("show inventory")
    assert (inv[0]["pid"], inv[0]["sn"], inv[0]["vid"]) == (dev.model, dev.serial, dev.spec.hw_rev)
    assert [(r["pid"], r["sn"]) for r in inv if r["pid"].startswith("PWR")] == [(p.pid, p.serial) for p in dev.psus]
    optics = [(r["port"], r["pid"], r["sn"]) for r in inv if r["pid"] and r["pid"].startswith(("SFP", "QSFP"))]
    assert optics == [(str(p.cage), p.optic, p.optic_serial) for p in dev.ports if p.optic]
    cool = parsed("show environment cooling")
    assert [r["fan"] for r in cool][:4] == ["1/1", "2/1", "3/1", "4/1"] and cool[0]["status"] == "Ok"
    power = parsed("show environment power")
    assert [(r["power_supply_pid"], r["power_supply_status"]) for r in power] == [(dev.spec.psu_pid, "Ok")] * 2
    temp = parsed("show environment temperature")
    assert [r["description"] for r in temp] == [t.descr for t in dev.temps]
    status = parsed("show interfaces status")
    assert [r["port"] for r in status][:-1] == [p.short for p in dev.ports]
    linked = {r["port"] for r in status if r["status"] == "connected"} - {"Ma1"}
    assert linked == {p.short for p in dev.ports if dev.linked(p)}
    ints = parsed("show interfaces")
    assert [r["interface"] for r in ints] == [p.name for p in dev.ports]
    dom = parsed("show interfaces transceiver")
    assert [r["port"] for r in dom] == [p.short for p in dev.ports if p.optic]
    detail = parsed("show interfaces transceiver detail")
    assert len(detail) == 5 * len(dom)
    assert parsed("show hostname")[0]["hostname"] == "localhost"
    assert parsed("show clock")[0]["timezone"] == "UTC"
    files = parsed("dir flash:")
    assert {r["name"] for r in files} == set(dev.flash)
    assert parsed("show reload cause")[0]["reload_cause"].startswith("The system rebooted")
    # counters grow on a linked port, CRC errors too (crc_errors is on)
    raw = conn.send_command("show interfaces")
    assert re.search(r" [1-9]\d* CRC", raw)
    conn.config_mode()
    conn.send_config_set(["hostname lab-sw1"], exit_config_mode=False)
    conn.exit_config_mode()
    assert conn.find_prompt() == "lab-sw1#"
    conn.set_base_prompt()
    conn.send_config_set(["hostname localhost"])
    assert dev.hostname == "localhost"
    conn.disconnect()




def test_snmp_walks_equal_the_model(served: tuple[AristaDevice, SshFrontEnd, int]) -> None:
    dev, _, port = served
    ent = snmp_walk(port, "1.3.6.1.2.1.47.1.1.1.1")
    for idx, _descr, _parent, cls, _name, _hw, _sw, serial, pid, _fru in entity_rows(dev):
        assert ent[f"1.3.6.1.2.1.47.1.1.1.1.5.{idx}"] == f"INTEGER: {cls}"
        assert ent[f"1.3.6.1.2.1.47.1.1.1.1.11.{idx}"] == f'STRING: "{serial}"' if serial else True
        assert ent[f"1.3.6.1.2.1.47.1.1.1.1.13.{idx}"] == (f'STRING: "{pid}"' if pid else '""')
    assert ent["1.3.6.1.2.1.47.1.1.1.1.11.1"] == f'STRING: "{dev.serial}"'
    ift = snmp_walk(port, "1.3.6.1.2.1.2.2")
    assert [v for k, v in ift.items() if k.startswith("1.3.6.1.2.1.2.2.1.2.")] == \
        [f'STRING: "{p.name}"' for p in dev.ports]
    for p in dev.ports:
        assert ift[f"1.3.6.1.2.1.2.2.1.8.{p.if_index}"] == f"INTEGER: {1 if dev.linked(p) else 2}"
    up = next(p for p in dev.ports if dev.linked(p))
    first = int(ift[f"1.3.6.1.2.1.2.2.1.10.{up.if_index}"].split()[-1])
    assert first > 0
    assert int(snmp_walk(port, f"1.3.6.1.2.1.2.2.1.10.{up.if_index}")[f"1.3.6.1.2.1.2.2.1.10.{up.if_index}"]
               .split()[-1]) >= first
    sysd = snmp_walk(port, "1.3.6.1.2.1.1")
    assert sysd["1.3.6.1.2.1.1.1.0"] == f'STRING: "Arista Networks EOS version {dev.version} running on an ' \
                                       f'Arista Networks {dev.model}"'
    assert sysd["1.3.6.1.2.1.1.2.0"].endswith("1.3.6.1.4.1.30065.1.3011.7280.3735.48.2878.6")


def test_environment_faults_cli_and_snmp() -> None:
    dev = _dev("fan_failed,psu_failed,overtemp")
    text = _cli(dev, "show environment cooling", "show environment power", "show environment temperature")
    assert "System cooling status is: Insufficient fans" in text and re.search(r"1/1\s+Failed", text)
    assert re.search(r"^2\s+PWR-460AC-F.*Power Loss", text, re.M)
    assert "System temperature status is: Overheating" in text
    v = dev.snmp_view()
    sens = "1.3.6.1.2.1.99.1.1.1.5."
    bad = [k for k, (_, x) in v.items() if k.startswith(sens) and x == 3]
    assert len(bad) == 3  # the fan, the PSU and the inlet sensor
    assert "%ENVMON-3-FAN_FAILED" in _cli(dev, "show logging")


def test_identity_faults() -> None:
    dev = _dev("serial_mismatch")
    assert f"Serial number:       {dev.serial}" in _cli(dev, "show version")
    assert dev.snmp_view()["1.3.6.1.2.1.47.1.1.1.1.11.1"][1] != dev.serial
    fake = _dev("counterfeit_serial")
    assert not re.fullmatch(r"[A-Z]{3}\d{8}", fake.serial)
    assert fake.snmp_view()["1.3.6.1.2.1.47.1.1.1.1.11.1"][1] == fake.serial
    assert re.fullmatch(r"[A-Z]{3}\d{8}", _dev().serial)


def test_crash_and_config_faults() -> None:
    dev = _dev("parity_crash")
    text = _cli(dev, "show reload cause", "dir flash:debug", "show logging")
    assert "parity error" in text and re.search(r"core\.\d+\.\d+\.Sysdb\.gz", text) and "%HARDWARE-3-ERROR" in text
    assert "%PROCMGR-6-PROCESS_TERMINATED" in _cli(_dev("crashinfo"), "show logging")
    left = _dev("leftover_config")
    text = _cli(left, "show running-config", "show startup-config")
    assert left.hostname.startswith("acme-") and text.count("name VOICE") == 2 and "username netops" in text
    locked = _dev("unknown_password")
    assert not locked.check_login("admin", "admin")


def test_port_faults_cli_and_snmp() -> None:
    dev = _dev("port_dead,crc_errors,link_flap,optic_dom_alarm", model="DCS-7050TX-64")
    dead = next(p for p in dev.ports if p.dead)
    crc = next(p for p in dev.ports if p.crc)
    assert not dev.linked(dead)
    assert re.search(rf"^{dead.short}\s+notconnect", _cli(dev, "show interfaces status"), re.M)
    v = dev.snmp_view()
    assert v[f"1.3.6.1.2.1.2.2.1.8.{dead.if_index}"][1] == 2
    if crc is not dead:
        assert v[f"1.3.6.1.2.1.2.2.1.14.{crc.if_index}"][1] > 0
    flap = next(p for p in dev.ports if p.flap)
    dev._uptime_offset += 14 * 10  # ten flap periods later
    assert dev.link_changes(flap) > 1
    assert f"{dev.link_changes(flap)} link status changes" in _cli(dev, "show interfaces")
    optic = next(p for p in dev.ports if p.dom_alarm)
    low_alarm = dev.dom_thresholds(optic)[4][3]
    assert dev.dom(optic)[4] < low_alarm
    assert re.search(rf"^{optic.short}\s+{dev.dom(optic)[4]:.2f}\s", _cli(dev, "show interfaces transceiver detail"),
                     re.M)


def test_write_erase_delete_and_reboot_fault(loop: LoopThread) -> None:
    dev = _dev("reboot@2s")
    with ssh_served(loop, dev) as fe:
        conn = _connect(fe.port)
        conn.enable()
        out = conn.send_command("write erase", expect_string=r"\[confirm\]")
        out += conn.send_command("\n", expect_string=r"#")
        assert dev.startup is None
        assert "startup-config" not in conn.send_command("dir flash:")
        conn.send_command("delete flash:zerotouch-config")
        assert "zerotouch-config" not in dev.flash
        before = dev.uptime()
        conn.read_timeout_override = 2
        with pytest.raises(Exception):  # noqa: B017 - the reboot cuts the session
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                conn.send_command("show clock", read_timeout=2, cmd_verify=False)
        assert dev.generation == 1 and dev.uptime() < before


def test_slow_response_delays_every_answer() -> None:
    s = _dev("slow_response").open_session(console=False)
    assert s.feed("show clock\n").delay == pytest.approx(2.0)
    assert _dev().open_session(console=False).feed("show clock\n").delay == 0.0


def test_ssh_drop_cuts_after_five_commands(loop: LoopThread) -> None:
    dev = _dev("ssh_drop")
    with ssh_served(loop, dev) as fe:
        conn = _connect(fe.port)
        conn.read_timeout_override = 2
        with pytest.raises(Exception):  # noqa: B017 - netmiko raises OSError/EOFError/timeout variants
            for _ in range(6):
                conn.send_command("show clock", read_timeout=2, cmd_verify=False)


def test_console_login_and_reload(loop: LoopThread) -> None:
    dev = _dev()
    line = ConsoleLine(dev, baud=115200, with_pty=False)
    loop.run(line.start())
    try:
        with socket.create_connection(("127.0.0.1", line.port), timeout=5) as s:
            s.settimeout(0.2)

            def read() -> bytes:
                try:
                    return s.recv(4096)
                except TimeoutError:
                    return b""

            read_until(read, rb"localhost login: $")
            s.sendall(b"admin\r")
            read_until(read, rb"Password: $")
            s.sendall(b"admin\r")
            read_until(read, rb"localhost>$")
            s.sendall(b"enable\rshow hostname\r")
            read_until(read, rb"(?s)Hostname: localhost.*localhost#$")
            s.sendall(b"configure\rhostname lab1\rend\rwrite erase\r\rreload\r")
            read_until(read, rb"Save\? \[yes/no/cancel/diff\]:")
            s.sendall(b"no\r")
            read_until(read, rb"Proceed with reload\? \[confirm\]")
            s.sendall(b"\r")
            out = read_until(read, rb"localhost login: $", timeout=15)
            assert b"Aboot" in out and b"ZeroTouch" in out
            assert dev.generation == 1 and dev.uptime() < 30
    finally:
        loop.run(line.stop())
