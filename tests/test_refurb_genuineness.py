"""Genuineness from the unit itself (issue 16): what a Catalyst logs when it doubts its own hardware, and a chassis
PID that is not the model the software reports, quarantine the unit with the evidence; a user's failed login
does not. Real IOS output from tests/data/cisco_ios, replayed by the scripted channel."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

from bench.drivers.testing import Script
from bench.model import Identity, Outcome
from bench.tests_hw import authenticity
from bench.tests_hw.base import SlotInfo, TestContext

DATA = Path(__file__).parent / "data" / "cisco_ios"
REJECT = "        ^\n% Invalid input detected at '^' marker.\n"
ILET = ("000042: Mar  1 00:00:46.101: %ILET-1-AUTHENTICATION_FAIL: This Switch may not have been manufactured by "
        "Cisco or with Cisco's authorization.  This product may contain software that was copied in violation of "
        "Cisco's license terms.")
NOT_GENUINE = ("000043: Mar  1 00:00:46.300: %ILET-1-DEVICE_AUTHENTICATION_FAIL: Switch 1: This product may not "
               "be a genuine Cisco product: ID-PROM authentication failed")
LOGIN = "000044: Mar  1 00:01:02.300: %SEC_LOGIN-4-LOGIN_FAILED: Login failed [user: admin] [Reason: Login " \
        "Authentication Failed] at 00:01:02 UTC Mon Mar 1 1993"


def _run(logging_extra: list[str], inventory: str | None = None) -> object:
    outputs = {name: (DATA / f"{file}.txt").read_text() for name, file in (
        ("show version", "show_version"), ("show inventory", "show_inventory"), ("show logging", "show_logging"),
        ("dir", "dir"), ("dir flash:/crashinfo/", "dir_crashinfo_empty"))}
    outputs["show logging"] = outputs["show logging"].rstrip("\n") + "\n" + "\n".join(logging_extra) + "\n"
    if inventory is not None:
        outputs["show inventory"] = inventory
    cli = Script([*outputs.items(), (re.compile(""), REJECT)]).channel(platform="cisco_ios")
    ctx = TestContext(slot=SlotInfo(id="A01", label_serial="FOC1931X0AB"), profile_name="cisco_ios_switch",
                      params={"serial_pattern": "^[A-Z]{3}[0-9]{4}[A-Z0-9]{4}$"}, identity=Identity(), cli=cli)
    return asyncio.run(authenticity.run(ctx))


def test_a_unit_that_logs_it_may_not_be_genuine_is_quarantined_with_the_lines() -> None:
    r = _run([ILET, NOT_GENUINE])
    assert r.outcome is Outcome.FAIL and r.evidence["quarantine"] is True, r.summary
    assert "may not be genuine" in r.summary
    lines = r.evidence["genuineness"]
    assert len(lines) == 2 and all(line.startswith("%ILET-1-") for line in lines), lines


def test_a_users_failed_login_is_not_a_genuineness_doubt() -> None:
    r = _run([LOGIN])
    assert r.outcome is Outcome.PASS, r.summary
    assert r.evidence["genuineness"] == []


@pytest.mark.parametrize("pid, fails", [("WS-C2960X-48FPD-L", True), ("WS-C2960XR-48FPD-I", False)])
def test_a_chassis_pid_that_is_not_the_reported_model_quarantines(pid: str, fails: bool) -> None:
    inventory = (DATA / "show_inventory.txt").read_text().replace(
        "PID: WS-C2960XR-48FPD-I , VID: V02  , SN: FOC1931X0AB", f"PID: {pid} , VID: V02  , SN: FOC1931X0AB")
    r = _run([], inventory)
    assert (r.outcome is Outcome.FAIL) is fails, r.summary
    if fails:
        assert "does not match the model the software reports" in r.summary and r.evidence["quarantine"] is True
