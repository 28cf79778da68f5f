"""bmc_reset on simulated servers: a previous owner's BMC accounts and SEL cleared in-band with ipmitool,
or reset to factory defaults over Redfish (a real HTTP service on 127.0.0.1), and read back."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers.sim_shell import SimShell

from bench.grading import grade
from bench.model import Identity, Outcome, TestResult
from bench.profiles import load_profile_file
from bench.tests_hw.base import SlotInfo, TestContext
from bench.tests_hw.registry import SERVER, get_test, known_tests
from bench.tests_hw.server import bmc_reset, erasure
from simulators import server_bmc
from simulators.families.linux_server.device import Server

PROFILE = load_profile_file(Path(__file__).parent.parent / "profiles" / "linux_server.yaml", known_tests())


class NoIpmi(SimShell):
    """A live image without the IPMI drivers loaded: ipmitool finds no device."""

    async def send(self, command: str, timeout: float = 30.0) -> str:
        if "ipmitool" in command:
            return ("Could not open device at /dev/ipmi0 or /dev/ipmi/0 or /dev/ipmidev/0: "
                    "No such file or directory\nrc 1\n")
        return await super().send(command, timeout)


def run(srv: Server, shell: SimShell | None = None, **params: Any) -> TestResult:
    ctx = TestContext(slot=SlotInfo("S1"), profile_name="linux_server",
                      params=PROFILE.params("bmc_reset") | {"restart_wait_s": 20} | params, identity=Identity(),
                      cli=shell or SimShell(srv))
    return asyncio.run(get_test("bmc_reset", SERVER)(ctx))


def named(srv: Server) -> list[str]:
    """The BMC's accounts that have a name, from the simulator's own state (the ground truth)."""
    return [u.name for u in server_bmc.state(srv).users if u.name]


@pytest.fixture
def redfish() -> Iterator[tuple[Server, server_bmc.RedfishService]]:
    srv = Server("S1", 1, 7, "PowerEdge R640")
    service = server_bmc.RedfishService(srv)
    service.start()
    yield srv, service
    service.stop()


def test_previous_owners_accounts_and_sel_are_cleared_in_band_and_read_back() -> None:
    srv = Server("S1", 1, 7, "PowerEdge R640")
    owners = list(srv.bmc_users)
    assert len(named(srv)) == 3 and len(srv.sel) >= 1
    srv.sel.append(server_bmc.SelEntry(1.0, "Power Supply", 0x63, "PS2 Status", "Failure detected"))
    res = run(srv)
    assert res.outcome is Outcome.PASS, res.summary
    assert named(srv) == ["root"]  # Dell's factory account stays; the owner's others are gone
    assert res.evidence["users_before"] == owners and res.evidence["users_after"] == ["root"]
    assert res.evidence["left_over"] == [] and res.evidence["sel_cleared"] is True
    assert [e.event for e in srv.sel] == ["Log area reset/cleared"]
    assert "ipmitool sel clear" in res.evidence["reset"] and "mc reset cold" in srv.bmc_resets
    assert res.evidence["restarted"] is True  # waited for the BMC to answer again after its cold reset
    assert "2 previous accounts cleared" in res.summary


def test_a_bmc_that_refuses_is_warn_with_what_to_do_never_pass() -> None:
    srv = Server("S1", 1, 7, "ProLiant DL360 Gen10")
    server_bmc.state(srv).lockdown = True
    res = run(srv)
    assert res.outcome is Outcome.WARN and "lockdown" in res.summary and "factory defaults" in res.summary
    assert "Insufficient privilege" in res.summary
    assert len(named(srv)) == 3 and res.evidence["left_over"]  # nothing changed, and the bench says so
    g = grade({n: TestResult(n, Outcome.PASS, "ok") for n in ("identity", "nic", "erasure")} | {"bmc_reset": res},
              rules=PROFILE.grading)
    assert g.disposition == "HOLD" and any("bmc_reset" in r and "not sanitized" in r for r in g.reasons), g.reasons


def test_no_bmc_reachable_is_not_run_saying_what_to_give() -> None:
    srv = Server("S1", 1, 7, "PowerEdge R640")
    res = run(srv, NoIpmi(srv))
    assert res.outcome is Outcome.NOT_RUN and "ipmi_si" in res.summary and "bmc:" in res.summary
    assert len(named(srv)) == 3


@pytest.mark.parametrize(("model", "action", "factory"), [
    ("PowerEdge R640", "DellManager.ResetToDefaults All", ("root", "calvin")),  # iDRAC9's OEM action
    ("ProLiant DL360 Gen10", "HpeiLO.ResetToFactoryDefaults Default", ("Administrator", "factory-label")),
    ("SYS-1029P-WTR", "Manager.ResetToDefaults ResetAll", ("ADMIN", "ADMIN")),  # the DMTF action
])
def test_redfish_resets_to_factory_defaults_and_never_records_the_password(
        model: str, action: str, factory: tuple[str, str]) -> None:
    srv = Server("S1", 1, 7, model)
    service = server_bmc.RedfishService(srv)
    service.start()
    try:
        res = run(srv, redfish={"url": service.url, "username": "root", "password": "owner-0"})
    finally:
        service.stop()
    assert res.outcome is Outcome.PASS, res.summary
    assert res.evidence["paths"] == ["redfish", "ipmitool"] and res.summary.startswith("BMC reset (Redfish):")
    assert any(d.startswith(f"Redfish {action} ") for d in res.evidence["reset"]), res.evidence["reset"]
    assert any("LogService.ClearLog" in d for d in res.evidence["reset"])
    assert f"Redfish {action}" in srv.bmc_resets and named(srv) == [factory[0]]
    assert server_bmc.state(srv).users[1].password == factory[1]  # the factory's, not the owner's
    assert "owner-0" not in json.dumps(res.evidence) + res.summary


def test_a_manager_without_a_factory_reset_is_said() -> None:
    assert bmc_reset.factory_reset_action({"#Manager.Reset": {"target": "/x"}}) is None
    assert bmc_reset.factory_reset_action({"Oem": {"#DellManager.ResetToDefaults": {
        "target": "/t", "ResetType@Redfish.AllowableValues": ["Default"]}}}) is None  # would keep the accounts
    assert bmc_reset.factory_reset_action({"Oem": "junk"}) is None


def test_redfish_refused_and_wrong_password_are_warn(redfish: tuple[Server, server_bmc.RedfishService]) -> None:
    srv, service = redfish
    server_bmc.state(srv).lockdown = True
    res = run(srv, redfish={"url": service.url, "username": "root", "password": "owner-0"})
    assert res.outcome is Outcome.WARN and "HTTP 403" in res.summary and "Lockdown" in res.summary
    server_bmc.state(srv).lockdown = False
    res = run(srv, NoIpmi(srv), redfish={"url": service.url, "username": "root", "password": "wrong"})
    assert res.outcome is Outcome.WARN and "HTTP 401" in res.summary and "wrong" not in res.summary
    assert len(named(srv)) == 3


def test_the_bench_host_bmc_is_never_reset() -> None:
    class Local(SimShell):
        kind = "local"

    srv = Server("S1", 1, 7, "PowerEdge R640")
    res = run(srv, Local(srv))
    assert res.outcome is Outcome.NOT_RUN and "bench host" in res.summary and len(named(srv)) == 3


def test_plan_and_grade_a_server_needs_its_bmc_reset_for_resale() -> None:
    assert PROFILE.plan("full")[-2:] == ["erasure", "bmc_reset"]
    ok = {n: TestResult(n, Outcome.PASS, "ok") for n in ("identity", "smart", "edac", "nic", "bmc", "burnin",
                                                          "erasure")}
    assert grade(ok | {"bmc_reset": TestResult("bmc_reset", Outcome.PASS, "ok")},
                 rules=PROFILE.grading).disposition == "RESALE"
    held = grade(ok | {"bmc_reset": TestResult("bmc_reset", Outcome.NOT_RUN, "no BMC")}, rules=PROFILE.grading)
    assert held.disposition == "HOLD" and any("bmc_reset NOT_RUN" in r for r in held.reasons), held.reasons


def test_user_list_parser_on_hostile_output() -> None:
    assert bmc_reset.parse_users("") == []
    rows = bmc_reset.parse_users("ID  Name\t     Callin  Link Auth\tIPMI Msg   Channel Priv Limit\n"
                                 "2   root             false   true       true       ADMINISTRATOR\n"
                                 "3   \x1b[2Jx         true    true       true       ADMINISTRATOR\n")
    assert rows[0] == {"id": 2, "name": "root", "ipmi_msg": True, "priv": "ADMINISTRATOR"}
    assert all("\x1b" not in r["name"] for r in rows)
    assert bmc_reset.left_over(rows, "root") == [f"{r['id']}:{r['name']}" for r in rows[1:]]


def test_the_bench_file_gives_the_bmc_address_to_the_reset_and_nothing_else() -> None:
    from types import SimpleNamespace

    from bench.config import parse_bench
    from bench.engine import Engine
    from bench.errors import BenchFileError

    slot = parse_bench({"slots": [{"id": "S1", "ssh": "192.0.2.5:22", "bmc": {
        "url": "https://192.0.2.50/", "username": "root", "password": "s3cret"}}]}).slots[0]
    assert slot.bmc is not None and slot.bmc.url == "https://192.0.2.50" and "s3cret" not in repr(slot)
    engine = SimpleNamespace(options=SimpleNamespace(burnin=None, plan="full"), config=SimpleNamespace(images=None))
    params = Engine._params(engine, PROFILE, "bmc_reset", slot, bmc_reset.run)  # type: ignore[arg-type]
    assert params["redfish"] == {"url": "https://192.0.2.50", "username": "root", "password": "s3cret"}
    assert "redfish" not in Engine._params(engine, PROFILE, "erasure", slot, erasure.run)  # type: ignore[arg-type]
    for bad, says in (({"url": "ftp://x"}, "expected {url"), ({"url": "ftp://x", "username": "r"}, "https://HOST"),
                      ({"url": "https://x/redfish/v1", "username": "r"}, "https://HOST[:PORT]"),
                      ({"url": "https://x", "username": "r", "passwd": "p"}, "passwd")):
        with pytest.raises(BenchFileError, match=r"slots\[0\] \(S1\)\.bmc") as err:
            parse_bench({"slots": [{"id": "S1", "bmc": bad}]})
        assert says in str(err.value) and "\n" not in str(err.value)


def test_the_buyer_page_says_why_a_server_with_a_previous_owners_bmc_is_held() -> None:
    from bench.reports.plain import TestLine, reasons

    lines = [TestLine("erasure", "Disk erasure", "PASS", "passed", ""),
             TestLine("bmc_reset", "BMC reset", "WARN", "warning", "")]
    first = reasons({"disposition": "HOLD", "functional": "F4"}, lines, {})[0]
    assert first == "Not yet graded for sale: its BMC still holds a previous owner's accounts."


def test_a_bmc_without_its_factory_account_says_none_is_left() -> None:
    srv = Server("S1", 1, 7, "SYS-1029P-WTR")  # the simulated previous owner renamed Supermicro's ADMIN away
    res = run(srv)
    assert res.outcome is Outcome.PASS and "3 previous accounts cleared, no account left" in res.summary
    assert named(srv) == []


def test_a_refused_redfish_login_falls_back_in_band_and_says_so(
        redfish: tuple[Server, server_bmc.RedfishService]) -> None:
    srv, service = redfish
    res = run(srv, redfish={"url": service.url, "username": "root", "password": "wrong"})
    assert res.outcome is Outcome.PASS and res.summary.startswith("BMC reset (ipmitool):"), res.summary
    assert "HTTP 401" in res.evidence["refused"][0] and named(srv) == ["root"]


def test_hostile_bmc_output_never_lands_raw_in_the_evidence() -> None:
    srv = Server("S1", 1, 7, "PowerEdge R640")
    srv.sel.append(server_bmc.SelEntry(2.0, "Power Supply", 0x63, "PS2\x1b[2J\x07", "Failure \x1b]0;pwned\x07"))
    server_bmc.state(srv).lockdown = True  # so the SEL stays and is reported
    res = run(srv)
    text = json.dumps(res.evidence) + res.summary
    assert res.outcome is Outcome.WARN and "\x1b" not in text and "\\u001b" not in text and "\\u0007" not in text
