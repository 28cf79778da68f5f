"""Checks every vendor collector is held to the same way (the platform contract), for the family test modules:
identity against SNMP's ENTITY-MIB, a faulty port watched until its faults show, an optic's DOM readings, the
wipe round (verify, wipe, verify, identity), `profile: auto` over SNMP and SSH, and a wipe that must not be
attempted blind. What differs per vendor (names, commands, texts) stays in the family's module."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from bench.drivers.snmp import SnmpTarget, close_shared_engine
from bench.drivers.testing import Script
from bench.model import ComponentKind, Identity, SensorState
from bench.platforms import platform_for
from bench.tests_hw.base import SlotInfo, TestContext
from bench.tests_hw.identity import ENT_PHYSICAL, entity_components
from helpers.platform_fleet import Pack

DOM_KINDS = {"temperature", "voltage", "bias", "tx_power", "rx_power"}


def assert_seam_picks(pack: Pack, platform: Any) -> None:
    """The platform seam picks the family's collector by the channel's platform name alone."""
    assert platform_for(pack.offline()) is platform


def identity_and_entity(platform: Any) -> Any:
    """A body reading the collector's identity and ENTITY-MIB's components over SNMP, in one session."""

    async def body(ctx: TestContext) -> Any:
        return await platform.identity(ctx), entity_components(await ctx.snmp.walk(ENT_PHYSICAL))  # type: ignore[union-attr]

    return body


def read_identities(pack: Pack, fleet: Any, harness: dict[str, Any], platform: Any,
                    slots: tuple[str, ...] = ("S1", "S3")) -> list[tuple[dict[str, Any], Any, Any, list[Any]]]:
    """Each slot's truth, simulated device, collector identity and ENTITY-MIB components, the identity
    already held to what every family owes: no problem, and the model and serial the fleet says."""
    got = []
    for slot in slots:
        truth = fleet.truth(slot)
        ident, snmp = pack.run(fleet, slot, identity_and_entity(platform))
        assert ident.problems == []
        assert (ident.model, ident.serial) == (truth["model"], truth["serial"])
        got.append((truth, harness[slot], ident, snmp))
    return got


def assert_chassis_frus_and_optics(ident: Any, truth: dict[str, Any], dev: Any, snmp: list[Any]) -> None:
    """One chassis with the unit's serial, SNMP's FRUs named alike by the CLI, the optics the cabled ones."""
    assert [c.serial for c in by_kind(ident)[ComponentKind.CHASSIS]] == [truth["serial"]]
    assert_cli_names_snmp_frus(ident, snmp)
    assert_optics_are_the_cabled_ones(ident, dev)


def assert_environment_healthy(env: Any, kinds: set[str] | None = None, absent: bool = False) -> None:
    """No problem, nothing absent (unless `absent` may be), every reading OK and of `kinds` (fan, psu and
    temperature by default)."""
    assert env.problems == [] and (absent or env.absent == [])
    assert {r.kind for r in env.readings} == (kinds or {"fan", "psu", "temperature"})
    assert all(r.state is SensorState.OK for r in env.readings), env.readings


def failing(readings: list[Any]) -> set[tuple[str, str]]:
    """(kind, name) of every reading judged FAIL."""
    return {(r.kind, r.name) for r in readings if r.state is SensorState.FAIL}


def assert_logs_clean(logs: Any, reload_reason: str) -> None:
    assert logs.problems == [] and logs.crash_files == [] and logs.reload_reason == reload_reason


def by_kind(ident: Any) -> dict[ComponentKind, list[Any]]:
    return {k: [c for c in ident.components if c.kind is k] for k in ComponentKind}


def assert_cli_names_snmp_frus(ident: Any, snmp: list[Any]) -> None:
    """Every FRU SNMP knows by serial, the CLI names with the same serial and PID."""
    cli_fru = {c.serial: c.pid for c in ident.components if c.serial}
    for c in snmp:
        if c.serial:
            assert cli_fru.get(c.serial) == c.pid, c


def assert_optics_are_the_cabled_ones(ident: Any, dev: Any) -> None:
    assert {c.serial for c in by_kind(ident)[ComponentKind.OPTIC]} == {p.optic_serial for p in dev.ports if p.optic}


def ports_as_cabled(ports: Any, dev: Any, linked: Any = None, admin: bool = False,
                    input_errors: bool = True) -> dict[str, Any]:
    """The ports read are the unit's, in its order, with no problem; each links as cabled (`linked(port)`, by
    default the port's own flag), counts no CRC (nor input) errors, and once linked runs at the port's speed,
    full duplex, with traffic; `admin`: each is administratively up. Returns the readings by port name."""
    assert ports.problems == []
    assert [p.name for p in ports.ports] == [p.name for p in dev.ports]
    by = {p.name: p for p in ports.ports}
    for p in dev.ports:
        got = by[p.name]
        assert got.link_up is (linked(p) if linked else p.linked), p.name
        assert got.counters["crc"] == 0 and (not input_errors or got.counters["input_errors"] == 0), got
        assert not admin or got.admin_up is True, p.name
        if got.link_up:
            assert got.speed_mbps == p.speed_mbps() and got.duplex == "full" and got.counters["rx_bytes"] > 0
    return by


def faulty_ports(dev: Any) -> tuple[str, str, str]:
    """The names of the simulated unit's dead, CRC-counting and flapping ports."""
    return (next(p.name for p in dev.ports if p.dead), next(p.name for p in dev.ports if p.crc),
            next(p.name for p in dev.ports if p.flap))


def watch_ports(platform: Any, crc: str, flap: str, seconds: float = 15, links: bool = False) -> Any:
    """A body reading the ports until the flapping port was seen both up and down and the CRCs grew (or the
    deadline passed): returns the two readings by name, and with `links` each round's link states too."""

    async def body(ctx: TestContext) -> Any:
        first = await platform.ports(ctx)
        deadline = time.monotonic() + seconds
        while True:
            states = {p.name: p.link_up for p in (await platform.link_states(ctx)).ports} if links else {}
            second = await platform.ports(ctx)
            a = {p.name: p for p in first.ports}
            b = {p.name: p for p in second.ports}
            if (b[crc].counters["crc"] > a[crc].counters["crc"] and a[flap].link_up != b[flap].link_up) \
                    or time.monotonic() > deadline:
                return (a, b, states) if links else (a, b)
            first = second if a[flap].link_up == b[flap].link_up else first

    return body


def assert_port_faults(a: dict[str, Any], b: dict[str, Any], dead: str, crc: str, flap: str) -> None:
    assert a[dead].link_up is False and b[dead].link_up is False
    assert b[crc].counters["crc"] > a[crc].counters["crc"] > 0
    assert a[flap].link_up != b[flap].link_up


def assert_dom(optic: Any, alarm: bool, detail: str = "", kinds: set[str] = DOM_KINDS, judged: bool = True) -> None:
    """An optic reads every DOM kind; only an alarmed one fails, on its receive power, naming the limits.
    `judged=False`: an optic whose readings say nothing either way (no light on an uncabled port)."""
    assert {r.kind for r in optic.readings} == kinds
    bad = {r.kind for r in optic.readings if r.state is not SensorState.OK}
    if not judged:
        return
    if alarm:
        rx = next(r for r in optic.readings if r.kind == "rx_power")
        assert rx.state is SensorState.FAIL and detail in rx.detail, rx
        assert bad == {"rx_power"}
    else:
        assert bad == set(), optic.readings


def cabled_optics(optics: Any, dev: Any, pid: bool = False) -> list[tuple[Any, Any]]:
    """The optics read, with no problem, are the cabled ones by port and serial (and `pid`: part number):
    each with its simulated port."""
    assert optics.problems == []
    if pid:
        assert {(o.port, o.pid, o.serial) for o in optics.optics} == {
            (p.name, p.optic, p.optic_serial) for p in dev.ports if p.optic}
    else:
        assert {(o.port, o.serial) for o in optics.optics} == {
            (p.name, p.optic_serial) for p in dev.ports if p.optic}
    return [(o, next(p for p in dev.ports if p.name == o.port)) for o in optics.optics]


def assert_optics_and_dom(optics: Any, dev: Any, detail: str = "", kinds: set[str] = DOM_KINDS) -> None:
    """The optics read are the cabled ones by port and serial, each judged by `assert_dom`."""
    for o, port in cabled_optics(optics, dev):
        assert_dom(o, port.dom_alarm, detail, kinds)


def wipe_round(platform: Any) -> Any:
    """A body: what is left before, the wipe, what is left after, and the identity the unit gives then."""

    async def body(ctx: TestContext) -> Any:
        before = await platform.verify_wiped(ctx)
        wiped = await platform.wipe(ctx)
        after = await platform.verify_wiped(ctx)
        return before, wiped, after, await platform.identity(ctx)

    return body


def assert_identified_by_family(fleet: Any, slots: tuple[str, ...], profile: str) -> None:
    """`profile: auto`: sysObjectID + sysDescr name the family; so does the first login over SSH."""
    from bench import identify
    from bench.drivers.ssh import Credential
    from bench.profiles import Catalog

    catalog = Catalog.load()
    for slot in slots:
        snmp = fleet.slot(slot)["snmp"]

        async def by_snmp(snmp: dict[str, Any] = snmp) -> Any:
            try:
                return await identify.by_snmp(SnmpTarget(snmp["host"], int(snmp["port"]), snmp["community"]),
                                              catalog)
            finally:
                close_shared_engine()

        found, why, answered = asyncio.run(by_snmp())
        assert answered and found is not None and found.name == profile, why
        host, port = fleet.slot(slot)["ssh"].rsplit(":", 1)
        c = fleet.credentials(slot)
        answer = identify.by_ssh(host, int(port), [Credential("factory", c["username"], c["password"], "")],
                                 catalog, timeout=10, try_device_types=False)
        try:
            assert answer.profile is not None and answer.profile.name == profile, answer.why
        finally:
            answer.release()


def assert_wipe_not_attempted_blind(pack: Pack, platform: Any) -> None:
    """A unit whose CLI cannot be logged into (unknown password) is not waited on for a reboot that never comes."""

    async def body() -> Any:
        ctx = pack.offline(params={"reboot_timeout": 600})  # answers nothing: every command a lost session
        t0 = time.monotonic()
        return await platform.wipe(ctx), time.monotonic() - t0

    rep, took = asyncio.run(body())
    assert took < 5 and rep.steps == [] and rep.problems[0].startswith("nothing wiped: the CLI did not answer")


def wipe_refusing_credentials(pack: Pack, platform: Any, command: str) -> Any:
    """The wipe report of a unit refusing the bench's credentials at its first command."""
    from bench.drivers.ssh import AuthFailed

    script = Script({command: AuthFailed("127.0.0.1:22: authentication failed with credential sets factory")})
    return asyncio.run(platform.wipe(pack.offline(script)))


def over_console_walk(pack: Pack, platform: Any, fleet: Any, slot: str = "S1") -> tuple[Any, Any]:
    """The identity and environment read over the slot's console line, the channel walking to the prompt as
    the platform's data says (answering "Press ENTER", logging in), as the engine does with no SSH."""
    from bench.drivers.adapter import console_cli_channel
    from bench.drivers.channel import Credential
    from bench.drivers.console.expect import Transcript
    from bench.drivers.console.machine import ConsoleProfile
    from bench.drivers.console.transport import LineSettings

    line, c = fleet.slot(slot), fleet.credentials(slot)

    async def main() -> Any:
        cli = console_cli_channel(line["console"], [Credential("factory", c["username"], c["password"], "")],
                                  profile=ConsoleProfile.from_dict(platform.data.console_walk({})),
                                  settings=LineSettings(), platform=pack.driver, executor=None,
                                  gate=asyncio.Semaphore(1), transcript=Transcript(), recovery=[], power_cycle=None,
                                  walk_timeout=120)
        ctx = TestContext(slot=SlotInfo(slot), profile_name=pack.profile, params={}, identity=Identity(), cli=cli)
        try:
            return await platform.identity(ctx), await platform.environment(ctx)
        finally:
            await cli.close()

    return asyncio.run(main())  # type: ignore[no-any-return]


def wipe_with_a_wrong_password(pack: Pack, platform: Any, fleet: Any, device_type: str,
                               slot: str = "S1") -> tuple[Any, float]:
    """The wipe report, and how long it took, of a unit that refuses the bench's password (a previous owner's)
    over real SSH (netmiko's `device_type`, the pack's templates)."""
    from bench.drivers.adapter import LazyChannel
    from bench.drivers.channel import Credential
    from bench.drivers.ssh import SshSession

    host, port = fleet.slot(slot)["ssh"].rsplit(":", 1)
    wrong = Credential("factory", "admin", "not-the-password", "")

    async def main() -> Any:
        cli = LazyChannel("ssh", lambda: SshSession(host, int(port), device_type, [wrong], timeout=10,
                                                    textfsm_platform=pack.driver),
                          pack.driver, None, asyncio.Semaphore(1), SshSession.capabilities)
        ctx = TestContext(slot=SlotInfo(slot), profile_name=pack.profile, params={"reboot_timeout": 20},
                          identity=Identity(), cli=cli)
        try:
            t0 = time.monotonic()
            return await platform.wipe(ctx), time.monotonic() - t0
        finally:
            await cli.close()

    return asyncio.run(main())  # type: ignore[no-any-return]


def assert_wipe_left_nothing(before: Any, wiped: Any, after: Any, owner_items: tuple[str, ...],
                             verified: dict[str, Any]) -> str:
    """The wipe round's verdicts every family owes: each of the previous owner's `owner_items` found before,
    the wipe clean and followed by a reboot (uptime fell), nothing left after, and the after-check's
    `verified` facts as given. Returns what was found before, for the family's own checks."""
    text = " ".join(before.remaining)
    assert before.problems == []
    for item in owner_items:
        assert item in text, item
    assert wiped.problems == [], wiped
    assert wiped.verified["uptime_after_s"] < wiped.verified["uptime_before_s"]
    assert after.problems == [] and after.remaining == [], after
    assert {k: after.verified[k] for k in verified} == verified
    return text
