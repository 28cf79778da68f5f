"""The certificate as a person sees it: headless Chromium renders it to a PNG, which must show the page.

A burn-in run of one simulated switch whose fan fails gives real telemetry; the real `bench report`
writes the certificate; Chromium (Debian `chromium`) screenshots it 1240 px wide (A4 at 150 dpi) and tall
enough for the buyer's page and the appendix's first screens; Pillow checks the picture: text in many
shades, the outcome colours, the charts' lines in the appendix below page one.
(tests/test_certificate_buyer.py prints it to PDF and counts pages.)
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.engine_runs import run_engine
from PIL import Image

from bench.profiles import Catalog
from bench.reports.charts import PALETTE
from bench.tests_hw.registry import known_tests
from simulators.pytest_plugin import start_fleet

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (Debian package chromium)")

# bench.reports.charts.PALETTE: the colours of the charts' lines
SERIES = [tuple(int(c[i:i + 2], 16) for i in (1, 3, 5)) for c in PALETTE]
FAIL_RED = (0xC0, 0x26, 0x2D)
PASS_GREEN = (0x1E, 0x7D, 0x32)


def near(rgb: tuple[int, ...], target: tuple[int, int, int], tol: int = 24) -> bool:
    return all(abs(a - b) <= tol for a, b in zip(rgb[:3], target, strict=True))


def screenshot(page: Path, out: Path, profile_dir: Path) -> Image.Image:
    cmd = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={profile_dir}", f"--screenshot={out}", "--window-size=1240,4000", page.as_uri()]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    assert out.exists(), f"chromium wrote no screenshot (exit {done.returncode}): {done.stderr[-500:]}"
    return Image.open(out).convert("RGB")


def test_certificate_renders_in_chromium_with_outcomes_and_charts(tmp_path: Path) -> None:
    fleet = start_fleet(tmp_path, count=1, families=["cisco_ios_switch"], faults="S1:fan_failed@4s", seed=4)
    try:
        catalog = Catalog.load(known_tests())
        catalog.get("cisco_ios_switch").test_params["burnin"] = {"interval": 2, "duration": 10}
        db = tmp_path / "bench.db"
        run_engine(fleet.run_file(), db, "burnin", catalog)
        serial = fleet.truth("S1")["serial"]
    finally:
        fleet.stop()

    page = tmp_path / "certificate.html"
    r = subprocess.run([sys.executable, "-m", "bench.cli", "report", serial, "--db", f"sqlite:///{db}",
                        "--format", "html", "--output", str(page)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    image = screenshot(page, tmp_path / "certificate.png", tmp_path / "chromium")
    assert image.size == (1240, 4000)

    colours = image.getcolors(maxcolors=1 << 20) or []
    assert len(colours) > 100, "the page looks blank"  # anti-aliased text and charts give many shades
    white = max(count for count, rgb in colours if rgb == (255, 255, 255)) if any(
        rgb == (255, 255, 255) for _, rgb in colours) else 0
    assert white < 0.95 * image.width * image.height, "almost nothing drawn"

    def pixels(target: tuple[int, int, int]) -> int:
        return sum(count for count, rgb in colours if near(rgb, target))

    assert pixels(PASS_GREEN) > 200, "no PASS badge visible"  # identity passed
    assert pixels(FAIL_RED) > 200, "no FAIL badge or fail threshold visible"  # the fan failed during burn-in
    assert sum(pixels(c) for c in SERIES) > 1000, "no chart line visible"

    # The lines sit in the appendix's burn-in section, below the buyer's page, not on it.
    rows = [y for y in range(0, image.height, 2)
            if any(near(image.getpixel((x, y)), c, 12) for x in range(100, 1140, 4) for c in SERIES[1:3])]
    assert len([y for y in rows if y > 1500]) >= 5, "the charts are not where the appendix's burn-in section is"
