"""From whatever state a console is in to an enabled prompt, driven by the profile's prompt data.

The prompts, answers and failure texts are data (a profile's `console:` section, defaults below
for Cisco IOS); this module only walks them. Every wait has a deadline; while the unit is still
printing (a boot takes minutes at 9600 baud) the wait goes on, up to the overall deadline; a
silent line is nudged with RETURN a bounded number of times; a state seen too often (a boot loop,
a ROMMON that keeps coming back) stops the walk with the reason instead of looping.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bench.drivers.channel import Credential
from bench.errors import AccessDenied

from .expect import Expect
from .transport import ConsoleError

# Cisco IOS defaults; a profile's `console.prompts` / `console.failures` override per state.
DEFAULT_PROMPTS: dict[str, list[str]] = {
    "rommon": [r"rommon \d+ >\s*$", r"(?m)^switch:\s*$", r"(?m)^loader>\s*$"],
    "setup": [r"initial configuration dialog\?\s*\[yes/no\]:\s*$",
              r"terminate autoinstall\?\s*\[yes(/no)?\]:\s*$"],
    "press_return": [r"Press RETURN to get started"],
    "username": [r"(?:Username|login):\s*$"],
    "password": [r"Password:\s*$"],
    "more": [r"--More--\s*$", r"<--- More --->\s*$"],
    "config": [r"(?m)^[\w.\-/]{1,64}\(config[^)\n]*\)#\s*$"],
    "enable": [r"(?m)^[\w.\-/]{1,64}#\s*$"],
    "user": [r"(?m)^[\w.\-/]{1,64}>\s*$"],
}
DEFAULT_FAILURES: dict[str, list[str]] = {
    "bad_password": [r"% Bad passwords", r"% Login invalid", r"% Access denied", r"% Bad secrets",
                     r"% Authentication failed", r"Login incorrect"],
    "locked_out": [r"% Login disabled", r"blocked for \d+ seconds", r"Login attempts exceeded"],
    "post_failed": [r"POST:.*(?:FAIL|Failed)", r"POST failed"],
    # A console server refusing a second session (ser2net: "Port already in use").
    "line_busy": [r"(?i)port already in use", r"(?i)line (?:is )?busy", r"(?i)port is in use"],
    # Catalyst: "The password-recovery mechanism has been triggered, but is currently disabled."
    # Routers: "PASSWORD RECOVERY FUNCTIONALITY IS DISABLED"
    "recovery_disabled": [r"(?i)password.recovery (?:mechanism|functionality)[\s\S]{0,60}?disabled"],
}
# What the state machine types in each state (the login states are handled in code).
DEFAULT_ANSWERS: dict[str, str] = {
    "setup": "no\r",
    "press_return": "\r",
    "more": " ",
    "config": "end\r",
    "user": "enable\r",
    "rommon_boot": "boot\r",
}


@dataclass
class ConsoleProfile:
    prompts: dict[str, list[re.Pattern[str]]]
    failures: dict[str, list[re.Pattern[str]]]
    answers: dict[str, str]
    enable_commands: list[str] = field(default_factory=lambda: ["terminal length 0", "terminal width 511"])
    # Where commands run once the walk is done (the platform's exec prompt); None: `<hostname>#` (IOS).
    command_prompt: re.Pattern[str] | None = None

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> ConsoleProfile:
        d = d or {}
        prompts = {**DEFAULT_PROMPTS, **(d.get("prompts") or {})}
        failures = {**DEFAULT_FAILURES, **(d.get("failures") or {})}
        return cls(
            prompts={k: [re.compile(p) for p in v] for k, v in prompts.items()},
            failures={k: [re.compile(p) for p in v] for k, v in failures.items()},
            answers={**DEFAULT_ANSWERS, **(d.get("answers") or {})},
            enable_commands=list(d.get("enable_commands") or ["terminal length 0", "terminal width 511"]),
            command_prompt=re.compile(d["command_prompt"]) if d.get("command_prompt") else None,
        )


Login = Credential  # the channel layer's one credential type: secrets never in repr or str


class ConsoleStuck(ConsoleError, AccessDenied):
    """The console did not reach an enabled prompt; `state` names where it stopped.

    `facts` carries what could still be read there (a ROMMON prompt and its `set` variables:
    model and serial on Catalyst boot loaders), so a unit that never boots is still identified.
    """

    def __init__(self, message: str, state: str, facts: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.state = state
        self.facts = facts or {}


class NeedRecovery(ConsoleStuck):
    """No credential set worked: password recovery is the only way in."""


@dataclass
class WalkReport:
    states: list[str] = field(default_factory=list)  # every state seen, in order
    post_failures: list[str] = field(default_factory=list)
    credential_used: str = ""
    hostname: str = ""
    notes: list[str] = field(default_factory=list)


class ConsoleMachine:
    def __init__(self, expect: Expect, profile: ConsoleProfile, logins: Sequence[Login],
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.x = expect
        self.profile = profile
        self.logins = list(logins)
        self.report = WalkReport()
        self._clock = clock
        self._order = list(profile.prompts)
        self._patterns = [p for name in self._order for p in profile.prompts[name]]
        self._owner = [name for name in self._order for _ in profile.prompts[name]]
        self._fail_names = [name for name, pats in profile.failures.items() for _ in pats]
        self._fail_patterns = [p for pats in profile.failures.values() for p in pats]

    def _wait(self, deadline: float, idle: float) -> tuple[str, str]:
        """The next state (or failure) seen; ('', text) when the line stayed idle for `idle` seconds."""
        pats = self._fail_patterns + self._patterns
        while True:
            before_in = self.x.bytes_in
            m = self.x.expect(pats, timeout=min(idle, max(0.0, deadline - self._clock())))
            if m is not None:
                if m.index < len(self._fail_patterns):
                    return "!" + self._fail_names[m.index], m.before
                return self._owner[m.index - len(self._fail_patterns)], m.before
            if self._clock() >= deadline:
                return "", ""
            if self.x.bytes_in == before_in:
                return "", ""  # silent for `idle` seconds: the caller nudges
            # still printing (booting, syslog): keep reading

    def _rommon_facts(self, prompt_text: str) -> dict[str, str]:
        """The boot loader's variables (`set`), read before giving up on a unit that will not boot."""
        facts = {"prompt": prompt_text.strip().splitlines()[-1] if prompt_text.strip() else ""}
        self.x.write("set\r")
        m = self.x.expect(self.profile.prompts["rommon"], timeout=15)
        if m is not None:
            facts["set"] = m.before[: len(m.before) - len(m.match.group(0))]
        return facts

    def to_enable(self, timeout: float = 300.0, idle: float = 5.0, max_nudges: int = 6) -> WalkReport:
        deadline = self._clock() + timeout
        login_index = 0
        awaiting = ""  # what the last password prompt is for: "login" or "enable"
        nudges = 0
        seen: dict[str, int] = {}
        # Listen before typing: a unit mid-boot or at a prompt says so by itself, and a RETURN typed
        # blindly lands as an empty username or a stray command later.
        first_idle = min(idle, 1.5)
        while True:
            state, text = self._wait(deadline, first_idle if not self.report.states and nudges == 0 else idle)
            if not state:
                if self._clock() >= deadline:
                    raise ConsoleStuck(f"no enabled prompt within {timeout:g} s "
                                       f"(last states: {', '.join(self.report.states[-5:]) or 'none'})",
                                       self.report.states[-1] if self.report.states else "silent")
                nudges += 1
                if nudges > max_nudges:
                    raise ConsoleStuck(f"console silent: no output after {max_nudges} RETURNs; check the cable, "
                                       f"the console server port and the line speed", "silent")
                self.x.write("\r")
                continue
            nudges = 0
            seen[state] = seen.get(state, 0) + 1
            self.report.states.append(state)
            if state == "!post_failed":
                self.report.post_failures.append(text.strip().splitlines()[-1][:200] if text.strip() else "")
                continue
            if state == "!line_busy":
                raise ConsoleStuck("console server line is held by another session: close that session or clear "
                                   "the line on the console server (e.g. 'clear line N'), then run again", state)
            if state == "!locked_out":
                raise ConsoleStuck("login locked out by the unit after failed attempts; wait and retry, "
                                   "or recover the password", state)
            if state == "!recovery_disabled":
                raise ConsoleStuck("password recovery is disabled on this unit (no service password-recovery)",
                                   state)
            if state == "!bad_password":
                if awaiting == "enable":
                    raise NeedRecovery(f"enable secret refused for every credential set "
                                       f"({', '.join(lg.name for lg in self.logins)})", state)
                login_index += 1
                continue
            if seen[state] > 12 and state not in ("more",):
                raise ConsoleStuck(f"console keeps returning to {state}; stopping instead of looping", state)
            if state == "rommon":
                if seen[state] > 1:
                    raise ConsoleStuck("unit returns to ROMMON after boot: no bootable image "
                                       "(check flash and the boot variable)", state, self._rommon_facts(text))
                self.report.notes.append("found in ROMMON; booting")
                self.x.write(self.profile.answers["rommon_boot"])
            elif state == "username":
                if login_index >= len(self.logins):
                    raise NeedRecovery("no credential set logged in (tried "
                                       f"{', '.join(lg.name for lg in self.logins) or 'none'})", state)
                self.x.write(self.logins[login_index].username + "\r")
                awaiting = "login"
            elif state == "password":
                if awaiting == "enable":
                    if not self.logins:
                        raise NeedRecovery("enable asks for a secret and no credential set is given", state)
                    lg = self.logins[min(login_index, len(self.logins) - 1)]
                    self.x.write((lg.enable or lg.password) + "\r", secret=True)
                else:
                    if login_index >= len(self.logins):
                        raise NeedRecovery("no credential set logged in (tried "
                                           f"{', '.join(lg.name for lg in self.logins) or 'none'})", state)
                    self.x.write(self.logins[login_index].password + "\r", secret=True)
                    awaiting = "login"
            elif state == "user":
                if self.logins and login_index < len(self.logins):
                    self.report.credential_used = self.logins[login_index].name
                awaiting = "enable"
                self.x.write(self.profile.answers["user"])
            elif state == "enable":
                if self.logins and login_index < len(self.logins) and not self.report.credential_used:
                    self.report.credential_used = self.logins[login_index].name
                self.report.hostname = text.strip().splitlines()[-1].rstrip("#>").strip() if text.strip() else ""
                return self.report
            elif state in self.profile.answers:
                self.x.write(self.profile.answers[state])
