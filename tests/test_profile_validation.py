"""`bench profiles check FILE`: a profile that does not validate is refused with its file, the field and a fix."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bench.cli import main

PROFILES = Path(__file__).resolve().parent.parent / "profiles"


def _variant(tmp_path: Path, edit) -> Path:
    doc = yaml.safe_load((PROFILES / "cisco_ios_switch.yaml").read_text())
    edit(doc)
    out = tmp_path / "variant.yaml"
    out.write_text(yaml.safe_dump(doc))
    return out


def test_every_shipped_profile_validates(capsys: pytest.CaptureFixture[str]) -> None:
    for path in sorted(PROFILES.glob("*.yaml")):
        assert main(["profiles", "check", str(path)]) == 0, capsys.readouterr().err


@pytest.mark.parametrize("edit, field", [
    (lambda d: d["plans"].update(quick=["identity", "no_such_test"]), "plans.quick[1]"),
    (lambda d: d["identify"].update(sys_object_id=["cisco"]), "identify.sys_object_id"),
    (lambda d: d["grading"].update(letters=[{"functional": ["F4"]}]), "grading.letters[0]"),
    (lambda d: d["grading"].update(letters=[{"letter": "A", "functional": ["F9"]}]), "grading.letters[0].functional"),
    (lambda d: d["grading"].update(letters=[{"letter": "A", "colour": "red"}]), "grading.letters[0].colour"),
    (lambda d: d["grading"].update(parts_tests="post"), "grading.parts_tests"),
])
def test_an_invalid_profile_is_refused_naming_file_and_field(tmp_path: Path, edit, field: str,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    path = _variant(tmp_path, edit)
    assert main(["profiles", "check", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and str(path) in err and f"field {field}" in err, err


def test_profile_letters_validate_when_well_formed(tmp_path: Path) -> None:
    path = _variant(tmp_path, lambda d: d["grading"].update(
        letters=[{"letter": "A", "functional": ["F5"], "min_cosmetic": 6, "no_warn": True}], parts_tests=["post"]))
    assert main(["profiles", "check", str(path)]) == 0
