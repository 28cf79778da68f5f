"""Exports built from the store: JSON, CSV (certificate and label come later)."""
