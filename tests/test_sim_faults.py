"""Fault spec parsing and the effects of each implemented fault on the one device model."""

from __future__ import annotations

import time

import pytest

from simulators.families.cisco_ios.catalog import MODELS
from simulators.families.cisco_ios.cli import IosSession, show_env_fan, show_env_power, show_version
from simulators.families.cisco_ios.device import Device
from simulators.faults import FAULTS, models_for, parse_faults
from simulators.fleet import build_devices

ARCH_NAMES = ("fan_failed psu_failed overtemp port_dead crc_errors link_flap poe_fault optic_dom_alarm "
              "parity_crash crashinfo serial_mismatch counterfeit_serial optic_security stolen leftover_config "
              "unknown_password recovery_disabled stuck_rommon setup_dialog console_noise reboot ssh_drop "
              "snmp_loss slow_response bad_disk edac_errors sel_psu nic_down disk_frozen disk_hpa erase_fails "
              "raid_hidden_disks"
              " stack sparse_entity_mib uncatalogued_model telnet_only legacy_ssh"  # real units' traits
              " smart_license_registered not_genuine_message leftover_crypto_keys cold_boot_fail"  # refurb-steps
              ).split()
ARCH_NAMES += ["old_image", "image_copy_corrupt"]  # refurbishment: the image step (issue 16)


def test_every_documented_name_is_accepted() -> None:
    assert set(ARCH_NAMES) == set(FAULTS)
    specs = parse_faults(",".join(f"S1:{n}" for n in ARCH_NAMES))
    assert [s.name for s in specs] == ARCH_NAMES


def test_offsets() -> None:
    a, b, c, d = parse_faults("S2:fan_failed, S5:reboot@60s,S5:crc_errors@2m,S10:overtemp@1h")
    assert (a.slot, a.name, a.offset) == ("S2", "fan_failed", None)
    assert (b.offset, c.offset, d.offset) == (60, 120, 3600)
    assert b.text == "reboot@60s"


@pytest.mark.parametrize("bad, hint", [
    ("S1:fan_fail", "unknown fault 'fan_fail'"),
    ("fan_failed", "SLOT:FAULT"),
    ("S1:reboot@10x", "SLOT:FAULT"),
    ("X1:reboot", "SLOT:FAULT"),
    ("S1:reboot@", "SLOT:FAULT"),
])
def test_malformed_items_are_named(bad: str, hint: str) -> None:
    with pytest.raises(ValueError) as err:
        parse_faults(f"S2:overtemp,{bad}")
    msg = str(err.value)
    assert hint in msg and "\n" not in msg
    assert bad.split(":")[-1] in msg


def test_fault_picks_a_model_it_can_happen_on() -> None:
    assert all(MODELS[m].poe for m in models_for("cisco_ios_switch", ["poe_fault"]))
    devs = build_devices(12, 3, ["cisco_ios_switch"], ",".join(f"S{i}:poe_fault" for i in range(1, 13)))
    assert all(d.spec.poe for d in devs)
    with pytest.raises(ValueError, match="bad_disk"):
        build_devices(2, 1, ["cisco_ios_switch"], "S1:bad_disk")
    with pytest.raises(ValueError, match="S9"):
        build_devices(2, 1, None, "S9:fan_failed")
    with pytest.raises(ValueError, match="unknown family 'cisco_nexus'"):
        build_devices(2, 1, ["cisco_nexus"], "")


def _dev(faults: str, model: str = "WS-C3750X-48P-S") -> Device:
    return Device("S1", 1, 11, model, parse_faults(",".join(f"S1:{f}" for f in faults.split(",") if f)))


def test_hardware_faults_agree_across_cli_and_snmp() -> None:
    dev = _dev("fan_failed,psu_failed,overtemp")
    view = dev.snmp_view()
    fan_states = [v for k, (_, v) in view.items() if k.startswith("1.3.6.1.4.1.9.9.13.1.4.1.3.")]
    psu_states = [v for k, (_, v) in view.items() if k.startswith("1.3.6.1.4.1.9.9.13.1.5.1.3.")]
    temp_states = [v for k, (_, v) in view.items() if k.startswith("1.3.6.1.4.1.9.9.13.1.3.1.6.")]
    assert 6 in fan_states and "FAULTY" in show_env_fan(dev)
    assert psu_states[-1] == 3 and "Bad" in show_env_power(dev).splitlines()[-1]
    assert 3 in temp_states


def test_serial_mismatch_only_in_snmp() -> None:
    dev = _dev("serial_mismatch", "WS-C2960X-48TS-L")
    view = dev.snmp_view()
    snmp_serial = view["1.3.6.1.2.1.47.1.1.1.1.11.1001"][1]
    assert snmp_serial != dev.serial
    assert f"Processor board ID {dev.serial}" in show_version(dev)
    healthy = _dev("", "WS-C2960X-48TS-L")
    assert healthy.snmp_view()["1.3.6.1.2.1.47.1.1.1.1.11.1001"][1] == healthy.serial


def test_snmp_view_shape() -> None:
    dev = _dev("")
    view = dev.snmp_view()
    assert view["1.3.6.1.2.1.1.2.0"] == ("ObjectIdentifier", "1.3.6.1.4.1.9.1.1227")
    assert view["1.3.6.1.2.1.1.1.0"][1].startswith("Cisco IOS Software, C3750E Software")
    assert view["1.3.6.1.2.1.1.3.0"][0] == "TimeTicks"
    classes = {v for k, (_, v) in view.items() if k.startswith("1.3.6.1.2.1.47.1.1.1.1.5.")}
    assert {3, 6, 7, 9} <= classes
    assert all(t in {"Integer", "OctetString", "ObjectIdentifier", "TimeTicks", "Gauge32", "Counter32", "Counter64"}
               for t, _ in view.values())


def _cli(dev: Device, *lines: str) -> str:
    cli = IosSession(dev, console=True)
    out = [cli.feed(x + "\r").text for x in ("",) + lines]
    return "".join(out)


def test_leftover_and_unknown_password() -> None:
    dev = _dev("leftover_config,unknown_password")
    assert dev.hostname.startswith("ACME-")
    assert not dev.check_login("cisco", "cisco")
    out = _cli(dev, "cisco", "cisco")
    assert "% Login invalid" in out
    assert dev.flash["vlan.dat"].size > 616


def test_sanitization_flow_on_console() -> None:
    dev = _dev("leftover_config")
    out = _cli(dev, "cisco", "cisco", "enable", "cisco", "write erase", "", "delete flash:vlan.dat", "", "",
               "dir", "show startup-config")
    assert "Erase of nvram: complete" in out and "Delete flash:/vlan.dat? [confirm]" in out
    assert "vlan.dat" not in dev.flash and dev.startup is None
    assert "startup-config is not present" in out


def test_parity_and_recovery_disabled() -> None:
    dev = _dev("parity_crash,recovery_disabled", "WS-C2960X-24TS-L")
    text = show_version(dev)
    assert "System returned to ROM by processor memory parity error" in text
    assert "password-recovery mechanism is disabled" in text
    assert "crashinfo" in dev.flash


def test_slow_response_and_reboot_offset() -> None:
    dev = _dev("slow_response,reboot@1s", "WS-C2960X-24TS-L")
    cli = IosSession(dev, console=False)
    assert cli.feed("show clock\n").delay == pytest.approx(2.0)
    assert dev.generation == 0
    dev.first_contact = time.monotonic() - 2  # as if the bench connected two seconds ago
    dev.tick()
    assert dev.generation == 1 and dev.uptime() < 5
    assert cli.feed("show clock\n").close  # SSH sessions die with the reboot


def test_list_faults_names_every_family_that_acts_on_a_fault() -> None:
    from simulators.faults import fault_table

    where = {name: fams for name, fams, _ in fault_table()}
    for family in ("cisco_ios_switch", "cisco_iosxe_switch", "cisco_ios_router", "arista_eos", "juniper_junos",
                   "hp_procurve"):
        assert family in where["fan_failed"]
    assert "linux_server" in where["bad_disk"] and "cisco_ios_switch" not in where["bad_disk"]


def test_list_faults_lists_only_families_that_accept_the_fault() -> None:
    """Every family --list-faults names for a fault is one `bench sim --faults` accepts it on."""
    from simulators.faults import fault_table, models_for

    for name, fams, _ in fault_table():
        for family in fams.removesuffix(" (PoE models)").split(","):
            if family.startswith("("):
                continue
            assert models_for(family, [name], "S1"), (name, family)
    assert dict((n, f) for n, f, _ in fault_table())["stack"] == "cisco_ios_switch"


@pytest.mark.parametrize("pid", sorted(p for p, m in MODELS.items() if m.family == "cisco_ios_switch"))
def test_uncatalogued_model_is_identified_by_its_family(pid: str) -> None:
    from bench.model_catalog import catalog_note, lookup
    from bench.platforms.identity_readers import read
    from bench.profiles import Catalog

    dev = Device("S1", 1, 7, pid, parse_faults("S1:uncatalogued_model"))
    text = show_version(dev)
    assert dev.model != pid and lookup(dev.model) is None  # a real sibling PID the bench does not list
    assert Catalog.load().identify(show_version=text).name == "cisco_ios_switch"  # type: ignore[union-attr]
    got = read("cisco_ios", "show version", text)
    assert (got.model, got.serial) == (dev.model, dev.serial)
    assert catalog_note(got.model).startswith(f"model {dev.model} not catalogued")
