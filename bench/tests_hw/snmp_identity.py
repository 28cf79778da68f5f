"""What a unit says it is over SNMP: chassis model and serial, stack members and FRUs.

One reader for every vendor: ENTITY-MIB first, wherever the chassis sits in the containment
tree (a stack member at 1001, several chassis, agents with no entPhysicalClass column), then the
vendor MIBs that hold the chassis when ENTITY-MIB is empty or thin, then sysDescr.

`identity_from(values)` is pure: it reads a dict of dotted OID -> value, whether those came from
an agent (`read_snmp_identity`) or straight from a recorded walk (.snmprec). So the same code is
measured on real recordings and run on real units.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from bench.drivers.parsing import sanitize
from bench.model import Component, ComponentKind
from bench.serials import placeholder_reason

SYS_DESCR = "1.3.6.1.2.1.1.1.0"
SYS_OBJECT_ID = "1.3.6.1.2.1.1.2.0"
ENT_PHYSICAL = "1.3.6.1.2.1.47.1.1.1.1"
# entPhysicalTable columns.
DESCR, VENDOR_TYPE, CONTAINED_IN, CLASS, NAME, HW_REV, SERIAL, MODEL = 2, 3, 4, 5, 7, 8, 11, 13
CHASSIS, STACK = 3, 11
_ENT_KIND = {3: ComponentKind.CHASSIS, 6: ComponentKind.PSU, 7: ComponentKind.FAN, 9: ComponentKind.MODULE,
             10: ComponentKind.OPTIC}


class VendorMib(NamedTuple):
    """Where one vendor MIB keeps the chassis serial (and model) outside ENTITY-MIB."""

    name: str
    serial: str  # OID of the serial
    model: str = ""  # OID of the model, "" when the MIB has none
    enterprise: str = ""  # the prefix sysObjectID must have, "" for any agent


# Where vendors keep the chassis serial and model outside ENTITY-MIB; all asked in ONE GET.
VENDOR_MIBS: tuple[VendorMib, ...] = (
    # OLD-CISCO-CHASSIS-MIB chassisId; CISCO-STACK-MIB chassisSerialNumberString / chassisModel.
    VendorMib("OLD-CISCO-CHASSIS-MIB chassisId", serial="1.3.6.1.4.1.9.3.6.3.0", enterprise="1.3.6.1.4.1.9."),
    VendorMib("CISCO-STACK-MIB chassisSerialNumberString", serial="1.3.6.1.4.1.9.5.1.2.19.0",
              model="1.3.6.1.4.1.9.5.1.2.16.0", enterprise="1.3.6.1.4.1.9."),
    # JUNIPER-MIB jnxBoxSerialNo / jnxBoxDescr: Junos units that serve no ENTITY-MIB (MX on 12.x, 13.x).
    VendorMib("JUNIPER-MIB jnxBoxSerialNo", serial="1.3.6.1.4.1.2636.3.1.3.0",
              model="1.3.6.1.4.1.2636.3.1.2.0", enterprise="1.3.6.1.4.1.2636."),
    # CPQSINFO-MIB cpqSiSysSerialNum / cpqSiProductName: HPE iLO and Onboard Administrator.
    VendorMib("CPQSINFO-MIB cpqSiSysSerialNum", serial="1.3.6.1.4.1.232.2.2.2.1.0", model="1.3.6.1.4.1.232.2.2.4.2.0"),
    # IDRAC-MIB systemServiceTag / systemModelName: Dell iDRAC 7 and later.
    VendorMib("IDRAC-MIB systemServiceTag", serial="1.3.6.1.4.1.674.10892.5.1.3.2.0",
              model="1.3.6.1.4.1.674.10892.5.1.3.12.0"),
    # SEMI-MIB hpHttpMgSerialNumber: HP/Aruba ProCurve switches.
    VendorMib("SEMI-MIB hpHttpMgSerialNumber", serial="1.3.6.1.4.1.11.2.36.1.1.2.9.0", enterprise="1.3.6.1.4.1.11."),
    # WLSX-SWITCH-MIB wlsxSwitchLicenseSerialNumber: ArubaOS controllers (no ENTITY-MIB chassis).
    VendorMib("WLSX-SWITCH-MIB serial", serial="1.3.6.1.4.1.14823.2.2.1.1.1.12.0", enterprise="1.3.6.1.4.1.14823."),
    # FOUNDRY-SN-AGENT-MIB snChasSerNum: Brocade/Ruckus ICX and FastIron.
    VendorMib("FOUNDRY-SN-AGENT-MIB snChasSerNum", serial="1.3.6.1.4.1.1991.1.1.1.1.2.0",
              enterprise="1.3.6.1.4.1.1991."),
    # NETAPP-MIB productSerialNum / productModel.
    VendorMib("NETAPP-MIB productSerialNum", serial="1.3.6.1.4.1.789.1.1.9.0",
              model="1.3.6.1.4.1.789.1.1.5.0", enterprise="1.3.6.1.4.1.789."),
    # PowerNet-MIB: UPS (upsAdvIdentSerialNumber / upsBasicIdentModel) and switched PDUs (sPDUIdent*).
    VendorMib("PowerNet-MIB upsAdvIdentSerialNumber", serial="1.3.6.1.4.1.318.1.1.1.1.2.3.0",
              model="1.3.6.1.4.1.318.1.1.1.1.1.1.0", enterprise="1.3.6.1.4.1.318."),
    # MIKROTIK-MIB mtxrSerialNumber / mtxrBoardName: RouterOS serves no ENTITY-MIB.
    VendorMib("MIKROTIK-MIB mtxrSerialNumber", serial="1.3.6.1.4.1.14988.1.1.7.3.0",
              model="1.3.6.1.4.1.14988.1.1.7.8.0", enterprise="1.3.6.1.4.1.14988."),
    VendorMib("PowerNet-MIB sPDUIdentSerialNumber", serial="1.3.6.1.4.1.318.1.1.4.1.5.0",
              model="1.3.6.1.4.1.318.1.1.4.1.4.0", enterprise="1.3.6.1.4.1.318."),
)
SCALARS: tuple[str, ...] = (SYS_DESCR, SYS_OBJECT_ID) + tuple(
    o for mib in VENDOR_MIBS for o in (mib.serial, mib.model) if o)

# What identification may cost on one unit, in SNMP requests, the profile-resolving GET included.
IDENTIFY_BUDGET = 8
_WALK_REQUESTS = 5  # the containment/class/serial columns: 5 GETBULKs at 100 rows each
_WALK_ROWS = 100

# Chassis-like names for agents that omit entPhysicalClass.
_CHASSIS_WORDS = re.compile(r"chassis|switch|router|frame|system|controller|appliance|firewall|stack member",
                            re.IGNORECASE)
_JUNIPER_PART = re.compile(r"^\d{3}-\d{6}$")  # a Juniper assembly part number, not the product model
_PART_NUMBER = re.compile(r"^\d{2,3}-\d{6,7}(-\d{2})?$")


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes | bytearray):
        value = bytes(value).decode("utf-8", errors="replace")
    return sanitize(str(value)).strip()


@dataclass
class SnmpIdentity:
    model: str = ""
    serial: str = ""
    serial_source: str = ""  # e.g. "ENTITY-MIB entPhysicalSerialNum.1001" or a vendor MIB's name
    model_source: str = ""
    sys_descr: str = ""
    sys_object_id: str = ""
    components: list[Component] = field(default_factory=list)  # chassis (every stack member) first
    notes: list[str] = field(default_factory=list)  # what could not be read and why


def entity_table(values: Mapping[str, Any]) -> dict[int, dict[int, Any]]:
    """entPhysicalTable rows: index -> {column: value}."""
    table: dict[int, dict[int, Any]] = {}
    prefix = ENT_PHYSICAL + "."
    for oid, value in values.items():
        oid = oid.lstrip(".")
        if not oid.startswith(prefix):
            continue
        col, _, index = oid[len(prefix):].partition(".")
        if col.isdigit() and index.isdigit():
            table.setdefault(int(index), {})[int(col)] = value
    return table


def _int(v: Any) -> int | None:
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


def chassis_rows(table: dict[int, dict[int, Any]]) -> list[int]:
    """The chassis of the unit, the unit's own first: class chassis(3) wherever it sits in the tree.

    An agent without the class column: the rows at the top of the containment tree (contained in
    nothing, or in a stack) that carry a serial or model, those named like a chassis first.
    """
    classed = [i for i, r in table.items() if _int(r.get(CLASS)) == CHASSIS]
    if classed:
        # Top-level chassis (in nothing or in a stack) before a chassis inside another one.
        def depth(i: int) -> int:
            parent = _int(table[i].get(CONTAINED_IN)) or 0
            return 0 if parent == 0 or _int(table.get(parent, {}).get(CLASS)) == STACK else 1
        return sorted(classed, key=lambda i: (depth(i), i))
    if any(CLASS in r for r in table.values()):
        return []  # the agent classifies its entities and names no chassis
    top = []
    for i, r in table.items():
        parent = _int(r.get(CONTAINED_IN))
        if parent not in (0, None) and parent in table:
            continue
        if not (text(r.get(SERIAL)) or text(r.get(MODEL))):
            continue
        named = bool(_CHASSIS_WORDS.search(f"{text(r.get(DESCR))} {text(r.get(NAME))}"))
        top.append((not named, i))
    return [i for _, i in sorted(top)]


def _kind(row: dict[int, Any]) -> ComponentKind | None:
    cls = _int(row.get(CLASS))
    if cls is not None:
        return _ENT_KIND.get(cls)
    from bench.tests_hw.identity import component_kind  # the CLI's guess from names, for class-less agents

    return component_kind(text(row.get(NAME)), text(row.get(DESCR)), text(row.get(MODEL)))


def _component(kind: ComponentKind, row: dict[int, Any], serial: str) -> Component:
    return Component(kind=kind, name=text(row.get(NAME)), pid=text(row.get(MODEL)), vid=text(row.get(HW_REV)),
                     serial=serial, descr=text(row.get(DESCR)), source="snmp")


def entity_inventory(table: dict[int, dict[int, Any]], notes: list[str]) -> list[Component]:
    """Every chassis (stack members included), then each FRU the agent names with a serial or class."""
    chassis = chassis_rows(table)
    comps: list[Component] = []
    for i in chassis:
        serial = text(table[i].get(SERIAL)).upper()
        if serial and (why := placeholder_reason(serial)):
            notes.append(f"chassis entPhysicalSerialNum.{i}: {why}")
            serial = ""
        comps.append(_component(ComponentKind.CHASSIS, table[i], serial))
    for i in sorted(set(table) - set(chassis)):
        row = table[i]
        kind = _kind(row)
        serial = text(row.get(SERIAL)).upper()
        if serial and placeholder_reason(serial):
            serial = ""
        if kind is None or kind is ComponentKind.CHASSIS or not (serial or text(row.get(MODEL))):
            continue  # containers, ports without a transceiver, sensors: not inventory
        if kind is ComponentKind.OTHER and not serial:
            continue
        comps.append(_component(kind, row, serial))
    return comps


def _descr_model(sys_descr: str, sys_object_id: str) -> str:
    """A model named in sysDescr, by the patterns vendors use; "" when it names none."""
    patterns = (
        r"\(MODEL: ([\w-]+)\)",  # ArubaOS
        r"running on an? (?:Arista Networks )?([A-Z]{2,4}-[\w-]+)",  # Arista EOS
        r"^(?:HP |Aruba |HPE )?ProCurve (?:Switch )?(J\w{4,5}|\d{6}-B21)\b",  # ProCurve J-number / blade
        r"\bJuniper Networks, Inc\. ([a-z]+\d[\w-]*) ",  # Junos: "mx960 internet router"
        r"^Brocade Communications Systems, Inc\. ([\w-]+),",  # FastIron / ICX
        r"^Ruckus (?:Wireless|Networks), Inc\. (ICX[\w-]+),",  # FastIron / ICX after Brocade (fam-fi)
        r"^(S\d{4,5}[\w-]*)(?:\s|$)",  # Huawei VRP switches: "S5720-36C-EI-AC \r\nHuawei ...", "S12704"
        r"^HUAWEI ([\w-]+)\b",
        r"\b(?:Cisco|IOS)\b.*\b(C\d{4}[A-Z]?\w*) Software \(",  # Cisco IOS platform, e.g. C3560
    )
    for p in patterns:
        m = re.search(p, sys_descr, re.MULTILINE)
        if m:
            return m.group(1).upper() if "Juniper" in p else m.group(1)
    return ""


def _vendor(values: Mapping[str, Any], sys_object_id: str, ident: SnmpIdentity) -> tuple[str, str, str]:
    """(serial, model, source) from the first vendor MIB that names a real serial."""
    for mib in VENDOR_MIBS:
        if mib.enterprise and not sys_object_id.startswith(mib.enterprise):
            continue
        serial = text(values.get(mib.serial)).upper()
        if not serial:
            continue
        if why := placeholder_reason(serial):
            ident.notes.append(f"{mib.name}: {why}")
            continue
        model = text(values.get(mib.model)) if mib.model else ""
        return serial, model if len(model) > 2 else "", mib.name  # "D0" in a Catalyst's chassisModel is a revision
    return "", "", ""


def _junos_model(box_descr: str) -> str:
    """"Juniper MX960 Internet Backbone Router" -> MX960; "Juniper QFX5100-48S-6Q Switch" -> QFX5100-48S-6Q."""
    m = re.match(r"Juniper (?:Networks )?([A-Za-z]+\d[\w-]*)", box_descr)
    return m.group(1).upper() if m else ""


def identity_from(values: Mapping[str, Any]) -> SnmpIdentity:
    """The unit's identity from what its agent served (dotted OID -> value)."""
    ident = SnmpIdentity(sys_descr=text(values.get(SYS_DESCR)),
                         sys_object_id=text(values.get(SYS_OBJECT_ID)).lstrip("."))
    oid = ident.sys_object_id
    table = entity_table(values)
    ident.components = entity_inventory(table, ident.notes)
    chassis = [c for c in ident.components if c.kind is ComponentKind.CHASSIS]
    rows = chassis_rows(table)
    if chassis:
        top = chassis[0]
        if top.serial:
            ident.serial, ident.serial_source = top.serial, f"ENTITY-MIB entPhysicalSerialNum.{rows[0]}"
        if top.pid:
            ident.model, ident.model_source = top.pid, f"ENTITY-MIB entPhysicalModelName.{rows[0]}"
    elif table:
        ident.notes.append("ENTITY-MIB names no chassis")
    else:
        ident.notes.append("no ENTITY-MIB entPhysicalTable")
    serial, model, source = _vendor(values, oid, ident)
    if not ident.serial and serial:
        ident.serial, ident.serial_source = serial, source
        if not chassis:
            ident.components.insert(0, Component(kind=ComponentKind.CHASSIS, name="chassis", pid=model,
                                                 serial=serial, descr=model, source="snmp"))
    juniper = oid.startswith("1.3.6.1.4.1.2636.")
    if juniper and (not ident.model or _JUNIPER_PART.match(ident.model)):
        # Junos puts the midplane's part number in entPhysicalModelName; jnxBoxDescr names the product.
        box = _junos_model(text(values.get("1.3.6.1.4.1.2636.3.1.2.0")))
        if box:
            ident.model, ident.model_source = box, "JUNIPER-MIB jnxBoxDescr"
    if not ident.model and model:
        ident.model, ident.model_source = model, source
    if not ident.model and (found := _descr_model(ident.sys_descr, oid)):
        ident.model, ident.model_source = found, "sysDescr"
    if chassis and _PART_NUMBER.match(ident.model) and re.fullmatch(r"[\w-]+", chassis[0].descr):
        # Brocade FC puts an assembly part number in entPhysicalModelName; the one-word descr is the product.
        ident.model, ident.model_source = chassis[0].descr, f"ENTITY-MIB entPhysicalDescr.{rows[0]}"
    if not ident.model and chassis and not chassis[0].pid:
        # A chassis without entPhysicalModelName (Huawei): its description may name it.
        m = re.search(r"\b(?:HUAWEI )?([A-Z]+\d{2,5}[\w-]*)\b", chassis[0].descr)
        if m:
            ident.model, ident.model_source = m.group(1), f"ENTITY-MIB entPhysicalDescr.{rows[0]}"
    if not ident.model and (found := _descr_model(ident.sys_descr, oid)):
        ident.model, ident.model_source = found, "sysDescr"
    if not ident.serial:
        m = re.search(r"\b(?:SN|S/N|Serial(?: Number)?)[:# ]\s*([A-Z0-9-]{6,})", ident.sys_descr, re.IGNORECASE)
        if m and not placeholder_reason(m.group(1)):
            ident.serial, ident.serial_source = m.group(1).upper(), "sysDescr"
    if chassis and ident.serial and not chassis[0].serial:
        chassis[0].serial = ident.serial
    return ident


def identity_oids(table: dict[int, dict[int, Any]]) -> list[str]:
    """The cells to GET after the column walk: descr, name, hw rev and model of the chassis rows first
    (identification done), then of every row with a serial (the FRUs)."""
    chassis = chassis_rows(table)
    frus = [i for i in sorted(table) if i not in chassis and text(table[i].get(SERIAL))]
    return [f"{ENT_PHYSICAL}.{c}.{i}" for i in chassis + frus for c in (DESCR, NAME, HW_REV, MODEL)]


@dataclass
class Reading:
    identity: SnmpIdentity
    identify_requests: int  # requests until model and serial were known (this reader's share)
    requests: int  # every request, the FRU details included
    complete: bool  # the entPhysicalTable columns were read to their end


async def read_snmp_identity(snmp: Any, scalars: Mapping[str, Any] | None = None) -> Reading:
    """Read identity with bounded requests: one GET of the system group and vendor scalars, the
    containment/class/serial columns side by side (at most 5 GETBULKs), one GET of the chassis rows'
    details, then the FRUs' details. `scalars`: values already read (the profile-resolving GET)."""
    start = getattr(snmp, "requests", 0)
    values: dict[str, Any] = dict(scalars or {})
    wanted = [o for o in SCALARS if o not in values]
    if wanted:
        values.update(await snmp.get(*wanted))
    cols, complete = await snmp.walk_columns(ENT_PHYSICAL, (CONTAINED_IN, CLASS, SERIAL),
                                             max_repetitions=_WALK_ROWS, max_requests=_WALK_REQUESTS)
    values.update(cols)
    table = entity_table(values)
    cells = identity_oids(table)
    first = 4 * len(chassis_rows(table))
    if cells[:first]:
        values.update(await snmp.get(*cells[:first]))
    identify_requests = getattr(snmp, "requests", 0) - start
    if cells[first:]:
        values.update(await snmp.get(*cells[first:]))
    ident = identity_from(values)
    if not complete:
        ident.notes.append(f"entPhysicalTable longer than {_WALK_REQUESTS * _WALK_ROWS} rows: FRUs beyond not read")
    return Reading(ident, identify_requests, getattr(snmp, "requests", 0) - start, complete)
