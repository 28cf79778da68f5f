"""Serial numbers that are not serials: anonymised, placeholder or blank values a unit reports."""

from __future__ import annotations

import re

# Words agents and anonymisers put where a serial should be.
_WORDS = re.compile(
    r"[<\[(]?\s*(private|redacted|hidden|removed|anonymi[sz]ed|masked|none|null|n/?a|unknown|not\s*available|"
    r"not\s*specified|default(\s*string)?|to\s*be\s*filled\s*by\s*o\.?e\.?m\.?|system\s*serial\s*number|"
    r"serial\s*number|0123456789|1234567890?|123456789)\s*[>\])]?", re.IGNORECASE)


def placeholder_reason(serial: str) -> str | None:
    """Why `serial` is not a real serial number, or None when it may be one."""
    s = serial.strip()
    if not s:
        return "the unit reports an empty serial"
    if re.fullmatch(r"0[xX](?:[0-9a-fA-F]{2})+", s):  # how the bench shows bytes that are not text
        return "the unit reports a binary value, not a serial"
    if _WORDS.fullmatch(s):
        return f"the unit reports the placeholder {s!r}, not a serial (anonymised or never programmed)"
    if len(set(s.replace("-", "").replace(" ", ""))) == 1:
        return f"the unit reports {s!r}, one character repeated: a placeholder, not a serial"
    return None
