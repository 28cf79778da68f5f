"""Opening a store: readers open read-only (a 0444 store, or one in a read-only directory, can be exported
and verified); a directory, a non-SQLite file or a corrupt database is one line and exit 2 for every command,
before anything connects."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bench import records
from bench.model import Grade, Identity
from bench.store import Store

BENCH = [sys.executable, "-m", "bench.cli"]
HAS_UNSHARE = shutil.which("unshare") is not None and subprocess.run(
    ["unshare", "-U", "true"], capture_output=True).returncode == 0


def _sealed_store(db: Path) -> None:
    store = Store(f"sqlite:///{db}")
    run_id, _ = store.open_run("k", "bench-a", "quick", "bench.yaml", ["S1", "S2"])
    for slot, serial in (("S1", "FOC111"), ("S2", "FOC222")):
        store.start_slot(run_id, slot)
        store.save_identity(run_id, slot, "cisco_ios_switch", Identity(serial=serial, model="WS-C2960X"))
        store.add_transcript(run_id, slot, "console", [("2024-01-01T00:00:00Z", "rx", "x" * 200)] * 200)
        store.finish_slot(run_id, slot, Grade("F3", "C3", "B", "RESALE", []))  # type: ignore[arg-type]
        records.seal(store, run_id, slot)
    store.close()


def _bench(*argv: str, unprivileged: bool = False, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`bench ...`; `unprivileged` runs it in a user namespace, where even root meets file modes."""
    cmd = [*(["unshare", "-U"] if unprivileged else []), *BENCH, *argv]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60, cwd=cwd)


def _one_line_exit_2(r: subprocess.CompletedProcess[str]) -> None:
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert r.returncode == 2 and "Traceback" not in r.stderr and len(lines) == 1, (r.returncode, r.stderr)


@pytest.mark.skipif(not HAS_UNSHARE, reason="needs unshare -U to meet file modes as root")
@pytest.mark.parametrize("where", ["file 0444", "directory 0555"])
def test_a_read_only_store_can_be_exported_and_verified(tmp_path: Path, where: str) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "bench.db"
    _sealed_store(db)
    before = db.read_bytes()
    os.chmod(db, 0o444)
    if where.startswith("directory"):
        os.chmod(folder, 0o555)
    try:
        export = _bench("export", "--db", f"sqlite:///{db}", "--format", "csv", unprivileged=True)
        assert export.returncode == 0 and "FOC222" in export.stdout, export.stderr
        verify = _bench("verify", "--db", f"sqlite:///{db}", unprivileged=True)
        assert verify.returncode == 0 and verify.stdout.startswith("2 records verified"), verify.stdout + verify.stderr
        report = _bench("report", "FOC111", "--db", f"sqlite:///{db}", "--format", "zpl", unprivileged=True)
        assert report.returncode == 0, report.stderr
        # A writer says so in one line instead of failing half-way.
        _one_line_exit_2(_bench("grade", "FOC111", "--db", f"sqlite:///{db}", "--operator", "jo", "--cosmetic",
                                "C2", unprivileged=True))
    finally:
        os.chmod(folder, 0o755)
        os.chmod(db, 0o644)
    assert db.read_bytes() == before  # readers wrote nothing


def test_readers_write_nothing(tmp_path: Path) -> None:
    db = tmp_path / "bench.db"
    _sealed_store(db)
    before = db.read_bytes()
    assert _bench("export", "--db", f"sqlite:///{db}").returncode == 0
    assert _bench("verify", "--db", f"sqlite:///{db}").returncode == 0
    assert db.read_bytes() == before
    wal = Path(f"{db}-wal")
    assert not wal.exists() or wal.stat().st_size == 0  # SQLite's readers may make an empty one, nothing more


def _bad_stores(tmp_path: Path) -> dict[str, Path]:
    bad = {"a directory": tmp_path / "dir.db", "random bytes": tmp_path / "junk.db",
           "a text file": tmp_path / "text.db", "an empty file": tmp_path / "empty.db",
           "a corrupt database": tmp_path / "corrupt.db", "a truncated database": tmp_path / "short.db"}
    bad["a directory"].mkdir()
    bad["random bytes"].write_bytes(os.urandom(8192))
    bad["a text file"].write_text("bench: not a database\n")
    bad["an empty file"].write_bytes(b"")
    good = tmp_path / "good.db"
    _sealed_store(good)
    data = bytearray(good.read_bytes())
    page = int.from_bytes(data[16:18], "big") or 65536
    assert len(data) > 6 * page
    data[3 * page: 5 * page] = os.urandom(2 * page)  # table pages overwritten: the header still says SQLite
    bad["a corrupt database"].write_bytes(bytes(data))
    bad["a truncated database"].write_bytes(bytes(good.read_bytes()[: 2 * page + 100]))
    return bad


def test_a_bad_store_is_one_line_exit_2_for_every_command(tmp_path: Path) -> None:
    bench_file = tmp_path / "bench.yaml"
    bench_file.write_text("bench: t\nslots:\n  - id: S1\n    ssh: 127.0.0.1:1\n")
    for what, path in _bad_stores(tmp_path).items():
        url = f"sqlite:///{path}"
        for argv in (["export", "--db", url], ["verify", "--db", url], ["report", "S1", "--db", url],
                     ["grade", "S1", "--db", url, "--operator", "jo", "--cosmetic", "C2"], ["tui", "--db", url],
                     ["run", str(bench_file), "--headless", "--db", url]):
            if what == "an empty file" and argv[0] == "run":
                continue  # an empty file is where a new store is made
            r = _bench(*argv)
            try:
                _one_line_exit_2(r)
            except AssertionError as e:
                raise AssertionError(f"{what}, bench {argv[0]}: {e}") from None


def test_quick_check_finds_damage_the_header_hides(tmp_path: Path) -> None:
    path = _bad_stores(tmp_path)["a corrupt database"]
    with pytest.raises(Exception, match="damaged"):
        Store(f"sqlite:///{path}", read_only=True)
    con = sqlite3.connect(path)  # plain SQLite opens it without complaint
    con.execute("SELECT count(*) FROM sqlite_master").fetchone()
    con.close()
