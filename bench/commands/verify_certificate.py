"""`bench verify-certificate FILE --key PUBKEY`: check a certificate (HTML or PDF) with no bench database."""

from __future__ import annotations

import argparse
from pathlib import Path

from bench.errors import BadInput
from bench.reports.plain import facts
from bench.terminal import safe_text

MAX_BYTES = 64 * 1024 * 1024  # a certificate is well under 1 MB; refuse to read a disk image


def verify_certificate_command(args: argparse.Namespace) -> int:
    from bench.reports.certificate_check import check

    path = Path(args.file)
    try:
        if not path.is_file():
            raise BadInput(f"{path}: no such file; pass the certificate (.html or .pdf)")
        if path.stat().st_size > MAX_BYTES:
            raise BadInput(f"{path}: {path.stat().st_size} bytes is no certificate; pass the .html or .pdf")
        data = path.read_bytes()
    except OSError as e:
        raise BadInput(f"{path}: {e.strerror}; pass a certificate you can read") from e
    outcome = check(data, args.key)
    if not outcome.holds:
        for problem in outcome.problems:
            print(f"DOES NOT HOLD: {safe_text(problem, 400)}")
        return 1
    assert outcome.seal is not None
    f = facts(outcome.seal.record())
    print(safe_text(f"certificate holds: {f.model} serial {f.serial}, grade {f.letter} ({f.functional}/{f.cosmetic}),"
                    f" {f.disposition}; tested {f.tested_on} by {f.bench}", 400))
    print(f"record hash {outcome.seal.hash}, signed by bench key {outcome.seal.key_fingerprint}")
    return 0
