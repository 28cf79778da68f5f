"""Exceptions the CLI turns into one-line messages.

    BenchError
    ├── BadInput          the user gave something wrong: bench file, profile, URL, option (exit 2)
    │   ├── BenchFileError
    │   ├── ProfileError
    │   └── StoreInUse    another bench process is writing to this store (bench.store_lock)
    └── BenchSideError    the bench itself failed, not the unit: the run stops, nothing is recorded on a unit
        ├── StoreFailed   the store could not be written or read (disk full, I/O error, corrupt file)
        └── Interrupted   SIGINT or SIGTERM: the run stops between steps; the same command resumes it
"""


class BenchError(Exception):
    """Base of every error bench raises on purpose."""


class BadInput(BenchError):
    """Something the user supplied is wrong; the message says what and how to fix it."""


class BenchFileError(BadInput):
    pass


class ProfileError(BadInput):
    pass


class StoreInUse(BadInput):
    """The store is locked by another writer: one `bench run` per store (exit 2, like any input to change)."""


class BenchSideError(BenchError):
    """A fault of the bench (store, disk, key, interruption): never a unit's result, never sealed.
    The run stops; its unfinished tests are redone when the same command resumes it."""


class StoreFailed(BenchSideError):
    pass


class Interrupted(BenchSideError):
    def __init__(self, signal_name: str) -> None:
        super().__init__(f"interrupted by {signal_name}")
        self.signal_name = signal_name
