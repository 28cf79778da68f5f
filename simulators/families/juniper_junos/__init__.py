"""The `juniper_junos` simulated family: Juniper EX switches on Junos.

The model is in device.py, the line session in cli.py.
"""

from simulators.families.juniper_junos.device import FACTORY_PASSWORD, FACTORY_USER, MODELS, JunosDevice
from simulators.family import Family

# The faults this family's model acts on; others are accepted and recorded but inert.
IMPLEMENTED_FAULTS = frozenset({
    "fan_failed", "psu_failed", "overtemp", "serial_mismatch", "counterfeit_serial", "leftover_config",
    "unknown_password", "reboot", "slow_response", "ssh_drop", "parity_crash", "crashinfo", "port_dead",
    "crc_errors", "link_flap", "optic_dom_alarm", "stolen",
})

FAMILY = Family(
    name="juniper_junos",
    netmiko_device_type="juniper_junos",
    models=dict(MODELS),
    build=JunosDevice,
    factory_credentials=(FACTORY_USER, FACTORY_PASSWORD, ""),
    implemented_faults=IMPLEMENTED_FAULTS,
)
