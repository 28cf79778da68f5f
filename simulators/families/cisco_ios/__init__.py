"""The Cisco families: `cisco_ios_switch` (Catalyst 2960-X / 3750-X on classic IOS), `cisco_iosxe_switch`
(Catalyst 9300 on IOS-XE 16.x, iosxe.py) and `cisco_ios_router` (ISR 4331, router.py).

All three share one device model (device.py), one line session (cli.py) and one model catalog (catalog.py);
the variants change the inventory tree and the text of a few commands, so the same faults take effect.
"""

from __future__ import annotations

from simulators.families.cisco_ios.catalog import MODELS
from simulators.families.cisco_ios.device import FACTORY_ENABLE, FACTORY_PASSWORD, FACTORY_USER, Device
from simulators.families.cisco_ios.iosxe import XeSwitch
from simulators.families.cisco_ios.router import IsrRouter
from simulators.family import Family

# What the shared IOS device model (device.py, cli.py and simulators/boot.py) acts on.
IMPLEMENTED_FAULTS = frozenset({
    "fan_failed", "psu_failed", "overtemp", "port_dead", "crc_errors", "link_flap", "poe_fault", "optic_dom_alarm",
    "parity_crash", "crashinfo", "serial_mismatch", "counterfeit_serial", "optic_security", "stolen",
    "leftover_config", "unknown_password", "recovery_disabled", "stuck_rommon", "setup_dialog", "console_noise",
    "reboot", "ssh_drop", "slow_response", "snmp_loss", "stack", "sparse_entity_mib",
    "uncatalogued_model",
    "old_image", "image_copy_corrupt",  # images.py
    # refurbishment (refurb-steps): licences, genuineness, crypto material, cold boots
    "smart_license_registered", "not_genuine_message", "leftover_crypto_keys", "cold_boot_fail",
})


def _cisco(name: str, device: type[Device]) -> Family:
    return Family(
        name=name,
        netmiko_device_type="cisco_ios",
        models={pid: m for pid, m in MODELS.items() if m.family == name},
        build=device,
        factory_credentials=(FACTORY_USER, FACTORY_PASSWORD, FACTORY_ENABLE),
        implemented_faults=IMPLEMENTED_FAULTS,
    )


FAMILY = _cisco("cisco_ios_switch", Device)
IOSXE_FAMILY = _cisco("cisco_iosxe_switch", XeSwitch)
ROUTER_FAMILY = _cisco("cisco_ios_router", IsrRouter)
