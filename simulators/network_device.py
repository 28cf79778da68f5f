"""What the network families' units share on top of SimDeviceBase: front-panel ports (simulators/ports.py)
whose link_flap leaves a trail in the unit's log, the port faults, a base MAC, and an SNMP view refreshed
on every request. A family supplies `_link_changed` (its log line) and `snmp_values` (its MIB view).
"""

from __future__ import annotations

import copy
import random
from typing import Any, ClassVar

from simulators.device_base import SimDeviceBase
from simulators.faults import FaultSpec
from simulators.ports import HarnessPort
from simulators.snmp_tables import SnmpView

# The port faults and the HarnessPort flag each one sets.
PORT_FAULTS = {"port_dead": "dead", "crc_errors": "crc", "link_flap": "flap"}


class NetworkDevice(SimDeviceBase):
    mac_format: ClassVar[str] = "012x"  # how mac() spells the address (RouterOS: upper case)

    def __init__(self, slot: str, index: int, model: str, faults: list[FaultSpec] | None) -> None:
        super().__init__(slot, index, model, faults)
        self.ports: list[Any] = []  # the family's HarnessPort subclass
        self.base_mac = ""
        self._flap_state: dict[str, bool] = {}

    def port(self, name: str) -> Any:
        return next((p for p in self.ports if p.name == name), None)

    # ---------- faults and time
    def _on_tick(self) -> None:
        up = self.uptime()
        for p in self.ports:  # link_flap leaves its trail in the log
            if p.flap:
                now = p.up(up)
                if self._flap_state.get(p.name, True) != now:
                    self._flap_state[p.name] = now
                    self._link_changed(p, now)

    def _link_changed(self, port: Any, up: bool) -> None:
        """A flapping port went up or down: what the family logs."""

    @staticmethod
    def _break_port(name: str, port: HarnessPort) -> None:
        """port_dead, crc_errors or link_flap on this port."""
        setattr(port, PORT_FAULTS[name], True)

    @staticmethod
    def _break_spread(name: str, linked: list[Any]) -> None:
        """The port faults spread over the cabled ports: dead on the first, CRC errors on the last, the flap
        on the second, so each stays visible on its own."""
        port = {"port_dead": linked[0], "crc_errors": linked[-1], "link_flap": linked[1 % len(linked)]}[name]
        setattr(port, PORT_FAULTS[name], True)

    def _cabled(self, rng: random.Random) -> Any:
        """A cabled port to break, healthy copper first, so each port fault stays visible on its own."""
        healthy = [p for p in self.ports if p.linked and not (p.dead or p.crc or p.flap)]
        return rng.choice([p for p in healthy if p.kind == "copper"] or healthy or
                          [p for p in self.ports if p.linked])

    # ---------- SNMP
    def mac(self, offset: int = 0) -> str:
        return format(int(self.base_mac, 16) + offset, self.mac_format)

    def snmp_view(self) -> SnmpView:
        """OID -> (type, value); reads the same state the CLI shows."""
        self.touch()
        return self.snmp_values()

    def snmp_values(self) -> SnmpView:
        raise NotImplementedError


class SavedConfig:
    """A unit with a running configuration it can save as its startup one (`write memory`)."""

    running: Any
    startup: Any

    @property
    def hostname(self) -> str:
        return str(self.running.hostname)

    def write_memory(self) -> None:
        self.startup = copy.deepcopy(self.running)
