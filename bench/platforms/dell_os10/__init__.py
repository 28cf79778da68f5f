"""dell_os10 platform package: platform.yaml (data) and the collector."""

from bench.platforms.dell_os10.collector import PLATFORM

__all__ = ["PLATFORM"]
