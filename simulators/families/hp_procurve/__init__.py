"""The `hp_procurve` simulated family: the model in device.py, the line session in cli.py."""

from simulators.families.hp_procurve.device import FAMILY, IMPLEMENTED_FAULTS

__all__ = ["FAMILY", "IMPLEMENTED_FAULTS"]
