"""cisco_asa platform package: platform.yaml (data) and the collector."""

from bench.platforms.cisco_asa.collector import PLATFORM

__all__ = ["PLATFORM"]
