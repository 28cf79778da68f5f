"""hp_comware platform package: platform.yaml (data) and the collector."""

from bench.platforms.hp_comware.collector import PLATFORM

__all__ = ["PLATFORM"]
