"""XMODEM between the bench's sender (bench/images/xmodem.py) and a simulated Catalyst boot loader's receiver
(simulators/families/cisco_ios/xmodem.py) over the simulator's real console pty: blocks, CRC-16, a block hit by
line noise sent again, and the digest the unit computes over what arrived."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import serial
from helpers.loop_thread import LoopThread, read_until

from bench.images import xmodem
from simulators.console import ConsoleLine
from simulators.families.cisco_ios import xmodem as sim_xmodem
from simulators.families.cisco_ios.device import Device
from simulators.families.cisco_ios.images import make_image
from simulators.faults import parse_faults


def test_crc16_is_the_xmodem_one_on_both_sides() -> None:
    assert xmodem.crc16(b"123456789") == 0x31C3  # the CRC-16/XMODEM check value
    assert sim_xmodem._crc(b"123456789") == 0x31C3


def test_a_packet_is_framed_as_the_protocol_says() -> None:
    raw = xmodem.packet(1, b"abc", use_crc=True)
    assert raw[:3] == bytes((xmodem.SOH, 1, 254)) and len(raw) == 3 + 128 + 2
    assert raw[3:6] == b"abc" and raw[6:131] == bytes((xmodem.SUB,)) * 125
    big = xmodem.packet(256, b"x" * 1000, use_crc=True)
    assert big[:3] == bytes((xmodem.STX, 0, 255)) and len(big) == 3 + 1024 + 2


class NoisyLine:
    """The bench's side of the console with one burst of line noise: the first time block `hit` crosses, one
    of its bytes arrives changed (what a long unshielded cable at 115200 baud does now and then)."""

    def __init__(self, port: serial.SerialBase, hit: int) -> None:
        self.port, self.hit, self.blocks, self.noisy = port, hit, 0, 0

    def read(self, size: int = 1) -> bytes:
        return bytes(self.port.read(size))

    def write(self, data: bytes) -> int:
        if data[:1] in (b"\x01", b"\x02"):
            self.blocks += 1
            if self.blocks == self.hit:
                self.noisy += 1
                data = data[:40] + bytes((data[40] ^ 0x04,)) + data[41:]
        return int(self.port.write(data) or 0)


@pytest.fixture()
def rommon_line() -> Iterator[tuple[Device, ConsoleLine, serial.SerialBase]]:
    lt = LoopThread()
    dev = Device("S1", 1, 5, "WS-C2960X-24PS-L", parse_faults("S1:stuck_rommon"))
    con = ConsoleLine(dev, baud=115200, time_scale=0.05)
    lt.run(con.start())
    assert con.pty_path is not None
    port = serial.Serial(con.pty_path, 115200, timeout=0.05)
    yield dev, con, port
    port.close()
    lt.run(con.stop())
    lt.close()


def _say(port: serial.SerialBase, text: str, pattern: bytes, timeout: float = 10) -> bytes:
    port.write(text.encode() + b"\r")
    return read_until(lambda: bytes(port.read(port.in_waiting or 1)), pattern, timeout)


def test_a_block_hit_by_noise_is_sent_again_and_the_unit_stores_the_file_intact(
        rommon_line: tuple[Device, ConsoleLine, Any], tmp_path: Path) -> None:
    dev, _con, port = rommon_line
    image = tmp_path / "c2960x-universalk9-mz.152-7.E10.bin"
    make_image(str(image), "cisco_ios_switch", "15.2(7)E10", size=20_000)  # 20 blocks of 1 KiB
    data = image.read_bytes()
    _say(port, "flash_init", rb"switch: $")
    head = _say(port, f"copy xmodem: flash:{image.name}", rb"transfer now\.\.\.\r\n")
    line = NoisyLine(port, hit=3)
    sent = xmodem.send(line, data, initial=head.split(b"transfer now...", 1)[1])
    assert line.noisy == 1 and sent.retransmits == 1, sent  # the receiver's CRC caught it: NAK, sent again
    assert sent.crc and sent.blocks == 20 and sent.bytes_sent == len(data)
    tail = read_until(lambda: bytes(port.read(port.in_waiting or 1)), rb"switch: $", 10)
    assert f'successfully copied to "flash:{image.name}"'.encode() in tail
    stored = dev.flash[image.name]
    # The unit's digest is of the bytes that arrived: the padding dropped, the noisy block's bad copy refused.
    assert stored.size == len(data) and stored.md5 == hashlib.md5(data).hexdigest()
    assert stored.sha512 == hashlib.sha512(data).hexdigest()
    assert stored.image == ("cisco_ios_switch", "15.2(7)E10")


def test_a_receiver_that_never_starts_is_reported_not_waited_on_forever() -> None:
    class Silent:
        def read(self, size: int = 1) -> bytes:
            return b""

        def write(self, data: bytes) -> int:
            return len(data)

    with pytest.raises(xmodem.XmodemError, match="did not start within 0.2 s"):
        xmodem.send(Silent(), b"abc", start_timeout=0.2)


def test_too_much_noise_cancels_with_the_reason(rommon_line: tuple[Device, ConsoleLine, Any],
                                               tmp_path: Path) -> None:
    dev, _con, port = rommon_line

    class Broken(NoisyLine):
        def write(self, data: bytes) -> int:
            if data[:1] in (b"\x01", b"\x02"):
                data = data[:40] + bytes((data[40] ^ 0x04,)) + data[41:]  # every block, every time
            return int(self.port.write(data) or 0)

    _say(port, "flash_init", rb"switch: $")
    head = _say(port, "copy xmodem: flash:x.bin", rb"transfer now\.\.\.\r\n")
    with pytest.raises(xmodem.XmodemError, match="cancelled|not acknowledged"):
        xmodem.send(Broken(port, 0), b"z" * 3000, initial=head.split(b"transfer now...", 1)[1])
    assert "x.bin" not in dev.flash


def test_padding_is_what_the_framing_adds_after_the_last_byte() -> None:
    for size in (1, 128, 129, 1024, 1100, 20_000, 48 * 1024):
        data = b"x" * size
        framed = sum(len(xmodem.packet(1, data[i:i + 1024], True)) - 5 for i in range(0, size, 1024))
        assert framed - size == xmodem.padding(size), size
