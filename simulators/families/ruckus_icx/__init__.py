"""The `ruckus_icx` simulated family: Brocade/Ruckus ICX switches on FastIron 08.0.x.

The model is in device.py, the line session in cli.py.
"""

from simulators.families.ruckus_icx.device import FACTORY_PASSWORD, FACTORY_USER, MODELS, IcxDevice
from simulators.family import vendor_family

# The faults this family's model acts on besides every network family's (simulators/faults.py
# NETWORK_FAULTS); others are accepted and recorded but inert.
FAMILY = vendor_family("ruckus_icx", IcxDevice, MODELS, (FACTORY_USER, FACTORY_PASSWORD, FACTORY_PASSWORD),
                       {"optic_dom_alarm", "parity_crash", "poe_fault"}, netmiko_device_type="ruckus_fastiron")
IMPLEMENTED_FAULTS = FAMILY.implemented_faults
