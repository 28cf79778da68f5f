"""image: bring the unit to the target release of the bench file's image library (`images:`).

The unit pulls the image from the bench's own image server (bench/images/server.py), the copy is verified
on the unit against the digests of the library's file before the boot variable is set, on every stack
member, and the unit reloads: PASS only when it then runs the target release. A corrupt copy, a full flash,
a unit that does not come back or comes back on another release: FAIL with the reason, the boot variable
untouched or put back. On the target already: PASS, nothing copied. A platform without an install procedure
(bench/images PROCEDURES) or a unit the library has no entry for: NOT_RUN saying which.

The evidence carries the release before and after (`version_before`, `version_after`); on PASS the unit's
identity takes the new release, so the record and the certificate show what it runs now.
"""

from __future__ import annotations

from typing import Any

from bench.images import procedure_for
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
    try:
        async with serving(library) as server:
            # HTTP by default; `transfer: tftp` in the profile's params for units whose release has no HTTP client
            url = server.tftp_url(entry.name) if ctx.params.get("transfer") == "tftp" else server.url(entry.name)
            done = await procedure.install(ctx, entry, url)
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
    for key in ("deleted", "digests", "members", "links_before"):
        if getattr(done, key):
            evidence[key] = getattr(done, key)
    if done.links_before and done.version_after:
        evidence["links_missing"] = done.links_missing  # [] : every link up before the reload is up again
    if done.boot_before or done.boot_restored is not None:
        evidence["boot_before"] = done.boot_before
        evidence["boot_restored"] = done.boot_restored
    if done.failure:
        return _result(Outcome.FAIL, done.failure, started, evidence)
    if done.lost or not done.version_after:
        why = done.lost or "the release after the reload could not be read"
        return _result(Outcome.ERROR, f"image step interrupted: {why}", started, evidence)
    ctx.identity.os_version = done.version_after  # what the unit runs now: the record and certificate say so
    if not done.copied:
        return _result(Outcome.PASS, f"already on the target release {entry.version}; nothing copied", started,
                       evidence)
    algorithms = " and ".join(sorted({a for d in done.digests.values() for a in d}))
    return _result(Outcome.PASS, f"upgraded {done.version_before} -> {done.version_after} ({entry.name}, {algorithms} "
                                 "verified on the unit)", started, evidence)
