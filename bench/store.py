"""Persistence of runs, slots, events, results and telemetry in SQLite (WAL).

Every finished test is committed the moment it finishes, so a run killed at any point
(SIGKILL included) resumes from the store without repeating or losing finished tests.
Credentials are never passed to the store; evidence is stored as the tests produced it.
"""

from __future__ import annotations

import json
import os
import sqlite3
import urllib.parse
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.errors import BadInput
from bench.model import Grade, Identity, TestResult, utc_now
from bench.secrets_mask import mask_data, mask_secrets

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL,              -- bench file + plan: the same command finds the same run
    bench TEXT NOT NULL,
    plan TEXT NOT NULL,
    source TEXT NOT NULL,
    started TEXT NOT NULL,
    finished TEXT,
    status TEXT NOT NULL            -- running, done
);
CREATE INDEX IF NOT EXISTS runs_key ON runs(key, status);
CREATE TABLE IF NOT EXISTS slots (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    slot TEXT NOT NULL,
    position INTEGER NOT NULL,
    profile TEXT NOT NULL DEFAULT '',
    serial TEXT NOT NULL DEFAULT '',
    model TEXT NOT NULL DEFAULT '',
    identity TEXT,                  -- JSON of bench.model.Identity
    grade TEXT,                     -- JSON of bench.model.Grade
    status TEXT NOT NULL DEFAULT 'pending',   -- pending, running, done
    started TEXT,
    finished TEXT,
    PRIMARY KEY (run_id, slot)
);
CREATE TABLE IF NOT EXISTS results (
    run_id INTEGER NOT NULL,
    slot TEXT NOT NULL,
    name TEXT NOT NULL,
    position INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    summary TEXT NOT NULL,
    evidence TEXT NOT NULL,
    started TEXT NOT NULL,
    finished TEXT NOT NULL,
    PRIMARY KEY (run_id, slot, name)
);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL,
    ts TEXT NOT NULL,
    slot TEXT,
    kind TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_run ON events(run_id, id);
CREATE TABLE IF NOT EXISTS telemetry (
    run_id INTEGER NOT NULL,
    slot TEXT NOT NULL,
    ts TEXT NOT NULL,
    metric TEXT NOT NULL,
    value REAL
);
CREATE TABLE IF NOT EXISTS transcripts (
    run_id INTEGER NOT NULL,
    slot TEXT NOT NULL,
    channel TEXT NOT NULL,          -- console, ssh
    ts TEXT NOT NULL,
    direction TEXT NOT NULL,        -- rx from the unit, tx from the bench (secrets masked)
    text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS transcripts_slot ON transcripts(run_id, slot, ts);
CREATE INDEX IF NOT EXISTS telemetry_slot ON telemetry(run_id, slot, metric, ts);
CREATE TABLE IF NOT EXISTS records (
    seq INTEGER PRIMARY KEY,        -- 1, 2, 3 ... in sealing order; a gap means a removed record
    run_id INTEGER NOT NULL,
    slot TEXT NOT NULL,
    serial TEXT NOT NULL,
    canonical TEXT NOT NULL,        -- the signed record itself (bench.records); every other column restates it
    hash TEXT NOT NULL,             -- SHA-256 hex of canonical
    prev_hash TEXT NOT NULL,        -- hash of record seq-1 ('' for the first)
    signature TEXT NOT NULL,        -- Ed25519 over hash, hex
    key_fingerprint TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS records_slot ON records(run_id, slot, seq);
CREATE TABLE IF NOT EXISTS technician_inputs (
    id INTEGER PRIMARY KEY,         -- entry order: the latest entry of a field is its value
    run_id INTEGER NOT NULL,
    slot TEXT NOT NULL,
    field TEXT NOT NULL,            -- cosmetic, label_serial, asset_tag, notes, licence_attested, new_open_box
    value TEXT NOT NULL,            -- JSON
    operator TEXT NOT NULL,
    ts TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS technician_inputs_slot ON technician_inputs(run_id, slot, id);
CREATE TABLE IF NOT EXISTS store_meta (
    name TEXT PRIMARY KEY,          -- store_id: this store's own id, mixed into every record and its witness
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS record_keys (
    fingerprint TEXT PRIMARY KEY,   -- SHA-256 hex of the raw Ed25519 public key
    public_pem TEXT NOT NULL,
    added TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS fleet_sent (
    target TEXT NOT NULL,           -- the fleet store, its URL without password (bench.fleet.url.target)
    seq INTEGER NOT NULL,           -- a record the fleet store acknowledged; the others wait to be sent
    hash TEXT NOT NULL,
    sent TEXT NOT NULL,
    PRIMARY KEY (target, seq)
);
"""


def _check_file(url: str, p: Path, must_exist: bool, read_only: bool) -> None:
    """The path names a database file, or a place to make one; one line on what is wrong otherwise."""
    if p.is_dir():
        raise BadInput(f"store {url!r} is a directory, not a database file; pass --db sqlite:///{p}/bench.db")
    if not p.parent.is_dir():
        raise BadInput(f"store {url!r}: directory {p.parent} does not exist; create it or pick another path")
    if not p.exists():
        if must_exist:
            raise BadInput(f"store {url!r} does not exist; run 'bench run' first or pass --db with the right path")
        return
    try:
        with open(p, "rb") as f:
            head = f.read(len(SQLITE_HEADER))
    except OSError as e:
        raise BadInput(f"store {url!r} cannot be read ({e.strerror}); check its permissions") from None
    if not head:
        if read_only:
            raise BadInput(f"store {url!r} is an empty file, not a bench store; pass the store 'bench run' wrote")
        return  # an empty file becomes a new store
    if head != SQLITE_HEADER:
        raise BadInput(f"store {url!r} is not an SQLite database (it does not begin with the SQLite header); "
                       "pass the store 'bench run' wrote")


def _check_writable(url: str, p: Path) -> None:
    """A writer needs the file and its directory (SQLite's -wal and -shm files live beside it)."""
    if p.exists() and not os.access(p, os.W_OK):
        raise BadInput(f"store {url!r} is read-only; make it writable (chmod u+w) or copy it somewhere writable")
    if not os.access(p.parent, os.W_OK | os.X_OK):
        raise BadInput(f"store {url!r} is in a read-only directory {p.parent}; SQLite needs to write its journal "
                       "beside it: move the store or make the directory writable")


def _open_problem(url: str, e: sqlite3.DatabaseError, read_only: bool) -> str:
    text = " ".join(str(e).replace("*** in database main ***", "").split())[:200]  # one line
    if "readonly" in text or "read-only" in text:
        return f"store {url!r} is read-only ({text}); make it writable or copy it somewhere writable"
    if "locked" in text or "busy" in text:
        return f"store {url!r} is locked by another process ({text}); wait for it or pass another --db"
    what = "read" if read_only else "opened for writing"
    return f"store {url!r} is damaged or not a bench store and cannot be {what} ({text}); restore it from a backup"


def sqlite_path(url: str) -> str:
    """`sqlite:///rel.db` -> `rel.db`, `sqlite:////abs.db` -> `/abs.db`; a bare path stays a path."""
    if "://" not in url:
        return url
    scheme, _, rest = url.partition("://")
    if scheme != "sqlite":
        raise BadInput(f"store URL {url!r}: only sqlite:///PATH is supported; use sqlite:///bench.db or a file path")
    if not rest.startswith("/") or rest == "/":
        raise BadInput(f"store URL {url!r}: write sqlite:///relative.db or sqlite:////absolute/path.db")
    return rest[1:]



class DamagedRow(BadInput):
    """A store row that no bench wrote (a JSON column that is not the JSON a bench writes, an outcome no test
    has, text where a number belongs): every reader names the unit and the column instead of crashing."""

    def __init__(self, where: str, column: str, why: str) -> None:
        self.column = column
        super().__init__(f"the store's {where} {column} is damaged ({why}); run 'bench verify' and restore the "
                         "store from a backup")


def _where(row: sqlite3.Row) -> str:
    return f"run {row['run_id']} slot {row['slot']}"


def json_column(text: Any, where: str, column: str, kind: type | None = None) -> Any:
    """A JSON column as a bench wrote it, else DamagedRow naming where it is."""
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        raise DamagedRow(where, column, "not JSON") from None
    if kind is not None and not isinstance(value, kind):
        raise DamagedRow(where, column, f"a {type(value).__name__}, not a {kind.__name__}")
    return value


def slot_identity(row: sqlite3.Row) -> dict[str, Any]:
    """The slot's identity JSON ({} before it was read); its components a list of objects."""
    if not row["identity"]:
        return {}
    identity: dict[str, Any] = json_column(row["identity"], _where(row), "identity", dict)
    components = identity.get("components", [])
    if not isinstance(components, list) or not all(isinstance(c, dict) for c in components):
        raise DamagedRow(_where(row), "identity", "its components are not a list of objects")
    return identity


def slot_grade(row: sqlite3.Row) -> dict[str, Any] | None:
    """The slot's grade JSON (None before grading); its reasons a list."""
    if not row["grade"]:
        return None
    grade: dict[str, Any] = json_column(row["grade"], _where(row), "grade", dict)
    if not isinstance(grade.get("reasons", []), list):
        raise DamagedRow(_where(row), "grade", "its reasons are not a list")
    return grade


def slot_position(row: sqlite3.Row) -> int:
    if not isinstance(row["position"], int):
        raise DamagedRow(_where(row), "position", f"{row['position']!r}, not a number")
    return int(row["position"])

@dataclass
class RunInfo:
    id: int
    key: str
    bench: str
    plan: str
    status: str
    started: str
    finished: str | None
    source: str = ""  # the bench file it ran from


SQLITE_HEADER = b"SQLite format 3\x00"
# Every open of an existing store runs PRAGMA quick_check up to this size (about 0.2 s for 180 MB when
# cached): a corrupt store is noticed before a test cycle, not when its first record is sealed.
QUICK_CHECK_MAX_BYTES = 1 << 30


class Store:
    def __init__(self, url: str, *, must_exist: bool = False, read_only: bool = False) -> None:
        """A writer (the default) opens read-write and creates the schema; a reader (`read_only`, for export,
        report and verify) opens with SQLite's mode=ro and writes nothing, so a 0444 store or one in a
        read-only directory can still be read. A directory, a non-SQLite file or a corrupt database is
        refused with BadInput before anything else happens."""
        path = sqlite_path(url)
        self.path = path
        self.read_only = read_only
        if path != ":memory:":
            _check_file(url, Path(path), must_exist or read_only, read_only)
            if not read_only:
                _check_writable(url, Path(path))
        try:
            self.db = self._connect(path, read_only)
            self.db.row_factory = sqlite3.Row
            names = {str(r[0]) for r in self.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if path != ":memory:" and Path(path).exists() and os.path.getsize(path) <= QUICK_CHECK_MAX_BYTES:
                problem = self.db.execute("PRAGMA quick_check(1)").fetchone()[0]
                if problem != "ok":
                    raise sqlite3.DatabaseError(str(problem))
            if not read_only:
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA synchronous=NORMAL")
                self.db.executescript(SCHEMA)
                names = {str(r[0]) for r in self.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        except sqlite3.DatabaseError as e:
            raise BadInput(_open_problem(url, e, read_only)) from None
        self.tables = frozenset(names)

    @staticmethod
    def _connect(path: str, read_only: bool) -> sqlite3.Connection:
        if path == ":memory:" or not read_only:
            return sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        uri = "file:" + urllib.parse.quote(str(Path(path).resolve())) + "?mode=ro"
        db = sqlite3.connect(uri, uri=True, timeout=30, isolation_level=None, check_same_thread=False)
        try:
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return db
        except sqlite3.OperationalError:
            # A WAL store in a read-only directory without its -shm file: no writer can be at work there
            # (it could not create its files), so the file is read as it stands.
            db.close()
            return sqlite3.connect(uri + "&immutable=1", uri=True, isolation_level=None, check_same_thread=False)

    def close(self) -> None:
        self.db.close()

    # --- runs -----------------------------------------------------------------------------
    def open_run(self, key: str, bench: str, plan: str, source: str, slot_ids: list[str]) -> tuple[int, bool]:
        """The unfinished run with this key (resumed=True) or a new one."""
        row = self.db.execute("SELECT id FROM runs WHERE key=? AND status='running' ORDER BY id DESC LIMIT 1",
                              (key,)).fetchone()
        if row:
            return int(row["id"]), True
        with self._tx():
            cur = self.db.execute("INSERT INTO runs(key, bench, plan, source, started, status) VALUES (?,?,?,?,?,?)",
                                  (key, bench, plan, source, utc_now(), "running"))
            run_id = int(cur.lastrowid or 0)
            self.db.executemany("INSERT INTO slots(run_id, slot, position) VALUES (?,?,?)",
                                [(run_id, sid, i) for i, sid in enumerate(slot_ids)])
        return run_id, False

    def finish_run(self, run_id: int) -> None:
        self.db.execute("UPDATE runs SET status='done', finished=? WHERE id=?", (utc_now(), run_id))

    def latest_run(self) -> RunInfo | None:
        row = self.db.execute("SELECT * FROM runs ORDER BY id DESC LIMIT 1").fetchone()
        return self._run(row) if row else None

    def run(self, run_id: int) -> RunInfo | None:
        row = self.db.execute("SELECT * FROM runs WHERE id=?", (run_id,)).fetchone()
        return self._run(row) if row else None

    @staticmethod
    def _run(row: sqlite3.Row) -> RunInfo:
        return RunInfo(id=row["id"], key=row["key"], bench=row["bench"], plan=row["plan"], status=row["status"],
                       started=row["started"], finished=row["finished"], source=row["source"])

    # --- slots ----------------------------------------------------------------------------
    def slot_status(self, run_id: int, slot: str) -> str:
        row = self.db.execute("SELECT status FROM slots WHERE run_id=? AND slot=?", (run_id, slot)).fetchone()
        return str(row["status"]) if row else "pending"

    def start_slot(self, run_id: int, slot: str) -> None:
        self.db.execute("UPDATE slots SET status='running', started=COALESCE(started, ?) WHERE run_id=? AND slot=?",
                        (utc_now(), run_id, slot))

    def save_identity(self, run_id: int, slot: str, profile: str, identity: Identity) -> None:
        self.db.execute("UPDATE slots SET profile=?, serial=?, model=?, identity=? WHERE run_id=? AND slot=?",
                        (profile, identity.serial, identity.model, json.dumps(identity.to_dict()), run_id, slot))

    def load_identity(self, run_id: int, slot: str) -> tuple[str, Identity] | None:
        row = self.db.execute("SELECT run_id, slot, profile, identity FROM slots WHERE run_id=? AND slot=?",
                              (run_id, slot)).fetchone()
        if not row or not row["identity"]:
            return None
        return str(row["profile"]), Identity.from_dict(slot_identity(row))

    def finish_slot(self, run_id: int, slot: str, grade: Grade) -> None:
        self.db.execute("UPDATE slots SET grade=?, status='done', finished=? WHERE run_id=? AND slot=?",
                        (json.dumps(grade.to_dict()), utc_now(), run_id, slot))

    def save_grade(self, run_id: int, slot: str, grade: Grade) -> None:
        """A regrade after technician input: the slot stays finished when it was."""
        self.db.execute("UPDATE slots SET grade=? WHERE run_id=? AND slot=?",
                        (json.dumps(grade.to_dict()), run_id, slot))

    def slot_row(self, run_id: int, slot: str) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM slots WHERE run_id=? AND slot=?", (run_id, slot)).fetchone()

    def find_unit(self, unit: str) -> sqlite3.Row | None:
        """The latest run's slot holding this serial, else the slot with this id in the latest run."""
        row = self.db.execute("SELECT * FROM slots WHERE serial=? ORDER BY run_id DESC LIMIT 1", (unit,)).fetchone()
        if row:
            return row
        return self.db.execute("SELECT * FROM slots WHERE slot=? AND run_id=(SELECT MAX(id) FROM runs)",
                               (unit,)).fetchone()

    # --- technician inputs ----------------------------------------------------------------
    def add_inputs(self, run_id: int, slot: str, operator: str, values: dict[str, Any], ts: str) -> None:
        with self._tx():
            self.db.executemany("INSERT INTO technician_inputs(run_id, slot, field, value, operator, ts)"
                                " VALUES (?,?,?,?,?,?)",
                                [(run_id, slot, k, json.dumps(mask_data(v)), operator, ts) for k, v in values.items()])

    def inputs(self, run_id: int, slot: str) -> list[dict[str, Any]]:
        rows = self.db.execute("SELECT field, value, operator, ts FROM technician_inputs WHERE run_id=? AND slot=?"
                               " ORDER BY id", (run_id, slot)).fetchall()
        where = f"run {run_id} slot {slot}"
        return [{"field": r["field"], "value": json_column(r["value"], where, f"technician input {r['field']!r}"),
                 "operator": r["operator"], "ts": r["ts"]} for r in rows]

    # --- results --------------------------------------------------------------------------
    def save_result(self, run_id: int, slot: str, position: int, r: TestResult) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO results(run_id, slot, name, position, outcome, summary, evidence, started,"
            " finished) VALUES (?,?,?,?,?,?,?,?,?)",
            (run_id, slot, r.name, position, str(r.outcome), mask_secrets(r.summary),
             json.dumps(mask_data(r.evidence), default=str),
             r.started, r.finished))

    def results(self, run_id: int, slot: str) -> dict[str, TestResult]:
        rows = self.db.execute("SELECT * FROM results WHERE run_id=? AND slot=? ORDER BY position",
                               (run_id, slot)).fetchall()
        where = f"run {run_id} slot {slot}"
        out: dict[str, TestResult] = {}
        for r in rows:
            evidence = json_column(r["evidence"], where, f"result {r['name']!r} evidence", dict)
            try:
                out[r["name"]] = TestResult.from_dict({
                    "name": r["name"], "outcome": r["outcome"], "summary": r["summary"], "evidence": evidence,
                    "started": r["started"], "finished": r["finished"]})
            except ValueError:
                raise DamagedRow(where, f"result {r['name']!r}", f"outcome {r['outcome']!r} is no outcome") from None
        return out

    # --- events and telemetry -------------------------------------------------------------
    def add_events(self, run_id: int, events: Iterable[tuple[str, str | None, str, dict[str, Any]]]) -> None:
        with self._tx():
            self.db.executemany("INSERT INTO events(run_id, ts, slot, kind, data) VALUES (?,?,?,?,?)",
                                [(run_id, ts, slot, kind, json.dumps(mask_data(data), default=str))
                                 for ts, slot, kind, data in events])

    def events(self, run_id: int, after_id: int = 0, limit: int = 10000) -> list[sqlite3.Row]:
        return self.db.execute("SELECT * FROM events WHERE run_id=? AND id>? ORDER BY id LIMIT ?",
                               (run_id, after_id, limit)).fetchall()

    def add_telemetry(self, run_id: int, slot: str, metric: str, value: float | None, ts: str | None = None) -> None:
        self.db.execute("INSERT INTO telemetry(run_id, slot, ts, metric, value) VALUES (?,?,?,?,?)",
                        (run_id, slot, ts or utc_now(), metric, value))

    def telemetry(self, run_id: int, slot: str) -> list[sqlite3.Row]:
        rows = self.db.execute("SELECT ts, metric, value FROM telemetry WHERE run_id=? AND slot=? ORDER BY ts",
                               (run_id, slot)).fetchall()
        for r in rows:
            if r["value"] is not None and not isinstance(r["value"], int | float):
                raise DamagedRow(f"run {run_id} slot {slot}", f"telemetry {r['metric']!r} at {r['ts']}",
                                 f"{str(r['value'])[:40]!r}, not a number")
        return rows

    def add_transcript(self, run_id: int, slot: str, channel: str, lines: list[tuple[str, str, str]]) -> None:
        """Lines of (ts, direction, text); what the bench typed at a password prompt is already masked by the
        caller, and every secret a unit's own output holds (its configuration) is masked here."""
        with self._tx():
            self.db.executemany("INSERT INTO transcripts(run_id, slot, channel, ts, direction, text)"
                                " VALUES (?,?,?,?,?,?)",
                                [(run_id, slot, channel, ts, d, mask_secrets(t)) for ts, d, t in lines])

    def transcript(self, run_id: int, slot: str) -> list[sqlite3.Row]:
        return self.db.execute("SELECT * FROM transcripts WHERE run_id=? AND slot=? ORDER BY rowid",
                               (run_id, slot)).fetchall()

    # --- sealed records (bench.records builds, signs and checks them) ---------------------
    def append_record(self, compose: Callable[[int, sqlite3.Row | None], dict[str, Any]],
                      before_commit: Callable[[dict[str, Any], sqlite3.Row | None], None] | None = None,
                      after_commit: Callable[[dict[str, Any]], None] | None = None) -> dict[str, Any]:
        """compose(seq, previous row) -> the new row's columns, inside one write transaction so that two
        benches sealing into one store cannot both chain onto the same previous record. `before_commit`
        runs inside that transaction (the witness is told a record is coming; raising undoes the record),
        `after_commit` once the record is in the store (the witness advances)."""
        with self._tx():
            prev = self.db.execute("SELECT * FROM records ORDER BY seq DESC LIMIT 1").fetchone()
            seq = int(prev["seq"]) + 1 if prev else 1
            row = compose(seq, prev) | {"seq": seq}
            self.db.execute("INSERT INTO records(seq, run_id, slot, serial, canonical, hash, prev_hash, signature,"
                            " key_fingerprint) VALUES (:seq, :run_id, :slot, :serial, :canonical, :hash, :prev_hash,"
                            " :signature, :key_fingerprint)", row)
            if before_commit is not None:
                before_commit(row, prev)
        if after_commit is not None:
            after_commit(row)
        return row

    def records(self) -> list[sqlite3.Row]:
        return self.db.execute("SELECT * FROM records ORDER BY seq").fetchall()

    def hash_at(self, seq: int) -> str | None:
        row = self.db.execute("SELECT hash FROM records WHERE seq=?", (seq,)).fetchone()
        return str(row["hash"]) if row else None

    def record_hash(self, run_id: int, slot: str) -> str | None:
        """The latest sealed record of this slot in this run (a regrade seals a new one)."""
        row = self.db.execute("SELECT hash FROM records WHERE run_id=? AND slot=? ORDER BY seq DESC LIMIT 1",
                              (run_id, slot)).fetchone()
        return str(row["hash"]) if row else None

    # The unit's journal: what a sealed record covers beside its results (bench.records.journal).
    JOURNAL_TABLES = {"events": "ts, kind, data", "telemetry": "ts, metric, value",
                      "transcripts": "channel, ts, direction, text"}

    def journal_rows(self, table: str, run_id: int, slot: str, upto: int | None = None) -> list[sqlite3.Row]:
        """Rows of one journal table for one unit, oldest first; `upto` keeps those sealed (rowid <= upto)."""
        cols = self.JOURNAL_TABLES[table]  # a fixed name from the mapping, never caller text
        sql = f"SELECT rowid AS rid, {cols} FROM {table} WHERE run_id=? AND slot=?"
        args: list[Any] = [run_id, slot]
        if upto is not None:
            sql += " AND rowid<=?"
            args.append(upto)
        return self.db.execute(sql + " ORDER BY rowid", args).fetchall()

    def store_id(self) -> str | None:
        """This store's own id (None for a store from before ids, or whose id row is gone)."""
        if "store_meta" not in self.tables and not self._has_table("store_meta"):
            return None
        row = self.db.execute("SELECT value FROM store_meta WHERE name='store_id'").fetchone()
        return str(row["value"]) if row else None

    def ensure_store_id(self) -> str:
        """The store's id, made on first use (a writer only); records and the witness file carry it."""
        self.db.execute("INSERT OR IGNORE INTO store_meta(name, value) VALUES ('store_id', ?)", (uuid.uuid4().hex,))
        return str(self.store_id())

    def _has_table(self, name: str) -> bool:
        return self.db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (name,)).fetchone() \
            is not None

    def missing_tables(self) -> list[str]:
        """Tables a bench store always has that this one lacks (dropped, or not a bench store)."""
        want = ("runs", "slots", "results", "records", "technician_inputs", "record_keys")
        return [t for t in want if not self._has_table(t)]

    def requests(self, run_id: int, slot: str) -> list[dict[str, Any]]:
        """Technicians' slot requests (bench.control: retest, start, skip ...) with operator and time."""
        if not self._has_table("control"):
            return []
        rows = self.db.execute("SELECT action, operator, ts FROM control WHERE run_id=? AND slot=? ORDER BY id",
                               (run_id, slot)).fetchall()
        return [{"action": r["action"], "operator": r["operator"], "ts": r["ts"]} for r in rows]

    def run_slot_ids(self, run_id: int) -> list[str]:
        return [str(r["slot"]) for r in self.db.execute("SELECT slot FROM slots WHERE run_id=? ORDER BY position",
                                                         (run_id,))]

    def runs(self) -> list[RunInfo]:
        return [self._run(r) for r in self.db.execute("SELECT * FROM runs ORDER BY id")]

    def save_public_key(self, fingerprint: str, public_pem: str) -> None:
        self.db.execute("INSERT OR IGNORE INTO record_keys(fingerprint, public_pem, added) VALUES (?,?,?)",
                        (fingerprint, public_pem, utc_now()))

    def public_keys(self) -> dict[str, str]:
        return {r["fingerprint"]: r["public_pem"] for r in self.db.execute("SELECT * FROM record_keys")}

    def finished_slots(self) -> list[sqlite3.Row]:
        """Every finished slot of every run: each should have a sealed record."""
        return self.db.execute("SELECT run_id, slot, serial FROM slots WHERE status='done'"
                               " ORDER BY run_id, position").fetchall()

    def graded_or_finished_slots(self) -> list[sqlite3.Row]:
        """Slots an export would show a grade for, or finished: each should have a sealed record."""
        return self.db.execute("SELECT run_id, slot, serial FROM slots WHERE status='done' OR grade IS NOT NULL"
                               " ORDER BY run_id, position").fetchall()

    # --- reading a run back ---------------------------------------------------------------
    def slots(self, run_id: int) -> list[sqlite3.Row]:
        return self.db.execute("SELECT * FROM slots WHERE run_id=? ORDER BY position", (run_id,)).fetchall()

    def _tx(self) -> _Transaction:
        return _Transaction(self.db)

    # --- reads for a follower (the TUI): only what changed since it last looked ----------
    def slots_named(self, run_id: int, slots: Iterable[str]) -> list[sqlite3.Row]:
        names = list(slots)
        marks = ",".join("?" * len(names))
        return self.db.execute(f"SELECT * FROM slots WHERE run_id=? AND slot IN ({marks})",
                               (run_id, *names)).fetchall() if names else []

    def outcome_counts(self, run_id: int, slots: Iterable[str] | None = None) -> dict[str, dict[str, int]]:
        """slot -> outcome -> number of results; every slot of the run when `slots` is None."""
        sql, args = "SELECT slot, outcome, COUNT(*) AS n FROM results WHERE run_id=?", [run_id]
        if slots is not None:
            names = list(slots)
            sql += f" AND slot IN ({','.join('?' * len(names))})"
            args += names
        out: dict[str, dict[str, int]] = {}
        for r in self.db.execute(sql + " GROUP BY slot, outcome", args):
            out.setdefault(r["slot"], {})[r["outcome"]] = int(r["n"])
        return out

    def latest_event_per_slot(self, run_id: int, kind: str) -> list[sqlite3.Row]:
        """The newest event of this kind for each slot (SQLite takes the bare columns from the MAX row)."""
        return self.db.execute("SELECT MAX(id) AS id, slot, data FROM events WHERE run_id=? AND kind=?"
                               " GROUP BY slot", (run_id, kind)).fetchall()

    def last_event_id(self, run_id: int) -> int:
        row = self.db.execute("SELECT MAX(id) AS id FROM events WHERE run_id=?", (run_id,)).fetchone()
        return int(row["id"] or 0)

    def slot_events(self, run_id: int, slot: str, kind: str, limit: int = 500) -> list[sqlite3.Row]:
        """The newest `limit` events of one kind for one slot, oldest first."""
        rows = self.db.execute("SELECT * FROM events WHERE run_id=? AND slot=? AND kind=? ORDER BY id DESC LIMIT ?",
                               (run_id, slot, kind, limit)).fetchall()
        return rows[::-1]

    def transcript_after(self, run_id: int, slot: str, after_rowid: int = 0, limit: int = 5000) -> list[sqlite3.Row]:
        return self.db.execute("SELECT rowid, channel, ts, direction, text FROM transcripts WHERE run_id=? AND slot=?"
                               " AND rowid>? ORDER BY rowid LIMIT ?", (run_id, slot, after_rowid, limit)).fetchall()

    def telemetry_after(self, run_id: int, slot: str, after_rowid: int = 0,
                        limit: int = 20000) -> list[sqlite3.Row]:
        return self.db.execute("SELECT rowid, ts, metric, value FROM telemetry WHERE run_id=? AND slot=? AND rowid>?"
                               " ORDER BY rowid LIMIT ?", (run_id, slot, after_rowid, limit)).fetchall()

    # --- retesting (bench.tui.retest): the sealed records keep what is cleared here -------
    def transaction(self) -> _Transaction:
        """BEGIN IMMEDIATE ... COMMIT for a caller's read-then-write that another process must not interleave."""
        return self._tx()

    def reopen_run(self, run_id: int) -> None:
        """A finished run taken up again (a retest resumes it). No transaction of its own: the caller holds one."""
        self.db.execute("UPDATE runs SET status='running', finished=NULL WHERE id=?", (run_id,))

    def reopen_slot(self, run_id: int, slot: str, tests: Iterable[str]) -> None:
        """Clear these tests' results and set the slot back to pending, ungraded, for the engine to redo them.
        No transaction of its own: the caller holds one."""
        self.db.executemany("DELETE FROM results WHERE run_id=? AND slot=? AND name=?",
                            [(run_id, slot, name) for name in tests])
        self.db.execute("UPDATE slots SET status='pending', grade=NULL, finished=NULL WHERE run_id=? AND slot=?",
                        (run_id, slot))

    def add_slot(self, run_id: int, slot: str, position: int) -> None:
        """A unit found during the run (a stack's member, bench.stack), pending. No transaction of its own."""
        self.db.execute("INSERT OR IGNORE INTO slots(run_id, slot, position) VALUES (?,?,?)", (run_id, slot, position))

    # --- the fleet outbox (bench.fleet.sender): sealed records the fleet store has not acknowledged ----
    def unsent_records(self, target: str, limit: int = 500) -> list[sqlite3.Row]:
        """Records not yet acknowledged by this fleet store, oldest first (a chain arrives in order)."""
        if not self._has_table("fleet_sent"):
            return self.db.execute("SELECT * FROM records ORDER BY seq LIMIT ?", (limit,)).fetchall()
        return self.db.execute("SELECT * FROM records r WHERE NOT EXISTS (SELECT 1 FROM fleet_sent s WHERE"
                               " s.target=? AND s.seq=r.seq AND s.hash=r.hash) ORDER BY seq LIMIT ?",
                               (target, limit)).fetchall()

    def unsent_count(self, target: str) -> int:
        if not self._has_table("fleet_sent"):
            return int(self.db.execute("SELECT count(*) FROM records").fetchone()[0])
        return int(self.db.execute("SELECT count(*) FROM records r WHERE NOT EXISTS (SELECT 1 FROM fleet_sent s"
                                   " WHERE s.target=? AND s.seq=r.seq AND s.hash=r.hash)", (target,)).fetchone()[0])

    def mark_sent(self, target: str, rows: Iterable[sqlite3.Row]) -> None:
        """The fleet store committed these records: they leave the outbox."""
        with self._tx():
            self.db.executemany("INSERT OR REPLACE INTO fleet_sent(target, seq, hash, sent) VALUES (?,?,?,?)",
                                [(target, int(r["seq"]), str(r["hash"]), utc_now()) for r in rows])

    # Queries the TUI and the reports used to write themselves: the store owns every query.
    def request_waiting(self, request_id: int) -> bool:
        """True when this technician request (bench.control) exists and no engine has taken it yet."""
        row = self.db.execute("SELECT taken FROM control WHERE id=?", (request_id,)).fetchone()
        return row is not None and row["taken"] is None

    def run_started_data(self, run_id: int, kind: str = "run_started") -> str | None:
        """The JSON payload of the run's first `run_started` event (bench.events.RUN_STARTED), if any."""
        started = self.db.execute("SELECT data FROM events WHERE run_id=? AND kind=? ORDER BY id LIMIT 1",
                                  (run_id, kind)).fetchone()
        return str(started["data"]) if started else None

    def other_runs(self, serial: str, run_id: int) -> list[int]:
        """The other runs that tested a unit with this serial, oldest first."""
        return [int(r["run_id"]) for r in self.db.execute(
            "SELECT DISTINCT run_id FROM slots WHERE serial=? AND run_id<>? ORDER BY run_id", (serial, run_id))]

    def unit_record(self, run_id: int, slot: str) -> sqlite3.Row | None:
        """The latest sealed record of this slot in this run, whole (a regrade seals a new one)."""
        row: sqlite3.Row | None = self.db.execute(
            "SELECT * FROM records WHERE run_id=? AND slot=? ORDER BY seq DESC LIMIT 1", (run_id, slot)).fetchone()
        return row


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on error (the connection runs in autocommit mode)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, *_: object) -> None:
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")


# What a store read may raise, for callers that must not import sqlite3 (the TUI: tests/test_layering.py).
StoreError = sqlite3.Error
StoreBusy = sqlite3.OperationalError  # busy or briefly unreadable: worth retrying
