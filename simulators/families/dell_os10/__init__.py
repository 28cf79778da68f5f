"""The `dell_os10` simulated family: Dell EMC S/Z series switches (S3048-ON, S4048-ON, S5248F-ON, Z9100-ON) on OS10.

The model is in device.py, the line session in cli.py.
"""

from simulators.families.dell_os10.device import FACTORY_PASSWORD, FACTORY_USER, MODELS, Os10Device
from simulators.family import Family

# The faults this family's model acts on; others are accepted and recorded but inert. No S/Z model has PoE.
IMPLEMENTED_FAULTS = frozenset({
    "fan_failed", "psu_failed", "overtemp", "port_dead", "crc_errors", "link_flap", "optic_dom_alarm",
    "parity_crash", "crashinfo", "serial_mismatch", "counterfeit_serial", "stolen", "leftover_config",
    "unknown_password", "reboot", "ssh_drop", "slow_response",
})

FAMILY = Family(
    name="dell_os10",
    netmiko_device_type="dell_os10",
    models=dict(MODELS),
    build=Os10Device,
    factory_credentials=(FACTORY_USER, FACTORY_PASSWORD, ""),
    implemented_faults=IMPLEMENTED_FAULTS,
)
