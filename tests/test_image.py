"""The image step end to end: a real image server on loopback, simulated Catalysts pulling from it over HTTP
from their own CLI (reached over SSH), the digests the units print compared with the library's."""

from __future__ import annotations

import asyncio
import hashlib
import re
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
from simulators.families.cisco_ios.catalog import MODELS
from simulators.families.cisco_ios.images import TARGETS, header


def _library(fleet: Any) -> ImageLibrary:
    return load_bench(fleet.bench_file).images


async def _run(ctx: Any) -> TestResult:
    return await image.run(ctx)


def test_bench_sim_writes_a_library_whose_files_match_their_hashes(bench_sim: Any) -> None:
    fleet = bench_sim(count=1, families=["cisco_ios_switch"])
    entry = fleet.doc["images"]["cisco_ios_switch"]
    data = Path(entry["file"]).read_bytes()
    assert entry["version"] == TARGETS["cisco_ios_switch"]
    assert hashlib.sha256(data).hexdigest() == entry["sha256"] and hashlib.md5(data).hexdigest() == entry["md5"]
    assert data.startswith(b"BENCH-SIM-IMAGE family=cisco_ios_switch version=15.2(7)E10")


def test_old_image_is_upgraded_to_the_target_and_the_unit_ends_on_it(bench_sim: Any) -> None:
    fleet = bench_sim(count=1, families=["cisco_ios_switch"], faults="S1:old_image")
    library = _library(fleet)
    ctx = make_ctx(fleet, "S1", {"library": library}, snmp=False)

    async def go() -> tuple[TestResult, str, str, str]:
        r = await image.run(ctx)
        return (r, await ctx.cli.send("show version"), await ctx.cli.send("show boot"),
                await ctx.cli.send("show interfaces status"))

    r, version, boot, status = run_async(go)
    target = TARGETS["cisco_ios_switch"]
    assert r.outcome is Outcome.PASS, (r.summary, r.evidence.get("steps", [])[-3:])
    assert r.evidence["version_before"] == "15.0(2)EX5" and r.evidence["version_after"] == target
    assert ctx.identity.os_version == target  # the record and certificate show the release it runs now
    # handed on settled: the links up before the reload are up again (the ports check judges a booted unit)
    assert r.evidence["links_before"] and r.evidence["links_missing"] == []
    for port in r.evidence["links_before"]:
        assert re.search(rf"(?m)^{re.escape(port)}\s.*\bconnected\b", status), port
    assert f"Version {target}," in version and "flash:c2960x-universalk9-mz.152-7.E10.bin" in boot
    commands = [s["command"] for s in r.evidence["steps"]]
    assert any(c.startswith("copy http://127.0.0.1:") for c in commands)
    assert any(c.startswith("verify /md5 flash") for c in commands) and "reload" in commands
    # verified before the boot variable was set
    first_verify = next(i for i, c in enumerate(commands) if c.startswith("verify"))
    assert first_verify < next(i for i, c in enumerate(commands) if c.startswith("boot system"))
    entry = library.for_unit("cisco_ios_switch", "")
    assert entry is not None
    for digests in r.evidence["digests"].values():
        assert digests["md5"] == entry.computed["md5"] and digests["sha512"] == entry.computed["sha512"]


def test_corrupt_copy_is_caught_by_its_hash_and_the_unit_keeps_booting_its_image(bench_sim: Any) -> None:
    fleet = bench_sim(count=1, families=["cisco_ios_switch"], faults="S1:image_copy_corrupt")
    library = _library(fleet)
    ctx = make_ctx(fleet, "S1", {"library": library}, snmp=False)
    model = fleet.truth("S1")["model"]

    async def go() -> tuple[TestResult, str, str]:
        r = await image.run(ctx)
        return r, await ctx.cli.send("show boot"), await ctx.cli.send("dir flash:")

    r, boot, listing = run_async(go)
    entry = library.for_unit("cisco_ios_switch", "")
    assert entry is not None
    assert r.outcome is Outcome.FAIL and "hash mismatch" in r.summary, r.summary
    assert entry.computed["md5"] in r.summary  # both digests named: the unit's and the library's
    unit_md5 = next(iter(r.evidence["digests"].values()))["md5"]
    assert unit_md5 != entry.computed["md5"] and unit_md5 in r.summary
    assert entry.name not in boot and MODELS[model].image_file in boot  # boot variable untouched
    assert entry.name not in listing  # the corrupt copy was deleted
    commands = [s["command"] for s in r.evidence["steps"]]
    assert "reload" not in commands and not any(c.startswith("boot system") for c in commands)


def test_already_on_target_passes_without_a_copy(bench_sim: Any, tmp_path: Path) -> None:
    fleet = bench_sim(count=1, families=["cisco_ios_switch"])
    running = MODELS[fleet.truth("S1")["model"]].version
    doc = yaml.safe_load(fleet.bench_file.read_text())
    doc["images"]["cisco_ios_switch"]["version"] = running
    path = tmp_path / "on-target.yaml"
    path.write_text(yaml.safe_dump(doc))
    ctx = make_ctx(fleet, "S1", {"library": load_bench(path).images}, snmp=False)
    r = run_async(lambda: _run(ctx))
    assert r.outcome is Outcome.PASS and "nothing copied" in r.summary, r.summary
    assert r.evidence["copied"] is False and r.evidence["version_before"] == r.evidence["version_after"] == running
    assert not any(s["command"].startswith("copy") for s in r.evidence["steps"])


def test_full_flash_fails_and_deletes_only_old_images(bench_sim: Any, tmp_path: Path) -> None:
    fleet = bench_sim(count=1, families=["cisco_ios_switch"], faults="S1:old_image")
    big = tmp_path / "c2960x-universalk9-mz.152-7.E12.bin"
    with big.open("wb") as fh:  # larger than any simulated flash: nothing the bench may delete makes room
        fh.write(header("cisco_ios_switch", "15.2(7)E12"))
        fh.truncate(130_000_000)
    digest = hashlib.sha256(big.read_bytes()).hexdigest()
    doc = yaml.safe_load(fleet.bench_file.read_text())
    doc["images"] = {"cisco_ios_switch": {"version": "15.2(7)E12", "file": str(big), "sha256": digest}}
    path = tmp_path / "big.yaml"
    path.write_text(yaml.safe_dump(doc))
    ctx = make_ctx(fleet, "S1", {"library": load_bench(path).images}, snmp=False)
    model = fleet.truth("S1")["model"]

    async def go() -> tuple[TestResult, str]:
        r = await image.run(ctx)
        return r, await ctx.cli.send("dir flash:")

    r, listing = run_async(go)
    assert r.outcome is Outcome.FAIL and "flash full" in r.summary, r.summary
    # The release the unit shipped with is an old image (neither running nor booted): the only thing deleted;
    # the running image and everything that is not an image stay.
    assert r.evidence["deleted"] == [f"flash:{MODELS[model].image_file}"], r.evidence["deleted"]
    for kept in ("vlan.dat", "config.text", "private-config.text", "multiple-fs",
                 "c2960x-universalk9-mz.150-2.EX5.bin"):
        assert kept in listing
    assert MODELS[model].image_file not in listing
    assert not any(s["command"].startswith(("copy", "reload")) for s in r.evidence["steps"])


def test_a_unit_the_library_does_not_cover_is_not_run(bench_sim: Any, tmp_path: Path) -> None:
    fleet = bench_sim(count=1, families=["cisco_ios_switch"])
    doc = yaml.safe_load(fleet.bench_file.read_text())
    doc["images"] = {"C9300-*": doc["images"]["cisco_ios_switch"]}
    path = tmp_path / "other.yaml"
    path.write_text(yaml.safe_dump(doc))
    ctx = make_ctx(fleet, "S1", {"library": load_bench(path).images}, snmp=False)
    r = run_async(lambda: _run(ctx))
    assert r.outcome is Outcome.NOT_RUN and "no entry for cisco_ios_switch" in r.summary, r.summary
    ctx2 = make_ctx(fleet, "S1", {}, snmp=False)
    r2 = run_async(lambda: _run(ctx2))
    assert r2.outcome is Outcome.NOT_RUN and "images:" in r2.summary


def test_model_pattern_wins_over_the_family(tmp_path: Path) -> None:
    f = tmp_path / "a.bin"
    f.write_bytes(b"x" * 10)
    sha = hashlib.sha256(b"x" * 10).hexdigest()
    doc = {"bench": "b", "slots": [{"id": "A1", "ssh": "127.0.0.1:22"}],
           "images": {"cisco_ios_switch": {"version": "1", "file": str(f), "sha256": sha},
                      "WS-C3750X-*": {"version": "2", "file": str(f), "sha256": sha}}}
    path = tmp_path / "b.yaml"
    path.write_text(yaml.safe_dump(doc))
    lib = load_bench(path).images
    assert lib.for_unit("cisco_ios_switch", "WS-C3750X-48P-S").version == "2"  # type: ignore[union-attr]
    assert lib.for_unit("cisco_ios_switch", "WS-C2960X-24TS-L").version == "1"  # type: ignore[union-attr]
    assert lib.for_unit("arista_eos", "DCS-7050") is None



def test_a_stack_gets_the_image_on_every_member_and_every_member_ends_on_it(bench_sim: Any) -> None:
    fleet = bench_sim(count=1, families=["cisco_ios_switch"], faults="S1:stack")
    # settle_timeout 0: the links' return after the reload is the upgrade test's subject, not this one's
    ctx = make_ctx(fleet, "S1", {"library": _library(fleet), "settle_timeout": 0}, snmp=False)

    async def go() -> tuple[TestResult, str]:
        r = await image.run(ctx)
        return r, await ctx.cli.send("show version")

    r, version = run_async(go)
    target = TARGETS["cisco_ios_switch"]
    assert r.outcome is Outcome.PASS, (r.summary, r.evidence.get("steps", [])[-3:])
    commands = [s["command"] for s in r.evidence["steps"]]
    for member in (1, 2, 3):
        assert any(c.startswith("copy http://") and c.split()[-1].startswith(f"flash{member}:") for c in commands)
        assert any(c.startswith(f"verify /md5 flash{member}:") for c in commands)
    assert any(c.startswith("boot system switch all flash:") for c in commands)
    assert r.evidence["members"] == [f"{n}: {target}" for n in (1, 2, 3)]
    assert version.count(target) >= 4  # the banner and each member's row


def test_the_engine_records_the_new_release_on_the_unit_its_export_and_certificate(bench_sim: Any,
                                                                                   tmp_path: Path) -> None:
    from bench.engine import Engine, EngineOptions
    from bench.profiles import Catalog, parse_profile
    from bench.reports import export
    from bench.reports.certificate import render_certificate
    from bench.reports.unit import load_unit
    from bench.store import Store
    from bench.tests_hw.registry import known_tests

    fleet = bench_sim(count=1, families=["cisco_ios_switch"], faults="S1:old_image")
    catalog = Catalog.load(known_tests())
    # The Catalyst profiles declare `image: {}` and the refurb plan (profiles/*.yaml); here a plan of two steps.
    doc = yaml.safe_load(Path(catalog.get("cisco_ios_switch").source).read_text())
    doc["tests"]["image"] = {"settle_timeout": 0}
    doc["plans"]["image_only"] = ["identity", "image"]
    catalog.profiles["cisco_ios_switch"] = parse_profile(doc, "test", known_tests())
    run_file = fleet.run_file(keep=("ssh", "snmp"))
    bench_doc = yaml.safe_load(run_file.read_text())
    assert bench_doc["images"]  # the run file keeps the library `bench sim` wrote
    store = Store(f"sqlite:///{tmp_path}/img.db")
    engine = Engine(load_bench(run_file), store, catalog,
                    EngineOptions(plan="image_only", key_path=str(tmp_path / "k.key")))
    (outcome,) = asyncio.run(engine.run())
    assert outcome.results["image"].outcome is Outcome.PASS, outcome.results["image"].summary
    (unit,) = export.units(store)
    target = TARGETS["cisco_ios_switch"]
    assert unit["os_version"] == target and unit["record_holds"] is True
    html = render_certificate(load_unit(store, unit["serial"], f"sqlite:///{tmp_path}/img.db"))
    assert f"<td>{target}</td>" in html and "OS version on arrival</th><td>15.0(2)EX5</td>" in html
    store.close()


def test_the_9300_and_the_isr_install_their_family_target_too(bench_sim: Any) -> None:
    fleet = bench_sim(count=2, families=["cisco_iosxe_switch", "cisco_ios_router"], faults="S1:old_image")
    library = _library(fleet)

    async def one(sid: str) -> TestResult:
        ctx = make_ctx(fleet, sid, {"library": library, "settle_timeout": 0}, snmp=False)
        ctx.profile_name = fleet.truth(sid)["family"]
        return await image.run(ctx)

    async def go() -> list[TestResult]:
        return list(await asyncio.gather(one("S1"), one("S2")))

    for sid, r in zip(("S1", "S2"), run_async(go), strict=True):
        family = fleet.truth(sid)["family"]
        assert r.outcome is Outcome.PASS, (sid, r.summary, r.evidence.get("steps", [])[-3:])
        assert same_release(r.evidence["version_after"], TARGETS[family]) and r.evidence["copied"] is True


def test_a_release_is_the_same_however_ios_xe_pads_it() -> None:
    assert same_release("17.09.05", "17.9.5") and same_release("15.2(7)E10", "15.2(7)e10")
    assert not same_release("15.2(7)E1", "15.2(7)E10") and not same_release("", "17.9.5")


def test_over_tftp_a_corrupt_copy_is_caught_the_same_way(bench_sim: Any) -> None:
    fleet = bench_sim(count=1, families=["cisco_ios_switch"], faults="S1:image_copy_corrupt")
    ctx = make_ctx(fleet, "S1", {"library": _library(fleet), "transfer": "tftp"}, snmp=False)
    r = run_async(lambda: _run(ctx))
    assert r.outcome is Outcome.FAIL and "hash mismatch" in r.summary, r.summary
    assert r.evidence["source"].startswith("tftp://127.0.0.1:")
    copy = next(s for s in r.evidence["steps"] if s["command"] == "<Enter>" and "[OK - " in s["output"])
    assert "[OK - 4194304/4096 bytes]" in copy["output"]


def test_a_unit_not_back_within_the_reboot_timeout_fails_saying_so(bench_sim: Any) -> None:
    fleet = bench_sim(count=1, families=["cisco_ios_switch"], faults="S1:old_image")
    # A Catalyst's boot takes longer than a second even at the suite's console pace.
    ctx = make_ctx(fleet, "S1", {"library": _library(fleet), "reboot_timeout": 1, "reboot_poll": 0.5}, snmp=False)
    r = run_async(lambda: _run(ctx))
    assert r.outcome is Outcome.FAIL and "did not come back within 1 s" in r.summary, r.summary
    assert r.evidence["version_before"] == "15.0(2)EX5" and r.evidence["version_after"] is None
    assert ctx.identity.os_version != TARGETS["cisco_ios_switch"]  # nothing claims the upgrade


def test_a_platform_without_an_image_procedure_is_not_run_and_sends_nothing(tmp_path: Path) -> None:
    from bench.drivers.testing import Script
    from bench.images.library import ImageEntry
    from bench.model import Identity
    from bench.tests_hw.base import SlotInfo, TestContext

    (tmp_path / "eos.swi").write_bytes(b"x")
    library = ImageLibrary((ImageEntry("arista_eos", "4.28.3M", str(tmp_path / "eos.swi"), 1),))
    script = Script([("show version", "Arista DCS-7050TX-64\nSoftware image version: 4.20.1F")], prompt="sw#")
    ctx = TestContext(SlotInfo("A1"), "arista_eos", {"library": library}, Identity(),
                      cli=script.channel(platform="arista_eos"))
    r = asyncio.run(image.run(ctx))
    assert r.outcome is Outcome.NOT_RUN and "no image procedure for platform arista_eos" in r.summary, r.summary
    assert script.sent == []


def test_over_the_console_alone_the_copy_and_its_hash_check_work_the_same(bench_sim: Any) -> None:
    fleet = bench_sim(count=1, families=["cisco_ios_switch"], faults="S1:image_copy_corrupt")
    ctx = make_ctx(fleet, "S1", {"library": _library(fleet)}, snmp=False, console=True)
    ctx.cli = ctx.console  # a unit reached over its console line only
    r = run_async(lambda: _run(ctx))
    assert r.outcome is Outcome.FAIL and "hash mismatch" in r.summary, (r.summary, r.evidence.get("steps", [])[-3:])


def test_a_unit_back_on_its_old_release_fails_and_gets_its_boot_variable_back(bench_sim: Any,
                                                                             tmp_path: Path) -> None:
    from simulators.families.cisco_ios.images import make_image

    fleet = bench_sim(count=1, families=["cisco_ios_switch"])
    model = fleet.truth("S1")["model"]
    # An image of another family under this family's entry: it verifies (the file is the library's) but the
    # switch cannot load it and comes back on what it ran.
    foreign = tmp_path / "cat9k_iosxe.17.09.05.SPA.bin"
    make_image(str(foreign), "cisco_iosxe_switch", "17.9.5", size=1 << 20)
    doc = yaml.safe_load(fleet.bench_file.read_text())
    doc["images"] = {"cisco_ios_switch": {"version": "17.9.5", "file": str(foreign),
                                          "sha256": hashlib.sha256(foreign.read_bytes()).hexdigest()}}
    path = tmp_path / "foreign.yaml"
    path.write_text(yaml.safe_dump(doc))
    ctx = make_ctx(fleet, "S1", {"library": load_bench(path).images}, snmp=False)

    async def go() -> tuple[TestResult, str]:
        r = await image.run(ctx)
        return r, await ctx.cli.send("show boot")

    r, boot = run_async(go)
    assert r.outcome is Outcome.FAIL and "not on 17.9.5" in r.summary, r.summary
    assert r.evidence["version_after"] == MODELS[model].version and r.evidence["boot_restored"] is True
    assert foreign.name not in boot and MODELS[model].image_file in boot  # it boots what it booted
