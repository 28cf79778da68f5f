"""Configuration basics the bench changes: interface shut/no shut and a management address."""

from simulators.families.cisco_ios.cli import IosSession
from simulators.families.cisco_ios.device import Device


def _run(session: IosSession, *lines: str) -> str:
    return "".join(session.feed(line + "\r").text for line in lines)


def test_shutdown_takes_a_linked_port_down_everywhere_and_no_shutdown_brings_it_back() -> None:
    dev = Device("S1", 1, 5, "WS-C2960X-24PS-L")
    dev._uptime_offset = 600.0  # links come up 45 s after boot
    port = next(p for p in dev.ports if dev.link_up(p))
    cli = IosSession(dev, console=False)
    cli.mode = "enable"
    _run(cli, "configure terminal", f"interface {port.name}", "shutdown", "end")
    status = _run(cli, "show interfaces status")
    line = next(x for x in status.splitlines() if x.startswith(port.short + " "))
    assert "disabled" in line and not dev.link_up(port)
    view = dev.snmp_view()
    assert view[f"1.3.6.1.2.1.2.2.1.7.{port.ifindex}"] == ("Integer", 2)  # ifAdminStatus down
    _run(cli, "configure terminal", f"interface {port.name}", "no shutdown", "end")
    assert dev.link_up(port)


def test_management_address_on_vlan1() -> None:
    dev = Device("S1", 1, 5, "WS-C2960X-24PS-L")
    cli = IosSession(dev, console=False)
    cli.mode = "enable"
    _run(cli, "configure terminal", "interface Vlan1", "ip address 192.0.2.10 255.255.255.0", "end")
    brief = _run(cli, "show ip interface brief")
    assert any(x.startswith("Vlan1") and "192.0.2.10" in x for x in brief.splitlines())
