"""The chain-head witness: what a store's record chain looked like when this bench last sealed into it.

Records are chained and signed, but a chain cut at its end, emptied, or replaced by an older copy still
checks on its own. So each seal also writes the new head (sequence number, hash, the unit it sealed,
the keys that have signed) to `<key dir>/witness/<store id>.json`, beside the bench's key where a
hand that can edit the store cannot reach. `bench verify` then refuses a store whose chain does not
reach the head its witness saw.

Heads are kept per place the store lives (its resolved path): a copy of a store that seals on its own
(a backup put to use, a test's copy) gets its own head and leaves the original's alone. A copy that has
never sealed is held to the heads it came from: it must reach one of them.

A seal writes twice: inside the store's write transaction the witness is told the record is coming
(`pending`), and after the commit the head advances. A crash in between leaves a witness that accepts
either outcome; the store's own write lock orders two processes sealing into one store, and a file
lock orders the writes to one witness file.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench.errors import BadInput
from bench.model import utc_now

DIR_NAME = "witness"


@dataclass
class Head:
    """One record of the chain, as the witness remembers it: enough to name its unit."""

    seq: int
    hash: str
    run_id: int | None = None
    slot: str = ""
    serial: str = ""

    def unit(self) -> str:
        return f"run {self.run_id} slot {self.slot or '?'} serial {self.serial or '?'}"


@dataclass
class Place:
    """The chain's head in one copy of the store: committed, and the record being sealed (if any)."""

    head: Head | None
    pending: Head | None = None

    def reached_by(self, hash_at: Callable[[int], str | None]) -> bool:
        """The chain holds this head (or the record that was being sealed when a crash came)."""
        if self.head is None:
            return True
        if hash_at(self.head.seq) == self.head.hash:
            return True
        return self.pending is not None and hash_at(self.pending.seq) == self.pending.hash


@dataclass
class Witness:
    store_id: str
    places: dict[str, Place] = field(default_factory=dict)  # resolved store path -> its head
    keys: list[str] = field(default_factory=list)  # fingerprints that have signed into this store, in order
    file: Path | None = None

    def to_json(self) -> str:
        data: dict[str, Any] = {
            "store_id": self.store_id, "keys": self.keys, "updated": utc_now(),
            "places": {p: {"head": asdict(pl.head) if pl.head else None,
                           "pending": asdict(pl.pending) if pl.pending else None} for p, pl in self.places.items()}}
        return json.dumps(data, indent=1, sort_keys=True)

    def furthest(self) -> Head | None:
        heads = [pl.head for pl in self.places.values() if pl.head is not None]
        return max(heads, key=lambda h: h.seq) if heads else None


def witness_dir(key_path: Path) -> Path:
    return key_path.expanduser().parent / DIR_NAME


def _file(directory: Path, store_id: str) -> Path:
    safe = "".join(c for c in store_id if c.isalnum() or c in "-_") or "unnamed"
    return directory / f"{safe}.json"


def _head(data: object) -> Head | None:
    if not isinstance(data, dict) or not isinstance(data.get("seq"), int) or not isinstance(data.get("hash"), str):
        return None
    run = data.get("run_id")
    return Head(int(data["seq"]), str(data["hash"]), run if isinstance(run, int) else None,
                str(data.get("slot", "")), str(data.get("serial", "")))


def _load(path: Path) -> Witness | None:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as e:
        raise BadInput(f"cannot read the chain witness {path} ({e.strerror}); check the key directory's "
                       "permissions") from None
    try:
        data = json.loads(text)
    except ValueError:
        raise BadInput(f"the chain witness {path} is damaged (not JSON); restore it from a backup of the key "
                       "directory") from None
    if not isinstance(data, dict) or not isinstance(data.get("store_id"), str):
        raise BadInput(f"the chain witness {path} is damaged (no store id); restore it from a backup of the key "
                       "directory")
    keys = [str(k) for k in data.get("keys") or [] if isinstance(k, str)]
    places = {str(p): Place(_head(v.get("head")), _head(v.get("pending")))
              for p, v in (data.get("places") or {}).items() if isinstance(v, dict)}
    return Witness(data["store_id"], places, keys, path)


def find(directory: Path, store_ids: set[str], store_path: str) -> list[Witness]:
    """The witnesses of this store: by its id (the id row and every record's own), else by its path."""
    if not directory.is_dir():
        return []
    found = [w for w in (_load(_file(directory, sid)) for sid in sorted(store_ids)) if w is not None]
    if found:
        return found
    here = str(Path(store_path).resolve())
    try:
        names = sorted(directory.glob("*.json"))
    except OSError as e:
        raise BadInput(f"cannot list the chain witnesses in {directory} ({e.strerror}); check its permissions") \
            from None
    return [w for w in (_load(p) for p in names) if w is not None and here in w.places]


def known_keys(directory: Path) -> set[str]:
    """Every key fingerprint that some witness in this directory saw sign."""
    out: set[str] = set()
    if directory.is_dir():
        for p in directory.glob("*.json"):
            w = _load(p)
            if w is not None:
                out.update(w.keys)
    return out


@contextmanager
def _locked(directory: Path, store_id: str) -> Iterator[None]:
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(_file(directory, store_id).with_suffix(".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as e:
        raise BadInput(f"cannot write the chain witness in {directory} ({e.strerror}); the bench needs its key "
                       "directory writable to seal records") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _write(w: Witness, directory: Path) -> None:
    path = _file(directory, w.store_id)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(w.to_json())
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)  # a reader finds the old head or the new one, never half a file
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise BadInput(f"cannot write the chain witness {path} ({e.strerror}); the bench needs its key directory "
                       "writable to seal records") from None


def announce(directory: Path, store_id: str, store_path: str, prev: Head | None, new: Head, key_fp: str,
             hash_at: Callable[[int], str | None]) -> None:
    """Inside the store's write transaction, before the new record commits: refuse to seal onto a chain
    that does not hold the head this bench last saw here (records removed, an older copy put in its
    place), or, for a copy sealing for the first time, none of the heads it came from; then note the
    record as pending."""
    here = str(Path(store_path).resolve())
    with _locked(directory, store_id):
        w = _load(_file(directory, store_id)) or Witness(store_id)
        place = w.places.get(here)
        if place is not None and place.head is not None and not place.reached_by(hash_at):
            h = place.head
            raise BadInput(f"store {store_path} does not hold record {h.seq} that this bench sealed into it "
                           f"({h.unit()}): records were removed or an older copy was put in its place; run "
                           "'bench verify'")
        if place is None and w.places and not any(pl.reached_by(hash_at) for pl in w.places.values()):
            h = w.furthest()
            raise BadInput(f"store {store_path} holds none of the records this bench last sealed into it "
                           f"({h.unit() if h else '?'}, record {h.seq if h else '?'}): records were removed or "
                           "this is an older copy; run 'bench verify'")
        if key_fp not in w.keys:
            w.keys.append(key_fp)
        w.places[here] = Place(prev if prev else (place.head if place else None), new)
        _write(w, directory)


def confirm(directory: Path, store_id: str, store_path: str, new: Head) -> None:
    """After the commit: this copy's head advances (never backwards: another process may have sealed since)."""
    here = str(Path(store_path).resolve())
    with _locked(directory, store_id):
        w = _load(_file(directory, store_id)) or Witness(store_id)
        place = w.places.get(here)
        if place is not None and place.head is not None and place.head.seq >= new.seq:
            return
        w.places[here] = Place(new, None)
        _write(w, directory)


def check_writable(directory: Path) -> None:
    """Before a run connects to anything: sealing will need to write here."""
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as e:
        raise BadInput(f"cannot create the chain witness directory {directory} ({e.strerror}); the bench needs "
                       "its key directory writable to seal records") from None
    if not os.access(directory, os.W_OK | os.X_OK):
        raise BadInput(f"the chain witness directory {directory} is not writable; the bench needs it to seal "
                       "records (chmod u+w it)")
