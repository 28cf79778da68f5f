"""Real devices' outputs (ntc-templates' fixtures in ../shared/realdata) for the identity readers' tests.

One module per family reads its own platform's folders (tests/test_realdata_<family>.py) with these helpers:
where the outputs are, the records ntc-templates parses from each, and whether a reading matches them.
"""

from __future__ import annotations

import glob
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from bench.platforms.identity_readers import IdentityRead
from bench.serials import placeholder_reason

REAL = Path(__file__).resolve().parents[3] / "shared" / "realdata" / "ntc-templates-tests"
needs_realdata = pytest.mark.skipif(not REAL.is_dir(), reason=f"real device outputs not present at {REAL}")


def outputs(platform: str, folder: str) -> Iterator[tuple[Path, str, list[dict[str, Any]]]]:
    """(path, raw text, parsed records) of every real output of one command of one platform."""
    for raw in sorted(glob.glob(str(REAL / platform / folder / "*.raw"))):
        recs = (yaml.safe_load(open(raw[:-4] + ".yml", encoding="utf-8")) or {}).get("parsed_sample") or []
        yield Path(raw), open(raw, encoding="utf-8", errors="replace").read(), recs


def serial_ok(got: IdentityRead, want: str) -> bool:
    """The serial read is the one the records name; a placeholder must be reported unreadable instead."""
    if placeholder_reason(want):
        return not got.serial and bool(got.unreadable)
    return got.serial == want.strip().upper()


def parts_ok(got: IdentityRead, wanted: list[tuple[str, str]]) -> bool:
    """Every (pid, serial) the records list is among the components (placeholders: part named, no serial)."""
    have = {(c.pid.upper(), c.serial) for c in got.components}
    pids = {c.pid.upper() for c in got.components}
    for pid, sn in wanted:
        if placeholder_reason(sn):
            if pid.upper() not in pids:
                return False
        elif (pid.upper(), sn.strip().upper()) not in have:
            return False
    return True


def share_right(results: list[tuple[str, bool, str]]) -> tuple[float, list[str]]:
    """(percent read right, what was read wrong) over (name, ok, why) rows."""
    bad = [f"{name}: {why}" for name, ok, why in results if not ok]
    return (100 * (len(results) - len(bad)) / len(results) if results else 0.0), bad
