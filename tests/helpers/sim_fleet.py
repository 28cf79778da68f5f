"""One simulated family served by the real fleet (`serve`) with its SNMP agent, and the SNMP and bench-file
checks each family's fleet test makes."""

from __future__ import annotations

import asyncio
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from helpers.loop_thread import LoopThread
from simulators.family import family
from simulators.fleet import SimSlot, serve

ENTITY = "1.3.6.1.2.1.47.1.1.1.1"  # ENTITY-MIB entPhysicalEntry: .2 descr, .5 class, .7 name, .11 serial, .13 model
IF_ENTRY = "1.3.6.1.2.1.2.2.1"  # IF-MIB ifEntry: .2 descr, .8 oper status, .10 in octets

Unit = TypeVar("Unit")


@contextmanager
def fleet_unit(loop: LoopThread, kind: type[Unit], fam: str, faults: str, folder: Path,
               units: int = 3) -> Iterator[tuple[Unit, int]]:
    """The first unit (a `kind`) of a fleet of `units` units of `fam` (faults like `S1:serial_mismatch`) and its
    SNMP agent's port, served until the block ends; the fleet writes its bench file to `folder`/bench.yaml."""
    stop, ready = asyncio.Event(), asyncio.Event()
    started: list[SimSlot] = []
    fut = asyncio.run_coroutine_threadsafe(
        serve(1, units, [fam], faults, str(folder / "bench.yaml"), ready=ready, stop=stop, started=started), loop.loop)
    try:
        loop.run(asyncio.wait_for(ready.wait(), 15))
        dev, port = started[0].device, started[0].snmp_port
        assert isinstance(dev, kind) and port
        yield dev, port
    finally:
        loop.call(stop.set)
        fut.result(15)


def snmp_get(port: int, *oids: str) -> list[str]:
    """snmpget v2c (community public), one printed value a line (-Oqv: strings keep their quotes)."""
    return subprocess.run(["snmpget", "-v2c", "-c", "public", "-On", "-Oqv", f"127.0.0.1:{port}", *oids],
                          capture_output=True, text=True, timeout=10, check=True).stdout.splitlines()


def entity_columns(ent: dict[str, str], index: int | str, *columns: int) -> tuple[str, ...]:
    """The walked entPhysicalEntry columns of one entity, in the order asked."""
    return tuple(ent[f"{ENTITY}.{c}.{index}"] for c in columns)


def assert_oper_status(iftab: dict[str, str], dev: object) -> None:
    """ifOperStatus says up (1) for every port the unit has up now and down (2) for the others."""
    up = dev.uptime()  # type: ignore[attr-defined]
    for p in dev.ports:  # type: ignore[attr-defined]
        assert iftab[f"{IF_ENTRY}.8.{p.if_index}"] == ("1" if p.up(up) else "2")


def assert_bench_file_lists(folder: Path, fam: str, device_type: str, serial: str,
                            credentials: tuple[str, str, str]) -> None:
    """The fleet's bench file (`folder`/bench.yaml) names the unit's netmiko device type and serial; the family's
    factory credentials are the ones given."""
    text = (folder / "bench.yaml").read_text()
    assert f"netmiko_device_type: {device_type}" in text and f"serial: {serial}" in text
    assert family(fam).factory_credentials == credentials
