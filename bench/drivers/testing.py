"""A scripted channel: the bench's MockTransport, for tests and profile authors.

A `Script` maps what is typed (an exact command, or a compiled regex) to the unit's answer, with the
prompt the unit shows after it. `script.channel()` is the real adapter (bench.drivers.adapter.LazyChannel)
over scripted sessions, so a test exercises open-on-first-use, reopen-after-drop, remembered refusals,
dialogs and streaming exactly as the engine does, with no fake of its own:

    script = Script({"show version": "Cisco IOS Software, C2960 ...",
                     re.compile(r"^reload"): Reply("Proceed with reload? [confirm]", prompt="")},
                    prompt="Switch#")
    cli = script.channel(platform="cisco_ios")
    text = await cli.send("show version")
    assert script.sent == ["show version"]

An answer is text, a `Reply` (text, prompt, exit status, or `drop` to cut the session after it), a
callable `command -> answer`, or an exception to raise (a `ChannelError` for a lost session; an
`AccessDenied` given as `refuse_login` for a unit that refuses every credential). What the unit says
unprompted (`read_until`) is scripted as the answer to the empty line.
"""

from __future__ import annotations

import asyncio
import random
import re
import threading
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import TypeAlias

from bench.drivers.adapter import LazyChannel
from bench.drivers.channel import DIALOG, Capability
from bench.errors import ChannelError

__all__ = ["Reply", "Script", "ScriptError", "ScriptedChannel", "ScriptedSession", "line_noise"]


class ScriptError(ChannelError):
    """The scripted unit met something its script does not answer (a test's missing line, or a dropped session)."""


@dataclass(frozen=True)
class Reply:
    text: str = ""
    prompt: str | None = None  # None: the script's prompt; "" for a question that waits for an answer
    status: int = 0  # the exit status a shell would report (`stream`)
    drop: bool = False  # the unit cuts the session after answering (a reload over SSH)


Answer: TypeAlias = "str | Reply | BaseException | Callable[[str], Answer]"
Matcher: TypeAlias = "str | re.Pattern[str]"


def line_noise(seed: int, alphabet: str, longest: int) -> Callable[[str], str]:
    """An answer for a unit off a pallet that spews line noise at every command: up to `longest` characters
    drawn from `alphabet` (make it hold the words a parser looks for), reproducible from `seed`."""
    rng = random.Random(seed)

    def noise(_typed: str) -> str:
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, longest)))

    return noise


class Script:
    """What a scripted unit answers, and what it was sent (shared by every session it opens)."""

    def __init__(self, answers: Mapping[Matcher, Answer] | Iterable[tuple[Matcher, Answer]] = (), *,
                 prompt: str = "Switch#", refuse_login: BaseException | None = None) -> None:
        items = answers.items() if isinstance(answers, Mapping) else answers
        self.rules: list[tuple[Matcher, Answer]] = list(items)
        self.prompt = prompt
        self.refuse_login = refuse_login
        self.sent: list[str] = []
        self.opens = 0
        self.threads: set[str] = set()  # names of the threads that served calls (the adapter's pool)
        self._lock = threading.Lock()

    def answer(self, typed: str) -> Reply:
        """The scripted reply to `typed` (first matching rule); ScriptError when none matches."""
        with self._lock:
            self.sent.append(typed)
            self.threads.add(threading.current_thread().name)
        for matcher, answer in self.rules:
            hit = typed == matcher if isinstance(matcher, str) else matcher.search(typed) is not None
            if hit:
                return self._resolve(answer, typed)
        raise ScriptError(f"scripted unit: no answer for {typed!r}")

    def _resolve(self, answer: Answer, typed: str) -> Reply:
        if isinstance(answer, BaseException):
            raise answer
        if isinstance(answer, Reply):
            return answer
        if isinstance(answer, str):
            return Reply(answer)
        return self._resolve(answer(typed), typed)

    def session(self, platform: str = "cisco_ios", capabilities: Iterable[Capability] = (DIALOG,)) -> ScriptedSession:
        return ScriptedSession(self, platform, frozenset(capabilities))

    def channel(self, *, kind: str = "scripted", platform: str = "cisco_ios",
                capabilities: Iterable[Capability] = (DIALOG,), executor: Executor | None = None,
                gate: asyncio.Semaphore | None = None) -> ScriptedChannel:
        """The engine's adapter over this script's sessions (the loop's default pool unless `executor`)."""
        return ScriptedChannel(self, kind, platform, frozenset(capabilities), executor, gate)


class ScriptedChannel(LazyChannel):
    """The engine's LazyChannel, unchanged, over a script's sessions; `sent` is what the unit was sent."""

    def __init__(self, script: Script, kind: str, platform: str, capabilities: frozenset[Capability],
                 executor: Executor | None, gate: asyncio.Semaphore | None) -> None:
        super().__init__(kind, lambda: script.session(platform, capabilities), platform,
                         executor, gate or asyncio.Semaphore(1), capabilities)
        self.script = script

    @property
    def sent(self) -> list[str]:
        return self.script.sent


class ScriptedSession:
    """One session on a scripted unit, with the blocking Session contract (bench.drivers.channel)."""

    def __init__(self, script: Script, platform: str, capabilities: frozenset[Capability]) -> None:
        self.script = script
        self.platform = platform
        self.capabilities = capabilities
        self.closed = True
        self.last_status: int | None = None

    def open(self) -> str:
        self.script.opens += 1
        if self.script.refuse_login is not None:
            raise self.script.refuse_login
        self.closed = False
        return "scripted"

    def _reply(self, typed: str) -> Reply:
        if self.closed:
            raise ScriptError("scripted unit: session is not open")
        reply = self.script.answer(typed)
        if reply.drop:
            self.closed = True
        self.last_status = reply.status
        return reply

    def send(self, command: str, timeout: float = 30.0) -> str:
        return self._reply(command).text

    def send_expect(self, text: str, expect: str, timeout: float = 30.0) -> str:
        reply = self._reply(text)
        prompt = self.script.prompt if reply.prompt is None else reply.prompt
        said = f"{text}\n{reply.text}" + (f"\n{prompt}" if prompt else "")
        m = re.search(expect, said)
        if m is None:  # a real unit would leave the bench waiting until the timeout
            raise ScriptError(f"scripted unit: no {expect!r} after {text!r} within {timeout:g}s")
        return said[: m.end()]

    def read_until(self, pattern: str, timeout: float = 30.0) -> str:
        """What the unit says unprompted (a reload's banner) is scripted as the answer to the empty line."""
        return self.send_expect("", pattern, timeout)

    def stream(self, command: str, on_line: Callable[[str], None], timeout: float) -> int:
        reply = self._reply(command)
        for line in reply.text.splitlines():
            on_line(line)
        return reply.status

    def close(self) -> None:
        self.closed = True
