"""burnin (servers): CPU and memory stress for the plan's duration while sampling, then a verdict.

Two paths, and the evidence says which ran:
- `agent`: `bench agent` on the unit (found by running it briefly) streams JSON lines over the
  channel: psutil samples, EDAC counts, machine-check/thermal event totals and memory-pattern passes.
- `shell`: no agent answers; a bounded `timeout`-limited busy loop per core loads the CPUs and the
  bench samples /proc, hwmon and EDAC sysfs over the same shell. No memory pattern check there.
Neither (no channel, or no /proc to read) -> NOT_RUN with the reason.

Params: `duration` (s or "90m"; `bench run --burnin` overrides it), `interval` (s between samples),
`stress_cpu` (default true), `stress_mem` (share of RAM, default 0.9), `max_temp_c` (default 90;
a sensor's own critical limit counts too), `ce_per_hour_fail` (default 10), `agent` (the command
that runs bench on the unit; default tries `bench` then `python3 -m bench.cli`).

FAIL: a temperature at/over its limit; any memory-pattern mismatch; uncorrected EDAC errors
growing; corrected ones growing at a failing rate (slower growth WARNs); a machine-check or
thermal event during the run. Every numeric reading is stored as telemetry.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any

from bench.drivers.channel import STREAM, has
from bench.model import Outcome, TestResult
from bench.tests_hw.base import ChannelMissing, TestContext, declare, result
from bench.tests_hw.burnin import burnin_watchdog, seconds
from bench.tests_hw.server.shell import not_run, now

NAME = "burnin"
AGENT_CANDIDATES = ("bench", "python3 -m bench.cli")
_FALLBACK_SAMPLE = ("head -1 /proc/stat; grep -E '^(MemTotal|MemAvailable):' /proc/meminfo; "
                    "grep -H . /sys/class/hwmon/hwmon*/name /sys/class/hwmon/hwmon*/temp*_input "
                    "/sys/class/hwmon/hwmon*/temp*_crit /sys/class/hwmon/hwmon*/temp*_label "
                    "/sys/devices/system/edac/mc/mc*/ce_count /sys/devices/system/edac/mc/mc*/ue_count "
                    "2>/dev/null; grep -E 'Machine check exceptions|Thermal event interrupts' /proc/interrupts")


@dataclass
class Verdict:
    """Everything judged so far, agent or shell path alike."""

    max_temp: float
    ce_per_hour_fail: float
    fails: list[str] = field(default_factory=list)
    warns: list[str] = field(default_factory=list)
    stats: dict[str, dict[str, float]] = field(default_factory=dict)
    first: dict[str, int] = field(default_factory=dict)  # counters at the first sample: edac_ce, mce...
    last: dict[str, int] = field(default_factory=dict)
    hot: set[str] = field(default_factory=set)
    samples: int = 0
    first_t: float | None = None
    last_t: float | None = None
    mem_passes: int = 0
    mem_bytes: int = 0
    mismatches: int = 0
    problems: list[str] = field(default_factory=list)
    ignored_lines: int = 0

    def stat(self, metric: str, value: float) -> None:
        st = self.stats.setdefault(metric, {"min": value, "max": value, "last": value, "n": 0})
        st["min"], st["max"], st["last"] = min(st["min"], value), max(st["max"], value), value
        st["n"] += 1

    def problem(self, text: str) -> None:
        if len(self.problems) < 20 and text not in self.problems:
            self.problems.append(text[:200])


def metrics(rec: dict[str, Any]) -> dict[str, float]:
    """The numbers of one sample worth a telemetry row."""
    out: dict[str, float] = {}
    cores = [float(x) for x in rec.get("cpu_percent") or [] if isinstance(x, int | float)]
    if cores:
        out["cpu_min_pct"], out["cpu_avg_pct"] = min(cores), sum(cores) / len(cores)
    mem = rec.get("mem") or {}
    if isinstance(mem.get("percent"), int | float):
        out["mem_used_pct"] = float(mem["percent"])
    for chip, entries in (rec.get("temps") or {}).items():
        for i, e in enumerate(entries if isinstance(entries, list) else []):
            if isinstance(e, dict) and isinstance(e.get("current"), int | float):
                out[f"temp:{chip}/{e.get('label') or i}"] = float(e["current"])
    for chip, entries in (rec.get("fans") or {}).items():
        for i, e in enumerate(entries if isinstance(entries, list) else []):
            if isinstance(e, dict) and isinstance(e.get("current"), int | float):
                out[f"fan:{chip}/{e.get('label') or i}"] = float(e["current"])
    for key, value in (rec.get("edac") or {}).items():
        if isinstance(value, int):
            out[f"edac_{key}"] = float(value)
    for key, value in (rec.get("events") or {}).items():
        if isinstance(value, int):
            out[f"events_{key}"] = float(value)
    return out


def judge_sample(v: Verdict, rec: dict[str, Any]) -> None:
    v.samples += 1
    t = rec.get("t")
    if isinstance(t, int | float):
        v.first_t = t if v.first_t is None else v.first_t
        v.last_t = t
    for chip, entries in (rec.get("temps") or {}).items():
        for i, e in enumerate(entries if isinstance(entries, list) else []):
            if not isinstance(e, dict) or not isinstance(e.get("current"), int | float):
                continue
            name, cur = f"{chip}/{e.get('label') or i}", float(e["current"])
            crit = e.get("critical") if isinstance(e.get("critical"), int | float) and e["critical"] > 0 else None
            limit = min(v.max_temp, float(crit)) if crit else v.max_temp
            if cur >= limit and name not in v.hot:
                v.hot.add(name)
                v.fails.append(f"{name} reached {cur:g} C (limit {limit:g} C)")
    counters = {f"edac_{k}": n for k, n in (rec.get("edac") or {}).items() if isinstance(n, int)}
    counters |= {k: n for k, n in (rec.get("events") or {}).items() if isinstance(n, int)}
    for key, n in counters.items():
        v.first.setdefault(key, n)
        v.last[key] = n


def judge_record(v: Verdict, rec: dict[str, Any]) -> None:
    kind = rec.get("type")
    if kind == "sample":
        judge_sample(v, rec)
    elif kind == "mem":
        v.mem_passes += 1
        v.mem_bytes = max(v.mem_bytes, int(rec.get("bytes") or 0))
        bad = rec.get("mismatches") or []
        if bad:
            v.mismatches += len(bad)
            v.fails.append(f"memory pattern {rec.get('pattern')} mismatched in {len(bad)} chunk(s) on pass "
                           f"{rec.get('pass')}")
    elif kind == "error":
        v.warns.append(f"agent: {rec.get('what', '')} {rec.get('error', '')}".strip())


def conclude(v: Verdict, duration: float) -> tuple[Outcome, str]:
    hours = max((v.last_t or 0) - (v.first_t or 0), 1.0) / 3600
    for key, label in (("edac_ue", "uncorrected memory errors"), ("mce", "machine-check exceptions"),
                       ("thermal", "thermal events")):
        grown = v.last.get(key, 0) - v.first.get(key, 0)
        if grown > 0:
            v.fails.append(f"{grown} new {label} during the burn-in")
    ce = v.last.get("edac_ce", 0) - v.first.get("edac_ce", 0)
    if ce > 0:
        rate = ce / hours
        (v.fails if rate >= v.ce_per_hour_fail else v.warns).append(
            f"{ce} new corrected memory errors during the burn-in ({rate:.0f}/h)")
    if v.fails:
        return Outcome.FAIL, "; ".join(dict.fromkeys(v.fails))
    if v.samples == 0:
        return Outcome.ERROR, f"no sample came back: {v.problems[0] if v.problems else 'no output'}"
    if not any(m.startswith("temp:") for m in v.stats):
        v.warns.append("no temperature readings: overheating could not be detected")
    if "edac_ce" not in v.stats:
        v.warns.append("no EDAC counters: memory errors could not be counted")
    if v.warns:
        return Outcome.WARN, "; ".join(dict.fromkeys(v.warns))
    return Outcome.PASS, (f"{v.samples} samples over {duration:g}s under stress: temperatures within limits, "
                          "no memory or machine-check errors")


async def _record(ctx: TestContext, v: Verdict, rec: dict[str, Any]) -> None:
    for metric, value in metrics(rec).items():
        v.stat(metric, value)
        if ctx.record_telemetry is not None:
            try:
                await ctx.record_telemetry(metric, value)
            except Exception as exc:  # the store failing must not end the burn-in
                v.problem(f"telemetry: {type(exc).__name__}: {exc}")


# ---- the agent path ---------------------------------------------------------------------------


def agent_args(duration: float, interval: float, stress_cpu: bool, stress_mem: float) -> str:
    args = f"agent --duration {duration:g}s --interval {interval:g}s"
    args += " --stress-cpu" if stress_cpu else ""
    args += f" --stress-mem {stress_mem:g}" if stress_mem > 0 else ""
    return args


async def find_agent(ctx: TestContext, candidates: list[str]) -> tuple[str, list[str]]:
    """The first command whose `agent` answers with a JSON start line, and why the others did not."""
    assert ctx.cli is not None
    tried = []
    for cand in candidates:
        try:
            out = await ctx.cli.send(f"{cand} agent --duration 0.3s --interval 0.1s", timeout=60)
        except ChannelMissing:
            raise
        except Exception as exc:  # noqa: BLE001 - a failed try is evidence, the next path still runs
            tried.append(f"{cand}: {type(exc).__name__}: {exc}"[:200])
            continue
        if re.search(r'"type"\s*:\s*"start"', out):
            return cand, tried
        tried.append(f"{cand}: {(out.strip().splitlines() or ['no output'])[-1][:160]}")
    return "", tried


async def run_agent(ctx: TestContext, v: Verdict, command: str, timeout: float) -> str:
    """Streams the agent; returns "" or what went wrong with the stream itself."""
    ended = False
    async for line in ctx.cli.stream(command, timeout):  # type: ignore[union-attr]
        if not line.startswith("{"):
            v.ignored_lines += 1
            continue
        try:
            rec = json.loads(line)
        except ValueError:
            v.ignored_lines += 1
            continue
        if not isinstance(rec, dict):
            continue
        judge_record(v, rec)
        if rec.get("type") == "sample":
            await _record(ctx, v, rec)
        ended = ended or rec.get("type") == "end"
    return "" if ended else "the agent stopped without its end record"


# ---- the shell path ---------------------------------------------------------------------------


def parse_fallback(text: str, prev_cpu: tuple[int, int] | None) -> tuple[dict[str, Any], tuple[int, int] | None]:
    """One shell sample in the agent's shape, and the CPU counters for the next delta."""
    rec: dict[str, Any] = {"type": "sample", "t": time.time()}
    cpu: tuple[int, int] | None = None
    mem: dict[str, int] = {}
    hw: dict[str, dict[str, str]] = {}
    edac = {"ce": 0, "ue": 0}
    seen_edac = False
    events: dict[str, int] = {}
    for line in text.splitlines():
        if line.startswith("cpu "):
            ticks = [int(x) for x in line.split()[1:] if x.isdigit()]
            if len(ticks) >= 4:
                idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)
                cpu = (sum(ticks), idle)
        elif line.startswith(("MemTotal:", "MemAvailable:")):
            parts = line.split()
            if len(parts) >= 2 and parts[1].isdigit():
                mem[parts[0].rstrip(":")] = int(parts[1]) * 1024
        elif line.startswith("/sys/class/hwmon/"):
            m = re.match(r"/sys/class/hwmon/(hwmon\d+)/(\w+):(.*)$", line)
            if m:
                hw.setdefault(m.group(1), {})[m.group(2)] = m.group(3).strip()
        elif line.startswith("/sys/devices/system/edac/"):
            m = re.match(r".*/(ce|ue)_count:(\d+)$", line)
            if m:
                edac[m.group(1)] += int(m.group(2))
                seen_edac = True
        elif line.rstrip().endswith(("Machine check exceptions", "Thermal event interrupts")):
            key = "mce" if "Machine" in line else "thermal"
            events[key] = sum(int(x) for x in line.split(":", 1)[-1].split() if x.isdigit())
    if cpu and prev_cpu and cpu[0] > prev_cpu[0]:
        busy = 1 - (cpu[1] - prev_cpu[1]) / (cpu[0] - prev_cpu[0])
        rec["cpu_percent"] = [round(100 * max(0.0, busy), 1)]
    if "MemTotal" in mem and "MemAvailable" in mem:
        used = mem["MemTotal"] - mem["MemAvailable"]
        rec["mem"] = {"total": mem["MemTotal"], "available": mem["MemAvailable"],
                      "percent": round(100 * used / mem["MemTotal"], 1)}
    temps: dict[str, list[dict[str, Any]]] = {}
    for chip, files in hw.items():
        name = files.get("name", chip)
        for key, value in sorted(files.items()):
            m = re.fullmatch(r"temp(\d+)_input", key)
            if m and value.lstrip("-").isdigit():
                n = m.group(1)
                entry: dict[str, Any] = {"label": files.get(f"temp{n}_label", f"temp{n}"),
                                         "current": int(value) / 1000}
                crit = files.get(f"temp{n}_crit", "")
                if crit.isdigit() and int(crit) > 0:
                    entry["critical"] = int(crit) / 1000
                temps.setdefault(f"{name}.{chip}", []).append(entry)
    rec["temps"] = temps
    if seen_edac:
        rec["edac"] = edac
    if events:
        rec["events"] = events
    return rec, cpu


async def run_shell(ctx: TestContext, v: Verdict, duration: float, interval: float, stress_cpu: bool) -> str:
    """Shell stress and sampling; returns "" or why the shell path cannot run at all."""
    assert ctx.cli is not None
    pids: list[str] = []
    first = await ctx.cli.send(_FALLBACK_SAMPLE, timeout=60)
    rec, prev = parse_fallback(first, None)
    if prev is None:
        return f"no /proc/stat to sample on the unit ({(first.strip().splitlines() or ['no output'])[0][:120]})"
    if stress_cpu:
        # Bounded by `timeout`: the loops end by themselves even if the bench loses the session.
        out = await ctx.cli.send(f"for i in $(seq $(nproc)); do timeout {int(duration) + 5}s sh -c "
                                 "'while :; do :; done' >/dev/null 2>&1 & echo \"stress-pid $!\"; done", timeout=60)
        pids = re.findall(r"^stress-pid (\d+)$", out, re.M)
        if not pids:
            v.warns.append(f"CPU stress did not start: {out.strip()[:120]}")
    try:
        t0 = time.monotonic()
        tick = t0
        while time.monotonic() - t0 < duration:
            tick += interval
            await _sleep_until(tick)
            text = await ctx.cli.send(_FALLBACK_SAMPLE, timeout=60)
            rec, prev = parse_fallback(text, prev)
            judge_record(v, rec)
            await _record(ctx, v, rec)
    finally:
        if pids:
            await ctx.cli.send("kill " + " ".join(pids) + " 2>/dev/null; true", timeout=30)
    return ""


async def _sleep_until(t: float) -> None:
    await asyncio.sleep(max(0.0, t - time.monotonic()))  # the sampling interval, not a device wait


# ---- the test ---------------------------------------------------------------------------------


@declare(watchdog=burnin_watchdog, run_inputs={"duration": "burnin"})
async def run(ctx: TestContext) -> TestResult:
    started = now()
    if ctx.cli is None:
        return not_run(NAME, started, "no shell channel (SSH or local) to this unit")
    p = ctx.params
    duration = seconds(p.get("duration"), 3600.0)
    interval = max(0.1, seconds(p.get("interval"), 30.0))
    interval = min(interval, max(duration / 3, 0.1))  # at least two samples however short the run
    stress_cpu = bool(p.get("stress_cpu", True))
    stress_mem = float(p.get("stress_mem", 0.9))
    v = Verdict(max_temp=float(p.get("max_temp_c", 90)), ce_per_hour_fail=float(p.get("ce_per_hour_fail", 10)))
    given = str(p.get("agent") or "")
    candidates = [given] if given else list(AGENT_CANDIDATES)
    evidence: dict[str, Any] = {"duration_s": duration, "interval_s": interval, "stress_cpu": stress_cpu}
    t0 = time.monotonic()
    try:
        found, tried = (await find_agent(ctx, candidates)) if has(ctx.cli, STREAM) else ("", [
            "this channel cannot stream a command's output"])
        t0 = time.monotonic()
        if found:
            command = f"{found} {agent_args(duration, interval, stress_cpu, stress_mem)}"
            evidence |= {"path": "agent", "command": command, "stress_mem": stress_mem}
            trouble = await run_agent(ctx, v, command, duration + 120)
        else:
            evidence |= {"path": "shell", "agent_missing": tried,
                         "memory_pattern": "not run: the memory pattern check needs the agent on the unit"}
            trouble = await run_shell(ctx, v, duration, interval, stress_cpu)
            if trouble:
                return not_run(NAME, started, f"neither the agent ({'; '.join(tried)[:200]}) nor the shell "
                               f"fallback can run: {trouble}", **evidence)
        if trouble:
            v.problem(trouble)
    except ChannelMissing as exc:
        return not_run(NAME, started, str(exc))
    except Exception as exc:  # noqa: BLE001 - a lost session mid-run: what was sampled stays evidence
        evidence |= _summary(v, t0)
        return result(NAME, Outcome.ERROR, f"{type(exc).__name__}: {exc}"[:300], started, **evidence)
    outcome, summary = conclude(v, duration)
    if outcome is Outcome.PASS and v.problems:
        outcome, summary = Outcome.WARN, f"{summary}; {v.problems[0]}"
    evidence |= _summary(v, t0)
    return result(NAME, outcome, summary[:500], started, **evidence)


def _summary(v: Verdict, t0: float) -> dict[str, Any]:
    out: dict[str, Any] = {
        "elapsed_s": round(time.monotonic() - t0, 1), "samples": v.samples,
        "metrics": {m: {k: round(x, 2) for k, x in st.items()} for m, st in sorted(v.stats.items())},
        "counters": {k: {"first": v.first[k], "last": v.last.get(k)} for k in v.first},
        "mem_stress": {"passes": v.mem_passes, "bytes": v.mem_bytes, "mismatches": v.mismatches},
    }
    if v.problems:
        out["problems"] = v.problems
    if v.ignored_lines:
        out["ignored_lines"] = v.ignored_lines
    return out

