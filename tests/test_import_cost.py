"""What a `bench run` process pays before its first slot: libraries a quick plan on modern SSH never uses are
imported only where they are used (pysnmp: SET, SNMP without gufo-snmp; asyncssh: the legacy SSH algorithms)."""

import subprocess
import sys

RUN_PATH = ["bench.cli", "bench.commands.run", "bench.engine", "bench.identify", "bench.drivers.snmp",
            "bench.drivers.snmp_poll", "bench.drivers.snmp_bulk", "bench.drivers.legacy_ssh", "bench.drivers.shell",
            "bench.drivers.ssh", "bench.drivers.pdu", "bench.tests_hw.environment", "bench.tests_hw.identity"]
LAZY = ("pysnmp", "pyasn1", "pysmi", "asyncssh")


def _loaded_after(code: str) -> set[str]:
    script = ("import sys, importlib\n"
              f"for m in {RUN_PATH!r}: importlib.import_module(m)\n"
              f"{code}\n"
              f"print(','.join(sorted({{m.split('.')[0] for m in sys.modules}} & set({LAZY!r}))))\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return set(filter(None, out.stdout.strip().split(",")))


def test_run_path_imports_neither_pysnmp_nor_asyncssh():
    assert _loaded_after("") == set()


def test_the_fast_snmp_channel_is_built_without_pysnmp():
    # The slot's SNMP channel on an address, as the engine builds it; constructing it loads nothing heavy.
    code = ("from bench.drivers.snmp_poll import snmp_target\n"
            "from bench.drivers.legacy_ssh import LegacyClient\n"
            "t = snmp_target('127.0.0.1', 161, 'public')\n"
            "LegacyClient().close()")
    assert _loaded_after(code) == set()


def test_the_pysnmp_client_still_loads_pysnmp_when_it_is_used():
    code = ("import asyncio\n"
            "from bench.drivers.snmp import SnmpTarget, SnmpError, close_shared_engine\n"
            "async def main():\n"
            "    t = SnmpTarget('127.0.0.1', 9, timeout=0.2, retries=0)\n"
            "    try:\n"
            "        await t.get('1.3.6.1.2.1.1.1.0')\n"
            "    except SnmpError:\n"
            "        pass\n"
            "    close_shared_engine()\n"
            "asyncio.run(main())")
    assert _loaded_after(code) >= {"pysnmp", "pyasn1"}
