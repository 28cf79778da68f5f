"""Serial numbers as units report them: tell a real serial from a placeholder.

Real agents and real CLI output carry serials that are not serials: anonymised captures
(`<private>`, `XXXXXXXXXX`), unprogrammed EEPROMs (all zeros, all 0xFF), and `N/A` or an empty
field. Taking one of those as the serial would seal a record against a number that names no
unit, so every reader asks here first and reports the serial as unreadable with the reason.
"""

from __future__ import annotations

import re

# Words a device or a capture puts where the serial should be.
_PLACEHOLDER_WORDS = {
    "n/a", "na", "none", "null", "unknown", "not available", "not specified", "unspecified",
    "to be filled by o.e.m.", "default string", "serial", "serial number", "serialnumber", "sn", "-", "--",
    "private", "redacted", "removed", "hidden", "tbd", "xxx", "invalid", "empty", "anonymised", "anonymized",
    "masked", "system serial number", "0123456789", "1234567890", "123456789",
}
_ANGLE_MASK = re.compile(r"<[^<>]*>")  # <private>, <removed>, <serial>
_ONE_CHAR = re.compile(r"(.)\1*", re.S)  # every character the same: 0000000, XXXXXXXX, FFFFFF, ********


def placeholder_reason(serial: object) -> str | None:
    """Why `serial` is not a serial (one short phrase), or None when it may be one."""
    if serial is None:
        return "no serial reported"
    text = str(serial).strip().strip("\"'").strip()
    if not text:
        return "serial field is empty"
    low = text.lower()
    if re.fullmatch(r"0[xX](?:[0-9a-fA-F]{2})+", text):  # how the bench shows bytes that are not text
        return "serial is a binary value, not text"
    if _ANGLE_MASK.fullmatch(text) or low.strip("<>[]() ") in {"private", "redacted", "removed", "hidden"}:
        return f"serial is anonymised ({text[:24]})"
    if low in _PLACEHOLDER_WORDS:
        return f"serial is a placeholder ({text[:24]})"
    if _ONE_CHAR.fullmatch(text):
        ch = text[0]
        if ch in "0":
            return "serial is all zeros (unprogrammed)"
        if ch.lower() == "x" or ch in "*#?":
            return f"serial is masked ({text[:24]})"
        if ch.lower() == "f":
            return "serial is all F (unprogrammed EEPROM)"
        if len(text) > 3:
            return f"serial repeats one character ({text[:24]})"
    if re.fullmatch(r"[xX*#]{4,}[0-9A-Za-z]{0,4}", text) or re.search(r"X{5,}|x{5,}|\*{3,}", text):
        return f"serial is masked ({text[:24]})"  # partly anonymised, e.g. CAT23XXXXXX
    if not text.isprintable():
        return "serial holds control characters"
    return None


def real_serial(serial: object) -> str:
    """The serial if it is one, else "" (the reason is placeholder_reason's)."""
    return "" if placeholder_reason(serial) else str(serial).strip()
