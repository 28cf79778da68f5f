"""The `paloalto_panos` simulated family: Palo Alto Networks firewalls on PAN-OS 10.x.

The model is in device.py, the line session (operational and configuration modes) in cli.py.
"""

from simulators.families.paloalto_panos.device import FACTORY_PASSWORD, FACTORY_USER, MODELS, PanosDevice
from simulators.family import Family

# The faults this family's model acts on; others are accepted and recorded but inert (no PoE model).
IMPLEMENTED_FAULTS = frozenset({
    "fan_failed", "psu_failed", "overtemp", "port_dead", "crc_errors", "link_flap", "optic_dom_alarm",
    "parity_crash", "crashinfo", "serial_mismatch", "counterfeit_serial", "stolen", "leftover_config",
    "unknown_password", "reboot", "ssh_drop", "slow_response", "snmp_loss",
})

FAMILY = Family(
    name="paloalto_panos",
    netmiko_device_type="paloalto_panos",
    models=dict(MODELS),
    build=PanosDevice,
    factory_credentials=(FACTORY_USER, FACTORY_PASSWORD, ""),
    implemented_faults=IMPLEMENTED_FAULTS,
)
