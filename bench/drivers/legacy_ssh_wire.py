"""asyncssh's side of bench.drivers.legacy_ssh: imported only when a unit needs the legacy algorithm sets.

asyncssh and the cryptography it loads cost about a tenth of a second of CPU at import; a process whose units
all speak modern SSH (paramiko, through netmiko) never imports this module.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

from cryptography.utils import CryptographyDeprecationWarning

from bench.drivers.legacy_ssh import LEGACY_CIPHERS, LEGACY_HOST_KEYS, LEGACY_KEX, LEGACY_MACS, Negotiated

if TYPE_CHECKING:
    from bench.drivers.legacy_ssh import LegacyChannel

with warnings.catch_warnings():
    # asyncssh names cryptography's DSA classes at import; ssh-dss host keys are only ever verified here.
    warnings.filterwarnings("ignore", message="DSA is deprecated", category=CryptographyDeprecationWarning)
    import asyncssh

__all__ = ["Recorder", "ShellSession", "asyncssh", "offer"]


def _names(algs: list[bytes]) -> list[str]:
    return [a.decode() for a in algs]


def offer() -> dict[str, list[str]]:
    """asyncssh's defaults first (the strongest the unit has wins), then the legacy sets."""
    from asyncssh.encryption import get_default_encryption_algs
    from asyncssh.kex import get_default_kex_algs
    from asyncssh.mac import get_default_mac_algs
    from asyncssh.public_key import get_default_public_key_algs

    def plus(default: list[str], extra: tuple[str, ...]) -> list[str]:
        return default + [a for a in extra if a not in default]

    return {"kex_algs": plus(_names(get_default_kex_algs()), LEGACY_KEX),
            "encryption_algs": plus(_names(get_default_encryption_algs()), LEGACY_CIPHERS),
            "mac_algs": plus(_names(get_default_mac_algs()), LEGACY_MACS),
            "server_host_key_algs": plus(_names(get_default_public_key_algs()), LEGACY_HOST_KEYS)}


class Recorder(asyncssh.SSHClient):
    """Notes the algorithms the first key exchange settles on. asyncssh has no public accessor for them
    (it drops its kex object after the exchange), so the connection's chooser is wrapped for this one
    connection; tests/test_legacy_ssh.py fails if a release changes it."""

    def __init__(self) -> None:
        self.chosen: dict[str, str] = {}

    def connection_made(self, conn: Any) -> None:
        choose = getattr(conn, "_choose_alg", None)
        if choose is None:
            return

        def recording(alg_type: str, local: Any, remote: Any) -> bytes:
            alg: bytes = choose(alg_type, local, remote)
            self.chosen.setdefault(alg_type, alg.decode(errors="replace"))
            return alg

        conn._choose_alg = recording

    def negotiated(self, conn: Any) -> Negotiated:
        key = conn.get_server_host_key()
        return Negotiated(kex=self.chosen.get("key exchange", "unknown"),
                          cipher=self.chosen.get("encryption", "unknown"),
                          mac=self.chosen.get("MAC", "implicit in the cipher (AEAD)"),
                          host_key=key.get_algorithm() if key is not None else "unknown")


class ShellSession(asyncssh.SSHClientSession):  # type: ignore[type-arg]
    def __init__(self, channel: LegacyChannel) -> None:
        self._channel = channel

    def data_received(self, data: bytes, datatype: Any) -> None:
        self._channel._feed(data)

    def eof_received(self) -> bool:
        self._channel._ended(eof=True)
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        self._channel._ended(eof=False)
