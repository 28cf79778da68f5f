"""Catalyst 9300 / ISR 4331 families and the port model of all three IOS families.

CLI output parses with ntc-templates into the model's values; faults show on the ports; SNMP
(IF-MIB, ENTITY-MIB) walked with net-snmp's snmpbulkwalk equals the same model.
"""

from __future__ import annotations

import shutil

import pytest
from helpers.loop_thread import LoopThread
from helpers.sim_clients import snmp_walk
from ntc_templates.parse import parse_output

from simulators.families.cisco_ios.cli import IosSession
from simulators.families.cisco_ios.device import DOM, Device
from simulators.family import family
from simulators.faults import parse_faults

MODELS = [("cisco_ios_switch", "WS-C2960X-48FPD-L"), ("cisco_iosxe_switch", "C9300-24T"),
          ("cisco_iosxe_switch", "C9300-48P"), ("cisco_ios_router", "ISR4331/K9")]


def _session(fam: str, model: str, faults: str = "") -> tuple[Device, IosSession]:
    dev = family(fam).build("S1", 1, 7, model, parse_faults(",".join(f"S1:{f}" for f in faults.split(",") if f)))
    cli = dev.open_session(console=False)
    cli.feed("terminal length 0\n")
    cli.feed("enable\n")
    assert cli.feed("cisco\n").text.endswith("#")
    return dev, cli  # type: ignore[return-value]


def _run(cli: IosSession, command: str) -> str:
    lines = cli.feed(command + "\n").text.replace("\r\n", "\n").split("\n")
    assert lines[0] == command
    return "\n".join(lines[1:-1])


def _parse(cli: IosSession, command: str) -> list[dict]:
    rows = parse_output(platform="cisco_ios", command=command, data=_run(cli, command))
    assert rows, command
    return rows


@pytest.mark.parametrize(("fam", "model"), MODELS[1:])
def test_new_families_parse_to_model(fam: str, model: str) -> None:
    dev, cli = _session(fam, model, "crc_errors,optic_dom_alarm")
    ver = _parse(cli, "show version")[0]
    assert (ver["serial"], ver["hardware"], ver["version"]) == ([dev.serial], [model], dev.spec.version)
    assert ver["hostname"] == dev.hostname and ver["config_register"] == dev.config_register
    assert ver["reload_reason"] == "PowerOn" and ver["software_image"] == dev.spec.software_image
    inv = _parse(cli, "show inventory")
    assert {(r["pid"], r["sn"]) for r in inv} == {(i.pid, i.serial) for i in dev.inventory if i.fru}
    assert (inv[0]["pid"], inv[0]["sn"]) == (model, dev.serial)
    status = _parse(cli, "show interfaces status")
    assert [(r["port"], r["status"]) for r in status] == [(p.short, dev.status(p)) for p in dev.ports]
    ints = {r["interface"]: r for r in _parse(cli, "show interfaces")}
    for p in dev.ports:
        row, c = ints[p.name], dev.counters(p)
        assert row["link_status"] == ("up" if dev.link_up(p) else "down")
        # counters only grow: what was shown a moment ago is at most what the model holds now
        assert int(row["crc"]) <= c.crc and 0 < int(row["input_packets"]) + 1 <= c.in_pkts + 1 or not c.in_pkts
        assert row["mac_address"] == p.mac
    assert any(int(r["crc"]) > 0 for r in ints.values())
    trx = {r["interface"]: r for r in _parse(cli, "show interface transceiver")}
    assert set(trx) == {p.short for p in dev.ports if p.optic}
    if dev.spec.poe:
        poe = _parse(cli, "show power inline")
        assert [r["interface"] for r in poe] == [p.short for p in dev.ports if p.kind == "copper"]
        assert float(poe[0]["power"]) == dev.poe_power(dev.ports[0]) > 0
    if fam == "cisco_iosxe_switch":
        temps = _parse(cli, "show environment temperature")
        assert int(temps[0]["inlet_red_threshold"]) == 56
        power = _parse(cli, "show environment power all")
        assert [r["pid"] for r in power] == [p.pid for p in dev.psus]
    else:
        assert "Chassis type: ISR4331/K9" in _run(cli, "show platform")
        env = _run(cli, "show environment")
        assert "Temp: Inlet 1" in env and "P0      Vin" in env


@pytest.mark.parametrize(("fam", "model"), MODELS)
def test_port_faults(fam: str, model: str) -> None:
    dev, cli = _session(fam, model, "port_dead,link_flap,optic_security,optic_dom_alarm,counterfeit_serial")
    dead = next(p for p in dev.ports if p.dead)
    assert dead.harness != "none" and not dev.link_up(dead)
    assert f"{dead.short} " in _run(cli, "show interfaces status")
    assert dev.status(dead) in ("notconnect", "err-disabled")
    fibre = next(p for p in dev.ports if p.kind != "copper")
    assert "not supported" in _run(cli, f"test cable-diagnostics tdr interface {fibre.short}")
    plug = next(p for p in dev.ports if p.harness == "loopback" and not p.dead)
    assert "TDR test started" in _run(cli, f"test cable-diagnostics tdr interface {plug.short}")
    shown = _run(cli, f"show cable-diagnostics tdr interface {plug.short}")
    assert "Pair A" in shown and "Normal" in shown
    bad = next(p for p in dev.ports if p.err_disabled)
    assert dev.status(bad) == "err-disabled"
    logs = _run(cli, "show logging")
    assert f"%GBIC_SECURITY_CRYPT-4-VN_DATA_CRC_ERROR: GBIC in port {bad.short} has bad crc" in logs
    hot = next(p for p in dev.ports if p.dom_hot)
    detail = _run(cli, "show interfaces transceiver detail")
    assert f"{dev.dom(hot)['temp']:.1f} ++" in detail and f"{DOM[hot.optic or '']['temp'][0]:.1f}" in detail
    flap = next(p for p in dev.ports if p.flap_since is not None)
    dev._uptime_offset += 31  # let one flap period pass
    logs = _run(cli, "show logging")
    assert f"%LINK-3-UPDOWN: Interface {flap.name}, changed state to down" in logs
    assert f"%LINK-3-UPDOWN: Interface {flap.name}, changed state to up" in logs
    assert not dev.serial[2:].isalpha() and len(dev.serial) == 10  # counterfeit: not LLLYYWWSSSS
    assert f"Processor board ID {dev.serial}" in _run(cli, "show version")


def test_poe_fault_and_counters_grow() -> None:
    dev, cli = _session("cisco_iosxe_switch", "C9300-48P", "poe_fault,crc_errors")
    poe = {r["interface"]: r for r in _parse(cli, "show power inline")}
    faulty = next(p for p in dev.ports if p.poe_faulty)
    assert poe[faulty.short]["operational_status"] == "fault" and float(poe[faulty.short]["power"]) == 0.0
    crc = next(p for p in dev.ports if p.crc_since is not None)
    before = dev.counters(crc)
    dev._uptime_offset += 10
    after = dev.counters(crc)
    assert after.crc > before.crc and after.in_pkts > before.in_pkts and after.in_errors > before.in_errors
    errs = _run(cli, "show interfaces counters errors")
    assert any(line.split()[:3] == [crc.short, "0", str(dev.counters(crc).crc)] for line in errs.splitlines())




@pytest.mark.skipif(shutil.which("snmpbulkwalk") is None, reason="net-snmp tools not installed")
@pytest.mark.parametrize(("fam", "model"), MODELS)
def test_snmp_if_and_entity_mib(loop: LoopThread, fam: str, model: str) -> None:
    from simulators.fleet import PortAllocator
    from simulators.snmp_agent import SnmpAgent

    dev = family(fam).build("S1", 1, 7, model, parse_faults("S1:crc_errors"))
    port = PortAllocator().allocate()
    agent = SnmpAgent(host="127.0.0.1", port=port, community="public", view=dev.snmp_view)
    loop.run(agent.start())
    try:
        names = snmp_walk(port, "1.3.6.1.2.1.31.1.1.1.1", quick=True, extra=("-Ot", "-Oe"))
        assert sorted(names.values()) == sorted([p.short for p in dev.ports] + dev.virtual_ifaces())
        oper = snmp_walk(port, "1.3.6.1.2.1.2.2.1.8", quick=True, extra=("-Ot", "-Oe"))
        crc = snmp_walk(port, "1.3.6.1.2.1.2.2.1.14", quick=True, extra=("-Ot", "-Oe"))
        for p in dev.ports:
            assert oper[f"1.3.6.1.2.1.2.2.1.8.{p.ifindex}"] == ("up" if dev.link_up(p) else "down") or \
                oper[f"1.3.6.1.2.1.2.2.1.8.{p.ifindex}"] == ("1" if dev.link_up(p) else "2")
            assert int(crc[f"1.3.6.1.2.1.2.2.1.14.{p.ifindex}"]) <= dev.counters(p).in_errors
        serials = snmp_walk(port, "1.3.6.1.2.1.47.1.1.1.1.11", quick=True, extra=("-Ot", "-Oe"))
        pids = snmp_walk(port, "1.3.6.1.2.1.47.1.1.1.1.13", quick=True, extra=("-Ot", "-Oe"))
        for it in dev.inventory:
            assert serials[f"1.3.6.1.2.1.47.1.1.1.1.11.{it.index}"] == it.serial
            assert pids[f"1.3.6.1.2.1.47.1.1.1.1.13.{it.index}"] == it.pid
        sys_oid = snmp_walk(port, "1.3.6.1.2.1.1.2", quick=True, extra=("-Ot", "-Oe"))
        assert list(sys_oid.values()) == ["." + dev.spec.sys_object_id]
    finally:
        loop.run(agent.stop())
