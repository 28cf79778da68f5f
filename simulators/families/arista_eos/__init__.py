"""The `arista_eos` simulated family: Arista EOS switches (7050/7280 families).

The model is in device.py, the line session in cli.py.
"""

from simulators.families.arista_eos.device import FACTORY_ENABLE, FACTORY_PASSWORD, FACTORY_USER, MODELS, AristaDevice
from simulators.family import Family

# EOS has no enable secret out of the box

# The faults this family's model acts on; others are accepted and recorded but inert.
IMPLEMENTED_FAULTS = frozenset({
    "fan_failed", "psu_failed", "overtemp", "port_dead", "crc_errors", "link_flap", "optic_dom_alarm",
    "parity_crash", "crashinfo", "serial_mismatch", "counterfeit_serial", "stolen", "leftover_config",
    "unknown_password", "reboot", "ssh_drop", "slow_response",
})

FAMILY = Family(
    name="arista_eos",
    netmiko_device_type="arista_eos",
    models=dict(MODELS),
    build=AristaDevice,
    factory_credentials=(FACTORY_USER, FACTORY_PASSWORD, FACTORY_ENABLE),
    implemented_faults=IMPLEMENTED_FAULTS,
)
