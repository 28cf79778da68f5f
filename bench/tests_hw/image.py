"""image: bring the unit to the target release of the bench file's image library (`images:`).

The unit pulls the image from the bench's own image server (bench/images/server.py), the copy is verified
on the unit against the digests of the library's file before the boot variable is set, on every stack
member, and the unit reloads: PASS only when it then runs the target release. A corrupt copy, a full flash,
a unit that does not come back or comes back on another release: FAIL with the reason, the boot variable
untouched or put back. On the target already: PASS, nothing copied. A platform without an install procedure
(bench/images PROCEDURES) or a unit the library has no entry for: NOT_RUN saying which.

A unit stuck in ROMMON (its console channel says UnitNotBooted) first gets the library's file back from the
boot loader over its console (bench/images/rommon.py: `tftpdnld` where the loader drives a management port and
the params give the unit an address, `rommon_ip: 192.0.2.50/24` and `rommon_gateway`, else XMODEM at the
highest speed the loader allows; `rommon_transfer: xmodem|tftpdnld` to choose), boots it, and the procedure
goes on: on the target it verifies the file put back by its hash on the unit. The evidence says
`rommon_recovery` (method, speed, bytes, blocks resent) and the summary "recovered from ROMMON by ...".

The evidence carries the release before and after (`version_before`, `version_after`); on PASS the unit's
identity takes the new release, so the record and the certificate show what it runs now.
"""

from __future__ import annotations

import functools
import ipaddress
from typing import Any

from bench.errors import UnitNotBooted
from bench.images import procedure_for, rommon
from bench.images.library import ImageLibrary
from bench.images.server import serving
from bench.model import Outcome, TestResult, utc_now
from bench.tests_hw.base import TestContext, declare
from bench.tests_hw.cli_check import cli_check

NAME = "image"


def _watchdog(params: dict[str, Any]) -> float:
    # A copy at 1 MB/s of the largest IOS-XE bundle, verify and a stack's reload.
    return float(params.get("install_timeout", 3600))


def _result(outcome: Outcome, summary: str, started: str, evidence: dict[str, Any]) -> TestResult:
    return TestResult(NAME, outcome, summary, evidence=evidence, started=started, finished=utc_now())


@declare(watchdog=_watchdog, run_inputs={"library": "images"})
@cli_check(NAME)
async def run(ctx: TestContext, platform: Any, started: str) -> TestResult:
    library: ImageLibrary | None = ctx.params.get("library")
    if not library:
        return _result(Outcome.NOT_RUN, "the bench file has no image library (images:)", started, {})
    procedure = procedure_for(platform.name)
    if procedure is None:
        return _result(Outcome.NOT_RUN, f"no image procedure for platform {platform.name} yet", started, {})
    entry = library.for_unit(ctx.profile_name, ctx.identity.model)
    if entry is None:
        return _result(Outcome.NOT_RUN, f"the image library has no entry for {ctx.profile_name} or model "
                                        f"{ctx.identity.model or '(unknown)'}", started, {})
    stuck = await _stuck_in_rommon(ctx)
    recovered: rommon.RommonRecovery | None = None
    try:
        async with serving(library) as server:
            if stuck is not None:
                recovered = await _recover(ctx, stuck, entry, server)
                if not recovered.booted:
                    return _result(Outcome.FAIL, f"stuck in ROMMON and not recovered: {recovered.failure}", started,
                                   {"rommon_recovery": recovered.evidence(), "steps": recovered.steps,
                                    "target": {"version": entry.version, "file": entry.name}})
            # HTTP by default; `transfer: tftp` in the profile's params for units whose release has no HTTP client
            # `transfer: console`: no route from the unit to the bench, the image goes by XMODEM over the console
            transfer = "console" if library.over_console else ctx.params.get("transfer")
            url = (server.tftp_url(entry.name) if transfer == "tftp" else rommon.CONSOLE if transfer == "console"
                   else server.url(entry.name))
            done = await procedure.install(ctx, entry, url, verify_present=recovered is not None)
    except OSError as exc:  # the bench's side: nothing was sent to the unit
        where = f"{library.serve_host}:{library.serve_port or 'any port'}"
        return _result(Outcome.ERROR, f"the bench's image server cannot listen on {where}: {exc.strerror or exc}",
                       started, {})
    evidence: dict[str, Any] = {
        "target": {"version": entry.version, "file": entry.name, "size": entry.size, "library_key": entry.key,
                   "vendor_digests": entry.vendor, "bench_digests": {k: entry.computed[k] for k in ("md5", "sha512")}},
        "version_before": done.version_before, "version_after": done.version_after or None,
        "copied": done.copied, "source": url, "steps": done.steps,
    }
    if recovered is not None:
        evidence["rommon_recovery"] = recovered.evidence()
        evidence["steps"] = recovered.steps + done.steps
    if done.console_copies:
        evidence["console_copy"] = {"copies": done.console_copies,
                                    "why": done.console_copy_reason or (
                                        "serve: console in the bench file's images" if library.over_console
                                        else "transfer: console in the params")}
    for key in ("deleted", "digests", "members", "links_before", "padded"):
        if getattr(done, key):
            evidence[key] = getattr(done, key)
    if done.links_before and done.version_after:
        evidence["links_missing"] = done.links_missing  # [] : every link up before the reload is up again
    if done.boot_before or done.boot_restored is not None:
        evidence["boot_before"] = done.boot_before
        evidence["boot_restored"] = done.boot_restored
    if done.failure and recovered is not None:  # booted from ROMMON: there is no previous image to go back to
        failure = done.failure.replace("; the copy is corrupt, the boot variable was left as it was", "")
        return _result(Outcome.FAIL, f"recovered from ROMMON by {recovered.method}, but {failure}", started, evidence)
    if done.failure:
        return _result(Outcome.FAIL, done.failure, started, evidence)
    if done.lost or not done.version_after:
        why = done.lost or "the release after the reload could not be read"
        return _result(Outcome.ERROR, f"image step interrupted: {why}", started, evidence)
    ctx.identity.os_version = done.version_after  # what the unit runs now: the record and certificate say so
    if recovered is not None:
        how = recovered.method + (f" at {recovered.baud} baud" if recovered.method == "xmodem" else "")
        ctx.identity.reload_reason = f"recovered from ROMMON by {how} (no bootable image was in flash)"
        algorithms = " and ".join(sorted({a for d in done.digests.values() for a in d}))
        return _result(Outcome.PASS, f"recovered from ROMMON by {how}: {entry.name} put back and booted, runs "
                                     f"{done.version_after} ({algorithms} verified on the unit)", started, evidence)
    if not done.copied:
        return _result(Outcome.PASS, f"already on the target release {entry.version}; nothing copied", started,
                       evidence)
    algorithms = " and ".join(sorted({a for d in done.digests.values() for a in d}))
    how = " over the console by xmodem" if done.console_copies else ""
    return _result(Outcome.PASS, f"upgraded {done.version_before} -> {done.version_after}{how} ({entry.name}, "
                                 f"{algorithms} verified on the unit)", started, evidence)


async def _stuck_in_rommon(ctx: TestContext) -> Any | None:
    """The console channel of a unit that never reaches its OS, or None (a unit reached over SSH is booted)."""
    channel = ctx.cli if getattr(ctx.cli, "kind", "") == "console" else None
    if channel is None or getattr(channel, "line", None) is None:
        return None
    try:
        await channel.ensure_open()
    except UnitNotBooted:
        return channel
    except Exception:  # noqa: BLE001 - any other trouble is the procedure's to report, as before
        return None
    return None


async def _recover(ctx: TestContext, channel: Any, entry: Any, server: Any) -> rommon.RommonRecovery:
    plan = None
    method = str(ctx.params.get("rommon_transfer") or "")
    if method not in ("", "xmodem", "tftpdnld"):
        return rommon.RommonRecovery(failure=f"rommon_transfer {method!r} in the params: use xmodem or tftpdnld")
    if ctx.params.get("rommon_ip") and server.tftp is not None:
        try:
            iface = ipaddress.ip_interface(str(ctx.params["rommon_ip"]))
            gateway = str(ipaddress.ip_address(str(ctx.params.get("rommon_gateway") or next(iface.network.hosts()))))
        except (ValueError, StopIteration):
            return rommon.RommonRecovery(failure=f"rommon_ip {ctx.params['rommon_ip']!r} / rommon_gateway in the "
                                                 "params: give the unit's address and prefix, e.g. 192.0.2.50/24")
        plan = rommon.TftpPlan(str(iface.ip), str(iface.netmask), gateway, server.tftp.host, server.tftp.port)
    work = functools.partial(_recover_on_line, entry=entry, method=method,
                             tftp=plan, boot_timeout=float(ctx.params.get("reboot_timeout", 600)))
    ctx.log(f"image: the unit is stuck in ROMMON; putting {entry.name} back over the console")
    result: rommon.RommonRecovery = await channel.take_line(work)
    ctx.cache.clear()
    return result


def _recover_on_line(line: Any, *, entry: Any, method: str, tftp: rommon.TftpPlan | None,
                     boot_timeout: float) -> rommon.RommonRecovery:
    return rommon.recover(line.url, line.settings, line.transcript, entry, method=method, tftp=tftp,
                          boot_timeout=boot_timeout)
