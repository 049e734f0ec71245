"""Caravan admin (filled below)."""
