"""Switched PDU outlets over SNMP: power-cycling a unit whose console must see a boot.

APC PowerNet-MIB sPDUOutletCtl (1.3.6.1.4.1.318.1.1.4.4.2.1.3.N): 1 immediateOn, 2 immediateOff,
3 immediateReboot (the PDU holds the outlet off for its own configured delay, so the bench
never sleeps to let capacitors drain).
"""

from __future__ import annotations

from bench.drivers.snmp import SnmpTarget

OUTLET_CTL = "1.3.6.1.4.1.318.1.1.4.4.2.1.3"
ON, OFF, REBOOT = 1, 2, 3


class PduOutlet:
    """One outlet: its control OID on the PDU's SNMP agent (the write community never in the repr)."""

    def __init__(self, host: str, port: int, outlet: int, community: str = "private") -> None:
        # A fresh SNMP target per command, made on the loop that sends it (a power cycle comes from the
        # console's worker thread through the engine's loop).
        self._target = lambda: SnmpTarget(host, port, community, timeout=2.0, retries=2)
        self.where = f"{host}:{port}"
        self.oid = f"{OUTLET_CTL}.{outlet}"

    def __repr__(self) -> str:
        return f"PduOutlet({self.where}, {self.oid})"

    async def power_cycle(self) -> None:
        await self._target().set_integer(self.oid, REBOOT)

    async def power_on(self) -> None:
        await self._target().set_integer(self.oid, ON)

    async def power_off(self) -> None:
        await self._target().set_integer(self.oid, OFF)
