"""A simulated unit on its SSH front end, reached as the bench reaches one: a netmiko session, or the
identification by SSH that picks the profile."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from netmiko import ConnectHandler

from bench.drivers.ssh import Credential
from bench.identify import by_ssh
from bench.profiles import Catalog
from helpers.loop_thread import LoopThread
from helpers.sim_clients import ssh_served


@contextmanager
def netmiko_on(loop: LoopThread, dev: Any, device_type: str, username: str, password: str,
               **kw: Any) -> Iterator[Any]:
    """A netmiko connection (netmiko's own defaults, timeouts for a loaded machine) to the unit, for the block."""
    with ssh_served(loop, dev) as fe:
        conn = ConnectHandler(device_type=device_type, host="127.0.0.1", port=fe.port, username=username,
                              password=password, conn_timeout=10, auth_timeout=10, banner_timeout=10, **kw)
        try:
            yield conn
        finally:
            conn.disconnect()


@contextmanager
def identified(loop: LoopThread, dev: Any, creds: list[Credential], **kw: Any) -> Iterator[Any]:
    """The answer of `by_ssh` (the shipped profiles, no netmiko device-type guessing) for the unit; released
    after the block."""
    with ssh_served(loop, dev) as fe:
        answer = by_ssh("127.0.0.1", fe.port, creds, Catalog.load(), timeout=10, try_device_types=False, **kw)
        try:
            yield answer
        finally:
            answer.release()


def assert_identified_though_paged(loop: LoopThread, dev: Any, profile: str, username: str, password: str) -> None:
    """The first SSH login names the unit's profile and model, though the factory default pages the long answer:
    it ends at --More--, not the prompt, so the plan's session is a login of its own (no handover)."""
    with identified(loop, dev, [Credential("factory", username, password, password)]) as answer:
        assert answer.profile is not None and answer.profile.name == profile, answer.why
        assert answer.found.model == dev.model
        assert answer.kind == "cli" and "--More--" in answer.text
