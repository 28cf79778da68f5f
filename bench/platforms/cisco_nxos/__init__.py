"""cisco_nxos platform package: platform.yaml (data), the collector and the identity readers."""

from bench.platforms.cisco_nxos.collector import PLATFORM

__all__ = ["PLATFORM"]
