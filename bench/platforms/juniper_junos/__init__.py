"""juniper_junos platform package: platform.yaml (data) and the collector."""

from bench.platforms.juniper_junos.collector import PLATFORM

__all__ = ["PLATFORM"]
