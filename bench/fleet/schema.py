"""Versioned migrations of the fleet store: ordered SQL files in bench/fleet/migrations, applied once each.

Why not Alembic or yoyo: the schema is three tables of plain SQL with no ORM; Alembic would bring
SQLAlchemy for nothing, and every bench migrates on connect, so what matters is that two benches
connecting at once never apply a file twice. That is one transaction under an advisory lock here, and
`fleet_schema` says which versions are in.
"""

from __future__ import annotations

import re
from importlib import resources
from typing import Any

import psycopg

# Any constant the whole fleet agrees on: the advisory lock that serializes migrations.
MIGRATION_LOCK = 0x62656E6368  # "bench"
_FILE = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def migrations() -> list[tuple[int, str, str]]:
    """(version, file name, SQL) in version order."""
    out = []
    for f in resources.files("bench.fleet").joinpath("migrations").iterdir():
        m = _FILE.match(f.name)
        if m:
            out.append((int(m.group(1)), f.name, f.read_text(encoding="utf-8")))
    return sorted(out)


def latest_version() -> int:
    return max(v for v, _, _ in migrations())


def migrate(conn: psycopg.Connection[Any]) -> list[str]:
    """Apply the migrations this store lacks, in order, in one transaction; returns the files applied."""
    applied: list[str] = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        conn.execute("CREATE TABLE IF NOT EXISTS fleet_schema (version integer PRIMARY KEY, name text NOT NULL,"
                     " applied timestamptz NOT NULL DEFAULT now())")
        have = {int(r["version"]) for r in conn.execute("SELECT version FROM fleet_schema")}
        for version, name, sql in migrations():
            if version in have:
                continue
            conn.execute(sql)  # type: ignore[call-overload]  # our own files, never caller text
            conn.execute("INSERT INTO fleet_schema(version, name) VALUES (%s, %s)", (version, name))
            applied.append(name)
    return applied
