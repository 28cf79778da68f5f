"""Identity readers of PAN-OS: `show system info` in, the model and serial the unit states out.

PAN-OS answers no `show version`; `show system info` carries `model:` (PA-850, PA-VM) and `serial:`
(12 digits on hardware, "unknown" on an unlicensed PA-VM: a placeholder, never a serial).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bench.platforms.identity_readers import IdentityRead, _rows, _s

PLATFORM = "paloalto_panos"


def uptime_seconds(text: str) -> float | None:
    """`uptime: 2 days, 2:38:49` -> seconds."""
    m = re.search(r"(?:(\d+)\s*days?,\s*)?(\d+):(\d\d):(\d\d)", text or "")
    if not m:
        return None
    days, h, mi, s = (int(x or 0) for x in m.groups())
    return float(days * 86_400 + h * 3_600 + mi * 60 + s)


def system_info(text: str) -> dict[str, str]:
    """Every `key: value` line of `show system info` (the template keeps only some of them)."""
    return {k.strip().lower(): v.strip() for k, v in re.findall(r"(?m)^([\w-]+):[ \t]*(.*?)\s*$", text)}


def panos_show_system_info(text: str) -> IdentityRead:
    out = IdentityRead()
    rows = _rows(PLATFORM, "show system info", text, out)
    row = rows[0] if rows else {}
    info = system_info(text)
    out.model = _s(row, "model") or info.get("model", "")
    out.take_serial(_s(row, "serial") or info.get("serial", ""), "show system info")
    return out


READERS: dict[str, Callable[[str], IdentityRead]] = {"show system info": panos_show_system_info}
