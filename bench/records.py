"""Tamper-evident unit records: canonical JSON, SHA-256, chained, signed with the bench's Ed25519 key.

A record is what a reseller shows a buyer or an auditor, so it must show any later change:
- its hash covers the canonical text, and that text carries its own sequence number and the
  previous record's hash, so an edit, a removal or a reordering breaks the chain;
- the text also names the previous record's unit, so a removed record is named by its successor;
- the hash is signed with a key that never enters the store; `bench verify --key` checks against it.

Credentials never reach the store; keys that look like one are still redacted here, because a
record cannot be corrected once sealed.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from bench.errors import BadInput
from bench.model import TechnicianInputs, utc_now
from bench.store import Store

FORMAT = "bench-record/1"
DEFAULT_KEY_PATH = Path("~/.config/bench/bench-ed25519.key")
# Evidence keys whose values are never written into a record, whatever a test put there.
SECRET_KEYS = frozenset({"password", "passwd", "secret", "enable", "enable_password", "enable_secret",
                         "community", "auth_key", "priv_key", "authkey", "privkey", "token", "credentials"})
REDACTED = "[redacted]"


# --- the bench's key ---------------------------------------------------------------------------
@dataclass(frozen=True)
class BenchKey:
    private: Ed25519PrivateKey
    path: Path

    @property
    def public(self) -> Ed25519PublicKey:
        return self.private.public_key()

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public)

    @property
    def public_pem(self) -> str:
        return public_pem(self.public)

    def sign(self, digest_hex: str) -> str:
        return self.private.sign(digest_hex.encode("ascii")).hex()


def fingerprint(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def public_pem(key: Ed25519PublicKey) -> str:
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def public_key_path(key_path: Path) -> Path:
    return key_path.with_suffix(".pub")


def load_or_create_key(path: str | os.PathLike[str] | None = None) -> BenchKey:
    """The bench's signing key at `path`, else $BENCH_KEY, else ~/.config/bench/bench-ed25519.key; created on
    first use."""
    p = Path(path or os.environ.get("BENCH_KEY") or DEFAULT_KEY_PATH).expanduser()
    if not p.exists():
        _create_key(p)
    mode = p.stat().st_mode & 0o777
    if mode & 0o077:
        raise BadInput(f"key file {p} is readable by others (mode {mode:o}); run 'chmod 600 {p}'")
    try:
        private = serialization.load_pem_private_key(p.read_bytes(), password=None)
    except (ValueError, TypeError) as e:
        raise BadInput(f"key file {p} is not a PEM private key ({e}); move it away to create a new key") from e
    if not isinstance(private, Ed25519PrivateKey):
        raise BadInput(f"key file {p} holds a {type(private).__name__}, not an Ed25519 key; pass another --key")
    key = BenchKey(private, p)
    pub = public_key_path(p)
    if not pub.exists():
        pub.write_text(key.public_pem)
    return key


def _create_key(p: Path) -> None:
    try:
        p.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as e:
        raise BadInput(f"cannot create key directory {p.parent}: {e.strerror}; pass another key path") from e
    pem = Ed25519PrivateKey.generate().private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                     serialization.NoEncryption())
    # Written under a temporary name with mode 0600 from the start, then linked into place: a second bench
    # process creating the key at the same moment finds either no file or a whole one, never half a key.
    tmp = p.with_name(f".{p.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(pem)
        try:
            os.link(tmp, p)
        except FileExistsError:
            pass  # another process won the race; its key is the bench's key
    finally:
        tmp.unlink(missing_ok=True)


def load_public_key(path: str | os.PathLike[str]) -> Ed25519PublicKey:
    """The public half for `bench verify --key`: PATH may be the private key file or its .pub."""
    p = Path(path).expanduser()
    candidates = [p] if p.suffix == ".pub" else [public_key_path(p), p]
    for c in candidates:
        if not c.is_file():
            continue
        data = c.read_bytes()
        try:
            key: object = serialization.load_pem_public_key(data)
        except ValueError:
            try:
                key = serialization.load_pem_private_key(data, password=None).public_key()
            except (ValueError, TypeError):
                continue
        if isinstance(key, Ed25519PublicKey):
            return key
    raise BadInput(f"no Ed25519 key at {p} (nor {public_key_path(p).name} beside it); pass the bench's key file")


# --- building a record -------------------------------------------------------------------------
def canonical(record: dict[str, Any]) -> str:
    """Sorted keys, no whitespace, UTF-8 text as is: the same record always gives the same bytes."""
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def redact(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: REDACTED if str(k).lower() in SECRET_KEYS and v not in (None, "") else redact(v)
                for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact(v) for v in value]
    return value


def unit_record(store: Store, run_id: int, slot: str, inputs: TechnicianInputs | None = None) -> dict[str, Any]:
    """Everything the bench knows about one unit of one run, as plain data (no chain fields yet)."""
    run = store.run(run_id)
    row = store.slot_row(run_id, slot)
    if run is None or row is None:
        raise BadInput(f"no slot {slot!r} in run {run_id} of store {store.path}; nothing to seal")
    identity = json.loads(row["identity"]) if row["identity"] else {}
    components = identity.pop("components", [])
    return redact({
        "format": FORMAT,
        "bench": run.bench,
        "run_id": run_id,
        "plan": run.plan,
        "slot": slot,
        "serial": row["serial"],
        "model": row["model"],
        "profile": row["profile"],
        "identity": identity,
        "components": components,
        "tests": [r.to_dict() for r in store.results(run_id, slot).values()],
        "grade": json.loads(row["grade"]) if row["grade"] else None,
        "technician": asdict(inputs) if inputs is not None else None,
        # Every entry with its operator and time: a changed grade shows who changed what, and when.
        "technician_history": store.inputs(run_id, slot),
        "started": row["started"],
        "finished": row["finished"],
    })


def journal(store: Store, run_id: int, slot: str, upto: dict[str, Any] | None = None) -> dict[str, Any]:
    """A digest of the unit's events, telemetry and transcript rows: the record covers what the TUI, the
    certificate's charts and the transcript show, not only the results. `upto` (a record's own journal)
    limits each table to the rows that existed when that record was sealed."""
    out: dict[str, Any] = {}
    for table in store.JOURNAL_TABLES:
        last = None if upto is None else (upto.get(table) or {}).get("last")
        # A table that had no rows at sealing covers none now: rows added since are not the record's.
        rows = [] if upto is not None and last is None else store.journal_rows(table, run_id, slot, last)
        h = hashlib.sha256()
        for r in rows:
            h.update(canonical([r[k] for k in r.keys()]).encode("utf-8"))
            h.update(b"\n")
        out[table] = {"rows": len(rows), "last": rows[-1]["rid"] if rows else None, "sha256": h.hexdigest()}
    return out


def seal(store: Store, run_id: int, slot: str, key: BenchKey | str | os.PathLike[str] | None = None,
         inputs: TechnicianInputs | None = None) -> dict[str, Any]:
    """Seal the unit's record onto the store's chain; returns the stored row (seq, hash, signature ...).

    Sealing again (a resumed run, a regrade) appends a new record; the latest one is the unit's record.
    """
    bench_key = key if isinstance(key, BenchKey) else load_or_create_key(key)
    store.save_public_key(bench_key.fingerprint, bench_key.public_pem)
    body = unit_record(store, run_id, slot, inputs) | {"journal": journal(store, run_id, slot)}

    def compose(seq: int, prev: sqlite3.Row | None) -> dict[str, Any]:
        prev_hash = str(prev["hash"]) if prev else ""
        prev_unit = ({"run_id": prev["run_id"], "slot": prev["slot"], "serial": prev["serial"]} if prev else None)
        text = canonical(body | {"seq": seq, "prev_hash": prev_hash, "prev_unit": prev_unit,
                                 "key_fingerprint": bench_key.fingerprint, "sealed_at": utc_now()})
        h = digest(text)
        return {"run_id": run_id, "slot": slot, "serial": body["serial"], "canonical": text, "hash": h,
                "prev_hash": prev_hash, "signature": bench_key.sign(h), "key_fingerprint": bench_key.fingerprint}

    return store.append_record(compose)


# --- checking the chain ------------------------------------------------------------------------
@dataclass
class Finding:
    """One unit whose record does not hold, and why."""

    run_id: int | None
    slot: str
    serial: str
    what: str  # altered, removed, reordered, missing, unsigned
    detail: str

    def line(self) -> str:
        run = f"run {self.run_id} " if self.run_id is not None else ""
        return f"{run}slot {self.slot or '?'} serial {self.serial or '?'}: record {self.what}: {self.detail}"


@dataclass
class Verdict:
    checked: int
    findings: list[Finding]

    @property
    def ok(self) -> bool:
        return not self.findings


def verify(store: Store, trusted: Ed25519PublicKey | None = None) -> Verdict:
    """Check every record: its hash, its place in the chain, its signature, and that no finished unit lacks one.

    With `trusted`, only that key's signatures count (the store's own key table could have been
    rewritten along with the records); without it, the public keys recorded in the store are used.
    """
    keys = _store_keys(store) if trusted is None else {fingerprint(trusted): trusted}
    rows = store.records()
    parsed = [(row, _parse(row["canonical"])) for row in rows]
    # Where each record says it belongs: a record is judged by its own signed sequence number, so a
    # moved record is named, not the innocent neighbours whose position changed around it.
    by_seq: dict[int, sqlite3.Row] = {}
    for row, body in parsed:
        if body is not None and isinstance(body.get("seq"), int):
            by_seq.setdefault(body["seq"], row)
    findings: list[Finding] = []
    for row, body in parsed:
        findings.extend(_check_row(row, body, by_seq, keys))
    named = {(f.run_id, f.slot) for f in findings}
    findings.extend(f for f in _unsealed(store, rows) if (f.run_id, f.slot) not in named)
    findings.extend(_contradicted(store, parsed, named))
    return Verdict(len(rows), _dedupe(findings))


def _store_keys(store: Store) -> dict[str, Ed25519PublicKey]:
    keys: dict[str, Ed25519PublicKey] = {}
    for fp, pem in store.public_keys().items():
        try:
            key = serialization.load_pem_public_key(pem.encode())
        except ValueError:
            continue  # a damaged key row: records signed with it fail as unsigned, naming their units
        if isinstance(key, Ed25519PublicKey) and fingerprint(key) == fp:
            keys[fp] = key
    return keys


def _check_row(row: sqlite3.Row, body: dict[str, Any] | None, by_seq: dict[int, sqlite3.Row],
               keys: dict[str, Ed25519PublicKey]) -> list[Finding]:
    out: list[Finding] = []
    pos = int(row["seq"])
    intact = digest(row["canonical"]) == row["hash"] and body is not None
    unit = _unit(row, body, intact)

    def note(what: str, detail: str, who: tuple[int | None, str, str] = unit) -> None:
        out.append(Finding(who[0], who[1], who[2], what, detail))

    if digest(row["canonical"]) != row["hash"]:
        note("altered", f"record {pos}: its text no longer matches its hash{_claims(row, body)}")
    elif body is None:
        note("altered", f"record {pos}: its text is not a record")
    key = keys.get(row["key_fingerprint"])
    if key is None:
        note("unsigned", f"record {pos}: signed by unknown key {str(row['key_fingerprint'])[:16]}")
    elif not _signed(key, row):
        note("altered", f"record {pos}: signature does not match")
    if body is None:
        return out
    for col in ("run_id", "slot", "serial", "prev_hash", "key_fingerprint"):
        if body.get(col) != row[col]:
            note("altered", f"record {pos}: stored {col} {row[col]!r} differs from the record's own")
    seq = body.get("seq")
    if not isinstance(seq, int):
        note("altered", f"record {pos}: no sequence number")
        return out
    if seq != pos:
        note("reordered", f"record {seq} is stored at position {pos}")
    if by_seq.get(seq) is not row:
        note("altered", f"record {seq} appears twice")
    if seq == 1:
        if body.get("prev_hash") != "":
            note("altered", "record 1 claims a predecessor")
        return out
    pred = by_seq.get(seq - 1)
    gone = body.get("prev_unit") if isinstance(body.get("prev_unit"), dict) else {}
    named = (gone.get("run_id"), str(gone.get("slot", "")), str(gone.get("serial", ""))) if gone else unit
    if pred is None:
        note("removed", f"record {seq - 1} (sealed before record {seq}) is missing", named)
    elif pred["hash"] != body.get("prev_hash"):
        note("altered", f"record {seq - 1} is not the record {seq} was sealed after", named)
    return out


# What a unit's latest record restates from the live store; an export or certificate reads the store.
LIVE_FIELDS = ("serial", "model", "profile", "identity", "components", "tests", "grade")


def live_differences(store: Store, body: dict[str, Any]) -> list[str]:
    """Fields where the live store no longer says what the unit's sealed record says."""
    run_id, slot = body.get("run_id"), body.get("slot")
    if not isinstance(run_id, int) or not isinstance(slot, str):
        return list(LIVE_FIELDS)
    try:
        live = json.loads(canonical(unit_record(store, run_id, slot)))
    except BadInput:
        return ["slot"]
    return [f for f in LIVE_FIELDS if live.get(f) != body.get(f)]


def _contradicted(store: Store, parsed: list[tuple[sqlite3.Row, dict[str, Any] | None]],
                  named: set[tuple[int | None, str]]) -> list[Finding]:
    """The latest intact record of each unit against the store's live rows: results or a grade edited
    after sealing would otherwise show in every export while the chain still checks."""
    latest: dict[tuple[int, str], tuple[sqlite3.Row, dict[str, Any]]] = {}
    for row, body in parsed:
        if body is not None and digest(row["canonical"]) == row["hash"]:
            latest[(int(row["run_id"]), str(row["slot"]))] = (row, body)
    out = []
    for (run_id, slot), (row, body) in sorted(latest.items()):
        if (run_id, slot) in named:
            continue
        if store.slot_status(run_id, slot) != "done":
            continue  # under retest: its results were cleared; its latest record describes the previous pass
        differ = live_differences(store, body)
        sealed_journal = body.get("journal")
        if isinstance(sealed_journal, dict):
            now = journal(store, run_id, slot, sealed_journal)
            differ += [f"{t} log" for t in store.JOURNAL_TABLES if now[t] != sealed_journal.get(t)]
        if differ:
            out.append(Finding(run_id, slot, str(body.get("serial", "")), "contradicted",
                               f"the store's {', '.join(differ)} changed after record {row['seq']} was sealed"))
    return out


def signature_holds(store: Store, row: sqlite3.Row) -> bool:
    """The record row's signature checks with the store's own copy of the key that claims it."""
    key = _store_keys(store).get(str(row["key_fingerprint"]))
    return key is not None and _signed(key, row)


def _signed(key: Ed25519PublicKey, row: sqlite3.Row) -> bool:
    try:
        key.verify(bytes.fromhex(row["signature"]), str(row["hash"]).encode("ascii"))
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def _unsealed(store: Store, rows: list[sqlite3.Row]) -> list[Finding]:
    """A finished unit of a run that sealed records but with no record of its own: its record was removed
    (the tail of the chain has no successor to name it)."""
    sealed = {(int(r["run_id"]), str(r["slot"])) for r in rows}
    runs = {run for run, _ in sealed}
    return [Finding(int(s["run_id"]), str(s["slot"]), str(s["serial"]), "missing", "finished unit has no record")
            for s in store.finished_slots()
            if int(s["run_id"]) in runs and (int(s["run_id"]), str(s["slot"])) not in sealed]


def _parse(text: str) -> dict[str, Any] | None:
    try:
        body = json.loads(text)
    except (ValueError, TypeError):
        return None
    return body if isinstance(body, dict) else None


def _unit(row: sqlite3.Row, body: dict[str, Any] | None, intact: bool) -> tuple[int | None, str, str]:
    """Who the record is about: its signed text when that is intact (columns may have been edited),
    else the columns (the text was)."""
    if intact and body is not None:
        run = body.get("run_id")
        return (run if isinstance(run, int) else None, str(body.get("slot", "")), str(body.get("serial", "")))
    return int(row["run_id"]), str(row["slot"]), str(row["serial"])


def _claims(row: sqlite3.Row, body: dict[str, Any] | None) -> str:
    """An altered text that now names another unit: say so, so neither unit goes unnamed."""
    if body is None or (body.get("slot"), body.get("serial")) == (row["slot"], row["serial"]):
        return ""
    return f" (its text now says slot {body.get('slot')!r} serial {body.get('serial')!r})"


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple[Any, ...]] = set()
    out = []
    for f in findings:
        k = (f.run_id, f.slot, f.serial, f.what, f.detail)
        if k not in seen:
            seen.add(k)
            out.append(f)
    return out
