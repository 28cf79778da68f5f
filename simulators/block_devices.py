"""Real bytes behind a simulated server's disks, so an erasure really writes and a verification really reads.

Each simulated disk gets a sparse file seeded with a previous owner's data (one 4 KiB record at the
start of every MiB, so a skipped erase fails its verification). As root with `losetup`, the file is
attached to a loop device and the simulated shell runs the real `dd`, `cmp` and `blkdiscard` on that
block device; otherwise the tools run on the sparse file itself, with the same byte semantics.
Created on first use, detached and removed when the server goes away or the process ends.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import weakref
from dataclasses import dataclass, field

MIB = 2**20
DISK_BYTES = 32 * MIB  # what a simulated disk holds: small enough that a real overwrite takes a moment
OWNER_RECORD = 4096


def owner_data(serial: str, offset: int) -> bytes:
    line = f"previous owner's data on {serial} at {offset}\n".encode()
    return (line * (OWNER_RECORD // len(line) + 1))[:OWNER_RECORD]


@dataclass
class Backing:
    file: str
    loop: str = ""  # /dev/loopN when attached; "" when the tools run on the file
    why_no_loop: str = ""

    @property
    def path(self) -> str:
        return self.loop or self.file


@dataclass
class Storage:
    """The backings of one server's disks, keyed by disk name."""

    directory: str = field(default_factory=lambda: tempfile.mkdtemp(prefix="bench-sim-disks-"))
    backings: dict[str, Backing] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._finalizer = weakref.finalize(self, _cleanup, self.directory, self.backings)

    def get(self, name: str, serial: str, size: int) -> Backing:
        if name not in self.backings:
            self.backings[name] = _create(self.directory, name, serial, size)
        return self.backings[name]

    def close(self) -> None:
        self._finalizer()


def loop_available() -> str:
    """"" when loop devices can be attached here, else why not."""
    if os.environ.get("BENCH_SIM_LOOP", "1") == "0":
        return "BENCH_SIM_LOOP=0"
    if shutil.which("losetup") is None:
        return "losetup is not installed"
    if os.geteuid() != 0:
        return "attaching loop devices needs root"
    if not os.path.exists("/dev/loop-control"):
        return "no /dev/loop-control"
    return ""


def _create(directory: str, name: str, serial: str, size: int) -> Backing:
    path = os.path.join(directory, f"{name}.img")
    with open(path, "wb") as f:
        f.truncate(size)
        for off in range(0, size, MIB):
            f.seek(off)
            f.write(owner_data(serial, off))
    backing = Backing(path)
    backing.loop, backing.why_no_loop = attach_loop(path)
    return backing


def attach_loop(path: str, direct_io: bool = False) -> tuple[str, str]:
    """(/dev/loopN over `path`, "") or ("", why not): what the simulator and the erasure benchmark use.
    `direct_io`: the loop device reads and writes its file with O_DIRECT, so its speed is the storage's
    rather than the page cache's."""
    why = loop_available()
    if why:
        return "", why
    argv = ["losetup", "--find", "--show", *(["--direct-io=on"] if direct_io else []), path]
    r = subprocess.run(argv, capture_output=True, text=True, timeout=30)
    if r.returncode == 0 and r.stdout.strip().startswith("/dev/loop"):
        return r.stdout.strip(), ""
    return "", f"losetup failed: {(r.stderr or r.stdout).strip()[:120]}"


def detach_loop(loop: str) -> None:
    subprocess.run(["losetup", "-d", loop], capture_output=True, timeout=30)


def _cleanup(directory: str, backings: dict[str, Backing]) -> None:
    for b in backings.values():
        if b.loop:
            detach_loop(b.loop)
    shutil.rmtree(directory, ignore_errors=True)


def zero_range(backing: Backing, offset: int, length: int) -> None:
    """What a purge leaves behind on the simulated media: zeros over the range (blkdiscard on a loop
    device punches the backing file; on the file itself, fallocate does the same)."""
    if backing.loop:
        subprocess.run(["blkdiscard", "-o", str(offset), "-l", str(length), backing.loop],
                       capture_output=True, check=True, timeout=120)
        return
    fd = os.open(backing.file, os.O_WRONLY)
    try:
        os.posix_fallocate(fd, offset, length)  # keeps the size; then overwrite the range with zeros
        os.lseek(fd, offset, os.SEEK_SET)
        chunk = bytes(MIB)
        left = length
        while left > 0:
            left -= os.write(fd, chunk[:min(left, MIB)])
    finally:
        os.close(fd)
