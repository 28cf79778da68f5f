"""Orchestrates a run: slots -> sessions -> profile -> plan -> results -> grade.

One asyncio loop; slots run concurrently; blocking drivers run in a bounded thread pool;
SNMP goes through one shared pysnmp engine. Every test runs under a watchdog that holds even
when a driver thread is stuck: a hung unit yields ERROR with the cause, never a hung run. Every
finished test is committed to the store before the next starts, so the same command resumes a
killed run. A bench-side fault (the store failing, SIGINT/SIGTERM) is never a unit's result:
the run stops between steps, the steps under way are abandoned unrecorded, and they are redone
on resume.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import signal
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from bench import events as ev
from bench import grading, identify, platforms, records
from bench.cli_fallback import channel_note, no_ssh_channel, ssh_unavailable
from bench.config import BenchConfig, SlotConfig
from bench.control import REQUEUE, Controller
from bench.drivers.console.expect import Transcript
from bench.drivers.console.recovery import RecoveryPlan
from bench.drivers.console.transport import ConsoleError
from bench.drivers.pdu import PduOutlet
from bench.drivers.snmp import SnmpTarget
from bench.drivers.snmp_poll import snmp_target
from bench.drivers.ssh import SshError
from bench.errors import BadInput, BenchError, BenchSideError, Interrupted, UnitError
from bench.events import EventBus
from bench.inputs import current_inputs, record_bench_file_lot
from bench.model import Grade, Identity, Outcome, TechnicianInputs, TestResult, utc_now
from bench.profiles import Catalog, Profile
from bench.sessions import LazyChannel, console_channel, ssh_channel
from bench.shell_channels import local_channel, shell_ssh_channel
from bench.stack import record_members
from bench.store import Store, slot_grade
from bench.store_faults import GuardedStore, store_errors
from bench.store_lock import StoreLock
from bench.tests_hw.base import ChannelMissing, SlotInfo, TestContext, TestFunction, declaration_of
from bench.tests_hw.burnin import seconds
from bench.tests_hw.registry import get_test

BENCH_RESULT = "bench"  # the name of a unit's ERROR that no test of the plan produced (a driver surprise)
WATCHDOG_GRACE = 5.0  # seconds a test past its watchdog gets to clean up before it is left behind
THREADS_PER_SLOT = 4  # a slot's own pool: its stuck driver threads never starve another slot


def console_walk(platform: str, profile_console: dict[str, Any]) -> dict[str, Any]:
    """The console walk's data: the platform's prompts (where commands run, its own console states such as
    the Junos shell) under the profile's `console:` section; Cisco IOS's defaults for an unknown platform."""
    try:
        data = platforms.load(platform).data
    except platforms.UnknownPlatform:
        return profile_console
    return data.console_walk(profile_console)


@dataclass
class EngineOptions:
    plan: str = "quick"
    step_timeout: float = 180.0  # watchdog per test unless the profile sets `timeout`
    connect_timeout: float = 20.0
    # SSH logins under way at once across all units (each unit's own sshd sees one: MaxStartups is per server);
    # a bound on the bench's CPU, not the units'. 10 left 64 units queueing for their logins.
    ssh_handshakes: int = 32
    snmp_timeout: float = 2.0
    burnin: float | None = None  # seconds; overrides the plan's burn-in length
    console_walk_timeout: float = 420.0  # power-on to enable over a 9600-baud console, recovery included
    console_per_server: int = 32  # sessions at once through one console server
    # The bench's Ed25519 signing key: this path, else $BENCH_KEY, else ~/.config/bench/bench-ed25519.key.
    key_path: str | None = None
    # `bench run --fleet URL`: sealed records stream to this PostgreSQL fleet store (bench.fleet), and the
    # authenticity test asks it about serials graded on other benches. None: this bench alone.
    fleet: str | None = None


@dataclass
class SlotOutcome:
    slot: str
    serial: str
    model: str
    profile: str
    grade: Grade
    results: dict[str, TestResult] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        bad = {Outcome.FAIL, Outcome.ERROR}
        return any(r.outcome in bad for r in self.results.values())


def run_key(config: BenchConfig, options: EngineOptions) -> str:
    """What makes `bench run FILE` the same run again: the slots' addresses and the plan."""
    slots = [{"id": s.id, "profile": s.profile, "console": s.console,
              "ssh": f"{s.ssh.host}:{s.ssh.port}" if s.ssh else "",
              "snmp": f"{s.snmp.host}:{s.snmp.port}" if s.snmp else ""} for s in config.slots]
    blob = json.dumps({"bench": config.name, "plan": options.plan, "burnin": options.burnin, "slots": slots},
                      sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


def check_bench(config: BenchConfig, catalog: Catalog, plan: str) -> None:
    """Refuse an unknown profile or a plan a named profile lacks before anything connects or is written."""
    for slot in config.slots:
        if slot.profile != "auto":
            catalog.get(slot.profile).plan(plan)
    if not any(plan in p.plans for p in catalog.profiles.values()):
        plans = sorted({name for p in catalog.profiles.values() for name in p.plans})
        listed = ", ".join(plans[:-1]) + f" or {plans[-1]}" if len(plans) > 1 else "".join(plans)
        raise BadInput(f"no profile has a plan named {plan!r}; use --plan {listed}")


class Engine:
    def __init__(self, config: BenchConfig, store: Store, catalog: Catalog,
                 options: EngineOptions | None = None, bus: EventBus | None = None,
                 lock: StoreLock | None = None) -> None:
        self.config = config
        # One writer per store: `bench run` takes the lock before it opens the store and hands it over;
        # an engine given none takes its own for the run's length.
        self.lock = lock
        self.raw_store = store
        self.store = GuardedStore(store)  # a store error stops the run (StoreFailed), never a unit's ERROR
        self._stopping: BenchSideError | None = None
        self._executors: dict[str, ThreadPoolExecutor] = {}
        self.catalog = catalog
        self.options = options or EngineOptions()
        self.bus = bus or EventBus()
        self.run_id = 0
        self._pending_events: list[tuple[str, str | None, str, dict[str, Any]]] = []
        self._console_gates: dict[str, asyncio.Semaphore] = {}
        self._slot_tasks: dict[str, asyncio.Future[SlotOutcome]] = {}  # each slot's latest pass (run())
        check_bench(config, catalog, self.options.plan)
        # Loaded before anything connects: a bad key is bad input, not a failure per slot.
        self.bench_key = records.load_or_create_key(self.options.key_path)  # None: $BENCH_KEY, else the default

    def console_gate(self, url: str) -> asyncio.Semaphore:
        """Sessions at once through one console server (a terminal server has a session limit)."""
        server = url.split("://", 1)[-1].rsplit(":", 1)[0] if "://" in url else "local"
        if server not in self._console_gates:
            self._console_gates[server] = asyncio.Semaphore(self.options.console_per_server)
        return self._console_gates[server]

    # --- events ---------------------------------------------------------------------------
    def _store_event(self, e: ev.Event) -> None:
        self._pending_events.append((e.ts, e.slot, e.kind, e.data))

    def _flush_events(self) -> None:
        if self._pending_events:
            batch, self._pending_events = self._pending_events, []
            self.store.add_events(self.run_id, batch)

    async def _event_flusher(self) -> None:
        while True:
            await asyncio.sleep(0.5)
            try:
                self._flush_events()
                self._take_requests()
            except BenchSideError as e:
                self._stop(e)
                return

    # --- stopping -------------------------------------------------------------------------
    def interrupt(self, signal_name: str = "SIGINT") -> None:
        """Stop between steps: the steps under way are abandoned unrecorded; a second signal leaves at once
        (the store is safe: every write is one SQLite transaction)."""
        if self._stopping is not None:
            os._exit(130 if signal_name == "SIGINT" else 143)
        self.bus.emit(ev.LOG, None, line=f"run interrupted by {signal_name}; the same command resumes it")
        self._stop(Interrupted(signal_name))

    def _stop(self, why: BenchSideError) -> None:
        if self._stopping is None:
            self._stopping = why
        for task in self._slot_tasks.values():
            task.cancel()

    def _executor_for(self, slot_id: str) -> ThreadPoolExecutor:
        if slot_id not in self._executors:
            self._executors[slot_id] = ThreadPoolExecutor(max_workers=THREADS_PER_SLOT,
                                                          thread_name_prefix=f"bench-io-{slot_id}")
        return self._executors[slot_id]

    def _take_requests(self) -> None:
        """Technicians' requests (bench.control): skip, empty and stop act through run_test; a retest or a
        start runs the slot again in this run, after its current pass if it has one."""
        for r in self.control.poll():
            self.bus.emit(ev.LOG, r.slot, line=r.why())
            slot = next((s for s in self.config.slots if s.id == r.slot), None)
            if r.action in REQUEUE and slot is not None:
                previous = self._slot_tasks.get(slot.id)
                self._slot_tasks[slot.id] = asyncio.ensure_future(self._slot_again(previous, slot))

    async def _slot_again(self, previous: asyncio.Future[SlotOutcome] | None, slot: SlotConfig) -> SlotOutcome:
        if previous is not None:
            await asyncio.wait({previous})
        return await self._guarded_slot(slot, self._executor_for(slot.id), self._handshakes)

    # --- the run --------------------------------------------------------------------------
    async def run(self) -> list[SlotOutcome]:
        """Run (or resume) the bench. Raises BenchSideError (StoreFailed, Interrupted) when the bench itself
        cannot go on: nothing of the steps under way is stored, and the same command resumes the run."""
        own_lock = None if self.lock is not None else StoreLock(self.raw_store.path, self.config.source).acquire()
        sender = self._start_fleet_sender()
        try:
            return await self._run()
        finally:
            if sender is not None:
                # What the fleet store has not acknowledged by now stays in the local outbox (`bench sync`).
                left = await asyncio.get_running_loop().run_in_executor(None, sender.stop)
                if left:
                    self.bus.emit(ev.LOG, None, line=f"fleet: {left} record(s) wait in the local store; "
                                  "'bench sync' sends them")
            if own_lock is not None:
                own_lock.release()

    def _start_fleet_sender(self) -> Any:
        """The background sender of sealed records to the fleet store (never blocks grading)."""
        if not self.options.fleet:
            return None
        from bench.fleet.sender import FleetSender

        loop = asyncio.get_running_loop()

        def note(line: str) -> None:  # from the sender's thread onto the run's log
            try:
                loop.call_soon_threadsafe(lambda: self.bus.emit(ev.LOG, None, line=line))
            except RuntimeError:
                pass  # the run's loop is gone: the line has no one to tell

        return FleetSender(self.raw_store.path, self.options.fleet, note).start()

    def _fleet_lookup(self, slot_id: str) -> Any:
        """The authenticity test's read-only question to the fleet store, for this slot (or None)."""
        if not self.options.fleet:
            return None
        from bench.fleet.lookup import lookup_for

        def since() -> str | None:
            row = self.raw_store.slot_row(self.run_id, slot_id)
            return str(row["started"]) if row is not None and row["started"] else None

        return lookup_for(self.options.fleet, self.config.name, since)

    async def _run(self) -> list[SlotOutcome]:
        slot_ids = [s.id for s in self.config.slots]
        self.run_id, resumed = self.store.open_run(run_key(self.config, self.options), self.config.name,
                                                   self.options.plan, self.config.source, slot_ids)
        unsubscribe = self.bus.subscribe(self._store_event)
        with store_errors(self.raw_store.path):
            self.control = Controller(self.raw_store, self.run_id)
        flusher = asyncio.create_task(self._event_flusher())
        # burnin: a dashboard resuming this run for a retest passes the same --burnin (it is part of the key)
        self.bus.emit(ev.RUN_STARTED, run_id=self.run_id, resumed=resumed, plan=self.options.plan,
                      slots=slot_ids, burnin=self.options.burnin)
        self._handshakes = asyncio.Semaphore(self.options.ssh_handshakes)
        self._slot_tasks = {}
        for s in self.config.slots:
            finished = self._finished_outcome(s) if resumed else None
            if finished is not None:  # graded and sealed before the interruption: kept as it is
                self._slot_tasks[s.id] = asyncio.get_running_loop().create_future()
                self._slot_tasks[s.id].set_result(finished)
            else:
                self._slot_tasks[s.id] = asyncio.ensure_future(
                    self._guarded_slot(s, self._executor_for(s.id), self._handshakes))
        finished_cleanly = False
        try:
            while True:  # slots re-queued by a retest while the run goes on are part of the run
                if self._stopping is not None:
                    raise self._stopping
                running = [t for t in self._slot_tasks.values() if not t.done()]
                if running:
                    done, _ = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
                    for t in done:
                        failure = None if t.cancelled() else t.exception()
                        if isinstance(failure, BenchSideError):
                            self._stop(failure)
                        elif failure is not None:
                            raise failure
                    continue
                with store_errors(self.raw_store.path):
                    closed = self.control.close_run()
                if closed:
                    break
                self._take_requests()
                await asyncio.sleep(0.05)  # a busy store may hold the request back: never spin
            self.bus.emit(ev.RUN_FINISHED, run_id=self.run_id)
            outcomes = [self._slot_tasks[s.id].result() for s in self.config.slots]
            finished_cleanly = True
            return outcomes
        finally:
            await self._wind_down(flusher, finished_cleanly)
            unsubscribe()

    async def _wind_down(self, flusher: asyncio.Task[None], finished_cleanly: bool) -> None:
        """Cancel what still runs and let it abandon its sessions (never waiting on a stuck driver thread)."""
        pending = [t for t in self._slot_tasks.values() if not t.done()]
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.wait(pending, timeout=WATCHDOG_GRACE)
        for task in pending:
            if task.done() and not task.cancelled():
                task.exception()  # retrieved: the run already says why it stopped
        flusher.cancel()
        try:
            self._flush_events()  # the log lines of the run so far (never a result)
        except BenchSideError:
            if finished_cleanly:
                raise
        for executor in self._executors.values():
            executor.shutdown(wait=False, cancel_futures=True)
        self._executors.clear()

    def _finished_outcome(self, slot: SlotConfig) -> SlotOutcome | None:
        """A slot graded and sealed before the run was interrupted, unless a bench-side ERROR is among its
        results (an interruption of an older bench left one): then it is tested again."""
        row = self.store.slot_row(self.run_id, slot.id)
        if row is None or row["status"] != "done" or not row["grade"]:
            return None
        results = self.store.results(self.run_id, slot.id)
        if BENCH_RESULT in results:
            return None
        return SlotOutcome(slot.id, str(row["serial"]), str(row["model"]), str(row["profile"]),
                           Grade.from_dict(slot_grade(row) or {}), results)

    async def _guarded_slot(self, slot: SlotConfig, executor: ThreadPoolExecutor,
                            handshakes: asyncio.Semaphore) -> SlotOutcome:
        """One slot's unexpected failure is that slot's ERROR, never the end of everyone's run. A bench-side
        fault (store, interruption) is not the unit's: it goes up and stops the run, nothing sealed."""
        try:
            return await self._run_slot(slot, executor, handshakes)
        except BenchError:
            raise  # the store, the key, the witness or a refused seal: the bench's, never the unit's
        except Exception as e:  # noqa: BLE001 - a UnitError (bench/errors.py) or a bug on one unit: its ERROR
            if self._stopping is not None:
                raise  # broken by the run stopping: not the unit's doing
            started = utc_now()
            r = TestResult(BENCH_RESULT, Outcome.ERROR, f"{type(e).__name__}: {e}"[:300],
                           {"cause": type(e).__name__}, started, utc_now())
            results = self.store.results(self.run_id, slot.id)
            self._save(slot, len(results), r, results)
            grade = grading.grade(results)
            self.store.finish_slot(self.run_id, slot.id, grade)
            self._flush_events()
            with store_errors(self.raw_store.path):
                records.seal(self.raw_store, self.run_id, slot.id, self.bench_key,
                             TechnicianInputs(label_serial=slot.label_serial))
            self.bus.emit(ev.SLOT_FINISHED, slot.id, serial="", model="")
            return SlotOutcome(slot.id, "", "", "", grade, results)

    async def _run_slot(self, slot: SlotConfig, executor: ThreadPoolExecutor,
                        handshakes: asyncio.Semaphore) -> SlotOutcome:
        """One unit, top to bottom: resume, identify, open its channels, run its plan, grade, seal."""
        done, identity, stored_profile = self._resume(slot)
        snmp = (snmp_target(slot.snmp.host, slot.snmp.port, slot.snmp.community,
                            timeout=slot.snmp.timeout or self.options.snmp_timeout) if slot.snmp else None)
        wiring = _Wiring(self, slot, executor, handshakes)
        results = dict(done)
        profile_name, rules = "", {}
        try:
            profile, why = await self._resolve_profile(slot, snmp, stored_profile, wiring)
            if profile is None:
                r = TestResult("identity", Outcome.ERROR, why, {"slot": slot.id}, utc_now(), utc_now())
                self._save(slot, 0, r, results)
                plan: list[str] = []
            else:
                plan, profile_name, rules = profile.plan(self.options.plan), profile.name, profile.grading
                await wiring.open_cli(profile)
            if wiring.rommon is not None and not identity.serial:
                identity = wiring.rommon
            for position, name in enumerate(plan):
                if name in done:
                    continue  # finished before an interruption: never repeated
                assert profile is not None
                identity = await self._run_step(slot, profile, name, position, len(plan), identity, snmp, wiring,
                                                results)
        except BaseException as e:
            # Stopped, failed or cancelled: close the sessions in the background, never waiting on a driver
            # thread that may be stuck; keep the transcript only when the unit itself is the cause.
            wiring.abandon(keep_transcript=self._stopping is None and not isinstance(
                e, (asyncio.CancelledError, BenchSideError)))
            raise
        await wiring.close()
        return self._grade_and_seal(slot, profile_name, rules, identity, results)

    def _resume(self, slot: SlotConfig) -> tuple[dict[str, TestResult], Identity, str]:
        """The slot's finished results, saved identity and profile (a resumed run never repeats a test)."""
        done = self.store.results(self.run_id, slot.id)
        if BENCH_RESULT in done:
            # A bench-side ERROR an interrupted older bench left on the unit: no verdict on it; test again.
            self.store.reopen_slot(self.run_id, slot.id, [BENCH_RESULT])
            del done[BENCH_RESULT]
        restored = self.store.load_identity(self.run_id, slot.id)
        self.store.start_slot(self.run_id, slot.id)
        record_bench_file_lot(self.store, self.run_id, slot.id, slot.lot)  # sealed with the unit's inputs
        self.bus.emit(ev.SLOT_STARTED, slot.id, resumed_tests=list(done))
        return done, restored[1] if restored else Identity(), restored[0] if restored else ""

    async def _run_step(self, slot: SlotConfig, profile: Profile, name: str, position: int, steps: int,
                        identity: Identity, snmp: SnmpTarget | None, wiring: _Wiring,
                        results: dict[str, TestResult]) -> Identity:
        """One check of the plan under its watchdog, its result committed at once; returns the unit's identity
        (an identity check's reading is what the later checks see)."""
        check = self._check(name, profile.tests_module)
        params = self._params(profile, name, slot, check)
        ctx = TestContext(
            slot=SlotInfo(slot.id, slot.label_serial, self.config.blocked_serials, self._fleet_lookup(slot.id)),
            profile_name=profile.name, params=params, identity=identity,
            cli=wiring.cli, snmp=snmp, console=wiring.console_for(profile), cache=wiring.cache,
            log=lambda msg, sid=slot.id: self.bus.emit(ev.LOG, sid, line=msg),
            record_telemetry=self._telemetry_recorder(slot.id))
        undeclared = profile.undeclared(name)
        if undeclared:  # a plan's step this family does not declare (a refurb step): NOT_RUN with why
            self._save(slot, position, TestResult(name, Outcome.NOT_RUN, undeclared, {}, utc_now(), utc_now()),
                       results)
            return identity
        os_version = identity.os_version  # a check that changes the unit's release (image) says so through it
        emptied = self.control.emptied(slot.id)
        if emptied is not None:  # a technician emptied the slot: the rest of its plan is not run
            self._save(slot, position, TestResult(name, Outcome.NOT_RUN, emptied.why(), {
                "operator": emptied.operator, "action": emptied.action}, utc_now(), utc_now()), results)
            return identity
        # When the step started and, for a timed one (burn-in), how long it will take: what a dashboard needs
        # to say how long the run has left.
        self.bus.emit(ev.STEP_STARTED, slot.id, test=name, index=position, total=steps, started=utc_now(),
                      expected_s=_expected_seconds(params))
        r = await self.control.run_test(slot.id, name, self._run_test(name, ctx, self._watchdog(check, params),
                                                                      check))
        if name == "identity" and wiring.cli is not None and wiring.cli.transport:
            r.evidence.setdefault("cli_transport", wiring.cli.transport)  # legacy SSH / telnet: how
        wiring.annotate(r)
        if name == "identity":
            # Saved even without a serial (a host without dmidecode): it still says what the unit is.
            self.store.save_identity(self.run_id, slot.id, profile.name, ctx.identity)
            if ctx.identity.serial:
                identity = ctx.identity
        elif ctx.identity.os_version != os_version and identity.serial:
            self.store.save_identity(self.run_id, slot.id, profile.name, ctx.identity)  # the image step upgraded it
        self._save(slot, position, r, results)
        wiring.flush_transcript()
        return identity

    def _grade_and_seal(self, slot: SlotConfig, profile_name: str, rules: dict[str, Any], identity: Identity,
                        results: dict[str, TestResult]) -> SlotOutcome:
        if not identity.serial and slot.label_serial:
            # Nothing could be read from the unit (no OS, no answer): the scanned label is still who it is.
            identity = Identity(serial=slot.label_serial, chassis_serials={"label": slot.label_serial})
            self.store.save_identity(self.run_id, slot.id, profile_name, identity)
        # Inputs a technician entered while the unit was under test count, on top of the bench file's label.
        with store_errors(self.raw_store.path):
            inputs = current_inputs(self.raw_store, self.run_id, slot.id,
                                    TechnicianInputs(label_serial=slot.label_serial))
        grade = grading.grade(results, inputs, rules, identity.read_serials())
        self.store.finish_slot(self.run_id, slot.id, grade)
        self._flush_events()  # the record's journal covers every event of the unit so far
        with store_errors(self.raw_store.path):
            records.seal(self.raw_store, self.run_id, slot.id, self.bench_key, inputs)
            # each chassis of a stack a unit
            record_members(self.raw_store, self.run_id, slot.id, self.bench_key, rules)
        self.bus.emit(ev.GRADE_ASSIGNED, slot.id, grade=grade.to_dict())
        self.bus.emit(ev.SLOT_FINISHED, slot.id, serial=identity.serial, model=identity.model)
        return SlotOutcome(slot.id, identity.serial, identity.model, profile_name, grade, results)

    @staticmethod
    def _check(name: str, group: str) -> TestFunction:
        """The check behind a plan's step name; a name no installed check has is that step's ERROR, saying so."""
        try:
            return get_test(name, group)
        except KeyError as e:
            why = str(e.args[0] if e.args else e)

            async def unknown(_ctx: TestContext) -> TestResult:
                return TestResult(name, Outcome.ERROR, why, {}, utc_now(), utc_now())
            return unknown

    def _params(self, profile: Profile, test: str, slot: SlotConfig, check: TestFunction) -> dict[str, Any]:
        """The profile's params for the check, with what the run sets over them (the check's `run_inputs`)."""
        params = profile.params(test, self.options.plan)
        run_inputs = {"burnin": self.options.burnin, "harness": slot.harness or None,
                      "images": self.config.images or None,  # the bench file's image library (image step)
                      "pdu": slot.pdu,  # the slot's PDU outlet (its write community: in memory only)
                      # the BMC's Redfish address and login: in memory only, never in the store
                      "bmc": None if slot.bmc is None else {"url": slot.bmc.url, "username": slot.bmc.username,
                                                           "password": slot.bmc.password}}
        for param, source in declaration_of(check).run_inputs.items():
            if run_inputs.get(source) is not None:
                params[param] = run_inputs[source]
        return params

    def _watchdog(self, check: TestFunction, params: dict[str, Any]) -> float:
        """Seconds a check may take: the profile's `timeout`, else what the check declares its work needs."""
        if "timeout" in params:
            return seconds(params["timeout"], self.options.step_timeout)
        declared = declaration_of(check).watchdog
        return declared(params) if declared else self.options.step_timeout

    def _save(self, slot: SlotConfig, position: int, r: TestResult, results: dict[str, TestResult]) -> None:
        self.store.save_result(self.run_id, slot.id, position, r)
        results[r.name] = r
        self.bus.emit(ev.TEST_FINISHED, slot.id, test=r.name, outcome=str(r.outcome), summary=r.summary)

    def _telemetry_recorder(self, slot_id: str) -> Any:
        async def record(metric: str, value: float) -> None:
            self.store.add_telemetry(self.run_id, slot_id, metric, value)
        return record

    async def _run_test(self, name: str, ctx: TestContext, timeout: float,
                        check: TestFunction | None = None) -> TestResult:
        """One check under its watchdog, its outcome mapped (the error tree in bench/errors.py)."""
        started = utc_now()
        check = check or self._check(name, "network")
        # Not asyncio.wait_for: that waits for the cancelled test to finish, which a driver thread stuck in a
        # read can delay for as long as it likes. Past its watchdog (and a short grace) a test is left behind.
        task = asyncio.ensure_future(check(ctx))
        task.add_done_callback(_retrieve)
        try:
            finished, _ = await asyncio.wait({task}, timeout=timeout)
        except asyncio.CancelledError:
            task.cancel()
            raise
        if not finished:
            task.cancel()
            await asyncio.wait({task}, timeout=WATCHDOG_GRACE)
            return TestResult(name, Outcome.ERROR, f"watchdog: {name} did not finish within {timeout:g} s",
                              {"watchdog_s": timeout, "cause": "watchdog"}, started, utc_now())
        try:
            return task.result()
        except asyncio.CancelledError:
            raise  # cancelled from inside: treated as the step being abandoned
        except BenchSideError:
            raise  # the store failed under the test (its telemetry): the run's problem, not the unit's
        except ChannelMissing as e:
            return TestResult(name, Outcome.NOT_RUN, str(e), {}, started, utc_now())
        except UnitError as e:  # a channel or parse failure (the tree in bench/errors.py): the driver's own line
            return TestResult(name, Outcome.ERROR, str(e), {"cause": type(e).__name__}, started, utc_now())
        except Exception as e:  # noqa: BLE001 - a test's bug is this unit's ERROR, never the run's end
            return TestResult(name, Outcome.ERROR, f"{type(e).__name__}: {e}", {"cause": type(e).__name__},
                              started, utc_now())

    async def _resolve_profile(self, slot: SlotConfig, snmp: SnmpTarget | None, stored: str,
                               wiring: _Wiring) -> tuple[Profile | None, str]:
        """The slot's profile: named in the bench file, saved by an interrupted run, else identified
        (bench.identify): SNMP, then the first SSH login (kept for the plan), then the console."""
        if slot.profile != "auto":
            return self.catalog.get(slot.profile), ""
        if stored:
            return self.catalog.get(stored), ""
        if slot.local:
            return await wiring.identify_local()
        evidence: list[str] = []
        snmp_answered = False
        if snmp is not None:
            found, why, snmp_answered = await identify.by_snmp(snmp, self.catalog)
            if found:
                return found, ""
            evidence.append(why)
        if slot.ssh is not None or slot.telnet is not None:
            found, why = await wiring.identify_by_ssh()
            if found:
                return found, ""
            evidence.append(why)
        elif slot.console:
            found, why = await wiring.identify_by_console()
            if found:
                return found, ""
            evidence.append(why)
        if snmp_answered and identify.GENERIC_PROFILE in self.catalog.profiles:
            # A unit of a vendor no family claims, that answers SNMP: tested as a generic SNMP unit.
            return self.catalog.get(identify.GENERIC_PROFILE), ""
        return None, ("could not identify the family (" + "; ".join(evidence or ["no SNMP, SSH or console"]) +
                      f"); set 'profile:' for slot {slot.id} to one of {', '.join(sorted(self.catalog.profiles))}")


def _retrieve(task: asyncio.Future[Any]) -> None:
    """A test left behind by its watchdog may end in an error later: nobody waits for it any more."""
    if not task.cancelled():
        task.exception()


class _UnjoinedExecutor(ThreadPoolExecutor):
    """asyncio.run joins its default executor's threads before it returns: after an interruption one thread
    still blocked in a device read (a connect, a 30 s netmiko read) would hold the process that long. Its
    threads are named bench-io like the slots' own, so `leave_soon` (bench run) decides about them."""

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        super().shutdown(wait=False, cancel_futures=cancel_futures)


async def run_until_signalled(engine: Engine) -> list[SlotOutcome]:
    """`engine.run()` with SIGINT and SIGTERM stopping it between steps (bench run, bench demo)."""
    loop = asyncio.get_running_loop()
    loop.set_default_executor(_UnjoinedExecutor(thread_name_prefix="bench-io-default"))
    caught = (signal.SIGINT, signal.SIGTERM)
    for sig in caught:
        loop.add_signal_handler(sig, engine.interrupt, sig.name)
    try:
        return await engine.run()
    finally:
        for sig in caught:
            loop.remove_signal_handler(sig)


def _expected_seconds(params: dict[str, Any]) -> float | None:
    """A timed test's length (its `duration` parameter), else None."""
    if "duration" not in params:
        return None
    return seconds(params["duration"], 0.0) or None


class _Wiring:
    """The CLI channel of one slot (SSH when it has an address, else its console) and its transcript."""

    def __init__(self, engine: Engine, slot: SlotConfig, executor: ThreadPoolExecutor,
                 handshakes: asyncio.Semaphore) -> None:
        self.engine = engine
        self.slot = slot
        self.executor = executor
        self.handshakes = handshakes
        self.cli: LazyChannel | None = None
        self.transcript = Transcript()
        self._flushed = 0
        self._console_side: LazyChannel | None = None
        # Command output shared by every test of this slot's session: at 9600 baud `show version`
        # costs two seconds, so it is read once. A wipe or reload clears it (the unit changed).
        self.cache: dict[str, str] = {}
        self.rommon: Identity | None = None  # what the boot loader told of a unit that never boots
        self.channel_note = ""  # why the CLI is not the bench file's SSH (bench.cli_fallback)
        self.handover: identify.SshAnswer | None = None  # the identifying SSH login, until open_cli takes it

    def _power_cycle(self) -> Callable[[], None] | None:
        pdu = self.slot.pdu
        if pdu is None:
            return None
        loop = asyncio.get_running_loop()
        outlet = PduOutlet(pdu.host, pdu.port, pdu.outlet, pdu.community)

        def power_cycle() -> None:  # called from the console's worker thread
            asyncio.run_coroutine_threadsafe(outlet.power_cycle(), loop).result(30)

        return power_cycle

    def _console(self, console: dict[str, Any], platform: str, plans: list[RecoveryPlan]) -> LazyChannel:
        gate = self.engine.console_gate(self.slot.console)
        return console_channel(self.slot, console_walk(platform, console), platform, self.executor, gate,
                               self.transcript, plans, self._power_cycle())

    async def _open_console(self) -> None:
        assert self.cli is not None
        opts = self.engine.options
        try:
            report = await asyncio.wait_for(self.cli.ensure_open(), opts.console_walk_timeout + 30)
            self.engine.bus.emit(ev.LOG, self.slot.id, line=f"console: enabled ({', '.join(report.notes)})"
                                 if getattr(report, "notes", None) else "console: enabled")
        except (ConsoleError, ChannelMissing, TimeoutError) as e:
            # Recorded on the channel: every test reports the cause instead of retrying.
            self.engine.bus.emit(ev.LOG, self.slot.id, line=f"console: {e}")
        self.flush_transcript()

    async def identify_by_ssh(self) -> tuple[Profile | None, str]:
        """The first login's `show version` names the family; that login goes on as the CLI session."""
        slot, opts = self.slot, self.engine.options
        address = slot.ssh or slot.telnet
        assert address is not None
        creds = list(slot.credentials)  # the bench file's credential sets are the channels' Credential
        loop = asyncio.get_running_loop()
        try:
            async with self.handshakes:
                answer = await asyncio.wait_for(loop.run_in_executor(
                    self.executor, identify.by_ssh, address.host, address.port, creds, self.engine.catalog,
                    opts.connect_timeout, slot.ssh is None), opts.connect_timeout * 3 * len(creds) + 30)
        except TimeoutError:
            return None, f"ssh: no answer to show version within {opts.connect_timeout * 3:g} s"
        if answer.profile is None:
            return None, answer.why
        # Its `show version` is not put in the command cache: it is the raw screen (echo, prompt, maybe a pager),
        # not what the session's send() returns.
        self.handover = answer  # the plan's CLI goes on over this login (open_cli)
        return answer.profile, ""

    async def identify_by_console(self) -> tuple[Profile | None, str]:
        catalog = self.engine.catalog
        plans = [p for p in (RecoveryPlan.from_dict(pr.console.get("recovery")) for pr in catalog.profiles.values())
                 if p is not None]
        self.cli = self._console({}, "cisco_ios", plans)
        await self._open_console()
        try:
            text = await self.cli.send("show version", timeout=120)
        except ChannelMissing as e:
            return self._identify_in_rommon(e)
        except (ConsoleError, TimeoutError) as e:
            return None, f"console: {e}"
        self.cache["show version"] = text
        found = catalog.identify(show_version=text)
        if found is None:
            return None, "console: show version matches no profile"
        self.cli.platform = found.textfsm_platform
        return found, ""

    def _identify_in_rommon(self, e: ChannelMissing) -> tuple[Profile | None, str]:
        """A unit that never boots: the boot loader names the family (bench.identify.by_rommon)."""
        found, self.rommon = identify.by_rommon(getattr(e.__cause__, "facts", {}) or {}, self.engine.catalog)
        if found is None:
            return None, f"console: {e}"
        self.cli.platform = found.textfsm_platform  # type: ignore[union-attr]
        return found, ""

    async def identify_local(self) -> tuple[Profile | None, str]:
        """`local: true`: this host is the unit; its kernel names the family (linux_server)."""
        self.cli = local_channel(self.executor, asyncio.Semaphore(1))  # no handshake to ration here
        try:
            text = await self.cli.send("uname -a", timeout=30)
        except SshError as e:
            return None, f"local: {e}"
        found = self.engine.catalog.identify(show_version=text)
        return (found, "") if found else (None, f"local: {text.strip()[:80]!r} matches no profile")

    async def open_cli(self, profile: Profile) -> None:
        if self.cli is not None:
            self._release_handover()
            return  # the console session that identified the unit goes on
        if self.slot.local:
            self.cli = local_channel(self.executor, asyncio.Semaphore(1))
        elif self.slot.ssh is not None and profile.tests_module == "server":
            # Linux units: a framed POSIX shell (exit status, unprivileged logins, the agent's stream).
            self._release_handover()
            self.cli = shell_ssh_channel(self.slot, self.executor, self.handshakes,
                                         self.engine.options.connect_timeout)
        elif self.slot.ssh is not None or self.slot.telnet is not None:
            handover = self.handover.handover if self.handover is not None else None
            self.handover = None
            self.cli = ssh_channel(self.slot, profile.netmiko_device_type, profile.textfsm_platform, self.executor,
                                   self.handshakes, self.engine.options.connect_timeout, handover=handover or None)
            await self._console_when_no_ssh(profile)
        elif self.slot.console:
            plan = RecoveryPlan.from_dict(profile.console.get("recovery"))
            self.cli = self._console(profile.console, profile.textfsm_platform, [plan] if plan else [])
            await self._open_console()

    async def _console_when_no_ssh(self, profile: Profile) -> None:
        """Open SSH once before the first test. A unit that offers none (a wiped Catalyst has no user and no
        host key; an unset address never answers) is driven over its console when the slot has one; without
        one, every CLI test fails at once with that cause instead of a connect timeout per command."""
        assert self.cli is not None
        for _ in range(2):  # a second try: one hiccup at connect does not send a whole unit to 9600 baud
            try:
                await asyncio.wait_for(self.cli.ensure_open(), self.engine.options.connect_timeout * 3)
                return
            except (TimeoutError, ChannelMissing):
                return  # slow, not absent: the tests' watchdogs deal with it
            except Exception as e:  # noqa: BLE001 - only an SSH error decides; anything else is left to the tests
                cause = ssh_unavailable(e)
            if cause is None:
                return  # SSH is there and refused the credentials: the channel remembers and every test says so
        self.cli.abandon()
        self.channel_note = channel_note(cause, bool(self.slot.console))
        self.engine.bus.emit(ev.LOG, self.slot.id, line=self.channel_note)
        if not self.slot.console:
            self.cli = no_ssh_channel(cause, profile.textfsm_platform, self.executor, self.handshakes)
            return
        plan = RecoveryPlan.from_dict(profile.console.get("recovery"))
        self.cli = self._console(profile.console, profile.textfsm_platform, [plan] if plan else [])
        await self._open_console()

    def _release_handover(self) -> None:
        if self.handover is not None:
            self.handover.release()
            self.handover = None

    def annotate(self, r: TestResult) -> None:
        """A result of a slot whose CLI is not the one its bench file names says so, and why."""
        if self.channel_note:
            r.evidence.setdefault("channel", self.channel_note)

    def console_for(self, profile: Profile) -> LazyChannel | None:
        """The console as its own channel (opened on first use) when SSH is the main one."""
        if not self.slot.console or (self.cli is not None and self.cli.kind == "console"):
            return self.cli if self.cli is not None and self.cli.kind == "console" else None
        if self._console_side is None:
            plan = RecoveryPlan.from_dict(profile.console.get("recovery"))
            self._console_side = self._console(profile.console, profile.textfsm_platform, [plan] if plan else [])
        return self._console_side

    def flush_transcript(self) -> None:
        lines = self.transcript.lines[self._flushed:]
        if lines:
            self.engine.store.add_transcript(self.engine.run_id, self.slot.id, "console",
                                             [(x.ts, x.direction, x.text) for x in lines])
            self._flushed = len(self.transcript.lines)

    def abandon(self, keep_transcript: bool) -> None:
        """Close the sessions from background threads without waiting (a stuck read ends when its transport
        closes); used when the slot stops on an error, a cancellation or an interruption."""
        self._release_handover()
        for channel in (self.cli, self._console_side):
            if channel is not None:
                channel.abandon()
        if keep_transcript:
            self.flush_transcript()

    async def close(self) -> None:
        self._release_handover()
        for channel in (self.cli, self._console_side):
            if channel is not None:
                await channel.close()
                if channel.kind == "console":
                    self.engine.bus.emit(ev.LOG, self.slot.id, line=f"console: {channel.bytes_transferred} bytes",
                                         console_bytes=channel.bytes_transferred)
        self.flush_transcript()
