"""SNMP identity on agents shaped like real ones: a chassis at 1001 with no class column, placeholder serials,
vendor MIBs when ENTITY-MIB is empty, and the request budget of identification."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from bench.cli import main
from bench.drivers.snmp import SnmpTarget, close_shared_engine
from bench.serials import placeholder_reason
from bench.tests_hw.snmp_identity import ENT_PHYSICAL, IDENTIFY_BUDGET, identity_from, read_snmp_identity
from simulators.pytest_plugin import start_fleet


def _ent(rows: dict[int, dict[int, object]]) -> dict[str, object]:
    return {f"{ENT_PHYSICAL}.{c}.{i}": v for i, cols in rows.items() for c, v in cols.items()}


def test_sparse_entity_mib_unit_is_identified_over_snmp_alone(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    fleet = start_fleet(tmp_path, count=1, families=["cisco_ios_switch"], faults="S1:sparse_entity_mib")
    try:
        truth, snmp = fleet.truth("S1"), fleet.slot("S1")["snmp"]

        async def read() -> tuple[dict[str, object], int, int]:
            target = SnmpTarget(snmp["host"], snmp["port"], snmp["community"])
            try:
                walk = await target.walk(ENT_PHYSICAL)
                before = target.requests
                reading = await read_snmp_identity(target)
                return walk, reading.identify_requests, target.requests - before
            finally:
                close_shared_engine()

        walk, identify_requests, _ = asyncio.run(read())
        # The agent really is sparse: no entPhysicalClass column, the chassis row at 1001 in nothing.
        assert not any(k.startswith(f"{ENT_PHYSICAL}.5.") for k in walk)
        assert walk[f"{ENT_PHYSICAL}.4.1001"] == 0 and walk[f"{ENT_PHYSICAL}.11.1001"] == truth["serial"]
        assert identify_requests + 1 <= IDENTIFY_BUDGET  # +1: the engine's profile-resolving GET
        assert main(["probe", f"snmp://{snmp['community']}@{snmp['host']}:{snmp['port']}", "--json"]) == 0
    finally:
        fleet.stop()
    doc = json.loads(capsys.readouterr().out)
    doc = doc["probes"][0] if "probes" in doc else doc
    assert (doc["model"], doc["serial"]) == (truth["model"], truth["serial"])
    assert doc["profile"] == truth["family"]


def test_a_class_less_agent_names_its_chassis_and_stack_members() -> None:
    # Two chassis at 1001 and 2001 contained in nothing, no class column; a PSU in member 1.
    values = _ent({1001: {2: "WS-C3750G-12S", 4: 0, 7: "1", 11: "FDO1622Y10H", 13: "WS-C3750G-12S-S"},
                   1002: {2: "Switch 1 - Power Supply 0", 4: 1001, 7: "Switch 1 - Power Supply 0",
                          11: "LIT1234ABCD", 13: "PWR-C1-350WAC"},
                   2001: {2: "WS-C3750G-12S", 4: 0, 7: "2", 11: "FDO1622Y20H", 13: "WS-C3750G-12S-S"}})
    got = identity_from(values)
    assert (got.model, got.serial) == ("WS-C3750G-12S-S", "FDO1622Y10H")
    assert [(c.kind.value, c.serial) for c in got.components] == [
        ("chassis", "FDO1622Y10H"), ("chassis", "FDO1622Y20H"), ("psu", "LIT1234ABCD")]


@pytest.mark.parametrize("serial", ["<private>", "XXXXXXXXXX", "0000000000", "", "  ", "N/A", "Default string",
                                    "0x00ff10"])
def test_a_placeholder_serial_is_unreadable_with_its_reason(serial: str) -> None:
    assert placeholder_reason(serial)
    values = {"1.3.6.1.2.1.1.2.0": "1.3.6.1.4.1.9.1.617",
              **_ent({1001: {4: 0, 5: 3, 11: serial, 13: "WS-C3560G-48TS-E"}})}
    got = identity_from(values)
    assert got.serial == "" and got.model == "WS-C3560G-48TS-E"
    if serial.strip():
        assert any("entPhysicalSerialNum.1001" in n for n in got.notes)


@pytest.mark.parametrize("serial", ["FOC1408Z61U", "JN11FCEC5AFA", "210235A0GKC158000929", "5A1551F39430"])
def test_real_serials_are_not_placeholders(serial: str) -> None:
    assert placeholder_reason(serial) is None


def test_vendor_mibs_hold_the_chassis_when_entity_mib_is_empty() -> None:
    cisco = identity_from({"1.3.6.1.2.1.1.2.0": "1.3.6.1.4.1.9.1.366", "1.3.6.1.4.1.9.3.6.3.0": "CAT0625X0DP"})
    assert cisco.serial == "CAT0625X0DP" and cisco.serial_source == "OLD-CISCO-CHASSIS-MIB chassisId"
    junos = identity_from({"1.3.6.1.2.1.1.2.0": "1.3.6.1.4.1.2636.1.1.1.2.21",
                           "1.3.6.1.4.1.2636.3.1.2.0": "Juniper MX960 Internet Backbone Router",
                           "1.3.6.1.4.1.2636.3.1.3.0": "JN11FCEC5AFA"})
    assert (junos.model, junos.serial) == ("MX960", "JN11FCEC5AFA")
    ilo = identity_from({"1.3.6.1.2.1.1.2.0": "1.3.6.1.4.1.232.9.4.10",
                         "1.3.6.1.4.1.232.2.2.2.1.0": "CZJ1234ABC", "1.3.6.1.4.1.232.2.2.4.2.0": "ProLiant DL380 Gen9"})
    assert (ilo.model, ilo.serial) == ("ProLiant DL380 Gen9", "CZJ1234ABC")
    idrac = identity_from({"1.3.6.1.2.1.1.2.0": "1.3.6.1.4.1.674.10892.5",
                           "1.3.6.1.4.1.674.10892.5.1.3.2.0": "7XYZ123", "1.3.6.1.4.1.674.10892.5.1.3.12.0":
                           "PowerEdge R630"})
    assert (idrac.model, idrac.serial) == ("PowerEdge R630", "7XYZ123")
