"""Switched PDU outlets over SNMP: power-cycling a unit whose console must see a boot.

APC PowerNet-MIB sPDUOutletCtl (1.3.6.1.4.1.318.1.1.4.4.2.1.3.N): 1 immediateOn, 2 immediateOff,
3 immediateReboot (the PDU holds the outlet off for its own configured delay, so the bench
never sleeps to let capacitors drain).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bench.drivers.snmp import SnmpTarget

OUTLET_CTL = "1.3.6.1.4.1.318.1.1.4.4.2.1.3"
ON, OFF, REBOOT = 1, 2, 3


@dataclass(frozen=True)
class PduOutlet:
    host: str
    port: int
    outlet: int
    community: str = field(default="private", repr=False)

    def _target(self) -> SnmpTarget:
        return SnmpTarget(self.host, self.port, self.community, timeout=2.0, retries=2)

    async def power_cycle(self) -> None:
        await self._target().set_integer(f"{OUTLET_CTL}.{self.outlet}", REBOOT)

    async def power_on(self) -> None:
        await self._target().set_integer(f"{OUTLET_CTL}.{self.outlet}", ON)

    async def power_off(self) -> None:
        await self._target().set_integer(f"{OUTLET_CTL}.{self.outlet}", OFF)
