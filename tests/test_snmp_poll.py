"""The burn-in's fast SNMP poller (bench.drivers.snmp_poll) reads what net-snmp's snmpbulkwalk reads.

Against the simulators' agents and against real devices' recordings served by snmpsim: the gufo-snmp
backend, the pysnmp fallback and snmpbulkwalk (values printed as hex, so nothing is left to net-snmp's
display guesses) must agree value for value on tables that do not change between reads.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import time
from typing import Any

import pytest

from bench.drivers.snmp import SnmpError, SnmpTarget, close_shared_engine, octets_text
from bench.drivers.snmp_poll import GufoPoller, PysnmpPoller, gufo_available, poller_for

pytestmark = [
    pytest.mark.skipif(not gufo_available(), reason="gufo-snmp not installed (pip install gufo_snmp)"),
    pytest.mark.skipif(shutil.which("snmpbulkwalk") is None, reason="net-snmp client missing (apt-get install snmp)"),
]

ENT_PHYSICAL = "1.3.6.1.2.1.47.1.1.1.1"
ENVMON = "1.3.6.1.4.1.9.9.13.1"
ENT_SENSOR = "1.3.6.1.2.1.99.1.1.1"
IF_DESCR, IF_TYPE, IF_MTU = "1.3.6.1.2.1.2.2.1.2", "1.3.6.1.2.1.2.2.1.3", "1.3.6.1.2.1.2.2.1.4"
IF_NAME = "1.3.6.1.2.1.31.1.1.1.1"
SYS_UPTIME = "1.3.6.1.2.1.1.3.0"
IF_IN_ERRORS = "1.3.6.1.2.1.2.2.1.14"


def netsnmp_walk(host: str, port: int, community: str, oid: str) -> dict[str, object]:
    """snmpbulkwalk of `oid`, values converted as the bench converts them (strings come as hex: -Ox)."""
    env = dict(os.environ, MIBS="")  # numbers only: no MIB may rename or re-render anything
    out = subprocess.run(["snmpbulkwalk", "-v2c", "-c", community, "-On", "-Oq", "-Ot", "-Ox", "-Cr25", "-t", "10",
                          "-r", "1", f"{host}:{port}", oid], capture_output=True, text=True, env=env, timeout=120,
                         check=True).stdout
    records: list[str] = []
    for line in out.splitlines():
        if line.startswith("."):
            records.append(line)
        elif records:
            records[-1] += " " + line  # long hex strings wrap every 16 bytes
    got: dict[str, object] = {}
    for rec in records:
        name, _, value = rec.partition(" ")
        value = value.strip()
        if value.startswith(("No more variables left", "No Such Object", "No Such Instance")):
            # endOfMibView under the OID it followed, or the GET snmpbulkwalk sends for an empty subtree
            continue
        if value.startswith('"'):
            got[name[1:]] = octets_text(bytes.fromhex(value.strip('"').replace(" ", "")))
        elif value.startswith("."):
            got[name[1:]] = value[1:]
        elif value.lstrip("-").isdigit():
            got[name[1:]] = int(value)
        else:
            got[name[1:]] = value  # IpAddress
    return got


async def both_backends(host: str, port: int, community: str, oids: list[str]) -> tuple[dict, dict]:
    fast = GufoPoller(host, port, community, timeout=10, retries=1)
    slow = PysnmpPoller(SnmpTarget(host, port, community, timeout=10, retries=1))
    a: dict[str, object] = {}
    b: dict[str, object] = {}
    try:
        for oid in oids:
            a |= await fast.walk(oid)
            b |= await slow.walk(oid)
    finally:
        await fast.close()
        close_shared_engine()
    return a, b


def test_fast_poller_reads_the_simulators_agents_as_snmpbulkwalk_does(bench_sim: Any) -> None:
    fleet = bench_sim(count=2, families=["cisco_ios_switch", "arista_eos"])
    for slot_id, tables in (("S1", [ENT_PHYSICAL, ENVMON, IF_DESCR, IF_NAME, IF_TYPE, IF_MTU]),
                            ("S2", [ENT_PHYSICAL, ENT_SENSOR, IF_DESCR, IF_NAME])):
        snmp = fleet.slot(slot_id)["snmp"]
        host, port, community = snmp["host"], snmp["port"], snmp["community"]
        fast, slow = asyncio.run(both_backends(host, port, community, tables))
        reference: dict[str, object] = {}
        for oid in tables:
            reference |= netsnmp_walk(host, port, community, oid)
        assert len(reference) > 100, slot_id  # the tables are really there
        assert fast == reference, slot_id
        assert slow == reference, slot_id
        # The walk stays inside its subtree and keeps the agent's order.
        assert list(fast) == list(reference)


def test_fast_poller_get_counters_and_uptime_move_forward(bench_sim: Any) -> None:
    fleet = bench_sim(count=1, families=["cisco_ios_switch"], faults="S1:crc_errors")
    snmp = fleet.slot("S1")["snmp"]

    async def go() -> tuple[dict, dict, dict]:
        poll = GufoPoller(snmp["host"], snmp["port"], snmp["community"], timeout=5)
        first = await poll.get(SYS_UPTIME, "1.3.6.1.2.1.1.2.0", "1.3.6.1.2.1.1.99.0")
        before = await poll.walk(IF_IN_ERRORS)
        deadline = time.monotonic() + 20
        while True:  # the CRC fault adds ~3 errors a second: read until they show, within a deadline
            after = await poll.walk(IF_IN_ERRORS)
            if after != before or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.2)
        second = await poll.get(SYS_UPTIME)
        return first | {"later": second[SYS_UPTIME]}, before, after

    first, before, after = asyncio.run(go())
    assert isinstance(first[SYS_UPTIME], int) and first["later"] >= first[SYS_UPTIME]
    assert first["1.3.6.1.2.1.1.2.0"] == fleet.truth("S1").get("sys_object_id", first["1.3.6.1.2.1.1.2.0"])
    assert str(first["1.3.6.1.2.1.1.2.0"]).startswith("1.3.6.1.4.1.9.")
    assert first["1.3.6.1.2.1.1.99.0"] is None  # absent OID -> None, as bench.drivers.snmp answers
    assert set(before) == set(after) and len(after) > 10
    grew = [k for k in after if after[k] > before[k]]  # type: ignore[operator]
    assert len(grew) == 1  # exactly the port the fault picked


def test_fast_poller_reads_real_recordings_as_snmpbulkwalk_does() -> None:
    from simulators.recordings import default_work_dir, snmpsim_available, start_recordings

    if not snmpsim_available():
        pytest.skip("snmpsim not installed (pip install snmpsim snmpsim-data pysmi)")

    async def serve() -> Any:
        return await start_recordings(default_work_dir())

    loop = asyncio.new_event_loop()
    server = loop.run_until_complete(serve())
    try:
        for t in server.truths:
            tables = [ENT_PHYSICAL, ENT_SENSOR, ENVMON, IF_DESCR, "1.3.6.1.2.1.1"]
            fast, slow = asyncio.run(both_backends(server.host, server.port, t.community, tables))
            reference: dict[str, object] = {}
            for oid in tables:
                reference |= netsnmp_walk(server.host, server.port, t.community, oid)
            # sysUpTime of a recording is served live by snmpsim: it moves between the three reads.
            for got in (fast, slow, reference):
                got.pop(SYS_UPTIME, None)
            assert reference, t.recording.slot
            assert fast == reference, t.recording.slot
            assert slow == reference, t.recording.slot
    finally:
        loop.run_until_complete(server.stop())
        loop.close()


def test_silent_agent_is_an_snmp_error_within_the_retry_budget() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as quiet:  # bound, never answers
        quiet.bind(("127.0.0.1", 0))
        port = quiet.getsockname()[1]

        async def go() -> list[str]:
            poll = GufoPoller("127.0.0.1", port, timeout=0.3, retries=1)
            errors = []
            for call in (poll.get(SYS_UPTIME), poll.walk(IF_DESCR)):
                t0 = time.monotonic()
                with pytest.raises(SnmpError) as caught:
                    await call
                assert time.monotonic() - t0 < 3.0
                errors.append(str(caught.value))
            return errors

        errors = asyncio.run(go())
    assert all("timeout" in e and f"127.0.0.1:{port}" in e for e in errors), errors


def test_poller_for_picks_gufo_for_addresses_and_pysnmp_for_names() -> None:
    assert poller_for(SnmpTarget("127.0.0.1", 161)).backend == "gufo-snmp"
    assert poller_for(SnmpTarget("localhost", 161)).backend == "pysnmp"  # gufo takes addresses only
    assert poller_for(SnmpTarget("127.0.0.1", 161), backend="pysnmp").backend == "pysnmp"
    stand_in = object()
    assert poller_for(stand_in) is stand_in  # a test's fake channel is used as it is
    with pytest.raises(ValueError, match="unknown SNMP poller backend"):
        poller_for(SnmpTarget("127.0.0.1", 161), backend="fast")
