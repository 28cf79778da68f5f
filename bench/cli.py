"""The `bench` command. Bad input exits 2 with one line that says what to fix; nothing half-written."""

from __future__ import annotations

import argparse
import re
import sqlite3
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from bench.errors import BadInput, BenchError

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2
MAX_DEVICES = 1000  # simulated devices in one process (a bench file holds at most as many slots)
MAX_DURATION_S = 30 * 86400


class _Formatter(argparse.HelpFormatter):
    """Fills in `{plans}` from the profile catalog only when help is printed: building the parser stays cheap."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help
        if text and "{plans}" in text:
            text = text.replace("{plans}", _plan_names())
        return text


def _plan_names() -> str:
    try:
        from bench.profiles import Catalog

        names = sorted({plan for p in Catalog.load().profiles.values() for plan in p.plans})
        return ", ".join(names) or "see bench profiles list"
    except Exception:  # help must print even when a profile on this machine is broken
        return "see bench profiles list"


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"bench: {safe_line(message)} (see '{self.prog} --help')\n")


def safe_line(text: object, limit: int = 300) -> str:
    """Text for stderr: control characters escaped (no escape sequence reaches the terminal), one line, capped."""
    s = "".join(c if c.isprintable() else repr(c)[1:-1] for c in " ".join(str(text).split()))
    return s if len(s) <= limit else s[: limit - 1] + "…"


def parse_duration(text: str) -> float:
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*", text or "")
    if not m:
        raise argparse.ArgumentTypeError(f"duration {text!r} is not like 90s, 30m, 24h")
    scale = {"ms": 0.001, "s": 1, None: 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]
    seconds = float(m.group(1)) * scale
    if not 0 < seconds <= MAX_DURATION_S:
        raise argparse.ArgumentTypeError(f"duration {text!r} must be above 0 and at most 30d")
    return seconds


def _bounded(convert: Callable[[str], Any], example: str, within: Callable[[Any], bool],
             refusal: str) -> Callable[[str], Any]:
    """An argparse type: `convert` the text, then refuse it with `refusal` (formatted with the text and the
    value) unless `within(value)`."""
    kind = "whole number" if convert is int else "number"

    def parse(text: str) -> Any:
        try:
            value = convert(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a {kind} such as {example}") from None
        if not within(value):  # NaN fails every bound too
            raise argparse.ArgumentTypeError(refusal.format(text=text, value=value))
        return value

    return parse


# How many simulated devices, a simulator seed, a share of RAM to stress.
_count = _bounded(int, "8", lambda n: 1 <= n <= MAX_DEVICES, f"{{value}} devices: give 1 to {MAX_DEVICES}")
_seed = _bounded(int, "1", lambda n: 0 <= n < 2**32, f"seed {{value}}: give 0 to {2**32 - 1}")
_fraction = _bounded(float, "0.9", lambda x: 0 <= x <= 0.98, "{text} is not a share of RAM from 0 to 0.98")


DB_HELP = "store URL: sqlite:///PATH or a file path (default: %(default)s)"


def _build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="bench", description="Test, grade and record used network gear and servers.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser, metavar="COMMAND")

    run = sub.add_parser("run", help="run a bench file (resumes an interrupted run on the same store)")
    run.add_argument("bench_file", help="the bench file (YAML; see docs/bench-file.md)")
    run.add_argument("--plan", default="quick", help="test plan of each unit's profile: {plans} (default: quick)")
    run.add_argument("--headless", action="store_true", help="no dashboard; print one line per finished test")
    run.add_argument("--db", help="store URL (default: the bench file's 'store', else sqlite:///bench.db)")
    run.add_argument("--burnin", type=parse_duration, help="override the plan's burn-in length, e.g. 120s")
    run.add_argument("--fleet", metavar="URL", help="also stream sealed records to this PostgreSQL fleet store, "
                     "e.g. postgresql://bench@fleet-db/fleet (default: the bench file's 'fleet'; docs/fleet.md)")

    sim = sub.add_parser("sim", help="serve simulated devices on loopback until interrupted")
    sim.add_argument("--count", type=_count, default=8, help=f"how many devices, 1 to {MAX_DEVICES} (default: 8)")
    sim.add_argument("--write-bench", metavar="FILE", help="write a bench file for these devices, for bench run")
    sim.add_argument("--seed", type=_seed, default=1,
                     help="the same seed gives the same models, serials and readings (default: 1)")
    sim.add_argument("--family", default="", help="comma-separated families to cycle through: cisco_ios_switch, "
                     "cisco_iosxe_switch, cisco_ios_router, arista_eos, juniper_junos, hp_procurve, linux_server, "
                     "hp_comware, huawei_vrp "
                     "(default: every family in turn)")
    sim.add_argument("--faults", default="", help="SLOT:FAULT[@OFFSET],... e.g. S2:fan_failed,S5:reboot@60s")
    sim.add_argument("--list-faults", action="store_true", help="print the faults --faults knows, and exit")
    sim.add_argument("--recordings", action="store_true",
                     help="also serve real devices' SNMP walks (snmpsim-data) as SNMP-only slots R1..")

    export = sub.add_parser("export", help="results of every unit of the store (its latest record), with inputs")
    export.add_argument("--db", default="sqlite:///bench.db", help=DB_HELP + "; postgresql://... the fleet store")
    export.add_argument("--format", choices=["json", "csv", "erasure-json", "erasure-csv"], default="json",
                        help="json (default) or csv; erasure-json / erasure-csv: only the servers' per-disk "
                             "erasure records (for an ITAD ERP)")
    export.add_argument("--bench", help="only units tested on the bench of this name")
    export.add_argument("--since", help="only units finished on or after this date (UTC), e.g. 2026-11-23")
    export.add_argument("--lot", help="only units of this lot (bench file 'lot:' or 'bench grade --lot')")

    verify = sub.add_parser("verify", help="check that no sealed unit record was altered, removed or reordered")
    verify.add_argument("--db", default="sqlite:///bench.db",
                        help=DB_HELP + "; postgresql://... checks every bench of the fleet store")
    verify.add_argument("--key", help="trust only this bench key (private key file or its .pub)")

    sync = sub.add_parser("sync", help="send the sealed records a bench has not yet sent to the fleet store")
    sync.add_argument("bench_file", nargs="?", help="the bench file (its 'store' and 'fleet'); or give --db")
    sync.add_argument("--db", help="the bench's store URL, sqlite:///PATH (default: the bench file's 'store')")
    sync.add_argument("--fleet", metavar="URL", help="the fleet store, postgresql://... (default: the bench "
                      "file's 'fleet')")

    fleet = sub.add_parser("fleet", help="the fleet store: list benches, approve a bench's key")
    fleet.add_argument("action", choices=["approve", "list", "load-blocked", "load-images"],
                       help="approve NAME's registered key, list benches, or load the shared blocked-serial list or "
                       "known-good image hashes from FILE")
    fleet.add_argument("name", nargs="?", help="the bench to approve (its bench file's 'bench:' name), or the FILE")
    fleet.add_argument("--db", required=True, metavar="URL", help="the fleet store, postgresql://...")
    fleet.add_argument("--operator", help="who approves (default: the login name)")
    fleet.add_argument("--key", metavar="FINGERPRINT", help="approve only the key with this fingerprint (at least "
                       "its first 16 hex digits, as 'bench sync' printed it on the bench)")

    profiles = sub.add_parser("profiles", help="the profile catalog")
    profiles.add_argument("action", choices=["list", "show", "check"],
                          help="list the profiles, show NAME's YAML, or check FILE before installing it")
    profiles.add_argument("target", nargs="?", help="profile name (show) or file (check)")

    demo = sub.add_parser("demo", help="a simulated bench graded live")
    demo.add_argument("--count", type=_count, default=8,
                      help=f"how many simulated Catalyst switches, 1 to {MAX_DEVICES} (default: 8)")
    demo.add_argument("--db", default="sqlite:///bench-demo.db", help=DB_HELP)
    demo.add_argument("--headless", action="store_true", help="no dashboard; print one line per finished test")
    demo.add_argument("--plan", default="full", help="quick (seconds) or full (ports, burn-in, wipe; default)")
    demo.add_argument("--burnin", type=parse_duration, default=20.0, help="burn-in length of the full plan (20s)")

    agent = sub.add_parser("agent", help="on a server under test: stream psutil samples as JSON lines, with stress")
    agent.add_argument("--interval", type=parse_duration, default=1.0, help="seconds between samples (default 1)")
    agent.add_argument("--duration", type=parse_duration, help="stop after this long, e.g. 60s (default: until ^C)")
    agent.add_argument("--stress-cpu", action="store_true", help="keep every core busy while sampling")
    agent.add_argument("--stress-mem", type=_fraction, default=0.0, metavar="FRACTION",
                       help="write and verify a pattern over this share of RAM, e.g. 0.9")
    tui = sub.add_parser("tui", help="the technician's dashboard, attached to a running or finished run")
    tui.add_argument("--db", default="sqlite:///bench.db", help=DB_HELP)

    probe = sub.add_parser("probe", help="one-shot identity and inventory of one unit")
    probe.add_argument("urls", nargs="+", metavar="URL",
                       help="ssh://user:pass@host:port, telnet://user:pass@host:port, snmp://community@host:port, "
                            "rfc2217://host:port, "
                            "socket://host:port, /dev/ttyUSB0, local://")
    probe.add_argument("--json", action="store_true", help="print JSON instead of a table")

    report = sub.add_parser("report", help="certificate or label of one unit, to stdout")
    report.add_argument("serial", help="the unit's serial (or slot id of the latest run)")
    report.add_argument("--db", default="sqlite:///bench.db", help=DB_HELP)
    report.add_argument("--format", choices=["html", "pdf", "zpl", "png"], default="html",
                        help="html or pdf certificate (pdf needs Chromium), zpl label, or png preview of the label")
    report.add_argument("--output", "-o", help="write to this file instead of stdout")

    check = sub.add_parser("verify-certificate", help="check a certificate (html or pdf) offline: record, "
                           "signature, and that the page shows what was signed")
    check.add_argument("file", help="the certificate, .html or .pdf")
    check.add_argument("--key", required=True, help="the bench's public key (.pub PEM) or its SHA-256 fingerprint")

    grade = sub.add_parser("grade", help="technician inputs for one unit (cosmetics, label, notes...); regrades it")
    grade.add_argument("unit", help="serial or slot id of the latest run")
    grade.add_argument("--db", default="sqlite:///bench.db", help=DB_HELP)
    grade.add_argument("--operator", required=True, help="who enters this (badge or initials)")
    grade.add_argument("--cosmetic", help="R2v3 cosmetic code C1..C9")
    grade.add_argument("--label-serial", help="the scanned chassis sticker")
    grade.add_argument("--asset-tag", help="the customer's or your own asset tag")
    grade.add_argument("--notes", help="free text: scratches, missing rack ears ...")
    grade.add_argument("--lot", help="the lot or purchase order the unit belongs to")
    grade.add_argument("--licence-attested", choices=["yes", "no"], help="licence transfer attested")
    grade.add_argument("--new-open-box", choices=["yes", "no"], help="new, open box (R2v3 C9)")
    grade.add_argument("--disposition", choices=["parts", "recycle", "auto"],
                       help="the technician's call: parts or recycle (auto: back to the rules)")
    grade.add_argument("--history", action="store_true", help="print the unit's input history and exit")
    return p


# Commands that read an existing store, and those that may create one.
_READS_STORE = ("export", "verify", "report", "grade", "tui")
_WRITES_STORE = ("run", "demo")
# Where a failure is the bench's own work with devices, not an input: a traceback there is a bug to see.
_DEVICE_CODE = ("/bench/engine.py", "/bench/drivers/", "/bench/tests_hw/", "/bench/sessions.py",
                "/bench/shell_channels.py", "/bench/tui/", "/simulators/")


def _check_store_option(args: argparse.Namespace) -> None:
    """A --db that is a directory, not SQLite or in a missing directory: one line before SQLite sees it."""
    url = getattr(args, "db", None)
    if not url or args.command not in _READS_STORE + _WRITES_STORE:
        return
    if args.command in ("export", "verify", "tui", "report") and url.split("://", 1)[0] in ("postgresql", "postgres"):
        return  # the fleet store (bench.fleet): checked when connecting
    from bench.config import store_problem

    problem = store_problem(url, must_exist=args.command in _READS_STORE)
    if problem:
        raise BadInput(f"--db: {problem}")


def _from_device_code(exc: BaseException) -> bool:
    tb = exc.__traceback__
    while tb is not None:
        if any(part in tb.tb_frame.f_code.co_filename.replace("\\", "/") for part in _DEVICE_CODE):
            return True
        tb = tb.tb_next
    return False


def _input_problem(command: str, exc: BaseException) -> str:
    if isinstance(exc, RecursionError | MemoryError):
        return f"bench: {command}: an input is too large or too deeply nested to read; check the files given"
    if isinstance(exc, sqlite3.DatabaseError):
        return (f"bench: {command}: the store cannot be used ({safe_line(exc, 120)}); "
                "check --db or the bench file's store")
    what = getattr(exc, "filename", None)
    where = f" {safe_line(what, 120)}" if what else ""
    reason = safe_line(getattr(exc, "strerror", None) or exc, 120)
    return f"bench: {command}: cannot read input{where} ({type(exc).__name__}: {reason}); check the paths given"


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = _build_parser().parse_args(argv)
    except SystemExit as e:  # a bad option (one line already printed) or --help: its code, as from the shell
        return e.code if isinstance(e.code, int) else EXIT_BAD_INPUT
    try:
        return _dispatch(args)
    except BadInput as e:
        print(f"bench: {safe_line(e, 1000)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BenchError as e:
        print(f"bench: {safe_line(e, 1000)}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `bench export | head`: the reader left; not an error worth a traceback
        sys.stderr.close()
        return EXIT_OK
    except (OSError, UnicodeError, RecursionError, MemoryError, sqlite3.DatabaseError) as e:
        # Last resort for input the checks above did not foresee (a store, a key, a path): one line, not a
        # traceback. Raised from the work with devices it is a bug, and is shown in full.
        if _from_device_code(e):
            raise
        print(_input_problem(args.command, e), file=sys.stderr)
        return EXIT_BAD_INPUT


def _dispatch(args: argparse.Namespace) -> int:
    _check_store_option(args)
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
    if args.command == "sync":
        from bench.commands.sync import sync_command

        return sync_command(args)
    if args.command == "fleet":
        from bench.commands.fleet import fleet_command

        return fleet_command(args)
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
    return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
