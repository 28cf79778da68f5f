"""The line of a switch OS built on Linux (AOS-CX, Dell OS10): the console asks `login:` and `Password:`, SSH
lands at the CLI; commands run in exec or a configuration mode; output longer than a screen waits behind
the pager (Space: a page, Enter: a line, q or ^C: the rest is dropped) until paging is turned off.

A family's session subclasses `PagedSession` and supplies its texts (`pager_prompt`, `_login_again`,
`_welcome`, `_login_failed`) and its commands (`_exec`, `_config`).
"""

from __future__ import annotations

from typing import Any, ClassVar

from simulators.line import LineSession, crlf


class PagedSession(LineSession):
    pager_prompt: ClassVar[str] = "--more--"

    def __init__(self, device: Any, *, console: bool, username: str | None = None) -> None:
        super().__init__(device, console=console, username=username, state="login" if console else "cli")
        self._login_user = ""
        self.page_lines = 24  # the pager holds output longer than a screen until `no page`/`terminal length 0`
        self._more: list[str] = []  # lines the pager still holds

    # ---------- what a family supplies
    def _login_again(self) -> str:
        """The login prompt again after an empty user name."""
        raise NotImplementedError

    def _welcome(self) -> str:
        """What a good login prints before the first prompt."""
        raise NotImplementedError

    def _login_failed(self) -> str:
        """What a bad password prints, up to the next login prompt."""
        raise NotImplementedError

    def _exec(self, line: str) -> str:
        raise NotImplementedError

    def _config(self, line: str) -> str:
        raise NotImplementedError

    # ---------- the line
    def _line(self, line: str) -> tuple[str, bool]:
        if self.state == "login":
            if not line.strip():
                return self._login_again(), False
            self._login_user, self.state = line.strip(), "password"
            return "\r\nPassword: ", False
        if self.state == "password":
            if self.dev.check_login(self._login_user, line):
                self.username, self.state = self._login_user, "cli"
                return self._welcome() + self.prompt, False
            self.state = "login"
            return self._login_failed(), False
        if self.state == "pending" and self._pending is not None:
            return self._answer(line)
        return self._command(line)

    def _output(self, line: str) -> str:
        return self._exec(line) if self.mode == "exec" else self._config(line)

    def _shown(self, text: str) -> str:
        return self._paged(text)

    def _ctrl_z(self) -> str:
        if self.mode != "exec":
            self.mode = "exec"
            return "\r\n" + self.prompt
        return ""

    # ---------- the pager
    def _paged(self, text: str) -> str:
        """Output, a screen at a time while paging is on: the rest waits behind the pager's prompt."""
        lines = text.split("\n")
        if not self.page_lines or len(lines) <= self.page_lines:
            return crlf(text) + self.prompt
        self._more = lines[self.page_lines - 1:]
        self.state = "more"
        return crlf("\n".join(lines[: self.page_lines - 1]) + "\n") + self.pager_prompt

    def _intercept(self, ch: str) -> str | None:
        if self.state != "more":
            return None
        erase = "\r" + " " * len(self.pager_prompt) + "\r"
        if ch in ("q", "Q", "\x03"):
            self._more, self.state = [], "cli"
            return erase + self.prompt
        take = self.page_lines - 1 if ch == " " else 1 if ch in "\r\n" else 0
        if not take:
            return ""
        shown, self._more = self._more[:take], self._more[take:]
        if not self._more:
            self.state = "cli"
            return erase + crlf("\n".join(shown)) + self.prompt
        return erase + crlf("\n".join(shown) + "\n") + self.pager_prompt
