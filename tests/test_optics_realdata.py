"""Optics judgement against REAL transceiver outputs (ntc-templates' fixtures in ../shared/realdata).

Low alarms and warnings must be judged in the low direction and high ones in the high direction. Real
units print their own verdict beside each reading (`--` low alarm, `-` low warning, `+`/`++` high);
every platform reader's judgement of that real value against its real thresholds must agree with it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from bench.drivers.parsing import parse
from bench.model import Reading, SensorState
from bench.platforms.arista_eos import collector as arista_eos
from bench.platforms.cisco_ios.ports import _dom_state
from bench.platforms.hp_procurve import collector as hp_procurve
from bench.platforms.juniper_junos import collector as juniper_junos
from bench.platforms.sensors import state_word
from bench.tests_hw.optics import _crossed

REALDATA = Path(__file__).resolve().parents[1].parent / "shared" / "realdata" / "ntc-templates-tests"
needs_realdata = pytest.mark.skipif(not REALDATA.is_dir(), reason=f"real device outputs not found at {REALDATA}")

FLAG_STATE = {"": SensorState.OK, "-": SensorState.WARN, "+": SensorState.WARN, "--": SensorState.FAIL,
              "++": SensorState.FAIL}
_NUM = r"(-?\d+(?:\.\d+)?|N/A)"
# NX-OS `show interface transceiver details`: "Tx Power  -14.05 dBm --  1.69 dBm  -11.30 dBm  -1.30 dBm  -7.30 dBm"
_NXOS_ROW = re.compile(rf"^\s+(Temperature|Voltage|Current|Tx Power|Rx Power)\s+{_NUM}(?:\s*(?:C|V|mA|dBm))?\s*"
                       rf"(\+\+|--|\+|-)?\s+{_NUM}\s*\S+\s+{_NUM}\s*\S+\s+{_NUM}\s*\S+\s+{_NUM}\s*\S+\s*$")


def _raw(*parts: str) -> str:
    return REALDATA.joinpath(*parts).read_text(errors="replace")


def nxos_rows() -> list[dict[str, Any]]:
    """(kind, value, the unit's own flag, high alarm, low alarm, high warn, low warn) of every real reading."""
    rows = []
    for f in sorted((REALDATA / "cisco_nxos" / "show_interface_transceiver_details").glob("*.raw")):
        for line in f.read_text(errors="replace").splitlines():
            m = _NXOS_ROW.match(line)
            if m and m.group(2) != "N/A":
                ha, la, hw, lw = (float(x) for x in m.group(4, 5, 6, 7))
                rows.append({"kind": m.group(1), "value": float(m.group(2)), "flag": m.group(3) or "",
                             "ha": ha, "la": la, "hw": hw, "lw": lw})
    return rows


def every_judge(value: float, ha: float, la: float, hw: float, lw: float) -> dict[str, SensorState]:
    """One real reading judged by each platform reader's own code, then re-checked as the optics test does."""
    arista = arista_eos.dom_reading("tx_power", {"current_value": str(value), "high_alarm_threshold": str(ha),
                                                 "high_warn_threshold": str(hw), "low_alarm_threshold": str(la),
                                                 "low_warn_threshold": str(lw)})
    hp_state, hp_warn, hp_fail = hp_procurve.judge(value, (ha, la, hw, lw))
    junos = juniper_junos._judge(value, {"high alarm": ha, "low alarm": la, "high warning": hw, "low warning": lw},
                                 {})
    cisco = _dom_state(value, (ha, hw, lw, la), "")
    out = {"arista_eos": arista.state, "hp_procurve": hp_state, "juniper_junos": junos, "cisco_ios": cisco}
    # The generic test re-checks the high limits each Reading carries: it must never flip a low verdict.
    out["optics test (arista)"] = _crossed(arista)
    out["optics test (hp)"] = _crossed(Reading("tx_power", "x", hp_state, value, "dBm", hp_warn, hp_fail))
    out["optics test (junos)"] = _crossed(Reading("tx_power", "x", junos, value, "dBm", hw, ha))
    return out


@needs_realdata
def test_real_nxos_readings_are_judged_as_the_unit_flags_them() -> None:
    rows = nxos_rows()
    flags = {r["flag"] for r in rows}
    assert len(rows) >= 15 and {"", "--"} <= flags, "the real outputs hold healthy and low-alarm readings"
    for r in rows:
        want = FLAG_STATE[r["flag"]]
        got = every_judge(r["value"], r["ha"], r["la"], r["hw"], r["lw"])
        assert set(got.values()) == {want}, (r, got)


@needs_realdata
def test_real_low_alarm_is_a_fail_in_the_low_direction_only() -> None:
    # Tx -14.05 dBm against a low alarm of -11.30 dBm: the unit's own "--". Nowhere near its high alarm.
    (row,) = [r for r in nxos_rows() if r["kind"] == "Tx Power" and r["value"] == -14.05]
    assert row["flag"] == "--" and row["value"] < row["la"] < row["ha"]
    assert set(every_judge(row["value"], row["ha"], row["la"], row["hw"], row["lw"]).values()) == {SensorState.FAIL}


@needs_realdata
def test_real_arista_detail_healthy_optics_are_within_their_own_thresholds() -> None:
    name = "arista_eos_show_interfaces_transceiver_detail.raw"
    rows = parse("arista_eos", "show interfaces transceiver detail",
                 _raw("arista_eos", "show_interfaces_transceiver_detail", name))
    readings = []
    for r in rows or []:
        kind = arista_eos._DOM_KINDS.get(state_word(r.get("type")))
        if kind:
            readings.append((r, arista_eos.dom_reading(kind, r)))
    kinds = {reading.kind for _, reading in readings}
    assert {"temperature", "voltage", "bias", "tx_power", "rx_power"} <= kinds
    for row, reading in readings:
        # Tx -2.39 dBm beside a -9.60 low and 4.40 high alarm: inside the window, so OK.
        assert reading.state is SensorState.OK and _crossed(reading) is SensorState.OK, (row, reading)
        assert reading.fail_at == float(row["high_alarm_threshold"])  # the high limit, never the low one


@needs_realdata
def test_real_ios_summary_without_thresholds_is_never_judged_ok() -> None:
    # `show interface transceiver` (no detail) prints values without thresholds: nothing to judge against.
    text = _raw("cisco_ios", "show_interface_transceiver", "cisco_ios_show_interface_transceiver_iosxe.raw")
    values = [float(v) for v in re.findall(r"^\S+\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+(-?[\d.]+)\s", text, re.MULTILINE)]
    assert len(values) == 5
    assert {_dom_state(v, (None, None, None, None), "") for v in values} == {SensorState.UNKNOWN}
