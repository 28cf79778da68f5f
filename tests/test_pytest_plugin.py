"""The pytest plugin a profile author uses: a simulated fleet with faults, per test."""

from netmiko import ConnectHandler


def test_bench_sim_fixture_serves_a_faulty_device(bench_sim):
    fleet = bench_sim(count=2, families=["cisco_ios_switch"], faults="S2:fan_failed")
    assert fleet.truth("S2")["faults"] == ["fan_failed"]
    slot, creds = fleet.slot("S2"), fleet.credentials("S2")
    host, port = slot["ssh"].rsplit(":", 1)
    conn = ConnectHandler(device_type="cisco_ios", host=host, port=int(port), username=creds["username"],
                          password=creds["password"], secret=creds["enable"])
    try:
        assert "FAULTY" in conn.send_command("show environment fan")
    finally:
        conn.disconnect()
    assert "truth" not in fleet.run_file().read_text()
