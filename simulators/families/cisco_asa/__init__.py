"""The `cisco_asa` simulated family: Cisco ASA 5500-X firewalls on ASA 9.x.

The model is in device.py, the line session (prompts, pager, `ERROR: %` refusals) in cli.py.
"""

from simulators.families.cisco_asa.device import FACTORY_PASSWORD, FACTORY_USER, MODELS, AsaDevice
from simulators.family import Family

# The faults this family's model acts on; others are accepted and recorded but inert. No optic_dom_alarm
# (these models carry no SFP cages and ASA software shows no DOM) and no poe_fault (no PoE model).
IMPLEMENTED_FAULTS = frozenset({
    "fan_failed", "psu_failed", "overtemp", "port_dead", "crc_errors", "link_flap", "parity_crash", "crashinfo",
    "serial_mismatch", "counterfeit_serial", "stolen", "leftover_config", "unknown_password", "reboot",
    "ssh_drop", "slow_response", "snmp_loss",
})

FAMILY = Family(
    name="cisco_asa",
    netmiko_device_type="cisco_asa",
    models=dict(MODELS),
    build=AsaDevice,
    factory_credentials=(FACTORY_USER, FACTORY_PASSWORD, FACTORY_PASSWORD),
    implemented_faults=IMPLEMENTED_FAULTS,
)
