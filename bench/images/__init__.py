"""The refurbishment image step's bench side: the bench file's image library (`images:`), the small server the
units pull their images from, and each platform's install procedure (copy, verify, boot variable, reload).

`procedure_for(platform)` names the platform's procedure; a platform without one has no image step (the
`image` check says NOT_RUN with that reason), so a family pack adds its own module here.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

# platform name (bench/platforms entry point) -> module with `async install(ctx, entry, url) -> Install`
PROCEDURES = {"cisco_ios": "bench.images.cisco_ios"}


def procedure_for(platform: str) -> Any | None:
    """The module that installs images on `platform`, or None when the platform has no image step yet."""
    name = PROCEDURES.get(platform)
    return import_module(name) if name else None
