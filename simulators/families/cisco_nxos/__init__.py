"""The `cisco_nxos` simulated family: Cisco Nexus 3000/5000/7000/9000 on NX-OS.

The model is in device.py, the line session in cli.py.
"""

from simulators.families.cisco_nxos.device import FACTORY_ENABLE, FACTORY_PASSWORD, FACTORY_USER, MODELS, NxosDevice
from simulators.family import Family

# The faults this family's model acts on; others are accepted and recorded but inert.
IMPLEMENTED_FAULTS = frozenset({
    "fan_failed", "psu_failed", "overtemp", "port_dead", "crc_errors", "link_flap", "optic_dom_alarm",
    "parity_crash", "crashinfo", "serial_mismatch", "counterfeit_serial", "stolen", "leftover_config",
    "unknown_password", "reboot", "ssh_drop", "slow_response",
})

FAMILY = Family(
    name="cisco_nxos",
    netmiko_device_type="cisco_nxos",
    models=dict(MODELS),
    build=NxosDevice,
    factory_credentials=(FACTORY_USER, FACTORY_PASSWORD, FACTORY_ENABLE),
    implemented_faults=IMPLEMENTED_FAULTS,
)
