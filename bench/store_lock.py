"""One writer per store: `bench run` and `bench demo` hold an exclusive lock beside the database.

The lock is `fcntl.flock` on `DB.lock`, so the kernel drops it when the holder exits in any way
(SIGKILL included): there is never a stale lock to remove by hand. The file also says who holds
it (pid, host, since when, bench file), which is what a refused second writer prints. Readers
(grade, export, verify, report, tui) never take it: SQLite's own locking serves them.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
from pathlib import Path
from typing import IO

from bench.errors import BadInput, StoreInUse
from bench.model import utc_now


def lock_path(db_path: str) -> Path | None:
    """Where the lock of the store at `db_path` lives; None for an in-memory store (nobody else sees it)."""
    if db_path in ("", ":memory:"):
        return None
    return Path(db_path).with_name(Path(db_path).name + ".lock")


def describe(holder: dict[str, object]) -> str:
    return (f"pid {holder.get('pid', '?')} on {holder.get('host', '?')} since {holder.get('since', '?')}"
            f" (bench file {holder.get('bench_file') or '?'})")


class StoreLock:
    """Held from `acquire` until `release` (or the process ends)."""

    def __init__(self, db_path: str, bench_file: str = "") -> None:
        self.path = lock_path(db_path)
        self.db_path = db_path
        self.bench_file = bench_file
        self._file: IO[str] | None = None

    def acquire(self) -> StoreLock:
        """Take the lock now or raise StoreInUse naming the holder; never waits."""
        if self.path is None or self._file is not None:
            return self
        try:
            f = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held open for the lock's life
        except OSError as e:
            raise BadInput(f"store {self.db_path}: cannot open its lock file {self.path} ({e.strerror});"
                           " check the directory's permissions") from None
        try:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            found = _read(f)
            f.close()
            raise StoreInUse(f"store {self.db_path} is in use by another bench run: {describe(found)}; wait for it"
                             " to finish or stop it (Ctrl-C), then run again") from None
        f.seek(0)
        f.truncate()
        f.write(json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "since": utc_now(),
                            "bench_file": self.bench_file}))
        f.flush()
        self._file = f
        return self

    def release(self) -> None:
        f, self._file = self._file, None
        if f is not None:
            fcntl.flock(f.fileno(), fcntl.LOCK_UN)
            f.close()

    def __enter__(self) -> StoreLock:
        return self.acquire()

    def __exit__(self, *_exc: object) -> None:
        self.release()


def holder(db_path: str) -> dict[str, object] | None:
    """Who holds the store's lock now (pid, host, since, bench_file), else None. Takes nothing."""
    path = lock_path(db_path)
    if path is None or not path.exists():
        return None
    try:
        f = open(path, encoding="utf-8")  # noqa: SIM115
    except OSError:
        return None
    with f:
        try:
            fcntl.flock(f.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _read(f) or {"pid": "?"}
        fcntl.flock(f.fileno(), fcntl.LOCK_UN)
        return None


def _read(f: IO[str]) -> dict[str, object]:
    try:
        f.seek(0)
        found = json.loads(f.read() or "{}")
        return found if isinstance(found, dict) else {}
    except (OSError, ValueError):
        return {}
