"""The `arista_eos` simulated family: the model in device.py, the line session in cli.py."""

from simulators.families.arista_eos.device import FAMILY, IMPLEMENTED_FAULTS

__all__ = ["FAMILY", "IMPLEMENTED_FAULTS"]
