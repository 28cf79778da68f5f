"""burnin: keep the unit powered and poll it - uptime, environment, port error counters - for hours.

Params: `duration` seconds (or "90m", "24h"; `bench run --burnin 120s` sets it), `interval` seconds,
`error_fail_threshold` (error counter growth per port and counter above which it is a FAIL, not a WARN),
`reconnect_grace` (seconds to keep trying after the duration when the unit went silent: a reboot shows
only once it answers again). The grace is for a unit that is rebooting: when the unit goes silent, its
console (else its CLI) is asked why, and a unit known not to come back (the console shows ROMMON or a
failed boot, or stays dark: power lost) ends the burn-in at once with that cause.

Judgement: uptime going backwards (or less time than has passed since the last sample) is an
unexpected reboot = FAIL; a reading turning FAIL = FAIL with when; error counters growing = WARN
(FAIL past the threshold). The session dropping because the unit rebooted is the unit's fault (FAIL),
not the bench's: sampling goes on and the next sample shows the reboot. Every numeric reading goes to
telemetry; the evidence keeps min/max/last per metric, and `findings` says when each finding was first
seen (wall time and offset from the burn-in's start): a fault is reported at the sample that saw it.

Polling: with an SNMP channel, uptime, IF-MIB error counters and link state, and the environment
(CISCO-ENVMON-MIB / ENTITY-SENSOR-MIB) come over SNMP through the fast poller (bench.drivers.snmp_poll,
gufo-snmp when installed); the CLI collectors fill in only what SNMP did not answer (vendor env MIBs
the bench does not read, agents without IF-MIB), and carry the whole sample when there is no SNMP.
"""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bench.drivers import snmp_poll
from bench.drivers.console.machine import ConsoleStuck
from bench.model import Outcome, Reading, SensorState, TestResult, utc_now
from bench.platforms import platform_for
from bench.tests_hw import environment
from bench.tests_hw.base import ChannelMissing, TestContext, UnitNotBooted, declare, result
from bench.tests_hw.ports import ERROR_COUNTERS

NAME = "burnin"
SYS_UPTIME = "1.3.6.1.2.1.1.3.0"
IF_DESCR = "1.3.6.1.2.1.2.2.1.2"
IF_OPER_STATUS = "1.3.6.1.2.1.2.2.1.8"
IF_IN_ERRORS = "1.3.6.1.2.1.2.2.1.14"
IF_OUT_ERRORS = "1.3.6.1.2.1.2.2.1.20"
DOT3_FCS_ERRORS = "1.3.6.1.2.1.10.7.2.1.3"  # EtherLike-MIB dot3StatsFCSErrors: the CRC counter
_SNMP_COUNTERS = (("input_errors", IF_IN_ERRORS), ("output_errors", IF_OUT_ERRORS), ("crc", DOT3_FCS_ERRORS))
MAX_FINDINGS = 50
_WRAP_S = 2**32 / 100  # sysUpTime is TimeTicks: it wraps after ~497 days
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def seconds(value: Any, default: float) -> float:
    """120, 120.0, "120", "120s", "90m", "24h" -> seconds; anything else -> default."""
    if isinstance(value, int | float):
        return float(value)
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", str(value or "").lower())
    return float(m.group(1)) * _UNITS[m.group(2)] if m else default


def burnin_watchdog(params: dict[str, Any]) -> float:
    """The burn-in itself, the grace for a unit that reboots mid-way, and a margin."""
    return seconds(params.get("duration"), 3600) + seconds(params.get("reconnect_grace"), 600) + 300


def _wall(t: float, timespec: str = "seconds") -> str:
    return datetime.fromtimestamp(t, UTC).isoformat(timespec=timespec).replace("+00:00", "Z")


def shows(fault: str, finding: dict[str, Any]) -> bool:
    """Whether `finding` is the burn-in's sign of `fault` (fan_failed, overtemp, reboot, crc_errors, as
    `bench sim --faults` names them): what the fleet benchmark and the timeline test hold findings to."""
    text = finding["finding"]
    return {"fan_failed": text.startswith("fan ") and finding["state"] == "FAIL",
            "overtemp": text.startswith("temperature ") and finding["state"] in ("WARN", "FAIL"),
            # the unit going silent is the first sign; the uptime names the reboot once it answers again
            "reboot": text in ("unexpected reboot", "lost contact with the unit"),
            "crc_errors": text.endswith(("crc growing", "input_errors growing"))}[fault]


@dataclass
class Sample:
    wall: float  # when the sample began
    mono: float
    # When its readings were all in: what a finding is dated by (a slow sample may read a fault that
    # happened after it began).
    read_wall: float = 0.0
    read_mono: float = 0.0
    uptime: float | None = None
    uptime_source: str = ""
    readings: list[Reading] = field(default_factory=list)
    counters: dict[str, dict[str, int]] = field(default_factory=dict)  # port -> counter -> value
    linked: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)
    counters_missed: str = ""  # why this sample's SNMP counter read failed (see Burn.counters_gap)
    sources: dict[str, str] = field(default_factory=dict)  # uptime/environment/counters -> snmp or cli

    @property
    def answered(self) -> bool:
        return self.uptime is not None or bool(self.readings) or bool(self.counters)


async def _snmp_uptime(poll: Any, s: Sample) -> bool:
    """sysUpTime over SNMP; False when the agent did not answer (then no other SNMP read is tried)."""
    try:
        ticks = (await poll.get(SYS_UPTIME)).get(SYS_UPTIME)
    except Exception as exc:  # an unanswered poll is a gap in the series, not the end of the test
        s.problems.append(f"SNMP: {type(exc).__name__}: {exc}"[:200])
        return False
    if ticks is None:
        s.problems.append("sysUpTime absent")
    else:
        s.uptime, s.uptime_source = int(ticks) / 100.0, "snmp"
        s.sources["uptime"] = "snmp"
    return True


def _column(walk: dict[str, Any], column: str) -> dict[str, Any]:
    prefix = column + "."
    return {oid[len(prefix):]: v for oid, v in walk.items() if oid.startswith(prefix)}


async def _snmp_counters(poll: Any, s: Sample, cli_fallback: bool) -> bool:
    """IF-MIB error counters and link state per interface (named by ifDescr), CRC from EtherLike-MIB.

    Without EtherLike-MIB SNMP has no CRC counter; when a CLI collector can read it, the CLI carries the
    counters instead (mixing sources would count one port twice under two names)."""
    try:
        fcs = _column(await poll.walk(DOT3_FCS_ERRORS), DOT3_FCS_ERRORS)
        if not fcs and cli_fallback:
            return False
        names = _column(await poll.walk(IF_DESCR), IF_DESCR)
        if not names:
            return not cli_fallback
        oper = _column(await poll.walk(IF_OPER_STATUS), IF_OPER_STATUS)
        cols = {key: _column(await poll.walk(oid), oid) for key, oid in _SNMP_COUNTERS if oid != DOT3_FCS_ERRORS}
    except Exception as exc:
        s.counters_missed = f"SNMP counters: {type(exc).__name__}: {exc}"[:200]
        return True
    cols["crc"] = fcs
    for index, name in names.items():
        port = str(name)
        got = {key: v for key, col in cols.items() if isinstance(v := col.get(index), int)}
        if got:
            s.counters[port] = got
        if oper.get(index) == 1:
            s.linked.add(port)
    if s.counters:
        s.sources["counters"] = "snmp"
    return True


async def _snmp_environment(poll: Any, s: Sample, cli_fallback: bool) -> bool:
    """Fans, PSUs and temperatures over SNMP. False when the agent's MIBs miss a class that the CLI
    collector can read: then the CLI carries the environment (a dead PSU must not go unwatched)."""
    try:
        readings, _ = await environment.read_snmp(poll)
    except RuntimeError as exc:
        s.problems.append(str(exc)[:200])
        return True
    if cli_fallback and {r.kind for r in readings} < set(environment.CLASSES):
        return False
    if readings:
        s.readings = readings
        s.sources["environment"] = "snmp"
    return True


async def _cli_uptime(ctx: TestContext, platform: Any, s: Sample) -> None:
    if platform is None or not hasattr(platform, "identity"):
        return
    try:
        ident = await platform.identity(ctx)
    except Exception as exc:
        s.problems.append(f"identity: {type(exc).__name__}: {exc}"[:200])
        return
    s.problems.extend(ident.problems)
    if ident.uptime_seconds is not None:
        s.uptime, s.uptime_source = float(ident.uptime_seconds), "cli"
        s.sources["uptime"] = "cli"


async def _take(ctx: TestContext, platform: Any, poll: Any = None, cli_only: set[str] | None = None) -> Sample:
    """One sample. `cli_only` names what SNMP turned out not to carry for this unit ("counters",
    "environment"): it is left to the CLI from then on instead of being asked again every sample."""
    ctx.cache.clear()  # a sample must be fresh; nothing read before may stand in for it
    s = Sample(wall=time.time(), mono=time.monotonic())
    await _read(ctx, platform, poll, cli_only if cli_only is not None else set(), s)
    s.read_wall, s.read_mono = time.time(), time.monotonic()
    return s


async def _read(ctx: TestContext, platform: Any, poll: Any, cli_only: set[str], s: Sample) -> None:
    if poll is not None and await _snmp_uptime(poll, s):
        if "counters" not in cli_only and not await _snmp_counters(
                poll, s, cli_fallback=platform is not None and hasattr(platform, "ports")):
            cli_only.add("counters")
        if "environment" not in cli_only and not await _snmp_environment(
                poll, s, cli_fallback=platform is not None and hasattr(platform, "environment")):
            cli_only.add("environment")
    if s.uptime is None:
        await _cli_uptime(ctx, platform, s)
    if platform is None:
        return
    # The CLI collectors only for what SNMP did not give.
    for what in ("environment", "ports"):
        if s.sources.get("counters" if what == "ports" else what) == "snmp":
            continue
        fn = getattr(platform, what, None)
        if fn is None:
            s.problems.append(f"the platform has no {what} collector")
            continue
        try:
            got = await fn(ctx)
        except Exception as exc:  # a collector that breaks costs its readings, not the burn-in
            s.problems.append(f"{what}: {type(exc).__name__}: {exc}"[:200])
            continue
        s.problems.extend(got.problems)
        if what == "environment":
            s.readings = list(got.readings)
            if s.readings:
                s.sources["environment"] = "cli"
        else:
            for p in got.ports:
                if p.counters:
                    s.counters[p.name] = {c: v for c, v in p.counters.items() if c in ERROR_COUNTERS}
                if p.link_up:
                    s.linked.add(p.name)
            if s.counters:
                s.sources["counters"] = "cli"


@dataclass
class Burn:
    """Everything judged so far."""

    fail_threshold: int
    fails: list[str] = field(default_factory=list)
    warns: list[str] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    problems: dict[str, None] = field(default_factory=dict)  # ordered set
    stats: dict[str, dict[str, float]] = field(default_factory=dict)
    growth: dict[str, dict[str, int]] = field(default_factory=dict)
    last_up: Sample | None = None  # last sample with an uptime
    last_counters: dict[str, dict[str, int]] = field(default_factory=dict)
    # Error counters are cumulative: a missed read between two good ones hides nothing (the later read's growth
    # covers the gap). Only a miss before the first good read, or after the last one, leaves errors unseen.
    counters_gap: str = ""
    seen_state: dict[str, SensorState] = field(default_factory=dict)
    lost_at: float | None = None
    samples: int = 0
    answered: int = 0
    reboots: int = 0
    t0: float = 0.0  # monotonic start of the burn-in (the instant `started` was stamped): offsets count from it
    findings: dict[str, dict[str, Any]] = field(default_factory=dict)  # key -> first sighting
    down: str = ""  # why the silent unit will not come back (set when a channel could tell)
    never_boots: bool = False  # ... because it does not boot (ROMMON, boot failure), not for want of power
    sources: dict[str, dict[str, int]] = field(default_factory=dict)  # what -> source -> samples

    def event(self, text: str) -> None:
        if len(self.events) < 50:
            self.events.append(text)

    def found(self, key: str, finding: str, state: str, s: Sample, **extra: Any) -> None:
        """Record when a finding was first seen (when the sample's readings were in) and its offset into
        the burn-in."""
        if key in self.findings or len(self.findings) >= MAX_FINDINGS:
            return
        self.findings[key] = {"finding": finding, "state": state, "first_seen": _wall(s.read_wall, "milliseconds"),
                              "offset_s": round(s.read_mono - self.t0, 2), **extra}

    def stat(self, metric: str, value: float) -> None:
        st = self.stats.setdefault(metric, {"min": value, "max": value, "last": value, "n": 0})
        st["min"], st["max"], st["last"] = min(st["min"], value), max(st["max"], value), value
        st["n"] += 1


def _judge_uptime(b: Burn, s: Sample) -> None:
    if s.uptime is None:
        return
    prev = b.last_up
    b.last_up = s
    if prev is None or prev.uptime is None:
        return
    passed = s.mono - prev.mono
    slack = 5.0 if s.uptime_source == "snmp" and prev.uptime_source == "snmp" else 90.0  # CLI uptime: minutes
    if s.uptime_source == "snmp" and prev.uptime > _WRAP_S - passed - slack and s.uptime < passed + slack:
        b.event(f"{_wall(s.wall)} sysUpTime wrapped")
        return
    backwards = s.uptime + slack < prev.uptime
    # Forward but by less than the time since the last sample: it booted in between (a long gap).
    short = s.uptime + slack < prev.uptime + passed and s.uptime < passed + slack
    if backwards or short:
        b.reboots += 1
        booted = _wall(s.wall - s.uptime)
        b.fails.append(f"unexpected reboot at {booted} (uptime {prev.uptime:.0f}s -> {s.uptime:.0f}s)")
        b.event(f"{_wall(s.wall)} uptime reset: the unit rebooted at {booted}")
        b.found(f"reboot:{b.reboots}", "unexpected reboot", "FAIL", s, booted_at=booted)


def _judge_readings(b: Burn, s: Sample) -> None:
    for r in s.readings:
        key = f"{r.kind}:{r.name}"
        was = b.seen_state.get(key)
        b.seen_state[key] = r.state
        if r.state is was:
            continue
        when = _wall(s.wall)
        if r.state in (SensorState.FAIL, SensorState.WARN):
            b.found(f"{key}:{r.state.value}", f"{r.kind} {r.name} {r.state.value}", str(r.state.value).upper(), s,
                    value=r.value)
        if r.state is SensorState.FAIL:
            b.fails.append(f"{r.kind} {r.name} failed at {when}" + (f" ({r.value}{r.unit})" if r.value is not None
                                                                     else ""))
            b.event(f"{when} {r.kind} {r.name} FAIL {r.detail}".strip())
        elif r.state is SensorState.WARN:
            b.warns.append(f"{r.kind} {r.name} warning at {when}")
            b.event(f"{when} {r.kind} {r.name} WARN")
        elif r.state is SensorState.UNKNOWN and was is not None:
            b.event(f"{when} {r.kind} {r.name} became unreadable")


def _judge_counters(b: Burn, s: Sample) -> None:
    # Growth is WARN or FAIL only once the burn-in ends (the threshold is on the total): the finding
    # records when it was first seen.
    for port, now in s.counters.items():
        before = b.last_counters.get(port, {})
        for c, v in now.items():
            if c not in before:
                continue
            # A counter that went down was reset (reboot, clear): everything it shows is new growth.
            delta = v - before[c] if v >= before[c] else v
            if delta > 0:
                b.found(f"counter:{port}:{c}", f"{port} {c} growing", "WARN", s, first_delta=delta)
                b.growth.setdefault(port, {}).setdefault(c, 0)
                b.growth[port][c] += delta
        b.last_counters[port] = now


async def _record(ctx: TestContext, b: Burn, s: Sample) -> None:
    metrics: dict[str, float] = {}
    if s.uptime is not None:
        metrics["uptime"] = s.uptime
    for r in s.readings:
        if r.kind == "temperature" and r.value is not None:
            metrics[f"temp:{r.name}"] = float(r.value)
        elif r.kind in ("fan", "psu") and r.state is not SensorState.UNKNOWN:
            metrics[f"{r.kind}_ok:{r.name}"] = 0.0 if r.state is SensorState.FAIL else 1.0
    for port, counters in s.counters.items():
        # Idle, error-free ports would only add rows of zeros: keep linked ports and any with errors.
        if port in s.linked or any(counters.values()):
            for c, v in counters.items():
                metrics[f"{c}:{port}"] = float(v)
    for metric, value in metrics.items():
        b.stat(metric, value)
        if ctx.record_telemetry is not None:
            try:
                await ctx.record_telemetry(metric, value)
            except Exception as exc:  # the store failing must not end the burn-in
                b.problems[f"telemetry: {type(exc).__name__}: {exc}"[:200]] = None


def _judge(b: Burn, s: Sample) -> None:
    b.samples += 1
    for what, source in s.sources.items():
        per = b.sources.setdefault(what, {})
        per[source] = per.get(source, 0) + 1
    for p in s.problems:
        if len(b.problems) < 20:
            b.problems[p] = None
    if s.counters_missed:
        if not b.last_counters and len(b.problems) < 20:
            b.problems[s.counters_missed] = None  # before any good read: that interval's errors are unseen
        b.counters_gap = b.counters_gap or s.counters_missed
    elif s.counters:
        b.counters_gap = ""  # a good read after a miss: its growth covers the missed interval
    if not s.answered:
        if b.lost_at is None:
            b.lost_at = s.wall
            b.event(f"{_wall(s.wall)} lost contact with the unit")
            b.found(f"lost:{b.samples}", "lost contact with the unit", "WARN", s)
        return
    b.answered += 1
    reboots = b.reboots
    _judge_uptime(b, s)
    if b.lost_at is not None:
        b.event(f"{_wall(s.wall)} the unit answers again")
        if b.reboots == reboots and s.uptime is None:
            b.warns.append(f"contact lost from {_wall(b.lost_at)} to {_wall(s.wall)}; reboot undetermined "
                           "(uptime unreadable)")
        elif b.reboots == reboots:
            b.warns.append(f"contact lost from {_wall(b.lost_at)} to {_wall(s.wall)} without a reboot")
        b.lost_at = None
    _judge_readings(b, s)
    _judge_counters(b, s)


def _outcome(b: Burn, duration: float) -> tuple[Outcome, str]:
    for port, counters in b.growth.items():
        for c, n in counters.items():
            (b.fails if n > b.fail_threshold else b.warns).append(f"{port} {c} grew by {n}")
    if b.down and b.answered == 0:
        # Never up: a unit that does not boot has no burn-in (the post test reports the boot failure).
        return (Outcome.NOT_RUN if b.never_boots else Outcome.ERROR), f"the unit never answered: {b.down}"
    if b.down and b.never_boots:
        b.fails.append(f"went down at {_wall(b.lost_at or time.time())} and did not come back: {b.down}")
    elif b.down and not b.fails:
        return Outcome.ERROR, f"lost contact with the unit at {_wall(b.lost_at or time.time())}: {b.down}"
    if b.fails:
        return Outcome.FAIL, "; ".join(dict.fromkeys(b.fails))
    if b.lost_at is not None:
        return Outcome.ERROR, f"lost contact with the unit at {_wall(b.lost_at)} and it never answered again"
    if b.answered == 0:
        return Outcome.ERROR, f"no sample could be taken: {next(iter(b.problems), 'no channel answered')}"
    if not any(m == "uptime" for m in b.stats):
        b.warns.append("uptime unreadable: reboots could not be detected")
    if not any(m.startswith(("temp:", "fan_ok:", "psu_ok:")) for m in b.stats):
        b.warns.append("no environment readings")
    if b.counters_gap:  # the last counter reads failed: errors after the last good one are unseen
        b.problems[b.counters_gap] = None
    if b.problems and not b.warns:
        b.warns.append(f"some samples incomplete: {next(iter(b.problems))}")
    if b.warns:
        return Outcome.WARN, "; ".join(dict.fromkeys(b.warns))
    return Outcome.PASS, f"{b.samples} samples over {duration:g}s: no reboot, readings held, no error growth"


@declare(watchdog=burnin_watchdog, run_inputs={"duration": "burnin"})
async def run(ctx: TestContext) -> TestResult:
    # One start on both clocks: findings are dated by the wall clock and placed by the monotonic one, and
    # `started` is what the record shows; the setup below (a platform loaded under load) counts in both.
    started, t0 = utc_now(), time.monotonic()
    if ctx.cli is None and ctx.snmp is None:
        return result(NAME, Outcome.NOT_RUN, "no CLI or SNMP channel to this unit", started)
    duration = seconds(ctx.params.get("duration"), 3600.0)
    interval = max(0.05, seconds(ctx.params.get("interval"), 30.0))
    grace = seconds(ctx.params.get("reconnect_grace"), 600.0)
    b = Burn(fail_threshold=int(ctx.params.get("error_fail_threshold", 100)))
    poll = snmp_poll.poller_for(ctx.snmp) if ctx.snmp is not None else None
    platform = None
    if ctx.cli is not None:
        try:
            platform = platform_for(ctx)
        except LookupError as exc:
            b.problems[str(exc)] = None
    b.t0 = t0
    try:
        await _sample_until_done(ctx, b, platform, poll, duration, interval, grace)
    finally:
        if poll is not None and hasattr(poll, "close"):
            await poll.close()
    outcome, summary = _outcome(b, duration)
    evidence: dict[str, Any] = {
        "duration_s": duration,
        "interval_s": interval,
        "elapsed_s": round(time.monotonic() - t0, 1),
        "samples": b.samples,
        "answered": b.answered,
        "reboots": b.reboots,
        "metrics": {m: {k: round(v, 2) for k, v in st.items()} for m, st in sorted(b.stats.items())},
        "sources": b.sources,
    }
    if poll is not None:
        evidence["snmp_poller"] = getattr(poll, "backend", type(poll).__name__)
    if b.findings:
        evidence["findings"] = sorted(b.findings.values(), key=lambda f: f["offset_s"])
    if b.events:
        evidence["events"] = b.events
    if b.growth:
        evidence["counter_growth"] = b.growth
    if b.problems:
        evidence["problems"] = list(b.problems)
    if b.warns and outcome is Outcome.FAIL:
        evidence["warnings"] = list(dict.fromkeys(b.warns))
    return result(NAME, outcome, summary[:500], started, **evidence)


async def _known_down(ctx: TestContext, budget: float) -> tuple[str, bool] | None:
    """(why, does not boot) when a channel can tell that the silent unit will not come back; None while it may
    be rebooting. Only the console can tell: it shows ROMMON, a failed boot or nothing at all (no power), and
    on a unit that is booting its walk to a prompt ends when the boot does (then the unit is back); a refused
    SSH looks the same whether the unit boots or never will."""
    channel = ctx.console
    if channel is None or budget <= 0:
        return None
    end = time.monotonic() + budget
    for _ in range(2):  # an open session whose prompt is gone fails once; the next call walks the console again
        try:
            await asyncio.wait_for(channel.send("", timeout=min(30.0, budget)), max(0.1, end - time.monotonic()))
            return None  # a prompt: the unit is up (the next sample says whether it rebooted)
        except UnitNotBooted as exc:
            return str(exc).removeprefix("no CLI: "), True
        except ConsoleStuck as exc:
            return f"console: {exc}", exc.state in ("rommon", "!post_failed")
        except ChannelMissing:
            return None
        except TimeoutError:
            return None  # still booting, or still unknown: the grace goes on
        except Exception:  # noqa: BLE001 - refused, no prompt yet: transient until shown otherwise
            if time.monotonic() >= end:
                return None
    return None


async def _sample_until_done(ctx: TestContext, b: Burn, platform: Any, poll: Any, duration: float,
                             interval: float, grace: float) -> None:
    t0 = tick = time.monotonic()  # `duration` of sampling from here; findings' offsets count from b.t0
    cli_only: set[str] = set()
    while True:
        s = await _take(ctx, platform, poll, cli_only)
        _judge(b, s)
        if s.answered:
            await _record(ctx, b, s)
        else:
            known = await _known_down(ctx, t0 + duration + grace - time.monotonic())
            if known is not None:
                b.down, b.never_boots = known
                b.event(f"{_wall(time.time())} the unit will not come back: {b.down}")
                break
        elapsed = time.monotonic() - t0
        # Past the duration only a unit that went silent keeps us: its next answer tells reboot from bench
        # trouble. One that never answered at all is not rebooting: the grace is not for it.
        if elapsed >= duration and (b.lost_at is None or b.answered == 0 or elapsed >= duration + grace):
            break
        tick += interval
        # The sampling interval, not a device wait; the last sample is taken when the duration ends.
        wake = tick if elapsed >= duration else min(tick, t0 + duration)
        await asyncio.sleep(max(0.0, wake - time.monotonic()))
