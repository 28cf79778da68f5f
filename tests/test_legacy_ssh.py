"""Old units' SSH: servers restricted to what IOS 12.2/15.0, ProCurve, Junos and EOS releases offer.

paramiko 5 (netmiko's transport) cannot negotiate with them; the bench's drivers fall back to
bench.drivers.legacy_ssh (asyncssh with the legacy algorithm lists) and say which algorithms were used.
Measured against the simulator's asyncssh listeners and against a real OpenSSH sshd restricted to each set.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import paramiko
import pytest
from helpers import real_sshd
from helpers.loop_thread import LoopThread

from bench.drivers import ssh as ssh_driver
from bench.drivers.legacy_ssh import LegacyClient, is_algorithm_mismatch
from bench.drivers.shell import ShellSession, what_answers
from bench.drivers.ssh import Credential, SshError, SshSession
from simulators.families.cisco_ios.device import Device
from simulators.ssh_server import LEGACY_SETS, SshFrontEnd

CISCO = [Credential("factory", "cisco", "cisco", "cisco")]


@pytest.fixture(params=sorted(LEGACY_SETS))
def legacy_unit(request: pytest.FixtureRequest, loop: LoopThread) -> Iterator[tuple[Device, SshFrontEnd, str]]:
    ssh_driver._LEGACY_PEERS.clear()  # every test measures the fallback from a modern first attempt
    dev = Device("S1", 1, 12, "WS-C2960X-48FPD-L", [])
    fe = SshFrontEnd(dev, legacy=request.param)
    loop.run(fe.start())
    try:
        yield dev, fe, request.param
    finally:
        loop.run(fe.stop())


def _paramiko_handshake(port: int) -> BaseException | None:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    t = paramiko.Transport(sock)
    try:
        t.start_client(timeout=10)
        return None
    except Exception as e:  # noqa: BLE001 - what paramiko raises is the measurement
        return e
    finally:
        t.close()


def test_paramiko_5_cannot_negotiate_with_old_units(legacy_unit: tuple[Device, SshFrontEnd, str]) -> None:
    _, fe, _ = legacy_unit
    err = _paramiko_handshake(fe.port)
    assert err is not None and is_algorithm_mismatch(err), err


def test_cli_session_falls_back_and_names_the_algorithms(legacy_unit: tuple[Device, SshFrontEnd, str]) -> None:
    dev, fe, name = legacy_unit
    s = SshSession("127.0.0.1", fe.port, "cisco_ios", CISCO, timeout=10)
    with s:
        out = s.send("show version")
        assert f"Processor board ID {dev.serial}" in out
        assert s.send("show inventory").count(dev.serial) >= 1
    offered = LEGACY_SETS[name]
    assert s.negotiated is not None
    assert s.negotiated.kex in offered["kex_algs"]
    assert s.negotiated.cipher in offered["encryption_algs"]
    assert s.negotiated.mac in offered["mac_algs"]
    assert s.negotiated.host_key == "ssh-rsa"
    assert s.negotiated.kex in s.negotiated.legacy and "ssh-rsa" in s.negotiated.legacy
    assert s.transport["kex"] == s.negotiated.kex


def test_wrong_password_over_legacy_ssh_is_auth_failed(loop: LoopThread) -> None:
    ssh_driver._LEGACY_PEERS.clear()
    from simulators.faults import parse_faults

    dev = Device("S1", 1, 12, "WS-C2960X-48FPD-L", parse_faults("S1:unknown_password"))
    fe = SshFrontEnd(dev, legacy="ios12")
    loop.run(fe.start())
    try:
        with pytest.raises(ssh_driver.AuthFailed, match="factory"):
            SshSession("127.0.0.1", fe.port, "cisco_ios", CISCO, timeout=10).open()
    finally:
        loop.run(fe.stop())


def test_who_answers_on_a_legacy_unit(legacy_unit: tuple[Device, SshFrontEnd, str]) -> None:
    dev, fe, _ = legacy_unit
    kind, text, cred = what_answers("127.0.0.1", fe.port, CISCO, timeout=10)
    assert (kind, cred) == ("cli", "factory")
    assert dev.serial in text


def test_modern_units_stay_on_paramiko(loop: LoopThread) -> None:
    dev = Device("S1", 1, 12, "WS-C2960X-48FPD-L", [])
    fe = SshFrontEnd(dev)
    loop.run(fe.start())
    try:
        s = SshSession("127.0.0.1", fe.port, "cisco_ios", CISCO, timeout=10)
        with s:
            assert dev.serial in s.send("show version")
        assert s.negotiated is None and s.transport["client"] == "netmiko/paramiko"
    finally:
        loop.run(fe.stop())


def test_nothing_in_common_is_one_clear_error(loop: LoopThread) -> None:
    """A peer that offers none of even the legacy lists: an SshError naming both attempts."""
    import asyncssh

    async def start() -> asyncssh.SSHAcceptor:
        return await asyncssh.create_server(asyncssh.SSHServer, "127.0.0.1", 0,
                                            server_host_keys=[asyncssh.generate_private_key("ssh-ed25519")],
                                            kex_algs=["diffie-hellman-group1-sha1"], encryption_algs=["arcfour"],
                                            mac_algs=["hmac-sha1"])

    acceptor = loop.run(start())
    try:
        with pytest.raises(SshError, match="legacy SSH algorithms either"):
            SshSession("127.0.0.1", acceptor.get_port(), "cisco_ios", CISCO, timeout=10).open()
    finally:
        acceptor.close()


def test_closing_from_another_thread_ends_a_blocked_read(legacy_unit: tuple[Device, SshFrontEnd, str]) -> None:
    """How a watchdog unblocks a stuck read: close() from elsewhere; recv returns b"" at once."""
    import threading

    _, fe, _ = legacy_unit
    client = LegacyClient()
    client.connect("127.0.0.1", fe.port, "cisco", "cisco", 10)
    chan = client.invoke_shell()
    chan.settimeout(None)
    got: list[bytes] = []

    def drain() -> None:
        while True:
            data = chan.recv(65536)
            if not data:
                got.append(b"<end>")
                return

    t = threading.Thread(target=drain)
    t.start()
    chan.close()
    t.join(10)
    assert not t.is_alive() and got == [b"<end>"]


# ---- a real OpenSSH server restricted to each legacy set --------------------------------------

OPENSSH_SETS = {
    "ios12": "KexAlgorithms diffie-hellman-group1-sha1,diffie-hellman-group14-sha1\n"
             "Ciphers aes128-cbc,3des-cbc,aes256-cbc\nMACs hmac-sha1,hmac-md5\n",
    "ios15": "KexAlgorithms diffie-hellman-group-exchange-sha1,diffie-hellman-group14-sha1\n"
             "Ciphers aes128-ctr,aes256-ctr,aes128-cbc\nMACs hmac-sha1\n",
    "group1-3des-md5": "KexAlgorithms diffie-hellman-group1-sha1\nCiphers 3des-cbc\nMACs hmac-md5\n",
}


@pytest.fixture(scope="module", params=sorted(OPENSSH_SETS))
def legacy_sshd(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
                ) -> Iterator[tuple[real_sshd.RealSshd, str]]:
    reason = real_sshd.why_not()
    if reason:
        pytest.skip(reason)
    tmp = tmp_path_factory.mktemp("legacy-sshd")
    subprocess.run(["ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-N", "", "-f", str(tmp / "rsa_key")], check=True)
    extra = OPENSSH_SETS[request.param] + f"HostKey {tmp / 'rsa_key'}\nHostKeyAlgorithms ssh-rsa\n"
    server = real_sshd.start(tmp, extra_config=extra, host_key=False)
    try:
        yield server, request.param
    finally:
        real_sshd.stop(server)


def test_real_openssh_refuses_paramiko_5(legacy_sshd: tuple[real_sshd.RealSshd, str]) -> None:
    server, _ = legacy_sshd
    err = _paramiko_handshake(server.port)
    assert err is not None and is_algorithm_mismatch(err), err


def test_real_openssh_legacy_shell_session(legacy_sshd: tuple[real_sshd.RealSshd, str]) -> None:
    ssh_driver._LEGACY_PEERS.clear()
    server, name = legacy_sshd
    creds = [Credential("t", server.user, server.password)]
    s = ShellSession(server.host, server.port, creds, timeout=15)
    with s:
        assert s.send("echo hello-$((6*7))").strip() == "hello-42"
    assert s.negotiated is not None
    kex_line = OPENSSH_SETS[name].splitlines()[0]
    assert s.negotiated.kex in kex_line and s.negotiated.host_key == "ssh-rsa"
    assert s.negotiated.cipher in OPENSSH_SETS[name] and s.negotiated.mac in OPENSSH_SETS[name]


def test_real_openssh_legacy_probe(legacy_sshd: tuple[real_sshd.RealSshd, str], tmp_path: Path) -> None:
    server, _ = legacy_sshd
    r = subprocess.run([sys.executable, "-m", "bench.cli", "probe", server.url(), "--json"], capture_output=True,
                       text=True, timeout=120)
    doc = json.loads(r.stdout)
    doc = doc[0] if isinstance(doc, list) else doc
    assert doc.get("kind") == "linux", doc
    assert doc["ssh"]["host_key"] == "ssh-rsa" and doc["ssh"]["legacy"], doc["ssh"]
    assert server.password not in r.stdout
