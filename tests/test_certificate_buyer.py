"""The buyer's certificate: one page for a healthy switch (printed by the real Chromium), the evidence after it,
no bench-side error text, and offline verification that fails on one altered character.

A full run (identity to sanitization, a short burn-in) of one healthy simulated switch, and a quick run of a
switch whose password is not the bench's (its tests end in bench-side AuthFailed ERRORs); the real
`bench report` and `bench verify-certificate` commands do the rest, with the session's throwaway key.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers.engine_runs import run_engine

from bench.profiles import Catalog
from bench.records import load_public_key
from bench.reports.certificate_check import expected
from bench.reports.pdf import find_chromium, html_to_pdf, page_count, page_texts, read_info
from bench.tests_hw.registry import known_tests
from simulators.pytest_plugin import start_fleet

BENCH = [sys.executable, "-m", "bench.cli"]
INTERNAL = ("AuthFailed", "credential", "Traceback", "Exception", "Error:", "factory", "127.0.0.1")
needs_chromium = pytest.mark.skipif(find_chromium() is None, reason="chromium is not installed (Debian chromium)")


@dataclass
class Certs:
    tmp: Path
    healthy_db: Path
    healthy: str  # serial
    locked_db: Path
    locked: str  # serial of the unit whose password the bench does not know
    pub: Path


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Certs]:
    tmp = tmp_path_factory.mktemp("buyer")
    catalog = Catalog.load(known_tests())
    catalog.get("cisco_ios_switch").test_params["burnin"] = {"interval": 2, "duration": 8}
    fleet = start_fleet(tmp, count=1, families=["cisco_ios_switch"], seed=4)
    try:
        run_engine(fleet.run_file(name="full.yaml"), tmp / "full.db", "full", catalog)
        healthy = fleet.truth("S1")["serial"]
    finally:
        fleet.stop()
    locked_dir = tmp / "locked"
    locked_dir.mkdir()
    fleet = start_fleet(locked_dir, count=1, families=["cisco_ios_switch"], faults="S1:unknown_password", seed=5)
    try:
        run_engine(fleet.run_file(keep=("ssh", "snmp"), name="quick.yaml"), tmp / "locked.db", "quick", catalog)
        locked = fleet.truth("S1")["serial"]
    finally:
        fleet.stop()
    pub = tmp / "bench.pub"
    key = load_public_key(os.environ["BENCH_KEY"])  # the session's throwaway key (conftest)
    from bench.records import public_pem

    pub.write_text(public_pem(key))
    yield Certs(tmp, tmp / "full.db", healthy, tmp / "locked.db", locked, pub)


def report(db: Path, serial: str, fmt: str, out: Path) -> Path:
    r = subprocess.run([*BENCH, "report", serial, "--db", f"sqlite:///{db}", "--format", fmt, "--output", str(out)],
                       capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, r.stderr
    return out


def verify(path: Path, key: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*BENCH, "verify-certificate", str(path), "--key", str(key)], capture_output=True,
                          text=True, timeout=60)


def buyer_html(page: str) -> str:
    start = page.index('<section class="buyer"')
    return page[start : page.index("</section>", start)]


def visible(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment))


# --- one page, then the appendix ------------------------------------------------------------------
@needs_chromium
def test_healthy_full_plan_certificate_is_one_pdf_page_then_the_appendix(certs: Certs) -> None:
    pdf_path = report(certs.healthy_db, certs.healthy, "pdf", certs.tmp / "healthy.pdf")
    pdf = pdf_path.read_bytes()
    assert pdf.startswith(b"%PDF-")
    pages = page_texts(pdf)
    assert len(pages) == page_count(pdf) >= 2, "the appendix follows page one"
    page = (certs.tmp / "healthy.html")
    report(certs.healthy_db, certs.healthy, "html", page)
    block = json.loads(re.search(r'id="bench-record">(.*?)</script>', page.read_text()).group(1))  # type: ignore
    from bench.reports.buyer import Seal

    seal = Seal(block["record"], block["hash"], block["signature"], block["key_fingerprint"], block["public_key"])
    want = expected(seal.record(), seal).text  # page one's text, whitespace removed
    first = re.sub(r"\s+", "", pages[0])
    assert first.startswith("Certificateoftestinganddataerasure") and certs.healthy in first
    assert first == want, "page one holds the whole buyer's certificate and nothing else"
    assert re.sub(r"\s+", "", pages[1]).startswith("Appendix:fullevidence"), "the appendix starts on a new page"
    assert "RESALE" in first and "Isthiscertificategenuine?" in first
    info = read_info(pdf)
    assert certs.healthy in info["Subject"] and json.loads(info["BenchRecord"])["hash"] == seal.hash

    # US Letter is shorter than A4: page one fits there too.
    letter = page.read_text().replace("@page { size: A4;", "@page { size: Letter;")
    assert "size: Letter" in letter
    letter_pages = page_texts(html_to_pdf(letter))
    assert re.sub(r"\s+", "", letter_pages[0]) == want


@needs_chromium
def test_pdf_verifies_offline_and_fails_when_its_record_is_altered(certs: Certs) -> None:
    pdf_path = certs.tmp / "healthy.pdf"
    if not pdf_path.exists():
        report(certs.healthy_db, certs.healthy, "pdf", pdf_path)
    good = verify(pdf_path, certs.pub)
    assert good.returncode == 0, good.stdout + good.stderr
    assert f"serial {certs.healthy}" in good.stdout and "RESALE" in good.stdout
    data = pdf_path.read_bytes()
    hexed = re.search(rb"/BenchRecord <([0-9A-F]+)>", data).group(1)  # type: ignore[union-attr]
    text = bytes.fromhex(hexed.decode()).decode()
    forged = text.replace("PASS", "FAIL", 1)  # one outcome in the embedded record
    altered = certs.tmp / "altered.pdf"
    altered.write_bytes(data.replace(hexed, forged.encode().hex().upper().encode()))
    r = verify(altered, certs.pub)
    assert r.returncode == 1 and "does not match its hash" in r.stdout, r.stdout


# --- offline verification of the HTML --------------------------------------------------------------
def test_a_certificate_altered_by_one_character_fails_offline_verification(certs: Certs) -> None:
    page_path = report(certs.healthy_db, certs.healthy, "html", certs.tmp / "verify.html")
    page = page_path.read_text()
    fp = json.loads(re.search(r'id="bench-record">(.*?)</script>', page).group(1))["key_fingerprint"]  # type: ignore
    assert verify(page_path, certs.pub).returncode == 0
    ok = verify(page_path, fp)  # a fingerprint works as well as the key file
    assert ok.returncode == 0 and certs.healthy in ok.stdout, ok.stdout + ok.stderr

    buyer = buyer_html(page)
    letter = re.search(r'data-field="grade.letter">(\w)<', buyer).group(1)  # type: ignore[union-attr]
    other = "A" if letter != "A" else "B"
    signature = re.search(r'data-field="signature">([0-9a-f]+)<', buyer).group(1)  # type: ignore[union-attr]
    flipped = signature[:10] + ("0" if signature[10] != "0" else "1") + signature[11:]
    block = re.search(r'id="bench-record">(.*?)</script>', page).group(1)  # type: ignore[union-attr]
    cases = {
        "grade letter": (f'data-field="grade.letter">{letter}<', f'data-field="grade.letter">{other}<',
                         "the grade letter"),
        "serial": (f'data-field="serial">{certs.healthy}<', f'data-field="serial">{certs.healthy[:-1]}X<',
                   "the serial"),
        "test outcome": ('data-field="test.identity">Passed<', 'data-field="test.identity">Failed<',
                         "test identity"),
        "embedded record": (block, block.replace('\\"outcome\\":\\"PASS\\"', '\\"outcome\\":\\"FAIL\\"', 1),
                            "does not match its hash"),
        "embedded signature": (block, block.replace(signature, flipped), "signature does not verify"),
        "shown signature": (f'data-field="signature">{signature}<', f'data-field="signature">{flipped}<',
                            "signature"),
        "hidden by style": ("<style>", "<style>section.buyer .letter{visibility:hidden}", "stylesheet"),
    }
    for what, (old, new, named) in cases.items():
        assert page.count(old) >= 1 and old != new, what
        altered = certs.tmp / f"altered-{what.replace(' ', '-')}.html"
        altered.write_text(page.replace(old, new, 1))
        r = verify(altered, certs.pub)
        assert r.returncode == 1, f"{what}: {r.stdout}{r.stderr}"
        assert "DOES NOT HOLD" in r.stdout and named in r.stdout, f"{what}: {r.stdout}"
        assert "Traceback" not in r.stderr


def test_wrong_key_fails_and_bad_input_is_one_line_exit_2(certs: Certs, tmp_path: Path) -> None:
    page = report(certs.healthy_db, certs.healthy, "html", tmp_path / "c.html")
    other = "0" * 64
    r = verify(page, other)
    assert r.returncode == 1 and "not by the bench key you gave" in r.stdout
    for bad_file, key in ((tmp_path / "absent.html", certs.pub), (certs.pub, certs.pub), (page, tmp_path / "x.pub")):
        r = verify(bad_file, key)
        assert r.returncode == 2 and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr, r.stderr


# --- bench-side errors never reach the buyer ---------------------------------------------------------
def test_buyer_page_has_no_internal_error_text_when_the_unit_had_authfailed_errors(certs: Certs) -> None:
    page_path = report(certs.locked_db, certs.locked, "html", certs.tmp / "locked.html")
    page = page_path.read_text()
    block = json.loads(re.search(r'id="bench-record">(.*?)</script>', page).group(1))  # type: ignore[union-attr]
    assert "AuthFailed" in block["record"] and "credential" in block["record"], "the record keeps the real error"
    shown = visible(buyer_html(page))
    for word in INTERNAL:
        assert word not in shown, word
    assert "Could not be tested" in shown and "not a finding about the unit" in shown
    assert "Not yet graded for sale" in shown and "HOLD" in shown
    appendix = visible(page[page.index('<section class="appendix"'):page.index('<script type="application/json"')])
    assert "AuthFailed" not in appendix and "credential sets" not in appendix
    assert "a problem on the bench's side" in appendix
    assert verify(page_path, certs.pub).returncode == 0


def test_pdf_without_chromium_is_one_line_exit_2(certs: Certs, tmp_path: Path) -> None:
    env = {**os.environ, "PATH": str(tmp_path)}  # no chromium on this PATH
    out = tmp_path / "c.pdf"
    r = subprocess.run([*BENCH, "report", certs.healthy, "--db", f"sqlite:///{certs.healthy_db}", "--format", "pdf",
                        "--output", str(out)], capture_output=True, text=True, timeout=60, env=env)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "Chromium" in r.stderr and not out.exists()
