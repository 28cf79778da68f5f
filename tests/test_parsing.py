"""Parsing of device output: sanitising, rejections, ntc-templates wrapper, hand-written parsers."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from bench.drivers.parsing import ParseError, parse, sanitize
from bench.model import SensorState
from bench.platforms.cisco_ios.collector import DATA as CISCO_DATA
from bench.platforms.cisco_ios.collector import parse_fans, parse_post, psu_section
from bench.platforms.cli import classify
from bench.tests_hw.environment import judge_temperature
from bench.tests_hw.identity import component_kind

DATA = Path(__file__).parent / "data" / "cisco_ios"


def fixture(name: str) -> str:
    return (DATA / name).read_text()


def test_sanitize_strips_escapes_controls_and_crlf() -> None:
    raw = "\x1b[1;31mFAN\x1b[0m is OK\r\n\x00PSU\tGood\x07\r\n\x1b]0;pwned\x07end\x1b(B\x9b2J\x7f"
    assert sanitize(raw) == "FAN is OK\nPSU\tGood\nend2J"


def test_sanitize_lone_cr_cannot_overwrite_a_line() -> None:
    assert sanitize("Status Failed\rStatus Passed") == "Status Failed\nStatus Passed"


def test_sanitize_bytes_never_raises_and_is_idempotent() -> None:
    rng = random.Random(7)
    blob = bytes(rng.randrange(256) for _ in range(4096))
    once = sanitize(blob)
    assert sanitize(once) == once
    assert not any(ord(c) < 32 and c not in "\n\t" for c in once)
    assert "\x1b" not in once


def test_the_cisco_platform_finds_the_refusal_line() -> None:
    cisco = CISCO_DATA
    assert classify(cisco, "x", fixture("rejected.txt")).rejected == "% Invalid input detected at '^' marker."
    assert classify(cisco, "x", "% Incomplete command.\n").rejected == "% Incomplete command."
    assert classify(cisco, "x", fixture("show_env_fan.txt")).ok


def test_parse_returns_none_without_template() -> None:
    assert parse("cisco_ios", "show post", fixture("show_post.txt")) is None
    assert parse("cisco_ios", "show environment fan", fixture("show_env_fan.txt")) is None


def test_parse_show_version_2960xr() -> None:
    (row,) = parse("cisco_ios", "show version", fixture("show_version.txt"))
    assert row["hardware"] == ["WS-C2960XR-48FPD-I"]
    assert row["serial"] == ["FOC1931X0AB"]
    assert row["reload_reason"] == "power-on"
    assert row["config_register"] == "0xF"


def test_parse_power_all_keeps_not_present_bay() -> None:
    rows = parse("cisco_ios", "show environment power all", fixture("show_env_power_all.txt"))
    assert [(r["ps_module"], r["pid"]) for r in rows] == [("1A", "PWR-C2-1025WAC"), ("1B", "Not Present")]


def test_parse_raises_parse_error_naming_the_command() -> None:
    with pytest.raises(ParseError, match="show environment temperature"):
        parse("cisco_ios", "show environment temperature", "Switch 1: SYSTEM TEMPERATURE is OK\nbogus line\n")


@pytest.mark.parametrize(
    "command",
    [
        "show version",
        "show inventory",
        "show environment temperature",
        "show environment power all",
        "show logging",
        "dir",
    ],
)
def test_parse_hostile_output_only_raises_parse_error(command: str) -> None:
    rng = random.Random(command)
    for _ in range(20):
        junk = "".join(chr(rng.randrange(0, 0x250)) for _ in range(rng.randrange(1, 400)))
        junk += "\x1b[2J\x00" + fixture("show_env_temperature.txt")[: rng.randrange(200)]
        try:
            rows = parse("cisco_ios", command, junk)
        except ParseError:
            continue
        assert isinstance(rows, list)


def test_parse_post_stored_results() -> None:
    steps = parse_post(fixture("show_post_failed.txt"))
    assert len(steps) == 6
    assert all(s.switch == "1" for s in steps)
    failed = [s.test for s in steps if s.status == "failed"]
    assert failed == ["PortASIC Port Loopback Tests"]
    assert parse_post("POST: TCAM BIST : Begin\n")[0].status == "incomplete"


def test_parse_fans_formats() -> None:
    fans, absent = parse_fans(fixture("show_env_fan_failed.txt"))
    assert [(f.name, f.state) for f in fans] == [
        ("switch 1 fan 1", SensorState.OK),
        ("switch 1 fan 2", SensorState.FAIL),
        ("fan PS-1", SensorState.OK),
    ]
    assert absent == ["fan PS-2"]
    fans, _ = parse_fans(fixture("show_env_all.txt"))
    assert [(f.name, f.state) for f in fans] == [("fan", SensorState.OK)]
    table = (
        "Switch   FAN     Speed   State   Airflow direction\n-----------------------------\n"
        "  1       1     14240     OK     Front to Back\n  1       2         0     FAULTY Front to Back\n"
    )
    fans, _ = parse_fans(table)
    assert [(f.name, f.state, f.value) for f in fans] == [
        ("switch 1 fan 1", SensorState.OK, 14240.0),
        ("switch 1 fan 2", SensorState.FAIL, 0.0),
    ]
    assert parse_fans("FAN 3 is WEIRD")[0][0].state is SensorState.UNKNOWN


def test_psu_section_is_cut_out_of_show_env_all() -> None:
    rows = parse("cisco_ios", "show environment power all", psu_section(fixture("show_env_all.txt")))
    assert rows[0]["ps_module"] == "1" and rows[0]["sys_pwr"] == "Good"


def test_judge_temperature_uses_device_thresholds() -> None:
    assert judge_temperature(29, 46, 56, "GREEN") is SensorState.OK
    assert judge_temperature(50, 46, 56, "GREEN") is SensorState.WARN
    assert judge_temperature(56, 46, 56, "GREEN") is SensorState.FAIL
    assert judge_temperature(None, None, None, "") is SensorState.UNKNOWN
    assert judge_temperature(30, 46, 56, "RED") is SensorState.FAIL


@pytest.mark.parametrize(
    ("name", "descr", "pid", "kind"),
    [
        ("1", "WS-C2960XR-48FPD-I", "WS-C2960XR-48FPD-I", "chassis"),
        ("Switch 1 - Power Supply 0", "FRU Power Supply", "PWR-C2-1025WAC", "psu"),
        ("Switch 1 - FlexStackPlus Module", "Stacking Module", "C2960X-STACK", "module"),
        ("GigabitEthernet1/0/49", "1000BaseSX SFP", "GLC-SX-MMD", "optic"),
        ("Switch 1 - FAN 1", "FRU Fan", "FAN-T2", "fan"),
        ("NIM subslot 0/2", "NIM-1GE-CU-SFP 1-port Gigabit Ethernet module", "NIM-1GE-CU-SFP", "module"),
        ("subslot 0/0 transceiver 2", "1000BaseLX SFP", "GLC-LH-SMD", "optic"),
        ("Switch 1 FRU Uplink Module 1", "8x10G Uplink Module", "C9300-NM-8X", "module"),
    ],
)
def test_component_kind(name: str, descr: str, pid: str, kind: str) -> None:
    assert component_kind(name, descr, pid) == kind
