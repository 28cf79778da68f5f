"""Which ntc-templates template parses a command is answered from the index rows of the command's platform
alone (the whole index holds every vendor's thousand rows, a regex each): the same answer as the whole index."""

from __future__ import annotations

import re
from pathlib import Path

from textfsm import clitable

from bench.drivers import parsing


def _whole_index_answer(template_dir: str, platform: str, command: str) -> tuple[str, ...]:
    table = clitable.CliTable("index", template_dir)
    row = table.index.GetRowMatch({"Command": command, "Platform": platform})
    return tuple(table.index.index[row]["Template"].split(":")) if row else ()


def _commands(template_dir: str, platform: str) -> list[str]:
    """Each index row's command for the platform, written out in full (abc[[xyz]] -> abcxyz), and a few
    abbreviations and commands no template knows."""
    out = ["show version", "sh ver", "show inventory", "show environment all", "dir flash:/crashinfo/",
           "show nothing at all", ""]
    for line in Path(template_dir, "index").read_text().splitlines():
        cols = [c.strip() for c in line.split(",")]
        if len(cols) == 4 and cols[2] == platform and "|" not in cols[3] and "(" not in cols[3]:
            out.append(re.sub(r"\[\[(.*?)\]\]", r"\1", cols[3]).rstrip("$"))
    return out


def test_platform_index_gives_the_whole_index_answer_for_every_command() -> None:
    template_dir = parsing._template_dir()
    for platform in ("cisco_ios", "arista_eos", "juniper_junos", "hp_procurve", "no_such_platform"):
        commands = _commands(template_dir, platform)
        assert len(commands) > 7 or platform in ("hp_procurve", "no_such_platform")
        for command in commands:
            assert parsing._templates(template_dir, platform, command) == \
                _whole_index_answer(template_dir, platform, command), (platform, command)


def test_platform_index_holds_only_rows_that_can_match_the_platform() -> None:
    index = parsing._platform_index(parsing._template_dir(), "cisco_ios")
    platforms = {index.index[i]["Platform"] for i in range(1, index.index.size + 1)}
    assert platforms == {"cisco_ios"}
