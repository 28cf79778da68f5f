"""Hardware tests driven by fake channels that replay realistic 2960-X output."""

from __future__ import annotations

import asyncio
import json
import random
import re
import socket
from collections.abc import Callable
from importlib.metadata import EntryPoint
from pathlib import Path
from typing import Any

import pytest

from bench.drivers.ssh import AuthFailed, Credential, SshError, SshSession
from bench.drivers.testing import Script, ScriptedChannel
from bench.model import Identity, Outcome, TestResult
from bench.tests_hw import authenticity, environment, identity, logs, post, stolen
from bench.tests_hw.base import SlotInfo, TestContext
from bench.tests_hw.registry import TestRegistry, get_test, known_tests, test_names

DATA = Path(__file__).parent / "data" / "cisco_ios"
REJECT = "        ^\n% Invalid input detected at '^' marker.\n"


def fx(name: str) -> str:
    return (DATA / name).read_text()


def fake_cli(outputs: dict[str, str | Exception]) -> ScriptedChannel:
    """Replays canned output (the scripted channel); a command it does not know is rejected like IOS does."""
    return Script([*outputs.items(), (re.compile(""), REJECT)]).channel(platform="cisco_ios")


class FakeSnmp:
    def __init__(self, values: dict[str, Any], fail: Exception | None = None) -> None:
        self.values = values
        self.fail = fail

    async def get(self, *oids: str) -> dict[str, Any]:
        if self.fail:
            raise self.fail
        return {o: self.values.get(o) for o in oids}

    async def walk(self, oid: str) -> dict[str, Any]:
        if self.fail:
            raise self.fail
        return {k: v for k, v in self.values.items() if k.startswith(oid + ".")}

    async def walk_columns(self, table: str, columns: tuple[int, ...], max_repetitions: int = 64,
                           max_requests: int = 4) -> tuple[dict[str, Any], bool]:
        """Columns side by side, as bench.drivers.snmp.SnmpTarget walks them: here, one after another."""
        out: dict[str, Any] = {}
        for column in columns:
            out.update(await self.walk(f"{table}.{column}"))
        return out, True


def healthy_cli() -> dict[str, str | Exception]:
    return {
        "show version": fx("show_version.txt"),
        "show inventory": fx("show_inventory.txt"),
        "show environment fan": fx("show_env_fan.txt"),
        "show environment power all": fx("show_env_power_all.txt"),
        "show environment temperature": fx("show_env_temperature.txt"),
        "show environment all": fx("show_env_all.txt"),
        "show post": fx("show_post.txt"),
        "show logging": fx("show_logging.txt"),
        "dir": fx("dir.txt"),
        "dir flash:/crashinfo/": fx("dir_crashinfo_empty.txt"),
    }


ENT = "1.3.6.1.2.1.47.1.1.1.1"
ENV = "1.3.6.1.4.1.9.9.13.1"


def healthy_snmp(chassis_serial: str = "FOC1931X0AB", psu_serial: str = "DCB1930G1AB") -> dict[str, Any]:
    v: dict[str, Any] = {
        "1.3.6.1.2.1.1.1.0": "Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(7)E4",
        "1.3.6.1.2.1.1.2.0": "1.3.6.1.4.1.9.1.1208",
    }
    entities = {
        1001: (3, "1", "WS-C2960XR-48FPD-I", "V02", chassis_serial, "WS-C2960XR-48FPD-I"),
        1012: (6, "Switch 1 - Power Supply 0", "FRU Power Supply", "V02", psu_serial, "PWR-C2-1025WAC"),
        1013: (7, "Switch 1 - FAN 1", "Fan", "", "", ""),
        1101: (10, "GigabitEthernet1/0/1", "Gigabit Ethernet Port", "", "", ""),
    }
    for idx, (cls, name, descr, rev, serial, model) in entities.items():
        v |= {
            f"{ENT}.2.{idx}": descr,
            f"{ENT}.5.{idx}": cls,
            f"{ENT}.7.{idx}": name,
            f"{ENT}.8.{idx}": rev,
            f"{ENT}.11.{idx}": serial.encode(),
            f"{ENT}.13.{idx}": model,
        }
    v |= {
        f"{ENV}.4.1.2.1": "Switch#1, Fan#1",
        f"{ENV}.4.1.3.1": 1,
        f"{ENV}.5.1.2.1": "Sw1, PSA Normal",
        f"{ENV}.5.1.3.1": 1,
        f"{ENV}.5.1.2.2": "Sw1, PSB NotExist",
        f"{ENV}.5.1.3.2": 5,
        f"{ENV}.3.1.2.1": "SW#1, Sensor#1, GREEN",
        f"{ENV}.3.1.3.1": 29,
        f"{ENV}.3.1.4.1": 56,
        f"{ENV}.3.1.6.1": 1,
    }
    return v


def make_ctx(
    cli: dict[str, str | Exception] | None = None,
    snmp: dict[str, Any] | None = None,
    *,
    label: str = "",
    blocked: str = "",
    params: dict[str, Any] | None = None,
    no_cli: bool = False,
) -> TestContext:
    return TestContext(
        slot=SlotInfo(id="A01", label_serial=label, blocked_serials_file=blocked),
        profile_name="cisco_ios_switch",
        params=params or {},
        identity=Identity(),
        cli=None if no_cli else fake_cli(healthy_cli() if cli is None else cli),
        snmp=None if snmp is None else FakeSnmp(snmp),
    )


def go(fn: Callable[[TestContext], Any], ctx: TestContext) -> TestResult:
    res = asyncio.run(fn(ctx))
    assert isinstance(res, TestResult)
    json.dumps(res.to_dict())  # evidence must always be storable
    return res


PATTERN = {"serial_pattern": "^[A-Z]{3}[0-9]{4}[A-Z0-9]{4}$"}


# ---- identity ----------------------------------------------------------------------------------


def test_identity_healthy_fills_context() -> None:
    ctx = make_ctx(snmp=healthy_snmp(), label="FOC1931X0AB")
    res = go(identity.run, ctx)
    assert res.outcome is Outcome.PASS, res.summary
    ident = ctx.identity
    assert (ident.model, ident.serial, ident.os_version) == ("WS-C2960XR-48FPD-I", "FOC1931X0AB", "15.2(7)E4")
    assert ident.reload_reason == "power-on" and ident.config_register == "0xF"
    assert ident.sys_object_id == "1.3.6.1.4.1.9.1.1208"
    assert ident.chassis_serials == {"cli": "FOC1931X0AB", "snmp": "FOC1931X0AB", "label": "FOC1931X0AB"}
    kinds = {c.name: str(c.kind) for c in ident.components}
    assert kinds["Switch 1 - Power Supply 0"] == "psu" and kinds["GigabitEthernet1/0/50"] == "optic"
    snmp_kinds = {c["name"]: c["kind"] for c in res.evidence["snmp_components"]}
    # The chassis and the FRUs that carry a serial; a fan with none names no part to check.
    assert snmp_kinds == {"1": "chassis", "Switch 1 - Power Supply 0": "psu"}


def test_identity_lists_missing_expected_frus() -> None:
    ctx = make_ctx(params={"expected_frus": ["PWR-C2-1025WAC", "PWR-C2-640WAC"]})
    res = go(identity.run, ctx)
    assert res.outcome is Outcome.WARN
    assert res.evidence["missing_frus"]["missing_expected"] == ["PWR-C2-640WAC"]


def test_identity_snmp_shows_fru_cli_lacks() -> None:
    snmp = healthy_snmp()
    snmp |= {
        f"{ENT}.5.1014": 6,
        f"{ENT}.7.1014": "Switch 1 - Power Supply 1",
        f"{ENT}.11.1014": "DCB1927H0LM",
        f"{ENT}.13.1014": "PWR-C2-640WAC",
    }
    res = go(identity.run, make_ctx(snmp=snmp))
    assert res.evidence["missing_frus"]["only_in_snmp"] == ["DCB1927H0LM"]


def test_identity_lost_session_is_error() -> None:
    res = go(identity.run, make_ctx({"show version": ConnectionResetError("socket closed")}))
    assert res.outcome is Outcome.ERROR
    assert "socket closed" in res.summary


def test_identity_without_serial_anywhere_fails() -> None:
    version = "\n".join(ln for ln in fx("show_version.txt").splitlines()
                        if "Processor board ID" not in ln and not ln.startswith("System serial number"))
    res = go(identity.run, make_ctx({"show version": version, "show inventory": ""}))
    assert res.outcome is Outcome.FAIL and "serial" in res.summary


def test_identity_snmp_only() -> None:
    ctx = make_ctx(snmp=healthy_snmp(), no_cli=True)
    res = go(identity.run, ctx)
    assert res.outcome is Outcome.PASS
    assert ctx.identity.serial == "FOC1931X0AB" and ctx.identity.model == "WS-C2960XR-48FPD-I"


# ---- authenticity ------------------------------------------------------------------------------


def test_authenticity_all_channels_agree() -> None:
    res = go(authenticity.run, make_ctx(snmp=healthy_snmp(), label="FOC1931X0AB", params=PATTERN))
    assert res.outcome is Outcome.PASS
    assert res.summary == "serial FOC1931X0AB agrees on cli, snmp, label"


def test_authenticity_cli_snmp_mismatch_quarantines() -> None:
    res = go(authenticity.run, make_ctx(snmp=healthy_snmp("FOC1931X0ZZ"), params=PATTERN))
    assert res.outcome is Outcome.FAIL
    assert res.evidence["quarantine"] is True
    assert res.evidence["chassis_serials"] == {"cli": "FOC1931X0AB", "snmp": "FOC1931X0ZZ"}


def test_authenticity_label_mismatch_fails() -> None:
    res = go(authenticity.run, make_ctx(label="FOC2001A1BC", params=PATTERN))
    assert res.outcome is Outcome.FAIL and res.evidence["quarantine"] is True
    assert "label FOC2001A1BC" in res.summary


def test_authenticity_single_channel_warns() -> None:
    res = go(authenticity.run, make_ctx(params=PATTERN))
    assert res.outcome is Outcome.WARN
    assert res.summary == "only cli serial available; not cross-checked"


def test_authenticity_bad_serial_format_fails() -> None:
    cli = healthy_cli()
    cli["show version"] = fx("show_version.txt").replace("FOC1931X0AB", "12345")
    cli["show inventory"] = fx("show_inventory.txt").replace("FOC1931X0AB", "12345")
    res = go(authenticity.run, make_ctx(cli, label="12345", params=PATTERN))
    assert res.outcome is Outcome.FAIL and res.evidence["quarantine"] is True
    assert "format" in res.summary


def test_authenticity_fru_serial_mismatch_fails() -> None:
    res = go(authenticity.run, make_ctx(snmp=healthy_snmp(psu_serial="DCB0000X000"), params=PATTERN))
    assert res.outcome is Outcome.FAIL
    assert res.evidence["fru_mismatches"] == [
        {"name": "Switch 1 - Power Supply 0", "cli": "DCB1930G1AB", "snmp": "DCB0000X000"}
    ]


def test_authenticity_optic_security_message_fails() -> None:
    cli = healthy_cli() | {"show logging": fx("show_logging_optic.txt")}
    res = go(authenticity.run, make_ctx(cli, snmp=healthy_snmp(), params=PATTERN))
    assert res.outcome is Outcome.FAIL and res.evidence["quarantine"] is True
    assert any("VN_DATA_CRC_ERROR" in ln for ln in res.evidence["optic_security"])
    assert any("UNSUPPORTED_TRANSCEIVER" in ln for ln in res.evidence["optic_unsupported"])


# ---- stolen ------------------------------------------------------------------------------------


def test_stolen_without_list_is_not_run() -> None:
    res = go(stolen.run, make_ctx())
    assert res.outcome is Outcome.NOT_RUN and res.summary == "no blocked-serial list configured"


def test_stolen_unreadable_list_is_error(tmp_path: Path) -> None:
    res = go(stolen.run, make_ctx(blocked=str(tmp_path / "missing.csv")))
    assert res.outcome is Outcome.ERROR
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\xff\xfe\x00garbage\x80")
    assert go(stolen.run, make_ctx(blocked=str(bad))).outcome is Outcome.ERROR


def test_stolen_csv_hit_quarantines(tmp_path: Path) -> None:
    lst = tmp_path / "blocked.csv"
    lst.write_text(
        "# reported stolen\nserial,reported_by,date\nFOC1111A1AA,acme,2024-01-02\n"
        "dcb1930g1ab,acme,2024-02-03\n"
    )
    res = go(stolen.run, make_ctx(blocked=str(lst)))
    assert res.outcome is Outcome.FAIL and res.evidence["quarantine"] is True
    (hit,) = res.evidence["matches"]
    assert hit["serial"] == "DCB1930G1AB" and hit["row"]["reported_by"] == "acme" and hit["row"]["line"] == 4


def test_stolen_plain_list_clean_passes(tmp_path: Path) -> None:
    lst = tmp_path / "blocked.txt"
    lst.write_text("# one per line\nFOC1111A1AA\nFOC2222B2BB\n")
    res = go(stolen.run, make_ctx(blocked=str(lst), label="FOC1931X0AB"))
    assert res.outcome is Outcome.PASS
    assert "FOC1931X0AB" in res.evidence["checked"] and res.summary.startswith("5 serials checked")


def test_stolen_empty_list_warns(tmp_path: Path) -> None:
    lst = tmp_path / "blocked.csv"
    lst.write_text("# nothing yet\nserial,reported_by\n")
    assert go(stolen.run, make_ctx(blocked=str(lst))).outcome is Outcome.WARN


def test_stolen_label_serial_hit(tmp_path: Path) -> None:
    lst = tmp_path / "blocked.txt"
    lst.write_text("FOC1931X0AB\n")
    assert go(stolen.run, make_ctx(blocked=str(lst))).outcome is Outcome.FAIL


# ---- post --------------------------------------------------------------------------------------


def test_post_passed() -> None:
    res = go(post.run, make_ctx())
    assert res.outcome is Outcome.PASS and res.summary == "6 POST tests passed"


def test_post_failed_names_the_test() -> None:
    res = go(post.run, make_ctx({"show post": fx("show_post_failed.txt")}))
    assert res.outcome is Outcome.FAIL
    assert res.summary == "POST failed: switch 1 PortASIC Port Loopback Tests"


def test_post_rejected_or_empty_is_not_run() -> None:
    rejected = go(post.run, make_ctx({}))
    assert rejected.outcome is Outcome.NOT_RUN and "Invalid input" in rejected.summary
    empty = go(post.run, make_ctx({"show post": "\n\n"}))
    assert empty.outcome is Outcome.NOT_RUN


def test_post_never_starts_diagnostics() -> None:
    ctx = make_ctx()
    go(post.run, ctx)
    assert ctx.cli.sent == ["show post"]  # type: ignore[union-attr]


# ---- environment -------------------------------------------------------------------------------


def test_environment_healthy_with_snmp_passes_and_records_telemetry() -> None:
    ctx = make_ctx(snmp=healthy_snmp())
    seen: list[tuple[str, float]] = []

    async def record(name: str, value: float) -> None:
        seen.append((name, value))

    ctx.record_telemetry = record
    res = go(environment.run, ctx)
    assert res.outcome is Outcome.PASS, res.summary
    assert "PSU 1B" in res.evidence["absent"]  # second bay empty is not a failure
    assert ("temperature.switch 1 inlet", 29.0) in seen
    assert {r["kind"] for r in res.evidence["readings"]} == {"fan", "psu", "temperature"}


@pytest.mark.parametrize(("command", "fixture", "says"), [
    ("show environment fan", "show_env_fan_failed.txt", "switch 1 fan 2 FAIL"),
    ("show environment power all", "show_env_power_all_bad.txt", "PSU 1B failed"),
    ("show environment temperature", "show_env_temperature_red.txt",
     "switch 1 inlet temperature 58 C at/above red 56 C"),
])
def test_environment_a_failed_fan_psu_or_temperature_fails(command: str, fixture: str, says: str) -> None:
    res = go(environment.run, make_ctx(healthy_cli() | {command: fx(fixture)}))
    assert res.outcome is Outcome.FAIL
    assert res.summary == says


def test_environment_falls_back_to_show_env_all() -> None:
    cli = {k: v for k, v in healthy_cli().items() if not k.startswith("show environment ")}
    cli["show environment all"] = fx("show_env_all.txt")
    res = go(environment.run, make_ctx(cli))
    assert res.outcome is Outcome.PASS, res.summary
    names = {r["name"] for r in res.evidence["readings"]}
    assert names == {"fan", "PSU 1", "switch 1 inlet", "switch 1 hotspot"}


def test_environment_rejected_commands_never_pass() -> None:
    res = go(environment.run, make_ctx({}))
    assert res.outcome is Outcome.WARN
    assert res.summary == "fans: no reading; PSUs: no reading; temperatures: no reading"


def test_environment_missing_fan_class_warns() -> None:
    cli = healthy_cli() | {"show environment fan": REJECT, "show environment all": REJECT}
    res = go(environment.run, make_ctx(cli))
    assert res.outcome is Outcome.WARN and res.summary == "fans: no reading"


def test_environment_snmp_critical_psu_fails_even_if_cli_ok() -> None:
    snmp = healthy_snmp() | {f"{ENV}.5.1.3.1": 3}
    res = go(environment.run, make_ctx(snmp=snmp))
    assert res.outcome is Outcome.FAIL and "Sw1, PSA Normal failed" in res.summary


def test_environment_snmp_only() -> None:
    res = go(environment.run, make_ctx(snmp=healthy_snmp(), no_cli=True))
    assert res.outcome is Outcome.PASS, res.summary


def test_environment_lost_session_is_error() -> None:
    cli = healthy_cli() | {"show environment fan": TimeoutError("no prompt within 30s")}
    res = go(environment.run, make_ctx(cli))
    assert res.outcome is Outcome.ERROR and "no prompt" in res.summary


def test_environment_no_channels_not_run() -> None:
    assert go(environment.run, make_ctx(no_cli=True)).outcome is Outcome.NOT_RUN


# ---- logs --------------------------------------------------------------------------------------


def test_logs_clean_passes() -> None:
    res = go(logs.run, make_ctx())
    assert res.outcome is Outcome.PASS, res.summary
    assert res.evidence["reload_reason"] == "power-on"


def test_logs_parity_reload_and_crashinfo_fails() -> None:
    cli = healthy_cli() | {
        "show version": fx("show_version_parity.txt"),
        "dir flash:/crashinfo/": fx("dir_crashinfo.txt"),
    }
    res = go(logs.run, make_ctx(cli))
    assert res.outcome is Outcome.FAIL
    assert res.evidence["crashinfo_files"] == [
        "flash:/crashinfo/crashinfo_20190303-021115-UTC",
        "flash:/crashinfo/crashinfo_ext_20190303-021115-UTC",
    ]
    assert res.evidence["parity_events"] == 1


def test_logs_single_transient_parity_warns() -> None:
    cli = healthy_cli() | {
        "show version": fx("show_version_parity.txt"),
        "show logging": fx("show_logging_one_parity.txt"),
    }
    res = go(logs.run, make_ctx(cli, params={"parity_reloads_transient": 1}))
    assert res.outcome is Outcome.WARN
    assert res.evidence["reload_reason"] == "processor memory parity error"


def test_logs_parity_malloc_traceback_fails() -> None:
    cli = healthy_cli() | {"show logging": fx("show_logging_parity.txt")}
    res = go(logs.run, make_ctx(cli))
    assert res.outcome is Outcome.FAIL
    crash = res.evidence["crash_evidence"]
    assert "malloc failure" in crash and "traceback" in crash
    assert "CPU hog" in res.evidence["other_findings"]
    assert any("PARITY_ERROR" in ln for ln in res.evidence["matched_lines"])


def test_logs_reads_reload_reason_from_identity() -> None:
    ctx = make_ctx(healthy_cli() | {"show version": REJECT})
    ctx.identity.reload_reason = "Reload Command"
    res = go(logs.run, ctx)
    assert res.outcome is Outcome.PASS and res.evidence["reload_reason"] == "Reload Command"


def test_logs_unreadable_logging_never_passes() -> None:
    res = go(logs.run, make_ctx(healthy_cli() | {"show logging": REJECT}))
    assert res.outcome is Outcome.WARN


# ---- hostile output ----------------------------------------------------------------------------


def hostile(seed: int) -> str:
    rng = random.Random(seed)
    junk = bytes(rng.randrange(256) for _ in range(600)).decode("latin-1")
    return f"\x1b[31m\x00{junk}\x1b]0;owned\x07\r\nPOST: \x1b[2K\x00\r\n%SYS-\x00"


@pytest.mark.parametrize(
    "test",
    [identity, authenticity, stolen, post, environment, logs],
    ids=lambda m: m.__name__.rsplit(".", 1)[-1],
)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_hostile_output_never_crashes_or_passes(test: Any, seed: int, tmp_path: Path) -> None:
    cli: dict[str, str | Exception] = {k: hostile(seed + i) for i, k in enumerate(healthy_cli())}
    lst = tmp_path / "blocked.txt"
    lst.write_text("FOC0000A0AA\n")
    res = go(test.run, make_ctx(cli, blocked=str(lst), params=PATTERN))
    assert res.outcome is not Outcome.PASS, (res.outcome, res.summary)
    blob = json.dumps(res.to_dict())
    assert "\\u001b" not in blob and "\\u0000" not in blob


# ---- registry ----------------------------------------------------------------------------------


def test_registry_has_builtins() -> None:
    assert {"identity", "authenticity", "stolen", "post", "environment", "logs"} <= set(test_names())
    assert get_test("post") is post.run
    assert known_tests() == set(test_names())
    with pytest.raises(KeyError, match="known tests: .*environment"):
        get_test("nope")


async def _plugin(ctx: TestContext) -> TestResult:
    raise NotImplementedError


def _sync_plugin(ctx: TestContext) -> None:
    return None


def test_registry_validates_plugins() -> None:
    reg = TestRegistry()
    reg.load_builtins()
    reg.load(
        [
            EntryPoint("extra", f"{__name__}:_plugin", "bench.tests"),
            EntryPoint("broken", f"{__name__}:_sync_plugin", "bench.tests"),
            EntryPoint("post", f"{__name__}:_plugin", "bench.tests"),
            EntryPoint("gone", "no_such_module_xyz:run", "bench.tests"),
        ]
    )
    assert "extra" in reg and reg.get("post") is post.run
    assert set(reg.errors) == {"broken", "post", "gone"}
    assert "async" in reg.errors["broken"]


# ---- SSH driver (no simulator needed for these) ------------------------------------------------


def test_credential_repr_hides_secrets() -> None:
    c = Credential("owner", "admin", "s3cret-pw", "en-s3cret")
    assert "s3cret" not in repr(c) and "owner" in repr(c)


def test_ssh_refused_names_host_port_not_password() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again before the connect: nothing listens there
    sess = SshSession("127.0.0.1", port, "cisco_ios", [Credential("factory", "cisco", "pw-XYZZY")], timeout=3)
    assert sess.platform == "cisco_ios"
    with pytest.raises(SshError) as err:
        sess.open()
    assert f"127.0.0.1:{port}" in str(err.value) and "XYZZY" not in str(err.value)
    assert not isinstance(err.value, AuthFailed)


def test_ssh_without_credentials_is_auth_failed() -> None:
    with pytest.raises(AuthFailed):
        SshSession("127.0.0.1", 22, "cisco_ios", []).open()


def test_ssh_send_on_closed_session_is_ssh_error() -> None:
    with pytest.raises(SshError, match="not open"):
        SshSession("127.0.0.1", 22, "cisco_ios", []).send("show version")


def test_a_part_failed_on_both_channels_is_named_once_and_counted_over_snmp() -> None:
    from bench.model import Reading, SensorState
    from bench.tests_hw.environment import _fail_summary

    cli = Reading("fan", "switch 1 fan 1", SensorState.FAIL, detail="cli: FAIL")
    snmp = Reading("fan", "Switch#1, Fan#1", SensorState.FAIL, detail="snmp: envmon state 3")
    assert _fail_summary([cli, snmp]) == "switch 1 fan 1 FAIL (over SNMP too: 1 failed)"
    # A failure only one channel sees is named whichever channel it is.
    assert _fail_summary([snmp]) == "Switch#1, Fan#1 FAIL"
    assert _fail_summary([cli]) == "switch 1 fan 1 FAIL"


@pytest.mark.parametrize(("group", "name"), [("network", n) for n in ("ports", "poe", "optics", "sanitization")]
                         + [("server", n) for n in ("bmc", "nic", "smart", "identity", "edac")])
def test_a_check_without_a_cli_channel_is_not_run_saying_so(group: str, name: str) -> None:
    ctx = TestContext(SlotInfo("A01"), "p", {}, Identity(), cli=None)
    res = asyncio.run(get_test(name, group)(ctx))
    assert res.outcome is Outcome.NOT_RUN and res.name == name
    assert "no CLI channel" in res.summary and res.started <= res.finished
