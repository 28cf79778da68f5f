"""The unit's 4x2 inch test label: ZPL for a Zebra printer at 203 dpi, and a PNG preview of the same label.

One layout (a list of elements in printer dots) is rendered twice, so the preview shows what the printer
prints: the same text at the same places, the same Code 128 bars (encoded here, subset B) and the same
QR code (segno, error correction M, as `^BQ` is told). The QR carries
`BENCH|SERIAL|FUNCTIONAL/COSMETIC/LETTER|DISPOSITION|RECORD_HASH`.

Device text reaches the printer only through `field_text`: ZPL's command prefixes (^ and ~), control
characters and escape sequences are removed, so a hostile model string cannot inject printer commands.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

import segno
from PIL import Image, ImageDraw, ImageFont

from bench.drivers.parsing import sanitize
from bench.reports.unit import UnitReport, grade_codes
from bench.reports.why import telling_reason

DPI = 203
NOT_VERIFIED = "NOT VERIFIED"  # printed instead of a disposition when the unit's record does not hold
WIDTH, HEIGHT = 812, 406  # 4 x 2 inches at 203 dpi
CHAR_WIDTH = 0.56  # average advance of ZPL font 0 (and of the preview font) per dot of height
FONT_FILES = ("/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed-Bold.ttf",
              "/usr/share/fonts/truetype/liberation/LiberationSansNarrow-Bold.ttf")

# Code 128 bar/space widths of symbol values 0..106 (106 = stop, with its final 2-module bar).
CODE128 = (
    "212222 222122 222221 121223 121322 131222 122213 122312 132212 221213 221312 231212 112232 122132 122231 "
    "113222 123122 123221 223211 221132 221231 213212 223112 312131 311222 321122 321221 312212 322112 322211 "
    "212123 212321 232121 111323 131123 131321 112313 132113 132311 211313 231113 231311 112133 112331 132131 "
    "113123 113321 133121 313121 211331 231131 213113 213311 213131 311123 311321 331121 312113 312311 332111 "
    "314111 221411 431111 111224 111422 121124 121421 141122 141221 112214 112412 122114 122411 142112 142211 "
    "241211 221114 413111 241112 134111 111242 121142 121241 114212 124112 124211 411212 421112 421211 212141 "
    "214121 412121 111143 111341 131141 114113 114311 411113 411311 113141 114131 311141 411131 211412 211214 "
    "211232 2331112"
).split()
START_B = 104
OUTCOMES = ("PASS", "WARN", "FAIL", "NOT_RUN", "ERROR")
WHY_LIMIT = 60  # characters of the deciding reason on a label: one line at no less than 16 dots
_BARCODE_SAFE = re.compile(r"[ -=?-\]_-}]+")  # printable ASCII without ^ ~ > (ZPL prefixes, ^BC invocations)


@dataclass
class Text:
    x: int
    y: int
    height: int
    text: str
    max_width: int

    def fitted_height(self) -> int:
        """Smaller type for long text, so it fits its box on the printer and in the preview alike."""
        if not self.text:
            return self.height
        return max(14, min(self.height, int(self.max_width / (CHAR_WIDTH * len(self.text)))))


@dataclass
class Barcode:
    x: int
    y: int
    height: int
    module: int
    data: str


@dataclass
class QRCode:
    x: int
    y: int
    magnification: int
    data: str


@dataclass
class Box:
    x: int
    y: int
    width: int
    height: int


Element = Text | Barcode | QRCode | Box


def field_text(value: object, limit: int = 80) -> str:
    """Device or user text made safe inside a ZPL field: no ^ or ~, no controls, one line, capped."""
    text = sanitize(str(value)).replace("\n", " ").replace("\t", " ")
    text = text.replace("^", "").replace("~", "")
    return " ".join(text.split())[:limit]


def shown_codes(unit: UnitReport) -> tuple[str, str, str, str]:
    """The grade as the label prints it: a record that no longer holds backs no grade, so none is shown."""
    if unit.record is not None and not unit.record.holds:
        return "-", "-", "-", NOT_VERIFIED
    return grade_codes(unit.grade)


def qr_payload(unit: UnitReport) -> str:
    functional, cosmetic, letter, disposition = shown_codes(unit)

    def part(v: str) -> str:
        return field_text(v).replace("|", "/")

    record = unit.record.hash if unit.record is not None else "NOT-SEALED"
    return "|".join([part(unit.run.bench), part(unit.serial), f"{functional}/{cosmetic}/{letter}", disposition,
                     record])


def code128_modules(data: str) -> list[int]:
    """Bar/space widths (in modules) of `data` in Code 128 subset B, start to stop, check symbol included."""
    values = [START_B] + [ord(c) - 32 for c in data]
    check = (values[0] + sum(i * v for i, v in enumerate(values[1:], start=1))) % 103
    return [int(w) for v in [*values, check, 106] for w in CODE128[v]]


def barcode_module(data: str, max_width: int) -> int:
    """The widest module (2 or 3 dots; 1 for very long serials) that keeps the symbol within max_width."""
    total = sum(code128_modules(data))
    return next((m for m in (3, 2) if total * m <= max_width), 1)


def layout(unit: UnitReport) -> list[Element]:
    functional, cosmetic, letter, disposition = shown_codes(unit)
    outcomes = [str(t["outcome"]) for t in unit.tests]
    results = ", ".join(f"{outcomes.count(o)} {o.lower().replace('_', ' ')}" for o in OUTCOMES
                        if o in outcomes) or "no tests"
    serial = field_text(unit.serial, 40)
    left = 540
    out: list[Element] = [
        Text(24, 18, 42, field_text(unit.model or "unknown model"), left),
        Text(24, 66, 30, f"S/N {serial}", left),
    ]
    if serial and _BARCODE_SAFE.fullmatch(serial):
        out.append(Barcode(34, 102, 64, barcode_module(serial, left - 20), serial))
    else:
        out.append(Text(24, 118, 24, "(serial cannot be printed as a barcode)", left))
    out += [
        Box(24, 182, left, 3),
        Text(24, 194, 104, letter, 80),
        Text(118, 200, 40, f"{functional if functional != '-' else 'no F code'} / {cosmetic}", left - 94),
        Text(118, 246, 40, disposition, left - 94),
        Box(24, 300, left, 2),
    ]
    tested = f"Tested {unit.tested_on}  bench {field_text(unit.run.bench, 30)}  run {unit.run.id}"
    record = f"Record {unit.record.hash[:24]}" if unit.record else "NOT SEALED"
    why = telling_reason(unit.grade, WHY_LIMIT)
    if disposition == NOT_VERIFIED:
        record, why = f"Record {unit.record.hash[:16]} DOES NOT HOLD" if unit.record else record, \
            "the stored grade differs from the sealed record: do not sell, run bench verify"
    if why:  # a unit not for resale says why on its own label, first under the grade
        out += [Text(24, 305, 24, f"Why: {why}", left), Text(24, 332, 20, tested, left),
                Text(24, 355, 20, f"Result: {results}", left), Text(24, 378, 20, record, left)]
    else:
        out += [Text(24, 312, 24, tested, left), Text(24, 342, 24, f"Result: {results}", left),
                Text(24, 372, 22, record, left)]
    payload = qr_payload(unit)
    modules = _qr_size(payload)
    magnification = max(2, min(6, 216 // modules))
    out.append(QRCode(580, 24, magnification, payload))
    out.append(Text(580, 24 + modules * magnification + 14, 20, "serial | grade | record", 216))
    return out


def _qr_size(payload: str) -> int:
    return int(segno.make(payload, error="m", boost_error=False).symbol_size(border=0)[0])


# --- ZPL ---------------------------------------------------------------------------------------
def to_zpl(unit: UnitReport) -> str:
    lines = ["^XA", "^CI28", f"^PW{WIDTH}", f"^LL{HEIGHT}", "^LH0,0"]
    for e in layout(unit):
        if isinstance(e, Text):
            h = e.fitted_height()
            lines.append(f"^FO{e.x},{e.y}^A0N,{h},{h}^FD{field_text(e.text)}^FS")
        elif isinstance(e, Barcode):
            lines.append(f"^FO{e.x},{e.y}^BY{e.module},3,{e.height}^BCN,{e.height},N,N,N,N^FD>:{e.data}^FS")
        elif isinstance(e, QRCode):
            lines.append(f"^FO{e.x},{e.y}^BQN,2,{e.magnification}^FDMA,{e.data}^FS")
        else:
            lines.append(f"^FO{e.x},{e.y}^GB{e.width},{e.height},{min(e.width, e.height)}^FS")
    lines.append("^XZ")
    return "\n".join(lines) + "\n"


# --- PNG preview -------------------------------------------------------------------------------
def to_png(unit: UnitReport) -> bytes:
    image = Image.new("L", (WIDTH, HEIGHT), 255)
    draw = ImageDraw.Draw(image)
    for e in layout(unit):
        if isinstance(e, Text):
            _draw_text(draw, e)
        elif isinstance(e, Barcode):
            x = e.x
            for i, w in enumerate(code128_modules(e.data)):
                if i % 2 == 0:  # even positions are bars
                    draw.rectangle((x, e.y, x + w * e.module - 1, e.y + e.height - 1), fill=0)
                x += w * e.module
        elif isinstance(e, QRCode):
            _draw_qr(draw, e)
        else:
            draw.rectangle((e.x, e.y, e.x + e.width - 1, e.y + e.height - 1), fill=0)
    buf = io.BytesIO()
    image.save(buf, format="PNG", dpi=(DPI, DPI))
    return buf.getvalue()


def _draw_text(draw: ImageDraw.ImageDraw, e: Text) -> None:
    size = e.fitted_height()
    text = field_text(e.text)
    font = _font(size)
    while size > 10 and draw.textlength(text, font=font) > e.max_width:
        size -= 1
        font = _font(size)
    draw.text((e.x, e.y), text, font=font, fill=0)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in FONT_FILES:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


def _draw_qr(draw: ImageDraw.ImageDraw, e: QRCode) -> None:
    qr = segno.make(e.data, error="m", boost_error=False)
    m = e.magnification
    for row, bits in enumerate(qr.matrix):
        for col, dark in enumerate(bits):
            if dark:
                draw.rectangle((e.x + col * m, e.y + row * m, e.x + col * m + m - 1, e.y + row * m + m - 1), fill=0)
