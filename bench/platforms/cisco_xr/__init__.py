"""cisco_xr platform package (IOS XR): platform.yaml (data), the collector and the identity readers."""

from bench.platforms.cisco_xr.collector import PLATFORM

__all__ = ["PLATFORM"]
