"""The `cisco_asa` simulated family: Cisco ASA 5500-X firewalls on ASA 9.x.

The model is in device.py, the line session (prompts, pager, `ERROR: %` refusals) in cli.py.
"""

from simulators.families.cisco_asa.device import FACTORY_PASSWORD, FACTORY_USER, MODELS, AsaDevice
from simulators.family import vendor_family

# The faults this family's model acts on besides every network family's (simulators/faults.py
# NETWORK_FAULTS); others are accepted and recorded but inert.
# No optic_dom_alarm (these models carry no SFP cages and ASA software shows no DOM) and no poe_fault (no PoE model).
FAMILY = vendor_family("cisco_asa", AsaDevice, MODELS, (FACTORY_USER, FACTORY_PASSWORD, FACTORY_PASSWORD),
                       {"parity_crash", "snmp_loss"})
IMPLEMENTED_FAULTS = FAMILY.implemented_faults
