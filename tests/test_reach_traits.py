"""The `telnet_only` and `legacy_ssh` simulator traits end to end: `bench sim` writes `telnet:` for a unit
without a crypto image and restricts a legacy unit's SSH to old algorithms; `bench run` (profile: auto)
identifies each with the right model and serial and runs the quick plan over telnet / legacy SSH; the
identity result says how the unit was reached. Also `bench probe telnet://` and the bench file's `telnet:`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers.engine_runs import run_engine

from bench.config import parse_bench
from bench.errors import BenchFileError
from bench.model import Outcome
from bench.store import Store
from simulators.ssh_server import LEGACY_SETS


def test_sim_writes_telnet_and_legacy_truth(bench_sim: Any) -> None:
    fleet = bench_sim(count=3, families=["cisco_ios_switch"], faults="S1:telnet_only,S2:legacy_ssh,S3:legacy_ssh",
                      seed=5)
    s1, s2, s3 = (fleet.slot(s) for s in ("S1", "S2", "S3"))
    assert "telnet" in s1 and "ssh" not in s1
    assert "ssh" in s2 and "telnet" not in s2
    assert {s2["truth"]["legacy_ssh"], s3["truth"]["legacy_ssh"]} == set(LEGACY_SETS)  # both sets in one fleet


def test_bench_run_identifies_and_tests_over_telnet_and_legacy_ssh(bench_sim: Any, tmp_path: Path) -> None:
    fleet = bench_sim(count=3, families=["cisco_ios_switch"], faults="S1:telnet_only,S2:legacy_ssh,S3:legacy_ssh",
                      seed=9)
    # No SNMP: the family must come from the CLI itself, over telnet / legacy SSH.
    run_id, outcomes = run_engine(fleet.run_file(keep=("ssh",)), tmp_path / "s.db", plan="quick")
    by_slot = {o.slot: o for o in outcomes}
    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    try:
        for sid in ("S1", "S2", "S3"):
            truth, got = fleet.truth(sid), by_slot[sid]
            assert (got.profile, got.model, got.serial) == (truth["family"], truth["model"], truth["serial"]), sid
            results = store.results(run_id, sid)
            identity = results["identity"]
            assert identity.outcome is Outcome.PASS, identity.summary
            how = identity.evidence["cli_transport"]
            if sid == "S1":
                assert how["protocol"] == "telnet" and "DO ECHO" in how["options"]
            else:
                offered = LEGACY_SETS[truth["legacy_ssh"]]
                assert how["kex"] in offered["kex_algs"] and how["host_key"] == "ssh-rsa" and how["legacy"]
            # The quick plan ran over that channel: CLI tests reached the unit (no channel error).
            assert len(results) > 2
            assert not [r for r in results.values() if r.outcome is Outcome.ERROR], {
                n: r.summary for n, r in results.items() if r.outcome is Outcome.ERROR}
    finally:
        store.close()


def test_probe_telnet_url(bench_sim: Any) -> None:
    fleet = bench_sim(count=1, families=["cisco_ios_switch"], faults="S1:telnet_only", seed=4)
    cred, truth = fleet.credentials("S1"), fleet.truth("S1")
    url = f"telnet://{cred['username']}:{cred['password']}@{fleet.slot('S1')['telnet']}"
    r = subprocess.run([sys.executable, "-m", "bench.cli", "probe", url, "--json"], capture_output=True, text=True,
                       timeout=120)
    doc = json.loads(r.stdout)
    assert r.returncode == 0, doc
    assert (doc["model"], doc["serial"], doc["transport"]) == (truth["model"], truth["serial"], "telnet")
    assert "WONT NAWS" in doc["telnet"]["options"]
    assert f":{cred['password']}@" not in r.stdout + r.stderr  # the URL is shown without its password


def test_probe_legacy_ssh_says_which_algorithms(bench_sim: Any) -> None:
    fleet = bench_sim(count=1, families=["cisco_ios_switch"], faults="S1:legacy_ssh", seed=4)
    cred, truth = fleet.credentials("S1"), fleet.truth("S1")
    url = f"ssh://{cred['username']}:{cred['password']}@{fleet.slot('S1')['ssh']}"
    r = subprocess.run([sys.executable, "-m", "bench.cli", "probe", url], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    assert truth["serial"] in r.stdout and truth["model"] in r.stdout
    kex = LEGACY_SETS[truth["legacy_ssh"]]["kex_algs"]
    assert any(f"kex: {k}" in r.stdout for k in kex), r.stdout
    assert "Traceback" not in r.stderr and "IncompatiblePeer" not in r.stderr  # the refused first try stays quiet


def _doc(**slot: Any) -> dict[str, Any]:
    return {"bench": "b", "credentials": {"f": {"username": "u", "password": "p"}}, "slots": [{"id": "A1", **slot}]}


def test_bench_file_telnet_key() -> None:
    assert parse_bench(_doc(telnet="10.0.0.5:2323")).slots[0].telnet.port == 2323
    hp = parse_bench(_doc(telnet="telnet://sw1.lab")).slots[0].telnet
    assert (hp.host, hp.port) == ("sw1.lab", 23)


@pytest.mark.parametrize("slot, fragment", [
    ({"telnet": "10.0.0.5:99999"}, "port '99999'"),
    ({"telnet": "telnet://u:p@10.0.0.5"}, "no user or password in the address"),
    ({"telnet": "10.0.0.5", "ssh": "10.0.0.5"}, "both ssh and telnet"),
    ({"telnet": ["x"]}, "expected 'host:port'"),
])
def test_bad_telnet_key_is_named(slot: dict[str, Any], fragment: str) -> None:
    with pytest.raises(BenchFileError, match=fragment.replace("(", r"\(")):
        parse_bench(_doc(**slot))


def test_bad_telnet_key_exits_2_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "b.yaml"
    path.write_text(yaml.safe_dump(_doc(telnet="telnet://u:secret@h:23")))
    r = subprocess.run([sys.executable, "-m", "bench.cli", "run", str(path), "--store", f"sqlite:///{tmp_path}/x.db"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and "secret" not in r.stderr, r.stderr
