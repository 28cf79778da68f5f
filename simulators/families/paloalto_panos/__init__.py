"""The `paloalto_panos` simulated family: Palo Alto Networks firewalls on PAN-OS 10.x.

The model is in device.py, the line session (operational and configuration modes) in cli.py.
"""

from simulators.families.paloalto_panos.device import FACTORY_PASSWORD, FACTORY_USER, MODELS, PanosDevice
from simulators.family import vendor_family

# The faults this family's model acts on besides every network family's (simulators/faults.py
# NETWORK_FAULTS); others are accepted and recorded but inert.
# The faults this family's model acts on; others are accepted and recorded but inert (no PoE model).
FAMILY = vendor_family("paloalto_panos", PanosDevice, MODELS, (FACTORY_USER, FACTORY_PASSWORD, ""),
                       {"optic_dom_alarm", "parity_crash", "snmp_loss"})
IMPLEMENTED_FAULTS = FAMILY.implemented_faults
