"""arista_eos platform package: platform.yaml (data) and the collector."""

from bench.platforms.arista_eos.collector import PLATFORM

__all__ = ["PLATFORM"]
