"""The red team's malformed bench files beyond tests/test_bad_input.py: what YAML reads as a number in a
password, enable, username, community or label serial is kept as typed (YAML 1.1 reads 012345 as octal
5349 and 12:30 as 750: the bench would type a password nobody set and ERROR every unit)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from bench.config import load_bench
from bench.store import Store

TYPED = ["012345", "0777", "12:30", "0x1F", "1_000", "+12", "1.50", "1234", "3.14", ".inf"]


@pytest.mark.parametrize("typed", TYPED)
def test_a_secret_that_yaml_reads_as_a_number_is_kept_as_typed(tmp_path: Path, typed: str) -> None:
    f = tmp_path / "bench.yaml"
    f.write_text("bench: b\ncredentials:\n"
                 f"  f: {{username: {typed}, password: {typed}, enable: {typed}}}\n"
                 "slots:\n  - id: A\n    ssh: 127.0.0.1:22\n"
                 f"    snmp: {{host: 127.0.0.1, community: {typed}}}\n"
                 f"    label_serial: {typed}\n")
    slot = load_bench(f).slots[0]
    cred = slot.credentials[0]
    assert (cred.username, cred.password, cred.enable) == (typed, typed, typed)
    assert slot.snmp is not None and slot.snmp.community == typed
    assert slot.label_serial == typed


def test_numbers_elsewhere_still_read_as_numbers(tmp_path: Path) -> None:
    f = tmp_path / "bench.yaml"
    f.write_text("bench: b\nslots:\n  - id: A\n    ssh: 127.0.0.1:22\n    snmp: {host: 127.0.0.1, port: 1161}\n")
    snmp = load_bench(f).slots[0].snmp
    assert snmp is not None and snmp.port == 1161 and type(snmp.port) is int


def _one_line_exit_2(argv: list[str], cwd: Path, seconds: float = 10) -> str:
    """The real command in a subprocess with a deadline: a FIFO must not block it."""
    proc = subprocess.run([sys.executable, "-m", "bench.cli", *argv], cwd=cwd, capture_output=True, text=True,
                          timeout=seconds, env={**os.environ, "BENCH_KEY": str(cwd / "keys" / "k.key")})
    assert proc.returncode == 2, (argv, proc.returncode, proc.stderr)
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr, proc.stderr
    return proc.stderr


@pytest.mark.parametrize("argv", [["run", "{fifo}"], ["profiles", "check", "{fifo}"], ["export", "--db", "{fifo}"],
                                  ["verify", "--db", "{fifo}"], ["report", "X", "--db", "{fifo}"],
                                  ["grade", "X", "--operator", "a", "--db", "{fifo}"], ["run", "{blocked}"]],
                         ids=["bench file", "profile", "export db", "verify db", "report db", "grade db",
                              "blocked_serials"])
def test_a_fifo_given_as_a_file_is_refused_not_waited_on(tmp_path: Path, argv: list[str]) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    blocked = tmp_path / "blocked.yaml"
    blocked.write_text(f"bench: b\nblocked_serials: {fifo}\nslots: [{{id: A, ssh: '127.0.0.1:22'}}]\n")
    err = _one_line_exit_2([a.format(fifo=fifo, blocked=blocked) for a in argv], tmp_path)
    assert "not a regular file" in err, err


def test_report_output_never_replaces_a_device_or_fifo(tmp_path: Path) -> None:
    """--output onto a FIFO (or /dev/null, /dev/zero as root) used to rename a regular file over it."""
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    db = tmp_path / "bench.db"
    Store(f"sqlite:///{db}").close()
    err = _one_line_exit_2(["report", "X", "--db", str(db), "--format", "html", "--output", str(fifo)], tmp_path)
    assert "not a regular file" in err, err
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_an_empty_key_option_is_one_line(tmp_path: Path) -> None:
    cert = tmp_path / "c.html"
    cert.write_text("<html></html>")
    err = _one_line_exit_2(["verify-certificate", str(cert), "--key", ""], tmp_path)
    assert "--key" in err, err
