"""hp_procurve platform package: platform.yaml (data) and the collector."""

from bench.platforms.hp_procurve.collector import PLATFORM

__all__ = ["PLATFORM"]
