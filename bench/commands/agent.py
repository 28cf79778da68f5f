"""`bench agent`: sample (and stress) this machine, streaming JSON lines on stdout."""

from __future__ import annotations

import argparse

from bench.errors import BadInput


def agent_command(args: argparse.Namespace) -> int:
    from bench.drivers.agent import AgentOptions, run_agent  # psutil only when the agent runs

    if args.interval <= 0:
        raise BadInput(f"--interval must be above 0 seconds (got {args.interval:g})")
    if not 0 <= args.stress_mem <= 0.98:
        raise BadInput(f"--stress-mem is a share of RAM from 0 to 0.98 (got {args.stress_mem:g})")
    opts = AgentOptions(interval=args.interval, duration=args.duration, stress_cpu=args.stress_cpu,
                        stress_mem=args.stress_mem)
    return run_agent(opts)
