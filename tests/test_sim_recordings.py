"""Real devices' SNMP recordings served by snmpsim: net-snmp and the bench's own driver read the truth."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from helpers.loop_thread import LoopThread

from simulators.recordings import (
    CURATED,
    ENT_PHYSICAL,
    SYS_OBJECT_ID,
    RecordingServer,
    RecordingTruth,
    decode_value,
    default_work_dir,
    read_truth,
    snmpsim_available,
    start_recordings,
)

pytestmark = pytest.mark.skipif(not snmpsim_available(),
                                reason="snmpsim, snmpsim-data or pysmi not installed (pip install snmpsim "
                                       "snmpsim-data pysmi)")


@pytest.fixture(scope="module")
def served() -> Iterator[RecordingServer]:
    # The shared work dir keeps snmpsim's index between runs (~15 s to build once, ~2 s to reuse).
    lt = LoopThread()
    server = lt.run(start_recordings(default_work_dir()), timeout=120)
    try:
        yield server
    finally:
        lt.run(server.stop())
        lt.close()


def _truth(server: RecordingServer, slot: str) -> RecordingTruth:
    return next(t for t in server.truths if t.recording.slot == slot)


def test_decode_value_forms() -> None:
    assert decode_value("4x", "464f43") == "FOC"
    assert decode_value("4", "WS-C3560") == "WS-C3560"
    assert decode_value("4e", r"a\tb\x41") == "a\tbA"
    assert decode_value("4x", "00ff10") == "0x00ff10"
    assert decode_value("6", "1.3.6.1.4.1.9.1.617") == "1.3.6.1.4.1.9.1.617"


def test_read_truth_prefers_top_chassis() -> None:
    lines = ["#comment", f"{SYS_OBJECT_ID}|6|1.3.6.1.4.1.9.1.1",
             f"{ENT_PHYSICAL}.5.7|2|3", f"{ENT_PHYSICAL}.4.7|2|1", f"{ENT_PHYSICAL}.11.7|4|INNER",
             f"{ENT_PHYSICAL}.5.9|2|3", f"{ENT_PHYSICAL}.4.9|2|0", f"{ENT_PHYSICAL}.11.9|4x|544f50",
             f"{ENT_PHYSICAL}.13.9|4|WS-X"]
    t = read_truth(CURATED[0], lines)
    assert (t.serial, t.model, t.serial_oid, t.entity_mib) == ("TOP", "WS-X", f"{ENT_PHYSICAL}.11.9", True)


def test_curated_truth_is_complete(served: RecordingServer) -> None:
    assert [t.recording.slot for t in served.truths] == [f"R{i}" for i in range(1, len(CURATED) + 1)]
    for t in served.truths:
        assert t.sys_descr and t.sys_object_id.startswith("1.3.6.1.4.1."), t.recording.path
        if t.recording.family != "linux_server":
            assert t.serial and t.model, t.recording.path  # every network recording names its chassis
    rows = served.slot_rows()
    assert rows[0]["snmp"] == {"host": "127.0.0.1", "port": served.port, "community": "network/switch/cisco-c3560"}
    assert all("ssh" not in r and "console" not in r and r["credentials"] == [] for r in rows)


@pytest.mark.skipif(shutil.which("snmpbulkwalk") is None, reason="net-snmp snmpbulkwalk not installed")
@pytest.mark.parametrize("slot", [r.slot for r in CURATED])
def test_net_snmp_walks_system_group(served: RecordingServer, slot: str) -> None:
    t = _truth(served, slot)
    out = subprocess.run(["snmpbulkwalk", "-v2c", "-c", t.community, "-On", "-Oa", "-t", "5", "-r", "1",
                          f"127.0.0.1:{served.port}", "1.3.6.1.2.1.1"],
                         capture_output=True, text=True, timeout=20, check=True).stdout
    first = t.sys_descr.splitlines()[0]
    assert first in out, f"{t.recording.path}: sysDescr {first!r} not in {out[:300]!r}"
    assert f".1.3.6.1.2.1.1.2.0 = OID: .{t.sys_object_id}" in out


@pytest.mark.parametrize("slot", [r.slot for r in CURATED])
def test_bench_driver_reads_truth(served: RecordingServer, slot: str) -> None:
    from bench.drivers.snmp import SnmpTarget, close_shared_engine

    t = _truth(served, slot)

    async def read() -> tuple[dict[str, object], dict[str, object]]:
        try:
            target = SnmpTarget("127.0.0.1", served.port, t.community, timeout=5.0)
            got = await target.get(SYS_OBJECT_ID, *([t.serial_oid] if t.serial_oid else []))
            walked = await target.walk(f"{ENT_PHYSICAL}.11") if t.entity_mib else {}
            return got, walked
        finally:
            close_shared_engine()

    got, walked = asyncio.run(read())
    assert got[SYS_OBJECT_ID] == t.sys_object_id
    if t.serial_oid:
        assert got[t.serial_oid] == t.serial
    if t.entity_mib:
        assert walked[t.serial_oid] == t.serial
        assert {k.rsplit(".", 1)[1]: v for k, v in walked.items() if str(v).strip()} == t.entity_serials


def test_fleet_appends_recording_slots(tmp_path: Path) -> None:
    from simulators.fleet import serve

    lt = LoopThread()
    ready, stop = asyncio.Event(), asyncio.Event()
    bench = tmp_path / "bench.yaml"
    task = asyncio.run_coroutine_threadsafe(
        serve(1, 1, ["cisco_ios_switch"], "", str(bench), ready=ready, stop=stop, recordings=True), lt.loop)
    try:
        lt.run(asyncio.wait_for(ready.wait(), 60), timeout=70)
        doc = yaml.safe_load(bench.read_text())
        ids = [s["id"] for s in doc["slots"]]
        assert ids == ["S1"] + [r.slot for r in CURATED]
        r2 = doc["slots"][2]
        assert r2["truth"] == {"family": "cisco_ios_switch", "model": "WS-C3750G-12S-S", "serial": "FDO1622Y10H",
                               "sys_object_id": "1.3.6.1.4.1.9.1.516", "recording": "network/switch/cisco-c3750",
                               "faults": []}
        out = subprocess.run(["snmpget", "-v2c", "-c", r2["snmp"]["community"], "-On", "-t", "5",
                              f"127.0.0.1:{r2['snmp']['port']}", f"{ENT_PHYSICAL}.11.1001"],
                             capture_output=True, text=True, timeout=20, check=True).stdout
        assert "FDO1622Y10H" in out
    finally:
        lt.call(stop.set)
        task.result(30)
        lt.close()


def test_missing_snmpsim_is_one_clear_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "snmpsim" else real(name, *a))
    with pytest.raises(RuntimeError, match=r"^SNMP recordings need snmpsim in .*: pip install snmpsim snmpsim-data "
                                           r"pysmi$"):
        asyncio.run(start_recordings(tmp_path))
