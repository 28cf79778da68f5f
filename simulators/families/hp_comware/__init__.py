"""The `hp_comware` simulated family: HPE/H3C switches on Comware 5 and 7.

The model is in device.py, the line session in cli.py.
"""

from simulators.families.hp_comware.device import FACTORY_PASSWORD, FACTORY_USER, MODELS, ComwareDevice
from simulators.family import vendor_family

# The faults this family's model acts on besides every network family's (simulators/faults.py
# NETWORK_FAULTS); others are accepted and recorded but inert.
FAMILY = vendor_family("hp_comware", ComwareDevice, MODELS, (FACTORY_USER, FACTORY_PASSWORD, FACTORY_PASSWORD),
                       {"optic_dom_alarm", "parity_crash", "poe_fault"})
IMPLEMENTED_FAULTS = FAMILY.implemented_faults
