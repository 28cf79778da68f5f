"""A blocking console CLI session: reach enable (recovering the password if it must), then run commands.

Thread-confined, like the SSH session: the engine runs it in its thread pool. The console is
slow (960 bytes/s at 9600 baud), so every read stops the moment the prompt arrives.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from bench.drivers.channel import DIALOG

from .expect import Expect, Transcript
from .machine import ConsoleMachine, ConsoleProfile, ConsoleStuck, Login, NeedRecovery, WalkReport
from .recovery import RecoveryPlan, recover
from .transport import ConsoleError, LineSettings, open_line

# Syslog lines a noisy console interleaves with command output (logging console).
_SYSLOG = re.compile(r"^\s*(?:\*|\.)?(?:\d+:\s+)?(?:[A-Z][a-z]{2}\s+\d+\s+\d\d:\d\d:\d\d(?:\.\d+)?(?:\s+\w{3})?:\s+)?"
                     r"%[A-Z0-9_-]+-\d-[A-Z0-9_]+:.*$")


@dataclass
class ConsoleOptions:
    url: str
    settings: LineSettings = field(default_factory=LineSettings)
    walk_timeout: float = 420.0  # from power-on through a full boot at 9600 baud
    recovery: list[RecoveryPlan] = field(default_factory=list)
    power_cycle: Callable[[], None] | None = None  # the slot's PDU outlet, when it has one


class ConsoleSession:
    """`CliChannel` over a console line (blocking; the engine wraps it for asyncio)."""

    capabilities = frozenset({DIALOG})

    def __init__(self, options: ConsoleOptions, profile: ConsoleProfile, logins: list[Login],
                 platform: str = "cisco_ios", transcript: Transcript | None = None) -> None:
        self.options = options
        self.profile = profile
        self.logins = logins
        self.platform = platform
        self.transcript = transcript or Transcript()
        self.report: WalkReport | None = None
        self._x: Expect | None = None
        self._prompt: re.Pattern[str] | None = None

    @property
    def bytes_transferred(self) -> int:
        return (self._x.bytes_in + self._x.bytes_out) if self._x else 0

    def open(self) -> WalkReport:
        port = open_line(self.options.url, self.options.settings)
        self._x = Expect(port, self.transcript)
        try:
            report = ConsoleMachine(self._x, self.profile, self.logins).to_enable(self.options.walk_timeout)
        except NeedRecovery as need:
            if not self.options.recovery:
                raise ConsoleStuck(f"{need}; no password-recovery procedure is known for this unit",
                                   need.state) from None
            recover(self._x, self.profile, self.options.recovery, self.options.power_cycle)
            report = ConsoleMachine(self._x, self.profile, []).to_enable(self.options.walk_timeout)
            report.notes.append("password recovered: the unit booted without its startup configuration")
            report.credential_used = "(recovered)"
        self.report = report
        self._learn_prompt(report.hostname)
        for command in self.profile.enable_commands:
            self.send(command, timeout=30)
        return report

    def _learn_prompt(self, hostname: str) -> None:
        name = re.escape(hostname) if hostname else r"[\w.\-/]{1,64}"
        own = self.profile.command_prompt
        if own is not None and not (hostname and own.search(f"{hostname}#")):
            self._prompt = own  # the platform's own shape (a Junos `user@host>`)
            return
        # `hostname#` exactly: a log line that merely looks like a prompt does not end a command's output.
        self._prompt = re.compile(rf"(?m)^{name}#\s*$")

    def send(self, command: str, timeout: float = 30.0) -> str:
        if self._x is None or self._prompt is None:
            raise ConsoleError("console session is not open")
        self._x.drain()
        self._x.write(command + "\r")
        more = self.profile.prompts["more"]
        chunks: list[str] = []
        deadline = time.monotonic() + timeout
        while True:
            m = self._x.expect([self._prompt, *more], timeout=max(0.0, deadline - time.monotonic()))
            if m is None:
                raise ConsoleError(f"console: no prompt after '{command}' within {timeout:g} s")
            chunks.append(m.before[: len(m.before) - len(m.match.group(0))])  # without prompt/--More--
            if m.index == 0:
                break
            self._x.write(" ")
        return self._clean(command, "".join(chunks))

    def send_expect(self, text: str, expect: str, timeout: float = 30.0) -> str:
        """Type `text` and Enter, return the output up to the first match of the regex `expect`."""
        if self._x is None:
            raise ConsoleError("console session is not open")
        self._x.drain()
        self._x.write(text + "\r")
        m = self._x.expect([re.compile(expect)], timeout=timeout)
        if m is None:
            raise ConsoleError(f"console: no {expect!r} after {text!r} within {timeout:g} s")
        if self._prompt is not None and not self._prompt.search(m.before):
            self._learn_prompt("")  # a reload or a new hostname: accept whatever prompt comes next
        return m.before

    def read_until(self, pattern: str, timeout: float = 30.0) -> str:
        """Read, typing nothing, until the regex `pattern` matches (a reload's banner, the next prompt)."""
        if self._x is None:
            raise ConsoleError("console session is not open")
        m = self._x.expect([re.compile(pattern)], timeout=timeout)
        if m is None:
            raise ConsoleError(f"console: no {pattern!r} within {timeout:g} s")
        return m.before

    def _clean(self, command: str, text: str) -> str:
        lines = text.split("\n")
        # the echo of the command (possibly after a syslog line the console printed first)
        for i, line in enumerate(lines[:3]):
            if line.strip().endswith(command.strip()):
                lines = lines[i + 1:]
                break
        if not command.strip().startswith(("show log", "sh log")):
            lines = [ln for ln in lines if not _SYSLOG.match(ln)]
        return "\n".join(lines).strip("\n")

    def close(self) -> None:
        if self._x is not None:
            try:
                self._x.port.close()
            except Exception:  # noqa: BLE001 - closing a dead line changes nothing
                pass
            self._x = None
