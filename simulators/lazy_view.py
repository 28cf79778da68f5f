"""An SNMP view whose costly sections are built only when a request reads them.

The agent asks the device for its whole view on every datagram; a Catalyst's IF-MIB (about 40 OIDs per
port, every port's counters) was most of the simulator's CPU though most requests (system group,
ENTITY-MIB, CISCO-ENVMON) never read it. A section's OIDs are known up front (the agent sorts them once),
its values are computed on the first read within the view (one request) and kept for the rest of it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from itertools import chain

Value = tuple[str, object]

__all__ = ["LazySection", "LazyView"]


class LazySection:
    """The OIDs of one section (fixed while its shape holds) and how to build their values."""

    def __init__(self, keys: frozenset[str], build: Callable[[], dict[str, Value]]) -> None:
        self.keys = keys
        self._build = build
        self._values: dict[str, Value] | None = None

    def values(self) -> dict[str, Value]:
        if self._values is None:
            self._values = self._build()
        return self._values


class LazyView(Mapping[str, Value]):
    """`eager` values plus sections built on first read; reads as a plain dict of OID -> (type, value)."""

    def __init__(self, eager: dict[str, Value], *sections: LazySection) -> None:
        self._eager = eager
        self._sections = sections

    def __getitem__(self, oid: str) -> Value:
        if oid in self._eager:
            return self._eager[oid]
        for section in self._sections:
            if oid in section.keys:
                return section.values()[oid]
        raise KeyError(oid)

    def __contains__(self, oid: object) -> bool:
        return oid in self._eager or any(oid in s.keys for s in self._sections)

    def __iter__(self) -> Iterator[str]:
        return chain(self._eager, *(s.keys for s in self._sections))

    def __len__(self) -> int:
        return len(self._eager) + sum(len(s.keys) for s in self._sections)
