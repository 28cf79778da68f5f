"""The `cisco_iosxr` simulated family: Cisco ASR 9000 and NCS 540/5500 on IOS XR.

The model is in device.py, the line session in cli.py.
"""

from simulators.families.cisco_iosxr.device import FACTORY_ENABLE, FACTORY_PASSWORD, FACTORY_USER, MODELS, XrDevice
from simulators.family import Family

# The faults this family's model acts on; others are accepted and recorded but inert.
IMPLEMENTED_FAULTS = frozenset({
    "fan_failed", "psu_failed", "overtemp", "port_dead", "crc_errors", "link_flap", "optic_dom_alarm",
    "crashinfo", "parity_crash", "serial_mismatch", "counterfeit_serial", "stolen", "leftover_config",
    "unknown_password", "reboot", "ssh_drop", "slow_response",
})

FAMILY = Family(
    name="cisco_iosxr",
    netmiko_device_type="cisco_xr",
    models=dict(MODELS),
    build=XrDevice,
    factory_credentials=(FACTORY_USER, FACTORY_PASSWORD, FACTORY_ENABLE),
    implemented_faults=IMPLEMENTED_FAULTS,
)
