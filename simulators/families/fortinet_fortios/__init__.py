"""The `fortinet_fortios` simulated family: FortiGate firewalls on FortiOS 7.2.

The model is in device.py, the line session in cli.py.
"""

from simulators.families.fortinet_fortios.device import FACTORY_PASSWORD, FACTORY_USER, MODELS, FortiDevice
from simulators.family import vendor_family

# The faults this family's model acts on besides every network family's (simulators/faults.py
# NETWORK_FAULTS); others are accepted and recorded but inert.
# fan_failed and psu_failed act on the models with monitored fans and supplies (not the fanless FG-60E on its adapter).
FAMILY = vendor_family("fortinet_fortios", FortiDevice, MODELS, (FACTORY_USER, FACTORY_PASSWORD, FACTORY_PASSWORD),
                       {"optic_dom_alarm"}, netmiko_device_type="fortinet")
IMPLEMENTED_FAULTS = FAMILY.implemented_faults
