"""pytest fixtures for profile and test authors: simulated devices and fleets, started per test.

Installed with bench (entry point `pytest11`), so any project's tests can write:

    def test_my_profile_sees_a_dead_fan(bench_sim):
        fleet = bench_sim(count=1, families=["cisco_ios_switch"], faults="S1:fan_failed")
        slot = fleet.slot("S1")            # ssh, snmp, console, credentials as in a bench file
        run_file = fleet.run_file()        # the bench file a user would write (no `truth`)
        ...

The fleet runs in-process on a background event loop and is stopped when the test ends.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml


@dataclass
class SimFleet:
    bench_file: Path
    doc: dict[str, Any]
    _loop: asyncio.AbstractEventLoop = field(repr=False)
    _stop: asyncio.Event = field(repr=False)
    _thread: threading.Thread = field(repr=False)

    def slot(self, slot_id: str) -> dict[str, Any]:
        return next(s for s in self.doc["slots"] if s["id"] == slot_id)

    def truth(self, slot_id: str) -> dict[str, Any]:
        return dict(self.slot(slot_id)["truth"])

    def credentials(self, slot_id: str) -> dict[str, str]:
        return dict(self.doc["credentials"][self.slot(slot_id)["credentials"][0]])

    def run_file(self, keep: tuple[str, ...] = ("ssh", "snmp", "console", "pdu"), name: str = "run.yaml") -> Path:
        """The bench file without `truth` and with only the channels in `keep`."""
        doc = yaml.safe_load(self.bench_file.read_text())
        for s in doc["slots"]:
            s.pop("truth", None)
            for k in ("ssh", "snmp", "console", "pdu"):
                if k not in keep:
                    s.pop(k, None)
        out = self.bench_file.with_name(name)
        out.write_text(yaml.safe_dump(doc))
        return out

    def stop(self) -> None:
        if self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._stop.set)
            self._thread.join(30)


def start_fleet(directory: Path, count: int = 1, families: list[str] | None = None, faults: str = "",
                seed: int = 1, baud: int | None = None, timeout: float = 60.0,
                time_scale: float | None = None) -> SimFleet:
    """Serve a fleet on a background loop. Consoles run at 9600 baud with real boot pauses unless `baud` /
    `time_scale` (or BENCH_SIM_BAUD / BENCH_SIM_BOOT_SCALE, see simulators.fleet.console_pace) say otherwise."""
    from simulators.fleet import serve

    bench_file = directory / f"sim-{seed}-{count}.yaml"
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    box: dict[str, Any] = {}

    async def main() -> None:
        box["stop"] = asyncio.Event()
        up = asyncio.Event()
        task = asyncio.create_task(serve(count, seed, families, faults, str(bench_file), ready=up,
                                         stop=box["stop"], baud=baud, time_scale=time_scale))
        waiter = asyncio.create_task(up.wait())
        await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
        ready.set()
        if task.done():
            waiter.cancel()
            box["error"] = task.exception()
            return
        await task

    def run() -> None:
        try:
            loop.run_until_complete(main())
        except BaseException as e:  # noqa: BLE001 - handed to the test thread below
            box["error"] = e
            ready.set()
        finally:
            loop.close()

    thread = threading.Thread(target=run, name="bench-sim", daemon=True)
    thread.start()
    if not ready.wait(timeout) or box.get("error") is not None:
        raise RuntimeError(f"simulated fleet did not start: {box.get('error') or 'timeout'}")
    return SimFleet(bench_file, yaml.safe_load(bench_file.read_text()), loop, box["stop"], thread)


@pytest.fixture
def bench_sim(tmp_path: Path) -> Iterator[Callable[..., SimFleet]]:
    """Factory: `bench_sim(count=1, families=None, faults="", seed=1, baud=None, time_scale=None)` -> SimFleet
    (consoles at 9600 baud with real boot pauses unless asked, or the environment says, otherwise)."""
    fleets: list[SimFleet] = []

    def start(**kwargs: Any) -> SimFleet:
        fleet = start_fleet(tmp_path, **kwargs)
        fleets.append(fleet)
        return fleet

    yield start
    for fleet in fleets:
        fleet.stop()
