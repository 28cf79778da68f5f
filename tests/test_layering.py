"""The engine and everything under it import no Textual: the overnight runner needs no terminal."""

import ast
import re
import subprocess
import sys
from pathlib import Path

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


# ---- import rules between layers (docs/architecture.md draws the layers) --------------------------------
# Read from the source, function-level imports included, so a rule cannot be dodged by importing late.

BENCH = Path(__file__).resolve().parent.parent / "bench"
CORE = ("bench.model", "bench.errors", "bench.events", "bench.grading", "bench.serials")
CHANNELS = ("bench.drivers", "bench.sessions", "bench.shell_channels")
PLATFORMS = "bench.platforms"
# What a platform collector may use from the checks package: the context a check hands it.
CHECK_CONTRACT = ("bench.tests_hw.base",)
IO_LIBRARIES = ("sqlite3", "socket", "subprocess", "serial", "netmiko", "paramiko", "pysnmp", "textual")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(BENCH.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every module `path` imports (relative imports resolved), at any depth of the file."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{a.name}" for a in node.names)
    return found


GRAPH = {_module_name(p): _imports(p) for p in BENCH.rglob("*.py")}


def _under(module: str, prefixes: tuple[str, ...] | str) -> bool:
    prefixes = (prefixes,) if isinstance(prefixes, str) else prefixes
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def _breaches(layer: tuple[str, ...] | str, forbidden: tuple[str, ...], allowed: tuple[str, ...] = ()) -> set[str]:
    """`importer -> imported` for every forbidden import by a module of `layer` (submodules count)."""
    out = set()
    for module, imports in GRAPH.items():
        if not _under(module, layer):
            continue
        for imported in imports:
            if _under(imported, forbidden) and not _under(imported, allowed) and not _under(imported, layer):
                out.add(f"{module} -> {_module_of(imported)}")
    return out


def _module_of(imported: str) -> str:
    """`bench.x.y.Name` (from an ImportFrom) -> `bench.x.y`; a module name stays itself."""
    return imported if imported in GRAPH or "." not in imported else imported.rpartition(".")[0]


# Known breaches, each a debt with its planned fix (docs/architecture.md, "Known debts"). A rule fails on a
# NEW breach, and also when a listed one is gone (so the list is shortened as the debt is paid).
CHANNEL_DEBT: set[str] = set()
PLATFORM_DEBT: set[str] = set()
REPORTS_DEBT = {
    # sanitize lives in the channel layer's parsing module (so a label pulls in textfsm); it belongs in the core.
    "bench.reports.charts -> bench.drivers.parsing",
    "bench.reports.label -> bench.drivers.parsing",
}
TUI_DEBT = {
    # retest is run control (reopen, request, respawn `bench run`) in the UI package; it belongs beside control.
    "bench.tui.retest -> bench.engine",
}


def test_the_core_imports_only_the_core_and_no_io():
    assert _breaches(CORE, ("bench",), allowed=CORE) == set()
    assert _breaches(CORE, IO_LIBRARIES) == set()


def test_channels_import_no_checks_platforms_engine_store_or_ui():
    # bench.tests_hw holds the checks and (under .platforms) the platforms; run is the engine and its helpers.
    forbidden = ("bench.tests_hw", "bench.engine", "bench.probe", "bench.control", "bench.stack", "bench.inputs",
                 "bench.cli_fallback", "bench.store", "bench.records", "bench.tui", "bench.reports",
                 "bench.commands", "bench.cli")
    assert _breaches(CHANNELS, forbidden) == CHANNEL_DEBT


def test_drivers_take_plain_values_not_the_bench_file():
    assert _breaches("bench.drivers", ("bench.config", "bench.profiles", "bench.sessions",
                                       "bench.shell_channels")) == set()


def test_platforms_import_no_checks_and_nothing_above_them():
    # Checks, run (engine, probe, the sessions they open, the bench file), store, reports, UI, CLI.
    above = ("bench.tests_hw", "bench.engine", "bench.probe", "bench.sessions", "bench.shell_channels",
             "bench.store", "bench.records", "bench.config", "bench.profiles", "bench.tui", "bench.reports",
             "bench.commands", "bench.cli", "bench.fleet", "textual", "sqlite3")
    assert _breaches(PLATFORMS, above, allowed=CHECK_CONTRACT) == PLATFORM_DEBT


def test_every_platform_package_has_the_same_file_set():
    packages = [p for p in (BENCH / "platforms").iterdir() if (p / "__init__.py").exists()]
    assert packages, "no platform package found"
    for package in packages:
        assert {"__init__.py", "platform.yaml", "collector.py"} <= {f.name for f in package.iterdir()}, package


def test_the_checks_reach_platforms_only_through_the_package_api():
    # A check names no vendor: it asks bench.platforms for the unit's platform (never a collector module).
    vendor = tuple(f"bench.platforms.{p.name}" for p in (BENCH / "platforms").iterdir() if p.is_dir())
    assert _breaches("bench.tests_hw", vendor) == set()


def test_checks_import_no_engine_store_or_ui():
    assert _breaches("bench.tests_hw", ("bench.engine", "bench.probe", "bench.store", "bench.tui",
                                        "bench.reports", "bench.commands", "bench.cli")) == set()


def test_the_store_imports_no_layer_above_or_beside_it():
    assert _breaches("bench.store", ("bench.engine", "bench.tests_hw", "bench.drivers", "bench.sessions",
                                     "bench.tui", "bench.reports", "bench.commands")) == set()


def test_reports_read_the_store_and_drive_no_unit():
    assert _breaches("bench.reports", ("bench.engine", "bench.tui", "bench.tests_hw", "bench.sessions",
                                       "bench.drivers", "sqlite3")) == REPORTS_DEBT


def test_the_tui_reads_the_store_through_its_methods_only():
    assert _breaches("bench.tui", ("sqlite3", "psycopg", "bench.drivers", "bench.tests_hw", "bench.sessions",
                                   "bench.engine")) == TUI_DEBT


def test_no_sql_outside_the_store_in_the_tui_and_reports():
    sql = re.compile(r"\.execute(many)?\(|\.executescript\(")
    offenders = [f"{p.relative_to(BENCH.parent)}:{n}" for layer in ("tui", "reports")
                 for p in sorted((BENCH / layer).rglob("*.py"))
                 for n, line in enumerate(p.read_text().splitlines(), 1) if sql.search(line)]
    assert offenders == []


def test_the_tui_screens_do_not_import_the_app_that_opens_them():
    # bench.tui.app imports its screens; a screen importing the app back (detail <-> app) is a cycle.
    # inprocess is above the app (it starts it) and fleet's FleetApp is a BenchApp over the fleet store.
    above_the_app = ("bench.tui.app", "bench.tui.inprocess", "bench.tui.fleet")
    screens = {m: imports for m, imports in GRAPH.items() if _under(m, "bench.tui") and m not in above_the_app}
    assert {m for m, imports in screens.items() if any(_under(i, "bench.tui.app") for i in imports)} == set()
