"""The `juniper_junos` simulated family: the model in device.py, the line session in cli.py."""

from simulators.families.juniper_junos.device import FAMILY, IMPLEMENTED_FAULTS

__all__ = ["FAMILY", "IMPLEMENTED_FAULTS"]
