"""The channel contract: what every driver offers the bench, and the one credential type.

A *session* is a blocking driver (netmiko, paramiko, a serial line, a child process, a script in a test);
`bench.drivers.adapter.LazyChannel` runs it in the slot's thread pool and is the async *channel* a check
sees. What a session can do beyond `send` is declared, never guessed with `hasattr`:

    DIALOG   send_expect(text, expect) and read_until(pattern): answering `[confirm]`, waiting for a reload
    STREAM   stream(command, on_line, timeout) -> exit status: a long command read line by line

Errors are the tree in bench/errors.py: each driver translates its library's exceptions in one place
(`_translate` in the driver module) into a `ChannelError`; a refusal that reopening cannot help is an
`AccessDenied` as well, so the adapter remembers it instead of hammering a locked-out unit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, Self, TypeVar

__all__ = ["DIALOG", "STREAM", "Capability", "Channel", "Credential", "Dialog", "HostSession", "Session", "Streaming",
           "first_login", "has"]

Capability = Literal["dialog", "stream"]
DIALOG: Capability = "dialog"
STREAM: Capability = "stream"


@dataclass(frozen=True)
class Credential:
    """One named login: username, password and the enable secret. The secrets never appear in its repr or
    str, so a credential that reaches a log line, a traceback or an exception message shows its name only."""

    name: str
    username: str
    password: str = field(repr=False)
    enable: str = field(default="", repr=False)

    def __str__(self) -> str:
        return f"credential set {self.name!r} (user {self.username!r})"


class Session(Protocol):
    """A blocking driver session. Calls are serialised by the adapter; `close` must be safe from any
    thread (closing the transport is how a watchdog unblocks a read stuck in another thread)."""

    platform: str
    capabilities: frozenset[Capability]

    def open(self) -> object:
        """Log in (first credential set that works); returns what the evidence keeps (its name, a walk report)."""
        ...

    def send(self, command: str, timeout: float = 30.0) -> str:
        """Run one command; its output without echo and prompt, sanitised."""
        ...

    def close(self) -> None: ...


class Dialog(Session, Protocol):
    def send_expect(self, text: str, expect: str, timeout: float = 30.0) -> str:
        """Type `text` and Enter; the output up to the first match of the regex `expect`."""
        ...

    def read_until(self, pattern: str, timeout: float = 30.0) -> str:
        """Read, typing nothing, until the regex `pattern` matches (a reload's banner, a prompt)."""
        ...


class Streaming(Session, Protocol):
    def stream(self, command: str, on_line: Callable[[str], None], timeout: float) -> int: ...


class Channel(Protocol):
    """The async face a check sees (bench.drivers.adapter.LazyChannel)."""

    kind: str  # "ssh", "telnet", "console", "local", "scripted"
    platform: str
    capabilities: frozenset[Capability]

    async def send(self, command: str, timeout: float = 30.0) -> str: ...

    async def close(self) -> None: ...


class HostSession:
    """What every session to a host:port shares: its address for messages, and `with` opening and closing it."""

    host: str
    port: int

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"

    def open(self) -> object:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        self.open()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


C = TypeVar("C")


def first_login(credentials: Iterable[Credential], connect: Callable[[Credential, list[str]], C | None],
                where: str, refused_error: Callable[[str], Exception]) -> tuple[C, Credential]:
    """Try each credential set in order. `connect` returns None when the unit refuses that set (after adding
    what was refused to the list it is given: the set's name, or "name (enable)") and raises the driver's
    error when the unit cannot be reached at all. Every set refused, or none configured: `refused_error`."""
    creds = list(credentials)
    if not creds:
        raise refused_error(f"{where}: no credential sets configured")
    refused: list[str] = []
    for cred in creds:
        got = connect(cred, refused)
        if got is not None:
            return got, cred
    raise refused_error(f"{where}: authentication failed with credential sets {', '.join(refused)}")


def has(channel: Any, capability: Capability) -> bool:
    """Whether a channel (or session) declares `capability`."""
    return capability in getattr(channel, "capabilities", frozenset())
