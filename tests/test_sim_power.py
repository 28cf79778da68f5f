"""Losing power cuts every open session, idle ones included, as on a real unit."""

import asyncio
import time

from netmiko import ConnectHandler

from bench.drivers.pdu import PduOutlet
from bench.drivers.snmp import close_shared_engine


def test_power_off_cuts_an_idle_ssh_session(bench_sim):
    fleet = bench_sim(count=1, families=["cisco_ios_switch"])
    slot, creds = fleet.slot("S1"), fleet.credentials("S1")
    host, port = slot["ssh"].rsplit(":", 1)
    conn = ConnectHandler(device_type="cisco_ios", host=host, port=int(port), username=creds["username"],
                          password=creds["password"], secret=creds["enable"])
    assert conn.is_alive()
    pdu = slot["pdu"]

    async def off() -> None:
        try:
            await PduOutlet(pdu["host"], pdu["port"], pdu["outlet"], pdu["community"]).power_off()
        finally:
            close_shared_engine()

    asyncio.run(off())
    transport = conn.remote_conn.get_transport()
    deadline = time.monotonic() + 10
    while transport.is_active() and time.monotonic() < deadline:
        time.sleep(0.1)  # polling the client's own state: nothing is sent to the unit
    assert not transport.is_active()  # cut without the client typing anything
    conn.disconnect()


def test_snmp_loss_drops_every_other_request(bench_sim):
    import subprocess

    fleet = bench_sim(count=1, families=["cisco_ios_switch"], faults="S1:snmp_loss")
    snmp = fleet.slot("S1")["snmp"]
    answered = [subprocess.run(["snmpget", "-v2c", "-c", "public", "-r", "0", "-t", "0.5", "-Oqv",
                                f"127.0.0.1:{snmp['port']}", "1.3.6.1.2.1.1.3.0"],
                               capture_output=True, text=True).returncode == 0 for _ in range(6)]
    assert 0 < sum(answered) < 6
