"""Tamper-evident unit records: canonical JSON, SHA-256, chained, signed with the bench's Ed25519 key.

A record is what a reseller shows a buyer or an auditor, so it must show any later change:
- its hash covers the canonical text, and that text carries its own sequence number and the
  previous record's hash, so an edit, a removal or a reordering breaks the chain;
- the text also names the previous record's unit, so a removed record is named by its successor;
- the hash is signed with a key that never enters the store; `bench verify --key` checks against it;
- the text carries the store's own id, and each seal advances a chain-head witness kept beside the key
  (bench.witness), so a chain cut at its end, emptied or replaced by an older copy is caught too;
- the text restates the run (bench, plan, bench file, start, slots), the slot's times, the technician
  entries with operator and time, and the retest requests, which verify compares with the live rows.

Credentials never reach the store; keys that look like one are still redacted here, because a
record cannot be corrected once sealed.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from bench import witness
from bench.errors import BadInput
from bench.model import TechnicianInputs, utc_now
from bench.store import DamagedRow, Store, slot_grade, slot_identity

FORMAT = "bench-record/1"
DEFAULT_KEY_PATH = Path("~/.config/bench/bench-ed25519.key")
# Public halves of keys this bench stopped using on purpose: a chain that moves from one of them to the
# current key changed keys deliberately.
RETIRED_DIR = "retired"
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


def key_path(path: str | os.PathLike[str] | None = None) -> Path:
    """`path`, else $BENCH_KEY, else ~/.config/bench/bench-ed25519.key."""
    return Path(path or os.environ.get("BENCH_KEY") or DEFAULT_KEY_PATH).expanduser()


def load_or_create_key(path: str | os.PathLike[str] | None = None) -> BenchKey:
    """The bench's signing key at `path`, else $BENCH_KEY, else ~/.config/bench/bench-ed25519.key; created on
    first use, never in place of a key that has signed (see `_refuse_replacing`). Its witness directory
    must be writable: every seal advances it."""
    p = key_path(path)
    try:
        if not p.exists():
            _refuse_replacing(p)
            _create_key(p)
        mode = p.stat().st_mode & 0o777
        if mode & 0o077:
            raise BadInput(f"key file {p} is readable by others (mode {mode:o}); run 'chmod 600 {p}'")
        data = p.read_bytes()
    except OSError as e:
        raise BadInput(f"cannot read key file {p} ({e.strerror}); check the permissions of it and its "
                       "directory") from None
    try:
        private = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as e:
        raise BadInput(f"key file {p} is not a PEM private key ({e}); restore it from a backup") from e
    if not isinstance(private, Ed25519PrivateKey):
        raise BadInput(f"key file {p} holds a {type(private).__name__}, not an Ed25519 key; pass another --key")
    key = BenchKey(private, p)
    pub = public_key_path(p)
    try:
        if not pub.exists():
            pub.write_text(key.public_pem)
    except OSError as e:
        raise BadInput(f"cannot write the public key {pub} ({e.strerror}); check the key directory's "
                       "permissions") from None
    witness.check_writable(witness.witness_dir(p))
    return key


def _refuse_replacing(p: Path) -> None:
    """A key file that is gone is restored, or replaced on purpose; never silently, or records signed by
    a stranger's key and by the bench's would look alike."""
    pub = public_key_path(p)
    retired = retired_keys(p)
    how = (f"restore {p} from your backup; to start a new bench key deliberately, move the old public key "
           f"into {p.parent / RETIRED_DIR}/")
    if pub.exists():
        raise BadInput(f"key file {p} is missing but its public half {pub.name} is there: {how}")
    signed = witness.known_keys(witness.witness_dir(p)) - set(retired)
    if signed:
        fp = sorted(signed)[0]
        raise BadInput(f"key file {p} is missing but this bench has sealed records with key {fp[:16]} "
                       f"(see {witness.witness_dir(p)}): {how} (each store's record_keys table holds it)")


def retired_keys(private_path: Path) -> dict[str, Ed25519PublicKey]:
    """Public keys put in <key dir>/retired/ by hand: keys this bench stopped using deliberately."""
    out: dict[str, Ed25519PublicKey] = {}
    folder = private_path.parent / RETIRED_DIR
    try:
        files = sorted(folder.glob("*")) if folder.is_dir() else []
        for f in files:
            try:
                k = serialization.load_pem_public_key(f.read_bytes())
            except (ValueError, OSError):
                continue
            if isinstance(k, Ed25519PublicKey):
                out[fingerprint(k)] = k
    except OSError as e:
        raise BadInput(f"cannot read {folder} ({e.strerror}); check the key directory's permissions") from None
    return out


def local_public_key(private_path: Path) -> Ed25519PublicKey | None:
    """The bench's own public key, if this machine has it (its .pub, else the private file)."""
    try:
        return load_public_key(private_path)
    except BadInput:
        return None


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
    if not str(path).strip():
        raise BadInput("--key is empty; pass the bench's public key file (bench-ed25519.pub)")
    p = Path(path).expanduser()
    candidates = [p] if p.suffix == ".pub" else [public_key_path(p), p]
    for c in candidates:
        try:
            if not c.is_file():
                continue
            data = c.read_bytes()
        except OSError as e:
            raise BadInput(f"cannot read key file {c} ({e.strerror}); check its permissions") from None
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
    identity = slot_identity(row)
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
        "grade": slot_grade(row),
        "technician": asdict(inputs) if inputs is not None else None,
        # Every entry with its operator and time: a changed grade shows who changed what, and when.
        "technician_history": store.inputs(run_id, slot),
        "started": row["started"],
        "finished": row["finished"],
        # The run as its row says: an export names the bench and plan from there.
        "run": {"bench": run.bench, "plan": run.plan, "source": run.source, "key": run.key, "started": run.started,
                "slots": store.run_slot_ids(run_id)},
        # Retests and starts asked by technicians (bench.control): a later record shows who asked, and when.
        "requests": store.requests(run_id, slot),
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
    """Seal the unit's record onto the store's chain and advance the chain's witness; returns the stored
    row (seq, hash, signature ...).

    Sealing again (a resumed run, a regrade) appends a new record; the latest one is the unit's record.
    Refused (BadInput, nothing written) when the chain does not hold what the witness saw, when the store's
    id differs from its records', or when the chain was signed by another key that was not retired.
    """
    bench_key = key if isinstance(key, BenchKey) else load_or_create_key(key)
    store_id = store.ensure_store_id()
    store.save_public_key(bench_key.fingerprint, bench_key.public_pem)
    body = unit_record(store, run_id, slot, inputs) | {"journal": journal(store, run_id, slot)}
    wdir = witness.witness_dir(bench_key.path)

    def compose(seq: int, prev: sqlite3.Row | None) -> dict[str, Any]:
        prev_hash = str(prev["hash"]) if prev else ""
        prev_unit = ({"run_id": prev["run_id"], "slot": prev["slot"], "serial": prev["serial"]} if prev else None)
        extra: dict[str, Any] = {}
        if prev is not None:
            prev_body = _parse(str(prev["canonical"])) or {}
            if prev_body.get("store_id") not in (None, store_id):
                raise BadInput(f"store {store.path} says its id is {store_id} but its records say "
                               f"{prev_body.get('store_id')}: the store was altered; run 'bench verify'")
            old_fp = str(prev["key_fingerprint"])
            if old_fp != bench_key.fingerprint:
                if old_fp not in retired_keys(bench_key.path):
                    raise BadInput(
                        f"store {store.path} was signed by key {old_fp[:16]}, not this bench's key "
                        f"{bench_key.fingerprint[:16]} ({bench_key.path}): restore the key that signed it, or to "
                        f"change keys deliberately put that key's public half (record_keys in the store) into "
                        f"{bench_key.path.parent / RETIRED_DIR}/")
                extra["key_change"] = {"from": old_fp, "retired": True}
        text = canonical(body | extra | {"seq": seq, "prev_hash": prev_hash, "prev_unit": prev_unit,
                                         "store_id": store_id, "key_fingerprint": bench_key.fingerprint,
                                         "sealed_at": utc_now()})
        h = digest(text)
        return {"run_id": run_id, "slot": slot, "serial": body["serial"], "canonical": text, "hash": h,
                "prev_hash": prev_hash, "signature": bench_key.sign(h), "key_fingerprint": bench_key.fingerprint}

    def head(row: dict[str, Any] | sqlite3.Row) -> witness.Head:
        return witness.Head(int(row["seq"]), str(row["hash"]), int(row["run_id"]), str(row["slot"]),
                            str(row["serial"]))

    def announce(row: dict[str, Any], prev: sqlite3.Row | None) -> None:
        witness.announce(wdir, store_id, store.path, head(prev) if prev else None, head(row),
                         bench_key.fingerprint, store.hash_at)

    def confirm(row: dict[str, Any]) -> None:
        try:
            witness.confirm(wdir, store_id, store.path, head(row))
        except BadInput:
            pass  # the record is in: the witness keeps it as pending, which verify accepts

    return store.append_record(compose, announce, confirm)


# --- checking the chain ------------------------------------------------------------------------
@dataclass
class Finding:
    """One unit (or run, or the store) whose record does not hold, and why."""

    run_id: int | None
    slot: str
    serial: str
    what: str  # altered, removed, reordered, missing, unsigned, contradicted
    detail: str

    def line(self) -> str:
        if self.run_id is None and not self.slot and not self.serial:
            return f"store: record {self.what}: {self.detail}"
        run = f"run {self.run_id} " if self.run_id is not None else ""
        if not self.slot and not self.serial:
            return f"{run}: record {self.what}: {self.detail}".replace(" :", ":")
        return f"{run}slot {self.slot or '?'} serial {self.serial or '?'}: record {self.what}: {self.detail}"


@dataclass
class Verdict:
    checked: int
    findings: list[Finding]
    notes: list[str] = field(default_factory=list)  # which keys signed, what witnessed the chain

    @property
    def ok(self) -> bool:
        return not self.findings


@dataclass
class Trust:
    """The keys a verification believes, and where that belief comes from."""

    keys: dict[str, Ed25519PublicKey]
    retired: set[str]
    source: str  # "given" (--key), "bench" (this machine's key dir), "store" (the store's own table)
    witnesses: list[witness.Witness]
    where: Path


def verify(store: Store, trusted: Ed25519PublicKey | None = None,
           key: str | os.PathLike[str] | None = None) -> Verdict:
    """Check every record: its hash, its place in the chain, its signature; that the chain reaches the head
    this bench's witness saw; that every live row a grade depends on (run, slot, results, technician
    inputs, their times) still says what the unit's latest record says, whatever the slot's status; that
    no finished or graded unit lacks a record and no sealed unit lost its slot.

    With `trusted` (--key), only that key's signatures count. Without it, the bench's own keys on this
    machine count (its key and retired keys, and the keys its witness saw sign); only when this machine
    knows nothing of the store are the public keys recorded in the store itself used, and a note says so.
    """
    findings: list[Finding] = []
    notes: list[str] = []
    for table in store.missing_tables():
        findings.append(Finding(None, "", "", "removed", f"table {table} is missing from the store"))
    rows = store.records() if "records" not in store.missing_tables() else []
    parsed = [(row, _parse(row["canonical"])) for row in rows]
    trust = _trust(store, parsed, trusted, key)
    by_seq: dict[int, sqlite3.Row] = {}
    for row, body in parsed:
        if body is not None and isinstance(body.get("seq"), int):
            by_seq.setdefault(body["seq"], row)
    for row, body in parsed:
        findings.extend(_check_row(row, body, by_seq, trust.keys))
    findings.extend(_store_id_checks(store, parsed))
    findings.extend(_witness_checks(store, trust, rows, by_seq))
    k_findings, k_notes = _key_changes(parsed, trust)
    findings.extend(k_findings)
    notes.extend(k_notes)
    named = {(f.run_id, f.slot) for f in findings}
    if not {"runs", "slots", "results", "technician_inputs"} & set(store.missing_tables()):
        findings.extend(f for f in _unsealed(store, rows) if (f.run_id, f.slot) not in named)
        findings.extend(_contradicted(store, parsed, named))
    if trust.source == "store":
        notes.append(f"no key of this bench at {trust.where} knows this store: checked with the keys the store "
                     "itself holds; pass --key with the bench's key to check against it")
    if trust.witnesses:
        heads = ", ".join(f"record {h.seq}" for h in (w.furthest() for w in trust.witnesses) if h)
        notes.append(f"chain reaches the head this bench witnessed ({heads or 'none yet'})"
                     if not any(f.what in ("removed", "rewound") for f in findings) else "chain witness consulted")
    elif rows:
        notes.append(f"no chain witness for this store in {witness.witness_dir(trust.where)}: "
                     "records removed from the end of the chain cannot be ruled out here")
    return Verdict(len(rows), _dedupe(findings), notes)


def _trust(store: Store, parsed: list[tuple[sqlite3.Row, dict[str, Any] | None]],
           trusted: Ed25519PublicKey | None, key: str | os.PathLike[str] | None) -> Trust:
    where = key_path(key)
    ids = {str(b["store_id"]) for _, b in parsed if b is not None and isinstance(b.get("store_id"), str)}
    own = store.store_id()
    if own:
        ids.add(own)
    found = witness.find(witness.witness_dir(where), ids, store.path)
    retired = retired_keys(where) if trusted is None else {}
    if trusted is not None:
        return Trust({fingerprint(trusted): trusted}, set(), "given", found, where)
    local: dict[str, Ed25519PublicKey] = dict(retired)
    mine = local_public_key(where)
    if mine is not None:
        local[fingerprint(mine)] = mine
    seen = {fp for w in found for fp in w.keys}
    if not local and not found:
        return Trust(_store_keys(store), set(), "store", found, where)
    # The store's copy of a key counts only when this bench's witness saw that key sign into this store.
    keys = local | {fp: k for fp, k in _store_keys(store).items() if fp in seen}
    return Trust(keys, set(retired), "bench", found, where)


def _store_id_checks(store: Store, parsed: list[tuple[sqlite3.Row, dict[str, Any] | None]]) -> list[Finding]:
    own = store.store_id()
    out = []
    for row, body in parsed:
        if body is None or digest(row["canonical"]) != row["hash"]:
            continue
        sid = body.get("store_id")
        if sid is not None and sid != own:
            out.append(Finding(body.get("run_id"), str(body.get("slot", "")), str(body.get("serial", "")), "altered",
                               f"record {row['seq']} was sealed into store {sid}, but this store's id is now {own}"))
    return out


def _witness_checks(store: Store, trust: Trust, rows: list[sqlite3.Row],
                    by_seq: dict[int, sqlite3.Row]) -> list[Finding]:
    """The chain must reach the head this bench saw when it last sealed into this store here; a copy that
    never sealed where it is now must reach one of the heads it came from."""
    out = []
    last = max((int(r["seq"]) for r in rows), default=0)
    here = str(Path(store.path).resolve())

    def hash_at(seq: int) -> str | None:
        row = by_seq.get(seq)
        return str(row["hash"]) if row is not None else None

    for w in trust.witnesses:
        place = w.places.get(here)
        if place is not None:
            if place.reached_by(hash_at) or place.head is None:
                continue
            h = place.head
        elif not w.places or any(pl.reached_by(hash_at) for pl in w.places.values()):
            continue
        else:
            h = w.furthest()  # type: ignore[assignment]
            if h is None:
                continue
        at = by_seq.get(h.seq)
        if at is None:
            what = "no record at all" if not rows else f"its chain ends at record {last}"
            out.append(Finding(h.run_id, h.slot, h.serial, "removed",
                               f"this bench sealed record {h.seq} into this store ({w.file}) but the store has "
                               f"{what}: records were deleted, or this is an older copy"))
        else:
            out.append(Finding(h.run_id, h.slot, h.serial, "altered",
                               f"record {h.seq} is not the record this bench sealed ({w.file}): the chain was "
                               "rewritten, or this is another copy of the store"))
    return out


def _key_changes(parsed: list[tuple[sqlite3.Row, dict[str, Any] | None]],
                 trust: Trust) -> tuple[list[Finding], list[str]]:
    """Which keys signed the chain, in order; a change of key mid-chain is a finding unless the old key was
    retired deliberately (its public half in the key dir's retired/, declared in the new key's record)."""
    spans: list[list[Any]] = []  # [fingerprint, first seq, last seq]
    out: list[Finding] = []
    for row, body in sorted(parsed, key=lambda rb: int(rb[0]["seq"])):
        fp, seq = str(row["key_fingerprint"]), int(row["seq"])
        if spans and spans[-1][0] == fp:
            spans[-1][2] = seq
            continue
        if spans:
            old = spans[-1][0]
            declared = isinstance(body, dict) and isinstance(body.get("key_change"), dict) \
                and body["key_change"].get("from") == old
            deliberate = old in trust.retired or (declared and trust.source == "store")
            if not deliberate:
                who = body if isinstance(body, dict) else {}
                out.append(Finding(who.get("run_id"), str(who.get("slot", row["slot"])),
                                   str(who.get("serial", row["serial"])), "unsigned",
                                   f"the key changed at record {seq} from {old[:16]} to {fp[:16]} and the old key "
                                   "was not retired deliberately"))
        spans.append([fp, seq, seq])

    def role(fp: str) -> str:
        if fp in trust.retired:
            return "retired key of this bench"
        if fp in trust.keys:
            return {"given": "the key given", "bench": "this bench's key", "store": "key held in the store"}[
                trust.source]
        return "a key this bench does not know"

    notes = [f"records {a}-{b} signed by key {fp[:16]} ({role(fp)})" if a != b else
             f"record {a} signed by key {fp[:16]} ({role(fp)})" for fp, a, b in spans]
    return out, notes


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
IDENTITY_FIELDS = ("serial", "model", "profile", "identity", "components")
RUN_FIELDS = ("bench", "plan", "source", "key", "started")


def live_differences(store: Store, body: dict[str, Any]) -> list[str]:
    """Fields where the live store no longer says what the unit's sealed record says, allowing only what a
    resumed run or a technician's retest legitimately changes while the unit is not finished."""
    run_id, slot = body.get("run_id"), body.get("slot")
    if not isinstance(run_id, int) or not isinstance(slot, str):
        return list(LIVE_FIELDS)
    row = store.slot_row(run_id, slot)
    if row is None:
        return ["slot"]
    try:
        live = json.loads(canonical(unit_record(store, run_id, slot)))
    except DamagedRow as e:
        return [f"{e.column} (damaged: no bench wrote it)"]
    except BadInput:
        return ["slot"]
    status = str(row["status"])
    differ: list[str] = []
    if status not in ("pending", "running", "done"):
        differ.append(f"status ({status!r})")
    if live.get("started") != body.get("started"):
        differ.append("start time")
    differ += _prefix_differs(live, body, "technician_history", "technician inputs", exact=status == "done")
    differ += _prefix_differs(live, body, "requests", "retest requests", exact=False)
    sealed_requests = body.get("requests") if isinstance(body.get("requests"), list) else []
    asked_since = [r for r in (live.get("requests") or [])[len(sealed_requests):]
                   if isinstance(r, dict) and r.get("action") in ("retest", "start")]
    if status == "done":
        differ += [f for f in LIVE_FIELDS if live.get(f) != body.get(f)]
        if live.get("finished") != body.get("finished"):
            differ.append("finish time")
    elif asked_since:
        # A retest asked since sealing cleared the grade and the tests to redo (Store.reopen_slot).
        if live.get("grade") is not None:
            differ.append(f"grade (the slot is {status} for a retest, which clears it)")
        if live.get("finished") is not None:
            differ.append("finish time")
    else:
        # Interrupted or resumed after sealing: nothing sealed may change until the unit finishes again.
        if live.get("grade") != body.get("grade"):
            differ.append(f"grade (the slot is {status} with no retest asked since record {body.get('seq')})")
        if live.get("finished") != body.get("finished"):
            differ.append("finish time")
        if body.get("serial"):  # a unit sealed before its identity was read may be identified on resume
            differ += [f for f in IDENTITY_FIELDS if live.get(f) != body.get(f)]
        live_tests = {t.get("name"): t for t in live.get("tests") or [] if isinstance(t, dict)}
        gone = [t.get("name") for t in body.get("tests") or [] if isinstance(t, dict)
                and live_tests.get(t.get("name")) != t]
        if gone:
            differ.append("tests " + ", ".join(str(n) for n in gone))
    return differ


def _prefix_differs(live: dict[str, Any], body: dict[str, Any], field_name: str, label: str,
                    exact: bool) -> list[str]:
    """Entries are only ever appended: the sealed list must still open the live one (or equal it)."""
    sealed = body.get(field_name)
    if sealed is None and field_name == "requests":
        return []  # a record from before requests were sealed
    sealed = sealed if isinstance(sealed, list) else []
    now = live.get(field_name) or []
    if now[: len(sealed)] != sealed or (exact and len(now) != len(sealed)):
        return [label]
    return []


def _run_differences(store: Store, run_id: int, body: dict[str, Any]) -> list[str] | None:
    """Fields of the run row that no longer say what the record says; None when the run row is gone."""
    run = store.run(run_id)
    if run is None:
        return None
    live = {"bench": run.bench, "plan": run.plan, "source": run.source, "key": run.key, "started": run.started}
    sealed = body.get("run") if isinstance(body.get("run"), dict) else {"bench": body.get("bench"),
                                                                         "plan": body.get("plan")}
    return [f for f in RUN_FIELDS if f in sealed and sealed[f] != live[f]]


def _contradicted(store: Store, parsed: list[tuple[sqlite3.Row, dict[str, Any] | None]],
                  named: set[tuple[int | None, str]]) -> list[Finding]:
    """The latest intact record of each unit against the store's live rows, whatever the slot's status:
    a grade, result, time, technician entry, run or slot edited or removed after sealing would otherwise
    show in every export while the chain still checks."""
    latest: dict[tuple[int, str], tuple[sqlite3.Row, dict[str, Any]]] = {}
    for row, body in parsed:
        if body is not None and digest(row["canonical"]) == row["hash"] and isinstance(body.get("run_id"), int):
            latest[(int(body["run_id"]), str(body.get("slot", "")))] = (row, body)
    out: list[Finding] = []
    runs_seen: set[int] = set()
    for (run_id, slot), (row, body) in sorted(latest.items()):
        serial = str(body.get("serial", ""))
        if run_id not in runs_seen:
            runs_seen.add(run_id)
            out.extend(_run_findings(store, run_id, body, row))
        if (run_id, slot) in named:
            continue
        if store.slot_row(run_id, slot) is None:
            out.append(Finding(run_id, slot, serial, "removed",
                               f"its slot row is gone from the store (record {row['seq']} was sealed for it)"))
            continue
        differ = live_differences(store, body)
        sealed_journal = body.get("journal")
        if isinstance(sealed_journal, dict):
            now = journal(store, run_id, slot, sealed_journal)
            differ += [f"{t} log" for t in store.JOURNAL_TABLES if now[t] != sealed_journal.get(t)]
            differ += _appended_after_seal(store, run_id, slot, body, sealed_journal)
        if differ:
            out.append(Finding(run_id, slot, serial, "contradicted",
                               f"the store's {', '.join(differ)} changed after record {row['seq']} was sealed"))
    return out



# Journal tables the engine writes only while a unit is under test: a finished unit's readings and transcript
# end at its seal. (Events go on: the grade and finish events of a unit follow its seal.)
WRITTEN_UNDER_TEST = ("telemetry", "transcripts")


def _appended_after_seal(store: Store, run_id: int, slot: str, body: dict[str, Any],
                         sealed_journal: dict[str, Any]) -> list[str]:
    """Readings or transcript lines added to a finished unit after its latest record: the certificate charts
    and shows every row, so rows nothing sealed would pass as the unit's. Not while the unit is under test
    again (a resumed run, a retest asked since)."""
    row = store.slot_row(run_id, slot)
    if row is None or str(row["status"]) != "done":
        return []
    sealed_requests = body.get("requests") if isinstance(body.get("requests"), list) else []
    if any(isinstance(r, dict) and r.get("action") in ("retest", "start")
           for r in store.requests(run_id, slot)[len(sealed_requests):]):
        return []
    out = []
    for table in WRITTEN_UNDER_TEST:
        last = (sealed_journal.get(table) or {}).get("last")
        rows = store.journal_rows(table, run_id, slot)
        if any(last is None or int(r["rid"]) > int(last) for r in rows):
            out.append(f"{table} log (rows added)")
    return out

def _run_findings(store: Store, run_id: int, body: dict[str, Any], row: sqlite3.Row) -> list[Finding]:
    differ = _run_differences(store, run_id, body)
    if differ is None:
        return [Finding(run_id, "", "", "removed", f"run {run_id} is gone from the store's runs "
                                                    f"(record {row['seq']} was sealed in it)")]
    out = []
    if differ:
        out.append(Finding(run_id, "", "", "contradicted",
                           f"run {run_id}'s {', '.join(differ)} changed after record {row['seq']} was sealed"))
    sealed = body.get("run") if isinstance(body.get("run"), dict) else {}
    live_slots = set(store.run_slot_ids(run_id))
    for sid in sealed.get("slots") or []:
        if sid not in live_slots:
            out.append(Finding(run_id, str(sid), "?", "removed",
                               f"its slot row is gone from run {run_id} (the run was sealed with it)"))
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
    """A finished or graded unit with no record of its own (its record was removed, or its slot row was
    written by hand), and a run left with no slot rows at all."""
    sealed = {(int(r["run_id"]), str(r["slot"])) for r in rows}
    out = [Finding(int(s["run_id"]), str(s["slot"]), str(s["serial"]), "missing",
                   "finished or graded unit has no sealed record")
           for s in store.graded_or_finished_slots() if (int(s["run_id"]), str(s["slot"])) not in sealed]
    for run in store.runs():
        if not store.run_slot_ids(run.id):
            out.append(Finding(run.id, "", "", "removed", f"run {run.id} has no slot rows left"))
    return out


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
