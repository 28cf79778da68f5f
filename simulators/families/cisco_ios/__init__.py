"""The `cisco_ios_switch` family: Catalyst 2960-X / 3750-X on classic IOS."""

from __future__ import annotations

from simulators.families.cisco_ios.catalog import MODELS
from simulators.families.cisco_ios.device import FACTORY_ENABLE, FACTORY_PASSWORD, FACTORY_USER, Device
from simulators.family import Family
from simulators.faults import FaultSpec

# What the shared IOS device model (device.py, cli.py here, and simulators/boot.py) acts on.
IMPLEMENTED_FAULTS = frozenset({
    "fan_failed", "psu_failed", "overtemp", "port_dead", "crc_errors", "link_flap", "poe_fault", "optic_dom_alarm",
    "parity_crash", "crashinfo", "serial_mismatch", "counterfeit_serial", "optic_security", "stolen",
    "leftover_config", "unknown_password", "recovery_disabled", "stuck_rommon", "setup_dialog", "console_noise",
    "reboot", "ssh_drop", "slow_response", "snmp_loss", "stack", "sparse_entity_mib",
    "uncatalogued_model",
})


def build(slot: str, index: int, seed: int, model: str, faults: list[FaultSpec]) -> Device:
    return Device(slot, index, seed, model, faults)


FAMILY = Family(
    name="cisco_ios_switch",
    netmiko_device_type="cisco_ios",
    models={pid: m for pid, m in MODELS.items() if m.family == "cisco_ios_switch"},
    build=build,
    factory_credentials=(FACTORY_USER, FACTORY_PASSWORD, FACTORY_ENABLE),
)
