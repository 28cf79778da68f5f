"""The bench's key is never replaced silently; a key change in a chain is named unless it was deliberate;
an unreadable key or witness is one line and exit 2, never a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench import records
from bench.errors import BadInput
from bench.store import Store

BENCH = [sys.executable, "-m", "bench.cli"]


def _store_with_a_unit(tmp_path: Path) -> Store:
    """A real store with one finished slot, as the engine leaves it (no devices needed to seal it)."""
    store = Store(f"sqlite:///{tmp_path / 'bench.db'}")
    run_id, _ = store.open_run("k", "bench-a", "quick", "bench.yaml", ["S1"])
    store.start_slot(run_id, "S1")
    from bench.model import Grade, Identity

    store.save_identity(run_id, "S1", "cisco_ios_switch", Identity(serial="FOC123", model="WS-C2960X"))
    store.finish_slot(run_id, "S1", Grade("F1", "C3", "B", "RESALE", []))
    return store


def _verify(db: Path, key: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*BENCH, "verify", "--db", f"sqlite:///{db}", *extra], capture_output=True, text=True,
                          env=os.environ | {"BENCH_KEY": str(key)}, timeout=60)


def test_a_missing_key_with_its_public_half_is_not_replaced(tmp_path: Path) -> None:
    key = tmp_path / "keys" / "bench-ed25519.key"
    records.load_or_create_key(key)
    key.unlink()
    with pytest.raises(BadInput, match="restore .* from your backup.*retired"):
        records.load_or_create_key(key)
    assert not key.exists()


def test_a_missing_key_that_sealed_records_is_not_replaced(tmp_path: Path) -> None:
    key = tmp_path / "keys" / "bench-ed25519.key"
    store = _store_with_a_unit(tmp_path)
    records.seal(store, 1, "S1", key)
    store.close()
    key.unlink()
    records.public_key_path(key).unlink()  # both halves gone: the witness still knows the key signed
    with pytest.raises(BadInput, match="has sealed records with key"):
        records.load_or_create_key(key)


def test_a_deliberate_new_key_is_named_and_a_silent_one_is_refused(tmp_path: Path) -> None:
    key = tmp_path / "keys" / "bench-ed25519.key"
    store = _store_with_a_unit(tmp_path)
    first = records.seal(store, 1, "S1", key)["key_fingerprint"]
    # Another key (the file replaced by hand) cannot seal onto the chain.
    other = tmp_path / "other" / "bench-ed25519.key"
    with pytest.raises(BadInput, match="restore the key that signed it"):
        records.seal(store, 1, "S1", other)
    # Retiring the old key deliberately: its public half moves into retired/, and a new key is made.
    retired = key.parent / "retired"
    retired.mkdir()
    shutil.move(str(records.public_key_path(key)), retired / "old.pub")
    key.unlink()
    row = records.seal(store, 1, "S1", key)
    assert row["key_fingerprint"] != first
    store.close()
    done = _verify(tmp_path / "bench.db", key)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"record 1 signed by key {first[:16]} (retired key of this bench)" in done.stdout
    assert "(this bench's key)" in done.stdout


def test_records_signed_by_an_unknown_key_fail_plain_verify(tmp_path: Path) -> None:
    """The store holds the stranger's public key, but this bench never saw that key sign."""
    key = tmp_path / "keys" / "bench-ed25519.key"
    records.load_or_create_key(key)
    store = _store_with_a_unit(tmp_path)
    stranger = tmp_path / "stranger" / "bench-ed25519.key"
    records.seal(store, 1, "S1", stranger)
    store.close()
    done = _verify(tmp_path / "bench.db", key)
    assert done.returncode == 1 and "unknown key" in done.stdout and "serial FOC123" in done.stdout, done.stdout


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
@pytest.mark.parametrize("what", ["key file", "key directory"])
def test_an_unreadable_key_is_one_line_exit_2(tmp_path: Path, what: str) -> None:
    key = tmp_path / "keys" / "bench-ed25519.key"
    store = _store_with_a_unit(tmp_path)
    records.seal(store, 1, "S1", key)
    store.close()
    target = key if what == "key file" else key.parent
    os.chmod(target, 0)
    try:
        done = subprocess.run([*BENCH, "grade", "FOC123", "--db", f"sqlite:///{tmp_path / 'bench.db'}",
                               "--operator", "jo", "--cosmetic", "C2"], capture_output=True, text=True,
                              env=os.environ | {"BENCH_KEY": str(key)}, timeout=60)
        for r in (done, _verify(tmp_path / "bench.db", key)):
            assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
            assert len(r.stderr.strip().splitlines()) == 1, r.stderr
    finally:
        os.chmod(target, 0o700)


def test_a_key_path_through_a_file_is_one_line_exit_2(tmp_path: Path) -> None:
    """What root meets instead of a permission error: a path component that is not a directory."""
    (tmp_path / "keys").write_text("not a directory")
    store = _store_with_a_unit(tmp_path)
    store.close()
    key = tmp_path / "keys" / "bench-ed25519.key"
    done = subprocess.run([*BENCH, "grade", "FOC123", "--db", f"sqlite:///{tmp_path / 'bench.db'}",
                           "--operator", "jo", "--cosmetic", "C2"], capture_output=True, text=True,
                          env=os.environ | {"BENCH_KEY": str(key)}, timeout=60)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "key" in done.stderr, done.stderr


def test_a_read_only_key_directory_refuses_to_seal_before_anything(tmp_path: Path) -> None:
    key = tmp_path / "keys" / "bench-ed25519.key"
    records.load_or_create_key(key)
    wdir = key.parent / "witness"
    os.chmod(wdir, 0o500)
    try:
        if os.access(wdir, os.W_OK):
            pytest.skip("root writes into a read-only directory")
        with pytest.raises(BadInput, match="witness"):
            records.load_or_create_key(key)
    finally:
        os.chmod(wdir, 0o700)
