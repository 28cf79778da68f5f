"""The `dell_os10` simulated family: Dell EMC S/Z series switches (S3048-ON, S4048-ON, S5248F-ON, Z9100-ON) on OS10.

The model is in device.py, the line session in cli.py.
"""

from simulators.families.dell_os10.device import FACTORY_PASSWORD, FACTORY_USER, MODELS, Os10Device
from simulators.family import vendor_family

# The faults this family's model acts on besides every network family's (simulators/faults.py
# NETWORK_FAULTS); others are accepted and recorded but inert.
FAMILY = vendor_family("dell_os10", Os10Device, MODELS, (FACTORY_USER, FACTORY_PASSWORD, ""),
                       {"optic_dom_alarm", "parity_crash"})
IMPLEMENTED_FAULTS = FAMILY.implemented_faults
