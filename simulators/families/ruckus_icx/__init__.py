"""The `ruckus_icx` simulated family: Brocade/Ruckus ICX switches on FastIron 08.0.x.

The model is in device.py, the line session in cli.py.
"""

from simulators.families.ruckus_icx.device import FACTORY_PASSWORD, FACTORY_USER, MODELS, IcxDevice
from simulators.family import Family

# The faults this family's model acts on; others are accepted and recorded but inert.
IMPLEMENTED_FAULTS = frozenset({
    "fan_failed", "psu_failed", "overtemp", "port_dead", "crc_errors", "link_flap", "poe_fault",
    "optic_dom_alarm", "parity_crash", "crashinfo", "serial_mismatch", "counterfeit_serial",
    "leftover_config", "unknown_password", "reboot", "ssh_drop", "slow_response", "stolen",
})

FAMILY = Family(
    name="ruckus_icx",
    netmiko_device_type="ruckus_fastiron",
    models=dict(MODELS),
    build=IcxDevice,
    factory_credentials=(FACTORY_USER, FACTORY_PASSWORD, FACTORY_PASSWORD),
    implemented_faults=IMPLEMENTED_FAULTS,
)
