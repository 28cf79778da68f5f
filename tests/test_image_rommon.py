"""A unit stuck in ROMMON recovered by the image step over its console line (a simulated Catalyst or ISR whose
flash lost its image): XMODEM at the loader's highest speed on a Catalyst's `switch:`, `tftpdnld` from the
bench's own TFTP server on an ISR; the unit boots the library's release and its hash is verified on it."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml
from helpers.cli_channels import make_ctx
from helpers.cli_channels import run as run_async

from bench.config import load_bench
from bench.images.cisco_ios import same_release
from bench.images.library import ImageLibrary
from bench.model import Outcome, TestResult
from bench.tests_hw import image
from simulators.families.cisco_ios.images import TARGETS, image_name, make_image

SMALL = 48 * 1024  # an image small enough to cross a console in seconds


def _library(fleet: Any, tmp_path: Path, families: list[str]) -> ImageLibrary:
    """The fleet's bench file with small target images of the families' target releases."""
    doc = yaml.safe_load(fleet.bench_file.read_text())
    doc["images"] = {}
    for family in families:
        platform = {"cisco_ios_switch": "C2960X", "cisco_ios_router": "ISR"}[family]
        path = tmp_path / image_name(platform, family, TARGETS[family])
        make_image(str(path), family, TARGETS[family], size=SMALL)
        doc["images"][family] = {"version": TARGETS[family], "file": str(path),
                                 "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
    bench_file = tmp_path / "rommon.yaml"
    bench_file.write_text(yaml.safe_dump(doc))
    return load_bench(bench_file).images


def _console_ctx(fleet: Any, params: dict[str, Any], profile: str = "cisco_ios_switch") -> Any:
    ctx = make_ctx(fleet, "S1", params, snmp=False, console=True)
    ctx.cli = ctx.console  # SSH never answers a unit that does not boot: the console is its only channel
    ctx.profile_name = profile
    return ctx


def test_a_catalyst_stuck_in_rommon_is_recovered_by_xmodem_at_its_fastest_speed(bench_sim: Any,
                                                                             tmp_path: Path) -> None:
    fleet = bench_sim(count=1, families=["cisco_ios_switch"], faults="S1:stuck_rommon", baud=9600)
    library = _library(fleet, tmp_path, ["cisco_ios_switch"])
    ctx = _console_ctx(fleet, {"library": library, "settle_timeout": 0})

    async def go() -> tuple[TestResult, str, str]:
        r = await image.run(ctx)
        return r, await ctx.cli.send("show version"), await ctx.cli.send("show boot")

    r, version, boot = run_async(go)
    target = TARGETS["cisco_ios_switch"]
    assert r.outcome is Outcome.PASS, (r.summary, r.evidence.get("steps", [])[-4:])
    assert "recovered from ROMMON by xmodem at 115200 baud" in r.summary, r.summary
    rec = r.evidence["rommon_recovery"]
    assert rec["method"] == "xmodem" and rec["loader"] == "switch" and rec["booted"] is True
    assert rec["baud"] == 115200 and rec["baud_before"] == 9600 and rec["bytes"] == SMALL
    commands = [s["command"] for s in r.evidence["steps"]]
    entry = library.for_unit("cisco_ios_switch", "")
    assert entry is not None
    # the speed raised for the transfer and put back before the boot
    assert commands.index("set BAUD 9600") > commands.index(f"copy xmodem: flash:{entry.name}")
    assert f"boot flash:{entry.name}" in commands
    # the file put back is verified on the unit by its hash, as a network copy is
    assert r.evidence["digests"]["flash:"]["md5"] == entry.computed["md5"]
    assert f"Version {target}," in version and entry.name in boot
    assert r.evidence["version_after"] == target and ctx.identity.os_version == target
    assert "recovered from ROMMON by xmodem" in ctx.identity.reload_reason


def test_an_isr_stuck_in_rommon_pulls_its_image_by_tftpdnld_from_the_bench(bench_sim: Any, tmp_path: Path) -> None:
    fleet = bench_sim(count=1, families=["cisco_ios_router"], faults="S1:stuck_rommon")
    library = _library(fleet, tmp_path, ["cisco_ios_router"])
    ctx = _console_ctx(fleet, {"library": library, "settle_timeout": 0, "rommon_ip": "127.0.0.1/8"},
                       profile="cisco_ios_router")
    r = run_async(lambda: image.run(ctx))
    assert r.outcome is Outcome.PASS, (r.summary, r.evidence.get("steps", [])[-4:])
    assert "recovered from ROMMON by tftpdnld" in r.summary, r.summary
    rec = r.evidence["rommon_recovery"]
    assert rec["method"] == "tftpdnld" and rec["loader"] == "rommon"
    steps = {s["command"]: s["output"] for s in r.evidence["steps"]}
    assert "IP_ADDRESS=127.0.0.1" in steps and "IP_SUBNET_MASK=255.0.0.0" in steps
    assert any(c.startswith("TFTP_SERVER=127.0.0.1") for c in steps)
    assert "File reception completed" in steps["y"]
    entry = library.for_unit("cisco_ios_router", "")
    assert entry is not None and r.evidence["digests"]["flash:"]["md5"] == entry.computed["md5"]
    assert same_release(r.evidence["version_after"], TARGETS["cisco_ios_router"])


def test_the_isr_can_be_told_to_use_xmodem_and_the_download_speed_comes_back(bench_sim: Any,
                                                                            tmp_path: Path) -> None:
    fleet = bench_sim(count=1, families=["cisco_ios_router"], faults="S1:stuck_rommon", baud=9600)
    library = _library(fleet, tmp_path, ["cisco_ios_router"])
    ctx = _console_ctx(fleet, {"library": library, "settle_timeout": 0, "rommon_ip": "127.0.0.1/8",
                               "rommon_transfer": "xmodem"}, profile="cisco_ios_router")
    r = run_async(lambda: image.run(ctx))
    assert r.outcome is Outcome.PASS, (r.summary, r.evidence.get("steps", [])[-4:])
    rec = r.evidence["rommon_recovery"]
    assert rec["method"] == "xmodem" and rec["baud"] == 115200 and rec["loader"] == "rommon"
    assert any(s["command"].startswith("xmodem -c -x -s115200 ") for s in r.evidence["steps"])


def test_a_library_file_the_loader_cannot_boot_fails_saying_so(bench_sim: Any, tmp_path: Path) -> None:
    fleet = bench_sim(count=1, families=["cisco_ios_switch"], faults="S1:stuck_rommon")
    foreign = tmp_path / "c2960x-universalk9-mz.152-7.E10.bin"
    make_image(str(foreign), "cisco_iosxe_switch", "17.9.5", size=SMALL)  # another family's image
    doc = yaml.safe_load(fleet.bench_file.read_text())
    doc["images"] = {"cisco_ios_switch": {"version": TARGETS["cisco_ios_switch"], "file": str(foreign),
                                          "sha256": hashlib.sha256(foreign.read_bytes()).hexdigest()}}
    path = tmp_path / "foreign.yaml"
    path.write_text(yaml.safe_dump(doc))
    ctx = _console_ctx(fleet, {"library": load_bench(path).images})
    r = run_async(lambda: image.run(ctx))
    assert r.outcome is Outcome.FAIL and "stuck in ROMMON and not recovered" in r.summary, r.summary
    assert "does not boot the image" in r.summary and r.evidence["rommon_recovery"]["method"] == "xmodem"


def test_with_no_network_the_image_goes_over_the_console_and_is_verified_by_its_hash(bench_sim: Any,
                                                                                     tmp_path: Path) -> None:
    fleet = bench_sim(count=1, families=["cisco_ios_switch"], faults="S1:old_image", baud=9600)
    _library(fleet, tmp_path, ["cisco_ios_switch"])
    doc = yaml.safe_load((tmp_path / "rommon.yaml").read_text())
    doc["images"]["serve"] = "console"  # the bench file says the units have no route to the bench
    (tmp_path / "rommon.yaml").write_text(yaml.safe_dump(doc))
    library = load_bench(tmp_path / "rommon.yaml").images
    assert library.over_console
    ctx = make_ctx(fleet, "S1", {"library": library, "settle_timeout": 0}, snmp=False, console=True)
    r = run_async(lambda: image.run(ctx))
    assert r.outcome is Outcome.PASS, (r.summary, r.evidence.get("steps", [])[-4:])
    assert "over the console by xmodem" in r.summary and r.evidence["version_after"] == TARGETS["cisco_ios_switch"]
    assert r.evidence["console_copy"]["why"] == "serve: console in the bench file's images"
    (copy,) = r.evidence["console_copy"]["copies"]
    assert copy["file_system"] == "flash:" and copy["bytes"] == SMALL and copy["baud"] == 115200
    commands = [s["command"] for s in r.evidence["steps"]]
    entry = library.for_unit("cisco_ios_switch", "")
    assert entry is not None and f"copy xmodem: flash:{entry.name}" in commands
    assert not any(c.startswith("copy http") for c in commands)
    # the console at its fastest for the copy, and back at its own speed after it
    assert commands.index("speed 115200") < commands.index(f"copy xmodem: flash:{entry.name}") < commands.index(
        "speed 9600")
    assert r.evidence["digests"]["flash:"]["md5"] == entry.computed["md5"]
    assert commands.index(f"copy xmodem: flash:{entry.name}") < commands.index(f"verify /md5 flash:{entry.name}")


def test_a_console_copy_corrupted_on_the_way_in_fails_by_its_hash(bench_sim: Any, tmp_path: Path) -> None:
    fleet = bench_sim(count=1, families=["cisco_ios_switch"], faults="S1:image_copy_corrupt")
    library = _library(fleet, tmp_path, ["cisco_ios_switch"])
    ctx = make_ctx(fleet, "S1", {"library": library, "transfer": "console"}, snmp=False, console=True)
    r = run_async(lambda: image.run(ctx))
    assert r.outcome is Outcome.FAIL and "hash mismatch" in r.summary, (r.summary, r.evidence.get("steps", [])[-3:])


def test_through_ser2net_over_rfc2217_the_recovery_raises_the_line_speed_and_puts_it_back(tmp_path: Path) -> None:
    import os
    import shutil
    import signal
    import socket
    import subprocess
    import time

    import pytest
    from helpers.loop_thread import LoopThread

    from bench.drivers.console.expect import Transcript
    from bench.drivers.console.transport import LineSettings
    from bench.images import rommon
    from simulators.console import ConsoleLine
    from simulators.families.cisco_ios.device import Device
    from simulators.faults import parse_faults

    if shutil.which("ser2net") is None:
        pytest.skip("ser2net is not installed (Debian package ser2net)")
    image_file = tmp_path / image_name("C2960X", "cisco_ios_switch", TARGETS["cisco_ios_switch"])
    make_image(str(image_file), "cisco_ios_switch", TARGETS["cisco_ios_switch"], size=SMALL)
    data = image_file.read_bytes()
    assert b"\xff" in data  # telnet's IAC inside the image: RFC 2217 must carry it as data
    from bench.images.library import ImageEntry, file_digests

    entry = ImageEntry("cisco_ios_switch", TARGETS["cisco_ios_switch"], str(image_file), len(data),
                       computed=file_digests(str(image_file)))
    lt = LoopThread()
    dev = Device("S1", 1, 7, "WS-C2960X-24TS-L", parse_faults("S1:stuck_rommon"))
    con = ConsoleLine(dev, baud=9600, time_scale=0.1)
    lt.run(con.start())
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    conf = tmp_path / "ser2net.yaml"
    conf.write_text(f"connection: &c\n  accepter: telnet(rfc2217),tcp,127.0.0.1,{port}\n"
                    f"  connector: serialdev,{con.pty_path},9600n81,local\n")
    proc = subprocess.Popen(["ser2net", "-n", "-d", "-c", str(conf), "-P", str(tmp_path / "ser2net.pid")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.05)
        done = rommon.recover(f"rfc2217://127.0.0.1:{port}", LineSettings(), Transcript(), entry, boot_timeout=120)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(5)
        lt.run(con.stop())
        lt.close()
    assert done.booted and not done.failure, (done.failure, done.steps[-3:])
    assert done.method == "xmodem" and done.baud == 115200 and con.baud == 9600  # raised, then put back
    stored = dev.flash[entry.name]
    assert stored.md5 == hashlib.md5(data).hexdigest() and stored.size == len(data)
    assert dev.version == TARGETS["cisco_ios_switch"] and dev.boot_system == f"flash:{entry.name}"


def test_bench_run_recovers_a_unit_found_in_rommon_and_records_it(bench_sim: Any, tmp_path: Path) -> None:
    import asyncio

    from bench.engine import Engine, EngineOptions
    from bench.profiles import Catalog, parse_profile
    from bench.reports import export
    from bench.store import Store
    from bench.tests_hw.registry import known_tests

    fleet = bench_sim(count=1, families=["cisco_ios_switch"], faults="S1:stuck_rommon")
    catalog = Catalog.load(known_tests())
    doc = yaml.safe_load(Path(catalog.get("cisco_ios_switch").source).read_text())
    doc["tests"]["image"] = {"settle_timeout": 0}
    doc["plans"]["image_only"] = ["identity", "image", "post"]
    catalog.profiles["cisco_ios_switch"] = parse_profile(doc, "test", known_tests())
    run_file = fleet.run_file(keep=("console", "pdu"))  # a unit that never boots: its console is all there is
    bench_doc = yaml.safe_load(run_file.read_text())
    library = _library(fleet, tmp_path, ["cisco_ios_switch"])
    (entry,) = library.entries
    bench_doc["images"] = {"cisco_ios_switch": {"version": entry.version, "file": entry.file,
                                                "sha256": entry.computed["sha256"]}}
    run_file.write_text(yaml.safe_dump(bench_doc))
    store = Store(f"sqlite:///{tmp_path}/rommon.db")
    engine = Engine(load_bench(run_file), store, catalog,
                    EngineOptions(plan="image_only", key_path=str(tmp_path / "k.key")))
    (outcome,) = asyncio.run(engine.run())
    r = outcome.results["image"]
    assert r.outcome is Outcome.PASS and "recovered from ROMMON by xmodem" in r.summary, r.summary
    # the checks after the recovery run on the booted unit: the channel is no longer "not booted"
    assert outcome.results["post"].outcome is not Outcome.NOT_RUN, outcome.results["post"].summary
    (unit,) = export.units(store)
    assert same_release(unit["os_version"], TARGETS["cisco_ios_switch"]) and unit["record_holds"] is True
    store.close()


def test_a_recovery_method_the_bench_does_not_know_fails_naming_the_param(bench_sim: Any, tmp_path: Path) -> None:
    fleet = bench_sim(count=1, families=["cisco_ios_switch"], faults="S1:stuck_rommon")
    library = _library(fleet, tmp_path, ["cisco_ios_switch"])
    ctx = _console_ctx(fleet, {"library": library, "rommon_transfer": "kermit"})
    r = run_async(lambda: image.run(ctx))
    assert r.outcome is Outcome.FAIL and "rommon_transfer 'kermit'" in r.summary, r.summary
    assert r.evidence["steps"] == []  # nothing typed at the loader


def test_an_image_corrupted_on_its_way_into_the_loaders_flash_fails_by_its_hash(bench_sim: Any,
                                                                               tmp_path: Path) -> None:
    fleet = bench_sim(count=1, families=["cisco_ios_switch"], faults="S1:stuck_rommon,S1:image_copy_corrupt")
    library = _library(fleet, tmp_path, ["cisco_ios_switch"])
    ctx = _console_ctx(fleet, {"library": library, "settle_timeout": 0})
    r = run_async(lambda: image.run(ctx))
    assert r.outcome is Outcome.FAIL, r.summary
    assert r.summary.startswith("recovered from ROMMON by xmodem, but hash mismatch"), r.summary
    assert "boot variable was left" not in r.summary
