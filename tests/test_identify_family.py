"""Identification by OS family: the unit's own banner, enterprise subtree and PID decide, never a model list."""

from __future__ import annotations

import pytest

from bench.errors import ProfileError
from bench.model_catalog import catalog_note, lookup, parse_models
from bench.profiles import Catalog, parse_profile


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load()


def _version(first_line: str, processor: str = "", model_number: str = "") -> str:
    text = f"{first_line}\nTechnical Support: http://www.cisco.com/techsupport\n\nROM: Bootstrap program\n"
    if processor:
        text += f"{processor}\nProcessor board ID FOC1234X0AB\n"
    if model_number:
        text += f"Model number                    : {model_number}\nSystem serial number            : FOC1234X0AB\n"
    return text


# Units nobody listed: the family banner names them, the role comes from what they say.
CASES = [
    (_version("Cisco Internetwork Operating System Software \nIOS (tm) C2940 Software (C2940-I6K2L2Q4-M), "
              "Version 12.1(22)EA8a", "cisco WS-C2940-8TT-S (RC32300) processor (revision B0) with 19912K bytes"),
     "cisco_ios_switch", "WS-C2940-8TT-S"),
    (_version("Cisco IOS Software, s72033_rp Software (s72033_rp-ADVENTERPRISEK9_WAN-M), Version 12.2(33)SXI4",
              "cisco WS-C6509-E (R7000) processor (revision 1.2) with 983008K/65536K bytes"),
     "cisco_ios_switch", "WS-C6509-E"),
    (_version("Cisco IOS Software, C2900 Software (C2900-UNIVERSALK9-M), Version 15.2(4)M6",
              "Cisco CISCO2911/K9 (revision 1.0) with 483328K/40960K bytes of memory."),
     "cisco_ios_router", ""),
    (_version("Cisco IOS Software, C3900 Software (C3900e-UNIVERSALK9-M), Version 15.4(3)M3",
              "Cisco CISCO3945-CHASSIS (revision 1.1) with C3900-SPE150/K9 with 1011712K/36864K bytes"),
     "cisco_ios_router", ""),
    (_version("Cisco IOS XE Software, Version 17.03.04a\nCisco IOS Software [Amsterdam], Catalyst L3 Switch "
              "Software (CAT9K_IOSXE), Version 17.3.4a", "cisco C9300-24UX (X86) processor with 1338207K/6147K",
              "C9300-24UX"), "cisco_iosxe_switch", "C9300-24UX"),
    (_version("Cisco IOS XE Software, Version 17.09.04a\nCisco IOS Software [Cupertino], C9800 Software "
              "(C9800_IOSXE-K9), Version 17.9.4a", "cisco C9800-40-K9 (KATAR) processor with 7967208K/6147K"),
     "cisco_ios_router", "C9800-40-K9"),
    (_version("Cisco IOS XE Software, Version 17.06.01\nCisco IOS Software [Bengaluru], Virtual XE Software "
              "(X86_64_LINUX_IOSD-UNIVERSALK9-M), Version 17.6.1", "cisco C8000V (VXE) processor with 1987044K"),
     "cisco_ios_router", "C8000V"),
    (_version("Cisco IOS XE Software, Version 17.09.01\nCisco IOS Software [Cupertino], IE31xx Switch Software "
              "(IE31XX-UNIVERSALK9-M), Version 17.9.1", "cisco IE-3105-8T2C (ARM64) processor with 1390530K",
              "IE-3105-8T2C"), "cisco_iosxe_switch", "IE-3105-8T2C"),
    ("Arista CCS-720XP-24ZY4-F\nHardware version: 11.00\nSerial number: JPE11400249\n",
     "arista_eos", "CCS-720XP-24ZY4-F"),
    ("Hostname: lab\nModel: qfx5100-48t-6q\nJunos: 21.4R3-S3.4\n", "juniper_junos", "qfx5100-48t-6q"),
]


@pytest.mark.parametrize(("text", "profile", "model"), CASES)
def test_family_banner_identifies_units_nobody_listed(catalog: Catalog, text: str, profile: str,
                                                       model: str) -> None:
    got = catalog.identification(show_version=text)
    assert got.profile is not None and got.profile.name == profile, got.reason
    if model:
        assert got.model == model
    assert got.reason.startswith("family ")


def test_role_default_is_said(catalog: Catalog) -> None:
    got = catalog.identification(show_version=_version("Cisco IOS Software, XYZ Software (XYZ-M), Version 15.0"))
    assert got.profile is not None and got.profile.name == "cisco_ios_switch"
    assert "by default" in got.reason


@pytest.mark.parametrize(("oid", "descr", "profile"), [
    ("1.3.6.1.4.1.9.1.9999", "Cisco IOS Software, C3560E Software (C3560E-UNIVERSALK9-M), Version 15.0(2)SE",
     "cisco_ios_switch"),
    ("1.3.6.1.4.1.9.1.9998", "Cisco IOS Software [Fuji], ISR Software (X86_64_LINUX_IOSD-UNIVERSALK9-M), "
     "Version 16.9.4", "cisco_ios_router"),
    ("1.3.6.1.4.1.9.1.9997", "Cisco IOS Software [Gibraltar], Catalyst L3 Switch Software (CAT9K_IOSXE), "
     "Version 16.12.4", "cisco_iosxe_switch"),
    ("1.3.6.1.4.1.30065.1.3011.720.1", "Arista Networks EOS version 4.27.3F running on an Arista CCS-720XP",
     "arista_eos"),
    ("1.3.6.1.4.1.2636.1.1.1.2.999", "Juniper Networks, Inc. qfx5120-48y-8c Ethernet Switch, kernel JUNOS 20.4",
     "juniper_junos"),
    ("1.3.6.1.4.1.11.2.3.7.11.999", "HP J9999A 2540-48G Switch, revision YC.16.04.0008, ROM YC.16.01.0002",
     "hp_procurve"),
])
def test_enterprise_subtree_and_sysdescr(catalog: Catalog, oid: str, descr: str, profile: str) -> None:
    found = catalog.identify(sys_object_id=oid, show_version=descr)
    assert found is not None and found.name == profile


def test_other_families_of_a_vendor_are_not_taken(catalog: Catalog) -> None:
    # An ASA shares Cisco's enterprise with IOS but is its own family (cisco_asa), never an IOS profile's.
    asa = catalog.identify(sys_object_id="1.3.6.1.4.1.9.1.2000",
                           show_version="Cisco Adaptive Security Appliance Version 9.8(4)")
    assert asa is not None and asa.name == "cisco_asa"
    assert catalog.identify(show_version="Aruba Operating System Software.\nArubaOS (MODEL: 310)") is None
    nxos = catalog.identify(sys_object_id="1.3.6.1.4.1.9.12.3.1.3.1084",
                            show_version="Cisco NX-OS(tm) n5000, Software (n5000-uk9), Version 6.0(2)N2(3)")
    assert nxos is not None and nxos.name == "cisco_nxos"  # NX-OS has its own family since issue 14


def test_model_catalog_is_consulted_not_required() -> None:
    assert lookup("ISR4331/K9") is not None and lookup("ISR4331") is not None
    assert lookup("ISR4331").role == "router"  # type: ignore[union-attr]
    assert catalog_note("WS-C2960X-48TS-L") == ""
    assert catalog_note("WS-C2960XR-24TS-I") == "model WS-C2960XR-24TS-I not catalogued: tested with its family's tests"


def test_model_catalog_validation_names_the_field() -> None:
    with pytest.raises(ProfileError, match=r"models.X1.ports must be a whole number"):
        parse_models({"vendor": "x", "models": {"X1": {"ports": "many"}}}, "m.yaml")
    with pytest.raises(ProfileError, match=r"models.X1.colour is not a model fact"):
        parse_models({"vendor": "x", "models": {"X1": {"colour": "blue"}}}, "m.yaml")


def test_profile_identify_fields_validate() -> None:
    base = {"name": "x", "connect": {"netmiko_device_type": "cisco_ios"}, "tests": {"identity": {}},
            "plans": {"quick": ["identity"]}}
    with pytest.raises(ProfileError, match=r"identify.enterprise must be a list of dotted OIDs"):
        parse_profile(base | {"identify": {"enterprise": ["cisco"]}}, "p.yaml")
    with pytest.raises(ProfileError, match=r"identify.model\[0\] needs a group"):
        parse_profile(base | {"identify": {"model": ["Model: \\S+"]}}, "p.yaml")
    with pytest.raises(ProfileError, match=r"identify.default must be true or false"):
        parse_profile(base | {"identify": {"default": "yes"}}, "p.yaml")
