"""A simulated switched rack PDU (APC AP7900 style, PowerNet-MIB) with one outlet per simulated device.

sPDUOutletCtl (1.3.6.1.4.1.318.1.1.4.4.2.1.3.N): write 1 immediateOn, 2 immediateOff, 3 immediateReboot;
reads 1 outletOn, 2 outletOff, 3 outletReboot. sPDUOutletCtlName (.4.N) names the outlet and is writable
here. Off darkens the device (console silent, SSH and SNMP gone), on boots it from power-on.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Protocol

from simulators.snmp_agent import NOT_WRITABLE, WRONG_TYPE, WRONG_VALUE, SnmpAgent

_CTL = "1.3.6.1.4.1.318.1.1.4.4.2.1.3"
_NAME = "1.3.6.1.4.1.318.1.1.4.4.2.1.4"
_TABLE_SIZE = "1.3.6.1.4.1.318.1.1.4.4.1.0"  # sPDUOutletControlTableSize
_SYS_OBJECT_ID = "1.3.6.1.4.1.318.1.3.4.5"  # masterSwitchrPDU (AP7900 family)
_SYS_DESCR = ("APC Web/SNMP Management Card (MB:v3.9.2 PF:v3.9.2 PN:apc_hw02_aos_392.bin AF1:v3.9.2 "
              "AN1:apc_hw02_rpdu_392.bin MN:AP7900 HR:B2 SN: 5A1427E01234 MD:07/01/2014)")
IMMEDIATE_ON, IMMEDIATE_OFF, IMMEDIATE_REBOOT = 1, 2, 3
REBOOT_OFF_SECONDS = 2.0  # compressed sPDUOutletRebootDuration (5 s on the real unit)


class Outlet(Protocol):
    """What an outlet switches: a device's console line (simulators.console.ConsoleLine)."""

    def power_on(self) -> None: ...

    def power_off(self) -> None: ...

    @property
    def powered(self) -> bool: ...


class Pdu:
    def __init__(self, outlets: Sequence[Outlet], names: Sequence[str] | None = None, host: str = "127.0.0.1",
                 port: int = 0, community: str = "private", reboot_off: float = REBOOT_OFF_SECONDS) -> None:
        self.outlets = list(outlets)
        self.names = list(names or [f"Outlet {i}" for i in range(1, len(self.outlets) + 1)])
        self.host = host
        self.community = community
        self.reboot_off = reboot_off
        self._rebooting: set[int] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self.agent = SnmpAgent(host, port, community, self.view, on_set=self.on_set)

    @property
    def port(self) -> int:
        return self.agent.port

    async def start(self) -> int:
        await self.agent.start()
        return self.agent.port

    async def stop(self) -> None:
        for t in list(self._tasks):
            t.cancel()
        await self.agent.stop()

    def view(self) -> dict[str, tuple[str, object]]:
        v: dict[str, tuple[str, object]] = {
            "1.3.6.1.2.1.1.1.0": ("OctetString", _SYS_DESCR),
            "1.3.6.1.2.1.1.2.0": ("ObjectIdentifier", _SYS_OBJECT_ID),
            "1.3.6.1.2.1.1.5.0": ("OctetString", "sim-pdu"),
            _TABLE_SIZE: ("Integer", len(self.outlets)),
        }
        for n, outlet in enumerate(self.outlets, 1):
            state = 3 if n in self._rebooting else 1 if outlet.powered else 2
            v[f"{_CTL}.{n}"] = ("Integer", state)
            v[f"{_NAME}.{n}"] = ("OctetString", self.names[n - 1])
        return v

    def on_set(self, oid: str, type_name: str, value: object) -> int | None:
        col, _, idx = oid.rpartition(".")
        if col not in (_CTL, _NAME) or not idx.isdigit() or not 1 <= int(idx) <= len(self.outlets):
            return NOT_WRITABLE
        n = int(idx)
        if col == _NAME:
            if type_name != "OctetString":
                return WRONG_TYPE
            assert isinstance(value, bytes)
            self.names[n - 1] = value.decode("latin-1")[:20]
            return None
        if type_name != "Integer":
            return WRONG_TYPE
        if value not in (IMMEDIATE_ON, IMMEDIATE_OFF, IMMEDIATE_REBOOT):
            return WRONG_VALUE  # delayed commands (4-7) are not simulated
        self.switch(n, int(value))  # type: ignore[call-overload]
        return None

    def switch(self, n: int, command: int) -> None:
        outlet = self.outlets[n - 1]
        if command == IMMEDIATE_ON:
            outlet.power_on()
        elif command == IMMEDIATE_OFF:
            outlet.power_off()
        elif n not in self._rebooting:
            self._rebooting.add(n)
            outlet.power_off()
            task = asyncio.get_running_loop().create_task(self._back_on(n))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _back_on(self, n: int) -> None:
        try:
            await asyncio.sleep(self.reboot_off)
            self.outlets[n - 1].power_on()
        finally:
            self._rebooting.discard(n)
