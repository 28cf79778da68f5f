"""Page one of the certificate: the buyer's certificate, rendered from the signed record alone.

Because the page is a pure function of the record (and of its seal: hash, signature, key), a verifier
holding only the certificate renders the page again and compares it with what the certificate shows.
Keep it that way: nothing from the live store, the clock or the environment may enter this page.
The layout has a version (LAYOUT); a changed wording or order is a new version.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bench.reports.charts import esc
from bench.reports.plain import BuyerFacts, facts

LAYOUT = "bench-certificate/1"
VERIFY_COMMAND = "bench verify-certificate THIS-FILE --key bench-ed25519.pub"


@dataclass(frozen=True)
class Seal:
    """A sealed record as the certificate carries it: enough to check it with no bench database."""

    canonical: str  # the record's canonical JSON, exactly as hashed
    hash: str
    signature: str
    key_fingerprint: str
    public_key: str  # PEM; its fingerprint must be key_fingerprint, and a buyer checks that against the bench's

    def record(self) -> dict[str, Any]:
        body = json.loads(self.canonical)
        if not isinstance(body, dict):
            raise ValueError("the record is not a JSON object")
        return body

    def to_json(self) -> str:
        """The machine-readable block; '<', '>' and '&' escaped so no record text can close the script."""
        text = json.dumps({"format": LAYOUT, "record": self.canonical, "hash": self.hash,
                           "signature": self.signature, "key_fingerprint": self.key_fingerprint,
                           "public_key": self.public_key}, ensure_ascii=True, sort_keys=True)
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")

    @classmethod
    def from_json(cls, text: str) -> Seal:
        d = json.loads(text)
        if not isinstance(d, dict):
            raise ValueError("the block is not a JSON object")
        if d.get("format") != LAYOUT:
            raise ValueError(f"format {d.get('format')!r} is not {LAYOUT}")
        values = [d.get(k) for k in ("record", "hash", "signature", "key_fingerprint", "public_key")]
        if not all(isinstance(v, str) for v in values):
            raise ValueError("a field of the block is missing or not text")
        return cls(*values)  # type: ignore[arg-type]


BUYER_CSS = """
section.buyer { font-size: 9pt; line-height: 1.25; }
section.buyer h1 { font-size: 16pt; margin: 0; }
section.buyer h2 { font-size: 11pt; margin: 3mm 0 1mm; border-bottom: 1.5px solid #333; padding-bottom: 0.5mm; }
section.buyer .sub { color: #555; margin: 0.5mm 0 2mm; }
section.buyer .top { display: flex; gap: 5mm; align-items: stretch; }
section.buyer .top table { flex: 1; }
section.buyer td, section.buyer th { padding: 0.5mm 1.5mm; }
section.buyer table.kv th { width: 34mm; }
section.buyer .gradebox { min-width: 44mm; }
section.buyer p.reason { margin: 0.4mm 0; }
section.buyer table.tests td { padding: 0.4mm 1.5mm; }
section.buyer table.tests td.t { width: 58mm; }
section.buyer table.tests td.o { width: 32mm; font-weight: bold; white-space: nowrap; }
section.buyer td.o.PASS { color: var(--pass); } section.buyer td.o.WARN { color: var(--warn); }
section.buyer td.o.FAIL { color: var(--fail); } section.buyer td.o.NOT_RUN { color: var(--notrun); }
section.buyer td.o.ERROR { color: var(--error); }
section.buyer .verify .mono { font-size: 7.5pt; }
section.buyer .verify p { margin: 1mm 0 0; font-size: 8.5pt; }
section.buyer .unverifiable { border: 2px solid var(--fail); color: var(--fail); padding: 1.5mm 3mm;
                             font-weight: bold; }
"""


def render_buyer(record: dict[str, Any], seal: Seal | None, problem: str = "") -> str:
    """The buyer's page. With no seal (unit not sealed, or its record does not hold) the page says it cannot
    be verified, and says why."""
    f = facts(record)
    parts = [_head(f), _grade(f), _tests(f), _erasure(f), _verify(record, seal, problem)]
    return '<section class="buyer" id="buyer">' + "".join(parts) + "</section>"


def _field(name: str, text: str, tag: str = "span", cls: str = "") -> str:
    klass = f' class="{cls}"' if cls else ""
    return f'<{tag}{klass} data-field="{esc(name)}">{esc(text)}</{tag}>'


def _head(f: BuyerFacts) -> str:
    unit = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in (
        ("Model", _field("model", f.model)), ("Serial", _field("serial", f.serial, cls="mono")),
        ("Parts", _field("parts", f.parts)), ("Tested on", _field("tested_on", f.tested_on)),
        ("Tested by", _field("bench", f.bench))))
    box = (f'<div class="gradebox"><div class="muted">grade</div>{_field("grade.letter", f.letter, "div", "letter")}'
           f'<div class="codes">{_field("grade.functional", f.functional)} / {_field("grade.cosmetic", f.cosmetic)}'
           f'</div>{_field("grade.disposition", f.disposition, "div", "disp " + f.disposition)}</div>')
    return ("<h1>Certificate of testing and data erasure</h1>"
            '<p class="sub">What was tested on this unit, its grade and why, and its data erasure. '
            "The full evidence follows as an appendix.</p>"
            f'<div class="top"><table class="kv">{unit}</table>{box}</div>')


def _grade(f: BuyerFacts) -> str:
    return "<h2>Grade and why</h2>" + "".join(
        _field(f"reason.{i}", r, "p", "reason") for i, r in enumerate(f.reasons))


def _tests(f: BuyerFacts) -> str:
    if not f.tests:
        return '<h2>Tests</h2><p class="muted">No test finished on this unit.</p>'
    rows = "".join(f'<tr><td class="t">{esc(t.title)}</td>{_field(f"test.{t.name}", t.words, "td", "o " + t.outcome)}'
                   f"<td>{esc(t.detail)}</td></tr>" for t in f.tests)
    return f'<h2>Tests</h2><table class="tests">{rows}</table>'


def _erasure(f: BuyerFacts) -> str:
    rows = "".join(f"<tr><th>{esc(k)}</th><td>{_field('erasure.' + k.lower().replace(' ', '_'), v)}</td></tr>"
                   for k, v in f.erasure)
    return f'<h2>Data erasure</h2><table class="kv">{rows}</table>'


def _verify(record: dict[str, Any], seal: Seal | None, problem: str) -> str:
    if seal is None:
        return ('<h2>Is this certificate genuine?</h2><p class="unverifiable">This certificate cannot be verified: '
                f"{esc(problem or 'the unit has no signed record')}. Do not rely on it.</p>")
    sealed = esc(str(record.get("sealed_at", ""))[:19].replace("T", " "))
    rows = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in (
        ("Signed record", f"#{esc(record.get('seq', '?'))}, sealed {sealed} UTC"),
        ("Record hash (SHA-256)", _field("hash", seal.hash, cls="mono")),
        ("Signature (Ed25519)", _field("signature", seal.signature, cls="mono")),
        ("Bench key fingerprint", _field("key_fingerprint", seal.key_fingerprint, cls="mono"))))
    return ('<div class="verify"><h2>Is this certificate genuine?</h2>'
            f'<table class="kv">{rows}</table><p>This file carries the signed record itself. Anyone can check it '
            "without the bench's database: <span class=\"mono\">" + esc(VERIFY_COMMAND) + "</span>, with the "
            "bench's public key (its fingerprint is above; ask the seller for the key file). The check fails if "
            "anything on this page or in the record was changed.</p></div>")
