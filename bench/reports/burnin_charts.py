"""Which charts a unit's telemetry makes: one per metric family, within the burn-in test's own time window.

Metric names come from the tests that record them (bench.tests_hw.burnin: `temp:NAME`, `fan_ok:NAME`,
`psu_ok:NAME`, `COUNTER:PORT`, `uptime`; the environment test: `temperature.NAME`). Unknown metrics
are not dropped: they get a chart per prefix.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from bench.model import epoch_seconds
from bench.reports.charts import Bar, LineChart, Series, Threshold, fmt
from bench.reports.unit import Telemetry, UnitReport

COUNTER_NAMES = ("crc", "input_errors", "output_errors", "runts", "giants", "edac", "errors")
TEMPERATURE_PREFIXES = ("temp:", "temperature.", "temp.", "temperature:")
MAX_THRESHOLDS = 4


def _family(metric: str) -> tuple[str, str]:
    """(family, series label) of one metric name."""
    for p in TEMPERATURE_PREFIXES:
        if metric.startswith(p):
            return "temperature", metric[len(p):]
    head, sep, tail = metric.partition(":")
    if sep and head in ("fan_ok", "psu_ok"):
        return "state", f"{'fan' if head == 'fan_ok' else 'PSU'}: {tail}"
    if sep and any(c in head for c in COUNTER_NAMES):
        return "counters", f"{tail} {head}"
    if metric == "uptime":
        return "uptime", "uptime"
    return (head if sep else metric), (tail if sep else metric)


def burnin_window(unit: UnitReport) -> tuple[str, str] | None:
    """The burn-in test's [started, finished], or None when it did not run."""
    t = unit.test("burnin")
    if t is None or t["outcome"] == "NOT_RUN" or not t.get("started"):
        return None
    return str(t["started"]), str(t.get("finished") or "9999")


def burnin_samples(unit: UnitReport) -> list[Telemetry]:
    window = burnin_window(unit)
    if window is None:
        return []
    return [s for s in unit.telemetry if window[0] <= s.ts <= window[1]]


def temperature_thresholds(unit: UnitReport) -> dict[str, tuple[float | None, float | None]]:
    """Sensor name -> (warn_at, fail_at) as the device reported them in the environment test."""
    env = unit.test("environment") or {}
    out: dict[str, tuple[float | None, float | None]] = {}
    for r in (env.get("evidence") or {}).get("readings", []):
        if isinstance(r, dict) and r.get("kind") == "temperature":
            out[str(r.get("name"))] = (_num(r.get("warn_at")), _num(r.get("fail_at")))
    return out


def _num(v: Any) -> float | None:
    return float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None


def burnin_charts(unit: UnitReport) -> list[LineChart]:
    samples = burnin_samples(unit)
    if not samples:
        return []
    t0 = min(epoch_seconds(s.ts) for s in samples)
    start = datetime.fromtimestamp(t0, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    by_family: dict[str, dict[str, list[tuple[float, float]]]] = defaultdict(lambda: defaultdict(list))
    for s in samples:
        family, label = _family(s.metric)
        by_family[family][label].append((epoch_seconds(s.ts) - t0, s.value))
    charts = []
    for family in sorted(by_family, key=_family_order):
        series = [Series(label, pts) for label, pts in sorted(by_family[family].items())]
        charts.append(_chart(family, series, unit, start))
    return charts


def _family_order(family: str) -> tuple[int, str]:
    known = ["temperature", "state", "counters", "uptime"]
    return (known.index(family) if family in known else len(known), family)


def _chart(family: str, series: list[Series], unit: UnitReport, start: str) -> LineChart:
    if family == "temperature":
        return LineChart("Burn-in: temperatures", "°C", series, _temp_lines(series, unit), start_label=start)
    if family == "state":
        return LineChart("Burn-in: fans and power supplies", "", series, y_labels={0.0: "failed", 1.0: "ok"},
                         start_label=start)
    if family == "counters":
        return LineChart("Burn-in: error counters", "count", _counter_series(series), start_label=start)
    if family == "uptime":
        hours = max(y for s in series for y in s.ys) >= 7200
        scaled = [Series(s.label, [(x, y / 3600 if hours else y / 60) for x, y in s.points]) for s in series]
        return LineChart("Burn-in: uptime (a drop is a reboot)", "h" if hours else "min", scaled, start_label=start)
    return LineChart(f"Burn-in: {family}", "", series, start_label=start)


def _counter_series(series: list[Series]) -> list[Series]:
    """Counters that moved or are non-zero, each on its own; when none did, their sum (a flat zero line)."""
    moving = [s for s in series if any(s.ys)]
    if moving:
        return moving
    total: dict[float, float] = defaultdict(float)
    for s in series:
        for x, y in s.points:
            total[x] += y
    ports = {s.label.split(" ")[0] for s in series}
    return [Series(f"all {len(series)} counters on {len(ports)} ports (sum)", sorted(total.items()))]


def _temp_lines(series: list[Series], unit: UnitReport) -> list[Threshold]:
    known = temperature_thresholds(unit)
    lines: dict[tuple[float, str], list[str]] = defaultdict(list)
    for s in series:
        warn, fail = known.get(s.label, (None, None))
        if warn is not None:
            lines[(warn, "warn")].append(s.label)
        if fail is not None:
            lines[(fail, "fail")].append(s.label)
    ordered = sorted(lines.items(), key=lambda kv: (kv[0][1] != "fail", kv[0][0]))[:MAX_THRESHOLDS]
    return [Threshold(value, f"{sev} at {fmt(value)} °C: {', '.join(names)}"[:70], sev)
            for (value, sev), names in ordered]


def environment_bars(unit: UnitReport) -> list[Bar]:
    """The environment test's temperature readings with the device's own thresholds."""
    env = unit.test("environment") or {}
    bars = []
    for r in (env.get("evidence") or {}).get("readings", []):
        if isinstance(r, dict) and r.get("kind") == "temperature" and _num(r.get("value")) is not None:
            bars.append(Bar(str(r.get("name")), float(r["value"]), _num(r.get("warn_at")), _num(r.get("fail_at")),
                            str(r.get("state", "ok"))))
    return bars
