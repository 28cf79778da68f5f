"""The `juniper_junos` simulated family: Juniper EX switches on Junos.

The model is in device.py, the line session in cli.py.
"""

from simulators.families.juniper_junos.device import FACTORY_PASSWORD, FACTORY_USER, MODELS, JunosDevice
from simulators.family import vendor_family

# The faults this family's model acts on besides every network family's (simulators/faults.py
# NETWORK_FAULTS); others are accepted and recorded but inert.
FAMILY = vendor_family("juniper_junos", JunosDevice, MODELS, (FACTORY_USER, FACTORY_PASSWORD, ""),
                       {"optic_dom_alarm", "parity_crash"})
IMPLEMENTED_FAULTS = FAMILY.implemented_faults
