"""A real OpenSSH server on loopback for tests: Debian's /usr/sbin/sshd on a free high port,
127.0.0.1 only, its own host key and config in a temporary directory, one throwaway user made
with useradd + chpasswd and removed afterwards, stopped by its pid.

Needs root (useradd, sshd's privilege separation); without root or sshd, tests using it skip
with the reason. The `real_sshd` fixture is registered in tests/conftest.py.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

SSHD = "/usr/sbin/sshd"


@dataclass
class RealSshd:
    host: str
    port: int
    user: str
    password: str = field(repr=False)
    proc: subprocess.Popen[str] = field(repr=False)
    log: list[str] = field(default_factory=list)

    def url(self) -> str:
        return f"ssh://{self.user}:{self.password}@{self.host}:{self.port}"


def why_not() -> str:
    """Why a real sshd cannot run here, or ""."""
    if os.geteuid() != 0:
        return "a real sshd with a throwaway user needs root (useradd, chpasswd, privilege separation)"
    if not os.access(SSHD, os.X_OK):
        return f"{SSHD} is absent: apt-get install openssh-server"
    if not shutil.which("ssh-keygen") or not shutil.which("useradd") or not shutil.which("chpasswd"):
        return "ssh-keygen, useradd or chpasswd is missing"
    return ""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def _account_lock() -> Iterator[None]:
    """One account change at a time across pytest-xdist workers: useradd, chpasswd and userdel each lock
    /etc/passwd and fail at once ("cannot lock /etc/passwd") instead of waiting when another holds it."""
    with open("/run/bench-tests-accounts.lock", "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        yield


def _account_cmd(args: list[str], stdin: str | None = None, check: bool = True) -> None:
    """Run an account tool under the lock; retried while something outside this suite holds /etc/passwd."""
    end = time.monotonic() + 30
    while True:
        with _account_lock():
            done = subprocess.run(args, input=stdin, text=True, capture_output=True)
        if done.returncode == 0 or "lock" not in done.stderr or time.monotonic() > end:
            break
        time.sleep(0.2)  # someone else's account change: it takes milliseconds
    if check and done.returncode != 0:
        raise subprocess.CalledProcessError(done.returncode, args, done.stdout, done.stderr)


def _make_user() -> tuple[str, str]:
    user, password = f"benchsshd{secrets.token_hex(3)}", f"Pw-{secrets.token_urlsafe(12)}"
    _account_cmd(["useradd", "-m", user])  # the distro's default shell
    _account_cmd(["chpasswd"], stdin=f"{user}:{password}\n")
    return user, password


def start(tmp: Path, deadline_s: float = 30.0, extra_config: str = "", host_key: bool = True) -> RealSshd:
    """Start sshd and wait (with a deadline) until its log says it listens. `extra_config` adds sshd_config
    lines (algorithm restrictions, a HostKey of its own when `host_key` is False)."""
    if host_key:
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(tmp / "host_key")], check=True)
    user, password = _make_user()
    port = _free_port()
    Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # privilege separation directory
    config = tmp / "sshd_config"
    keys = f"HostKey {tmp / 'host_key'}\n" if host_key else ""
    config.write_text(f"Port {port}\nListenAddress 127.0.0.1\n{keys}PidFile {tmp / 'pid'}\n"
                      f"PasswordAuthentication yes\nKbdInteractiveAuthentication no\nUsePAM yes\n"
                      f"PermitRootLogin no\nAllowUsers {user}\nAuthorizedKeysFile none\nMaxStartups 20\n"
                      f"PrintMotd no\n{extra_config}")
    proc = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    server = RealSshd("127.0.0.1", port, user, password, proc)
    listening = threading.Event()

    def read_log() -> None:  # sshd -e logs to stderr; keep reading so it never blocks on a full pipe
        assert proc.stderr is not None
        for line in proc.stderr:
            server.log.append(line.rstrip())
            if "Server listening on 127.0.0.1" in line:
                listening.set()

    threading.Thread(target=read_log, daemon=True).start()
    until = time.monotonic() + deadline_s
    while not listening.wait(0.1):
        if proc.poll() is not None or time.monotonic() > until:
            stop(server)
            raise RuntimeError(f"sshd did not start listening: {' | '.join(server.log[-5:])}")
    return server


def stop(server: RealSshd) -> None:
    """Stop our sshd by its pid (and its session children, in its process group), remove the user."""
    if server.proc.poll() is None:
        os.killpg(server.proc.pid, 15)
        try:
            server.proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(server.proc.pid, 9)
            server.proc.wait(10)
    subprocess.run(["pkill", "-KILL", "-u", server.user], capture_output=True)  # that user's leftovers only
    _account_cmd(["userdel", "-r", server.user], check=False)


@pytest.fixture(scope="module")
def real_sshd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealSshd]:
    reason = why_not()
    if reason:
        pytest.skip(reason)
    server = start(tmp_path_factory.mktemp("sshd"))
    try:
        yield server
    finally:
        stop(server)
