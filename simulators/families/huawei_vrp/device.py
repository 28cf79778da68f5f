"""The `huawei_vrp` family: Huawei S switches, CE data-centre switches and AR routers on VRP 5 and 8.

VRP and Comware share their ancestry (H3C began as Huawei-3Com): the same views (`<HUAWEI>` user view,
`[HUAWEI]` system view), `display` commands and questions. The model of one unit is the Comware one
(simulators/families/hp_comware/device.py) with Huawei's models, serials, ports, log lines and SNMP MIBs.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from simulators.device_base import system_group
from simulators.families.hp_comware.device import OPTICS, ComwareDevice, Config, Port
from simulators.snmp_tables import Entity, Interface, SnmpView, put_entities, put_interface

if TYPE_CHECKING:
    from simulators.families.huawei_vrp.cli import VrpSession

FACTORY_USER = "admin"
FACTORY_PASSWORD = "admin@huawei.com"  # the S-series default since V200R010 (AR: Admin@huawei)
_ALNUM = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
# Huawei bar codes (the ESN): 20 characters, the 10-character BOM code (2102350DLR, 21500104792S...) then the
# plant/year/month code and a 6-digit unit number (2102350DLR10G6000041, 21500104792SM8504636).
SERIAL_FORMAT = re.compile(r"^(?:21|02)[0-9A-Z]{8}[0-9A-Z]{4}[0-9]{6}$")


@dataclass(frozen=True)
class VrpModel:
    pid: str  # the model name Huawei prints (S5720-28X-SI-AC)
    name: str  # how `display version` calls it after "HUAWEI"
    family: str
    vrp: str  # "5.170" or "8.180"
    release: str  # "S5720 V200R011C10SPC500"
    sys_object_id: str
    role: str  # switch | router
    copper: int
    uplinks: tuple[str, ...]
    poe: bool
    poe_watts: int
    psu_pid: str | None
    psu_bays: int
    psu_watts: int
    fans: int
    factory_reset: bool  # `reset factory-configuration` exists in this release
    port_prefix: str  # GigabitEthernet0/0/ (S, AR) or 10GE1/0/ (CE)
    bootrom: str
    default_sysname: str = "HUAWEI"
    brand: str = "Huawei"
    comware: int = 7  # VRP words its questions as Comware 7 does (the shared CLI reads this)

    @property
    def long_name(self) -> str:
        return f"HUAWEI {self.name}"

    @property
    def version(self) -> str:
        return f"{self.vrp} ({self.release})"


_HW = "1.3.6.1.4.1.2011"
MODELS: dict[str, VrpModel] = {m.pid: m for m in (
    VrpModel("S5720-28X-SI-AC", "S5720-28X-SI-AC Routing Switch", "huawei_vrp", "5.170", "S5720 V200R011C10SPC500",
             f"{_HW}.2.23.387", "switch", 24, ("sfp+",) * 4, False, 0, None, 1, 150, 1, False,
             "GigabitEthernet0/0/", "020a.0001"),
    VrpModel("S5720-28P-PWR-LI-AC", "S5720-28P-PWR-LI-AC Routing Switch", "huawei_vrp", "5.170",
             "S5720 V200R019C10SPC500", f"{_HW}.2.23.438", "switch", 24, ("sfp",) * 4, True, 370, None, 1, 500, 2,
             True, "GigabitEthernet0/0/", "020a.0310"),
    VrpModel("S6720-30C-EI-24S-AC", "S6720-30C-EI-24S-AC Routing Switch", "huawei_vrp", "5.170",
             "S6720 V200R019C10SPC500", f"{_HW}.2.23.420", "switch", 0, ("sfp+",) * 24, False, 0, "PAC-600WA-B", 2,
             600, 2, True, "XGigabitEthernet0/0/", "020a.0310"),
    VrpModel("CE6850-48S4Q-EI", "CE6850-48S4Q-EI", "huawei_vrp", "8.180", "CE6850EI V200R005C10SPC800",
             f"{_HW}.2.239.16", "switch", 0, ("sfp+",) * 48, False, 0, "PAC-350WA-B", 2, 350, 2, True, "10GE1/0/",
             "1.02"),
    VrpModel("AR2220", "AR2220 Router", "huawei_vrp", "5.160", "AR2200 V200R009C00SPC500", f"{_HW}.2.224.70",
             "router", 3, ("sfp",), False, 0, "PAC150S12-R", 2, 150, 1, True, "GigabitEthernet0/0/", "1.14"),
)}


def huawei_serial(rng: random.Random) -> str:
    """An ESN: 2102 + 6 BOM characters + plant/year/month + 6-digit unit (2102350DLR10G6000041)."""
    bom = "".join(rng.choice(_ALNUM) for _ in range(6))
    return f"2102{bom}{rng.randint(10, 23)}{rng.choice('ABCDEFGHJK')}{rng.choice('123456789ABC')}" \
           f"{rng.randint(0, 999_999):06d}"


class VrpDevice(ComwareDevice):
    """One VRP unit. Deterministic from (seed, slot index, model)."""

    @classmethod
    def models(cls) -> dict[str, Any]:
        return MODELS

    def ouis(self) -> tuple[str, ...]:
        return ("4C1FCC", "E0247F", "70A8E3", "D46AA8", "00E0FC")

    def draw_serial(self, rng: random.Random) -> str:
        return huawei_serial(rng)

    def factory_config(self) -> Config:
        return Config(self.spec.default_sysname, users={FACTORY_USER: FACTORY_PASSWORD})

    def port_names(self) -> list[tuple[str, str]]:
        s = self.spec
        out = [(f"{s.port_prefix}{n}", "copper") for n in range(s.copper)] if s.role == "router" else \
            [(f"{s.port_prefix}{n}", "copper") for n in range(1, s.copper + 1)]
        first = len(out) + (0 if s.role == "router" else 1)
        for i, kind in enumerate(s.uplinks, first):
            prefix = s.port_prefix if s.port_prefix != "GigabitEthernet0/0/" or kind == "sfp" else \
                "XGigabitEthernet0/0/"
            out.append((f"{prefix}{i if prefix == s.port_prefix else i - s.copper}", kind))
        return out

    def _boot_logs(self) -> None:
        self.logs = []
        self.log("SYSTEM", 5, "SYS_RESTART", f"System restarted. (Reason={self.reload_reason})", at=0.5)
        self.log("DEVM", 4, "BOARD_REGISTER", f"Board 0 registered. (Type={self.spec.pid})", at=9.0)
        for p in self.ports:
            if p.up(20.0):
                self.log("IFNET", 4, "IF_STATE", f"Interface {p.name} has turned into UP state.",
                         at=16.0 + p.if_index / 100)

    def _link_changed(self, port: Port, up: bool) -> None:
        self.log("IFNET", 4, "IF_STATE", f"Interface {port.name} has turned into {'UP' if up else 'DOWN'} state.")

    def _fault(self, name: str, rng: random.Random, at_boot: bool) -> None:
        # The shared model does the work; VRP words the evidence its own way.
        before = len(self.logs)
        super()._fault(name, rng, at_boot)
        words = {"FAN_FAILED": ("DEVM", 1, "hwFanInvalid", "The fan module failed. (EntPhysicalName=FAN1)"),
                 "POWER_FAILED": ("DEVM", 1, "hwPowerInvalid", "The power module failed. (EntPhysicalName=PWR1)"),
                 "TEMPERATURE_ALARM": ("DEVM", 1, "hwTempRisingAlarm", "The temperature rose over the upper "
                                       "alarm threshold. (EntPhysicalName=SlotID0)"),
                 "PROCESS_CORE": ("SYSTEM", 2, "hwSysCoreDump", "A process exited abnormally and a core file was "
                                  "generated.")}
        for e in self.logs[before:]:
            if e.mnemonic in words:
                e.module, e.level, e.mnemonic, e.text = words[e.mnemonic]
        if name in ("crashinfo", "parity_crash"):  # VRP keeps core dumps under flash:/corefile/
            self.files = {k.replace("core/", "corefile/", 1): v for k, v in self.files.items()}
            self.reload_reason = "Exception"
            for e in self.logs:
                if e.mnemonic == "SYS_RESTART":
                    e.text = "System restarted. (Reason=Exception)"
        if name == "leftover_config":
            self.files.pop("startup.cfg", None)
            self.files.pop("backup-2019.cfg", None)
            self.files["vrpcfg.zip"] = 3_411
            self.files["backup-2019.cfg"] = 5_877
        if name == "unknown_password":
            self.files.pop("startup.cfg", None)
            self.files.setdefault("vrpcfg.zip", 1_102)

    def save(self) -> None:
        super().save()
        self.files.pop("startup.cfg", None)
        self.files.setdefault("vrpcfg.zip", 1_102)

    def reset_saved(self) -> None:
        self.startup = None
        self.files.pop("vrpcfg.zip", None)

    def restore_factory(self) -> None:
        """`reset factory-configuration`: configuration files (vrpcfg.zip and others), core files and logs go."""
        self.files = {k: v for k, v in self.files.items() if not k.endswith((".zip", ".cfg", ".dat")) and "/" not in k}
        super().restore_factory()

    def open_session(self, console: bool) -> VrpSession:
        from simulators.families.huawei_vrp.cli import VrpSession  # the CLI renders this object

        return VrpSession(self, console=console)

    def boot_script(self) -> object:
        from simulators.boot import BootScript
        from simulators.families.huawei_vrp.cli import boot_text

        loader, mark, kernel = boot_text(self).partition("Press Ctrl+B")
        return BootScript([loader, 0.5], [mark + kernel, 0.5])

    def sys_descr(self) -> str:
        s = self.spec
        return (f"{s.pid}\r\nHuawei Versatile Routing Platform Software\r\nVRP (R) software,Version {s.version}\r\n"
                "Copyright (C) 2000-2020 HUAWEI TECH CO., LTD")

    def snmp_values(self) -> SnmpView:
        return vrp_snmp_view(self)


# HUAWEI-ENTITY-EXTENT-MIB: hwEntityStateTable (.5 operational status, .11 temperature, .12 its threshold) and
# hwFanStatusTable (.7 hwEntityFanState: 1 normal, 2 abnormal).
_HW_STATE = "1.3.6.1.4.1.2011.5.25.31.1.1.1.1"
_HW_FAN = "1.3.6.1.4.1.2011.5.25.31.1.1.10.1"


def vrp_entities(dev: VrpDevice) -> list[tuple[int, str, int, int, str, str, str, bool]]:
    """(index, descr, contained in, class, name, serial, model, fru): entPhysicalTable as VRP lays it out."""
    s = dev.spec
    rows = [(16777216, s.name, 0, 3, s.pid, dev.snmp_serial(), s.pid, False),
            (16842752, f"{s.pid} Main Board", 16777216, 9, "SlotID0" if s.role == "switch" else "Board 0",
             dev.snmp_serial(), s.pid, False)]
    for p in dev.psus:
        if p.present:
            rows.append((16908288 + p.bay, f"{p.pid or 'Internal'} Power Supply", 16777216, 6, f"PWR{p.bay}",
                         p.serial, p.pid or "", p.pid is not None))
    for f in dev.fans:
        rows.append((16973824 + f.number, "Fan Module", 16777216, 7, f"FAN{f.number}", "", "", False))
    for p in dev.ports:
        if p.optic:
            o = OPTICS[p.optic]
            rows.append((17039360 + p.if_index, f"{o.descr} Transceiver", 16842752, 10, p.name, p.optic_serial,
                         o.pid, True))
    return rows


def vrp_snmp_view(dev: VrpDevice) -> dict[str, tuple[str, object]]:
    up = dev.uptime()
    v: dict[str, tuple[str, object]] = {
        **system_group(dev.sys_descr(), dev.spec.sys_object_id, up, dev.hostname, 78),
        "1.3.6.1.2.1.2.1.0": ("Integer", len(dev.ports)),
    }
    put_entities(v, [Entity(i, d, inside, cls, name, serial, model, fru=fru)
                     for i, d, inside, cls, name, serial, model, fru in vrp_entities(dev)])
    for p in dev.ports:
        i, c = p.if_index + 4, p.counters(up)  # VRP numbers its ports after InLoop, NULL ...
        put_interface(v, Interface(i, p.name, p.name, p.speed_mbps(), dev.mac(i), p.up(up),
                                   c["rx_bytes"], c["tx_bytes"], c["rx_frames"], c["tx_frames"],
                                   c["rx_errors"], c["tx_errors"], admin_up=not p.shutdown))
    t = dev.temps[0]
    v[f"{_HW_STATE}.5.16842752"] = ("Integer", 3)
    v[f"{_HW_STATE}.11.16842752"] = ("Integer", t.value(up))
    v[f"{_HW_STATE}.12.16842752"] = ("Integer", t.alarm)
    for f in dev.fans:
        v[f"{_HW_FAN}.7.0.{f.number}"] = ("Integer", 1 if f.ok else 2)
    return v
