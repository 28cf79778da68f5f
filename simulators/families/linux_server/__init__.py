"""The `linux_server` simulated family: the model in device.py, the line session in cli.py."""

from simulators.families.linux_server.device import FAMILY, IMPLEMENTED_FAULTS

__all__ = ["FAMILY", "IMPLEMENTED_FAULTS"]
