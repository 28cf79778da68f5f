"""The per-family realdata loop (tests/test_realdata_<family>.py): every real output of each command folder,
read by the family's identity readers and judged against the records ntc-templates parses from it; the share
read right (>= 95 %); and the figures docs/real-devices.md gives, printed when a module is run as a script.
What a family's records say (its `expectation`/`judged`) stays in its module."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from bench.platforms.identity_readers import IdentityRead, read
from helpers.realdata import outputs, parts_ok, serial_ok, share_right

Row = tuple[str, bool, str]
Verdict = tuple[bool, str] | None
Judge = Callable[[str, IdentityRead, list[dict[str, Any]]], Verdict]


def judged_outputs(platform: str, commands: dict[str, str], judge: Judge | Callable[..., Verdict], reader: str = "",
                   with_text: bool = False) -> list[Row]:
    """(folder/file, read right, why) for every output of `commands` (folder -> the command typed) that
    `judge(folder, reading, records)` finds something to judge in (None: nothing identifying there).
    `reader` names the readers' platform where it differs from the fixtures' folder; `with_text`: the judge
    is given the raw output too, as a fourth argument."""
    rows = []
    for folder, command in commands.items():
        for path, text, recs in outputs(platform, folder):
            got = read(reader or platform, command, text)
            verdict = judge(folder, got, recs, text) if with_text else judge(folder, got, recs)
            if verdict is not None:
                rows.append((f"{folder}/{path.name}", *verdict))
    return rows


def reads_as(got: IdentityRead, model: str, serial: str, parts: list[tuple[str, str]],
             fold_case: bool = False) -> Verdict:
    """The usual verdict: the model (when the records name one), the serial (a placeholder: unreadable) and every
    (pid, serial) part read as the records say; None when they name none of these."""
    if not (model or serial or parts):
        return None
    same = got.model.upper() == model.upper() if fold_case else got.model == model
    ok = (not model or same) and (not serial or serial_ok(got, serial)) and parts_ok(got, parts)
    return ok, (f"want {model!r}/{serial!r}/{len(parts)} parts, got {got.model!r}/{got.serial!r}/"
                f"{got.unreadable!r} {[(c.pid, c.serial) for c in got.components]} {got.problems[:1]}")


def by_expectation(expectation: Callable[[str, list[dict[str, Any]]], tuple[str, str, list[tuple[str, str]]]],
                   fold_case: bool = False) -> Judge:
    """A judge from a family's `expectation(folder, records)` -> (model, serial, parts), by `reads_as`."""
    return lambda folder, got, recs: reads_as(got, *expectation(folder, recs), fold_case=fold_case)


def assert_holds(rows: list[Row], at_least: int, what: str) -> None:
    """At least `at_least` outputs judged (`what` they are, for the message), >= 95 % of them read right."""
    assert len(rows) >= at_least, f"only {len(rows)} {what} found: {rows}"
    share, bad = share_right(rows)
    assert share >= 95, f"{share:.0f} % read right: " + "; ".join(bad)


def print_figures(name: str, rows: list[Row]) -> None:
    """The figures docs/real-devices.md gives: read right of all, then each output read wrong."""
    print(f"{name}: {sum(ok for _, ok, _ in rows)}/{len(rows)}")
    for row, ok, why in rows:
        if not ok:
            print("   ", row, why)


def probe_recording(recording: Any, capsys: Any) -> dict[str, Any]:
    """`bench probe snmp://<recording>@<snmpsim> --json` against one snmpsim-data recording served for the
    probe alone: the probe's document (its one unit)."""
    from bench.cli import main
    from simulators.recordings import default_work_dir, start_recordings

    async def run() -> int:
        server = await start_recordings(default_work_dir(), curated=(recording,))
        try:
            url = f"snmp://{quote(recording.path, safe='')}@{server.host}:{server.port}"
            return await asyncio.to_thread(main, ["probe", url, "--json"])
        finally:
            await server.stop()

    assert asyncio.run(run()) == 0
    doc = json.loads(capsys.readouterr().out)
    return doc["probes"][0] if "probes" in doc else doc  # type: ignore[no-any-return]
