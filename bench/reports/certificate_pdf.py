"""The certificate as PDF: Chromium prints the HTML; the signed record goes into the PDF's metadata."""

from __future__ import annotations

import json

from bench.reports.certificate_check import read_html
from bench.reports.pdf import add_info, html_to_pdf
from bench.reports.plain import facts


def certificate_pdf(page: str) -> bytes:
    """PDF of certificate `page`, carrying the same record block as the HTML (when it has one)."""
    pdf = html_to_pdf(page)
    shown = read_html(page.encode("utf-8"))
    if shown.block is None:
        return add_info(pdf, "bench certificate: NOT VERIFIABLE (no signed record)", "")
    record = json.loads(json.loads(shown.block)["record"])
    f = facts(record)
    subject = (f"bench certificate: {f.model} serial {f.serial}, grade {f.letter} ({f.functional}/{f.cosmetic}) "
               f"{f.disposition}; check with bench verify-certificate")
    return add_info(pdf, subject, shown.block)
