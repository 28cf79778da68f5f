"""`bench profiles list|show NAME|check FILE`."""

from __future__ import annotations

import argparse
from pathlib import Path

from bench.errors import BadInput
from bench.profiles import Catalog, load_profile_file
from bench.tests_hw.registry import known_tests


def profiles_command(args: argparse.Namespace) -> int:
    if args.action == "check":
        if not args.target:
            raise BadInput("profiles check needs a FILE: bench profiles check my_profile.yaml")
        p = load_profile_file(Path(args.target), known_tests())
        print(f"{args.target}: profile {p.name} is valid; plans: {', '.join(p.plans)}")
        return 0
    catalog = Catalog.load(known_tests())
    if args.action == "list":
        for p in sorted(catalog.profiles.values(), key=lambda p: p.name):
            print(f"{p.name:<22} {', '.join(p.plans):<20} {p.description}")
        return 0
    if not args.target:
        raise BadInput("profiles show needs a NAME: bench profiles show cisco_ios_switch")
    p = catalog.get(args.target)
    print(Path(p.source).read_text(), end="")
    return 0
