import pytest

from bench.config import load_bench, parse_bench
from bench.errors import BenchFileError

GOOD = {
    "bench": "b1",
    "credentials": {"factory": {"username": "cisco", "password": "cisco", "enable": "en"},
                    "owner": {"username": "admin", "password": "${OWNER_PW}"}},
    "slots": [{"id": "A01", "ssh": "127.0.0.1:2201", "snmp": {"host": "127.0.0.1", "port": 1161},
               "credentials": ["factory", "owner"], "label_serial": "FOC1931X0AB"}],
}


def test_parses_slots_and_expands_env(monkeypatch):
    monkeypatch.setenv("OWNER_PW", "s3cret")
    cfg = parse_bench(GOOD)
    slot = cfg.slots[0]
    assert slot.ssh.port == 2201 and slot.snmp.port == 1161
    assert [c.name for c in slot.credentials] == ["factory", "owner"]
    assert slot.credentials[1].password == "s3cret"
    assert "s3cret" not in repr(slot) and "s3cret" not in repr(cfg)


@pytest.mark.parametrize("mutate, fragment", [
    (lambda d: d.pop("slots"), "'slots' must be a non-empty list"),
    (lambda d: d["slots"][0].update(ssh="127.0.0.1:99999"), "port '99999'"),
    (lambda d: d["slots"][0].update(credentials=["nope"]), "no credential set named 'nope'"),
    (lambda d: d["slots"].append(dict(d["slots"][0])), "appears twice"),
    (lambda d: d["slots"][0].update(ssh=None, snmp=None), "has no ssh, snmp or console"),
])
def test_bad_bench_files_name_the_problem(monkeypatch, mutate, fragment):
    import copy

    monkeypatch.setenv("OWNER_PW", "x")
    doc = copy.deepcopy(GOOD)
    mutate(doc)
    with pytest.raises(BenchFileError, match=fragment.replace("(", r"\(").replace("'", "'")):
        parse_bench(doc)


def test_missing_env_var_is_named(monkeypatch):
    monkeypatch.delenv("OWNER_PW", raising=False)
    with pytest.raises(BenchFileError, match="OWNER_PW is not set"):
        parse_bench(GOOD)


def test_invalid_yaml_names_the_line(tmp_path):
    p = tmp_path / "b.yaml"
    p.write_text("bench: x\nslots:\n  - id: [\n")
    with pytest.raises(BenchFileError, match="not valid YAML at line"):
        load_bench(p)
