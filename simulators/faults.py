"""Fault names, where they can happen, and parsing of `--faults` specs."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FaultInfo:
    name: str
    summary: str
    families: tuple[str, ...] | None  # None: every network family
    needs: Callable[[Any], bool] | None = None  # model filter (a PoE model for poe_fault)


_NET = None
_SERVER = ("linux_server",)
_CATALYST = ("cisco_ios_switch", "cisco_iosxe_switch", "cisco_ios_router")


# The faults every simulated network family's model acts on (a family pack adds the ones it models besides).
NETWORK_FAULTS = frozenset({
    "fan_failed", "psu_failed", "overtemp", "port_dead", "crc_errors", "link_flap", "crashinfo", "serial_mismatch",
    "counterfeit_serial", "stolen", "leftover_config", "unknown_password", "reboot", "ssh_drop", "slow_response",
})


def _poe(m: Any) -> bool:
    return bool(getattr(m, "poe", False))


def _stackable(m: Any) -> bool:
    return int(getattr(m, "stack_members", 1)) > 1


def _has_fans(m: Any) -> bool:
    # A passively cooled model (MikroTik CRS326, RB4011) has no fan to fail; models that do not say have fans.
    return int(getattr(m, "fans", 1)) > 0


def _fru_psu(m: Any) -> bool:
    return getattr(m, "psu_pid", None) is not None


FAULTS: dict[str, FaultInfo] = {f.name: f for f in (
    FaultInfo("fan_failed", "a fan reports failure", _NET, needs=_has_fans),
    FaultInfo("psu_failed", "a power supply reports failure", _NET),
    FaultInfo("overtemp", "inlet temperature above its red threshold", _NET),
    FaultInfo("port_dead", "a port never links", _NET),
    FaultInfo("crc_errors", "CRC errors grow on a port", _NET),
    FaultInfo("link_flap", "a port flaps", _NET),
    FaultInfo("poe_fault", "a PoE port reports faults", _NET, needs=_poe),
    FaultInfo("optic_dom_alarm", "an optic's DOM crosses its alarm threshold", _NET),
    FaultInfo("parity_crash", "last reload was a parity error crash", _NET),
    FaultInfo("crashinfo", "crashinfo files in flash", _NET),
    FaultInfo("serial_mismatch", "SNMP chassis serial differs from CLI/label", _NET),
    FaultInfo("counterfeit_serial", "serial not in the vendor's format", _NET),
    FaultInfo("optic_security", "optic fails the vendor's security check", _NET),
    FaultInfo("stolen", "serial is on the blocked-serial list", _NET),
    FaultInfo("leftover_config", "previous owner's configuration remains", _NET),
    FaultInfo("unknown_password", "credentials are not the bench's factory ones", _NET),
    FaultInfo("recovery_disabled", "no service password-recovery", _NET),
    FaultInfo("stuck_rommon", "device stays in ROMMON", _NET),
    FaultInfo("setup_dialog", "console sits at the initial configuration dialog", _NET),
    FaultInfo("console_noise", "syslog spews over the console prompt", _NET),
    FaultInfo("reboot", "device reboots (uptime resets)", _NET),
    FaultInfo("ssh_drop", "SSH session is cut after a few commands", _NET),
    FaultInfo("snmp_loss", "SNMP requests are dropped", _NET),
    FaultInfo("slow_response", "every CLI answer is delayed ~2 s", _NET),
    FaultInfo("telnet_only", "no crypto image: the CLI is served over telnet only (the bench file says telnet:)",
              _NET),
    FaultInfo("legacy_ssh", "SSH offers only old algorithms (SHA-1 kex incl. group1 and group-exchange, ssh-rsa, "
              "CBC, hmac-sha1/md5)", _NET),
    FaultInfo("stack", "three chassis stacked as one unit (truth.members lists their serials)",
              ("cisco_ios_switch",), needs=_stackable),
    FaultInfo("sparse_entity_mib", "ENTITY-MIB as a real Catalyst 3560G serves it: the chassis row at index 1001, "
              "contained in nothing, and no entPhysicalClass column", ("cisco_ios_switch",)),
    FaultInfo("uncatalogued_model", "a real PID of its family that the bench's model catalog does not list",
              ("cisco_ios_switch",)),
    # Refurbishment (issue 16): the image step
    FaultInfo("old_image", "the unit runs an older release than the image library's target", _CATALYST),
    FaultInfo("image_copy_corrupt", "an image copied to the unit arrives with one byte changed (its hash differs)",
              _CATALYST),
    # Refurbishment (issue 13), refurb-steps: licences, genuineness, crypto material, cold boots.
    FaultInfo("smart_license_registered", "Smart Licensing still registered to a previous owner's account",
              _CATALYST),
    FaultInfo("not_genuine_message", "the unit logs that it may not be a genuine Cisco product (%ILET)", _CATALYST),
    FaultInfo("leftover_crypto_keys", "a previous owner's RSA keys, trustpoint and certificates remain",
              _CATALYST),
    FaultInfo("cold_boot_fail", "cold_boot_fail@N: the Nth cold boot (power cycle) never comes up", _CATALYST),
    FaultInfo("bad_disk", "a disk fails SMART", _SERVER),
    FaultInfo("edac_errors", "EDAC memory errors", _SERVER),
    FaultInfo("sel_psu", "BMC SEL shows a PSU event", _SERVER),
    FaultInfo("nic_down", "a NIC has no link", _SERVER),
    FaultInfo("disk_frozen", "the BIOS froze the ATA disks' security (no security erase or sanitize until a "
              "suspend/resume or hot-plug)", _SERVER),
    FaultInfo("disk_hpa", "a Host Protected Area hides the end of an ATA disk", _SERVER),
    FaultInfo("erase_fails", "a disk fails half-way through its erasure (I/O error)", _SERVER),
    FaultInfo("raid_hidden_disks", "a RAID controller shows one logical volume instead of the disks", _SERVER),
)}

# Faults whose @N counts events rather than seconds (cold_boot_fail@2: the second cold boot), never timed.
COUNTED = frozenset({"cold_boot_fail"})

# Traits of the unit's CLI listener (simulators.fleet serves them), so every network family acts on them.
TRANSPORT_TRAITS = frozenset({"telnet_only", "legacy_ssh"})

_ITEM = re.compile(r"^(?P<slot>S[1-9][0-9]*):(?P<name>[a-z_]+)(?:@(?P<off>[0-9]+)(?P<unit>[smh]?))?$")
_UNIT = {"": 1, "s": 1, "m": 60, "h": 3600}


@dataclass(frozen=True)
class FaultSpec:
    slot: str
    name: str
    offset: float | None  # seconds after first contact; None: present from power-on
    given: str = ""  # as written after "SLOT:", e.g. "reboot@60s"; goes into truth unchanged

    @property
    def text(self) -> str:
        return self.given or self.name

    @property
    def count(self) -> int:
        """N of a counted fault (`cold_boot_fail@2` -> 2); 1 when none is given."""
        _, _, n = self.given.partition("@")
        return int(n) if n.isdigit() and int(n) > 0 else 1


def parse_faults(spec: str | None) -> list[FaultSpec]:
    """Parse `S2:fan_failed,S5:reboot@60s`; raise a one-line ValueError naming the bad item."""
    out: list[FaultSpec] = []
    for raw in (spec or "").split(","):
        item = raw.strip()
        if not item:
            continue
        m = _ITEM.match(item)
        if not m:
            raise ValueError(
                f"bad fault item {item!r}: write SLOT:FAULT[@OFFSET], e.g. S2:fan_failed or S5:reboot@60s")
        name = m["name"]
        if name not in FAULTS:
            raise ValueError(f"unknown fault {name!r} in {item!r}: use one of {', '.join(FAULTS)}")
        off = None if m["off"] is None else float(int(m["off"]) * _UNIT[m["unit"]])
        if name in COUNTED:
            if m["unit"]:
                raise ValueError(f"bad fault item {item!r}: {name}@N counts boots, not time; write e.g. {name}@2")
            off = None  # present from power-on; the device reads N from `given`
        out.append(FaultSpec(m["slot"], name, off, item.split(":", 1)[1]))
    return out


def models_for(family: str, fault_names: list[str], slot: str = "") -> list[str]:
    """Models of `family` on which every named fault can happen."""
    for name in fault_names:
        fams = FAULTS[name].families
        if fams is not None and family not in fams:
            raise ValueError(f"{slot}:{name}: fault {name} cannot happen on family {family} "
                             f"(only {', '.join(fams)})")
    from simulators.family import family as family_of  # the registry imports this module

    ok = [pid for pid, m in family_of(family).models.items()
          if all(FAULTS[n].needs is None or FAULTS[n].needs(m) for n in fault_names)]  # type: ignore[misc]
    if not ok:
        raise ValueError(f"{slot}: no {family} model can carry faults {', '.join(fault_names)}")
    return ok


def fault_table() -> list[tuple[str, str, str]]:
    """Rows for `bench sim --list-faults`: name, the simulated families that act on it, summary."""
    from simulators.family import available, implemented_faults
    from simulators.family import family as family_of

    families = available()
    rows = []
    for f in FAULTS.values():
        where = [fam for fam in families if (f.name in implemented_faults(fam) or
                 (f.name in TRANSPORT_TRAITS and fam not in _SERVER))
                 and (f.families is None or fam in f.families)  # what --faults accepts, no more
                 and (f.needs is None or any(f.needs(m) for m in family_of(fam).models.values()))]
        text = ",".join(where) if where else "(inert in every family for now)"
        if f.needs is _poe:
            text += " (PoE models)"
        rows.append((f.name, text, f.summary))
    return rows
