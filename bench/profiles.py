"""Device profiles: load, validate and identify.

A profile is data (YAML). Built-in profiles register through the same entry-point group
third-party packages use (`bench.profiles`): each entry point names a package whose
directory holds `*.yaml` profiles. A profile that does not validate is refused with its
file, the field path and what to write instead.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import yaml

from bench.errors import ProfileError

ENTRY_POINT_GROUP = "bench.profiles"
NETWORK_PLANS = {
    "quick": ["identity", "authenticity", "stolen", "post", "environment", "logs"],
}


@dataclass
class Profile:
    name: str
    description: str
    source: str
    netmiko_device_type: str
    textfsm_platform: str
    sys_object_ids: list[str]
    version_patterns: list[re.Pattern[str]]
    pid_patterns: list[re.Pattern[str]]
    test_params: dict[str, dict[str, Any]]
    plans: dict[str, list[str]]
    grading: dict[str, Any] = field(default_factory=dict)
    console: dict[str, Any] = field(default_factory=dict)  # prompts, failures, answers, recovery
    tests_module: str = "network"  # which group of built-in tests the names refer to (network, server)

    def plan(self, name: str) -> list[str]:
        if name not in self.plans:
            raise ProfileError(f"profile {self.name} has no plan {name!r}; choose one of: {', '.join(self.plans)}")
        return self.plans[name]

    def params(self, test: str) -> dict[str, Any]:
        return dict(self.test_params.get(test) or {})

    def matches(self, sys_object_id: str = "", show_version: str = "", pid: str = "") -> bool:
        if sys_object_id and any(sys_object_id == p or sys_object_id.startswith(p + ".")
                                 for p in self.sys_object_ids):
            return True
        if show_version and any(p.search(show_version) for p in self.version_patterns):
            return True
        return bool(pid and any(p.search(pid) for p in self.pid_patterns))


def _need(doc: dict[str, Any], key: str, kind: type, src: str, path: str, fix: str) -> Any:
    value = doc.get(key)
    if not isinstance(value, kind):
        got = "missing" if value is None else f"a {type(value).__name__}"
        raise ProfileError(f"{src}: field {path}{key} is {got}; {fix}")
    return value


_LETTER_KEYS = {"letter", "functional", "cosmetic", "min_cosmetic", "no_warn"}


def _check_grading(grading: dict[str, Any], src: str) -> None:
    for key in ("hardware_tests", "parts_tests", "f3_tests"):
        value = grading.get(key)
        if value is not None and (not isinstance(value, list) or not all(isinstance(v, str) for v in value)):
            raise ProfileError(f"{src}: field grading.{key} must be a list of test names")
    letters = grading.get("letters")
    if letters is None:
        return
    if not isinstance(letters, list) or not letters:
        raise ProfileError(f"{src}: field grading.letters must be a non-empty list of rules like "
                           "{letter: A, functional: [F4, F5], min_cosmetic: 5, no_warn: true}")
    for i, rule in enumerate(letters):
        where = f"grading.letters[{i}]"
        if not isinstance(rule, dict) or not isinstance(rule.get("letter"), str):
            raise ProfileError(f"{src}: field {where} needs letter (a string), e.g. {{letter: A, functional: [F4]}}")
        unknown = set(rule) - _LETTER_KEYS
        if unknown:
            raise ProfileError(f"{src}: field {where}.{sorted(unknown)[0]} is not a letter rule key; "
                               f"use {', '.join(sorted(_LETTER_KEYS))}")
        for key, pattern in (("functional", r"F[3-6]"), ("cosmetic", r"C[0-9]")):
            codes = rule.get(key)
            if codes is not None and (not isinstance(codes, list)
                                      or not all(re.fullmatch(pattern, str(c)) for c in codes)):
                raise ProfileError(f"{src}: field {where}.{key} must be a list of codes like {pattern}")
        mc = rule.get("min_cosmetic")
        if mc is not None and (not isinstance(mc, int) or not 0 <= mc <= 9):
            raise ProfileError(f"{src}: field {where}.min_cosmetic must be a number 0..9 (C5 -> 5)")


def _patterns(values: Any, src: str, path: str) -> list[re.Pattern[str]]:
    if values is None:
        return []
    if not isinstance(values, list):
        raise ProfileError(f"{src}: field {path} must be a list of regular expressions")
    out = []
    for i, v in enumerate(values):
        try:
            out.append(re.compile(str(v)))
        except re.error as e:
            raise ProfileError(f"{src}: field {path}[{i}] is not a valid regular expression ({e})") from None
    return out


def parse_profile(doc: Any, src: str, known_tests: set[str] | None = None) -> Profile:
    if not isinstance(doc, dict):
        raise ProfileError(f"{src}: a profile is a YAML mapping with name, identify, connect, tests and plans")
    name = _need(doc, "name", str, src, "", "write the family name, e.g. name: cisco_ios_switch")
    identify = doc.get("identify") or {}
    if not isinstance(identify, dict):
        raise ProfileError(f"{src}: field identify must be a mapping of sys_object_id, show_version, pid lists")
    connect = _need(doc, "connect", dict, src, "", "give connect: {netmiko_device_type: ..., textfsm_platform: ...}")
    device_type = _need(connect, "netmiko_device_type", str, src, "connect.",
                        "name a netmiko device_type such as cisco_ios")
    tests = _need(doc, "tests", dict, src, "", "map each test name to its parameters, e.g. tests: {identity: {}}")
    plans = _need(doc, "plans", dict, src, "", "give plans: {quick: [identity, ...]}")
    for test, params in tests.items():
        if params is not None and not isinstance(params, dict):
            raise ProfileError(f"{src}: field tests.{test} must be a mapping of parameters (or {{}})")
        if known_tests is not None and test not in known_tests:
            known = ", ".join(sorted(known_tests))
            raise ProfileError(f"{src}: field tests.{test} names an unknown test; known: {known}")
    for plan, steps in plans.items():
        if not isinstance(steps, list) or not steps:
            raise ProfileError(f"{src}: field plans.{plan} must be a non-empty list of test names")
        for i, step in enumerate(steps):
            if step not in tests:
                raise ProfileError(f"{src}: field plans.{plan}[{i}] names {step!r}, which is not under tests; "
                                   f"add it to tests or remove it from the plan")
    oids = identify.get("sys_object_id") or []
    if not isinstance(oids, list) or not all(re.fullmatch(r"[0-9]+(\.[0-9]+)*", str(o)) for o in oids):
        raise ProfileError(f"{src}: field identify.sys_object_id must be a list of dotted OIDs like 1.3.6.1.4.1.9.1")
    grading = doc.get("grading") or {}
    if not isinstance(grading, dict):
        raise ProfileError(f"{src}: field grading must be a mapping")
    _check_grading(grading, src)
    console = doc.get("console") or {}
    if not isinstance(console, dict):
        raise ProfileError(f"{src}: field console must be a mapping of prompts, failures, answers, recovery")
    for section in ("prompts", "failures"):
        for state, pats in (console.get(section) or {}).items():
            _patterns(pats, src, f"console.{section}.{state}")
    recovery = console.get("recovery")
    if recovery is not None and (not isinstance(recovery, dict) or not recovery.get("prompt")
                                 or not isinstance(recovery.get("steps"), list)):
        raise ProfileError(f"{src}: field console.recovery needs prompt (a regex) and steps (a list of commands)")
    return Profile(
        name=name,
        description=str(doc.get("description", "")),
        source=src,
        netmiko_device_type=device_type,
        textfsm_platform=str(connect.get("textfsm_platform") or device_type),
        sys_object_ids=[str(o) for o in oids],
        version_patterns=_patterns(identify.get("show_version"), src, "identify.show_version"),
        pid_patterns=_patterns(identify.get("pid"), src, "identify.pid"),
        test_params={str(k): dict(v or {}) for k, v in tests.items()},
        plans={str(k): [str(s) for s in v] for k, v in plans.items()},
        grading=grading,
        console=console,
        tests_module=str(doc.get("tests_module") or "network"),
    )


def load_profile_file(path: Path, known_tests: set[str] | None = None) -> Profile:
    try:
        doc = yaml.safe_load(path.read_text())
    except OSError as e:
        raise ProfileError(f"{path}: cannot read the profile ({e.strerror})") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark else ""
        raise ProfileError(f"{path}: not valid YAML{at}; fix the syntax there") from None
    return parse_profile(doc, str(path), known_tests)


def profile_dirs() -> list[Path]:
    """Directories of every package registered under the `bench.profiles` entry-point group."""
    dirs: list[Path] = []
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        module = importlib.import_module(ep.value.split(":")[0])
        if module.__file__:
            dirs.append(Path(module.__file__).parent)
    if not dirs:  # running from a source tree that was never installed
        import profiles as builtin

        dirs.append(Path(builtin.__file__ or "").parent)
    return dirs


class Catalog:
    """Every profile available on this machine, by name."""

    def __init__(self, profiles: dict[str, Profile]) -> None:
        self.profiles = profiles

    @classmethod
    def load(cls, known_tests: set[str] | None = None) -> Catalog:
        found: dict[str, Profile] = {}
        for d in profile_dirs():
            for path in sorted(d.glob("*.yaml")):
                p = load_profile_file(path, known_tests)
                found.setdefault(p.name, p)
        return cls(found)

    def get(self, name: str) -> Profile:
        if name not in self.profiles:
            raise ProfileError(f"no profile named {name!r}; available: {', '.join(sorted(self.profiles))} "
                               f"(or 'auto')")
        return self.profiles[name]

    def identify(self, sys_object_id: str = "", show_version: str = "", pid: str = "") -> Profile | None:
        """The first profile that recognises the unit; sysObjectID is the strongest evidence."""
        for key in ("sys_object_id", "show_version", "pid"):
            args = {"sys_object_id": sys_object_id, "show_version": show_version, "pid": pid}
            only = {k: (v if k == key else "") for k, v in args.items()}
            for p in self.profiles.values():
                if p.matches(**only):
                    return p
        return None
