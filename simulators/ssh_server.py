"""asyncssh front end: one listener per device, password auth, interactive IOS shell on a pty.

The `legacy_ssh` trait restricts a listener to what an old unit's SSH server offers (LEGACY_SETS:
SHA-1 key exchanges, an ssh-rsa host key signed with SHA-1, CBC ciphers, hmac-sha1/md5), which a
modern client (paramiko 5) cannot negotiate.
"""

from __future__ import annotations

import asyncio
import logging
import warnings

from cryptography.utils import CryptographyDeprecationWarning

with warnings.catch_warnings():
    # asyncssh names cryptography's DSA classes when imported (ten deprecation lines on every `bench sim`);
    # the simulators only ever use an ed25519 host key, so that one warning is silenced for that import alone.
    warnings.filterwarnings("ignore", message="DSA is deprecated", category=CryptographyDeprecationWarning)
    import asyncssh

from simulators.boot import is_up
from simulators.family import SimDevice as Device

log = logging.getLogger(__name__)

_HOST_KEY: asyncssh.SSHKey | None = None
_RSA_KEY: asyncssh.SSHKey | None = None

# What old units offer, as asyncssh server options. "ios12": a Catalyst on IOS 12.2 (group1 and group14
# SHA-1, CBC only, hmac-sha1/md5); "ios15": IOS 15.0 / ProCurve (group-exchange-sha1, group14-sha1, CTR and
# CBC, hmac-sha1). Both sign with ssh-rsa (SHA-1) only.
LEGACY_SETS: dict[str, dict[str, list[str]]] = {
    "ios12": {"kex_algs": ["diffie-hellman-group1-sha1", "diffie-hellman-group14-sha1"],
              "encryption_algs": ["aes128-cbc", "3des-cbc", "aes256-cbc"], "mac_algs": ["hmac-sha1", "hmac-md5"]},
    "ios15": {"kex_algs": ["diffie-hellman-group-exchange-sha1", "diffie-hellman-group14-sha1"],
              "encryption_algs": ["aes128-ctr", "aes256-ctr", "aes128-cbc"], "mac_algs": ["hmac-sha1"]},
}


def host_key() -> asyncssh.SSHKey:
    """One ed25519 key per process, shared by every device: 256 devices start in seconds."""
    global _HOST_KEY
    if _HOST_KEY is None:
        _HOST_KEY = asyncssh.generate_private_key("ssh-ed25519")
    return _HOST_KEY


def rsa_host_key() -> asyncssh.SSHKey:
    """The ssh-rsa key of legacy listeners (old IOS has RSA keys only), one per process."""
    global _RSA_KEY
    if _RSA_KEY is None:
        _RSA_KEY = asyncssh.generate_private_key("ssh-rsa", key_size=2048)
    return _RSA_KEY


def server_options(legacy: str | None) -> dict[str, object]:
    """Host keys and algorithm restrictions of a listener: modern defaults, or one of LEGACY_SETS."""
    if legacy is None:
        return {"server_host_keys": [host_key()]}
    if legacy not in LEGACY_SETS:
        raise ValueError(f"unknown legacy SSH set {legacy!r}; use one of {', '.join(LEGACY_SETS)}")
    return {"server_host_keys": [rsa_host_key()], "signature_algs": ["ssh-rsa"], **LEGACY_SETS[legacy]}


class _Server(asyncssh.SSHServer):
    def __init__(self, device: Device, live: set[asyncssh.SSHServerConnection]) -> None:
        self.device = device
        self._live = live
        self._conn: asyncssh.SSHServerConnection | None = None

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self.device.touch()
        offers = getattr(self.device, "offers_ssh", None)
        if offers is not None and not offers():
            conn.abort()  # no SSH configured (a wiped Catalyst): the client is turned away before any banner
            return
        self._conn = conn
        self._live.add(conn)
        if not is_up(self.device):
            conn.close()  # reloading: the listener closes when the boot starts; nothing answers before

    def connection_lost(self, exc: Exception | None) -> None:
        if self._conn is not None:
            self._live.discard(self._conn)

    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return True

    def validate_password(self, username: str, password: str) -> bool:
        ok = self.device.check_login(username, password)
        if ok:  # counted for benchmarks/identify_cost.py: how many logins a unit costs the bench
            self.device.ssh_logins = getattr(self.device, "ssh_logins", 0) + 1
        return ok

    # PAN-OS asks for the password by keyboard-interactive (netmiko's paloalto_panos driver uses only that);
    # a device says so with `keyboard_interactive = True`, the others keep password authentication alone.
    def kbdint_auth_supported(self) -> bool:
        return bool(getattr(self.device, "keyboard_interactive", False))

    def get_kbdint_challenge(self, username: str, lang: str,
                             submethods: str) -> tuple[str, str, str, list[tuple[str, bool]]]:
        return "", "", "", [("Password: ", False)]

    def validate_kbdint_response(self, username: str, responses: list[str]) -> bool:
        return len(responses) == 1 and self.validate_password(username, responses[0])

    def session_requested(self) -> _Shell:
        return _Shell(self.device)


class _Shell(asyncssh.SSHServerSession):  # type: ignore[type-arg]
    """Feeds channel bytes to an IosSession in order; a queue keeps slow_response delays ordered."""

    def __init__(self, device: Device) -> None:
        self.device = device
        self.cli = device.open_session(console=False)
        self._chan: asyncssh.SSHServerChannel | None = None  # type: ignore[type-arg]
        self._queue: asyncio.Queue[str | None] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None

    def connection_made(self, chan: asyncssh.SSHServerChannel) -> None:  # type: ignore[type-arg]
        self._chan = chan
        self.cli.username = chan.get_extra_info("username")

    def pty_requested(self, term_type: str, term_size: tuple[int, int, int, int], term_modes: object) -> bool:
        return True

    def shell_requested(self) -> bool:
        return True

    def exec_requested(self, command: str) -> bool:
        return False  # IOS vty: interactive shell only

    def session_started(self) -> None:
        assert self._chan is not None
        self._chan.write(self.cli.banner())
        self._task = asyncio.get_running_loop().create_task(self._pump())

    def data_received(self, data: str, datatype: object) -> None:
        self._queue.put_nowait(data)

    def eof_received(self) -> bool:
        self._queue.put_nowait(None)
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        if self._task is not None:
            self._task.cancel()

    async def _pump(self) -> None:
        chan = self._chan
        assert chan is not None
        try:
            while True:
                data = await self._queue.get()
                if data is None:
                    break
                reply = self.cli.feed(data)
                while True:
                    if reply.delay:
                        await asyncio.sleep(reply.delay)
                    if reply.text:
                        chan.write(reply.text)
                    if reply.close or reply.follow is None:
                        break
                    reply = await reply.follow  # a copy pulling an image: its answer, then the rest
                if reply.close:
                    break
        except asyncio.CancelledError:
            return
        except Exception:  # a bug in one session must not take the device down
            log.exception("ssh session of %s failed", self.device.slot)
        chan.close()


class SshFrontEnd:
    """The SSH listener of one device."""

    def __init__(self, device: Device, host: str = "127.0.0.1", port: int = 0, legacy: str | None = None) -> None:
        self.device = device
        self.host = host
        self.port = port
        self.legacy = legacy  # a LEGACY_SETS name: the unit offers only those old algorithms
        self._acceptor: asyncssh.SSHAcceptor | None = None
        # Open sessions, so a power-off or reload cuts idle ones too, as losing power does.
        self._live: set[asyncssh.SSHServerConnection] = set()

    async def start(self) -> int:
        dev = self.device

        self._acceptor = await asyncssh.create_server(
            lambda: _Server(dev, self._live), self.host, self.port,
            **server_options(self.legacy),  # type: ignore[arg-type]
            line_editor=False,  # the IOS session echoes and edits lines itself
            encoding="utf-8", errors="replace",
            keepalive_interval=0, login_timeout=60,
        )
        self.port = self._acceptor.get_port()
        return self.port

    async def stop(self) -> None:
        for conn in list(self._live):
            conn.abort()
        self._live.clear()
        if self._acceptor is not None:
            self._acceptor.close()
            await self._acceptor.wait_closed()
            self._acceptor = None

