"""powercycle's inputs and its NOT_RUN reasons; `cold_boot_fail@N` counts boots; the profile fields the refurb
plan brings (plan_params, undeclared steps). The cold boots themselves run end to end in test_refurb.py."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from helpers.engine_runs import run_engine

from bench.errors import ProfileError
from bench.model import Outcome
from bench.profiles import Catalog, parse_profile
from bench.tests_hw.registry import known_tests
from simulators.faults import parse_faults


def test_cold_boot_fail_counts_boots_not_seconds() -> None:
    second, first = parse_faults("S1:cold_boot_fail@2,S2:cold_boot_fail")
    assert (second.offset, second.count, second.text) == (None, 2, "cold_boot_fail@2")
    assert (first.offset, first.count) == (None, 1)
    with pytest.raises(ValueError, match="counts boots, not time"):
        parse_faults("S1:cold_boot_fail@2s")


def test_without_a_console_powercycle_is_not_run_and_says_why(bench_sim, tmp_path: Path) -> None:
    fleet = bench_sim(count=1, families=["cisco_ios_switch"], baud=115200, time_scale=0.1)
    catalog = Catalog.load(known_tests())
    catalog.get("cisco_ios_switch").plans["cycle"] = ["identity", "powercycle"]
    _, [slot] = run_engine(fleet.run_file(keep=("ssh", "snmp", "pdu")), tmp_path / "r.db", plan="cycle",
                           catalog=catalog)
    r = slot.results["powercycle"]
    assert r.outcome is Outcome.NOT_RUN and "console" in r.summary, r.summary


def _profile(**extra: object) -> dict[str, object]:
    return {"name": "p", "connect": {"netmiko_device_type": "cisco_ios"},
            "tests": {"identity": {}, "burnin": {"duration": 3600}},
            "plans": {"quick": ["identity"], "full": ["identity", "burnin"]}, **extra}


def test_plan_params_set_a_plans_own_parameters() -> None:
    p = parse_profile(_profile(plans={"full": ["identity", "burnin"], "soak": ["identity", "burnin"]},
                               plan_params={"soak": {"burnin": {"duration": 60}}}), "p.yaml", known_tests())
    assert p.params("burnin", "soak") == {"duration": 60}
    assert p.params("burnin", "full") == {"duration": 3600}


@pytest.mark.parametrize("params, said", [
    ({"nope": {"burnin": {}}}, "plan_params.nope names no plan"),
    ({"quick": {"burnin": {"duration": 1}}}, "plan_params.quick.burnin is not a step of plan quick"),
    ({"quick": ["identity"]}, "plan_params.quick must map test names"),
])
def test_bad_plan_params_are_one_line(params: object, said: str) -> None:
    with pytest.raises(ProfileError) as e:
        parse_profile(_profile(plan_params=params), "p.yaml", known_tests())
    assert said in str(e.value) and "\n" not in str(e.value)


def test_a_plan_may_name_a_known_check_the_family_does_not_declare_but_not_a_typo() -> None:
    p = parse_profile(_profile(plans={"full": ["identity", "burnin"], "x": ["identity", "license"]}), "p.yaml",
                      known_tests())
    assert "declares no licence reading" in p.undeclared("license") and p.undeclared("identity") == ""
    assert p.plan("refurb") == ["identity", "license", "image", "powercycle", "burnin"]
    with pytest.raises(ProfileError, match="not under tests"):
        parse_profile(_profile(plans={"quick": ["identity", "licence"]}), "p.yaml", known_tests())


def test_every_built_in_network_profile_has_a_refurb_plan_that_ends_with_its_wipe() -> None:
    catalog = Catalog.load(known_tests())
    for name, p in catalog.profiles.items():
        if "full" not in p.plans:
            continue
        plan = p.plan("refurb")
        assert plan[-1] == p.plan("full")[-1], name
        assert plan.index("image") < plan.index("burnin"), name


def test_the_catalyst_profiles_declare_the_refurb_steps() -> None:
    for name in ("cisco_ios_switch", "cisco_iosxe_switch", "cisco_ios_router"):
        doc = yaml.safe_load((Path(__file__).parent.parent / "profiles" / f"{name}.yaml").read_text())
        assert {"license", "image", "powercycle"} <= set(doc["tests"]), name
        assert doc["plans"]["refurb"][-1] == "sanitization", name


def test_a_powered_off_units_cli_port_stays_its_own_and_refuses() -> None:
    """While a simulated unit is off its SSH port is held (bound, not listening): a connection is refused as by
    a dark unit, and no client can take the port as its ephemeral one, which once kept a unit's SSH from ever
    listening again after a cold boot."""
    import asyncio
    import errno
    import socket

    from simulators.fleet import serve

    async def main() -> None:
        started: list = []
        stop, ready = asyncio.Event(), asyncio.Event()
        task = asyncio.create_task(serve(1, 3, ["cisco_ios_router"], "", None, ready=ready, stop=stop,
                                         baud=115200, time_scale=0.05, started=started))
        await ready.wait()
        slot = started[0]
        port = slot.ssh.port
        try:
            slot.pdu.switch(slot.outlet, 2)  # immediateOff
            for _ in range(200):  # the listener's stop runs as a task of the power change
                if getattr(slot.ssh, "_acceptor", None) is None and slot.port_hold is not None:
                    break
                await asyncio.sleep(0.05)
            thief = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            with pytest.raises(OSError) as taken:
                thief.bind(("127.0.0.1", port))
            thief.close()
            assert taken.value.errno == errno.EADDRINUSE
            with pytest.raises(ConnectionRefusedError):
                socket.create_connection(("127.0.0.1", port), timeout=2).close()
            slot.pdu.switch(slot.outlet, 1)  # immediateOn: the unit boots and listens on the same port
            for _ in range(200):
                if getattr(slot.ssh, "_acceptor", None) is not None:
                    break
                await asyncio.sleep(0.05)
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
        finally:
            stop.set()
            await task

    asyncio.run(main())
