"""The `huawei_vrp` simulated family: Huawei S/CE switches and AR routers on VRP.

The model is in device.py (on the Comware model, simulators/families/hp_comware), the line session in cli.py.
"""

from simulators.families.huawei_vrp.device import FACTORY_PASSWORD, FACTORY_USER, MODELS, VrpDevice
from simulators.family import Family

# The faults this family's model acts on; others are accepted and recorded but inert.
IMPLEMENTED_FAULTS = frozenset({
    "fan_failed", "psu_failed", "overtemp", "port_dead", "crc_errors", "link_flap", "poe_fault",
    "optic_dom_alarm", "parity_crash", "crashinfo", "serial_mismatch", "counterfeit_serial",
    "leftover_config", "unknown_password", "reboot", "ssh_drop", "slow_response", "stolen",
})

FAMILY = Family(
    name="huawei_vrp",
    netmiko_device_type="huawei",
    models=dict(MODELS),
    build=VrpDevice,
    factory_credentials=(FACTORY_USER, FACTORY_PASSWORD, ""),
    implemented_faults=IMPLEMENTED_FAULTS,
)
