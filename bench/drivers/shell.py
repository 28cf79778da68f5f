"""Blocking POSIX-shell driver over SSH for Linux units (live images, the bench's own servers).

netmiko drives vendor CLIs by their prompts; a Linux host is easier to frame exactly: every
command is sent as `echo START; COMMAND; echo END $?`, and its output is what lies between the
START line and the END line. Prompts, echo, MOTD and a user's PS1 never reach the caller, the
exit status comes back, and a long-running command (the agent) can be read line by line as it
streams. The interactive shell (not exec) is used because that is what every sshd and every
simulated unit offers. A non-root login with passwordless sudo runs root-only tools through
`sudo -n`; without it they report "permission denied" and the tests say NOT_RUN.

A unit whose sshd offers only legacy algorithms (SHA-1 key exchange, ssh-rsa) is reached over
bench.drivers.legacy_ssh, whose client and channel behave like paramiko's here; `negotiated` says
which algorithms were used.

Errors are bench.drivers.ssh's (SshError, AuthFailed), so the engine's channels treat both
drivers alike. No credential appears in a message, a repr or a log.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import paramiko

from bench.drivers import legacy_ssh
from bench.drivers.channel import STREAM, Credential, HostSession, first_login
from bench.drivers.parsing import sanitize
from bench.drivers.reader import read_for
from bench.drivers.ssh import _LEGACY_PEERS, AuthFailed, SshError

__all__ = ["ROOT_TOOLS", "SHELL_REFUSAL", "ShellSession", "frame", "what_answers"]

# Tools that read hardware only root may touch: run through `sudo -n` when the login is not root.
ROOT_TOOLS = ("dmidecode", "smartctl", "ipmitool")
_READ_CHUNK = 65536
# How bash, dash and busybox refuse `show version`: a Unix shell answered, not a vendor CLI.
SHELL_REFUSAL = re.compile(r"show: (?:command )?not found", re.IGNORECASE)
# The end of a vendor CLI's answer: its prompt again, or a pager.
_ANY_PROMPT = re.compile(r"[>#$%]\s*$")  # the first prompt, vendor or shell (matched on the text so far)
# ProCurve/Aruba banners stop at "Press any key to continue": the first key typed would be eaten.
_ANY_KEY = re.compile(r"press any key to continue\s*$", re.IGNORECASE)
_FIRST_STOP = re.compile(f"{_ANY_PROMPT.pattern}|{_ANY_KEY.pattern}", re.IGNORECASE)
# A vendor CLI's prompt: `switch#`, `RP/0/RSP0/CPU0:ios#`, `admin@PA-220>`, `SSH@ICX7150-24 Router>`,
# `FGT60E # `, `<HUAWEI>` (Comware, VRP), `[admin@MikroTik] >` (RouterOS).
_CLI_PROMPT = r"(?:[\w.\-/()@:]{1,64}(?: [\w.\-()]{1,32})? ?[>#]|<[\w.\-/:]{1,64}>|\[[^\]\r\n]{1,64}\] ?>)"
_CLI_DONE = rf"^{_CLI_PROMPT}\s*$|--More--|\(END\)|-+ ?MORE ?-+"
_AT_PROMPT = re.compile(rf"(?:^|[\r\n]){_CLI_PROMPT}\s*$")  # the answer ended at a CLI prompt
_ANSWER_DONE = re.compile(f"{SHELL_REFUSAL.pattern}|{_CLI_DONE}", re.IGNORECASE | re.MULTILINE)


def frame(command: str, nonce: str) -> tuple[str, str, re.Pattern[str]]:
    """The line to type, the START line to wait for and the END pattern (which carries $?)."""
    start = f"__bench_{nonce}_s"
    # One line: text typed ahead while a command runs would be echoed into its output.
    line = f"echo {start}; {command}; echo __bench_{nonce}_e $?"
    return line, start, re.compile(rf"(?:^|\s)__bench_{nonce}_e (\d+)\s*$")


class ShellSession(HostSession):
    """One logged-in shell on a Linux unit. Calls are serialised; `close` is safe from any thread."""

    capabilities = frozenset({STREAM})

    def __init__(self, host: str, port: int, credentials: list[Credential], timeout: float = 20.0,
                 platform: str = "linux") -> None:
        self.host = host
        self.port = port
        self.credentials = list(credentials)
        self.timeout = timeout
        self.platform = platform
        self.credential_name = ""
        self.user_id: int | None = None
        self.sudo = False  # passwordless sudo available to a non-root login
        self.negotiated: legacy_ssh.Negotiated | None = None  # set when the legacy algorithms were needed
        self._client: Any = None  # paramiko.SSHClient, or a LegacyClient on old sshd
        self._chan: Any = None
        self._pending = ""
        self._lock = threading.Lock()
        self.last_status: int | None = None

    def __repr__(self) -> str:
        return f"ShellSession({self.host}:{self.port}, {'open' if self._chan is not None else 'closed'})"

    # ---- connection -----------------------------------------------------------------------------
    def open(self) -> str:
        """Log in with the first credential set that works; check that a POSIX shell answers."""
        with self._lock:
            self._close()
            self._client, cred = first_login(self.credentials, self._connect, self.where, AuthFailed)
            with self._translate("while starting the shell"):
                self._chan = self._client.invoke_shell(term="dumb", width=4096, height=200)
                self._chan.settimeout(0.5)
                self._pending = ""
                self._prepare()
            self.credential_name = cred.name
            return cred.name

    def _connect(self, cred: Credential, refused: list[str]) -> Any:
        """A logged-in client (paramiko's, or the legacy one) with `invoke_shell`, None if `cred` is refused."""
        if (self.host, self.port) in _LEGACY_PEERS:
            return self._connect_legacy(cred, refused)
        client = paramiko.SSHClient()
        # A live image makes new host keys at every boot: pinning them would refuse every unit.
        client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
        try:
            client.connect(self.host, self.port, username=cred.username, password=cred.password,
                           timeout=self.timeout, auth_timeout=self.timeout, banner_timeout=self.timeout,
                           look_for_keys=False, allow_agent=False)
            return client
        except paramiko.AuthenticationException:
            client.close()
            refused.append(cred.name)
            return None
        except (ConnectionRefusedError, paramiko.ssh_exception.NoValidConnectionsError):
            client.close()  # paramiko's name for "refused on every address"
            raise SshError(f"{self.where}: connection refused") from None
        except (OSError, EOFError, paramiko.SSHException, ValueError) as exc:
            client.close()
            if legacy_ssh.is_algorithm_mismatch(exc):
                _LEGACY_PEERS.add((self.host, self.port))
                return self._connect_legacy(cred, refused)
            raise SshError(f"{self.where}: cannot connect ({_cause(exc)})") from None

    def _connect_legacy(self, cred: Credential, refused: list[str]) -> legacy_ssh.LegacyClient | None:
        client = legacy_ssh.LegacyClient()
        try:
            self.negotiated = client.connect(self.host, self.port, cred.username, cred.password, self.timeout)
            return client
        except legacy_ssh.LegacyAuthFailed:
            refused.append(cred.name)
            return None
        except legacy_ssh.LegacyConnectError as exc:
            raise SshError(f"{self.where}: cannot connect with the legacy SSH algorithms either ({exc})") from None

    @property
    def transport(self) -> dict[str, Any]:
        if self.negotiated is not None:
            return {"protocol": "ssh", **self.negotiated.to_dict()}
        return {"protocol": "ssh", "client": "paramiko"}

    def _prepare(self) -> None:
        """First framed command: proves a shell answers, and learns who we are and whether sudo works."""
        try:
            status, out = self._run("id -u", self.timeout)
        except SshError as exc:
            raise SshError(f"{self.where}: no POSIX shell answered ({exc})") from None
        uid = out.strip().splitlines()[-1].strip() if out.strip() else ""
        self.user_id = int(uid) if status == 0 and uid.isdigit() else None
        if self.user_id not in (0, None):
            status, _ = self._run("sudo -n true", self.timeout)
            self.sudo = status == 0

    # ---- commands -------------------------------------------------------------------------------
    def _as_needed(self, command: str) -> str:
        if self.sudo and command.split(" ", 1)[0] in ROOT_TOOLS:
            return f"sudo -n {command}"
        return command

    def send(self, command: str, timeout: float = 30.0) -> str:
        """Run one command; its stdout and stderr as a terminal shows them, sanitised."""
        with self._lock:
            status, out = self._run(self._as_needed(command), timeout)
        self.last_status = status
        return sanitize(out)

    def stream(self, command: str, on_line: Callable[[str], None], timeout: float) -> int:
        """Run a long command, handing each output line to `on_line` as it arrives; returns $?.
        Past `timeout` the command gets Ctrl-C (it may print a last word) and SshError is raised."""
        with self._lock:
            status, _ = self._run(self._as_needed(command), timeout, on_line)
        self.last_status = status
        return status

    def _run(self, command: str, timeout: float, on_line: Callable[[str], None] | None = None) -> tuple[int, str]:
        chan = self._chan
        if chan is None:
            raise SshError(f"{self.where}: session is not open")
        nonce = secrets.token_hex(4)
        line, start, end = frame(command, nonce)
        with self._translate(f"sending {command!r}"):
            chan.sendall((line + "\n").encode())
        deadline = time.monotonic() + timeout
        started, lines = False, []
        while True:
            for text in self._lines(deadline, command):
                if "echo __bench_" in text:
                    continue  # the echo of what was typed; a first prompt may precede a marker
                if not started:
                    started = text.endswith(start)
                    continue
                m = end.search(text)
                if m:
                    return int(m.group(1)), "\n".join(lines) + ("\n" if lines else "")
                if on_line is not None:
                    on_line(sanitize(text))
                else:
                    lines.append(text)
            if time.monotonic() >= deadline:
                self._interrupt()
                raise SshError(f"{self.where}: {command!r} did not finish within {timeout:g}s")

    def _lines(self, deadline: float, command: str) -> list[str]:
        """Complete lines received before the deadline (waits for at least one chunk)."""
        chan = self._chan
        while time.monotonic() < deadline:
            try:
                with self._translate(f"during {command!r}", polling=True):
                    data = chan.recv(_READ_CHUNK)
            except TimeoutError:
                continue  # the poll interval passed with nothing new
            if not data:
                self._close()
                raise SshError(f"{self.where}: the unit closed the session during {command!r}")
            self._pending += data.decode("utf-8", errors="replace")
            *done, self._pending = self._pending.replace("\r\n", "\n").replace("\r", "\n").split("\n")
            if done:
                return [d.rstrip() for d in done]
        return []

    def _interrupt(self) -> None:
        """Ctrl-C to the foreground command; the shell stays usable for the next one."""
        try:
            if self._chan is not None:
                self._chan.sendall(b"\x03")
        except (OSError, EOFError, paramiko.SSHException):
            self._close()

    @contextmanager
    def _translate(self, doing: str, polling: bool = False) -> Iterator[None]:
        """paramiko's (and the legacy client's) errors on an open session become SshError, and the session is
        closed: its state is unknown. When `polling`, a read's poll timeout (TimeoutError) passes through."""
        try:
            yield
        except (OSError, EOFError, paramiko.SSHException) as exc:
            if polling and isinstance(exc, TimeoutError):
                raise
            self._close()
            raise SshError(f"{self.where}: session lost {doing} ({_cause(exc)})") from None

    # ---- closing --------------------------------------------------------------------------------
    def _close(self) -> None:
        chan, client, self._chan, self._client = self._chan, self._client, None, None
        for thing in (chan, client):
            if thing is not None:
                try:
                    thing.close()
                except Exception:  # noqa: BLE001 - closing a dead session must not mask why it died
                    pass

    def close(self) -> None:
        """Safe from any thread without the lock: how a watchdog unblocks a read stuck in `send`."""
        self._close()



def what_answers(host: str, port: int, credentials: list[Credential], timeout: float = 20.0,
                 seen: dict[str, Any] | None = None, handover: dict[str, Any] | None = None,
                 commands: Sequence[str] = ("show version",),
                 recognised: Callable[[str], bool] | None = None) -> tuple[str, str, str]:
    """Log in, type `show version` and see who answers: ("shell", `uname -a`, credential) for a
    Unix shell, ("cli", the version text, credential) for a vendor CLI. A CLI that does not recognise
    itself in the answer is asked the next of `commands` (`display version`, ...) on the same login
    (ask_in_turn). Reads until the answer ends
    (a prompt, a pager, a shell's refusal) or the deadline; raises SshError/AuthFailed. `seen`, when
    given, receives how the unit was reached (its "transport": legacy algorithms or not). `handover`,
    when given, receives the still logged-in session of a vendor CLI that answered up to its prompt
    ("client", "channel", "credential"): the CLI session goes on over it, one login (SshSession(handover=)).
    Otherwise the session is closed here."""
    probe = ShellSession(host, port, credentials, timeout=timeout)
    client, cred = first_login(credentials, probe._connect, probe.where, AuthFailed)
    if seen is not None:
        seen["transport"] = probe.transport
    kept = False
    try:
        chan = client.invoke_shell(term="dumb", width=4096, height=200)
        chan.settimeout(0.5)
        banner = read_for(chan, min(timeout, 5.0), _FIRST_STOP)  # the banner and first prompt
        if _ANY_KEY.search(banner):
            chan.sendall(b"\n")
            read_for(chan, min(timeout, 5.0), _ANY_PROMPT)
        first = commands[0] if commands else "show version"
        chan.sendall(first.encode() + b"\n")
        answer = read_for(chan, timeout, _ANSWER_DONE, after_echo=True)
        if SHELL_REFUSAL.search(answer):
            line, start, end = frame("uname -a", secrets.token_hex(4))
            chan.sendall((line + "\n").encode())
            said = read_for(chan, timeout, re.compile(end.pattern, re.MULTILINE), after_echo=True)
            return "shell", sanitize(between(said, start, end)), cred.name
        answer = ask_in_turn(chan, answer, commands[1:], recognised, timeout)
        if handover is not None and _AT_PROMPT.search(answer):
            # At its prompt (not in a pager): the CLI session can go on from here without a new login.
            handover.update(client=client, channel=chan, credential=cred, negotiated=probe.negotiated)
            kept = True
    except (OSError, EOFError, paramiko.SSHException, legacy_ssh.LegacyConnectError) as exc:
        raise SshError(f"{probe.where}: session lost while asking who answers ({_cause(exc)})") from None
    finally:
        if not kept:
            client.close()
    return "cli", _plain(answer), cred.name


def ask_in_turn(chan: Any, answer: str, commands: Sequence[str], recognised: Callable[[str], bool] | None,
                timeout: float) -> str:
    """The first answer a family recognises itself in, asking each further command in turn on the same
    login; when none is recognised, every answer joined (the reason names what the unit said)."""
    answers = [answer]
    for command in commands:
        if recognised is None or recognised(_plain(answer)):
            return answer
        chan.sendall(command.encode() + b"\n")
        answer = read_for(chan, timeout, _ANSWER_DONE, after_echo=True)
        answers.append(answer)
    if recognised is None or recognised(_plain(answer)):
        return answer
    return "\n".join(answers)


def _plain(answer: str) -> str:
    return sanitize(answer.replace("\r\n", "\n").replace("\r", "\n"))


def between(text: str, start: str, end: re.Pattern[str]) -> str:
    """The output of one framed command inside raw terminal text (echo, prompts and markers dropped)."""
    out, started = [], False
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if "echo __bench_" in line:
            continue
        if not started:
            started = line.rstrip().endswith(start)
        elif end.search(line):
            break
        else:
            out.append(line.rstrip())
    return "\n".join(out).strip()


def _cause(exc: BaseException) -> str:
    text = " ".join(str(exc).split())[:160]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__

