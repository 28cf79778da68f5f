"""Parsing the same output again is answered from memory, yet every caller gets rows of its own."""

from __future__ import annotations

from pathlib import Path

from bench.drivers.parsing import parse

INVENTORY = (Path(__file__).parent / "data" / "cisco_ios" / "show_inventory.txt").read_text()


def test_a_repeated_parse_gives_equal_rows_that_callers_may_change() -> None:
    first = parse("cisco_ios", "show inventory", INVENTORY)
    assert first and first[0]["pid"]
    expected = [dict(r) for r in first]
    first[0]["pid"] = "CHANGED"
    first.append({"pid": "extra"})
    again = parse("cisco_ios", "show inventory", INVENTORY)
    assert again == expected  # the change above did not reach the memory


def test_a_long_output_parses_as_a_short_one_does() -> None:
    # Past the memo's size limit the output is parsed afresh: same rows, as many times as it is repeated.
    rows = parse("cisco_ios", "show inventory", INVENTORY) or []
    copies = 16384 // len(INVENTORY) + 2
    long_rows = parse("cisco_ios", "show inventory", "\n".join([INVENTORY] * copies)) or []
    assert len(INVENTORY) * copies > 16384
    assert long_rows[:len(rows)] == rows and len(long_rows) == len(rows) * copies
