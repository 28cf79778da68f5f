"""Placeholder serials are reported as unreadable with a reason, never as a serial."""

import pytest

from bench.serials import placeholder_reason, real_serial


@pytest.mark.parametrize("text", ["<private>", "XXXXXXXXXX", "xxxxxxxxxxx", "0000000000", "00000000000",
                                  "N/A", "n/a", "", "   ", None, "FFFFFFFFFFFF", "Not Available",
                                  "To Be Filled By O.E.M.", "********", "<removed>", "CAT23XXXXXX"])
def test_placeholders_have_a_reason(text: str | None) -> None:
    assert placeholder_reason(text)
    assert real_serial(text) == ""


@pytest.mark.parametrize("text", ["FOC1234X0AB", "JAE1203012A", "SG123456789", "FDO2031A0ZK", "JN11A6D2AAFB",
                                  "CN12FP1234", "9S3YHA1", "ABC0000X123"])
def test_real_serials_pass(text: str) -> None:
    assert placeholder_reason(text) is None
    assert real_serial(f" {text} ") == text


def test_reason_names_the_kind() -> None:
    assert "zero" in (placeholder_reason("000000000") or "")
    assert "anonymised" in (placeholder_reason("<private>") or "")
    assert "masked" in (placeholder_reason("XXXXXXXXXX") or "")
