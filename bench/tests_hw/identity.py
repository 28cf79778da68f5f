"""identity: what the unit says it is, from the platform's CLI collector and SNMP (snmp_identity).

Fills `ctx.identity`, which later tests read. Also home of `gather`, the one way a test calls a
platform collector (bench/platforms).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from bench.drivers.parsing import sanitize
from bench.model import Component, ComponentKind, Identity, Outcome, TestResult, utc_now
from bench.model_catalog import catalog_note
from bench.platforms import platform_for
from bench.platforms.cli import failure
from bench.platforms.identity_readers import component_kind
from bench.tests_hw.base import ChannelMissing, TestContext, result
from bench.tests_hw.snmp_identity import ENT_PHYSICAL, entity_inventory, entity_table, read_snmp_identity

__all__ = ["ENT_PHYSICAL", "collect", "component_kind", "entity_components", "gather", "run"]

NAME = "identity"

# ---- calling a platform collector ---------------------------------------------------------------


@dataclass
class Gathered:
    facts: Any = None  # what the collector returned; None when it could not run
    errors: list[str] = field(default_factory=list)  # the bench's problems: lost session, timeout, parse failure
    notes: list[str] = field(default_factory=list)  # what could not be read and why (refused, no collector)


class _Watched:
    """ctx.cli as a collector sees it; remembers every command that raised (the bench lost the unit),
    so a test tells ERROR from "not read" whatever the collector made of the failure."""

    def __init__(self, cli: Any) -> None:
        self._cli = cli
        self.platform = getattr(cli, "platform", "")
        self.failures: list[str] = []
        self.missing: ChannelMissing | None = None  # no CLI at all (e.g. the unit never boots)

    async def send(self, command: str, timeout: float = 30.0) -> str:
        try:
            return str(await self._cli.send(command, timeout=timeout))
        except ChannelMissing as exc:
            self.missing = self.missing or exc
            raise
        except Exception as exc:
            self.failures.append(failure(command, exc))
            raise

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cli, name)


# bench.drivers.parsing.ParseError's wording, shared by every collector: a parse failure is the bench's.
_PARSE_FAILED = "output does not parse"


async def gather(ctx: TestContext, method: str) -> Gathered:
    """Call `method` of the unit's platform collector; sort what went wrong into errors and notes."""
    got = Gathered()
    try:
        platform = platform_for(ctx)
    except LookupError as exc:
        got.notes.append(str(exc))
        return got
    fn = getattr(platform, method, None)
    if fn is None:
        got.notes.append(f"the {getattr(platform, 'name', '?')} collector has no {method}")
        return got
    watched = _Watched(ctx.cli) if ctx.cli is not None else None
    try:
        got.facts = await fn(dataclasses.replace(ctx, cli=watched) if watched else ctx)
    except NotImplementedError as exc:
        got.notes.append(f"{method} not implemented for {getattr(platform, 'name', '?')}: {exc}"[:300])
    except Exception as exc:  # a collector's bug is this test's ERROR, never a crash
        got.errors.append(f"{method} collector: {type(exc).__name__}: {exc}"[:300])
    if watched is not None and watched.missing is not None and not watched.failures:
        raise watched.missing  # the test as a whole does not apply (NOT_RUN), whatever the collector noted
    if watched is not None:
        got.errors += [f for f in watched.failures if f not in got.errors]
    for problem in getattr(got.facts, "problems", None) or []:
        if problem not in got.errors:
            (got.errors if _PARSE_FAILED in problem else got.notes).append(problem)
    return got


# ---- ENTITY-MIB and components -------------------------------------------------------------------


def _text(v: Any) -> str:
    if isinstance(v, bytes | bytearray):
        v = bytes(v).decode("utf-8", errors="replace")
    return sanitize(str(v)).strip() if v is not None else ""


def entity_components(walk: dict[str, Any]) -> list[Component]:
    """Components from an entPhysicalTable walk (keys are dotted OIDs, with or without a dot)."""
    return entity_inventory(entity_table(walk), [])


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


def _cli_facts(cli: Any, ident: Identity, answered: list[str]) -> None:
    """Copy a collector's CliIdentity into the unit's identity."""
    if cli.model or cli.serial or cli.os_version:
        answered.append("cli")
    ident.model = ident.model or cli.model
    if cli.serial:
        ident.chassis_serials["cli"] = cli.serial.strip().upper()
    for name in ("os_version", "hostname", "uptime", "config_register", "reload_reason"):
        setattr(ident, name, getattr(cli, name) or getattr(ident, name))
    comps = [dataclasses.replace(c, source=c.source or "cli") for c in cli.components]
    ident.components = [c for c in ident.components if c.source != "cli"] + comps


@dataclass
class Collected:
    problems: list[str]  # bench errors (lost session, parse failure)
    notes: list[str]  # channels missing or commands rejected
    snmp_components: list[Component]
    answered: list[str]  # channels that answered in full: "cli", "snmp"


async def collect(ctx: TestContext) -> Collected:
    """Read the CLI collector's identity and ENTITY-MIB into ctx.identity."""
    ident = ctx.identity
    problems: list[str] = []
    notes: list[str] = []
    answered: list[str] = []
    if ctx.cli is None:
        notes.append("no CLI channel (SSH or console) to this unit")
    else:
        got = await gather(ctx, "identity")
        problems += got.errors
        notes += got.notes
        if got.facts is not None:
            _cli_facts(got.facts, ident, answered)

    snmp_comps: list[Component] = []
    if ctx.snmp is None:
        notes.append("no SNMP channel")
    else:
        try:
            reading = await read_snmp_identity(ctx.snmp)
        except Exception as exc:
            problems.append(f"SNMP: {type(exc).__name__}: {exc}"[:300])
        else:
            got = reading.identity
            ident.sys_object_id, ident.sys_descr = got.sys_object_id, got.sys_descr
            snmp_comps = got.components
            notes += [f"SNMP: {n}" for n in got.notes]
            answered.append("snmp")
            if got.serial:
                ident.chassis_serials["snmp"] = got.serial
            ident.model = ident.model or got.model
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
            # (blank or corrupted ID EEPROM), or its serial is a placeholder (the note says which).
            unreadable = next((n for n in got.notes if "serial unreadable" in n), "")
            return result(
                NAME,
                Outcome.FAIL,
                f"unit reports no {lacking} ({', '.join(got.answered)})" + (f"; {unreadable}" if unreadable else ""),
                started,
                **evidence,
            )
        why = "; ".join(got.notes) or "no channel answered"
        return result(NAME, Outcome.WARN, f"{lacking} unknown: {why}", started, **evidence)
    summary = f"{ident.model} serial {ident.serial}, {len(ident.components)} components"
    uncatalogued = catalog_note(ident.model)  # a model the catalog lacks is still this family's unit
    if uncatalogued:
        evidence["model_catalog"] = uncatalogued
        summary += f"; {uncatalogued}"
    if frus.get("missing_expected"):
        return result(
            NAME,
            Outcome.WARN,
            f"{summary}; missing FRUs: {', '.join(frus['missing_expected'])}",
            started,
            **evidence,
        )
    return result(NAME, Outcome.PASS, summary, started, **evidence)
