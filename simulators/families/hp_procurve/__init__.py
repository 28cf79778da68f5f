"""The `hp_procurve` simulated family: HP/Aruba ProVision (ProCurve) switches.

The model is in device.py, the line session in cli.py.
"""

from simulators.families.hp_procurve.device import FACTORY_PASSWORD, FACTORY_USER, MODELS, ProcurveDevice
from simulators.family import vendor_family

# The faults this family's model acts on besides every network family's (simulators/faults.py
# NETWORK_FAULTS); others are accepted and recorded but inert.
FAMILY = vendor_family("hp_procurve", ProcurveDevice, MODELS, (FACTORY_USER, FACTORY_PASSWORD, FACTORY_PASSWORD),
                       {"optic_dom_alarm", "parity_crash", "poe_fault"})
IMPLEMENTED_FAULTS = FAMILY.implemented_faults
