"""`bench report`: certificate (HTML, inline SVG), label (ZPL) and label preview (PNG) of real simulated units.

One full run (identity to sanitization, a short burn-in) of two simulated switches, one healthy and one with
a dead fan and growing CRC errors, plus a quick run without burn-in; then the real CLI renders each output.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers.engine_runs import run_engine
from PIL import Image

from bench.inputs import set_inputs
from bench.profiles import Catalog
from bench.reports.charts import LineChart, Series, Threshold, decimate, line_chart_svg, nice_ticks
from bench.reports.evidence import evidence_html
from bench.reports.label import code128_modules, field_text, to_zpl
from bench.reports.unit import load_unit
from bench.store import Store
from bench.tests_hw.registry import known_tests
from simulators.pytest_plugin import start_fleet

BENCH = [sys.executable, "-m", "bench.cli"]
HOSTILE = "<script>alert(1)</script>\x1b[2J^XZ~JR"


@dataclass
class Runs:
    full: Path  # full plan with burn-in; S2 has a dead fan and CRC errors
    quick: Path  # quick plan: no burn-in, no sanitization
    serials: dict[str, str]  # slot -> serial


def _run(fleet_file: Path, db: Path, plan: str) -> None:
    catalog = Catalog.load(known_tests())
    # A short burn-in sampled every 2 s: enough samples for a line, in seconds rather than an hour.
    catalog.get("cisco_ios_switch").test_params["burnin"] = {"interval": 2, "duration": 8}
    run_engine(fleet_file, db, plan, catalog)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runs]:
    tmp = tmp_path_factory.mktemp("reports")
    fleet = start_fleet(tmp, count=2, families=["cisco_ios_switch"], faults="S2:fan_failed,S2:crc_errors", seed=3)
    try:
        full, quick = tmp / "full.db", tmp / "quick.db"
        _run(fleet.run_file(name="full.yaml"), full, "full")
        _run(fleet.run_file(keep=("ssh", "snmp"), name="quick.yaml"), quick, "quick")
        serials = {s: fleet.truth(s)["serial"] for s in ("S1", "S2")}
    finally:
        fleet.stop()
    # Technician entries on the finished healthy unit: a correction keeps history and reseals the record.
    store = Store(f"sqlite:///{full}")
    run_id = store.latest_run().id  # type: ignore[union-attr]
    key = os.environ["BENCH_KEY"]  # the session's throwaway key (conftest), never the developer's
    set_inputs(store, run_id, "S1", "op-7", key=key, cosmetic="C4", notes=HOSTILE)
    set_inputs(store, run_id, "S1", "op-9", key=key, cosmetic="C6")
    store.close()
    yield Runs(full, quick, serials)


def report(db: Path, serial: str, fmt: str, *extra: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*BENCH, "report", serial, "--db", f"sqlite:///{db}", "--format", fmt, *extra],
                          capture_output=True, timeout=120)


def exported(db: Path) -> dict[str, dict]:
    r = subprocess.run([*BENCH, "export", "--db", f"sqlite:///{db}", "--format", "json"], capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return {u["slot"]: u for u in json.loads(r.stdout)["units"]}


def section(page: str, title: str) -> str:
    """The HTML from one <h2> to the next."""
    start = page.index(f"<h2>{title}</h2>")
    end = page.find("<h2>", start + 4)
    return page[start : end if end > 0 else None]


# --- certificate -------------------------------------------------------------------------------
def test_certificate_holds_identity_every_test_charts_grade_inputs_sanitization_and_signature(runs: Runs) -> None:
    r = report(runs.full, runs.serials["S1"], "html")
    assert r.returncode == 0, r.stderr
    page = r.stdout.decode()
    unit = exported(runs.full)["S1"]
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page
    # The only script element is the signed record as data (never run), for offline verification.
    assert page.count("<script") == 1 and '<script type="application/json" id="bench-record">' in page
    shown = re.sub(r'<script type="application/json" id="bench-record">.*?</script>', "", page, flags=re.S)
    assert "http://" not in shown.replace('xmlns="http://www.w3.org/2000/svg"', "")  # nothing fetched
    assert unit["serial"] in page and unit["model"] in page and "cisco_ios_switch" in page
    assert all(html.escape(c["serial"]) in section(page, "Components") for c in unit["components"] if c["serial"])

    overview = section(page, "Test results")
    assert len(unit["tests"]) == 11
    for t in unit["tests"]:  # every test with its coloured outcome
        assert re.search(rf'<b>{t["name"]}</b></td><td><span class="outcome {t["outcome"]}">', overview), t["name"]

    burnin = section(page, "Burn-in")
    assert "no burn-in data" not in burnin
    assert "Burn-in: temperatures" in burnin and "Burn-in: fans and power supplies" in burnin
    temps = burnin[burnin.index("Burn-in: temperatures"):burnin.index("</svg>")]
    points = re.search(r'<polyline [^>]*points="([^"]+)"', temps)
    assert points and len(points.group(1).split()) >= 3  # a line through several real samples
    assert 'class="threshold"' in temps and "fail at" in temps  # the device's own limit, drawn

    grade = section(page, "Grade in detail")
    assert all(html.escape(reason) in grade for reason in unit["grade"]["reasons"])
    assert unit["grade"]["cosmetic"] == "C6" and ">C6<" in page

    inputs = section(page, "Technician inputs")
    assert "op-7" in inputs and "op-9" in inputs and ">C4<" in inputs and ">C6<" in inputs  # history kept
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in inputs and "\x1b" not in page

    sanitization = section(page, "Sanitization record")
    assert "NIST SP 800-88" in sanitization and "write erase" in sanitization
    assert "vlan.dat" in sanitization and "nothing of the previous owner remains" in sanitization

    signature = section(page, "Signature")
    assert unit["record_hash"] and unit["record_hash"] in signature
    assert "hash, signature and link to its predecessor held" in signature
    assert "bench verify-certificate THIS-FILE --key bench-ed25519.pub" in signature
    assert str(runs.full) not in page  # nothing on the certificate needs the bench's own database
    assert "NOT SEALED" not in page and "DOES NOT HOLD" not in page


def test_failed_unit_shows_its_failures_the_fan_dropping_and_the_errors_growing(runs: Runs) -> None:
    page = report(runs.full, runs.serials["S2"], "html").stdout.decode()
    unit = exported(runs.full)["S2"]
    outcomes = {t["name"]: t["outcome"] for t in unit["tests"]}
    assert outcomes["environment"] == "FAIL" and outcomes["burnin"] == "FAIL"
    assert re.search(r'<b>environment</b></td><td><span class="outcome FAIL">', page)
    assert f'class="disp {unit["grade"]["disposition"]}"' in page
    burnin = section(page, "Burn-in")
    fans = burnin[burnin.index("Burn-in: fans and power supplies"):]
    fans = fans[: fans.index("</svg>")]
    assert 'class="state-failed"' in fans and 'class="state-ok"' in fans and "fan: " in fans
    counters = burnin[burnin.index("Burn-in: error counters"):]
    counters = counters[: counters.index("</svg>")]
    assert "crc" in counters and "<polyline" in counters  # the growing counter has its own line
    evidence = section(page, "Test evidence")
    assert '<span class="state fail">fail</span>' in evidence  # the failed fan reading, readable


def test_quick_run_certificate_says_no_burnin_data_and_still_charts_the_environment(runs: Runs) -> None:
    page = report(runs.quick, runs.serials["S1"], "html").stdout.decode()
    burnin = section(page, "Burn-in")
    assert "no burn-in data" in burnin and "Burn-in: temperatures" not in burnin
    assert "<svg" in burnin and "Environment test: temperatures" in burnin  # readings against their limits
    assert "No sanitization record" in section(page, "Sanitization record")


def test_unit_without_a_sealed_record_is_reported_as_not_sealed(runs: Runs, tmp_path: Path) -> None:
    db = tmp_path / "copy.db"
    shutil.copy(runs.quick, db)
    con = sqlite3.connect(db)
    with con:
        con.execute("DELETE FROM records WHERE slot='S2'")
        con.execute("UPDATE records SET canonical=replace(canonical, 'PASS', 'FAIL') WHERE slot='S1'")
    con.close()
    unsealed = report(db, runs.serials["S2"], "html")
    assert unsealed.returncode == 0
    assert '<div class="banner">NOT SEALED' in unsealed.stdout.decode()
    altered = report(db, runs.serials["S1"], "html").stdout.decode()
    assert "RECORD DOES NOT HOLD" in altered and "no longer matches its hash" in altered


def test_unknown_serial_and_missing_store_are_one_line_exit_2(runs: Runs, tmp_path: Path) -> None:
    r = report(runs.full, "NOSUCHSERIAL", "html")
    err = r.stderr.decode()
    assert r.returncode == 2 and err.count("\n") == 1 and "NOSUCHSERIAL" in err and "Traceback" not in err
    r = report(tmp_path / "absent.db", runs.serials["S1"], "zpl")
    assert r.returncode == 2 and r.stderr.decode().count("\n") == 1
    r = report(runs.full, runs.serials["S1"], "png", "--output", str(tmp_path / "no" / "dir" / "x.png"))
    assert r.returncode == 2 and "does not exist" in r.stderr.decode()


# --- label -------------------------------------------------------------------------------------
def test_zpl_label_carries_model_serial_barcode_grade_and_a_qr_of_serial_grade_and_hash(runs: Runs) -> None:
    unit = exported(runs.full)["S1"]
    r = report(runs.full, unit["serial"], "zpl")
    assert r.returncode == 0, r.stderr
    zpl = r.stdout.decode()
    lines = zpl.splitlines()
    assert lines[0] == "^XA" and lines[-1] == "^XZ" and zpl.count("^XA") == 1 and zpl.count("^XZ") == 1
    assert "^PW812" in zpl and "^LL406" in zpl
    assert f"^FDS/N {unit['serial']}^FS" in zpl and f"^FD{unit['model']}^FS" in zpl
    assert re.search(rf"\^BC[^\n]*\^FD>:{unit['serial']}\^FS", zpl)  # Code 128 of the serial
    g = unit["grade"]
    qr = re.search(r"\^BQN,2,\d\^FDMA,([^\^]+)\^FS", zpl)
    assert qr, zpl
    assert qr.group(1) == (f"{unit['bench']}|{unit['serial']}|{g['functional'] or '-'}/{g['cosmetic']}/"
                           f"{g['letter']}|{g['disposition']}|{unit['record_hash']}")
    assert f"^FD{g['letter']}^FS" in zpl and g["disposition"] in zpl


def test_png_preview_is_the_label_at_203_dpi_and_its_codes_decode(runs: Runs, tmp_path: Path) -> None:
    unit = exported(runs.full)["S2"]
    out = tmp_path / "label.png"
    r = report(runs.full, unit["serial"], "png", "--output", str(out))
    assert r.returncode == 0 and r.stdout == b"", r.stderr
    image = Image.open(out)
    assert image.size == (812, 406) and round(image.info["dpi"][0]) == 203
    dark = sum(image.convert("L").histogram()[:128])
    assert 0.05 < dark / (812 * 406) < 0.5  # printed, not blank, not a black slab
    if shutil.which("zbarimg") is None:
        pytest.skip("zbarimg (Debian zbar-tools) is absent: the codes were not decoded")
    decoded = subprocess.run(["zbarimg", "-q", str(out)], capture_output=True, text=True, timeout=60).stdout
    zpl = report(runs.full, unit["serial"], "zpl").stdout.decode()
    payload = re.search(r"\^FDMA,([^\^]+)\^FS", zpl).group(1)  # type: ignore[union-attr]
    assert f"QR-Code:{payload}" in decoded.splitlines() and unit["record_hash"] in payload
    assert f"CODE-128:{unit['serial']}" in decoded.splitlines()


def test_png_to_a_terminal_is_refused_with_a_hint(runs: Runs) -> None:
    master, slave = os.openpty()
    try:
        r = subprocess.run([*BENCH, "report", runs.serials["S1"], "--db", f"sqlite:///{runs.full}", "--format",
                            "png"], stdout=slave, stderr=subprocess.PIPE, timeout=120)
    finally:
        os.close(slave)
        os.close(master)
    assert r.returncode == 2 and b"--output" in r.stderr and r.stderr.count(b"\n") == 1


def test_png_to_a_pipe_is_the_png_bytes(runs: Runs) -> None:
    r = report(runs.full, runs.serials["S1"], "png")
    assert r.returncode == 0 and r.stdout.startswith(b"\x89PNG\r\n\x1a\n")


# --- device text is hostile ---------------------------------------------------------------------
def test_device_text_cannot_inject_printer_commands_or_markup(runs: Runs) -> None:
    store = Store(f"sqlite:///{runs.quick}")
    try:
        unit = load_unit(store, runs.serials["S1"], "sqlite:///x.db")
    finally:
        store.close()
    unit.model = HOSTILE
    unit.run.bench = "bench|^XA~JR"
    zpl = to_zpl(unit)
    assert zpl.count("^XA") == 1 and zpl.count("^XZ") == 1 and "~" not in zpl and "\x1b" not in zpl
    assert "^FD<script>alert(1)</script>XZJR^FS" in zpl
    assert "^FDMA,bench/XAJR|" in zpl  # a separator in a name cannot forge a QR field
    assert field_text("a^b~c\x07d\ne") == "abcd e"
    page = evidence_html("logs", {"matched_lines": [HOSTILE], "crash_evidence": {"<b>": "x" * 5000}})
    assert "<script>" not in page and "<b>" not in page and "\x1b" not in page and "&lt;script&gt;" in page
    assert len(page) < 2000  # capped: one chatty test cannot bury the certificate


# --- pieces --------------------------------------------------------------------------------------
def test_code128_symbol_has_start_b_data_check_and_stop() -> None:
    widths = code128_modules("AB")
    assert sum(widths) == 11 * 4 + 13  # start, A, B, check, stop
    assert widths[:6] == [2, 1, 1, 2, 1, 4]  # start B
    # check = (104 + 1*33 + 2*34) % 103 = 102 -> pattern 411131
    assert widths[-13:-7] == [4, 1, 1, 1, 3, 1]


def test_line_chart_scales_points_into_the_plot_and_draws_threshold_lines() -> None:
    chart = LineChart("Burn-in: temperatures", "°C", [Series("inlet", [(0, 20), (60, 40)]),
                                                      Series("<hot>", [(0, 50)])],
                      [Threshold(56, "fail at 56 °C", "fail")])
    svg = line_chart_svg(chart)
    coords = [tuple(map(float, p.split(","))) for p in
              re.search(r'points="([^"]+)"', svg).group(1).split()]  # type: ignore[union-attr]
    (x0, y0), (x1, y1) = coords
    assert x0 < x1 and y0 > y1  # later and hotter: right and up
    assert svg.count('class="threshold"') == 1 and "&lt;hot&gt;" in svg and "<hot>" not in svg
    assert "<circle" in svg  # the single-sample series is still visible


def test_decimation_keeps_spikes_and_ticks_are_round() -> None:
    points = [(float(i), 0.0) for i in range(5000)]
    points[2345] = (2345.0, 99.0)
    kept = decimate(points)
    assert len(kept) <= 700 and (2345.0, 99.0) in kept
    assert nice_ticks(27, 125) == [20, 40, 60, 80, 100, 120, 140]
