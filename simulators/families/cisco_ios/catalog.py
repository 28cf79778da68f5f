"""Models of the simulated families and what hardware each one carries."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ModelSpec:
    pid: str
    family: str
    sys_object_id: str
    access_ports: int  # copper GE ports per member
    uplinks: tuple[str, ...]  # uplink port kinds: "sfp" (1G) or "sfp+" (10G)
    poe: bool
    poe_watts: int
    psu_pid: str | None  # None: built-in supply
    psu_bays: int
    psu_watts: int
    fans: int
    fan_pid: str | None  # None: fixed fans, not a FRU
    stack_members: int
    platform: str  # as in "C2960X Software"
    software_image: str  # as in "(C2960X-UNIVERSALK9-M)"
    version: str
    image_file: str
    image_size: int
    compiled: str
    bootldr: str
    vid: str
    memory: str
    serial_prefixes: tuple[str, ...]
    uplink_module: str | None = None
    # Which renderers the CLI uses: "ios" (classic Catalyst), "iosxe_switch" (Catalyst 9k), "iosxe_router" (ISR).
    variant: str = "ios"
    modules: tuple[tuple[str, str, str], ...] = ()  # router: (subslot, PID, description) of NIM/PVDM cards
    rommon: str = ""  # IOS-XE "ROM:" / firmware version
    release: str = ""  # IOS-XE train name, e.g. "Gibraltar"


_C2960X = dict(
    family="cisco_ios_switch",
    sys_object_id="1.3.6.1.4.1.9.1.1208",
    psu_pid=None,
    psu_bays=1,
    fans=1,
    fan_pid=None,
    stack_members=1,
    platform="C2960X",
    software_image="C2960X-UNIVERSALK9-M",
    version="15.2(7)E4",
    image_file="c2960x-universalk9-mz.152-7.E4.bin",
    image_size=26_732_032,
    compiled="Tue 23-Feb-21 01:26 by mcpre",
    bootldr="C2960X Boot Loader (C2960X-HBOOT-M) Version 15.2(7r)E, RELEASE SOFTWARE (fc1)",
    vid="V05",
    memory="(APM86XXX) processor (revision B0) with 524288K bytes of memory",
    serial_prefixes=("FOC", "FCW", "FDO"),
)

MODELS: dict[str, ModelSpec] = {
    m.pid: m
    for m in (
        ModelSpec(pid="WS-C2960X-24TS-L", access_ports=24, uplinks=("sfp",) * 4, poe=False, poe_watts=0,
                  psu_watts=75, **_C2960X),  # type: ignore[arg-type]
        ModelSpec(pid="WS-C2960X-48TS-L", access_ports=48, uplinks=("sfp",) * 4, poe=False, poe_watts=0,
                  psu_watts=110, **_C2960X),  # type: ignore[arg-type]
        ModelSpec(pid="WS-C2960X-24PS-L", access_ports=24, uplinks=("sfp",) * 4, poe=True, poe_watts=370,
                  psu_watts=500, **_C2960X),  # type: ignore[arg-type]
        ModelSpec(pid="WS-C2960X-48FPD-L", access_ports=48, uplinks=("sfp+",) * 2, poe=True, poe_watts=740,
                  psu_watts=1025, **_C2960X),  # type: ignore[arg-type]
        ModelSpec(
            pid="WS-C3750X-48P-S", family="cisco_ios_switch", sys_object_id="1.3.6.1.4.1.9.1.1227",
            access_ports=48, uplinks=("sfp",) * 4, poe=True, poe_watts=390,
            psu_pid="C3KX-PWR-715WAC", psu_bays=2, psu_watts=715, fans=1, fan_pid="C3KX-FAN-23CFM",
            stack_members=2, platform="C3750E", software_image="C3750E-UNIVERSALK9-M", version="15.2(4)E10",
            image_file="c3750e-universalk9-mz.152-4.E10.bin", image_size=24_402_432,
            compiled="Tue 31-Mar-20 03:20 by mcpre",
            bootldr="C3750E Boot Loader (C3750X-HBOOT-M) Version 15.2(3r)E, RELEASE SOFTWARE (fc1)",
            vid="V07", memory="(PowerPC405) processor (revision W0) with 262144K bytes of memory",
            serial_prefixes=("FDO", "FOC"), uplink_module="C3KX-NM-1G",
        ),
    )
}

_C9300 = dict(
    family="cisco_iosxe_switch", poe_watts=0, psu_bays=2, fans=3, fan_pid="FAN-T1", stack_members=1,
    platform="Catalyst L3 Switch", software_image="CAT9K_IOSXE", version="16.12.4", image_file="packages.conf",
    image_size=7_409, compiled="Thu 09-Jul-20 21:49 by mcpre", bootldr="System Bootstrap, Version 16.12.2r, "
    "RELEASE SOFTWARE (P)", vid="V02", memory="(X86) processor with 1392780K/6147K bytes of memory",
    serial_prefixes=("FCW", "FOC", "FJC"), variant="iosxe_switch", rommon="IOS-XE ROMMON", release="Gibraltar",
)
# Catalyst 9300 and ISR 4331 (IOS-XE); sysObjectIDs from CISCO-PRODUCTS-MIB.
MODELS.update({m.pid: m for m in (
    ModelSpec(pid="C9300-24T", sys_object_id="1.3.6.1.4.1.9.1.2494", access_ports=24, uplinks=("sfp",) * 4,
              poe=False, psu_pid="PWR-C1-350WAC", psu_watts=350, uplink_module="C9300-NM-4G",
              **_C9300),  # type: ignore[arg-type]
    ModelSpec(pid="C9300-48P", sys_object_id="1.3.6.1.4.1.9.1.2495", access_ports=48, uplinks=("sfp+",) * 8,
              poe=True, psu_pid="PWR-C1-715WAC", psu_watts=715, uplink_module="C9300-NM-8X",
              **{**_C9300, "poe_watts": 437}),  # type: ignore[arg-type]
    ModelSpec(
        pid="ISR4331/K9", family="cisco_ios_router", sys_object_id="1.3.6.1.4.1.9.1.2068",
        access_ports=3, uplinks=(), poe=False, poe_watts=0, psu_pid="PWR-4330-AC", psu_bays=1, psu_watts=250,
        fans=4, fan_pid="ACS-4330-FANASSY", stack_members=1, platform="ISR",
        software_image="X86_64_LINUX_IOSD-UNIVERSALK9-M", version="16.9.4",
        image_file="isr4300-universalk9.16.09.04.SPA.bin", image_size=402_655_164,
        compiled="Thu 22-Aug-19 18:09 by mcpre", bootldr="", vid="V04",
        memory="(1RU) processor with 1795979K/6147K bytes of memory", serial_prefixes=("FDO", "FLM", "FGL"),
        variant="iosxe_router", rommon="16.7(4r)", release="Fuji",
        modules=(("0/1", "NIM-ES2-4", "NIM-ES2-4 4-port Gigabit Ethernet switch module"),
                 ("0/2", "NIM-1GE-CU-SFP", "NIM-1GE-CU-SFP 1-port Gigabit Ethernet module"),
                 ("0/4", "PVDM4-32", "PVDM4-32 Voice DSP Module")),
    ),
)})

# The `uncatalogued_model` trait: a real sibling PID of the same family and image that the bench's model
# catalog (profiles/models/) does not list, so the unit must be identified by its family alone.
UNCATALOGUED_SIBLINGS: dict[str, str] = {
    "WS-C2960X-24TS-L": "WS-C2960XR-24TS-I", "WS-C2960X-48TS-L": "WS-C2960XR-48TS-I",
    "WS-C2960X-24PS-L": "WS-C2960XR-24PS-I", "WS-C2960X-48FPD-L": "WS-C2960XR-48FPD-I",
    "WS-C3750X-48P-S": "WS-C3750X-48PF-S",
}

# Optics a used switch typically arrives with: (pid, description, speed kind, vendor serial prefix).
OPTICS: dict[str, tuple[str, str, str]] = {
    "GLC-SX-MMD": ("1000BaseSX SFP", "sfp", "FNS"),
    "GLC-LH-SMD": ("1000BaseLX SFP", "sfp", "FNS"),
    "SFP-10G-SR": ("SFP-10GBase-SR", "sfp+", "AVD"),
    "SFP-10G-LR": ("SFP-10GBase-LR", "sfp+", "FNS"),
}
