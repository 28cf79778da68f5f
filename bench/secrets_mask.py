"""Masking every secret the bench sees before it is stored: one function, applied at the store boundary.

A unit's configuration, read over a console or SSH, holds passwords, hashes, keys and SNMP communities
in each vendor's own syntax; what the bench types at a password prompt is a secret too. Whatever path
text takes into the store (transcripts, events and log lines, test evidence, technician inputs), it
passes `mask_secrets`, so a sealed record, an export or a certificate never carries one. Hashes are
masked as well: a `secret 5` or `$6$` hash can be cracked offline.

Masking errs towards hiding: a word after `password` in prose is hidden too, never a secret shown.
"""

from __future__ import annotations

import re
from typing import Any

MASK = "********"

# A secret value: a quoted string (Junos, ProCurve) or one token, ended by whitespace or Junos's ';'.
_VALUE = r"""(?P<v>"[^"\n]*"|'[^'\n]*'|[^\s;"']+)"""
# The hash or encoding word some platforms put between the keyword and the value.
_KIND = r"(?:(?:\d{1,2}|sha512|sha256|sha1|md5|plaintext|cleartext|encrypted|hashed|ascii-text|hexadecimal)\s+)?"

_RULES: tuple[re.Pattern[str], ...] = tuple(re.compile(p, re.IGNORECASE) for p in (
    # ProCurve: password manager user-name "admin" plaintext "secret" (before the generic rule, which
    # would take "manager" for the value).
    r"\bpassword\s+(?:manager|operator|port-access)(?:\s+user-name\s+(?:\"[^\"\n]*\"|\S+))?\s+"
    r"(?:plaintext|sha1|sha256)\s+" + _VALUE,
    # IOS, NX-OS, EOS, Junos, ProCurve: password 0 x, secret 5 $1$.., enable password 7 .., secret sha512 $6$..,
    # encrypted-password "$6$..", simple-password, ppp chap password 0 .., neighbor .. password 7 ..
    r"(?<![\w-])(?:[\w-]*-)?(?:password|passwd|secret|passphrase)(?!\s+(?:manager|operator|port-access)\b)"
    r"\s+" + _KIND + _VALUE,
    # Keys that are always secret: key-string 7 .., authentication-key "$9$..", pre-shared-key ascii-text ..,
    # message-digest-key 1 md5 7 .., wpa-psk ascii 0 ..
    r"\b(?:key-string|authentication-key|pre-shared-key|message-digest-key\s+\d+\s+md5|wpa-psk\s+(?:ascii|hex))"
    r"\s+" + _KIND + _KIND + _VALUE,
    # A bare `key` on a RADIUS, TACACS+, IKE, NTP, routing or redundancy line: radius-server key 7 ..,
    # tacacs-server host h key .., crypto isakmp key .. address, ntp authentication-key 1 md5 ..
    r"(?:\b(?:radius|tacacs|isakmp|ntp|neighbor|ospf|bgp|hsrp|standby|vrrp|tunnel|server|host)\b[^\n]*?)"
    r"\bkey\s+" + _KIND + _VALUE,
    # key 7 0822455D0A16 inside a key chain: an encoding digit says a secret follows.
    r"^\s*key\s+\d\s+" + _VALUE,
    # SNMP: snmp-server community public RO, Junos community public { / set snmp community "x"; and the
    # community in `show snmp community` (Community name: public, Community SecurityName: public)
    r"\bcommunity\s+(?:name|securityname)\s*:\s*" + _VALUE,
    r"\bcommunity\s+(?!(?:name|securityname|index|access|view|string|strings|list|storage-type)\b)" + _VALUE,
    # SNMP v1/v2c trap hosts carry the community last: snmp-server host 10.0.0.1 version 2c public
    r"\bsnmp-server\s+host\s+\S+\s+(?:(?:informs|traps)\s+)?(?:version\s+(?:1|2c)\s+)" + _VALUE,
    r"\bsnmp-server\s+host\s+\S+\s+(?:(?:informs|traps)\s+)?(?!version\b|informs\b|traps\b)" + _VALUE,
    # SNMPv3 users: auth sha AUTHPASS priv aes 128 PRIVPASS
    r"\b(?:auth|priv)\s+(?:md5|sha\d*|des|3des|aes(?:\s+\d+)?)\s+" + _VALUE,
    # key=value and key: value (Linux, agent output, bench-side logs)
    r"\b(?:password|passwd|secret|token|api[_-]?key|community|psk)\s*[=:]\s*" + _VALUE,
    # /etc/shadow: a crypt hash between the user and the date field
    r"^[\w.-]+:(?P<v>\$[0-9a-z]+\$[^:\s]+):",
))


def _masked(m: re.Match[str]) -> str:
    value = m.group("v")
    if value in (MASK, f'"{MASK}"', f"'{MASK}'"):
        return m.group(0)
    quote = value[0] if value[:1] in "\"'" and len(value) > 1 and value[-1] == value[0] else ""
    start, end = m.span("v")
    whole_start = m.start()
    text = m.group(0)
    return text[: start - whole_start] + quote + MASK + quote + text[end - whole_start:]


def mask_secrets(text: str) -> str:
    """The text with every secret value replaced by ********, line by line."""
    if not text:
        return text
    out = []
    for line in text.splitlines(keepends=True):
        for rule in _RULES:
            line = rule.sub(_masked, line)
        out.append(line)
    return "".join(out)


# Keys of structured data whose values are secrets whatever they hold.
SECRET_KEYS = frozenset({"password", "passwd", "secret", "enable", "enable_password", "enable_secret",
                         "community", "auth_key", "priv_key", "authkey", "privkey", "token", "credentials",
                         "psk", "pre_shared_key", "api_key"})


def mask_data(value: Any) -> Any:
    """Strings in nested data masked; values under a secret-named key hidden whole."""
    if isinstance(value, str):
        return mask_secrets(value)
    if isinstance(value, dict):
        return {k: (MASK if str(k).lower() in SECRET_KEYS and isinstance(v, str) and v else mask_data(v))
                for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [mask_data(v) for v in value]
    return value
