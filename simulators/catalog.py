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

# Optics a used switch typically arrives with: (pid, description, speed kind, vendor serial prefix).
OPTICS: dict[str, tuple[str, str, str]] = {
    "GLC-SX-MMD": ("1000BaseSX SFP", "sfp", "FNS"),
    "GLC-LH-SMD": ("1000BaseLX SFP", "sfp", "FNS"),
    "SFP-10G-SR": ("SFP-10GBase-SR", "sfp+", "AVD"),
    "SFP-10G-LR": ("SFP-10GBase-LR", "sfp+", "FNS"),
}
