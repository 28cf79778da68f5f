"""A simulated front-panel port as every network family models it: cabled to the harness or not, and what
the port faults (port_dead, crc_errors, link_flap) do to its link state and counters.

A family subclasses `HarnessPort` to add its own fields (PoE, names it prints) and its speed rule, and
shapes `counters()` into the names its CLI and SNMP view use.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any


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


# ---------- ports the device model drives (Arista, NX-OS, IOS XR): `cabled` ports, traffic per port number
IDLE_COUNTERS = {"in_pkts": 0, "out_pkts": 0, "in_octets": 0, "out_octets": 0, "in_errors": 0, "crc": 0,
                 "out_errors": 0}


@dataclass(frozen=True)
class HarnessTraffic:
    """A family's background harness traffic on a cabled, working port: `base + step * n` packets/s in,
    `out_share` of that out, fixed frame sizes, and `crc_per_s` CRC errors a second under crc_errors."""

    base: int
    step: int
    out_share: float
    in_size: int
    out_size: int
    crc_per_s: float

    def counters(self, uptime: float, n: int, crc: bool) -> dict[str, int]:
        rate = self.base + self.step * n
        in_pkts, out_pkts = int(uptime * rate), int(uptime * rate * self.out_share)
        errors = int(uptime * self.crc_per_s) if crc else 0
        return {"in_pkts": in_pkts, "out_pkts": out_pkts, "in_octets": in_pkts * self.in_size,
                "out_octets": out_pkts * self.out_size, "in_errors": errors, "crc": errors, "out_errors": 0}


def flapping_up(uptime: float) -> bool:
    """A flapping port's link: down 7 s of every 14."""
    return int(uptime // 7) % 2 == 0


def link_transitions(port: Any, uptime: float) -> int:
    """How often a cabled port's link changed since boot (once at boot, twice a flap cycle under link_flap)."""
    if not port.cabled or port.dead:
        return 0
    return 1 + (2 * int(uptime // 14) if port.flap else 0)


def pick_cabled(rng: random.Random, ports: list[Any]) -> Any:
    """A cabled port to break, one fault per port where possible, so each fault stays visible on its own."""
    free = [p for p in ports if p.cabled and not (p.dead or p.crc or p.flap)]
    return rng.choice(free or [p for p in ports if p.cabled])
