"""A simulated server's BMC as a refurbisher meets it: a previous owner's user accounts and event log.

Two faces over one state: `ipmitool` in-band answers (user list/set/disable/priv, sel clear, mc reset
cold) for the live image's shell, and a small Redfish service over HTTP on 127.0.0.1 (Managers, the
vendor's factory reset action, AccountService accounts, LogService.ClearLog) for a bench that is given the
BMC's address. A BMC in lockdown (iDRAC System Lockdown, or any BMC that refuses configuration
changes) answers every change with the completion code a real one gives, and changes nothing.
"""

from __future__ import annotations

import base64
import json
import threading
import time
import weakref
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from simulators.families.linux_server.device import SelEntry, Server

NO_ACCESS = "NO ACCESS"
COLD_RESET_SECONDS = 1.5  # the BMC answers nothing for this long after `mc reset cold`
# The account each vendor's BMC ships with (a factory reset keeps it, with the label's password).
FACTORY_ACCOUNT = {"dell": "root", "hpe": "Administrator", "supermicro": "ADMIN"}
FACTORY_PASSWORD = {"dell": "calvin", "hpe": "factory-label", "supermicro": "ADMIN"}
MANAGER_ID = {"dell": "iDRAC.Embedded.1", "hpe": "1", "supermicro": "1"}
# Where each vendor's Redfish offers its factory reset, and what each ResetType keeps: iDRAC9 its OEM
# DellManager.ResetToDefaults, iLO 5 its OEM HpeiLO.ResetToFactoryDefaults, others the DMTF action.
RESET_ACTIONS: dict[str, tuple[tuple[str, ...], str, str, dict[str, str]]] = {
    "dell": (("Oem",), "#DellManager.ResetToDefaults", "Actions/Oem/DellManager.ResetToDefaults",
             {"All": "all", "ResetAllWithRootDefaults": "all", "Default": "users"}),
    "hpe": (("Oem", "Hpe"), "#HpeiLO.ResetToFactoryDefaults", "Actions/Oem/Hpe/HpeiLO.ResetToFactoryDefaults",
            {"Default": "all"}),
    "supermicro": ((), "#Manager.ResetToDefaults", "Actions/Manager.ResetToDefaults",
                   {"ResetAll": "all", "PreserveNetwork": "all", "PreserveNetworkAndUsers": "users"}),
}


@dataclass
class BmcUser:
    id: int
    name: str
    enabled: bool = True
    priv: str = "ADMINISTRATOR"
    password: str = ""


@dataclass
class BmcState:
    users: list[BmcUser]
    lockdown: bool = False  # refuses every change (a BMC that cannot be reset from here)
    busy_until: float = 0.0  # after a cold reset
    resets: list[str] = field(default_factory=list)

    def busy(self) -> bool:
        return time.monotonic() < self.busy_until


_STATES: weakref.WeakKeyDictionary[Server, BmcState] = weakref.WeakKeyDictionary()


def state(srv: Server) -> BmcState:
    """The BMC of `srv`, made on first use from the server's `bmc_users` (the previous owner's)."""
    if srv not in _STATES:
        users = [BmcUser(1, "", enabled=False, priv=NO_ACCESS)]  # ID 1: the anonymous user, off
        users += [BmcUser(i + 2, name, password=f"owner-{i}") for i, name in enumerate(srv.bmc_users)]
        _STATES[srv] = BmcState(users + [BmcUser(n, "", enabled=False, priv=NO_ACCESS)
                                         for n in range(len(users) + 1, 11)])
    return _STATES[srv]


def _factory_users(srv: Server) -> list[BmcUser]:
    vendor = srv.spec.serial_format
    return [BmcUser(1, "", enabled=False, priv=NO_ACCESS),
            BmcUser(2, FACTORY_ACCOUNT[vendor], password=FACTORY_PASSWORD[vendor])] + [
        BmcUser(n, "", enabled=False, priv=NO_ACCESS) for n in range(3, 11)]


def clear_sel(srv: Server) -> None:
    srv.sel[:] = [SelEntry(time.time(), "Event Logging Disabled", 0x72, "SEL", "Log area reset/cleared")]


def factory_reset(srv: Server, how: str) -> None:
    bmc = state(srv)
    bmc.users = _factory_users(srv)
    clear_sel(srv)
    bmc.resets.append(how)
    srv.bmc_resets.append(how)


# ---------------------------------------------------------------- ipmitool, in-band
_PRIV = {"1": "CALLBACK", "2": "USER", "3": "OPERATOR", "4": "ADMINISTRATOR", "5": "OEM", "15": NO_ACCESS}


def user_list(bmc: BmcState) -> str:
    out = ["ID  Name\t     Callin  Link Auth\tIPMI Msg   Channel Priv Limit"]
    for u in bmc.users:
        out.append(f"{u.id:<4}{u.name:<17}{'true':<8}{str(u.enabled and bool(u.name)).lower():<11}"
                   f"{str(u.enabled).lower():<11}{u.priv}")
    return "\n".join(out) + "\n"


def ipmitool(srv: Server, a: list[str]) -> tuple[str, int] | None:
    """The answer to `ipmitool ARGS` when it is one of the BMC's user, SEL-clear or reset commands (or any
    command while the BMC restarts); None for the shell's other ipmitool answers."""
    bmc = state(srv)
    if bmc.busy():
        return "Get Device ID command failed: 0xc0 Node busy\n", 1
    key = " ".join(a[:2])
    if key == "user list":
        return user_list(bmc), 0
    if key in ("user set", "user disable", "user enable", "user priv") or a[:2] in (["sel", "clear"],
                                                                                     ["mc", "reset"]):
        if a[:2] == ["mc", "reset"]:
            if a[2:] not in (["cold"], ["warm"]):
                return "Not enough parameters given.\nMC reset command: mc reset <warm|cold>\n", 1
            bmc.busy_until = time.monotonic() + COLD_RESET_SECONDS
            bmc.resets.append(f"mc reset {a[2]}")
            srv.bmc_resets.append(f"mc reset {a[2]}")
            return f"Sent {a[2]} reset command to MC\n", 0
        if bmc.lockdown:
            what = {"sel": "Clear SEL", "user": "Set User Access"}[a[0]]
            return f"{what} command failed: Insufficient privilege level\n", 1
        if a[:2] == ["sel", "clear"]:
            clear_sel(srv)
            return "Clearing SEL.  Please allow a few seconds to erase.\n", 0
        return _user_change(bmc, a)
    return None


def _user_change(bmc: BmcState, a: list[str]) -> tuple[str, int]:
    rest = a[2:] if a[1] == "set" else a[1:]
    verb = a[2] if a[1] == "set" and len(a) > 2 else a[1]
    ids = [x for x in (a[3:4] if a[1] == "set" else a[2:3]) if x.isdigit()]
    user = next((u for u in bmc.users if ids and u.id == int(ids[0])), None)
    if user is None or not rest:
        return f"Invalid user ID: {ids[0] if ids else ''}\n" if ids else "Not enough parameters given.\n", 1
    if verb == "name":
        name = a[4] if len(a) > 4 else ""
        if len(name) > 16:
            return "Username is too long (> 16 bytes)\n", 1
        user.name = name
        return "", 0
    if verb == "password":
        user.password = a[4] if len(a) > 4 else ""
        return f"Set User Password command successful (user {user.id})\n", 0
    if verb in ("disable", "enable"):
        user.enabled = verb == "enable"
        return "", 0
    if verb == "priv":
        level = a[3] if len(a) > 3 else ""
        if level not in _PRIV:
            return f"Invalid privilege level {level}\n", 1
        user.priv = _PRIV[level]
        return f"Set Privilege Level command successful (user {user.id})\n", 0
    return f"Invalid user command: '{verb}'\n", 1


# ---------------------------------------------------------------- Redfish, over the network
class RedfishService:
    """The BMC's Redfish service on 127.0.0.1 (plain HTTP: the bench speaks HTTPS to real BMCs and takes
    the URL's scheme as given). Basic auth with a BMC account; `url` once started."""

    def __init__(self, srv: Server) -> None:
        self.srv = srv
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def manager(self) -> str:
        return MANAGER_ID[self.srv.spec.serial_format]

    def start(self) -> str:
        service = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args: Any) -> None:  # quiet: tests read the answers, not a log
                return

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                service.answer(self, "GET")

            def do_POST(self) -> None:  # noqa: N802
                service.answer(self, "POST")

            def do_DELETE(self) -> None:  # noqa: N802
                service.answer(self, "DELETE")

            def do_PATCH(self) -> None:  # noqa: N802
                service.answer(self, "PATCH")

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self.url

    @property
    def url(self) -> str:
        assert self._httpd is not None
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def _authorized(self, header: str) -> bool:
        if not header.startswith("Basic "):
            return False
        try:
            user, _, password = base64.b64decode(header[6:]).decode().partition(":")
        except ValueError:
            return False
        return any(u.name == user and u.enabled and u.password == password and u.priv != NO_ACCESS
                   for u in state(self.srv).users)

    def answer(self, h: BaseHTTPRequestHandler, method: str) -> None:
        path = h.path.rstrip("/")
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length) if length else b""
        if path != "/redfish/v1" and not self._authorized(h.headers.get("Authorization", "")):
            return self._send(h, 401, {"error": {"message": "Unauthorized"}})
        status, doc = self.route(method, path, body)
        self._send(h, status, doc)

    @staticmethod
    def _send(h: BaseHTTPRequestHandler, status: int, doc: dict[str, Any] | None) -> None:
        data = json.dumps(doc).encode() if doc is not None else b""
        h.send_response(status)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)

    def route(self, method: str, path: str, body: bytes) -> tuple[int, dict[str, Any] | None]:
        bmc, mgr = state(self.srv), f"/redfish/v1/Managers/{self.manager}"
        accounts = "/redfish/v1/AccountService/Accounts"
        sel = f"{mgr}/LogServices/Sel"
        if bmc.busy():
            return 503, {"error": {"message": "the manager is restarting"}}
        if method == "GET":
            if path == "/redfish/v1":
                return 200, {"@odata.id": "/redfish/v1", "RedfishVersion": "1.11.0",
                             "Managers": {"@odata.id": "/redfish/v1/Managers"},
                             "AccountService": {"@odata.id": "/redfish/v1/AccountService"}}
            if path == "/redfish/v1/Managers":
                return 200, {"Members": [{"@odata.id": mgr}]}
            if path == mgr:
                where, name, target, kinds = RESET_ACTIONS[self.srv.spec.serial_format]
                actions: dict[str, Any] = {"#Manager.Reset": {"target": f"{mgr}/Actions/Manager.Reset"}}
                place = actions
                for key in where:
                    place = place.setdefault(key, {})
                place[name] = {"target": f"{mgr}/{target}", "ResetType@Redfish.AllowableValues": list(kinds)}
                return 200, {"@odata.id": mgr, "Id": self.manager, "FirmwareVersion": "4.40.00.00",
                             "LogServices": {"@odata.id": f"{mgr}/LogServices"}, "Actions": actions}
            if path == f"{mgr}/LogServices":
                return 200, {"Members": [{"@odata.id": sel}]}
            if path == sel:
                return 200, {"@odata.id": sel, "Id": "Sel", "Entries": {"@odata.id": f"{sel}/Entries"},
                             "Actions": {"#LogService.ClearLog": {"target": f"{sel}/Actions/LogService.ClearLog"}}}
            if path == f"{sel}/Entries":
                return 200, {"Members": [{"Id": str(n), "Message": e.event, "SensorType": e.sensor_type}
                                         for n, e in enumerate(self.srv.sel, 1)]}
            if path == accounts:
                return 200, {"Members": [{"@odata.id": f"{accounts}/{u.id}"} for u in bmc.users]}
            if path.startswith(accounts + "/"):
                u = next((u for u in bmc.users if str(u.id) == path.rsplit("/", 1)[1]), None)
                if u is None:
                    return 404, {"error": {"message": "no such account"}}
                return 200, {"Id": str(u.id), "UserName": u.name, "Enabled": u.enabled,
                             "RoleId": "None" if u.priv == NO_ACCESS else "Administrator"}
            return 404, {"error": {"message": f"no resource at {path}"}}
        _where, name, target, kinds = RESET_ACTIONS[self.srv.spec.serial_format]
        if method == "POST" and path == f"{mgr}/{target}":
            try:
                kind = json.loads(body or b"{}").get("ResetType")
            except ValueError:
                kind = None
            if kind not in kinds:
                return 400, {"error": {"message": f"ResetType is missing or not one of {', '.join(kinds)}"}}
            if bmc.lockdown:
                return 403, {"error": {"message": "System Lockdown is enabled: the configuration cannot change"}}
            how = f"Redfish {name[1:]} {kind}"
            if kinds[kind] == "users":  # settings to defaults, accounts kept
                clear_sel(self.srv)
                bmc.resets.append(how)
            else:
                factory_reset(self.srv, how)
            bmc.busy_until = time.monotonic() + COLD_RESET_SECONDS
            return 204, None
        if method == "POST" and path == f"{sel}/Actions/LogService.ClearLog":
            if bmc.lockdown:
                return 403, {"error": {"message": "System Lockdown is enabled"}}
            clear_sel(self.srv)
            return 204, None
        return 405, {"error": {"message": f"{method} not allowed on {path}"}}
