"""ports, poe, optics, burnin, sanitization: judgement on fake collectors, then end to end on the simulator."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import pytest
from helpers.cli_channels import make_ctx
from helpers.cli_channels import run as run_async

from bench.drivers.testing import Script
from bench.model import Identity, Outcome, Reading, SensorState, TestResult
from bench.platforms import (
    CliIdentity,
    Environment,
    Optic,
    Optics,
    Poe,
    PoePort,
    Ports,
    PortState,
    WipeReport,
)
from bench.platforms.cisco_ios.ports import CiscoIosPorts
from bench.platforms.contract import CablePair, CableTest, port_key
from bench.tests_hw import burnin, cli_check, optics, poe, ports, sanitization
from bench.tests_hw.base import SlotInfo, TestContext

# ------------------------------------------------------------------------------------ fakes


def ps(name: str, link: bool | None = True, speed: int | None = 1000, duplex: str = "full", media: str = "copper",
       err: bool = False, **counters: int) -> PortState:
    base = dict.fromkeys(ports.ERROR_COUNTERS, 0) | counters
    return PortState(name, True, link, speed if link else None, duplex if link else "", media, err, base)


def _scripted(what: str) -> Callable[..., Any]:
    async def collect(self: FakePlatform, ctx: TestContext, *args: Any) -> Any:
        return self._next(what)

    return collect


class FakePlatform:
    """A collector returning scripted facts; sequences advance per call and stick at their last entry."""

    name = "fake"

    def __init__(self, **script: Any) -> None:
        self.script = {k: list(v) if isinstance(v, list) else [v] for k, v in script.items()}
        self.calls: dict[str, int] = {}

    def _next(self, what: str) -> Any:
        seq = self.script[what]
        n = self.calls.get(what, 0)
        self.calls[what] = n + 1
        item = seq[min(n, len(seq) - 1)]
        if isinstance(item, Exception):
            raise item
        return item

    # Each collector method answers the next scripted entry under its key (verify_wiped's is "verify").
    ports = _scripted("ports")
    poe = _scripted("poe")
    optics = _scripted("optics")
    environment = _scripted("environment")
    identity = _scripted("identity")
    wipe = _scripted("wipe")
    verify_wiped = _scripted("verify")


class WithLinks(FakePlatform):
    link_states = _scripted("links")
    cable_test = _scripted("cable")


def judge(monkeypatch: pytest.MonkeyPatch, module: Any, fake: FakePlatform, params: dict[str, Any] | None = None,
          telemetry: Callable[[str, float], Any] | None = None) -> TestResult:
    # The CLI checks find their collector through cli_check; burn-in and identity call platform_for themselves.
    for finder in (module, cli_check):
        if hasattr(finder, "platform_for"):
            monkeypatch.setattr(finder, "platform_for", lambda ctx: fake)
    cli = Script().channel(platform="fake")  # judgement tests never reach the CLI: any command is an error
    ctx = TestContext(SlotInfo("A01"), "fake", dict(params or {}), Identity(), cli=cli,
                      record_telemetry=telemetry)
    return asyncio.run(module.run(ctx))


LOOP = {"harness": {"loopback": ["Gi1/0/1", "Gi1/0/2"]}, "traffic_seconds": 0}
HEALTHY = Ports([ps("GigabitEthernet1/0/1"), ps("GigabitEthernet1/0/2"), ps("GigabitEthernet1/0/3", link=False)])

# ------------------------------------------------------------------------------------ ports


def test_ports_harness_all_good_passes_and_lists_the_rest_as_not_cabled(monkeypatch: pytest.MonkeyPatch) -> None:
    r = judge(monkeypatch, ports, FakePlatform(ports=HEALTHY), LOOP)
    assert r.outcome is Outcome.PASS, r.summary
    assert set(r.evidence["ports"]) == {"Gi1/0/1", "Gi1/0/2"} and r.evidence["not_cabled"] == ["GigabitEthernet1/0/3"]
    assert "no traffic generator" in r.evidence["notes"][0]


def test_ports_dead_harness_port_fails_never_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    dead = Ports([ps("GigabitEthernet1/0/1"), ps("GigabitEthernet1/0/2", link=False)])
    r = judge(monkeypatch, ports, FakePlatform(ports=dead), LOOP)
    assert r.outcome is Outcome.FAIL and r.summary == "Gi1/0/2: no link (dead port)"


@pytest.mark.parametrize("counter", ports.ERROR_COUNTERS)
def test_ports_error_counter_growth_fails_naming_port_and_counter(monkeypatch: pytest.MonkeyPatch,
                                                                 counter: str) -> None:
    grown = Ports([ps("GigabitEthernet1/0/1", **{counter: 7}), ps("GigabitEthernet1/0/2")])
    r = judge(monkeypatch, ports, FakePlatform(ports=[HEALTHY, grown]), LOOP)
    assert r.outcome is Outcome.FAIL and r.summary == f"Gi1/0/1: {counter} grew by 7"


def test_ports_err_disabled_half_duplex_and_slow_copper_fail(monkeypatch: pytest.MonkeyPatch) -> None:
    bad = Ports([ps("Gi1/0/1", link=False, err=True), ps("Gi1/0/2", duplex="half"), ps("Gi1/0/3", speed=100)])
    r = judge(monkeypatch, ports, FakePlatform(ports=bad),
              {"harness": {"loopback": ["Gi1/0/1", "Gi1/0/2", "Gi1/0/3"]}, "traffic_seconds": 0})
    assert r.outcome is Outcome.FAIL
    assert r.evidence["failures"] == ["Gi1/0/1: err-disabled", "Gi1/0/2: half duplex",
                                      "Gi1/0/3: linked at 100 Mb/s, port is 1000 Mb/s"]


def test_ports_missing_readings_warn_not_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    unknown = Ports([PortState("Gi1/0/1", True, True, 1000, "full", "copper", False, {"crc": 0}),
                     ps("Gi1/0/2", duplex="")])
    r = judge(monkeypatch, ports, FakePlatform(ports=unknown), LOOP)
    assert r.outcome is Outcome.WARN
    assert "Gi1/0/1: counters unreadable: input_errors, runts, giants, output_errors" in r.evidence["warnings"]
    assert "Gi1/0/2: duplex unknown" in r.evidence["warnings"]


def test_ports_link_down_during_the_window_is_a_flap(monkeypatch: pytest.MonkeyPatch) -> None:
    blink = Ports([ps("Gi1/0/1"), ps("Gi1/0/2", link=False)])
    cable = CableTest("x", pairs=[CablePair("A", "Normal")])
    fake = WithLinks(ports=HEALTHY, links=[HEALTHY, blink, HEALTHY], cable=cable)
    r = judge(monkeypatch, ports, fake, {**LOOP, "traffic_seconds": 0.4, "link_poll_seconds": 0.1})
    assert r.outcome is Outcome.FAIL and r.summary.startswith("Gi1/0/2: link flapped (down at +")


def test_ports_a_port_that_links_during_the_window_after_a_boot_is_no_flap(monkeypatch: pytest.MonkeyPatch) -> None:
    # A unit retested right after its wipe's reload links its ports some seconds into the test: down at the
    # start, up from then on. That is not a flap (it sent healthy units to REPAIR); down again after up is.
    booting = Ports([ps("GigabitEthernet1/0/1"), ps("GigabitEthernet1/0/2", link=False)])
    cable = CableTest("x", pairs=[CablePair("A", "Normal")])
    fake = WithLinks(ports=[booting, HEALTHY], links=[booting, booting, HEALTHY, HEALTHY], cable=cable)
    r = judge(monkeypatch, ports, fake, {**LOOP, "traffic_seconds": 0.4, "link_poll_seconds": 0.1})
    assert r.outcome is Outcome.PASS, r.summary
    assert r.evidence["ports"]["Gi1/0/2"]["linked_late"] is True
    assert any("Gi1/0/2: linked during the test" in n for n in r.evidence["notes"])
    again = WithLinks(ports=[booting, HEALTHY], links=[booting, HEALTHY, booting, HEALTHY], cable=cable)
    r = judge(monkeypatch, ports, again, {**LOOP, "traffic_seconds": 0.4, "link_poll_seconds": 0.1})
    assert r.outcome is Outcome.FAIL and r.summary.startswith("Gi1/0/2: link flapped (down at +")


def test_ports_tdr_pair_fault_is_a_warning_with_evidence(monkeypatch: pytest.MonkeyPatch) -> None:
    cable = CableTest("x", pairs=[CablePair("A", "Normal", 1.0), CablePair("B", "Open", 12.0)])
    r = judge(monkeypatch, ports, WithLinks(ports=HEALTHY, links=HEALTHY, cable=cable), LOOP)
    assert r.outcome is Outcome.WARN and "cable test: pair B Open" in r.summary
    assert r.evidence["tdr"]["Gi1/0/1"]["pairs"][1] == {"pair": "B", "status": "Open", "length_m": 12.0, "remote": ""}


def test_ports_without_harness_checks_linked_ports_only(monkeypatch: pytest.MonkeyPatch) -> None:
    r = judge(monkeypatch, ports, FakePlatform(ports=HEALTHY), {"traffic_seconds": 0})
    assert r.outcome is Outcome.PASS and set(r.evidence["ports"]) == {"GigabitEthernet1/0/1", "GigabitEthernet1/0/2"}
    idle = Ports([ps("Gi1/0/1", link=False)])
    assert judge(monkeypatch, ports, FakePlatform(ports=idle), {"traffic_seconds": 0}).outcome is Outcome.NOT_RUN


def test_ports_unreadable_is_error_and_unknown_harness_port_warns(monkeypatch: pytest.MonkeyPatch) -> None:
    r = judge(monkeypatch, ports, FakePlatform(ports=Ports(problems=["'show interfaces': SshError: lost"])), LOOP)
    assert r.outcome is Outcome.ERROR
    r = judge(monkeypatch, ports, FakePlatform(ports=HEALTHY),
              {"harness": {"loopback": ["Gi1/0/1", "Gi9/0/9"]}, "traffic_seconds": 0})
    assert r.outcome is Outcome.WARN and "Gi9/0/9: harness names a port this unit does not have" in r.summary


def test_port_names_compare_however_they_are_spelled() -> None:
    assert port_key("GigabitEthernet1/0/1") == port_key("Gi1/0/1") == "gi1/0/1"
    assert port_key("TwentyFiveGigE1/0/1") == port_key("Twe1/0/1") != port_key("Tw1/0/1")
    assert port_key("ge-0/0/1") == "ge-0/0/1" and port_key("A1") == "a1" and port_key("Ethernet1") == "et1"
    assert ports.rated_speed("Te1/1/1") == 10000 and ports.rated_speed("xe-0/0/1") == 10000


# ------------------------------------------------------------------------------------ poe


def test_poe_not_supported_is_not_run(monkeypatch: pytest.MonkeyPatch) -> None:
    r = judge(monkeypatch, poe, FakePlatform(poe=Poe(False)))
    assert r.outcome is Outcome.NOT_RUN and r.summary == "model has no PoE"


@pytest.mark.parametrize("state", ["fault", "denied"])
def test_poe_fault_or_denied_fails_with_per_port_evidence(monkeypatch: pytest.MonkeyPatch, state: str) -> None:
    got = Poe(True, [PoePort("Gi1/0/1", "on", "4", 25.5), PoePort("Gi1/0/2", state, "", 0.0, "overload"),
                     PoePort("Gi1/0/3", "off", "", 0.0)])
    r = judge(monkeypatch, poe, FakePlatform(poe=got))
    assert r.outcome is Outcome.FAIL and f"Gi1/0/2: {state}" in r.summary
    assert r.evidence["ports"]["Gi1/0/1"] == {"state": "on", "class": "4", "watts": 25.5}
    assert r.evidence["ports_off"] == 1


def test_poe_healthy_passes_but_a_dark_harness_load_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    got = Poe(True, [PoePort("Gi1/0/1", "on", "4", 25.5), PoePort("Gi1/0/2", "off", "", 0.0)])
    assert judge(monkeypatch, poe, FakePlatform(poe=got)).outcome is Outcome.PASS
    r = judge(monkeypatch, poe, FakePlatform(poe=got), {"expect_powered": ["Gi1/0/2"]})
    assert r.outcome is Outcome.FAIL and "no power delivered" in r.summary
    lost = Poe(True, problems=["'show power inline': SshError: lost"])
    assert judge(monkeypatch, poe, FakePlatform(poe=lost)).outcome is Outcome.ERROR


# ------------------------------------------------------------------------------------ optics


def dom(kind: str, value: float, state: SensorState, warn: float = 70.0, fail: float = 75.0) -> Reading:
    return Reading(kind, f"Te1/1/1 {kind}", state, value, "C", warn, fail)


def test_optics_none_inserted_is_not_run(monkeypatch: pytest.MonkeyPatch) -> None:
    assert judge(monkeypatch, optics, FakePlatform(optics=Optics())).outcome is Outcome.NOT_RUN


def test_optics_alarm_fails_warning_warns_no_dom_warns(monkeypatch: pytest.MonkeyPatch) -> None:
    alarm = Optics([Optic("Te1/1/1", "SFP-10G-SR", "X", [dom("temperature", 78.0, SensorState.FAIL)])])
    r = judge(monkeypatch, optics, FakePlatform(optics=alarm))
    assert r.outcome is Outcome.FAIL and "Te1/1/1 temperature 78.0C past its alarm threshold" in r.summary
    warn = Optics([Optic("Te1/1/1", "SFP-10G-SR", "X", [dom("temperature", 71.0, SensorState.WARN)])])
    assert judge(monkeypatch, optics, FakePlatform(optics=warn)).outcome is Outcome.WARN
    # a collector saying OK while the value is past the module's own alarm is not believed
    lying = Optics([Optic("Te1/1/1", "SFP-10G-SR", "X", [dom("temperature", 80.0, SensorState.OK)])])
    assert judge(monkeypatch, optics, FakePlatform(optics=lying)).outcome is Outcome.FAIL
    bare = Optics([Optic("Gi1/0/25", "GLC-T", "Y")])
    r = judge(monkeypatch, optics, FakePlatform(optics=bare))
    assert r.outcome is Outcome.WARN and "no DOM readings" in r.summary
    fine = Optics([Optic("Te1/1/1", "SFP-10G-SR", "X", [dom("temperature", 30.0, SensorState.OK)])])
    assert judge(monkeypatch, optics, FakePlatform(optics=fine)).outcome is Outcome.PASS


def test_optics_dark_receiver_on_an_unpatched_port_is_not_judged(monkeypatch: pytest.MonkeyPatch) -> None:
    # No link and no light: nothing is patched, which says nothing about the optic (not a finding).
    rx = Reading("rx_power", "Te1/1/1 rx_power", SensorState.FAIL, -40.0, "dBm", -1.0, 2.0)
    got = Optics([Optic("TenGigabitEthernet1/1/1", "SFP-10G-SR", "X", [rx])])
    unplugged = Ports([ps("Te1/1/1", link=False, media="fiber")])
    r = judge(monkeypatch, optics, WithLinks(optics=got, links=unplugged))
    assert r.outcome is Outcome.PASS and "rx not judged on TenGigabitEthernet1/1/1" in r.summary
    assert r.evidence["rx_not_judged"]["ports"] == ["TenGigabitEthernet1/1/1"]
    hot = Reading("temperature", "Te1/1/1 temperature", SensorState.WARN, 71.0, "C", 70.0, 75.0)
    got_hot = Optics([Optic("TenGigabitEthernet1/1/1", "SFP-10G-SR", "X", [rx, hot])])
    assert judge(monkeypatch, optics, WithLinks(optics=got_hot, links=unplugged)).outcome is Outcome.WARN
    linked = Ports([ps("Te1/1/1", media="fiber")])
    assert judge(monkeypatch, optics, WithLinks(optics=got, links=linked)).outcome is Outcome.FAIL


# ------------------------------------------------------------------------------------ burn-in


def env(temp: float = 30.0, fan: SensorState = SensorState.OK) -> Environment:
    return Environment([Reading("temperature", "Inlet", SensorState.OK, temp, "C", 46, 56),
                        Reading("fan", "Fan 1", fan), Reading("psu", "PS1", SensorState.OK)])


def ident(up: float | None) -> CliIdentity:
    return CliIdentity(uptime_seconds=up, problems=[] if up is not None else ["'show version': SshError: lost"])


FAST = {"duration": 0.25, "interval": 0.05, "reconnect_grace": 1}


class Telemetry:
    def __init__(self) -> None:
        self.rows: list[tuple[str, float]] = []

    async def __call__(self, metric: str, value: float) -> None:
        self.rows.append((metric, value))


def test_burnin_steady_unit_passes_with_telemetry_and_compact_stats(monkeypatch: pytest.MonkeyPatch) -> None:
    ups = [ident(1000.0 + 0.05 * i) for i in range(40)]
    tel = Telemetry()
    r = judge(monkeypatch, burnin, FakePlatform(identity=ups, environment=env(), ports=HEALTHY), FAST, tel)
    assert r.outcome is Outcome.PASS, r.summary
    metrics = {m for m, _ in tel.rows}
    assert {"uptime", "temp:Inlet", "fan_ok:Fan 1", "psu_ok:PS1", "crc:GigabitEthernet1/0/1"} <= metrics
    assert "crc:GigabitEthernet1/0/3" not in metrics  # idle error-free ports add no rows
    assert r.evidence["metrics"]["temp:Inlet"] == {"min": 30.0, "max": 30.0, "last": 30.0, "n": r.evidence["samples"]}
    assert r.evidence["samples"] >= 4


def test_burnin_ends_at_its_duration_not_at_the_next_interval(monkeypatch: pytest.MonkeyPatch) -> None:
    # `bench run --burnin 1s` on a profile sampling every 30 s: the last sample is taken when the
    # duration is up, not one whole interval later.
    ups = [ident(1000.0 + 0.5 * i) for i in range(10)]
    t0 = time.monotonic()
    r = judge(monkeypatch, burnin, FakePlatform(identity=ups, environment=env(), ports=HEALTHY),
              {"duration": 0.5, "interval": 30, "reconnect_grace": 1})
    assert r.outcome is Outcome.PASS, r.summary
    assert r.evidence["samples"] == 2 and r.evidence["elapsed_s"] >= 0.5
    assert time.monotonic() - t0 < 15


def test_burnin_uptime_going_backwards_is_an_unexpected_reboot(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakePlatform(identity=[ident(5000.0), ident(5000.1), ident(3.0)], environment=env(), ports=HEALTHY)
    r = judge(monkeypatch, burnin, fake, FAST)
    assert r.outcome is Outcome.FAIL and r.summary.startswith("unexpected reboot at ")
    assert r.evidence["reboots"] == 1


def test_burnin_session_lost_then_reboot_is_fail_not_error(monkeypatch: pytest.MonkeyPatch) -> None:
    lost = Environment(problems=["'show environment all': SshError: session lost"])
    gone = Ports(problems=["'show interfaces': SshError: connection refused"])
    fake = FakePlatform(identity=[ident(900.0), ident(None), ident(None), ident(20.0)],
                        environment=[env(), lost, lost, env()], ports=[HEALTHY, gone, gone, HEALTHY])
    r = judge(monkeypatch, burnin, fake, FAST)
    assert r.outcome is Outcome.FAIL and "unexpected reboot" in r.summary
    assert any("lost contact" in e for e in r.evidence["events"])


def test_burnin_unit_that_never_answers_again_is_error(monkeypatch: pytest.MonkeyPatch) -> None:
    lost = Environment(problems=["lost"])
    fake = FakePlatform(identity=[ident(900.0), ident(None)], environment=[env(), lost], ports=[HEALTHY, Ports()])
    t0 = time.monotonic()
    r = judge(monkeypatch, burnin, fake, FAST)
    assert r.outcome is Outcome.ERROR and "never answered again" in r.summary
    assert time.monotonic() - t0 >= 1.0  # it kept trying through the reconnect grace


def test_burnin_reading_turning_fail_fails_with_when(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakePlatform(identity=[ident(100.0 + i) for i in range(40)],
                        environment=[env(), env(), env(fan=SensorState.FAIL)], ports=HEALTHY)
    r = judge(monkeypatch, burnin, fake, FAST)
    assert r.outcome is Outcome.FAIL and r.summary.startswith("fan Fan 1 failed at 20")


def test_burnin_counter_growth_warns_then_fails_past_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    def grow(n: int) -> list[Ports]:
        return [Ports([ps("Gi1/0/1", crc=i * n)]) for i in range(40)]
    ups = [ident(100.0 + i) for i in range(40)]
    r = judge(monkeypatch, burnin, FakePlatform(identity=ups, environment=env(), ports=grow(1)), FAST)
    assert r.outcome is Outcome.WARN and "Gi1/0/1 crc grew by" in r.summary
    r = judge(monkeypatch, burnin, FakePlatform(identity=ups, environment=env(), ports=grow(500)), FAST)
    assert r.outcome is Outcome.FAIL and "Gi1/0/1 crc grew by" in r.summary


def test_burnin_without_any_uptime_warns(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakePlatform(identity=CliIdentity(), environment=env(), ports=HEALTHY)
    r = judge(monkeypatch, burnin, fake, FAST)
    assert r.outcome is Outcome.WARN and "reboots could not be detected" in r.summary


def test_burnin_duration_strings() -> None:
    assert burnin.seconds("120s", 1) == 120 and burnin.seconds("90m", 1) == 5400 and burnin.seconds(7, 1) == 7
    assert burnin.seconds("soon", 30) == 30


# ------------------------------------------------------------------------------------ sanitization

DIRTY = WipeReport(remaining=["startup-config (present)", "flash:vlan.dat (616 bytes)"],
                   verified={"channel": "cli", "startup_config": "present", "flash_files": ["vlan.dat"]})
CLEAN = WipeReport(verified={"channel": "console", "startup_config": "not present", "flash_files": ["x.bin"]})
STEPS = [{"command": "write erase", "output": "[OK]"}]


def test_sanitization_clean_after_reload_passes_with_a_record(monkeypatch: pytest.MonkeyPatch) -> None:
    wiped = WipeReport(steps=STEPS, verified={"post_reload": "console", "pre_reload": {}})
    r = judge(monkeypatch, sanitization, FakePlatform(verify=[DIRTY, CLEAN], wipe=wiped))
    # the unit arrived with a previous owner's data: cleared and verified, flagged as WARN for the record
    assert r.outcome is Outcome.WARN and r.evidence["verified"] is True and "previous owner" in r.summary
    clean = judge(monkeypatch, sanitization, FakePlatform(verify=[CLEAN, CLEAN], wipe=wiped))
    assert clean.outcome is Outcome.PASS and clean.evidence["verified"] is True
    ev = r.evidence
    assert ev["method"] == "NIST SP 800-88 Clear: manufacturer reset" and ev["steps"] == STEPS
    assert ev["before"]["remaining"] == DIRTY.remaining and ev["after"]["remaining"] == []
    assert ev["started"] <= ev["finished"]


def test_sanitization_leftovers_after_the_wipe_fail(monkeypatch: pytest.MonkeyPatch) -> None:
    wiped = WipeReport(steps=STEPS, verified={"post_reload": "console"})
    r = judge(monkeypatch, sanitization, FakePlatform(verify=[DIRTY, DIRTY], wipe=wiped))
    assert r.outcome is Outcome.FAIL and "startup-config" in r.summary


def test_sanitization_without_post_reload_check_warns(monkeypatch: pytest.MonkeyPatch) -> None:
    pre = {"findings": {"startup_config": "not present", "flash_files": []}, "remaining": [], "problems": []}
    wiped = WipeReport(steps=STEPS, verified={"post_reload": "not possible: no console", "pre_reload": pre})
    fake = FakePlatform(verify=[DIRTY, AssertionError("no channel after the reload")], wipe=wiped)
    r = judge(monkeypatch, sanitization, fake)
    assert r.outcome is Outcome.WARN and "post-reload verification not possible: no console" in r.summary
    pre_dirty = {**pre, "remaining": ["flash:vlan.dat"]}
    wiped.verified["pre_reload"] = pre_dirty
    assert judge(monkeypatch, sanitization, FakePlatform(verify=DIRTY, wipe=wiped)).outcome is Outcome.FAIL


def test_sanitization_wipe_that_did_nothing_is_error(monkeypatch: pytest.MonkeyPatch) -> None:
    nothing = WipeReport(problems=["the CLI channel cannot answer confirmation prompts"])
    r = judge(monkeypatch, sanitization, FakePlatform(verify=DIRTY, wipe=nothing))
    assert r.outcome is Outcome.ERROR and "cannot answer" in r.summary
    r = judge(monkeypatch, sanitization, FakePlatform(verify=DIRTY, wipe=NotImplementedError("later")))
    assert r.outcome is Outcome.NOT_RUN


# ------------------------------------------------------------------------------------ on the simulator


async def sim_harness(ctx: TestContext) -> dict[str, Any]:
    """The simulated bench's wiring: plugs on the first four copper ports, fibre patched in pairs."""
    c = CiscoIosPorts()
    states = (await c.link_states(ctx)).ports
    optics_in = {port_key(n) for n in await c._inserted_optics(ctx, [])}
    copper = [p.name for p in states if p.media == "copper"][:4]
    fiber = [p.name for p in states if p.media != "copper"]
    pairs = [[a, b] for a, b in zip(fiber[0::2], fiber[1::2], strict=False)
             if port_key(a) in optics_in and port_key(b) in optics_in]
    return {"loopback": copper, "pairs": pairs}


def test_ports_on_the_simulator_catch_dead_crc_and_flapping_ports(bench_sim: Any) -> None:
    fleet = bench_sim(count=4, families=["cisco_ios_switch"], faults="S2:port_dead,S3:crc_errors,S4:link_flap")

    async def one(sid: str) -> TestResult:
        ctx = make_ctx(fleet, sid, snmp=False)
        # 32 s covers one whole link_flap period (30 s) with link polled every 2 s
        ctx.params = {"harness": await sim_harness(ctx), "traffic_seconds": 32, "link_poll_seconds": 2}
        return await ports.run(ctx)

    async def go() -> list[TestResult]:
        return list(await asyncio.gather(*(one(f"S{i}") for i in range(1, 5))))

    healthy, dead, crc, flap = run_async(go)
    assert healthy.outcome is Outcome.PASS, healthy.summary
    assert all(p["speed_mbps"] and p["duplex"] == "full" for p in healthy.evidence["ports"].values())
    tdr = healthy.evidence["tdr"].values()
    assert tdr and all(t["pairs"] and all(x["status"] == "Normal" for x in t["pairs"]) for t in tdr)
    assert dead.outcome is Outcome.FAIL and "no link (dead port)" in dead.summary, dead.summary
    assert crc.outcome is Outcome.FAIL and "crc grew by" in crc.summary, crc.summary
    assert flap.outcome is Outcome.FAIL and "link flapped" in flap.summary, flap.summary


def test_poe_and_optics_on_the_simulator(bench_sim: Any) -> None:
    fleet = bench_sim(count=3, families=["cisco_ios_switch"], faults="S1:poe_fault,S2:optic_dom_alarm", seed=5)

    async def go() -> list[TestResult]:
        return list(await asyncio.gather(poe.run(make_ctx(fleet, "S1", snmp=False)),
                                         optics.run(make_ctx(fleet, "S2", snmp=False)),
                                         poe.run(make_ctx(fleet, "S3", snmp=False)),
                                         optics.run(make_ctx(fleet, "S3", snmp=False))))

    faulted, hot, poe3, optics3 = run_async(go)
    assert faulted.outcome is Outcome.FAIL and "fault" in faulted.summary, faulted.summary
    assert any(p["state"] == "on" and p["class"] == "4" for p in faulted.evidence["ports"].values())
    assert hot.outcome is Outcome.FAIL and "temperature" in hot.summary and "alarm" in hot.summary, hot.summary
    poe_model = "P" in fleet.truth("S3")["model"].split("-")[2]
    assert poe3.outcome is (Outcome.PASS if poe_model else Outcome.NOT_RUN), poe3.summary
    assert optics3.outcome in (Outcome.PASS, Outcome.WARN, Outcome.NOT_RUN), optics3.summary


def test_sanitization_on_the_simulator_with_and_without_console(bench_sim: Any) -> None:
    fleet = bench_sim(count=2, families=["cisco_ios_switch"], faults="S1:leftover_config,S2:leftover_config")

    async def go() -> list[TestResult]:
        with_console = make_ctx(fleet, "S1", snmp=False, console=True)
        ssh_only = make_ctx(fleet, "S2", snmp=False)
        return list(await asyncio.gather(sanitization.run(with_console), sanitization.run(ssh_only)))

    full, blind = run_async(go)
    assert full.outcome is Outcome.WARN and full.evidence["verified"] is True, (full.summary, full.evidence)
    ev = full.evidence
    assert any(r.startswith("flash:vlan.dat") for r in ev["before"]["remaining"])
    assert any(r.startswith("startup-config") for r in ev["before"]["remaining"])
    commands = [s["command"] for s in ev["steps"]]
    assert commands[:1] == ["write erase"] and "delete /force flash:vlan.dat" in commands
    assert "reload" in commands and "no" in commands  # never save the old running config at reload
    assert ev["after"]["found"]["channel"] == "console" and ev["after"]["found"]["startup_config"] == "not present"
    assert ev["after"]["found"]["vlan_dat"] == "absent" and ev["after"]["remaining"] == []
    assert blind.outcome is Outcome.WARN and "post-reload verification not possible" in blind.summary, blind.summary
    assert blind.evidence["wipe"]["pre_reload"]["remaining"] == []


def test_burnin_on_the_simulator_reports_a_reboot_as_fail(bench_sim: Any) -> None:
    fleet = bench_sim(count=2, families=["cisco_ios_switch"], faults="S1:reboot@6s")
    tel = Telemetry()
    params = {"duration": 20, "interval": 2, "reconnect_grace": 120}  # a 9600-baud boot under CI load

    async def go() -> list[TestResult]:
        return list(await asyncio.gather(burnin.run(make_ctx(fleet, "S1", params, telemetry=tel)),
                                         burnin.run(make_ctx(fleet, "S2", params))))

    rebooted, steady = run_async(go)
    assert rebooted.outcome is Outcome.FAIL and "unexpected reboot at" in rebooted.summary, rebooted.summary
    assert rebooted.evidence["reboots"] == 1
    assert steady.outcome is Outcome.PASS, (steady.summary, steady.evidence.get("problems"))
    metrics = {m for m, _ in tel.rows}
    assert "uptime" in metrics and any(m.startswith("temp:") for m in metrics)
    assert any(m.startswith("fan_ok:") for m in metrics) and any(m.startswith("crc:") for m in metrics)
