"""The simulated APC PDU: SNMP SET semantics, outlet power, and a fleet power cycle (SSH/SNMP gone, then back)."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import time
from pathlib import Path

import yaml
from helpers.loop_thread import LoopThread

from simulators import fleet
from simulators.pdu import Pdu

CTL = "1.3.6.1.4.1.318.1.1.4.4.2.1.3"


class FakeOutlet:
    def __init__(self) -> None:
        self.powered = True
        self.events: list[str] = []

    def power_on(self) -> None:
        self.powered = True
        self.events.append("on")

    def power_off(self) -> None:
        self.powered = False
        self.events.append("off")


def _snmp(tool: str, port: int, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([tool, "-v2c", "-c", "private", "-t", "1", "-r", "1", f"127.0.0.1:{port}", *args],
                          capture_output=True, text=True, timeout=10)


def test_pdu_set_semantics_and_outlets() -> None:
    lt = LoopThread()
    outlets = [FakeOutlet(), FakeOutlet()]
    pdu = Pdu(outlets, ["S1", "S2"], reboot_off=0.2)
    port = lt.run(pdu.start())
    try:
        out = _snmp("snmpget", port, "1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.1.2.0", f"{CTL}.2")
        assert "MN:AP7900" in out.stdout and "318.1.3.4.5" in out.stdout and "INTEGER: 1" in out.stdout
        assert _snmp("snmpset", port, f"{CTL}.2", "i", "2").returncode == 0
        assert outlets[1].events == ["off"] and "INTEGER: 2" in _snmp("snmpget", port, f"{CTL}.2").stdout
        assert _snmp("snmpset", port, f"{CTL}.2", "i", "1").returncode == 0 and outlets[1].powered
        assert _snmp("snmpset", port, f"{CTL}.1", "i", "3").returncode == 0
        deadline = time.monotonic() + 5
        while outlets[0].events != ["off", "on"] and time.monotonic() < deadline:
            time.sleep(0.05)
        assert outlets[0].events == ["off", "on"]
        assert "wrongType" in _snmp("snmpset", port, f"{CTL}.1", "s", "on").stderr
        assert "wrongValue" in _snmp("snmpset", port, f"{CTL}.1", "i", "9").stderr
        assert "notWritable" in _snmp("snmpset", port, "1.3.6.1.2.1.1.1.0", "s", "x").stderr
        assert "notWritable" in _snmp("snmpset", port, f"{CTL}.7", "i", "1").stderr
        assert _snmp("snmpset", port, "1.3.6.1.4.1.318.1.1.4.4.2.1.4.1", "s", "core-sw").returncode == 0
        assert pdu.names[0] == "core-sw"
    finally:
        lt.run(pdu.stop())
        lt.close()


def _refused(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return False
    except OSError:
        return True


def test_fleet_power_cycle_via_pdu(tmp_path: Path) -> None:
    lt = LoopThread()
    stop = asyncio.Event()
    ready = asyncio.Event()
    started: list[fleet.SimSlot] = []
    bench = tmp_path / "bench.yaml"
    fut = asyncio.run_coroutine_threadsafe(
        fleet.serve(1, 3, ["cisco_ios_switch"], "", str(bench), ready=ready, stop=stop, baud=38400,
                    started=started), lt.loop)
    try:
        deadline = time.monotonic() + 20
        while not ready.is_set() and time.monotonic() < deadline:
            time.sleep(0.05)
        row = yaml.safe_load(bench.read_text())["slots"][0]
        pdu = row["pdu"]
        assert pdu["community"] == "private" and pdu["outlet"] == 1
        ssh_port = int(row["ssh"].split(":")[1])
        snmp_port = row["snmp"]["port"]
        assert not _refused(ssh_port)
        assert _snmp("snmpset", pdu["port"], f"{CTL}.1", "i", "2").returncode == 0
        deadline = time.monotonic() + 5
        while not _refused(ssh_port) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _refused(ssh_port)
        get = subprocess.run(["snmpget", "-v2c", "-c", "public", "-t", "0.5", "-r", "0", f"127.0.0.1:{snmp_port}",
                              "1.3.6.1.2.1.1.3.0"], capture_output=True, text=True, timeout=10)
        assert "Timeout" in get.stderr  # a dark device does not answer
        assert _snmp("snmpset", pdu["port"], f"{CTL}.1", "i", "1").returncode == 0
        deadline = time.monotonic() + 20
        while _refused(ssh_port) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _refused(ssh_port)  # back once the boot completed
        assert started[0].device.reload_reason == "power-on" and started[0].device.uptime() < 30
        get = subprocess.run(["snmpget", "-v2c", "-c", "public", "-t", "1", "-r", "1", f"127.0.0.1:{snmp_port}",
                              "1.3.6.1.2.1.1.3.0"], capture_output=True, text=True, timeout=10)
        assert "Timeticks" in get.stdout
    finally:
        lt.loop.call_soon_threadsafe(stop.set)
        fut.result(15)
        lt.close()
