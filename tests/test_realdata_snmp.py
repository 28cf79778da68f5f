"""The SNMP identity readers over every real device recording in snmpsim-data, against what each recording
itself names (tests/data/snmprec_identity.yaml, made as its header says); a sample through snmpsim, the
real agent path, must read the same as the file path."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from pathlib import Path

import pytest
import yaml
from helpers.platform_realdata import probe_recording

from bench.drivers.snmp import SnmpTarget, close_shared_engine
from bench.tests_hw.snmp_identity import ENT_PHYSICAL, IDENTIFY_BUDGET, SCALARS, identity_from, read_snmp_identity
from simulators.recordings import (
    CURATED,
    all_recordings,
    default_work_dir,
    recording_name,
    recording_values,
    snmpsim_available,
    start_recordings,
)

pytestmark = pytest.mark.skipif(not snmpsim_available(), reason="snmpsim-data not installed (pip install -e .[test])")
EXPECTED = yaml.safe_load((Path(__file__).parent / "data" / "snmprec_identity.yaml").read_text())
# The families the bench claims over SNMP, as the recordings show them.
MAINSTREAM = ("cisco_ios", "cisco_nxos", "cisco_aireos", "arista_eos", "juniper_junos", "hp_procurve", "hpe_ilo_oa",
              "paloalto", "brocade_fastiron", "fortinet", "h3c_comware", "huawei_vrp")  # the family packs'


def figures() -> tuple[dict[str, list[int]], list[str]]:
    """family -> [right, identifiable, total]; and every reading that names a wrong serial or model."""
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    wrong: list[str] = []
    paths = all_recordings()
    assert {recording_name(p) for p in paths} == set(EXPECTED), "expectations and snmpsim-data disagree"
    for path in paths:
        name = recording_name(path)
        want = EXPECTED[name]
        got = identity_from(recording_values(path, SCALARS, (ENT_PHYSICAL,)))
        row = per[want["family"]]
        row[2] += 1
        if want["serial"] and want["model"]:
            row[1] += 1
            row[0] += (got.serial, got.model) == (want["serial"], want["model"])
        # Never a serial the recording does not name: a wrong serial is worse than none.
        if got.serial not in ("", want["serial"] or ""):
            wrong.append(f"{name}: serial {got.serial!r}, recording names {want['serial']!r}")
        if want["model"] and got.model not in ("", want["model"]):
            wrong.append(f"{name}: model {got.model!r}, recording names {want['model']!r}")
    return per, wrong


def test_every_recording_is_read_as_it_names_itself() -> None:
    per, wrong = figures()
    table = "\n".join(f"{fam:18s} {r[0]}/{r[1]} identifiable, {r[2]} recordings" for fam, r in sorted(per.items()))
    print("\n" + table)
    assert not wrong, "\n".join(wrong)
    for fam in MAINSTREAM:
        right, identifiable, _ = per[fam]
        assert identifiable and right / identifiable >= 0.95, f"{fam}: {right}/{identifiable}\n{table}"
    right = sum(r[0] for r in per.values())
    identifiable = sum(r[1] for r in per.values())
    assert right / identifiable >= 0.95, table


def test_through_snmpsim_the_agent_path_reads_what_the_file_path_reads() -> None:
    async def run() -> dict[str, tuple[str, str, int]]:
        server = await start_recordings(default_work_dir())
        out = {}
        try:
            for truth in server.truths:
                target = SnmpTarget(server.host, server.port, truth.community, timeout=5.0)
                reading = await read_snmp_identity(target)
                out[truth.recording.path] = (reading.identity.serial, reading.identity.model,
                                             reading.identify_requests)
        finally:
            await server.stop()
            close_shared_engine()
        return out

    got = asyncio.run(run())
    source = {recording_name(p): p for p in all_recordings()}
    assert set(got) == {r.path for r in CURATED}
    for path, (serial, model, requests) in got.items():
        from_file = identity_from(recording_values(source[path], SCALARS, (ENT_PHYSICAL,)))
        assert (serial, model) == (from_file.serial, from_file.model), path
        assert requests + 1 <= IDENTIFY_BUDGET, f"{path}: {requests} requests after the profile's GET"


def test_a_unit_of_a_vendor_no_family_claims_is_identified_as_a_generic_snmp_unit(
        capsys: pytest.CaptureFixture[str]) -> None:
    from simulators.recordings import Recording

    # A NetApp filer: no family claims NetApp (a FortiGate, the example before, is fortinet_fortios's now).
    netapp = Recording("R1", "storage/netapp-fas3270", "snmp_generic", "NetApp FAS3270")
    doc = probe_recording(netapp, capsys)
    want = EXPECTED[netapp.path]
    assert (doc["profile"], doc["generic"]) == ("snmp_generic", True)
    assert (doc["model"], doc["serial"]) == (want["model"], want["serial"])
