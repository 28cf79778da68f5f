"""A simulated front-panel port as every network family models it: cabled to the harness or not, and what
the port faults (port_dead, crc_errors, link_flap) do to its link state and counters.

A family subclasses `HarnessPort` to add its own fields (PoE, names it prints) and its speed rule, and
shapes `counters()` into the names its CLI and SNMP view use.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class HarnessPort:
    name: str
    if_index: int
    kind: str  # copper, or the cage kind (sfp, sfp+, sfp28, qsfp+ ...)
    optic: str | None = None
    optic_serial: str = ""
    linked: bool = False  # cabled to the harness (a loopback plug): it should link
    rate: int = 0  # bytes/s each way while up
    dead: bool = False
    crc: bool = False
    flap: bool = False
    dom_alarm: bool = False

    def carrying(self) -> bool:
        """Whether the port moves traffic at all (cabled and not dead); a family adds its own reasons."""
        return self.linked and not self.dead

    def up(self, uptime: float) -> bool:
        if not self.carrying():
            return False
        return uptime % 10 < 6 if self.flap else True  # a flapping port is down 4 s out of every 10

    def counters(self, uptime: float) -> dict[str, int]:
        """Monotonic counters since boot: linked ports move traffic, crc_errors grows input (FCS) errors."""
        t = uptime * (0.6 if self.flap else 1.0)
        moving = self.carrying()
        rx = int(self.rate * t) if moving else 0
        tx = int(self.rate * 0.8 * t) if moving else 0
        crc = int(uptime * 0.7) if self.crc and moving else 0
        return {"rx_bytes": rx, "tx_bytes": tx, "rx_frames": rx // 612, "tx_frames": tx // 590,
                "rx_bcast": rx // 61_200, "tx_bcast": tx // 59_000, "crc": crc, "rx_errors": crc, "tx_errors": 0}
