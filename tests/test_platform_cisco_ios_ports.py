"""The Cisco ports/PoE/optics/TDR/wipe collector against the simulated cisco_ios_switch, over real SSH
(channels from tests/helpers/cli_channels.py)."""

from __future__ import annotations

import asyncio
import random
import re
from typing import Any

import pytest
from helpers.cli_channels import make_ctx, run

from bench.drivers.testing import Script, ScriptedChannel, line_noise
from bench.model import Identity, SensorState
from bench.platforms.cisco_ios.ports import CiscoIosPorts, parse_tdr, parse_transceiver_detail
from bench.platforms.contract import port_key
from bench.tests_hw.base import SlotInfo, TestContext

# ------------------------------------------------------------------------------------ collector facts

def test_ports_poe_optics_tdr_facts_on_a_healthy_switch(bench_sim: Any) -> None:
    fleet = bench_sim(count=2, families=["cisco_ios_switch"], faults="S1:poe_fault,S2:optic_dom_alarm", seed=3)
    c = CiscoIosPorts()

    async def go() -> Any:
        one, two = make_ctx(fleet, "S1", snmp=False), make_ctx(fleet, "S2", snmp=False)
        got = await asyncio.gather(c.ports(one), c.link_states(one), c.poe(one), c.optics(two), c.poe(two))
        tdr = await c.cable_test(one, got[0].ports[0].name)
        fiber = next(p.name for p in got[0].ports if p.media != "copper")
        return (*got, tdr, await c.cable_test(one, fiber))

    ports, links, poe, optics, poe2, tdr, tdr_fiber = run(go)
    assert not ports.problems and not links.problems
    copper = [p for p in ports.ports if p.media == "copper"]
    # the simulated harness: the first four copper ports carry loopback plugs
    assert [p.link_up for p in copper[:5]] == [True, True, True, True, False]
    first = copper[0]
    assert first.name.startswith("GigabitEthernet") and first.duplex == "full" and first.speed_mbps == 1000
    assert set(first.counters) == {"crc", "input_errors", "runts", "giants", "output_errors"}
    assert {port_key(p.name) for p in links.ports} == {port_key(p.name) for p in ports.ports}
    assert not any(p.err_disabled for p in ports.ports)

    # poe_fault put S1 on a PoE model: loads on the first two plugs, the second one faulted
    assert poe.supported and not poe.problems
    states = {port_key(p.name): p for p in poe.ports}
    assert states[port_key(copper[0].name)].state == "on" and states[port_key(copper[0].name)].poe_class == "4"
    assert states[port_key(copper[0].name)].watts == 25.5
    assert [p.state for p in poe.ports].count("fault") == 1
    assert states[port_key(copper[1].name)].state == "fault"
    if "P" not in fleet.truth("S2")["model"].split("-")[2]:
        assert not poe2.supported and not poe2.ports  # rejected command: this model has no PoE

    assert tdr.supported and [p.pair for p in tdr.pairs] == ["A", "B", "C", "D"]
    assert all(p.status == "Normal" for p in tdr.pairs) and tdr.pairs[0].length_m == 1.0
    assert not tdr_fiber.supported

    hot = [r for o in optics.optics for r in o.readings if r.state is SensorState.FAIL and r.kind == "temperature"]
    assert len(hot) == 1 and hot[0].value is not None and hot[0].fail_at is not None
    assert hot[0].value >= hot[0].fail_at  # judged against that optic's own high alarm
    assert all(o.pid and o.serial for o in optics.optics)
    assert {len(o.readings) for o in optics.optics} == {5}


def test_verify_wiped_lists_what_the_previous_owner_left(bench_sim: Any) -> None:
    fleet = bench_sim(count=1, families=["cisco_ios_switch"], faults="S1:leftover_config")
    report = run(lambda: CiscoIosPorts().verify_wiped(make_ctx(fleet, "S1", snmp=False)))
    assert report.verified["channel"] == "cli"
    assert report.verified["startup_config"].startswith("present") and "ACME-" in report.verified["startup_config"]
    assert report.verified["vlan_dat"] == "present"
    assert any(r.startswith("flash:vlan.dat") for r in report.remaining)
    assert any(r.startswith("startup-config") for r in report.remaining)
    # the image and the factory files are not previous-owner data; the saved configuration is
    assert not any(".bin" in r or "multiple-fs" in r for r in report.remaining)
    assert "config.text" in report.verified["user_files"]


# ------------------------------------------------------------------------------------ parsers

DETAIL = """
                              High Alarm  High Warn  Low Warn   Low Alarm
           Temperature        Threshold   Threshold  Threshold  Threshold
Port       (Celsius)          (Celsius)   (Celsius)  (Celsius)  (Celsius)
---------  -----------------  ----------  ---------  ---------  ---------
Gi1/0/27       30.5               85.0       80.0       -5.0      -10.0
Te1/1/2     93.4 ++               90.0       85.0       -5.0      -10.0

           Optical            High Alarm  High Warn  Low Warn   Low Alarm
           Receive Power      Threshold   Threshold  Threshold  Threshold
Port       (dBm)              (dBm)       (dBm)      (dBm)      (dBm)
---------  -----------------  ----------  ---------  ---------  ---------
Gi1/0/27      -18.0 -              -3.0       -4.0      -17.0      -23.0
Te1/1/2         N/A               1.0       -1.0      -17.0      -20.0
"""


def test_transceiver_detail_parser_keeps_each_optics_thresholds() -> None:
    got = parse_transceiver_detail(DETAIL)
    assert got["Gi1/0/27"]["temperature"]["thresholds"] == (85.0, 80.0, -5.0, -10.0)
    assert got["Te1/1/2"]["temperature"] == {"value": 93.4, "flag": "++", "thresholds": (90.0, 85.0, -5.0, -10.0)}
    assert got["Gi1/0/27"]["rx_power"]["flag"] == "-" and got["Te1/1/2"]["rx_power"]["value"] is None


def test_tdr_parser_reads_pairs_and_faults() -> None:
    text = """TDR test last run on: March 01 00:10:12

Interface Speed Local pair Pair length        Remote pair Pair status
--------- ----- ---------- ------------------ ----------- --------------------
Gi1/0/1   1000M Pair A     1    +/- 1  meters Pair B      Normal
                Pair B     1    +/- 1  meters Pair A      Normal
                Pair C     12   +/- 1  meters N/A         Open
                Pair D     N/A                N/A         Short
"""
    t = parse_tdr("Gi1/0/1", text)
    assert [(p.pair, p.status, p.length_m) for p in t.pairs] == [
        ("A", "Normal", 1.0), ("B", "Normal", 1.0), ("C", "Open", 12.0), ("D", "Short", None)]


def test_parsers_survive_hostile_output() -> None:
    rng = random.Random(7)
    alphabet = "Pair ABCD 0123456789.+-/ GiTe\x1b[31m\x00\r\n\tN/A Normal Open Threshold Temperature ++ --"
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 400)))
        parse_transceiver_detail(DETAIL[: rng.randint(0, len(DETAIL))] + text)
        parse_tdr("Gi1/0/1", text)


def junk_cli(seed: int) -> ScriptedChannel:
    """A unit spewing line noise at every command."""
    alphabet = "Gi1/0/1 connected notconnect a-full a-1000 up down CRC runts\x1b[2J\x00\r\n\t%Error ++ Pair A"
    return Script([(re.compile(""), line_noise(seed, alphabet, 600))]).channel(platform="cisco_ios")


@pytest.mark.parametrize("seed", range(8))
def test_collector_survives_garbage_and_never_invents_health(seed: int) -> None:
    c = CiscoIosPorts()

    async def go() -> Any:
        ctx = TestContext(SlotInfo("X"), "cisco_ios_switch", {"tdr_timeout": 0}, Identity(), cli=junk_cli(seed))
        return await asyncio.gather(c.ports(ctx), c.poe(ctx), c.optics(ctx), c.cable_test(ctx, "Gi1/0/1"),
                                    c.verify_wiped(ctx))

    got_ports, got_poe, got_optics, tdr, wiped = asyncio.run(go())
    assert all(not p.counters or set(p.counters) <= {"crc", "input_errors", "runts", "giants", "output_errors"}
               for p in got_ports.ports)
    assert all(r.state is not SensorState.OK or r.value is not None for o in got_optics.optics for r in o.readings)
    assert all(p.status for p in tdr.pairs)
    assert got_poe.supported or not got_poe.ports
    # garbage never proves a unit clean
    assert wiped.remaining or not {"startup_config", "flash_files"} <= set(wiped.verified)


def test_router_optics_named_by_subslot_are_one_optic_with_their_dom(bench_sim: Any) -> None:
    # An ISR's inventory names the optic of Gi0/0/2 "subslot 0/0 transceiver 2"; its DOM is under Gi0/0/2.
    fleet = bench_sim(count=3, families=["cisco_ios_switch", "cisco_iosxe_switch", "cisco_ios_router"], seed=21)
    optics = run(lambda: CiscoIosPorts().optics(make_ctx(fleet, "S3", snmp=False)))
    assert optics.optics and not optics.problems
    for o in optics.optics:
        assert o.port.startswith("Gi") and o.pid and o.serial and len(o.readings) == 5, o
