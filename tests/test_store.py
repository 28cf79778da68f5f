import pytest

from bench.errors import BadInput
from bench.model import Disposition, Grade, Identity, Outcome, TestResult
from bench.store import Store, sqlite_path


def test_sqlite_urls():
    assert sqlite_path("sqlite:///bench.db") == "bench.db"
    assert sqlite_path("sqlite:////tmp/x.db") == "/tmp/x.db"
    assert sqlite_path("plain.db") == "plain.db"
    with pytest.raises(BadInput, match="only sqlite"):
        sqlite_path("postgres://h/db")


def test_run_resumes_with_results_identity_and_wal(tmp_path):
    url = f"sqlite:///{tmp_path}/b.db"
    s = Store(url)
    assert s.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    run_id, resumed = s.open_run("k", "b", "quick", "f.yaml", ["S1", "S2"])
    assert not resumed
    s.save_identity(run_id, "S1", "cisco_ios_switch", Identity(model="WS-C2960X-48TS-L", serial="FOC1931X0AB"))
    s.save_result(run_id, "S1", 0, TestResult("identity", Outcome.PASS, "ok", {"a": 1}, "t0", "t1"))
    s.close()

    s2 = Store(url)  # a new process after a crash
    again, resumed = s2.open_run("k", "b", "quick", "f.yaml", ["S1", "S2"])
    assert (again, resumed) == (run_id, True)
    assert s2.results(run_id, "S1")["identity"].evidence == {"a": 1}
    assert s2.load_identity(run_id, "S1")[1].serial == "FOC1931X0AB"
    s2.finish_slot(run_id, "S1", Grade(None, "C0", "-", Disposition.HOLD, ["x"]))
    s2.finish_run(run_id)
    third, resumed = s2.open_run("k", "b", "quick", "f.yaml", ["S1"])
    assert third != run_id and not resumed  # a finished run is never reopened


def test_missing_store_directory_is_bad_input(tmp_path):
    with pytest.raises(BadInput, match="does not exist"):
        Store(f"sqlite:///{tmp_path}/nope/b.db")
