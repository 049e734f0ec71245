"""Caravan views (filled below)."""
