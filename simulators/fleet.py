"""`bench sim`: start N simulated devices on loopback, write the bench file, serve until stopped."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import os
import random
import resource
import signal
import socket
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from simulators.boot import has_fault, is_up
from simulators.console import ConsoleLine
from simulators.family import SimDevice, family, registry
from simulators.faults import FaultSpec, models_for, parse_faults
from simulators.pdu import Pdu
from simulators.ssh_server import LEGACY_SETS, SshFrontEnd, host_key
from simulators.telnet_server import TelnetFrontEnd

log = logging.getLogger(__name__)

# Console pace: a real console line runs at 9600 baud and boots take seconds. A test suite that does not
# measure the pacing runs its consoles faster: BENCH_SIM_BAUD (bytes at baud/10 per second) and
# BENCH_SIM_BOOT_SCALE (multiplies the boot's pauses; 0.25 = four times faster), read when a fleet starts.
BAUD_ENV, BOOT_SCALE_ENV = "BENCH_SIM_BAUD", "BENCH_SIM_BOOT_SCALE"


def console_pace(baud: int | None = None, time_scale: float | None = None) -> tuple[int, float]:
    """(baud, boot time scale): what the caller asked for, else the environment's, else 9600 and 1.0."""
    if baud is None:
        baud = _env_number(BAUD_ENV, int, 9600)
    if time_scale is None:
        time_scale = _env_number(BOOT_SCALE_ENV, float, 1.0)
    if baud <= 0 or time_scale <= 0:
        raise ValueError(f"console pace must be positive (baud {baud}, boot time scale {time_scale:g})")
    return baud, time_scale


def _env_number(name: str, kind: Callable[[str], Any], default: Any) -> Any:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return kind(raw)
    except ValueError:
        raise ValueError(f"{name}={raw!r} is not a number: unset it or give e.g. {default}") from None


class PortAllocator:
    """Free loopback ports found by binding to port 0; remembers what it gave out."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        self.given: set[tuple[int, int]] = set()

    def allocate(self, kind: int = socket.SOCK_DGRAM) -> int:
        for _ in range(50):
            with socket.socket(socket.AF_INET, kind) as s:
                s.bind((self.host, 0))
                port = s.getsockname()[1]
            if (kind, port) not in self.given:
                self.given.add((kind, port))
                return port
        raise RuntimeError("no free loopback port")


@dataclass
class SimSlot:
    device: SimDevice
    ssh: SshFrontEnd | TelnetFrontEnd  # the CLI listener: telnet for a `telnet_only` unit
    console: ConsoleLine
    snmp: Any = None
    snmp_port: int | None = None
    faults: list[FaultSpec] = field(default_factory=list)
    pdu: Any = None  # simulators.pdu.Pdu feeding this slot's outlet
    outlet: int = 0
    ssh_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    port_hold: socket.socket | None = None  # the CLI port, bound but not listening, while the unit is down


def _hold_port(host: str, port: int) -> socket.socket | None:
    """Keep a stopped listener's port: bound without listening, a connection to it is refused (as by a unit that
    is off) and the kernel cannot hand it to a client as its ephemeral port, which would keep the unit's SSH
    from ever listening again after a power cycle."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        return None
    return sock


def _release_port(slot: SimSlot) -> None:
    if slot.port_hold is not None:
        slot.port_hold.close()
        slot.port_hold = None


async def _follow_power(slot: SimSlot) -> None:
    """SSH listens only while the device is up and has SSH configured: booting, ROMMON, dark or wiped (no user,
    no host key) refuses connections."""
    async with slot.ssh_lock:
        offers = getattr(slot.device, "offers_ssh", None)
        up = is_up(slot.device) and (offers is None or offers())
        listening = getattr(slot.ssh, "_acceptor", None) is not None
        if up and not listening:
            _release_port(slot)
            await slot.ssh.start()  # same port as before
        elif not up and listening:
            await slot.ssh.stop()
            slot.port_hold = _hold_port(slot.ssh.host, slot.ssh.port)


def _snmp_availability(dev: SimDevice) -> Callable[[], bool]:
    """The agent answers while the device is up; under `snmp_loss` every other request goes unanswered,
    as on a congested management plane (a retry gets through, a poll without retries does not)."""
    asked = itertools.count()

    def available() -> bool:
        if not is_up(dev):
            return False
        return not (has_fault(dev, "snmp_loss") and next(asked) % 2 == 0)

    return available


def build_devices(count: int, seed: int, families: list[str] | None, faults: str | None) -> list[SimDevice]:
    """Deterministic devices for slots S1..SN; each fault picks a model of the slot's family it fits."""
    if count < 1:
        raise ValueError(f"--count must be at least 1 (got {count})")
    if families:
        for f in families:
            family(f)  # raises the one-line error for an unknown or unsimulated family
        fams = list(families)
    else:
        fams = [f for f in registry() if _simulated(f)]
    specs = parse_faults(faults)
    for spec in specs:
        if int(spec.slot[1:]) > count:
            raise ValueError(f"fault {spec.slot}:{spec.given} names slot {spec.slot} but only S1..S{count} "
                             "exist: raise --count or fix the slot")
    devices = []
    for i in range(1, count + 1):
        slot = f"S{i}"
        fam = fams[(i - 1) % len(fams)]
        mine = [s for s in specs if s.slot == slot]
        candidates = models_for(fam, [s.name for s in mine], slot)
        model = random.Random(f"{seed}:{i}:model").choice(candidates)
        devices.append(family(fam).build(slot, i, seed, model, mine))
    return devices


def _simulated(name: str) -> bool:
    try:
        family(name)
        return True
    except ValueError:
        return False


def _raise_fd_limit() -> None:
    # Each device holds an SSH listener, a console listener, a pty pair and an SNMP socket.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def _snmp_class() -> Any:
    try:
        from simulators.snmp_agent import SnmpAgent  # written by another engineer; optional for now
    except ImportError as exc:
        log.warning("SNMP agent not available (%s): slots are served without SNMP", exc)
        return None
    return SnmpAgent


def legacy_set(dev: SimDevice) -> str | None:
    """The old algorithm set a `legacy_ssh` unit offers (alternating by slot, so a fleet has both), or None."""
    if not any(f.name == "legacy_ssh" for f in dev.faults):
        return None
    names = sorted(LEGACY_SETS)
    return names[(int(getattr(dev, "index", 1)) - 1) % len(names)]


def cli_front_end(dev: SimDevice) -> SshFrontEnd | TelnetFrontEnd:
    """Telnet for a unit without a crypto image (`telnet_only`), else SSH (old algorithms only for `legacy_ssh`)."""
    if any(f.name == "telnet_only" for f in dev.faults):
        return TelnetFrontEnd(dev)
    return SshFrontEnd(dev, legacy=legacy_set(dev))


async def _start_slot(dev: SimDevice, ports: PortAllocator, agent_cls: Any, baud: int, time_scale: float) -> SimSlot:
    dev.boot_time_scale = time_scale
    slot = SimSlot(dev, cli_front_end(dev), ConsoleLine(dev, baud=baud, time_scale=time_scale), faults=dev.faults)
    await slot.ssh.start()
    await slot.console.start()
    slot.console.boot.on_up_change(lambda _up: asyncio.ensure_future(_follow_power(slot)))
    await _follow_power(slot)  # stuck_rommon / setup_dialog: no SSH from the start
    if agent_cls is not None:
        def view() -> dict[str, tuple[str, object]]:
            return dev.snmp_view()
        for _ in range(3):
            port = ports.allocate(socket.SOCK_DGRAM)
            try:
                agent = agent_cls(host="127.0.0.1", port=port, community="public", view=view,
                                  available=_snmp_availability(dev))
                await agent.start()
            except OSError:
                continue  # someone took the port between probe and bind; try another
            slot.snmp, slot.snmp_port = agent, port
            break
    return slot


def bench_document(slots: list[SimSlot], blocked_path: str | None,
                   extra_rows: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "bench": "sim",
        # Only the bench's factory sets: a previous owner's password (unknown_password) is never written.
        "credentials": {},
    }
    for s in slots:
        fam = family(s.device.family)
        user, password, enable = fam.factory_credentials
        doc["credentials"].setdefault(_credential_name(fam.name), {"username": user, "password": password,
                                                                   "enable": enable})
    if blocked_path:
        doc["blocked_serials"] = blocked_path
    rows = []
    for s in slots:
        d = s.device
        row: dict[str, Any] = {"id": d.slot, "profile": "auto"}
        # A unit without a crypto image serves its CLI over telnet only.
        row["telnet" if isinstance(s.ssh, TelnetFrontEnd) else "ssh"] = f"127.0.0.1:{s.ssh.port}"
        if s.snmp_port is not None:
            row["snmp"] = {"host": "127.0.0.1", "port": s.snmp_port, "community": "public"}
        row["console"] = f"socket://127.0.0.1:{s.console.port}"
        if s.pdu is not None:
            row["pdu"] = {"host": "127.0.0.1", "port": s.pdu.port, "community": s.pdu.community, "outlet": s.outlet}
        harness = bench_harness(d)
        if harness:
            row["harness"] = harness
        row["credentials"] = [_credential_name(d.family)]
        row["label_serial"] = d.serial
        row["truth"] = {
            "family": d.family,
            "model": d.model,
            "serial": d.serial,
            "faults": [f.text for f in d.faults],
            "netmiko_device_type": family(d.family).netmiko_device_type,
            "console_pty": s.console.pty_path,
        }
        if legacy_set(d):
            row["truth"]["legacy_ssh"] = legacy_set(d)  # which of simulators.ssh_server.LEGACY_SETS it offers
        members = list(getattr(d, "member_serials", None) or [])
        if len(members) > 1:  # a stack: one unit, each chassis with its own serial (member 1 is the unit's)
            row["truth"]["members"] = members
        rows.append(row)
    doc["slots"] = rows + list(extra_rows or [])  # e.g. SNMP-only recordings R1..RN after the S-slots
    return doc


def bench_harness(dev: SimDevice) -> dict[str, Any]:
    """The slot's cabling as a bench file states it: ports with loopback plugs (or otherwise cabled to
    something that links them) and ports patched to each other. Faults never change it: a dead port is
    still plugged, which is how the bench knows it should have linked."""
    loopback: list[str] = []
    pairs: list[list[str]] = []
    paired: set[str] = set()
    for p in getattr(dev, "ports", None) or []:
        kind = getattr(p, "harness", None)
        if kind == "loopback":
            loopback.append(p.name)
        elif kind == "cable" and getattr(p, "peer", None) and p.name not in paired:
            peer = dev.port(p.peer)  # type: ignore[attr-defined]
            # A fibre patch only links with an optic at both ends; an empty cage is not cabled.
            fibre_ok = all(q.kind == "copper" or q.optic for q in (p, peer)) if peer is not None else False
            if peer is not None and fibre_ok:
                pairs.append([p.name, peer.name])
                paired |= {p.name, peer.name}
        elif kind is None and (getattr(p, "cabled", False) or getattr(p, "linked", False)):
            loopback.append(p.name)
    out: dict[str, Any] = {}
    if loopback:
        out["loopback"] = loopback
    if pairs:
        out["pairs"] = pairs
    # refurb-steps: the PoE load tester behind the plugs (per port, the class it draws), on PoE models
    loads = {p.name: p.poe_class for p in getattr(dev, "ports", None) or []
             if getattr(p, "poe_class", None) is not None}
    if loads and getattr(getattr(dev, "spec", None), "poe", False):
        out["poe_load"] = loads
    return out


def _credential_name(family_name: str) -> str:
    """`factory` for Cisco (the bench's usual default); the family's own set for other vendors."""
    return "factory" if family_name.startswith("cisco_") else f"factory_{family_name}"


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_bench_file(path: str | os.PathLike[str], slots: list[SimSlot],
                     extra_rows: list[dict[str, Any]] | None = None) -> Path:
    target = Path(path).resolve()
    blocked = [s.device for s in slots if any(f.name == "stolen" for f in s.device.faults)]
    blocked_path = None
    if blocked:
        csv_path = target.with_name(target.stem + "-blocked-serials.csv")
        _write_atomic(csv_path, "serial,reason\n" + "".join(
            f"{d.serial},reported stolen (simulated {d.slot})\n" for d in blocked))
        blocked_path = str(csv_path)
    doc = bench_document(slots, blocked_path, extra_rows)
    # The refurbishment's image library: a target image made for each family served (issue 16).
    from simulators.families.cisco_ios.images import write_library

    images = write_library([s.device.family for s in slots], str(target.with_name(target.stem + "-images")))
    if images:
        doc["images"] = images
    text = "# Written by `bench sim`; `truth` is for checking the bench, the runner never reads it.\n"
    text += yaml.safe_dump(doc, sort_keys=False, default_flow_style=False)
    _write_atomic(target, text)
    return target


async def serve(count: int, seed: int, families: list[str] | None, faults: str, write_bench: str | None,
                ready: asyncio.Event | None = None, stop: asyncio.Event | None = None,
                base_dir: str | os.PathLike[str] | None = None, baud: int | None = None,
                started: list[SimSlot] | None = None, recordings: bool = False,
                time_scale: float | None = None) -> None:
    """Serve `count` devices until `stop` is set. `started`, when given, receives the live slots.
    `recordings` also serves real devices' SNMP walks (simulators.recordings) as slots R1..RN.
    `baud` and `time_scale` pace the consoles (see console_pace: 9600 baud and real boot pauses by default)."""
    baud, time_scale = console_pace(baud, time_scale)
    devices = build_devices(count, seed, families, faults)
    _raise_fd_limit()
    host_key()
    t0 = time.monotonic()
    ports = PortAllocator()
    agent_cls = _snmp_class()
    slots: list[SimSlot] = []
    stop = stop or asyncio.Event()
    ticker: asyncio.Task[None] | None = None
    rec_server: Any = None
    try:
        # Start in modest batches: bounded concurrency keeps 256 devices quick on 2 cores.
        for i in range(0, len(devices), 32):
            batch = await asyncio.gather(*(_start_slot(d, ports, agent_cls, baud, time_scale)
                                           for d in devices[i:i + 32]))
            slots.extend(batch)
        pdu = Pdu([s.console for s in slots], [s.device.slot for s in slots])
        await pdu.start()
        for n, s in enumerate(slots, 1):
            s.pdu, s.outlet = pdu, n
        if recordings:
            from simulators.recordings import default_work_dir, start_recordings  # needs snmpsim: import late
            rec_server = await start_recordings(default_work_dir())
        if write_bench:
            bench_path = Path(write_bench)
            if base_dir is not None and not bench_path.is_absolute():
                bench_path = Path(base_dir) / bench_path
            written = write_bench_file(bench_path, slots, rec_server.slot_rows() if rec_server else None)
            log.info("bench file written: %s", written)
        log.info("%d simulated devices listening in %.2f s", len(slots), time.monotonic() - t0)
        if started is not None:
            started.extend(slots)
        ticker = asyncio.get_running_loop().create_task(_tick(slots))
        if ready is not None:
            ready.set()
        await stop.wait()
    finally:
        if ticker is not None:
            ticker.cancel()
        if rec_server is not None:
            await rec_server.stop()
        if slots and slots[0].pdu is not None:
            await slots[0].pdu.stop()
        await _stop_all(slots)


async def _tick(slots: list[SimSlot]) -> None:
    # Faults with an offset (fan fails at 30 s) happen on time even if nobody asks.
    while True:
        await asyncio.sleep(1.0)
        for s in slots:
            s.device.tick()


async def _stop_all(slots: list[SimSlot]) -> None:
    async def one(s: SimSlot) -> None:
        _release_port(s)
        with contextlib.suppress(Exception):
            await s.ssh.stop()
        with contextlib.suppress(Exception):
            await s.console.stop()
        if s.snmp is not None:
            with contextlib.suppress(Exception):
                await s.snmp.stop()
    await asyncio.gather(*(one(s) for s in slots))


def run_fleet(count: int, seed: int = 1, families: list[str] | None = None, faults: str = "",
              write_bench: str | None = None, baud: int | None = None, recordings: bool = False) -> int:
    """Blocking entry point for `bench sim`: SIGTERM/SIGINT end it cleanly. Returns an exit code."""

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await serve(count, seed, families, faults, write_bench, stop=stop, baud=baud, recordings=recordings)

    asyncio.run(main())
    return 0
