"""erasure on simulated servers whose disks are real bytes (loop devices when root, else sparse files):
the real dd and cmp run on them; hdparm/nvme-cli answers stand in for what a loop device cannot do."""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path
from typing import Any

import pytest

from bench.grading import grade
from bench.model import Identity, Outcome, TestResult
from bench.profiles import load_profile_file
from bench.tests_hw.base import SlotInfo, TestContext
from bench.tests_hw.registry import SERVER, get_test, known_tests
from bench.tests_hw.server import erasure
from simulators.block_devices import loop_available
from simulators.families.linux_server.device import Server
from simulators.faults import parse_faults

PROFILE = load_profile_file(Path(__file__).parent.parent / "profiles" / "linux_server.yaml", known_tests())


class SimShell:
    """The simulated live image's shell, in-process (the SSH transport is tested elsewhere)."""

    platform = "linux"

    def __init__(self, srv: Server) -> None:
        self.session = srv.open_session(console=False)
        self.commands: list[str] = []

    async def send(self, command: str, timeout: float = 30.0) -> str:
        self.commands.append(command)
        return self.session.run(command)[0]


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
    ok = {n: TestResult(n, Outcome.PASS, "ok") for n in ("identity", "smart", "edac", "nic", "bmc", "burnin")}
    g = grade(ok | {"erasure": res}, rules=PROFILE.grading)
    assert g.disposition == "RESALE" and g.functional == "F4", g.reasons
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


def test_bmc_evidence_names_bmc_and_bios_firmware() -> None:
    srv = server()
    ctx = TestContext(slot=SlotInfo("S1"), profile_name="linux_server", params={}, identity=Identity(),
                      cli=SimShell(srv))
    res = asyncio.run(get_test("bmc", SERVER)(ctx))
    assert res.evidence["firmware"] == {"bmc": "4.40", "bios": srv.spec.bios_version}
