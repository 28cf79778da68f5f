"""Benchmark: one bench host distributing a target image to 32 simulated units at once, against `scp`.

    python benchmarks/image_distribution.py [--units 32] [--size-mb 16] [--rounds 2]

Two ways of moving the same bytes, in the same run, alternating round by round:
- the image step's way: `bench sim` serves the units (another process); the bench (this process) runs its
  image server (bench/images/server.py) and, over each unit's SSH CLI (the engine's own channel), types
  `copy http://127.0.0.1:PORT/FILE flash:FILE`; every unit pulls the file over a real TCP connection and
  hashes what arrives. Timed from the first copy command to the last unit's `[OK - N bytes]`.
- `scp` of the same file to a real OpenSSH server on loopback (tests/helpers/real_sshd.py: Debian's sshd,
  a throwaway user; needs root), 32 `scp` processes in parallel.
Figures: bytes moved per second (all units together), the ratio (target: the image server moves at least
0.8 of scp's rate), and the bench's CPU: this process (server + 32 SSH sessions) for the image step, the
`scp` clients for scp, as CPU seconds and as a share of the wall time. The units' side (the simulator
process; sshd) is reported apart: on a real bench it is the units' own CPU.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import hashlib
import os
import platform
import re
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from bench.drivers.adapter import LazyChannel, ssh_cli_channel  # noqa: E402
from bench.drivers.channel import Credential  # noqa: E402
from bench.images.server import ImageServer  # noqa: E402
from simulators.families.cisco_ios.images import TARGETS, make_image  # noqa: E402

FAMILY = "cisco_ios_switch"


def _proc_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a process and its reaped children, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return sum(int(fields[i]) for i in (11, 12, 13, 14)) / tick


def _start_sim(directory: Path, units: int) -> tuple[subprocess.Popen[bytes], dict[str, Any]]:
    bench_file = directory / "sim.yaml"
    run_cli = "import sys; from bench.cli import main; sys.exit(main(sys.argv[1:]))"
    proc = subprocess.Popen([sys.executable, "-c", run_cli, "sim", "--count", str(units), "--family", FAMILY,
                             "--write-bench", str(bench_file)], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while not bench_file.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("bench sim did not write its bench file")
        time.sleep(0.2)
    return proc, yaml.safe_load(bench_file.read_text())


def _channel(doc: dict[str, Any], slot: dict[str, Any]) -> LazyChannel:
    creds = doc["credentials"][slot["credentials"][0]]
    host, port = slot["ssh"].rsplit(":", 1)
    cred = Credential("factory", creds["username"], creds["password"], creds.get("enable", ""))
    return ssh_cli_channel(host, int(port), [cred], device_type="cisco_ios", platform="cisco_ios", executor=None,
                           gate=asyncio.Semaphore(1), connect_timeout=30)


async def _copy(cli: LazyChannel, url: str, name: str) -> int:
    await cli.send_expect(f"copy {url} flash:{name}", r"Destination filename \[[^\]]*\]\?\s*$", timeout=120)
    out = await cli.send_expect("", r"(?:^|\n)\S+#\s*$", timeout=600)
    m = re.search(r"\[OK - (\d+)", out)
    if not m:
        raise RuntimeError(f"copy failed: {out.strip()[-200:]}")
    return int(m.group(1))


async def image_round(channels: list[LazyChannel], path: Path, name: str, sim_pid: int) -> dict[str, float]:
    server = await ImageServer({name: str(path)}).start()
    try:
        url = server.url(name)
        cpu0, sim0, t0 = resource.getrusage(resource.RUSAGE_SELF), _proc_cpu(sim_pid), time.monotonic()
        sizes = await asyncio.gather(*(_copy(c, url, name) for c in channels))
        wall = time.monotonic() - t0
        cpu1, sim1 = resource.getrusage(resource.RUSAGE_SELF), _proc_cpu(sim_pid)
    finally:
        await server.stop()
    size = path.stat().st_size
    if any(s != size for s in sizes):
        raise RuntimeError(f"a unit received the wrong size: {sorted(set(sizes))}")
    md5 = hashlib.md5(path.read_bytes()).hexdigest()
    for c in channels:  # untimed: the bytes that arrived are the file's, then room for the next round
        out = await c.send(f"verify /md5 flash:{name}", timeout=120)
        if md5 not in out:
            raise RuntimeError(f"a unit's copy does not verify: {out.strip()[-160:]}")
        await c.send(f"delete /force flash:{name}", timeout=60)
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    return {"wall": wall, "bytes": float(sum(sizes)), "bench_cpu": cpu, "unit_cpu": sim1 - sim0}


def _ssh_opts(sshd: Any, control: Path) -> list[str]:
    return ["-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o",
            "PreferredAuthentications=password", "-o", "LogLevel=ERROR", "-o", f"ControlPath={control}"]


def scp_masters(sshd: Any, units: int, askpass: Path, tmp: Path) -> tuple[dict[str, str], list[Path]]:
    """One logged-in SSH connection per unit before timing (ControlMaster), as the bench's CLI sessions are:
    the timed scp moves bytes, it does not log in."""
    env = {**os.environ, "SSH_ASKPASS": str(askpass), "SSH_ASKPASS_REQUIRE": "force", "DISPLAY": ":0"}
    controls = [tmp / f"ctl{i}" for i in range(units)]
    for batch in range(0, units, 8):  # sshd's MaxStartups: logins in flight at once
        procs = [subprocess.Popen(["ssh", *_ssh_opts(sshd, c), "-M", "-f", "-N", "-p", str(sshd.port),
                                   f"{sshd.user}@127.0.0.1"], env=env, stdin=subprocess.DEVNULL,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                 for c in controls[batch:batch + 8]]
        for p in procs:
            if p.wait(60):
                raise RuntimeError(f"ssh master failed: {p.stderr.read() if p.stderr else b''!r}")
    return env, controls


def scp_round(sshd: Any, path: Path, env: dict[str, str], controls: list[Path]) -> dict[str, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    procs = [subprocess.Popen(["scp", "-q", *_ssh_opts(sshd, c), "-P", str(sshd.port), str(path),
                               f"{sshd.user}@127.0.0.1:unit{i}.bin"], env=env, stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
             for i, c in enumerate(controls)]
    errors = [p.communicate()[1] for p in procs]
    wall = time.monotonic() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if any(p.returncode for p in procs):
        raise RuntimeError(f"scp failed: {next(e for e, p in zip(errors, procs, strict=True) if p.returncode)!r}")
    home = Path(f"/home/{sshd.user}")
    sizes = [(home / f"unit{i}.bin").stat().st_size for i in range(len(controls))]
    for i in range(len(controls)):
        (home / f"unit{i}.bin").unlink()
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "bytes": float(sum(sizes)), "bench_cpu": cpu, "unit_cpu": float("nan")}


async def main_async(args: argparse.Namespace, tmp: Path) -> list[tuple[str, dict[str, float]]]:
    import helpers.real_sshd as real_sshd

    why = real_sshd.why_not()
    if why:
        raise SystemExit(f"scp side impossible here: {why}")
    image = tmp / "target.bin"
    make_image(str(image), FAMILY, TARGETS[FAMILY], args.size_mb << 20)
    sim, doc = _start_sim(tmp, args.units)
    (tmp / "sshd").mkdir()
    sshd = real_sshd.start(tmp / "sshd", extra_config="Subsystem sftp internal-sftp\n")  # today's scp is SFTP
    askpass = tmp / "askpass.sh"
    askpass.write_text(f"#!/bin/sh\necho '{sshd.password}'\n")
    askpass.chmod(0o700)
    channels = [_channel(doc, s) for s in doc["slots"]]
    rows: list[tuple[str, dict[str, float]]] = []
    controls: list[Path] = []
    try:
        env, controls = await asyncio.to_thread(scp_masters, sshd, args.units, askpass, tmp)
        await asyncio.gather(*(c.send("terminal length 0") for c in channels))  # logged in before timing
        for r in range(args.rounds):
            rows.append(("image server", await image_round(channels, image, f"target-r{r}.bin", sim.pid)))
            rows.append(("scp", await asyncio.to_thread(scp_round, sshd, image, env, controls)))
    finally:
        for c in controls:
            subprocess.run(["ssh", "-o", f"ControlPath={c}", "-O", "exit", "x"], capture_output=True)
        for c in channels:
            await c.close()
        real_sshd.stop(sshd)
        os.killpg(sim.pid, signal.SIGTERM)
        sim.wait(30)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--units", type=int, default=32)
    ap.add_argument("--size-mb", type=int, default=16)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="image-dist-") as d:
        rows = asyncio.run(main_async(args, Path(d)))
    print(f"# {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, {platform.node()}, {os.cpu_count()} cores, "
          f"{args.units} units x {args.size_mb} MiB, {args.rounds} rounds, load average {os.getloadavg()[0]:.1f}")
    print(f"{'way':<13} {'wall s':>7} {'MB/s':>8} {'bench CPU s':>11} {'bench CPU %':>11} {'unit-side CPU s':>15}")
    rates: dict[str, list[float]] = {}
    for way, r in rows:
        rate = r["bytes"] / r["wall"] / 1e6
        rates.setdefault(way, []).append(rate)
        share = 100 * r["bench_cpu"] / r["wall"]
        unit = "-" if r["unit_cpu"] != r["unit_cpu"] else f"{r['unit_cpu']:.2f}"
        print(f"{way:<13} {r['wall']:>7.2f} {rate:>8.1f} {r['bench_cpu']:>11.2f} {share:>10.0f}% {unit:>15}")
    best = {w: max(v) for w, v in rates.items()}
    print(f"ratio image server / scp (best round of each): {best['image server'] / best['scp']:.2f} (target >= 0.8)")


if __name__ == "__main__":
    main()
