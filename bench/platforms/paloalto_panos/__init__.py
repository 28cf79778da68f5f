"""paloalto_panos platform package: platform.yaml (data) and the collector."""

from bench.platforms.paloalto_panos.collector import PLATFORM

__all__ = ["PLATFORM"]
