"""Making device-supplied text harmless before it reaches a technician's terminal."""

from __future__ import annotations

import re

# CSI/OSC/other escape sequences, then any C0/C1 control except tab and newline.
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe_text(text: object, limit: int = 500) -> str:
    s = _CONTROLS.sub("", _ESCAPES.sub("", str(text)))
    return s if len(s) <= limit else s[: limit - 1] + "…"
