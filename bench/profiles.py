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

from bench.bounded_yaml import load_file
from bench.errors import ProfileError

ENTRY_POINT_GROUP = "bench.profiles"
NETWORK_PLANS = {
    "quick": ["identity", "authenticity", "stolen", "post", "environment", "logs"],
}
# The refurbishment plan's own steps (docs/refurbishment.md), names fixed by the architecture: a profile may
# declare them before the check is installed, and a plan may name one its family does not declare (that step
# is NOT_RUN with the reason, never a crash). What a family lacks, in words a result can say.
REFURB_STEPS = {"license": "licence reading", "image": "image step", "powercycle": "cold-boot test"}
# Where a family without its own `refurb` plan gets them: before the first of these steps of its `full`
# plan (the image before burn-in), the wipe staying last.
_REFURB_BEFORE = ("ports", "poe", "optics", "burnin", "sanitization", "erasure")


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
    plan_params: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)  # plan -> test -> params
    tests_module: str = "network"  # which group of built-in tests the names refer to (network, server)
    # Identification by OS family (see docs/profiles.md): what every unit of the family says.
    family: str = ""  # the OS family's name as a report shows it ("Cisco IOS")
    enterprises: list[str] = field(default_factory=list)  # sysObjectID subtrees (1.3.6.1.4.1.9)
    exclude_patterns: list[re.Pattern[str]] = field(default_factory=list)  # text that names another family
    model_patterns: list[re.Pattern[str]] = field(default_factory=list)  # group 1: the PID the unit names
    role: str = ""  # switch, router, server: the profile's share of its family
    role_patterns: list[re.Pattern[str]] = field(default_factory=list)  # image text that says this role
    default_role: bool = False  # chosen within its family when nothing the unit says names the role
    # What the first login types to learn the family: `show version` unless the CLI has its own word for it
    # (`display version` on Comware and VRP, `get system status` on FortiOS, `/system resource print` on
    # RouterOS).
    identify_commands: list[str] = field(default_factory=lambda: ["show version"])

    def plan(self, name: str) -> list[str]:
        if name not in self.plans:
            raise ProfileError(f"profile {self.name} has no plan {name!r}; choose one of: {', '.join(self.plans)}")
        return self.plans[name]

    def params(self, test: str, plan: str = "") -> dict[str, Any]:
        """The test's parameters, with what the plan sets over them (`plan_params`: a refurb's shorter burn-in)."""
        return {**(self.test_params.get(test) or {}), **((self.plan_params.get(plan) or {}).get(test) or {})}

    def undeclared(self, step: str) -> str:
        """Why a plan's step does not apply to this family ("" when the profile declares it under tests)."""
        if step in self.test_params:
            return ""
        return f"this family declares no {REFURB_STEPS.get(step, f'{step} test')} (profile {self.name})"

    def says_family(self, text: str) -> bool:
        """The text (show version, uname, sysDescr) carries this family's banner and no other's."""
        return bool(text) and any(p.search(text) for p in self.version_patterns) and not any(
            p.search(text) for p in self.exclude_patterns)

    def matches(self, sys_object_id: str = "", show_version: str = "", pid: str = "") -> bool:
        """Whether the unit belongs to this profile's family (the role within it is Catalog.identify's)."""
        oid = sys_object_id.lstrip(".")
        if oid and _under(oid, self.sys_object_ids):
            return True  # a product id the profile names itself (third-party profiles)
        if oid and self.enterprises:
            # The enterprise subtree says the vendor; the sysDescr, when there is one, says the OS family.
            return _under(oid, self.enterprises) and (not show_version or self.says_family(show_version))
        if show_version:
            return self.says_family(show_version)
        return bool(pid and any(p.search(pid) for p in self.pid_patterns))

    def model_in(self, text: str) -> str:
        """The PID the unit names in `text`, by this family's patterns; "" when it names none."""
        for p in self.model_patterns:
            m = p.search(text)
            if m and m.groups() and m.group(1):
                return m.group(1).strip()
        return ""


def _under(oid: str, roots: list[str]) -> bool:
    return any(oid == r or oid.startswith(r + ".") for r in roots)


@dataclass
class Identification:
    """Which profile a unit belongs to and why: its family's banner, then the role within the family."""

    profile: Profile | None
    model: str = ""  # the PID the unit named while being identified ("" when the text names none)
    reason: str = ""

    @property
    def family(self) -> str:
        return self.profile.family if self.profile else ""


MAX_PROFILE_BYTES = 256 << 10  # 256 KiB: the built-in profiles are 2 KiB each
PROFILE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}")
TOP_KEYS = {"name", "description", "vendor", "identify", "connect", "console", "tests", "plans", "grading",
            "tests_module", "plan_params"}
IDENTIFY_KEYS = {"sys_object_id", "show_version", "pid", "family", "enterprise", "exclude", "model", "role",
                 "role_text", "default", "commands"}
CONNECT_KEYS = {"netmiko_device_type", "textfsm_platform", "snmp_version"}
CONSOLE_KEYS = {"prompts", "failures", "answers", "recovery"}
RECOVERY_KEYS = {"prompt", "steps", "boot", "break_window"}
GRADING_KEYS = {"hardware_tests", "parts_tests", "f3_tests", "letters", "sanitization_test"}
TESTS_MODULES = ("network", "server")


def _shown(value: Any, limit: int = 60) -> str:
    """A value from the file as a message may show it: escaped, shortened, or just its kind."""
    text = repr(value) if isinstance(value, str | int | float) else f"a {type(value).__name__}"
    return text if len(text) <= limit else text[: limit - 4] + "...'"


def _need(doc: dict[str, Any], key: str, kind: type, src: str, path: str, fix: str) -> Any:
    value = doc.get(key)
    if not isinstance(value, kind):
        got = "missing" if value is None else f"a {type(value).__name__}"
        raise ProfileError(f"{src}: field {path}{key} is {got}; {fix}")
    return value


def _unknown(doc: dict[str, Any], known: set[str], src: str, path: str) -> None:
    unknown = sorted(str(k) for k in doc if k not in known)
    if unknown:
        raise ProfileError(f"{src}: field {path}{_shown(unknown[0])[1:-1]} is not a profile field; "
                           f"use {', '.join(sorted(known))}")


def _line(value: Any, src: str, path: str, fix: str, limit: int = 300) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float) or len(str(value)) > limit \
            or not str(value).isprintable():
        raise ProfileError(f"{src}: field {path} must be one line of text; {fix}")
    return str(value)


_LETTER_KEYS = {"letter", "functional", "cosmetic", "min_cosmetic", "no_warn"}


def _check_grading(grading: dict[str, Any], src: str) -> None:
    _unknown(grading, GRADING_KEYS, src, "grading.")
    for key in ("hardware_tests", "parts_tests", "f3_tests"):
        value = grading.get(key)
        if value is not None and (not isinstance(value, list) or not all(isinstance(v, str) for v in value)):
            raise ProfileError(f"{src}: field grading.{key} must be a list of test names")
    wipe = grading.get("sanitization_test")
    if wipe is not None and not (isinstance(wipe, str) and wipe or isinstance(wipe, list) and wipe
                                 and all(isinstance(w, str) and w for w in wipe)):
        raise ProfileError(f"{src}: field grading.sanitization_test must be a test name or a list of them, "
                           "e.g. [erasure, bmc_reset]")
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
        unknown = {str(k) for k in rule} - _LETTER_KEYS
        if unknown:
            raise ProfileError(f"{src}: field {where}.{_shown(sorted(unknown)[0])[1:-1]} is not a letter rule key; "
                               f"use {', '.join(sorted(_LETTER_KEYS))}")
        _line(rule["letter"], src, f"{where}.letter", "write a letter such as A", 8)
        for key, pattern in (("functional", r"F[3-6]"), ("cosmetic", r"C[0-9]")):
            codes = rule.get(key)
            if codes is not None and (not isinstance(codes, list)
                                      or not all(re.fullmatch(pattern, str(c)) for c in codes)):
                raise ProfileError(f"{src}: field {where}.{key} must be a list of codes like {pattern}")
        mc = rule.get("min_cosmetic")
        if mc is not None and (type(mc) is not int or not 0 <= mc <= 9):
            raise ProfileError(f"{src}: field {where}.min_cosmetic must be a number 0..9 (C5 -> 5)")
        if rule.get("no_warn") is not None and not isinstance(rule["no_warn"], bool):
            raise ProfileError(f"{src}: field {where}.no_warn must be true or false")


def _regex(value: Any, src: str, path: str) -> re.Pattern[str]:
    if not isinstance(value, str | int | float) or isinstance(value, bool) or len(str(value)) > 1000:
        raise ProfileError(f"{src}: field {path} must be a regular expression (a string)")
    try:
        return re.compile(str(value))
    except (re.error, RecursionError, OverflowError) as e:
        raise ProfileError(f"{src}: field {path} is not a valid regular expression ({e})") from None


def _patterns(values: Any, src: str, path: str) -> list[re.Pattern[str]]:
    if values is None:
        return []
    if not isinstance(values, list):
        raise ProfileError(f"{src}: field {path} must be a list of regular expressions")
    return [_regex(v, src, f"{path}[{i}]") for i, v in enumerate(values)]


def _check_console(console: dict[str, Any], src: str) -> None:
    _unknown(console, CONSOLE_KEYS, src, "console.")
    for section in ("prompts", "failures"):
        states = console.get(section)
        if states is None:
            continue
        if not isinstance(states, dict):
            raise ProfileError(f"{src}: field console.{section} must be a mapping of state to a list of regular "
                               f"expressions, e.g. {{enable: ['#\\s*$']}}")
        for state, pats in states.items():
            _line(state, src, f"console.{section}", "name states such as enable", 64)
            if not isinstance(pats, list):
                raise ProfileError(f"{src}: field console.{section}.{state} must be a list of regular expressions")
            _patterns(pats, src, f"console.{section}.{state}")
    answers = console.get("answers")
    if answers is not None and (not isinstance(answers, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and len(v) <= 200 for k, v in answers.items())):
        raise ProfileError(f"{src}: field console.answers must map states to the text to send, e.g. "
                           "{setup: \"no\\r\"}")
    recovery = console.get("recovery")
    if recovery is None:
        return
    if not isinstance(recovery, dict) or not recovery.get("prompt") or not isinstance(recovery.get("steps"), list):
        raise ProfileError(f"{src}: field console.recovery needs prompt (a regex) and steps (a list of commands)")
    _unknown(recovery, RECOVERY_KEYS, src, "console.recovery.")
    _regex(recovery["prompt"], src, "console.recovery.prompt")
    if not recovery["steps"] or not all(isinstance(s, str) and s.isprintable() for s in recovery["steps"]):
        raise ProfileError(f"{src}: field console.recovery.steps must be a non-empty list of commands")
    _line(recovery.get("boot"), src, "console.recovery.boot", "the boot command, e.g. boot", 200)
    window = recovery.get("break_window")
    if window is not None and (isinstance(window, bool) or not isinstance(window, int | float)
                               or not 0 < window <= 600):
        raise ProfileError(f"{src}: field console.recovery.break_window must be seconds from 0 to 600")


def _check_tests(tests: dict[str, Any], src: str, known_tests: set[str] | None) -> None:
    for test, params in tests.items():
        if not isinstance(test, str):
            raise ProfileError(f"{src}: field tests has a key {_shown(test)}; test names are strings")
        if params is not None and not isinstance(params, dict):
            raise ProfileError(f"{src}: field tests.{_shown(test)[1:-1]} must be a mapping of parameters (or {{}})")
        if known_tests is not None and test not in known_tests and test not in REFURB_STEPS:
            known = ", ".join(sorted(known_tests))
            raise ProfileError(f"{src}: field tests.{_shown(test)[1:-1]} names an unknown test; known: {known}")
        timeout = (params or {}).get("timeout")
        if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, int | float)
                                    or not 0 < timeout <= 7 * 86400):
            raise ProfileError(f"{src}: field tests.{test}.timeout must be a number of seconds above 0")


def _check_plans(plans: dict[str, Any], tests: dict[str, Any], src: str, known_tests: set[str] | None) -> None:
    if not plans:
        raise ProfileError(f"{src}: field plans is empty; give plans: {{quick: [identity, ...]}}")
    for plan, steps in plans.items():
        if not isinstance(plan, str) or not PROFILE_NAME.fullmatch(plan):
            raise ProfileError(f"{src}: field plans has a plan named {_shown(plan)}; use letters, digits and _")
        if not isinstance(steps, list) or not steps:
            raise ProfileError(f"{src}: field plans.{plan} must be a non-empty list of test names")
        for i, step in enumerate(steps):
            if not isinstance(step, str):
                raise ProfileError(f"{src}: field plans.{plan}[{i}] is {_shown(step)}; a plan step is a test name "
                                   "such as identity (parameters go under tests)")
            # A known check the family does not declare is that step's NOT_RUN; a typo is refused here.
            if step not in tests and step not in REFURB_STEPS and (known_tests is None or step not in known_tests):
                raise ProfileError(f"{src}: field plans.{plan}[{i}] names {_shown(step)}, which is not under tests; "
                                   f"add it to tests or remove it from the plan")


def parse_profile(doc: Any, src: str, known_tests: set[str] | None = None) -> Profile:
    if not isinstance(doc, dict):
        raise ProfileError(f"{src}: a profile is a YAML mapping with name, identify, connect, tests and plans")
    _unknown(doc, TOP_KEYS, src, "")
    name = _need(doc, "name", str, src, "", "write the family name, e.g. name: cisco_ios_switch")
    if not PROFILE_NAME.fullmatch(name):
        raise ProfileError(f"{src}: field name {_shown(name)} is not a profile name; use letters, digits, _ . -")
    description = _line(doc.get("description"), src, "description", "say what the family is")
    _line(doc.get("vendor"), src, "vendor", "write the vendor, e.g. cisco", 64)
    identify = doc.get("identify") or {}
    if not isinstance(identify, dict):
        raise ProfileError(f"{src}: field identify must be a mapping of sys_object_id, show_version, pid lists")
    _unknown(identify, IDENTIFY_KEYS, src, "identify.")
    connect = _need(doc, "connect", dict, src, "", "give connect: {netmiko_device_type: ..., textfsm_platform: ...}")
    _unknown(connect, CONNECT_KEYS, src, "connect.")
    device_type = _need(connect, "netmiko_device_type", str, src, "connect.",
                        "name a netmiko device_type such as cisco_ios")
    _line(device_type, src, "connect.netmiko_device_type", "name a netmiko device_type such as cisco_ios", 64)
    platform = _line(connect.get("textfsm_platform"), src, "connect.textfsm_platform",
                     "name an ntc-templates platform such as cisco_ios", 64)
    _line(connect.get("snmp_version"), src, "connect.snmp_version", "write 2c", 8)
    tests = _need(doc, "tests", dict, src, "", "map each test name to its parameters, e.g. tests: {identity: {}}")
    plans = _need(doc, "plans", dict, src, "", "give plans: {quick: [identity, ...]}")
    _check_tests(tests, src, known_tests)
    _check_plans(plans, tests, src, known_tests)
    plan_params = _check_plan_params(doc.get("plan_params"), plans, src)
    oids = _oids(identify.get("sys_object_id"), src, "identify.sys_object_id")
    enterprises = _oids(identify.get("enterprise"), src, "identify.enterprise")
    family = _line(identify.get("family"), src, "identify.family", "name the OS family, e.g. Cisco IOS", 64)
    role = _line(identify.get("role"), src, "identify.role", "write switch, router or server", 32)
    default_role = identify.get("default", False)
    if not isinstance(default_role, bool):
        raise ProfileError(f"{src}: field identify.default must be true or false")
    model_patterns = _patterns(identify.get("model"), src, "identify.model")
    for i, pat in enumerate(model_patterns):
        if pat.groups < 1:
            raise ProfileError(f"{src}: field identify.model[{i}] needs a group around the PID, e.g. "
                               "'(?m)^Model number\\s*:\\s*(\\S+)'")
    commands = _commands(identify.get("commands"), src)
    grading = doc.get("grading") or {}
    if not isinstance(grading, dict):
        raise ProfileError(f"{src}: field grading must be a mapping")
    _check_grading(grading, src)
    console = doc.get("console") or {}
    if not isinstance(console, dict):
        raise ProfileError(f"{src}: field console must be a mapping of prompts, failures, answers, recovery")
    _check_console(console, src)
    tests_module = doc.get("tests_module") or "network"
    if tests_module not in TESTS_MODULES:
        raise ProfileError(f"{src}: field tests_module {_shown(tests_module)}: use network or server")
    return Profile(
        plan_params=plan_params,
        name=name,
        description=description,
        source=src,
        netmiko_device_type=device_type,
        textfsm_platform=platform or device_type,
        sys_object_ids=[str(o) for o in oids],
        version_patterns=_patterns(identify.get("show_version"), src, "identify.show_version"),
        pid_patterns=_patterns(identify.get("pid"), src, "identify.pid"),
        test_params={str(k): dict(v or {}) for k, v in tests.items()},
        plans=_with_refurb({str(k): [str(s) for s in v] for k, v in plans.items()}),
        grading=grading,
        console=console,
        tests_module=tests_module,
        family=family or name,
        enterprises=enterprises,
        exclude_patterns=_patterns(identify.get("exclude"), src, "identify.exclude"),
        model_patterns=model_patterns,
        role=role,
        role_patterns=_patterns(identify.get("role_text"), src, "identify.role_text"),
        default_role=default_role,
        identify_commands=commands,
    )


def _check_plan_params(value: Any, plans: dict[str, Any], src: str) -> dict[str, dict[str, dict[str, Any]]]:
    """`plan_params: {refurb: {burnin: {duration: 600}}}`: parameters one plan sets over a test's own."""
    if value is None:
        return {}
    fix = "write plan_params: {refurb: {burnin: {duration: 600}}}"
    if not isinstance(value, dict):
        raise ProfileError(f"{src}: field plan_params must be a mapping of plan to test to parameters; {fix}")
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for plan, tests in value.items():
        if plan not in plans:
            raise ProfileError(f"{src}: field plan_params.{_shown(plan)[1:-1]} names no plan of this profile; "
                               f"use one of {', '.join(map(str, plans))}")
        if not isinstance(tests, dict):
            raise ProfileError(f"{src}: field plan_params.{plan} must map test names to parameters; {fix}")
        for test, params in tests.items():
            if test not in plans[plan]:
                raise ProfileError(f"{src}: field plan_params.{plan}.{_shown(test)[1:-1]} is not a step of plan "
                                   f"{plan}")
            if not isinstance(params, dict):
                raise ProfileError(f"{src}: field plan_params.{plan}.{test} must be a mapping of parameters")
        out[str(plan)] = {str(t): dict(p) for t, p in tests.items()}
    return out


def _with_refurb(plans: dict[str, list[str]]) -> dict[str, list[str]]:
    """Every profile with a `full` plan has a `refurb` plan: its own, else `full` with the refurbishment steps
    before the first port, burn-in or wipe step (a family that lacks one of them: that step is NOT_RUN)."""
    if "refurb" in plans or "full" not in plans:
        return plans
    full = plans["full"]
    at = next((i for i, step in enumerate(full) if step in _REFURB_BEFORE), len(full))
    added = [s for s in ("license", "image", "powercycle") if s not in full]
    return {**plans, "refurb": full[:at] + added + full[at:]}


def _commands(values: Any, src: str) -> list[str]:
    """identify.commands: one to four one-line commands, read-only by intent (the bench types them on an
    unknown unit's first login, so nothing that changes state: show/display/get lines, RouterOS `... print`)."""
    if values is None:
        return ["show version"]
    fix = "list one to four read-only commands that print the model and version, e.g. [display version]"
    if not isinstance(values, list) or not 1 <= len(values) <= 4:
        raise ProfileError(f"{src}: field identify.commands must be a list; {fix}")
    out = []
    for i, v in enumerate(values):
        line = _line(v, src, f"identify.commands[{i}]", fix, 80).strip()
        read_only = re.match(r"(?:show|display|get)\s", line) or re.fullmatch(r"/[\w /-]+ print", line)
        if not read_only or re.search(r"[;|]", line):
            raise ProfileError(f"{src}: field identify.commands[{i}] {_shown(line)} is not a read-only command; {fix}")
        out.append(line)
    return out


def _oids(values: Any, src: str, path: str) -> list[str]:
    values = values or []
    if not isinstance(values, list) or not all(
            isinstance(o, str | int) and re.fullmatch(r"[0-9]+(\.[0-9]+)*", str(o)) for o in values):
        raise ProfileError(f"{src}: field {path} must be a list of dotted OIDs like 1.3.6.1.4.1.9")
    return [str(o) for o in values]


def load_profile_file(path: Path, known_tests: set[str] | None = None) -> Profile:
    doc = load_file(path, "profile", MAX_PROFILE_BYTES, ProfileError)
    return parse_profile(doc, repr(str(path))[1:-1], known_tests)


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

    def identify_commands(self) -> list[str]:
        """Every command the profiles identify by, `show version` first, each once."""
        found = dict.fromkeys(["show version"])
        for p in self.profiles.values():
            found.update(dict.fromkeys(p.identify_commands))
        return list(found)

    def get(self, name: str) -> Profile:
        if name not in self.profiles:
            raise ProfileError(f"no profile named {name!r}; available: {', '.join(sorted(self.profiles))} "
                               f"(or 'auto')")
        return self.profiles[name]

    def identify(self, sys_object_id: str = "", show_version: str = "", pid: str = "",
                 sys_descr: str = "") -> Profile | None:
        """The profile of the unit's OS family and role; None when no family recognises it."""
        return self.identification(sys_object_id, show_version, pid, sys_descr).profile

    def identification(self, sys_object_id: str = "", show_version: str = "", pid: str = "",
                       sys_descr: str = "") -> Identification:
        """Family first (banner, or enterprise subtree with sysDescr), then the role within the family
        from what the unit says: its PID (model catalog, then the profiles' PID patterns), its image
        text, else the family's default profile. No list of models decides whether a unit is identified."""
        text = show_version or sys_descr
        found = [p for p in self.profiles.values() if p.matches(sys_object_id, text, pid if not text else "")]
        if not found:
            return Identification(None, reason="no OS family's banner or enterprise subtree matches")
        model = pid or next((m for p in found if (m := p.model_in(text))), "")
        chosen, why_role = (found[0], "") if len(found) == 1 else _choose_role(found, model, text)
        seen = f"sysObjectID {sys_object_id}" if sys_object_id else ("banner" if text else f"PID {pid}")
        return Identification(chosen, model, f"family {chosen.family} ({seen})" + (f"; {why_role}" if why_role else ""))


def _choose_role(found: list[Profile], model: str, text: str) -> tuple[Profile, str]:
    """Several profiles share the family (switch, router): the unit's own words decide."""
    from bench import model_catalog  # the catalog is optional knowledge, consulted only here

    known = model_catalog.lookup(model) if model else None
    if known is not None and known.role:
        for p in found:
            if p.role == known.role:
                return p, f"{model} is a {known.role} (model catalog)"
    if model:
        for p in found:
            if any(pat.search(model) for pat in p.pid_patterns):
                return p, f"PID {model} names a {p.role or p.name}"
    hits = [(p, m) for p in found if (m := next((h for pat in p.role_patterns if (h := pat.search(text))), None))]
    if len(hits) == 1:  # words for two roles at once (an odd build string) settle nothing
        p, m = hits[0]
        return p, f"{m.group(0).strip()!r} names a {p.role or p.name}"
    default = next((p for p in found if p.default_role), found[0])
    return default, f"nothing the unit said names switch or router: {default.role or default.name} by default"
