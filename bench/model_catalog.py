"""The model catalog: per-model facts, consulted when it knows the model, never required to identify.

A unit is identified by its OS family (bench/profiles.py) and names its own model (the PID in
`show version`, `show inventory`, ENTITY-MIB). What the bench may know beyond that - whether the
model is a switch or a router, its ports, PoE budget, expected power supplies and fans, its serial
format - lives in `models/*.yaml` beside the profiles. A model the catalog does not list is still
identified and tested with its family's tests; its identity result says "model X not catalogued".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from bench.bounded_yaml import load_file
from bench.errors import ProfileError

MAX_CATALOG_BYTES = 512 << 10
MODEL_KEYS = {"role", "ports", "uplinks", "poe_watts", "psus", "fans", "serial", "description"}
ROLES = ("switch", "router", "server", "controller", "firewall")


@dataclass(frozen=True)
class ModelFacts:
    pid: str
    vendor: str
    role: str = ""  # switch, router, ... ("" when the catalog does not say)
    ports: int | None = None  # front-panel access ports (per stack member)
    uplinks: int | None = None
    poe_watts: int | None = None  # PoE budget; 0: no PoE
    psus: int | None = None  # power-supply bays expected
    fans: int | None = None  # fans or fan trays expected
    serial: re.Pattern[str] | None = None  # the vendor's serial format for this model
    description: str = ""


def _count(value: Any, src: str, path: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100_000:
        raise ProfileError(f"{src}: field {path} must be a whole number from 0")
    return value


def parse_models(doc: Any, src: str) -> dict[str, ModelFacts]:
    if not isinstance(doc, dict) or not isinstance(doc.get("models"), dict):
        raise ProfileError(f"{src}: a model catalog is a mapping with vendor and models: {{PID: {{role: switch}}}}")
    vendor = str(doc.get("vendor") or "")
    out: dict[str, ModelFacts] = {}
    for pid, facts in doc["models"].items():
        where = f"models.{str(pid)[:40]}"
        if not isinstance(pid, str) or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.+/-]{0,63}", pid):
            raise ProfileError(f"{src}: field models has a key {str(pid)[:40]!r}; write the PID as the unit shows it")
        facts = facts or {}
        if not isinstance(facts, dict):
            raise ProfileError(f"{src}: field {where} must be a mapping such as {{role: switch, ports: 48}}")
        unknown = sorted(str(k) for k in facts if k not in MODEL_KEYS)
        if unknown:
            raise ProfileError(f"{src}: field {where}.{unknown[0][:40]} is not a model fact; "
                               f"use {', '.join(sorted(MODEL_KEYS))}")
        role = str(facts.get("role") or "")
        if role and role not in ROLES:
            raise ProfileError(f"{src}: field {where}.role {role[:20]!r}: use one of {', '.join(ROLES)}")
        serial = facts.get("serial")
        try:
            pattern = re.compile(str(serial)) if serial else None
        except re.error as e:
            raise ProfileError(f"{src}: field {where}.serial is not a valid regular expression ({e})") from None
        out[_key(pid)] = ModelFacts(
            pid=pid, vendor=vendor, role=role, ports=_count(facts.get("ports"), src, f"{where}.ports"),
            uplinks=_count(facts.get("uplinks"), src, f"{where}.uplinks"),
            poe_watts=_count(facts.get("poe_watts"), src, f"{where}.poe_watts"),
            psus=_count(facts.get("psus"), src, f"{where}.psus"), fans=_count(facts.get("fans"), src, f"{where}.fans"),
            serial=pattern, description=str(facts.get("description") or "")[:200])
    return out


def _key(pid: str) -> str:
    # Cisco appends the export-licence suffix (ISR4331/K9) in some outputs and not in others.
    return re.sub(r"/K9$", "", pid.strip().upper())


def load_dir(directory: Path) -> dict[str, ModelFacts]:
    found: dict[str, ModelFacts] = {}
    for path in sorted(directory.glob("*.yaml")):
        src = repr(str(path))[1:-1]
        for key, facts in parse_models(load_file(path, "model catalog", MAX_CATALOG_BYTES, ProfileError),
                                       src).items():
            found.setdefault(key, facts)
    return found


@lru_cache(maxsize=1)
def models() -> dict[str, ModelFacts]:
    """Every catalogued model, from the `models/` folder of each profile package."""
    from bench.profiles import profile_dirs

    found: dict[str, ModelFacts] = {}
    for d in profile_dirs():
        for key, facts in load_dir(d / "models").items():
            found.setdefault(key, facts)
    return found


def lookup(pid: str) -> ModelFacts | None:
    return models().get(_key(pid)) if pid else None


def catalog_note(pid: str) -> str:
    """What a report says about the model's place in the catalog ("" when it is catalogued)."""
    if not pid:
        return ""
    return "" if lookup(pid) else f"model {pid} not catalogued: tested with its family's tests"
