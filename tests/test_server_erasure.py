"""erasure on simulated servers whose disks are real bytes (loop devices when root, else sparse files):
the real dd and cmp run on them; hdparm/nvme-cli answers stand in for what a loop device cannot do."""

from __future__ import annotations

import asyncio
import dataclasses
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from helpers.sim_shell import SimShell

from bench.grading import grade
from bench.model import Identity, Outcome, TestResult
from bench.profiles import load_profile_file
from bench.shell_channels import local_channel
from bench.tests_hw.base import SlotInfo, TestContext
from bench.tests_hw.registry import SERVER, get_test, known_tests
from bench.tests_hw.server import erasure
from simulators.block_devices import loop_available
from simulators.families.linux_server.device import Server
from simulators.faults import parse_faults

PROFILE = load_profile_file(Path(__file__).parent.parent / "profiles" / "linux_server.yaml", known_tests())


def server(faults: str = "", model: str = "PowerEdge R640") -> Server:
    return Server("S1", 1, 7, model, parse_faults(faults))


def run(srv: Server, **params: Any) -> tuple[TestResult, SimShell]:
    shell = SimShell(srv)
    ctx = TestContext(slot=SlotInfo("S1"), profile_name="linux_server",
                      params=PROFILE.params("erasure") | params, identity=Identity(), cli=shell)
    return asyncio.run(get_test("erasure", SERVER)(ctx)), shell


def zeros_on(srv: Server, name: str) -> bool:
    """`cmp` of the disk's real bytes against zeros, as the Done-when asks."""
    disk = next(d for d in srv.disks if d.name == name)
    path = srv.backing(disk).path
    return subprocess.run(["cmp", "-n", str(disk.size), path, "/dev/zero"], capture_output=True).returncode == 0


def records(res: TestResult) -> dict[str, dict[str, Any]]:
    return {r["device"]: r for r in res.evidence["records"]}


def test_healthy_server_every_disk_purged_and_verified() -> None:
    srv = server()
    assert not zeros_on(srv, "sda")  # the previous owner's data is there before
    res, shell = run(srv, verify="full")
    assert res.outcome is Outcome.PASS, res.summary
    recs = records(res)
    assert set(recs) == {"/dev/sda", "/dev/sdb", "/dev/nvme0n1"}
    assert recs["/dev/sda"]["method"].startswith("ATA SANITIZE") and recs["/dev/sda"]["nist_category"] == "Purge"
    assert recs["/dev/sdb"]["method"].startswith("ATA SECURITY ERASE UNIT (normal)")
    assert recs["/dev/nvme0n1"]["method"] == "NVMe SANITIZE CRYPTO ERASE"
    for r in recs.values():
        assert r["verification"]["result"] == "PASS" and r["verification"]["mode"] == "full"
        assert r["serial"] and r["model"] and r["capacity_bytes"] > 0 and r["started"] <= r["ended"]
        assert r["operator"] == "bench"
    assert all(zeros_on(srv, n) for n in ("sda", "sdb", "nvme0n1"))
    assert not any("sr0" in c for c in shell.commands)  # the live medium is never touched
    assert res.evidence["excluded"] == [] or all("sr0" not in e["device"] for e in res.evidence["excluded"])
    if loop_available():
        pytest.skip(f"erased sparse files, not loop devices: {loop_available()}")
    assert srv.backing(srv.disks[0]).loop.startswith("/dev/loop")


def test_overwrite_fallback_reads_back_zeros_at_recorded_samples() -> None:
    srv = server()
    for d in srv.disks:  # a drive that offers no erase of its own: the overwrite (Clear) is what is left
        d.spec = type(d.spec)("sata_hdd" if not d.nvme else "nvme", d.spec.model, d.spec.size, d.spec.firmware,
                              d.spec.serial_prefix, d.spec.serial_len)
    shell = SimShell(srv)
    disk = erasure.Disk("sdb", srv.disks[1].size, "m", "s", "sata", True)
    rec = erasure.Record("/dev/sdb", "m", "s", disk.size)
    unit = erasure.Unit(TestContext(slot=SlotInfo("S1"), profile_name="x", params={}, identity=Identity(),
                                    cli=shell), sudo=False)
    assert asyncio.run(erasure.overwrite(unit, disk, disk.size, rec, 50)) == ""
    assert rec.nist_category == "Clear" and zeros_on(srv, "sdb")
    v = asyncio.run(erasure.verify_zeros(unit, "/dev/sdb", disk.size, "sample", 8, 2**20, 60))
    assert v["result"] == "PASS" and v["positions"][0] == 0 and len(v["positions"]) >= 2
    assert v["positions"][-1] == disk.size - 2**20


def test_sampled_verify_finds_data_left_behind() -> None:
    srv = server()
    shell = SimShell(srv)
    unit = erasure.Unit(TestContext(slot=SlotInfo("S1"), profile_name="x", params={}, identity=Identity(),
                                    cli=shell), sudo=False)
    v = asyncio.run(erasure.verify_zeros(unit, "/dev/sda", srv.disks[0].size, "sample", 4, 4096, 60))
    assert v["result"] == "FAIL" and "at byte 0: not zeros" in v["detail"]


def test_frozen_disks_say_what_to_do_and_are_not_claimed() -> None:
    srv = server("S1:disk_frozen")
    res, _ = run(srv)
    assert res.outcome is Outcome.WARN and "frozen" in res.summary and "suspend" in res.summary
    recs = records(res)
    assert recs["/dev/sda"]["result"] == "NOT_ERASED" and not recs["/dev/sda"]["nist_category"]
    assert recs["/dev/nvme0n1"]["result"] == "PASS"
    assert not zeros_on(srv, "sda")  # nothing claimed, nothing done
    g = grade({"erasure": res}, rules=PROFILE.grading)
    assert g.disposition == "HOLD" and any("not sanitized" in r for r in g.reasons)


def test_hidden_area_is_found_removed_and_erased() -> None:
    srv = server("S1:disk_hpa")
    hidden = srv.disks[0].hpa_bytes
    assert hidden
    res, _ = run(srv, verify="full")
    assert res.outcome is Outcome.PASS, res.summary
    hpa = records(res)["/dev/sda"]["hidden_area"]
    assert hpa["hpa"] and hpa["removed"] and hpa["hidden_bytes"] == hidden
    assert records(res)["/dev/sda"]["capacity_bytes"] == srv.disks[0].size and zeros_on(srv, "sda")


def test_hidden_area_kept_is_reported_not_claimed() -> None:
    srv = server("S1:disk_hpa")
    res, _ = run(srv, remove_hpa=False)
    assert res.outcome is Outcome.WARN and "Host Protected Area" in res.summary


def test_disk_failing_mid_erase_fails_naming_it_and_sends_the_server_to_repair() -> None:
    srv = server("S1:erase_fails")
    res, _ = run(srv)
    assert res.outcome is Outcome.FAIL
    sda = srv.disks[0]
    assert sda.serial in res.summary and "/dev/sda" in res.summary and "destruction" in res.summary
    assert records(res)["/dev/sda"]["result"] == "FAIL"
    g = grade({"identity": TestResult("identity", Outcome.PASS, "ok"), "nic": TestResult("nic", Outcome.PASS, "ok"),
               "erasure": res}, rules=PROFILE.grading)
    assert g.disposition == "REPAIR" and any(sda.serial in r for r in g.reasons)


def test_raid_volume_is_reported_not_erased() -> None:
    srv = server("S1:raid_hidden_disks")
    res, shell = run(srv)
    assert res.outcome is Outcome.WARN and "RAID" in res.summary and "HBA" in res.summary
    assert "MegaRAID" in res.evidence["raid_controller"]
    assert not any(c.startswith(("dd ", "hdparm --")) for c in shell.commands)


def test_healthy_server_grades_resale_with_its_own_tests() -> None:
    srv = server()
    res, _ = run(srv)
    ctx = TestContext(slot=SlotInfo("S1"), profile_name="linux_server", params={"restart_wait_s": 20},
                      identity=Identity(), cli=SimShell(srv))
    bmc_reset = asyncio.run(get_test("bmc_reset", SERVER)(ctx))
    ok = {n: TestResult(n, Outcome.PASS, "ok") for n in ("identity", "smart", "edac", "nic", "bmc", "burnin")}
    g = grade(ok | {"erasure": res, "bmc_reset": bmc_reset}, rules=PROFILE.grading)
    assert g.disposition == "RESALE" and g.functional == "F4", g.reasons
    g = grade(ok | {"erasure": res}, rules=PROFILE.grading)  # the previous owner's BMC accounts still there
    assert g.disposition == "HOLD" and "not sanitized: bmc_reset not run" in g.reasons
    g = grade(ok, rules=PROFILE.grading)
    assert g.disposition == "HOLD"


def test_boot_media_are_excluded() -> None:
    lsblk = ('{"blockdevices": [{"name": "sda", "size": 100, "type": "disk", "mountpoints": [null], "children": '
             '[{"name": "sda1", "type": "part", "mountpoints": ["/run/live/medium"]}]}, '
             '{"name": "sdb", "size": 100, "type": "disk", "mountpoints": [null]}]}')
    disks, excluded = erasure.parse_lsblk(lsblk)
    assert [d.name for d in disks] == ["sdb"]
    assert excluded[0]["device"] == "/dev/sda" and "boot medium" in excluded[0]["reason"]
    assert erasure.mounted_sources("/dev/nvme0n1p2 / ext4 rw 0 0\n/dev/sdc1 /boot vfat rw 0 0\n"
                                   "/dev/loop0 /x squashfs ro 0 0\n") == {"nvme0n1", "sdc"}


def test_hostile_output_never_crashes_the_parsers() -> None:
    for junk in ("", "{", "\x1b[2J{\"blockdevices\": 5}", '{"blockdevices": [{"name": "../x", "type": "disk"}]}'):
        assert erasure.parse_lsblk(junk)[0] == []
    assert erasure.hpa("max sectors = x/y") is None
    assert erasure.ata_security("garbage\x00")["frozen"] is False


def test_erasure_records_export_and_buyer_line() -> None:
    import csv
    import io
    import json

    from bench.reports.erasure_record import buyer_rows, to_erasure_csv, to_erasure_json

    res, _ = run(server("S1:erase_fails"))
    test = {"name": "erasure", "outcome": str(res.outcome), "summary": res.summary, "finished": res.finished,
            "evidence": json.loads(json.dumps(res.evidence))}
    doc = {"units": [{"slot": "S1", "serial": "ABC1234", "model": "PowerEdge R640", "tests": [test]},
                     {"slot": "S2", "serial": "X", "tests": [{"name": "identity", "outcome": "PASS"}]}]}
    rows = list(csv.DictReader(io.StringIO(to_erasure_csv(doc))))
    assert [r["device"] for r in rows] == ["/dev/sda", "/dev/sdb", "/dev/nvme0n1"]
    assert rows[0]["result"] == "FAIL" and rows[0]["unit_serial"] == "ABC1234"
    assert rows[2]["nist_category"] == "Purge" and rows[2]["verification_result"] == "PASS"
    assert rows[2]["sample_positions"].split()[0] == "0"
    assert json.loads(to_erasure_json(doc))["erasure_records"][1]["disk_serial"] == res.evidence["records"][1]["serial"]
    lines = dict(buyer_rows(test))
    assert lines["Erasure"].startswith("2 of 3 disks erased per NIST SP 800-88 (Purge)")
    assert "destruction" in lines["/dev/sda"]
    # A disposition per disk: the failed one to destruction with why, the verified ones reused.
    assert [r["disposition"] for r in rows] == ["destroy", "reuse", "reuse"]
    assert "failed during erasure" in rows[0]["disposition_reason"] and rows[1]["disposition_reason"]
    assert json.loads(to_erasure_json(doc))["erasure_records"][0]["disposition"] == "destroy"
    assert lines["/dev/sda"].startswith("FAIL, destroy:")
    from bench.reports.certificate import _disk_erasure

    page = _disk_erasure(None, test)  # type: ignore[arg-type]  # the certificate's erasure page
    assert "<th>disposition</th>" in page and page.count(">reuse<") == 2 and page.count(">destroy<") == 1


def test_every_record_says_what_becomes_of_its_disk() -> None:
    frozen, _ = run(server("S1:disk_frozen"))
    recs = records(frozen)
    assert recs["/dev/sda"]["disposition"] == "hold" and "frozen" in recs["/dev/sda"]["disposition_reason"]
    assert recs["/dev/nvme0n1"]["disposition"] == "reuse"
    raid, _ = run(server("S1:raid_hidden_disks"))
    assert records(raid)["/dev/sda"]["disposition"] == "hold"


def test_bmc_evidence_names_bmc_and_bios_firmware() -> None:
    srv = server()
    ctx = TestContext(slot=SlotInfo("S1"), profile_name="linux_server", params={}, identity=Identity(),
                      cli=SimShell(srv))
    res = asyncio.run(get_test("bmc", SERVER)(ctx))
    assert res.evidence["firmware"] == {"bmc": "4.40", "bios": srv.spec.bios_version}


def as_sas(srv: Server, name: str, kind: str) -> erasure.Disk:
    """Make one simulated disk a SAS drive (the simulated models ship SATA and NVMe) and say it as lsblk would."""
    d = next(d for d in srv.disks if d.name == name)
    d.spec = dataclasses.replace(d.spec, kind=kind, model="SEAGATE ST2000NM0045")
    return erasure.Disk(name, d.size, d.spec.model, d.serial, "sas", kind == "sas_hdd")


def erase_one(srv: Server, disk: erasure.Disk) -> tuple[erasure.Record, SimShell]:
    shell = SimShell(srv)
    unit = erasure.Unit(TestContext(slot=SlotInfo("S1"), profile_name="x", params={}, identity=Identity(),
                                    cli=shell), sudo=False)
    return asyncio.run(erasure.erase_disk(unit, disk, {"verify": "full"})), shell


@pytest.mark.parametrize(("kind", "method", "flag"), [
    ("sas_ssd", "SCSI SANITIZE CRYPTOGRAPHIC ERASE", "--crypto"),
    ("sas_hdd", "SCSI SANITIZE OVERWRITE", "--overwrite --zero"),
])
def test_sas_drives_are_purged_with_their_strongest_scsi_sanitize(kind: str, method: str, flag: str) -> None:
    srv = server()
    rec, shell = erase_one(srv, as_sas(srv, "sdb", kind))
    assert rec.result == "PASS", rec.reason
    assert rec.method == method and rec.nist_category == "Purge" and rec.verification["mode"] == "full"
    assert f"sg_sanitize --quick --wait {flag} /dev/sdb; echo rc $?" in shell.commands
    assert not any(c.startswith(("hdparm", "dd ")) for c in shell.commands)
    assert zeros_on(srv, "sdb")


def test_sas_drive_without_sanitize_is_formatted_and_only_cleared(monkeypatch: pytest.MonkeyPatch) -> None:
    from simulators import disk_tools

    monkeypatch.setitem(disk_tools.SANITIZE_ACTIONS, "sas_hdd", set())  # an older drive: no SANITIZE at all
    srv = server()
    rec, shell = erase_one(srv, as_sas(srv, "sdb", "sas_hdd"))
    assert rec.result == "PASS" and rec.method == "SCSI FORMAT UNIT" and rec.nist_category == "Clear"
    assert "sg_format --format --quick /dev/sdb; echo rc $?" in shell.commands and zeros_on(srv, "sdb")


def test_sas_drive_failing_its_sanitize_is_for_destruction() -> None:
    srv = server()
    disk = as_sas(srv, "sdb", "sas_ssd")
    srv.disks[1].fails_writes = True
    rec, _ = erase_one(srv, disk)
    assert rec.result == "FAIL" and "Medium error" in rec.reason and "destruction" in rec.reason
    assert rec.method == "SCSI SANITIZE CRYPTOGRAPHIC ERASE"


def test_ata_sanitize_is_issued_and_polled_and_its_failure_named() -> None:
    srv = server()
    rec, shell = erase_one(srv, erasure.Disk("sda", srv.disks[0].size, "m", srv.disks[0].serial, "sata", False))
    assert rec.result == "PASS" and rec.method == "ATA SANITIZE BLOCK ERASE" and rec.nist_category == "Purge"
    assert "hdparm --yes-i-know-what-i-am-doing --sanitize-block-erase /dev/sda; echo rc $?" in shell.commands
    assert "hdparm --sanitize-status /dev/sda; echo rc $?" in shell.commands and zeros_on(srv, "sda")
    srv = server("S1:erase_fails")
    rec, _ = erase_one(srv, erasure.Disk("sda", srv.disks[0].size, "m", srv.disks[0].serial, "sata", False))
    assert rec.result == "FAIL" and rec.method == "ATA SANITIZE BLOCK ERASE" and "did not complete" in rec.reason


def local_unit() -> erasure.Unit:
    """This host's own shell (the `local://` channel), to run the zero reader for real on a scratch file."""
    channel = local_channel(ThreadPoolExecutor(1), asyncio.Semaphore(1))
    return erasure.Unit(TestContext(slot=SlotInfo("S1"), profile_name="x", params={}, identity=Identity(),
                                    cli=channel), sudo=False)


def test_zero_reader_reads_every_byte_and_names_the_first_that_is_not_zero(tmp_path: Path) -> None:
    disk = tmp_path / "disk.img"
    size = 9 * 2**20 + 4096  # not a whole number of the reader's blocks
    with open(disk, "wb") as f:
        f.truncate(size)
    unit = local_unit()
    v = asyncio.run(erasure.verify_zeros(unit, str(disk), size, "full", 0, 2**20, 60))
    assert v["result"] == "PASS" and v["reader"].startswith("zero_reader") and v["bytes_read"] == size, v
    with open(disk, "r+b") as f:
        f.seek(size - 4095)
        f.write(b"owner")  # a few bytes left in the last block
        f.seek(5_000_001)
        f.write(b"x")
    v = asyncio.run(erasure.verify_zeros(unit, str(disk), size, "full", 0, 2**20, 60))
    assert v["result"] == "FAIL" and v["detail"] == "at byte 5000001: not zeros", v
    v = asyncio.run(erasure.verify_zeros(unit, str(disk), size + 2**20, "full", 0, 2**20, 60))
    assert v["result"] == "FAIL" and "at byte 5000001" in v["detail"]  # the first problem, not the last
    with open(disk, "r+b") as f:
        f.seek(5_000_001)
        f.write(b"\0")
    v = asyncio.run(erasure.verify_zeros(unit, str(disk), size + 2**20, "full", 0, 2**20, 60))
    assert v["result"] == "FAIL" and f"at byte {size - 4095}: not zeros" == v["detail"]
    v = asyncio.run(erasure.verify_zeros(unit, str(disk), size, "sample", 4, 4096, 60))
    assert v["result"] == "FAIL" and v["reader"].startswith("zero_reader")  # the last block is always sampled
    assert v["positions"][-1] == size - 4096


def test_zero_reader_past_the_end_is_unreadable_never_zeros(tmp_path: Path) -> None:
    disk = tmp_path / "short.img"
    with open(disk, "wb") as f:
        f.truncate(2**20)
    v = asyncio.run(erasure.verify_zeros(local_unit(), str(disk), 2 * 2**20, "full", 0, 2**20, 60))
    assert v["result"] == "FAIL" and v["detail"] == f"at byte {2**20}: unreadable (end of device)"


def test_without_python_on_the_unit_cmp_verifies() -> None:
    srv = server()
    res, shell = run(srv, verify="full")
    assert {r["verification"]["reader"] for r in res.evidence["records"]} == {"cmp"}  # the live image sim: no python3
    assert any("zero_reader" in c or "b64decode" in c for c in shell.commands)  # asked first


def test_zero_reader_names_the_first_problem_whichever_thread_meets_it_first(tmp_path: Path) -> None:
    from bench.tests_hw.server import zero_reader

    disk = tmp_path / "disk.img"
    block = zero_reader.BLOCK
    with open(disk, "wb") as f:
        f.truncate(3 * block)
        f.seek(2 * block)  # the first thread's second block: often met before the second thread's first
        f.write(b"late")
        f.seek(block + 7)
        f.write(b"early")
    for _ in range(20):
        assert zero_reader.check(str(disk), [(0, 3 * block)]) == (f"differs at {block + 7}", 1)
