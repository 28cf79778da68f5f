"""The `hp_comware` simulated family: HPE/H3C switches on Comware 5 and 7.

The model is in device.py, the line session in cli.py.
"""

from simulators.families.hp_comware.device import FACTORY_PASSWORD, FACTORY_USER, MODELS, ComwareDevice
from simulators.family import Family

# The faults this family's model acts on; others are accepted and recorded but inert.
IMPLEMENTED_FAULTS = frozenset({
    "fan_failed", "psu_failed", "overtemp", "port_dead", "crc_errors", "link_flap", "poe_fault",
    "optic_dom_alarm", "parity_crash", "crashinfo", "serial_mismatch", "counterfeit_serial",
    "leftover_config", "unknown_password", "reboot", "ssh_drop", "slow_response", "stolen",
})

FAMILY = Family(
    name="hp_comware",
    netmiko_device_type="hp_comware",
    models=dict(MODELS),
    build=ComwareDevice,
    factory_credentials=(FACTORY_USER, FACTORY_PASSWORD, FACTORY_PASSWORD),
    implemented_faults=IMPLEMENTED_FAULTS,
)
