"""The `cisco_iosxr` simulated family: Cisco ASR 9000 and NCS 540/5500 on IOS XR.

The model is in device.py, the line session in cli.py.
"""

from simulators.families.cisco_iosxr.device import FACTORY_ENABLE, FACTORY_PASSWORD, FACTORY_USER, MODELS, XrDevice
from simulators.family import vendor_family

# The faults this family's model acts on besides every network family's (simulators/faults.py
# NETWORK_FAULTS); others are accepted and recorded but inert.
FAMILY = vendor_family("cisco_iosxr", XrDevice, MODELS, (FACTORY_USER, FACTORY_PASSWORD, FACTORY_ENABLE),
                       {"optic_dom_alarm", "parity_crash"}, netmiko_device_type="cisco_xr")
IMPLEMENTED_FAULTS = FAMILY.implemented_faults
