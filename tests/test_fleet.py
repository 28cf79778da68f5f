"""The fleet store on a real PostgreSQL server (a throwaway cluster): benches sync their sealed records,
idempotent by hash through restarts and a hard stop of the server; two benches write at once; every view
says which benches are not approved; `bench verify --db` names a unit whose row was changed in the store;
the authenticity test hears of a serial graded on another bench, and a fleet store that is down is unknown."""

from __future__ import annotations

import asyncio
import os
import threading
import time
from pathlib import Path

import psycopg
import pytest
import yaml
from helpers.engine_runs import run_engine
from helpers.fleet_units import fleet_rows, seal_one, seal_units
from helpers.pg_cluster import Cluster

from bench import records
from bench.cli import main
from bench.config import load_bench
from bench.errors import BenchFileError
from bench.fleet.lookup import lookup_for
from bench.fleet.sender import FleetSender
from bench.fleet.url import target
from bench.model import Identity, Outcome
from bench.store import Store
from bench.tests_hw import authenticity
from bench.tests_hw.base import SlotInfo, TestContext
from simulators.pytest_plugin import start_fleet


def test_sync_is_idempotent_registers_the_key_and_holds_an_unapproved_bench(
        tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "a.db"
    seal_units(db, "bench-a", ["FOC1", "FOC2"]).close()
    assert main(["sync", "--db", str(db), "--fleet", url]) == 0
    assert "2 record(s) sent" in capsys.readouterr().out
    assert main(["sync", "--db", str(db), "--fleet", url]) == 0
    assert "0 record(s) sent" in capsys.readouterr().out
    # The bench forgets what it sent (a sender killed before its mark): everything goes again, lands once.
    s = Store(f"sqlite:///{db}")
    s.db.execute("DELETE FROM fleet_sent")
    s.close()
    assert main(["sync", "--db", str(db), "--fleet", url]) == 0
    assert "0 record(s) sent to" in capsys.readouterr().out
    assert fleet_rows(url, "SELECT count(*) FROM records") == [(2,)]
    assert sorted(fleet_rows(url, "SELECT serial FROM units")) == [("FOC1",), ("FOC2",)]
    fp = records.load_or_create_key(os.environ["BENCH_KEY"]).fingerprint
    assert fleet_rows(url, "SELECT name, key_fingerprint, approved FROM benches") == [("bench-a", fp, False)]
    # Held, not trusted, in every view, until approved.
    assert main(["export", "--db", url]) == 0
    out = capsys.readouterr().out
    assert '"bench": "bench-a"' in out and "held: bench not approved" in out
    assert main(["verify", "--db", url]) == 0
    out = capsys.readouterr().out
    assert "bench bench-a" in out and "not approved: its records (2) are held, not trusted" in out
    assert main(["fleet", "list", "--db", url]) == 0
    assert "NOT APPROVED" in capsys.readouterr().out
    assert main(["fleet", "approve", "bench-a", "--db", url, "--operator", "jo"]) == 0
    assert "approved by jo" in capsys.readouterr().out
    assert main(["export", "--db", url, "--format", "csv"]) == 0
    csv = capsys.readouterr().out
    assert csv.splitlines()[0].endswith(",trust") and csv.count(",trusted") == 2
    assert main(["fleet", "approve", "nobody", "--db", url]) == 2


def test_verify_names_the_unit_whose_grade_or_record_was_changed_in_the_fleet_store(
        tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]) -> None:
    seal_units(tmp_path / "a.db", "bench-a", ["FOC1", "FOC2", "FOC3"]).close()
    assert main(["sync", "--db", str(tmp_path / "a.db"), "--fleet", url]) == 0
    assert main(["verify", "--db", url]) == 0
    assert "3 records of the fleet store verified" in capsys.readouterr().out
    with psycopg.connect(url) as conn:
        conn.execute("""UPDATE units SET grade = '{"letter": "A", "disposition": "RESALE"}' WHERE serial='FOC2'""")
    assert main(["verify", "--db", url]) == 1
    out = capsys.readouterr().out
    assert "FOC2" in out and "grade" in out and "FOC1" not in out and "FOC3" not in out
    with psycopg.connect(url) as conn:
        conn.execute("UPDATE units u SET grade = r.canonical::jsonb -> 'grade' FROM records r "
                     "WHERE r.hash = u.record_hash")
        conn.execute("UPDATE records SET canonical = replace(canonical, 'FOC3', 'FOC9') WHERE serial='FOC3'")
    assert main(["verify", "--db", url]) == 1
    out = capsys.readouterr().out
    assert "FOC3" in out and "FOC2" not in out


def test_sender_survives_a_hard_stop_of_the_server_and_grading_never_waits(
        tmp_path: Path, pg: Cluster, url: str) -> None:
    db = tmp_path / "a.db"
    store = seal_units(db, "bench-a", ["S-1", "S-2"])
    run_id = store.latest_run().id  # type: ignore[union-attr]
    lines: list[str] = []
    sender = FleetSender(str(db), url, lines.append).start()
    try:
        _until(lambda: fleet_rows(url, "SELECT count(*) FROM records") == [(2,)])
        pg.stop("immediate")  # the fleet store goes away without a goodbye
        t0 = time.monotonic()
        for i in range(3, 6):
            store.add_slot(run_id, f"S{i}", i)
            seal_one(store, run_id, f"S{i}", f"S-{i}")
        assert time.monotonic() - t0 < 5, "sealing waited on the fleet store"
        _until(lambda: sender.up is False)
        assert store.unsent_count(target(url)) == 3
        pg.start()
    finally:
        left = sender.stop(drain_s=30)
    assert left == 0 and store.unsent_count(target(url)) == 0
    assert any("wait in the local store" in ln for ln in lines) and "benchpw" not in " ".join(lines)
    assert fleet_rows(url, "SELECT count(*), count(DISTINCT hash) FROM records") == [(5, 5)]
    assert sorted(fleet_rows(url, "SELECT serial FROM units")) == [(f"S-{i}",) for i in range(1, 6)]
    store.close()


def test_two_benches_write_at_once_and_both_chains_hold(
        tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]) -> None:
    stores = [seal_units(tmp_path / f"{b}.db", b, [f"{b}-{i}" for i in range(25)]) for b in ("b1", "b2")]
    for s in stores:
        s.close()
    codes: list[int] = []
    threads = [threading.Thread(target=lambda b=b: codes.append(
        main(["sync", "--db", str(tmp_path / f"{b}.db"), "--fleet", url]))) for b in ("b1", "b2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert codes == [0, 0]
    assert fleet_rows(url, "SELECT bench, count(*) FROM units GROUP BY bench ORDER BY bench") == [
        ("b1", 25), ("b2", 25)]
    capsys.readouterr()
    assert main(["verify", "--db", url]) == 0
    assert "50 records of the fleet store verified" in capsys.readouterr().out
    assert main(["export", "--db", url, "--bench", "b2"]) == 0
    assert capsys.readouterr().out.count('"bench": "b2"') == 25


def _ctx(serial: str, lookup: object) -> TestContext:
    return TestContext(slot=SlotInfo("S1", fleet=lookup),  # type: ignore[arg-type]
                       profile_name="cisco_ios_switch", params={},
                       identity=Identity(serial=serial, chassis_serials={"cli": serial, "snmp": serial}))


def test_authenticity_names_the_other_bench_and_a_fleet_store_down_is_unknown(tmp_path: Path, url: str) -> None:
    seal_units(tmp_path / "a.db", "bench-a", ["FOC7"]).close()
    assert main(["sync", "--db", str(tmp_path / "a.db"), "--fleet", url]) == 0
    # Bench B started its unit long after bench A finished: a returned or re-tested unit.
    ctx = _ctx("FOC7", lookup_for(url, "bench-b", lambda: "2999-01-01T00:00:00.000Z"))
    evidence: dict[str, object] = {}
    clone, seen, unknown = asyncio.run(authenticity._fleet(ctx, {"cli": "FOC7"}, evidence))
    assert not clone and not unknown and "bench-a" in seen and "returned or re-tested" in seen
    assert "not approved" in seen  # held, not trusted, says so
    # Bench B's unit was on the bench while bench A's was: two units, one serial.
    ctx = _ctx("FOC7", lookup_for(url, "bench-b", lambda: "2000-01-01T00:00:00.000Z"))
    clone, seen, unknown = asyncio.run(authenticity._fleet(ctx, {"cli": "FOC7"}, {}))
    assert "bench-a" in clone and "clone or counterfeit" in clone
    # Its own bench is not another bench.
    ctx = _ctx("FOC7", lookup_for(url, "bench-a", lambda: None))
    assert asyncio.run(authenticity._fleet(ctx, {"cli": "FOC7"}, {})) == ("", "", "")
    # Nothing listens there: unknown, said, and quickly.
    down = url.replace(url.split("@")[1].split("/")[0], "127.0.0.1:1")
    t0 = time.monotonic()
    clone, seen, unknown = asyncio.run(authenticity._fleet(_ctx("FOC7", lookup_for(down, "b", lambda: None)),
                                                           {"cli": "FOC7"}, {}))
    assert time.monotonic() - t0 < 6 and not clone and not seen and "fleet store" in unknown
    assert "benchpw" not in unknown


@pytest.mark.parametrize("argv", [
    ["sync", "--db", "x.db", "--fleet", "mysql://h/db"],
    ["sync", "--db", "x.db", "--fleet", "postgresql://u:secretpw@h:notaport/db"],
    ["sync", "--db", "x.db", "--fleet", "postgresql://u@h:5432/"],
    ["sync", "--db", "x.db"],
])
def test_a_bad_fleet_url_is_one_line_exit_2_without_the_password(
        argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "secretpw" not in err


def test_an_unreachable_fleet_store_is_exit_1_and_the_records_wait(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    seal_units(tmp_path / "a.db", "bench-a", ["FOC1"]).close()
    assert main(["sync", "--db", str(tmp_path / "a.db"), "--fleet", "postgresql://u:secretpw@127.0.0.1:1/f"]) == 1
    err = capsys.readouterr().err
    assert "cannot be reached" in err and "secretpw" not in err
    assert Store(f"sqlite:///{tmp_path / 'a.db'}").unsent_count("postgresql://u@127.0.0.1:1/f") == 1


def _until(cond: object, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if cond():  # type: ignore[operator]
                return
        except psycopg.Error:
            pass
        time.sleep(0.1)
    raise AssertionError("condition not reached in time")


def _renamed(bench_file: Path, name: str, **extra: object) -> Path:
    doc = yaml.safe_load(bench_file.read_text())
    doc["bench"] = name
    doc.update(extra)
    out = bench_file.with_name(f"{name}.yaml")
    out.write_text(yaml.safe_dump(doc))
    return out


def test_a_real_run_streams_its_units_and_the_next_bench_hears_of_them(tmp_path: Path, url: str) -> None:
    """Two benches grade the same simulated units one after the other, `fleet:` in their bench files: the
    fleet store holds each unit of each bench once, and the second bench's authenticity names the first."""
    sims = start_fleet(tmp_path, count=2, families=["cisco_ios_switch"], seed=3)
    try:
        base = sims.run_file(keep=("ssh", "snmp"))
        run_engine(_renamed(base, "bench-a", fleet=url), tmp_path / "a.db", fleet=url)
        local = Store(f"sqlite:///{tmp_path / 'a.db'}")
        graded = sorted((str(r["slot"]), str(r["serial"])) for r in local.finished_slots())
        local.close()
        assert sorted(fleet_rows(url, "SELECT slot, serial FROM units WHERE bench='bench-a'")) == graded
        _, outcomes = run_engine(_renamed(base, "bench-b"), tmp_path / "b.db", fleet=url)
    finally:
        sims.stop()
    for o in outcomes:
        said = o.results["authenticity"]
        assert said.outcome is Outcome.WARN and "bench-a" in said.summary, said.summary
        assert said.evidence["fleet"]["sightings"][0]["bench"] == "bench-a"
    assert fleet_rows(url, "SELECT bench, count(*) FROM units GROUP BY bench ORDER BY bench") == [
        ("bench-a", len(graded)), ("bench-b", len(graded))]


@pytest.mark.parametrize(("value", "why"), [(42, "fleet"), ("http://fleet/db", "not a PostgreSQL URL"),
                                            ("postgresql://u:hunter2@h/", "names no database")])
def test_a_bad_fleet_key_in_the_bench_file_is_refused(tmp_path: Path, value: object, why: str) -> None:
    doc = {"bench": "b", "fleet": value, "slots": [{"id": "S1", "snmp": {"host": "127.0.0.1"}}]}
    path = tmp_path / "bench.yaml"
    path.write_text(yaml.safe_dump(doc))
    with pytest.raises(BenchFileError, match=why) as e:
        load_bench(path)
    assert "hunter2" not in str(e.value)


def test_a_bench_is_approved_by_its_key_fingerprint_which_every_step_shows(
        tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]) -> None:
    fp = records.load_or_create_key(os.environ["BENCH_KEY"]).fingerprint
    seal_units(tmp_path / "a.db", "bench-a", ["FP1"]).close()
    assert main(["sync", "--db", str(tmp_path / "a.db"), "--fleet", url]) == 0
    out = capsys.readouterr().out
    assert f"key {fp}" in out and "not approved" in out and "bench fleet approve bench-a --key" in out
    assert "benchpw" not in out
    assert main(["fleet", "list", "--db", url]) == 0
    assert fp in capsys.readouterr().out  # the whole fingerprint, to compare with the bench's
    other = "0" * 64
    assert main(["fleet", "approve", "bench-a", "--key", other[:16], "--db", url]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and fp in err and "benchpw" not in err
    assert fleet_rows(url, "SELECT approved FROM benches") == [(False,)]
    assert main(["fleet", "approve", "bench-a", "--key", "abc", "--db", url]) == 2
    assert "16" in capsys.readouterr().err
    assert main(["fleet", "approve", "bench-a", "--key", fp[:16].upper(), "--db", url, "--operator", "jo"]) == 0
    assert f"key {fp} approved by jo" in capsys.readouterr().out
    assert fleet_rows(url, "SELECT approved FROM benches") == [(True,)]
    assert main(["sync", "--db", str(tmp_path / "a.db"), "--fleet", url]) == 0
    assert "not approved" not in capsys.readouterr().out


def test_certificates_and_labels_render_from_the_fleet_store(
        tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]) -> None:
    seal_units(tmp_path / "a.db", "bench-a", ["CERT1", "CERT2"]).close()
    assert main(["sync", "--db", str(tmp_path / "a.db"), "--fleet", url]) == 0
    capsys.readouterr()
    # Not approved: held, not trusted, and the documents say so instead of presenting the grade.
    assert main(["report", "CERT1", "--db", url, "--format", "zpl"]) == 0
    label = capsys.readouterr().out
    assert "CERT1" in label and "NOT VERIFIED" in label and "DOES NOT HOLD" in label
    assert main(["report", "CERT1", "--db", url]) == 0
    page = capsys.readouterr().out
    assert "RECORD DOES NOT HOLD" in page and "not approved in the fleet store" in page and "bench-a" in page
    assert main(["fleet", "approve", "bench-a", "--db", url]) == 0
    capsys.readouterr()
    assert main(["report", "cert2", "--db", url, "--format", "zpl"]) == 0
    label = capsys.readouterr().out
    assert "CERT2" in label and "NOT VERIFIED" not in label and "HOLD" in label  # graded HOLD: not sanitized
    assert main(["report", "CERT2", "--db", url]) == 0
    page = capsys.readouterr().out
    assert "RECORD DOES NOT HOLD" not in page and "identity" in page and "benchpw" not in page
    # A grade changed in the fleet store behind the bench's back: the certificate says it does not hold.
    with psycopg.connect(url) as conn:
        conn.execute("""UPDATE units SET grade = '{"letter": "A", "disposition": "RESALE"}' WHERE serial='CERT2'""")
    assert main(["report", "CERT2", "--db", url]) == 0
    assert "the fleet store&#x27;s grade differ" in capsys.readouterr().out
    assert main(["report", "NOPE", "--db", url]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "NOPE" in err and "benchpw" not in err
