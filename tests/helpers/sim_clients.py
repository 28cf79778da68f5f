"""Real clients against simulated front ends on loopback: netmiko over the asyncssh front end, net-snmp's walk."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from netmiko import ConnectHandler

from helpers.loop_thread import LoopThread
from simulators.ssh_server import SshFrontEnd


@contextmanager
def ssh_served(loop: LoopThread, dev: Any) -> Iterator[SshFrontEnd]:
    """The device's SSH front end on a free loopback port for the duration of the block."""
    fe = SshFrontEnd(dev)
    loop.run(fe.start())
    try:
        yield fe
    finally:
        loop.run(fe.stop())


def netmiko_to(port: int, device_type: str, username: str, password: str, secret: str = "",
               **kw: Any) -> Any:
    """A netmiko connection as the bench opens one, with timeouts that fit a loaded test machine."""
    args: dict[str, Any] = dict(device_type=device_type, host="127.0.0.1", port=port, username=username,
                                password=password, secret=secret, fast_cli=False, conn_timeout=10, auth_timeout=10,
                                banner_timeout=10)
    args.update(kw)
    return ConnectHandler(**args)


def snmp_walk(port: int, oid: str, *, quick: bool = False, extra: tuple[str, ...] = ()) -> dict[str, str]:
    """snmpbulkwalk v2c (community public): OID -> value; `quick` prints bare values (-Oq, quotes dropped),
    otherwise each value keeps its type (`STRING: "x"`)."""
    style = ["-Oq", *extra] if quick else ["-Oe", *extra]
    out = subprocess.run(["snmpbulkwalk", "-v2c", "-c", "public", "-On", *style, "-t", "3", "-r", "1",
                          f"127.0.0.1:{port}", oid], capture_output=True, text=True, timeout=60, check=True).stdout
    rows = {}
    for line in out.splitlines():
        if quick:
            k, _, v = line.partition(" ")
            rows[k.lstrip(".")] = v.strip().strip('"')
        elif " = " in line:
            k, v = line.split(" = ", 1)
            rows[k.lstrip(".")] = v
    return rows
