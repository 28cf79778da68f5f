"""Benchmark: SNMP polling throughput of the burn-in's candidates, side by side, against net-snmp snmpd agents.

    python benchmarks/snmp_poller.py [--agents 16] [--rounds 5] [--max-repetitions 25]

Each agent is a real net-snmp `snmpd` (Debian package snmpd) serving a 48-port switch: ifTable and
ifXTable of 52 interfaces (48 ports, 4 uplinks) and 12 ENTITY-SENSOR-MIB sensors, from `override`
lines in its own config (its own IF-MIB modules are switched off). Limits of `override`: it has no
Counter64, TimeTicks or Gauge32, so the HC counters are Counter32 and gauges/ticks are Unsigned32/
INTEGER; the var-binds are the same size to within a byte or two.

The agents run pinned to the last CPU and each poller in its own process pinned to CPU 0, so the
agents are never the poller's CPU; every poller walks the same tables of every agent at once:
- `burnin`: what the burn-in polls each sample (sysUpTime, ifDescr, ifOperStatus, ifIn/OutErrors,
  ifIn/OutDiscards, ifHCIn/OutOctets, entPhySensorValue/OperStatus): ~430 var-binds per switch;
- `tables`: ifTable, ifXTable and entPhySensorTable whole: ~2,200 var-binds per switch.
Pollers: pysnmp 7 (bench.drivers.snmp.SnmpTarget.walk, lookupMib off), gufo-snmp
(bench.drivers.snmp_poll.GufoPoller) and net-snmp `snmpbulkwalk` (one process per table and agent,
its CPU counted from the children's rusage) as the reference. Figures: var-binds per CPU-second of
the poller (the one-core capacity) and per wall second; target >= 12,000 per CPU-second.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PORTS, UPLINKS, SENSORS = 48, 4, 12
IF_TABLE, IF_X_TABLE = "1.3.6.1.2.1.2.2.1", "1.3.6.1.2.1.31.1.1.1"
SENSOR_TABLE = "1.3.6.1.2.1.99.1.1.1"
SYS_UPTIME = "1.3.6.1.2.1.1.3.0"
POLL_SETS = {
    "burnin": [f"{IF_TABLE}.{c}" for c in (2, 8, 13, 14, 19, 20)] + [f"{IF_X_TABLE}.{c}" for c in (6, 10)]
    + [f"{SENSOR_TABLE}.{c}" for c in (4, 5)],
    "tables": [IF_TABLE, IF_X_TABLE, SENSOR_TABLE],
}
POLLERS = ("snmpbulkwalk", "pysnmp", "gufo-snmp")


# ---- the agents ----------------------------------------------------------------------------------

def switch_config(port: int, seed: int) -> str:
    """snmpd.conf of one 48-port switch: values differ per agent so a mixed-up answer would show."""
    lines = ["rocommunity public 127.0.0.1", "dontLogTCPWrappersConnects yes",
             "sysDescr Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(7)E8",
             "sysObjectID .1.3.6.1.4.1.9.1.1208", f"sysName sw{port}"]
    for i in range(1, PORTS + UPLINKS + 1):
        name = f"GigabitEthernet1/0/{i}" if i <= PORTS else f"TenGigabitEthernet1/1/{i - PORTS}"
        base = seed * 1_000_003 + i * 7919
        t = {1: ("integer", i), 2: ("octet_str", f'"{name}"'), 3: ("integer", 6), 4: ("integer", 1500),
             5: ("uinteger", 1_000_000_000), 6: ("octet_str", f'"00:1b:2c:{seed % 256:02x}:00:{i:02x}"'),
             7: ("integer", 1), 8: ("integer", 1 if i % 3 else 2), 9: ("integer", 4200 + i)}
        t |= {c: ("counter", (base * c) % 2**31) for c in range(10, 22)}
        t[22] = ("object_id", ".0.0")
        x = {1: ("octet_str", f'"Gi1/0/{i}"')} | {c: ("counter", (base * (c + 30)) % 2**31) for c in range(2, 14)}
        x |= {14: ("integer", 1), 15: ("uinteger", 1000), 16: ("integer", 2), 17: ("integer", 1),
              18: ("octet_str", '""'), 19: ("integer", 0)}
        for table, cols in ((IF_TABLE, t), (IF_X_TABLE, x)):
            lines += [f"override .{table}.{c}.{i} {typ} {val}" for c, (typ, val) in cols.items()]
    for s in range(1, SENSORS + 1):
        kind = 8 if s <= 6 else 10  # celsius, rpm
        cols = {1: ("integer", kind), 2: ("integer", 9), 3: ("integer", 0),
                4: ("integer", 30 + s + seed % 7 if kind == 8 else 5000 + 10 * s), 5: ("integer", 1),
                6: ("octet_str", '"C"' if kind == 8 else '"rpm"')}
        lines += [f"override .{SENSOR_TABLE}.{c}.{1000 + s} {typ} {val}" for c, (typ, val) in cols.items()]
    return "\n".join(lines) + "\n"


def free_udp_ports(n: int) -> list[int]:
    socks, ports = [], []
    for _ in range(n):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("127.0.0.1", 0))
        socks.append(s)
        ports.append(s.getsockname()[1])
    for s in socks:
        s.close()
    return ports


def pin(cpu: int) -> None:
    with contextlib.suppress(OSError, AttributeError):
        os.sched_setaffinity(0, {cpu})


def start_agents(n: int, work: Path, agent_cpu: int) -> list[tuple[int, subprocess.Popen[bytes]]]:
    snmpd = shutil.which("snmpd") or "/usr/sbin/snmpd"
    if not Path(snmpd).exists():
        raise SystemExit("snmpd not found: apt-get install snmpd")
    (work / "mibs").mkdir()
    env = dict(os.environ, MIBDIRS=str(work / "mibs"), MIBS="", SNMP_PERSISTENT_DIR=str(work / "state"))
    agents = []
    for k, port in enumerate(free_udp_ports(n)):
        conf = work / f"snmpd-{port}.conf"
        conf.write_text(switch_config(port, k + 1))
        proc = subprocess.Popen([snmpd, "-f", "-Lf", "/dev/null", "-C", "-c", str(conf),
                                 "-I", "-ifTable,ifXTable,interfaces", f"udp:127.0.0.1:{port}"],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                env=env, preexec_fn=lambda: pin(agent_cpu))
        agents.append((port, proc))
    deadline = time.monotonic() + 60
    for port, proc in agents:  # ready when it answers; bounded wait, never a fixed sleep
        while not answers(port, env):
            if proc.poll() is not None or time.monotonic() > deadline:
                stop_agents(agents)
                raise SystemExit(f"snmpd on udp:{port} did not come up")
    return agents


def answers(port: int, env: dict[str, str]) -> bool:
    r = subprocess.run(["snmpget", "-v2c", "-c", "public", "-r", "0", "-t", "0.5", "-Oqv", f"127.0.0.1:{port}",
                        SYS_UPTIME], capture_output=True, text=True, env=env)
    return r.returncode == 0 and r.stdout.strip() != ""


def stop_agents(agents: list[tuple[int, subprocess.Popen[bytes]]]) -> None:
    for _, proc in agents:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for _, proc in agents:
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# ---- one poller, in its own process -----------------------------------------------------------------

def digest(values: dict[str, object]) -> tuple[int, int]:
    """(number of var-binds, sum of the integer values): equal across pollers when they read the same."""
    return len(values), sum(v for k, v in values.items() if isinstance(v, int) and not k.endswith(SYS_UPTIME)) % 2**61


async def poll_python(kind: str, ports: list[int], tables: list[str], rounds: int, reps: int) -> dict[str, object]:
    from bench.drivers.snmp import SnmpTarget, close_shared_engine
    from bench.drivers.snmp_poll import GufoPoller, PysnmpPoller

    if kind == "pysnmp":
        pollers = [PysnmpPoller(SnmpTarget("127.0.0.1", p, timeout=5, retries=1, max_in_flight=1), reps)
                   for p in ports]
    else:
        pollers = [GufoPoller("127.0.0.1", p, timeout=5, retries=1, max_repetitions=reps) for p in ports]

    async def one(poller: object) -> dict[str, object]:
        got: dict[str, object] = dict(await poller.get(SYS_UPTIME))  # type: ignore[attr-defined]
        for table in tables:
            got |= await poller.walk(table)  # type: ignore[attr-defined]
        return got

    first = await asyncio.gather(*(one(p) for p in pollers))  # warm-up: engine, sockets, imports
    cpu0, wall0, n = time.process_time(), time.perf_counter(), 0
    for _ in range(rounds):
        for got in await asyncio.gather(*(one(p) for p in pollers)):
            n += len(got)
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    if kind == "pysnmp":
        close_shared_engine()
    merged: dict[str, object] = {}
    for port, got in zip(ports, first, strict=True):
        merged |= {f"{port}/{k}": v for k, v in got.items()}
    return {"varbinds": n, "cpu_s": cpu, "wall_s": wall, "digest": digest(merged)}


async def poll_netsnmp(ports: list[int], tables: list[str], rounds: int, reps: int) -> dict[str, object]:
    env = dict(os.environ, MIBS="", MIBDIRS=tempfile.mkdtemp(prefix="bench-nomibs-"))

    async def walk(port: int, oid: str) -> dict[str, object]:
        proc = await asyncio.create_subprocess_exec(
            "snmpbulkwalk", "-v2c", "-c", "public", "-On", "-Oq", "-Ot", "-Oe", f"-Cr{reps}", "-t", "5", "-r", "1",
            f"127.0.0.1:{port}", oid, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL, env=env)
        out, _ = await proc.communicate()
        got: dict[str, object] = {}
        for line in out.decode("latin-1").splitlines():
            name, _, value = line.partition(" ")
            got[name.lstrip(".")] = int(value) if value.lstrip("-").isdigit() else value
        return got

    async def one(port: int) -> dict[str, object]:
        got = await walk(port, SYS_UPTIME)
        for table in tables:
            got |= await walk(port, table)
        return got

    first = await asyncio.gather(*(one(p) for p in ports))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu0, wall0, n = time.process_time(), time.perf_counter(), 0
    for _ in range(rounds):
        for got in await asyncio.gather(*(one(p) for p in ports)):
            n += len(got)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    children = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    cpu, wall = time.process_time() - cpu0 + children, time.perf_counter() - wall0
    merged: dict[str, object] = {}
    for port, got in zip(ports, first, strict=True):
        merged |= {f"{port}/{k}": v for k, v in got.items()}
    return {"varbinds": n, "cpu_s": cpu, "wall_s": wall, "digest": digest(merged)}


def worker(args: argparse.Namespace) -> None:
    pin(0)
    ports = [int(p) for p in args.ports.split(",")]
    tables = POLL_SETS[args.set]
    if args.worker == "snmpbulkwalk":
        out = asyncio.run(poll_netsnmp(ports, tables, args.rounds, args.max_repetitions))
    else:
        out = asyncio.run(poll_python(args.worker, ports, tables, args.rounds, args.max_repetitions))
    print(json.dumps(out))


# ---- the side-by-side run --------------------------------------------------------------------------

def run_worker(kind: str, ports: list[int], poll_set: str, rounds: int, reps: int) -> dict[str, object]:
    cmd = [sys.executable, __file__, "--worker", kind, "--ports", ",".join(map(str, ports)), "--set", poll_set,
           "--rounds", str(rounds), "--max-repetitions", str(reps)]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    if r.returncode != 0:
        raise SystemExit(f"{kind} poller failed: {r.stderr.strip().splitlines()[-1:]}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--agents", type=int, default=16)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--max-repetitions", type=int, default=25)
    ap.add_argument("--worker", choices=POLLERS, help=argparse.SUPPRESS)
    ap.add_argument("--ports", help=argparse.SUPPRESS)
    ap.add_argument("--set", choices=tuple(POLL_SETS), default="burnin", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(args)
        return
    cpus = sorted(os.sched_getaffinity(0))
    work = Path(tempfile.mkdtemp(prefix="bench-snmpd-"))
    agents = start_agents(args.agents, work, cpus[-1])
    ports = [p for p, _ in agents]
    rows = []
    try:
        for poll_set in POLL_SETS:
            got = {k: run_worker(k, ports, poll_set, args.rounds, args.max_repetitions) for k in POLLERS}
            digests = {json.dumps(v["digest"]) for v in got.values()}
            for kind, v in got.items():
                vb, cpu, wall = int(v["varbinds"]), float(v["cpu_s"]), float(v["wall_s"])  # type: ignore[arg-type]
                rows.append({"set": poll_set, "poller": kind, "varbinds": vb, "cpu_s": round(cpu, 3),
                             "wall_s": round(wall, 3), "per_cpu_s": round(vb / cpu), "per_wall_s": round(vb / wall),
                             "same_values": len(digests) == 1})
    finally:
        stop_agents(agents)
        shutil.rmtree(work, ignore_errors=True)
    print(f"{time.strftime('%Y-%m-%d')} {platform.machine()}, {len(cpus)} CPUs, Python {platform.python_version()}; "
          f"{args.agents} snmpd agents, {args.rounds} rounds, max-repetitions {args.max_repetitions}")
    print(f"{'set':7} {'poller':13} {'varbinds':>9} {'cpu s':>7} {'wall s':>7} {'vb/cpu-s':>9} {'vb/wall-s':>9} "
          f"{'vs net-snmp (cpu)':>17} same")
    for r in rows:
        ref = next(x for x in rows if x["set"] == r["set"] and x["poller"] == "snmpbulkwalk")
        ratio = r["per_cpu_s"] / ref["per_cpu_s"]
        print(f"{r['set']:7} {r['poller']:13} {r['varbinds']:9,} {r['cpu_s']:7.2f} {r['wall_s']:7.2f} "
              f"{r['per_cpu_s']:9,} {r['per_wall_s']:9,} {ratio:17.2f} {r['same_values']}")
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
