"""The SNMP fast path (gufo-snmp) reads what the pysnmp client reads: the engine's slots use it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from bench.drivers.snmp import SnmpTarget
from bench.drivers.snmp_poll import FastSnmpTarget, gufo_available, snmp_target

ENTITY = "1.3.6.1.2.1.47.1.1.1.1"
STABLE = ["1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.1.2.0", "1.3.6.1.2.1.1.5.0", "1.3.6.1.2.1.1.99.0"]  # the last: absent


def test_fast_target_reads_what_pysnmp_reads(bench_sim: Callable[..., Any]) -> None:
    fleet = bench_sim(count=1, families=["cisco_ios_switch"])
    agent = fleet.slot("S1")["snmp"]

    async def read(target: SnmpTarget) -> tuple[Any, ...]:
        got = await target.get(*STABLE)
        walked = await target.walk(f"{ENTITY}.7")
        columns = await target.walk_columns(ENTITY, (4, 5, 11), max_repetitions=3, max_requests=1)
        whole = await target.walk_columns(ENTITY, (4, 5, 11), max_repetitions=100, max_requests=5)
        return got, walked, columns, whole

    fast = snmp_target(agent["host"], agent["port"], agent["community"])
    assert isinstance(fast, FastSnmpTarget) == gufo_available()
    slow_reading = asyncio.run(read(SnmpTarget(agent["host"], agent["port"], agent["community"])))
    fast_reading = asyncio.run(read(fast))
    assert fast_reading == slow_reading
    got, walked, columns, whole = fast_reading
    assert got["1.3.6.1.2.1.1.99.0"] is None and got["1.3.6.1.2.1.1.2.0"].startswith("1.3.6.1.4.1.9.")
    assert walked and whole[1] is True
    assert columns[1] is False and len(columns[0]) == 9  # 3 rows of 3 columns: a bounded walk says it stopped


def test_a_hostile_datagram_never_crashes_the_bulk_decoder() -> None:
    # Anything on the socket that is not a well-formed Response (cut short, garbage, another PDU) is refused
    # with ValueError, which the client treats as no answer: never another exception.
    import random

    from bench.drivers.snmp_bulk import getbulk_message, parse_response

    good = getbulk_message("public", 7, 10, [(1, 3, 6, 1, 2, 1, 47, 1, 1, 1, 1, 4)])
    response = b"\xa2".join(good.split(b"\xa5", 1))  # the same bytes as a Response PDU
    assert parse_response(response)[0] == 7
    rng = random.Random(13)
    samples = [response[:n] for n in range(len(response))]
    samples += [bytes(rng.randrange(256) for _ in range(rng.randrange(1, 80))) for _ in range(2000)]
    samples += [bytes(b ^ (1 << rng.randrange(8)) if rng.random() < 0.1 else b for b in response)
                for _ in range(2000)]
    for data in samples:
        try:
            parse_response(data)
        except ValueError:
            pass
