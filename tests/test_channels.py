"""The channel contract (bench.drivers.channel), the one lazy adapter (bench.drivers.adapter) and the scripted
channel (bench.drivers.testing) the other tests use instead of fake CLIs of their own."""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor

import pytest

from bench.config import CredentialSet
from bench.drivers.channel import DIALOG, STREAM, Credential, first_login
from bench.drivers.console.machine import ConsoleStuck, Login
from bench.drivers.ssh import AuthFailed
from bench.drivers.testing import Reply, Script, ScriptError
from bench.errors import AccessDenied, ChannelError, ChannelMissing, UnitNotBooted

# ---- one credential type, secrets hidden -----------------------------------------------------------------

def test_a_credential_never_shows_its_secrets():
    cred = Credential("factory", "admin", "Pa55-w0rd!", "En4ble-s3cret")
    for shown in (repr(cred), str(cred), f"{cred}", repr([cred]), str({"c": cred})):
        assert "Pa55-w0rd!" not in shown and "En4ble-s3cret" not in shown
        assert "factory" in shown


def test_the_bench_file_and_the_console_use_the_one_credential_type():
    assert CredentialSet is Credential and Login is Credential
    assert "hunter2" not in repr(Login("url", "cisco", "hunter2", "hunter2"))


def test_first_login_tries_each_set_in_order_and_names_the_refused_ones():
    creds = [Credential("a", "u", "1"), Credential("b", "u", "2"), Credential("c", "u", "3")]
    tried: list[str] = []

    def connect(cred: Credential, refused: list[str]) -> str | None:
        tried.append(cred.name)
        if cred.name == "b":
            return "conn-b"
        refused.append(cred.name)
        return None

    assert first_login(creds, connect, "h:22", AuthFailed) == ("conn-b", creds[1])
    assert tried == ["a", "b"]
    with pytest.raises(AuthFailed, match="h:22: authentication failed with credential sets a, c"):
        first_login([creds[0], creds[2]], connect, "h:22", AuthFailed)
    with pytest.raises(AuthFailed, match="no credential sets configured"):
        first_login([], connect, "h:22", AuthFailed)


def test_refusals_that_reopening_cannot_help_are_access_denied():
    assert issubclass(AuthFailed, AccessDenied) and issubclass(ConsoleStuck, AccessDenied)
    assert issubclass(AccessDenied, ChannelError) and issubclass(UnitNotBooted, ChannelMissing)


# ---- the lazy adapter over a scripted unit ---------------------------------------------------------------

def test_opens_on_first_use_in_the_pool_and_keeps_one_session():
    script = Script({"show version": "Cisco IOS Software", "show clock": "12:00:00"})

    async def main() -> list[str]:
        with ThreadPoolExecutor(1, thread_name_prefix="bench-io-test") as pool:
            cli = script.channel(executor=pool)
            assert script.opens == 0  # nothing opened until a check asks
            out = [await cli.send("show version"), await cli.send("show clock")]
            await cli.close()
            return out

    assert asyncio.run(main()) == ["Cisco IOS Software", "12:00:00"]
    assert script.opens == 1 and script.sent == ["show version", "show clock"]
    assert script.threads == {"bench-io-test_0"}  # blocking calls never run on the event loop


def test_a_dropped_session_is_reopened_on_the_next_call():
    script = Script({"reload": Reply("Proceed with reload? [confirm]", drop=True), "show version": "up again",
                     "show lost": ScriptError("session lost during 'show lost'")})

    async def main() -> str:
        cli = script.channel()
        await cli.send("reload")
        text = await cli.send("show version")  # the first session was cut: the call fails, the channel forgets it
        return text

    with pytest.raises(ScriptError, match="session is not open"):
        asyncio.run(main())
    assert script.opens == 1

    async def again() -> str:
        cli = script.channel()
        with pytest.raises(ScriptError):
            await cli.send("show lost")
        return await cli.send("show version")

    assert asyncio.run(again()) == "up again"
    assert script.opens == 3  # one more session for `again`, then a fresh one after the lost one


def test_a_refused_login_is_remembered_not_retried():
    script = Script({"show version": "never"}, refuse_login=AuthFailed("h:22: authentication failed"))

    async def main() -> list[str]:
        cli = script.channel()
        said = []
        for _ in range(3):
            with pytest.raises(AuthFailed) as e:
                await cli.send("show version")
            said.append(str(e.value))
        return said

    assert asyncio.run(main()) == ["h:22: authentication failed"] * 3
    assert script.opens == 1  # a locked-out unit is not hammered


def test_a_console_stuck_in_rommon_is_unit_not_booted():
    script = Script(refuse_login=ConsoleStuck("console: stopped in rommon", "rommon"))

    async def main() -> None:
        await script.channel(kind="console").send("show version")

    with pytest.raises(UnitNotBooted, match="no CLI"):
        asyncio.run(main())


def test_dialogs_need_the_declared_capability():
    script = Script({"write erase": Reply("Erasing the nvram filesystem will remove all configuration files! "
                                          "Continue? [confirm]", prompt="")}, prompt="sw1#")

    async def main() -> tuple[str, str]:
        dialog = script.channel(capabilities=(DIALOG,))
        asked = await dialog.send_expect("write erase", r"\[confirm\]\s*$")
        shell = script.channel(capabilities=(STREAM,))
        with pytest.raises(ChannelMissing, match="no dialog capability"):
            await shell.send_expect("write erase", r"\[confirm\]")
        with pytest.raises(ChannelMissing, match="no stream capability"):
            async for _ in dialog.stream("agent", timeout=5):
                pass
        return asked, ",".join(sorted(shell.capabilities))

    asked, caps = asyncio.run(main())
    assert asked.endswith("Continue? [confirm]") and caps == "stream"


def test_stream_hands_over_lines_and_the_exit_status():
    script = Script({re.compile(r"^bench-agent "): Reply("{\"t\": 1}\n{\"t\": 2}\n{\"t\": 3}", status=3)})

    async def main() -> tuple[list[str], int | None]:
        shell = script.channel(kind="local", platform="linux", capabilities=(STREAM,))
        lines = [line async for line in shell.stream("bench-agent --duration 1", timeout=10)]
        return lines, shell.exit_status

    assert asyncio.run(main()) == (['{"t": 1}', '{"t": 2}', '{"t": 3}'], 3)


def test_an_unscripted_command_is_a_channel_error_naming_it():
    async def main() -> None:
        await Script({"show version": "x"}).channel().send("show inventory")

    with pytest.raises(ScriptError, match="no answer for 'show inventory'"):
        asyncio.run(main())


def test_a_watchdog_cancelling_a_call_throws_the_session_away():
    import threading
    release = threading.Event()

    def slow(_: str) -> str:
        release.wait(5)
        return "late"

    script = Script({"show tech": slow, "show clock": "12:00"})

    async def main() -> str:
        cli = script.channel()
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(cli.send("show tech"), 0.2)
        release.set()
        return await cli.send("show clock")

    assert asyncio.run(main()) == "12:00"
    assert script.opens == 2


# ---- the factories: plain values in, declared capabilities out (real drivers) ---------------------------

def test_factories_take_plain_values_and_declare_what_each_channel_can_do():
    from bench.drivers.adapter import (
        console_cli_channel,
        local_shell_channel,
        ssh_cli_channel,
        ssh_shell_channel,
    )
    from bench.drivers.console.expect import Transcript
    from bench.drivers.console.machine import ConsoleProfile
    from bench.drivers.console.transport import LineSettings

    cred = [Credential("factory", "admin", "secret")]
    gate = asyncio.Semaphore(1)
    with ThreadPoolExecutor(1) as pool:
        ssh = ssh_cli_channel("127.0.0.1", 22, cred, device_type="cisco_ios", platform="cisco_ios", executor=pool,
                              gate=gate, connect_timeout=5)
        telnet = ssh_cli_channel("127.0.0.1", 23, cred, device_type="cisco_ios", platform="cisco_ios",
                                 executor=pool, gate=gate, connect_timeout=5, telnet=True)
        shell = ssh_shell_channel("127.0.0.1", 22, cred, executor=pool, gate=gate, connect_timeout=5)
        console = console_cli_channel("telnet://127.0.0.1:7001", cred, profile=ConsoleProfile.from_dict({}),
                                      settings=LineSettings(), platform="cisco_ios", executor=pool, gate=gate,
                                      transcript=Transcript(), recovery=[], power_cycle=None)
        local = local_shell_channel(pool, gate)
    got = [(c.kind, c.platform, sorted(c.capabilities)) for c in (ssh, telnet, shell, console, local)]
    assert got == [("ssh", "cisco_ios", ["dialog"]), ("telnet", "cisco_ios", ["dialog"]), ("ssh", "linux", ["stream"]),
                   ("console", "cisco_ios", ["dialog"]), ("local", "linux", ["stream"])]
    assert repr(ssh) == "LazyChannel(ssh, cisco_ios, closed)"  # nothing opened by building it


def test_a_refused_connection_is_not_remembered_as_a_lockout():
    import socket

    from bench.drivers.adapter import ssh_cli_channel
    from bench.drivers.ssh import SshError

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]

    async def main() -> list[str]:
        cli = ssh_cli_channel("127.0.0.1", port, [Credential("f", "u", "p")], device_type="cisco_ios",
                              platform="cisco_ios", executor=None, gate=asyncio.Semaphore(1),
                              connect_timeout=5)
        said = []
        for _ in range(2):
            with pytest.raises(SshError) as e:
                await cli.send("show version")
            said.append(str(e.value))
            assert not isinstance(e.value, AccessDenied)
        return said

    said = asyncio.run(main())
    assert said == [f"127.0.0.1:{port}: connection refused"] * 2  # tried again: the unit may be booting


def test_the_local_shell_streams_through_the_one_adapter():
    from bench.drivers.adapter import local_shell_channel

    async def main() -> tuple[list[str], int | None, str]:
        with ThreadPoolExecutor(2) as pool:
            here = local_shell_channel(pool, asyncio.Semaphore(1))
            lines = [line async for line in here.stream("printf 'one\\ntwo\\n'; exit 3", timeout=20)]
            status = here.exit_status
            echoed = await here.send("echo three")
            await here.close()
            return lines, status, echoed

    assert asyncio.run(main()) == (["one", "two"], 3, "three\n")
