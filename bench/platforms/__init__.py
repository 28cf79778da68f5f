"""Platforms: one package per vendor OS, found through the `bench.platforms` entry-point group.

A platform package holds everything the bench knows about one CLI: `platform.yaml` (prompts, refusal
patterns, reboot timing, template names; bench/platforms/data.py) and its collector (which commands
to run, how their answers become the facts of bench/platforms/contract.py). The built-ins are
registered in pyproject.toml exactly as a third party registers its own:

    [project.entry-points."bench.platforms"]
    cisco_ios = "bench.platforms.cisco_ios:PLATFORM"

A check asks `platform_for(ctx)` for the unit's platform by the CLI channel's ntc-templates platform
name. An unknown name is an error naming the known ones: a unit is never read with another vendor's
commands. Platforms import no checks, run, store or UI (tests/test_layering.py).
"""

from __future__ import annotations

import functools
from importlib.metadata import EntryPoint, entry_points
from typing import Any

from bench.platforms.contract import (
    CliIdentity,
    Environment,
    LogEvidence,
    Optic,
    Optics,
    Platform,
    Poe,
    PoePort,
    Ports,
    PortState,
    Post,
    PostStep,
    WipeReport,
)
from bench.platforms.data import PlatformData, PlatformDataError
from bench.tests_hw.base import ChannelMissing

__all__ = ["ENTRY_POINT_GROUP", "CliIdentity", "Environment", "LogEvidence", "Optic", "Optics", "Platform",
           "PlatformData", "PlatformDataError", "Poe", "PoePort", "Ports", "PortState", "Post", "PostStep",
           "UnknownPlatform", "WipeReport", "check_registered", "known", "load", "platform_for"]

ENTRY_POINT_GROUP = "bench.platforms"
# What a registered object must offer; `post` is optional (a platform without stored POST results).
_REQUIRED = ("identity", "environment", "logs", "ports", "poe", "optics", "wipe", "verify_wiped")


class UnknownPlatform(LookupError):
    """No platform package is registered under that name."""


@functools.cache
def _registered() -> dict[str, EntryPoint]:
    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def known() -> list[str]:
    """Names of every registered platform, built-in or third-party."""
    return sorted(_registered())


@functools.cache
def load(name: str) -> Platform:
    """The registered platform `name`, loaded and checked once per process."""
    ep = _registered().get(name)
    if ep is None:
        names = ", ".join(known()) or "none (is bench installed? pip install -e . registers the built-ins)"
        raise UnknownPlatform(f"no platform {name!r} is registered (entry points {ENTRY_POINT_GROUP}); "
                              f"known: {names}")
    return _checked(name, ep.value, ep.load())


def check_registered() -> None:
    """Load every registered platform now: a broken one (a third party's, or ours) is one BadInput line
    before a run connects to anything or writes anything, not an ERROR in the middle of the night."""
    for name, ep in _registered().items():
        try:
            load(name)
        except PlatformDataError:
            raise
        except Exception as exc:  # an entry point that does not import is the package's fault, said in one line
            raise PlatformDataError(f"platform {name!r} ({ep.value}) does not load: "
                                    f"{type(exc).__name__}: {exc}") from None


def _checked(name: str, origin: str, platform: Any) -> Platform:
    """A registered object that does not keep the contract is one BadInput line naming it."""
    data = getattr(platform, "data", None)
    if not isinstance(data, PlatformData):
        raise PlatformDataError(f"platform {name!r} ({origin}) has no `data` loaded from its platform.yaml")
    if getattr(platform, "name", None) != name or data.name != name:
        raise PlatformDataError(f"platform {name!r} ({origin}) calls itself {getattr(platform, 'name', None)!r} "
                                f"and its platform.yaml says {data.name!r}: all three must be the same name")
    lacking = [m for m in _REQUIRED if not callable(getattr(platform, m, None))]
    if lacking:
        raise PlatformDataError(f"platform {name!r} ({origin}) lacks {', '.join(lacking)}")
    return platform  # type: ignore[no-any-return]


def platform_for(ctx: Any) -> Platform:
    """The platform of the unit behind `ctx.cli` (its ntc-templates platform name)."""
    if ctx.cli is None:
        raise ChannelMissing("no CLI channel (SSH or console) to this unit")  # the check does not apply
    name = getattr(ctx.cli, "platform", "")
    if not name:
        raise UnknownPlatform(f"the CLI channel names no platform; known: {', '.join(known())}")
    return load(name)
