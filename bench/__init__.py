"""bench: a networked test bench for used network gear and servers."""

__version__ = "0.1.0"
