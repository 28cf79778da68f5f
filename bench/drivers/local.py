"""`local://`: the bench host itself as the unit. Same blocking interface as the SSH shell driver
(open, send, stream, close), with each command run by /bin/sh in a child process, so the server
tests and the agent run here exactly as they do on a unit over SSH.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable

from bench.drivers.channel import STREAM
from bench.drivers.parsing import sanitize
from bench.drivers.shell import ROOT_TOOLS
from bench.drivers.ssh import SshError

__all__ = ["LocalError", "LocalShell"]


class LocalError(SshError):
    """A local command could not be run or did not finish in time (an SshError: channels treat
    both alike, so a hung local command is the test's ERROR, not the run's end)."""


class LocalShell:
    platform = "linux"
    capabilities = frozenset({STREAM})
    where = "local"

    def __init__(self, shell: str = "") -> None:
        self.shell = shell or shutil.which("bash") or "/bin/sh"
        self.sudo = False
        self.user_id = os.geteuid()
        self.last_status: int | None = None
        self._procs: set[subprocess.Popen[bytes]] = set()
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return "LocalShell(local)"

    def open(self) -> str:
        if self.user_id != 0 and shutil.which("sudo"):
            self.sudo = subprocess.run(["sudo", "-n", "true"], capture_output=True, timeout=10).returncode == 0
        return "local"

    def _as_needed(self, command: str) -> str:
        if self.sudo and command.split(" ", 1)[0] in ROOT_TOOLS:
            return f"sudo -n {command}"
        return command

    def _start(self, command: str) -> subprocess.Popen[bytes]:
        try:
            proc = subprocess.Popen([self.shell, "-c", self._as_needed(command)], stdin=subprocess.DEVNULL,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
                                    env={**os.environ, "LC_ALL": "C"})
        except OSError as exc:
            raise LocalError(f"local: cannot run {self.shell} ({exc.strerror})") from None
        self._procs.add(proc)
        return proc

    def send(self, command: str, timeout: float = 30.0) -> str:
        """Run one command with stdout and stderr merged, as a terminal shows them; sanitised."""
        proc = self._start(command)
        try:
            out, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self._stop(proc)
            raise LocalError(f"local: {command!r} did not finish within {timeout:g}s") from None
        finally:
            self._procs.discard(proc)
        self.last_status = proc.returncode
        return sanitize(out.decode("utf-8", errors="replace"))

    def stream(self, command: str, on_line: Callable[[str], None], timeout: float) -> int:
        """Run a long command, handing each output line to `on_line` as it comes; returns its status."""
        proc = self._start(command)
        assert proc.stdout is not None
        deadline = time.monotonic() + timeout
        timer = threading.Timer(timeout, self._interrupt, args=(proc,))  # a read cannot take a deadline
        timer.daemon = True
        timer.start()
        try:
            for raw in proc.stdout:
                on_line(sanitize(raw.decode("utf-8", errors="replace").rstrip("\r\n")))
            proc.wait(timeout=max(1.0, deadline - time.monotonic() + 15))
        except subprocess.TimeoutExpired:
            self._stop(proc)
        finally:
            timer.cancel()
            self._procs.discard(proc)
        if time.monotonic() >= deadline:
            raise LocalError(f"local: {command!r} did not finish within {timeout:g}s")
        self.last_status = proc.returncode
        return proc.returncode

    @staticmethod
    def _interrupt(proc: subprocess.Popen[bytes]) -> None:
        """SIGINT first, like Ctrl-C: the agent then prints its last line and exits."""
        _signal_group(proc, signal.SIGINT)

    @staticmethod
    def _stop(proc: subprocess.Popen[bytes]) -> None:
        _signal_group(proc, signal.SIGKILL)
        proc.wait()

    def close(self) -> None:
        """Ends whatever still runs (a watchdog gave up on it): stress must never outlive the test."""
        for proc in list(self._procs):
            self._interrupt(proc)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._stop(proc)
        self._procs.clear()


def _signal_group(proc: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    """Signal the command's whole process group (it was started in a session of its own); gone is fine."""
    try:
        os.killpg(proc.pid, sig)
    except OSError:
        pass
