"""The `bench` command. Bad input exits 2 with one line that says what to fix; nothing half-written."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from typing import NoReturn

from bench.errors import BadInput, BenchError

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"bench: {message} (see '{self.prog} --help')\n")


def parse_duration(text: str) -> float:
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*", text or "")
    if not m:
        raise argparse.ArgumentTypeError(f"duration {text!r} is not like 90s, 30m, 24h")
    scale = {"ms": 0.001, "s": 1, None: 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]
    return float(m.group(1)) * scale


def _build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="bench", description="Test, grade and record used network gear and servers.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    run = sub.add_parser("run", help="run a bench file (resumes an interrupted run on the same store)")
    run.add_argument("bench_file")
    run.add_argument("--plan", default="quick")
    run.add_argument("--headless", action="store_true", help="no TUI; print progress lines")
    run.add_argument("--db", help="store URL (default: the bench file's 'store', else sqlite:///bench.db)")
    run.add_argument("--burnin", type=parse_duration, help="override the plan's burn-in length, e.g. 120s")

    sim = sub.add_parser("sim", help="serve simulated devices on loopback until interrupted")
    sim.add_argument("--count", type=int, default=8)
    sim.add_argument("--write-bench", metavar="FILE")
    sim.add_argument("--seed", type=int, default=1)
    sim.add_argument("--family", default="", help="comma-separated families to cycle through")
    sim.add_argument("--faults", default="", help="SLOT:FAULT[@OFFSET],... e.g. S2:fan_failed,S5:reboot@60s")
    sim.add_argument("--list-faults", action="store_true")
    sim.add_argument("--recordings", action="store_true",
                     help="also serve real devices' SNMP walks (snmpsim-data) as SNMP-only slots R1..")

    export = sub.add_parser("export", help="results of every unit of the store (its latest record), with inputs")
    export.add_argument("--db", default="sqlite:///bench.db")
    export.add_argument("--format", choices=["json", "csv"], default="json")
    export.add_argument("--bench", help="only units tested on the bench of this name")
    export.add_argument("--since", help="only units finished on or after this date (UTC), e.g. 2026-11-23")
    export.add_argument("--lot", help="only units of this lot (bench file 'lot:' or 'bench grade --lot')")

    verify = sub.add_parser("verify", help="check that no sealed unit record was altered, removed or reordered")
    verify.add_argument("--db", default="sqlite:///bench.db")
    verify.add_argument("--key", help="trust only this bench key (private key file or its .pub)")

    profiles = sub.add_parser("profiles", help="the profile catalog")
    profiles.add_argument("action", choices=["list", "show", "check"])
    profiles.add_argument("target", nargs="?", help="profile name (show) or file (check)")

    demo = sub.add_parser("demo", help="a simulated bench graded live")
    demo.add_argument("--count", type=int, default=8)
    demo.add_argument("--db", default="sqlite:///bench-demo.db")
    demo.add_argument("--headless", action="store_true")
    demo.add_argument("--plan", default="full", help="quick (seconds) or full (ports, burn-in, wipe; default)")
    demo.add_argument("--burnin", type=parse_duration, default=20.0, help="burn-in length of the full plan (20s)")

    agent = sub.add_parser("agent", help="on a server under test: stream psutil samples as JSON lines, with stress")
    agent.add_argument("--interval", type=parse_duration, default=1.0, help="seconds between samples (default 1)")
    agent.add_argument("--duration", type=parse_duration, help="stop after this long, e.g. 60s (default: until ^C)")
    agent.add_argument("--stress-cpu", action="store_true", help="keep every core busy while sampling")
    agent.add_argument("--stress-mem", type=float, default=0.0, metavar="FRACTION",
                       help="write and verify a pattern over this share of RAM, e.g. 0.9")
    tui = sub.add_parser("tui", help="the technician's dashboard, attached to a running or finished run")
    tui.add_argument("--db", default="sqlite:///bench.db")

    probe = sub.add_parser("probe", help="one-shot identity and inventory of one unit")
    probe.add_argument("urls", nargs="+", metavar="URL",
                       help="ssh://user:pass@host:port, snmp://community@host:port, rfc2217://host:port, "
                            "socket://host:port, /dev/ttyUSB0, local://")
    probe.add_argument("--json", action="store_true", help="print JSON instead of a table")

    report = sub.add_parser("report", help="certificate or label of one unit, to stdout")
    report.add_argument("serial")
    report.add_argument("--db", default="sqlite:///bench.db")
    report.add_argument("--format", choices=["html", "pdf", "zpl", "png"], default="html",
                        help="html or pdf certificate (pdf needs Chromium), zpl label, or png preview of the label")
    report.add_argument("--output", "-o", help="write to this file instead of stdout")

    check = sub.add_parser("verify-certificate", help="check a certificate (html or pdf) offline: record, "
                           "signature, and that the page shows what was signed")
    check.add_argument("file", help="the certificate, .html or .pdf")
    check.add_argument("--key", required=True, help="the bench's public key (.pub PEM) or its SHA-256 fingerprint")

    grade = sub.add_parser("grade", help="technician inputs for one unit (cosmetics, label, notes...); regrades it")
    grade.add_argument("unit", help="serial or slot id of the latest run")
    grade.add_argument("--db", default="sqlite:///bench.db")
    grade.add_argument("--operator", required=True, help="who enters this (badge or initials)")
    grade.add_argument("--cosmetic", help="R2v3 cosmetic code C1..C9")
    grade.add_argument("--label-serial", help="the scanned chassis sticker")
    grade.add_argument("--asset-tag")
    grade.add_argument("--notes")
    grade.add_argument("--lot", help="the lot or purchase order the unit belongs to")
    grade.add_argument("--licence-attested", choices=["yes", "no"], help="licence transfer attested")
    grade.add_argument("--new-open-box", choices=["yes", "no"])
    grade.add_argument("--disposition", choices=["parts", "recycle", "auto"],
                       help="the technician's call: parts or recycle (auto: back to the rules)")
    grade.add_argument("--history", action="store_true", help="print the unit's input history and exit")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = _build_parser().parse_args(argv)
    try:
        if args.command == "run":
            from bench.commands.run import run_command

            return run_command(args)
        if args.command == "sim":
            from bench.commands.sim import sim_command

            return sim_command(args)
        if args.command == "export":
            from bench.commands.export import export_command

            return export_command(args)
        if args.command == "verify":
            from bench.commands.verify import verify_command

            return verify_command(args)
        if args.command == "profiles":
            from bench.commands.profiles import profiles_command

            return profiles_command(args)
        if args.command == "demo":
            from bench.commands.demo import demo_command

            return demo_command(args)
        if args.command == "tui":
            from bench.commands.tui import tui_command

            return tui_command(args)
        if args.command == "probe":
            from bench.commands.probe import probe_command

            return probe_command(args)
        if args.command == "report":
            from bench.commands.report import report_command

            return report_command(args)
        if args.command == "verify-certificate":
            from bench.commands.verify_certificate import verify_certificate_command

            return verify_certificate_command(args)
        if args.command == "grade":
            from bench.commands.grade import grade_command

            return grade_command(args)
        if args.command == "agent":
            from bench.commands.agent import agent_command

            return agent_command(args)
    except BadInput as e:
        print(f"bench: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BenchError as e:
        print(f"bench: {e}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `bench export | head`: the reader left; not an error worth a traceback
        sys.stderr.close()
        return EXIT_OK
    return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
