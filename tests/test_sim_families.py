"""Simulated families are packages registered as entry points, built on one device base and one line session."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from simulators import family as family_registry
from simulators.device_base import SimDeviceBase
from simulators.fleet import build_devices
from simulators.line import LineSession

FIRST = ["cisco_ios_switch", "cisco_iosxe_switch", "cisco_ios_router", "arista_eos", "juniper_junos",
         "hp_procurve", "linux_server"]
BUILT_IN = list(family_registry.BUILTIN_ORDER)  # the first seven, then each family pack's, appended


def test_the_first_built_ins_keep_their_order() -> None:
    assert BUILT_IN[:len(FIRST)] == FIRST  # S1 a Catalyst, as documented


def install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dist: str, entry_point: str) -> None:
    """A distribution on sys.path whose only tie to bench is one entry point in bench.sim_families."""
    info = tmp_path / f"{dist}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[bench.sim_families]\n{entry_point}\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    monkeypatch.setattr(family_registry, "_loaded", {})


@pytest.fixture
def acme_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    install(tmp_path, monkeypatch, "acme_sim", "acme_nos = helpers.sim_family:FAMILY")


def test_built_in_families_are_registered_in_the_documented_order() -> None:
    assert list(family_registry.registry())[:len(BUILT_IN)] == BUILT_IN
    for name in BUILT_IN:
        fam = family_registry.family(name)
        assert fam.name == name and fam.models and fam.implemented_faults


@pytest.mark.parametrize("name", BUILT_IN)
def test_every_family_is_a_package_of_device_base_and_line_session(name: str) -> None:
    fam = family_registry.family(name)
    package = importlib.import_module(fam.build.__module__.rsplit(".", 1)[0])
    files = {p.name for p in Path(package.__file__ or "").parent.glob("*.py")}
    assert {"__init__.py", "device.py", "cli.py"} <= files
    dev = fam.build("S1", 1, 7, next(iter(fam.models)), [])
    assert isinstance(dev, SimDeviceBase)
    assert isinstance(dev.open_session(console=False), LineSession)


def test_a_family_from_another_distribution_builds_a_fleet(acme_installed: None) -> None:
    assert "acme_nos" in family_registry.available()
    dev, = build_devices(1, 3, ["acme_nos"], "S1:fan_failed")
    session = dev.open_session(console=False)
    assert session.feed("show fans\r\n").text.endswith("Fan 1: FAILED\r\nacme> ")
    assert family_registry.implemented_faults("acme_nos") == {"fan_failed", "slow_response", "ssh_drop"}


def test_a_fleet_without_families_cycles_built_ins_first(acme_installed: None) -> None:
    devices = build_devices(len(BUILT_IN) + 1, 1, None, None)
    assert [d.family for d in devices] == BUILT_IN + ["acme_nos"]


def test_an_entry_point_that_is_not_a_family_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    install(tmp_path, monkeypatch, "broken_sim", "broken = helpers.sim_family:MODELS")
    with pytest.raises(ValueError, match="entry point broken = helpers.sim_family:MODELS .* is not the Family"):
        family_registry.family("broken")


def test_a_family_whose_package_is_missing_is_not_simulated_yet(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    install(tmp_path, monkeypatch, "gone_sim", "gone = gone_sim_pkg:FAMILY")
    assert "gone" not in family_registry.available()
    with pytest.raises(ValueError, match="family gone is not simulated yet"):
        family_registry.family("gone")
