"""SSH to units whose servers offer only the algorithms of their age, over asyncssh.

Old IOS (12.2/15.0 on 2960/3560/3750), ProCurve, older Junos and EOS releases offer only SHA-1 key
exchange (diffie-hellman-group1-sha1, group14-sha1, group-exchange-sha1), ssh-rsa (or ssh-dss) host
keys, CBC ciphers and hmac-sha1/md5. paramiko 5 removed the key exchanges and the SHA-1 host key
signatures, so netmiko cannot reach them; asyncssh keeps every one behind its algorithm options
(docs/reaching-old-units.md says what was measured). This module is used only when the modern
handshake failed on an algorithm mismatch: it offers asyncssh's defaults first and the legacy sets
after them, so a unit still gets the strongest algorithms it has.

asyncssh (and its classes, bench.drivers.legacy_ssh_wire) is imported on the first legacy connection: a
bench whose units all speak modern SSH never pays for it.

`LegacyClient` mirrors the part of paramiko.SSHClient the bench's drivers use (connect,
invoke_shell, close) and `LegacyChannel` the part of paramiko.Channel (sendall, recv, recv_ready,
settimeout, closed, eof_received, get_transport), so netmiko's prompt-reading CLI driver and the
shell driver run over it unchanged. asyncssh runs on a private event loop in one thread per
connection: the callers are blocking threads of the engine's pool.
"""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass
from typing import Any

from bench.drivers.reader import ClosedFlagTransport

__all__ = ["LEGACY_CIPHERS", "LEGACY_HOST_KEYS", "LEGACY_KEX", "LEGACY_MACS", "LegacyAuthFailed", "LegacyChannel",
           "LegacyClient", "LegacyConnectError", "Negotiated", "is_algorithm_mismatch"]

# What old network OS releases offer and asyncssh keeps out of its defaults (or at their end).
LEGACY_KEX = ("diffie-hellman-group14-sha1", "diffie-hellman-group-exchange-sha1", "diffie-hellman-group1-sha1")
LEGACY_CIPHERS = ("aes128-ctr", "aes256-ctr", "aes128-cbc", "aes192-cbc", "aes256-cbc", "3des-cbc")
LEGACY_MACS = ("hmac-sha1", "hmac-sha1-96", "hmac-md5", "hmac-md5-96")
LEGACY_HOST_KEYS = ("ssh-rsa", "ssh-dss")
# Everything a modern client would refuse: these names in the evidence mean the legacy path was needed.
_WEAK = frozenset(LEGACY_KEX) | {"3des-cbc", "aes128-cbc", "aes192-cbc", "aes256-cbc"} | frozenset(LEGACY_MACS) | {
    "ssh-rsa", "ssh-dss"}

_MISMATCH = ("no acceptable kex", "no acceptable host key", "no acceptable cipher", "no acceptable mac",
             "incompatible ssh", "no matching")


def is_algorithm_mismatch(exc: BaseException) -> bool:
    """True when the modern handshake failed only because the peer offers none of its algorithms."""
    text = f"{type(exc).__name__} {exc}".lower()
    return "incompatiblepeer" in text or any(m in text for m in _MISMATCH)


class LegacyConnectError(OSError):
    """The legacy handshake failed too (refused, timed out, no algorithm in common, lost)."""


class LegacyAuthFailed(LegacyConnectError):
    """The unit refused the credential set."""


@dataclass(frozen=True)
class Negotiated:
    """What the handshake settled on; `legacy` names the ones a modern client would refuse."""
    kex: str
    cipher: str
    mac: str
    host_key: str

    @property
    def legacy(self) -> list[str]:
        return [a for a in (self.kex, self.cipher, self.mac, self.host_key) if a in _WEAK]

    def to_dict(self) -> dict[str, Any]:
        return {"client": "asyncssh (legacy algorithms)", "kex": self.kex, "cipher": self.cipher, "mac": self.mac,
                "host_key": self.host_key, "legacy": self.legacy}

    def describe(self) -> str:
        return f"kex {self.kex}, cipher {self.cipher}, mac {self.mac}, host key {self.host_key}"


class LegacyChannel:
    """An interactive shell channel with paramiko.Channel's blocking reads and writes."""

    def __init__(self, client: LegacyClient) -> None:
        self._client = client
        self._buffer = bytearray()
        self._cond = threading.Condition()
        self._timeout: float | None = None
        self._chan: Any = None
        self.closed = False
        self.eof_received = False
        self.transport = ClosedFlagTransport(self)

    # called on the client's event loop
    def _feed(self, data: bytes) -> None:
        with self._cond:
            self._buffer += data
            self._cond.notify_all()

    def _ended(self, eof: bool) -> None:
        with self._cond:
            self.eof_received = True
            self.closed = self.closed or not eof
            self._cond.notify_all()

    # paramiko.Channel's surface
    def settimeout(self, timeout: float | None) -> None:
        self._timeout = timeout

    def get_transport(self) -> ClosedFlagTransport:
        return self.transport

    def recv_ready(self) -> bool:
        with self._cond:
            return bool(self._buffer)

    def recv(self, size: int) -> bytes:
        """Up to `size` bytes; b"" once the unit closed the channel; socket.timeout past the timeout."""
        deadline = None if self._timeout is None else time.monotonic() + self._timeout
        with self._cond:
            while not self._buffer and not self.eof_received and not self.closed:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    raise TimeoutError("timed out")
                self._cond.wait(left)
            data = bytes(self._buffer[:size])
            del self._buffer[:size]
            return data

    def sendall(self, data: bytes) -> None:
        if self.closed or self._chan is None:
            raise OSError("the SSH channel is closed")
        self._client.call(self._chan.write, bytes(data))

    send = sendall

    def close(self) -> None:
        with self._cond:
            self.closed = True
            self._cond.notify_all()
        self._client.close()


class LegacyClient:
    """One SSH connection with the legacy algorithm sets enabled; blocking calls, any thread may close it."""

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="legacy-ssh", daemon=True)
        self._thread.start()
        self._conn: Any = None
        self._closed = False
        self.negotiated: Negotiated | None = None

    def _run(self, coro: Any, timeout: float) -> Any:
        return asyncio.run_coroutine_threadsafe(asyncio.wait_for(coro, timeout), self._loop).result(timeout + 5)

    def call(self, fn: Any, *args: Any) -> None:
        if self._closed:
            raise OSError("the SSH connection is closed")
        self._loop.call_soon_threadsafe(fn, *args)

    def connect(self, host: str, port: int, username: str, password: str, timeout: float) -> Negotiated:
        """Log in by password (keyboard-interactive too, as many network OSes ask) or raise LegacyConnectError."""
        from bench.drivers.legacy_ssh_wire import Recorder, asyncssh, offer

        recorder = Recorder()
        try:
            self._conn = self._run(asyncssh.connect(
                host, port, client_factory=lambda: recorder, username=username, password=password,
                known_hosts=None, client_keys=None,
                agent_path=None, preferred_auth="keyboard-interactive,password", kbdint_auth=True,
                config=None, connect_timeout=timeout, login_timeout=timeout, keepalive_interval=0,
                **offer()), timeout + 1)
        except asyncssh.PermissionDenied:
            self.close()
            raise LegacyAuthFailed("authentication refused") from None
        except (asyncssh.Error, OSError, TimeoutError) as exc:
            self.close()
            raise LegacyConnectError(f"{type(exc).__name__}: {' '.join(str(exc).split())[:160]}") from None
        self.negotiated = recorder.negotiated(self._conn)
        return self.negotiated

    def invoke_shell(self, term: str = "vt100", width: int = 511, height: int = 1000) -> LegacyChannel:
        from bench.drivers.legacy_ssh_wire import ShellSession, asyncssh

        channel = LegacyChannel(self)

        async def open_shell() -> Any:
            chan, _ = await self._conn.create_session(lambda: ShellSession(channel), term_type=term,
                                                      term_size=(width, height), encoding=None)
            return chan

        try:
            channel._chan = self._run(open_shell(), 30)
        except (asyncssh.Error, OSError, TimeoutError) as exc:
            self.close()
            raise LegacyConnectError(f"no shell: {type(exc).__name__}: {exc}") from None
        return channel

    def close(self) -> None:
        """Safe from any thread and more than once; ends the connection and its loop thread."""
        if self._closed:
            return
        self._closed = True
        conn = self._conn

        def stop() -> None:
            if conn is not None:
                conn.abort()
            self._loop.call_soon(self._loop.stop)

        try:
            self._loop.call_soon_threadsafe(stop)
        except RuntimeError:
            return  # the loop is already gone
        if threading.current_thread() is not self._thread:
            self._thread.join(5)
        if not self._thread.is_alive():
            self._loop.close()
