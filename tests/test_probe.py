"""`bench probe`: a real Linux host over a real sshd, this host via local://, simulated servers and
switches over SSH, SNMP and the console, and bad URLs refused with one line (exit 2)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers.real_sshd import RealSshd
from helpers.sim_bench import SimBench, start_sim, stop_sim

MEMTOTAL = int(Path("/proc/meminfo").read_text().split()[1]) * 1024


def probe(*args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bench.cli", "probe", *args], capture_output=True, text=True,
                          timeout=timeout, check=False)


def probe_json(*urls: str) -> Any:
    r = probe(*urls, "--json")
    assert r.returncode == 0, r.stderr + r.stdout
    return json.loads(r.stdout)


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Any:
    sim = start_sim(tmp_path_factory.mktemp("probe-servers"), 2, "S2:edac_errors", seed=5, family="linux_server")
    yield sim
    stop_sim(sim.proc)


def ssh_url(sim: SimBench, slot: str) -> str:
    entry = next(s for s in sim.doc["slots"] if s["id"] == slot)
    cred = sim.doc["credentials"][entry["credentials"][0]]
    return f"ssh://{cred['username']}:{cred['password']}@{entry['ssh']}"


def test_real_host_over_real_sshd(real_sshd: RealSshd) -> None:
    r = probe(real_sshd.url(), "--json")
    assert r.returncode == 0, r.stderr
    assert real_sshd.password not in r.stdout + r.stderr
    doc = json.loads(r.stdout)
    assert doc["url"] == f"ssh://{real_sshd.user}@127.0.0.1:{real_sshd.port}"
    assert doc["kind"] == "linux" and doc["profile"] == "linux_server"
    assert doc["cpu"]["count"] == os.cpu_count()
    assert doc["memory"]["bytes"] == MEMTOTAL and doc["memory"]["human"].endswith("iB")
    assert doc["kernel"] == os.uname().release
    caps = doc["capabilities"]
    # This machine has no BMC and no SMART-capable tooling; the throwaway user is not root: honest NOT_RUN.
    for name in ("smart", "ipmi"):
        assert caps[name]["state"] == "NOT_RUN" and caps[name]["reason"], caps[name]
    if not Path("/sys/devices/system/edac/mc").exists():
        assert caps["edac"]["state"] == "NOT_RUN" and "EDAC" in caps["edac"]["reason"]
    assert caps["dmidecode"]["state"] == "NOT_RUN"  # not installed here, or needs root: either way a reason
    assert doc["dmi"]["state"] == "NOT_RUN" and doc["dmi"]["reason"]


def test_this_host_over_local() -> None:
    doc = probe_json("local://")
    assert doc["transport"] == "local" and doc["cpu"]["count"] == os.cpu_count()
    assert doc["memory"]["bytes"] == MEMTOTAL
    assert doc["hostname"] == os.uname().nodename


def test_simulated_servers_inventory_and_table(servers: SimBench) -> None:
    doc = probe_json(ssh_url(servers, "S1"), ssh_url(servers, "S2"))
    assert [p["identity"]["serial"] for p in doc["probes"]] == [servers.truth["S1"]["serial"],
                                                                 servers.truth["S2"]["serial"]]
    first = doc["probes"][0]
    assert first["identity"]["model"] == servers.truth["S1"]["model"]
    assert {c: first["capabilities"][c]["state"] for c in ("dmidecode", "smart", "ipmi", "edac", "agent")} == {
        c: "present" for c in ("dmidecode", "smart", "ipmi", "edac", "agent")}
    assert len(first["disks"]) == 3 and any(n["link"] for n in first["nics"])
    assert first["memory"]["bytes"] > 64 * 2**30 and first["cpu"]["count"] >= 20
    table = probe(ssh_url(servers, "S1"))
    assert table.returncode == 0 and f"serial: {servers.truth['S1']['serial']}" in table.stdout
    assert "live" not in table.stdout.replace("hostname: live", "")  # the password (live) is never printed


@pytest.fixture(scope="module")
def switch(tmp_path_factory: pytest.TempPathFactory) -> Any:
    sim = start_sim(tmp_path_factory.mktemp("probe-switch"), 1, seed=4, family="cisco_ios_switch")
    yield sim
    stop_sim(sim.proc)


def test_network_device_over_ssh_snmp_and_console(switch: SimBench) -> None:
    slot = switch.doc["slots"][0]
    cred = switch.doc["credentials"][slot["credentials"][0]]
    snmp = slot["snmp"]
    console = slot["console"].replace("socket://", f"socket://{cred['username']}:{cred['password']}@")
    doc = probe_json(ssh_url(switch, "S1"), f"snmp://{snmp['community']}@{snmp['host']}:{snmp['port']}", console)
    serial = switch.truth["S1"]["serial"]
    ssh, snmp_doc, con = doc["probes"]
    assert ssh["kind"] == "network" and ssh["profile"] == "cisco_ios_switch" and ssh["serial"] == serial
    assert snmp_doc["profile"] == "cisco_ios_switch"
    assert snmp_doc["system"]["sys_object_id"].startswith("1.3.6.1.4.1.9.")
    assert con["transport"] == "console" and con["serial"] == serial
    assert f":{cred['password']}@" not in json.dumps(doc)  # URLs are shown without their password


def test_unreachable_unit_is_reported_not_raised() -> None:
    r = probe("ssh://u:Secret-9@127.0.0.1:1", "--json")
    assert r.returncode == 1
    doc = json.loads(r.stdout)
    assert "refused" in doc["error"] and "Secret-9" not in r.stdout + r.stderr


@pytest.mark.parametrize("url, says", [
    ("ftp://host", "unknown kind of address"),
    ("ssh://host:22", "needs a user and a password"),
    ("ssh://u:Secret-9@host:99999", "port must be a number"),
    ("snmp://@host", "empty community"),
    ("socket://host", "needs the console server's TCP port"),
])
def test_bad_url_is_one_line_exit_2(url: str, says: str) -> None:
    r = probe(url)
    assert r.returncode == 2 and r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and says in lines[0] and "Traceback" not in r.stderr
    assert "Secret-9" not in r.stderr


def test_probe_over_ssh_logs_in_once(bench_sim: Any) -> None:
    # `bench probe ssh://` identifies the unit from the first login's `show version` and reads its identity
    # over that same session: one login (before: what_answers, then a second netmiko login).
    import asyncio

    from helpers.forwarder import CountingForwarder

    from bench.probe import parse_target, probe
    from bench.profiles import Catalog
    from bench.tests_hw.registry import known_tests

    fleet = bench_sim(count=1, families=["cisco_ios_switch"])
    host, port = fleet.slot("S1")["ssh"].rsplit(":", 1)
    cred = fleet.credentials("S1")
    forwarder = CountingForwarder(host, int(port))
    try:
        url = f"ssh://{cred['username']}:{cred['password']}@127.0.0.1:{forwarder.port}"
        doc = asyncio.run(probe(parse_target(url), Catalog.load(known_tests())))
    finally:
        forwarder.stop()
    assert doc.get("serial") == fleet.truth("S1")["serial"], doc
    assert forwarder.connections == 1
