"""Erasure speed: the bench's overwrite and read-back verification of loop devices against `dd` on the
same devices in the same run (issue 18: both at least 0.9x of dd).

    sudo python benchmarks/erasure_speed.py [--mib 512] [--rounds 3]

Needs root and losetup (loop devices over sparse files in a temporary directory, detached at the end).
The bench's side is bench.tests_hw.server.erasure's own overwrite() and verify_zeros(full), through a
local shell, as it runs on a unit's live image.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime

from bench.model import Identity
from bench.tests_hw.base import SlotInfo, TestContext
from bench.tests_hw.server import erasure

MIB = 2**20


class Local:
    platform = "linux"

    async def send(self, command: str, timeout: float = 30.0) -> str:
        proc = await asyncio.create_subprocess_exec("bash", "-c", command, stdout=asyncio.subprocess.PIPE,
                                                    stderr=asyncio.subprocess.STDOUT)
        out, _ = await asyncio.wait_for(proc.communicate(), timeout)
        return out.decode(errors="replace")


def timed(argv: list[str]) -> float:
    t0 = time.monotonic()
    subprocess.run(argv, check=True, capture_output=True)
    return time.monotonic() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mib", type=int, default=512, help="size of each loop device in MiB")
    ap.add_argument("--rounds", type=int, default=3, help="alternating rounds (best of each side is kept)")
    args = ap.parse_args()
    if os.geteuid() != 0:
        print("needs root (losetup)", file=sys.stderr)
        return 2
    size = args.mib * MIB
    work = tempfile.mkdtemp(prefix="erasure-bench-")
    path = os.path.join(work, "disk.img")
    with open(path, "wb") as f:
        f.truncate(size)
    loop = subprocess.run(["losetup", "--find", "--show", path], capture_output=True, text=True,
                          check=True).stdout.strip()
    unit = erasure.Unit(TestContext(slot=SlotInfo("B"), profile_name="linux_server", params={},
                                    identity=Identity(), cli=Local()), sudo=False)
    disk = erasure.Disk(os.path.basename(loop), size, "loop", "", "", False)
    best = {"dd_write": 1e9, "bench_write": 1e9, "dd_read": 1e9, "bench_read": 1e9}
    try:
        for _ in range(args.rounds):
            best["dd_write"] = min(best["dd_write"], timed(
                ["dd", "if=/dev/zero", f"of={loop}", "bs=4M", f"count={size}", "iflag=count_bytes", "oflag=direct",
                 "conv=fsync", "status=none"]))
            rec = erasure.Record(loop, "loop", "", size)
            t0 = time.monotonic()
            why = asyncio.run(erasure.overwrite(unit, disk, size, rec, 50))
            best["bench_write"] = min(best["bench_write"], time.monotonic() - t0)
            assert not why, why
            best["dd_read"] = min(best["dd_read"], timed(
                ["dd", f"if={loop}", "of=/dev/null", "bs=4M", "iflag=direct", "status=none"]))
            t0 = time.monotonic()
            v = asyncio.run(erasure.verify_zeros(unit, loop, size, "full", 0, MIB, 600))
            best["bench_read"] = min(best["bench_read"], time.monotonic() - t0)
            assert v["result"] == "PASS", v
    finally:
        subprocess.run(["losetup", "-d", loop], capture_output=True)
        os.unlink(path)
        os.rmdir(work)
    mb = size / MIB
    rate = {k: mb / v for k, v in best.items()}
    print(f"{datetime.now(UTC):%Y-%m-%d} {platform.node()} {platform.processor() or platform.machine()} "
          f"{os.cpu_count()} cpus, loop device {args.mib} MiB over a sparse file, best of {args.rounds}")
    print(f"write: dd {rate['dd_write']:.0f} MiB/s, bench overwrite {rate['bench_write']:.0f} MiB/s "
          f"({rate['bench_write'] / rate['dd_write']:.2f}x)")
    print(f"read:  dd {rate['dd_read']:.0f} MiB/s, bench verify (cmp) {rate['bench_read']:.0f} MiB/s "
          f"({rate['bench_read'] / rate['dd_read']:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
