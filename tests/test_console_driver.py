"""The console driver against the simulated consoles: expect with deadlines, the walk to enable, grading parity."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
import serial

from bench.drivers.console.expect import Expect, Transcript
from bench.drivers.console.machine import ConsoleMachine, ConsoleProfile, Login, NeedRecovery
from bench.drivers.console.session import ConsoleOptions, ConsoleSession
from bench.drivers.console.transport import ConsoleError, normalise_url, open_line
from bench.engine import console_walk

BENCH = [sys.executable, "-m", "bench.cli"]


def test_rfc2217_urls_get_ign_set_control_and_telnet_is_mapped():
    assert normalise_url("rfc2217://h:7001") == "rfc2217://h:7001?ign_set_control&timeout=5"
    assert normalise_url("telnet://h:23").startswith("rfc2217://h:23?ign_set_control")
    assert normalise_url("/dev/ttyUSB0") == "/dev/ttyUSB0"
    with pytest.raises(ValueError, match="use /dev/ttyUSB0"):
        normalise_url("http://h:1")


def test_refused_console_port_says_what_to_check():
    with pytest.raises(ConsoleError, match="connection refused"):
        open_line("socket://127.0.0.1:1")


def test_expect_gives_up_at_the_deadline_on_a_silent_line():
    port = serial.serial_for_url("loop://", timeout=0.05)
    x = Expect(port)
    assert x.expect([re.compile("never")], timeout=0.3) is None


def test_garbage_and_escapes_never_reach_the_buffer():
    port = serial.serial_for_url("loop://", timeout=0.05)
    x = Expect(port)
    port.write(b"\x1b[31mred\x1b[0m\x00\x07\xff\xfeSwitch#")
    m = x.expect([re.compile(r"(?m)^\S*Switch#\s*$")], timeout=2)
    assert m is not None and "\x1b" not in m.before and "\x00" not in m.before


def test_password_typed_by_the_bench_is_masked_in_the_transcript():
    port = serial.serial_for_url("loop://", timeout=0.05)
    t = Transcript()
    x = Expect(port, t)
    x.write("s3cret\r", secret=True)
    assert "s3cret" not in json.dumps(t.to_list()) and "********" in json.dumps(t.to_list())


def _console_slot(sim, sid):
    return next(s for s in sim.doc["slots"] if s["id"] == sid)


def test_walk_to_enable_and_run_a_command(spine_sim):
    slot = _console_slot(spine_sim, "S1")
    session = ConsoleSession(ConsoleOptions(url=slot["console"]), ConsoleProfile.from_dict({}),
                             [Login("factory", "cisco", "cisco", "cisco")])
    try:
        report = session.open()
        assert report.states[-1] == "enable" and report.credential_used == "factory"
        out = session.send("show inventory")
    finally:
        session.close()
    assert spine_sim.truth["S1"]["serial"] in out
    # byte for byte what SSH shows: no echo, no prompt, CRLFs split across reads not doubled
    from bench.drivers.ssh import Credential, SshSession

    host, port = slot["ssh"].rsplit(":", 1)
    ssh = SshSession(host, int(port), "cisco_ios", [Credential("factory", "cisco", "cisco", "cisco")])
    ssh.open()
    try:
        assert out.strip() == ssh.send("show inventory").strip()
    finally:
        ssh.close()


def test_wrong_credentials_end_in_need_recovery_not_a_loop(spine_sim):
    slot = _console_slot(spine_sim, "S2")
    port = open_line(slot["console"])
    try:
        machine = ConsoleMachine(Expect(port), ConsoleProfile.from_dict({}),
                                 [Login("a", "nobody", "wrong"), Login("b", "admin", "wrong2")])
        with pytest.raises(NeedRecovery, match="tried a, b"):
            machine.to_enable(timeout=60)
    finally:
        port.close()


def test_quick_plan_over_console_alone_grades_like_ssh(spine_sim, tmp_path):
    def run(keep):
        f = spine_sim.run_file(tmp_path, f"{keep}.yaml", keep=(keep,))
        db = f"sqlite:///{tmp_path}/{keep}.db"
        r = subprocess.run([*BENCH, "run", str(f), "--headless", "--db", db], capture_output=True, text=True,
                           timeout=600)
        assert r.returncode in (0, 1), r.stderr[-1000:]
        units = json.loads(subprocess.run([*BENCH, "export", "--db", db], capture_output=True, text=True,
                                          check=True).stdout)["units"]
        return {u["slot"]: ({t["name"]: t["outcome"] for t in u["tests"]}, u["serial"], u["grade"]["disposition"])
                for u in units}

    assert run("console") == run("ssh")


def test_a_line_held_by_another_session_is_reported_with_what_to_do(spine_sim, tmp_path):
    import shutil
    import socket
    import subprocess as sp
    import time

    if shutil.which("ser2net") is None:
        pytest.skip("ser2net not installed (apt-get install ser2net)")
    pty = spine_sim.truth["S3"]["console_pty"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        tcp = s.getsockname()[1]
    conf = tmp_path / "s2n.yaml"
    conf.write_text(f"connection: &c\n  accepter: telnet(rfc2217),tcp,127.0.0.1,{tcp}\n"
                    f"  connector: serialdev,{pty},9600n81,local\n")
    proc = sp.Popen(["ser2net", "-n", "-d", "-c", str(conf), "-P", str(conf) + ".pid"], stdout=sp.DEVNULL,
                    stderr=sp.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        holder = None
        while holder is None and time.monotonic() < deadline:
            try:
                holder = socket.create_connection(("127.0.0.1", tcp), timeout=1)  # the stale session
            except OSError:
                time.sleep(0.1)  # ser2net still starting: poll its port
        assert holder is not None
        session = ConsoleSession(ConsoleOptions(url=f"rfc2217://127.0.0.1:{tcp}"), ConsoleProfile.from_dict({}),
                                 [Login("factory", "cisco", "cisco", "cisco")])
        with pytest.raises(ConsoleError, match="held by another session.*clear the line"):
            session.open()
        session.close()
        holder.close()
    finally:
        proc.terminate()
        proc.wait(5)


def test_junos_console_walk_uses_the_platforms_prompts(bench_sim):
    """A Junos console login as root lands in the FreeBSD shell (`root@:RE:0%`, as after zeroize): the walk
    types `cli` there and stops at the operational `>` prompt the platform names, instead of nudging a
    prompt it does not know until it gives up as silent."""
    fleet = bench_sim(count=1, families=["juniper_junos"])
    slot = fleet.slot("S1")
    cred = fleet.doc["credentials"][slot["credentials"][0]]
    assert cred["username"] == "root"  # the factory login: the shell first
    session = ConsoleSession(ConsoleOptions(url=slot["console"], walk_timeout=60),
                             ConsoleProfile.from_dict(console_walk("juniper_junos", {})),
                             [Login("factory", cred["username"], cred["password"])], platform="juniper_junos")
    try:
        report = session.open()
        assert report.states[-2:] == ["shell", "enable"], report.states
        out = session.send("show chassis hardware")
    finally:
        session.close()
    assert fleet.truth("S1")["serial"] in out
    assert "%" not in out.splitlines()[-1] and ">" not in out.strip().splitlines()[-1]  # no prompt in output
