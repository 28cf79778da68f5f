"""The `linux_server` simulated family: rack servers booted into the Debian live image.

The model is in device.py, the line session in cli.py.
"""

from simulators.families.linux_server.device import FACTORY_PASSWORD, FACTORY_USER, MODELS, Server
from simulators.family import vendor_family

# Debian live's unprivileged account (password "live", sudo without password)
KERNEL = "6.1.0-18-amd64"
KERNEL_BUILD = "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)"

# The faults this family's model acts on; others are accepted and recorded but inert.
IMPLEMENTED_FAULTS = frozenset({
    "bad_disk", "edac_errors", "sel_psu", "nic_down", "psu_failed", "fan_failed", "overtemp",
    "serial_mismatch", "counterfeit_serial", "unknown_password", "reboot", "slow_response", "ssh_drop",
    "disk_frozen", "disk_hpa", "erase_fails", "raid_hidden_disks",
})

FAMILY = vendor_family("linux_server", Server, MODELS, (FACTORY_USER, FACTORY_PASSWORD, ""), IMPLEMENTED_FAULTS,
                       netmiko_device_type="linux", common=frozenset())
