"""The `hp_procurve` simulated family: HP/Aruba ProVision (ProCurve) switches.

The model is in device.py, the line session in cli.py.
"""

from simulators.families.hp_procurve.device import FACTORY_PASSWORD, FACTORY_USER, MODELS, ProcurveDevice
from simulators.family import Family

# The faults this family's model acts on; others are accepted and recorded but inert.
IMPLEMENTED_FAULTS = frozenset({
    "fan_failed", "psu_failed", "overtemp", "port_dead", "crc_errors", "link_flap", "poe_fault",
    "optic_dom_alarm", "parity_crash", "crashinfo", "serial_mismatch", "counterfeit_serial",
    "leftover_config", "unknown_password", "reboot", "ssh_drop", "slow_response", "stolen",
})

FAMILY = Family(
    name="hp_procurve",
    netmiko_device_type="hp_procurve",
    models=dict(MODELS),
    build=ProcurveDevice,
    factory_credentials=(FACTORY_USER, FACTORY_PASSWORD, FACTORY_PASSWORD),
    implemented_faults=IMPLEMENTED_FAULTS,
)
