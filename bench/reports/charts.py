"""Inline SVG charts for the certificate, written here so a certificate needs no charting library or script.

Two kinds: a line chart of time series (burn-in telemetry) with axes, units and threshold lines, and a
bar chart of single readings against their own warn/fail thresholds (the environment test's snapshot).
Every label may come from a device, so all text is cleaned of control characters and XML-escaped here.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field

from bench.drivers.parsing import sanitize

# Distinguishable on screen and in greyscale print (dark to light alternating).
PALETTE = ["#1f5fa8", "#d9731a", "#2b8a3e", "#8e3fa8", "#b5283a", "#0f8a8a", "#6b5a1e", "#d14fa0"]
WARN_COLOUR = "#c98a00"
PASS_COLOUR = "#2f9e44"
FAIL_COLOUR = "#c0262d"
MAX_POINTS = 600  # per series; longer series keep each bucket's min and max so spikes survive
MAX_SERIES = 8


@dataclass
class Series:
    label: str
    points: list[tuple[float, float]]  # (x, y), x in seconds from the chart's start

    @property
    def ys(self) -> list[float]:
        return [y for _, y in self.points]


@dataclass
class Threshold:
    value: float
    label: str
    severity: str = "fail"  # fail | warn


@dataclass
class LineChart:
    title: str
    unit: str
    series: list[Series]
    thresholds: list[Threshold] = field(default_factory=list)
    y_labels: dict[float, str] | None = None  # e.g. {0: "failed", 1: "ok"} for state series
    start_label: str = ""  # what x = 0 is, e.g. "2026-11-23 13:13:15 UTC"
    height: int = 250  # of the plot area with its axes; the legend adds rows below


@dataclass
class Bar:
    label: str
    value: float
    warn_at: float | None = None
    fail_at: float | None = None
    state: str = "ok"


def esc(text: object) -> str:
    """Device text made safe inside SVG/HTML: controls and escape sequences dropped, markup escaped."""
    return html.escape(sanitize(str(text)), quote=True)


def fmt(value: float) -> str:
    """A number as a person reads it: no trailing .0, at most 3 significant decimals."""
    if value == int(value) and abs(value) < 1e12:
        return str(int(value))
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:.0f}"


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values (1, 2, 5 x 10^n steps) covering [lo, hi]."""
    if hi <= lo:
        lo, hi = lo - 1, hi + 1
    raw = (hi - lo) / max(1, count)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    first = math.floor(lo / step) * step
    ticks = []
    t = first
    while t <= hi + step * 1e-9:
        ticks.append(round(t, 10))
        t += step
    if ticks[-1] < hi:
        ticks.append(round(t, 10))
    return ticks


def duration_axis(span_s: float) -> tuple[float, str]:
    """Divisor and unit name for an elapsed-time axis of this span."""
    if span_s >= 3 * 3600:
        return 3600.0, "h"
    if span_s >= 180:
        return 60.0, "min"
    return 1.0, "s"


def decimate(points: list[tuple[float, float]], limit: int = MAX_POINTS) -> list[tuple[float, float]]:
    """At most about `limit` points; each bucket keeps its lowest and highest sample in time order."""
    if len(points) <= limit:
        return points
    size = math.ceil(len(points) / (limit // 2))
    out: list[tuple[float, float]] = []
    for i in range(0, len(points), size):
        bucket = points[i : i + size]
        lo = min(bucket, key=lambda p: p[1])
        hi = max(bucket, key=lambda p: p[1])
        out.extend(sorted({lo, hi}))
    return out


# --- time axis shared by line and state charts -------------------------------------------------
W = 860
LEFT, RIGHT, TOP, BOTTOM = 62, 16, 30, 46
LEGEND_ROW = 16
STATE_ROW = 20
STATE_LEFT = 230


@dataclass
class TimeAxis:
    left: float
    width: float
    ticks: list[float]  # seconds
    divisor: float
    unit: str

    @classmethod
    def of(cls, series: list[Series], left: float, width: float) -> TimeAxis:
        span = max([1.0, *(x for s in series for x, _ in s.points)])
        div, unit = duration_axis(span)
        return cls(left, width, [t * div for t in nice_ticks(0, span / div, 6)], div, unit)

    def px(self, x: float) -> float:
        return self.left + x / self.ticks[-1] * self.width  # the axis ends on a labelled tick

    def svg(self, y: float, start_label: str) -> list[str]:
        out = []
        for t in self.ticks:
            x = self.px(t)
            out.append(f'<line x1="{x:.1f}" y1="{y}" x2="{x:.1f}" y2="{y + 4}" stroke="#888"/>')
            out.append(f'<text x="{x:.1f}" y="{y + 16}" text-anchor="middle">{fmt(t / self.divisor)}</text>')
        axis = f"time ({self.unit})" + (f" since {start_label}" if start_label else "")
        out.append(f'<text x="{self.left + self.width / 2:.1f}" y="{y + 32}" text-anchor="middle" '
                   f'fill="#444">{esc(axis)}</text>')
        return out


def _open(title: str, unit: str, height: float, x: float) -> list[str]:
    return [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {W} {height:.0f}" width="{W}" '
            f'height="{height:.0f}" role="img" aria-label="{esc(title)}" font-family="sans-serif" font-size="11">',
            f'<text x="{x}" y="18" font-size="13" font-weight="bold">{esc(title)}'
            f'{f" ({esc(unit)})" if unit else ""}</text>']


def chart_svg(chart: LineChart) -> str:
    """State series (0/1 with y_labels) as lanes; everything else as lines."""
    return state_chart_svg(chart) if chart.y_labels else line_chart_svg(chart)


# --- line chart --------------------------------------------------------------------------------
def line_chart_svg(chart: LineChart) -> str:
    series = [s for s in chart.series if s.points][:MAX_SERIES]
    legend_rows = math.ceil(len(series) / 2)
    frame_h = chart.height
    height = frame_h + 6 + legend_rows * LEGEND_ROW
    plot_w, plot_h = W - LEFT - RIGHT, frame_h - TOP - BOTTOM
    axis = TimeAxis.of(series, LEFT, plot_w)
    ys = [y for s in series for y in s.ys] or [0.0]
    y_ticks = nice_ticks(min(ys + [t.value for t in chart.thresholds]), max(ys + [t.value for t in chart.thresholds]))
    y_lo, y_hi = y_ticks[0], y_ticks[-1]

    def py(y: float) -> float:
        return TOP + (1 - (y - y_lo) / (y_hi - y_lo)) * plot_h

    out = _open(chart.title, chart.unit, height, LEFT)
    out.append(f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="#fbfbfb" stroke="#888"/>')
    for t in y_ticks:
        y = py(t)
        out.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + plot_w}" y2="{y:.1f}" stroke="#e2e2e2"/>')
        out.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{fmt(t)}</text>')
    out += axis.svg(TOP + plot_h, chart.start_label)
    for th in chart.thresholds:
        y = py(th.value)
        colour = FAIL_COLOUR if th.severity == "fail" else WARN_COLOUR
        out.append(f'<line class="threshold" x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + plot_w}" y2="{y:.1f}" '
                   f'stroke="{colour}" stroke-width="1.5" stroke-dasharray="6 4"/>')
        out.append(f'<text x="{LEFT + plot_w - 4}" y="{y - 4:.1f}" text-anchor="end" fill="{colour}">'
                   f'{esc(th.label)}</text>')
    for i, s in enumerate(series):
        colour = PALETTE[i % len(PALETTE)]
        pts = decimate(s.points)
        coords = " ".join(f"{axis.px(x):.1f},{py(y):.1f}" for x, y in pts)
        if len(pts) > 1:
            out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{coords}"/>')
        if len(pts) <= 40:  # few samples: show each one, so a single sample is visible at all
            out.extend(f'<circle cx="{axis.px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{colour}"/>' for x, y in pts)
        lx = LEFT + (i % 2) * (plot_w / 2)
        ly = frame_h + 16 + (i // 2) * LEGEND_ROW
        out.append(f'<rect x="{lx:.1f}" y="{ly - 9}" width="14" height="4" fill="{colour}"/>')
        out.append(f'<text x="{lx + 20:.1f}" y="{ly - 4}">{esc(s.label[:60])}</text>')
    out.append("</svg>")
    return "\n".join(out)


# --- state lanes: one row per fan or PSU, green while ok, red while failed -----------------------
def state_chart_svg(chart: LineChart) -> str:
    series = [s for s in chart.series if s.points]
    labels = chart.y_labels or {}
    plot_w = W - STATE_LEFT - RIGHT
    axis = TimeAxis.of(series, STATE_LEFT, plot_w)
    axis_y = TOP + len(series) * STATE_ROW
    out = _open(chart.title, chart.unit, axis_y + 58, 8)
    for i, s in enumerate(series):
        y = TOP + i * STATE_ROW
        out.append(f'<text x="{STATE_LEFT - 6}" y="{y + 14}" text-anchor="end">{esc(s.label[:40])}</text>')
        pts = decimate(s.points)
        for j, (x, v) in enumerate(pts):
            # Each sample holds until the next one; the last is drawn as a short mark.
            x_end = pts[j + 1][0] if j + 1 < len(pts) else x
            x0, x1 = axis.px(x), max(axis.px(x_end), axis.px(x) + 3)
            colour = PASS_COLOUR if v >= 1 else FAIL_COLOUR
            out.append(f'<rect class="state-{"ok" if v >= 1 else "failed"}" x="{x0:.1f}" y="{y + 3}" '
                       f'width="{x1 - x0 + 0.6:.1f}" height="{STATE_ROW - 6}" fill="{colour}"/>')  # no hairline gaps
    out.append(f'<line x1="{STATE_LEFT}" y1="{axis_y}" x2="{STATE_LEFT + plot_w}" y2="{axis_y}" stroke="#888"/>')
    out += axis.svg(axis_y, chart.start_label)
    key = "; ".join(f"{'green' if v >= 1 else 'red'} = {name}" for v, name in sorted(labels.items(), reverse=True))
    out.append(f'<text x="8" y="{axis_y + 50}" fill="#444">{esc(key)}</text>')
    out.append("</svg>")
    return "\n".join(out)


# --- bar chart of readings against their thresholds --------------------------------------------
BAR_ROW = 24
BAR_LEFT = 210


def bar_chart_svg(title: str, unit: str, bars: list[Bar]) -> str:
    height = TOP + len(bars) * BAR_ROW + 42
    plot_w = W - BAR_LEFT - 70
    limits = [v for b in bars for v in (b.value, b.warn_at, b.fail_at) if v is not None]
    lo = min(0.0, *limits)
    ticks = nice_ticks(lo, max(limits) if limits else 1.0)
    lo, hi = ticks[0], ticks[-1]

    def px(v: float) -> float:
        return BAR_LEFT + (v - lo) / (hi - lo) * plot_w

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {W} {height}" width="{W}" '
           f'height="{height}" role="img" aria-label="{esc(title)}" font-family="sans-serif" font-size="11">',
           f'<text x="8" y="18" font-size="13" font-weight="bold">{esc(title)} ({esc(unit)})</text>']
    axis_y = TOP + len(bars) * BAR_ROW
    for t in ticks:
        x = px(t)
        out.append(f'<line x1="{x:.1f}" y1="{TOP - 4}" x2="{x:.1f}" y2="{axis_y}" stroke="#e2e2e2"/>')
        out.append(f'<text x="{x:.1f}" y="{axis_y + 14}" text-anchor="middle">{fmt(t)}</text>')
    for i, b in enumerate(bars):
        y = TOP + i * BAR_ROW
        colour = {"fail": FAIL_COLOUR, "warn": WARN_COLOUR}.get(b.state, PALETTE[0])
        out.append(f'<text x="{BAR_LEFT - 6}" y="{y + 14}" text-anchor="end">{esc(b.label[:34])}</text>')
        x0, x1 = px(max(lo, 0.0)), px(b.value)
        out.append(f'<rect x="{min(x0, x1):.1f}" y="{y + 4}" width="{max(abs(x1 - x0), 1):.1f}" height="14" '
                   f'fill="{colour}"/>')
        out.append(f'<text x="{max(x0, x1) + 4:.1f}" y="{y + 15}">{fmt(b.value)}</text>')
        for at, c in ((b.warn_at, WARN_COLOUR), (b.fail_at, FAIL_COLOUR)):
            if at is not None:
                out.append(f'<line class="threshold" x1="{px(at):.1f}" y1="{y + 1}" x2="{px(at):.1f}" '
                           f'y2="{y + 21}" stroke="{c}" stroke-width="3"/>')
    out.append(f'<line x1="{BAR_LEFT}" y1="{axis_y}" x2="{BAR_LEFT + plot_w}" y2="{axis_y}" stroke="#888"/>')
    key_y = axis_y + 30
    out.append(f'<line x1="{BAR_LEFT}" y1="{key_y - 10}" x2="{BAR_LEFT}" y2="{key_y + 2}" stroke="{WARN_COLOUR}" '
               f'stroke-width="3"/><text x="{BAR_LEFT + 6}" y="{key_y}">warning threshold</text>')
    out.append(f'<line x1="{BAR_LEFT + 140}" y1="{key_y - 10}" x2="{BAR_LEFT + 140}" y2="{key_y + 2}" '
               f'stroke="{FAIL_COLOUR}" stroke-width="3"/><text x="{BAR_LEFT + 146}" y="{key_y}">'
               f'failure threshold (the device\'s own)</text>')
    out.append("</svg>")
    return "\n".join(out)
