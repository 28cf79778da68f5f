"""Server tests (identity smart edac nic bmc) over real SSH against the simulated linux_server,
on this real host through a local shell, and on hostile or missing-tool output."""

from __future__ import annotations

import asyncio
import os
import re
import time
from collections.abc import Awaitable
from pathlib import Path
from typing import Any, TypeVar

import psutil
import pytest

from bench.drivers.adapter import LazyChannel, local_shell_channel, ssh_cli_channel
from bench.drivers.channel import Credential
from bench.drivers.testing import Script, ScriptedChannel
from bench.model import Identity, Outcome, TestResult
from bench.profiles import load_profile_file
from bench.tests_hw.base import SlotInfo, TestContext
from bench.tests_hw.registry import SERVER, get_test, known_tests
from bench.tests_hw.server import SERVER_TESTS, bmc, edac, identity, nic, smart

PROFILE = load_profile_file(Path(__file__).parent.parent / "profiles" / "linux_server.yaml", known_tests())
T = TypeVar("T")
NAMES = ["identity", "smart", "edac", "nic", "bmc"]


def canned(answers: dict[str, str], default: str = "") -> ScriptedChannel:
    """A unit whose shell answers from a table (by command prefix): for hostile and missing-tool output only."""

    def answer(command: str) -> str:
        for prefix, text in answers.items():
            if command.startswith(prefix):
                return text
        return default or f"-bash: {command.split()[0]}: command not found\n"

    return Script([(re.compile(""), answer)]).channel(platform="linux", capabilities=())


def context(cli: Any, slot: str = "S1") -> TestContext:
    return TestContext(slot=SlotInfo(slot), profile_name=PROFILE.name, params={}, identity=Identity(), cli=cli)


async def run_plan(cli: Any, slot: str = "S1") -> tuple[dict[str, TestResult], Identity]:
    """The profile's quick plan, test by test, as the engine runs it (one context, shared cache)."""
    ctx = context(cli, slot)
    out = {}
    for name in PROFILE.plan("quick"):
        ctx.params = PROFILE.params(name)
        out[name] = await get_test(name, SERVER)(ctx)
    return out, ctx.identity


def ssh_results(fleet: Any, slot: str) -> tuple[dict[str, TestResult], Identity]:
    host, port = fleet.slot(slot)["ssh"].rsplit(":", 1)
    cred = fleet.credentials(slot)
    cli = ssh_cli_channel(host, int(port), [Credential("factory", cred["username"], cred["password"],
                                                       cred.get("enable", ""))], device_type="linux",
                          platform="linux", executor=None, gate=asyncio.Semaphore(1),
                          connect_timeout=20)
    return asyncio.run(closing(cli, run_plan(cli, slot)))


async def closing(cli: LazyChannel, work: Awaitable[T]) -> T:
    try:
        return await work
    finally:
        await cli.close()


def test_registry_and_profile_select_the_server_group() -> None:
    assert PROFILE.plans["quick"] == NAMES and PROFILE.plans["full"] == [*NAMES, "burnin", "erasure", "bmc_reset"]
    assert PROFILE.netmiko_device_type == "linux"
    assert PROFILE.matches(sys_object_id="1.3.6.1.4.1.8072.3.2.10")
    assert PROFILE.matches(show_version="Linux live 6.1.0-18-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 "
                                        "(2024-02-01) x86_64 GNU/Linux")
    assert not PROFILE.matches(show_version="Cisco IOS Software, C2960X Software")
    assert get_test("identity", SERVER) is identity.run and get_test("identity") is not identity.run
    assert set(SERVER_TESTS) == {*NAMES, "burnin", "erasure", "bmc_reset"} and set(NAMES) <= known_tests()


def test_simulated_servers_fail_the_right_test(bench_sim: Any) -> None:
    faults = {"S2": "bad_disk", "S3": "edac_errors", "S4": "sel_psu", "S5": "nic_down"}
    fleet = bench_sim(count=5, families=["linux_server"], faults=",".join(f"{s}:{f}" for s, f in faults.items()))
    failing_test = {"bad_disk": "smart", "edac_errors": "edac", "sel_psu": "bmc", "nic_down": "nic"}
    t0 = time.monotonic()
    for slot in ["S1", *faults]:
        results, ident = ssh_results(fleet, slot)
        truth = fleet.truth(slot)
        expect_fail = failing_test.get(faults.get(slot, ""))
        outcomes = {n: r.outcome for n, r in results.items()}
        for name, outcome in outcomes.items():
            want = Outcome.FAIL if name == expect_fail else Outcome.PASS
            assert outcome == want, f"{slot} ({faults.get(slot, 'healthy')}) {name}: {results[name].summary}"
        assert ident.serial == truth["serial"] and ident.model == truth["model"]
        ev = results["identity"].evidence
        assert ev["cpus"] and ev["memory_bytes"] > 2**30 and ev["dimms_populated"] > 0
        flavours = {"PowerEdge": "dell", "ProLiant": "hpe", "SYS-": "supermicro"}
        assert ev["flavour"] == next(f for p, f in flavours.items() if truth["model"].startswith(p))
    assert time.monotonic() - t0 < 60


def test_fault_evidence_names_the_part(bench_sim: Any) -> None:
    fleet = bench_sim(count=3, families=["linux_server"], faults="S1:bad_disk,S2:sel_psu,S3:edac_errors", seed=3)
    smart_r = ssh_results(fleet, "S1")[0]["smart"]
    failing = [n for n, d in smart_r.evidence["disks"].items() if d["state"] == "fail"]
    assert len(failing) == 1 and smart_r.evidence["disks"][failing[0]]["values"]["5_Reallocated_Sector_Ct"] == 12
    bmc_r = ssh_results(fleet, "S2")[0]["bmc"]
    assert bmc_r.evidence["sel_psu_failures"] and any(" cr " in f for f in bmc_r.evidence["failing"])
    edac_r = ssh_results(fleet, "S3")[0]["edac"]
    assert "uncorrected" in edac_r.summary and any(d["ue"] for d in edac_r.evidence["dimms"].values())


def test_this_host_reports_cpus_and_memory_and_not_run_for_absent_hardware() -> None:
    here = local_shell_channel(None, asyncio.Semaphore(1))  # the loop's default pool
    results = asyncio.run(closing(here, run_plan(here)))[0]
    ev = results["identity"].evidence
    assert ev["cpus"] == os.cpu_count()
    assert abs(ev["memory_bytes"] - psutil.virtual_memory().total) < 2**26
    for name, r in results.items():
        assert r.outcome != Outcome.ERROR, f"{name}: {r.summary}"
    # What this container lacks is NOT_RUN with the reason, never PASS.
    for tool, test in (("smartctl", "smart"), ("ipmitool", "bmc")):
        if not any(Path(d, tool).exists() for d in os.environ.get("PATH", "").split(":")):
            assert results[test].outcome == Outcome.NOT_RUN and tool in results[test].summary
    if not Path("/sys/devices/system/edac/mc").exists():
        assert results["edac"].outcome == Outcome.NOT_RUN and "EDAC" in results["edac"].summary


def test_missing_tools_are_not_run_and_garbage_never_passes() -> None:
    missing = asyncio.run(run_plan(canned({})))[0]
    assert {n: r.outcome for n, r in missing.items()} == dict.fromkeys(NAMES, Outcome.NOT_RUN)
    assert "not installed" in missing["smart"].summary and "ipmitool" in missing["bmc"].summary
    no_ipmi = asyncio.run(get_test("bmc", SERVER)(context(canned({"ipmitool": (
        "Could not open device at /dev/ipmi0 or /dev/ipmi/0 or /dev/ipmidev/0: No such file or directory\n")}))))
    assert no_ipmi.outcome == Outcome.NOT_RUN and "IPMI" in no_ipmi.summary
    garbage = "\x1b[31m\x00{{{ ]]] \xff|||\n" * 50
    hostile = asyncio.run(run_plan(canned({}, default=garbage)))[0]
    for name, r in hostile.items():
        assert r.outcome != Outcome.PASS, f"{name} passed on garbage: {r.summary}"
    lsblk = '{"blockdevices": [{"name": "sda", "type": "disk"}, {"name": "loop0", "type": "loop"}]}'
    broken = asyncio.run(smart.run(context(canned({"lsblk": lsblk, "smartctl": "{\"smartctl\": [1, 2"}))))
    assert broken.outcome == Outcome.NOT_RUN and "not JSON" in broken.summary


@pytest.mark.parametrize("raw,state", [(0, "ok"), (3, "warn"), (5, "fail")])
def test_reallocated_thresholds(raw: int, state: str) -> None:
    doc = {"ata_smart_attributes": {"table": [{"id": 5, "raw": {"value": raw}}]}, "smart_status": {"passed": True}}
    assert smart.judge(doc)["state"] == state


def test_nvme_rules() -> None:
    def verdict(**log: int) -> str:
        base = {"critical_warning": 0, "available_spare": 100, "available_spare_threshold": 10,
                "media_errors": 0, "percentage_used": 3}
        return str(smart.judge({"device": {"type": "nvme"}, "nvme_smart_health_information_log": base | log})["state"])

    assert verdict() == "ok"
    assert verdict(critical_warning=4) == "fail" and verdict(available_spare=5) == "fail"
    assert verdict(media_errors=2) == "warn" and verdict(percentage_used=100) == "warn"


def test_parsers_on_edge_output() -> None:
    assert edac.counters("garbage\n/sys/devices/system/edac/mc/mc0/ue_count:2\n") == {"mc0": {"ue_count": "2"}}
    assert bmc.sdr("PS2 Status | 26h | cr | 10.2 | Presence detected, Failure detected")[0]["status"] == "cr"
    assert nic.ethtool_link("\tSpeed: Unknown!\n\tLink detected: no\n") == {"speed": None, "link": False,
                                                                            "duplex": ""}
    assert identity.flavour("Dell Inc.") == "dell" and identity.flavour("HPE") == "hpe"
    assert identity.flavour("Supermicro") == "supermicro" and identity.flavour("QEMU") == ""
    assert identity.real("To Be Filled By O.E.M.") == "" and identity.real("ABC1234") == "ABC1234"
