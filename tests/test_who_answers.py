"""The first login of an SSH-only unit says who answers: a vendor CLI's `show version` (or a shell's
`uname -a`), which alone names the family. Every family's first login must carry that text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from helpers.forwarder import CountingForwarder

from bench.drivers.shell import what_answers
from bench.drivers.ssh import Credential
from bench.profiles import Catalog
from bench.tests_hw.registry import known_tests

FAMILIES = ["cisco_ios_switch", "cisco_iosxe_switch", "cisco_ios_router", "arista_eos", "juniper_junos",
            "hp_procurve",
            # the family packs: some answer `show version`, the others their profile's identify.commands
            "cisco_nxos", "cisco_iosxr", "cisco_asa", "aruba_aoscx", "hp_comware", "dell_os10", "fortinet_fortios",
            "paloalto_panos", "ruckus_icx", "mikrotik_routeros", "huawei_vrp"]


@pytest.mark.parametrize("family", FAMILIES)
def test_the_first_login_alone_names_the_family(bench_sim: Callable[..., Any], family: str) -> None:
    # ProCurve's banner stops at "Press any key to continue": typing `show version` there fed the `s` to
    # the banner and the unit was only found by two more logins, trying other families' device types.
    fleet = bench_sim(count=1, families=[family])
    host, port = fleet.slot("S1")["ssh"].rsplit(":", 1)
    cred = fleet.credentials("S1")
    catalog = Catalog.load(known_tests())
    kind, text, _ = what_answers(host, int(port), [Credential("f", cred["username"], cred["password"],
                                                              cred.get("enable", ""))], timeout=20,
                                 commands=catalog.identify_commands(),
                                 recognised=lambda t: catalog.identify(show_version=t) is not None)
    assert kind == "cli"
    found = catalog.identify(show_version=text)
    assert found is not None and found.name == family


@pytest.mark.parametrize(("family", "faults"), [("cisco_ios_switch", ""), ("hp_procurve", ""),
                                                ("cisco_ios_switch", "S1:telnet_only")])
def test_one_login_identifies_the_unit_and_runs_its_quick_plan(bench_sim: Callable[..., Any], tmp_path: Any,
                                                               family: str, faults: str) -> None:
    # An SSH-only (or telnet-only) unit with `profile: auto`: the login that reads `show version` to name the
    # family is the session the plan's tests then run on (before: a second login for the netmiko session).
    import asyncio

    import yaml

    from bench.config import load_bench
    from bench.engine import Engine, EngineOptions
    from bench.model import Outcome
    from bench.store import Store

    fleet = bench_sim(count=1, families=[family], faults=faults)
    run_file = fleet.run_file(keep=("ssh",))
    doc = yaml.safe_load(run_file.read_text())
    line = "telnet" if "telnet" in doc["slots"][0] else "ssh"
    host, port = doc["slots"][0][line].rsplit(":", 1)
    forwarder = CountingForwarder(host, int(port))
    try:
        doc["slots"][0][line] = f"127.0.0.1:{forwarder.port}"
        assert doc["slots"][0]["profile"] == "auto"
        run_file.write_text(yaml.safe_dump(doc))
        engine = Engine(load_bench(run_file), Store(f"sqlite:///{tmp_path}/one.db"), Catalog.load(known_tests()),
                        EngineOptions(plan="quick", key_path=str(tmp_path / "bench.key")))
        outcome = asyncio.run(engine.run())[0]
    finally:
        forwarder.stop()
    assert outcome.profile == family
    assert outcome.results["identity"].outcome == Outcome.PASS, outcome.results["identity"].summary
    assert outcome.serial == fleet.truth("S1")["serial"]
    assert forwarder.connections == 1
