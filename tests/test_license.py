"""The licence reader (Cisco IOS / IOS-XE) and the `license` check's judgement: level, Smart Licensing
registration, reservations, expired evaluations; and the check over real SSH on simulated units."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.engine_runs import run_engine

from bench.model import Outcome
from bench.platforms.cisco_ios.licensing import parse_license_status, parse_show_license, version_licensing
from bench.platforms.licensing import LicenseEntry, Licensing
from bench.profiles import Catalog
from bench.tests_hw.license import findings
from bench.tests_hw.registry import known_tests

SHOW_LICENSE_3750X = """\
Index 1 Feature: ipservices
        Period left: 0  minute  0  second
        License Type: Evaluation
        License State: Active, In Use
        License Priority: Low
        License Count: Non-Counted

Index 2 Feature: ipbase
        Period left: Life time
        License Type: Permanent
        License State: Active, Not in Use
        License Priority: Medium
        License Count: Non-Counted

Index 3 Feature: lanbase
        Period left: Not Activated
        License Type: Evaluation
        License State: Not in Use, EULA not accepted
        License Priority: None
        License Count: Non-Counted
"""

STATUS_REGISTERED = """\

Smart Licensing is ENABLED

Utility:
  Status: DISABLED

Registration:
  Status: REGISTERED
  Smart Account: Globex Networks
  Virtual Account: Branch-Sites
  Export-Controlled Functionality: ALLOWED
  Initial Registration: SUCCEEDED on Jan 14 2020 08:00:12 UTC

License Authorization:
  Status: AUTHORIZED on Jan 14 2020 08:00:40 UTC

License Reservation is ENABLED (Specific License Reservation)
"""

VERSION_9300 = "\n".join([
    "Technology Package License Information: ", "",
    "-" * 78,
    "Technology-package                                     Technology-package",
    "Current                        Type                       Next reboot  ",
    "-" * 78,
    "network-advantage      \tSmart License                 \tnetwork-advantage       ",
    "None                   \tSubscription Smart License    \tNone                    ", "",
    "Smart Licensing Status: UNREGISTERED/EVAL EXPIRED", ""])


def test_classic_licences_name_the_expired_evaluation_in_use() -> None:
    entries = parse_show_license(SHOW_LICENSE_3750X)
    assert [(e.feature, e.kind, e.in_use, e.expired) for e in entries] == [
        ("ipservices", "Evaluation", True, True), ("ipbase", "Permanent", False, False),
        ("lanbase", "Evaluation", False, False)]
    said = findings(Licensing(level="ipservices", entries=entries))
    assert len(said) == 1 and "ipservices expired and in use" in said[0]


def test_a_registration_and_a_reservation_are_what_a_buyer_cannot_inherit() -> None:
    lic = Licensing()
    parse_license_status(STATUS_REGISTERED, lic)
    assert (lic.smart_enabled, lic.registered, lic.smart_account, lic.virtual_account) == (
        True, True, "Globex Networks", "Branch-Sites")
    assert lic.authorization.startswith("AUTHORIZED") and "Specific" in lic.reservation
    said = " | ".join(findings(lic))
    assert "Globex Networks" in said and "license smart deregister" in said and "reservation" in said


def test_the_iosxe_technology_package_and_smart_status_come_from_show_version() -> None:
    lic = Licensing()
    version_licensing(VERSION_9300, lic)
    assert (lic.level, lic.next_level, lic.smart_enabled, lic.registration) == (
        "network-advantage", "network-advantage", True, "UNREGISTERED")
    assert any("evaluation period expired" in f for f in findings(lic))


def test_nothing_to_act_on_is_no_finding() -> None:
    lic = Licensing(level="lanbase", entries=[LicenseEntry("lanbase", "Permanent", "Active, In Use", in_use=True)],
                    smart_enabled=False)
    assert findings(lic) == []


def test_hostile_output_never_crashes_the_parsers() -> None:
    junk = "Index 1 Feature:\x1b[2J\n        License State: \x00\n" + "Registration:\n  Status:\n" * 3
    parse_show_license(junk)
    lic = Licensing()
    parse_license_status("Smart Licensing is ENABLED\n" + junk, lic)
    version_licensing(junk + "Technology-package Technology-package\n---\n\t\n", lic)


def test_a_family_without_a_licence_reading_is_not_run_with_the_reason(bench_sim, tmp_path: Path) -> None:
    fleet = bench_sim(count=1, families=["arista_eos"], baud=115200, time_scale=0.1)
    catalog = Catalog.load(known_tests())
    eos = catalog.get("arista_eos")
    assert {"license", "image", "powercycle"} <= set(eos.plan("refurb"))  # every profile gets the plan
    eos.plans["lic"] = ["identity", "license"]
    _, [slot] = run_engine(fleet.run_file(), tmp_path / "r.db", plan="lic", catalog=catalog)
    r = slot.results["license"]
    assert r.outcome is Outcome.NOT_RUN and "declares no licence reading" in r.summary, r.summary


def test_a_registered_iosxe_unit_is_a_warn_and_a_healthy_one_passes(bench_sim, tmp_path: Path) -> None:
    fleet = bench_sim(count=2, families=["cisco_iosxe_switch"], faults="S1:smart_license_registered",
                      baud=115200, time_scale=0.1)
    catalog = Catalog.load(known_tests())
    catalog.get("cisco_iosxe_switch").plans["lic"] = ["identity", "license"]
    _, slots = run_engine(fleet.run_file(), tmp_path / "r.db", plan="lic", catalog=catalog)
    got = {s.slot: s.results["license"] for s in slots}
    assert got["S1"].outcome is Outcome.WARN and "ACME Corp" in got["S1"].summary, got["S1"].summary
    assert got["S2"].outcome is Outcome.PASS, got["S2"].summary
    assert "network-advantage" in got["S2"].summary and "unregistered" in got["S2"].summary


def test_an_isr_names_its_technology_packages_one_row_each() -> None:
    text = "\n".join([
        "Technology Package License Information: ", "",
        "-----------------------------------------------------------------",
        "Technology    Technology-package           Technology-package",
        "              Current       Type           Next reboot  ",
        "------------------------------------------------------------------",
        "appxk9           None             None             None",
        "securityk9       securityk9       EvalRightToUse   securityk9",
        "ipbase           ipbasek9         Permanent        ipbasek9", "", "cisco ISR4331/K9 (1RU) processor"])
    lic = Licensing()
    version_licensing(text, lic)
    assert lic.level == "securityk9"
    assert [(e.feature, e.kind) for e in lic.entries] == [("securityk9", "EvalRightToUse"), ("ipbasek9", "Permanent")]


REAL = Path(__file__).resolve().parents[2] / "shared" / "realdata" / "ntc-templates-tests" / "cisco_ios"


def _real(name: str) -> str:
    path = REAL / name
    if not path.exists():
        pytest.skip(f"real device output not here ({path}): the shared realdata folder is absent")
    return path.read_text(errors="replace")


def test_real_show_license_output() -> None:
    entries = parse_show_license(_real("show_license/cisco_ios_show_license.raw"))
    by = {e.feature: e for e in entries}
    assert by["ipbasek9"].kind == "Permanent" and by["ipbasek9"].in_use is True
    assert by["uck9"].kind == "EvalRightToUse" and by["uck9"].in_use is False and not by["uck9"].expired


@pytest.mark.parametrize("n, policy, account, registered", [
    (1, False, "ACME Corporation", True), (2, True, "", False), (3, True, "Eg-SA", True),
    (4, True, "Sample Smart Account", True)])
def test_real_show_license_status_output(n: int, policy: bool, account: str, registered: bool) -> None:
    lic = Licensing()
    parse_license_status(_real(f"show_license_status/cisco_ios_show_license_status{n}.raw"), lic)
    assert (lic.policy, lic.smart_account, lic.registered, lic.smart_enabled) == (policy, account, registered, True)
    said = " ".join(findings(lic))
    if registered:
        assert account in said and ("license smart factory reset" if policy else "license smart deregister") in said
