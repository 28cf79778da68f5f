"""Eight devices in-process: the bench file is complete and every SSH port takes netmiko."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml
from helpers.loop_thread import LoopThread
from netmiko import ConnectHandler

from simulators.fleet import SimSlot, console_pace, serve

FAULTS = "S2:fan_failed,S3:poe_fault,S4:unknown_password,S5:stolen,S6:reboot@60s,S7:serial_mismatch"


def test_fleet_of_eight(tmp_path: Path) -> None:
    lt = LoopThread()
    bench = tmp_path / "bench.yaml"
    ready = asyncio.Event()
    stop = asyncio.Event()
    slots: list[SimSlot] = []

    async def start() -> None:
        lt.loop.create_task(serve(8, 7, ["cisco_ios_switch"], FAULTS, str(bench), ready=ready, stop=stop,
                                  started=slots))
        await asyncio.wait_for(ready.wait(), 20)

    lt.run(start())
    try:
        doc = yaml.safe_load(bench.read_text())
        assert doc["bench"] and doc["credentials"] == {
            "factory": {"username": "cisco", "password": "cisco", "enable": "cisco"}}
        rows = doc["slots"]
        assert [r["id"] for r in rows] == [f"S{i}" for i in range(1, 9)]
        ports = set()
        for r, s in zip(rows, slots, strict=True):
            assert r["profile"] == "auto" and r["credentials"] == ["factory"]
            assert r["console"].startswith("socket://127.0.0.1:")
            assert r["label_serial"] == r["truth"]["serial"] == s.device.serial
            t = r["truth"]
            assert t["family"] == "cisco_ios_switch" and t["netmiko_device_type"] == "cisco_ios"
            assert t["console_pty"].startswith("/dev/pts/")
            ports.add(("tcp", int(r["ssh"].split(":")[1])))
            ports.add(("tcp", int(r["console"].rsplit(":", 1)[1])))
            if "snmp" in r:
                assert r["snmp"]["host"] == "127.0.0.1" and r["snmp"]["community"] == "public"
                ports.add(("udp", r["snmp"]["port"]))
        assert len(ports) in (16, 24)  # no port given twice
        assert rows[1]["truth"]["faults"] == ["fan_failed"]
        assert rows[5]["truth"]["faults"] == ["reboot@60s"]
        assert slots[2].device.spec.poe
        blocked = Path(doc["blocked_serials"]).read_text()
        assert rows[4]["truth"]["serial"] in blocked and rows[0]["truth"]["serial"] not in blocked
        assert "netops" not in bench.read_text()  # the previous owner's credentials are not given away

        def probe(row: dict) -> str:
            host, port = row["ssh"].split(":")
            if "unknown_password" in row["truth"]["faults"]:
                return row["truth"]["serial"]
            conn = ConnectHandler(device_type="cisco_ios", host=host, port=int(port), username="cisco",
                                  password="cisco", secret="cisco", conn_timeout=15)
            conn.enable()
            serial = conn.send_command("show version", use_textfsm=True)[0]["serial"][0]
            conn.disconnect()
            return serial

        with ThreadPoolExecutor(8) as pool:
            assert list(pool.map(probe, rows)) == [r["truth"]["serial"] for r in rows]
    finally:
        lt.call(stop.set)
        lt.run(asyncio.sleep(0.5))
        lt.close()


def test_console_pace_comes_from_the_caller_then_the_environment_then_9600(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("BENCH_SIM_BAUD", raising=False)
    monkeypatch.delenv("BENCH_SIM_BOOT_SCALE", raising=False)
    assert console_pace() == (9600, 1.0)  # a real console line, real boot pauses
    monkeypatch.setenv("BENCH_SIM_BAUD", "115200")
    monkeypatch.setenv("BENCH_SIM_BOOT_SCALE", "0.5")
    assert console_pace() == (115200, 0.5)
    assert console_pace(9600, 1.0) == (9600, 1.0)  # the caller's own pace wins


def test_fleet_lines_run_at_the_pace_asked_for(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("BENCH_SIM_BAUD", "38400")
    monkeypatch.setenv("BENCH_SIM_BOOT_SCALE", "0.25")
    lt = LoopThread()
    ready, stop = asyncio.Event(), asyncio.Event()
    slots: list[SimSlot] = []

    async def start() -> asyncio.Task[None]:
        task = lt.loop.create_task(serve(1, 1, ["cisco_ios_switch"], "", None, ready=ready, stop=stop,
                                         started=slots))
        await asyncio.wait_for(ready.wait(), 20)
        return task

    async def finish(task: asyncio.Task[None]) -> None:
        stop.set()
        await asyncio.wait_for(task, 20)

    serving = lt.run(start())
    try:
        line = slots[0].console
        assert (line.baud, line.time_scale, line.boot.time_scale) == (38400, 0.25, 0.25)
    finally:
        lt.run(finish(serving))
        lt.close()


def test_a_pace_that_is_not_a_number_is_one_line_exit_2(tmp_path: Path) -> None:
    env = {**os.environ, "BENCH_SIM_BAUD": "fast"}
    p = subprocess.run([sys.executable, "-m", "bench.cli", "sim", "--count", "1"], capture_output=True, text=True,
                       env=env, timeout=60, cwd=tmp_path)
    assert p.returncode == 2, p.stderr
    assert p.stderr.count("\n") == 1 and "BENCH_SIM_BAUD='fast' is not a number" in p.stderr, p.stderr
