"""The `mikrotik_routeros` simulated family: MikroTik CRS switches, CCR and RB routers on RouterOS 7.

The model is in device.py, the line session in cli.py.
"""

from simulators.families.mikrotik_routeros.device import FACTORY_PASSWORD, FACTORY_USER, MODELS, RouterOsDevice
from simulators.family import vendor_family

# The faults this family's model acts on besides every network family's (simulators/faults.py
# NETWORK_FAULTS); others are accepted and recorded but inert.
# fan_failed acts on the models with fans (CCR2004, CRS328); the CRS326 and RB4011 are passively cooled.
FAMILY = vendor_family("mikrotik_routeros", RouterOsDevice, MODELS, (FACTORY_USER, FACTORY_PASSWORD, ""),
                       {"optic_dom_alarm", "poe_fault"})
IMPLEMENTED_FAULTS = FAMILY.implemented_faults
