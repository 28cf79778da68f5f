"""Technician inputs: what a person at the bench enters about a unit, kept with its history.

Each entry is stored with the operator and the time; the latest entry of a field is its value,
and nothing is overwritten, so the record can show who changed a grade and when. An entry on a
finished unit regrades it and seals a new record; on a unit still under test it waits for the
engine, which reads the inputs when it grades.
"""

from __future__ import annotations

import json
import re
from dataclasses import fields
from typing import Any

from bench import events as ev
from bench import grading, records
from bench.errors import BadInput
from bench.model import Grade, Identity, TechnicianInputs, utc_now
from bench.store import Store

TEXT_FIELDS = {"label_serial": 64, "asset_tag": 64, "notes": 2000, "lot": 64}
OPERATOR_LIMIT = 64  # a badge number or initials; it is printed on every reason and history line
FLAG_FIELDS = ("licence_attested", "new_open_box")
FIELDS = ("cosmetic", *TEXT_FIELDS, *FLAG_FIELDS, "disposition")
# Dispositions a technician may set: downward only (grading keeps QUARANTINE and HOLD above them).
DISPOSITION_ENTRY = {"PARTS", "RECYCLE", ""}
# Codes a technician assigns; C0 is "not yet categorized", the default, never entered.
COSMETIC_ENTRY = {f"C{i}" for i in range(1, 10)}
_SERIAL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]*")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# Fields that grading reads (TechnicianInputs); `lot` is kept, exported and sealed, but grades nothing.
_GRADED = {f.name for f in fields(TechnicianInputs)}
# The operator of an entry the bench file made (its `lot:`), not a person.
BENCH_FILE = "bench file"


def validate(name: str, value: Any) -> Any:
    """The value as stored, or BadInput naming the field and what it accepts."""
    if name == "cosmetic":
        code = str(value).strip().upper()
        if code not in COSMETIC_ENTRY:
            raise BadInput(f"cosmetic {value!r} is not an R2v3 cosmetic code; enter C1 (damaged) .. C9 (new open box)")
        return code
    if name == "disposition":
        code = str(value).strip().upper()
        if code in ("AUTO", "NONE"):
            code = ""
        if code not in DISPOSITION_ENTRY:
            raise BadInput(f"disposition {value!r}: a technician may set parts or recycle (or auto to clear it)")
        return code
    if name in FLAG_FIELDS:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("yes", "y", "true", "1"):
            return True
        if text in ("no", "n", "false", "0"):
            return False
        raise BadInput(f"{name} {value!r}: answer yes or no")
    if name in TEXT_FIELDS:
        # A barcode scanner may add a trailing CR or tab; a scanned serial never holds spaces.
        text = _CONTROL.sub("", str(value)).strip()
        if len(text) > TEXT_FIELDS[name]:
            raise BadInput(f"{name} is {len(text)} characters long; at most {TEXT_FIELDS[name]} are kept")
        if name == "label_serial" and text and not _SERIAL.fullmatch(text):
            raise BadInput(f"label serial {text!r} holds characters a serial cannot; scan the chassis sticker again")
        return text
    raise BadInput(f"unknown technician input {name!r}; known: {', '.join(FIELDS)}")


def fold(history: list[dict[str, Any]], base: TechnicianInputs | None = None) -> TechnicianInputs:
    """The inputs in force after every entry of `history`, on top of `base` (the bench file's label)."""
    base = base or TechnicianInputs()
    values = {f.name: getattr(base, f.name) for f in fields(TechnicianInputs)}
    provenance = dict(base.provenance)
    for entry in history:
        if entry["field"] in FIELDS and entry["field"] in _GRADED:
            values[entry["field"]] = entry["value"]
            provenance[entry["field"]] = f"{entry['operator']} at {entry['ts']}"
    values["provenance"] = provenance
    return TechnicianInputs(**values)


def current_inputs(store: Store, run_id: int, slot: str, base: TechnicianInputs | None = None) -> TechnicianInputs:
    return fold(store.inputs(run_id, slot), base)


def input_history(store: Store, run_id: int, slot: str) -> list[dict[str, Any]]:
    return store.inputs(run_id, slot)


def latest_entries(history: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """field -> its latest entry {value, operator, ts}: each input's value with who entered it and when."""
    latest: dict[str, dict[str, Any]] = {}
    for entry in history:
        if entry["field"] in FIELDS:
            latest[entry["field"]] = {"value": entry["value"], "operator": entry["operator"], "ts": entry["ts"]}
    return latest


def record_bench_file_lot(store: Store, run_id: int, slot: str, lot: str) -> None:
    """The bench file's `lot:` becomes the unit's lot entry when the run first takes the slot up, so it is
    sealed, exported and corrected (`bench grade --lot`) like any input; a later entry is never overwritten."""
    if lot and not any(e["field"] == "lot" for e in store.inputs(run_id, slot)):
        store.add_inputs(run_id, slot, BENCH_FILE, {"lot": lot}, utc_now())


def unit_serials(identity_json: str | None) -> list[str]:
    """The chassis serials the bench read from a stored slot's identity (Identity.read_serials)."""
    return Identity.from_dict(json.loads(identity_json)).read_serials() if identity_json else []


def set_inputs(store: Store, run_id: int, slot: str, operator: str, *, key: records.BenchKey | str | None = None,
               rules: dict[str, Any] | None = None, **changes: Any) -> Grade | None:
    """Record the changes; regrade and reseal a finished unit. Returns its new grade (None while under test)."""
    operator = _CONTROL.sub("", operator or "").strip()
    if not operator:
        raise BadInput("an operator id is needed for every input; pass --operator (badge or initials)")
    if len(operator) > OPERATOR_LIMIT:
        raise BadInput(f"operator id is {len(operator)} characters long; give a badge or initials of at most "
                       f"{OPERATOR_LIMIT}")
    row = store.slot_row(run_id, slot)
    if row is None:
        raise BadInput(f"no slot {slot!r} in run {run_id}; check the serial or slot id")
    clean = {name: validate(name, value) for name, value in changes.items() if value is not None}
    if not clean:
        raise BadInput(f"nothing to enter; give one of: {', '.join(FIELDS)}")
    now = utc_now()
    store.add_inputs(run_id, slot, operator, clean, now)
    store.add_events(run_id, [(now, slot, ev.INPUTS_CHANGED, {"operator": operator, "fields": sorted(clean)})])
    if row["status"] != "done":
        return None
    return regrade(store, run_id, slot, key=key, rules=rules)


def regrade(store: Store, run_id: int, slot: str, *, key: records.BenchKey | str | None = None,
            rules: dict[str, Any] | None = None) -> Grade:
    """Grade a finished unit again from its stored results and inputs, and seal the new record."""
    row = store.slot_row(run_id, slot)
    if row is None:
        raise BadInput(f"no slot {slot!r} in run {run_id}")
    if rules is None:
        rules = profile_rules(str(row["profile"] or ""))
    inputs = current_inputs(store, run_id, slot)
    grade = grading.grade(store.results(run_id, slot), inputs, rules, unit_serials(row["identity"]))
    store.save_grade(run_id, slot, grade)
    records.seal(store, run_id, slot, key, inputs)
    store.add_events(run_id, [(utc_now(), slot, ev.GRADE_ASSIGNED, {"grade": grade.to_dict(), "regrade": True})])
    return grade


def profile_rules(profile: str) -> dict[str, Any]:
    """The grading rules of a stored unit's profile; the defaults when the profile is gone."""
    if not profile:
        return {}
    from bench.profiles import Catalog
    from bench.tests_hw.registry import known_tests

    try:
        return dict(Catalog.load(known_tests()).get(profile).grading)
    except BadInput:  # the profile was removed or no longer validates: grade by the defaults
        return {}
