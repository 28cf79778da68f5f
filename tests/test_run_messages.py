"""The summary a headless `bench run` / `bench demo` prints at the end names why a unit is not for resale."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.commands.run import print_summary
from bench.engine import SlotOutcome
from bench.model import Disposition, Grade


def _outcome(slot: str, grade: Grade) -> SlotOutcome:
    return SlotOutcome(slot, f"FOC{slot}", "WS-C2960X-24TS-L", "cisco_ios_switch", grade)


def test_summary_names_the_deciding_reason_and_nothing_for_resale(capsys: pytest.CaptureFixture[str]) -> None:
    print_summary([
        _outcome("S1", Grade("F4", "C0", "B", Disposition.RESALE, ["functional F4: identity PASS"])),
        _outcome("S2", Grade(None, "C0", "D", Disposition.REPAIR,
                             ["hardware FAIL: environment: PSU 1 failed", "no functional code: ..."])),
        _outcome("S3", Grade("F3", "C0", "-", Disposition.HOLD,
                             ["functional F3: identity PASS",
                              "HOLD: not sanitized (R2v3: no resale grade before a verified wipe)"])),
    ])
    lines = capsys.readouterr().out.splitlines()
    header = next(line for line in lines if line.startswith("slot"))
    assert header.rstrip().endswith("why")
    rows = {line.split()[0]: line for line in lines if line[:2] in ("S1", "S2", "S3")}
    assert rows["S1"].rstrip().endswith("RESALE")
    assert rows["S2"].rstrip().endswith("REPAIR       environment: PSU 1 failed")
    assert rows["S3"].rstrip().endswith("HOLD         not sanitized (R2v3: no resale grade before a verified wipe)")


def test_an_unknown_plan_names_the_plans_there_are(tmp_path: Path) -> None:
    from bench.config import load_bench
    from bench.engine import check_bench
    from bench.errors import BadInput
    from bench.profiles import Catalog

    (tmp_path / "b.yaml").write_text("bench: b\nslots:\n  - {id: A01, ssh: 127.0.0.1:22}\n")
    config = load_bench(tmp_path / "b.yaml")
    with pytest.raises(BadInput) as refused:
        check_bench(config, Catalog.load(), "ful")
    assert str(refused.value) == "no profile has a plan named 'ful'; use --plan burnin, full, quick or refurb"


def test_sim_help_names_every_simulated_family(capsys: pytest.CaptureFixture[str]) -> None:
    from bench.cli import main
    from simulators.family import available

    assert main(["sim", "--help"]) == 0
    shown = " ".join(capsys.readouterr().out.split())  # argparse wraps the help text
    for name in available():
        assert name in shown, name
