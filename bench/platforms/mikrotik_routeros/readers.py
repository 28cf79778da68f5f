"""Identity readers for RouterOS outputs (bench.platforms.identity_readers consults them by command).

`/system routerboard print` states the board's model and serial; `/system resource print` only its
board name (a CHR, RouterOS in a virtual machine, has no RouterBOARD and no serial); an SFP's part
number and serial come from `/interface ethernet monitor <port> once`.
"""

from __future__ import annotations

from collections.abc import Callable

from bench.model import ComponentKind
from bench.platforms.identity_readers import IdentityRead, _component
from bench.platforms.mikrotik_routeros.collector import key_values, resource_facts, routerboard_facts


def routerboard(text: str) -> IdentityRead:
    out = IdentityRead()
    facts = routerboard_facts(text)
    out.model = facts["model"]
    out.take_serial(facts["serial"], "/system routerboard print")
    if not (out.model or out.serial or out.unreadable):
        out.problems.append("'/system routerboard print' names no model or serial")
    return out


def resource(text: str) -> IdentityRead:
    out = IdentityRead()
    out.model = resource_facts(text)["board-name"]
    if not out.model:
        out.problems.append("'/system resource print' names no board")
    return out


def ethernet_monitor(text: str) -> IdentityRead:
    out = IdentityRead()
    kv = key_values(text)
    if kv.get("sfp-vendor-part-number") or kv.get("sfp-vendor-serial"):
        out.components.append(_component(ComponentKind.OPTIC, f"Transceiver {kv.get('name', '')}".strip(),
                                         kv.get("sfp-vendor-part-number", ""), kv.get("sfp-vendor-serial", ""),
                                         kv.get("sfp-vendor-name", "")))
    return out


READERS: dict[str, Callable[[str], IdentityRead]] = {
    "/system routerboard print": routerboard,
    "/system resource print": resource,
    "/interface ethernet monitor": ethernet_monitor,  # any port: `/interface ethernet monitor <port> once`
}
