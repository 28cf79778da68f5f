"""The bench's SNMP client against the simulators' SNMP agent, both real, on 127.0.0.1."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import pytest
from pysnmp.hlapi.v3arch.asyncio import (
    CommunityData,
    ContextData,
    ObjectIdentity,
    ObjectType,
    UdpTransportTarget,
    bulk_cmd,
)
from pysnmp.proto import rfc1905

from bench.drivers.snmp import SnmpError, SnmpTarget, close_shared_engine, parse_snmp_url, shared_engine
from simulators.recordings import get_request as sim_get_request
from simulators.snmp_agent import SnmpAgent

T = TypeVar("T")
View = dict[str, tuple[str, object]]

SYS = "1.3.6.1.2.1.1"
ENT = "1.3.6.1.2.1.47"
ENT_PHYS = "1.3.6.1.2.1.47.1.1.1.1"
ROWS = 30  # 30 rows x 10 columns = 300 OIDs in the entity table


def system_view() -> View:
    return {
        f"{SYS}.1.0": ("OctetString", "Cisco IOS Software, C2960X Software"),
        f"{SYS}.2.0": ("ObjectIdentifier", "1.3.6.1.4.1.9.1.1208"),
        f"{SYS}.3.0": ("TimeTicks", 12345),
        f"{SYS}.5.0": ("OctetString", "sw-a01"),
    }


def entity_view() -> View:
    """An entPhysicalTable-like table with every value type the agent supports."""
    view: View = {}
    for i in range(1, ROWS + 1):
        view[f"{ENT_PHYS}.1.{i}"] = ("Integer", -i)
        view[f"{ENT_PHYS}.2.{i}"] = ("OctetString", f"module {i}")
        view[f"{ENT_PHYS}.3.{i}"] = ("ObjectIdentifier", f"1.3.6.1.4.1.9.12.3.1.{i}")
        view[f"{ENT_PHYS}.4.{i}"] = ("TimeTicks", 100 * i)
        view[f"{ENT_PHYS}.5.{i}"] = ("Counter32", 2**32 - i)
        view[f"{ENT_PHYS}.6.{i}"] = ("Counter64", 2**64 - i)
        view[f"{ENT_PHYS}.7.{i}"] = ("Gauge32", 1000 + i)
        view[f"{ENT_PHYS}.8.{i}"] = ("IpAddress", f"10.0.{i}.1")
        view[f"{ENT_PHYS}.9.{i}"] = ("OctetString", bytes([0, 0x1B, i, 0xFF]))  # binary, like a MAC
        view[f"{ENT_PHYS}.11.{i}"] = ("OctetString", f"FOC19{i:04d}X".encode())  # serial sent as bytes
    return view


def expected_entity() -> dict[str, object]:
    out: dict[str, object] = {}
    for i in range(1, ROWS + 1):
        out[f"{ENT_PHYS}.1.{i}"] = -i
        out[f"{ENT_PHYS}.2.{i}"] = f"module {i}"
        out[f"{ENT_PHYS}.3.{i}"] = f"1.3.6.1.4.1.9.12.3.1.{i}"
        out[f"{ENT_PHYS}.4.{i}"] = 100 * i
        out[f"{ENT_PHYS}.5.{i}"] = 2**32 - i
        out[f"{ENT_PHYS}.6.{i}"] = 2**64 - i
        out[f"{ENT_PHYS}.7.{i}"] = 1000 + i
        out[f"{ENT_PHYS}.8.{i}"] = f"10.0.{i}.1"
        out[f"{ENT_PHYS}.9.{i}"] = "0x001b" + f"{i:02x}" + "ff"
        out[f"{ENT_PHYS}.11.{i}"] = f"FOC19{i:04d}X"
    return out


def full_view() -> View:
    # Objects on both sides of the entity MIB, so walks must stop at the subtree's end.
    return {**system_view(), **entity_view(),
            "1.3.6.1.2.1.48.1.0": ("Integer", 48),
            "1.3.6.1.4.1.9.9.13.1.3.1.3.1": ("Gauge32", 41)}


def get_request(oid: str, community: str = "public") -> bytes:
    return sim_get_request(community, oid)


def run(main: Callable[[], Awaitable[T]]) -> T:
    """Run one test's coroutine on a fresh loop, closing that loop's shared SNMP engine after."""
    async def wrapper() -> T:
        try:
            return await asyncio.wait_for(main(), 20)
        finally:
            close_shared_engine()
    return asyncio.run(wrapper())


async def started(view: Callable[[], View], community: str = "public", **kw: Any) -> SnmpAgent:
    agent = SnmpAgent("127.0.0.1", 0, community, view, **kw)
    await agent.start()
    assert agent.port != 0
    return agent


def against(view: Callable[[], View], check: Callable[[SnmpTarget], Awaitable[None]], **agent_options: Any) -> None:
    """Run `check` with a target on a fresh local agent serving `view`; the agent stops after."""
    async def main() -> None:
        agent = await started(view, **agent_options)
        try:
            await check(SnmpTarget("127.0.0.1", agent.port, timeout=1.0))
        finally:
            await agent.stop()

    run(main)


def test_get_scalars_and_missing_oids() -> None:
    contacts: list[float] = []

    async def check(target: SnmpTarget) -> None:
        got = await target.get(f"{SYS}.1.0", f"{SYS}.2.0", f"{SYS}.3.0",
                               f"{SYS}.9.0",   # no such object
                               f"{SYS}.1",     # object without its instance
                               f".{SYS}.5.0")  # a leading dot is tolerated
        assert got == {
            f"{SYS}.1.0": "Cisco IOS Software, C2960X Software",
            f"{SYS}.2.0": "1.3.6.1.4.1.9.1.1208",
            f"{SYS}.3.0": 12345,
            f"{SYS}.9.0": None,
            f"{SYS}.1": None,
            f"{SYS}.5.0": "sw-a01",
        }
        assert len(contacts) == 1
        with pytest.raises(SnmpError, match="bad OID"):
            await target.get("sysDescr.0")

    against(full_view, check, on_request=lambda: contacts.append(time.monotonic()))


def test_get_many_oids_is_split_into_several_requests() -> None:
    async def check(target: SnmpTarget) -> None:
        want = list(expected_entity())
        got = await target.get(*want)
        assert got == expected_entity()

    against(entity_view, check)


def test_walk_of_a_300_oid_table_with_every_type() -> None:
    async def check(target: SnmpTarget) -> None:
        got = await target.walk(ENT)
        assert got == expected_entity()
        assert len(got) == 300
        # Walk order is the agent's lexicographic OID order, not the string order.
        keys = [tuple(int(p) for p in k.split(".")) for k in got]
        assert keys == sorted(keys)
        # A serial handed to the agent as bytes still comes back as a plain str.
        assert got[f"{ENT_PHYS}.11.7"] == "FOC190007X"

    against(full_view, check)


@pytest.mark.parametrize("reps", [3, 25, 1000])
def test_walk_stops_at_the_subtree_end(reps: int) -> None:
    async def check(target: SnmpTarget) -> None:
        # Objects follow the entity MIB: the bulk answer crosses the boundary, the walk must not.
        assert await target.walk(ENT, max_repetitions=reps) == expected_entity()
        # A single column, followed by the next column.
        column = await target.walk(f"{ENT_PHYS}.2", max_repetitions=reps)
        assert column == {f"{ENT_PHYS}.2.{i}": f"module {i}" for i in range(1, ROWS + 1)}
        # The last subtree of the MIB ends with endOfMibView.
        assert await target.walk("1.3.6.1.4.1", max_repetitions=reps) == {
            "1.3.6.1.4.1.9.9.13.1.3.1.3.1": 41}
        # Nothing under the OID: empty, not an error; a leaf is not "under" itself.
        assert await target.walk("1.3.6.1.2.1.99", max_repetitions=reps) == {}
        assert await target.walk(f"{SYS}.1.0", max_repetitions=reps) == {}
        assert await target.walk("1.3.6.1.9", max_repetitions=reps) == {}

    against(full_view, check)


def test_getbulk_follows_rfc3416() -> None:
    """Non-repeaters, repeaters, and endOfMibView, straight through pysnmp's bulk_cmd."""
    async def main() -> None:
        agent = await started(full_view)
        try:
            engine = shared_engine()
            target = await UdpTransportTarget.create(("127.0.0.1", agent.port), timeout=1, retries=0)

            async def bulk(n: int, m: int, *oids: str) -> list[tuple[str, Any]]:
                err, status, _, binds = await bulk_cmd(
                    engine, CommunityData("public"), target, ContextData(), n, m,
                    *(ObjectType(ObjectIdentity(o)) for o in oids), lookupMib=False)
                assert not err and not status
                return [(str(name), value) for name, value in binds]

            got = await bulk(1, 3, SYS, f"{ENT_PHYS}.2.{ROWS - 1}", "1.3.6.1.2.1.48")
            names = [name for name, _ in got]
            assert names == [
                f"{SYS}.1.0",                                                     # the non-repeater
                f"{ENT_PHYS}.2.{ROWS}", "1.3.6.1.2.1.48.1.0",                     # row 1
                f"{ENT_PHYS}.3.1", "1.3.6.1.4.1.9.9.13.1.3.1.3.1",               # row 2
                f"{ENT_PHYS}.3.2", "1.3.6.1.4.1.9.9.13.1.3.1.3.1",               # row 3: end of MIB
            ]
            assert got[6][1].tagSet == rfc1905.EndOfMibView.tagSet
            # Every repeater at the end of the MIB: the agent stops after that row.
            tail = await bulk(0, 50, "1.3.6.1.4.1.9.9.13.1.3.1.3.1")
            assert len(tail) == 1 and tail[0][1].tagSet == rfc1905.EndOfMibView.tagSet
            # max-repetitions 0 with only non-repeaters is legal.
            assert [n for n, _ in await bulk(1, 0, SYS)] == [f"{SYS}.1.0"]
        finally:
            await agent.stop()

    run(main)


def test_wrong_community_times_out_with_the_cause_named() -> None:
    contacts: list[int] = []

    async def main() -> None:
        agent = await started(full_view, community="s3cret", on_request=lambda: contacts.append(1))
        try:
            target = SnmpTarget("127.0.0.1", agent.port, community="public", timeout=0.3, retries=1)
            begun = time.monotonic()
            with pytest.raises(SnmpError, match=rf"SNMP timeout from 127\.0\.0\.1:{agent.port} after 0\.6 s"):
                await target.get(f"{SYS}.1.0")
            assert time.monotonic() - begun < 2.0
            with pytest.raises(SnmpError, match="timeout"):
                await target.walk(SYS)
            assert contacts == [] and agent.dropped >= 2
            # The right community on the same agent still works.
            right = SnmpTarget("127.0.0.1", agent.port, community="s3cret", timeout=1.0)
            assert (await right.get(f"{SYS}.5.0")) == {f"{SYS}.5.0": "sw-a01"}
        finally:
            await agent.stop()

    run(main)


def test_view_is_read_per_request_and_resorted_only_on_new_keys() -> None:
    calls = {"n": 0}
    extra: View = {}

    def view() -> View:
        calls["n"] += 1
        return {**system_view(), f"{SYS}.3.0": ("TimeTicks", calls["n"] * 100), **extra}

    async def main() -> None:
        agent = await started(view)
        try:
            target = SnmpTarget("127.0.0.1", agent.port, timeout=1.0)
            first = (await target.get(f"{SYS}.3.0"))[f"{SYS}.3.0"]
            second = (await target.get(f"{SYS}.3.0"))[f"{SYS}.3.0"]
            assert isinstance(first, int) and isinstance(second, int) and second > first
            order = agent._oids
            await target.get(f"{SYS}.1.0")
            assert agent._oids is order  # same key set: the cached order was reused
            extra[f"{SYS}.4.0"] = ("OctetString", "noc@example.net")
            walked = await target.walk(SYS)
            assert walked[f"{SYS}.4.0"] == "noc@example.net"
            assert list(walked) == [f"{SYS}.{n}.0" for n in (1, 2, 3, 4, 5)]
        finally:
            await agent.stop()

    run(main)


def test_garbage_datagrams_do_not_kill_the_agent() -> None:
    async def main() -> None:
        agent = await started(full_view)
        try:
            target = SnmpTarget("127.0.0.1", agent.port, timeout=1.0)
            assert (await target.get(f"{SYS}.5.0"))[f"{SYS}.5.0"] == "sw-a01"
            # A valid v2c GET for sysName.0, used whole and cut to pieces below.
            good = get_request(f"{SYS}.5.0")
            junk = [b"", b"\x00", b"\x30", b"\x30\x84\xff\xff\xff\xff", good[:-3], good + b"trailing",
                    good.replace(b"\x02\x01\x01", b"\x02\x01\x07", 1),  # SNMP version 7
                    good.replace(b"\xa0", b"\xa2", 1),  # a Response sent to the agent
                    good.replace(b"\xa0", b"\xa4", 1),  # a v1 Trap PDU tag inside a v2c message
                    os.urandom(1400), b"\x30\x82\xff\xf0" + os.urandom(60000)]

            def exchange() -> bytes:  # a blocking socket, so off the loop the agent runs on
                with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
                    sock.settimeout(2.0)
                    for blob in junk:
                        sock.sendto(blob, ("127.0.0.1", agent.port))
                    sock.sendto(good, ("127.0.0.1", agent.port))
                    return sock.recv(65535)

            answer = await asyncio.to_thread(exchange)  # the one valid request among the junk is answered
            assert b"sw-a01" in answer and answer[0] == 0x30
            await asyncio.sleep(0.05)
            assert agent.dropped >= len(junk) - 1
            assert (await target.walk(SYS)) == await target.get(*system_view())
        finally:
            await agent.stop()

    run(main)


def test_many_agents_share_one_engine_and_bound_in_flight() -> None:
    async def main() -> None:
        agents = [await started(full_view) for _ in range(16)]
        try:
            targets = [SnmpTarget("127.0.0.1", a.port, timeout=2.0, max_in_flight=1) for a in agents]
            column = {k: v for k, v in expected_entity().items() if k.startswith(f"{ENT_PHYS}.2.")}
            results = await asyncio.gather(*(t.walk(f"{ENT_PHYS}.2", max_repetitions=10)
                                             for t in targets for _ in range(3)))
            assert all(r == column for r in results)
            assert shared_engine() is shared_engine()
        finally:
            for a in agents:
                await a.stop()

    run(main)


def test_parse_snmp_url() -> None:
    assert parse_snmp_url("snmp://public@127.0.0.1:1161") == ("public", "127.0.0.1", 1161)
    assert parse_snmp_url("snmp://s3cret@switch.lab") == ("s3cret", "switch.lab", 161)
    assert parse_snmp_url("snmp://127.0.0.1:1161") == ("public", "127.0.0.1", 1161)
    assert parse_snmp_url("snmp://a%40b:c@[::1]:161/") == ("a@b:c", "::1", 161)
    for bad, why in [("ssh://public@host:22", "not an SNMP URL"), ("snmp://public@", "no host"),
                     ("snmp://public@host:port", "port must be"),
                     ("snmp://public@host:70000", "port must be"),
                     ("snmp://public@host:0", "port must be"), ("snmp://@host:161", "empty community"),
                     ("snmp://public@host:161/x", "unexpected path")]:
        with pytest.raises(ValueError, match=why) as info:
            parse_snmp_url(bad)
        assert "\n" not in str(info.value)


def test_net_snmp_bulkwalk_sees_the_view() -> None:
    """An independent implementation agrees: net-snmp's snmpbulkwalk lists the entity MIB."""
    if shutil.which("snmpbulkwalk") is None:
        pytest.skip("net-snmp tools absent (apt-get install snmp)")

    async def net_snmp(*args: str) -> str:
        proc = await asyncio.create_subprocess_exec(
            *args, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
            env={**os.environ, "MIBS": "", "SNMPCONFPATH": "/nonexistent"})
        out, _ = await proc.communicate()
        assert proc.returncode == 0, out.decode()
        return out.decode()

    async def main() -> None:
        agent = await started(full_view)
        try:
            where = f"127.0.0.1:{agent.port}"
            out = await net_snmp("snmpbulkwalk", "-v2c", "-c", "public", "-On", "-t", "2", where, ENT)
            listed = dict(line.split(" = ", 1) for line in out.splitlines() if line.strip())
            assert {k.lstrip(".") for k in listed} == set(expected_entity())
            assert listed[f".{ENT_PHYS}.2.3"] == 'STRING: "module 3"'
            assert listed[f".{ENT_PHYS}.6.1"] == f"Counter64: {2**64 - 1}"
            assert listed[f".{ENT_PHYS}.8.4"] == "IpAddress: 10.0.4.1"
            assert listed[f".{ENT_PHYS}.1.2"] == "INTEGER: -2"
            # SNMPv1 as net-snmp speaks it: Counter64 skipped, a missing OID is noSuchName.
            v1 = await net_snmp("snmpwalk", "-v1", "-c", "public", "-On", "-t", "2", where, f"{ENT_PHYS}.6")
            assert "Counter64" not in v1
            proc = await asyncio.create_subprocess_exec(
                "snmpget", "-v1", "-c", "public", "-On", "-t", "2", where, f"{SYS}.9.0",
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
            assert b"noSuchName" in (await proc.communicate())[0]
        finally:
            await agent.stop()

    run(main)
