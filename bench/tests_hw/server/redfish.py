"""A small Redfish client (DMTF DSP0266) for the BMC of a server: what the BMC reset needs, over HTTP(S).

Standard resources only: the service root, Managers, Manager.ResetToDefaults, the manager's log services
and LogService.ClearLog, AccountService accounts. Basic authentication per request (no session left open
on the BMC). BMCs ship self-signed certificates, so TLS is not verified: the address comes from the bench
file, on the bench's own management network. The password never appears in errors or evidence.
"""

from __future__ import annotations

import asyncio
import base64
import json
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any


class RedfishError(Exception):
    """The BMC did not answer as Redfish, or refused; the message is safe to show."""

    def __init__(self, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Redfish:
    url: str  # http(s)://host[:port], no path
    username: str
    password: str
    timeout: float = 30.0

    def _request(self, method: str, path: str, body: dict[str, Any] | None, auth: bool) -> tuple[int, Any]:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.url.rstrip("/") + path, data=data, method=method)
        req.add_header("Accept", "application/json")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        if auth:
            token = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
            req.add_header("Authorization", f"Basic {token}")
        context = ssl._create_unverified_context() if self.url.startswith("https") else None  # noqa: S323
        try:
            with urllib.request.urlopen(req, timeout=self.timeout, context=context) as resp:  # noqa: S310
                raw = resp.read()
                return resp.status, json.loads(raw) if raw.strip() else None
        except urllib.error.HTTPError as exc:
            raw = exc.read()
            try:
                doc = json.loads(raw) if raw.strip() else {}
                message = str(((doc.get("error") or {}).get("message")) or exc.reason)
            except (ValueError, AttributeError):
                message = str(exc.reason)
            raise RedfishError(f"{method} {path}: HTTP {exc.code} {message[:160]}", exc.code) from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            raise RedfishError(f"{method} {path}: {type(exc).__name__}: {str(reason)[:160]}") from None

    async def get(self, path: str, auth: bool = True) -> Any:
        return (await asyncio.to_thread(self._request, "GET", path, None, auth))[1]

    async def post(self, path: str, body: dict[str, Any]) -> int:
        return (await asyncio.to_thread(self._request, "POST", path, body, True))[0]

    async def members(self, path: str) -> list[str]:
        doc = await self.get(path)
        found = doc.get("Members") if isinstance(doc, dict) else None
        return [str(m["@odata.id"]) for m in found or [] if isinstance(m, dict) and "@odata.id" in m]
