"""mikrotik_routeros platform package: platform.yaml (data), the collector and its identity readers."""

from bench.platforms.mikrotik_routeros.collector import PLATFORM

__all__ = ["PLATFORM"]
