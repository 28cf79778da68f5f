"""Retest a slot or one test, start a stopped slot: clear what is to be redone, then have it run.

The cleared results stay in the slot's sealed records (bench.records), so nothing of the first pass
is lost. When the run's engine is alive (runs.status 'running') a `control` row asks it to run the
slot again inside the same run. When the run is finished, the run is set back to 'running' and the
same `bench run` command resumes it in a detached process that outlives the dashboard. The status
is read and the rows written in one write transaction, which the engine's own closing of the run
(bench.control.Controller.close_run) also takes, so a request is never left with nobody to take it.
The store's lock (bench.store_lock) tells a live engine from a run left 'running' by a killed one, and
keeps the resume from becoming a second writer.
No Textual here: the app calls it and shows the message.
"""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bench import events as ev
from bench import store_lock
from bench.control import ensure_schema, insert
from bench.errors import BadInput
from bench.model import Outcome, TestResult, utc_now
from bench.store import RunInfo, Store


@dataclass
class Redo:
    """What the dashboard says, and the resuming process when one was started."""

    message: str
    process: subprocess.Popen[bytes] | None = None
    log: Path | None = None
    request_id: int = 0  # the control row a running engine is to take (0: resumed instead)


def stopped_by_operator(r: TestResult) -> bool:
    """NOT_RUN because a technician skipped, emptied or stopped it (bench.control puts the operator in)."""
    return r.outcome == Outcome.NOT_RUN and "operator" in r.evidence


def redo(store: Store, run_id: int, slot: str, action: str, operator: str, test: str | None = None) -> Redo:
    """`retest` (every test of the slot, or `test` only) or `start` (the tests a technician stopped or that
    never ran). Raises BadInput with a message for the technician when it cannot be done."""
    if action not in ("retest", "start"):
        raise BadInput(f"unknown action {action!r}; one of: retest, start")
    operator = operator.strip()
    if not operator:
        raise BadInput(f"an operator id is needed to {action} a slot")
    ensure_schema(store)
    with store.transaction():
        run = store.run(run_id)
        if run is None:
            raise BadInput(f"no run {run_id} in {store.path}")
        # The store's lock says whether an engine is alive: a 'running' run nobody holds was killed, and
        # is resumed like a finished one; a store another run holds cannot take a second writer.
        writer = store_lock.holder(store.path)
        if run.status == "done" and writer is not None:
            raise BadInput(f"the store is in use by another bench run ({store_lock.describe(writer)}); "
                           "retest when it has finished")
        command = resume_command(store, run) if run.status == "done" or writer is None else None
        status = store.slot_status(run_id, slot)
        if status == "running" and writer is not None:
            raise BadInput(f"{slot} is under test: stop it first (O) or let it finish")
        results = store.results(run_id, slot)
        if action == "start":
            names = [n for n, r in results.items() if stopped_by_operator(r)]
            if status == "done" and not names:
                raise BadInput(f"{slot} has a result for every test: nothing to start; retest it (r) instead")
        elif test is not None:
            names = [test]
        else:
            names = list(results)
        store.reopen_slot(run_id, slot, names)
        # A finished run has no engine to take the request: the row is the record of who asked, taken now.
        request_id = insert(store, run_id, slot, action, operator, taken=utc_now() if command else None)
        if command and run.status == "done":
            store.reopen_run(run_id)
    what = f"retest of {test}" if test else ("retest" if action == "retest" else "start")
    asked = ev.LogData(f"{what} asked by operator {operator}; cleared: {', '.join(names) or 'nothing'}")
    store.add_events(run_id, [(utc_now(), slot, asked.KIND, asked.to_data())])
    if command is None:
        return Redo(f"{slot}: asked the run to {what.replace('retest of', 'retest')}", request_id=request_id)
    return _resume(store, run, command, slot)


def resume_command(store: Store, run: RunInfo) -> list[str]:
    """`bench run SOURCE --headless --db DB --plan PLAN [--burnin Ns]`, checked to resume this very run."""
    from bench.config import load_bench
    from bench.engine import EngineOptions, run_key

    source = run.source
    started = store.run_started_data(run.id, ev.RUN_STARTED)
    burnin = ev.RunStartedData.from_data(json.loads(started)).burnin if started else None
    # As `bench run` will parse it back (a float), since the burn-in length is part of the run's key.
    burnin = float(burnin) if burnin is not None else None
    db = str(Path(store.path).resolve())
    here = bool(source) and Path(source).is_file()
    # Absolute when found (the resume runs from this directory), else as the run recorded it.
    args = ["run", str(Path(source).resolve()) if here else (source or "BENCH_FILE"), "--headless", "--db", db,
            "--plan", run.plan] + ([f"--burnin={burnin!r}s"] if burnin is not None else [])
    shown = "bench " + shlex.join(args)
    if not here:
        raise BadInput(f"run {run.id} is finished and its bench file {source or '?'} is not here "
                       f"(working directory {Path.cwd()}); to retest, run from where it started: {shown}")
    config = load_bench(source)
    if run_key(config, EngineOptions(plan=run.plan, burnin=burnin)) != run.key:
        raise BadInput(f"{source} no longer matches run {run.id} (its slots, plan or burn-in differ), so "
                       f"'bench run' would start a new run rather than resume it; to test the unit again, put it "
                       f"on a bench file and run: {shown}")
    return [sys.executable, "-m", "bench.cli", *args]


def _resume(store: Store, run: RunInfo, command: list[str], slot: str) -> Redo:
    db = Path(store.path).resolve()
    log = db.with_name(f"{db.stem}-run{run.id}-resume.log")
    try:
        with open(log, "ab") as out:
            # Its own session: quitting the dashboard (or a Ctrl-C in its terminal) does not stop the resume.
            proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                    start_new_session=True)
    except OSError as e:
        shown = "bench " + shlex.join(command[3:])
        raise BadInput(f"could not start the resume ({e.strerror}); run it yourself: {shown}") from None
    return Redo(f"{slot}: run {run.id} resumed in the background (pid {proc.pid}, log {log}); "
                "quitting the dashboard leaves it going", proc, log)
