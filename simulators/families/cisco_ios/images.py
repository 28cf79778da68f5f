"""Image behaviour of the simulated Catalysts and ISRs: flash file systems per stack member, `copy http://...`
pulling real bytes from the bench's image server, `verify /md5` and `/sha512` over what arrived, `boot system`,
`show boot`, and the reload onto whatever the boot variable names.

A simulated image is a file whose first line names its family and version (`make_image`); the rest is
deterministic filler. The unit stores what it received as digests and that header (the bytes themselves are
not kept), so `verify` prints the digest of the bytes that really crossed the socket: under
`image_copy_corrupt` one byte is flipped on the way in and the digest really differs. `old_image` makes the
unit run an older release than the family's target, with the release it shipped with left in flash.
"""

from __future__ import annotations

import asyncio
import hashlib
import random
import re
import time
from dataclasses import replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from simulators.families.cisco_ios.cli import IosSession
    from simulators.families.cisco_ios.device import Device, FlashFile

MAGIC = b"BENCH-SIM-IMAGE"
HEADER_SIZE = 256
DEFAULT_IMAGE_SIZE = 4 << 20  # what `bench sim` writes: a few MB, enough to make a transfer worth measuring
READ_TIMEOUT = 30.0

# What `bench sim`'s image library targets per family (newer than any simulated unit runs), and the older
# release `old_image` leaves a unit on.
TARGETS: dict[str, str] = {"cisco_ios_switch": "15.2(7)E10", "cisco_iosxe_switch": "17.9.5",
                           "cisco_ios_router": "17.9.5"}
OLDER: dict[str, str] = {"cisco_ios_switch": "15.0(2)EX5", "cisco_iosxe_switch": "16.9.5",
                         "cisco_ios_router": "16.6.7"}
FLASH_TOTAL: dict[str, int] = {"Catalyst L3 Switch": 11_264_000 * 1024, "ISR": 3_223_551 * 1024}


def image_name(platform: str, family: str, version: str) -> str:
    """The file name the vendor would give that release: c2960x-universalk9-mz.152-7.E10.bin, ..."""
    if family == "cisco_ios_switch":
        m = re.fullmatch(r"(\d+)\.(\d+)\((\w+)\)(\w*)", version)
        compact = f"{m.group(1)}{m.group(2)}-{m.group(3)}.{m.group(4)}" if m else version
        return f"{platform.lower()}-universalk9-mz.{compact}.bin"
    dotted = ".".join(f"{int(p):02d}" if p.isdigit() else p for p in version.split("."))
    prefix = "isr4300-universalk9" if family == "cisco_ios_router" else "cat9k_iosxe"
    return f"{prefix}.{dotted}.SPA.bin"


def header(family: str, version: str) -> bytes:
    return (MAGIC + f" family={family} version={version}\n".encode()).ljust(HEADER_SIZE, b" ")


def read_header(head: bytes) -> tuple[str, str] | None:
    """(family, version) an image's first bytes name, None when they are not a simulated image."""
    m = re.match(rb"BENCH-SIM-IMAGE family=(\S+) version=(\S+)\n", head)
    return (m.group(1).decode(), m.group(2).decode()) if m else None


def make_image(path: str, family: str, version: str, size: int = DEFAULT_IMAGE_SIZE) -> None:
    """A target image file for `bench sim`'s library: the header, then deterministic bytes."""
    rng = random.Random(f"{family}:{version}")
    with open(path, "wb") as fh:
        fh.write(header(family, version))
        left = size - HEADER_SIZE
        while left > 0:
            n = min(left, 1 << 20)
            fh.write(rng.randbytes(n))
            left -= n


# ---------------------------------------------------------------- the model
def apply_old_image(dev: Device) -> None:
    """`old_image`: the unit runs an older release than the target; the one it shipped with stays in flash."""
    from simulators.families.cisco_ios.device import FlashFile

    version = OLDER[dev.family]
    name = image_name(dev.spec.platform, dev.family, version)
    size = dev.spec.image_size * 9 // 10
    dev.flash[name] = FlashFile(size, "Mar 1 1993 00:02:11 +00:00",
                                md5=hashlib.md5(f"{name}:{size}".encode()).hexdigest())
    dev.spec = replace(dev.spec, version=version, image_file=name)
    dev.version = version


def flash_total(dev: Device) -> int:
    from simulators.families.cisco_ios.cli import _FLASH_TOTAL

    return FLASH_TOTAL.get(dev.spec.platform) or _FLASH_TOTAL.get(dev.spec.platform, 64_016_384)


def file_system(dev: Device, name: str) -> dict[str, FlashFile] | None:
    """`flash:`/`flash1:` is the active member's flash (bootflash: on a router); `flashN:` stack member N's."""
    m = re.fullmatch(r"(?:boot)?flash(\d*)", name.lower())
    if m is None:
        return None
    member = int(m.group(1) or 1)
    if member == 1:
        return dev.flash
    if not 1 < member <= dev.spec.stack_members:
        return None
    members = dev.member_flash
    if member not in members:  # each member carries the image it runs, nothing of the active's files
        members[member] = {n: f for n, f in dev.flash.items() if n == dev.spec.image_file}
        # ... and what a previous owner left on that member (owner_data: one flash per member, not two)
        from simulators.families.cisco_ios.device import FlashFile

        owner = getattr(dev, "owner", None)
        left = owner.member_flash.get(member, {}) if owner is not None else {}
        members[member].update({n: FlashFile(size, "Mar 1 1993 00:02:11 +00:00") for n, size in left.items()
                                if n not in members[member] and n != dev.spec.image_file})
    return members[member]


def free_bytes(dev: Device, fs: dict[str, FlashFile]) -> int:
    used = sum(f.size + sum(c.size for c in f.children.values()) for f in fs.values())
    return flash_total(dev) - used


def _split(path: str) -> tuple[str, str]:
    fs, _, name = path.partition(":")
    return fs, name.strip("/")


def boot_variable(dev: Device) -> str:
    return dev.boot_system


def show_boot(dev: Device) -> str:
    boot = boot_variable(dev) or f"flash:/{dev.spec.image_file}"
    if dev.spec.variant != "ios":
        return (f"BOOT variable = {boot};\nCONFIG_FILE variable = \nBAUD variable = 9600\n"
                "ENABLE_BREAK variable does not exist\nMANUAL_BOOT variable = no\n")
    out = []
    for m in range(1, dev.spec.stack_members + 1):
        if dev.spec.stack_members > 1:
            out += [f"Switch {m}", "-" * 8]
        out += [f"BOOT path-list      : {boot}", "Config file         : flash:/config.text",
                "Private Config file : flash:/private-config.text", "Enable Break        : no",
                "Manual Boot         : no", "HELPER path-list    : ", "Auto upgrade        : yes",
                "NVRAM/Config file", "      buffer size:   524288", ""]
    return "\n".join(out) + "\n"


def configure_boot(dev: Device, args: list[str], negate: bool = False) -> str:
    """`boot system [switch all|N] flash:x.bin` sets the boot variable (at once, as a Catalyst does); `no boot
    system` clears it."""
    if negate:
        dev.boot_system = ""
        return ""
    paths = [a for a in args[1:] if ":" in a]
    if args[:1] != ["system"] or not paths:
        return "% Incomplete command.\n\n"
    dev.boot_system = paths[0]
    return ""


def boot(dev: Device) -> None:
    """At a reload: run the image the boot variable names when every member holds a bootable copy of it
    (its header names this family); otherwise keep the image the unit ran, as a switch that cannot load the
    first file tries the next."""
    path = boot_variable(dev)
    if not path:
        return
    fs_name, name = _split(path)
    copies = [file_system(dev, fs_name if m == 1 else f"flash{m}") for m in range(1, dev.spec.stack_members + 1)]
    images = [(fs or {}).get(name) for fs in copies]
    found = [f.image if f is not None else None for f in images]
    if not found or any(f is None or f[0] != dev.family for f in found):
        return
    version = found[0][1]  # type: ignore[index]
    dev.spec = replace(dev.spec, version=version, image_file=name)
    dev.version = version


# ---------------------------------------------------------------- the CLI
_COPY = re.compile(r"^\s*copy\s+(?P<src>(?:https?|tftp)://\S+)\s+(?P<dst>\S+:\S*)\s*$", re.I)
_COPY_XMODEM = re.compile(r"^\s*copy\s+xmodem:\s+(?P<dst>\S+:\S*)\s*$", re.I)
_FS_ARG = re.compile(r"^(?:boot)?flash\d+:", re.I)


def exec_line(session: IosSession, line: str) -> str | None:
    """The image commands this module answers in privileged exec; None: not one of them."""
    if session.mode != "priv":
        return None
    m = _COPY.match(line)
    if m:
        return _copy(session, m["src"], m["dst"])
    m = _COPY_XMODEM.match(line)
    if m:
        return _copy_xmodem(session, m["dst"])
    words = line.split()
    if len(words) >= 2 and words[0].lower() in ("dir", "di") and _FS_ARG.match(words[-1]):
        return _dir(session.dev, words[-1])
    if words and "verify".startswith(words[0].lower()) and len(words[0]) >= 3:
        path = next((w for w in words[1:] if ":" in w), "")
        algo = next((w for w in words[1:] if w in ("/md5", "/sha512")), None)
        fs_name, name = _split(path)
        fs = file_system(session.dev, fs_name) if path else None
        node = fs.get(name) if fs is not None else None
        if algo and node is not None and (node.sha512 or fs is not session.dev.flash):
            return _verify(path, node, algo)
    if words and words[0].lower() == "delete" and any(_FS_ARG.match(w) for w in words[1:]):
        path = next(w for w in words[1:] if _FS_ARG.match(w))
        fs_name, name = _split(path)
        fs = file_system(session.dev, fs_name)
        if fs is None or name not in fs:
            return f"%Error deleting {path} (No such file or directory)\n"
        del fs[name]
        return ""
    return None


def _dir(dev: Device, arg: str) -> str:
    fs_name, _ = _split(arg)
    fs = file_system(dev, fs_name)
    if fs is None:
        return f"%Error opening {arg} (No such device)\n"
    out = [f"Directory of {fs_name}:/", ""]
    for i, (name, f) in enumerate(fs.items(), 2):
        out.append(f"{i:>5}  {'drwx' if f.is_dir else '-rwx'} {f.size:>12}  {f.date:>26}  {name}")
    out += ["", f"{flash_total(dev)} bytes total ({free_bytes(dev, fs)} bytes free)"]
    return "\n".join(out) + "\n"


def _verify(path: str, node: FlashFile, algo: str) -> str:
    if algo == "/md5":
        digest = node.md5 or hashlib.md5(f"{path}:{node.size}".encode()).hexdigest()
    else:
        digest = node.sha512 or hashlib.sha512(f"{path}:{node.size}".encode()).hexdigest()
    dots = "." * max(1, min(60, node.size // 400_000))
    return f"{dots}Done!\nverify {algo} ({path}) = {digest}\n\n"


def _copy(session: IosSession, src: str, dst: str) -> str:
    dev = session.dev
    fs_name, name = _split(dst)
    fs = file_system(dev, fs_name)
    if fs is None:
        return f"%Error opening {dst} (No such device)\n"
    name = name or src.rstrip("/").rsplit("/", 1)[-1]

    def start(answer: str) -> str:
        target = answer.strip() or name

        def go(_confirm: str = "") -> str:
            session.work = _pull(dev, fs, src, target)
            return f"Accessing {src}...\n"

        if target in fs:
            return session._ask("%Warning:There is a file already existing with this name\n"
                                "Do you want to over write? [confirm]", go)
        return go()

    return session._ask(f"Destination filename [{name}]? ", start)


def _digest(hashers: tuple[Any, ...], chunk: bytes) -> None:
    for h in hashers:
        h.update(chunk)


async def _pull(dev: Device, fs: dict[str, FlashFile], src: str, name: str) -> str:
    """Fetch `src` over a real connection, hashing what arrives; the answer IOS prints."""

    url = urlsplit(src)
    t0 = time.monotonic()
    if url.scheme.lower() == "tftp":
        return await _pull_tftp(dev, fs, src, name, t0)
    if url.scheme.lower() != "http":
        return f"%Error opening {src} (Protocol not supported by this unit's simulator; use http or tftp)\n"
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(url.hostname, url.port or 80, limit=1 << 20),
                                                READ_TIMEOUT)
    except (OSError, TimeoutError):
        return f"%Error opening {src} (Connection refused)\n"
    try:
        writer.write(f"GET {url.path or '/'} HTTP/1.1\r\nHost: {url.netloc}\r\nUser-Agent: cisco-IOS\r\n"
                     "Connection: close\r\n\r\n".encode())
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), READ_TIMEOUT)
        status = head.split(b"\r\n", 1)[0].split()
        if len(status) < 2 or status[1] != b"200":
            return f"%Error opening {src} (No such file or directory)\n"
        length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
        size = int(length.group(1)) if length else None
        if size is not None and size > free_bytes(dev, fs) + (fs[name].size if name in fs else 0):
            return f"%Error copying {src} (Not enough space on device)\n"
        md5, sha512 = hashlib.md5(), hashlib.sha512()
        loop = asyncio.get_running_loop()
        got, first = 0, b""
        corrupt = any(f.name == "image_copy_corrupt" for f in dev.faults)
        flip_at = (size or 1 << 20) // 2
        while True:
            chunk = await asyncio.wait_for(reader.read(1 << 20), READ_TIMEOUT)
            if not chunk:
                break
            if corrupt and got <= flip_at < got + len(chunk):  # one bit lost on the way in
                i = flip_at - got
                chunk = chunk[:i] + bytes([chunk[i] ^ 0x10]) + chunk[i + 1:]
            if len(first) < HEADER_SIZE:
                first += chunk[:HEADER_SIZE - len(first)]
            # hashlib lets go of the GIL on big buffers: in a worker thread, 32 units' hashing spreads over
            # the cores (each real unit hashes on its own CPU) instead of queueing on the event loop's.
            await loop.run_in_executor(None, _digest, (md5, sha512), chunk)
            got += len(chunk)
    except (OSError, TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
        return f"%Error reading {src} (I/O error)\n"
    finally:
        writer.close()
    if size is not None and got != size:
        return f"%Error reading {src} (I/O error)\n"
    return _stored(fs, src, name, got, md5, sha512, first, t0)


def _stored(fs: dict[str, FlashFile], src: str, name: str, got: int, md5: Any, sha512: Any, first: bytes,
            t0: float) -> str:
    from simulators.families.cisco_ios.device import FlashFile

    fs[name] = FlashFile(got, time.strftime("%b %d %Y %H:%M:%S +00:00", time.gmtime()), md5=md5.hexdigest(),
                         sha512=sha512.hexdigest(), image=read_header(first))
    secs = max(time.monotonic() - t0, 0.001)
    bangs = "!" * max(1, min(70, got // 65_536))
    return (f"Loading {src} {bangs}\n[OK - {got}/4096 bytes]\n\n"
            f"{got} bytes copied in {secs:.3f} secs ({int(got / secs)} bytes/sec)\n")


# ---------------------------------------------------------------- `bench sim`'s image library
def write_library(families: list[str], directory: str) -> dict[str, dict[str, str]]:
    """One target image per family served (made in `directory`), as the bench file's `images:` entries."""
    import os

    from simulators.family import family as family_of

    out: dict[str, dict[str, str]] = {}
    for name in sorted(set(families) & set(TARGETS)):
        version = TARGETS[name]
        platform = next(iter(family_of(name).models.values())).platform  # type: ignore[attr-defined]
        path = os.path.join(directory, image_name(platform, name, version))
        if not (os.path.exists(path) and os.path.getsize(path) == DEFAULT_IMAGE_SIZE):
            os.makedirs(directory, exist_ok=True)
            make_image(path + ".part", name, version)
            os.replace(path + ".part", path)
        with open(path, "rb") as fh:
            data = fh.read()
        out[name] = {"version": version, "file": path, "sha256": hashlib.sha256(data).hexdigest(),
                     "md5": hashlib.md5(data).hexdigest()}
    return out


class _TftpClient(asyncio.DatagramProtocol):
    def __init__(self) -> None:
        self.packets: asyncio.Queue[tuple[bytes, Any]] = asyncio.Queue()

    def datagram_received(self, data: bytes, addr: Any) -> None:
        self.packets.put_nowait((data, addr))


async def _pull_tftp(dev: Device, fs: dict[str, FlashFile], src: str, name: str, t0: float) -> str:
    """RFC 1350 read with blksize 8192 and tsize (as `ip tftp blocksize 8192` on IOS) over a real UDP socket."""
    import struct

    url = urlsplit(src)
    loop = asyncio.get_running_loop()
    transport, proto = await loop.create_datagram_endpoint(_TftpClient, local_addr=("127.0.0.1", 0))
    server = (url.hostname or "127.0.0.1", url.port or 69)
    md5, sha512 = hashlib.md5(), hashlib.sha512()
    got, first, expect, blksize, peer = 0, b"", 1, 512, None
    corrupt = any(f.name == "image_copy_corrupt" for f in dev.faults)
    request = struct.pack("!H", 1) + f"{url.path.lstrip('/')}\0octet\0blksize\08192\0tsize\00\0".encode()
    last = request
    try:
        transport.sendto(request, server)
        size: int | None = None
        while True:
            for _ in range(5):
                try:
                    data, addr = await asyncio.wait_for(proto.packets.get(), 2.0)
                    break
                except TimeoutError:
                    transport.sendto(last, peer or server)
            else:
                return f"%Error reading {src} (Timed out)\n"
            peer = peer or addr
            opcode = struct.unpack("!H", data[:2])[0]
            if opcode == 5:
                return f"%Error opening {src} (No such file or directory)\n"
            if opcode == 6:  # OACK: the server took our options
                opts = data[2:].split(b"\0")
                found = dict(zip(opts[0::2], opts[1::2], strict=False))
                blksize = int(found.get(b"blksize", b"512"))
                size = int(found[b"tsize"]) if b"tsize" in found else None
                if size is not None and size > free_bytes(dev, fs) + (fs[name].size if name in fs else 0):
                    transport.sendto(struct.pack("!HH", 5, 3) + b"disk full\0", peer)
                    return f"%Error copying {src} (Not enough space on device)\n"
                last = struct.pack("!HH", 4, 0)
                transport.sendto(last, peer)
                continue
            number = struct.unpack("!H", data[2:4])[0]
            chunk = data[4:]
            if opcode == 3 and number == expect % 65536:
                if corrupt and got <= (size or 1 << 20) // 2 < got + len(chunk):
                    i = (size or 1 << 20) // 2 - got
                    chunk = chunk[:i] + bytes([chunk[i] ^ 0x10]) + chunk[i + 1:]
                if len(first) < HEADER_SIZE:
                    first += chunk[:HEADER_SIZE - len(first)]
                md5.update(chunk)
                sha512.update(chunk)
                got += len(chunk)
                expect += 1
            last = struct.pack("!HH", 4, number)
            transport.sendto(last, peer)
            if opcode == 3 and len(data) - 4 < blksize:
                break
    finally:
        transport.close()
    return _stored(fs, src, name, got, md5, sha512, first, t0)


# ---------------------------------------------------------------- ROMMON: an image put back from the boot loader
# Called by the boot loader of simulators/boot.py (`ctl` is its BootController): a Catalyst's `switch:` has
# `set BAUD`, `copy xmodem: flash:FILE` and `boot flash:FILE`; an ISR's `rommon N >` has its variables
# (NAME=value), `tftpdnld` (TFTP from the management port) and `xmodem [-c] [-x] [-s<speed>] FILE`.
BAUDS = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)
TFTPDNLD_VARS = ("IP_ADDRESS", "IP_SUBNET_MASK", "DEFAULT_GATEWAY", "TFTP_SERVER", "TFTP_FILE")


def set_variable(ctl: Any, name: str, value: str) -> str:
    name = name.upper()
    if name == "BAUD":
        if not value.isdigit() or int(value) not in BAUDS:
            return f"invalid baud rate: {value}\n"
        ctl.baud = int(value)
        ctl.set_line_baud(ctl.baud)  # at once: the next prompt already comes at the new speed
        return ""
    ctl.rommon_vars[name] = value
    if name == "BOOT":
        ctl.dev.boot_system = value.split(";")[0]
    return ""


def choose_image(ctl: Any, path: str) -> str:
    """`boot flash:FILE`: the unit will run that file when it is an image of its family; "" or the error."""
    dev = ctl.dev
    fs_name, name = _split(path)
    node = dev.flash.get(name) if fs_name.lower() in ("flash", "bootflash") else None
    if node is None or node.image is None or node.image[0] != dev.family:
        if dev.family == "cisco_ios_router":
            return f'boot: cannot load "{path}"\n'
        return f'Error loading "{path}"\n'
    dev.spec = replace(dev.spec, version=node.image[1], image_file=name)
    dev.version = node.image[1]
    ctl.recovered = name
    return ""


def _receive_into_flash(ctl: Any, name: str, before: str, after_ok: str, after_failed: str,
                        speed: int | None = None, launch: bool = False) -> None:
    """Run an XMODEM receive on the console line into flash:NAME, then print the outcome and the prompt."""
    from simulators.families.cisco_ios.xmodem import Receiver, receive
    from simulators.line import crlf

    dev = ctl.dev
    ctl.busy = True

    async def run() -> None:
        t0 = time.monotonic()
        await ctl.send(crlf(before))
        restore = ctl.baud
        if speed and speed != restore:
            ctl.set_line_baud(speed)
        ctl.inbox = asyncio.Queue()
        corrupt = any(f.name == "image_copy_corrupt" for f in dev.faults)
        rx = Receiver(free_bytes(dev, dev.flash) + (dev.flash[name].size if name in dev.flash else 0),
                      1000 if corrupt else None)
        await receive(rx, ctl.inbox, lambda raw: ctl.send(raw.decode("latin-1")))
        ctl.inbox = None
        if rx.failed:
            text = after_failed.format(why=rx.failed)
        else:
            g = rx.got
            _stored(dev.flash, "xmodem:", name, g.size, g.md5, g.sha512, g.first, t0)
            text = after_ok
        await ctl.send(crlf(text))
        if speed and speed != restore:
            await ctl.send(crlf(f"Returning console speed to {restore}.\n\n"
                                "Please reset your terminal emulator to this speed...\n\n"))
            ctl.set_line_baud(restore)
        ctl.busy = False
        if launch and not rx.failed and not choose_image(ctl, f"flash:{name}"):
            ctl._boot_cmd()
            return
        await ctl.send(ctl.prompt)

    ctl._later(run)


def xmodem_switch(ctl: Any, dest: str) -> str:
    """Catalyst boot loader: `copy xmodem: flash:FILE`, at the line's current BAUD."""
    fs_name, name = _split(dest)
    if fs_name.lower() != "flash" or not name:
        return f"unable to copy xmodem: to {dest}: no such device\n"
    _receive_into_flash(ctl, name, "Begin the Xmodem or Xmodem-1K transfer now...\n",
                        f'\nFile "xmodem:" successfully copied to "{dest}"\n\n',
                        f"\nxmodem: {{why}}\nunable to copy xmodem: to {dest}\n\n")
    return ""


def xmodem_router(ctl: Any, args: list[str]) -> str:
    """ISR ROMMON: `xmodem [-c] [-y] [-r] [-x] [-s<speed>] FILE` (-s: the download's speed; -x: do not launch)."""
    flags = "".join(a[1:] for a in args if a.startswith("-"))
    names = [a for a in args if not a.startswith("-")]
    speed = ctl.baud
    for a in args:
        if a.startswith("-s"):
            if not a[2:].isdigit() or int(a[2:]) not in BAUDS:
                return f"xmodem: illegal speed {a[2:]}\n"
            speed = int(a[2:])
    if len(names) != 1 or "y" in flags:
        return "usage: xmodem [-cyrxs<speed>] <destination filename>\n"
    name = names[0].split(":", 1)[-1].lstrip("/")
    before = "Do not start the sending program yet...\n"
    if speed != ctl.baud:
        before += (f"Download will be performed at {speed}. Make sure your terminal emulator is set to this "
                   "speed before sending file.\n")
    before += f"Ready to receive file {name} ...\n"
    _receive_into_flash(ctl, name, before, "\nDownload Complete!\n\n", "\nxmodem: {why}\nDownload failed.\n\n",
                        speed=speed, launch="x" not in flags)
    return ""


def tftpdnld(ctl: Any, args: list[str]) -> str:
    """ISR ROMMON: the file TFTP_FILE from TFTP_SERVER over the management port, written to flash (a real TFTP
    read over loopback; the simulator's `TFTP_PORT`, when set, is the server's port, 69 otherwise)."""
    v = ctl.rommon_vars
    missing = [n for n in TFTPDNLD_VARS if not v.get(n)]
    if missing:
        return (f"Missing or illegal ip address for variable {missing[0]}\nIllegal IP address.\n\n"
                "usage: tftpdnld [-hr]\n  Use this command for disaster recovery only to recover an image via TFTP.\n"
                "  Monitor variables are used to set up parameters for the transfer.\n")
    summary = "".join(f"{n:>20}: {v[n]}\n" for n in TFTPDNLD_VARS)

    def answer(a: str) -> None:
        if not a.lower().startswith("y"):
            ctl._write("\n" + ctl.prompt)
            return
        ctl.busy = True
        ctl.dev.flash.clear()  # as it warned: the partition is erased before the file is written
        name = v["TFTP_FILE"].lstrip("/").rsplit("/", 1)[-1]
        src = f"tftp://{v['TFTP_SERVER']}:{v.get('TFTP_PORT', '69')}/{v['TFTP_FILE'].lstrip('/')}"

        async def run() -> None:
            from simulators.line import crlf

            await ctl.send(crlf(f"\nReceiving {v['TFTP_FILE']} from {v['TFTP_SERVER']} !!!!!!!!!!"))
            said = await _pull_tftp(ctl.dev, ctl.dev.flash, src, name, time.monotonic())
            ctl.busy = False
            if said.startswith("%Error"):
                why = said.strip().removeprefix("%Error").strip()
                text = f"\nFile reception failed: {why}\n\n"
            else:
                text = (f"!!!!!!!!\nFile reception completed.\nValidating checksum.\n"
                        f"Copying file {name} to flash:.\nProgram flash location 0x60000000\n\n")
            await ctl.send(crlf(text) + ctl.prompt)

        ctl._later(run)

    ctl._ask = answer
    return (f"{summary}\nInvoke this command for disaster recovery only.\n"
            "WARNING: all existing data in all partitions on flash: will be lost!\n"
            "Do you wish to continue? y/n:  [n]:  ")


# ---------------------------------------------------------------- IOS: `copy xmodem:` on the console line
def _copy_xmodem(session: IosSession, dst: str) -> str:
    """The image over the console (no network): only on the console line, whose bytes the receive then owns."""
    from simulators.families.cisco_ios.xmodem import Receiver, receive

    dev = session.dev
    line = getattr(session, "console_line", None)  # the BootController, set on the console's own session
    if not session.console or line is None:
        return "%Error: xmodem: is only available on the console line\n"
    fs_name, name = _split(dst)
    fs = file_system(dev, fs_name)
    if fs is None or not name:
        return f"%Error opening {dst} (No such device)\n"

    def proceed(_confirm: str = "") -> str:
        async def work() -> str:
            t0 = time.monotonic()
            line.inbox = asyncio.Queue()
            corrupt = any(f.name == "image_copy_corrupt" for f in dev.faults)
            rx = Receiver(free_bytes(dev, fs) + (fs[name].size if name in fs else 0), 1000 if corrupt else None)
            await asyncio.sleep(0)
            await receive(rx, line.inbox, lambda raw: line.send(raw.decode("latin-1")))
            line.inbox = None
            if rx.failed:
                return f"\n%Error copying xmodem: to {dst} ({rx.failed})\n"
            g = rx.got
            return "\n" + _stored(fs, "xmodem:", name, g.size, g.md5, g.sha512, g.first, t0)

        session.work = work()
        return "Ready to receive file...........\n"

    def start(answer: str) -> str:
        nonlocal name
        name = answer.strip() or name
        return session._ask("**** WARNING ****\nx/ymodem is a slow transfer protocol limited to the current speed\n"
                            "settings of the auxiliary/console ports. The use of the Management\n"
                            "Ethernet port is recommended whenever possible.\n\nProceed? [confirm]", proceed)

    return session._ask(f"Destination filename [{name}]? ", start)


def configure_speed(session: IosSession, line_name: str, args: list[str]) -> str:
    """`speed N` under `line con 0`: the console runs at N from the next character on (its prompt already)."""
    if not args or not args[0].isdigit() or int(args[0]) not in BAUDS:
        return "% Invalid input detected at '^' marker.\n\n"
    line = getattr(session, "console_line", None)
    if line_name.replace(" ", "") in ("con0", "console0") and line is not None:
        line.set_line_baud(int(args[0]))
    return ""
