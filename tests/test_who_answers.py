"""The first login of an SSH-only unit says who answers: a vendor CLI's `show version` (or a shell's
`uname -a`), which alone names the family. Every family's first login must carry that text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from bench.drivers.shell import what_answers
from bench.drivers.ssh import Credential
from bench.profiles import Catalog
from bench.tests_hw.registry import known_tests

FAMILIES = ["cisco_ios_switch", "cisco_iosxe_switch", "cisco_ios_router", "arista_eos", "juniper_junos",
            "hp_procurve"]


@pytest.mark.parametrize("family", FAMILIES)
def test_the_first_login_alone_names_the_family(bench_sim: Callable[..., Any], family: str) -> None:
    # ProCurve's banner stops at "Press any key to continue": typing `show version` there fed the `s` to
    # the banner and the unit was only found by two more logins, trying other families' device types.
    fleet = bench_sim(count=1, families=[family])
    host, port = fleet.slot("S1")["ssh"].rsplit(":", 1)
    cred = fleet.credentials("S1")
    kind, text, _ = what_answers(host, int(port), [Credential("f", cred["username"], cred["password"],
                                                              cred.get("enable", ""))], timeout=20)
    assert kind == "cli"
    found = Catalog.load(known_tests()).identify(show_version=text)
    assert found is not None and found.name == family
