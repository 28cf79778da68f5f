"""The Cisco collector and the generic tests on it, against the simulated IOS / IOS-XE families over real SSH and SNMP.

Two fleets serve the whole module: one healthy unit per family, and per family one unit with fan,
PSU, temperature and parity faults plus one with crashinfo files.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers.cli_channels import sim_cli

from bench.drivers.adapter import LazyChannel
from bench.drivers.snmp import SnmpTarget, close_shared_engine
from bench.drivers.ssh import Credential, SshSession
from bench.model import ComponentKind, Identity, Outcome, SensorState
from bench.platforms import CliIdentity, Environment, LogEvidence, Post, platform_for
from bench.platforms.cisco_ios.collector import PLATFORM, router_environment, router_platform
from bench.profiles import Catalog, load_profile_file
from bench.tests_hw import environment, identity, logs, post
from bench.tests_hw.base import SlotInfo, TestContext
from bench.tests_hw.registry import known_tests
from simulators.pytest_plugin import SimFleet, start_fleet

FAMILIES = ["cisco_ios_switch", "cisco_iosxe_switch", "cisco_ios_router"]
PROFILES = Path(__file__).parent.parent / "profiles"
# Healthy fleet: S1 classic IOS, S2 IOS-XE 9300, S3 ISR. Faulty fleet: the same order twice.
ENV_FAULTS = "fan_failed", "psu_failed", "overtemp", "parity_crash"
FAULTS = ",".join([f"S{i}:{f}" for i in (1, 2, 3) for f in ENV_FAULTS] + [f"S{i}:crashinfo" for i in (4, 5, 6)])


def _session(fleet: SimFleet, slot: str) -> SshSession:
    host, port = fleet.slot(slot)["ssh"].rsplit(":", 1)
    c = fleet.credentials(slot)
    cred = Credential("factory", c["username"], c["password"], c.get("enable", ""))
    return SshSession(host, int(port), "cisco_ios", [cred], timeout=20)


def _snmp(fleet: SimFleet, slot: str) -> SnmpTarget:
    s = fleet.slot(slot)["snmp"]
    return SnmpTarget(s["host"], int(s["port"]), s["community"])


def _ctx(cli: LazyChannel | None, snmp: SnmpTarget | None, params: dict[str, Any] | None = None) -> TestContext:
    return TestContext(slot=SlotInfo(id="S"), profile_name="cisco", params=params or {}, identity=Identity(),
                       cli=cli, snmp=snmp)


def collect(fleet: SimFleet, slot: str) -> dict[str, Any]:
    """Every collector call and every generic test on one unit, in one session (opened on first use)."""
    cli = sim_cli(fleet, slot, "cisco_ios")

    async def main() -> dict[str, Any]:
        try:
            ctx = _ctx(cli, _snmp(fleet, slot), {"parity_reloads_transient": 1})
            out: dict[str, Any] = {
                "identity": await PLATFORM.identity(ctx),
                "environment": await PLATFORM.environment(ctx),
                "logs": await PLATFORM.logs(ctx),
                "post": await PLATFORM.post(ctx),
            }
            out["platform"] = platform_for(ctx)
            for test in (identity, environment, logs, post):
                out[f"run.{test.NAME}"] = await test.run(ctx)
            out["ctx"] = ctx
            return out
        finally:
            close_shared_engine()
            await cli.close()

    return asyncio.run(main())


@pytest.fixture(scope="module")
def healthy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SimFleet, dict[str, dict[str, Any]]]]:
    fleet = start_fleet(tmp_path_factory.mktemp("cisco_ok"), count=3, families=FAMILIES)
    try:
        yield fleet, {s: collect(fleet, s) for s in ("S1", "S2", "S3")}
    finally:
        fleet.stop()


@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SimFleet, dict[str, dict[str, Any]]]]:
    fleet = start_fleet(tmp_path_factory.mktemp("cisco_bad"), count=6, families=FAMILIES, faults=FAULTS)
    try:
        yield fleet, {f"S{i}": collect(fleet, f"S{i}") for i in range(1, 7)}
    finally:
        fleet.stop()


SLOTS = pytest.mark.parametrize("slot", ["S1", "S2", "S3"], ids=FAMILIES)


# ---- healthy units equal the simulator's truth ---------------------------------------------------


@SLOTS
def test_identity_is_the_truth(healthy: Any, slot: str) -> None:
    fleet, got = healthy
    truth = fleet.truth(slot)
    ident: CliIdentity = got[slot]["identity"]
    assert got[slot]["platform"] is PLATFORM
    assert (ident.model, ident.serial) == (truth["model"], truth["serial"]), ident.problems
    assert ident.os_version and ident.hostname and ident.config_register.startswith("0x")
    assert ident.reload_reason.lower().replace("-", "") == "poweron"
    assert ident.uptime_seconds is not None and 0 < ident.uptime_seconds < 86400
    assert ident.problems == []
    chassis = [c for c in ident.components if c.kind is ComponentKind.CHASSIS]
    assert any(c.serial == truth["serial"] and c.pid == truth["model"] for c in chassis)
    assert all(c.source == "cli" for c in ident.components)
    result = got[slot]["run.identity"]
    assert result.outcome is Outcome.PASS, result.summary
    assert result.evidence["chassis_serials"] == {"cli": truth["serial"], "snmp": truth["serial"]}


def test_identity_components_per_family(healthy: Any) -> None:
    _, got = healthy
    kinds = {s: {str(c.kind) for c in got[s]["identity"].components} for s in got}
    assert {"chassis", "optic"} <= kinds["S1"]
    assert {"chassis", "psu", "module", "optic"} <= kinds["S2"]  # 9300: PSU bays A/B, uplink module
    assert {"chassis", "psu", "fan", "module", "optic"} <= kinds["S3"]  # ISR: PSU, fan tray, NIMs, PVDM
    nims = {c.pid: c.serial for c in got["S3"]["identity"].components if c.kind is ComponentKind.MODULE}
    assert nims["NIM-ES2-4"] and nims["PVDM4-32"] and nims["NIM-1GE-CU-SFP"]  # a card with an SFP cage
    optics = [c for c in got["S3"]["identity"].components if c.kind is ComponentKind.OPTIC]
    assert [c.pid for c in optics] == ["GLC-LH-SMD"]


@SLOTS
def test_environment_healthy_all_ok(healthy: Any, slot: str) -> None:
    _, got = healthy
    env: Environment = got[slot]["environment"]
    assert env.problems == [] and env.readings
    assert {r.kind for r in env.readings} >= {"fan", "psu", "temperature"}
    assert all(r.state is SensorState.OK for r in env.readings), [(r.name, r.state) for r in env.readings]
    temps = [r for r in env.readings if r.kind == "temperature"]
    assert all(r.value is not None and r.warn_at is not None and r.fail_at is not None for r in temps)
    res = got[slot]["run.environment"]
    assert res.outcome is Outcome.PASS, res.summary


def test_environment_family_formats(healthy: Any) -> None:
    _, got = healthy
    names = {s: {r.name for r in got[s]["environment"].readings} for s in got}
    assert {"switch 1 fan 1", "switch 1 fan 2", "switch 1 fan 3", "PSU 1A", "PSU 1B"} <= names["S2"]
    router = {r.name: r for r in got["S3"]["environment"].readings}
    assert {"P2 Fan1", "P2 Fan4", "PSU P0", "R0 Inlet 1", "R0 CPU Die"} <= set(router)
    assert (router["R0 Inlet 1"].warn_at, router["R0 Inlet 1"].fail_at) == (45, 55)
    assert router["P2 Fan1"].value and router["P2 Fan1"].unit == "rpm"
    assert "slot 0/1 NIM-ES2-4" in router  # module states from `show platform`


@SLOTS
def test_logs_healthy(healthy: Any, slot: str) -> None:
    _, got = healthy
    ev: LogEvidence = got[slot]["logs"]
    assert ev.reload_reason and ev.crash_files == [] and ev.problems == []
    assert any("%SYS-5-RESTART" in ln for ln in ev.lines)
    res = got[slot]["run.logs"]
    assert res.outcome is Outcome.PASS, res.summary


def test_post_switches_pass_router_not_run(healthy: Any) -> None:
    _, got = healthy
    for slot in ("S1", "S2"):
        found: Post = got[slot]["post"]
        assert len(found.steps) == 6 and all(s.status == "passed" for s in found.steps)
        assert got[slot]["run.post"].outcome is Outcome.PASS
    assert "not supported" in got["S3"]["post"].unsupported
    res = got["S3"]["run.post"]
    assert res.outcome is Outcome.NOT_RUN and "Invalid input" in res.summary


# ---- faults are visible --------------------------------------------------------------------------


@SLOTS
def test_fan_psu_overtemp_are_fail_readings(faulty: Any, slot: str) -> None:
    _, got = faulty
    env: Environment = got[slot]["environment"]
    failed = {r.kind for r in env.readings if r.state is SensorState.FAIL}
    assert {"fan", "psu", "temperature"} <= failed, [(r.name, r.state, r.detail) for r in env.readings]
    hot = [r for r in env.readings if r.kind == "temperature" and r.state is SensorState.FAIL]
    assert all(r.value is not None and r.fail_at is not None and r.value >= r.fail_at for r in hot)
    res = got[slot]["run.environment"]
    assert res.outcome is Outcome.FAIL and "temperature" in res.summary and "PSU" in res.summary


@SLOTS
def test_parity_crash_is_visible(faulty: Any, slot: str) -> None:
    _, got = faulty
    ev: LogEvidence = got[slot]["logs"]
    assert "parity" in ev.reload_reason.lower()
    assert any("PARITYERR" in ln for ln in ev.lines)
    assert ev.crash_files
    res = got[slot]["run.logs"]
    assert res.outcome is Outcome.FAIL and res.evidence["parity_events"] >= 2


@pytest.mark.parametrize("slot", ["S4", "S5", "S6"], ids=FAMILIES)
def test_crashinfo_files_are_found(faulty: Any, slot: str) -> None:
    _, got = faulty
    ev: LogEvidence = got[slot]["logs"]
    assert any(f.endswith("crashinfo_1") for f in ev.crash_files), ev
    res = got[slot]["run.logs"]
    assert res.outcome is Outcome.FAIL and "crashinfo files" in res.evidence["crash_evidence"]


# ---- profile: auto -------------------------------------------------------------------------------


def catalog() -> Catalog:
    profiles = [load_profile_file(PROFILES / f"{name}.yaml") for name in FAMILIES]
    return Catalog({p.name: p for p in profiles})


@SLOTS
def test_auto_identifies_over_snmp(healthy: Any, slot: str) -> None:
    fleet, got = healthy
    ident: Identity = got[slot]["ctx"].identity
    assert ident.sys_object_id
    # The engine asks with both: the enterprise subtree names the vendor, sysDescr the OS family and role.
    found = catalog().identify(sys_object_id=ident.sys_object_id, show_version=ident.sys_descr)
    assert found is not None and found.name == fleet.truth(slot)["family"]
    # sysDescr alone (an agent with an unknown sysObjectID) names the family too.
    by_descr = catalog().identify(show_version=ident.sys_descr)
    assert by_descr is not None and by_descr.name == fleet.truth(slot)["family"]


@SLOTS
def test_auto_identifies_over_ssh_only(healthy: Any, slot: str) -> None:
    fleet, _ = healthy
    with _session(fleet, slot) as session:
        text = session.send("show version")
    found = catalog().identify(show_version=text)
    assert found is not None and found.name == fleet.truth(slot)["family"]


def test_profiles_validate_and_keep_families_apart() -> None:
    expected = known_tests() | {"ports", "poe", "optics", "burnin", "sanitization"}
    profiles = {n: load_profile_file(PROFILES / f"{n}.yaml", expected) for n in FAMILIES}
    switch = profiles["cisco_ios_switch"]
    assert not any(o.endswith((".2494", ".2495", ".2068")) for o in switch.sys_object_ids)
    for p in profiles.values():
        assert p.plan("quick") == ["identity", "authenticity", "stolen", "post", "environment", "logs"]
        assert p.plan("full")[6:] == ["ports", "poe", "optics", "burnin", "sanitization"]
        assert p.plan("burnin") == ["identity", "burnin"]
        assert p.params("burnin") == {"interval": 30, "duration": 3600}
        assert p.console["recovery"]["steps"]
    assert profiles["cisco_ios_router"].console["recovery"]["steps"] == ["confreg 0x2142"]
    assert profiles["cisco_iosxe_switch"].console["recovery"]["boot"] == "boot"


# ---- hand-written parsers on hostile or odd output -----------------------------------------------


def test_router_parsers_never_crash_on_garbage() -> None:
    import random

    rng = random.Random(5)
    for _ in range(50):
        junk = "".join(chr(rng.randrange(0, 0x250)) for _ in range(rng.randrange(1, 600)))
        junk += "\n P2      Fan1            Fan Failure         0 RPM      na\n Slot Type State\n"
        readings, odd = router_environment(junk)
        assert all(r.state is not SensorState.OK for r in readings)
        router_platform(junk)


def test_router_unknown_state_words() -> None:
    text = " R0      Temp: Inlet 1   Weird               31 Celsius     (45 ,55 ,65 ,75 )(Celsius)\n"
    (r,), _ = router_environment(text)
    assert r.state is SensorState.OK  # value below its own thresholds: judged by the value
    (f,), _ = router_environment(" P2      Fan1            Weird               4512 RPM      na\n")
    assert f.state is SensorState.UNKNOWN


def test_platform_composes_the_ports_collector() -> None:
    # ports / poe / optics / wipe come from cisco_ios_ports.py, not the stand-in of cisco_ios.py.
    for method in ("ports", "poe", "optics", "wipe", "verify_wiped"):
        assert getattr(PLATFORM, method).__module__ == "bench.platforms.cisco_ios.ports", method
