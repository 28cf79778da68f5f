"""A hostile insider with write access to the SQLite file, not to the bench's key directory: every edit that
changes what an export, label or certificate says makes `bench verify` exit non-zero naming the unit or the
run; what the bench itself does to a store (a regrade, a dashboard retest, a resumed run) never does."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from helpers.engine_runs import run_engine
from helpers.sealed_stores import own_key_dir, quick_run_of_catalysts, store_copy

from bench import records
from bench.cli import main
from bench.store import Store
from simulators.pytest_plugin import SimFleet

FORGED = json.dumps({"functional": "F5", "cosmetic": "C0", "letter": "A", "disposition": "RESALE", "reasons": []})


@dataclass
class Bench:
    db: Path
    key: Path
    bench_file: Path
    run_id: int
    serials: dict[str, str]
    fleet: SimFleet


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bench]:
    """The quick plan on four simulated switches (S2 with a dead fan), sealed by the engine, then one
    technician regrade of S1 through `bench grade`: a really sealed store, as a bench leaves it."""
    tmp = tmp_path_factory.mktemp("tamper")
    keys = tmp / "keys"
    key = keys / "bench-ed25519.key"
    mp = pytest.MonkeyPatch()
    mp.setenv("BENCH_KEY", str(key))
    try:
        with quick_run_of_catalysts(tmp, 4, "S2:fan_failed", seed=16) as run:
            serials = {s: run.fleet.truth(s)["serial"] for s in ("S1", "S2", "S3", "S4")}
            assert main(["grade", serials["S1"], "--db", f"sqlite:///{run.db}", "--operator", "jo", "--cosmetic",
                         "C5", "--notes", "scuffed"]) == 0
            yield Bench(run.db, key, run.bench_file, run.run_id, serials, run.fleet)
    finally:
        mp.undo()


def _sql(db: Path, *statements: str) -> None:
    con = sqlite3.connect(db)
    with con:
        for s in statements:
            con.execute(s)
    con.close()


def _verify(db: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    code = main(["verify", "--db", f"sqlite:///{db}", *extra])
    out = capsys.readouterr()
    return code, out.out + out.err


def _verify_tampered(bench: Bench, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                     statements: list[str]) -> tuple[int, str]:
    """`bench verify` of a copy of the store with `statements` run on it."""
    db = store_copy(bench.db, tmp_path, "copy.db")
    _sql(db, *statements)
    return _verify(db, capsys)


def _names(out: str, bench: Bench, slot: str) -> bool:
    return f"slot {slot} serial {bench.serials[slot]}" in out


@pytest.fixture(autouse=True)
def _bench_key(bench: Bench, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BENCH_KEY", str(bench.key))


def test_untouched_store_verifies(bench: Bench, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _verify(store_copy(bench.db, tmp_path, "copy.db"), capsys)
    assert code == 0, out
    assert out.splitlines()[0] == "5 records verified"  # four units and the regrade
    assert "signed by key" in out and "this bench's key" in out and "reaches the head" in out


UNIT_CASES = {
    "forged grade on a slot marked running": ("S2", [f"UPDATE slots SET grade='{FORGED}', status='running' "
                                                     "WHERE slot='S2'"]),
    "forged grade on a slot marked pending": ("S2", [f"UPDATE slots SET grade='{FORGED}', status='pending' "
                                                     "WHERE slot='S2'"]),
    "forged grade under a forged retest request": ("S2", [
        "CREATE TABLE IF NOT EXISTS control (id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL, slot TEXT NOT NULL,"
        " action TEXT NOT NULL, operator TEXT NOT NULL, ts TEXT NOT NULL, taken TEXT)",
        "INSERT INTO control(run_id, slot, action, operator, ts) VALUES (1, 'S2', 'retest', 'mallory',"
        " '2999-01-01T00:00:00Z')",
        f"UPDATE slots SET grade='{FORGED}', status='running' WHERE slot='S2'"]),
    "results cleared with no retest asked": ("S2", ["DELETE FROM results WHERE slot='S2' AND name='environment'",
                                                     "UPDATE slots SET status='pending', grade=NULL, finished=NULL"
                                                     " WHERE slot='S2'"]),
    "a result edited on a running slot": ("S2", ["UPDATE results SET outcome='PASS' WHERE slot='S2'",
                                                 "UPDATE slots SET status='running' WHERE slot='S2'"]),
    "a unit's slot row removed": ("S4", ["DELETE FROM slots WHERE slot='S4'"]),
    "the last record and its slot removed": ("S1", ["DELETE FROM records WHERE seq=(SELECT MAX(seq) FROM records)",
                                                    "DELETE FROM slots WHERE slot='S1'"]),
    "the last record removed": ("S1", ["DELETE FROM records WHERE seq=(SELECT MAX(seq) FROM records)"]),
    "start and finish moved to 2020": ("S3", ["UPDATE slots SET started='2020-01-01T00:00:00Z',"
                                              " finished='2020-01-01T01:00:00Z' WHERE slot='S3'"]),
    "a test's times moved": ("S3", ["UPDATE results SET started='2020-01-01T00:00:00Z' WHERE slot='S3'"]),
    "a technician input's operator and time rewritten": ("S1", [
        "UPDATE technician_inputs SET operator='mallory', ts='2020-01-01T00:00:00Z'"]),
    "a technician input added behind the bench's back": ("S1", [
        "INSERT INTO technician_inputs(run_id, slot, field, value, operator, ts) VALUES"
        " (1, 'S1', 'cosmetic', '\"C0\"', 'mallory', '2999-01-01T00:00:00Z')"]),
    "a finished unit's grade nulled": ("S3", ["UPDATE slots SET grade=NULL WHERE slot='S3'"]),
}


@pytest.mark.parametrize("case", list(UNIT_CASES))
def test_tampering_with_a_unit_names_it(bench: Bench, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                        case: str) -> None:
    slot, statements = UNIT_CASES[case]
    code, out = _verify_tampered(bench, tmp_path, capsys, statements)
    assert code == 1, out
    assert _names(out, bench, slot), out


RUN_CASES = {
    "the run's bench name and plan changed": ["UPDATE runs SET bench='other-bench', plan='full'"],
    "the run's start moved": ["UPDATE runs SET started='2020-01-01T00:00:00Z'"],
    "the run row removed": ["DELETE FROM runs"],
}


@pytest.mark.parametrize("case", list(RUN_CASES))
def test_tampering_with_the_run_names_it(bench: Bench, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         case: str) -> None:
    code, out = _verify_tampered(bench, tmp_path, capsys, RUN_CASES[case])
    assert code == 1 and f"run {bench.run_id}" in out, out


STORE_CASES = {
    "every record deleted": ["DELETE FROM records"],
    "every record and the store id deleted": ["DELETE FROM records", "DELETE FROM store_meta"],
    "the records table dropped": ["DROP TABLE records"],
    "the store id changed": ["UPDATE store_meta SET value='0000'"],
    "everything but the run emptied": ["DELETE FROM records", "DELETE FROM slots", "DELETE FROM results",
                                       "DELETE FROM store_meta"],
    "a fake graded unit added": [f"INSERT INTO slots(run_id, slot, position, serial, grade, status) VALUES "
                                 f"(1, 'S9', 9, 'FAKE1', '{FORGED}', 'done')"],
}


@pytest.mark.parametrize("case", list(STORE_CASES))
def test_tampering_with_the_store_is_refused(bench: Bench, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                             case: str) -> None:
    code, out = _verify_tampered(bench, tmp_path, capsys, STORE_CASES[case])
    assert code == 1, out
    assert "0 records verified" not in out


def test_a_chain_resigned_with_a_strangers_key_is_refused(bench: Bench, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """The whole chain rewritten with a forged grade, rehashed, re-chained and signed by the attacker's own
    key, whose public half is put in the store: the store alone would vouch for it, this bench does not."""
    db = store_copy(bench.db, tmp_path, "copy.db")
    mallory = Ed25519PrivateKey.generate()
    pem = mallory.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode()
    fp = records.fingerprint(mallory.public_key())
    con = sqlite3.connect(db)
    with con:
        con.execute("DELETE FROM record_keys")
        con.execute("INSERT INTO record_keys VALUES (?,?,?)", (fp, pem, "2020-01-01"))
        prev = ""
        for seq, canonical in con.execute("SELECT seq, canonical FROM records ORDER BY seq").fetchall():
            body = json.loads(canonical)
            if body["slot"] == "S2":
                body["grade"] = json.loads(FORGED)
            body |= {"prev_hash": prev, "key_fingerprint": fp}
            text = records.canonical(body)
            h = records.digest(text)
            con.execute("UPDATE records SET canonical=?, hash=?, prev_hash=?, signature=?, key_fingerprint=?"
                        " WHERE seq=?", (text, h, prev, mallory.sign(h.encode()).hex(), fp, seq))
            prev = h
        con.execute(f"UPDATE slots SET grade='{FORGED}' WHERE slot='S2'")
    con.close()
    code, out = _verify(db, capsys)
    assert code == 1 and "does not know" in out and _names(out, bench, "S2"), out


def test_an_older_copy_of_the_store_is_behind_its_witness(bench: Bench, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    """The store swapped for a copy from before the regrade: every row agrees with its own records, but the
    bench sealed one more record since."""
    db = store_copy(bench.db, tmp_path, "copy.db")
    last = sqlite3.connect(db).execute("SELECT MAX(seq) FROM records").fetchone()[0]
    _sql(db, f"DELETE FROM records WHERE seq={last}", "DELETE FROM technician_inputs",
         "UPDATE slots SET grade=(SELECT json_extract(canonical, '$.grade') FROM records r"
         " WHERE r.slot='S1' AND r.seq<" + str(last) + ") WHERE slot='S1'")
    code, out = _verify(db, capsys)
    assert code == 1 and f"sealed record {last}" in out and _names(out, bench, "S1"), out


# --- no false alarms ---------------------------------------------------------------------------------
def test_a_regrade_and_a_new_input_still_verify(bench: Bench, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    db = store_copy(bench.db, tmp_path, "copy.db")
    own_key_dir(bench.key, tmp_path, monkeypatch)
    assert main(["grade", bench.serials["S3"], "--db", f"sqlite:///{db}", "--operator", "kim",
                 "--cosmetic", "C3"]) == 0
    capsys.readouterr()
    code, out = _verify(db, capsys)
    assert code == 0 and out.splitlines()[0] == "6 records verified", out


def test_a_dashboard_retest_verifies_while_it_waits_and_once_resealed(bench: Bench, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    from bench.tui.retest import redo

    db = store_copy(bench.db, tmp_path, "copy.db")
    own_key_dir(bench.key, tmp_path, monkeypatch)
    monkeypatch.chdir(bench.bench_file.parent)
    store = Store(f"sqlite:///{db}")
    try:
        done = redo(store, bench.run_id, "S2", "retest", "kim")
    finally:
        store.close()
    assert done.process is not None
    try:
        # Whatever the resumed run has reached, the cleared slot is a retest, not a forgery.
        code, out = _verify(db, capsys)
        assert code == 0, out
    finally:
        # `bench run` exits 1 when a unit failed (S2's fan): the resume itself went through.
        assert done.process.wait(timeout=300) in (0, 1), done.log.read_text()[-2000:] if done.log else ""
    code, out = _verify(db, capsys)
    assert code == 0, out
    con = sqlite3.connect(db)
    last = json.loads(con.execute("SELECT canonical FROM records ORDER BY seq DESC LIMIT 1").fetchone()[0])
    con.close()
    assert last["slot"] == "S2" and last["requests"][-1]["operator"] == "kim"  # who asked is sealed


def test_a_resumed_run_still_verifies(bench: Bench, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    """A run taken up again (as after an interruption): every slot goes back to running and is sealed anew."""
    db = store_copy(bench.db, tmp_path, "copy.db")
    own_key_dir(bench.key, tmp_path, monkeypatch)
    store = Store(f"sqlite:///{db}")
    store.reopen_run(bench.run_id)
    store.db.execute("UPDATE slots SET status='running' WHERE slot IN ('S3', 'S4')")  # killed mid-way
    store.close()
    code, out = _verify(db, capsys)
    assert code == 0, out  # interrupted with nothing changed: still the sealed records
    run_engine(bench.bench_file, db)
    code, out = _verify(db, capsys)
    assert code == 0, out
