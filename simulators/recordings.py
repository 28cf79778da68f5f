"""Real devices' SNMP recordings (PyPI `snmpsim-data`) served by snmpsim as SNMP-only bench units R1..RN.

The simulated families are written from samples; these walks were taken from real gear, with every
quirk left in (space-padded serials, truncated sysDescr, tables the bench never asked a simulator
for). snmpsim's full command responder serves them from one UDP port; the community selects the
recording: it is the data file's path relative to `--data-dir` without the extension.

We decompress the curated `.snmprec.bz2` files into a data directory of our own: snmpsim can read
`.bz2` directly, but it serves by seeking to indexed offsets, and seeking a bz2 stream means
decompressing it from the start again.
"""

from __future__ import annotations

import asyncio
import bz2
import contextlib
import ctypes
import fcntl
import importlib.util
import logging
import os
import shutil
import signal
import socket
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

INSTALL_HINT = "pip install snmpsim snmpsim-data pysmi"
STARTUP_TIMEOUT = 60.0  # the first start indexes ~2.7 M lines; later starts reuse the index

SYS_DESCR = "1.3.6.1.2.1.1.1.0"
SYS_OBJECT_ID = "1.3.6.1.2.1.1.2.0"
ENT_PHYSICAL = "1.3.6.1.2.1.47.1.1.1.1"  # entPhysicalEntry: .2 descr .4 containedIn .5 class .11 serial .13 model
JNX_BOX_DESCR = "1.3.6.1.4.1.2636.3.1.2.0"
JNX_BOX_SERIAL = "1.3.6.1.4.1.2636.3.1.3.0"
CHASSIS_CLASS = 3

# Tables a bench test could read besides ENTITY-MIB; reported per recording so nobody guesses.
KNOWN_MIBS = {
    "CISCO-ENVMON-MIB": "1.3.6.1.4.1.9.9.13",
    "CISCO-ENTITY-SENSOR-MIB": "1.3.6.1.4.1.9.9.91",
    "CISCO-ENTITY-FRU-CONTROL-MIB": "1.3.6.1.4.1.9.9.117",
    "ENTITY-SENSOR-MIB": "1.3.6.1.2.1.99",
    "ENTITY-STATE-MIB": "1.3.6.1.2.1.131",
    "JUNIPER-MIB": "1.3.6.1.4.1.2636.3.1",
    "HP-ICF-CHASSIS": "1.3.6.1.4.1.11.2.14.11.1.2",
    "UCD-SNMP-MIB lmSensors": "1.3.6.1.4.1.2021.13.16",
    "HOST-RESOURCES-MIB": "1.3.6.1.2.1.25",
    "POWER-ETHERNET-MIB": "1.3.6.1.2.1.105",
    "LLDP-MIB": "1.0.8802.1.1.2",
}


@dataclass(frozen=True)
class Recording:
    slot: str
    path: str  # relative to snmpsim_data/data, without extension; also the community that selects it
    family: str  # our profile family when one fits, else "recording"
    note: str


CURATED: tuple[Recording, ...] = (
    Recording("R1", "network/switch/cisco-c3560", "cisco_ios_switch", "Catalyst 3560G-48TS, IOS 12.2(55)SE3"),
    Recording("R2", "network/switch/cisco-c3750", "cisco_ios_switch",
              "Catalyst 3750G-12S, IOS 12.2(50)SE5; file comment says 'CISCO BAD TEMP'"),
    Recording("R3", "network/switch/cisco-n5000", "cisco_nxos",
              "Nexus 5548UP, NX-OS 6.0(2)N2(3): the NX-OS family pack's, identified over SNMP alone"),
    Recording("R4", "network/router/juniper-mx960-12-3r6-6", "juniper_junos",
              "MX960, Junos 12.3R6.6, no ENTITY-MIB: serial from jnxBoxSerialNo"),
    Recording("R5", "network/switch/hpe-procurve-516733-b21", "hp_procurve",
              "ProCurve 6120XG blade switch, Z.14.31; sysDescr truncated in the recording"),
    Recording("R6", "cloud/arista-dcs-7150s-52-cl", "arista_eos", "Arista DCS-7150S-52-CL, EOS 4.20.5F"),
    Recording("R7", "os/linux/unknown-006", "linux_server", "CentOS 7 host (3.10.0-514.el7) on net-snmp, lm-sensors"),
)

# Good data but slow to serve: snmpsim indexes with dbm.dumb when Python lacks gdbm, ~23 s and ~51 s for
# these on first start (4.6 s / 11 s after). Pass `curated=CURATED + HEAVY` to serve them.
HEAVY: tuple[Recording, ...] = (
    Recording("R8", "network/appliance/cisco-unknown-01", "cisco_ios_switch",
              "Catalyst 6509-E chassis, classic IOS, 72 serialised FRUs (277k records)"),
    Recording("R9", "network/router/juniper-mx960-16-1r6-7-a", "juniper_junos",
              "MX960, Junos 16.1R6.7, with ENTITY-MIB (650k records)"),
)


@dataclass
class RecordingTruth:
    """What the recording itself says, read from the data file (never from the agent)."""

    recording: Recording
    sys_descr: str
    sys_object_id: str
    serial: str = ""
    model: str = ""
    serial_oid: str = ""  # where `serial` lives: the chassis entPhysicalSerialNum, or jnxBoxSerialNo
    entity_mib: bool = False
    entity_serials: dict[str, str] = field(default_factory=dict)  # index -> non-empty entPhysicalSerialNum
    mibs: dict[str, int] = field(default_factory=dict)  # KNOWN_MIBS name -> records present
    records: int = 0

    @property
    def community(self) -> str:
        return self.recording.path


def default_work_dir() -> Path:
    """Where `bench sim` keeps decompressed recordings and snmpsim's index: the index takes ~20 s to
    build and is reused while the data files are unchanged, so a fixed place makes later starts quick."""
    return Path(tempfile.gettempdir()) / f"bench-recordings-{os.getuid()}"


def snmpsim_available() -> bool:
    return all(importlib.util.find_spec(m) is not None for m in ("snmpsim", "snmpsim_data", "pysmi"))


def _require_snmpsim() -> Path:
    """The packaged recordings' directory; one clear line when the packages are missing."""
    missing = [m for m in ("snmpsim", "snmpsim_data", "pysmi") if importlib.util.find_spec(m) is None]
    if missing:
        raise RuntimeError(f"SNMP recordings need {', '.join(missing)} in {sys.prefix}: {INSTALL_HINT}")
    spec = importlib.util.find_spec("snmpsim_data")
    assert spec is not None and spec.submodule_search_locations
    data = Path(list(spec.submodule_search_locations)[0]) / "data"
    if not data.is_dir():
        raise RuntimeError(f"snmpsim-data has no data directory at {data}: reinstall it ({INSTALL_HINT})")
    return data


def _responder_command() -> list[str]:
    # The console script beside this interpreter; else the module, so a venv without bin/ works too.
    script = Path(sys.executable).parent / "snmpsim-command-responder"
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    return [sys.executable, "-c", "import sys; from snmpsim.commands.responder import main; sys.exit(main())"]


def decode_value(tag: str, value: str) -> str:
    """One .snmprec value as text: `x` suffix = hex, `e` = Python escapes, else the raw latin-1 text."""
    tag = tag.split(":", 1)[0]  # variation modules append ':module'
    if tag.endswith("x"):
        try:
            raw = bytes.fromhex(value)
        except ValueError:  # some recordings tag plain text as hex ("4x|Juniper"): keep the text
            raw = value.encode("latin-1")
    elif tag.endswith("e"):
        raw = value.encode("latin-1").decode("unicode_escape").encode("latin-1")
    elif tag.rstrip("xe") in ("4", "68"):
        raw = value.encode("latin-1")
    else:
        return value  # numbers and OIDs are written as text
    # Same reading as the bench's driver: NUL padding is not data, printable UTF-8 is text.
    trimmed = raw.rstrip(b"\x00")
    try:
        text = trimmed.decode("utf-8")
    except UnicodeDecodeError:
        return "0x" + raw.hex()
    return text if all(c.isprintable() or c in "\t\r\n" for c in text) else "0x" + raw.hex()


def read_truth(rec: Recording, lines: Any) -> RecordingTruth:
    """Identity from a recording's lines (`OID|TYPE|VALUE`, `#` comments)."""
    wanted = {SYS_DESCR, SYS_OBJECT_ID, JNX_BOX_DESCR, JNX_BOX_SERIAL}
    ent_cols = {"2", "4", "5", "11", "13"}
    found: dict[str, str] = {}
    ent: dict[str, dict[str, str]] = {}
    mibs = dict.fromkeys(KNOWN_MIBS, 0)
    count = 0
    for line in lines:
        if not line or line.startswith("#"):
            continue
        oid, _, rest = line.partition("|")
        tag, _, value = rest.partition("|")
        if not tag:
            continue
        count += 1
        if oid in wanted:
            found[oid] = decode_value(tag, value.rstrip("\r\n"))
        elif oid.startswith(ENT_PHYSICAL + "."):
            col, _, index = oid[len(ENT_PHYSICAL) + 1:].partition(".")
            if col in ent_cols:
                ent.setdefault(index, {})[col] = decode_value(tag, value.rstrip("\r\n"))
        for name, prefix in KNOWN_MIBS.items():
            if oid.startswith(prefix + "."):
                mibs[name] += 1
    truth = RecordingTruth(rec, found.get(SYS_DESCR, ""), found.get(SYS_OBJECT_ID, ""), records=count,
                           mibs={k: v for k, v in mibs.items() if v})
    if ent:
        truth.entity_mib = True
        truth.entity_serials = {i: r["11"] for i, r in ent.items() if r.get("11", "").strip()}
        # The top chassis: class chassis(3), contained in nothing (0), lowest index; else any chassis.
        chassis = sorted((i for i, r in ent.items() if r.get("5") == str(CHASSIS_CLASS)),
                         key=lambda i: (ent[i].get("4", "0") != "0", int(i) if i.isdigit() else 0))
        if chassis:
            top = ent[chassis[0]]
            truth.serial, truth.model = top.get("11", ""), top.get("13", "")
            truth.serial_oid = f"{ENT_PHYSICAL}.11.{chassis[0]}"
    if not truth.serial and JNX_BOX_SERIAL in found:
        # jnxBoxDescr names the product in a sentence ("Juniper MX960 Internet Backbone Router"): its model
        # is the word after the vendor, as on the unit's own label.
        descr = found.get(JNX_BOX_DESCR, "")
        words = descr.split()
        model = words[1] if len(words) > 1 and words[0].lower() == "juniper" else descr
        truth.serial, truth.model, truth.serial_oid = found[JNX_BOX_SERIAL], model, JNX_BOX_SERIAL
    return truth


def prepare_data(work_dir: Path, curated: tuple[Recording, ...] = CURATED) -> tuple[Path, list[RecordingTruth]]:
    """Decompress the curated recordings under work_dir/data and read their truth. Reuses earlier output."""
    source = _require_snmpsim()
    data_dir = Path(work_dir) / "data"
    truths = []
    for rec in curated:
        plain = data_dir / f"{rec.path}.snmprec"
        if not plain.is_file():
            packed = source / f"{rec.path}.snmprec.bz2"
            src_open = bz2.open if packed.is_file() else open
            if not packed.is_file():
                packed = source / f"{rec.path}.snmprec"
            if not packed.is_file():
                raise RuntimeError(f"recording {rec.path} is not in snmpsim-data at {source}: "
                                   "reinstall snmpsim-data 1.0.1")
            plain.parent.mkdir(parents=True, exist_ok=True)
            tmp = plain.with_name(plain.name + ".part")  # not .snmprec: snmpsim must never see half a file
            with src_open(packed, "rb") as src, open(tmp, "wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
            os.replace(tmp, plain)
        with open(plain, encoding="latin-1", newline="") as fh:
            truths.append(read_truth(rec, fh))
    return data_dir, truths


def get_request(community: str, oid: str, request_id: int = 1) -> bytes:
    """A v2c GET datagram for one OID, built with pysnmp's protocol API."""
    from pyasn1.codec.ber import encoder
    from pysnmp.proto.api import v2c

    pdu = v2c.GetRequestPDU()
    v2c.apiPDU.set_defaults(pdu)
    v2c.apiPDU.set_request_id(pdu, request_id)
    v2c.apiPDU.set_varbinds(pdu, [(v2c.ObjectIdentifier(oid), v2c.null)])
    msg = v2c.Message()
    v2c.apiMessage.set_defaults(msg)
    v2c.apiMessage.set_community(msg, community)
    v2c.apiMessage.set_pdu(msg, pdu)
    return encoder.encode(msg)


async def _answers(host: str, port: int, community: str, deadline: float, proc: asyncio.subprocess.Process) -> None:
    """Send GETs until one is answered; each try waits at most 0.5 s for the reply."""
    loop = asyncio.get_running_loop()
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.setblocking(False)
        sock.connect((host, port))
        request_id = 1
        while time.monotonic() < deadline:
            if proc.returncode is not None:
                raise RuntimeError(f"snmpsim-command-responder exited with code {proc.returncode}")
            try:
                await loop.sock_sendall(sock, get_request(community, SYS_OBJECT_ID, request_id))
                if await asyncio.wait_for(loop.sock_recv(sock, 65535), 0.5):
                    return
            except ConnectionRefusedError:
                # ICMP port unreachable: still indexing, nothing bound yet. Poll, don't spin a core.
                await asyncio.sleep(0.1)
            except TimeoutError:
                pass
            request_id += 1
    raise TimeoutError


@dataclass
class RecordingServer:
    host: str
    port: int
    data_dir: Path
    process: asyncio.subprocess.Process
    truths: list[RecordingTruth]
    log_path: Path
    startup_s: float = 0.0

    @property
    def pid(self) -> int:
        return self.process.pid

    async def stop(self, keep_log: bool = False) -> None:
        """SIGTERM by pid, SIGKILL after 5 s; the log goes too unless asked to keep it."""
        if self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.process.pid, signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), 5.0)
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self.process.pid, signal.SIGKILL)
                await self.process.wait()
        if not keep_log:
            with contextlib.suppress(OSError):
                self.log_path.unlink()

    def slot_rows(self) -> list[dict[str, Any]]:
        return slot_rows(self)


def slot_rows(server: RecordingServer) -> list[dict[str, Any]]:
    """Bench-file slots for the recordings: SNMP only (no ssh, no console)."""
    rows = []
    for t in server.truths:
        rows.append({
            "id": t.recording.slot,
            "profile": "auto",
            "snmp": {"host": server.host, "port": server.port, "community": t.community},
            "credentials": [],
            "truth": {
                "family": t.recording.family,
                "model": t.model,
                "serial": t.serial,
                "sys_object_id": t.sys_object_id,
                "recording": t.recording.path,
                "faults": [],
            },
        })
    return rows


def _environment() -> dict[str, str]:
    # As root snmpsim refuses to start unless told a user to drop to (which then could not read our
    # 0700 temp dirs); it serves only our own files on loopback, so let it run as we are.
    env = dict(os.environ)
    if os.geteuid() == 0:
        env["SNMPSIM_ALLOW_ROOT"] = "true"
    return env


def _index_stem(data_dir: Path, rec: Recording) -> str:
    # snmpsim names an index after its data file's full path, separators turned into '_' (RecordIndex).
    return str(data_dir / f"{rec.path}.dbm").replace(os.sep, "_") + "."


def _die_with_parent() -> None:
    # Runs in the child before exec: if the bench dies without stop(), the kernel ends snmpsim too
    # instead of leaving it holding the port (Linux only; elsewhere stop() is the only way).
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _last_line(path: Path) -> str:
    with contextlib.suppress(OSError):
        lines = [ln for ln in path.read_text(errors="replace").splitlines() if ln.strip()]
        if lines:
            return lines[-1].strip()
    return "no output"


async def start_recordings(work_dir: Path, host: str = "127.0.0.1",
                           curated: tuple[Recording, ...] = CURATED) -> RecordingServer:
    """Start snmpsim on a free UDP port of `host` serving the curated recordings; returns once it answers."""
    t0 = time.monotonic()
    work_dir = Path(work_dir).resolve()  # snmpsim names index files after the absolute data path
    work_dir.mkdir(parents=True, exist_ok=True)
    # Two starts sharing a work dir (a sim and a test) must not write the same files or index at once.
    with open(work_dir / ".lock", "w") as lock:
        await asyncio.to_thread(fcntl.flock, lock.fileno(), fcntl.LOCK_EX)
        try:
            return await _start_locked(work_dir, host, curated, t0)
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


async def _start_locked(work_dir: Path, host: str, curated: tuple[Recording, ...], t0: float) -> RecordingServer:
    data_dir, truths = await asyncio.to_thread(prepare_data, work_dir, curated)
    cache_dir = work_dir / "cache"  # our own index dir: the default /tmp/snmpsim is shared by every user
    # snmpsim trusts any index newer than its data file, even one cut short by a kill mid-build; so
    # reuse the cache only when a previous start finished with every recording asked for now.
    marker = cache_dir / "complete.txt"
    done = set(marker.read_text().split()) if marker.is_file() else set()
    cache_dir.mkdir(parents=True, exist_ok=True)
    for rec in curated:
        if rec.path not in done:
            for stale in cache_dir.glob(_index_stem(data_dir, rec) + "*"):
                stale.unlink()  # only this recording's: another snmpsim may be serving from the rest
    last_error = "no attempt"
    for _ in range(3):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.bind((host, 0))
            port = probe.getsockname()[1]
        log_path = work_dir / f"snmpsim-{port}.log"  # per server: several may share the work dir
        with open(log_path, "wb") as out:  # a file, not a pipe: a full pipe would stall the responder
            proc = await asyncio.create_subprocess_exec(  # SNMPSIM_ALLOW_ROOT: see _environment()
                *_responder_command(), f"--data-dir={data_dir}", f"--cache-dir={cache_dir}",
                f"--agent-udpv4-endpoint={host}:{port}", "--log-level=error", "--logging-method=stderr",
                stdin=asyncio.subprocess.DEVNULL, stdout=out, stderr=asyncio.subprocess.STDOUT, env=_environment(),
                preexec_fn=_die_with_parent)
        server = RecordingServer(host, port, data_dir, proc, truths, log_path)
        try:
            await _answers(host, port, truths[0].community, time.monotonic() + STARTUP_TIMEOUT, proc)
        except TimeoutError:
            await server.stop(keep_log=True)
            raise RuntimeError(f"snmpsim did not answer on {host}:{port} within {STARTUP_TIMEOUT:.0f} s "
                               f"(log {log_path}: {_last_line(log_path)})") from None
        except RuntimeError as exc:
            await server.stop(keep_log=True)
            last_error = f"{exc}: {_last_line(log_path)} (log {log_path})"
            continue  # most likely the port was taken between probe and bind: try another
        except BaseException:  # cancelled while starting: leave no responder behind
            await asyncio.shield(server.stop())
            raise
        marker.write_text("\n".join(sorted(done | {rec.path for rec in curated})) + "\n")
        server.startup_s = time.monotonic() - t0
        log.info("%d SNMP recordings served by snmpsim on %s:%d (pid %d) in %.1f s",
                 len(truths), host, port, proc.pid, server.startup_s)
        return server
    raise RuntimeError(f"snmpsim-command-responder failed to start: {last_error}")


def all_recordings() -> list[Path]:
    """Every recording snmpsim-data ships (.snmprec or .snmprec.bz2), sorted."""
    source = _require_snmpsim()
    return sorted(p for p in source.rglob("*") if p.name.endswith((".snmprec", ".snmprec.bz2")))


def recording_name(path: Path) -> str:
    """A recording's path under snmpsim-data's data dir, without the extension (its community)."""
    rel = path.relative_to(_require_snmpsim()).as_posix()
    return rel.removesuffix(".bz2").removesuffix(".snmprec")


def recording_values(path: Path, wanted: tuple[str, ...], prefixes: tuple[str, ...],
                     cache_dir: Path | None = None) -> dict[str, str]:
    """The recorded values of the OIDs `wanted` and of every OID under `prefixes`, decoded as the
    bench's driver decodes them (dotted OID -> text). The slice is cached under cache_dir, keyed by
    the file's size and mtime and the OIDs asked, so reading all recordings again takes a second."""
    import hashlib
    import json

    st = path.stat()
    key = hashlib.sha256(json.dumps([str(path), st.st_size, st.st_mtime_ns, wanted, prefixes]).encode()).hexdigest()
    cached = Path(cache_dir or default_work_dir() / "slices") / f"{key[:32]}.json"
    if cached.is_file():
        with contextlib.suppress(OSError, ValueError):
            return dict(json.loads(cached.read_text()))
    want = set(wanted)
    heads = tuple(p + "." for p in prefixes)
    out: dict[str, str] = {}
    opener = bz2.open if path.name.endswith(".bz2") else open
    with opener(path, "rt", encoding="latin-1", newline="") as fh:
        for line in fh:
            oid, _, rest = line.partition("|")
            if oid in want or oid.startswith(heads):
                tag, _, value = rest.partition("|")
                if tag:
                    out[oid] = decode_value(tag, value.rstrip("\r\n"))
    cached.parent.mkdir(parents=True, exist_ok=True)
    tmp = cached.with_suffix(".part")
    tmp.write_text(json.dumps(out))
    os.replace(tmp, cached)
    return out
