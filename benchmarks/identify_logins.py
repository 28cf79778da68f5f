"""Benchmark: how many SSH logins identifying a unit costs, and how many its whole quick plan costs.

    python benchmarks/identify_logins.py [--per-family 2]

A mixed simulated fleet (every network family, `--per-family` units each) is served in this process;
each simulated unit counts the logins it accepts (simulators/ssh_server.py). The bench runs twice
against fresh units, over SSH alone (no SNMP, no console, `profile: auto`, so the family is found
from what the unit says):
- `identify`: the engine's profile resolution (`Engine._resolve_profile`), the part of identification
  that picks the family from the first login's `show version`;
- `quick plan`: `bench run --plan quick` end to end (identity, authenticity, stolen, post, environment,
  logs), which opens the test session the plan runs on.
Figures are logins per unit (min / max over the fleet).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import platform
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.config import load_bench  # noqa: E402
from bench.engine import Engine, EngineOptions, _Wiring  # noqa: E402
from bench.profiles import Catalog  # noqa: E402
from bench.store import Store  # noqa: E402
from bench.tests_hw.registry import known_tests  # noqa: E402
from simulators.fleet import serve  # noqa: E402

FAMILIES = ["cisco_ios_switch", "cisco_iosxe_switch", "cisco_ios_router", "arista_eos", "juniper_junos",
            "hp_procurve"]


class Fleet:
    """Simulated units served from a thread of this process, so their login counters can be read."""

    def __init__(self, directory: Path, count: int, seed: int) -> None:
        self.bench_file = directory / f"sim-{seed}.yaml"
        self.slots: list[Any] = []
        self._loop = asyncio.new_event_loop()
        self._up = threading.Event()
        self._stop: asyncio.Event | None = None

        async def main() -> None:
            self._stop = asyncio.Event()
            ready = asyncio.Event()
            task = asyncio.create_task(serve(count, seed, FAMILIES, "", str(self.bench_file), ready=ready,
                                             stop=self._stop, started=self.slots))
            await ready.wait()
            self._up.set()
            await task

        self._thread = threading.Thread(target=self._loop.run_until_complete, args=(main(),), daemon=True)
        self._thread.start()
        if not self._up.wait(120):
            raise SystemExit("simulated fleet did not start in 120 s")

    def ssh_only(self, name: str) -> Path:
        doc = yaml.safe_load(self.bench_file.read_text())
        for s in doc["slots"]:
            for k in ("truth", "snmp", "console", "pdu"):
                s.pop(k, None)
            s["profile"] = "auto"
        out = self.bench_file.with_name(name)
        out.write_text(yaml.safe_dump(doc))
        return out

    def logins(self) -> dict[str, int]:
        return {s.device.slot: int(getattr(s.device, "ssh_logins", 0)) for s in self.slots}

    def stop(self) -> None:
        if self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(30)


async def identify_only(bench_file: Path, db: str) -> dict[str, str]:
    """Each slot's profile as the engine resolves it, nothing else run."""
    config = load_bench(bench_file)
    engine = Engine(config, Store(db), Catalog.load(known_tests()), EngineOptions(plan="quick"))
    from concurrent.futures import ThreadPoolExecutor

    found: dict[str, str] = {}
    with ThreadPoolExecutor(8) as executor:
        handshakes = asyncio.Semaphore(10)
        for slot in config.slots:
            wiring = _Wiring(engine, slot, executor, handshakes)
            profile, why = await engine._resolve_profile(slot, None, "", wiring)
            found[slot.id] = profile.name if profile else f"none ({why[:60]})"
            await wiring.close()
    return found


def spread(counts: dict[str, int]) -> str:
    values = sorted(counts.values())
    return f"{values[0]}-{values[-1]}" if values[0] != values[-1] else str(values[0])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-family", type=int, default=2)
    args = ap.parse_args()
    count = args.per_family * len(FAMILIES)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        fleet = Fleet(work, count, seed=3)
        try:
            found = asyncio.run(identify_only(fleet.ssh_only("identify.yaml"), f"sqlite:///{work}/id.db"))
            after_identify = fleet.logins()
        finally:
            fleet.stop()
        fleet = Fleet(work, count, seed=3)
        try:
            run = subprocess.run(["bench", "run", str(fleet.ssh_only("quick.yaml")), "--headless", "--plan",
                                  "quick", "--db", f"sqlite:///{work}/quick.db"], capture_output=True, text=True,
                                 timeout=900, env={**__import__("os").environ, "BENCH_KEY": str(work / "k.key")})
            after_quick = fleet.logins()
        finally:
            fleet.stop()
    right = sum(1 for slot, prof in found.items() if not prof.startswith("none"))
    print(f"# {datetime.date.today()} {platform.node()} {platform.machine()} Python {platform.python_version()}")
    print(f"units: {count} ({args.per_family} per network family), SSH only, profile auto")
    print(f"identify: {right}/{count} families found; logins per unit {spread(after_identify)}")
    print(f"quick plan (exit {run.returncode}): logins per unit {spread(after_quick)}")
    for slot in sorted(after_quick, key=lambda s: int(s[1:])):
        print(f"  {slot}: {found.get(slot)}  identify {after_identify.get(slot)}  quick {after_quick[slot]}")


if __name__ == "__main__":
    main()
