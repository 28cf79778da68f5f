"""Malformed input, fuzz-style: bench files, profiles, options, stores and probe URLs.

Every case must end with exactly one line on stderr, exit code 2, no traceback, no raw escape
sequence and nothing written to the store, before anything connects. Most cases run in-process
through `bench.cli.main` (fast); a handful of the heaviest run the real `bench` command under
`ulimit -v 500000` and a 10 s kill, as a user's shell would.
"""

from __future__ import annotations

import copy
import os
import random
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import yaml

from bench.cli import main

BASE: dict[str, Any] = {
    "bench": "t",
    "credentials": {"f": {"username": "u", "password": "p"}},
    "slots": [{"id": "S1", "ssh": "127.0.0.1:1", "credentials": ["f"]}],
}
ESC = "\x1b"


def _bomb() -> str:
    lines = ["x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"x{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
    return "\n".join(lines) + "\nbench: *a8\nslots:\n  - {id: S1, ssh: '127.0.0.1:1'}\n"


def _doc(edit: Callable[[dict[str, Any]], Any]) -> str:
    d = copy.deepcopy(BASE)
    edit(d)
    return yaml.safe_dump(d, sort_keys=False)


def _slot(**changes: Any) -> str:
    def edit(d: dict[str, Any]) -> None:
        for k, v in changes.items():
            if v is _DROP:
                d["slots"][0].pop(k, None)
            else:
                d["slots"][0][k] = v
    return _doc(edit)


_DROP = object()
_rng = random.Random(19)

# name -> bench file content (bytes as is, str written as UTF-8); "{tmp}" is the case's directory.
BENCH_FILES: dict[str, bytes | str] = {
    # encoding, size, shape of the YAML itself
    "binary": bytes(_rng.randrange(256) for _ in range(4096)),
    "utf-16 with BOM": "bench: t\nslots:\n  - {id: S1, ssh: '127.0.0.1:1'}\n".encode("utf-16"),
    "utf-16le without BOM": "bench: t\nslots:\n  - {id: S1, ssh: '127.0.0.1:1'}\n".encode("utf-16-le"),
    "utf-32": "bench: t\nslots: []\n".encode("utf-32"),
    "latin-1": "bench: café\nslots:\n  - {id: S1, ssh: '127.0.0.1:1'}\n".encode("latin-1"),
    "NUL inside": b"bench: t\x00\nslots:\n  - {id: S1, ssh: '127.0.0.1:1'}\n",
    "control character": "bench: \"t\x01\"\nslots:\n  - {id: S1, ssh: '127.0.0.1:1'}\n",
    "over the size cap": "bench: t\nslots:\n" + "".join(f"  - {{id: S{i}, ssh: '127.0.0.1:1'}}\n"
                                                        for i in range(60000)),
    "list nested 10,000 deep": "bench: t\nslots: " + "[" * 10000 + "]" * 10000 + "\n",
    "mappings nested 200 deep": "bench: t\nslots:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 200))
                                + "  " * 200 + "v\n",
    "alias bomb": _bomb(),
    "recursive alias": "bench: t\nslots: &s [*s]\n",
    "undefined alias": "bench: *nowhere\nslots: []\n",
    "bad YAML syntax": "bench: t\nslots:\n  - id: [\n",
    "two documents": "bench: t\n---\nbench: u\n",
    "5,000-digit number": "bench: t\nslots:\n  - {id: S1, ssh: '127.0.0.1:1', label_serial: " + "9" * 5000 + "}\n",
    "impossible date": "bench: 2020-02-31\nslots:\n  - {id: S1, ssh: '127.0.0.1:1'}\n",
    "unhashable key": "bench: t\n? [a, b]\n: c\nslots:\n  - {id: S1, ssh: '127.0.0.1:1'}\n",
    "empty": "",
    "a scalar": "just words\n",
    "a list": "- bench\n- slots\n",
    "python tag": "bench: !!python/object/apply:os.system ['true']\nslots: []\n",
    # top-level fields
    "slots missing": _doc(lambda d: d.pop("slots")),
    "slots empty": _doc(lambda d: d.update(slots=[])),
    "slots a mapping": _doc(lambda d: d.update(slots={"S1": {"ssh": "127.0.0.1:1"}})),
    "slots a string": _doc(lambda d: d.update(slots="S1")),
    "a slot a string": _doc(lambda d: d.update(slots=["S1"])),
    "too many slots": _doc(lambda d: d.update(slots=[{"id": f"S{i}", "ssh": "127.0.0.1:1"} for i in range(1001)])),
    "bench a list": _doc(lambda d: d.update(bench=["a", "b"])),
    "bench with an escape": _doc(lambda d: d.update(bench=f"t{ESC}[2J")),
    "bench empty": _doc(lambda d: d.update(bench="")),
    "unknown top-level key": _doc(lambda d: d.update(blocked_serial="x.csv")),
    "store a list": _doc(lambda d: d.update(store=["sqlite:///x.db"])),
    "store a directory": _doc(lambda d: d.update(store="sqlite:///{tmp}")),
    "store not SQLite": _doc(lambda d: d.update(store="sqlite:///{tmp}/junk.db")),
    "store in a missing directory": _doc(lambda d: d.update(store="sqlite:///{tmp}/no/such/dir/x.db")),
    "store another scheme": _doc(lambda d: d.update(store="postgres://db/bench")),
    "blocked_serials missing": _doc(lambda d: d.update(blocked_serials="/nonexistent/blocked.csv")),
    "blocked_serials a directory": _doc(lambda d: d.update(blocked_serials="{tmp}")),
    "blocked_serials binary": _doc(lambda d: d.update(blocked_serials="{tmp}/junk.db")),
    "blocked_serials latin-1": _doc(lambda d: d.update(blocked_serials="{tmp}/latin1.csv")),
    "blocked_serials a list": _doc(lambda d: d.update(blocked_serials=["a.csv"])),
    # credentials
    "credentials a list": _doc(lambda d: d.update(credentials=["u", "p"])),
    "credential set a string": _doc(lambda d: d.update(credentials={"f": "u:p"})),
    "credential set without username": _doc(lambda d: d.update(credentials={"f": {"password": "p"}})),
    "username a list": _doc(lambda d: d.update(credentials={"f": {"username": ["u"], "password": "p"}})),
    "password a mapping": _doc(lambda d: d.update(credentials={"f": {"username": "u", "password": {"a": 1}}})),
    "credential key misspelt": _doc(lambda d: d.update(credentials={"f": {"username": "u", "pasword": "p"}})),
    "environment variable unset": _doc(lambda d: d.update(
        credentials={"f": {"username": "u", "password": "${BENCH_TEST_SURELY_UNSET}"}})),
    "slot credentials a mapping": _slot(credentials={"f": 1}),
    "slot credentials unknown": _slot(credentials=["nope"]),
    # slot identity
    "slot without id": _slot(id=_DROP),
    "slot id a list": _slot(id=["S1"]),
    "slot id with an escape sequence": _slot(id=f"S1{ESC}[31mRED"),
    "slot id with a newline": _slot(id="S1\nS2"),
    "slot id empty": _slot(id=""),
    "slot id too long": _slot(id="S" * 200),
    "slot id with a space": _slot(id="rack 1"),
    "slot ids duplicated": _doc(lambda d: d["slots"].append(dict(d["slots"][0]))),
    "slot key misspelt": _slot(sssh="127.0.0.1:2"),
    "slot no address": _slot(ssh=_DROP),
    "profile a list": _slot(profile=["cisco_ios_switch"]),
    "profile unknown": _slot(profile="no_such_profile"),
    "label_serial a mapping": _slot(label_serial={"a": 1}),
    "local a string": _slot(local="yes", ssh=_DROP),
    # ssh
    "ssh port 0": _slot(ssh="127.0.0.1:0"),
    "ssh port 70000": _slot(ssh="127.0.0.1:70000"),
    "ssh port words": _slot(ssh="127.0.0.1:abc"),
    "ssh a list": _slot(ssh=["127.0.0.1", 22]),
    "ssh no host": _slot(ssh=":22"),
    "ssh host with a space": _slot(ssh="my host:22"),
    "ssh host with an escape": _slot(ssh=f"h{ESC}[2J:22"),
    "ssh true": _slot(ssh=True),
    "ssh a number": _slot(ssh=22),
    "ssh a URL": _slot(ssh="ssh://u:p@127.0.0.1:22"),
    # snmp
    "snmp port true": _slot(snmp={"host": "127.0.0.1", "port": True}),
    "snmp port a string": _slot(snmp={"host": "127.0.0.1", "port": "161"}),
    "snmp timeout negative": _slot(snmp={"host": "127.0.0.1", "timeout": -1}),
    "snmp timeout a year": _slot(snmp={"host": "127.0.0.1", "timeout": 31536000}),
    "snmp community a list": _slot(snmp={"host": "127.0.0.1", "community": ["public"]}),
    "snmp key misspelt": _slot(snmp={"host": "127.0.0.1", "comunity": "public"}),
    "snmp a list": _slot(snmp=["127.0.0.1"]),
    "snmp host a mapping": _slot(snmp={"host": {"a": 1}}),
    # console
    "console unknown scheme": _slot(console="http://127.0.0.1:80"),
    "console no port": _slot(console="socket://127.0.0.1"),
    "console port 99999": _slot(console="rfc2217://127.0.0.1:99999"),
    "console a list": _slot(console=["socket://127.0.0.1:7000"]),
    "console device missing": _slot(console="/dev/no-such-tty-19"),
    "console baudrate words": _slot(console={"url": "socket://127.0.0.1:7000", "baudrate": "fast"}),
    "console baudrate odd": _slot(console={"url": "socket://127.0.0.1:7000", "baudrate": 12345}),
    "console parity X": _slot(console={"url": "socket://127.0.0.1:7000", "parity": "X"}),
    "console key misspelt": _slot(console={"url": "socket://127.0.0.1:7000", "baud": 9600}),
    "console bad IPv6": _slot(console="socket://[::1:7000"),
    # pdu, harness
    "pdu outlet missing": _slot(pdu={"host": "127.0.0.1", "port": 161}),
    "pdu outlet 0": _slot(pdu={"host": "127.0.0.1", "port": 161, "outlet": 0}),
    "pdu outlet true": _slot(pdu={"host": "127.0.0.1", "port": 161, "outlet": True}),
    "pdu port 0": _slot(pdu={"host": "127.0.0.1", "port": 0, "outlet": 1}),
    "harness a list": _slot(harness=["Gi1/0/1"]),
    "harness loopback a string": _slot(harness={"loopback": "Gi1/0/1"}),
    "harness pair of three": _slot(harness={"pairs": [["a", "b", "c"]]}),
    "harness key misspelt": _slot(harness={"loopbacks": ["Gi1/0/1"]}),
}

_PROFILE_BASE = """name: my_switch
connect: {netmiko_device_type: cisco_ios}
tests: {identity: {}}
plans: {quick: [identity]}
"""

PROFILES: dict[str, bytes | str] = {
    "binary": bytes(_rng.randrange(256) for _ in range(2048)),
    "utf-16": _PROFILE_BASE.encode("utf-16"),
    "over the size cap": _PROFILE_BASE + "# " + "x" * 400_000 + "\n",
    "list nested 10,000 deep": _PROFILE_BASE + "description: " + "[" * 10000 + "]" * 10000 + "\n",
    "alias bomb": _bomb().replace("bench: *a8", "description: *a8"),
    "not a mapping": "- name\n",
    "prompts a list": _PROFILE_BASE + "console: {prompts: ['>$']}\n",
    "prompts state a string": _PROFILE_BASE + "console: {prompts: {enable: '#$'}}\n",
    "failures a list": _PROFILE_BASE + "console: {failures: ['% Bad']}\n",
    "answers a list": _PROFILE_BASE + "console: {answers: [no]}\n",
    "answer a mapping": _PROFILE_BASE + "console: {answers: {setup: {a: 1}}}\n",
    "recovery steps a string": _PROFILE_BASE + "console: {recovery: {prompt: 'x', steps: boot}}\n",
    "recovery prompt bad regex": _PROFILE_BASE + "console: {recovery: {prompt: '(', steps: [boot]}}\n",
    "console key misspelt": _PROFILE_BASE + "console: {prompt: {enable: ['#$']}}\n",
    "plan step a mapping": _PROFILE_BASE.replace("[identity]", "[{identity: {}}]"),
    "plan step a list": _PROFILE_BASE.replace("[identity]", "[[identity]]"),
    "plans a list": _PROFILE_BASE.replace("plans: {quick: [identity]}", "plans: [identity]"),
    "plan empty": _PROFILE_BASE.replace("[identity]", "[]"),
    "name missing": _PROFILE_BASE.replace("name: my_switch\n", ""),
    "name a list": _PROFILE_BASE.replace("name: my_switch", "name: [a]"),
    "name with an escape": _PROFILE_BASE.replace("name: my_switch", f'name: "my{ESC}[2J"'),
    "tests a list": _PROFILE_BASE.replace("tests: {identity: {}}", "tests: [identity]"),
    "test params a list": _PROFILE_BASE.replace("{identity: {}}", "{identity: [a]}"),
    "test unknown": _PROFILE_BASE.replace("{identity: {}}", "{identity: {}, frobnicate: {}}"),
    "test timeout negative": _PROFILE_BASE.replace("{identity: {}}", "{identity: {timeout: -5}}"),
    "bad regex": _PROFILE_BASE + "identify: {show_version: ['(unclosed']}\n",
    "identify a list": _PROFILE_BASE + "identify: [a]\n",
    "pid a string": _PROFILE_BASE + "identify: {pid: '^WS-'}\n",
    "connect a string": _PROFILE_BASE.replace("connect: {netmiko_device_type: cisco_ios}", "connect: cisco_ios"),
    "device type a list": _PROFILE_BASE.replace("netmiko_device_type: cisco_ios", "netmiko_device_type: [a]"),
    "textfsm platform a mapping": _PROFILE_BASE.replace("cisco_ios}", "cisco_ios, textfsm_platform: {a: 1}}"),
    "tests_module unknown": _PROFILE_BASE + "tests_module: printers\n",
    "description a mapping": _PROFILE_BASE + "description: {a: 1}\n",
    "unknown top-level key": _PROFILE_BASE + "plan: {quick: [identity]}\n",
    "grading a list": _PROFILE_BASE + "grading: [identity]\n",
    "grading key misspelt": _PROFILE_BASE + "grading: {hardware_test: [identity]}\n",
    "letters not a list": _PROFILE_BASE + "grading: {letters: {letter: A}}\n",
}

# argv after `bench`; "{tmp}" is the case's directory (holding junk.db, not SQLite).
OPTIONS: dict[str, list[str]] = {
    "demo --count 0": ["demo", "--count", "0", "--headless", "--db", "sqlite:///{tmp}/d.db"],
    "demo --count -3": ["demo", "--count", "-3", "--headless", "--db", "sqlite:///{tmp}/d.db"],
    "demo --count huge": ["demo", "--count", "1000000000", "--headless", "--db", "sqlite:///{tmp}/d.db"],
    "demo --count words": ["demo", "--count", "eight", "--headless"],
    "demo --plan unknown": ["demo", "--plan", "nope", "--headless", "--db", "sqlite:///{tmp}/d.db"],
    "demo --burnin 0s": ["demo", "--burnin", "0s", "--headless", "--db", "sqlite:///{tmp}/d.db"],
    "demo --db a directory": ["demo", "--count", "1", "--headless", "--db", "{tmp}"],
    "sim --count 0": ["sim", "--count", "0"],
    "sim --count huge": ["sim", "--count", "100000"],
    "sim --seed words": ["sim", "--seed", "x"],
    "run --burnin huge": ["run", "{tmp}/ok.yaml", "--headless", "--burnin", "99999999999d"],
    "run --burnin words": ["run", "{tmp}/ok.yaml", "--headless", "--burnin", "soon"],
    "run --plan unknown": ["run", "{tmp}/ok.yaml", "--headless", "--plan", "nope", "--db", "sqlite:///{tmp}/r.db"],
    "run missing file": ["run", "{tmp}/missing.yaml", "--headless"],
    "run a directory": ["run", "{tmp}", "--headless"],
    "run --db a directory": ["run", "{tmp}/ok.yaml", "--headless", "--db", "{tmp}"],
    "run --db not SQLite": ["run", "{tmp}/ok.yaml", "--headless", "--db", "sqlite:///{tmp}/junk.db"],
    "run --db another scheme": ["run", "{tmp}/ok.yaml", "--headless", "--db", "mysql://x/y"],
    "agent --interval 0": ["agent", "--interval", "0s", "--duration", "1s"],
    "agent --stress-mem 5": ["agent", "--stress-mem", "5", "--duration", "1s"],
    "agent --stress-mem nan": ["agent", "--stress-mem", "nan", "--duration", "1s"],
    "unknown option": ["export", "--colour"],
    "unknown command": ["frobnicate"],
    "export --db a directory": ["export", "--db", "{tmp}"],
    "export --db not SQLite": ["export", "--db", "sqlite:///{tmp}/junk.db"],
    "export --db text file": ["export", "--db", "{tmp}/ok.yaml"],
    "verify --db a directory": ["verify", "--db", "{tmp}"],
    "verify --db not SQLite": ["verify", "--db", "sqlite:///{tmp}/junk.db"],
    "report --db a directory": ["report", "X", "--db", "{tmp}"],
    "report --db not SQLite": ["report", "X", "--db", "sqlite:///{tmp}/junk.db"],
    "grade --db a directory": ["grade", "X", "--operator", "jo", "--cosmetic", "C5", "--db", "{tmp}"],
    "grade --db not SQLite": ["grade", "X", "--operator", "jo", "--cosmetic", "C5", "--db",
                              "sqlite:///{tmp}/junk.db"],
    "tui --db not SQLite": ["tui", "--db", "sqlite:///{tmp}/junk.db"],
    "profiles check a directory": ["profiles", "check", "{tmp}"],
    "profiles check missing": ["profiles", "check", "{tmp}/missing.yaml"],
    "profiles show unknown": ["profiles", "show", "nope"],
    "probe one bad among good": ["probe", "local://", "ssh://a:b@[::1"],
}

# `bench probe URL` with a URL that is wrong: why -> URL.
BAD_PROBE_URLS: dict[str, str] = {
    "ssh://a:b@[::1": "ssh://a:b@[::1",
    "port 0": "ssh://a:b@127.0.0.1:0",
    "port 99999": "ssh://a:b@127.0.0.1:99999",
    "port words": "ssh://a:b@127.0.0.1:ssh",
    "unknown scheme": "http://127.0.0.1/",
    "no password": "ssh://127.0.0.1:22",
    "empty": "",
    "host with an escape": f"ssh://a:b@h{ESC}[2J:22",
    "host with a space": "ssh://a:b@my host:22",
    "snmp no host": "snmp://public@",
    "snmp port 0": "snmp://public@127.0.0.1:0",
    "console no port": "socket://127.0.0.1",
    "console bad IPv6": "rfc2217://[::1:7000",
    "device missing": "/dev/no-such-tty-19",
}
OPTIONS |= {f"probe {why}": ["probe", url] for why, url in BAD_PROBE_URLS.items()}


def _case_dir(tmp_path: Path) -> Path:
    (tmp_path / "junk.db").write_bytes(bytes(random.Random(7).randrange(256) for _ in range(8192)))
    (tmp_path / "latin1.csv").write_bytes("serial\nFOC1234ÄBC\n".encode("latin-1"))
    (tmp_path / "ok.yaml").write_text(yaml.safe_dump(BASE))
    return tmp_path


def _materialise(content: bytes | str, tmp: Path) -> bytes:
    if isinstance(content, str):
        return content.replace("{tmp}", str(tmp)).encode("utf-8")
    return content


def assert_one_line_exit_2(code: int, err: str, what: str) -> None:
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert code == 2, f"{what}: exit {code}, stderr {err[-300:]!r}"
    assert "Traceback" not in err, f"{what}: traceback\n{err}"
    assert len(lines) == 1, f"{what}: {len(lines)} lines on stderr: {err[-500:]!r}"
    assert ESC not in err, f"{what}: a raw escape sequence reached the terminal: {err!r}"
    assert lines[0].startswith("bench: "), f"{what}: {lines[0]!r}"


def _run_main(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    try:
        code = main(argv)
    except SystemExit as e:  # argparse refuses an option by exiting
        code = int(e.code or 0)
    return code, capsys.readouterr().err


@pytest.mark.parametrize("name", list(BENCH_FILES))
def test_a_malformed_bench_file_is_one_line_and_exit_2(name: str, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    tmp = _case_dir(tmp_path)
    path = tmp / "bench.yaml"
    path.write_bytes(_materialise(BENCH_FILES[name], tmp))
    db = tmp / "store.db"
    code, err = _run_main(["run", str(path), "--headless", "--db", f"sqlite:///{db}"], capsys)
    assert_one_line_exit_2(code, err, name)
    assert not db.exists(), f"{name}: the store was written although the bench file is wrong"


@pytest.mark.parametrize("name", list(PROFILES))
def test_a_malformed_profile_is_one_line_and_exit_2(name: str, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "profile.yaml"
    path.write_bytes(_materialise(PROFILES[name], tmp_path))
    code, err = _run_main(["profiles", "check", str(path)], capsys)
    assert_one_line_exit_2(code, err, name)


@pytest.mark.parametrize("name", list(OPTIONS))
def test_a_malformed_option_store_or_url_is_one_line_and_exit_2(name: str, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    tmp = _case_dir(tmp_path)
    argv = [a.replace("{tmp}", str(tmp)) for a in OPTIONS[name]]
    code, err = _run_main(argv, capsys)
    assert_one_line_exit_2(code, err, name)
    assert not (tmp / "d.db").exists() and not (tmp / "r.db").exists(), f"{name}: a store was written"
    assert (tmp / "junk.db").read_bytes()[:16] != b"SQLite format 3\x00", f"{name}: the junk file was overwritten"


@pytest.mark.parametrize(("argv", "says"), [
    (["sim", "--count", "0"], "0 devices: give 1 to "),
    (["sim", "--count", "eight"], "'eight' is not a whole number such as 8"),
    (["sim", "--seed", "-1"], "seed -1: give 0 to 4294967295"),
    (["sim", "--seed", "x"], "'x' is not a whole number such as 1"),
    (["agent", "--stress-mem", "2"], "2 is not a share of RAM from 0 to 0.98"),
    (["agent", "--stress-mem", "nan"], "nan is not a share of RAM from 0 to 0.98"),
    (["agent", "--stress-mem", "lots"], "'lots' is not a number such as 0.9"),
])
def test_a_number_out_of_its_bounds_says_what_fits(argv: list[str], says: str,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _run_main(argv, capsys)
    assert_one_line_exit_2(code, err, " ".join(argv))
    assert says in err, err


def test_the_bench_file_bounds_leave_a_real_bench_file_alone(tmp_path: Path) -> None:
    """Aliases and merge keys a technician might use still load, and a large honest bench file is fine."""
    from bench.config import load_bench

    text = ("bench: b\ncredentials:\n  f: {username: u, password: p}\n"
            "x-defaults: &d {credentials: [f], profile: auto}\nslots:\n"
            + "".join(f"  - {{<<: *d, id: S{i}, ssh: '127.0.0.1:{2000 + i}'}}\n" for i in range(1000)))
    path = tmp_path / "b.yaml"
    path.write_text(text)
    config = load_bench(path)
    assert len(config.slots) == 1000 and config.slots[999].ssh is not None and config.slots[999].ssh.port == 2999


# The heaviest cases once more through the real command: bounded in time and memory as a user runs it.
REAL = ["binary", "utf-16 with BOM", "list nested 10,000 deep", "alias bomb", "blocked_serials missing",
        "over the size cap"]


CPU_LIMIT_S = 10


def _real(argv: list[str], cwd: Path) -> tuple[int, str]:
    exe = shutil.which("bench", path=os.path.dirname(sys.executable)) or "bench"
    # The bound is CPU time and address space (what the product must keep small), not wall time: a loaded
    # CI machine stretches wall time but not the work done. The wall timeout only catches a hang.
    r = subprocess.run(["bash", "-c", f'ulimit -v 500000 -t {CPU_LIMIT_S}; exec "$@"', "bash", exe, *argv],
                       capture_output=True, text=True, cwd=cwd, timeout=300)
    return r.returncode, r.stderr


def test_the_real_command_bounds_time_and_memory(tmp_path: Path) -> None:
    tmp = _case_dir(tmp_path)
    big = tmp / "twelve-mb.yaml"
    big.write_text("bench: t\nslots:\n" + "  - {id: S1, ssh: '127.0.0.1:1'}\n" * 400_000)
    jobs: list[tuple[str, list[str]]] = [("12 MB bench file", ["run", str(big), "--headless", "--db",
                                                               f"sqlite:///{tmp}/big.db"])]
    for name in REAL:
        path = tmp / f"{len(jobs)}.yaml"
        path.write_bytes(_materialise(BENCH_FILES[name], tmp))
        jobs.append((name, ["run", str(path), "--headless", "--db", f"sqlite:///{tmp}/{len(jobs)}.db"]))
    for name in ("export --db a directory", "verify --db not SQLite", "probe ssh://a:b@[::1", "demo --count 0"):
        jobs.append((name, [a.replace("{tmp}", str(tmp)) for a in OPTIONS[name]]))
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda job: _real(job[1], tmp), jobs))
    for (name, _), (code, err) in zip(jobs, results, strict=True):
        assert code not in (-signal.SIGXCPU, -signal.SIGKILL), f"{name}: killed after {CPU_LIMIT_S} s of CPU time"
        assert_one_line_exit_2(code, err, name)
