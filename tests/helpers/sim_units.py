"""A simulated family's unit built in-process and driven through its CLI session."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from simulators.faults import parse_faults

Unit = TypeVar("Unit")


def unit(cls: Callable[..., Unit], model: str, faults: str = "", *, index: int = 1, seed: int = 7) -> Unit:
    """Unit `index` of shelf S1 with the named faults (comma-separated, without the `S1:` prefix)."""
    return cls("S1", index, seed, model, parse_faults(",".join(f"S1:{f}" for f in faults.split(",") if f)))


def run(cli: Any, cmd: str, end: str = "\r") -> str:
    """What the session answers to one typed line (ended by `end`, as the client's Enter), with plain newlines."""
    return str(cli.feed(cmd + end).text).replace("\r\n", "\n")


def opened(cli: Any, ready: str, *setup: str, banner: bool = False) -> Any:
    """An SSH-side session after its first Enter (`banner`: after the greeting it prints unasked), whose answer
    must end at `ready`, and the lines a client types right after login (pager off, enable)."""
    first = cli.banner() if banner else cli.feed("\r").text
    assert first.endswith(ready)
    for line in setup:
        cli.feed(line + "\r")
    return cli


def spaced_through(cli: Any, more: str, pages: int) -> str:
    """Space through a paged answer until it no longer ends at the `more` prompt (`pages` presses at most);
    what the presses brought."""
    rest = ""
    for _ in range(pages):
        rest += cli.feed(" ").text
        if not rest.endswith(more):
            break
    return rest


def assert_pages_of_23_lines(cli: Any, cmd: str, more: str, prompt: str, no_pager: str) -> None:
    """A VRP-style pager (Comware, VRP): 23 lines then `more`; Space goes on to the prompt, any other key ends
    the answer, `no_pager` turns paging off for the session."""
    first = cli.feed(cmd + "\r").text
    assert first.endswith("  " + more) and cli.state == "more"
    assert first.count("\r\n") == 24  # the echo's line end and 23 lines of the answer, then More
    rest = cli.feed(" ").text
    while rest.endswith(more):
        rest = cli.feed(" ").text
    assert rest.endswith(prompt) and cli.state == "cli"
    assert cli.feed(cmd + "\r").text.endswith(more)
    assert cli.feed("q").text.endswith(prompt)  # any other key ends it
    cli.feed(no_pager + "\r")
    assert cli.feed(cmd + "\r").text.endswith(prompt)


def catalog_identifies(dev: Any, profile: str, show_version: str) -> tuple[Any, Any]:
    """What the shipped profiles make of the unit's SNMP identity (sysObjectID, sysDescr) and of its version
    text over SSH; both name `profile`. The two identifications, for the model checks."""
    from bench.profiles import Catalog

    catalog = Catalog.load()
    by_snmp = catalog.identification(sys_object_id=dev.spec.sys_object_id, sys_descr=dev.sys_descr())
    by_ssh = catalog.identification(show_version=show_version)
    assert by_snmp.profile is not None and by_snmp.profile.name == profile
    assert by_ssh.profile is not None and by_ssh.profile.name == profile
    return by_snmp, by_ssh
