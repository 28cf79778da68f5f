"""Third-party clients read the simulated switch the same way the bench does: netmiko + ntc-templates, net-snmp."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from netmiko import ConnectHandler


def _slot(sim, sid):
    slot = next(s for s in sim.doc["slots"] if s["id"] == sid)
    creds = sim.doc["credentials"][slot["credentials"][0]]
    host, port = slot["ssh"].rsplit(":", 1)
    return slot, creds, host, int(port)


@pytest.mark.parametrize("sid", ["S1", "S5"])
def test_netmiko_textfsm_parses_version_and_inventory_into_truth(spine_sim, sid):
    slot, creds, host, port = _slot(spine_sim, sid)
    truth = slot["truth"]
    conn = ConnectHandler(device_type=truth["netmiko_device_type"], host=host, port=port,
                          username=creds["username"], password=creds["password"], secret=creds["enable"])
    try:
        conn.enable()
        version = conn.send_command("show version", use_textfsm=True)
        inventory = conn.send_command("show inventory", use_textfsm=True)
    finally:
        conn.disconnect()
    assert isinstance(version, list) and truth["serial"] in version[0]["serial"]
    assert truth["model"] in version[0]["hardware"]
    chassis = [r for r in inventory if r["sn"] == truth["serial"]]
    assert chassis and chassis[0]["pid"] == truth["model"]


@pytest.mark.skipif(shutil.which("snmpbulkwalk") is None, reason="net-snmp tools not installed (apt-get install snmp)")
def test_net_snmp_reads_the_chassis_serial_from_entity_mib(spine_sim):
    slot, _, _, _ = _slot(spine_sim, "S1")
    snmp = slot["snmp"]
    out = subprocess.run(["snmpbulkwalk", "-v2c", "-c", snmp["community"], "-On", "-Oq",
                          f"{snmp['host']}:{snmp['port']}", "1.3.6.1.2.1.47.1.1.1.1.11"],
                         capture_output=True, text=True, timeout=30, check=True).stdout
    serials = [line.split(" ", 1)[1].strip().strip('"') for line in out.splitlines() if " " in line]
    assert slot["truth"]["serial"] in serials
    # serial_mismatch: SNMP disagrees with the CLI and the label, which is what authenticity catches
    s5 = next(s for s in spine_sim.doc["slots"] if s["id"] == "S5")
    out5 = subprocess.run(["snmpbulkwalk", "-v2c", "-c", "public", "-On", "-Oq",
                           f"127.0.0.1:{s5['snmp']['port']}", "1.3.6.1.2.1.47.1.1.1.1.11"],
                          capture_output=True, text=True, timeout=30, check=True).stdout
    assert s5["truth"]["serial"] not in out5.split("\n")[0]
