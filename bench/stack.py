"""Stack members as units: a stack is tested as one unit, but each chassis of it is sold on its own.

When a stack's slot is graded, every other member (a chassis whose serial is not the unit's own) becomes a
unit of the same run in slot `SLOT/N` (N its member number): its own serial, model and identity, the
stack's test results shared (copied, so its record seals what it was graded on), its own technician
inputs and so its own grade, label, certificate and sealed record. The slot of the stack stays the unit of
the member whose serial the stack reports. A member inherits the stack's lot until it is given its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bench import grading, records
from bench.inputs import current_inputs
from bench.model import Component, ComponentKind, Identity
from bench.store import Store, slot_identity


@dataclass(frozen=True)
class Member:
    number: int
    chassis: Component


def members(identity: Identity) -> list[Member]:
    """The stack's other members: distinct chassis serials beside the unit's own (none for a lone chassis).

    Members are counted within one channel's account: the CLI's (or console's) when it lists a chassis, else
    SNMP's. A CLI chassis and an SNMP chassis of different serials are one box disagreeing with itself (the
    authenticity test's serial mismatch), never a second unit with its own label and certificate."""
    found = [c for c in identity.components if c.kind == ComponentKind.CHASSIS and c.serial]
    from_cli = [c for c in found if c.source in ("cli", "console")]
    chassis = from_cli or found
    serials = {c.serial for c in chassis}
    if len(serials) < 2:
        return []
    out, seen = [], {identity.serial}
    for ordinal, c in enumerate(chassis, 1):
        if c.serial in seen:
            continue
        seen.add(c.serial)
        digits = re.search(r"\d+", c.name or "")
        out.append(Member(int(digits.group()) if digits else ordinal, c))
    # Two members named alike (no number in their names): number them in order instead.
    if len({m.number for m in out}) < len(out):
        out = [Member(i, m.chassis) for i, m in enumerate(out, 2)]
    return out


def member_slot(slot: str, number: int) -> str:
    return f"{slot}/{number}"


def record_members(store: Store, run_id: int, slot: str, key: Any = None,
                   rules: dict[str, Any] | None = None) -> list[str]:
    """Write, grade and seal each member of the stack in `slot` as a unit; returns their slot ids."""
    row = store.slot_row(run_id, slot)
    if row is None or not row["identity"]:
        return []
    stack = Identity.from_dict(slot_identity(row))
    found = members(stack)
    if not found:
        return []
    results = store.results(run_id, slot)
    lot = next((e for e in reversed(store.inputs(run_id, slot)) if e["field"] == "lot"), None)
    position = len(store.slots(run_id))
    written = []
    for m in found:
        sid = member_slot(slot, m.number)
        identity = Identity(model=m.chassis.pid or stack.model, serial=m.chassis.serial, os_version=stack.os_version,
                            hostname=stack.hostname, sys_object_id=stack.sys_object_id, components=[m.chassis],
                            chassis_serials={"inventory": m.chassis.serial})
        with store.transaction():
            if store.slot_row(run_id, sid) is None:
                store.add_slot(run_id, sid, position)
                position += 1
            # Shared results, as they are now: a retested stack's members follow it.
            store.reopen_slot(run_id, sid, store.results(run_id, sid))
        store.start_slot(run_id, sid)
        store.save_identity(run_id, sid, str(row["profile"]), identity)
        for i, r in enumerate(results.values()):
            store.save_result(run_id, sid, i, r)
        if lot is not None and not any(e["field"] == "lot" for e in store.inputs(run_id, sid)):
            store.add_inputs(run_id, sid, lot["operator"], {"lot": lot["value"]}, lot["ts"])
        inputs = current_inputs(store, run_id, sid)
        grade = grading.grade(results, inputs, rules, identity.read_serials())
        store.finish_slot(run_id, sid, grade)
        records.seal(store, run_id, sid, key, inputs)
        written.append(sid)
    return written
