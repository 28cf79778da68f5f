"""The `aruba_aoscx` simulated family: Aruba CX switches (6100, 6200F, 6300M, 8320) on AOS-CX 10.x.

The model is in device.py, the line session in cli.py.
"""

from simulators.families.aruba_aoscx.device import FACTORY_PASSWORD, FACTORY_USER, MODELS, CxDevice
from simulators.family import vendor_family

# The faults this family's model acts on besides every network family's (simulators/faults.py
# NETWORK_FAULTS); others are accepted and recorded but inert.
FAMILY = vendor_family("aruba_aoscx", CxDevice, MODELS, (FACTORY_USER, FACTORY_PASSWORD, ""),
                       {"optic_dom_alarm", "parity_crash", "poe_fault"})
IMPLEMENTED_FAULTS = FAMILY.implemented_faults
