"""Caravan forms (filled below)."""
