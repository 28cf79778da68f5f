"""fortinet platform package: platform.yaml (data), the collector and the identity readers."""

from bench.platforms.fortinet.collector import PLATFORM

__all__ = ["PLATFORM"]
