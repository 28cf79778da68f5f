"""A smallest complete simulated family, as a third-party package would ship it (docs/contributing.md).

`acme_nos` is an invented switch OS: a login over SSH lands at `acme> `, `show version` names the model
and serial, `show fans` reads the fan the `fan_failed` fault breaks. Tests register it as an entry point
in `bench.sim_families` (tests/test_sim_families.py) to prove a family needs no line in simulators/.
"""

from __future__ import annotations

import random

from simulators.device_base import SimDeviceBase
from simulators.family import Family
from simulators.faults import FaultSpec
from simulators.line import LineSession, Reply, crlf


class AcmeModel:
    def __init__(self, pid: str) -> None:
        self.pid, self.family, self.poe, self.psu_pid = pid, "acme_nos", False, None


MODELS = {"ACME-24": AcmeModel("ACME-24")}


class AcmeSwitch(SimDeviceBase):
    family = "acme_nos"

    def __init__(self, slot: str, index: int, seed: int, model: str, faults: list[FaultSpec] | None = None) -> None:
        super().__init__(slot, index, model, faults)
        rng = random.Random(f"{seed}:{index}:{model}")
        self.serial = f"AC{rng.randint(10**7, 10**8 - 1)}"
        self.fan_ok = True
        self._power_on(float(rng.randint(120, 900)))
        self._apply_boot_faults()

    def _fault(self, name: str, rng: random.Random, at_boot: bool) -> None:
        if name == "fan_failed":
            self.fan_ok = False

    def check_login(self, username: str, password: str) -> bool:
        return (username, password) == ("acme", "acme")

    def snmp_view(self) -> dict[str, tuple[str, object]]:
        return {"1.3.6.1.2.1.1.1.0": ("OctetString", f"AcmeOS {self.model}")}

    def open_session(self, console: bool) -> AcmeSession:
        return AcmeSession(self, console=console)

    def reload(self, reason: str = "reload") -> None:
        self._restart()


class AcmeSession(LineSession):
    @property
    def prompt(self) -> str:
        return "acme> "

    def banner(self) -> str:
        return crlf("AcmeOS\n") + self.prompt

    def _line(self, line: str) -> tuple[str, bool]:
        words = line.split()
        if words:
            self.commands += 1
        if words == ["exit"]:
            return "\r\n", True
        if words == ["show", "version"]:
            out = f"\nAcmeOS 1.0 on {self.dev.model}, serial {self.dev.serial}\n"
        elif words == ["show", "fans"]:
            out = f"\nFan 1: {'OK' if self.dev.fan_ok else 'FAILED'}\n"
        elif words == ["reload"]:
            self.dev.reload()
            return crlf("\nRebooting\n"), True
        else:
            out = "\n" + (f"% unknown command: {line.strip()}\n" if words else "")
        return crlf(out) + self.prompt, False

    def _rebooted(self) -> Reply:
        return Reply(crlf("\nAcmeOS booted\n") + self.banner())


FAMILY = Family(
    name="acme_nos",
    netmiko_device_type="generic",
    models=dict(MODELS),
    build=AcmeSwitch,
    factory_credentials=("acme", "acme", ""),
    implemented_faults=frozenset({"fan_failed", "slow_response", "ssh_drop"}),
)
