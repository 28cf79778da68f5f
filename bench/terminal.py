"""Making device-supplied text harmless before it reaches a technician's terminal."""

from __future__ import annotations

from bench.drivers.parsing import sanitize
from bench.secrets_mask import mask_secrets


def safe_text(text: object, limit: int = 500) -> str:
    """One line-safe, length-capped string: escape sequences and controls dropped by `sanitize`, secrets
    masked (a unit's configuration line shown in a log never shows its password)."""
    s = mask_secrets(sanitize(str(text))).replace("\n", " ").replace("\t", " ")
    return s if len(s) <= limit else s[: limit - 1] + "…"
