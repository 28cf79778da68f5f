"""A CLI that does not answer `show version` (Comware, VRP, FortiOS, RouterOS) is still identified by its
first login: the profiles' `identify.commands` are asked in turn on that same login, and the session is
left at the CLI's prompt for the plan."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers.sim_clients import ssh_served
from helpers.sim_family import AcmeSession, AcmeSwitch

from bench.drivers.shell import what_answers
from bench.drivers.ssh import Credential
from bench.profiles import ProfileError, load_profile_file
from simulators.line import crlf


class DisplayOnlySession(AcmeSession):
    """Acme with VRP manners: prompt <acme>, `show version` refused, `display version` answers."""

    @property
    def prompt(self) -> str:
        return "<acme>"

    def _line(self, line: str) -> tuple[str, bool]:
        words = line.split()
        if words and words[0] == "show":
            self.commands += 1
            return crlf("\n              ^\nError: Unrecognized command found at '^' position.\n") + self.prompt, False
        if words == ["display", "version"]:
            return super()._line("show version")
        return super()._line(line)


class DisplayOnlySwitch(AcmeSwitch):
    def open_session(self, console: bool) -> DisplayOnlySession:  # type: ignore[override]
        return DisplayOnlySession(self, console=console)


@pytest.fixture
def display_only_port(loop: Any) -> Iterator[int]:
    with ssh_served(loop, DisplayOnlySwitch("S1", 0, 7, "ACME-24")) as fe:
        yield fe.port


CRED = [Credential("factory", "acme", "acme")]


def test_the_next_command_is_asked_on_the_same_login_until_the_family_recognises_itself(
        display_only_port: int) -> None:
    handover: dict[str, Any] = {}
    asked: list[str] = []

    def recognised(text: str) -> bool:
        asked.append(text)
        return "AcmeOS 1.0 on ACME-24" in text

    kind, text, _ = what_answers("127.0.0.1", display_only_port, CRED, timeout=10, handover=handover,
                                 commands=("show version", "display version"), recognised=recognised)
    try:
        assert kind == "cli" and "AcmeOS 1.0 on ACME-24, serial AC" in text
        assert "Unrecognized command" in asked[0]  # the refusal was seen, then `display version` asked
        assert handover.get("channel") is not None  # left at `<acme>`: the plan goes on over this login
    finally:
        if handover.get("client") is not None:
            handover["client"].close()


def test_without_a_recognised_answer_every_answer_is_kept_for_the_reason(display_only_port: int) -> None:
    kind, text, _ = what_answers("127.0.0.1", display_only_port, CRED, timeout=10,
                                 commands=("show version", "display version"), recognised=lambda _t: False)
    assert kind == "cli" and "Unrecognized command" in text and "AcmeOS 1.0" in text


@pytest.mark.parametrize(("commands", "why"), [
    (["reset saved-configuration"], "not a read-only command"),
    (["/system reset-configuration"], "not a read-only command"),
    (["show version; reload"], "not a read-only command"),
    ("display version", "must be a list"),
    ([], "must be a list"),
])
def test_a_profile_may_only_identify_by_read_only_commands(tmp_path: Path, commands: Any, why: str) -> None:
    import yaml

    src = Path(__file__).parents[1] / "profiles" / "hp_procurve.yaml"
    doc = yaml.safe_load(src.read_text())
    doc["identify"]["commands"] = commands
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(doc))
    with pytest.raises(ProfileError, match=why):
        load_profile_file(bad)


def test_read_only_commands_are_kept_in_order(tmp_path: Path) -> None:
    import yaml

    src = Path(__file__).parents[1] / "profiles" / "hp_procurve.yaml"
    doc = yaml.safe_load(src.read_text())
    doc["identify"]["commands"] = ["display version", "/system resource print"]
    good = tmp_path / "good.yaml"
    good.write_text(yaml.safe_dump(doc))
    assert load_profile_file(good).identify_commands == ["display version", "/system resource print"]
