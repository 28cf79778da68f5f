"""The `aruba_aoscx` simulated family: Aruba CX switches (6100, 6200F, 6300M, 8320) on AOS-CX 10.x.

The model is in device.py, the line session in cli.py.
"""

from simulators.families.aruba_aoscx.device import FACTORY_PASSWORD, FACTORY_USER, MODELS, CxDevice
from simulators.family import Family

# The faults this family's model acts on; others are accepted and recorded but inert.
IMPLEMENTED_FAULTS = frozenset({
    "fan_failed", "psu_failed", "overtemp", "port_dead", "crc_errors", "link_flap", "poe_fault",
    "optic_dom_alarm", "parity_crash", "crashinfo", "serial_mismatch", "counterfeit_serial", "stolen",
    "leftover_config", "unknown_password", "reboot", "ssh_drop", "slow_response",
})

FAMILY = Family(
    name="aruba_aoscx",
    netmiko_device_type="aruba_aoscx",
    models=dict(MODELS),
    build=CxDevice,
    factory_credentials=(FACTORY_USER, FACTORY_PASSWORD, ""),
    implemented_faults=IMPLEMENTED_FAULTS,
)
