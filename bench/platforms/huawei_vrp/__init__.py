"""huawei_vrp platform package: platform.yaml (data) and the collector."""

from bench.platforms.huawei_vrp.collector import PLATFORM

__all__ = ["PLATFORM"]
