"""aruba_aoscx platform package: platform.yaml (data) and the collector."""

from bench.platforms.aruba_aoscx.collector import PLATFORM

__all__ = ["PLATFORM"]
