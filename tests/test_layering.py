"""The engine and everything under it import no Textual: the overnight runner needs no terminal."""

import subprocess
import sys

HEADLESS = ["bench.model", "bench.store", "bench.config", "bench.profiles", "bench.grading", "bench.engine",
            "bench.drivers.ssh", "bench.drivers.snmp", "bench.drivers.parsing", "bench.sessions",
            "bench.tests_hw.registry", "bench.tests_hw.identity", "bench.tests_hw.environment",
            "bench.tests_hw.authenticity", "bench.tests_hw.logs", "bench.tests_hw.post", "bench.tests_hw.stolen",
            "bench.reports.export",
            "bench.cli", "bench.commands.run"]


def test_headless_modules_import_no_textual():
    code = ("import sys, importlib\n"
            f"for m in {HEADLESS!r}: importlib.import_module(m)\n"
            "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
            "print(','.join(bad))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_bench_never_imports_simulators_at_import_time():
    code = ("import sys, importlib\n"
            f"for m in {HEADLESS!r}: importlib.import_module(m)\n"
            "print(any(m.startswith('simulators') for m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
