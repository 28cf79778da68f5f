"""The bench file's `images:` library (bad input is one line, exit 2, before anything connects) and the image
server the units pull from (a real HTTP server on loopback)."""

from __future__ import annotations

import asyncio
import copy
import hashlib
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
import yaml

from bench.cli import main
from bench.images.library import ImageEntry, ImageLibrary
from bench.images.server import ImageServer, serving

BODY = b"BENCH-SIM-IMAGE family=cisco_ios_switch version=15.2(7)E10\n" + bytes(range(256)) * 64
SHA256 = hashlib.sha256(BODY).hexdigest()
MD5 = hashlib.md5(BODY).hexdigest()


def _base(tmp: Path) -> dict[str, Any]:
    (tmp / "img.bin").write_bytes(BODY)
    return {"bench": "t", "credentials": {"f": {"username": "u", "password": "p"}},
            "slots": [{"id": "S1", "ssh": "127.0.0.1:1", "credentials": ["f"]}],
            "images": {"cisco_ios_switch": {"version": "15.2(7)E10", "file": "img.bin", "sha256": SHA256}}}


def _entry(d: dict[str, Any]) -> dict[str, Any]:
    return d["images"]["cisco_ios_switch"]


BAD: dict[str, Any] = {
    "images a list": lambda d: d.update(images=["img.bin"]),
    "file missing": lambda d: _entry(d).update(file="nowhere.bin"),
    "file a directory": lambda d: _entry(d).update(file="."),
    "no version": lambda d: _entry(d).pop("version"),
    "no digest": lambda d: _entry(d).pop("sha256"),
    "sha256 too short": lambda d: _entry(d).update(sha256="abc123"),
    "md5 not hex": lambda d: _entry(d).update(md5="z" * 32),
    "sha256 of another file": lambda d: _entry(d).update(sha256="0" * 64),
    "md5 of another file": lambda d: _entry(d).update(md5="f" * 32),
    "unknown key in an entry": lambda d: _entry(d).update(sha1="0" * 40),
    "entry a string": lambda d: d["images"].update(cisco_ios_switch="img.bin"),
    "key with a space": lambda d: d["images"].update({"WS C2960 *": copy.deepcopy(_entry(d))}),
    "version with an escape": lambda d: _entry(d).update(version="15.2\x1b[2J"),
    "serve not host:port": lambda d: d["images"].update(serve="127.0.0.1:notaport"),
    "two files of one name": lambda d: d["images"].update({"WS-C3750X-*": {**_entry(d), "file": "sub/img.bin"}}),
}


@pytest.mark.parametrize("name", list(BAD))
def test_a_bad_image_library_is_one_line_exit_2_and_nothing_written(name: str, tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    doc = _base(tmp_path)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "img.bin").write_bytes(BODY)
    BAD[name](doc)
    path = tmp_path / "bench.yaml"
    path.write_text(yaml.safe_dump(doc))
    db = tmp_path / "store.db"
    try:
        code = main(["run", str(path), "--headless", "--db", f"sqlite:///{db}"])
    except SystemExit as e:
        code = int(e.code or 0)
    err = capsys.readouterr().err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert code == 2 and len(lines) == 1 and "Traceback" not in err, (name, code, err[-400:])
    assert "images" in lines[0] and "\x1b" not in err, lines[0]
    assert not db.exists(), f"{name}: the store was written although the library is wrong"


def test_a_good_library_reads_relative_files_and_computes_the_digests(tmp_path: Path) -> None:
    from bench.config import load_bench

    doc = _base(tmp_path)
    doc["images"]["serve"] = "127.0.0.1:8069"
    path = tmp_path / "bench.yaml"
    path.write_text(yaml.safe_dump(doc))
    lib = load_bench(path).images
    entry = lib.for_unit("cisco_ios_switch", "WS-C2960X-24TS-L")
    assert entry is not None and entry.file == str(tmp_path / "img.bin") and entry.size == len(BODY)
    assert entry.computed["md5"] == MD5 and entry.computed["sha512"] == hashlib.sha512(BODY).hexdigest()
    assert (lib.serve_host, lib.serve_port) == ("127.0.0.1", 8069)


def _get(url: str, method: str = "GET") -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, method=method), timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, b""


def test_the_server_serves_library_files_and_nothing_else(tmp_path: Path) -> None:
    (tmp_path / "img.bin").write_bytes(BODY)
    (tmp_path / "secret.txt").write_text("not for units")

    async def go() -> list[tuple[int, bytes]]:
        server = await ImageServer({"img.bin": str(tmp_path / "img.bin")}).start()
        try:
            base = f"http://127.0.0.1:{server.port}"
            urls = [(f"{base}/img.bin", "GET"), (f"{base}/img.bin", "HEAD"), (f"{base}/secret.txt", "GET"),
                    (f"{base}/../secret.txt", "GET"), (f"{base}/%2e%2e/secret.txt", "GET"), (f"{base}/img.bin", "PUT")]
            got = await asyncio.gather(*(asyncio.to_thread(_get, u, m) for u, m in urls))
            assert server.stats.transfers == 1 and server.stats.bytes_sent == len(BODY)
            return list(got)
        finally:
            await server.stop()

    got = asyncio.run(go())
    assert got[0] == (200, BODY) and got[1] == (200, b"")
    assert [code for code, _ in got[2:]] == [404, 404, 404, 405]


def test_units_of_one_run_share_one_server_that_stops_with_the_last(tmp_path: Path) -> None:
    (tmp_path / "img.bin").write_bytes(BODY)
    lib = ImageLibrary((ImageEntry("cisco_ios_switch", "1", str(tmp_path / "img.bin"), len(BODY)),))

    async def go() -> tuple[int, int, int]:
        async with serving(lib) as a, serving(lib) as b:
            assert a is b
            port = a.port
            status, _ = await asyncio.to_thread(_get, a.url("img.bin"))
        try:
            await asyncio.open_connection("127.0.0.1", port)
            after = 1
        except OSError:
            after = 0
        return status, port, after

    status, port, after = asyncio.run(go())
    assert status == 200 and port > 0 and after == 0


def _tftp_read(port: int, name: str, options: dict[str, str]) -> tuple[bytes, list[int]]:
    """A minimal RFC 1350 client: the file's bytes and the opcodes seen (ERROR: 5)."""
    import socket
    import struct

    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(5)
    opts = b"".join(f"{k}\0{v}\0".encode() for k, v in options.items())
    s.sendto(struct.pack("!H", 1) + name.encode() + b"\0octet\0" + opts, ("127.0.0.1", port))
    data, seen, blksize = b"", [], 512
    while True:
        packet, peer = s.recvfrom(70000)
        opcode = struct.unpack("!H", packet[:2])[0]
        seen.append(opcode)
        if opcode == 5:
            return data, seen
        if opcode == 6:
            fields = packet[2:].split(b"\0")
            blksize = int(dict(zip(fields[0::2], fields[1::2], strict=False)).get(b"blksize", b"512"))
            s.sendto(struct.pack("!HH", 4, 0), peer)
            continue
        data += packet[4:]
        s.sendto(struct.pack("!HH", 4, struct.unpack("!H", packet[2:4])[0]), peer)
        if len(packet) - 4 < blksize:
            return data, seen


def test_the_tftp_server_beside_it_serves_reads_of_library_files_only(tmp_path: Path) -> None:
    import socket
    import struct

    (tmp_path / "img.bin").write_bytes(BODY)

    async def go() -> list[tuple[bytes, list[int]]]:
        server = await ImageServer({"img.bin": str(tmp_path / "img.bin")}).start()
        try:
            assert server.tftp is not None and server.tftp_url("img.bin").startswith("tftp://127.0.0.1:")
            port = server.tftp.port
            got = await asyncio.gather(
                asyncio.to_thread(_tftp_read, port, "img.bin", {}),
                asyncio.to_thread(_tftp_read, port, "img.bin", {"blksize": "8192", "tsize": "0"}),
                asyncio.to_thread(_tftp_read, port, "../secret.txt", {}))

            def write_request() -> int:
                with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                    s.settimeout(5)
                    s.sendto(struct.pack("!H", 2) + b"img.bin\0octet\0", ("127.0.0.1", port))
                    return int(struct.unpack("!HH", s.recvfrom(600)[0][:4])[1])
            assert await asyncio.to_thread(write_request) == 2  # access violation: read-only
            assert server.tftp.transfers == 2
            return list(got)
        finally:
            await server.stop()

    plain, big_blocks, outside = asyncio.run(go())
    assert plain[0] == BODY and set(plain[1]) == {3}
    assert big_blocks[0] == BODY and big_blocks[1][0] == 6  # OACK, then 8 KiB blocks
    assert outside == (b"", [5])


def test_an_image_server_that_cannot_listen_is_the_steps_error_naming_the_address(tmp_path: Path) -> None:
    import socket

    from bench.drivers.testing import Script
    from bench.model import Identity, Outcome
    from bench.tests_hw import image
    from bench.tests_hw.base import SlotInfo, TestContext

    (tmp_path / "img.bin").write_bytes(BODY)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        lib = ImageLibrary((ImageEntry("cisco_ios_switch", "1", str(tmp_path / "img.bin"), len(BODY)),),
                           "127.0.0.1", port)
        script = Script([("show version", "Cisco IOS Software, C2960X Software, Version 15.2(7)E4,")])
        ctx = TestContext(SlotInfo("A1"), "cisco_ios_switch", {"library": lib}, Identity(), cli=script.channel())
        r = asyncio.run(image.run(ctx))
    assert r.outcome is Outcome.ERROR and f"127.0.0.1:{port}" in r.summary, r.summary
    assert script.sent == []
