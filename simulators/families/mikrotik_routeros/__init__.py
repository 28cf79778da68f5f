"""The `mikrotik_routeros` simulated family: MikroTik CRS switches, CCR and RB routers on RouterOS 7.

The model is in device.py, the line session in cli.py.
"""

from simulators.families.mikrotik_routeros.device import FACTORY_PASSWORD, FACTORY_USER, MODELS, RouterOsDevice
from simulators.family import Family

# The faults this family's model acts on; others are accepted and recorded but inert. fan_failed acts on
# the models with fans (CCR2004, CRS328); the CRS326 and RB4011 are passively cooled.
IMPLEMENTED_FAULTS = frozenset({
    "fan_failed", "psu_failed", "overtemp", "port_dead", "crc_errors", "link_flap", "poe_fault",
    "optic_dom_alarm", "crashinfo", "serial_mismatch", "counterfeit_serial", "leftover_config",
    "unknown_password", "reboot", "ssh_drop", "slow_response", "stolen",
})

FAMILY = Family(
    name="mikrotik_routeros",
    netmiko_device_type="mikrotik_routeros",
    models=dict(MODELS),
    build=RouterOsDevice,
    factory_credentials=(FACTORY_USER, FACTORY_PASSWORD, ""),
    implemented_faults=IMPLEMENTED_FAULTS,
)
