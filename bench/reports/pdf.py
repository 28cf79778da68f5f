"""The certificate as PDF: printed by headless Chromium, the signed record added as document metadata.

Why metadata (/Info): Chromium's PDF (Skia) has a classic cross-reference table and a trailer naming its
/Info dictionary, so an incremental update (appended objects, a new xref section and trailer pointing
back at the old one, per ISO 32000-1 7.5.6) adds a new /Info without touching a byte Chromium wrote.
Any PDF reader ignores the unknown key; a reader in a few dozen lines of Python finds it again.
The record goes in as a hex string (/BenchRecord), so no PDF escaping can alter it; /Subject carries
a short human line. What page one SHOWS is read back from the PDF's own text layer (`page_texts`):
Chromium writes each font as Identity-H glyph codes with a /ToUnicode map, which is enough to spell it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import zlib
from pathlib import Path

from bench.errors import BadInput

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT_S = 120


def find_chromium() -> str | None:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def html_to_pdf(page: str) -> bytes:
    """The HTML printed by headless Chromium: A4 from the page's own @page rule, no header or footer."""
    chromium = find_chromium()
    if chromium is None:
        raise BadInput("--format pdf needs Chromium, which is not installed; install it (Debian: apt-get install "
                       "chromium) or use --format html and print that")
    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as tmp:
        src, out = Path(tmp) / "certificate.html", Path(tmp) / "certificate.pdf"
        src.write_text(page, encoding="utf-8")
        cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={Path(tmp) / 'profile'}", "--no-pdf-header-footer", f"--print-to-pdf={out}",
               src.as_uri()]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired as e:
            raise BadInput(f"Chromium did not print the certificate within {TIMEOUT_S} s; use --format html") from e
        if not out.is_file() or not out.read_bytes().startswith(b"%PDF"):
            last = (done.stderr.strip().splitlines() or ["no output"])[-1][:200]
            raise BadInput(f"Chromium printed no PDF (exit {done.returncode}: {last}); use --format html")
        return out.read_bytes()


# --- writing the record into the PDF -----------------------------------------------------------
def _pdf_text(s: str) -> str:
    return "(" + s.encode("latin-1", "replace").decode("latin-1").replace("\\", "\\\\").replace(
        "(", "\\(").replace(")", "\\)") + ")"


def add_info(pdf: bytes, subject: str, record_block: str) -> bytes:
    """`pdf` with an incremental update whose /Info keeps the old entries and adds /Subject and /BenchRecord."""
    trailer = _last_trailer(pdf)
    size = int(_need(rb"/Size\s+(\d+)", trailer, "trailer /Size"))
    root = _need(rb"/Root\s+(\d+\s+\d+\s+R)", trailer, "trailer /Root")
    prev = int(_need(rb"startxref\s+(\d+)\s+%%EOF\s*$", pdf, "startxref"))
    old_info = b""
    ref = re.search(rb"/Info\s+(\d+)\s+0\s+R", trailer)
    if ref:
        body = _object(pdf, int(ref.group(1)))
        if body is not None and body.strip().startswith(b"<<"):
            old_info = re.sub(rb"/(Subject|BenchRecord)\s*(\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f]*>)", b"",
                              body.strip()[2:-2])
    info = (b"<<" + old_info + b"\n/Subject " + _pdf_text(subject).encode("latin-1") +
            b"\n/BenchRecord <" + record_block.encode("utf-8").hex().upper().encode("ascii") + b">>>")
    base = pdf if pdf.endswith(b"\n") else pdf + b"\n"
    offset = len(base)
    obj = f"{size} 0 obj\n".encode() + info + b"\nendobj\n"
    xref = offset + len(obj)
    tail = (f"xref\n{size} 1\n{offset:010d} 00000 n \ntrailer\n<</Size {size + 1}\n/Root ".encode() + root +
            f"\n/Info {size} 0 R\n/Prev {prev}>>\nstartxref\n{xref}\n%%EOF\n".encode())
    return base + obj + tail


def _need(pattern: bytes, data: bytes, what: str) -> bytes:
    m = re.search(pattern, data)
    if m is None:
        raise ValueError(f"the PDF has no {what}")
    return m.group(1)


def _last_trailer(pdf: bytes) -> bytes:
    at = pdf.rfind(b"trailer")
    if at < 0:
        raise ValueError("the PDF has no trailer")
    return pdf[at:]


def _object(pdf: bytes, num: int) -> bytes | None:
    """The last definition of object `num` (a later incremental update wins)."""
    found = None
    for m in re.finditer(rb"(?<![0-9])%d\s+0\s+obj\b(.*?)endobj" % num, pdf, re.S):
        found = m.group(1)
    return found


# --- reading it back ---------------------------------------------------------------------------
def read_info(pdf: bytes) -> dict[str, str]:
    """The /Info entries of the last trailer that names one, hex strings decoded as UTF-8."""
    for m in reversed(list(re.finditer(rb"trailer\s*<<(.*?)>>\s*startxref", pdf, re.S))):
        ref = re.search(rb"/Info\s+(\d+)\s+0\s+R", m.group(1))
        if ref is None:
            continue
        body = _object(pdf, int(ref.group(1))) or b""
        out: dict[str, str] = {}
        for k, hexed, lit in re.findall(rb"/(\w+)\s*(?:<([0-9A-Fa-f\s]*)>|\(((?:\\.|[^\\)])*)\))", body, re.S):
            if hexed:
                out[k.decode()] = bytes.fromhex(re.sub(rb"\s", b"", hexed).decode()).decode("utf-8", "replace")
            else:
                out[k.decode()] = re.sub(rb"\\(.)", rb"\1", lit).decode("latin-1")
        return out
    return {}


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", pdf))


def page_texts(pdf: bytes) -> list[str]:
    """The text each page draws, in drawing order, spelt through each font's /ToUnicode map."""
    pages = []
    for m in re.finditer(rb"(\d+)\s+0\s+obj\s*<<(.*?)>>\s*endobj", pdf, re.S):
        body = m.group(2)
        if not re.search(rb"/Type\s*/Page(?![A-Za-z])", body):
            continue
        fonts = {name.decode(): _cmap(pdf, int(num)) for name, num in
                 re.findall(rb"/(\w+)\s+(\d+)\s+0\s+R", _font_dict(body))}
        contents = re.search(rb"/Contents\s+(\d+)\s+0\s+R", body)
        stream = _stream(pdf, int(contents.group(1))) if contents else b""
        pages.append(_show(stream, fonts))
    return pages


def _font_dict(page: bytes) -> bytes:
    m = re.search(rb"/Font\s*<<(.*?)>>", page, re.S)
    return m.group(1) if m else b""


def _stream(pdf: bytes, num: int) -> bytes:
    body = _object(pdf, num)
    if body is None or b"stream" not in body:
        return b""
    data = body.split(b"stream", 1)[1].lstrip(b"\r\n")
    data = data[: data.rfind(b"endstream")]
    try:
        return zlib.decompressobj().decompress(data) if b"/FlateDecode" in body.split(b"stream", 1)[0] else data
    except zlib.error:
        return b""


def _cmap(pdf: bytes, font_num: int) -> dict[int, str]:
    font = _object(pdf, font_num) or b""
    ref = re.search(rb"/ToUnicode\s+(\d+)\s+0\s+R", font)
    if ref is None:
        return {}
    text = _stream(pdf, int(ref.group(1))).decode("latin-1")
    out: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            out[int(src, 16)] = _utf16(dst)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for lo, hi, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            start = int(dst, 16)
            for i, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                out[code] = LIGATURES.get(chr(start + i), chr(start + i))
    return out


# Typographic ligatures a font may draw for "fi", "fl" ...: spelt out, as the HTML has them.
LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st",
             "\ufb06": "st"}


def _utf16(hexed: str) -> str:
    text = bytes.fromhex(hexed).decode("utf-16-be", "replace")
    return "".join(LIGATURES.get(c, c) for c in text)


def _show(stream: bytes, fonts: dict[str, dict[int, str]]) -> str:
    """Text of Tj/TJ operators, two-byte codes mapped through the font selected by the last Tf."""
    out: list[str] = []
    cmap: dict[int, str] = {}
    for m in re.finditer(rb"/(\w+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f]*)>|(TJ|Tj|ET)", stream):
        if m.group(1):
            cmap = fonts.get(m.group(1).decode(), {})
        elif m.group(2) is not None:
            hexed = m.group(2).decode()
            out.extend(cmap.get(int(hexed[i:i + 4], 16), "") for i in range(0, len(hexed) - 3, 4))
        elif m.group(3) == b"ET":
            out.append(" ")
    return "".join(out)
