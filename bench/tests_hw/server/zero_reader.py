"""Reads byte ranges of a block device with direct I/O and says whether they hold only zeros.

Runs ON THE UNIT (the live image's python3; the erasure test ships this file's source through the shell,
standard library only): `python3 zero_reader.py DEVICE START:LENGTH ...`. Direct I/O into a page-aligned
4 MiB buffer, as `dd iflag=direct bs=4M` reads, so the verification runs at the disk's read rate and not
through the page cache. Each block is checked with one memcmp against zeros; two threads take the blocks
in turn, so one compares while the other reads (a reader/checker pair handing blocks over a queue lost
more to the hand-overs on a loaded host than it gained). Prints one line and exits like cmp:
`zeros BYTES direct|buffered` (0), `differs at OFFSET` (1), `unreadable at OFFSET: WHY` (2).
"""

import errno
import mmap
import os
import sys
import threading

BLOCK = 4 << 20  # as dd bs=4M
READERS = 2  # threads in turn: the compare of one block hides behind the read of the next
ALIGN = 4096


def open_device(device):
    """(fd, direct?): direct I/O when the device takes it (a test's file on tmpfs does not)."""
    try:
        fd = os.open(device, os.O_RDONLY | os.O_DIRECT)
    except OSError:
        return os.open(device, os.O_RDONLY), False
    probe = mmap.mmap(-1, ALIGN)
    try:
        os.preadv(fd, [probe], 0)
    except OSError as exc:
        if exc.errno != errno.EINVAL:
            raise
        os.close(fd)
        return os.open(device, os.O_RDONLY), False
    return fd, True


def blocks(ranges):
    out = []
    for start, length in ranges:
        out += [(off, min(BLOCK, start + length - off)) for off in range(start, start + length, BLOCK)]
    return out


def zero_test():
    """is_zero(buf, n): libc's memcmp against an untouched anonymous map (every page the kernel's one zero
    page, so it stays in cache) through ctypes, which lets go of the GIL; else a bytes compare."""
    try:
        import ctypes

        memcmp = ctypes.CDLL(None).memcmp
        memcmp.restype, memcmp.argtypes = ctypes.c_int, [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t]
    except (ImportError, OSError, AttributeError):
        plain = bytes(BLOCK)
        return lambda buf, n: buf[:n] == plain[:n]
    zero = ctypes.c_char.from_buffer(mmap.mmap(-1, BLOCK))  # holds its map for as long as the test lives
    pinned = {}  # id(buf) -> (buf, ctypes view): each thread's buffer pinned once, its address taken once

    def is_zero(buf, n):
        held = pinned.get(id(buf)) or pinned.setdefault(id(buf), (buf, ctypes.c_char.from_buffer(buf)))
        return memcmp(ctypes.addressof(held[1]), ctypes.addressof(zero), n) == 0
    return is_zero


def check(device, ranges):
    """Every block of `ranges` read and compared by READERS threads taking turns (block k goes to thread
    k mod READERS): one compares while the other waits in preadv; both let go of the GIL."""
    fd, direct = open_device(device)
    todo = blocks(ranges)
    found = []  # (offset, line, status) of every problem; the first one is reported
    is_zero = zero_test()
    lock = threading.Lock()

    def report(at, line, status):
        with lock:
            found.append((at, line, status))

    def past_a_problem(off):
        # Blocks beyond a problem need no reading; blocks before it still do, so the first one is named.
        with lock:
            return bool(found) and off >= min(found)[0]

    def work(first):
        buf = mmap.mmap(-1, BLOCK)
        view = memoryview(buf)
        for off, want in todo[first::READERS]:
            if past_a_problem(off):
                return
            ask = -(-want // ALIGN) * ALIGN if direct else want
            try:
                n = min(os.preadv(fd, [view[:ask]], off), want)
            except OSError as exc:
                report(off, f"unreadable at {off}: {exc.strerror}", 2)
                return
            if n > 0 and not is_zero(buf, n):
                first_set = off + n - len(buf[:n].lstrip(bytes(1)))
                report(first_set, f"differs at {first_set}", 1)
                return
            if n < want:  # what was read is zeros; the rest is not there to read
                report(off + max(n, 0), f"unreadable at {off + max(n, 0)}: end of device", 2)
                return

    threads = [threading.Thread(target=work, args=(k,), daemon=True) for k in range(READERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    os.close(fd)
    if found:
        _off, line, status = min(found)
        return line, status
    return f"zeros {sum(n for _o, n in todo)} {'direct' if direct else 'buffered'}", 0


def main(argv):
    try:
        ranges = [tuple(int(x) for x in arg.split(":", 1)) for arg in argv[2:]]
        if len(argv) < 3 or any(len(r) != 2 or r[0] < 0 or r[1] < 0 for r in ranges):
            raise ValueError
    except ValueError:
        print("usage: zero_reader.py DEVICE START:LENGTH ...")
        return 2
    try:
        line, status = check(argv[1], ranges)
    except OSError as exc:
        line, status = f"unreadable at 0: {exc.strerror}", 2
    print(line)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
