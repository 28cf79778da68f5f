"""The simulated Catalyst's SNMP view builds IF-MIB (every port's counters) only when a request reads it:
the same OIDs and values as before, without the cost for the GETs and walks that never touch it."""

from __future__ import annotations

from simulators.families.cisco_ios.device import Device

IF_MIB = "1.3.6.1.2.1.2.2.1"
SYS_DESCR = "1.3.6.1.2.1.1.1.0"
ENVMON_FAN_STATE = "1.3.6.1.4.1.9.9.13.1.4.1.3.1"


class CountingDevice(Device):
    """Counts how often the per-port counters are computed (what IF-MIB costs a request)."""

    counted = 0

    def counters(self, p):  # type: ignore[no-untyped-def]
        self.counted += 1
        return super().counters(p)


def _at(dev: Device, uptime: float) -> Device:
    dev.uptime = lambda: uptime  # type: ignore[method-assign]  # a stopped clock: two views can be compared
    return dev


def test_view_holds_the_if_mib_of_every_port_with_the_values_built_eagerly() -> None:
    dev = _at(Device("S1", 1, 5, "WS-C2960X-24PS-L"), 600.0)
    view = dev.snmp_view()
    eager = dev._if_mib(600.0)
    assert set(eager) <= set(view.keys())
    assert {k: view[k] for k in eager} == eager
    assert len(view) == len(dict(view.items()))
    assert f"{IF_MIB}.7.{dev.ports[0].ifindex}" in view and "1.3.6.1.2.1.2.2.1.7.99999" not in view


def test_system_and_environment_reads_do_not_compute_port_counters() -> None:
    dev = _at(CountingDevice("S1", 1, 5, "WS-C2960X-48FPD-L"), 600.0)
    dev.snmp_view()  # the first view learns which OIDs IF-MIB has (by building it once)
    dev.counted = 0
    view = dev.snmp_view()
    assert view[SYS_DESCR][1].startswith("Cisco IOS Software")
    assert view[ENVMON_FAN_STATE] == ("Integer", 1)
    assert dev.counted == 0
    view[f"{IF_MIB}.10.{dev.ports[0].ifindex}"]
    assert dev.counted == len(dev.ports)  # once per port for the whole request, not per OID read
    view[f"{IF_MIB}.16.{dev.ports[1].ifindex}"]
    assert dev.counted == len(dev.ports)


def test_a_shutdown_between_requests_shows_in_the_next_view() -> None:
    dev = _at(Device("S1", 1, 5, "WS-C2960X-24PS-L"), 600.0)
    port = dev.ports[0]
    assert dev.snmp_view()[f"{IF_MIB}.7.{port.ifindex}"] == ("Integer", 1)
    port.shutdown = True
    assert dev.snmp_view()[f"{IF_MIB}.7.{port.ifindex}"] == ("Integer", 2)
