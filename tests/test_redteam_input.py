"""The red team's malformed bench files beyond tests/test_bad_input.py: what YAML reads as a number in a
password, enable, username, community or label serial is kept as typed (YAML 1.1 reads 012345 as octal
5349 and 12:30 as 750: the bench would type a password nobody set and ERROR every unit)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.config import load_bench

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
