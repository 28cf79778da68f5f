"""Reading a child process's line output until a pattern, with a deadline (no fixed sleeps)."""

from __future__ import annotations

import subprocess
import time


def read_lines_until(proc: subprocess.Popen[str], pattern: str, count: int, deadline_s: float = 30.0) -> list[str]:
    """Lines of a `bench run`'s progress until `pattern` was seen `count` times (or the deadline)."""
    seen, lines, end = 0, [], time.monotonic() + deadline_s
    assert proc.stdout is not None
    while seen < count and time.monotonic() < end:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        seen += pattern in line
    assert seen >= count, f"no {pattern!r} x{count} in time: {lines}"
    return lines
