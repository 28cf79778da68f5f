"""`bench sim`: serve simulated devices on loopback until SIGTERM/SIGINT (simulators imported lazily).

Once every device listens it prints one table of where each one answers, the bench file it wrote,
and "Ctrl-C to stop", so that the first thing a new user sees is what to point `bench run` at.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
from typing import Any

from bench.errors import BadInput


def sim_command(args: argparse.Namespace) -> int:
    from simulators import faults

    if args.list_faults:
        for name, where, summary in faults.fault_table():
            print(f"{name:<20} {where:<28} {summary}")
        return 0
    if args.count < 1:
        raise BadInput(f"--count {args.count}: give at least 1 device")
    families = [f.strip() for f in args.family.split(",") if f.strip()] or None
    try:
        asyncio.run(_serve(args, families))
    except (ValueError, RuntimeError) as e:  # bad --faults/--family, or snmpsim missing
        raise BadInput(str(e)) from None
    return 0


async def _serve(args: argparse.Namespace, families: list[str] | None) -> None:
    from simulators import fleet

    stop, ready = asyncio.Event(), asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    started: list[Any] = []
    serving = asyncio.create_task(fleet.serve(args.count, args.seed, families, args.faults, args.write_bench,
                                              ready=ready, stop=stop, started=started, recordings=args.recordings))
    ready_wait = asyncio.create_task(ready.wait())
    await asyncio.wait({serving, ready_wait}, return_when=asyncio.FIRST_COMPLETED)
    if serving.done():
        ready_wait.cancel()
        serving.result()  # raises what stopped the simulators
        return
    print("\n".join(address_table(started)))
    if args.write_bench:
        print(f"\nbench file: {args.write_bench}   (bench run {args.write_bench})")
    if args.recordings:
        print("recorded SNMP agents: slots R1.. in the bench file")
    print("\nCtrl-C to stop", flush=True)
    await serving


def address_table(slots: list[Any]) -> list[str]:
    """One line per simulated device: slot, family, model, serial and every address it answers on."""
    rows = [("slot", "family", "model", "serial", "ssh", "console", "snmp", "pdu outlet")]
    for s in slots:
        d = s.device
        cli = f"127.0.0.1:{s.ssh.port}" if type(s.ssh).__name__ != "TelnetFrontEnd" else f"telnet://127.0.0.1:{s.ssh.port}"
        rows.append((d.slot, d.family, d.model, d.serial, cli,
                     f"socket://127.0.0.1:{s.console.port}",
                     f"127.0.0.1:{s.snmp_port}" if s.snmp_port is not None else "-",
                     f"127.0.0.1:{s.pdu.port} #{s.outlet}" if s.pdu is not None else "-"))
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    return ["  ".join(str(v).ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in rows]
