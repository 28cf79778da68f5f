"""Sealed unit records of a real simulated run: `bench verify` passes, then names every unit whose record
was altered (one byte), removed or reordered; the key is 0600; no credential is ever in a record."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers.sealed_stores import own_key_dir, quick_run_of_catalysts, store_copy

from bench import records
from bench.cli import main
from bench.errors import BadInput
from bench.model import TechnicianInputs
from bench.reports.export import to_csv, to_json
from bench.store import Store


@dataclass
class Sealed:
    db: Path
    key: Path
    run_id: int
    units: dict[str, str]  # slot -> serial (from the simulator's truth)
    secrets: set[str]


@pytest.fixture(scope="module")
def sealed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sealed]:
    """One real quick run of three simulated switches (one with a dead fan), every slot sealed."""
    tmp = tmp_path_factory.mktemp("records")
    # The plugin's own starter (what `bench_sim` calls), module-scoped so the run happens once.
    with quick_run_of_catalysts(tmp, 3, "S2:fan_failed") as run:
        db, run_id = run.db, run.run_id
        store = Store(f"sqlite:///{db}")
        # The engine sealed each slot as it finished (in finishing order, with the session's key);
        # these tests need a known order and their own key, so the records are sealed again here.
        # A new store id too: the engine's seals were witnessed under the old one, and a chain restarted
        # under the same id is exactly what the witness refuses.
        store.db.execute("DELETE FROM records")
        store.db.execute("DELETE FROM record_keys")
        store.db.execute("DELETE FROM store_meta")
        key = Path(os.environ["BENCH_KEY"])  # the session's key: plain `bench verify` trusts it
        for slot in ("S1", "S2", "S3"):
            records.seal(store, run_id, slot, key, TechnicianInputs(cosmetic="C4", notes="scuffed lid"))
        store.close()
        secrets = {str(v) for cred in run.fleet.doc["credentials"].values() for v in cred.values() if v}
        yield Sealed(db, key, run_id, {s: run.fleet.truth(s)["serial"] for s in ("S1", "S2", "S3")}, secrets)


def _verify(db: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    code = main(["verify", "--db", f"sqlite:///{db}", *extra])
    return code, capsys.readouterr().out


def _named(out: str, sealed: Sealed) -> set[str]:
    return {slot for slot, serial in sealed.units.items() if f"slot {slot} serial {serial}" in out}


def _sql(db: Path, sql: str, *params: object) -> None:
    con = sqlite3.connect(db)
    with con:
        con.execute(sql, params)
    con.close()


def _canonical(db: Path) -> list[tuple[int, str, str]]:
    con = sqlite3.connect(db)
    rows = con.execute("SELECT seq, slot, canonical FROM records ORDER BY seq").fetchall()
    con.close()
    return rows


def test_every_unit_has_a_verifiable_record_and_export_carries_its_hash(sealed: Sealed, tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    db = store_copy(sealed.db, tmp_path)
    key = own_key_dir(sealed.key, tmp_path, monkeypatch, "bench-keys")
    # The real command, as an auditor would run it, trusting only the bench's key.
    done = subprocess.run([sys.executable, "-m", "bench.cli", "verify", "--db", f"sqlite:///{db}",
                           "--key", str(sealed.key)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "3 records verified"
    # It says which key signed and that the chain reaches the head this bench witnessed.
    assert "records 1-3 signed by key" in done.stdout and "reaches the head this bench witnessed" in done.stdout

    rows = _canonical(db)
    assert [r[1] for r in rows] == ["S1", "S2", "S3"]
    body = json.loads(rows[1][2])
    assert rows[1][2] == records.canonical(body)  # stored text is canonical: sorted keys, no whitespace
    assert body["serial"] == sealed.units["S2"] and body["bench"] and body["model"] and body["profile"]
    assert [t["name"] for t in body["tests"]][:2] == ["identity", "authenticity"]
    env = next(t for t in body["tests"] if t["name"] == "environment")
    assert env["outcome"] == "FAIL" and env["evidence"] and env["started"] and env["finished"]
    assert body["grade"]["disposition"] and body["components"] and body["sealed_at"]
    assert body["technician"]["cosmetic"] == "C4" and body["seq"] == 2 and body["prev_unit"]["slot"] == "S1"

    store = Store(f"sqlite:///{db}")
    try:
        units = {u["slot"]: u for u in json.loads(to_json(store))["units"]}
        for _seq, slot, text in rows:
            assert units[slot]["record_hash"] == records.digest(text)
        csv_rows = to_csv(store).splitlines()
        assert units["S3"]["record_hash"] in csv_rows[3]
        # A regrade seals a new record: the unit's record is the latest one, and the chain still holds.
        again = records.seal(store, sealed.run_id, "S3", key, TechnicianInputs(cosmetic="C2"))
        assert json.loads(to_json(store))["units"][2]["record_hash"] == again["hash"] != units["S3"]["record_hash"]
        assert records.verify(store).ok and records.verify(store).checked == 4
    finally:
        store.close()


@pytest.mark.parametrize("victim", [0, 1, 2])
def test_one_changed_byte_names_that_unit(sealed: Sealed, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          victim: int) -> None:
    db = store_copy(sealed.db, tmp_path)
    seq, slot, text = _canonical(db)[victim]
    at = text.index('"summary":"') + len('"summary":"')  # inside a test summary: still valid JSON
    changed = text[:at] + ("X" if text[at] != "X" else "Y") + text[at + 1:]
    _sql(db, "UPDATE records SET canonical=? WHERE seq=?", changed, seq)
    code, out = _verify(db, capsys, "--key", str(sealed.key))
    assert code == 1 and "altered" in out
    assert _named(out, sealed) == {slot}


@pytest.mark.parametrize("table, sql", [
    ("slots", "UPDATE slots SET grade=replace(grade, '\"D\"', '\"A\"') WHERE slot=?"),
    ("results", "UPDATE results SET outcome='PASS', summary='all fans ok' WHERE slot=? AND name='environment'"),
    ("slots", "UPDATE slots SET serial='FOC0000FAKE' WHERE slot=?"),
    # The journal a record covers: the events the TUI shows, the telemetry charted, the transcript.
    ("events", "UPDATE events SET data=replace(data, 'FAIL', 'PASS') WHERE slot=? AND kind='test_finished'"),
    ("events", "DELETE FROM events WHERE id=(SELECT MIN(id) FROM events WHERE slot=?)"),
    ("telemetry", "INSERT INTO telemetry(rowid, run_id, slot, ts, metric, value) SELECT 0, run_id, slot, started,"
                  " 'temp:forged', 20 FROM slots WHERE slot=?"),
])
def test_a_live_row_edited_after_sealing_names_that_unit(sealed: Sealed, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str], table: str,
                                                         sql: str) -> None:
    """The chain may be intact while the store an export reads from was edited: verify compares them."""
    db = store_copy(sealed.db, tmp_path)
    _sql(db, sql, "S2")
    code, out = _verify(db, capsys, "--key", str(sealed.key))
    assert code == 1 and "contradicted" in out, out
    assert f"slot S2 serial {sealed.units['S2']}" in out and "S1" not in out and "S3" not in out


def test_a_record_rewritten_and_resigned_with_another_key_fails_against_the_bench_key(
        sealed: Sealed, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = store_copy(sealed.db, tmp_path)
    forger = records.load_or_create_key(tmp_path / "forger.key")
    seq, slot, text = _canonical(db)[2]  # the last record: nothing chains after it to break
    body = json.loads(text) | {"grade": {"letter": "A", "disposition": "RESALE"}, "key_fingerprint": forger.fingerprint}
    forged = records.canonical(body)
    _sql(db, "UPDATE records SET canonical=?, hash=?, signature=?, key_fingerprint=? WHERE seq=?",
         forged, records.digest(forged), forger.sign(records.digest(forged)), forger.fingerprint, seq)
    _sql(db, "INSERT INTO record_keys(fingerprint, public_pem, added) VALUES (?,?,?)",
         forger.fingerprint, forger.public_pem, "now")
    code, out = _verify(db, capsys, "--key", str(sealed.key))
    assert code == 1 and _named(out, sealed) == {slot} and "unknown key" in out


def test_a_removed_record_is_named_in_the_middle_and_at_the_end(sealed: Sealed, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    db = store_copy(sealed.db, tmp_path)
    _sql(db, "DELETE FROM records WHERE seq=2")
    code, out = _verify(db, capsys)
    assert code == 1 and "removed" in out and _named(out, sealed) == {"S2"}

    db2 = tmp_path / "tail.db"
    shutil.copy(sealed.db, db2)
    _sql(db2, "DELETE FROM records WHERE seq=3")  # no successor names it: the finished slot has no record
    code, out = _verify(db2, capsys)
    assert code == 1 and _named(out, sealed) == {"S3"}


def test_swapped_records_are_both_named(sealed: Sealed, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = store_copy(sealed.db, tmp_path)
    _sql(db, "UPDATE records SET seq=-1 WHERE seq=1")
    _sql(db, "UPDATE records SET seq=1 WHERE seq=2")
    _sql(db, "UPDATE records SET seq=2 WHERE seq=-1")
    code, out = _verify(db, capsys)
    assert code == 1 and "reordered" in out
    assert _named(out, sealed) == {"S1", "S2"}  # S3 stayed where it was sealed


def test_garbage_in_a_record_or_its_columns_is_named_never_a_crash(sealed: Sealed, tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    db = store_copy(sealed.db, tmp_path)
    _sql(db, "UPDATE records SET canonical=? WHERE seq=1", "\x1b[2J\x00not json")
    _sql(db, "UPDATE records SET signature='zz' WHERE seq=3")
    code, out = _verify(db, capsys)
    assert code == 1 and _named(out, sealed) == {"S1", "S3"} and "\x1b" not in out


def test_key_file_is_0600_pem_reused_and_published(sealed: Sealed, tmp_path: Path) -> None:
    assert stat.S_IMODE(sealed.key.stat().st_mode) == 0o600
    assert sealed.key.read_text().startswith("-----BEGIN PRIVATE KEY-----")
    pub = records.public_key_path(sealed.key)
    key = records.load_or_create_key(sealed.key)
    assert pub.read_text() == key.public_pem  # beside the key ...
    store = Store(f"sqlite:///{sealed.db}", must_exist=True)
    try:
        assert store.public_keys() == {key.fingerprint: key.public_pem}  # ... and in the store
    finally:
        store.close()

    other = tmp_path / "other.key"
    records.load_or_create_key(other)
    os.chmod(other, 0o644)
    with pytest.raises(BadInput, match="chmod 600"):
        records.load_or_create_key(other)


def test_no_credential_in_any_record(sealed: Sealed) -> None:
    assert sealed.secrets  # the fleet's usernames, passwords and enable secrets
    for _, _, text in _canonical(sealed.db):
        # Whole tokens only: the factory password is "cisco", and "cisco_ios_switch" or www.cisco.com are not it.
        assert not {s for s in sealed.secrets if re.search(rf"(?<![\w.]){re.escape(s)}(?![\w.])", text)}
    # Belt and braces: evidence keys that look like credentials are redacted before sealing.
    assert records.redact({"a": [{"password": "p", "Community": "c", "ok": 1}]}) == \
        {"a": [{"password": "[redacted]", "Community": "[redacted]", "ok": 1}]}


def test_verify_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "--db", f"sqlite:///{tmp_path}/none.db"]) == 2
    (tmp_path / "k.pub").write_text("not a key")
    assert main(["verify", "--db", f"sqlite:///{tmp_path}/none.db", "--key", str(tmp_path / "k.pub")]) == 2
    empty = Store(f"sqlite:///{tmp_path}/empty.db")
    empty.close()
    code, out = _verify(tmp_path / "empty.db", capsys)
    assert (code, out.splitlines()[0]) == (0, "0 records verified")
