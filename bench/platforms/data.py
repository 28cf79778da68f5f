"""A platform's data file (platform.yaml): what one vendor OS says, kept as data rather than code.

    name: cisco_ios                  # the registry name; also the ntc-templates platform unless `templates` says
    templates:                       # optional
      platform: cisco_ios            #   ntc-templates platform the commands parse with
      commands: {"dir flash:": dir}  #   command -> the template command, where the index names it differently
    prompts: {exec: '...', config: '...'}   # the prompt where the bench runs commands (enabled), and
                                            # configuration mode's: regexes over one line (exec required)
    refusals:                        # how the unit says it will not run a command
      patterns: ['%\\s*Invalid input', ...]   # regexes matched at the start of a line
      within_lines: 3                # optional: only the first N non-blank lines carry a refusal
    reboot: {timeout_s: 900, poll_s: 5}     # how long a reload may take, and how often to ask meanwhile
    console:                         # optional: states a console walk meets on the way to `exec` beyond
      prompts: {shell: ['...%\\s*$']}  #   Cisco IOS's (bench.drivers.console.machine), what it types there,
      answers: {shell: "cli\\r"}      #   and the commands run once at `exec`
      enable_commands: [...]

Loaded once per file and validated: a wrong file (a third party's, or a typo in ours) is one BadInput
line naming the file and the key, never a traceback in the middle of a run.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.bounded_yaml import load_file
from bench.errors import BadInput

MAX_BYTES = 64 * 1024  # a platform file is a page of patterns
_TOP_KEYS = {"name", "templates", "prompts", "refusals", "reboot", "console"}
_SCAN_CHARS = 2000  # a refusal is at the top of the answer; never scan a whole config for one


class PlatformDataError(BadInput):
    """A platform.yaml that does not hold what the contract needs."""


@dataclass(frozen=True)
class Reboot:
    timeout_s: float  # a unit not answering after this long did not come back
    poll_s: float  # pause between attempts while it boots


@dataclass(frozen=True)
class PlatformData:
    name: str
    template_platform: str
    template_commands: dict[str, str]
    prompts: dict[str, re.Pattern[str]]
    refusals: tuple[re.Pattern[str], ...]
    refusal_lines: int | None  # None: any line in the first _SCAN_CHARS characters
    reboot: Reboot
    console: dict[str, Any] = field(default_factory=dict)  # validated console walk data (prompts, answers, ...)
    source: str = field(default="", compare=False)

    def console_walk(self, profile_console: dict[str, Any]) -> dict[str, Any]:
        """A console walk's data (ConsoleProfile.from_dict) for this platform: its `exec` prompt is where the
        walk ends and commands run, `config` is left, its own console states (a Junos shell) are answered;
        the profile's `console:` section still overrides any of it."""
        exec_prompt = "(?m)" + self.prompts["exec"].pattern
        prompts: dict[str, list[str]] = {"enable": [exec_prompt]}
        if "config" in self.prompts:
            prompts["config"] = ["(?m)" + self.prompts["config"].pattern]
        prompts |= self.console.get("prompts") or {}
        prompts |= profile_console.get("prompts") or {}
        walk = {**profile_console, "prompts": prompts, "command_prompt": exec_prompt,
                "answers": {**(self.console.get("answers") or {}), **(profile_console.get("answers") or {})}}
        commands = profile_console.get("enable_commands") or self.console.get("enable_commands")
        if commands:
            walk["enable_commands"] = list(commands)
        return walk

    def template(self, command: str) -> str:
        """The template index's name for `command` (most commands are their own name)."""
        return self.template_commands.get(command, command)

    def refusal(self, text: str) -> str:
        """The unit's refusal line if `text` is one, else ''."""
        lines = [ln for ln in text[:_SCAN_CHARS].splitlines() if ln.strip()]
        for line in lines[: self.refusal_lines]:
            if any(p.match(line) for p in self.refusals):
                return line.strip()
        return ""

    def reboot_timing(self, params: dict[str, Any]) -> Reboot:
        """The data file's reboot timing, overridden by the profile's `reboot_timeout`/`reboot_poll`."""
        return Reboot(timeout_s=float(params.get("reboot_timeout", self.reboot.timeout_s)),
                      poll_s=float(params.get("reboot_poll", self.reboot.poll_s)))


def _fail(where: str, what: str) -> PlatformDataError:
    return PlatformDataError(f"platform file {where}: {what}")


def _regex(where: str, key: str, value: Any) -> re.Pattern[str]:
    if not isinstance(value, str) or not value:
        raise _fail(where, f"{key} must be a non-empty regex string")
    try:
        return re.compile(value, re.IGNORECASE)
    except re.error as exc:
        raise _fail(where, f"{key} is not a valid regex ({exc})") from None


def _number(where: str, key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise _fail(where, f"{key} must be a positive number of seconds")
    return float(value)


def _mapping(where: str, key: str, value: Any, allowed: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _fail(where, f"{key} must be a mapping")
    unknown = sorted(str(k) for k in value if k not in allowed)
    if unknown:
        raise _fail(where, f"unknown key {key}.{unknown[0]} (allowed: {', '.join(sorted(allowed))})")
    return value


def _console(where: str, raw: Any) -> dict[str, Any]:
    console = _mapping(where, "console", raw, {"prompts", "answers", "enable_commands"})
    prompts = _mapping(where, "console.prompts", console.get("prompts") or {}, set(console.get("prompts") or {}))
    for state, pats in prompts.items():
        if not isinstance(pats, list):
            raise _fail(where, f"console.prompts.{state} must be a list of regexes")
        for i, pat in enumerate(pats):
            _regex(where, f"console.prompts.{state}[{i}]", pat)
    answers = _mapping(where, "console.answers", console.get("answers") or {}, set(console.get("answers") or {}))
    if not all(isinstance(v, str) for v in answers.values()):
        raise _fail(where, "console.answers maps a state to the text typed there")
    commands = console.get("enable_commands") or []
    if not isinstance(commands, list) or not all(isinstance(c, str) for c in commands):
        raise _fail(where, "console.enable_commands must be a list of commands")
    return {"prompts": dict(prompts), "answers": dict(answers), "enable_commands": list(commands)}


def parse_data(raw: Any, where: str) -> PlatformData:
    """Validate one loaded platform file; PlatformDataError names the first thing wrong."""
    doc = _mapping(where, "the file", raw, _TOP_KEYS)
    name = doc.get("name")
    if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise _fail(where, "name must be a lower-case identifier such as cisco_ios")
    templates = _mapping(where, "templates", doc.get("templates") or {}, {"platform", "commands"})
    commands = templates.get("commands") or {}
    if not isinstance(commands, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                                  for k, v in commands.items()):
        raise _fail(where, "templates.commands maps command text to template command text")
    prompts_raw = _mapping(where, "prompts", doc.get("prompts"), {"exec", "config"})
    if "exec" not in prompts_raw:
        raise _fail(where, "prompts.exec is required (the prompt the unit shows at the command line)")
    refusals = _mapping(where, "refusals", doc.get("refusals"), {"patterns", "within_lines"})
    patterns = refusals.get("patterns")
    if not isinstance(patterns, list) or not patterns:
        raise _fail(where, "refusals.patterns must list at least one regex")
    within = refusals.get("within_lines")
    if within is not None and (isinstance(within, bool) or not isinstance(within, int) or within < 1):
        raise _fail(where, "refusals.within_lines must be a whole number of lines, 1 or more")
    reboot = _mapping(where, "reboot", doc.get("reboot"), {"timeout_s", "poll_s"})
    console = _console(where, doc.get("console") or {})
    return PlatformData(
        name=name,
        template_platform=str(templates.get("platform") or name),
        template_commands=dict(commands),
        prompts={k: _regex(where, f"prompts.{k}", v) for k, v in prompts_raw.items()},
        refusals=tuple(_regex(where, f"refusals.patterns[{i}]", p) for i, p in enumerate(patterns)),
        refusal_lines=within,
        reboot=Reboot(timeout_s=_number(where, "reboot.timeout_s", reboot.get("timeout_s")),
                      poll_s=_number(where, "reboot.poll_s", reboot.get("poll_s"))),
        console=console,
        source=where,
    )


@functools.cache
def load_data(path: Path) -> PlatformData:
    """The platform file at `path`, read and validated once per process."""
    return parse_data(load_file(path, "platform file", MAX_BYTES, PlatformDataError), str(path))


def package_data(module_file: str) -> PlatformData:
    """The platform.yaml beside a platform package's module (`package_data(__file__)`)."""
    return load_data(Path(module_file).resolve().parent / "platform.yaml")
