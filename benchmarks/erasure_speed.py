"""Erasure speed: the bench's overwrite and read-back verification of a loop device against `dd` on the
same device in the same run (issue 18: both at least 0.9x of dd).

    sudo python benchmarks/erasure_speed.py [--mib 1024] [--rounds 5] [--page-cache]

Needs root and losetup (a loop device over a sparse file in a temporary directory, detached at the end).
The loop device does direct I/O on its file (`losetup --direct-io=on`), so both sides move at the speed the
storage allows, as on a server's disk; `--page-cache` leaves the file in the page cache instead, which
measures memory bandwidth rather than storage.
Both sides run through the same `local://` shell channel the bench uses for this host, so each pays the
same cost per command: the bench's side is bench.tests_hw.server.erasure's own overwrite() and
verify_zeros(full) (the direct-I/O zero reader), as it runs on a unit's live image; dd's side is
`dd ... oflag=direct` and `dd ... iflag=direct`, 4 MiB blocks.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from bench.model import Identity
from bench.shell_channels import ShellChannel, local_channel
from bench.tests_hw.base import SlotInfo, TestContext
from bench.tests_hw.server import erasure
from simulators.block_devices import attach_loop, detach_loop

MIB = 2**20


async def timed(channel: ShellChannel, command: str) -> float:
    t0 = time.monotonic()
    out = await channel.send(f"{command}; echo rc $?", timeout=600)
    assert out.rstrip().endswith("rc 0"), out
    return time.monotonic() - t0


async def measure(loop: str, size: int, rounds: int) -> dict[str, float]:
    channel = local_channel(ThreadPoolExecutor(2), asyncio.Semaphore(2))
    unit = erasure.Unit(TestContext(slot=SlotInfo("B"), profile_name="linux_server", params={},
                                    identity=Identity(), cli=channel), sudo=False)
    disk = erasure.Disk(os.path.basename(loop), size, "loop", "", "", False)
    best = {"dd_write": 1e9, "bench_write": 1e9, "dd_read": 1e9, "bench_read": 1e9}
    for _ in range(rounds):  # alternating, so both sides meet the same load on a shared machine
        best["dd_write"] = min(best["dd_write"], await timed(
            channel, f"dd if=/dev/zero of={loop} bs=4M count={size} iflag=count_bytes oflag=direct conv=fsync "
                     "status=none"))
        t0 = time.monotonic()
        why = await erasure.overwrite(unit, disk, size, erasure.Record(loop, "loop", "", size), 50)
        best["bench_write"] = min(best["bench_write"], time.monotonic() - t0)
        assert not why, why
        best["dd_read"] = min(best["dd_read"], await timed(
            channel, f"dd if={loop} of=/dev/null bs=4M iflag=direct status=none"))
        t0 = time.monotonic()
        v = await erasure.verify_zeros(unit, loop, size, "full", 0, MIB, 600)
        best["bench_read"] = min(best["bench_read"], time.monotonic() - t0)
        assert v["result"] == "PASS" and v["reader"] == "zero_reader (direct I/O)", v
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mib", type=int, default=1024, help="size of the loop device in MiB")
    ap.add_argument("--rounds", type=int, default=5, help="alternating rounds (best of each side is kept)")
    ap.add_argument("--page-cache", action="store_true", help="loop device through the page cache, not direct I/O")
    args = ap.parse_args()
    if os.geteuid() != 0:
        print("needs root (losetup)", file=sys.stderr)
        return 2
    size = args.mib * MIB
    with tempfile.TemporaryDirectory(prefix="erasure-bench-") as work:
        path = os.path.join(work, "disk.img")
        with open(path, "wb") as f:
            f.truncate(size)
        loop, why = attach_loop(path, direct_io=not args.page_cache)
        if not loop:
            print(f"no loop device: {why}", file=sys.stderr)
            return 2
        try:
            best = asyncio.run(measure(loop, size, args.rounds))
        finally:
            detach_loop(loop)
    rate = {k: args.mib / v for k, v in best.items()}
    print(f"{datetime.now(UTC):%Y-%m-%d} {platform.node()} {platform.processor() or platform.machine()} "
          f"{os.cpu_count()} cpus, loop device {args.mib} MiB over a sparse file "
          f"({'page cache' if args.page_cache else 'direct I/O'}), best of {args.rounds}")
    print(f"write: dd {rate['dd_write']:.0f} MiB/s, bench overwrite {rate['bench_write']:.0f} MiB/s "
          f"({rate['bench_write'] / rate['dd_write']:.2f}x)")
    print(f"read:  dd {rate['dd_read']:.0f} MiB/s, bench verify (zero_reader) {rate['bench_read']:.0f} MiB/s "
          f"({rate['bench_read'] / rate['dd_read']:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
