"""Server burn-in: the agent path against simulated servers (through `bench run`) and against this
host over a real sshd with the real agent; the shell fallback over the real sshd; the verdicts."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import sysconfig
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers.real_sshd import RealSshd
from helpers.sim_bench import SimBench, start_sim, stop_sim

from bench.config import CredentialSet, HostPort, SlotConfig
from bench.model import Identity, Outcome, TestResult
from bench.shell_channels import local_channel, shell_ssh_channel
from bench.store import Store
from bench.tests_hw.base import SlotInfo, TestContext
from bench.tests_hw.server import burnin

BENCH = str(Path(sys.executable).with_name("bench"))  # this checkout's bench (as root)
SYSTEM_PYTHON = "/usr/bin/python3"


def agent_for_any_user() -> str:
    """The agent as the throwaway sshd user can run it: the system Python (a dev interpreter may sit
    under /root) with this checkout and the dev environment's packages (psutil) on its path."""
    if not os.access(SYSTEM_PYTHON, os.X_OK):
        pytest.skip(f"{SYSTEM_PYTHON} is absent: the throwaway user has no Python to run the agent with")
    same = subprocess.run([SYSTEM_PYTHON, "-c", "import sys; print(sys.version_info[:2])"], capture_output=True,
                          text=True, check=False).stdout.strip() == str(tuple(sys.version_info[:2]))
    if not same:
        pytest.skip(f"{SYSTEM_PYTHON} is not Python {sys.version_info[0]}.{sys.version_info[1]}: psutil would not load")
    root = Path(__file__).resolve().parent.parent
    return f"env PYTHONPATH={sysconfig.get_paths()['purelib']}:{root} {SYSTEM_PYTHON} -m bench.cli"


async def run_burnin(channel_of: Any, params: dict[str, Any]) -> tuple[TestResult, list[tuple[str, float]]]:
    """The burn-in test through a real channel, with a telemetry recorder that keeps what it gets."""
    rows: list[tuple[str, float]] = []

    async def record(metric: str, value: float) -> None:
        rows.append((metric, value))

    executor = ThreadPoolExecutor(4)
    channel = channel_of(executor, asyncio.Semaphore(4))
    ctx = TestContext(slot=SlotInfo("R1"), profile_name="linux_server", params=params, identity=Identity(),
                      cli=channel, record_telemetry=record)
    try:
        return await burnin.run(ctx), rows
    finally:
        await channel.close()
        executor.shutdown(wait=False)


def ssh_slot(server: RealSshd) -> SlotConfig:
    return SlotConfig("R1", ssh=HostPort(server.host, server.port),
                      credentials=[CredentialSet("throwaway", server.user, server.password)])


# ---- against a real host over a real sshd ---------------------------------------------------------


class StopAgentOnceSeen:
    """The real channel, reading the agent's stream as the burn-in does: once `enough` holds for the records so
    far, the agent (same host, its pid from its start record) gets SIGINT, as a stopped burn-in does, and ends
    with its own end record. The duration is then a deadline, not a window the work must fit in under load."""

    def __init__(self, channel: Any, enough: Callable[[list[dict[str, Any]]], bool]) -> None:
        self._channel = channel
        self._enough = enough
        self.stopped = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._channel, name)

    async def stream(self, command: str, timeout: float) -> AsyncIterator[str]:
        records: list[dict[str, Any]] = []
        async for line in self._channel.stream(command, timeout):
            try:
                rec = json.loads(line)
            except ValueError:
                rec = None
            if isinstance(rec, dict):
                records.append(rec)
                if not self.stopped and self._enough(records):
                    os.kill(int(records[0]["pid"]), signal.SIGINT)
                    self.stopped = True
            yield line


def stress_seen(records: list[dict[str, Any]]) -> bool:
    """A full memory pattern pass and three samples, the last after the pass (a full interval under load)."""
    mem = [i for i, r in enumerate(records) if r.get("type") == "mem"]
    samples = [i for i, r in enumerate(records) if r.get("type") == "sample"]
    return records[0].get("type") == "start" and bool(mem) and len(samples) >= 3 and samples[-1] > mem[0]


def test_real_agent_over_real_sshd(real_sshd: RealSshd) -> None:
    slot = ssh_slot(real_sshd)
    channels: list[StopAgentOnceSeen] = []

    def channel_of(ex: ThreadPoolExecutor, gate: asyncio.Semaphore) -> StopAgentOnceSeen:
        channels.append(StopAgentOnceSeen(shell_ssh_channel(slot, ex, gate, 20.0), stress_seen))
        return channels[-1]

    r, rows = asyncio.run(run_burnin(channel_of, {  # 120 s: a deadline; the agent is stopped once stress is seen
        "duration": 120, "interval": 1, "stress_cpu": True, "stress_mem": 0.01, "agent": agent_for_any_user()}))
    assert channels[0].stopped, r.evidence  # stress and samples came before the deadline
    assert r.evidence["path"] == "agent", r.evidence
    assert r.outcome is not Outcome.FAIL, r.summary  # a healthy host: nothing invented
    assert r.outcome in (Outcome.PASS, Outcome.WARN)
    assert r.evidence["samples"] >= 3
    assert r.evidence["mem_stress"]["passes"] >= 1 and r.evidence["mem_stress"]["mismatches"] == 0
    assert {m for m, _ in rows} >= {"cpu_min_pct", "cpu_avg_pct", "mem_used_pct"}
    # Stress reached every core while the agent ran (a later sample covers a full interval of load).
    assert r.evidence["metrics"]["cpu_min_pct"]["max"] >= 80, r.evidence["metrics"]
    if not Path("/sys/devices/system/edac/mc").exists():
        assert "no EDAC counters" in r.summary  # the missing reading is said, not passed over


def test_shell_fallback_over_real_sshd_when_no_agent(real_sshd: RealSshd) -> None:
    slot = ssh_slot(real_sshd)
    r, rows = asyncio.run(run_burnin(lambda ex, gate: shell_ssh_channel(slot, ex, gate, 20.0), {
        "duration": 4, "interval": 1, "stress_cpu": True, "agent": "bench-is-not-installed-here"}))
    assert r.evidence["path"] == "shell" and "not found" in r.evidence["agent_missing"][0]
    assert "needs the agent" in r.evidence["memory_pattern"]
    assert r.outcome in (Outcome.PASS, Outcome.WARN), r.summary
    assert r.evidence["samples"] >= 3 and any(m == "cpu_avg_pct" for m, _ in rows)
    assert r.evidence["metrics"]["cpu_avg_pct"]["max"] >= 80, r.evidence["metrics"]
    # The stress loops are gone once the test returns (killed by pid, and bounded by `timeout` anyway).
    deadline, left = time.monotonic() + 4, "?"
    while left and time.monotonic() < deadline:  # well before their own `timeout` (duration + 5 s) ends them
        left = subprocess.run(["pgrep", "-u", real_sshd.user, "-f", "while :"], capture_output=True,
                              text=True).stdout.strip()
    assert left == ""


def test_local_agent_path() -> None:
    r, _ = asyncio.run(run_burnin(lambda ex, gate: local_channel(ex, gate), {
        "duration": 3, "interval": 1, "stress_cpu": False, "stress_mem": 0, "agent": BENCH}))
    assert r.evidence["path"] == "agent" and r.evidence["samples"] >= 2 and r.outcome is not Outcome.FAIL


def test_no_channel_is_not_run() -> None:
    ctx = TestContext(slot=SlotInfo("R1"), profile_name="linux_server", params={}, identity=Identity())
    r = asyncio.run(burnin.run(ctx))
    assert r.outcome is Outcome.NOT_RUN and "no shell channel" in r.summary


# ---- the server quick plan over real SSH, through the engine -----------------------------------------


def test_quick_plan_over_real_sshd_invents_no_fail(real_sshd: RealSshd, tmp_path: Path) -> None:
    bench_file = tmp_path / "real.yaml"
    bench_file.write_text(yaml.safe_dump({
        "bench": "real", "credentials": {"throwaway": {"username": real_sshd.user, "password": real_sshd.password}},
        "slots": [{"id": "R1", "profile": "auto", "ssh": f"127.0.0.1:{real_sshd.port}"}]}))
    db = f"sqlite:///{tmp_path / 'real.db'}"
    run = subprocess.run([sys.executable, "-m", "bench.cli", "run", str(bench_file), "--headless", "--db", db],
                         capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode in (0, 1), run.stderr
    assert real_sshd.password not in run.stdout + run.stderr
    out = subprocess.run([sys.executable, "-m", "bench.cli", "export", "--db", db], capture_output=True, text=True,
                         timeout=120, check=True)
    unit = json.loads(out.stdout)["units"][0]
    tests = {t["name"]: t for t in unit["tests"]}
    # Identified as a Linux server (no serial without dmidecode, so the export names no profile):
    # the server quick plan is what ran.
    assert set(tests) == {"identity", "smart", "edac", "nic", "bmc"}
    assert not [t for t in tests.values() if t["outcome"] == "FAIL"], tests
    assert tests["identity"]["evidence"]["cpus"] == os.cpu_count()
    for name in ("smart", "bmc"):  # no SMART tooling or BMC on this host, and the login is not root
        assert tests[name]["outcome"] == "NOT_RUN" and tests[name]["summary"], tests[name]
    if not Path("/sys/devices/system/edac/mc").exists():
        assert tests["edac"]["outcome"] == "NOT_RUN" and "EDAC" in tests["edac"]["summary"]


# ---- simulated servers through `bench run` ---------------------------------------------------------


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Any:
    sim = start_sim(tmp_path_factory.mktemp("burnin-servers"), 3, "S2:edac_errors,S3:overtemp", seed=11,
                    family="linux_server")
    yield sim
    stop_sim(sim.proc)


def test_simulated_servers_burnin_through_the_engine(servers: SimBench, tmp_path: Path) -> None:
    path = servers.run_file(tmp_path, keep=("ssh",))  # SSH only: identified by the shell that answers
    db = tmp_path / "burn.db"
    run = subprocess.run([sys.executable, "-m", "bench.cli", "run", str(path), "--headless", "--db", f"sqlite:///{db}",
                          "--plan", "full", "--burnin", "8s"], capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode == 1, run.stdout[-2000:] + run.stderr  # S2 and S3 fail
    doc = json.loads(subprocess.run([sys.executable, "-m", "bench.cli", "export", "--db", f"sqlite:///{db}"],
                                    capture_output=True, text=True, timeout=120, check=True).stdout)
    units = {u["slot"]: u for u in doc["units"]}
    burn = {s: next(t for t in u["tests"] if t["name"] == "burnin") for s, u in units.items()}
    assert all(u["profile"] == "linux_server" for u in units.values())
    assert {s: u["serial"] for s, u in units.items()} == {s: t["serial"] for s, t in servers.truth.items()}
    assert all(b["evidence"]["path"] == "agent" for b in burn.values())
    assert burn["S1"]["outcome"] == "PASS", burn["S1"]["summary"]
    assert burn["S2"]["outcome"] == "FAIL" and "corrected memory errors" in burn["S2"]["summary"]
    assert burn["S3"]["outcome"] == "FAIL" and "reached" in burn["S3"]["summary"]
    store = Store(f"sqlite:///{db}", must_exist=True)
    try:
        latest = store.latest_run()
        assert latest is not None
        run_id = latest.id
        metrics = {row["metric"] for row in store.telemetry(run_id, "S1")}
    finally:
        store.close()
    assert {"cpu_min_pct", "mem_used_pct", "edac_ce"} <= metrics and any(m.startswith("temp:") for m in metrics)


# ---- verdicts ---------------------------------------------------------------------------------------


def sample(**kw: Any) -> dict[str, Any]:
    return {"type": "sample", "t": kw.pop("t", 0.0), "cpu_percent": [100.0], "temps": {}, **kw}


def test_verdicts() -> None:
    v = burnin.Verdict(max_temp=90, ce_per_hour_fail=10)
    burnin.judge_record(v, sample(t=0, temps={"coretemp": [{"label": "Package id 0", "current": 70, "critical": 80}]},
                                  edac={"ce": 3, "ue": 0}, events={"mce": 0, "thermal": 0}))
    burnin.judge_record(v, sample(t=3600, temps={"coretemp": [{"label": "Package id 0", "current": 81,
                                                                "critical": 80}]},
                                  edac={"ce": 5, "ue": 1}, events={"mce": 2, "thermal": 0}))
    burnin.judge_record(v, {"type": "mem", "pass": 1, "pattern": "0x55", "bytes": 1, "mismatches": [{"chunk": 0}]})
    outcome, summary = burnin.conclude(v, 3600)
    assert outcome is Outcome.FAIL
    for want in ("Package id 0 reached 81 C (limit 80 C)", "1 new uncorrected", "2 new machine-check",
                 "mismatched"):
        assert want in summary, summary
    assert "2 new corrected memory errors during the burn-in (2/h)" in v.warns  # under 10/h: a warning
    slow = burnin.Verdict(max_temp=90, ce_per_hour_fail=10)
    for t, ce in ((0, 0), (7200, 2)):
        burnin.judge_record(slow, sample(t=t, edac={"ce": ce, "ue": 0},
                                         temps={"x": [{"label": "t", "current": 40}]}))
    assert burnin.conclude(slow, 7200)[0] is Outcome.WARN  # 1 corrected/h: watch, not fail
    empty = burnin.Verdict(max_temp=90, ce_per_hour_fail=10)
    assert burnin.conclude(empty, 10)[0] is Outcome.ERROR


def test_fallback_sample_parsing() -> None:
    text = ("cpu  100 0 100 800 0 0 0 0 0 0\nMemTotal:       1000 kB\nMemAvailable:    250 kB\n"
            "/sys/class/hwmon/hwmon0/name:coretemp\n/sys/class/hwmon/hwmon0/temp1_input:55000\n"
            "/sys/class/hwmon/hwmon0/temp1_crit:100000\n/sys/class/hwmon/hwmon0/temp1_label:Package id 0\n"
            "/sys/devices/system/edac/mc/mc0/ce_count:4\n/sys/devices/system/edac/mc/mc0/ue_count:0\n"
            " MCE:          0          1   Machine check exceptions\n")
    rec, cpu = burnin.parse_fallback(text, (0, 0))
    assert cpu == (1000, 800) and rec["cpu_percent"] == [20.0]
    assert rec["mem"]["percent"] == 75.0 and rec["edac"] == {"ce": 4, "ue": 0} and rec["events"] == {"mce": 1}
    assert rec["temps"] == {"coretemp.hwmon0": [{"label": "Package id 0", "current": 55.0, "critical": 100.0}]}
    bare, none = burnin.parse_fallback("sh: 1: head: not found\n", None)
    assert none is None and "cpu_percent" not in bare


def test_simulated_shell_runs_command_lists_and_the_agent() -> None:
    from simulators.families.linux_server.cli import ShellSession, agent_options, split_commands
    from simulators.families.linux_server.device import Server

    assert split_commands("echo a; grep 'x;y' f ;; true") == ["echo a", "grep 'x;y' f", "true"]
    assert agent_options(["--duration", "2m", "--interval", "0.5s", "--stress-cpu", "--stress-mem", "0.9"]) == {
        "duration": 120.0, "interval": 0.5, "stress_cpu": 1.0, "stress_mem": 0.9}
    srv = Server("S1", 0, 1, "PowerEdge R640")
    shell = ShellSession(srv, console=False)
    shell.username = "root"
    text, _ = shell.run("echo m_s; id -u; echo m_e $?")
    assert text.splitlines() == ["m_s", "0", "m_e 0"]
    text, _ = shell.run("bench agent --duration 3s --interval 1s --stress-cpu")
    lines = [json.loads(x) for x in text.splitlines()]
    assert shell.hold == 3.0 and [r["type"] for r in lines] == ["start", "sample", "sample", "sample", "end"]
    assert all(min(r["cpu_percent"]) == 100.0 for r in lines if r["type"] == "sample")
