"""The one line discipline every simulated family's session shares (simulators/line.py)."""

from __future__ import annotations

import pytest
from helpers.sim_family import AcmeSwitch

from simulators.faults import parse_faults
from simulators.line import ParseError, resolve


def _session(faults: str = "", console: bool = False):  # type: ignore[no-untyped-def]
    return AcmeSwitch("S1", 1, 3, "ACME-24", parse_faults(faults)).open_session(console=console)


def test_cr_lf_and_crlf_each_end_one_line() -> None:
    s = _session()
    reply = s.feed("show fans\r\nshow fans\rshow fans\n")
    assert reply.text.count("Fan 1: OK") == 3
    assert reply.text.count("acme> ") == 3


def test_backspace_erases_and_echoes_the_rub_out() -> None:
    s = _session()
    reply = s.feed("show fanx\x7fs\r")
    assert "show fanx\b \bs" in reply.text and "Fan 1: OK" in reply.text


def test_a_password_is_never_echoed_not_even_its_rub_outs() -> None:
    s = _session()
    s.state = "password"
    assert s.feed("secret\x7f").text == ""


def test_ctrl_c_drops_the_typed_line() -> None:
    s = _session()
    reply = s.feed("show ver\x03show fans\r")
    assert "AcmeOS 1.0" not in reply.text and "Fan 1: OK" in reply.text


def test_a_command_waits_out_the_slow_response_fault_but_echo_does_not() -> None:
    s = _session("S1:slow_response")
    assert s.feed("show").delay == 0.0
    assert s.feed(" fans\r").delay == 2.0


def test_ssh_session_of_an_older_boot_is_cut_and_the_console_sees_the_boot() -> None:
    dev = AcmeSwitch("S1", 1, 3, "ACME-24", [])
    ssh, console = dev.open_session(console=False), dev.open_session(console=True)
    assert ssh.feed("reload\r").close
    assert ssh.feed("show fans\r").close
    assert "AcmeOS booted" in console.feed("\r").text


def test_resolve_takes_abbreviations_numbers_and_the_rest_of_the_line() -> None:
    table = [("show", "version"), ("show", "vlan"), ("terminal", "length", "<n>"), ("dir", "<rest>")]
    assert resolve("sh vers", table) == (("show", "version"), "")
    assert resolve("term len 0", table) == (("terminal", "length", "0"), "")
    assert resolve("dir flash:/x y", table) == (("dir",), "flash:/x y")
    for line, kind in (("sh v", "ambiguous"), ("sh bogus", "invalid"), ("show", "incomplete")):
        with pytest.raises(ParseError) as err:
            resolve(line, table)
        assert err.value.kind == kind
