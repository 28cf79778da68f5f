"""asyncssh front end: one listener per device, password auth, interactive IOS shell on a pty."""

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

from simulators.family import SimDevice as Device

log = logging.getLogger(__name__)

_HOST_KEY: asyncssh.SSHKey | None = None


def host_key() -> asyncssh.SSHKey:
    """One ed25519 key per process, shared by every device: 256 devices start in seconds."""
    global _HOST_KEY
    if _HOST_KEY is None:
        _HOST_KEY = asyncssh.generate_private_key("ssh-ed25519")
    return _HOST_KEY


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

    def connection_lost(self, exc: Exception | None) -> None:
        if self._conn is not None:
            self._live.discard(self._conn)

    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return True

    def validate_password(self, username: str, password: str) -> bool:
        return self.device.check_login(username, password)

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
                if reply.delay:
                    await asyncio.sleep(reply.delay)
                if reply.text:
                    chan.write(reply.text)
                if reply.close:
                    break
        except asyncio.CancelledError:
            return
        except Exception:  # a bug in one session must not take the device down
            log.exception("ssh session of %s failed", self.device.slot)
        chan.close()


class SshFrontEnd:
    """The SSH listener of one device."""

    def __init__(self, device: Device, host: str = "127.0.0.1", port: int = 0) -> None:
        self.device = device
        self.host = host
        self.port = port
        self._acceptor: asyncssh.SSHAcceptor | None = None
        # Open sessions, so a power-off or reload cuts idle ones too, as losing power does.
        self._live: set[asyncssh.SSHServerConnection] = set()

    async def start(self) -> int:
        dev = self.device

        self._acceptor = await asyncssh.create_server(
            lambda: _Server(dev, self._live), self.host, self.port,
            server_host_keys=[host_key()],
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

