"""identity: what the unit says it is, from `show version`, `show inventory` and ENTITY-MIB.

Fills `ctx.identity`, which later tests read. Also home of `run_show`, the one way the network
tests run a CLI command and tell "rejected" from "the bench lost the session".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bench.drivers.parsing import ParseError, is_rejected, parse, sanitize
from bench.model import Component, ComponentKind, Identity, Outcome, TestResult, utc_now
from bench.tests_hw.base import ChannelMissing, TestContext, result

NAME = "identity"

SYS_DESCR = "1.3.6.1.2.1.1.1.0"
SYS_OBJECT_ID = "1.3.6.1.2.1.1.2.0"
ENT_PHYSICAL = "1.3.6.1.2.1.47.1.1.1.1"
# entPhysicalTable columns we read.
_DESCR, _CLASS, _NAME, _HWREV, _SERIAL, _MODEL = 2, 5, 7, 8, 11, 13
_ENT_CLASS = {
    3: ComponentKind.CHASSIS,
    6: ComponentKind.PSU,
    7: ComponentKind.FAN,
    9: ComponentKind.MODULE,
    10: ComponentKind.OPTIC,
}


@dataclass
class Shown:
    """Outcome of one CLI command: exactly one of text, rejected, error, missing is meaningful."""

    command: str
    text: str = ""
    rejected: str = ""  # the device's refusal line
    error: str = ""  # the bench's problem: lost session, timeout
    missing: str = ""  # no CLI channel

    @property
    def ok(self) -> bool:
        return not (self.rejected or self.error or self.missing)


async def run_show(ctx: TestContext, command: str, timeout: float = 30.0) -> Shown:
    try:
        text = sanitize(await ctx.show(command, timeout=timeout))
    except ChannelMissing as exc:
        return Shown(command, missing=str(exc))
    except Exception as exc:  # failures are data: a dead session becomes ERROR, not a crash
        return Shown(command, error=f"{command!r}: {type(exc).__name__}: {exc}"[:300])
    refusal = is_rejected(text)
    if refusal:
        return Shown(command, text=text, rejected=refusal)
    return Shown(command, text=text)


def _text(v: Any) -> str:
    if isinstance(v, bytes | bytearray):
        v = bytes(v).decode("utf-8", errors="replace")
    return sanitize(str(v)).strip() if v is not None else ""


def component_kind(name: str, descr: str, pid: str) -> ComponentKind:
    """Guess a `show inventory` entry's kind from its name, description and PID."""
    text = f"{name} {descr} {pid}".lower()
    if re.search(r"power supply|\bpwr-|\bpsu\b|\bps-?\d", text):
        return ComponentKind.PSU
    if re.search(r"\bfan\b|fan tray|\bfan-", text):
        return ComponentKind.FAN
    if re.match(
        r"^(gi|te|fo|tw|hu|fa|gigabitethernet|tengigabitethernet|fortygige|twentyfivegige)\S*\d$",
        name.lower(),
    ) or re.search(r"\bsfp|gbic|xfp|qsfp|base-?[a-z]{1,3}\b", text):
        return ComponentKind.OPTIC
    if re.fullmatch(r"\d+|switch\s*\d+|chassis", name.lower()) or "chassis" in descr.lower():
        return ComponentKind.CHASSIS
    if re.search(r"module|stack|uplink|card|\bnm-|linecard", text):
        return ComponentKind.MODULE
    return ComponentKind.OTHER


def _version_facts(rows: list[dict[str, Any]], ident: Identity) -> None:
    row = rows[0]
    hardware = row.get("hardware") or []
    serials = row.get("serial") or []
    ident.model = ident.model or (hardware[0] if hardware else "")
    if serials:
        ident.chassis_serials["cli"] = serials[0].upper()
    ident.os_version = row.get("version", "") or ident.os_version
    ident.hostname = row.get("hostname", "") or ident.hostname
    ident.uptime = row.get("uptime", "") or ident.uptime
    ident.config_register = row.get("config_register", "") or ident.config_register
    ident.reload_reason = row.get("reload_reason", "") or ident.reload_reason


def _inventory_components(rows: list[dict[str, Any]]) -> list[Component]:
    comps = []
    for r in rows:
        name, descr, pid = r.get("name", "").strip(), r.get("descr", "").strip(), r.get("pid", "").strip()
        comps.append(
            Component(
                kind=component_kind(name, descr, pid),
                name=name,
                pid=pid,
                vid=r.get("vid", "").strip(),
                serial=r.get("sn", "").strip().upper(),
                descr=descr,
                source="cli",
            )
        )
    return comps


def entity_components(walk: dict[str, Any]) -> list[Component]:
    """Components from an entPhysicalTable walk (keys are dotted OIDs, with or without a dot)."""
    table: dict[int, dict[int, Any]] = {}
    prefix = ENT_PHYSICAL + "."
    for oid, value in walk.items():
        oid = oid.lstrip(".")
        if not oid.startswith(prefix):
            continue
        parts = oid[len(prefix) :].split(".")
        if len(parts) != 2 or not all(p.isdigit() for p in parts):
            continue
        table.setdefault(int(parts[1]), {})[int(parts[0])] = value
    comps = []
    for index in sorted(table):
        cols = table[index]
        try:
            ent_class = int(cols.get(_CLASS) or 0)
        except (TypeError, ValueError):
            ent_class = 0
        kind = _ENT_CLASS.get(ent_class)
        serial, model = _text(cols.get(_SERIAL)).upper(), _text(cols.get(_MODEL))
        # Ports without a transceiver have neither serial nor model; containers etc. are skipped.
        if kind is None or (kind is ComponentKind.OPTIC and not (serial or model)):
            continue
        comps.append(
            Component(
                kind=kind,
                name=_text(cols.get(_NAME)),
                pid=model,
                vid=_text(cols.get(_HWREV)),
                serial=serial,
                descr=_text(cols.get(_DESCR)),
                source="snmp",
            )
        )
    return comps


def merge_components(have: list[Component], extra: list[Component]) -> list[Component]:
    """`have` plus the entries of `extra` it does not already list (same serial, or same name).

    A FRU that SNMP reports under a known name but a different serial stays in the list twice,
    once per channel: that disagreement is what the authenticity test looks for.
    """
    serials = {c.serial for c in have if c.serial}
    names = {(c.name.lower(), c.serial) for c in have}
    out = [c for c in have if c.source != "snmp"]
    for c in extra:
        if (c.serial and c.serial in serials) or (c.name.lower(), c.serial) in names:
            continue
        if not c.serial and any(h.name.lower() == c.name.lower() for h in out):
            continue
        out.append(c)
    return out


@dataclass
class Collected:
    problems: list[str]  # bench errors (lost session, parse failure)
    notes: list[str]  # channels missing or commands rejected
    snmp_components: list[Component]
    answered: list[str]  # sources that were read in full: "show version", "snmp"


async def collect(ctx: TestContext) -> Collected:
    """Read show version / show inventory / ENTITY-MIB into ctx.identity."""
    ident = ctx.identity
    problems: list[str] = []
    notes: list[str] = []
    answered: list[str] = []
    platform = getattr(ctx.cli, "platform", "cisco_ios")
    for command in ("show version", "show inventory"):
        shown = await run_show(ctx, command)
        if shown.missing:
            notes.append(shown.missing)
            break
        if shown.error:
            problems.append(shown.error)
            continue
        if shown.rejected:
            notes.append(f"{command!r} rejected: {shown.rejected}")
            continue
        try:
            rows = parse(platform, command, shown.text) or []
        except ParseError as exc:
            problems.append(str(exc))
            continue
        if command == "show version" and rows:
            _version_facts(rows, ident)
            answered.append(command)
        elif command == "show version":
            notes.append("'show version' output had nothing parseable")
        elif command == "show inventory":
            ident.components = [c for c in ident.components if c.source != "cli"] + _inventory_components(
                rows
            )
    # show version lacks a serial on some images; the inventory's chassis entry has it.
    cli_chassis = [c for c in ident.components if c.source == "cli" and c.kind is ComponentKind.CHASSIS]
    if "cli" not in ident.chassis_serials and cli_chassis and cli_chassis[0].serial:
        ident.chassis_serials["cli"] = cli_chassis[0].serial
    if not ident.model and cli_chassis:
        ident.model = cli_chassis[0].pid

    snmp_comps: list[Component] = []
    if ctx.snmp is None:
        notes.append("no SNMP channel")
    else:
        try:
            scalars = await ctx.snmp.get(SYS_OBJECT_ID, SYS_DESCR)
            walk = await ctx.snmp.walk(ENT_PHYSICAL)
        except Exception as exc:
            problems.append(f"SNMP: {type(exc).__name__}: {exc}"[:300])
        else:
            ident.sys_object_id = _text(scalars.get(SYS_OBJECT_ID)).lstrip(".")
            ident.sys_descr = _text(scalars.get(SYS_DESCR))
            snmp_comps = entity_components(walk)
            answered.append("snmp")
            chassis = [c for c in snmp_comps if c.kind is ComponentKind.CHASSIS]
            if chassis and chassis[0].serial:
                ident.chassis_serials["snmp"] = chassis[0].serial
            if not ident.model and chassis:
                ident.model = chassis[0].pid
            ident.components = merge_components(ident.components, snmp_comps)
    if ctx.slot.label_serial:
        ident.chassis_serials["label"] = ctx.slot.label_serial.strip().upper()
    ident.serial = ident.chassis_serials.get("cli") or ident.chassis_serials.get("snmp", "")
    return Collected(problems, notes, snmp_comps, answered)


async def ensure_identity(ctx: TestContext) -> Collected | None:
    """Collect identity unless the identity test already did; returns what collect() found."""
    if ctx.identity.chassis_serials or ctx.identity.components:
        return None
    return await collect(ctx)


def _fru_key(c: Component) -> str:
    return c.serial or f"{c.pid}@{c.name}"


def _missing_frus(ctx: TestContext, snmp_comps: list[Component]) -> dict[str, list[str]]:
    cli = [c for c in ctx.identity.components if c.source == "cli" and c.kind is not ComponentKind.CHASSIS]
    out: dict[str, list[str]] = {}
    expected = ctx.params.get("expected_frus") or []
    have = {c.pid.upper() for c in ctx.identity.components} | {
        c.name.upper() for c in ctx.identity.components
    }
    absent = [str(e) for e in expected if str(e).upper() not in have]
    if absent:
        out["missing_expected"] = absent
    if cli and snmp_comps:
        snmp_frus = [c for c in snmp_comps if c.kind is not ComponentKind.CHASSIS and c.serial]
        cli_keys = {_fru_key(c) for c in cli if c.serial}
        snmp_keys = {_fru_key(c) for c in snmp_frus}
        if only_snmp := sorted(snmp_keys - cli_keys):
            out["only_in_snmp"] = only_snmp
        if only_cli := sorted(cli_keys - snmp_keys):
            out["only_in_cli"] = only_cli
    return out


async def run(ctx: TestContext) -> TestResult:
    started = utc_now()
    if ctx.cli is None and ctx.snmp is None:
        return result(NAME, Outcome.NOT_RUN, "no CLI or SNMP channel to this unit", started)
    got = await collect(ctx)
    ident = ctx.identity
    frus = _missing_frus(ctx, got.snmp_components)
    evidence: dict[str, Any] = {
        "identity": ident.to_dict(),
        "components": [c.to_dict() for c in ident.components],
        "chassis_serials": dict(ident.chassis_serials),
        "channels": {"cli": ctx.cli is not None, "snmp": ctx.snmp is not None},
    }
    if got.snmp_components and any(c.source == "cli" for c in ident.components):
        evidence["snmp_components"] = [c.to_dict() for c in got.snmp_components]
    if frus:
        evidence["missing_frus"] = frus
    if got.problems:
        evidence["problems"] = got.problems
    if got.notes:
        evidence["notes"] = got.notes

    if not ident.model or not ident.serial:
        lacking = " and ".join(x for x, v in (("model", ident.model), ("serial", ident.serial)) if not v)
        if got.problems:
            return result(NAME, Outcome.ERROR, f"{lacking} unknown: {got.problems[0]}", started, **evidence)
        if got.answered:
            # A channel answered in full and named no serial/model: the unit itself is wrong
            # (blank or corrupted ID EEPROM).
            return result(
                NAME,
                Outcome.FAIL,
                f"unit reports no {lacking} ({', '.join(got.answered)})",
                started,
                **evidence,
            )
        why = "; ".join(got.notes) or "no channel answered"
        return result(NAME, Outcome.WARN, f"{lacking} unknown: {why}", started, **evidence)
    summary = f"{ident.model} serial {ident.serial}, {len(ident.components)} components"
    if frus.get("missing_expected"):
        return result(
            NAME,
            Outcome.WARN,
            f"{summary}; missing FRUs: {', '.join(frus['missing_expected'])}",
            started,
            **evidence,
        )
    return result(NAME, Outcome.PASS, summary, started, **evidence)
