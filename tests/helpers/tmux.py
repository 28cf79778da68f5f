"""A real terminal for a test: one tmux session on a private server socket (nothing else's tmux is touched)."""

from __future__ import annotations

import os
import shlex
import subprocess
import time
from collections.abc import Callable
from pathlib import Path


class Terminal:
    def __init__(self, cwd: Path, command: list[str], size: tuple[int, int] = (170, 40),
                 env: dict[str, str] | None = None) -> None:
        self.socket = f"benchtui-{os.getpid()}-{time.monotonic_ns()}"
        # A pytest process may leave COLUMNS/LINES in the environment, which would beat the pane's size.
        values = {"BENCH_KEY": os.environ.get("BENCH_KEY", ""), "TERM": "xterm-256color"} | (env or {})
        assigns = " ".join(f"{k}={shlex.quote(v)}" for k, v in values.items())
        line = f"cd {shlex.quote(str(cwd))} && env -u COLUMNS -u LINES {assigns} {shlex.join(command)}; " \
               "echo EXITED $?; sleep 60"
        self._tmux("new-session", "-d", "-s", "t", "-x", str(size[0]), "-y", str(size[1]), line)
        self._tmux("resize-window", "-t", "t", "-x", str(size[0]), "-y", str(size[1]))

    def _tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=30).stdout

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", "t")

    def keys(self, *keys: str) -> None:
        self._tmux("send-keys", "-t", "t", *keys)

    def type(self, text: str) -> None:
        """Type `text` literally (no key names): a scanner or a technician's typing."""
        self._tmux("send-keys", "-t", "t", "-l", text)

    def wait_for(self, what: str, ok: Callable[[str], bool], deadline_s: float = 120.0) -> str:
        end = time.monotonic() + deadline_s
        text = ""
        while time.monotonic() < end:
            text = self.screen()
            assert "Traceback" not in text, text
            if ok(text):
                return text
            time.sleep(0.2)
        raise AssertionError(f"screen never showed {what} in {deadline_s:g} s:\n{text}")

    def close(self) -> None:
        self._tmux("kill-server")
