"""A throwaway PostgreSQL cluster for the fleet tests: initdb and pg_ctl as the `postgres` user (the Debian
package), on a free loopback port, stopped by the postmaster's PID. Skips when PostgreSQL is absent."""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest


def pg_bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else None


def _as_postgres(*cmd: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["runuser", "-u", "postgres", "--", *cmd], capture_output=True, text=True, timeout=120)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    dir: Path
    port: int

    def url(self, db: str = "fleet", user: str = "bench") -> str:
        return f"postgresql://{user}:benchpw@127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        r = _as_postgres(str(pg_bin("pg_ctl")), "-D", str(self.dir), "-w", "-l", str(self.dir / "log"), "-o",
                         f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1", "start")
        assert r.returncode == 0, r.stderr + r.stdout

    def stop(self, mode: str = "fast") -> None:
        _as_postgres(str(pg_bin("pg_ctl")), "-D", str(self.dir), "-m", mode, "-w", "stop")

    def pid(self) -> int | None:
        try:
            return int((self.dir / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def psql(self, sql: str, db: str = "fleet") -> str:
        r = _as_postgres("psql", "-h", str(self.dir), "-p", str(self.port), "-d", db, "-At", "-c", sql)
        assert r.returncode == 0, r.stderr
        return r.stdout.strip()

    def new_database(self, name: str) -> str:
        self.psql(f"CREATE DATABASE {name} OWNER bench", db="postgres")
        return self.url(name)


def start_cluster() -> Cluster:
    if pg_bin("initdb") is None or shutil.which("runuser") is None:
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql): the fleet store needs a real server")
    if os.geteuid() != 0:
        pytest.skip("starting a throwaway PostgreSQL cluster as the postgres user needs root (runuser)")
    # Its own directory straight under the temp dir: the postgres user must reach it (pytest's are 0700).
    data = Path(tempfile.mkdtemp(prefix="bench-fleet-pg-"))
    shutil.chown(data, "postgres", "postgres")
    r = _as_postgres(str(pg_bin("initdb")), "-D", str(data), "-U", "postgres", "--auth=trust")
    assert r.returncode == 0, r.stderr
    cluster = Cluster(data, _free_port())
    cluster.start()
    cluster.psql("CREATE ROLE bench LOGIN PASSWORD 'benchpw'", db="postgres")
    cluster.psql("CREATE DATABASE fleet OWNER bench", db="postgres")
    return cluster


def stop_cluster(cluster: Cluster) -> None:
    pid = cluster.pid()
    try:
        cluster.stop()
        deadline = time.monotonic() + 10
        while pid is not None and time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)
        if pid is not None:
            os.kill(pid, signal.SIGKILL)
    finally:
        shutil.rmtree(cluster.dir, ignore_errors=True)


# The fixtures every fleet test module shares (tests/conftest.py registers this module as a plugin).
@pytest.fixture(scope="module")
def pg() -> Iterator[Cluster]:
    """One throwaway cluster per test module, stopped by PID however the module ends."""
    cluster = start_cluster()
    try:
        yield cluster
    finally:
        stop_cluster(cluster)


@pytest.fixture
def url(pg: Cluster, request: pytest.FixtureRequest) -> str:
    """A fresh fleet database per test, named after it."""
    return pg.new_database("t_" + "".join(c for c in request.node.name.lower() if c.isalnum())[:40])
