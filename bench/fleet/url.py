"""Fleet store URLs: postgresql://[user[:password]@]host[:port]/database[?sslmode=...].

The password may sit in the URL, in PGPASSWORD or in ~/.pgpass (libpq reads them); it is never written
into a store, a record, a log line or an error message: `target` is the URL without it.
"""

from __future__ import annotations

import urllib.parse

from bench.errors import BadInput

SCHEMES = ("postgresql", "postgres")


def is_fleet_url(url: str | None) -> bool:
    return bool(url) and str(url).split("://", 1)[0] in SCHEMES and "://" in str(url)


def check_url(url: str, what: str = "--fleet") -> str:
    """The URL as given when it names a PostgreSQL database; BadInput (one line, no password) otherwise."""
    if not is_fleet_url(url):
        raise BadInput(f"{what} {target(url)!r} is not a PostgreSQL URL; write "
                       "postgresql://USER@HOST:PORT/DATABASE (password in PGPASSWORD or ~/.pgpass)")
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        raise BadInput(f"{what} {target(url)!r}: the port is not a number; write postgresql://USER@HOST:5432/DB") \
            from None
    if not parts.hostname:
        raise BadInput(f"{what} {target(url)!r} names no host; write postgresql://USER@HOST:PORT/DATABASE")
    if parts.path.strip("/") == "":
        raise BadInput(f"{what} {target(url)!r} names no database; write postgresql://USER@HOST:PORT/DATABASE")
    return url


def target(url: str) -> str:
    """The URL with any password taken out: what may be shown, logged and kept in the local store."""
    try:
        parts = urllib.parse.urlsplit(str(url))
    except ValueError:
        return "<unreadable URL>"
    netloc = parts.netloc
    if "@" in netloc:
        user, _, host = netloc.rpartition("@")
        netloc = f"{user.split(':', 1)[0]}@{host}"
    query = "&".join(q for q in parts.query.split("&") if q and not q.lower().startswith("password="))
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, query, ""))
