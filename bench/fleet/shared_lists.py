"""The fleet's shared lists: blocked serials and known-good OS image hashes, one of each for every bench.

An operator loads them into the fleet store (`bench fleet load-blocked FILE`, `bench fleet load-images
FILE`). A bench with a fleet store reads both when a run starts and keeps a copy beside its own store, so
a bench that cannot reach the fleet store still checks against the last lists it had (and says from
when). The blocked serials join the bench file's own `blocked_serials` list in one file the stolen test
reads; the image hashes are kept for the checks that compare a unit's image.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg

from bench.config import BenchConfig
from bench.errors import BadInput
from bench.fleet import store as fleet_store
from bench.fleet.url import target
from bench.tests_hw.stolen import load_blocked

BLOCKED_CACHE = "fleet-blocked-serials.csv"  # beside the bench's store; also the merged list the run reads
IMAGES_CACHE = "fleet-image-hashes.csv"
OWN_ROWS_CACHE = "fleet-blocked-serials.fleet.csv"  # the fleet's rows alone, as last fetched
HEX = set("0123456789abcdef")


@dataclass
class SharedLists:
    blocked: list[dict[str, str]]  # serial, reason
    images: list[dict[str, str]]  # algorithm, digest, image, platform
    fetched: str  # when they were read from the fleet store (UTC ISO)
    source: str  # the fleet store they came from, without password


# --- the operator's side: loading the lists -------------------------------------------------
def load_blocked_file(conn: psycopg.Connection[Any], path: str, operator: str) -> int:
    """Every serial of a blocked-serial list file (the bench file's format: CSV with `serial`, or one a
    line) into the fleet's list; the number of serials in the file."""
    try:
        rows = load_blocked(path)
    except (OSError, ValueError, csv.Error) as e:
        raise BadInput(f"blocked-serial list {path}: {e}; give a CSV with a 'serial' column or one serial a line") \
            from None
    with conn.transaction():
        for serial, row in rows.items():
            reason = str(row.get("reason") or row.get("note") or "")
            conn.execute("INSERT INTO blocked_serials(serial, reason, added_by) VALUES (%s, %s, %s)"
                         " ON CONFLICT (serial) DO UPDATE SET reason = EXCLUDED.reason", (serial, reason, operator))
    return len(rows)


def load_images_file(conn: psycopg.Connection[Any], path: str, operator: str) -> int:
    """Known-good images from a CSV with columns image and sha256 (platform optional)."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, ValueError) as e:
        raise BadInput(f"image hash list {path}: {e}; give a CSV with columns image,sha256[,platform]") from None
    reader = csv.DictReader(io.StringIO(text))
    fields = {f.strip().lower() for f in reader.fieldnames or []}
    if not {"image", "sha256"} <= fields:
        raise BadInput(f"image hash list {path}: needs the columns image and sha256 (it has "
                       f"{', '.join(sorted(fields)) or 'none'})")
    images = []
    for n, row in enumerate(reader, 2):
        clean = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
        digest = clean["sha256"].lower()
        if len(digest) != 64 or not set(digest) <= HEX:
            raise BadInput(f"image hash list {path} line {n}: {clean['sha256']!r} is not a SHA-256 (64 hex digits)")
        images.append((digest, clean["image"], clean.get("platform", "")))
    with conn.transaction():
        for digest, image, platform in images:
            conn.execute("INSERT INTO image_hashes(algorithm, digest, image, platform, added_by)"
                         " VALUES ('sha256', %s, %s, %s, %s) ON CONFLICT (algorithm, digest) DO UPDATE SET"
                         " image = EXCLUDED.image, platform = EXCLUDED.platform", (digest, image, platform, operator))
    return len(images)


def fetch(conn: psycopg.Connection[Any], source: str) -> SharedLists:
    blocked = [{"serial": str(r["serial"]), "reason": str(r["reason"])}
               for r in conn.execute("SELECT serial, reason FROM blocked_serials ORDER BY serial")]
    images = [{k: str(r[k]) for k in ("algorithm", "digest", "image", "platform")}
              for r in conn.execute("SELECT algorithm, digest, image, platform FROM image_hashes ORDER BY image")]
    return SharedLists(blocked, images, datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), source)


# --- the bench's side: read at run start, cached for offline ----------------------------------
def _write_csv(path: Path, comment: str, columns: list[str], rows: list[dict[str, str]]) -> None:
    buf = io.StringIO()
    buf.write(f"# {comment}\n")
    w = csv.DictWriter(buf, columns, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(buf.getvalue(), encoding="utf-8")
    tmp.replace(path)  # a reader never sees half a list


def _cached(cache_dir: Path) -> tuple[list[dict[str, str]], str] | None:
    path = cache_dir / OWN_ROWS_CACHE
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return None
    first = text.splitlines()[0] if text else ""
    rows = [dict(r) for r in csv.DictReader(ln for ln in text.splitlines() if not ln.startswith("#"))]
    return rows, first.lstrip("# ").strip()


def at_run_start(config: BenchConfig, url: str, cache_dir: Path) -> tuple[BenchConfig, str]:
    """The fleet's lists for this run: fetched (and cached) or, when the store does not answer, the cached
    copy. Returns the config whose blocked-serial list is the bench's own plus the fleet's, and one line
    saying where the lists came from (never the password)."""
    shown = target(url)
    try:
        with fleet_store.connect(url) as conn:
            lists = fetch(conn, shown)
        stamp = f"from fleet store {shown} at {lists.fetched}"
        _write_csv(cache_dir / OWN_ROWS_CACHE, stamp, ["serial", "reason"], lists.blocked)
        _write_csv(cache_dir / IMAGES_CACHE, stamp, ["algorithm", "digest", "image", "platform"], lists.images)
        fleet_rows, note = lists.blocked, (f"fleet: {len(lists.blocked)} blocked serial(s) and {len(lists.images)} "
                                           f"known-good image hash(es) {stamp}")
    except (fleet_store.FleetUnreachable, psycopg.Error, OSError) as e:
        cached = _cached(cache_dir)
        why = fleet_store.one_line(e, url)
        if cached is None:
            return config, f"fleet: shared lists not read ({why}) and none cached yet; the bench's own list only"
        fleet_rows, note = cached[0], (f"fleet: store not reached ({why}); using the shared lists cached "
                                       f"{cached[1]} ({len(cached[0])} blocked serial(s))")
    if not fleet_rows:
        return config, note
    merged = _merge(config.blocked_serials, fleet_rows, shown)
    if merged is None:  # the bench's own list is unreadable: the stolen test says so, as without a fleet
        return config, note + f"; the bench file's list {config.blocked_serials} is unreadable, not merged"
    _write_csv(cache_dir / BLOCKED_CACHE, f"the bench's own list and the fleet's ({shown})",
               ["serial", "source", "reason"], merged)
    return replace(config, blocked_serials=str(cache_dir / BLOCKED_CACHE)), note


def _merge(own_path: str, fleet_rows: list[dict[str, str]], shown: str) -> list[dict[str, str]] | None:
    rows: dict[str, dict[str, str]] = {}
    if own_path:
        try:
            own = load_blocked(own_path)
        except (OSError, ValueError, csv.Error):
            return None
        for serial, row in own.items():
            rows[serial] = {"serial": serial, "source": f"{own_path} line {row.get('line')}",
                            "reason": str(row.get("reason") or row.get("note") or "")}
    for r in fleet_rows:
        serial = str(r.get("serial") or "").strip().upper()
        if serial:
            rows.setdefault(serial, {"serial": serial, "source": f"fleet {shown}",
                                     "reason": str(r.get("reason") or "")})
    return [rows[s] for s in sorted(rows)]
