"""ruckus_fastiron platform package: platform.yaml (data), the collector and the identity readers."""

from bench.platforms.ruckus_fastiron.collector import PLATFORM

__all__ = ["PLATFORM"]
