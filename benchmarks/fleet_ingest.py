"""Benchmark: many benches syncing into one PostgreSQL fleet store.

    python benchmarks/fleet_ingest.py [--benches 50] [--backlog 60] [--paced-s 60] [--every-s 3] [--db URL]

Each simulated bench is a real bench store (SQLite, signed hash-chained records sealed by bench.records)
with the real background sender (bench.fleet.sender.FleetSender, one thread and one PostgreSQL connection
per bench), all in this one process. Without --db a throwaway cluster is started (initdb/pg_ctl as the
postgres user, as the tests do) and stopped by PID at the end.

Two phases, measured from outside the code under test:
- ingest: every bench has `--backlog` sealed records waiting (a fleet of benches coming back after the
  store was down); all senders start at once. Figure: records the fleet store committed / wall time from
  start until the last one is there (counted in PostgreSQL). Target >= 2,000 unit records/s.
- paced: each bench seals one unit record every `--every-s` seconds (staggered), for `--paced-s`. A real
  bench at its busiest seals about one unit record every 30 s (a 48-slot bench turning over on the quick
  plan), so the default 3 s is 10x that pace. Figures:
  - record-to-store latency: from the end of sealing (this process's clock) to the sender's mark after
    PostgreSQL committed the record (fleet_sent.sent, same clock); p50/p95/max. Target p95 <= 2 s.
  - a bench's sync cost: CPU time of its sender thread (psutil per-thread times, Linux) over the phase's
    wall time, in % of one core; median and max over benches. Target <= 2 %.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import psutil
import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from helpers.fleet_units import seal_one  # noqa: E402

from bench.fleet import store as fleet_store  # noqa: E402
from bench.fleet.sender import FleetSender  # noqa: E402
from bench.fleet.url import target  # noqa: E402
from bench.store import Store  # noqa: E402


def iso_s(ts: str) -> float:
    return datetime.fromisoformat(ts.replace("Z", "+00:00")).timestamp()


def fleet_count(conn: psycopg.Connection[Any]) -> int:
    row = conn.execute("SELECT count(*) FROM records").fetchone()
    return int(row[0]) if row else 0


def thread_cpu(native_ids: dict[str, int]) -> dict[str, float]:
    """User+system seconds of each named thread of this process."""
    by_id = {t.id: t.user_time + t.system_time for t in psutil.Process().threads()}
    return {name: by_id.get(tid, 0.0) for name, tid in native_ids.items()}


class Bench:
    def __init__(self, workdir: Path, name: str) -> None:
        self.name = name
        self.db = workdir / f"{name}.db"
        self.store = Store(f"sqlite:///{self.db}")
        self.run_id, _ = self.store.open_run("k", name, "quick", "bench.yaml", [])
        self.units = 0
        self.sealed_at: dict[str, float] = {}  # record hash -> wall time the seal returned

    def seal(self) -> None:
        self.units += 1
        slot = f"S{self.units}"
        self.store.add_slot(self.run_id, slot, self.units)
        seal_one(self.store, self.run_id, slot, f"{self.name.upper()}-{self.units:05d}")
        row = self.store.db.execute("SELECT hash FROM records ORDER BY seq DESC LIMIT 1").fetchone()
        self.sealed_at[str(row["hash"])] = time.time()

    def sent_at(self, url: str) -> dict[str, float]:
        rows = self.store.db.execute("SELECT hash, sent FROM fleet_sent WHERE target=?", (target(url),)).fetchall()
        return {str(r["hash"]): iso_s(str(r["sent"])) for r in rows}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--benches", type=int, default=50)
    ap.add_argument("--backlog", type=int, default=60, help="records waiting per bench for the ingest phase")
    ap.add_argument("--paced-s", type=float, default=60.0)
    ap.add_argument("--every-s", type=float, default=3.0, help="seconds between a bench's records (10x pace: 3)")
    ap.add_argument("--db", help="an existing fleet database (postgresql://...); default: a throwaway cluster")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="fleet-ingest-"))
    os.environ.setdefault("BENCH_KEY", str(work / "bench.key"))
    cluster = None
    url = args.db
    if url is None:
        from helpers.pg_cluster import start_cluster, stop_cluster

        cluster = start_cluster()
        url = cluster.url()
    senders: list[FleetSender] = []
    fleet_store.connect(url).close()  # the schema, as the first bench to connect would create it
    counter = psycopg.connect(url, autocommit=True)
    try:
        t = time.monotonic()
        benches = [Bench(work, f"bench-{i:02d}") for i in range(args.benches)]
        for b in benches:
            for _ in range(args.backlog):
                b.seal()
        seal_s = time.monotonic() - t
        total = args.benches * args.backlog
        print(f"sealed {total} records in {args.benches} bench stores in {seal_s:.1f} s", file=sys.stderr)

        # --- ingest: every sender starts with its backlog ---------------------------------
        t0 = time.monotonic()
        senders = [FleetSender(str(b.db), url).start() for b in benches]
        deadline = t0 + 600
        while fleet_count(counter) < total and time.monotonic() < deadline:
            time.sleep(0.05)
        ingest_s = time.monotonic() - t0
        ingested = fleet_count(counter)

        # --- paced: 10x a real bench's pace, latency and per-bench cost --------------------
        while any(s.pending or s.up is not True for s in senders) and time.monotonic() < deadline:
            time.sleep(0.1)
        ids = {s_bench.name: s._thread.native_id or 0 for s_bench, s in zip(benches, senders, strict=True)}
        cpu0, w0 = thread_cpu(ids), time.monotonic()
        step = args.every_s / args.benches
        paced_before = {b.name: set(b.sealed_at) for b in benches}
        n = 0
        while time.monotonic() - w0 < args.paced_s:
            benches[n % args.benches].seal()
            n += 1
            time.sleep(max(0.0, w0 + n * step - time.monotonic()))
        end = time.monotonic() + 30
        paced_total = total + n
        while fleet_count(counter) < paced_total and time.monotonic() < end:
            time.sleep(0.05)
        cpu1, w1 = thread_cpu(ids), time.monotonic()
        for s in senders:
            s.stop(drain_s=5)
        senders = []
        latencies = []
        for b in benches:
            sent = b.sent_at(url)
            latencies += [sent[h] - at for h, at in b.sealed_at.items() if h not in paced_before[b.name] and h in sent]
        cost = sorted(100 * (cpu1[k] - cpu0[k]) / (w1 - w0) for k in ids)
        row = counter.execute("SELECT count(*), count(DISTINCT hash) FROM records").fetchone()
        result: dict[str, Any] = {
            "machine": f"{platform.machine()}, {psutil.cpu_count()} vCPU, CPython {platform.python_version()}",
            "load_avg_1m": round(os.getloadavg()[0], 2),
            "benches": args.benches,
            "ingest": {"records": ingested, "expected": total, "seconds": round(ingest_s, 2),
                       "records_per_s": round(ingested / ingest_s)},
            "paced": {"records": n, "records_per_s": round(n / args.paced_s, 1), "every_s": args.every_s,
                      "delivered": len(latencies),
                      "latency_s": {"p50": round(percentile(latencies, 50), 3),
                                    "p95": round(percentile(latencies, 95), 3),
                                    "max": round(max(latencies), 3)} if latencies else None,
                      "sync_cpu_pct_of_core": {"median": round(statistics.median(cost), 2),
                                               "max": round(cost[-1], 2)}},
            "fleet_store": {"records": row[0] if row else 0, "distinct": row[1] if row else 0},
        }
        print(json.dumps(result, indent=2))
        ok = (result["ingest"]["records_per_s"] >= 2000 and result["paced"]["latency_s"] is not None
              and result["paced"]["latency_s"]["p95"] <= 2.0 and result["paced"]["sync_cpu_pct_of_core"]["max"] <= 2.0
              and result["fleet_store"]["records"] == result["fleet_store"]["distinct"] == paced_total)
        return 0 if ok else 1
    finally:
        for s in senders:
            s.stop(drain_s=0)
        counter.close()
        if cluster is not None:
            stop_cluster(cluster)


if __name__ == "__main__":
    threading.current_thread().name = "main"
    sys.exit(main())
