"""The simulator's IOS output parses with ntc-templates into the model's own values."""

from __future__ import annotations

import pytest
from ntc_templates.parse import parse_output

from simulators.families.cisco_ios.catalog import MODELS
from simulators.families.cisco_ios.cli import IosSession
from simulators.families.cisco_ios.device import Device
from simulators.faults import parse_faults


def _session(model: str, faults: str = "") -> tuple[Device, IosSession]:
    dev = Device("S1", 1, 42, model, parse_faults(",".join(f"S1:{f}" for f in faults.split(",") if f)))
    cli = IosSession(dev, console=False, username="cisco")
    cli.feed("terminal length 0\n")
    cli.feed("enable\n")
    assert cli.feed("cisco\n").text.endswith("#")
    return dev, cli


def _run(cli: IosSession, command: str) -> str:
    """The command's output without the echoed command line and the trailing prompt."""
    text = cli.feed(command + "\n").text.replace("\r\n", "\n")
    lines = text.split("\n")
    assert lines[0] == command
    return "\n".join(lines[1:-1])


def _parse(cli: IosSession, command: str) -> list[dict]:
    rows = parse_output(platform="cisco_ios", command=command, data=_run(cli, command))
    assert rows, f"{command}: template yielded nothing"
    return rows


@pytest.mark.parametrize("model", sorted(m for m in MODELS if MODELS[m].family == "cisco_ios_switch"))
@pytest.mark.parametrize("faults", ["", "fan_failed,psu_failed,overtemp,parity_crash,leftover_config"])
def test_templates_yield_model_values(model: str, faults: str) -> None:
    dev, cli = _session(model, faults)
    spec = dev.spec

    ver = _parse(cli, "show version")[0]
    assert ver["serial"][0] == dev.serial
    assert ver["hardware"][0] == model
    assert ver["version"] == spec.version
    assert ver["hostname"] == dev.hostname
    assert ver["running_image"] == spec.image_file
    assert ver["config_register"] == dev.config_register
    assert ver["software_image"] == spec.software_image
    assert len(ver["serial"]) == spec.stack_members

    inv = _parse(cli, "show inventory")
    shown = {(r["pid"], r["sn"]) for r in inv}
    for item in dev.inventory:
        if item.fru:
            assert (item.pid, item.serial) in shown
    assert inv[0]["pid"] == model and inv[0]["sn"] == dev.serial

    temps = _parse(cli, "show environment temperature")
    assert len(temps) == spec.stack_members
    inlet = next(t for t in dev.temps if t.kind == "Inlet" and t.member == 1)
    assert int(temps[0]["inlet_temperature_value"]) == inlet.value(dev.uptime())
    assert int(temps[0]["inlet_red_threshold"]) == inlet.red
    assert temps[0]["inlet_temperature_state"] == ("RED" if "overtemp" in faults else "GREEN")

    power = _parse(cli, "show environment power all")
    assert len(power) == len(dev.psus)
    assert [r["sys_pwr"] for r in power] == ["Good" if p.ok else "Bad" for p in dev.psus]
    if "psu_failed" in faults:
        assert power[-1]["sys_pwr"] == "Bad"
    for row, psu in zip(power, dev.psus, strict=True):
        assert row["pid"] == (psu.pid or "Built-in")
        assert row["serial"] == psu.serial

    files = {r["name"] for r in _parse(cli, "dir")}
    assert {spec.image_file, "vlan.dat", "config.text", "private-config.text"} <= files
    assert ("crashinfo" in files) == ("parity_crash" in faults)

    logs = _parse(cli, "show logging")
    assert [f"%{r['facility']}-{r['severity']}-{r['mnemonic']}: {r['message'][0]}" for r in logs] == [
        e.text for e in sorted(dev.logs, key=lambda e: e.at)]

    ports = _parse(cli, "show interfaces status")
    assert [r["port"] for r in ports] == [p.short for p in dev.ports]

    clock = _parse(cli, "show clock")[0]
    assert clock["year"] == "1993" and clock["timezone"] == "UTC"


def test_parity_crash_evidence() -> None:
    dev, cli = _session("WS-C2960X-48FPD-L", "parity_crash")
    ver = _parse(cli, "show version")[0]
    assert "parity error" in ver["reload_reason"]
    sub = parse_output(platform="cisco_ios", command="dir", data=_run(cli, "dir flash:/crashinfo"))
    assert {r["name"] for r in sub} >= {"crashinfo_1", "crashinfo_ext_1"}
    assert any("Parity error" in " ".join(r["message"]) for r in _parse(cli, "show logging"))


def test_healthy_reload_reason_is_power_on() -> None:
    _, cli = _session("WS-C2960X-24TS-L")
    assert _parse(cli, "show version")[0]["reload_reason"] == "power-on"
