"""One line discipline for every simulated family: what a terminal line does with the bytes a client types.

A family's session subclasses `LineSession` and supplies only what its OS says: `prompt`, `banner()`,
`_line(line) -> (text, close)` for a completed line, and `_rebooted()` for a console line that saw the
unit reload. Everything a real line does the same on IOS, EOS, Junos, ProVision and Linux lives here:
CR, LF and CR LF each end one line; backspace erases (silently while a password is typed); ^C drops the
line; ^Z is offered to the family (it leaves configuration mode on IOS and EOS); a session of an older
device generation is cut on SSH; a command that ran waits out the device's response delay.

`resolve()` is the abbreviation rule IOS and EOS share (`sh int st`): a table of command word tuples,
`<rest>` taking the rest of the line and `<n>` a number.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, ClassVar

BACKSPACE = "\b \b"


@dataclass
class Reply:
    """What a front end must do after feeding input: write text (after delay), maybe hang up."""

    text: str = ""
    delay: float = 0.0
    close: bool = False
    # A command that waits on the network (a copy pulling an image): write `text`, await `follow` and handle
    # the Reply it gives the same way (the input typed after that command waits for it, as on a real line).
    follow: Awaitable[Reply] | None = None


def crlf(text: str) -> str:
    """Terminal line endings: every LF (bare or already CR LF) becomes CR LF."""
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


class ParseError(Exception):
    """A command line the table does not resolve: `kind` is invalid, ambiguous or incomplete; `pos` the column."""

    def __init__(self, kind: str, pos: int = 0) -> None:
        super().__init__(kind)
        self.kind, self.pos = kind, pos


def resolve(line: str, table: list[tuple[str, ...]]) -> tuple[tuple[str, ...], str]:
    """Resolve abbreviated words against `table`: (the full words, the rest of the line for `<rest>`)."""
    cands, words, col = table, [], 0
    toks = line.split()
    for i, tok in enumerate(toks):
        col = line.index(tok, col)
        if any(len(c) > i and c[i] == "<rest>" for c in cands):
            return tuple(words), line[col:].strip()
        t = tok.lower()
        nxt = [c for c in cands if len(c) > i and (c[i] == "<n>" and t.isdigit() or c[i].startswith(t))]
        nxt = [c for c in nxt if c[i] == t] or nxt
        if not nxt:
            raise ParseError("invalid", col)
        if len({c[i] for c in nxt}) > 1:
            raise ParseError("ambiguous", col)
        words.append(t if nxt[0][i] == "<n>" else nxt[0][i])
        cands = nxt
        col += len(tok)
    n = len(toks)
    if any(len(c) == n or (len(c) == n + 1 and c[n] == "<rest>") for c in cands):
        return tuple(words), ""
    raise ParseError("incomplete")


class LineSession:
    """One interactive line (an SSH shell or the console) on a device. Feed input, get a Reply.

    `dev` is the family's device (a `SimDeviceBase`). `state` names where the line is (login, password,
    cli, ...); while it is one of `secret_states` typed characters are not echoed.
    """

    secret_states: ClassVar[frozenset[str]] = frozenset({"password"})
    accepts_tab: ClassVar[bool] = True  # a TAB joins the line (ProVision's line drops it)
    # The prompt mark per CLI mode (IOS: `Switch>`, `Switch#`); any other mode is a configuration mode
    # shown in parentheses with `config_mark` (`Switch(config-if)#`).
    mode_marks: ClassVar[dict[str, str]] = {"exec": ">", "priv": "#"}
    config_mark: ClassVar[str] = "#"
    # States in which a command's output goes out without a prompt (the command asked a question).
    waiting_states: ClassVar[frozenset[str]] = frozenset({"pending"})

    def __init__(self, device: Any, *, console: bool, username: str | None = None, state: str = "cli") -> None:
        self.dev = device
        self.console = console
        self.username = username
        self.generation = device.generation
        self.state = state
        self.commands = 0  # commands run; a change means the device's response delay applies
        self.line_boots = False  # set by the console line when it plays the boot itself (simulators/boot.py)
        self.mode = next(iter(self.mode_marks))
        self._pending: Callable[[str], str] | None = None  # what the next line answers (a [confirm] question)
        # Set by a command whose answer waits on I/O: awaited before the prompt and the rest of the input.
        self.work: Awaitable[str] | None = None
        self._buf = ""
        self._after_cr = False

    # ---------- what a family supplies
    @property
    def prompt(self) -> str:
        h = self.dev.hostname
        mark = self.mode_marks.get(self.mode)
        return f"{h}{mark}" if mark is not None else f"{h}({self.mode}){self.config_mark}"

    def banner(self) -> str:
        """What the line shows when a client attaches."""
        raise NotImplementedError

    def _line(self, line: str) -> tuple[str, bool]:
        """A completed line: (text to print, hang up)."""
        raise NotImplementedError

    def _rebooted(self) -> Reply:
        """The console line after the unit reloaded (SSH sessions are simply cut)."""
        raise NotImplementedError

    # ---------- what families share inside a line
    def _ask(self, prompt: str, handler: Callable[[str], str], state: str = "pending") -> str:
        """Ask a question; the next line typed goes to `handler`."""
        self.state, self._pending = state, handler
        return prompt

    def _answer(self, line: str) -> tuple[str, bool]:
        """The line answers the pending question; its handler sets `state` to say what follows: closed
        (hang up), rebooting (the console shows the boot), pending (another question) or the prompt."""
        handler, self._pending = self._pending, None
        self.state = "cli"
        text = handler(line) if handler is not None else ""
        if self.work is not None:  # the prompt comes when the work is done (feed hands it to the front end)
            return crlf(text), False
        if self.state == "closed":
            return crlf(text), True
        if self.state == "rebooting":
            self.generation = self.dev.generation
            return crlf(text) + self._rebooted().text, False
        if self.state == "pending":
            return crlf(text), False
        return crlf(text) + self.prompt, False

    def _command(self, line: str) -> tuple[str, bool]:
        """A command line at the CLI: an empty line re-prompts, ssh_drop cuts the link, a command that closed
        the line or asks a question is not followed by a prompt; other output goes through `_shown`."""
        if not line.strip():
            return "\r\n" + self.prompt, False
        if self._ssh_dropped():
            return "", True  # ssh_drop: the link dies mid-session
        text = self._output(line)
        if self.state == "closed":
            return crlf("\n" + text), True
        if self.state in self.waiting_states:
            return crlf("\n" + text), False
        return self._shown("\n" + text), False

    def _output(self, line: str) -> str:
        """What a command line prints (a family that uses `_command`)."""
        raise NotImplementedError

    def _shown(self, text: str) -> str:
        """A command's output as the terminal gets it, the prompt after it (a family's pager holds it back)."""
        return crlf(text) + self.prompt

    def _ssh_dropped(self) -> bool:
        """Count one command; under the ssh_drop fault an SSH link dies once the device's limit is passed."""
        self.commands += 1
        limit = None if self.console else self.dev.ssh_drop_after()
        return limit is not None and self.commands > limit

    # ---------- hooks with the common answer
    def _intercept(self, ch: str) -> str | None:
        """Text for a key the line takes before line editing (ProVision's "press any key"); None: edit as usual."""
        return None

    def _ctrl_c(self) -> str:
        self._buf = ""
        return ""

    def _ctrl_z(self) -> str:
        return ""

    def _command_delay(self) -> float:
        return float(self.dev.response_delay())

    @property
    def secret(self) -> bool:
        return self.state in self.secret_states

    # ---------- the line discipline
    def feed(self, data: str) -> Reply:
        self.dev.touch()
        if self.generation != self.dev.generation:
            self.generation = self.dev.generation
            if not self.console:
                return Reply("", close=True)
            return self._rebooted()
        outs: list[str] = []
        delay, close = 0.0, False
        for i, ch in enumerate(data):
            if ch == "\n" and self._after_cr:
                self._after_cr = False
                continue
            self._after_cr = ch == "\r"
            taken = self._intercept(ch)
            if taken is not None:
                outs.append(taken)
            elif ch in "\r\n":
                line, self._buf = self._buf, ""
                before = self.commands
                text, close = self._line(line)
                outs.append(text)
                if self.commands != before:
                    delay = max(delay, self._command_delay())
                if close:
                    break
                if self.work is not None:
                    work, self.work = self.work, None
                    return Reply("".join(outs), delay, False, follow=self._after(work, data[i + 1:]))
            elif ch in "\x7f\x08":
                if self._buf:
                    self._buf = self._buf[:-1]
                    if not self.secret:
                        outs.append(BACKSPACE)
            elif ch == "\x1a":
                outs.append(self._ctrl_z())
            elif ch == "\x03":
                outs.append(self._ctrl_c())
            elif ch >= " " or (ch == "\t" and self.accepts_tab):
                self._buf += ch
                if not self.secret:
                    outs.append(ch)
        return Reply("".join(outs), delay, close)

    async def _after(self, work: Awaitable[str], rest: str) -> Reply:
        """The answer of a command that waited on I/O, its prompt, then whatever was typed meanwhile."""
        text = crlf(await work) + (self.prompt if self.state == "cli" else "")
        more = self.feed(rest) if rest else Reply()
        return Reply(text + more.text, more.delay, more.close, more.follow)
