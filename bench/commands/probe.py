"""`bench probe URL... [--json]`: one-shot identity and inventory; exit 1 when a unit could not be probed."""

from __future__ import annotations

import argparse
import asyncio
import json
from typing import Any

from bench.terminal import safe_text


def _lines(report: dict[str, Any], indent: str = "") -> list[str]:
    """A report as `key: value` lines; nested parts indented. Every value passes through safe_text."""
    out: list[str] = []
    for key, value in report.items():
        if isinstance(value, dict):
            if set(value) <= {"state", "detail", "reason"} and "state" in value:
                out.append(f"{indent}{key}: {safe_text(value['state'])} "
                           f"({safe_text(value.get('detail') or value.get('reason') or '')})")
            else:
                out.append(f"{indent}{key}:")
                out += _lines(value, indent + "  ")
        elif isinstance(value, list):
            out.append(f"{indent}{key}: {len(value)}")
            for item in value:
                text = ", ".join(f"{k}={v}" for k, v in item.items() if v not in ("", None)) \
                    if isinstance(item, dict) else str(item)
                out.append(f"{indent}  - {safe_text(text, 300)}")
        else:
            out.append(f"{indent}{key}: {safe_text('' if value is None else value, 300)}")
    return out


def probe_command(args: argparse.Namespace) -> int:
    from bench.probe import parse_target, probe_all
    from bench.profiles import Catalog
    from bench.tests_hw.registry import known_tests

    targets = [parse_target(u) for u in args.urls]  # every URL is checked before anything connects
    reports = asyncio.run(probe_all(targets, Catalog.load(known_tests())))
    if args.json:
        doc: Any = reports[0] if len(reports) == 1 else {"probes": reports}
        # Device text inside JSON is escaped by json.dumps (ensure_ascii): no raw control bytes reach a terminal.
        print(json.dumps(doc, indent=2, default=str))
    else:
        for i, r in enumerate(reports):
            if i:
                print()
            print("\n".join(_lines(r)))
    return 1 if any("error" in r for r in reports) else 0
