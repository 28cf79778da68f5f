"""NAPALM's `ios` driver against the simulated IOS families over real SSH: getters return the model's truth."""

from __future__ import annotations

import pytest
from helpers.loop_thread import LoopThread

from simulators.family import family
from simulators.faults import parse_faults
from simulators.ssh_server import SshFrontEnd

napalm = pytest.importorskip("napalm")

CASES = [("cisco_ios_switch", "WS-C2960X-24PS-L"), ("cisco_iosxe_switch", "C9300-48P"),
         ("cisco_ios_router", "ISR4331/K9")]


@pytest.mark.parametrize(("fam", "model"), CASES)
def test_napalm_getters(loop: LoopThread, fam: str, model: str) -> None:
    dev = family(fam).build("S1", 3, 11, model, parse_faults("S1:crc_errors"))
    fe = SshFrontEnd(dev)  # type: ignore[arg-type]
    loop.run(fe.start())
    drv = napalm.get_network_driver("ios")("127.0.0.1", "cisco", "cisco", timeout=20,
                                           optional_args={"port": fe.port, "secret": "cisco", "fast_cli": False})
    try:
        drv.open()
        facts = drv.get_facts()
        assert facts["serial_number"] == dev.serial
        assert facts["model"] == model
        assert facts["hostname"] == dev.hostname
        assert f"Version {dev.spec.version}," in facts["os_version"]
        assert facts["interface_list"] == dev.virtual_ifaces() + [p.name for p in dev.ports]

        env = drv.get_environment()
        assert env["cpu"][0]["%usage"] == float(dev.cpu_percent())
        pools = dev.memory_pools()
        assert env["memory"]["available_ram"] == sum(p[2] for p in pools)
        assert env["memory"]["used_ram"] == sum(p[3] for p in pools)
        if fam == "cisco_ios_router":
            assert "invalid" in env["temperature"]  # an ISR has no Catalyst temperature status command
        else:
            inlet = next(t for t in dev.temps if t.kind == "Inlet")
            assert env["temperature"]["inlet"]["temperature"] == float(inlet.value(dev.uptime()))
            assert env["temperature"]["inlet"]["is_critical"] is False

        ifaces = drv.get_interfaces()
        assert set(ifaces) == set(facts["interface_list"])
        for p in dev.ports:
            got = ifaces[p.name]
            assert got["is_up"] == dev.link_up(p) and got["is_enabled"] is True
            assert got["speed"] == float(dev.speed_mbps(p))
            assert got["mac_address"].replace(":", "").lower() == p.mac.replace(".", "")

        counters = drv.get_interfaces_counters()
        crc_port = next(p for p in dev.ports if p.crc_since is not None)
        for p in dev.ports:
            c = counters[p.name]
            now = dev.counters(p)
            assert c["rx_unicast_packets"] <= now.in_pkts and (c["rx_unicast_packets"] > 0) == (now.in_pkts > 0)
            assert c["rx_errors"] <= now.in_errors
            assert c["rx_discards"] == 0 and c["tx_discards"] == 0
        assert counters[crc_port.name]["rx_errors"] > 0
        drv.close()
    finally:
        loop.run(fe.stop())
