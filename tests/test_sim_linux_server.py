"""The linux_server family: real netmiko (device_type linux) against the real asyncssh front end on loopback."""

from __future__ import annotations

import json
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from helpers.loop_thread import LoopThread, read_until
from helpers.sim_clients import netmiko_to, ssh_served

from simulators.console import ConsoleLine
from simulators.families.linux_server.device import MODELS, Server
from simulators.faults import parse_faults
from simulators.snmp_agent import SnmpAgent
from simulators.ssh_server import SshFrontEnd

DELL, HPE, SMC = "PowerEdge R640", "ProLiant DL360 Gen10", "SYS-1029P-WTR"


@contextmanager
def _serve(loop: LoopThread, faults: str = "", model: str = DELL) -> Iterator[tuple[Server, SshFrontEnd]]:
    dev = Server("S1", 1, 7, model, parse_faults(faults))
    with ssh_served(loop, dev) as fe:
        yield dev, fe


def _connect(port: int, username: str = "root", password: str = "live"):  # type: ignore[no-untyped-def]
    return netmiko_to(port, "linux", username, password)


@pytest.fixture(scope="module")
def dell(loop: LoopThread) -> Iterator[tuple[Server, object]]:
    with _serve(loop, "S1:edac_errors") as (dev, fe):
        conn = _connect(fe.port)
        yield dev, conn
        conn.disconnect()


def test_prompt_and_textfsm_identity(dell) -> None:  # type: ignore[no-untyped-def]
    dev, conn = dell
    assert conn.find_prompt() == "root@live:~#"
    sysrows = conn.send_command("dmidecode -t system", use_textfsm=True)
    assert sysrows == [{"system_manufacturer": "Dell Inc.", "system_product_name": "PowerEdge R640",
                        "system_serial_number": dev.serial, "system_uuid": dev.uuid}]
    assert len(dev.serial) == 7 and dev.serial.isalnum()
    assert conn.send_command("dmidecode -s system-serial-number").strip() == dev.serial
    assert conn.send_command("dmidecode -s system-product-name").strip() == "PowerEdge R640"
    assert conn.send_command("dmidecode -s system-manufacturer").strip() == "Dell Inc."
    assert dev.board_serial in conn.send_command("dmidecode -t baseboard")


def test_textfsm_memory_processor_bios_iplink(dell) -> None:  # type: ignore[no-untyped-def]
    dev, conn = dell
    mem = conn.send_command("dmidecode -t memory", use_textfsm=True)
    assert [r["ram_locator"] for r in mem] == [d.locator for d in dev.dimms]
    filled = [r for r in mem if r["ram_size"] != "No Module Installed"]
    assert [(r["ram_size"], r["ram_serial_number"], r["ram_part_number"]) for r in filled] == [
        (f"{d.size_gb} GB", d.serial, d.part) for d in dev.dimms if d.size_gb]
    assert mem[0]["ram_total_slot"] == str(len(dev.dimms))
    cpus = conn.send_command("dmidecode -t processor", use_textfsm=True)
    assert [(c["cpu_socket_designation"], c["cpu_version"], c["cpu_core_count"]) for c in cpus] == [
        (f"CPU{n}", dev.spec.cpu.version, str(dev.spec.cpu.cores)) for n in (1, 2)]
    bios = conn.send_command("dmidecode -t bios", use_textfsm=True)
    assert bios[0]["bios_vendor"] == "Dell Inc." and bios[0]["bios_version"] == dev.spec.bios_version
    links = conn.send_command("ip link show", use_textfsm=True)
    assert [(r["interface"], r["state"], r["mac_address"]) for r in links[1:]] == [
        (n.name, "UP" if n.link else "DOWN", n.mac) for n in dev.nics]


def test_cpu_memory_tools(dell) -> None:  # type: ignore[no-untyped-def]
    dev, conn = dell
    fields = {f["field"]: f["data"] for f in json.loads(conn.send_command("lscpu --json"))["lscpu"]}
    assert fields["Model name:"] == dev.spec.cpu.name and fields["Socket(s):"] == "2"
    assert conn.send_command("nproc").strip() == str(2 * dev.spec.cpu.threads)
    total_b = int(conn.send_command("free -b").splitlines()[1].split()[1])
    assert 0.95 * dev.total_memory() < total_b <= dev.total_memory()
    meminfo = conn.send_command("cat /proc/meminfo")
    assert f"MemTotal:       {total_b // 1024} kB" in meminfo
    assert "up " in conn.send_command("uptime")
    assert conn.send_command("uname -a").startswith("Linux live 6.1.0")
    assert conn.send_command("hostname").strip() == "live"


def test_disks_and_smart(dell) -> None:  # type: ignore[no-untyped-def]
    dev, conn = dell
    blk = json.loads(conn.send_command("lsblk -J -b -o NAME,SIZE,TYPE,MODEL,SERIAL,ROTA,TRAN"))["blockdevices"]
    disks = [b for b in blk if b["type"] == "disk"]  # sr0 is the live medium
    assert [(b["name"], b["serial"], b["size"]) for b in disks] == [(d.name, d.serial, d.visible) for d in dev.disks]
    scan = conn.send_command("smartctl --scan-open")
    assert "/dev/sda -d sat" in scan and "/dev/nvme0 -d nvme" in scan
    sda = json.loads(conn.send_command("smartctl --json -a /dev/sda"))
    attrs = {a["id"]: a["raw"]["value"] for a in sda["ata_smart_attributes"]["table"]}
    assert sda["smart_status"]["passed"] and attrs[5] == 0 and attrs[197] == 0 and attrs[9] > 0
    assert {5, 9, 187, 188, 197, 198} <= set(attrs)
    nv = json.loads(conn.send_command("smartctl --json -a /dev/nvme0"))
    log = nv["nvme_smart_health_information_log"]
    assert nv["serial_number"] == dev.disks[-1].serial and log["critical_warning"] == 0
    assert {"available_spare", "available_spare_threshold", "media_errors", "percentage_used"} <= set(log)


def test_bmc_nics_and_edac(dell) -> None:  # type: ignore[no-untyped-def]
    dev, conn = dell
    elist = conn.send_command("ipmitool sdr elist")
    assert "PS2 Status       | 26h | ok  | 10.2 | Presence detected" in elist
    assert "Inlet Temp" in conn.send_command("ipmitool sdr list")
    assert "Log area reset/cleared" in conn.send_command("ipmitool sel elist")
    assert "Event Logging Disabled #0x72" in conn.send_command("ipmitool sel list")
    assert f"Product Serial        : {dev.serial}" in conn.send_command("ipmitool fru")
    for n in dev.nics:
        eth = conn.send_command(f"ethtool {n.name}")
        assert f"Link detected: {'yes' if n.link else 'no'}" in eth
        if n.link:
            assert f"Speed: {n.speed}Mb/s" in eth and "Duplex: Full" in eth
    ipj = {r["ifname"]: r["operstate"] for r in json.loads(conn.send_command("ip -j link"))}
    assert ipj == {"lo": "UNKNOWN", **{n.name: "UP" if n.link else "DOWN" for n in dev.nics}}
    assert "eno1" in conn.send_command("ip -br link")
    assert conn.send_command("ls /sys/devices/system/edac/mc/").split() == ["mc0", "mc1"]
    ue = conn.send_command("cat /sys/devices/system/edac/mc/mc*/ue_count").split()
    assert ue == ["1", "0"]
    ce1 = int(conn.send_command("cat /sys/devices/system/edac/mc/mc0/ce_count"))
    assert ce1 > 0
    csrow = conn.send_command("cat /sys/devices/system/edac/mc/mc0/csrow*/ce_count").split()
    assert sum(int(x) for x in csrow) >= ce1
    dev.edac_since -= 30  # type: ignore[operator]  # age the fault instead of sleeping
    assert int(conn.send_command("cat /sys/devices/system/edac/mc/mc0/ce_count")) > ce1


def test_shell_basics(dell) -> None:  # type: ignore[no-untyped-def]
    _, conn = dell
    assert conn.send_command("which smartctl").strip() == "/usr/sbin/smartctl"
    assert conn.send_command("command -v ipmitool").strip() == "/usr/bin/ipmitool"
    assert "command not found" in conn.send_command("frobnicate")
    assert conn.send_command("echo $?").strip() == "127"
    assert conn.send_command("echo hello world").strip() == "hello world"


def test_non_root_user_and_sudo(loop: LoopThread) -> None:
    with _serve(loop, model=HPE) as (dev, fe):
        conn = _connect(fe.port, "user", "live")
        assert conn.find_prompt() == "user@live:~$"
        assert "Permission denied" in conn.send_command("dmidecode -t system")
        assert conn.send_command("sudo dmidecode -s system-serial-number").strip() == dev.serial
        assert dev.serial.startswith("CZJ")
        conn.enable()
        assert conn.find_prompt().endswith("#")
        assert conn.send_command("dmidecode -s system-product-name").strip() == "ProLiant DL360 Gen10"
        conn.disconnect()


def test_server_faults_visible(loop: LoopThread) -> None:
    with _serve(loop, "S1:bad_disk,S1:sel_psu,S1:nic_down,S1:fan_failed,S1:overtemp,S1:serial_mismatch",
                     model=SMC) as (dev, fe):
        conn = _connect(fe.port)
        out = conn.send_command("smartctl --json -a /dev/sda")
        sda = json.loads(out)
        attrs = {a["id"]: a for a in sda["ata_smart_attributes"]["table"]}
        assert attrs[5]["raw"]["value"] == 12 and attrs[197]["raw"]["value"] > 1
        assert not sda["smart_status"]["passed"] and sda["smartctl"]["exit_status"] & 8
        assert conn.send_command("echo $?").strip() == str(sda["smartctl"]["exit_status"])
        sel_list = conn.send_command("ipmitool sel list")
        assert "Power Supply #0x" in sel_list and "| Failure detected |" in sel_list
        elist = conn.send_command("ipmitool sdr elist")
        assert "PS2 Status       | 26h | cr " in elist and "PS Redundancy    | 77h | nc " in elist
        assert "FAN3             | 32h | cr  |  7.1 | 0 RPM" in elist
        assert "Inlet Temp       | 04h | cr " in elist
        assert "Link detected: no" in conn.send_command("ethtool eno1")  # cabled at 10G, but no link
        fru = conn.send_command("ipmitool fru")
        assert dev.fru_serial_override and f"Product Serial        : {dev.fru_serial_override}" in fru
        assert conn.send_command("dmidecode -s system-serial-number").strip() == dev.serial
        conn.disconnect()


def test_counterfeit_serial_format() -> None:
    dev = Server("S1", 1, 7, DELL, parse_faults("S1:counterfeit_serial"))
    assert dev.serial.isdigit() and len(dev.serial) == 10
    sh = dev.open_session(console=False)
    assert sh.run("dmidecode -s system-serial-number")[0].strip() == dev.serial


def test_slow_response(loop: LoopThread) -> None:
    with _serve(loop, "S1:slow_response") as (_, fe):
        conn = _connect(fe.port)
        t0 = time.monotonic()
        assert conn.send_command("hostname", read_timeout=10).strip() == "live"
        assert time.monotonic() - t0 >= 1.8
        conn.disconnect()


def test_ssh_drop(loop: LoopThread) -> None:
    with _serve(loop, "S1:ssh_drop") as (_, fe):
        conn = _connect(fe.port)
        for _ in range(5):
            assert conn.send_command("hostname").strip() == "live"
        with pytest.raises(Exception):  # noqa: B017 - netmiko raises OSError/EOFError/ReadTimeout by version
            conn.send_command("hostname", read_timeout=3)
            conn.send_command("hostname", read_timeout=3)


def test_reboot_cuts_session_and_resets_uptime(loop: LoopThread) -> None:
    with _serve(loop, "S1:reboot@1s") as (dev, fe):
        conn = _connect(fe.port)
        before = dev.uptime()
        assert before > 100
        dev.first_contact = time.monotonic() - 5  # the offset has come
        with pytest.raises(Exception):  # noqa: B017
            conn.send_command("uptime", read_timeout=2)
            conn.send_command("uptime", read_timeout=2)
        assert dev.uptime() < 30 and dev.generation == 1
        conn2 = _connect(fe.port)
        assert "up 0 min" in conn2.send_command("uptime")
        assert "OEM System boot event" in conn2.send_command("ipmitool sel elist")
        conn2.disconnect()


def test_console_login(loop: LoopThread) -> None:
    dev = Server("S1", 1, 7, DELL, [])
    line = ConsoleLine(dev, baud=115200, with_pty=False)
    loop.run(line.start())
    try:
        import serial

        port = serial.serial_for_url(f"socket://127.0.0.1:{line.port}", timeout=0.2)
        rd = lambda: port.read(port.in_waiting or 1)  # noqa: E731
        try:
            port.write(b"\r")  # as a technician does: Enter wakes the getty (or waits out a boot in progress)
            read_until(rd, rb"live login: $", timeout=15)
            port.write(b"root\r")
            read_until(rd, rb"Password: $")
            port.write(b"live\r")
            read_until(rd, rb"root@live:~# $")
            port.write(b"dmidecode -s system-serial-number\r")
            assert dev.serial.encode() in read_until(rd, rb"root@live:~# $")
            port.write(b"exit\r")
            read_until(rd, rb"live login: $")
        finally:
            port.close()
    finally:
        loop.run(line.stop())


def test_minimal_snmp_system_group(loop: LoopThread) -> None:
    dev = Server("S1", 1, 7, DELL, [])
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    agent = SnmpAgent(host="127.0.0.1", port=port, community="public", view=dev.snmp_view)
    loop.run(agent.start())
    try:
        out = subprocess.run(["snmpbulkwalk", "-v2c", "-c", "public", "-On", "-t", "2", "-r", "1",
                              f"127.0.0.1:{port}", "1.3.6.1.2.1.1"], capture_output=True, text=True, timeout=20)
        assert "Linux live 6.1.0-18-amd64" in out.stdout
        assert ".1.3.6.1.2.1.1.2.0 = OID: .1.3.6.1.4.1.8072.3.2.10" in out.stdout
        ifs = subprocess.run(["snmpbulkwalk", "-v2c", "-c", "public", "-On", "-Oq", "-t", "2", "-r", "1",
                              f"127.0.0.1:{port}", "1.3.6.1.2.1.2.2.1.8"], capture_output=True, text=True,
                             timeout=20).stdout
        oper = dict(line.split(" ", 1) for line in ifs.splitlines())
        for nic in dev.nics:  # ifOperStatus follows each NIC's link: up(1) / down(2)
            assert oper[f".1.3.6.1.2.1.2.2.1.8.{nic.index}"] in (("1", "up") if nic.link else ("2", "down"))
        entity = subprocess.run(["snmpbulkwalk", "-v2c", "-c", "public", "-On", "-t", "2", "-r", "1",
                                 f"127.0.0.1:{port}", "1.3.6.1.2.1.47"], capture_output=True, text=True, timeout=20)
        assert entity.returncode == 0 and ".1.3.6.1.2.1.47." not in entity.stdout  # net-snmp on Linux has none
    finally:
        loop.run(agent.stop())


def test_family_registry() -> None:
    from simulators.family import family

    fam = family("linux_server")
    assert fam.netmiko_device_type == "linux" and fam.factory_credentials == ("root", "live", "")
    assert set(fam.models) == set(MODELS) == {DELL, HPE, SMC}
