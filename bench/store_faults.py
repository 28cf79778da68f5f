"""A store that fails is the bench's fault, never the unit's: its errors become StoreFailed.

The engine reaches its store through `GuardedStore`, so a full disk, an I/O error or a corrupt
file raised by any store call (SQLite's sqlite3.Error, the OS's OSError) stops the run with one
line that says what to do, instead of being caught as a unit's ERROR and sealed into its grade.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from bench.errors import StoreFailed
from bench.store import Store


def explain(path: str, e: BaseException) -> StoreFailed:
    text = " ".join(str(e).split())[:200] or type(e).__name__
    if (isinstance(e, sqlite3.Error) and "full" in text) or (isinstance(e, OSError) and e.errno == 28):
        todo = "free space on its disk"
    elif "locked" in text or "busy" in text:
        todo = "close whatever holds it open for writing"
    else:
        todo = "check the disk and the file (bench verify --db ...)"
    return StoreFailed(f"store {path} failed ({type(e).__name__}: {text}); nothing was recorded on the unit under"
                       f" test; {todo}, then run the same command to resume")


@contextmanager
def store_errors(path: str) -> Iterator[None]:
    try:
        yield
    except (sqlite3.Error, OSError) as e:
        raise explain(path, e) from e


class GuardedStore:
    """The Store's methods, each raising StoreFailed instead of sqlite3.Error or OSError."""

    def __init__(self, store: Store) -> None:
        self.raw = store

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self.raw, name)
        if not callable(attr):
            return attr

        @functools.wraps(attr)
        def call(*args: Any, **kwargs: Any) -> Any:
            with store_errors(self.raw.path):
                return attr(*args, **kwargs)

        return call
