"""Checking a certificate with no bench database: the record it carries, its signature, and what it shows.

A certificate (HTML or PDF) carries its unit's signed record (bench.reports.buyer.Seal). The check:
1. the record's canonical text hashes to the hash it carries;
2. the signature over that hash verifies with the bench's public key (the buyer's copy, or the key the
   certificate carries once its fingerprint matches the one the buyer was given);
3. page one, rendered again from the record, is what the certificate shows: every field (serial, model,
   grade codes, disposition, each test's outcome, the erasure, the seal) and the page's whole text.
   For HTML also the stylesheet, and no script besides the record block (a page could hide text).
   For PDF the text layer of the first pages (what a reader extracts and searches).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from bench.errors import BadInput
from bench.records import digest, fingerprint, load_public_key
from bench.reports.buyer import LAYOUT, Seal, render_buyer
from bench.reports.pdf import page_texts, read_info

FINGERPRINT = re.compile(r"[0-9a-f]{64}")


@dataclass
class Shown:
    """What a certificate shows and carries."""

    text: str = ""  # page one's text, whitespace removed
    fields: dict[str, list[str]] = field(default_factory=dict)
    spans: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, field) in `text`
    block: str | None = None  # the machine-readable record block, as found
    style: str = ""
    scripts: int = 0  # script elements other than the record block
    buyer: bool = False  # a bench certificate's page one was found


@dataclass
class Outcome:
    problems: list[str]
    seal: Seal | None = None

    @property
    def holds(self) -> bool:
        return not self.problems


class _Page(HTMLParser):
    """Page one's text and fields, the record block and the stylesheet of a certificate."""

    VOID = {"br", "img", "meta", "link", "hr", "input", "col", "area", "base", "wbr", "source"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out = Shown()
        self._stack: list[tuple[str, str | None, bool, int]] = []  # tag, field, in buyer, start
        self._in_block = False
        self._in_style = False
        self._block_parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script":
            if a.get("id") == "bench-record" and a.get("type") == "application/json" and self.out.block is None:
                self._in_block = True
            else:
                self.out.scripts += 1
            return
        if tag == "style":
            self._in_style = True
            return
        if tag in self.VOID:
            return
        opens_buyer = tag == "section" and a.get("id") == "buyer"
        self.out.buyer = self.out.buyer or opens_buyer
        in_buyer = (self._stack[-1][2] if self._stack else False) or opens_buyer
        if in_buyer and "style" in a:
            self.out.scripts += 1  # an inline style on page one could hide or restyle what it shows
        self._stack.append((tag, a.get("data-field") if in_buyer else None, in_buyer, len(self.out.text)))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            if self._in_block:
                self.out.block = "".join(self._block_parts)
            self._in_block = False
            return
        if tag == "style":
            self._in_style = False
            return
        # Close up to the matching tag; stray end tags are ignored as browsers do.
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i][0] == tag:
                for _, name, _, start in self._stack[i:]:
                    if name:
                        self.out.fields.setdefault(name, []).append(self.out.text[start:])
                        self.out.spans.append((start, len(self.out.text), name))
                del self._stack[i:]
                return

    def handle_data(self, data: str) -> None:
        if self._in_block:
            self._block_parts.append(data)
        elif self._in_style:
            self.out.style += data
        elif self._stack and self._stack[-1][2]:
            self.out.text += re.sub(r"\s+", "", data)


def read_html(data: bytes) -> Shown:
    try:
        page = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise BadInput(f"not a bench certificate: the file is not UTF-8 HTML ({e.reason})") from e
    parser = _Page()
    parser.feed(page)
    parser.close()
    return parser.out


def expected(record: dict[str, object], seal: Seal) -> Shown:
    parser = _Page()
    parser.feed(render_buyer(record, seal))
    parser.close()
    return parser.out


def trusted_key(key: str) -> tuple[Ed25519PublicKey | None, str]:
    """(the key, its fingerprint) from a .pub/.key file, or (None, fingerprint) when a fingerprint is given."""
    k = key.strip().lower()
    if FINGERPRINT.fullmatch(k):
        return None, k
    try:
        pub = load_public_key(key)
    except OSError as e:
        raise BadInput(f"--key {key}: {e.strerror}; pass the bench's public key file (.pub) or its fingerprint") \
            from e
    return pub, fingerprint(pub)


def check(data: bytes, key: str) -> Outcome:
    """What does not hold in certificate `data` against the bench key `key` (file or fingerprint)."""
    trusted, trusted_fp = trusted_key(key)
    is_pdf = data.lstrip()[:5] == b"%PDF-"
    if is_pdf:
        info = read_info(data)
        shown = Shown(block=info.get("BenchRecord"), buyer="BenchRecord" in info)
    else:
        shown = read_html(data)
    if shown.block is None:
        if shown.buyer:
            return Outcome(["the certificate carries no signed record: the bench could not seal or check this "
                            "unit's record, so nothing on it can be verified"])
        raise BadInput("not a bench certificate: no signed record found (expected an HTML or PDF made by "
                       "'bench report --format html|pdf')")
    try:
        seal = Seal.from_json(shown.block)
        record = seal.record()
    except ValueError as e:
        return Outcome([f"the embedded record block is damaged ({e})"])
    problems = _seal_problems(seal, record, trusted, trusted_fp)
    want = expected(record, seal)
    if is_pdf:
        shown.text = re.sub(r"\s+", "", "".join(page_texts(data)))
        problems += _text_problems(shown, want, prefix=True)
    else:
        problems += _field_problems(shown, want)
        if not problems:
            problems += _text_problems(shown, want, prefix=False)
        from bench.reports.certificate import STYLE  # the stylesheet a genuine certificate has

        if shown.style.strip() != STYLE.strip():
            problems.append("the page's stylesheet is not the bench's: it could hide or change what page one shows")
        if shown.scripts:
            problems.append("the page carries a script or inline style the bench never writes")
    return Outcome(problems, seal)


def _seal_problems(seal: Seal, record: dict[str, object], trusted: Ed25519PublicKey | None,
                   trusted_fp: str) -> list[str]:
    out = []
    if digest(seal.canonical) != seal.hash:
        out.append("the embedded record does not match its hash: the record was altered")
    if record.get("key_fingerprint") != seal.key_fingerprint:
        out.append("the record names another signing key than the certificate")
    if seal.key_fingerprint != trusted_fp:
        out.append(f"signed by key {seal.key_fingerprint[:16]}…, not by the bench key you gave ({trusted_fp[:16]}…)")
        return out
    key = trusted
    if key is None:  # a fingerprint was given: the key the certificate carries must be that one
        try:
            loaded = serialization.load_pem_public_key(seal.public_key.encode())
        except ValueError:
            loaded = None
        if not isinstance(loaded, Ed25519PublicKey) or fingerprint(loaded) != trusted_fp:
            out.append("the public key the certificate carries is not the key with that fingerprint")
            return out
        key = loaded
    try:
        key.verify(bytes.fromhex(seal.signature), seal.hash.encode("ascii"))
    except (InvalidSignature, ValueError, UnicodeEncodeError):
        out.append("the signature does not verify with the bench key: the record hash or signature was altered")
    return out


def describe(name: str) -> str:
    """A field's name as the verifier reports it."""
    if name.startswith("test."):
        return f"the outcome of test {name[5:]}"
    if name.startswith("reason."):
        return f"grade reason {int(name[7:]) + 1}"
    return {"grade.letter": "the grade letter", "grade.functional": "the functional grade",
            "grade.cosmetic": "the cosmetic grade", "grade.disposition": "the disposition",
            "key_fingerprint": "the key fingerprint", "hash": "the record hash", "tested_on": "the test date",
            "bench": "the bench name"}.get(name, f"the {name.replace('.', ' ').replace('_', ' ')}")


def _field_problems(shown: Shown, want: Shown) -> list[str]:
    out = []
    for name, values in want.fields.items():
        got = shown.fields.get(name, [])
        if not got:
            out.append(f"the page does not show {describe(name)} (the signed record says {values[0]!r})")
        elif len(got) > 1:
            out.append(f"the page shows {describe(name)} {len(got)} times")
        elif got[0] != values[0]:
            out.append(f"the page shows {describe(name)} as {got[0]!r}; the signed record says {values[0]!r}")
    for name in shown.fields.keys() - want.fields.keys():
        out.append(f"the page shows {describe(name)}, which the signed record does not have")
    return out


def _text_problems(shown: Shown, want: Shown, prefix: bool) -> list[str]:
    """Page one's whole text against the record's; the first difference is named by the field it falls in."""
    got = shown.text[: len(want.text)] if prefix else shown.text
    if got == want.text:
        return []
    at = next((i for i, (a, b) in enumerate(zip(got, want.text, strict=False)) if a != b), min(len(got),
                                                                                           len(want.text)))
    names = [name for start, end, name in want.spans if start <= at < max(end, start + 1)]
    where = describe(names[-1]) if names else "its text"
    return [f"the page differs from the signed record in {where}: it shows {got[max(0, at - 12):at + 12]!r}, "
            f"the record gives {want.text[max(0, at - 12):at + 12]!r}"]


__all__ = ["LAYOUT", "Outcome", "check", "describe"]
