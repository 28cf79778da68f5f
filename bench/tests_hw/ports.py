"""ports: link, speed, duplex and error counters of the front-panel ports against the bench harness.

The harness map comes from the test parameters (`harness: {loopback: [ports], pairs: [[a, b], ...]}`):
every port it names must link, at full duplex and at the port's speed, and its error counters must not
grow over a traffic window. Without a map, ports with link are checked and the rest are listed as not
cabled. A TDR cable test runs last on copper ports (it drops the link for a moment on real switches).

Collectors (bench/platforms/) only report facts; every judgement is here. A platform may
offer three optional hooks besides `ports()`:
    link_states(ctx) -> Ports              cheap link-only read, polled during the traffic window
    generate_traffic(ctx, ports, seconds)  makes traffic on the ports; returns a note (str) or None
    cable_test(ctx, port) -> CableTest     TDR on one copper port
"""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass, field
from typing import Any

from bench.model import Outcome, TestResult
from bench.platforms import Ports, PortState
from bench.platforms.contract import CableTest, port_key
from bench.tests_hw.base import TestContext, declare, result
from bench.tests_hw.cli_check import cli_check

NAME = "ports"
ERROR_COUNTERS = ("crc", "input_errors", "runts", "giants", "output_errors")

# What a port of that kind should link at when the harness does not say (Mb/s).
_RATED = {"fa": 100, "gi": 1000, "tw": 2500, "fi": 5000, "te": 10000, "twe": 25000, "fo": 40000, "hu": 100000}
_JUNOS_RATED = {"fe": 100, "ge": 1000, "xe": 10000}


def rated_speed(name: str) -> int | None:
    key = port_key(name)
    junos = re.match(r"(fe|ge|xe)-", key)
    if junos:
        return _JUNOS_RATED[junos.group(1)]
    word = re.match(r"[a-z]+", key)
    return _RATED.get(word.group(0)) if word else None


@dataclass
class Harness:
    loopback: list[str] = field(default_factory=list)
    pairs: list[tuple[str, str]] = field(default_factory=list)

    def ports(self) -> list[str]:
        return [*self.loopback, *(p for pair in self.pairs for p in pair)]

    def peer(self, name: str) -> str | None:
        key = port_key(name)
        for a, b in self.pairs:
            if port_key(a) == key:
                return b
            if port_key(b) == key:
                return a
        return None


def parse_harness(raw: Any) -> tuple[Harness | None, list[str]]:
    """The harness map from the test params; a malformed map is reported, never guessed at."""
    if raw is None:
        return None, []
    if not isinstance(raw, dict):
        return None, [f"harness must be a mapping with 'loopback' and 'pairs', got {type(raw).__name__}"]
    notes: list[str] = []
    loop = [str(p) for p in raw.get("loopback") or [] if str(p).strip()]
    pairs: list[tuple[str, str]] = []
    for item in raw.get("pairs") or []:
        if isinstance(item, list | tuple) and len(item) == 2:
            pairs.append((str(item[0]), str(item[1])))
        else:
            notes.append(f"harness pair {item!r} ignored: write [portA, portB]")
    return Harness(loop, pairs), notes


@dataclass
class _Verdict:
    fails: list[str] = field(default_factory=list)
    warns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _index(ports: Ports) -> dict[str, PortState]:
    return {port_key(p.name): p for p in ports.ports}


async def _traffic_window(ctx: TestContext, platform: Any, names: list[str], seconds: float,
                          poll: float, up_at_start: set[str]) -> tuple[dict[str, list[float]], list[str], str]:
    """Run the traffic hook (if any) and poll link state until the window closes.

    Returns the offsets (s) at which each port was seen down after it had been up (a flap), problems, and
    the traffic note. A port not yet up (`up_at_start` lacks it: a unit that has just booted links its ports
    some seconds later) is not flapping until it has been seen up and then down.
    """
    down: dict[str, list[float]] = {}
    seen_up = set(up_at_start)
    problems: list[str] = []
    note = "no traffic generator on this platform: counters compared over an idle window"
    gen = getattr(platform, "generate_traffic", None)
    t0 = time.monotonic()
    if gen is not None:
        try:
            said = await gen(ctx, names, seconds)
            if said:
                note = str(said)
        except Exception as exc:  # a hook that breaks must not cost the link/counter checks
            problems.append(f"traffic generator: {type(exc).__name__}: {exc}"[:200])
    probe = getattr(platform, "link_states", None)
    keys = {port_key(n) for n in names}
    end = t0 + max(0.0, seconds)
    while probe is not None and time.monotonic() < end:
        states = await probe(ctx)
        problems.extend(states.problems)
        at = round(time.monotonic() - t0, 1)
        for p in states.ports:
            key = port_key(p.name)
            if key not in keys:
                continue
            if p.link_up is True:
                seen_up.add(key)
            elif p.link_up is False and key in seen_up:
                down.setdefault(key, []).append(at)
        await asyncio.sleep(max(0.0, min(poll, end - time.monotonic())))
    await asyncio.sleep(max(0.0, end - time.monotonic()))
    return down, problems, note


def _judge_port(name: str, before: PortState | None, after: PortState | None, expected: bool,
                speed_want: int | None, down_at: list[float], v: _Verdict) -> dict[str, Any]:
    """Judge one checked port; `expected` means the harness says it must link."""
    if before is None:
        v.warns.append(f"{name}: harness names a port this unit does not have")
        return {"found": False}
    seen = [s for s in (before, after) if s is not None]
    info: dict[str, Any] = {
        "link": [s.link_up for s in seen],
        "speed_mbps": before.speed_mbps,
        "duplex": before.duplex,
        "media": before.media,
    }
    if any(s.err_disabled for s in seen):
        v.fails.append(f"{name}: err-disabled")
        return info
    links = [s.link_up for s in seen]
    if expected and all(link is False for link in links):
        v.fails.append(f"{name}: no link (dead port)")
        return info
    if before.link_up is False and after is not None and after.link_up is True and not down_at:
        # Down when the test began, up since and never down again: a unit that has just booted linking
        # its ports, not a flap. Judged on what it linked at.
        v.notes.append(f"{name}: linked during the test (down at its start, up since)")
        info |= {"linked_late": True, "speed_mbps": after.speed_mbps, "duplex": after.duplex}
        before = after
    elif any(link is False for link in links) or down_at:
        at = f" (down at +{down_at[0]:g}s)" if down_at else ""
        v.fails.append(f"{name}: link flapped{at}")
        info["down_at"] = down_at[:10]
        return info
    if any(link is None for link in links):
        v.warns.append(f"{name}: link state unknown")
        return info
    if before.duplex == "half":
        v.fails.append(f"{name}: half duplex")
    elif before.duplex != "full":
        v.warns.append(f"{name}: duplex unknown")
    if before.speed_mbps is None:
        v.warns.append(f"{name}: speed unknown")
    elif speed_want is not None and before.speed_mbps < speed_want:
        msg = f"{name}: linked at {before.speed_mbps} Mb/s, port is {speed_want} Mb/s"
        # 1000BASE-T needs all four pairs: a gigabit copper port stuck at 100 is a bad pair or PHY.
        (v.fails if before.media == "copper" else v.warns).append(msg)
    _judge_counters(name, before, after, v, info)
    return info


def _judge_counters(name: str, before: PortState, after: PortState | None, v: _Verdict,
                    info: dict[str, Any]) -> None:
    if after is None:
        v.warns.append(f"{name}: second counter reading missing")
        return
    unread = [c for c in ERROR_COUNTERS if c not in before.counters or c not in after.counters]
    if unread:
        v.warns.append(f"{name}: counters unreadable: {', '.join(unread)}")
    grew = {}
    for c in ERROR_COUNTERS:
        if c in unread:
            continue
        delta = after.counters[c] - before.counters[c]
        if delta > 0:
            grew[c] = delta
        elif delta < 0:
            v.warns.append(f"{name}: {c} went backwards (counters cleared?)")
    info["counters_before"] = {c: before.counters[c] for c in ERROR_COUNTERS if c in before.counters}
    info["counters_after"] = {c: after.counters[c] for c in ERROR_COUNTERS if c in after.counters}
    for c, delta in grew.items():
        v.fails.append(f"{name}: {c} grew by {delta}")


def _judge_cable(t: CableTest, v: _Verdict) -> dict[str, Any]:
    out: dict[str, Any] = {"supported": t.supported,
                           "pairs": [{"pair": p.pair, "status": p.status, "length_m": p.length_m,
                                      "remote": p.remote} for p in t.pairs]}
    if t.problems:
        out["problems"] = t.problems
    if not t.supported:
        return out
    if not t.pairs:
        v.warns.append(f"{t.port}: TDR gave no result")
        return out
    bad = [f"pair {p.pair} {p.status}" for p in t.pairs if p.status.lower() != "normal"]
    if bad:
        v.warns.append(f"{t.port}: cable test: {', '.join(bad)}")
    return out


def _checked(harness: Harness | None, first: Ports) -> tuple[list[str], list[str]]:
    """(ports to check, ports reported as not cabled)."""
    if harness is not None:
        want = harness.ports()
        keys = {port_key(n) for n in want}
        rest = [p.name for p in first.ports if port_key(p.name) not in keys and p.link_up is not True]
        extra = [p.name for p in first.ports if port_key(p.name) not in keys and (p.link_up or p.err_disabled)]
        return want + extra, rest
    linked = [p.name for p in first.ports if p.link_up or p.err_disabled]
    return linked, [p.name for p in first.ports if not (p.link_up or p.err_disabled)]


@declare(watchdog=lambda params: float(params.get("traffic_seconds", 10)) + 300, run_inputs={"harness": "harness"})
@cli_check(NAME)
async def run(ctx: TestContext, platform: Any, started: str) -> TestResult:
    harness, harness_notes = parse_harness(ctx.params.get("harness"))
    seconds = float(ctx.params.get("traffic_seconds", 10))
    poll = float(ctx.params.get("link_poll_seconds", 2))
    speeds = {port_key(k): int(s) for k, s in (ctx.params.get("speeds") or {}).items()}

    first = await platform.ports(ctx)
    evidence: dict[str, Any] = {"harness": ctx.params.get("harness"), "traffic_seconds": seconds}
    if not first.ports:
        evidence["problems"] = first.problems
        if first.problems:
            return result(NAME, Outcome.ERROR, f"ports unreadable: {first.problems[0]}", started, **evidence)
        return result(NAME, Outcome.WARN, "the unit listed no ports", started, **evidence)
    checked, idle = _checked(harness, first)
    if not checked:
        evidence["not_cabled"] = idle
        return result(NAME, Outcome.NOT_RUN, "no harness map and no port has link: nothing to test", started,
                      **evidence)
    harnessed = {port_key(n) for n in (harness.ports() if harness else [])}

    up_at_start = {port_key(p.name) for p in first.ports if p.link_up is True}
    down, window_problems, traffic_note = await _traffic_window(ctx, platform, checked, seconds, poll, up_at_start)
    second = await platform.ports(ctx)
    before, after = _index(first), _index(second)
    v = _Verdict(notes=harness_notes + [traffic_note])
    per_port: dict[str, Any] = {}
    for name in checked:
        k = port_key(name)
        want = speeds.get(k) or rated_speed(before[k].name if k in before else name)
        peer = harness.peer(name) if harness else None
        if peer and port_key(peer) in before and k in before:
            other = before[port_key(peer)].speed_mbps
            if other and before[k].speed_mbps and other != before[k].speed_mbps:
                v.warns.append(f"{name}: linked at {before[k].speed_mbps} Mb/s, its peer {peer} at {other}")
        per_port[name] = _judge_port(name, before.get(k), after.get(k), k in harnessed, want, down.get(k, []), v)

    cable = getattr(platform, "cable_test", None)
    tdr: dict[str, Any] = {}
    if cable is not None and ctx.params.get("tdr", True):
        for name in checked:
            st = before.get(port_key(name))
            if st is not None and st.media == "copper":
                tdr[name] = _judge_cable(await cable(ctx, st.name), v)
    elif cable is None:
        v.notes.append("no TDR cable test on this platform")

    problems = list(dict.fromkeys(first.problems + window_problems + second.problems))
    evidence.update(ports=per_port, not_cabled=idle, tdr=tdr, notes=v.notes)
    if problems:
        evidence["problems"] = problems[:20]
        if not v.fails:
            v.warns.append(f"some readings failed: {problems[0]}")
    if v.warns:
        evidence["warnings"] = v.warns
    if v.fails:
        evidence["failures"] = v.fails
        return result(NAME, Outcome.FAIL, "; ".join(v.fails[:4]), started, **evidence)
    if v.warns:
        return result(NAME, Outcome.WARN, "; ".join(v.warns[:4]), started, **evidence)
    return result(NAME, Outcome.PASS, f"{len(checked)} ports linked full duplex at speed, no error growth",
                  started, **evidence)
