"""cisco_ios platform package: platform.yaml (data) and the collector."""

from bench.platforms.cisco_ios.collector import PLATFORM

__all__ = ["PLATFORM"]
