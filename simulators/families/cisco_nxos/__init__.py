"""The `cisco_nxos` simulated family: Cisco Nexus 3000/5000/7000/9000 on NX-OS.

The model is in device.py, the line session in cli.py.
"""

from simulators.families.cisco_nxos.device import FACTORY_ENABLE, FACTORY_PASSWORD, FACTORY_USER, MODELS, NxosDevice
from simulators.family import vendor_family

# The faults this family's model acts on besides every network family's (simulators/faults.py
# NETWORK_FAULTS); others are accepted and recorded but inert.
FAMILY = vendor_family("cisco_nxos", NxosDevice, MODELS, (FACTORY_USER, FACTORY_PASSWORD, FACTORY_ENABLE),
                       {"optic_dom_alarm", "parity_crash"})
IMPLEMENTED_FAULTS = FAMILY.implemented_faults
