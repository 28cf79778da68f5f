"""Every error bench raises on purpose, in two trees that the engine treats differently.

A `BenchError` is the user's or the bench's: the CLI prints it as one line, and inside a run it stops the run
(nothing is recorded against a unit). A `UnitError` is one unit's: the engine records it as that unit's test
ERROR, with the cause named, and carries on with the other units. The two never meet, so no driver error can
stop a run and no bad input can be filed as a unit's fault.

    BenchError
    ├── BadInput              the user gave something wrong: bench file, profile, URL, option (exit 2)
    │   ├── BenchFileError
    │   ├── ProfileError
    │   └── StoreInUse        another bench process is writing to this store (bench.store_lock)
    └── BenchSideError        the bench itself failed, not the unit: the run stops, nothing is recorded on a unit
        ├── StoreFailed       the store could not be written or read (disk full, I/O error, corrupt file)
        └── Interrupted       SIGINT or SIGTERM: the run stops between steps; the same command resumes it

    UnitError                 one unit's problem: that unit's test ERROR (the bench could not finish it)
    ├── ChannelError          a channel to the unit could not be opened or was lost
    │   ├── AccessDenied      permanent: reopening cannot help, so the channel remembers it (mixed in below)
    │   ├── SshError          bench.drivers.ssh: SSH (netmiko, paramiko, legacy asyncssh)
    │   │   ├── AuthFailed    every credential set was refused (also an AccessDenied)
    │   │   ├── TelnetError   bench.drivers.telnet
    │   │   └── LocalError    bench.drivers.local: the bench host's own shell (a server tested in place)
    │   ├── ConsoleError      bench.drivers.console.transport: the serial line or console server
    │   │   └── ConsoleStuck  bench.drivers.console.machine: no enabled prompt (also an AccessDenied); .state .facts
    │   │       └── NeedRecovery  no credential worked: password recovery is the only way in
    │   ├── ScriptError       bench.drivers.testing: a scripted channel met a command its script lacks
    │   └── SnmpError         bench.drivers.snmp: timeout, agent error, broken response
    └── ParseError            bench.drivers.parsing: a template exists but the output does not fit it

    ChannelMissing            not an error of the unit: the slot has no channel of the kind a check needs
    └── UnitNotBooted         the unit never reaches its OS (ROMMON): no CLI check applies (a check's NOT_RUN)

The collectors' `Refused` (bench.platforms.cli: a command rejected by the unit or lost by the bench) is theirs
alone: a collector turns it into a problem of its facts, so it never reaches the engine and is not in the tree.
The driver classes stay defined in their driver modules and importable from there; only their roots are here.
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


class UnitError(Exception):
    """One unit's problem: recorded as that unit's ERROR with its cause; the run goes on with the others.
    Deliberately not a BenchError: the engine lets every BenchError stop the run."""


class ChannelError(UnitError):
    """A channel to the unit (SSH, telnet, console, SNMP, the local shell) could not be opened or was lost."""


class AccessDenied(ChannelError):
    """The unit will not let the bench in (every credential refused, a console stuck short of enable):
    reopening cannot help and retrying would only lock the unit out, so a channel remembers it."""


class ChannelMissing(Exception):
    """The channel a check needs is not configured for this slot (the check's NOT_RUN, not an ERROR)."""


class UnitNotBooted(ChannelMissing):
    """The unit never reaches its OS (stuck in ROMMON / the boot loader): no CLI test applies,
    and the boot failure itself is a finding (the post test reports it)."""
