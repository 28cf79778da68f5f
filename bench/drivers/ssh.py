"""Blocking SSH CLI driver on netmiko; the engine runs it in a bounded thread pool.

A unit whose SSH server offers only the algorithms of its age (SHA-1 key exchange, ssh-rsa, CBC,
hmac-sha1/md5: old IOS, ProCurve, Junos, EOS) fails paramiko's handshake; the same netmiko driver
then runs over bench.drivers.legacy_ssh (asyncssh with the legacy algorithm sets), and
`SshSession.negotiated` says which algorithms were used. Units without a crypto image speak telnet:
bench.drivers.telnet gives netmiko the same kind of channel.

Exceptions of netmiko and paramiko are translated here and nowhere else:

    SshError              connection refused, timeout, lost session (message: host:port and cause)
     └── AuthFailed       no credential set logged in and reached enable mode

No credential ever appears in a message, a repr or a session log (netmiko's is never enabled).
"""

from __future__ import annotations

import logging
import re
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from netmiko import ConnectHandler
from netmiko.base_connection import BaseConnection
from netmiko.channel import SSHChannel
from netmiko.exceptions import (
    NetmikoAuthenticationException,
    NetmikoBaseException,
    NetmikoTimeoutException,
    ReadTimeout,
)
from paramiko.ssh_exception import AuthenticationException, SSHException

from bench.drivers import legacy_ssh
from bench.drivers.channel import DIALOG, Credential, HostSession, first_login
from bench.drivers.parsing import sanitize
from bench.errors import AccessDenied, ChannelError

__all__ = ["AuthFailed", "Credential", "SshError", "SshSession", "attach_channel"]

# paramiko logs a unit that closes before its banner with a traceback on stderr: the SshError raised here
# says it in one line, so its records go nowhere.
logging.getLogger("paramiko").addHandler(logging.NullHandler())


class SshError(ChannelError):
    """The bench could not talk to the unit over SSH."""


class AuthFailed(SshError, AccessDenied):
    """Every credential set was refused (at login or at enable)."""

# What a dropped TCP session or a dead transport raises from inside netmiko/paramiko.
_TRANSPORT_ERRORS = (OSError, EOFError, SSHException, socket.timeout, NetmikoBaseException)


def _refused(exc: BaseException) -> bool:
    """True when the unit refused the TCP connection (nothing listens: no SSH configured, or still booting)."""
    inner = exc.__cause__ or exc.__context__
    errors = getattr(inner, "errors", None)  # paramiko's NoValidConnectionsError: one error per address
    if isinstance(errors, dict) and errors:
        return all(isinstance(e, ConnectionRefusedError) for e in errors.values())
    return isinstance(inner, ConnectionRefusedError)


def _cause(exc: BaseException) -> str:
    text = " ".join(str(exc).split())[:160]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class SshSession(HostSession):
    """One logged-in, enabled CLI session. Not shared between threads: calls are serialised."""

    capabilities = frozenset({DIALOG})

    def __init__(
        self,
        host: str,
        port: int,
        device_type: str,
        credentials: list[Credential],
        timeout: float = 20.0,
        textfsm_platform: str | None = None,
        handover: dict[str, Any] | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.device_type = device_type
        self.credentials = list(credentials)
        self.timeout = timeout
        # netmiko's "cisco_ios_telnet" and "cisco_ios" share one template platform.
        self.platform = textfsm_platform or device_type.removesuffix("_ssh").removesuffix("_telnet")
        self.credential_name = ""
        # The algorithms of a legacy handshake (None: the modern one, or not connected yet).
        self.negotiated: legacy_ssh.Negotiated | None = None
        self._conn: Any = None
        self._lock = threading.Lock()
        # A session identification already logged in (bench.drivers.shell.what_answers): the first open goes on
        # over it instead of logging in again. Used once; a reopen logs in afresh.
        self._handover = handover

    def __repr__(self) -> str:
        state = "open" if self._conn is not None else "closed"
        return f"SshSession({self.host}:{self.port}, {self.device_type}, {state})"

    def open(self) -> str:
        """Log in with the first credential set that works and enter enable mode; return its name."""
        with self._lock:
            self.close()
            handover, self._handover = self._handover, None
            if handover and self._adopt(handover, []):
                return self.credential_name
            self._conn, cred = first_login(self.credentials, self._login, self.where, AuthFailed)
            self.credential_name = cred.name
            return cred.name

    def _login(self, cred: Credential, refused: list[str]) -> Any:
        """A connection logged in and in enable mode with `cred`, or None (refused: named in `refused`)."""
        conn = self._connect(cred, refused)
        return conn if conn is not None and self._enable(conn, cred, refused) else None

    @property
    def transport(self) -> dict[str, Any]:
        """How the session reached the unit, for the evidence: protocol and, on the legacy path, algorithms."""
        if self.negotiated is not None:
            return {"protocol": "ssh", **self.negotiated.to_dict()}
        return {"protocol": "ssh", "client": "netmiko/paramiko"}

    def _params(self, cred: Credential) -> dict[str, Any]:
        return {
            "device_type": self.device_type,
            "host": self.host,
            "port": self.port,
            "username": cred.username,
            "password": cred.password,
            "secret": cred.enable,
            "conn_timeout": self.timeout,
            "auth_timeout": self.timeout,
            "banner_timeout": self.timeout,
            "timeout": self.timeout,
            # Only the named sets are tried: no keys from ~/.ssh, no agent, no ssh_config surprises.
            "use_keys": False,
            "allow_agent": False,
            "session_log": None,
        }

    def _connect(self, cred: Credential, refused: list[str]) -> Any:
        if (self.host, self.port) in _LEGACY_PEERS:
            return self._connect_legacy(cred, refused)  # known to need it: no doomed modern handshake first
        try:
            return _notice_drops(ConnectHandler(**self._params(cred)))
        except (NetmikoAuthenticationException, AuthenticationException):
            refused.append(cred.name)
            return None
        except NetmikoTimeoutException as exc:
            if legacy_ssh.is_algorithm_mismatch(exc):  # netmiko wraps paramiko's IncompatiblePeer
                _LEGACY_PEERS.add((self.host, self.port))
                return self._connect_legacy(cred, refused)
            if _refused(exc):  # netmiko words a refused TCP connection as a timeout
                raise SshError(f"{self.where}: connection refused") from None
            raise SshError(f"{self.where}: connection timed out ({_cause(exc)})") from None
        except ConnectionRefusedError:
            raise SshError(f"{self.where}: connection refused") from None
        except (*_TRANSPORT_ERRORS, ValueError) as exc:
            if legacy_ssh.is_algorithm_mismatch(exc):
                _LEGACY_PEERS.add((self.host, self.port))
                return self._connect_legacy(cred, refused)
            # `from None`: the original traceback may hold the connect parameters.
            raise SshError(f"{self.where}: cannot connect ({_cause(exc)})") from None

    def _adopt(self, handover: dict[str, Any], refused: list[str]) -> bool:
        """netmiko over the handed-over session (prompt, enable, paging as on a fresh login); False when it does
        not take (the session is then closed and open() logs in as usual)."""
        cred: Credential = handover["credential"]
        try:
            conn = _notice_drops(attach_channel(self._params(cred), handover["channel"], handover["client"],
                                                at_prompt=True))
        except (*_TRANSPORT_ERRORS, ValueError):
            return False  # attach_channel closed it
        if not self._enable(conn, cred, refused):
            return False
        self._conn, self.credential_name = conn, cred.name
        self.negotiated = handover.get("negotiated")
        return True

    def _connect_legacy(self, cred: Credential, refused: list[str]) -> Any:
        """The unit offers only old algorithms: the same netmiko driver over an asyncssh channel."""
        client = legacy_ssh.LegacyClient()
        try:
            self.negotiated = client.connect(self.host, self.port, cred.username, cred.password, self.timeout)
            chan = client.invoke_shell(term="vt100", width=511, height=1000)
        except legacy_ssh.LegacyAuthFailed:
            refused.append(cred.name)
            return None
        except legacy_ssh.LegacyConnectError as exc:
            raise SshError(f"{self.where}: cannot connect with the legacy SSH algorithms either ({exc})") from None
        try:
            return _notice_drops(attach_channel(self._params(cred), chan, client))
        except (*_TRANSPORT_ERRORS, ValueError) as exc:
            client.close()
            raise SshError(f"{self.where}: no CLI prompt over legacy SSH ({_cause(exc)})") from None

    def _enable(self, conn: Any, cred: Credential, refused: list[str]) -> bool:
        try:
            if not conn.check_enable_mode():
                conn.enable()
            if conn.check_enable_mode():
                return True
        except (ValueError, ReadTimeout):
            pass  # netmiko raises ValueError("Failed to enter enable mode") on a wrong secret
        except _TRANSPORT_ERRORS as exc:
            _quiet_disconnect(conn)
            raise SshError(f"{self.where}: session lost while entering enable mode ({_cause(exc)})") from None
        refused.append(f"{cred.name} (enable)")
        _quiet_disconnect(conn)
        return False

    @contextmanager
    def _translate(self, what: str, too_slow: str) -> Iterator[Any]:
        """The open connection, with netmiko's and paramiko's exceptions during one exchange turned into
        SshError (the session then is closed: its state is unknown). `what` says which exchange it was,
        `too_slow` what did not come back in time."""
        with self._lock:
            conn = self._conn
            if conn is None:
                raise SshError(f"{self.where}: session is not open")
            try:
                yield conn
            except ReadTimeout:
                self.close()
                raise SshError(f"{self.where}: {too_slow}") from None
            except SessionDropped as exc:
                self.close()
                raise SshError(f"{self.where}: SSH session dropped by the unit {what} ({exc})") from None
            except _TRANSPORT_ERRORS as exc:
                self.close()
                raise SshError(f"{self.where}: session lost {what} ({_cause(exc)})") from None

    def send(self, command: str, timeout: float = 30.0) -> str:
        """Run one command; netmiko reads until the prompt or `timeout` seconds. Output is sanitised."""
        with self._translate(f"during {command!r}", f"no prompt after {command!r} within {timeout:g}s") as conn:
            # Read until the prompt comes back: without an expect_string netmiko first finds the prompt again
            # (a newline and a fixed sleep per command, most of a fast unit's time per command).
            expect = _prompt_pattern(conn)
            if not getattr(conn, "global_cmd_verify", True) and command.strip():
                # netmiko does not wait for the echo here (Comware, VRP): a prompt already waiting in the
                # channel (a late answer to netmiko's own Enter) would end the read before the answer comes,
                # which then lands in the next command's. The prompt that ends it follows the echo.
                expect = rf"{re.escape(command.strip())}[\s\S]*{expect}"
            out = conn.send_command(command, read_timeout=timeout, strip_prompt=True, strip_command=True,
                                    expect_string=expect)
        return sanitize(out if isinstance(out, str) else str(out))

    def send_expect(self, text: str, expect: str, timeout: float = 30.0) -> str:
        """Type `text` and Enter, return the output up to the first match of the regex `expect`:
        how a wipe answers `[confirm]` and `[yes/no]` questions that `send` cannot."""
        with self._translate(f"after {text!r}", f"no {expect!r} after {text!r} within {timeout:g}s") as conn:
            conn.write_channel(text + conn.RETURN)
            out = conn.read_until_pattern(pattern=expect, read_timeout=timeout)
        return sanitize(out if isinstance(out, str) else str(out))

    def read_until(self, pattern: str, timeout: float = 30.0) -> str:
        """Read, typing nothing, until the regex `pattern` matches (a reload's banner, the next prompt)."""
        with self._translate(f"waiting for {pattern!r}", f"no {pattern!r} within {timeout:g}s") as conn:
            out = conn.read_until_pattern(pattern=pattern, read_timeout=timeout)
        return sanitize(out if isinstance(out, str) else str(out))

    def close(self) -> None:
        """Safe from any thread, without the lock: closing the transport is how a watchdog
        unblocks a read stuck in `send` on another thread."""
        conn, self._conn = self._conn, None
        if conn is not None:
            _quiet_disconnect(conn)



def _prompt_pattern(conn: Any) -> str:
    """The unit's prompt ending the output: a line starting with its base prompt (found once at login), then at
    most a mode (`(config)`) before the prompt's last character. `$`: the end of what was read so far.
    Comware and VRP wrap the name (`<HPE>` user view, `[HPE]` system view; netmiko strips the bracket, and an HA
    pair's `RBM_P`/`HRP_M` prefix, from the base prompt), so those are allowed around it."""
    return rf"(?:^|\n)(?:(?:RBM|HRP)_.)?[<\[]?{re.escape(conn.base_prompt)}[^\n]{{0,40}}[#>\]]\s*$"


# Units that refused the modern algorithms once (host, port): later sessions go straight to the legacy path.
_LEGACY_PEERS: set[tuple[str, int]] = set()


def attach_channel(params: dict[str, Any], chan: Any, owner: Any, at_prompt: bool = False) -> Any:
    """A netmiko connection of `params["device_type"]` driving an already logged-in channel that behaves like
    paramiko's (legacy SSH, telnet): netmiko's prompt reading, enable and paging setup are unchanged.
    `owner.close()` ends the underlying connection when netmiko disconnects. `at_prompt`: the channel's
    prompt was already read (an identifying login handed over)."""
    conn = ConnectHandler(**params, auto_connect=False)
    conn.remote_conn = chan
    conn.remote_conn_pre = owner
    conn.channel = SSHChannel(conn=chan, encoding=conn.encoding)
    try:
        if at_prompt and type(conn).special_login_handler is not BaseConnection.special_login_handler:
            # A driver with its own login handler (RouterOS, VRP) reads until the prompt the identifying
            # login already consumed: without a fresh one it waits out its read timeout and the handover fails.
            conn.write_channel(conn.RETURN)
        conn.special_login_handler()
        conn._try_session_preparation()
    except BaseException:
        owner.close()
        raise
    return conn


class SessionDropped(EOFError):
    """The unit closed the SSH channel (or its TCP connection) while the bench waited for an answer."""


def _notice_drops(conn: Any) -> Any:
    """netmiko polls a closed paramiko channel as if it were merely quiet, until its read timeout: a dropped
    session then looks like a slow unit. Make its reads raise SessionDropped as soon as the channel is shut."""
    read = conn.read_channel

    def read_channel() -> str:
        out = read()
        chan = getattr(conn, "remote_conn", None)
        if not out and chan is not None and (getattr(chan, "closed", False) or getattr(chan, "eof_received", False)):
            if not chan.recv_ready():
                transport = chan.get_transport() if hasattr(chan, "get_transport") else None
                gone = transport is None or not transport.is_active()
                raise SessionDropped("TCP connection closed" if gone else "channel closed")
        return str(out)

    conn.read_channel = read_channel
    return conn


def _quiet_disconnect(conn: Any) -> None:
    try:
        conn.disconnect()
    except Exception:  # closing a dead session must not mask the error that killed it
        pass
