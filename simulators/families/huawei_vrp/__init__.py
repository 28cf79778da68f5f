"""The `huawei_vrp` simulated family: Huawei S/CE switches and AR routers on VRP.

The model is in device.py (on the Comware model, simulators/families/hp_comware), the line session in cli.py.
"""

from simulators.families.huawei_vrp.device import FACTORY_PASSWORD, FACTORY_USER, MODELS, VrpDevice
from simulators.family import vendor_family

# The faults this family's model acts on besides every network family's (simulators/faults.py
# NETWORK_FAULTS); others are accepted and recorded but inert.
FAMILY = vendor_family("huawei_vrp", VrpDevice, MODELS, (FACTORY_USER, FACTORY_PASSWORD, ""),
                       {"optic_dom_alarm", "parity_crash", "poe_fault"}, netmiko_device_type="huawei")
IMPLEMENTED_FAULTS = FAMILY.implemented_faults
