"""The `arista_eos` simulated family: Arista EOS switches (7050/7280 families).

The model is in device.py, the line session in cli.py.
"""

from simulators.families.arista_eos.device import FACTORY_ENABLE, FACTORY_PASSWORD, FACTORY_USER, MODELS, AristaDevice
from simulators.family import vendor_family

# EOS has no enable secret out of the box

# The faults this family's model acts on besides every network family's (simulators/faults.py
# NETWORK_FAULTS); others are accepted and recorded but inert.
FAMILY = vendor_family("arista_eos", AristaDevice, MODELS, (FACTORY_USER, FACTORY_PASSWORD, FACTORY_ENABLE),
                       {"optic_dom_alarm", "parity_crash"})
IMPLEMENTED_FAULTS = FAMILY.implemented_faults
