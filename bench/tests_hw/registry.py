"""Test name -> `async run(ctx) -> TestResult`.

Built-in tests go through the same entry-point loading as third-party ones (group `bench.tests`,
e.g. `[project.entry-points."bench.tests"] mytest = "mypkg.tests:run"`). Each registry is its own
instance, so tests and embedders never share mutable class-level state.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from importlib.metadata import EntryPoint, entry_points

from bench.tests_hw.base import TestFunction
from bench.tests_hw.server import SERVER_TESTS

__all__ = ["ENTRY_POINT_GROUP", "NETWORK", "SERVER", "TestRegistry", "default_registry", "get_test", "known_tests",
           "test_names"]

ENTRY_POINT_GROUP = "bench.tests"
# Servers reuse result names (identity, burnin) with other tests behind them: a profile picks its
# group with `tests_module: server`; plugins for servers register under "bench.tests.server".
SERVER = "server"
NETWORK = "network"

_BUILTINS = {
    "identity": "bench.tests_hw.identity:run",
    "authenticity": "bench.tests_hw.authenticity:run",
    "stolen": "bench.tests_hw.stolen:run",
    "post": "bench.tests_hw.post:run",
    "environment": "bench.tests_hw.environment:run",
    "logs": "bench.tests_hw.logs:run",
    "ports": "bench.tests_hw.ports:run",
    "poe": "bench.tests_hw.poe:run",
    "optics": "bench.tests_hw.optics:run",
    "burnin": "bench.tests_hw.burnin:run",
    "sanitization": "bench.tests_hw.sanitization:run",
    "image": "bench.tests_hw.image:run",
    # refurbishment (refurb-steps)
    "license": "bench.tests_hw.license:run",
    "powercycle": "bench.tests_hw.powercycle:run",
}


def _group_name(group: str) -> str:
    return ENTRY_POINT_GROUP if group == NETWORK else f"{ENTRY_POINT_GROUP}.{group}"


def builtin_entry_points(group: str = NETWORK) -> list[EntryPoint]:
    tests = {NETWORK: _BUILTINS, SERVER: SERVER_TESTS}.get(group, {})
    return [EntryPoint(name=n, value=v, group=_group_name(group)) for n, v in tests.items()]


class TestRegistry:
    __test__ = False  # not a pytest class

    def __init__(self) -> None:
        self._tests: dict[str, TestFunction] = {}
        self._origin: dict[str, str] = {}
        # name -> why it was refused; a broken plugin must not take the bench down.
        self.errors: dict[str, str] = {}

    def register(self, name: str, fn: object, origin: str = "") -> None:
        """Add a test, checking its shape now rather than at run time."""
        if not callable(fn) or not inspect.iscoroutinefunction(fn):
            raise TypeError(f"test {name!r} ({origin or fn!r}) must be an async function run(ctx)")
        try:
            inspect.signature(fn).bind(object())
        except TypeError:
            raise TypeError(
                f"test {name!r} ({origin}) must take exactly one argument (ctx), "
                f"has signature {inspect.signature(fn)}"
            ) from None
        if name in self._tests and self._origin.get(name) != origin:
            raise ValueError(f"test {name!r} from {origin} clashes with {self._origin[name]}")
        self._tests[name] = fn  # type: ignore[assignment]
        self._origin[name] = origin

    def load(self, eps: Iterable[EntryPoint]) -> None:
        for ep in eps:
            try:
                self.register(ep.name, ep.load(), origin=ep.value)
            except Exception as exc:
                self.errors[ep.name] = f"{ep.value}: {type(exc).__name__}: {exc}"

    def load_builtins(self, group: str = NETWORK) -> None:
        self.load(builtin_entry_points(group))

    def load_plugins(self, group: str = NETWORK) -> None:
        self.load(entry_points(group=_group_name(group)))

    def names(self) -> list[str]:
        return sorted(self._tests)

    def get(self, name: str) -> TestFunction:
        try:
            return self._tests[name]
        except KeyError:
            extra = f"; refused plugins: {', '.join(sorted(self.errors))}" if self.errors else ""
            raise KeyError(f"unknown test {name!r}; known tests: {', '.join(self.names())}{extra}") from None

    def __contains__(self, name: object) -> bool:
        return name in self._tests


_default: dict[str, TestRegistry] = {}


def default_registry(group: str = NETWORK) -> TestRegistry:
    """Built-ins first, then installed plugins (a plugin cannot silently replace a built-in)."""
    if group not in _default:
        reg = TestRegistry()
        reg.load_builtins(group)
        reg.load_plugins(group)
        _default[group] = reg
    return _default[group]


def get_test(name: str, group: str = NETWORK) -> TestFunction:
    """The test `name` of a profile's group (its `tests_module`: network by default, or server)."""
    return default_registry(group).get(name)


def test_names() -> list[str]:
    """Every test name of every group, sorted (a name may stand for one test per group)."""
    return sorted(known_tests())


test_names.__test__ = False  # type: ignore[attr-defined]


def known_tests() -> set[str]:
    """Names a profile may list under `tests:` (built-ins and loaded plugins of every group)."""
    return set(default_registry(NETWORK).names()) | set(default_registry(SERVER).names())
