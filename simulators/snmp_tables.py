"""The standard MIB tables every simulated family's SNMP agent serves: ENTITY-MIB entPhysicalTable rows and
IF-MIB ifTable/ifXTable rows, written into a family's OID -> (type, value) view.

One home for the column numbers and types, so a family says only what its unit reports (names, serials,
counters) and which optional columns its real agent fills.
"""

from __future__ import annotations

from dataclasses import dataclass

SnmpView = dict[str, tuple[str, object]]

ENTITY = "1.3.6.1.2.1.47.1.1.1.1"  # ENTITY-MIB entPhysicalEntry
IF_TABLE = "1.3.6.1.2.1.2.2.1"  # IF-MIB ifEntry
IF_X_TABLE = "1.3.6.1.2.1.31.1.1.1"  # IF-MIB ifXEntry
DOT3_STATS = "1.3.6.1.2.1.10.7.2.1"  # EtherLike-MIB dot3StatsEntry
IF_NUMBER = "1.3.6.1.2.1.2.1.0"  # IF-MIB ifNumber
_MAX_GAUGE = 2**32 - 1


@dataclass(frozen=True)
class Entity:
    """One entPhysicalTable row. hw_rev, sw_rev and fru are served only where the family's agent has them
    (None: the column is absent, as on the real unit)."""

    index: int
    descr: str
    contained_in: int
    cls: int  # 3 chassis, 6 powerSupply, 7 fan, 8 sensor, 9 module, 10 port
    name: str
    serial: str
    model: str
    hw_rev: str | None = None
    sw_rev: str | None = None
    fru: bool | None = None


def put_entities(v: SnmpView, rows: list[Entity]) -> None:
    for e in rows:
        cols: list[tuple[int, str, object]] = [(2, "OctetString", e.descr), (4, "Integer", e.contained_in),
                                               (5, "Integer", e.cls), (7, "OctetString", e.name)]
        if e.hw_rev is not None:
            cols.append((8, "OctetString", e.hw_rev))
        if e.sw_rev is not None:
            cols.append((10, "OctetString", e.sw_rev))
        cols += [(11, "OctetString", e.serial), (13, "OctetString", e.model)]
        if e.fru is not None:
            cols.append((16, "Integer", 1 if e.fru else 2))
        for col, typ, val in cols:
            v[f"{ENTITY}.{col}.{e.index}"] = (typ, val)


@dataclass(frozen=True)
class Interface:
    """One interface's ifTable and ifXTable rows. Packet counters of None leave ifInUcastPkts/ifOutUcastPkts
    out (agents that do not count them); `full_counters` adds the zero ifLastChange/discard columns and the
    64-bit packet counters the Cisco and Arista agents serve; `fcs_errors` adds the EtherLike-MIB
    dot3StatsFCSErrors row (what those CLIs call CRC/FCS errors)."""

    index: int
    descr: str  # ifDescr
    name: str  # ifName
    mbps: int
    mac: bytes | str  # str: hex digits, as a family's dev.mac() gives them
    oper_up: bool
    rx_bytes: int
    tx_bytes: int
    rx_frames: int | None
    tx_frames: int | None
    rx_errors: int
    tx_errors: int
    admin_up: bool = True
    mtu: int = 1500
    alias: str = ""
    full_counters: bool = False
    fcs_errors: int | None = None


def put_interface(v: SnmpView, p: Interface) -> None:
    i = p.index
    mac = bytes.fromhex(p.mac) if isinstance(p.mac, str) else p.mac
    cols: list[tuple[int, str, object]] = [
        (1, "Integer", i), (2, "OctetString", p.descr), (3, "Integer", 6), (4, "Integer", p.mtu),
        (5, "Gauge32", min(p.mbps * 1_000_000, _MAX_GAUGE)), (6, "OctetString", mac),
        (7, "Integer", 1 if p.admin_up else 2), (8, "Integer", 1 if p.oper_up else 2),
        (10, "Counter32", p.rx_bytes % 2**32), (14, "Counter32", p.rx_errors % 2**32),
        (16, "Counter32", p.tx_bytes % 2**32), (20, "Counter32", p.tx_errors % 2**32),
    ]
    if p.rx_frames is not None:
        cols.append((11, "Counter32", p.rx_frames % 2**32))
    if p.tx_frames is not None:
        cols.append((17, "Counter32", p.tx_frames % 2**32))
    hc: list[tuple[int, str, object]] = [(1, "OctetString", p.name), (6, "Counter64", p.rx_bytes),
                                         (10, "Counter64", p.tx_bytes), (15, "Gauge32", p.mbps),
                                         (18, "OctetString", p.alias)]
    if p.full_counters:
        cols += [(9, "TimeTicks", 0), (13, "Counter32", 0), (19, "Counter32", 0)]
        hc += [(7, "Counter64", p.rx_frames or 0), (11, "Counter64", p.tx_frames or 0)]
    for col, typ, val in cols:
        v[f"{IF_TABLE}.{col}.{i}"] = (typ, val)
    for col, typ, val in hc:
        v[f"{IF_X_TABLE}.{col}.{i}"] = (typ, val)
    if p.fcs_errors is not None:
        v[f"{DOT3_STATS}.1.{i}"] = ("Integer", i)
        v[f"{DOT3_STATS}.3.{i}"] = ("Counter32", p.fcs_errors % 2**32)
