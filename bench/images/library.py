"""The image library as the bench file states it, and which entry applies to a unit.

```yaml
images:
  serve: 192.0.2.10:8069          # optional: the address units reach the bench's image server at
                                  # (`serve: console`: no route to the bench, every image goes over the console)
  cisco_ios_switch:               # a family (profile name) ...
    version: 15.2(7)E10
    file: /srv/images/c2960x-universalk9-mz.152-7.E10.bin
    sha256: 5f1c...               # from the vendor's download page; md5 and/or sha512 too
  "WS-C3750X-*":                  # ... or a model pattern (shell glob on the PID): it wins over the family
    version: 15.2(4)E10
    file: c3750e-universalk9-mz.152-4.E10.bin   # relative to the bench file
    md5: 0f3e...
```
Every file is hashed when the bench file is read: a file that does not match its vendor hash is bad input
(exit 2), not a unit's FAIL. The digests the bench computed itself (md5, sha512) are what the unit's
`verify` is compared with.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
from dataclasses import dataclass, field

DIGESTS = ("md5", "sha256", "sha512")
HEX_LENGTH = {"md5": 32, "sha256": 64, "sha512": 128}

_cache: dict[tuple[str, int, int], dict[str, str]] = {}


def file_digests(path: str) -> dict[str, str]:
    """md5, sha256 and sha512 of a file, read once per (path, size, mtime) in this process."""
    st = os.stat(path)
    key = (path, st.st_size, st.st_mtime_ns)
    if key not in _cache:
        hashers = {name: hashlib.new(name) for name in DIGESTS}
        with open(path, "rb") as fh:
            while chunk := fh.read(1 << 20):
                for h in hashers.values():
                    h.update(chunk)
        _cache[key] = {name: h.hexdigest() for name, h in hashers.items()}
    return _cache[key]


@dataclass(frozen=True)
class ImageEntry:
    """One target image: the key it was listed under, the version the unit must end on, the file on the bench
    host and its digests (`vendor`: as the library gave them; `computed`: what the bench read from the file)."""

    key: str
    version: str
    file: str
    size: int
    vendor: dict[str, str] = field(default_factory=dict)
    computed: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The file name as the server offers it and the unit stores it in flash."""
        return os.path.basename(self.file)

    def is_pattern(self) -> bool:
        return any(c in self.key for c in "*?[")


@dataclass(frozen=True)
class ImageLibrary:
    entries: tuple[ImageEntry, ...] = ()
    serve_host: str = "127.0.0.1"
    serve_port: int = 0  # 0: any free port (simulated benches)
    over_console: bool = False  # `serve: console`: the units have no route to the bench; images go by XMODEM

    def __bool__(self) -> bool:
        return bool(self.entries)

    def for_unit(self, profile: str, model: str) -> ImageEntry | None:
        """A model pattern (or exact PID) matching the unit wins over its family's entry."""
        pid = (model or "").upper()
        for e in self.entries:
            if e.key != profile and pid and fnmatch.fnmatchcase(pid, e.key.upper()):
                return e
        return next((e for e in self.entries if e.key == profile), None)

    def files(self) -> dict[str, str]:
        """Served name -> path on the bench host."""
        return {e.name: e.file for e in self.entries}
