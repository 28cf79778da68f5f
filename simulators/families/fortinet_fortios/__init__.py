"""The `fortinet_fortios` simulated family: FortiGate firewalls on FortiOS 7.2.

The model is in device.py, the line session in cli.py.
"""

from simulators.families.fortinet_fortios.device import FACTORY_PASSWORD, FACTORY_USER, MODELS, FortiDevice
from simulators.family import Family

# The faults this family's model acts on; others are accepted and recorded but inert. fan_failed and
# psu_failed act on the models with monitored fans and supplies (not the fanless FG-60E on its adapter).
IMPLEMENTED_FAULTS = frozenset({
    "fan_failed", "psu_failed", "overtemp", "port_dead", "crc_errors", "link_flap", "optic_dom_alarm",
    "crashinfo", "serial_mismatch", "counterfeit_serial", "leftover_config", "unknown_password", "reboot",
    "ssh_drop", "slow_response", "stolen",
})

FAMILY = Family(
    name="fortinet_fortios",
    netmiko_device_type="fortinet",
    models=dict(MODELS),
    build=FortiDevice,
    factory_credentials=(FACTORY_USER, FACTORY_PASSWORD, FACTORY_PASSWORD),
    implemented_faults=IMPLEMENTED_FAULTS,
)
