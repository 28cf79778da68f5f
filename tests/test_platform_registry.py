"""Platform packages: the registry (entry points, no silent fallback), the data files, run_classified."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers.platform_cli import PlatformCli

from bench.errors import BadInput
from bench.model import Identity
from bench.platforms import UnknownPlatform, known, load, platform_for
from bench.platforms.cli import run_classified, send_classified
from bench.platforms.data import PlatformDataError, parse_data
from bench.tests_hw.base import ChannelMissing, SlotInfo, TestContext

BUILTINS = ("arista_eos", "cisco_ios", "hp_procurve", "juniper_junos")
ROOT = Path(__file__).resolve().parent.parent


class Scripted:
    """A CLI channel that answers from a table (a command it does not know drops the session)."""

    def __init__(self, platform: str, answers: dict[str, str]) -> None:
        self.platform = platform
        self.answers = answers
        self.sent: list[str] = []

    async def send(self, command: str, timeout: float = 30.0) -> str:
        self.sent.append(command)
        if command not in self.answers:
            raise ConnectionResetError("session closed by peer")
        return self.answers[command]


def _ctx(cli: Any) -> TestContext:
    return TestContext(slot=SlotInfo("S1"), profile_name="p", params={}, identity=Identity(), cli=cli)


# ---- registry ---------------------------------------------------------------------------------------


def test_the_builtins_are_registered_by_entry_point_and_keep_the_contract() -> None:
    assert set(BUILTINS) <= set(known())
    for name in BUILTINS:
        platform = load(name)
        assert platform.name == name and platform.data.name == name
        assert load(name) is platform  # loaded once


def test_an_unknown_platform_is_an_error_naming_the_known_ones_never_cisco() -> None:
    with pytest.raises(UnknownPlatform) as err:
        platform_for(_ctx(Scripted("acme_os", {})))
    assert "'acme_os'" in str(err.value) and all(n in str(err.value) for n in BUILTINS)
    with pytest.raises(UnknownPlatform, match="names no platform"):
        platform_for(_ctx(Scripted("", {})))


def test_no_cli_means_the_check_does_not_apply() -> None:
    with pytest.raises(ChannelMissing):
        platform_for(_ctx(None))


THIRD_PARTY = {
    "acme_net/__init__.py": """
        from bench.platforms.data import package_data
        from bench.platforms.cisco_ios.collector import CiscoIos

        class Acme(CiscoIos):
            name = "acme_os"
            data = package_data(__file__)

        PLATFORM = Acme()
    """,
    "acme_net-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: acme-net\nVersion: 1.0\n",
    "acme_net-1.0.dist-info/entry_points.txt": "[bench.platforms]\nacme_os = acme_net:PLATFORM\n",
}


def _third_party(tmp_path: Path, platform_yaml: str) -> subprocess.CompletedProcess[str]:
    for rel, text in THIRD_PARTY.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(textwrap.dedent(text))
    (tmp_path / "acme_net" / "platform.yaml").write_text(platform_yaml)
    code = ("import sys\nfrom bench.errors import BadInput\nfrom bench.platforms import known, load\n"
            "try:\n    p = load('acme_os')\nexcept BadInput as exc:\n    print('BAD', exc); sys.exit(2)\n"
            "print(' '.join(known()), p.data.reboot.timeout_s, p.data.refusal('Nope: not here'))\n")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                          env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"}, timeout=60)


def test_a_third_party_package_brings_its_platform_by_entry_point(tmp_path: Path) -> None:
    data = {"name": "acme_os", "templates": {"platform": "cisco_ios"}, "prompts": {"exec": "^acme# $"},
            "refusals": {"patterns": ["Nope:"]}, "reboot": {"timeout_s": 42, "poll_s": 1}}
    out = _third_party(tmp_path, yaml.safe_dump(data))
    assert out.returncode == 0, out.stderr
    words = out.stdout.split()
    names, rest = words[:-4], words[-4:]
    # the third party's beside every built-in (a family pack adds its own: the list is not fixed here)
    assert names == sorted(names)
    assert {"acme_os", "arista_eos", "cisco_ios", "hp_procurve", "juniper_junos"} <= set(names)
    assert rest == ["42.0", "Nope:", "not", "here"]


def test_a_wrong_third_party_file_is_one_bad_input_line(tmp_path: Path) -> None:
    out = _third_party(tmp_path, "name: acme_os\nprompts: {exec: '^x#'}\nrefusals: {patterns: ['(']}\n"
                                 "reboot: {timeout_s: 5, poll_s: 1}\n")
    assert out.returncode == 2, out.stderr
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 1 and "platform.yaml" in lines[0] and "refusals.patterns[0]" in lines[0], lines


def test_bench_run_refuses_a_broken_platform_package_before_anything_is_written(tmp_path: Path) -> None:
    plugin = tmp_path / "plugin"
    _third_party(plugin, "name: acme_os\nprompts: {exec: '^x#'}\nrefusals: {patterns: [x]}\nreboot: {timeout_s: 0}\n")
    bench_file = tmp_path / "bench.yaml"
    bench_file.write_text(yaml.safe_dump({"bench": "t", "credentials": {"f": {"username": "u", "password": "p"}},
                                          "slots": [{"id": "S1", "ssh": "127.0.0.1:1", "credentials": ["f"]}]}))
    db = tmp_path / "r.db"
    out = subprocess.run([sys.executable, "-c", "import sys; from bench.cli import main; sys.exit(main())", "run",
                          str(bench_file), "--headless", "--db", f"sqlite:///{db}"], capture_output=True, text=True,
                         cwd=ROOT, env={"PYTHONPATH": str(plugin), "PATH": "/usr/bin:/bin"}, timeout=120)
    assert out.returncode == 2, (out.stdout, out.stderr)
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "platform.yaml" in lines[0] and "reboot.timeout_s" in lines[0], lines
    assert not db.exists()


# ---- data files ---------------------------------------------------------------------------------------

GOOD = {"name": "x_os", "prompts": {"exec": "^x#"}, "refusals": {"patterns": ["% Invalid"]},
        "reboot": {"timeout_s": 60, "poll_s": 2}}


@pytest.mark.parametrize(("change", "named"), [
    ({"colour": "red"}, "unknown key the file.colour"),
    ({"name": "Cisco IOS"}, "name must be"),
    ({"prompts": {"config": "^x\\(config\\)#"}}, "prompts.exec is required"),
    ({"prompts": {"exec": "^x#", "rommon": ">"}}, "unknown key prompts.rommon"),
    ({"refusals": {"patterns": []}}, "refusals.patterns"),
    ({"refusals": {"patterns": ["["]}}, "refusals.patterns[0] is not a valid regex"),
    ({"refusals": {"patterns": ["x"], "within_lines": 0}}, "within_lines"),
    ({"reboot": {"timeout_s": -1, "poll_s": 2}}, "reboot.timeout_s must be a positive number"),
    ({"reboot": {"timeout_s": 60}}, "reboot.poll_s"),
    ({"templates": {"commands": {"dir flash:": 3}}}, "templates.commands"),
])
def test_a_wrong_platform_file_names_the_file_and_the_key(change: dict[str, Any], named: str) -> None:
    with pytest.raises(PlatformDataError) as err:
        parse_data({**GOOD, **change}, "acme/platform.yaml")
    assert isinstance(err.value, BadInput)
    assert str(err.value).startswith("platform file acme/platform.yaml: ") and named in str(err.value)
    assert "\n" not in str(err.value)


def test_reboot_timing_has_one_name_in_profiles() -> None:
    data = load("arista_eos").data
    assert data.reboot_timing({}).timeout_s == 900
    got = data.reboot_timing({"reboot_timeout": 30, "reboot_poll": 0.5})
    assert (got.timeout_s, got.poll_s) == (30.0, 0.5)
    profiles = " ".join(p.read_text() for p in (ROOT / "profiles").glob("*.yaml"))
    for old in ("reload_wait", "reload_poll", "reload_timeout"):
        assert old not in profiles


# ---- run_classified: each platform's own refusals --------------------------------------------------------

REFUSALS = [
    ("cisco_ios", "show post", "show post\n           ^\n% Invalid input detected at '^' marker.\n",
     "% Invalid input detected at '^' marker."),
    ("arista_eos", "show poe", "% Invalid input (at token 1: 'poe')\n", "% Invalid input (at token 1: 'poe')"),
    ("hp_procurve", "show power-over-ethernet brief", "Invalid input: power-over-ethernet\n",
     "Invalid input: power-over-ethernet"),
    ("juniper_junos", "show poe interface", "                ^\nsyntax error.\n", "syntax error."),
]


@pytest.mark.parametrize(("name", "command", "answer", "line"), REFUSALS)
def test_each_platform_knows_its_own_refusal(name: str, command: str, answer: str, line: str) -> None:
    data = load(name).data
    ctx = _ctx(Scripted(name, {command: answer}))
    shown = asyncio.run(run_classified(ctx, data, command))
    assert (shown.kind, shown.rejected) == ("refused", line)
    assert shown.problem == f"{command!r} rejected: {line}"
    assert command not in ctx.cache  # a refusal is never handed to the next check
    others = [d for d in BUILTINS if load(d).data.refusal(answer) == ""]
    assert name not in others


def test_output_that_mentions_an_error_further_down_is_output() -> None:
    junos = load("juniper_junos").data
    log = "Dec  7 21:00:01 ex2300 chassisd: fan ok\n" * 3 + "error: from a log line, not a refusal\n"
    assert junos.refusal(log) == ""
    ios = load("cisco_ios").data
    assert ios.refusal("Switch uptime is 1 week\n%LINK-3-UPDOWN: Interface Gi1/0/1, changed state\n") == ""


def test_run_classified_tells_output_lost_and_no_cli_apart_and_caches_only_output() -> None:
    data = load("cisco_ios").data
    cli = Scripted("cisco_ios", {"show version": "Cisco IOS Software\n"})
    ctx = _ctx(cli)
    first = asyncio.run(run_classified(ctx, data, "show version"))
    again = asyncio.run(run_classified(ctx, data, "show version"))
    fresh = asyncio.run(run_classified(ctx, data, "show version", fresh=True))
    assert [s.kind for s in (first, again, fresh)] == ["output"] * 3
    assert cli.sent == ["show version", "show version"]  # the second came from the cache, fresh re-read
    lost = asyncio.run(run_classified(ctx, data, "show inventory"))
    assert lost.kind == "lost" and "ConnectionResetError" in lost.problem and "show inventory" not in ctx.cache
    assert asyncio.run(run_classified(_ctx(None), data, "show version")).kind == "no_cli"
    on_console = asyncio.run(send_classified(cli, data, "show version"))
    assert on_console.kind == "output" and cli.sent[-1] == "show version"


# ---- prompts: each platform's data against its simulated family over real SSH ----------------------------

FAMILIES = {"cisco_ios_switch": ("cisco_ios", "configure terminal"), "arista_eos": ("arista_eos", "configure"),
            "juniper_junos": ("juniper_junos", "configure"), "hp_procurve": ("hp_procurve", "configure")}


def _last_line(text: str) -> str:
    return [ln for ln in text.replace("\r", "").splitlines() if ln.strip()][-1]


def test_each_platforms_prompts_match_its_simulated_family(bench_sim: Any) -> None:
    fleet = bench_sim(count=len(FAMILIES), families=list(FAMILIES))
    seen = set()
    for sid in (f"S{i}" for i in range(1, len(FAMILIES) + 1)):
        name, configure = FAMILIES[fleet.truth(sid)["family"]]
        data = load(name).data
        cli = PlatformCli(fleet, sid, name)
        try:
            cli.session.open()
            exec_prompt = _last_line(cli.session.send_expect("", r"[>#]\s*$", timeout=20))
            config_prompt = _last_line(cli.session.send_expect(configure, r"#\s*$", timeout=20))
        finally:
            cli.close()
        assert data.prompts["exec"].search(exec_prompt), (name, exec_prompt)
        assert not data.prompts["exec"].search(config_prompt), (name, config_prompt)
        assert data.prompts["config"].search(config_prompt), (name, config_prompt)
        seen.add(name)
    assert seen == set(BUILTINS)
